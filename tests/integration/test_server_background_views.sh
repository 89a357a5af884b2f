#!/bin/bash
# birebir serve on a database without stored views stores every customer's view in the background,
# and answers events while it works (each answered, some before the pass is done); events that change
# customers already passed (their views deleted) are caught by the pass that follows. With
# --no-background-views nothing is stored until asked for.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
command -v sqlite3 >/dev/null || skip "the sqlite3 shell is needed"
"$BB" --db "$DB" demo --customers 2000 >/dev/null || fail "demo exited $?"
ing=$(tok ingest)
q() { sqlite3 "$DB" "$1"; }
customers=$(q "SELECT count(*) FROM customer WHERE merged_into IS NULL")
[[ $(q "SELECT count(*) FROM customer_view") == 0 ]] || fail "views are stored before the server runs"

srv_start --rate-limit 0 --no-background-views
sleep 1
[[ $(q "SELECT count(*) FROM customer_view") == 0 ]] || fail "--no-background-views stored views"
srv_stop

srv_start --rate-limit 0
E=(-H "Authorization: Bearer $ing" -H 'Content-Type: application/json')
first=$(q "SELECT external_id FROM customer WHERE merged_into IS NULL ORDER BY id LIMIT 1")
during=0
for i in $(seq 20); do
  ev='{"type":"interaction","event_id":"bg-'$i'","customer_id":"'$first'","occurred_at":"2026-11-0'$((i % 9 + 1))'T10:00:00Z","channel":"call","direction":"in","kind":"question","subject":"q'$i'"}'
  [[ $(st "${E[@]}" -d "$ev" "$U/events") == 200 && $(jv body.json accepted) == 1 ]] || fail "event $i: $(cat body.json)"
  [[ $(q "SELECT count(*) FROM customer_view") -lt $customers ]] && during=$((during + 1))
done
((during > 0)) || fail "no event was answered while views were being stored"
for _ in $(seq 600); do
  [[ $(q "SELECT count(*) FROM customer_view") == "$customers" ]] && break
  sleep 0.1
done
[[ $(q "SELECT count(*) FROM customer_view") == "$customers" ]] || fail "$(q "SELECT count(*) FROM customer_view") of $customers views stored"
[[ $(q "SELECT count(*) FROM customer_view v JOIN customer c ON c.id = v.customer_id WHERE c.external_id = '$first'") == 1 ]] \
  || fail "the view of the customer the events changed is not stored again"
[[ $(q "SELECT count(*) FROM interaction WHERE subject LIKE 'q%'") == 20 ]] || fail "events lost"
for _ in $(seq 200); do grep -q "every customer's view is stored" srv.log && break; sleep 0.1; done
grep -q "every customer's view is stored" srv.log || fail "no line saying the views are done: $(grep -v ' /api/' srv.log | tail -3)"
# The stored view answers as a fresh render would.
"$BB" --db "$DB" customers show "$first" --json >cli.json || fail "customers show exited $?"
[[ $(jq '.interactions | length' cli.json) -ge 20 ]] || fail "the stored view misses the events' interactions"
srv_stop
pass
