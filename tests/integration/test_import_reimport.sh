#!/bin/bash
# Importing the same files again changes nothing: every kind reports 0 imported and 0 updated, and
# the status counts and a full dump of the database are identical before and after.
. "$(dirname "$0")/lib.sh"
"$BB" --db i.db init >/dev/null || fail "init"
printf 'customer_id,first_name,last_name,email,phone,city,birth_date,gender,created_at,tier\n' >customers.csv
printf 'sku,name,category,price,cost\n' >products.csv
printf 'order_id,customer_id,ordered_at,amount,currency,channel\n' >orders.csv
printf 'order_id,customer_id,ordered_at,sku,quantity,unit_price\n' >lines.csv
printf 'customer_id,occurred_at,channel,direction,kind,subject,body\n' >interactions.csv
printf 'customer_id,channel,status,source,recorded_at\n' >consents.csv
printf 'customer_id,survey,score,comment,responded_at\n' >surveys.csv
awk 'BEGIN {
  for (i = 1; i <= 300; i++) {
    printf "C%d,Ad%d,Soyad%d,c%d@example.com,+90 532 000 %04d,Şehir%d,1980-01-%02d,%s,2024-01-01 10:00,%s\n", i, i, i, i, i, i % 7, 1 + i % 28, i % 2 ? "K" : "E", i % 3 ? "gold" : "" >> "customers.csv"
    printf "C%d,2025-01-%02d 09:00,email,out,campaign,\"Merhaba, %d\",body %d\n", i, 1 + i % 28, i, i >> "interactions.csv"
    printf "C%d,sms,granted,web,2024-06-01\nC%d,email,%s,store,2024-07-01\n", i, i, i % 4 ? "granted" : "revoked" >> "consents.csv"
    printf "C%d,nps,%d,yorum %d,2025-02-01\n", i, i % 11, i >> "surveys.csv" }
  for (p = 1; p <= 50; p++) printf "P%d,Ürün %d,Kat%d,%d.%02d,%d\n", p, p, p % 5, 10 + p, p % 100, 5 + p >> "products.csv"
  for (o = 1; o <= 400; o++) {
    printf "O%d,C%d,2025-03-%02d 12:00,%d.50,TRY,web\n", o, 1 + o % 300, 1 + o % 28, o >> "orders.csv"
    for (l = 0; l < 1 + o % 4; l++) printf "L%d,C%d,2025-04-%02d,P%d,%d,%d.25\n", o, 1 + o % 300, 1 + o % 28, 1 + (o + l) % 50, 1 + l, 3 + l >> "lines.csv" }
}'
kinds="customers:customers.csv products:products.csv orders:orders.csv order-lines:lines.csv interactions:interactions.csv consents:consents.csv survey-responses:surveys.csv"
for kf in $kinds; do
  "$BB" --db i.db import "${kf%%:*}" "${kf#*:}" >out.txt 2>&1 || fail "first import of ${kf%%:*} exited $?: $(cat out.txt)"
done
"$BB" --db i.db status --json | grep -v -E '"size_bytes"' >status1.json
sqlite3 i.db .dump | grep -v "^INSERT INTO audit_log" >dump1.sql # the audit log records each import
grep -q '"order_lines": 1000' status1.json || fail "unexpected counts: $(cat status1.json)"
for kf in $kinds; do
  "$BB" --db i.db import "${kf%%:*}" "${kf#*:}" --json >s.json 2>&1 || fail "re-import of ${kf%%:*} exited $?"
  python3 - s.json "${kf%%:*}" <<'PY' || fail "re-import of ${kf%%:*} changed something: $(cat s.json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["imported"] == 0 and d["updated"] == 0 and d["rejected"] == 0, d
assert d["unchanged"] == d["rows_read"] > 0, d
assert d["customers_created"] == d["products_created"] == d["orders_created"] == 0, d
PY
done
"$BB" --db i.db status --json | grep -v -E '"size_bytes"' >status2.json
sqlite3 i.db .dump | grep -v "^INSERT INTO audit_log" >dump2.sql # the audit log records each import
diff status1.json status2.json >/dev/null || fail "status changed: $(diff status1.json status2.json)"
diff dump1.sql dump2.sql >/dev/null || fail "the database changed: $(diff dump1.sql dump2.sql | head -5)"
pass
