#!/bin/bash
# birebir fit on files found by trying to break it: rows with a negative amount are returns, left out
# and counted (the fit is the fit of the file without them, as analyze does); a file of returns only is
# a clear error; summary files with scientific notation (1e-05) read; --locale tr reads a Turkish export (BOM, CRLF, ';', 1.234,56, 23.11.2025) to the same fit
# as the same data written the ISO way; an unknown locale is a usage error.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c "import json" 2>/dev/null || skip "python3 is not installed"
$PY - <<'PY' || fail "could not write the files"
import random, datetime as dt
random.seed(7)
rows = []
for c in range(300):
    d0 = random.randint(0, 200)
    for j in range(random.randint(1, 6)):
        rows.append((f"c{c}", dt.date(2024, 1, 1) + dt.timedelta(days=d0 + 17 * j + random.randint(0, 9)),
                     round(random.uniform(5, 3000), 2)))
with open("en.csv", "w") as f, open("ret.csv", "w") as g:
    f.write("customer_id,date,amount\n")
    g.write("customer_id,date,amount\n")
    for i, (c, d, a) in enumerate(rows):
        f.write(f"{c},{d},{a:.2f}\n")
        g.write(f"{c},{d},{a:.2f}\n")
        if i % 7 == 3:
            g.write(f"{c},{d + dt.timedelta(days=2)},-{a:.2f}\n")   # a return two days later
with open("tr.csv", "wb") as f:
    f.write("\ufeffcustomer_id;date;amount\r\n".encode())
    for c, d, a in rows:
        whole, frac = f"{a:.2f}".split(".")
        whole = f"{int(whole):,}".replace(",", ".")
        f.write(f"{c};{d.day:02d}.{d.month:02d}.{d.year};{whole},{frac}\r\n".encode())
PY
returns=$(grep -c ',-' ret.csv)
for m in bgnbd gammagamma; do
  "$BB" fit $m en.csv --json >en.$m.json 2>err.txt || fail "fit $m en.csv: $(cat err.txt)"
  "$BB" fit $m ret.csv --json >ret.$m.json 2>err.txt || fail "fit $m ret.csv: $(cat err.txt)"
  "$BB" fit $m tr.csv --locale tr --json >tr.$m.json 2>err.txt || fail "fit $m tr.csv --locale tr: $(cat err.txt)"
  $PY - $m $returns <<'PY' || fail "fit $m: returns or the tr locale change the fit"
import json, sys
m, returns = sys.argv[1], int(sys.argv[2])
en, ret, tr = (json.load(open(f"{k}.{m}.json")) for k in ("en", "ret", "tr"))
assert ret["returns"] == returns and en["returns"] == 0 and tr["returns"] == 0, (ret["returns"], returns)
for other in (ret, tr):
    assert other["customers"] == en["customers"], (other["customers"], en["customers"])
    for k, v in en["params"].items():
        assert abs(other["params"][k] - v) <= 1e-9 * abs(v), (k, other["params"][k], v)
PY
done
"$BB" fit gammagamma ret.csv | grep -q "$returns returns (rows with a negative amount) left out" \
  || fail "the text report does not count the returns"
printf 'customer_id,date,amount\nc1,2025-01-01,-3\nc2,2025-01-02,-4\n' >allret.csv
"$BB" fit bgnbd allret.csv >/dev/null 2>err.txt; (( $? == 1 )) || fail "a file of returns only should exit 1"
grep -q "allret.csv: has no purchases, only 2 returns" err.txt || fail "returns only: $(cat err.txt)"
"$BB" fit gammagamma tr.csv >/dev/null 2>err.txt; (( $? == 1 )) || fail "tr.csv without --locale should exit 1"
grep -q 'tr.csv:2: column "date"' err.txt || fail "tr.csv without --locale: $(cat err.txt)"
"$BB" fit bgnbd en.csv --locale xx >/dev/null 2>err.txt; (( $? == 2 )) || fail "--locale xx should exit 2"
"$BB" fit --help | grep -q -- "--locale" || fail "fit --help does not list --locale"

# nobody in en.csv bought 6 or more times by mid-2024: those holdout groups have no mean (null, not 0)
"$BB" fit bgnbd en.csv --calibration-end 2024-05-31 --holdout-end 2024-12-31 --json >h.json 2>err.txt \
  || fail "fit with a holdout: $(cat err.txt)"
$PY - <<'PY' || fail "holdout groups without customers"
import json, csv, datetime as dt
by = json.load(open("h.json"))["holdout"]["by_calibration_purchases"]
days = {}
for r in csv.DictReader(open("en.csv")):
    if r["date"] <= "2024-05-31":
        days.setdefault(r["customer_id"], set()).add(r["date"])
counts = [0] * 8
for d in days.values():
    counts[min(len(d) - 1, 7)] += 1
assert [b["customers"] for b in by] == counts, ([b["customers"] for b in by], counts)
assert any(c == 0 for c in counts), counts
for b, c in zip(by, counts):
    if c == 0:
        assert b["actual_mean"] is None and b["predicted_mean"] is None, b
    else:
        assert isinstance(b["actual_mean"], float) and isinstance(b["predicted_mean"], float), b
PY

# summary files as pandas writes them: small and large floats in scientific notation (1e-05) are
# numbers, read as the same values written out in full
$PY - <<'PY' || fail "could not write the summary files"
import random
random.seed(9)
rows = []
for i in range(200):
    f = random.randint(0, 6)
    T = random.uniform(10, 60)
    r = random.uniform(0, T) if f else 0.0
    m = random.choice([random.uniform(1e-6, 9e-5), random.uniform(1, 100)]) if f else 0.0
    rows.append((f"c{i}", f, r, T, m))
with open("sci.csv", "w") as a, open("plain.csv", "w") as b:
    for f_ in (a, b):
        f_.write("customer_id,frequency,recency,T,monetary_value\n")
    for c, f, r, T, m in rows:
        a.write(f"{c},{f},{r!r},{T!r},{m!r}\n")                 # repr: 1.5e-05
        b.write(f"{c},{f},{r:.17f},{T:.17f},{m:.25f}\n")        # the same values in full
PY
grep -q 'e-0' sci.csv || fail "sci.csv has no scientific notation"
"$BB" fit gammagamma sci.csv --summary --json >sci.json 2>err.txt || fail "fit sci.csv: $(cat err.txt)"
"$BB" fit gammagamma plain.csv --summary --json >plain.json 2>err.txt || fail "fit plain.csv: $(cat err.txt)"
$PY -c "
import json; a, b = json.load(open('sci.json')), json.load(open('plain.json'))
assert a['customers'] == b['customers'] and a['params'] == b['params'], (a, b)" || fail "scientific notation changes the fit"
printf 'customer_id,frequency,recency,T,monetary_value\nc1,2,5,10,1e999\n' >big.csv
"$BB" fit gammagamma big.csv --summary >/dev/null 2>err.txt; (( $? == 1 )) || fail "1e999 should exit 1"
grep -q 'big.csv:2: column "monetary_value": is out of range' err.txt || fail "1e999: $(cat err.txt)"
printf 'customer_id,frequency,recency,T\nc1,1000000000000,5,10\n' >many.csv
"$BB" fit bgnbd many.csv --summary >/dev/null 2>err.txt; (( $? == 1 )) || fail "frequency 1e12 should exit 1"
grep -q 'many.csv:2: column "frequency": is not a whole number from 0 to 100000000' err.txt \
  || fail "frequency 1e12: $(cat err.txt)"
pass
