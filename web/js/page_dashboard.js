// page_dashboard.js: the dashboard (GET /api/v1/dashboard and /api/v1/cohorts): customers, the active
// share, revenue, the CLV distribution, customers and value by RFM segment (charts by Chart.js, embedded
// as vendor/chart.umd.min.js), and the cohort retention heat map (a table whose cells shade with the
// share still buying).
import {api} from './api.js';
import {el, fill, table} from './dom.js';
import {dateTime, getLang, locale, money, month, num, percent, t} from './i18n.js';

const charts = [];

function chartLib() {
  return typeof window.Chart === 'function' ? window.Chart : null;
}

function tile(id, label, value, hint) {
  return el('div', {class: 'tile', id}, el('div', {class: 'label'}, label), el('div', {class: 'value'}, value),
    hint && el('div', {class: 'hint'}, hint));
}

function segName(s) {
  return (getLang() === 'tr' ? s.name_tr : s.name) || s.name || s.segment;
}

function clvCard(d) {
  const box = el('section', {class: 'card', id: 'dash-clv'}, el('h2', {}, t('dash.clv')));
  const clv = d.clv;
  if (!clv || !clv.buckets || clv.buckets.length === 0) {
    box.appendChild(el('p', {class: 'muted'}, t('dash.clv_none')));
    return box;
  }
  const cur = clv.currency || 'TRY';
  const labels = clv.buckets.map(b => b.to_minor === null || b.to_minor === undefined
    ? `≥ ${money(b.from_minor, cur, true)}` : `${money(b.from_minor, cur, true)} – ${money(b.to_minor, cur, true)}`);
  box.appendChild(el('p', {class: 'muted'},
    [clv.mean_minor !== undefined && `⌀ ${money(clv.mean_minor, cur)}`,
      clv.median_minor !== undefined && `${getLang() === 'tr' ? 'ortanca' : 'median'} ${money(clv.median_minor, cur)}`,
      clv.total_minor !== undefined && `Σ ${money(clv.total_minor, cur)}`].filter(Boolean).join(' · ')));
  const Chart = chartLib();
  if (Chart) {
    const canvas = el('canvas', {id: 'chart-clv', role: 'img', 'aria-label': t('dash.clv')});
    box.appendChild(el('div', {class: 'chart'}, canvas));
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: {labels, datasets: [{label: t('dash.customers_axis'), data: clv.buckets.map(b => b.customers),
        backgroundColor: '#2f6fb2'}]},
      options: {animation: false, maintainAspectRatio: false, locale: locale(),
        plugins: {legend: {display: false}},
        scales: {y: {beginAtZero: true, title: {display: true, text: t('dash.customers_axis')}}}},
    }));
  } else {
    box.appendChild(table([{label: 'CLV', cell: b => labels[clv.buckets.indexOf(b)]},
      {label: t('dash.customers_axis'), class: 'num', cell: b => num(b.customers)}], clv.buckets, {class: 'list'}));
  }
  return box;
}

function segmentsCard(d) {
  const box = el('section', {class: 'card', id: 'dash-segments'}, el('h2', {}, t('dash.segments')));
  const segs = d.segments || [];
  if (segs.length === 0) {
    box.appendChild(el('p', {class: 'muted'}, t('dash.segments_none')));
    return box;
  }
  const cur = d.revenue && d.revenue.currency || 'TRY';
  const Chart = chartLib();
  if (Chart) {
    const canvas = el('canvas', {id: 'chart-segments', role: 'img', 'aria-label': t('dash.segments')});
    box.appendChild(el('div', {class: 'chart tall'}, canvas));
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: {labels: segs.map(segName), datasets: [
        {label: t('dash.customers_axis'), data: segs.map(s => s.customers), backgroundColor: '#2f6fb2', yAxisID: 'y'},
        {label: t('dash.value_axis'), data: segs.map(s => s.revenue_minor / 100), backgroundColor: '#e0a030', yAxisID: 'y2'},
      ]},
      options: {animation: false, maintainAspectRatio: false, locale: locale(),
        scales: {
          y: {beginAtZero: true, position: 'left', title: {display: true, text: t('dash.customers_axis')}},
          y2: {beginAtZero: true, position: 'right', grid: {drawOnChartArea: false},
            title: {display: true, text: `${t('dash.value_axis')} (${cur})`}},
        }},
    }));
  }
  const total = segs.reduce((a, s) => a + s.customers, 0) || 1;
  box.appendChild(table([
    {label: 'RFM', cell: s => el('a', {href: '#/customers?segment=' + encodeURIComponent(s.segment),
      'data-segment': s.segment}, segName(s))},
    {label: t('dash.customers_axis'), class: 'num', cell: s => num(s.customers)},
    {label: '%', class: 'num', cell: s => percent(s.customers / total)},
    {label: t('dash.value_axis'), class: 'num', cell: s => money(s.revenue_minor, cur)},
    {label: 'CLV ⌀', class: 'num', cell: s => (s.mean_clv_minor === null || s.mean_clv_minor === undefined
      ? t('common.unknown') : money(s.mean_clv_minor, cur))},
  ], segs, {class: 'list compact', id: 'segments-table'}));
  return box;
}

// Shade from white (0) to deep blue (the largest share after the first month).
function shade(share, max) {
  const x = max > 0 ? Math.min(1, share / max) : 0;
  const l = Math.round(97 - x * 55);
  return `hsl(212, 60%, ${l}%)`;
}

function cohortsCard(c) {
  const box = el('section', {class: 'card wide', id: 'dash-cohorts'}, el('h2', {}, t('dash.cohorts')));
  const rows = (c && c.cohorts) || [];
  if (rows.length === 0) {
    box.appendChild(el('p', {class: 'muted'}, t('dash.cohorts_none')));
    return box;
  }
  const width = Math.max(...rows.map(r => r.active.length));
  let max = 0;
  for (const r of rows) for (let i = 1; i < r.active.length; i++) max = Math.max(max, r.active[i] / (r.customers || 1));
  const head = el('tr', {}, el('th', {scope: 'col'}, t('dash.cohort')), el('th', {scope: 'col', class: 'num'}, t('dash.size')),
    Array.from({length: width}, (_, i) => el('th', {scope: 'col', class: 'num'}, String(i))));
  const body = rows.map(r => el('tr', {},
    el('th', {scope: 'row'}, month(r.cohort)), el('td', {class: 'num'}, num(r.customers)),
    Array.from({length: width}, (_, i) => {
      if (i >= r.active.length) return el('td', {class: 'empty'});
      const share = r.customers ? r.active[i] / r.customers : 0;
      const td = el('td', {class: 'num cell', title: `${num(r.active[i])} / ${num(r.customers)}`}, percent(share, 0));
      td.style.background = i === 0 ? '#dfe7f1' : shade(share, max);
      if (i > 0 && share / (max || 1) > 0.6) td.style.color = '#fff';
      return td;
    })));
  box.appendChild(el('div', {class: 'scroll'}, el('table', {class: 'heat', id: 'cohort-table'},
    el('caption', {class: 'muted'}, t('dash.heat_caption')),
    el('thead', {}, head), el('tbody', {}, body))));
  return box;
}

export async function renderDashboard(main, still) {
  while (charts.length) charts.pop().destroy();
  fill(main, el('p', {class: 'status'}, t('common.loading')));
  let d, c;
  try {
    [d, c] = await Promise.all([api('GET', '/dashboard'), api('GET', '/cohorts').catch(() => null)]);
  } catch (e) {
    if (!still()) return;
    fill(main, el('h1', {}, t('dash.title')),
      el('p', {class: 'error'}, e.status === 404 ? t('dash.unavailable') : t('common.error', {msg: e.message})));
    return;
  }
  if (!still()) return;
  const rev = d.revenue || {};
  const cur = rev.currency || 'TRY';
  fill(main, el('section', {class: 'dashboard'},
    el('h1', {}, t('dash.title')),
    d.model_run && el('p', {class: 'muted', id: 'dash-run'},
      t('dash.model_run', {model: d.model_run.model, when: dateTime(d.model_run.finished_at || d.model_run.started_at)})),
    !chartLib() && el('p', {class: 'muted'}, t('dash.nocharts')),
    el('div', {class: 'tiles'},
      tile('tile-customers', t('dash.customers'), num(d.customers)),
      tile('tile-active', t('dash.active'), percent(d.active ? d.active.share : null),
        d.active && t('dash.active_hint', {days: d.active.days})),
      tile('tile-revenue', t('dash.revenue'), money(rev.total_minor, cur), rev.orders !== undefined && t('dash.orders', {n: num(rev.orders)}))),
    el('div', {class: 'grid'}, clvCard(d), segmentsCard(d)),
    cohortsCard(c)));
}
