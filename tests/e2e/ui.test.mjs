// ui.test.mjs: the web UI in headless Chromium (run by test_ui.sh, which starts the server). Each check
// compares what the page shows with what the API answers, formatted independently here.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {chromium} from 'playwright-core';

const URL = process.env.BB_URL;
const SHOTS = process.env.BB_SHOTS;
const env = name => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run test_ui.sh)`);
  return v;
};

let ctx, page;
const errors = [];

before(async () => {
  env('BB_URL');
  ctx = await chromium.launchPersistentContext(env('BB_PROFILE'), {
    executablePath: env('BB_CHROMIUM'),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-proxy-server'],
    viewport: {width: 1360, height: 900},
    locale: 'tr-TR',
  });
  page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', e => errors.push(String(e)));
  // Failed API calls are part of the checks (401 before signing in, 403 without CSRF); a failed asset is not.
  page.on('console', m => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
  page.on('response', r => { if (r.status() >= 400 && !r.url().includes('/api/v1/')) errors.push(`${r.status()} ${r.url()}`); });
});

after(async () => {
  if (page) await page.screenshot({path: `${SHOTS}/last.png`, fullPage: true}).catch(() => {});
  if (ctx) await ctx.close();
});

// The API, from the test itself (a bearer token, not the browser's session).
async function api(method, path, body) {
  const r = await fetch(URL + '/api/v1' + path, {method, headers: {Authorization: 'Bearer ' + env('BB_TOKEN'),
    'Content-Type': 'application/json'}, body: body === undefined ? undefined : JSON.stringify(body)});
  const j = await r.json();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

// Turkish formats written out by hand: 1234567.5 TRY -> "₺1.234.567,50".
function trGroup(intPart) {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
function trMoney(minor) {
  const neg = minor < 0;
  const a = Math.abs(minor);
  return (neg ? '-' : '') + '₺' + trGroup(String(Math.floor(a / 100))) + ',' + String(a % 100).padStart(2, '0');
}
function fold(s) {
  return s.replace(/İ/g, 'i').replace(/I/g, 'ı').toLowerCase().replace(/ı/g, 'i').normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}
const shot = name => page.screenshot({path: `${SHOTS}/${name}.png`, fullPage: true});

test('sign-in: a wrong password is refused, the right one opens the dashboard', async () => {
  await page.goto(URL + '/');
  await page.waitForSelector('#signin-name');
  assert.equal(await page.locator('html').getAttribute('lang'), 'tr');
  await shot('signin');
  await page.fill('#signin-name', env('BB_USER'));
  await page.fill('#signin-password', 'not-the-password');
  await page.click('#signin-submit');
  await page.waitForSelector('#signin-error:not(:empty)');
  assert.match(await page.textContent('#signin-error'), /yanlış/);
  await page.fill('#signin-password', env('BB_PASS'));
  await page.click('#signin-submit');
  await page.waitForSelector('#who');
  assert.match(await page.textContent('#who'), new RegExp(env('BB_USER')));
  assert.equal(new globalThis.URL(page.url()).hash, '#/dashboard');
  const cookies = await ctx.cookies(URL);
  const c = cookies.find(x => x.name === 'bb_session');
  assert.ok(c && c.httpOnly && c.sameSite === 'Strict', 'an HttpOnly, SameSite=Strict session cookie');
  assert.equal(await page.evaluate(() => document.cookie), '', 'the session cookie is out of scripts\' reach');
});

test('dashboard: the figures of the API in Turkish formats, the charts and the cohort heat map', async () => {
  const d = await api('GET', '/dashboard');
  const c = await api('GET', '/cohorts');
  await page.waitForSelector('#tile-customers');
  assert.equal(await page.textContent('main h1'), 'Gösterge paneli');
  assert.equal(await page.textContent('#tile-customers .value'), trGroup(String(d.customers)));
  assert.equal(await page.textContent('#tile-revenue .value'), trMoney(d.revenue.total_minor));
  // tr-TR writes a percentage as "%32,9".
  const share = (Math.round(d.active.share * 1000) / 10).toFixed(1).replace('.', ',');
  assert.equal(await page.textContent('#tile-active .value'), '%' + share);
  assert.equal(await page.$$eval('#cohort-table tbody tr', rs => rs.length), c.cohorts.length);
  assert.ok(c.cohorts.length > 0);
  // Each cell is the share of its cohort still buying that month, rounded to a whole percent.
  const cells = await page.$$eval('#cohort-table tbody tr', rs => rs.map(r => [...r.querySelectorAll('td.cell')].map(td => td.textContent)));
  c.cohorts.forEach((row, i) => {
    assert.equal(cells[i].length, row.active.length);
    row.active.forEach((a, k) => assert.equal(cells[i][k], '%' + Math.round(100 * a / row.customers)));
  });
  if (d.clv) {
    await page.waitForSelector('#chart-clv');
    assert.ok(await page.$eval('#chart-clv', cv => cv.width > 0 && cv.height > 0));
  } else {
    assert.match(await page.textContent('#dash-clv'), /henüz/);
  }
  if (d.segments.length > 0) {
    await page.waitForSelector('#chart-segments');
    assert.equal(await page.$$eval('#segments-table tbody tr', rs => rs.length), d.segments.length);
  }
  await shot('dashboard');
});

test('customers: search as you type, sorting, paging', async () => {
  const one = await api('GET', '/customers/C0000001');
  const last = one.customer.last_name;
  await page.click('header nav a[href="#/customers"]');
  await page.waitForSelector('#customers-table tbody tr');
  const firstPage = await page.$$eval('#customers-table tbody tr', rs => rs.map(r => r.dataset.id));
  assert.equal(firstPage.length, 25);
  // Paging: the next page holds other customers, and "previous" goes back to the first.
  await page.click('#page-next');
  await page.waitForFunction(() => document.querySelector('#page-no').textContent.includes('2'));
  const second = await page.$$eval('#customers-table tbody tr', rs => rs.map(r => r.dataset.id));
  assert.ok(second.length > 0 && second.every(id => !firstPage.includes(id)), 'page 2 holds other customers');
  await page.click('#page-prev');
  await page.waitForFunction(() => document.querySelector('#page-no').textContent.includes('1'));
  // Search as you type, without Turkish letters: every hit's name holds the folded term.
  const term = fold(last);
  await page.locator('#customer-search').pressSequentially(term, {delay: 40});
  await page.waitForFunction(id => !!document.querySelector(`#customers-table tr[data-id="${id}"]`), 'C0000001');
  const names = await page.$$eval('#customers-table tbody tr td[data-col="name"]', tds => tds.map(td => td.textContent));
  assert.ok(names.length > 0);
  for (const n of names) assert.ok(fold(n).includes(term), `"${n}" does not match "${term}"`);
  assert.match(page.url(), new RegExp('#/customers\\?q=' + encodeURIComponent(term)));
  // The same through the API: the page lists what the API answers (first page).
  const apiHits = (await api('GET', '/customers?limit=25&q=' + encodeURIComponent(term))).customers.map(c => c.customer_id);
  const shown = await page.$$eval('#customers-table tbody tr', rs => rs.map(r => r.dataset.id));
  assert.deepEqual([...shown].sort(), [...apiHits].sort());
  // Sorting is the server's, over the whole list: each sortable header shows the API's pages of that
  // sort, page 2 through its cursor too, and the values shown are the API's, formatted in Turkish.
  await page.fill('#customer-search', '');
  await page.waitForFunction(n => document.querySelectorAll('#customers-table tbody tr').length === n, 25);
  const cells = col => page.$$eval(`#customers-table tbody tr td[data-col="${col}"]`, tds => tds.map(td => td.textContent));
  const rowIds = () => page.$$eval('#customers-table tbody tr', rs => rs.map(r => r.dataset.id));
  for (const sort of ['clv', 'revenue', 'last_order', 'name']) {
    const p1 = await api('GET', '/customers?limit=25&sort=' + sort);
    const p2 = await api('GET', '/customers?limit=25&sort=' + sort + '&cursor=' + encodeURIComponent(p1.next_cursor));
    await page.click(`button.sort[data-sort="${sort}"]`);
    await page.waitForFunction(ids => [...document.querySelectorAll('#customers-table tbody tr')].map(r => r.dataset.id)
      .join() === ids.join(), p1.customers.map(c => c.customer_id));
    assert.equal(await page.getAttribute(`button.sort[data-sort="${sort}"]`, 'aria-pressed'), 'true');
    assert.equal(new globalThis.URL(page.url()).hash, sort === 'name' ? '#/customers' : '#/customers?sort=' + sort);
    if (sort === 'clv') assert.deepEqual(await cells('clv'), p1.customers.map(c => trMoney(c.clv_minor)));
    if (sort === 'revenue') assert.deepEqual(await cells('revenue'), p1.customers.map(c => trMoney(c.revenue_minor)));
    await page.click('#page-next');
    await page.waitForFunction(ids => [...document.querySelectorAll('#customers-table tbody tr')].map(r => r.dataset.id)
      .join() === ids.join(), p2.customers.map(c => c.customer_id));
    assert.ok((await rowIds()).every(id => !p1.customers.some(c => c.customer_id === id)));
    if (sort === 'clv') await shot('customers-by-clv');
    await page.click('#page-prev');
    await page.waitForFunction(() => document.querySelector('#page-no').textContent.includes('1'));
  }
  // A search sorted by CLV: the hits, highest CLV first, as the API gives them.
  await page.click('button.sort[data-sort="clv"]');
  await page.locator('#customer-search').pressSequentially(term, {delay: 20});
  const sortedHits = (await api('GET', '/customers?limit=25&sort=clv&q=' + encodeURIComponent(term))).customers.map(c => c.customer_id);
  await page.waitForFunction(ids => [...document.querySelectorAll('#customers-table tbody tr')].map(r => r.dataset.id)
    .join() === ids.join(), sortedHits);
  assert.match(page.url(), /sort=clv/);
  await page.fill('#customer-search', '');
  await page.click('button.sort[data-sort="name"]');
  await page.waitForFunction(n => document.querySelectorAll('#customers-table tbody tr').length === n, 25);
  await shot('customers');
});

test('a segment of the dashboard opens its customers', async () => {
  const segs = (await api('GET', '/segments/rfm')).segments;
  assert.ok(segs.length > 0);
  const g = segs[segs.length - 1]; // the smallest
  await page.click('header nav a[href="#/dashboard"]');
  await page.click(`#segments-table a[data-segment="${g.segment}"]`);
  await page.waitForFunction(k => document.querySelector('#segment-filter')?.value === k, g.segment);
  await page.waitForSelector('#customers-table tbody tr');
  assert.equal(await page.$eval('#segment-filter', s => s.selectedOptions[0].textContent), g.name_tr);
  const ids = await page.$$eval('#customers-table tbody tr', rs => rs.map(r => r.dataset.id));
  assert.equal(ids.length, Math.min(25, g.customers));
  for (const id of ids.slice(0, 5)) {
    const v = await api('GET', '/customers/' + encodeURIComponent(id));
    assert.equal(v.scores.rfm.segment.key, g.segment, `${id} is not in ${g.segment}`);
  }
  // Back to every segment.
  await page.selectOption('#segment-filter', '');
  await page.waitForFunction(n => document.querySelectorAll('#customers-table tbody tr').length === n, 25);
  assert.equal(new globalThis.URL(page.url()).hash, '#/customers');
});

test('the 360 page: profile, order summary in Turkish formats, timeline, consents', async () => {
  // The customer with the most orders among the first page of the API's list.
  const list = (await api('GET', '/customers?limit=50')).customers;
  let best = null;
  for (const c of list) {
    const v = await api('GET', '/customers/' + encodeURIComponent(c.customer_id));
    if (!best || v.order_summary.count > best.order_summary.count) best = v;
  }
  const id = best.customer.id;
  await page.goto(URL + '/#/customers/' + encodeURIComponent(id));
  await page.waitForSelector('#c360-name');
  assert.equal(await page.textContent('#c360-name'), `${best.customer.first_name} ${best.customer.last_name}`);
  const summary = await page.textContent('#c360-summary');
  assert.ok(summary.includes(trMoney(best.order_summary.revenue_minor)),
    `the revenue ${trMoney(best.order_summary.revenue_minor)} is not in "${summary}"`);
  const items = await page.$$eval('#c360-timeline li.tl-order, #c360-timeline li.tl-interaction, #c360-timeline li.tl-survey',
    lis => lis.map(li => li.querySelector('time').getAttribute('datetime')));
  assert.equal(items.length, best.orders.length + best.interactions.length + best.survey_responses.length);
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1] >= items[i], 'the timeline runs newest first');
  for (const o of best.orders) {
    const li = await page.locator(`#c360-timeline li[data-order="${o.order_id}"]`).textContent();
    assert.ok(li.includes(trMoney(o.amount_minor)), `order ${o.order_id}: ${trMoney(o.amount_minor)} not in "${li}"`);
    // A return (a negative amount) is said to be one, not called an order.
    assert.ok(li.includes((o.amount_minor < 0 ? 'İade ' : 'Sipariş ') + o.order_id), `order ${o.order_id}: "${li}"`);
  }
  // Stored codes are shown in words: no "out", "push" or "mobile_app" as they are stored.
  const tl = await page.textContent('#c360-timeline');
  assert.ok(!/\b(out|in) · /.test(tl) && !tl.includes('mobile_app'), `codes shown raw in the timeline: ${tl.slice(0, 400)}`);
  const consentRows = await page.$$('#c360-consents > table tbody tr');
  assert.equal(consentRows.length, best.consents.current.length);
  const scores = await page.textContent('#c360-scores');
  const sc = best.scores;
  if (sc && sc.rfm) {
    const score = k => page.textContent(`#c360-scores dd[data-score="${k}"] strong`);
    assert.equal(await score('segment'), sc.rfm.segment.tr);
    assert.equal(await score('rfm'), `R${sc.rfm.r_score.value} F${sc.rfm.f_score.value} M${sc.rfm.m_score.value}`);
    assert.equal(await score('clv'), trMoney(sc.clv.value_minor));
    assert.equal(await score('p_alive'), '%' + (Math.round(sc.p_alive.value * 1000) / 10).toFixed(1).replace('.', ','));
    assert.equal(await score('churn_risk'), {low: 'düşük', medium: 'orta', high: 'yüksek'}[sc.churn_risk.value]);
    // Every score says what it means.
    const meanings = await page.$$eval('#c360-scores dd', dds => dds.map(dd => dd.querySelector('.meaning')?.textContent || ''));
    assert.ok(meanings.length >= 8 && meanings.every(m => m.length > 10), JSON.stringify(meanings));
  } else {
    assert.match(scores, /henüz puan yok/);
  }
  await shot('customer360');
});

test('the language switch: English words, English formats, and back', async () => {
  await page.click('button.lang[data-lang="en"]');
  await page.waitForSelector('html[lang="en"]');
  assert.equal(await page.textContent('header nav a[href="#/customers"]'), 'Customers');
  assert.match(await page.textContent('#c360-summary'), /Revenue/);
  await page.click('button.lang[data-lang="tr"]');
  await page.waitForSelector('html[lang="tr"]');
  assert.equal(await page.textContent('header nav a[href="#/customers"]'), 'Müşteriler');
});

test('a page whose answer comes late does not draw over the page the user moved to', async () => {
  // The 360 view's answer is held back a second; meanwhile the user goes to the customer list.
  await page.route('**/api/v1/customers/C0000002', async route => {
    await new Promise(r => setTimeout(r, 1000));
    await route.continue();
  });
  await page.goto(URL + '/#/customers/C0000002');
  await page.goto(URL + '/#/customers?q=C0000003');
  await page.waitForSelector('#customers-table tr[data-id="C0000003"]');
  await page.waitForTimeout(1500);
  assert.ok(await page.$('#customers-table tr[data-id="C0000003"]'), 'the list is still on screen');
  assert.equal(await page.$('#c360-name'), null);
  await page.unroute('**/api/v1/customers/C0000002');
});

test('script and markup in a record show as plain text', async () => {
  const payload = {customer_id: 'XSS-1', first_name: '<img src=x onerror="window.__xss=1">',
    last_name: '<script>window.__xss=2</script>', city: '"\'><b id="bold">kalın</b>', email: 'xss@example.com'};
  await api('POST', '/customers', payload);
  await page.goto(URL + '/#/customers?q=' + encodeURIComponent('XSS-1'));
  await page.waitForSelector('#customers-table tr[data-id="XSS-1"]');
  await page.goto(URL + '/#/customers/XSS-1');
  await page.waitForSelector('#c360-name');
  assert.equal(await page.textContent('#c360-name'), `${payload.first_name} ${payload.last_name}`);
  assert.ok((await page.textContent('#c360-profile')).includes(payload.city));
  assert.equal(await page.$$eval('main img, main script, #bold', e => e.length), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await page.goto(URL + '/#/customers?q=XSS-1');
  await page.waitForSelector('#customers-table tr[data-id="XSS-1"]');
  assert.equal(await page.$$eval('main img, #bold', e => e.length), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});

test('writes carry the CSRF token: without it the server refuses, sign-out with it works', async () => {
  const status = await page.evaluate(async () => (await fetch('/api/v1/session', {method: 'DELETE'})).status);
  assert.equal(status, 403);
  await page.click('#signout');
  await page.waitForSelector('#signin-name');
  const after = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
  assert.equal(after, 401);
});

test('no script errors and no missing asset on any page', () => {
  assert.deepEqual(errors, []);
});
