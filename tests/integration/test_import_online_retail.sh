#!/bin/bash
# The public UCI Online Retail file (541,909 invoice lines, 2010-12 .. 2011-12) imported as order
# lines with --map. Rows without a CustomerID are rejected with a clear reason (a one-to-one engine
# cannot attribute a purchase to nobody, and one "guest" customer would distort every model);
# cancellations (invoices "C...", negative quantities) are data and are imported. The expected counts
# are computed here with Python's csv module, independently of birebir.
. "$(dirname "$0")/lib.sh"
f=${BB_DATASETS_DIR:-}/baskets/online_retail.csv.gz
[[ -r $f ]] || skip "$f not found (set BB_DATASETS_DIR to the public datasets)"
read -r want_rows want_empty want_lines want_orders want_customers want_skus want_neg < <(python3 - "$f" <<'PY'
import csv, gzip, sys
rows = empty = neg = 0; orders, customers, skus = set(), set(), set()
with gzip.open(sys.argv[1], "rt", encoding="utf-8", newline="") as fh:
    r = csv.reader(fh); next(r)
    for row in r:
        rows += 1
        if row[6].strip() == "":
            empty += 1; continue
        orders.add(row[0]); customers.add(row[6]); skus.add(row[1]); neg += row[3].startswith("-")
print(rows, empty, rows - empty, len(orders), len(customers), len(skus), neg)
PY
)
"$BB" --db r.db init >/dev/null || fail "init"
"$BB" --db r.db import order-lines "$f" --map InvoiceNo=order_id --map StockCode=sku --map Quantity=quantity \
  --map InvoiceDate=ordered_at --map UnitPrice=unit_price --map CustomerID=customer_id --currency GBP \
  --rejects rejects.csv --json >s.json 2>err.txt; rc=$?
[[ $rc == 1 ]] || fail "import exited $rc (rows without a customer are rejected, so 1 is expected): $(tail -3 err.txt)"
python3 - s.json "$want_rows" "$want_empty" "$want_lines" "$want_orders" "$want_customers" "$want_skus" <<'PY' || fail "summary: $(cat s.json)"
import json, sys
d = json.load(open(sys.argv[1])); rows, empty, lines, orders, customers, skus = map(int, sys.argv[2:])
assert d["rows_read"] == rows and d["rejected"] == empty and d["imported"] == lines, d
assert d["orders_created"] == orders and d["customers_created"] == customers and d["products_created"] == skus, d
assert d["ignored_columns"] == "Description, Country", d
PY
grep -q 'online_retail.csv.gz:624: CustomerID (customer_id): is empty (required)' err.txt ||
  fail "no clear reason for a row without a customer: $(head -2 err.txt)"
[[ $(($(wc -l <rejects.csv) - 1)) == "$want_empty" ]] || fail "rejects file has $(wc -l <rejects.csv) lines"
got=$(sqlite3 r.db "SELECT (SELECT count(*) FROM order_line) || ' ' || (SELECT count(*) FROM orders) || ' ' ||
  (SELECT count(*) FROM customer) || ' ' || (SELECT count(*) FROM product) || ' ' ||
  (SELECT count(*) FROM order_line WHERE quantity < 0)")
[[ $got == "$want_lines $want_orders $want_customers $want_skus $want_neg" ]] ||
  fail "lines orders customers products negative-lines = $got, expected $want_lines $want_orders $want_customers $want_skus $want_neg"
# spot check: invoice 536365, 7 lines, customer 17850, 2010-12-01 08:26 (UTC), 139.12 GBP
[[ $(sqlite3 r.db "SELECT amount_minor, currency, ordered_at FROM orders WHERE external_id = '536365'") == '13912|GBP|1291191960' ]] ||
  fail "invoice 536365: $(sqlite3 r.db "SELECT * FROM orders WHERE external_id = '536365'")"
echo "online retail: $want_lines lines, $want_orders invoices, $want_customers customers imported; $want_empty rows without a customer rejected"
pass
