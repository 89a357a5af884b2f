#!/bin/bash
# birebir export writes the canonical columns so an export imports back unchanged: every kind is
# exported from one database, imported into a fresh one, and exported again byte for byte the same;
# importing the export into the first database changes nothing; JSON holds the same rows.
. "$(dirname "$0")/lib.sh"
kinds="customers products orders order-lines interactions consents survey-responses"
"$BB" --db a.db init >/dev/null || fail "init"
cat >customers.csv <<'CSV'
customer_id,first_name,last_name,email,phone,city,birth_date,gender,created_at,Segment,Not,id:web,id:card
1,Ayşe,IŞIK,ayse@example.com,0532 123 45 67,İSTANBUL,1990-03-07,K,2024-01-02 10:00,gold,"virgül, ""tırnak""
ve satır",w-1,card-1
2,Çağrı,Öztürk,,,İzmir,,,,,,,
3, Can ,,can@example.com,,,,,2024-05-06T07:08:09Z,silver,,w-3,
CSV
printf 'customer_id,id:card\n1,card-2\n' >cards.csv
printf 'sku,name,category,price,cost,currency\nP1,Çay,İçecek,12.90,8,TRY\nP2,"Kahve, Türk",İçecek,45,,TRY\nJ1,Matcha,Tea,1200,700,JPY\nK1,Dates,Food,1.250,,KWD\n' >products.csv
printf 'order_id,customer_id,ordered_at,amount,currency,channel\nO1,1,2025-01-05 10:00,120.50,TRY,web\nO2,2,2025-02-01,-15.00,TRY,store\nO3,9,2025-03-01,7,JPY,\n' >orders.csv
printf 'order_id,customer_id,ordered_at,sku,quantity,unit_price,currency\nL1,1,2025-04-01 12:00,P1,2,12.90,TRY\nL1,1,2025-04-01 12:00,P2,0.5,45,TRY\nL1,1,2025-04-01 12:00,P1,-1,12.90,TRY\nL2,3,2025-04-02,NEW,3,0.1,TRY\n' >lines.csv
printf 'customer_id,occurred_at,channel,direction,kind,subject,body\n1,2025-01-05 09:00,email,out,campaign,"Merhaba, Ayşe","Satır 1\nSatır 2"\n2,2025-01-06,call,in,complaint,,\n' >interactions.csv
printf 'customer_id,channel,status,source,recorded_at\n1,sms,granted,web,2024-06-01\n1,sms,revoked,web,2024-07-01\n3,email,granted,,2024-06-01\n' >consents.csv
printf 'customer_id,survey,score,comment,responded_at\n1,nps,9,"çok iyi",2025-02-01\n2,csat,2,,2025-02-02 10:30\n' >surveys.csv
for kf in customers:customers.csv customers:cards.csv products:products.csv orders:orders.csv order-lines:lines.csv \
          interactions:interactions.csv consents:consents.csv survey-responses:surveys.csv; do
  "$BB" --db a.db import "${kf%%:*}" "${kf#*:}" >out.txt 2>&1 || fail "import ${kf#*:} exited $?: $(cat out.txt)"
done
mkdir e1 e2
for k in $kinds; do
  "$BB" --db a.db export "$k" "e1/$k.csv" 2>/dev/null || fail "export $k exited $?"
done
grep -q '^1,,,,,,,,,,,card-2,$' e1/customers.csv || fail "second card not on a row of its own: $(cat e1/customers.csv)"
grep -q '"virgül, ""tırnak""' e1/customers.csv || fail "quoted attribute lost: $(cat e1/customers.csv)"
grep -q '^K1,Dates,Food,1.250,,KWD$' e1/products.csv || fail "KWD price not in 3 digits: $(cat e1/products.csv)"
grep -q '^L1,1,2025-04-01T12:00:00Z,P2,0.5,45.00,TRY,2$' e1/order-lines.csv || fail "order line: $(cat e1/order-lines.csv)"
# into a fresh database, then out again: the same bytes
"$BB" --db b.db init >/dev/null
for k in $kinds; do
  "$BB" --db b.db import "$k" "e1/$k.csv" >out.txt 2>&1 || fail "importing the export of $k exited $?: $(cat out.txt)"
done
for k in $kinds; do
  "$BB" --db b.db export "$k" >"e2/$k.csv" || fail "second export of $k exited $?"
  diff "e1/$k.csv" "e2/$k.csv" >/dev/null || fail "$k changed on the way round: $(diff "e1/$k.csv" "e2/$k.csv" | head -6)"
done
a=$("$BB" --db a.db status --json | grep -v -E '"(path|size_bytes)"')
b=$("$BB" --db b.db status --json | grep -v -E '"(path|size_bytes)"')
[[ $a == "$b" ]] || fail "counts differ: $a vs $b"
# the export imported into its own database changes nothing
# the data, not the audit log (each import is recorded there, test_cli_audit.sh)
sqlite3 a.db .dump | grep -v "^INSERT INTO audit_log" >dump1.sql
for k in $kinds; do
  "$BB" --db a.db import "$k" "e1/$k.csv" --json >s.json 2>&1 || fail "re-import of $k exited $?"
  grep -q '"imported": 0' s.json && grep -q '"updated": 0' s.json || fail "re-import of $k changed rows: $(cat s.json)"
done
sqlite3 a.db .dump | grep -v "^INSERT INTO audit_log" >dump2.sql
diff dump1.sql dump2.sql >/dev/null || fail "re-importing the export changed the database"
# JSON: the same rows, valid JSON, exact numbers
for k in $kinds; do
  "$BB" --db a.db export "$k" --format json >"e1/$k.json" || fail "JSON export of $k exited $?"
done
python3 - e1 <<'PY' || fail "JSON export"
import csv, json, sys
d = sys.argv[1]
for k in ["customers", "products", "orders", "order-lines", "interactions", "consents", "survey-responses"]:
    rows = json.load(open(f"{d}/{k}.json"))
    recs = list(csv.DictReader(open(f"{d}/{k}.csv", newline="")))
    if k == "customers":
        recs = [r for r in recs if r["first_name"] or r["created_at"]]  # rows of extra identifiers
        one = next(r for r in rows if r["customer_id"] == "1")
        assert one["attributes"]["Segment"] == "gold" and len(one["identifiers"]) == 3, one
    assert len(rows) == len(recs), (k, len(rows), len(recs))
    for j, c in zip(rows, recs):
        for key, v in j.items():
            if key in c:
                assert str(v) == c[key] or float(v) == float(c[key]), (k, key, v, c[key])
line = json.load(open(f"{d}/order-lines.json"))[1]
assert line["quantity"] == 0.5 and line["unit_price"] == 45 and line["line_no"] == 2, line
PY
"$BB" --db a.db export bogus >/dev/null 2>&1; [[ $? == 2 ]] || fail "unknown kind is not a usage error"
"$BB" --db a.db export orders --format xml >/dev/null 2>&1; [[ $? == 2 ]] || fail "unknown format is not a usage error"
"$BB" --db nope.db export orders >/dev/null 2>&1; [[ $? == 1 ]] || fail "a missing database is not exit 1"
"$BB" --db a.db export orders /nonexistent/dir/x.csv >/dev/null 2>&1; [[ $? == 1 ]] || fail "unwritable FILE is not exit 1"
pass
