// page_customers.js: the customer list. Searches as one types (GET /api/v1/customers?q=, Turkish
// folding on the server; the answer to an older keystroke never overwrites a newer one), sorts the page
// by any column, and pages with the server's cursor (a stack of cursors goes back).
import {api, query} from './api.js';
import {el, fill} from './dom.js';
import {getLang, locale, t} from './i18n.js';

const PAGE = 25;

const COLUMNS = [
  {key: 'customer_id', label: 'col.customer_id', value: c => c.customer_id},
  {key: 'name', label: 'col.name', value: c => [c.first_name, c.last_name].filter(Boolean).join(' ')},
  {key: 'email', label: 'col.email', value: c => c.email || ''},
  {key: 'phone', label: 'col.phone', value: c => c.phone || ''},
  {key: 'city', label: 'col.city', value: c => c.city || ''},
];

export function customerHref(id) {
  return '#/customers/' + encodeURIComponent(id);
}

export function renderCustomers(main, params, still) {
  const st = {q: params.get('q') || '', segment: params.get('segment') || '', cursors: [null], page: 0, rows: [],
    next: null, sort: null, dir: 1, seq: 0, ctl: null};
  const input = el('input', {type: 'search', id: 'customer-search', value: st.q, placeholder: t('customers.search'),
    'aria-label': t('customers.search'), autocomplete: 'off', spellcheck: 'false'});
  const status = el('p', {class: 'status', id: 'customers-status', 'aria-live': 'polite'});
  const body = el('div', {id: 'customers-table'});
  const prev = el('button', {type: 'button', id: 'page-prev', onclick: () => go(st.page - 1)}, t('customers.prev'));
  const next = el('button', {type: 'button', id: 'page-next', onclick: () => go(st.page + 1)}, t('customers.next'));
  const pageNo = el('span', {class: 'page-no', id: 'page-no'});
  // The RFM segment filter: its options come from GET /api/v1/segments/rfm.
  const filter = el('select', {id: 'segment-filter', 'aria-label': t('customers.segment'),
    onchange: () => {
      st.segment = filter.value;
      history.replaceState(null, '', '#/customers' + query({q: st.q, segment: st.segment}));
      st.cursors = [null];
      go(0);
    }}, el('option', {value: ''}, t('customers.all_segments')),
  st.segment ? el('option', {value: st.segment, selected: true}, st.segment) : null);
  api('GET', '/segments/rfm').then(r => {
    if (!still()) return;
    const en = getLang() === 'en';
    fill(filter, el('option', {value: ''}, t('customers.all_segments')),
      r.segments.map(g => el('option', {value: g.segment, selected: g.segment === st.segment},
        en ? g.name : g.name_tr)));
  }).catch(() => {});
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      st.q = input.value.trim();
      history.replaceState(null, '', '#/customers' + query({q: st.q, segment: st.segment}));
      st.cursors = [null];
      go(0);
    }, 150);
  });

  async function go(page) {
    if (page < 0 || page >= st.cursors.length) return;
    const seq = ++st.seq;
    if (st.ctl) st.ctl.abort();
    st.ctl = new AbortController();
    status.textContent = t('common.loading');
    try {
      const r = await api('GET', '/customers' + query({q: st.q, segment: st.segment, limit: PAGE, cursor: st.cursors[page]}), undefined,
        {signal: st.ctl.signal});
      if (seq !== st.seq || !still()) return;
      st.page = page;
      st.rows = r.customers;
      st.next = r.next_cursor || null;
      st.cursors.length = page + 1;
      if (st.next) st.cursors.push(st.next);
      status.textContent = st.rows.length ? '' : t('customers.empty');
      draw();
    } catch (e) {
      if (e.name === 'AbortError' || seq !== st.seq || !still()) return;
      status.textContent = t('common.error', {msg: e.message});
    }
  }

  function sortBy(key) {
    st.dir = st.sort === key ? -st.dir : 1;
    st.sort = key;
    draw();
  }

  function draw() {
    const rows = st.rows.slice();
    if (st.sort) {
      const col = COLUMNS.find(c => c.key === st.sort);
      const coll = new Intl.Collator(locale(), {numeric: true, sensitivity: 'base'});
      rows.sort((a, b) => st.dir * coll.compare(col.value(a), col.value(b)));
    }
    const head = el('tr', {}, COLUMNS.map(c => el('th', {scope: 'col',
      'aria-sort': st.sort === c.key ? (st.dir > 0 ? 'ascending' : 'descending') : 'none'},
    el('button', {type: 'button', class: 'sort', 'data-sort': c.key, onclick: () => sortBy(c.key)},
      t(c.label), st.sort === c.key ? (st.dir > 0 ? ' ▲' : ' ▼') : ''))));
    const trs = rows.map(c => el('tr', {'data-id': c.customer_id},
      COLUMNS.map(col => el('td', {}, col.key === 'customer_id' || col.key === 'name'
        ? el('a', {href: customerHref(c.customer_id)}, col.value(c)) : col.value(c)))));
    fill(body, el('table', {class: 'list'}, el('thead', {}, head), el('tbody', {}, trs)));
    prev.disabled = st.page === 0;
    next.disabled = !st.next;
    pageNo.textContent = t('customers.page', {n: st.page + 1});
  }

  fill(main, el('section', {class: 'customers'},
    el('h1', {}, t('customers.title')), el('div', {class: 'filters'}, input, filter), status, body,
    el('div', {class: 'pager'}, prev, pageNo, next)));
  input.focus();
  go(0);
}
