#!/bin/bash
# GET /api/v1/customers?sort=last_order stays right after each kind of write while the server runs:
# order events (a new latest purchase, a return later than everything, an order re-sent moved to another
# customer), an import of orders (bulk mode), a merge by the CLI. After each, the whole list (and a
# segment's) is walked and compared with the order computed here by SQL from the orders table (latest
# (ordered_at, id) among amounts >= 0, then those without by the Turkish sort key).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
command -v sqlite3 >/dev/null || skip "the sqlite3 shell is needed"
"$BB" --db "$DB" demo --customers 400 >/dev/null || fail "demo exited $?"
A=$(tok analyst)
I=$(tok admin adm)
srv_start --rate-limit 0
q() { sqlite3 "$DB" "$1"; }

check() { # $1: what was just done
  python3 - "$DB" "$U" "$A" "$1" "$HERE" <<'PY' || fail "the list by latest purchase is wrong after: $1"
import json, sqlite3, sys, urllib.parse, urllib.request
sys.path.insert(0, sys.argv[5])
from customer_list_expected import expected_lists
db = sqlite3.connect(sys.argv[1])
base, token, after = sys.argv[2], sys.argv[3], sys.argv[4]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
lists = expected_lists(db)
def expected(segment):
    return lists("last_order", "", segment)
def walk(segment):
    got, cursor = [], None
    while True:
        args = {"sort": "last_order", "limit": 23}
        if segment: args["segment"] = segment
        if cursor: args["cursor"] = cursor
        req = urllib.request.Request(base + "/customers?" + urllib.parse.urlencode(args),
                                     headers={"Authorization": "Bearer " + token})
        with opener.open(req) as r:
            page = json.load(r)
        got += [c["customer_id"] for c in page["customers"]]
        cursor = page.get("next_cursor")
        if not cursor:
            return got
for segment in ("", "champions", "hibernating"):
    want, got = expected(segment), walk(segment)
    if got != want:
        first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        sys.exit(f"after {after}, segment={segment!r}: {len(got)} listed, want {len(want)}; first difference at"
                 f" {first}: {got[first:first + 3]} vs {want[first:first + 3]}")
PY
}
first() { st -H "Authorization: Bearer $A" "$U/customers?sort=last_order&limit=3" >/dev/null; jq -r '.customers[0].customer_id' body.json; }

check "the demo"
# A customer from the end of the list buys after everyone: first now.
late=$(q "SELECT external_id FROM customer WHERE merged_into IS NULL ORDER BY last_order_at LIMIT 1")
E=(-H "Authorization: Bearer $I" -H 'Content-Type: application/json')
ev='{"type":"order","event_id":"lo-1","customer_id":"'$late'","order_id":"LO-1","ordered_at":"2030-01-01T10:00:00Z","amount":"10.00","currency":"TRY"}'
[[ $(st "${E[@]}" -d "$ev" "$U/events") == 200 && $(jv body.json accepted) == 1 ]] || fail "order event: $(cat body.json)"
[[ $(first) == "$late" ]] || fail "the customer who bought last is not first: $(first), want $late"
check "an order event"
# A return later than everything does not count as a purchase.
other=$(q "SELECT external_id FROM customer WHERE merged_into IS NULL AND external_id <> '$late' LIMIT 1 OFFSET 7")
ev='{"type":"order","event_id":"lo-2","customer_id":"'$other'","order_id":"LO-2","ordered_at":"2031-01-01T10:00:00Z","amount":"-10.00","currency":"TRY"}'
[[ $(st "${E[@]}" -d "$ev" "$U/events") == 200 && $(jv body.json accepted) == 1 ]] || fail "return event: $(cat body.json)"
[[ $(first) == "$late" ]] || fail "a return counted as the latest purchase: $(first) first"
check "a return event"
# The latest order re-sent for another customer: it moves, and the first customer falls back.
ev='{"type":"order","event_id":"lo-3","customer_id":"'$other'","order_id":"LO-1","ordered_at":"2030-01-01T10:00:00Z","amount":"10.00","currency":"TRY"}'
[[ $(st "${E[@]}" -d "$ev" "$U/events") == 200 && $(jv body.json accepted) == 1 ]] || fail "moved order: $(cat body.json)"
[[ $(first) == "$other" ]] || fail "the moved order's new customer is not first: $(first)"
check "an order moved to another customer"
# An import of orders (bulk mode): one customer's purchase later than all, one new customer.
mid=$(q "SELECT external_id FROM customer WHERE merged_into IS NULL ORDER BY last_order_at LIMIT 1 OFFSET 200")
printf 'order_id,customer_id,ordered_at,amount,currency\nIM-1,%s,2032-05-01 10:00:00,5.00,TRY\nIM-2,NEW-1,2020-01-01 00:00:00,5.00,TRY\nIM-3,%s,2033-01-01 00:00:00,-1.00,TRY\n' \
  "$mid" "$mid" >o.csv
"$BB" --db "$DB" import orders o.csv >/dev/null || fail "import exited $?"
[[ $(first) == "$mid" ]] || fail "after the import, $(first) is first, want $mid"
check "an import"
# A merge: the customer with the latest purchase folded into another; the keeper takes its place.
keep=$(q "SELECT external_id FROM customer WHERE merged_into IS NULL AND last_order_at IS NOT NULL ORDER BY last_order_at LIMIT 1")
"$BB" --db "$DB" customers merge "$keep" "$mid" >/dev/null || fail "merge exited $?"
[[ $(first) == "$keep" ]] || fail "after the merge, $(first) is first, want $keep"
check "a merge"
srv_stop
pass
