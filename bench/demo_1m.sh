#!/bin/bash
# bench/demo_1m.sh [N] [BUILD_DIR]: time and peak memory of `birebir demo --customers N` (default
# 1,000,000) beside two figures measured in the same run: the generator alone (records dropped), and
# the anchor, the sqlite3 shell's bare .import of the same rows (the generator's records as CSV) into
# tables without keys, indexes or identity. Prints rows/s for each and the ratio. Not a test.
# The demo ends with `analyze` (its time is printed on its own line); the rows/s figures count it.
# Needs /usr/bin/time and sqlite3. A quick run: bench/demo_1m.sh 20000.
set -euo pipefail
N=${1:-1000000}
BUILD=${2:-$(dirname "$0")/../build}
BB=${BB:-$BUILD/birebir}
GEN=${GEN:-$BUILD/bench/bench_demo}
[[ -x $BB && -x $GEN ]] || { echo "build first: $BB and $GEN are needed" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/bb-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

field() { sed -n "s/.*$1[^0-9]*\([0-9.]*\).*/\1/p" "$2" | head -1; } # first number after a label
peak_mb() { awk -F: '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
cpu_s() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$1"; }
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$1"; }

echo "birebir demo --customers $N  ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"

# 1. birebir, through the store: validation, identity, indexes, transactions.
/usr/bin/time -v "$BB" --db "$T/demo.db" demo --customers "$N" >"$T/demo.out" 2>"$T/demo.time"
bb_s=$(wall_s "$T/demo.time"); bb_mb=$(peak_mb "$T/demo.time"); bb_cpu=$(cpu_s "$T/demo.time")

# 2. The generator alone.
/usr/bin/time -v "$GEN" generate "$N" >"$T/gen.out" 2>"$T/gen.time"
rows=$(field 'rows ' "$T/gen.out"); gen_s=$(field 'seconds ' "$T/gen.out"); gen_mb=$(peak_mb "$T/gen.time")
gen_cpu=$(cpu_s "$T/gen.time")

# 3. The anchor: the same rows as CSV, imported by the sqlite3 shell into bare tables.
"$GEN" csv "$T" "$N" >/dev/null
cat >"$T/import.sql" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE customer(customer_id, first_name, last_name, email, phone, city, birth_date, gender, created_at, attributes);
CREATE TABLE orders(order_id, customer_ref, ordered_at, amount_minor, currency, channel);
CREATE TABLE order_line(order_id, line_no, customer_ref, sku, quantity, unit_price_minor);
CREATE TABLE interaction(customer_ref, occurred_at, channel, direction, kind, subject, body);
CREATE TABLE consent(customer_ref, channel, status, source, recorded_at);
CREATE TABLE survey(customer_ref, survey, score, comment, responded_at);
.mode csv
.import $T/customers.csv customer
.import $T/orders.csv orders
.import $T/order_lines.csv order_line
.import $T/interactions.csv interaction
.import $T/consents.csv consent
.import $T/surveys.csv survey
SQL
/usr/bin/time -v sqlite3 "$T/bare.db" <"$T/import.sql" >/dev/null 2>"$T/import.time"
imp_s=$(wall_s "$T/import.time"); imp_mb=$(peak_mb "$T/import.time"); imp_cpu=$(cpu_s "$T/import.time")
got=$(sqlite3 "$T/bare.db" "SELECT (SELECT count(*) FROM customer) + (SELECT count(*) FROM orders) +
  (SELECT count(*) FROM order_line) + (SELECT count(*) FROM interaction) + (SELECT count(*) FROM consent) +
  (SELECT count(*) FROM survey)")
[[ $got == "$rows" ]] || echo "warning: the anchor imported $got rows, the generator made $rows" >&2

sed -n '2,10p' "$T/demo.out"
grep -m1 '^Analyzed' "$T/demo.out" || true
printf '%-40s %9s %9s %12s %9s\n' "" "wall s" "cpu s" "rows/s" "peak MB"
printf '%-40s %9.1f %9s %12.0f %9s\n' "birebir demo (generate + store)" "$bb_s" "$bb_cpu" "$(div "$rows" "$bb_s")" "$bb_mb"
printf '%-40s %9.1f %9s %12.0f %9s\n' "generator alone (records dropped)" "$gen_s" "$gen_cpu" "$(div "$rows" "$gen_s")" "$gen_mb"
printf '%-40s %9.1f %9s %12.0f %9s\n' "anchor: sqlite3 .import, bare tables" "$imp_s" "$imp_cpu" "$(div "$rows" "$imp_s")" "$imp_mb"
printf 'rows %s; birebir takes %sx the bare import'"'"'s wall time (generating is %s of it); database %s MB, bare %s MB\n' \
  "$rows" "$(div "$bb_s" "$imp_s")" "$(div "$gen_s" "$bb_s")" "$(( $(stat -c %s "$T/demo.db") / 1048576 ))" \
  "$(( $(stat -c %s "$T/bare.db") / 1048576 ))"
