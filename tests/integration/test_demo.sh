#!/bin/bash
# birebir demo: fills a database (2,000 customers give well over 4,000 orders), is deterministic (the
# same seed twice gives the same tables, wall-clock bookkeeping columns aside; another seed does not),
# honours --end, prints JSON, refuses a non-empty database, and rejects bad arguments with exit 2.
. "$(dirname "$0")/lib.sh"
PY=$(command -v /usr/bin/python3 || command -v python3) || skip "python3 is needed to read JSON"
json() { "$PY" -c 'import json,sys; v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"; }

"$BB" --db a.db demo --customers 2000 --seed 7 >demo.out 2>demo.err || fail "demo exited $?: $(tail -1 demo.err)"
grep -q 'customers' demo.out || fail "demo printed no summary: $(cat demo.out)"
"$BB" --db a.db status --json >st.json || fail "status --json exited $?"
[[ $(json st.json customers) == 2000 ]] || fail "status shows $(json st.json customers) customers, expected 2000"
o=$(json st.json orders)
(( o > 4000 )) || fail "only $o orders for 2000 customers"
(( $(json st.json order_lines) > o )) || fail "fewer order lines than orders"
for k in products interactions consents survey_responses; do
  (( $(json st.json $k) > 0 )) || fail "the demo made no $k"
done

# Every table, in a stable order, without the columns the store stamps with the wall clock.
dump() {
  local db=$1 t cols
  for t in $(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'
                           AND name NOT LIKE 'customer_search%' ORDER BY name"); do
    cols=$(sqlite3 "$db" "SELECT group_concat(quote(name), ',') FROM pragma_table_info('$t')
                          WHERE name NOT IN ('created_at', 'updated_at')")
    echo "== $t"
    sqlite3 "$db" "SELECT $cols FROM \"$t\" ORDER BY $(seq -s, 1 $(tr -cd ',' <<<"$cols" | wc -c | xargs -I{} expr {} + 1))"
  done
}
"$BB" --db b.db demo --customers 2000 --seed 7 >/dev/null 2>&1 || fail "second demo exited $?"
dump a.db >a.txt
dump b.db >b.txt
(( $(wc -l <a.txt) > 30000 )) || fail "the dump is too small to mean anything: $(wc -l <a.txt) lines"
cmp -s a.txt b.txt || fail "the same seed gave different data: $(diff a.txt b.txt | head -3)"
"$BB" --db c.db demo --customers 2000 --seed 8 >/dev/null 2>&1 || fail "demo --seed 8 exited $?"
dump c.db >c.txt
cmp -s a.txt c.txt && fail "seeds 7 and 8 gave the same data"

# JSON, and the calendar fixed by --end.
"$BB" --db d.db demo --customers 300 --seed 3 --end 2025-06-01 --json >d.json 2>d.err || fail "demo --json exited $?"
[[ $(json d.json customers) == 300 ]] || fail "--json: customers is not 300"
[[ $(json d.json end) == 2025-06-01 && $(json d.json start) == 2022-06-01 ]] || fail "--json: wrong calendar"
[[ $(json d.json planted.bgnbd.r) == 0.9 && $(json d.json planted.gammagamma.gamma) == 700.0 ]] \
  || fail "--json: planted parameters missing: $(cat d.json)"
last=$(sqlite3 d.db "SELECT max(ordered_at) FROM orders")
(( last < 1748736000 )) || fail "an order at $last is not before --end 2025-06-01"
[[ $(json d.json orders) == $(sqlite3 d.db "SELECT count(*) FROM orders") ]] || fail "--json orders disagrees with the database"
# Amounts are the sums of their lines.
bad=$(sqlite3 d.db "SELECT count(*) FROM orders o WHERE o.amount_minor !=
        (SELECT sum(CAST(l.quantity AS INTEGER) * l.unit_price_minor) FROM order_line l WHERE l.order_id = o.id)")
[[ $bad == 0 ]] || fail "$bad orders whose amount is not the sum of their lines"
# Orders after their customer's registration.
bad=$(sqlite3 d.db "SELECT count(*) FROM orders o JOIN customer c ON c.id = o.customer_id WHERE o.ordered_at < c.created_at")
[[ $bad == 0 ]] || fail "$bad orders before their customer registered"

# A database that holds customers is refused.
"$BB" --db d.db demo --customers 10 >again.out 2>&1; rc=$?
[[ $rc == 1 ]] || fail "demo into a non-empty database exited $rc, expected 1"
grep -q 'already holds' again.out || fail "no clear message for a non-empty database: $(cat again.out)"

# Help and bad arguments.
"$BB" demo --help >help.out 2>&1 || fail "demo --help exited $?"
grep -q -- '--customers' help.out || fail "demo --help does not describe --customers"
for args in "--customers -5" "--customers abc" "--customers 0" "--customers 12x" "--customers 100000001" \
            "--seed -1" "--seed 9223372036854775808" "--end 2026-02-30" "--end 1900-01-01" "--bogus" "extra"; do
  # shellcheck disable=SC2086
  "$BB" --db e.db demo $args >bad.out 2>&1; rc=$?
  [[ $rc == 2 ]] || fail "demo $args exited $rc, expected 2"
  grep -q -i -E 'must be|not a date|not a valid date|unknown option|unrecognized|unexpected' bad.out || fail "demo $args: unclear message: $(cat bad.out)"
done
[[ ! -e e.db ]] || fail "a usage error created the database"
pass
