#!/bin/bash
# import_vs_sqlite.sh: rows/s of `birebir import order-lines` (validating, resolving customers and
# products, creating orders, indexing) beside the sqlite3 shell's `.mode csv` + `.import` of the same
# file into one bare table, measured in the same run; prints both (wall, CPU, peak memory) and the
# ratios. The two runs alternate REPEAT times; the medians are printed.
# Usage: bench/import_vs_sqlite.sh [ROWS]   (default 1,000,000; ~ROWS/5 orders, ROWS/20 customers,
#        3,000 SKUs). BB=path/to/birebir (default build/birebir). CSV=FILE: use (and keep) that file,
#        generating it when it does not exist. REPEAT=N (default 1). Needs /usr/bin/time and sqlite3.
#        Not a test: asserts nothing.
set -euo pipefail
rows=${1:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
BB=${BB:-$here/build/birebir}
REPEAT=${REPEAT:-1}
[[ -x $BB ]] || { echo "build first: $BB not found" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not found" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/bb-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
csv=${CSV:-$T/lines.csv}

# 1,000,000 lines: orders of 5 lines each on average (200,000 orders), 50,000 customers, 3,000 SKUs,
# two years of times; a few returns (negative quantities).
if [[ ! -s $csv ]]; then
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
    } }' >"$csv"
fi
lines=$(($(wc -l <"$csv") - 1))
size=$(du -h "$csv" | cut -f1)
cat "$csv" >/dev/null # into the page cache, for both

# one timed run: wall s, cpu s, peak MB appended to $T/$1.runs
timed() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$T/t" "$@"
  awk '{ printf "%s %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$T/t" >>"$T/$name.runs"
}

for ((i = 0; i < REPEAT; i++)); do
  # anchor: the sqlite3 shell's CSV import into one bare table (no keys, no indexes, no validation)
  rm -f "$T"/bare.db*
  sqlite3 "$T/bare.db" 'PRAGMA journal_mode=WAL;' \
    'CREATE TABLE order_line (order_id TEXT, customer_id TEXT, ordered_at TEXT, sku TEXT, quantity REAL, unit_price REAL);' >/dev/null
  printf '.mode csv\n.import --skip 1 %s order_line\n' "$csv" >"$T/import.sql"
  timed sqlite sqlite3 "$T/bare.db" <"$T/import.sql"
  bare_n=$(sqlite3 "$T/bare.db" 'SELECT count(*) FROM order_line')

  # birebir: a fresh database, the same file
  rm -f "$T"/bb.db*
  "$BB" --db "$T/bb.db" init >/dev/null
  timed bb "$BB" --db "$T/bb.db" import order-lines "$csv" --json >"$T/sum.json"
  bb_n=$(sqlite3 "$T/bb.db" 'SELECT count(*) FROM order_line')
done

med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
col() { awk -v c="$2" '{ print $c }' "$T/$1.runs" | med; }
sq=$(col sqlite 1); sqc=$(col sqlite 2); sqm=$(col sqlite 3)
bb=$(col bb 1); bbc=$(col bb 2); bbm=$(col bb 3)
awk -v n="$lines" -v size="$size" -v r="$REPEAT" -v sq="$sq" -v sqc="$sqc" -v sqm="$sqm" -v bb="$bb" \
  -v bbc="$bbc" -v bbm="$bbm" -v bn="$bare_n" -v bbn="$bb_n" 'BEGIN {
  printf "order lines: %d (%s CSV), median of %d run(s)\n", n, size, r
  printf "%-30s %10s %8s %8s %8s %9s\n", "", "rows/s", "wall s", "cpu s", "peak MB", "rows"
  printf "%-30s %10.0f %8.2f %8.2f %8d %9d\n", "sqlite3 .import (bare table)", n / sq, sq, sqc, sqm, bn
  printf "%-30s %10.0f %8.2f %8.2f %8d %9d\n", "birebir import order-lines", n / bb, bb, bbc, bbm, bbn
  printf "ratio birebir / sqlite3 (rows/s): wall %.2f, cpu %.2f\n", sq / bb, sqc / bbc }'
grep -E '"(customers|products|orders)_created"' "$T/sum.json" | tr -d ' ,' | tr '\n' ' '; echo
