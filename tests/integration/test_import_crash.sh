#!/bin/bash
# kill -9 in the middle of a large import leaves a consistent database (PRAGMA integrity_check, no
# half-written order), and running the same import again completes it with exactly the expected
# counts: no duplicate lines, orders, customers or products, and order totals equal to the file's.
# The indexes a load defers to its end (the orders' by customer and time, by time) are all there again
# after the re-import, and after any other command opens the killed database: the schema's indexes are
# those of a database that never loaded.
. "$(dirname "$0")/lib.sh"
rows=${BB_CRASH_ROWS:-300000}
awk -v n="$rows" 'BEGIN {
  srand(7); print "order_id,customer_id,ordered_at,sku,quantity,unit_price"
  o = 0; left = 0
  for (i = 0; i < n; i++) {
    if (left == 0) { o++; left = 1 + int(rand() * 6); c = 1 + int(rand() * (n / 20)); day = 1 + int(rand() * 28) }
    q = 1 + int(rand() * 3); if (rand() < 0.03) q = -q
    printf "O%d,C%d,2024-05-%02d 10:00:00,SKU%d,%d,%d.%02d\n", o, c, day, int(rand() * 2000), q, int(rand() * 300), int(rand() * 100)
    left--
  } }' >lines.csv
# what the file holds, computed here, independently of birebir
read -r want_lines want_orders want_customers want_skus want_total < <(awk -F, 'NR > 1 {
    n++; o[$1]; c[$2]; s[$4]; split($6, p, "."); total += $5 * (p[1] * 100 + p[2]) }
  END { printf "%d %d %d %d %.0f\n", n, length(o), length(c), length(s), total }' lines.csv)

indexes() { sqlite3 "$1" "SELECT name || ': ' || sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"; }
"$BB" --db fresh.db init >/dev/null || fail "init"
want_indexes=$(indexes fresh.db)
[[ $want_indexes == *orders_customer_time* && $want_indexes == *orders_time* ]] || fail "a fresh database lacks the orders' indexes"

killed=0
for attempt in 1 2 3 4; do
  rm -f c.db c.db-wal c.db-shm
  "$BB" --db c.db init >/dev/null || fail "init"
  "$BB" --db c.db import order-lines lines.csv --batch 20000 >/dev/null 2>&1 &
  pid=$!
  # a random short delay: long enough to commit some batches, short enough to land mid-import
  sleep "$(awk -v a="$attempt" 'BEGIN { srand(); printf "%.2f", (0.3 + rand() * 0.7) / a }')"
  if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null
    n=$(sqlite3 c.db 'SELECT count(*) FROM order_line')
    if (( n < want_lines )); then killed=1; break; fi
  else
    wait "$pid"
  fi
done
(( killed )) || fail "could not kill the import before it finished (the file is too small for this machine?)"
echo "killed after $n of $want_lines lines"
[[ $(sqlite3 c.db 'PRAGMA integrity_check') == ok ]] || fail "integrity_check after kill -9: $(sqlite3 c.db 'PRAGMA integrity_check')"
[[ -z $(sqlite3 c.db 'PRAGMA foreign_key_check') ]] || fail "foreign keys broken after kill -9"
# every order present is whole up to its lines: its amount is the sum of its stored lines
bad=$(sqlite3 c.db 'SELECT count(*) FROM orders o WHERE amount_minor != (SELECT coalesce(sum(CAST(round(quantity * unit_price_minor) AS INTEGER)), 0) FROM order_line WHERE order_id = o.id)')
[[ $bad == 0 ]] || fail "$bad orders disagree with their lines after kill -9"
echo "indexes missing after the kill: $(comm -13 <(indexes c.db) <(echo "$want_indexes") | cut -d: -f1 | tr '\n' ' ')"
cp c.db opened.db
[[ -e c.db-wal ]] && cp c.db-wal opened.db-wal
"$BB" --db opened.db status >/dev/null || fail "status on the killed database"
[[ $(indexes opened.db) == "$want_indexes" ]] || fail "indexes after an open of the killed database: $(indexes opened.db)"

"$BB" --db c.db import order-lines lines.csv --json >s.json 2>err.txt || fail "re-import exited $?: $(cat err.txt)"
got=$(sqlite3 c.db "SELECT (SELECT count(*) FROM order_line) || ' ' || (SELECT count(*) FROM orders) || ' ' ||
  (SELECT count(*) FROM customer) || ' ' || (SELECT count(*) FROM product) || ' ' || (SELECT sum(amount_minor) FROM orders)")
[[ $got == "$want_lines $want_orders $want_customers $want_skus $want_total" ]] ||
  fail "after re-import: lines orders customers products total = $got, expected $want_lines $want_orders $want_customers $want_skus $want_total"
[[ $(sqlite3 c.db 'PRAGMA integrity_check') == ok ]] || fail "integrity_check after re-import"
[[ $(indexes c.db) == "$want_indexes" ]] || fail "indexes after the re-import: $(indexes c.db)"
[[ $(sqlite3 c.db "SELECT count(*) FROM meta WHERE key LIKE 'deferred_index:%'") == 0 ]] || fail "deferred indexes left in meta"
python3 - s.json "$n" "$want_lines" <<'PY' || fail "re-import summary: $(cat s.json)"
import json, sys
d = json.load(open(sys.argv[1])); before, total = int(sys.argv[2]), int(sys.argv[3])
assert d["rows_read"] == total and d["rejected"] == 0, d
assert d["imported"] == total - before and d["unchanged"] == before, (d, before)
PY
pass
