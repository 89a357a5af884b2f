#!/bin/bash
# bench/analyze_1m.sh DEMO_DB [BUILD_DIR]: time and peak memory of `birebir analyze` on a copy of an
# (e.g. 1M-customer) demo database, step by step (read, fit, score, write), beside the anchor measured
# in the same run: the sqlite3 shell computing bare per-customer aggregates of the same orders (count,
# sum, first and last time: the least any analysis must read). Then the real-time re-score per customer
# (bench_score). Run it once; it copies DEMO_DB (4 GB at 1M customers) to a temporary directory.
set -euo pipefail
SRC=${1:?usage: bench/analyze_1m.sh DEMO_DB [BUILD_DIR]}
BUILD=${2:-$(dirname "$0")/../build}
BB=${BB:-$BUILD/birebir}
T=$(mktemp -d "${TMPDIR:-/tmp}/bb-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
cp "$SRC" "$T/d.db"
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$1"; }
peak_mb() { awk -F: '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }
/usr/bin/time -v sqlite3 "$T/d.db" "SELECT count(*) FROM (SELECT customer_id, count(*), sum(amount_minor),
  min(ordered_at), max(ordered_at) FROM orders GROUP BY customer_id)" >"$T/anchor.out" 2>"$T/anchor.time"
/usr/bin/time -v "$BB" --db "$T/d.db" analyze --json >"$T/a.json" 2>"$T/a.time"
a_s=$(wall_s "$T/a.time"); n_s=$(wall_s "$T/anchor.time")
echo "birebir analyze: $a_s s wall, $(peak_mb "$T/a.time") MB peak; steps (s): $(jq -c .seconds "$T/a.json")"
echo "  $(jq -r '"\(.customers) customers, \(.orders) orders, model \(.model)"' "$T/a.json")"
echo "anchor, sqlite3 per-customer aggregates: $n_s s wall, $(peak_mb "$T/anchor.time") MB peak"
awk -v a="$a_s" -v b="$n_s" 'BEGIN { printf "ratio analyze / aggregates: %.1f\n", (b > 0 ? a / b : 0) }'
"$BUILD/bench/bench_score" "$T/d.db" 10000
