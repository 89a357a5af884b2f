// page_customer.js: the customer 360 page (GET /api/v1/customers/{customer_id}): the profile, the order
// summary, the scores each with what it means in plain words, one timeline of orders, interactions and
// survey answers (newest first), and the consents (current, then history).
import {api} from './api.js';
import {el, fill, table} from './dom.js';
import {date, dateTime, getLang, money, num, percent, scoreMeaning, t} from './i18n.js';

function dl(pairs) {
  return el('dl', {class: 'facts'}, pairs.filter(p => p).map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function fullName(c) {
  return [c.first_name, c.last_name].filter(Boolean).join(' ') || c.id;
}

function profile(c) {
  const attrs = Object.entries(c.attributes || {});
  return el('section', {class: 'card', id: 'c360-profile'},
    el('h2', {}, t('c360.profile')),
    dl([
      [t('col.customer_id'), c.id],
      [t('col.email'), c.email || t('common.unknown')],
      [t('col.phone'), c.phone || t('common.unknown')],
      [t('col.city'), c.city || t('common.unknown')],
      [t('field.birth_date'), c.birth_date ? date(c.birth_date) : t('common.unknown')],
      [t('field.gender'), c.gender || t('common.unknown')],
      [t('field.created_at'), dateTime(c.created_at)],
      [t('field.updated_at'), dateTime(c.updated_at)],
    ]),
    c.identifiers && c.identifiers.length > 0 && [el('h3', {}, t('c360.identifiers')),
      el('ul', {class: 'plain'}, c.identifiers.map(i => el('li', {}, el('span', {class: 'muted'}, i.kind, ': '), i.value)))],
    attrs.length > 0 && [el('h3', {}, t('c360.attributes')),
      dl(attrs.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))],
    c.merged_from && c.merged_from.length > 0 && [el('h3', {}, t('c360.merged_from')),
      el('p', {}, c.merged_from.join(', '))]);
}

function summary(s) {
  return el('section', {class: 'card', id: 'c360-summary'},
    el('h2', {}, t('c360.summary')),
    dl([
      [t('sum.count'), num(s.count)],
      [t('sum.revenue'), money(s.revenue_minor, s.currency || 'TRY')],
      s.margin_minor !== null && s.margin_minor !== undefined && [t('sum.margin'), money(s.margin_minor, s.currency || 'TRY')],
      [t('sum.first'), dateTime(s.first_order_at)],
      [t('sum.last'), dateTime(s.last_order_at)],
    ]));
}

// One score as text: by its name's convention (…_minor is money, p_… and shares are percentages).
function scoreText(key, v, currency) {
  if (v === null || v === undefined) return t('common.unknown');
  if (typeof v === 'object' && !Array.isArray(v)) {
    if ('value' in v) return scoreText(key, v.value, currency);
    if (key === 'rfm' || ('r' in v && 'f' in v)) {
      const parts = [`R${v.r ?? '?'} F${v.f ?? '?'} M${v.m ?? '?'}`];
      const seg = getLang() === 'tr' ? v.segment_tr || v.segment_name_tr || v.segment : v.segment || v.segment_en;
      if (seg) parts.push(seg);
      return parts.join(' · ');
    }
    return JSON.stringify(v);
  }
  if (typeof v === 'number') {
    if (key.endsWith('_minor')) return money(v, currency);
    if (key.startsWith('p_') || key.endsWith('_share') || key === 'churn_probability') return percent(v);
    return num(v, Number.isInteger(v) ? 0 : 2);
  }
  return String(v);
}

function baseKey(key) {
  const k = key.replace(/_minor$/, '').replace(/_(tr|en)$/, '');
  if (k.startsWith('expected_purchases')) return 'expected_purchases';
  if (k.startsWith('expected_value') || k.startsWith('expected_order')) return 'expected_value';
  if (k.startsWith('clv')) return 'clv';
  if (k.startsWith('rfm') || k === 'segment_name') return k.startsWith('rfm') ? 'rfm' : 'segment';
  return k;
}

const SKIP = new Set(['meanings', 'explanations', 'run_id', 'model_run_id', 'computed_at', 'currency', 'model']);

function scores(sc, currency) {
  const box = el('section', {class: 'card', id: 'c360-scores'}, el('h2', {}, t('c360.scores')));
  if (!sc || typeof sc !== 'object' || Object.keys(sc).length === 0) {
    box.appendChild(el('p', {class: 'muted'}, t('c360.noscores')));
    return box;
  }
  const given = sc.meanings || sc.explanations || {};
  const cur = sc.currency || currency;
  const items = Object.entries(sc).filter(([k, v]) => !SKIP.has(k) && !k.endsWith('_tr') && !k.endsWith('_en') &&
    !(v && typeof v === 'object' && !Array.isArray(v) && !('value' in v) && !('r' in v)));
  box.appendChild(el('dl', {class: 'scores'}, items.map(([k, v]) => {
    const fromServer = (v && typeof v === 'object' && (v.meaning || v.explanation)) || given[k];
    const meaning = scoreMeaning(baseKey(k)) || fromServer;
    const label = k.replace(/_minor$/, '').replace(/_/g, ' ');
    return [el('dt', {}, label), el('dd', {'data-score': k},
      el('strong', {}, scoreText(k, v, cur)), meaning && el('span', {class: 'meaning'}, meaning))];
  })));
  return box;
}

function orderLines(o) {
  if (!o.lines || o.lines.length === 0) return null;
  return el('ul', {class: 'lines'}, o.lines.map(l => el('li', {},
    `${num(l.quantity)} × ${l.name || l.sku || ''}`, l.category ? el('span', {class: 'muted'}, ` · ${l.category}`) : null,
    ` · ${money(l.total_minor, o.currency)}`)));
}

function timeline(v) {
  const items = [];
  for (const o of v.orders || []) items.push({at: o.ordered_at, kind: 'order', o});
  for (const i of v.interactions || []) items.push({at: i.occurred_at, kind: 'interaction', o: i});
  for (const s of v.survey_responses || []) items.push({at: s.responded_at, kind: 'survey', o: s});
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const box = el('section', {class: 'card', id: 'c360-timeline'}, el('h2', {}, t('c360.timeline')));
  if (items.length === 0) {
    box.appendChild(el('p', {class: 'muted'}, t('tl.empty')));
    return box;
  }
  box.appendChild(el('ol', {class: 'timeline'}, items.map(it => {
    const o = it.o;
    let head, rest = [];
    if (it.kind === 'order') {
      head = [t('tl.order', {id: o.order_id}), ' · ', money(o.amount_minor, o.currency),
        o.channel ? ` · ${o.channel}` : ''];
      rest = [orderLines(o)];
    } else if (it.kind === 'interaction') {
      head = [[o.channel, o.direction, o.kind].filter(Boolean).join(' · ') || t('tl.interaction')];
      rest = [o.subject && el('div', {class: 'subject'}, o.subject), o.body && el('div', {class: 'body'}, o.body)];
    } else {
      head = [t('tl.survey', {survey: o.survey}), ' · ', t('tl.score', {score: o.score})];
      rest = [o.comment && el('div', {class: 'body'}, o.comment)];
    }
    return el('li', {class: 'tl-' + it.kind, 'data-order': it.kind === 'order' ? o.order_id : null},
      el('time', {datetime: it.at || ''}, dateTime(it.at)),
      el('div', {class: 'tl-head'}, head), rest);
  })));
  return box;
}

function consents(cs) {
  const box = el('section', {class: 'card', id: 'c360-consents'}, el('h2', {}, t('c360.consents')));
  const cur = (cs && cs.current) || [];
  const hist = (cs && cs.history) || [];
  const status = s => (s === 'granted' ? t('consent.granted') : s === 'revoked' ? t('consent.revoked') : s);
  const cols = [
    {label: t('consent.channel'), cell: c => c.channel},
    {label: t('consent.status'), cell: c => el('span', {class: 'badge ' + (c.status === 'granted' ? 'ok' : 'no')}, status(c.status))},
    {label: t('consent.source'), cell: c => c.source || t('common.unknown')},
    {label: t('consent.when'), cell: c => dateTime(c.recorded_at)},
  ];
  if (cur.length === 0) box.appendChild(el('p', {class: 'muted'}, t('consent.none')));
  else box.appendChild(table(cols, cur, {class: 'list'}));
  if (hist.length > cur.length) {
    box.appendChild(el('details', {}, el('summary', {}, t('c360.history')), table(cols, hist, {class: 'list'})));
  }
  return box;
}

export async function renderCustomer(main, id) {
  fill(main, el('p', {class: 'status'}, t('common.loading')));
  let v;
  try {
    v = await api('GET', '/customers/' + encodeURIComponent(id));
  } catch (e) {
    fill(main, el('a', {href: '#/customers', class: 'back'}, t('c360.back')),
      el('p', {class: 'error', id: 'c360-error'}, e.status === 404 ? t('c360.notfound') : t('common.error', {msg: e.message})));
    return;
  }
  const c = v.customer;
  const currency = (v.order_summary && v.order_summary.currency) || 'TRY';
  document.title = fullName(c) + ' · birebir';
  fill(main, el('section', {class: 'c360'},
    el('a', {href: '#/customers', class: 'back'}, t('c360.back')),
    el('h1', {id: 'c360-name'}, fullName(c)),
    el('div', {class: 'grid'},
      el('div', {class: 'col'}, profile(c), summary(v.order_summary || {}), consents(v.consents)),
      el('div', {class: 'col'}, scores(v.scores, currency), timeline(v)))));
}
