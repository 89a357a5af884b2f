#!/bin/bash
# End-to-end test of the web UI in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core
# from npm; no browser is downloaded): a demo database, `birebir serve` on 127.0.0.1, then ui.test.mjs
# signs in and checks the dashboard, search as you type, sorting, paging, the 360 page, the language
# switch, Turkish formats, CSRF and that script payloads show as plain text. Screenshots go to
# $BB_BUILD_DIR/e2e/. Skipped (exit 77, with the reason) when chromium or node_modules are missing.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/server_lib.sh"
SRC=${BB_SOURCE_DIR:?}
CHROMIUM=${BB_CHROMIUM:-/usr/bin/chromium}
[[ -x $CHROMIUM ]] || skip "no $CHROMIUM (scripts/deps installs Debian's chromium)"
command -v node >/dev/null || skip "no node (scripts/deps installs nodejs)"
[[ -d $SRC/node_modules/playwright-core ]] || skip "no node_modules/playwright-core (scripts/deps runs npm ci)"

"$BB" --db "$DB" demo --customers 2000 >/dev/null || fail "demo exited $?" # demo analyses too
PASS=e2e-$RANDOM-$RANDOM-pass
printf '%s\n' "$PASS" | "$BB" --db "$DB" users add ayse --role admin --password-stdin >/dev/null 2>&1 \
  || fail "users add exited $?"
ADMIN_TOKEN=$(tok admin)
srv_start --rate-limit 0
SHOTS=${BB_BUILD_DIR:-$T}/e2e
mkdir -p "$SHOTS"
BB_URL=http://127.0.0.1:$PORT BB_USER=ayse BB_PASS=$PASS BB_TOKEN=$ADMIN_TOKEN BB_SHOTS=$SHOTS \
  BB_CHROMIUM=$CHROMIUM BB_PROFILE=$T/chromium-profile \
  node "$SRC/tests/e2e/ui.test.mjs" || fail "the browser test failed (screenshots in $SHOTS; server log: $(tail -3 srv.log))"
srv_stop
pass
