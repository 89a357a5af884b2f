// page_customer.js: the customer 360 page (GET /api/v1/customers/{customer_id}): the profile, the order
// summary, the scores each with what it means in plain words, one timeline of orders, interactions and
// survey answers (newest first), and the consents (current, then history).
import {api} from './api.js';
import {el, fill, table} from './dom.js';
import {churnWord, code, date, dateTime, getLang, money, num, percent, scoreText, t} from './i18n.js';

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
      el('ul', {class: 'plain'}, c.identifiers.map(i => el('li', {}, el('span', {class: 'muted'}, code(i.kind), ': '), i.value)))],
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

// The value of a score entry ({value, meaning} or {value_minor, meaning}).
const val = e => (e && typeof e === 'object' ? ('value' in e ? e.value : e.value_minor) : e);

// The scores section: RFM (scores, segment, inputs), then the model's scores, each with what it means.
function scores(sc) {
  const box = el('section', {class: 'card', id: 'c360-scores'}, el('h2', {}, t('c360.scores')));
  if (!sc || typeof sc !== 'object' || !sc.rfm) {
    box.appendChild(el('p', {class: 'muted'}, t('c360.noscores')));
    return box;
  }
  const cur = sc.currency || 'TRY';
  const en = getLang() === 'en';
  const items = [];
  const item = (key, value, given, vars) => {
    if (value === null || value === undefined) return;
    const [label, mine] = scoreText(key, vars);
    items.push([el('dt', {}, label), el('dd', {'data-score': key}, el('strong', {}, value),
      el('span', {class: 'meaning'}, en && given ? given : mine))]);
  };
  const r = sc.rfm;
  const seg = r.segment || {};
  item('rfm', `R${val(r.r_score)} F${val(r.f_score)} M${val(r.m_score)}`, null);
  item('segment', (en ? seg.en : seg.tr) || seg.key, seg.meaning);
  item('recency_days', r.recency_days && t('c360.days', {n: num(val(r.recency_days))}), r.recency_days && r.recency_days.meaning);
  item('frequency', r.frequency && num(val(r.frequency)), r.frequency && r.frequency.meaning);
  item('monetary', r.monetary_minor && money(val(r.monetary_minor), cur), r.monetary_minor && r.monetary_minor.meaning);
  const e = k => sc[k] && typeof sc[k] === 'object' ? sc[k] : null;
  if (e('p_alive')) item('p_alive', percent(val(sc.p_alive)), sc.p_alive.meaning);
  if (e('expected_purchases')) item('expected_purchases', num(val(sc.expected_purchases), 2), sc.expected_purchases.meaning,
    {months: sc.expected_purchases.horizon_months ?? 12});
  if (e('expected_value_minor')) item('expected_value', money(Math.round(val(sc.expected_value_minor)), cur), sc.expected_value_minor.meaning);
  if (e('clv')) item('clv', money(val(sc.clv), cur), sc.clv.meaning);
  if (e('tier')) item('tier', val(sc.tier), sc.tier.meaning);
  if (e('churn_risk')) item('churn_risk', churnWord(val(sc.churn_risk)), sc.churn_risk.meaning);
  box.appendChild(el('dl', {class: 'scores'}, items));
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
      head = [t(o.amount_minor < 0 ? 'tl.return' : 'tl.order', {id: o.order_id}), ' · ', money(o.amount_minor, o.currency),
        o.channel ? ` · ${code(o.channel)}` : ''];
      rest = [orderLines(o)];
    } else if (it.kind === 'interaction') {
      head = [[o.channel, o.direction, o.kind].filter(Boolean).map(code).join(' · ') || t('tl.interaction')];
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
    {label: t('consent.channel'), cell: c => code(c.channel)},
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

export async function renderCustomer(main, id, still) {
  fill(main, el('p', {class: 'status'}, t('common.loading')));
  let v;
  try {
    v = await api('GET', '/customers/' + encodeURIComponent(id));
  } catch (e) {
    if (!still()) return;
    fill(main, el('a', {href: '#/customers', class: 'back'}, t('c360.back')),
      el('p', {class: 'error', id: 'c360-error'}, e.status === 404 ? t('c360.notfound') : t('common.error', {msg: e.message})));
    return;
  }
  if (!still()) return;
  const c = v.customer;
  document.title = fullName(c) + ' · birebir';
  fill(main, el('section', {class: 'c360'},
    el('a', {href: '#/customers', class: 'back'}, t('c360.back')),
    el('h1', {id: 'c360-name'}, fullName(c)),
    el('div', {class: 'grid'},
      el('div', {class: 'col'}, profile(c), summary(v.order_summary || {}), consents(v.consents)),
      el('div', {class: 'col'}, scores(v.scores), timeline(v)))));
}
