#!/bin/bash
# GET /api/v1/customers/{id} from stored views: a customer without one is rendered and the writer stores
# it; the stored answer is byte-identical to the first, and equal (keys in order, values; reals to the 10 digits the CLI prints)
# to a fresh render by the CLI. After each kind of write (order, interaction, consent, survey events,
# PATCH, a customer event adding an identifier, a CSV import, a merge, a product renamed) the write's
# own transaction has deleted the view, the next GET shows the change and equals a fresh render, and the
# view is stored again. `views build` stores every missing view and is idempotent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
"$BB" --db "$DB" demo --customers 300 --seed 7 >/dev/null 2>&1 || fail "demo exited $?"
ing=$(tok ingest); adm=$(tok admin)
srv_start --rate-limit 0 --no-background-views # views are stored only when asked for here
R=(-H "Authorization: Bearer $adm")
E=(-H "Authorization: Bearer $ing" -H 'Content-Type: application/json')
q() { sqlite3 "$DB" "$1"; }
has_view() { q "SELECT count(*) FROM customer_view v JOIN customer c ON c.id = v.customer_id WHERE c.external_id = '$1'"; }
wait_view() {
  for _ in $(seq 100); do [[ $(has_view "$1") == 1 ]] && return 0; sleep 0.05; done
  fail "the writer did not store $1's view"
}
get() { [[ $(st "${R[@]}" "$U/customers/$1") == 200 ]] || fail "GET $1: $(head -c 300 body.json)"; cp body.json "$2"; }

# same ID FILE: FILE (the API's answer) is the CLI's fresh render of ID: same keys in the same order,
# same values (reals: the API writes 12 significant digits, the CLI prints 10).
same() {
  "$BB" --db "$DB" customers show "$1" --json >fresh.json || fail "customers show $1 exited $?"
  python3 - "$2" fresh.json <<'PY' || fail "$1: the API's view differs from a fresh render"
import json, math, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
def eq(x, y, at):
    if isinstance(x, dict):
        if not isinstance(y, dict) or list(x) != list(y):
            sys.exit("%s: keys %s vs %s" % (at, list(x), list(y) if isinstance(y, dict) else y))
        for k in x: eq(x[k], y[k], at + "." + k)
    elif isinstance(x, list):
        if not isinstance(y, list) or len(x) != len(y): sys.exit("%s: lengths differ" % at)
        for i, (u, v) in enumerate(zip(x, y)): eq(u, v, "%s[%d]" % (at, i))
    elif isinstance(x, float) or isinstance(y, float):
        if not (isinstance(y, (int, float)) and math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-300)):
            sys.exit("%s: %r vs %r" % (at, x, y))
    elif x != y or type(x) != type(y):
        sys.exit("%s: %r vs %r" % (at, x, y))
eq(a, b, "$")
PY
}

# check ID JQ WANT: the view of ID now answers WANT to the jq filter; a stored view follows, the same.
check() {
  [[ $(has_view "$1") == 0 ]] || fail "$1: the view is still stored after the write ($4)"
  get "$1" a.json
  [[ $(jq -r "$2" a.json) == "$3" ]] || fail "$1 after $4: $2 is $(jq -r "$2" a.json), not $3"
  same "$1" a.json
  wait_view "$1"
  get "$1" b.json
  cmp -s a.json b.json || fail "$1 after $4: the stored view differs from the rendered one"
}

mapfile -t C < <(q "SELECT external_id FROM customer WHERE merged_into IS NULL ORDER BY id LIMIT 3")
c1=${C[0]} c2=${C[1]} c3=${C[2]}
[[ $(q "SELECT count(*) FROM customer_view") == 0 ]] || fail "views before any GET"
get "$c1" g1.json
wait_view "$c1"
get "$c1" g2.json
cmp -s g1.json g2.json || fail "the stored view differs from the rendered one"
same "$c1" g2.json
[[ $(jq -r .scores.run_id g2.json) =~ ^[0-9]+$ ]] || fail "no scores in the view: $(jq -c .scores g2.json)"

# views build while the server runs: every missing view, then nothing to do
"$BB" --db "$DB" views build --json >vb.json || fail "views build exited $?"
n=$(q "SELECT count(*) FROM customer WHERE merged_into IS NULL")
[[ $(jq .views vb.json) == "$n" && $(jq .customers vb.json) == "$n" && $(jq .built vb.json) -ge $((n - 1)) ]] \
  || fail "views build: $(cat vb.json) for $n customers"
[[ $(q "SELECT count(*) FROM customer_view") == "$n" ]] || fail "views stored: $(q "SELECT count(*) FROM customer_view")"
"$BB" --db "$DB" views build --json >vb.json && [[ $(jq .built vb.json) == 0 ]] || fail "views build again: $(cat vb.json)"
get "$c2" g3.json
same "$c2" g3.json
[[ $(st "${R[@]}" "$U/customers/$c2?limit=5") == 422 && $(jv body.json error.where) == limit ]] \
  || fail "an unknown query argument: $(cat body.json)"

ev() { [[ $(st "${E[@]}" -d "$1" "$U/events") == 200 && $(jv body.json accepted) == 1 ]] || fail "event $1: $(cat body.json)"; }
ev '{"type":"order","event_id":"vw-o","customer_id":"'"$c1"'","order_id":"VW-1","ordered_at":"2031-01-01T00:00:00Z",
     "amount":"12.34","lines":[{"sku":"VW-SKU","quantity":2,"unit_price":"6.17"}]}'
check "$c1" '.orders[0].order_id' VW-1 "an order event"
[[ $(jq -r .scores.rfm.frequency.value a.json) == $(( $(jq -r .scores.rfm.frequency.value g2.json) + 1 )) && \
   $(jq -r .order_summary.count a.json) == $(( $(jq -r .order_summary.count g2.json) + 1 )) ]] \
  || fail "after the order: frequency $(jq -r .scores.rfm.frequency.value g2.json) -> $(jq -r .scores.rfm.frequency.value a.json), orders $(jq -r .order_summary.count g2.json) -> $(jq -r .order_summary.count a.json)"
ev '{"type":"interaction","event_id":"vw-i","customer_id":"'"$c1"'","occurred_at":"2031-01-02T00:00:00Z","channel":"call","direction":"in","kind":"note","subject":"vw-subject"}'
check "$c1" '.interactions[0].subject' vw-subject "an interaction event"
ev '{"type":"consent","event_id":"vw-c","customer_id":"'"$c1"'","channel":"sms","status":"revoked","source":"vw-source","recorded_at":"2031-01-03T00:00:00Z"}'
check "$c1" '.consents.history[0].source' vw-source "a consent event"
ev '{"type":"survey_response","event_id":"vw-s","customer_id":"'"$c1"'","survey":"nps","score":3,"comment":"vw-comment","responded_at":"2031-01-04T00:00:00Z"}'
check "$c1" '.survey_responses[0].comment' vw-comment "a survey event"
ev '{"type":"customer","event_id":"vw-k","customer_id":"'"$c1"'","email":"vw@example.com"}'
check "$c1" '[.customer.identifiers[].value] | index("vw@example.com") != null' true "a customer event"
[[ $(st "${R[@]}" -X PATCH -H 'Content-Type: application/json' -d '{"first_name":"Vüzeyir"}' "$U/customers/$c2") == 200 ]] \
  || fail "PATCH: $(cat body.json)"
check "$c2" .customer.first_name Vüzeyir PATCH
[[ $(has_view "$c3") == 1 ]] || fail "$c3's view went with others' writes"
printf 'customer_id,occurred_at,channel,direction,kind,subject\n%s,2031-01-05T00:00:00Z,email,out,message,vw-import\n' "$c3" >i.csv
"$BB" --db "$DB" import interactions i.csv >/dev/null || fail "import exited $?"
check "$c3" '.interactions[0].subject' vw-import "an import"
"$BB" --db "$DB" customers merge "$c1" "$c3" >/dev/null || fail "merge exited $?"
check "$c1" ".customer.merged_from | index(\"$c3\") != null" true "a merge"
get "$c3" m.json
cmp -s m.json b.json || fail "the merged-away id does not answer its survivor's view: $(diff <(jq . m.json) <(jq . b.json) | head -20)"
[[ $(q "SELECT count(*) FROM customer_view v JOIN customer c ON c.id = v.customer_id WHERE c.merged_into IS NOT NULL") == 0 ]] \
  || fail "a merged-away customer kept a view"
printf 'sku,name\nVW-SKU,vw-product\n' >p.csv
"$BB" --db "$DB" import products p.csv >/dev/null || fail "import products exited $?"
[[ $(q "SELECT count(*) FROM customer_view") == 0 ]] || fail "views left after a product was renamed"
check "$c1" '[.orders[0].lines[].name] | index("vw-product") != null' true "a product renamed"

# stored compressed against the views' dictionary (0xB5; made of the first views stored); a damaged body is a 500 whose cause is in the log, and the
# server goes on; a plain body (as stored before compression) is served as it is
vid="(SELECT id FROM customer WHERE external_id = '$c1')"
[[ $(q "SELECT typeof(body) || ' ' || hex(substr(body, 1, 1)) FROM customer_view WHERE customer_id = $vid") == "blob B5" ]] \
  || fail "the stored view is not compressed: $(q "SELECT typeof(body), hex(substr(body, 1, 8)) FROM customer_view")"
[[ $(q "SELECT length(value) FROM meta WHERE key = 'view_dict_1'") == 32768 ]] || fail "no dictionary of 32 KB"
q "UPDATE customer_view SET body = X'B4C8000000FF00FF00FF00FF' WHERE customer_id = $vid"
[[ $(st "${R[@]}" "$U/customers/$c1") == 500 && $(jv body.json error.code) == internal ]] \
  || fail "a damaged stored view: $(head -c 300 body.json)"
grep -q "stored view is damaged" srv.log || fail "the log does not say the view is damaged: $(tail -3 srv.log)"
get "$c2" d.json
python3 - "$DB" "$c1" <<'PY' || fail "could not write a plain view"
import sqlite3, sys
text = open("b.json", encoding="utf-8").read()
body = text[:text.rindex(',"scores":')]  # the body is the view's text up to its scores
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE customer_view SET body = ? WHERE customer_id = (SELECT id FROM customer WHERE external_id = ?)",
           (body, sys.argv[2]))
db.commit()
PY
[[ $(q "SELECT typeof(body) FROM customer_view WHERE customer_id = $vid") == text ]] || fail "the plain view is not text"
get "$c1" p.json
cmp -s p.json b.json || fail "a plain stored view: $(diff <(jq . p.json) <(jq . b.json) | head -20)"
srv_stop
pass
