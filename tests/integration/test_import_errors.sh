#!/bin/bash
# birebir import with bad rows: each is reported as file:line: column: problem, goes to the rejects
# file (original columns plus reason), exit 1; --strict writes nothing; --dry-run writes nothing;
# usage errors exit 2; an unusable file or header exits 1.
. "$(dirname "$0")/lib.sh"
count() { sqlite3 "$1" "SELECT count(*) FROM $2"; }
printf 'order_id,customer_id,ordered_at,amount,currency\nA1,1,2025-01-05,120.50,TRY\nA2,1,2025-02-05,80.00,TRY\nA3,2,2025-03-01,45.10,TRY\nA4,2,2025-03-09,12,5O,TRY\nA5,2,2025-04-01,99.99,TRY\nA6,3,2025-04-02,12.5O,TRY\nA7,3,2025-02-30,1,TRY\n' >orders.csv
"$BB" --db i.db init >/dev/null || fail "init"
"$BB" --db i.db import orders orders.csv >out.txt 2>err.txt; rc=$?
[[ $rc == 1 ]] || fail "import with bad rows exited $rc, expected 1"
grep -qx 'orders.csv:5: expected 5 fields as in the header, found 6' err.txt || fail "no message for line 5: $(cat err.txt)"
grep -qx 'orders.csv:7: amount: "12.5O" is not a number' err.txt || fail "no message for line 7: $(cat err.txt)"
grep -qx 'orders.csv:8: ordered_at: "2025-02-30" is not a valid date-time (out of range)' err.txt ||
  fail "no message for line 8: $(cat err.txt)"
[[ $(count i.db orders) == 4 ]] || fail "expected 4 orders, found $(count i.db orders)"
grep -qE '^  rejected +3  -> orders.csv.rejects.csv$' out.txt || fail "summary: $(cat out.txt)"
grep -qE '^  created +2 bare customers, 0 products, 0 orders$' out.txt || fail "bare customers not counted: $(cat out.txt)"
cat >want.csv <<'CSV'
order_id,customer_id,ordered_at,amount,currency,reason
A4,2,2025-03-09,12,5O,TRY,"line 5: expected 5 fields as in the header, found 6"
A6,3,2025-04-02,12.5O,TRY,"line 7: amount: ""12.5O"" is not a number"
A7,3,2025-02-30,1,TRY,"line 8: ordered_at: ""2025-02-30"" is not a valid date-time (out of range)"
CSV
diff want.csv orders.csv.rejects.csv >/dev/null || fail "rejects file differs: $(diff want.csv orders.csv.rejects.csv)"
# --rejects FILE; a clean file writes no rejects file and exits 0
head -4 orders.csv >clean.csv
"$BB" --db i.db import orders clean.csv --rejects r2.csv >/dev/null 2>&1 || fail "clean import exited $?"
[[ -e r2.csv ]] && fail "a rejects file was written for a clean import"
# --json summary
"$BB" --db i.db import orders orders.csv --rejects r3.csv --json >s.json 2>/dev/null; rc=$?
[[ $rc == 1 ]] || fail "json import exited $rc"
python3 - s.json <<'PY' || fail "bad JSON summary: $(cat s.json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["rows_read"], d["imported"], d["unchanged"], d["rejected"]) == (7, 0, 4, 3), d
assert d["rejects_file"] == "r3.csv" and d["kind"] == "orders", d
PY
# --strict: nothing written, exit 1
"$BB" --db s.db init >/dev/null
"$BB" --db s.db import orders orders.csv --strict --batch 1 >out.txt 2>&1; rc=$?
[[ $rc == 1 ]] || fail "--strict exited $rc"
grep -q 'orders.csv:5' out.txt || fail "--strict did not name the row"
grep -q 'nothing was written' out.txt || fail "--strict did not say nothing was written"
[[ $(count s.db orders) == 0 && $(count s.db customer) == 0 ]] || fail "--strict left rows behind"
# --dry-run: validated, nothing written, no rejects file
"$BB" --db d.db init >/dev/null
"$BB" --db d.db import orders orders.csv --dry-run --rejects dry.csv >out.txt 2>&1; rc=$?
[[ $rc == 1 ]] || fail "--dry-run with bad rows exited $rc"
grep -qE '^  valid +4$' out.txt || fail "dry run summary: $(cat out.txt)"
[[ $(count d.db orders) == 0 && ! -e dry.csv ]] || fail "--dry-run wrote something"
# unusable input and usage
"$BB" --db i.db import orders missing.csv >out.txt 2>&1; rc=$?
[[ $rc == 1 ]] || fail "missing file exited $rc"
grep -q 'missing.csv: cannot open' out.txt || fail "missing file message: $(cat out.txt)"
printf 'order_id,customer\nA,1\n' >nocol.csv
"$BB" --db i.db import orders nocol.csv >out.txt 2>&1; rc=$?
[[ $rc == 1 ]] || fail "missing column exited $rc"
grep -q 'nocol.csv:1: no customer_id column (the header has: order_id, customer; name one with --map SRC=customer_id)' out.txt ||
  fail "missing column message: $(cat out.txt)"
"$BB" --db i.db import orders nocol.csv --map customer=customer_id --map x=y >out.txt 2>&1; rc=$?
[[ $rc == 1 ]] || fail "--map of an absent column exited $rc"
for args in "bogus orders.csv" "orders" "orders orders.csv --locale de" "orders orders.csv --map nothing" \
            "orders orders.csv --utc-offset 99" "orders orders.csv --currency TL" "orders orders.csv --frob"; do
  "$BB" --db i.db import $args >/dev/null 2>&1; rc=$?
  [[ $rc == 2 ]] || fail "'import $args' exited $rc, expected 2"
done
"$BB" import --help | grep -q 'Usage: birebir' || fail "no --help"
pass
