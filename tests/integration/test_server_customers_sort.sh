#!/bin/bash
# GET /api/v1/customers sorted (name, clv, revenue, last_order), with and without a search and a segment
# filter, paged through to the end with a small page: every page but the last is full, no customer twice,
# none missing, the order right. The expected lists are made here with SQL on the database (python3's
# sqlite3): the words matched with instr() on search_text, the order from sort_key (the Turkish collation
# key), the scores and the orders. Then the checks of bad arguments: each answered 422 with where.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
"$BB" --db "$DB" demo --customers 1500 >/dev/null || fail "demo exited $?" # demo analyses too
A=$(tok analyst)
srv_start --rate-limit 0
python3 - "$DB" "$U" "$A" "$(cd "$(dirname "$0")" && pwd)" <<'PY' || fail "the sorted customer list is wrong"
import json, sqlite3, sys, urllib.parse, urllib.request
sys.path.insert(0, sys.argv[4])
from customer_list_expected import expected_lists
db = sqlite3.connect(sys.argv[1])
base, token = sys.argv[2], sys.argv[3]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def get(args):
    req = urllib.request.Request(base + "/customers?" + urllib.parse.urlencode(args),
                                 headers={"Authorization": "Bearer " + token})
    with opener.open(req) as r:
        return json.load(r)

expected = expected_lists(db)

def walk(sort, q, segment, limit):
    got, cursor, pages = [], None, 0
    while True:
        args = {"limit": limit, "sort": sort}
        if q: args["q"] = q
        if segment: args["segment"] = segment
        if cursor: args["cursor"] = cursor
        page = get(args)
        pages += 1
        got += [c["customer_id"] for c in page["customers"]]
        cursor = page.get("next_cursor")
        if not cursor:
            return got, pages
        if len(page["customers"]) != limit:
            sys.exit(f"sort={sort} q={q!r} segment={segment}: page {pages} holds {len(page['customers'])} of {limit} and is not the last")
        if pages > 10000:
            sys.exit("paging does not end")

seg_sizes = db.execute("SELECT rfm_segment, count(*) FROM customer_score GROUP BY 1 ORDER BY 2").fetchall()
small_segment = seg_sizes[0][0]
checked = 0
for sort in ("name", "clv", "revenue", "last_order"):
    for q in ("", "a", "ali", "yil", "zzzz"):
        for segment in ("", "champions", small_segment):
            want = expected(sort, q, segment)
            for limit in (37,) if want else (5,):
                got, pages = walk(sort, q, segment, limit)
                if len(got) != len(set(got)):
                    sys.exit(f"sort={sort} q={q!r} segment={segment}: a customer shows twice")
                if got != want:
                    missing = set(want) - set(got)
                    first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
                    sys.exit(f"sort={sort} q={q!r} segment={segment}: {len(got)} customers, want {len(want)};"
                             f" first difference at {first}; missing {sorted(missing)[:5]}")
                checked += 1
# A long list walked whole with the largest page, and the values the rows carry agree with the order.
got, _ = walk("clv", "", "", 1000)
if got != expected("clv", "", ""):
    sys.exit("sort=clv limit=1000 differs")
page = get({"sort": "last_order", "limit": 50})["customers"]
times = [c["last_order_at"] for c in page]
if times != sorted(times, reverse=True) or None in times:
    sys.exit(f"last_order_at of the first page is not latest first: {times}")
page = get({"sort": "revenue", "limit": 50})["customers"]
rev = [c["revenue_minor"] for c in page]
if rev != sorted(rev, reverse=True):
    sys.exit(f"revenue_minor of the first page is not highest first: {rev}")
print(f"{checked} sorted walks checked")
PY
# Bad arguments: a clear 422 naming the argument.
for bad in "sort=Clv:sort" "sort=:" "segment=nope:segment" "limit=0:limit" "limit=1001:limit" "limit=x:limit" \
           "cursor=bogus:cursor" "cursor=clv.1.5.5:cursor" "sort=clv&cursor=12.5:cursor" "sort=revenue&cursor=clv.1.5.5:cursor" \
           "sort=clv&cursor=clv.3.5.5:cursor" "srot=clv:srot" "q=a&q=b:q" "segment=%FF:segment" "q=%FF%FE:q" \
           "cursor=99999999999999999999.1:cursor" "sort=clv&cursor=clv.1.99999999999999999999.1:cursor"; do
  args=${bad%:*} where=${bad##*:}
  code=$(st -H "Authorization: Bearer $A" "$U/customers?$args")
  if [[ -z $where ]]; then
    [[ $code == 200 ]] || fail "?$args: $code $(cat body.json) (an empty sort is the default)"
    continue
  fi
  [[ $code == 422 ]] || fail "?$args: $code $(cat body.json), want 422"
  [[ $(jv body.json error.where) == "$where" ]] || fail "?$args: where is $(jv body.json error.where), want $where"
  [[ $(jv body.json error.code) == invalid ]] || fail "?$args: code $(jv body.json error.code)"
done
st -H "Authorization: Bearer $A" "$U/customers?segment=nope" >/dev/null
jq -e '.error.accepted | index("champions")' body.json >/dev/null || fail "the segments accepted are not listed: $(cat body.json)"
long=$(printf 'w%.0s ' $(seq 20))
code=$(st -H "Authorization: Bearer $A" --get --data-urlencode "q=$long" "$U/customers")
[[ $code == 422 && $(jv body.json error.where) == q ]] || fail "a search of 20 words: $code $(cat body.json)"
srv_stop
pass
