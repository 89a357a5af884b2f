#!/bin/bash
# kill -9 in the middle of a load leaves a consistent database (every order's amount is the sum of
# its lines, the database passes its integrity check), and loading again completes it with no
# duplicates. Repeated at a few random moments.
. "$(dirname "$0")/lib.sh"
FX=${BB_BUILD_DIR:?}/tests/fixture_load
[[ -x $FX ]] || skip "no fixture program at $FX"
N=150000
check() {
  [[ $(sqlite3 db "PRAGMA integrity_check") == ok ]] || fail "integrity check: $(sqlite3 db 'PRAGMA integrity_check' | head -3)"
  [[ $(sqlite3 db "PRAGMA foreign_key_check" | wc -l) == 0 ]] || fail "foreign keys broken"
  bad=$(sqlite3 db "SELECT count(*) FROM orders o WHERE amount_minor !=
          (SELECT coalesce(sum(quantity * unit_price_minor), 0) FROM order_line WHERE order_id = o.id)")
  [[ $bad == 0 ]] || fail "$bad orders whose amount is not the sum of their lines"
}
for round in 1 2 3; do
  rm -f db db-wal db-shm
  "$FX" db $N 2000 >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 9 + 1))"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  check
  partial=$(sqlite3 db "SELECT count(*) FROM order_line" 2>/dev/null || echo 0)
  "$FX" db $N 2000 >again.txt || fail "the second load failed"
  check
  [[ $(sqlite3 db "SELECT count(*) FROM order_line") == $N ]] || fail "round $round: not every line after the re-run"
  [[ $(cat again.txt) == $((N - partial)) ]] || fail "round $round: re-run inserted $(cat again.txt), expected $((N - partial))"
  # order k has 1 + k % 4 lines: lines 1+2+3+4 per 4 orders, N = 150000 lines = 60000 orders
  [[ $(sqlite3 db "SELECT count(*) FROM orders") == 60000 ]] || fail "round $round: order count"
  echo "round $round: killed after $partial lines, completed"
done
pass
