#!/bin/bash
# Durability: clients stream events while the server is killed with kill -9; after a restart every
# acknowledged event is present exactly once, and re-sending every event (acknowledged or not)
# completes the set without duplicates: a 2xx answer means the data was committed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
"$BB" --db "$DB" init >/dev/null || fail "init exited $?"
ing=$(tok ingest)
srv_start --rate-limit 0 --access-log none

cat >client.py <<'PY'
# client.py PORT TOKEN SECONDS: 4 threads post NDJSON batches of 10 orders until the server dies (or
# SECONDS pass); acked.txt gets the event ids of every 2xx answer, sent.txt every event id tried.
import http.client, json, sys, threading, time, zlib
port, token, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
lock = threading.Lock()
acked, sent = open("acked.txt", "w"), open("sent.txt", "w")
def client(c):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    end = time.time() + seconds
    b = 0
    while time.time() < end:
        ids = ["d-%d-%d-%d" % (c, b, i) for i in range(10)]
        body = "\n".join(json.dumps({"type": "order", "event_id": e, "customer_id": "k%d" % (zlib.crc32(e.encode()) % 97),
                                     "order_id": "O" + e, "ordered_at": "2026-03-01T12:00:00Z", "amount": "10.00"})
                         for e in ids)
        with lock:
            sent.write("\n".join(ids) + "\n"); sent.flush()
        try:
            conn.request("POST", "/api/v1/events", body, {"Authorization": "Bearer " + token,
                                                          "Content-Type": "application/x-ndjson"})
            r = conn.getresponse()
            ans = json.loads(r.read())
        except Exception:
            return  # the server is gone
        if r.status == 200 and ans["accepted"] + ans["duplicates"] == 10:
            with lock:
                acked.write("\n".join(ids) + "\n"); acked.flush()
        b += 1
threads = [threading.Thread(target=client, args=(c,)) for c in range(4)]
for t in threads: t.start()
for t in threads: t.join()
PY
python3 client.py "$PORT" "$ing" 30 & client=$!
sleep 2
kill -9 $SRV_PID; wait $SRV_PID 2>/dev/null; SRV_PID=
wait $client
n_acked=$(wc -l <acked.txt); n_sent=$(wc -l <sent.txt)
(( n_acked > 0 )) || fail "no event was acknowledged before the kill"
(( n_sent > n_acked )) || echo "note: every event sent was acknowledged before the kill"

srv_start --rate-limit 0 --access-log none
# Every acknowledged event is there, exactly once.
python3 - "$DB" <<'PY' || fail "acknowledged events are missing after kill -9"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
acked = open("acked.txt").read().split()
seen = {r[0] for r in db.execute("SELECT event_id FROM event_seen")}
orders = {}
for (ext,) in db.execute("SELECT external_id FROM orders"):
    orders[ext] = orders.get(ext, 0) + 1
missing = [e for e in acked if e not in seen or orders.get("O" + e) != 1]
assert not missing, "%d of %d acknowledged events lost, e.g. %s" % (len(missing), len(acked), missing[:3])
PY
# Re-send everything that was sent: the acknowledged ones are duplicates; the set is then complete.
python3 - "$PORT" "$ing" <<'PY' || fail "re-sending did not complete the set"
import http.client, json, sys, zlib
port, token = int(sys.argv[1]), sys.argv[2]
sent = open("sent.txt").read().split()
acked = set(open("acked.txt").read().split())
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
dups = 0
for i in range(0, len(sent), 500):
    ids = sent[i:i + 500]
    body = "\n".join(json.dumps({"type": "order", "event_id": e, "customer_id": "k%d" % (zlib.crc32(e.encode()) % 97),
                                 "order_id": "O" + e, "ordered_at": "2026-03-01T12:00:00Z", "amount": "10.00"})
                     for e in ids)
    conn.request("POST", "/api/v1/events", body, {"Authorization": "Bearer " + token, "Content-Type": "application/x-ndjson"})
    r = conn.getresponse(); ans = json.loads(r.read())
    assert r.status == 200 and not ans["rejected"], ans
    assert ans["accepted"] + ans["duplicates"] == len(ids)
    dups += ans["duplicates"]
assert dups >= len(acked), (dups, len(acked))
PY
[[ $(sqlite3 "$DB" "SELECT count(*), count(DISTINCT external_id) FROM orders") == "$n_sent|$n_sent" ]] \
  || fail "after re-sending: $(sqlite3 "$DB" "SELECT count(*), count(DISTINCT external_id) FROM orders") orders for $n_sent events"
srv_stop
[[ $(sqlite3 "$DB" "PRAGMA integrity_check") == ok ]] || fail "integrity_check after kill -9"
echo "durability: $n_acked acknowledged of $n_sent sent before kill -9; all present once; re-send completed the set"
pass
