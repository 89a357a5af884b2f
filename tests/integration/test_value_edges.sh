#!/bin/bash
# Edge cases of the value commands found by trying to break them: customers top before analyze prints
# only the error; a spend fit with q <= 1 says so (fit and analyze) and gives the customers it cannot
# value their own mean order value instead of a CLV of 0; analyze says how many repeat buyers the spend
# model left out because their repeats are all worth 0; the scores file of a fit whose BG/NBD a and b are
# huge has no NaN; an RFM grid with a duplicate key, a database of returns only and --as-of before the
# first order get errors that say what and when.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c "import json" 2>/dev/null || skip "python3 is not installed"

# customers top before analyze: the error, and no table header on standard output
"$BB" --db e.db init >/dev/null || fail "init"
"$BB" --db e.db customers top >out.txt 2>err.txt; (( $? == 1 )) || fail "customers top before analyze should exit 1"
[[ ! -s out.txt ]] || fail "customers top before analyze printed: $(cat out.txt)"
grep -q "analyze" err.txt || fail "customers top before analyze: $(cat err.txt)"

# heavy-tailed spend (customer means ~ U^-2: no finite mean), so Gamma-Gamma's q comes out <= 1
$PY - <<'PY' || fail "could not write the orders"
import random, datetime as dt
random.seed(5)
with open("heavy.csv", "w") as f, open("summary.csv", "w") as s:
    f.write("order_id,customer_id,ordered_at,amount,currency\n")
    s.write("customer_id,frequency,recency,T,monetary_value\n")
    n = 0
    for c in range(400):
        k = random.randint(1, 5)
        base = 1.0 / random.random() ** 2
        for j in range(k):
            n += 1
            d = dt.date(2024, 1, 1) + dt.timedelta(days=random.randint(0, 300))
            f.write(f"{n},k{c},{d},{min(base * random.uniform(0.9, 1.1), 1e7):.2f},TRY\n")
    random.seed(3)
    for i in range(500):
        s.write(f"c{i},{random.randint(1, 5)},{random.uniform(1, 20):.2f},30,{1.0 / random.random() ** 1.5:.2f}\n")
PY
"$BB" --db h.db import orders heavy.csv >/dev/null 2>err.txt || fail "import: $(cat err.txt)"
"$BB" --db h.db analyze --model bgnbd --json >a.json 2>err.txt || fail "analyze: $(cat err.txt)"
"$BB" --db h.db analyze --model bgnbd >a.txt 2>err.txt || fail "analyze: $(cat err.txt)"
grep -q "q <= 1" a.txt || fail "analyze text does not say q <= 1: $(cat a.txt)"
$PY - <<'PY' || fail "q <= 1 in analyze"
import json, csv, subprocess, os
a = json.load(open("a.json"))
q = a["spend"]["params"]["q"]
assert q <= 1, f"the test data should give q <= 1, got {q}"
assert "q <= 1" in a["spend"]["note"] and "q <= 1" in a["spend_note"], a
orders = {}
for r in csv.DictReader(open("heavy.csv")):
    orders.setdefault(r["customer_id"], []).append(round(float(r["amount"]) * 100))
once = [c for c, v in orders.items() if len(v) == 1][:5]
assert once
for c in once:
    out = subprocess.run([os.environ["BB"], "--db", "h.db", "customers", "show", c, "--json"], capture_output=True,
                         text=True, check=True).stdout
    sc = json.loads(out)["scores"]
    ev = sc["expected_value_minor"]["value"]
    assert ev is not None and abs(ev - orders[c][0]) <= 1, (c, ev, orders[c])
    assert sc["clv"]["value_minor"] > 0, (c, sc["clv"])
PY
"$BB" fit gammagamma summary.csv --summary --output s.csv >f.txt 2>err.txt || fail "fit: $(cat err.txt)"
grep -q "q <= 1" f.txt || fail "fit text does not say q <= 1: $(cat f.txt)"
"$BB" fit gammagamma summary.csv --summary --json >f.json 2>err.txt || fail "fit --json: $(cat err.txt)"
$PY -c "import json; d = json.load(open('f.json')); assert d['params']['q'] <= 1 and 'q <= 1' in d['note'], d" \
  || fail "fit --json q <= 1 note"
grep -qi "nan\|inf" s.csv && fail "the scores file has NaN or inf: $(grep -i 'nan\|inf' s.csv | head -3)"
(( $(wc -l <s.csv) == 501 )) || fail "the scores file should have 500 rows"

# a repeat buyer whose repeats are all worth 0 is a purchaser, left out of the spend model and counted
cat >z.csv <<'CSV'
order_id,customer_id,ordered_at,amount,currency
1,a,2024-01-01,5,TRY
2,a,2024-02-01,0,TRY
3,a,2024-03-01,0,TRY
4,b,2024-01-05,7,TRY
5,b,2024-01-20,9,TRY
6,d,2024-03-01,10,TRY
7,d,2024-04-01,20,TRY
8,e,2024-02-10,4,TRY
9,f,2024-01-03,6,TRY
10,f,2024-02-13,8,TRY
11,f,2024-03-23,3,TRY
12,g,2024-02-05,-6,TRY
CSV
"$BB" --db z.db import orders z.csv >/dev/null 2>err.txt || fail "import z.csv: $(cat err.txt)"
"$BB" --db z.db analyze --model bgnbd --json >z.json 2>err.txt || fail "analyze z: $(cat err.txt)"
$PY -c "
import json; d = json.load(open('z.json'))['spend']
assert d['customers'] == 3 and d['excluded'] == 2 and d['excluded_zero_value'] == 1, d" || fail "zero-value count: $(cat z.json)"
"$BB" --db z.db analyze --model bgnbd | grep -q "1 whose repeats are all worth 0" || fail "analyze text: zero-value count"
"$BB" --db z.db customers show a --json | $PY -c "
import json, sys; s = json.load(sys.stdin)['scores']; assert s['rfm']['frequency']['value'] == 3, s" \
  || fail "a's zero-value orders should count as purchases"
# g only returned something: it has an order but no purchase, and the 360 view says which
"$BB" --db z.db customers show g | grep -q "Scores: none (no purchase by the as-of time" || fail "g's scores line"

# a grid that names two segments with one key is an error naming them
"$BB" --db z.db rfm --grid >grid.json || fail "rfm --grid"
sed 's/"key": "loyal"/"key": "champions"/' grid.json >dup.json
"$BB" --db z.db analyze --rfm-grid dup.json >/dev/null 2>err.txt; (( $? == 1 )) || fail "a grid with a duplicate key should exit 1"
grep -q 'dup.json: rfm grid: segments 1 and 2 have the same key "champions"' err.txt || fail "duplicate key: $(cat err.txt)"
# a grid saved by a Windows editor (UTF-8 BOM, CRLF) is read; a directory says why it cannot be
sed 's/"Champions"/"Best"/; s/$/\r/' grid.json | { printf '\xef\xbb\xbf'; cat; } >bom.json
"$BB" --db z.db analyze --model bgnbd --rfm-grid bom.json >/dev/null 2>err.txt || fail "a grid with a BOM: $(cat err.txt)"
"$BB" --db z.db rfm --grid | grep -q '"Best"' || fail "the BOM grid was not stored"
"$BB" --db z.db analyze --rfm-grid . >/dev/null 2>err.txt; (( $? == 1 )) || fail "a directory as grid should exit 1"
grep -q "cannot read: Is a directory" err.txt || fail "a directory as grid: $(cat err.txt)"

# orders that are all returns, and --as-of before the first order: clear errors with the times
printf 'order_id,customer_id,ordered_at,amount,currency\n1,a,2024-01-01,-5,TRY\n2,b,2024-02-01,-7,TRY\n' >ret.csv
"$BB" --db r.db import orders ret.csv >/dev/null 2>err.txt || fail "import ret.csv: $(cat err.txt)"
"$BB" --db r.db analyze >/dev/null 2>err.txt; (( $? == 1 )) || fail "analyze of returns only should exit 1"
grep -q "no purchase in TRY on or before 2024-02-01T00:00:00Z: every order by then is a return" err.txt \
  || fail "returns only: $(cat err.txt)"
"$BB" --db r.db analyze --as-of 2023-06-30 >/dev/null 2>err.txt; (( $? == 1 )) || fail "--as-of before the first order"
grep -q "no order on or before the as-of time 2023-06-30T23:59:59Z (the first order is at 2024-01-01T00:00:00Z)" \
  err.txt || fail "--as-of before the first order: $(cat err.txt)"

# orders in several currencies (the first customer's in JPY): analyze values in the currency of most
# orders, leaves the others out
# and counts them (in analyze and when a new order re-scores its customer); amounts in two currencies
# are never added, and rfm / customers top show the run's currency
cat >cu.csv <<'CSV'
order_id,customer_id,ordered_at,amount,currency
0,z,2023-12-01,5,JPY
1,a,2024-01-01,100,USD
2,a,2024-02-01,50,TRY
3,a,2024-03-01,30,USD
4,b,2024-01-05,70,USD
5,b,2024-01-20,90,USD
6,c,2024-02-01,1000,JPY
7,d,2024-03-01,10,USD
8,d,2024-04-01,20,USD
9,e,2024-02-10,40,USD
10,e,2024-03-10,45,USD
CSV
"$BB" --db cu.db import orders cu.csv >/dev/null 2>err.txt || fail "import cu.csv: $(cat err.txt)"
"$BB" --db cu.db analyze --model bgnbd --json >cu.json 2>err.txt || fail "analyze cu: $(cat err.txt)"
$PY -c "
import json; d = json.load(open('cu.json'))
assert d['currency'] == 'USD' and d['other_currency_orders'] == 3 and d['customers'] == 4 and d['orders'] == 8, d" \
  || fail "currencies: $(cat cu.json)"
"$BB" --db cu.db analyze --model bgnbd | grep -q "3 orders in other currencies left out" || fail "analyze text: currencies"
scores() { "$BB" --db cu.db customers show a --json | $PY -c "
import json, sys; s = json.load(sys.stdin)['scores']['rfm']; print(s['frequency']['value'], s['monetary_minor']['value'])"; }
[[ $(scores) == "2 13000" ]] || fail "a's scores add TRY to USD: $(scores)"
printf 'order_id,customer_id,ordered_at,amount,currency\n11,a,2024-04-02,500,TRY\n' >cu2.csv
"$BB" --db cu.db import orders cu2.csv >/dev/null 2>err.txt || fail "import cu2.csv: $(cat err.txt)"
[[ $(scores) == "2 13000" ]] || fail "re-scoring a added a TRY order: $(scores)"
"$BB" --db cu.db rfm --json | $PY -c "import json, sys; assert json.load(sys.stdin)['currency'] == 'USD'" \
  || fail "rfm is not in the run's currency"
"$BB" --db cu.db customers top --json | $PY -c "import json, sys; assert json.load(sys.stdin)['currency'] == 'USD'" \
  || fail "customers top is not in the run's currency"
"$BB" --db cu.db customers show c | grep -q "Scores: none (no purchase" || fail "c (JPY only) has scores"
pass
