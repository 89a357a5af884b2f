#!/bin/bash
# birebir status: text and JSON, counts of each entity, a missing database is bad input.
. "$(dirname "$0")/lib.sh"
"$BB" --db nope.db status >out.txt 2>&1; rc=$?
[[ $rc == 1 ]] || fail "status of a missing database exited $rc, expected 1"
grep -q "birebir init" out.txt || fail "no hint to run init: $(cat out.txt)"
"$BB" --db s.db init >/dev/null || fail "init exited $?"
sqlite3 s.db "INSERT INTO customer (external_id, created_at, updated_at) VALUES ('1', 0, 0), ('2', 0, 0);
  INSERT INTO customer (external_id, merged_into, created_at, updated_at) VALUES ('3', 1, 0, 0);
  INSERT INTO product (sku, created_at, updated_at) VALUES ('P', 0, 0);
  INSERT INTO orders (external_id, customer_id, ordered_at, amount_minor, currency, created_at, updated_at)
    VALUES ('O1', 1, 0, 100, 'TRY', 0, 0);
  INSERT INTO order_line (order_id, line_no, customer_id, product_id, quantity, unit_price_minor)
    VALUES (1, 1, 1, 1, 1, 100), (1, 2, 1, 1, 1, 100);" || fail "fixture"
"$BB" --db s.db status --json >st.json || fail "status --json exited $?"
migrations=$(ls "${BB_SOURCE_DIR:?}"/src/store/schema/*.sql | wc -l)
python3 - st.json "$migrations" <<'PY' || fail "status --json is wrong: $(cat st.json)"
import json, sys
d = json.load(open(sys.argv[1]))
want = {"customers": 2, "products": 1, "orders": 1, "order_lines": 2, "interactions": 0,
        "consents": 0, "survey_responses": 0, "schema_version": int(sys.argv[2]), "path": "s.db"}
for k, v in want.items():
    assert d[k] == v, (k, d[k], v)
assert d["size_bytes"] > 0
PY
"$BB" --db s.db status >st.txt || fail "status exited $?"
grep -qE '^customers +2$' st.txt || fail "text status lacks the customer count: $(cat st.txt)"
grep -qE '^order lines +2$' st.txt || fail "text status lacks the line count"
"$BB" --db s.db status --bogus >/dev/null 2>&1; rc=$?
[[ $rc == 2 ]] || fail "unknown option exited $rc, expected 2"
"$BB" --db s.db status --help | grep -q Usage || fail "no --help"
pass
