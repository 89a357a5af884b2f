#!/bin/bash
# birebir customers show/search/merge/duplicates on a small database written through the store's
# API (fixture_customers): text and JSON, Turkish search, merge moving everything, exit codes.
. "$(dirname "$0")/lib.sh"
FX=${BB_BUILD_DIR:?}/tests/fixture_customers
[[ -x $FX ]] || skip "no fixture program at $FX"
"$FX" c.db || fail "fixture exited $?"
J() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$@"; }

# show: JSON keys and values, text
"$BB" --db c.db customers show 1 --json >show.json || fail "show --json exited $?"
[[ $(J show.json 'd["customer"]["email"]') == ayse@example.com ]] || fail "show: wrong email"
[[ $(J show.json 'd["order_summary"]["count"]') == 12 ]] || fail "show: order count"
# 12 orders: 12 x 250.00 plus 6 second lines of 2 x 250.00
[[ $(J show.json 'd["order_summary"]["revenue_minor"]') == $((12 * 25000 + 6 * 50000)) ]] || fail "show: revenue"
[[ $(J show.json 'len(d["orders"])') == 10 ]] || fail "show: not the last 10 orders"
[[ $(J show.json 'd["orders"][0]["order_id"]') == A11 ]] || fail "show: newest order first"
[[ $(J show.json 'len(d["orders"][0]["lines"])') == 2 ]] || fail "show: lines"
[[ $(J show.json '[c["channel"]+":"+c["status"] for c in d["consents"]["current"]]') == "['sms:revoked', 'email:granted']" ]] || fail "show: consents $(J show.json 'd["consents"]')"
[[ $(J show.json 'd["interactions"][0]["subject"]') == "Geç teslimat" ]] || fail "show: interactions"
[[ $(J show.json 'd["survey_responses"][0]["score"]') == 6 ]] || fail "show: surveys"
"$BB" --db c.db customers show "0532 123 45 67" >show.txt || fail "show by phone exited $?"
grep -q "Ayşe IŞIK" show.txt || fail "text show lacks the name: $(head -3 show.txt)"
grep -q "Orders: 12" show.txt || fail "text show lacks the order summary"
grep -q "sms revoked" show.txt || fail "text show lacks consents"
"$BB" --db c.db customers show nobody >/dev/null 2>err.txt; rc=$?
[[ $rc == 1 ]] || fail "show of an unknown customer exited $rc, expected 1"
grep -q nobody err.txt || fail "no message naming the unknown customer"
"$BB" --db c.db customers show >/dev/null 2>&1; [[ $? == 2 ]] || fail "show without ID is not a usage error"

# search: Turkish folding, JSON, paging
for q in ışık isik ISIK; do
  "$BB" --db c.db customers search "$q" --json >q.json || fail "search $q exited $?"
  grep -q ayse@example.com q.json || fail "search '$q' did not find IŞIK"
done
"$BB" --db c.db customers search istanbul --json >q.json
[[ $(J q.json '[c["id"] for c in d["customers"]]') == "['1']" ]] || fail "search istanbul: $(cat q.json)"
"$BB" --db c.db customers search IZMIR >q.txt
grep -q can@example.com q.txt || fail "search IZMIR did not find İzmir"
"$BB" --db c.db customers search "" --limit 4 --json >p1.json
cur=$(J p1.json 'd["next_cursor"]')
[[ $(J p1.json 'len(d["customers"])') == 4 && $cur != None ]] || fail "first page: $(cat p1.json)"
"$BB" --db c.db customers search "" --limit 4 --cursor "$cur" --json >p2.json
[[ $(J p2.json 'len(d["customers"])') == 2 && $(J p2.json 'd["next_cursor"]') == None ]] || fail "second page: $(cat p2.json)"
"$BB" --db c.db customers search x --limit 0 >/dev/null 2>&1; [[ $? == 2 ]] || fail "--limit 0 is not a usage error"

# duplicates: the planted pairs, best first
"$BB" --db c.db customers duplicates --json >d.json || fail "duplicates exited $?"
[[ $(J d.json '[(p["a"], p["b"], p["reason"]) for p in d["duplicates"]]') == "[('1', '3', 'same email'), ('4', '5', 'same phone')]" ]] || fail "duplicates: $(cat d.json)"
"$BB" --db c.db customers duplicates | grep -q "same phone" || fail "text duplicates"

# merge: 3 into 1; then 3 finds 1 and the pair is gone
USER=merger "$BB" --db c.db customers merge 1 3 --by tester --json >m.json || fail "merge exited $?"
[[ $(J m.json 'd["identifiers"]') == 1 ]] || fail "merge: $(cat m.json)"
"$BB" --db c.db customers show 3 --json >s3.json
[[ $(J s3.json 'd["customer"]["id"]') == 1 && $(J s3.json 'd["customer"]["merged_from"]') == "['3']" ]] || fail "show 3 after merge"
[[ $(sqlite3 c.db "SELECT actor FROM customer_merge") == tester ]] || fail "merge not recorded"
[[ $(sqlite3 c.db "SELECT actor, action, target, json_extract(detail, '\$.merged'), json_extract(detail, '\$.by'),
                   json_extract(detail, '\$.identifiers') FROM audit_log WHERE action = 'customer.merge'") \
   == "cli:merger|customer.merge|1|3|tester|1" ]] \
  || fail "merge not in the audit log: $(sqlite3 c.db "SELECT * FROM audit_log")"
"$BB" --db c.db customers duplicates --json >d2.json
[[ $(J d2.json 'len(d["duplicates"])') == 1 ]] || fail "after merge: $(cat d2.json)"
"$BB" --db c.db status --json >st.json
[[ $(J st.json 'd["customers"]') == 5 ]] || fail "status after merge"
"$BB" --db c.db customers merge 1 3 >/dev/null 2>&1; [[ $? == 1 ]] || fail "merging again is not bad input"
"$BB" --db c.db customers merge 1 >/dev/null 2>&1; [[ $? == 2 ]] || fail "merge with one id is not a usage error"
for sub in show search merge duplicates; do
  "$BB" customers $sub --help | grep -q Usage || fail "customers $sub --help"
done
"$BB" --db c.db customers frob >/dev/null 2>&1; [[ $? == 2 ]] || fail "unknown subcommand"
pass
