#!/bin/bash
# Every error the server answers is JSON {"error": {"code", "message", "where"}} with the right status:
# 400 malformed (where: the byte), 401, 403, 404, 405 (with Allow), 409, 413, 422 (where: the JSON path),
# 429 (with Retry-After), and an unknown page is JSON too, never an HTML error page.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
"$BB" --db "$DB" init >/dev/null || fail "init exited $?"
admin=$(tok admin); analyst=$(tok analyst)
slow=$("$BB" --db "$DB" tokens create --name slow --role admin --rate-limit 1 2>/dev/null | tail -1)
srv_start --max-body 4096 --rate-limit 0 --access-log access.log
A=(-H "Authorization: Bearer $admin")

# check STATUS CODE [WHERE] -- curl args: the answer has that status and error code (and where)
check() {
  local want=$1 code=$2 where=$3; shift 3
  local got; got=$(curl -s -D head.txt -o body.json -w '%{http_code}' "$@")
  [[ $got == "$want" ]] || fail "$* gave $got, expected $want: $(head -c 300 body.json)"
  grep -qi '^content-type: application/json' head.txt || fail "$want is not JSON: $(grep -i content-type head.txt)"
  [[ $(jv body.json error.code) == "$code" ]] || fail "$want has code $(jv body.json error.code), expected $code"
  [[ -n $(jv body.json error.message) && $(jv body.json error.message) != null ]] || fail "$want has no message"
  [[ $(jv body.json error.where) != null ]] || fail "$want has no where"
  [[ -z $where || $(jv body.json error.where) == "$where" ]] || fail "$want: where is $(jv body.json error.where), expected $where"
}

check 400 malformed "byte 32" "${A[@]}" -d '{"type":"order", "event_id": 5, ' "$U/events"
check 401 unauthenticated Authorization "$U/customers"
grep -qi '^www-authenticate: bearer' head.txt || fail "401 without WWW-Authenticate"
check 401 unauthenticated Authorization -H "Authorization: Bearer bb_forged" "$U/customers"
check 403 forbidden "" -H "Authorization: Bearer $analyst" -d '{"customer_id":"x"}' "$U/customers"
check 404 not_found /api/v1/nowhere "${A[@]}" "$U/nowhere"
check 404 not_found "" "${A[@]}" -X PATCH -d '{"city":"Ankara"}' "$U/customers/nobody"
check 404 not_found "" "http://127.0.0.1:$PORT/no-such-page.html"
check 405 method_not_allowed "" "${A[@]}" -X DELETE "$U/events"
grep -qi '^allow: POST' head.txt || fail "405 without Allow"
curl -s "${A[@]}" -d '{"type":"consent","event_id":"e-409","customer_id":"k","channel":"sms","status":"granted"}' "$U/events" >/dev/null
check 409 conflict "" "${A[@]}" -d '{"type":"survey_response","event_id":"e-409","customer_id":"k","survey":"nps","score":3}' "$U/events"
head -c 5000 /dev/zero | tr '\0' ' ' >big.txt
check 413 too_large "" "${A[@]}" --data-binary @big.txt "$U/events"
check 413 too_large "" "${A[@]}" -H 'Transfer-Encoding: chunked' --data-binary @big.txt "$U/events"
check 422 invalid '$.lines[2].quantity' "${A[@]}" -d '{"type":"order","event_id":"e-422","customer_id":"k","order_id":"o",
  "lines":[{"sku":"a","quantity":1,"unit_price":"1.00"},{"sku":"b","quantity":1,"unit_price":"1.00"},
           {"sku":"c","quantity":"bir","unit_price":"1.00"}]}' "$U/events"
check 422 invalid '$.amount' "${A[@]}" -d '{"type":"order","event_id":"e-422b","customer_id":"k","order_id":"o","amount":"12,5O"}' "$U/events"
check 422 invalid '$.email' "${A[@]}" -d '{"customer_id":"c-mail","email":"not-an-email"}' "$U/customers"
check 422 invalid '$.phone' "${A[@]}" -X PATCH -d '{"phone":"12"}' "$U/customers/k"
check 422 invalid '$[0].phone' "${A[@]}" -d '[{"type":"customer","event_id":"e-m1","customer_id":"m1","phone":"0"},
  {"type":"customer","event_id":"e-m2","customer_id":"m2","email":"a b@x"}]' "$U/events"
[[ $(jv body.json rejected.1.error.where) == '$[1].email' ]] || fail "the second rejection's where: $(cat body.json)"
check 422 invalid limit "${A[@]}" "$U/audit?limit=many"
# 429: this token may make 1 request a second (2 at once).
S=(-H "Authorization: Bearer $slow")
for i in 1 2 3 4; do code=$(st "${S[@]}" "$U/session"); [[ $code == 429 ]] && break; done
[[ $code == 429 ]] || fail "a token limited to 1 request/s was never refused"
check 429 rate_limited "" "${S[@]}" "$U/session"
grep -qiE '^retry-after: [0-9]+' head.txt || fail "429 without Retry-After"
# Other tokens are not held back.
[[ $(st "${A[@]}" "$U/session") == 200 ]] || fail "one token's limit held back another"
# The access log is written while the server runs, within a second or so of the request.
st "$U/health" >/dev/null
st "$U/no-such-path-$$" >/dev/null
for _ in $(seq 30); do grep -q "GET /api/v1/no-such-path-$$ 404 " access.log 2>/dev/null && break; sleep 0.1; done
grep -q "GET /api/v1/no-such-path-$$ 404 " access.log || fail "the access log lacks a request 3 s later: $(tail -2 access.log)"
srv_stop
grep -q " GET /api/v1/health 200 " access.log || fail "the access log lacks /health: $(head -3 access.log)"
pass
