#!/bin/bash
# import_vs_sqlite.sh: rows/s of `birebir import order-lines` (validating, resolving customers and
# products, creating orders, indexing) beside the sqlite3 shell's `.mode csv` + `.import` of the same
# file into one bare table, measured in the same run; prints both and the ratio.
# Usage: bench/import_vs_sqlite.sh [ROWS]   (default 1,000,000; ~ROWS/5 orders, ROWS/20 customers,
#        3,000 SKUs). BB=path/to/birebir (default build/birebir). Not a test: asserts nothing.
set -euo pipefail
rows=${1:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
BB=${BB:-$here/build/birebir}
[[ -x $BB ]] || { echo "build first: $BB not found" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not found" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/bb-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

# 1,000,000 lines: orders of 5 lines each on average (200,000 orders), 50,000 customers, 3,000 SKUs,
# two years of times; a few returns (negative quantities).
awk -v n="$rows" 'BEGIN {
  srand(42); print "order_id,customer_id,ordered_at,sku,quantity,unit_price"
  ncust = int(n / 20); if (ncust < 1) ncust = 1
  o = 0; left = 0
  for (i = 0; i < n; i++) {
    if (left == 0) { o++; left = 1 + int(rand() * 9); c = 1 + int(rand() * ncust)
      t = 1672531200 + int(rand() * 63072000)
      d = strftime("%Y-%m-%d %H:%M:%S", t, 1) }
    q = 1 + int(rand() * 4); if (rand() < 0.02) q = -q
    printf "O%07d,C%06d,%s,SKU-%04d,%d,%d.%02d\n", o, c, d, int(rand() * 3000), q, 1 + int(rand() * 500), int(rand() * 100)
    left--
  } }' >"$T/lines.csv"
lines=$(($(wc -l <"$T/lines.csv") - 1))
size=$(du -h "$T/lines.csv" | cut -f1)

now() { date +%s.%N; }

# anchor: the sqlite3 shell's CSV import into one bare table (no keys, no indexes, no validation)
sqlite3 "$T/bare.db" 'PRAGMA journal_mode=WAL;' \
  'CREATE TABLE order_line (order_id TEXT, customer_id TEXT, ordered_at TEXT, sku TEXT, quantity REAL, unit_price REAL);' >/dev/null
t0=$(now)
sqlite3 "$T/bare.db" <<SQL
.mode csv
.import --skip 1 $T/lines.csv order_line
SQL
t1=$(now)
bare_n=$(sqlite3 "$T/bare.db" 'SELECT count(*) FROM order_line')

# birebir: a fresh database, the same file
"$BB" --db "$T/bb.db" init >/dev/null
t2=$(now)
"$BB" --db "$T/bb.db" import order-lines "$T/lines.csv" --json >"$T/sum.json"
t3=$(now)
bb_n=$(sqlite3 "$T/bb.db" 'SELECT count(*) FROM order_line')

awk -v n="$lines" -v size="$size" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v bn="$bare_n" -v bbn="$bb_n" 'BEGIN {
  sq = (b - a); bb = (d - c)
  printf "order lines: %d (%s CSV)\n", n, size
  printf "sqlite3 .import (bare table):  %9.0f rows/s  (%.2f s, %d rows)\n", n / sq, sq, bn
  printf "birebir import order-lines:    %9.0f rows/s  (%.2f s, %d rows)\n", n / bb, bb, bbn
  printf "ratio birebir / sqlite3:       %9.2f\n", sq / bb }'
grep -E '"(customers|products|orders)_created"' "$T/sum.json" | tr -d ' ,' | tr '\n' ' '; echo
