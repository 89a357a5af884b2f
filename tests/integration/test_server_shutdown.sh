#!/bin/bash
# Graceful shutdown: SIGTERM while a large request is still uploading; the server takes no new
# connection, the request finishes and is answered, every event it acknowledged is committed, the
# server exits 0 and leaves a consistent database. SIGINT stops it the same way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
"$BB" --db "$DB" init >/dev/null || fail "init exited $?"
ing=$(tok ingest)
srv_start --rate-limit 0
for i in $(seq 0 2999); do
  printf '{"type":"order","event_id":"g-%d","customer_id":"k%d","order_id":"G%d","amount":"1.00"}\n' $i $((i % 30)) $i
done >slow.ndjson
# About 3 seconds of upload at 70 kB/s.
curl -s -o slow.json -w '%{http_code}' --limit-rate 70k -H "Authorization: Bearer $ing" \
  -H 'Content-Type: application/x-ndjson' --data-binary @slow.ndjson "$U/events" >slow.code &
upload=$!
sleep 1
kill -TERM $SRV_PID
sleep 0.3
curl -s -m 2 "$U/health" >/dev/null && fail "a new connection was served after SIGTERM"
wait $upload
[[ $(cat slow.code) == 200 ]] || fail "the request in flight got $(cat slow.code): $(head -c 300 slow.json)"
[[ $(jv slow.json accepted) == 3000 ]] || fail "the request in flight: $(head -c 300 slow.json)"
wait $SRV_PID; rc=$?; SRV_PID=
[[ $rc == 0 ]] || fail "the server exited $rc after SIGTERM: $(tail -3 srv.log)"
grep -q 'SIGTERM: stopping' srv.log && grep -q 'stopped; the database is closed' srv.log || fail "log: $(tail -3 srv.log)"
[[ $(sqlite3 "$DB" "SELECT count(*) FROM orders") == 3000 ]] || fail "acknowledged orders were not all committed"
[[ $(sqlite3 "$DB" "PRAGMA integrity_check") == ok ]] || fail "integrity_check"
[[ ! -s "$DB-wal" ]] || fail "the write-ahead log was not checkpointed on close"

srv_start
kill -INT $SRV_PID
wait $SRV_PID; rc=$?; SRV_PID=
[[ $rc == 0 ]] || fail "the server exited $rc after SIGINT"
grep -q 'SIGINT: stopping' srv.log || fail "no SIGINT stop in the log"
pass
