// page_signin.js: the sign-in form (POST /api/v1/session sets the session cookie; the answer carries
// the CSRF token that writes echo).
import {api} from './api.js';
import {el, fill} from './dom.js';
import {t} from './i18n.js';

export function renderSignin(main, onSignedIn) {
  const name = el('input', {id: 'signin-name', name: 'name', autocomplete: 'username', required: true});
  const password = el('input', {id: 'signin-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true});
  const message = el('p', {class: 'error', role: 'alert', id: 'signin-error'});
  const submit = el('button', {type: 'submit', id: 'signin-submit'}, t('signin.submit'));
  const form = el('form', {class: 'card signin', onsubmit: async ev => {
    ev.preventDefault();
    message.textContent = '';
    submit.disabled = true;
    try {
      const who = await api('POST', '/session', {name: name.value, password: password.value});
      onSignedIn(who);
    } catch (e) {
      message.textContent = e.status === 401 ? t('signin.failed') : t('common.error', {msg: e.message});
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
    }
  }},
  el('h1', {}, t('signin.title')),
  el('label', {for: 'signin-name'}, t('signin.name')), name,
  el('label', {for: 'signin-password'}, t('signin.password')), password,
  message, submit);
  fill(main, form);
  name.focus();
}
