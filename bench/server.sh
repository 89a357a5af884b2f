#!/bin/bash
# server.sh: the server's figures, each beside an anchor measured in the same run (not a test: it
# asserts nothing). wrk against:
#   1. GET /api/v1/customers/{id} for random ids, and bench_mhd_minimal (libmicrohttpd answering one
#      fixed JSON body with the same thread pool, measured before and after ours): requests/s, p50,
#      p99, the server's CPU time per request, and the ratios (of requests/s, and of CPU per request,
#      which other programs on the machine sway far less); beside them the
#      fixed cost of a request: GET /api/v1/session by token (authenticated, reads no data) and
#      GET /api/v1/health (SKIP_FIXED=1: not these);
#   2. POST /api/v1/events with single orders, and with NDJSON batches of 1,000 (events/s, durability
#      on: every answer after an fsynced commit);
#   3. GET /api/v1/customers?q= (Turkish-folded search) for random names: p50, p99, with as many
#      connections as threads (SEARCH_CONN), then with CONN.
# Usage: bench/server.sh [DB]   DB: a database with customers; default: a fresh
#        `birebir demo --customers $CUSTOMERS` (1,000,000). Env: BB (build/birebir), MIN
#        (build/bench/bench_mhd_minimal), DUR (10s), CONN (64), THREADS (nproc: wrk's), SERVER_THREADS
#        (serve's default, four per CPU: the pool of both servers),
#        SKIP_GET/SKIP_EVENTS/SKIP_SEARCH/SKIP_VIEWS/SKIP_SIZED=1 (SKIP_VIEWS: no `views build` first;
#        SKIP_SIZED: not the minimal answering a body of the views' size, shown for information), EVENT_SIZES ("1 1000": events per request), EVENT_CONN (8:
#        batches' senders), SEARCH_CONN (THREADS).
#        The events part adds orders to DB.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
BB=${BB:-$here/build/birebir}
MIN=${MIN:-$here/build/bench/bench_mhd_minimal}
DUR=${DUR:-10s}
CONN=${CONN:-64}
THREADS=${THREADS:-$(nproc)}
SERVER_THREADS=${SERVER_THREADS:-$((4 * $(nproc) < 64 ? 4 * $(nproc) : 64))} # serve's default pool
CUSTOMERS=${CUSTOMERS:-1000000}
[[ -x $BB && -x $MIN ]] || { echo "build first (cmake --build build): $BB, $MIN" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not found: scripts/deps --bench" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not found" >&2; exit 2; }
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
T=$(mktemp -d "${TMPDIR:-/tmp}/bb-bench.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$T"; }
trap cleanup EXIT

DB=${1:-}
if [[ -z $DB ]]; then
  DB=$T/demo.db
  echo "making the demo business: $CUSTOMERS customers ..." >&2
  "$BB" --db "$DB" demo --customers "$CUSTOMERS" --seed 1 >/dev/null
fi
# Measured warm: the database file is read once into the page cache first, as a server's would be.
cat "$DB" "$DB-wal" >/dev/null 2>&1 || true
token=$("$BB" --db "$DB" tokens create --name "bench-$$" --role admin 2>/dev/null | tail -1)
n_customers=$(sqlite3 "$DB" "SELECT count(*) FROM customer WHERE merged_into IS NULL")
# The 360 views are served from stored views: store the missing ones first (nothing to do when every
# view is stored; the first time at 1M customers, minutes). SKIP_VIEWS=1 measures without.
if [[ ${SKIP_VIEWS:-} != 1 ]]; then
  "$BB" --db "$DB" views build >&2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s "http://127.0.0.1:$1/" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

port=$(free_port)
"$BB" --db "$DB" serve --port "$port" --threads "$SERVER_THREADS" --rate-limit 0 --access-log none >"$T/srv.out" 2>"$T/srv.log" &
srv_pid=$!
pids+=($srv_pid)
wait_port "$port" || { echo "the server did not start: $(tail -2 "$T/srv.log")" >&2; exit 1; }

# wrk's figures: requests/s, p50 and p99 in ms.
figures() {
  awk '/Requests\/sec:/ {r=$2}
       /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
       function ms(x) { if (x ~ /us$/) return x/1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return x*1000; return x }
       END {printf "%.0f %.2f %.2f\n", r, ms(p50), ms(p99)}' "$1"
}
headers="wrk.headers['Authorization'] = 'Bearer $token'"

# The requests are formatted once, at init: encoding and formatting one per request in Lua cost wrk more
# than the minimal responder's whole answer (wrk alone, against the minimal with random paths: 87k
# requests/s formatted per request, 153k formatted once), and wrk shares the machine with the server.
cat >"$T/get.lua" <<LUA
local reqs = {}
local function enc(s) return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
init = function(args)
  $headers
  for line in io.lines("$T/ids.txt") do reqs[#reqs + 1] = wrk.format("GET", "/api/v1/customers/" .. enc(line)) end
end
request = function() return reqs[math.random(#reqs)] end
LUA

# The server's CPU time (user + system, from /proc) per request answered: far less swayed than
# requests/s by other programs sharing the machine.
clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# run NAME PID WRK_ARGS...: wrk's report in $T/NAME.txt, PID's CPU microseconds per request in $T/NAME.cpu
run() {
  local name=$1 pid=$2 c0 c1
  shift 2
  c0=$(cpu_ticks "$pid")
  wrk -t"$THREADS" -c"$CONN" -d"$DUR" --latency "$@" >"$T/$name.txt"
  c1=$(cpu_ticks "$pid")
  awk -v t=$((c1 - c0)) -v clk="$clk" '/requests in/ {n = $1} END {printf "%.1f\n", n ? t * 1e6 / clk / n : 0}' \
    "$T/$name.txt" >"$T/$name.cpu"
}
row() { # LABEL NAME
  local rps p50 p99
  read -r rps p50 p99 < <(figures "$T/$2.txt")
  printf '  %-34s %10s %9s %9s %10s\n' "$1" "$rps" "$p50" "$p99" "$(cat "$T/$2.cpu")"
}
rps() { figures "$T/$1.txt" | cut -d' ' -f1; }

if [[ ${SKIP_GET:-0} != 1 ]]; then
  sqlite3 "$DB" "SELECT external_id FROM customer WHERE merged_into IS NULL ORDER BY random() LIMIT 20000" >"$T/ids.txt"
  mport=$(free_port)
  "$MIN" "$mport" "$SERVER_THREADS" >/dev/null &
  min_pid=$!
  pids+=($min_pid)
  wait_port "$mport"
  # The anchor before and after ours (its mean is the ratios' base), so a change in the machine's load
  # during the run weighs on both sides.
  run min1 "$min_pid" "http://127.0.0.1:$mport/"
  run get "$srv_pid" -s "$T/get.lua" "http://127.0.0.1:$port"
  if [[ ${SKIP_FIXED:-0} != 1 ]]; then # the fixed cost of a request: no data read
    run session "$srv_pid" -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/session"
    run health "$srv_pid" "http://127.0.0.1:$port/api/v1/health"
  fi
  run min2 "$min_pid" "http://127.0.0.1:$mport/"
  # For information beside the anchor (SKIP_SIZED=1: not this): the minimal responder answering a body
  # as long as the views' answers (their mean over 50 of the ids), to the same requests as ours.
  if [[ ${SKIP_SIZED:-0} != 1 ]]; then
    size=$(head -50 "$T/ids.txt" | while read -r id; do
      curl -s -o /dev/null -w '%{size_download}\n' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/customers/$id"
    done | awk '{s += $1} END {printf "%d", s / NR}')
    sport=$(free_port)
    "$MIN" "$sport" "$SERVER_THREADS" "$size" >/dev/null &
    sized_pid=$!
    pids+=($sized_pid)
    wait_port "$sport"
    run sized "$sized_pid" -s "$T/get.lua" "http://127.0.0.1:$sport"
    kill "$sized_pid" 2>/dev/null || true
  fi
  grep -q "Non-2xx" "$T/get.txt" && echo "warning: $(grep Non-2xx "$T/get.txt")" >&2
  m_rps=$(awk -v a="$(rps min1)" -v b="$(rps min2)" 'BEGIN {printf "%.0f", (a + b) / 2}')
  m_cpu=$(awk -v a="$(cat "$T/min1.cpu")" -v b="$(cat "$T/min2.cpu")" 'BEGIN {printf "%.1f", (a + b) / 2}')
  printf '\nGET /api/v1/customers/{id}, %s customers, %s server threads, %s connections, %s\n' "$n_customers" "$SERVER_THREADS" "$CONN" "$DUR"
  printf '  %-34s %10s %9s %9s %10s\n' "" "req/s" "p50 ms" "p99 ms" "CPU us/req"
  row "libmicrohttpd, fixed JSON body" min1
  row "birebir (360 view from SQLite)" get
  if [[ ${SKIP_FIXED:-0} != 1 ]]; then
    row "birebir GET /session (token)" session
    row "birebir GET /health (no auth)" health
  fi
  row "libmicrohttpd again" min2
  [[ ${SKIP_SIZED:-0} == 1 ]] || row "  (info) same, ${size}-byte body" sized
  awk -v a="$(rps get)" -v b="$m_rps" -v c="$(cat "$T/get.cpu")" -v m="$m_cpu" 'BEGIN {
    printf "  ratio: %.2f of the minimal responder'"'"'s requests/s (goal: 0.5 or more); by server CPU per request %.2f\n", a / b, m / c }'
  [[ ${SKIP_SIZED:-0} == 1 ]] || awk -v a="$(rps get)" -v b="$(rps sized)" -v c="$(cat "$T/get.cpu")" \
    -v m="$(cat "$T/sized.cpu")" 'BEGIN {
    printf "  for information: %.2f of the requests/s of a minimal answering as many bytes to the same requests; by CPU %.2f\n", a / b, m / c }'
  [[ ${SKIP_FIXED:-0} == 1 ]] || awk -v s="$(rps session)" -v h="$(rps health)" -v b="$m_rps" \
    -v sc="$(cat "$T/session.cpu")" -v hc="$(cat "$T/health.cpu")" -v m="$m_cpu" 'BEGIN {
    printf "  fixed cost: an authenticated request that reads no data %.2f, /health %.2f of its requests/s;\n", s / b, h / b
    printf "    by server CPU per request %.2f and %.2f\n", m / sc, m / hc }'
fi

# Events: one order per request, then NDJSON batches of 1,000.
cat >"$T/events.lua" <<LUA
local n, counter, tid = tonumber(os.getenv("PER") or "1"), 0, 0
local id = 0
setup = function(thread) id = id + 1; thread:set("tid", id) end
init = function(args)
  $headers
  wrk.headers["Content-Type"] = n > 1 and "application/x-ndjson" or "application/json"
  wrk.method = "POST"
end
request = function()
  local lines = {}
  for i = 1, n do
    counter = counter + 1
    local e = string.format("b%d-%d-%d-%d", os.time(), tid, counter, n)
    lines[i] = string.format('{"type":"order","event_id":"%s","customer_id":"bench-%d","order_id":"O%s",'
      .. '"ordered_at":"2026-06-01T12:00:00Z","amount":"%d.50","currency":"TRY"}', e, counter % 5000, e, counter % 900)
  end
  return wrk.format(nil, "/api/v1/events", nil, table.concat(lines, "\n"))
end
LUA
# Single orders from CONN senders (a commit carries as many as wait), batches from EVENT_CONN (8): 64
# senders of 1,000-event batches only queue 64,000 events behind the one writer (answers seconds late).
[[ ${SKIP_EVENTS:-0} == 1 ]] || printf '\nPOST /api/v1/events (durability on: each answer after an fsynced commit), %s\n' "$DUR"
for per in ${EVENT_SIZES:-1 1000}; do
  [[ ${SKIP_EVENTS:-0} == 1 ]] && break
  c=$CONN; [[ $per -gt 1 ]] && c=${EVENT_CONN:-8} # single orders need many senders to share commits
  PER=$per wrk -t"$THREADS" -c"$c" -d"$DUR" --latency -s "$T/events.lua" "http://127.0.0.1:$port" >"$T/ev$per.txt"
  read -r e_rps e_p50 e_p99 < <(figures "$T/ev$per.txt")
  grep -q "Non-2xx" "$T/ev$per.txt" && echo "warning: $(grep Non-2xx "$T/ev$per.txt")" >&2
  awk -v r="$e_rps" -v per="$per" -v p50="$e_p50" -v p99="$e_p99" -v c="$c" 'BEGIN {
    printf "  %-34s %10.0f events/s (%s req/s, p50 %s ms, p99 %s ms, %s connections)\n",
      per == 1 ? "single orders" : "NDJSON batches of 1,000", r * per, r, p50, p99, c }'
done

if [[ ${SKIP_SEARCH:-0} != 1 ]]; then
  sqlite3 "$DB" "SELECT * FROM (SELECT DISTINCT first_name FROM customer WHERE first_name IS NOT NULL LIMIT 300)
                 UNION SELECT * FROM (SELECT DISTINCT city FROM customer WHERE city IS NOT NULL LIMIT 100)" >"$T/terms.txt"
  cat >"$T/search.lua" <<LUA
local terms = {}
init = function(args)
  for line in io.lines("$T/terms.txt") do terms[#terms + 1] = line end
  $headers
end
local function enc(s) return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
request = function() return wrk.format("GET", "/api/v1/customers?limit=20&q=" .. enc(terms[math.random(#terms)])) end
LUA
  # Latency as people searching see it: as many connections as threads (SEARCH_CONN), so a request
  # waits for its own work, not behind 64 others; then at CONN connections, the throughput.
  for c in "${SEARCH_CONN:-$THREADS}" "$CONN"; do
    wrk -t"$THREADS" -c"$c" -d"$DUR" --latency -s "$T/search.lua" "http://127.0.0.1:$port" >"$T/search.txt"
    read -r s_rps s_p50 s_p99 < <(figures "$T/search.txt")
    printf '\nGET /api/v1/customers?q= over %s customers, %s connections: %s req/s, p50 %s ms, p99 %s ms (goal: p99 under 50 ms)\n' \
      "$n_customers" "$c" "$s_rps" "$s_p50" "$s_p99"
  done
fi
