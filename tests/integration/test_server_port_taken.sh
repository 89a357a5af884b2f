#!/bin/bash
# A port in use is refused: a second `birebir serve` on the port of a running one exits 1 with a
# message naming the port, and every request still reaches the first server (no two servers sharing
# a port, each answering part of the requests from its own database).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
"$BB" --db "$DB" init >/dev/null || fail "init exited $?"
"$BB" --db other.db init >/dev/null || fail "init of other.db exited $?"
a=$(tok admin)
other=$("$BB" --db other.db tokens create --name o --role admin 2>/dev/null | tail -1)
srv_start
timeout 10 "$BB" --db other.db serve --listen 127.0.0.1 --port "$PORT" >second.out 2>second.err; rc=$?
[[ $rc == 1 ]] || fail "a second server on port $PORT exited $rc, expected 1: $(cat second.out second.err)"
grep -q "$PORT" second.err || fail "the message does not name the port: $(cat second.err)"
# Every request reaches the first server: its token is known, the other database's is not.
for i in $(seq 20); do
  [[ $(st -H "Authorization: Bearer $a" "$U/session") == 200 ]] || fail "request $i did not reach the first server"
  [[ $(st -H "Authorization: Bearer $other" "$U/session") == 401 ]] || fail "request $i reached another database"
done
srv_stop
pass
