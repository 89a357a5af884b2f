# server_lib.sh: sourced by the server's integration tests, after lib.sh. Starts the real server on
# 127.0.0.1 and a free port (serve --port 0 prints the one it took), stops it, and reads answers.
#   srv_start [serve flags...]   sets SRV_PID, PORT, U (http://127.0.0.1:PORT/api/v1); database $DB
#   srv_stop                     SIGTERM, waits, fails unless the server exited 0
#   st ARGS...                   curl ARGS; the body goes to body.json, prints the status
#   jv FILE PATH                 the value at a dotted path of a JSON file ("error.code", "rejected.0.index")
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY='*' no_proxy='*'
command -v curl >/dev/null && command -v jq >/dev/null || skip "curl and jq are needed (scripts/deps)"
DB=${DB:-$T/d.db}
SRV_PID=
trap '[[ -n $SRV_PID ]] && kill -9 $SRV_PID 2>/dev/null; rm -rf "$T"' EXIT

srv_start() {
  : >srv.out
  "$BB" --db "$DB" serve --listen 127.0.0.1 --port 0 "$@" >srv.out 2>>srv.log &
  SRV_PID=$!
  PORT=
  for _ in $(seq 300); do
    PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' srv.out)
    [[ -n $PORT ]] && curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break
    kill -0 $SRV_PID 2>/dev/null || fail "the server exited: $(tail -3 srv.log)"
    sleep 0.1
  done
  [[ -n $PORT ]] || fail "the server did not start: $(tail -3 srv.log)"
  U=http://127.0.0.1:$PORT/api/v1
}

srv_stop() {
  local rc
  kill -TERM $SRV_PID
  wait $SRV_PID; rc=$?
  SRV_PID=
  [[ $rc == 0 ]] || fail "the server exited $rc after SIGTERM: $(tail -3 srv.log)"
}

st() { curl -s -o body.json -w '%{http_code}' "$@"; }

jv() {
  local f="" k parts
  IFS=. read -ra parts <<<"$2"
  for k in "${parts[@]}"; do
    if [[ $k =~ ^[0-9]+$ ]]; then f+="[$k]"; else f+=".\"$k\""; fi
  done
  [[ $f == \[* ]] && f=".$f"
  jq -r "$f" "$1"
}

# A token of a role, made with the CLI: tok ROLE [NAME]
tok() { "$BB" --db "$DB" tokens create --name "${2:-$1}" --role "$1" 2>/dev/null | tail -1; }
