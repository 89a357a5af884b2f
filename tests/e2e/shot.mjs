// shot.mjs: signs in to a running `birebir serve` in headless Chromium and saves the dashboard as a PNG
// (scripts/screenshot runs it for docs/screenshot.png). Env: BB_URL, BB_USER, BB_PASS, BB_OUT,
// BB_CHROMIUM, BB_PROFILE, BB_LANG (tr or en).
import {chromium} from 'playwright-core';

const env = n => {
  if (!process.env[n]) throw new Error(`${n} is not set (run scripts/screenshot)`);
  return process.env[n];
};
const ctx = await chromium.launchPersistentContext(env('BB_PROFILE'), {
  executablePath: env('BB_CHROMIUM'),
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-proxy-server'],
  viewport: {width: 1360, height: 900},
  deviceScaleFactor: 1,
});
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(env('BB_URL') + '/');
  await page.evaluate(l => localStorage.setItem('bb.lang', l), process.env.BB_LANG || 'tr');
  await page.reload();
  await page.fill('#signin-name', env('BB_USER'));
  await page.fill('#signin-password', env('BB_PASS'));
  await page.click('#signin-submit');
  await page.waitForSelector('#cohort-table');
  await page.screenshot({path: env('BB_OUT'), fullPage: true});
} finally {
  await ctx.close();
}
