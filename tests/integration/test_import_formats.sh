#!/bin/bash
# birebir import reads real files: gzip, standard input, --map, --locale tr (the acceptance test's
# tr.csv), Windows-1254 from Turkish Excel, a UTF-8 BOM, UTF-16 (Excel "Unicode text"), quoted
# multi-line fields; customers' extra columns become attributes and id:<kind> identifiers; an order
# for an unknown customer creates a bare one, and the summary says so.
. "$(dirname "$0")/lib.sh"
q() { sqlite3 i.db "$1"; }
"$BB" --db i.db init >/dev/null || fail "init"

# Windows-1254, ';'-separated, CRLF, as Turkish Excel saves "CSV": ş ğ ı İ ö ü ç
printf 'customer_id;first_name;last_name;email;city;Segment;id:web\r\n1;Ay\xfee;I\xdeIK;ayse@example.com;\xddSTANBUL;alt\xfdn;w-1\r\n2;\xc7a\xf0r\xfd;\xd6zt\xfcrk;cagri@example.com;\xdczm\xfcr;;\r\n' >cust.csv
"$BB" --db i.db import customers cust.csv >out.txt 2>&1 || fail "Windows-1254 import exited $?: $(cat out.txt)"
grep -q 'Windows-1254' out.txt || fail "the summary does not name the encoding: $(cat out.txt)"
[[ $(q "SELECT first_name || ' ' || last_name || ' ' || city FROM customer WHERE external_id = '1'") == 'Ayşe IŞIK İSTANBUL' ]] ||
  fail "Windows-1254 letters: $(q "SELECT first_name, last_name, city FROM customer")"
[[ $(q "SELECT first_name || ' ' || last_name || ' ' || city FROM customer WHERE external_id = '2'") == 'Çağrı Öztürk Üzmür' ]] ||
  fail "Windows-1254 letters: $(q "SELECT first_name, last_name, city FROM customer")"
[[ $(q "SELECT json_extract(attributes, '$.Segment') FROM customer WHERE external_id = '1'") == 'altın' ]] ||
  fail "custom attribute: $(q "SELECT attributes FROM customer")"
[[ $(q "SELECT count(*) FROM customer_identifier WHERE kind = 'web' AND value = 'w-1'") == 1 ]] ||
  fail "id:web identifier: $(q "SELECT * FROM customer_identifier")"

# the acceptance test's Turkish orders
printf 'order_id;customer_id;ordered_at;amount;currency\nT1;1;23.11.2025;1.234,56;TRY\nT2;2;01.12.2025 14:05;7,50;TRY\n' >tr.csv
"$BB" --db i.db import orders tr.csv --locale tr >out.txt 2>&1 || fail "--locale tr exited $?: $(cat out.txt)"
[[ $(q "SELECT amount_minor, ordered_at FROM orders WHERE external_id = 'T1'") == '123456|1763845200' ]] ||
  fail "T1: $(q "SELECT * FROM orders WHERE external_id = 'T1'")"
[[ $(q "SELECT amount_minor, ordered_at FROM orders WHERE external_id = 'T2'") == '750|1764587100' ]] ||
  fail "T2: $(q "SELECT * FROM orders WHERE external_id = 'T2'")"
"$BB" --db i.db import orders tr.csv --locale tr --utc-offset +00:00 --rejects r.csv >/dev/null 2>&1
[[ $(q "SELECT ordered_at FROM orders WHERE external_id = 'T2'") == 1764597900 ]] || fail "--utc-offset ignored"

# gzip and standard input, with --map, a BOM, and an unknown customer
printf '\xef\xbb\xbfFatura,M\xc3\xbc\xc5\x9fteri,Tarih,Tutar\nG1,1,2025-01-05T10:00:00+03:00,10\nG2,99,2025-01-06,"1,000.50"\n' >g.csv
gzip -k g.csv
"$BB" --db i.db import orders g.csv.gz --map Fatura=order_id --map Müşteri=customer_id --map tarih=ordered_at \
  --map TUTAR=amount >out.txt 2>&1 || fail "gzip import exited $?: $(cat out.txt)"
grep -qE '^  created +1 bare customers, 0 products, 0 orders$' out.txt || fail "bare customer not reported: $(cat out.txt)"
[[ $(q "SELECT amount_minor, ordered_at FROM orders WHERE external_id = 'G2'") == '100050|1736121600' ]] ||
  fail "G2: $(q "SELECT * FROM orders WHERE external_id = 'G2'")"
[[ $(q "SELECT count(*) FROM customer WHERE external_id = '99'") == 1 ]] || fail "no bare customer 99"
sed 's/G1/S1/; s/G2/S2/' g.csv | "$BB" --db i.db import orders - --map Fatura=order_id --map Müşteri=customer_id \
  --map tarih=ordered_at --map TUTAR=amount --json >s.json 2>/dev/null || fail "stdin import exited $?"
grep -q '"imported": 2' s.json || fail "stdin: $(cat s.json)"
[[ $(q "SELECT count(*) FROM orders WHERE external_id IN ('S1', 'S2')") == 2 ]] || fail "stdin rows missing"

# UTF-16LE with a BOM, tab-separated (Excel "Unicode text"), a quoted multi-line field
printf 'customer_id\tfirst_name\tnote\r\n3\tŞule\t"two\r\nlines"\r\n' | iconv -f UTF-8 -t UTF-16LE | { printf '\xff\xfe'; cat; } >u16.txt
"$BB" --db i.db import customers u16.txt >out.txt 2>&1 || fail "UTF-16 import exited $?: $(cat out.txt)"
[[ $(q "SELECT first_name FROM customer WHERE external_id = '3'") == 'Şule' ]] || fail "UTF-16 name"
[[ $(q "SELECT json_extract(attributes, '$.note') FROM customer WHERE external_id = '3'") == $'two\r\nlines' ]] ||
  fail "multi-line field: $(q "SELECT attributes FROM customer WHERE external_id = '3'")"

# every other kind, with its canonical columns
printf 'sku,name,category,price,cost\nP1,Çay,İçecek,12.90,8\n' >p.csv
printf 'customer_id,occurred_at,channel,direction,kind,subject,body\n1,2025-01-05 10:00,email,out,campaign,Merhaba,"Hi, there"\n' >x.csv
printf 'customer_id,channel,status,source,recorded_at\n1,sms,granted,web,2025-01-05\n1,sms,revoked,web,2025-02-05\n' >k.csv
printf 'customer_id,survey,score,comment,responded_at\n1,nps,9,iyi,2025-01-05\n' >n.csv
printf 'order_id,customer_id,ordered_at,sku,quantity,unit_price\nL1,1,2025-01-05,P1,2,12.90\nL1,1,2025-01-05,P2,-1,5\n' >l.csv
for kf in products:p.csv interactions:x.csv consents:k.csv survey-responses:n.csv order-lines:l.csv; do
  "$BB" --db i.db import "${kf%%:*}" "${kf#*:}" >out.txt 2>&1 || fail "import ${kf%%:*} exited $?: $(cat out.txt)"
done
[[ $(q "SELECT price_minor, cost_minor FROM product WHERE sku = 'P1'") == '1290|800' ]] || fail "product"
[[ $(q "SELECT count(*) FROM interaction") == 1 && $(q "SELECT count(*) FROM consent") == 2 ]] || fail "interaction/consent"
[[ $(q "SELECT score FROM survey_response") == 9 ]] || fail "survey"
[[ $(q "SELECT amount_minor FROM orders WHERE external_id = 'L1'") == $((2 * 1290 - 500)) ]] || fail "order from lines"
pass
