#!/bin/bash
# The server's readers hold their read snapshot between GET requests (bb_store_read_hold) and renew it
# when anything has been committed: a write by another process (a CLI import, the sqlite3 shell) and
# one through the server (an event) each show at the very next GET, many times over, whichever worker
# answers; with a single worker thread, so the snapshot it holds is the one the next GET would reuse.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
"$BB" --db "$DB" demo --customers 50 --seed 3 >/dev/null 2>&1 || fail "demo exited $?"
adm=$(tok admin); ing=$(tok ingest)
R=(-H "Authorization: Bearer $adm")
E=(-H "Authorization: Bearer $ing" -H 'Content-Type: application/json')
c=$(sqlite3 "$DB" "SELECT external_id FROM customer WHERE merged_into IS NULL ORDER BY id LIMIT 1")
subject() { [[ $(st "${R[@]}" "$U/customers/$c") == 200 ]] || fail "GET $c: $(head -c 300 body.json)"; jq -r '.interactions[0].subject' body.json; }
for threads in 1 4; do
  srv_start --rate-limit 0 --threads $threads
  for i in 1 2 3 4 5; do
    subject >/dev/null; subject >/dev/null # held now
    printf 'customer_id,occurred_at,channel,direction,kind,subject\n%s,203%s-01-0%sT00:00:00Z,email,out,message,cli-%s-%s\n' \
      "$c" "$threads" "$i" "$threads" "$i" >i.csv
    "$BB" --db "$DB" import interactions i.csv >/dev/null || fail "import exited $?"
    [[ $(subject) == "cli-$threads-$i" ]] || fail "$threads threads: the GET after a CLI import shows $(subject), not cli-$threads-$i"
    subject >/dev/null
    sqlite3 "$DB" "UPDATE customer SET city = 'Şehir-$threads-$i' WHERE external_id = '$c'; DELETE FROM customer_view"
    subject >/dev/null
    [[ $(jq -r .customer.city body.json) == "Şehir-$threads-$i" ]] \
      || fail "$threads threads: the GET after the sqlite3 shell's write shows city $(jq -r .customer.city body.json)"
    [[ $(st "${E[@]}" -d '{"type":"interaction","event_id":"ev-'"$threads-$i"'","customer_id":"'"$c"'",
          "occurred_at":"203'"$threads"'-01-0'"$i"'T12:00:00Z","channel":"call","direction":"in","kind":"note","subject":"ev-'"$threads-$i"'"}' \
          "$U/events") == 200 ]] || fail "event: $(cat body.json)"
    [[ $(subject) == "ev-$threads-$i" ]] || fail "$threads threads: the GET after an event shows $(subject), not ev-$threads-$i"
  done
  srv_stop
done
pass
