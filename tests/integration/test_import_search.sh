#!/bin/bash
# The search finds what an import made, right after it: bare customers made by order lines (by their
# external id), then the same customers named by a customers import and new named ones (by name,
# Turkish folding), and each search's hits are exactly the customers whose folded names, city and id
# hold every word of the query, worked out from the files.
. "$(dirname "$0")/lib.sh"
"$BB" --db s.db init >/dev/null || fail "init"
printf 'order_id,customer_id,ordered_at,sku,quantity,unit_price\n' >lines.csv
awk 'BEGIN { srand(7); for (o = 1; o <= 3000; o++) { c = 1 + int(rand() * 900)
  for (l = 0; l < 1 + o % 3; l++) printf "O%d,K%04d,2025-03-01 12:00,P%d,1,9.50\n", o, c, l }
}' >>lines.csv
"$BB" --db s.db import order-lines lines.csv >out.txt 2>&1 || fail "import order-lines: $(cat out.txt)"
made=$(sqlite3 s.db "SELECT count(*) FROM customer")
want=$(tail -n +2 lines.csv | cut -d, -f2 | sort -u | wc -l)
[[ $made == "$want" ]] || fail "$made customers made, the file names $want"
# every order and line of the file, each order with its customer and the sum of its lines (more lines
# than the store's line buffer: orders are written in several flushes, some after their lines)
got=$(sqlite3 s.db "SELECT o.external_id, c.external_id, o.amount_minor, count(l.line_no) FROM orders o
  JOIN customer c ON c.id = o.customer_id JOIN order_line l ON l.order_id = o.id GROUP BY o.id ORDER BY o.external_id" | md5sum)
want=$(python3 -c '
import csv, collections
o = collections.OrderedDict()
for r in csv.DictReader(open("lines.csv")):
    c, amt, n = o.get(r["order_id"], (r["customer_id"], 0, 0))
    o[r["order_id"]] = (c, amt + round(float(r["quantity"]) * float(r["unit_price"]) * 100), n + 1)
for k in sorted(o):
    print("%s|%s|%d|%d" % (k, o[k][0], o[k][1], o[k][2]))' | md5sum)
[[ $got == "$want" ]] || fail "orders and lines differ from the file"
for k in K0001 K0450 K0899 $(tail -n +2 lines.csv | cut -d, -f2 | sort -u | tail -1); do
  if ! grep -q ",$k," lines.csv; then continue; fi
  "$BB" --db s.db customers search "$k" --json >q.json || fail "search $k exited $?"
  n=$(python3 -c 'import json,sys; d=json.load(open("q.json")); print(sum(c["id"] == sys.argv[1] for c in d["customers"]))' "$k")
  [[ $n == 1 ]] || fail "search $k right after the import: $(cat q.json)"
done

# names for half of them, and new named customers, in one customers import
printf 'customer_id,first_name,last_name,city\n' >customers.csv
awk 'BEGIN { split("Işık Çelik Öztürk Şahin Yılmaz", L, " ")
  for (i = 1; i <= 900; i += 2) printf "K%04d,Ayşe,%s,İstanbul\n", i, L[1 + i % 5]
  for (i = 1; i <= 50; i++) printf "N%d,Gül,Şimşek,İzmir\n", i }' >>customers.csv
"$BB" --db s.db import customers customers.csv >out.txt 2>&1 || fail "import customers: $(cat out.txt)"
for q in isik ışık ÇELİK simsek izmir "ayse ozturk"; do
  "$BB" --db s.db customers search "$q" --limit 1000 --json >q.json || fail "search $q exited $?"
  got=$(python3 -c 'import json; print(" ".join(sorted(c["id"] for c in json.load(open("q.json"))["customers"])))')
  # the definition, from the files: every word of the query, folded with Turkish rules, in the
  # customer's folded names, city and id
  want=$(python3 - "$q" <<'EOF'
import csv, sys
def fold(s):
    s = s.replace("I", "ı").replace("İ", "i").lower()
    for a, b in zip("çğıöşüâîû", "cgiosuaiu"):
        s = s.replace(a, b)
    return s
text = {r["customer_id"]: r["customer_id"] for r in csv.DictReader(open("lines.csv"))}
for r in csv.DictReader(open("customers.csv")):
    text[r["customer_id"]] = " ".join([r["first_name"], r["last_name"], r["city"], r["customer_id"]])
words = fold(sys.argv[1]).split()
print(" ".join(sorted(k for k, t in text.items() if all(w in fold(t) for w in words))))
EOF
)
  [[ -n $got && $got == "$want" ]] || fail "search '$q': got [$got], the definition gives [$want]"
done
pass
