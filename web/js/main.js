// main.js: the UI's frame: the header (navigation, language switch, who is signed in), the session
// (GET /api/v1/session on load; a 401 anywhere shows the sign-in page) and the hash router:
//   #/dashboard   #/customers?q=...   #/customers/{customer_id}   (the sign-in page when signed out)
import {api, setCsrf} from './api.js';
import {el, fill} from './dom.js';
import {getLang, setLang, t} from './i18n.js';
import {renderSignin} from './page_signin.js';
import {renderDashboard} from './page_dashboard.js';
import {renderCustomers} from './page_customers.js';
import {renderCustomer} from './page_customer.js';

const state = {who: null};
const header = document.getElementById('header');
const main = document.getElementById('app');

function renderHeader() {
  const route = location.hash.replace(/^#\/?/, '');
  const link = (href, key, active) =>
    el('a', {href, class: active ? 'active' : null, 'aria-current': active ? 'page' : null}, t(key));
  const langs = ['tr', 'en'].map(l =>
    el('button', {type: 'button', class: 'lang' + (l === getLang() ? ' active' : ''), 'data-lang': l,
      'aria-pressed': l === getLang() ? 'true' : 'false', onclick: () => { setLang(l); render(); }},
    l.toUpperCase()));
  fill(header,
    el('a', {class: 'brand', href: '#/dashboard'}, 'birebir', el('span', {class: 'tagline'}, t('app.tagline'))),
    state.who && el('nav', {},
      link('#/dashboard', 'nav.dashboard', route === '' || route.startsWith('dashboard')),
      link('#/customers', 'nav.customers', route.startsWith('customers'))),
    el('div', {class: 'spacer'}),
    el('div', {class: 'langs', role: 'group', 'aria-label': t('lang.label')}, langs),
    state.who && el('span', {class: 'who', id: 'who'}, state.who.name, ' · ', t('role.' + state.who.role)),
    state.who && el('button', {type: 'button', id: 'signout', onclick: signOut}, t('nav.signout')));
}

async function signOut() {
  try {
    await api('DELETE', '/session');
  } catch (e) { /* signed out either way */ }
  signedOut();
}

function signedOut() {
  state.who = null;
  setCsrf(null);
  render();
}

export function signedIn(who) {
  state.who = who;
  setCsrf(who.csrf_token);
  if (!location.hash || location.hash === '#/' || location.hash === '#/signin') location.hash = '#/dashboard';
  else render();
}

// Each render gets a function saying whether it is still the page on screen: a page whose data arrives
// after the user has moved on must not draw over the new one.
let renders = 0;

function render() {
  const mine = ++renders;
  const still = () => mine === renders;
  document.documentElement.lang = getLang();
  renderHeader();
  if (!state.who) {
    document.title = t('signin.title') + ' · birebir';
    renderSignin(main, signedIn);
    return;
  }
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, qs] = hash.split('?');
  const params = new URLSearchParams(qs || '');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'customers' && parts.length > 1) {
    renderCustomer(main, decodeURIComponent(parts.slice(1).join('/')), still);
  } else if (parts[0] === 'customers') {
    document.title = t('customers.title') + ' · birebir';
    renderCustomers(main, params, still);
  } else {
    document.title = t('dash.title') + ' · birebir';
    renderDashboard(main, still);
  }
}

window.addEventListener('hashchange', render);
window.addEventListener('bb:signedout', () => {
  if (state.who) signedOut();
});

async function start() {
  try {
    const who = await api('GET', '/session');
    state.who = who;
    setCsrf(who.csrf_token);
  } catch (e) {
    state.who = null;
  }
  render();
}

start();
