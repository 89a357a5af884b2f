// page_customers.js: the customer list. Searches as one types (GET /api/v1/customers?q=, Turkish
// folding on the server; the answer to an older keystroke never overwrites a newer one), filters by RFM
// segment, sorts on the server (by name, revenue, CLV or latest purchase: a column header's button; the
// whole list is in that order, not just the page shown), and pages with the server's cursor (a stack of
// cursors goes back). Search, segment and sort live in the address, so a sorted list can be linked.
import {api, query} from './api.js';
import {el, fill} from './dom.js';
import {date, getLang, money, t} from './i18n.js';

const PAGE = 25;

// sort: the server's order this column's header asks for (every one but name is highest first).
const COLUMNS = [
  {key: 'name', label: 'col.name', sort: 'name', value: c => [c.first_name, c.last_name].filter(Boolean).join(' ')},
  {key: 'customer_id', label: 'col.customer_id', value: c => c.customer_id},
  {key: 'email', label: 'col.email', value: c => c.email || ''},
  {key: 'city', label: 'col.city', value: c => c.city || ''},
  {key: 'segment', label: 'col.segment', value: (c, names) => c.segment ? (names[c.segment] || c.segment) : ''},
  {key: 'revenue', label: 'col.revenue', sort: 'revenue', num: true,
    value: c => c.revenue_minor === null ? '' : money(c.revenue_minor, c.currency || 'TRY')},
  {key: 'clv', label: 'col.clv', sort: 'clv', num: true,
    value: c => c.clv_minor === null ? '' : money(c.clv_minor, c.currency || 'TRY')},
  {key: 'last_order', label: 'col.last_order', sort: 'last_order', value: c => c.last_order_at ? date(c.last_order_at) : ''},
];
const SORTS = COLUMNS.filter(c => c.sort).map(c => c.sort);

export function customerHref(id) {
  return '#/customers/' + encodeURIComponent(id);
}

export function renderCustomers(main, params, still) {
  const sort0 = params.get('sort');
  const st = {q: params.get('q') || '', segment: params.get('segment') || '',
    sort: SORTS.includes(sort0) ? sort0 : 'name', cursors: [null], page: 0, rows: [], next: null, seq: 0, ctl: null,
    names: {}};
  const input = el('input', {type: 'search', id: 'customer-search', value: st.q, placeholder: t('customers.search'),
    'aria-label': t('customers.search'), autocomplete: 'off', spellcheck: 'false'});
  const status = el('p', {class: 'status', id: 'customers-status', 'aria-live': 'polite'});
  const body = el('div', {id: 'customers-table'});
  const prev = el('button', {type: 'button', id: 'page-prev', onclick: () => go(st.page - 1)}, t('customers.prev'));
  const next = el('button', {type: 'button', id: 'page-next', onclick: () => go(st.page + 1)}, t('customers.next'));
  const pageNo = el('span', {class: 'page-no', id: 'page-no'});
  // The address holds what the list shows; the default sort is left out.
  const remember = () => history.replaceState(null, '', '#/customers' +
    query({q: st.q, segment: st.segment, sort: st.sort === 'name' ? '' : st.sort}));
  const restart = () => {
    remember();
    st.cursors = [null];
    go(0);
  };
  // The RFM segment filter: its options come from GET /api/v1/segments/rfm.
  const filter = el('select', {id: 'segment-filter', 'aria-label': t('customers.segment'),
    onchange: () => {
      st.segment = filter.value;
      restart();
    }}, el('option', {value: ''}, t('customers.all_segments')),
  st.segment ? el('option', {value: st.segment, selected: true}, st.segment) : null);
  api('GET', '/segments/rfm').then(r => {
    if (!still()) return;
    const en = getLang() === 'en';
    for (const g of r.segments) st.names[g.segment] = en ? g.name : g.name_tr;
    fill(filter, el('option', {value: ''}, t('customers.all_segments')),
      r.segments.map(g => el('option', {value: g.segment, selected: g.segment === st.segment}, st.names[g.segment])));
    draw();
  }).catch(() => {});
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      st.q = input.value.trim();
      restart();
    }, 150);
  });

  async function go(page) {
    if (page < 0 || page >= st.cursors.length) return;
    const seq = ++st.seq;
    if (st.ctl) st.ctl.abort();
    st.ctl = new AbortController();
    status.textContent = t('common.loading');
    try {
      const r = await api('GET', '/customers' + query({q: st.q, segment: st.segment, sort: st.sort, limit: PAGE,
        cursor: st.cursors[page]}), undefined, {signal: st.ctl.signal});
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

  function sortBy(sort) {
    if (sort === st.sort) return;
    st.sort = sort;
    restart();
  }

  function draw() {
    const head = el('tr', {}, COLUMNS.map(c => {
      const on = c.sort && c.sort === st.sort;
      return el('th', {scope: 'col', class: c.num ? 'num' : null,
        'aria-sort': on ? (c.sort === 'name' ? 'ascending' : 'descending') : 'none'},
      c.sort ? el('button', {type: 'button', class: 'sort', 'data-sort': c.sort, 'aria-pressed': on ? 'true' : 'false',
        title: t(c.sort === 'name' ? 'customers.sort_name' : 'customers.sort_desc'), onclick: () => sortBy(c.sort)},
      t(c.label), on ? (c.sort === 'name' ? ' ▲' : ' ▼') : '') : t(c.label));
    }));
    const trs = st.rows.map(c => el('tr', {'data-id': c.customer_id},
      COLUMNS.map(col => el('td', {class: col.num ? 'num' : null, 'data-col': col.key},
        col.key === 'customer_id' || col.key === 'name'
          ? el('a', {href: customerHref(c.customer_id)}, col.value(c, st.names) || c.customer_id)
          : col.value(c, st.names)))));
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
