#!/bin/bash
# Real-time scores: after `analyze`, a new order re-scores its customer at once from the stored
# parameters, through an import (after each committed batch) and through POST /api/v1/events (before
# the answer). The new P(alive) is checked against the BG/NBD formula of Fader, Hardie & Lee (2005)
# with the stored parameters: right after a purchase it is 1 / (1 + a / (b + x - 1)).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
PY=/usr/bin/python3
$PY - <<'PY' || fail "could not write orders"
import random
random.seed(5)
with open("orders.csv", "w") as f:
    f.write("order_id,customer_id,ordered_at,amount,currency\n")
    n = 0
    for c in range(300):
        k = random.randint(1, 8)
        days = sorted(random.sample(range(0, 600), k))
        for d in days:
            n += 1
            f.write(f"O{n},C{c:03d},2024-{1 + d // 60:02d}-{1 + d % 28:02d},{random.randint(100, 900)}.00,TRY\n")
PY
"$BB" --db "$DB" import orders orders.csv >/dev/null 2>err.txt || fail "import: $(cat err.txt)"
"$BB" --db "$DB" analyze --model bgnbd --json >a.json 2>err.txt || fail "analyze: $(cat err.txt)"
score() { "$BB" --db "$DB" customers show "$1" --json | jq -c "$2"; }
check_after_purchase() { # customer: frequency went up by one, p_alive is BG/NBD's value right after a purchase
  local c=$1 before=$2 after=$3
  $PY - "$before" "$after" <<'PY' || fail "$c's scores after a new order: before $before after $after"
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
p = json.load(open("a.json"))["purchase"]["params"]
assert a["f"] == b["f"] + 1, (a, b)
assert a["x"] is not None and a["rec"] == 0, a
x = a["x"]
want = 1 / (1 + p["a"] / (p["b"] + x - 1))
assert abs(a["p"] - want) < 1e-9, (a["p"], want)
assert a["clv"] != b["clv"], "CLV did not change"
PY
}
q='{f: .scores.rfm.frequency.value, rec: .scores.rfm.recency_days.value, p: .scores.p_alive.value, clv: .scores.clv.value_minor, x: .order_summary.count}'
# x of the model is the repeat occasions: count the distinct order times instead of trusting the store
xq() { "$BB" --db "$DB" customers show "$1" --json | jq '[.orders[].ordered_at] | unique | length - 1'; }

# ---- import: a later order for C007 ----
before=$(score C007 "$q")
printf 'order_id,customer_id,ordered_at,amount,currency\nNEW1,C007,2026-01-15,450.00,TRY\n' >new.csv
"$BB" --db "$DB" import orders new.csv >/dev/null 2>err.txt || fail "import new order: $(cat err.txt)"
after=$(score C007 "$q" | jq -c --argjson x "$(xq C007)" '.x = $x')
check_after_purchase C007 "$before" "$after"
# importing the same file again changes nothing
again=$(score C007 "$q" | jq -c --argjson x "$(xq C007)" '.x = $x')
"$BB" --db "$DB" import orders new.csv >/dev/null 2>&1 || fail "re-import"
[[ $(score C007 "$q" | jq -c --argjson x "$(xq C007)" '.x = $x') == "$again" ]] || fail "a re-import moved the scores"

# ---- events: an order for C011 through the API ----
tok=$("$BB" --db "$DB" tokens create --name t --role admin 2>/dev/null | tail -1 | tr -d '[:space:]')
before=$(score C011 "$q")
srv_start
ev='{"type":"order","event_id":"rt-1","customer_id":"C011","order_id":"EV1","ordered_at":"2026-02-01T10:00:00Z","amount":"300.00","currency":"TRY"}'
code=$(st -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d "$ev" "$U/events")
[[ $code == 200 || $code == 201 || $code == 202 ]] || fail "POST /events gave $code: $(cat body.json)"
code=$(st -H "Authorization: Bearer $tok" "$U/customers/C011")
[[ $code == 200 ]] || fail "GET the 360 view gave $code"
after=$(jq -c "$q" body.json | jq -c --argjson x "$(jq '[.orders[].ordered_at] | unique | length - 1' body.json)" '.x = $x')
check_after_purchase C011 "$before" "$after"
srv_stop
pass
