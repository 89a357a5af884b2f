#!/bin/bash
# POST /api/v1/events from outside: every event type lands in the store; a re-sent event_id is a
# duplicate and changes nothing; arrays and NDJSON batches with bad events in them; injection and
# script payloads in every string field are stored as plain text; NUL characters and invalid UTF-8
# are refused with a reason.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
"$BB" --db "$DB" init >/dev/null || fail "init exited $?"
ing=$(tok ingest); reader=$(tok analyst)
srv_start --rate-limit 0
A=(-H "Authorization: Bearer $ing" -H 'Content-Type: application/json')
N=(-H "Authorization: Bearer $ing" -H 'Content-Type: application/x-ndjson')
q() { sqlite3 "$DB" "$1"; }

order='{"type":"order","event_id":"o-1","customer_id":"k1","order_id":"A1","ordered_at":"2026-11-01T10:00:00+03:00",
        "amount":"250.00","currency":"TRY","channel":"web",
        "lines":[{"sku":"S1","quantity":2,"unit_price":"100.00"},{"sku":"S2","quantity":1,"unit_price":50}]}'
[[ $(st "${A[@]}" -d "$order" "$U/events") == 200 ]] || fail "an order event: $(cat body.json)"
[[ $(jv body.json accepted) == 1 && $(jv body.json duplicates) == 0 ]] || fail "answer: $(cat body.json)"
[[ $(st "${A[@]}" -d "$order" "$U/events") == 200 ]] || fail "the re-sent order: $(cat body.json)"
[[ $(jv body.json accepted) == 0 && $(jv body.json duplicates) == 1 ]] || fail "a re-sent event was not a duplicate: $(cat body.json)"
[[ $(q "SELECT count(*), amount_minor, ordered_at FROM orders WHERE external_id='A1'") == "1|25000|1793516400" ]] \
  || fail "the order as stored: $(q "SELECT * FROM orders")"
[[ $(q "SELECT count(*) FROM order_line") == 2 ]] || fail "order lines: $(q "SELECT count(*) FROM order_line")"

# An array: every type, one bad event; the good ones are kept.
cat >batch.json <<'J'
[{"type":"customer","event_id":"c-1","customer_id":"k1","first_name":"Ayşe","last_name":"Işık","email":"Ayse@Example.com","city":"İstanbul"},
 {"type":"interaction","event_id":"i-1","customer_id":"k1","channel":"call","direction":"in","kind":"complaint","subject":"Kargo"},
 {"type":"consent","event_id":"n-1","customer_id":"k1","channel":"email","status":"granted","source":"web"},
 {"type":"survey_response","event_id":"s-1","customer_id":"k1","survey":"nps","score":9,"comment":"iyi"},
 {"type":"order","event_id":"o-2","customer_id":"k2","order_id":"A2","lines":[{"sku":"S1","quantity":1}]}]
J
[[ $(st "${A[@]}" --data-binary @batch.json "$U/events") == 200 ]] || fail "a batch: $(cat body.json)"
[[ $(jv body.json accepted) == 4 ]] || fail "batch accepted: $(cat body.json)"
[[ $(jv body.json rejected.0.index) == 4 && $(jv body.json rejected.0.error.where) == '$[4].lines[0].unit_price' ]] \
  || fail "batch rejection: $(cat body.json)"
[[ $(q "SELECT first_name, city FROM customer WHERE external_id='k1'") == "Ayşe|İstanbul" ]] || fail "customer"
[[ $(q "SELECT count(*) FROM interaction") == 1 && $(q "SELECT count(*) FROM consent") == 1 && \
   $(q "SELECT count(*) FROM survey_response") == 1 ]] || fail "interaction, consent, survey not all stored"
[[ $(q "SELECT count(*) FROM orders WHERE external_id='A2'") == 0 ]] || fail "a rejected event left an order"

# NDJSON: 1,000 orders in one request, a bad line among them.
python3 - >batch.ndjson <<'PY'
for i in range(1000):
    if i == 500:
        print("{not json")
        continue
    print('{"type":"order","event_id":"nd-%d","customer_id":"k%d","order_id":"N%d","ordered_at":"2026-01-01","amount":%d.5}' % (i, i % 50, i, i))
PY
[[ $(st "${N[@]}" --data-binary @batch.ndjson "$U/events") == 200 ]] \
  || fail "NDJSON: $(head -c 300 body.json)"
[[ $(jv body.json accepted) == 999 && $(jv body.json rejected.0.index) == 500 ]] || fail "NDJSON answer: $(head -c 300 body.json)"
[[ $(jv body.json rejected.0.error.code) == malformed && $(jv body.json rejected.0.error.where) == "line 501, byte 4" ]] \
  || fail "NDJSON bad line: $(jv body.json rejected.0)"
[[ $(q "SELECT count(*), sum(amount_minor) FROM orders WHERE external_id LIKE 'N%'") == "999|49949950" ]] \
  || fail "NDJSON orders: $(q "SELECT count(*), sum(amount_minor) FROM orders WHERE external_id LIKE 'N%'")"
[[ $(st "${N[@]}" --data-binary @batch.ndjson "$U/events") == 200 && \
   $(jv body.json duplicates) == 999 && $(jv body.json accepted) == 0 ]] || fail "NDJSON re-sent: $(head -c 200 body.json)"

# Injection and script payloads in every string field: stored as the very text that was sent.
python3 - >inject.json <<'PY'
import json
payloads = ["'; DROP TABLE customer; --", "<script>alert(\"x\")</script>", "\" OR 1=1 --", "Robert'); DELETE FROM orders;--",
            "%s%n%x", "\\u0000 as text", "ÇĞİÖŞÜçğıöşü \u202e", "x" * 200000]
evs = []
for i, p in enumerate(payloads):
    evs.append({"type": "customer", "event_id": "inj-c%d" % i, "customer_id": "inj%d" % i, "first_name": p, "last_name": p,
                "city": p, "gender": p, "attributes": {"note": p}})
    evs.append({"type": "interaction", "event_id": "inj-i%d" % i, "customer_id": "inj%d" % i, "channel": "web",
                "direction": "in", "subject": p, "body": p})
    evs.append({"type": "survey_response", "event_id": "inj-s%d" % i, "customer_id": "inj%d" % i, "survey": "nps",
                "score": 1, "comment": p})
    evs.append({"type": "order", "event_id": "inj-o%d" % i, "customer_id": "inj%d" % i, "order_id": "inj-order-%d" % i,
                "amount": 1, "channel": p[:1000]})
json.dump(evs, open("inject.json", "w"))
json.dump(payloads, open("payloads.json", "w"))
PY
[[ $(st "${A[@]}" --data-binary @inject.json "$U/events") == 200 && $(jv body.json accepted) == 32 ]] \
  || fail "injection payloads were not all accepted: $(head -c 400 body.json)"
python3 - "$DB" <<'PY' || fail "a payload was not stored as sent"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
payloads = json.load(open("payloads.json"))
for i, p in enumerate(payloads):
    c = db.execute("SELECT first_name, last_name, city, gender, attributes FROM customer WHERE external_id=?", ("inj%d" % i,)).fetchone()
    assert c[:4] == (p, p, p, p), (i, c[:4])
    assert json.loads(c[4])["note"] == p
    s, b = db.execute("SELECT subject, body FROM interaction i JOIN customer c ON c.id=i.customer_id WHERE c.external_id=?", ("inj%d" % i,)).fetchone()
    assert s == p and b == p
    assert db.execute("SELECT comment FROM survey_response r JOIN customer c ON c.id=r.customer_id WHERE c.external_id=?", ("inj%d" % i,)).fetchone()[0] == p
    assert db.execute("SELECT channel FROM orders WHERE external_id=?", ("inj-order-%d" % i,)).fetchone()[0] == p[:1000]
assert db.execute("SELECT count(*) FROM customer").fetchone()[0] > 8
PY
# ... and returned by the API as the same text, in JSON that escapes nothing it need not.
python3 - "$PORT" "$reader" <<'PY' || fail "a payload did not come back from the API as sent"
import json, sys, urllib.request
port, token = sys.argv[1], sys.argv[2]
payloads = json.load(open("payloads.json"))
for i, p in enumerate(payloads):
    req = urllib.request.Request("http://127.0.0.1:%s/api/v1/customers/inj%d" % (port, i),
                                 headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req) as r:
        assert r.headers["Content-Type"] == "application/json" and r.headers["X-Content-Type-Options"] == "nosniff"
        v = json.loads(r.read())
    c = v["customer"]
    assert (c["first_name"], c["last_name"], c["city"], c["gender"]) == (p, p, p, p), i
    assert c["attributes"]["note"] == p
    assert v["interactions"][0]["subject"] == p and v["interactions"][0]["body"] == p
    assert v["survey_responses"][0]["comment"] == p
    assert v["orders"][0]["channel"] == p[:1000]
PY
# A NUL character is refused with the field's path; invalid UTF-8 is not JSON.
[[ $(st "${A[@]}" -d '{"type":"customer","event_id":"nul","customer_id":"n","first_name":"a\u0000b"}' "$U/events") == 422 ]] \
  || fail "a NUL character: $(cat body.json)"
[[ $(jv body.json error.where) == '$.first_name' ]] || fail "NUL where: $(cat body.json)"
printf '{"type":"customer","event_id":"utf","customer_id":"u","first_name":"\xff\xfe"}' >bad-utf8.json
[[ $(st "${A[@]}" --data-binary @bad-utf8.json "$U/events") == 400 ]] || fail "invalid UTF-8: $(cat body.json)"
[[ $(q "SELECT count(*) FROM customer WHERE external_id IN ('n', 'u')") == 0 ]] || fail "a refused customer was stored"
# Ingest tokens may post events and nothing else.
[[ $(st -H "Authorization: Bearer $ing" "$U/customers/k1") == 403 ]] || fail "an ingest token read a customer"
srv_stop
[[ $(q "PRAGMA integrity_check") == ok ]] || fail "integrity_check"
pass
