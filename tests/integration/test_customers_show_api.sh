#!/bin/bash
# `birebir customers show ID --json` prints the same JSON as GET /api/v1/customers/{id}, byte for byte:
# rendered (no stored view), from the stored view (after `views build`), by an identifier of a kind, and
# for a customer with scores (reals: p_alive, expected purchases). The text form still reads it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
command -v sqlite3 >/dev/null || skip "the sqlite3 shell is needed"
"$BB" --db "$DB" demo --customers 150 >/dev/null || fail "demo exited $?" # demo analyses too
A=$(tok analyst)
q() { sqlite3 "$DB" "$1"; }
ids=$(q "SELECT c.external_id FROM customer c JOIN customer_score s ON s.customer_id = c.id
         WHERE s.p_alive IS NOT NULL AND c.merged_into IS NULL ORDER BY c.id LIMIT 3")
[[ $(wc -w <<<"$ids") == 3 ]] || fail "the demo has no scored customers: $ids"
[[ $(q "SELECT count(*) FROM customer_view") == 0 ]] || fail "views are stored before the test stores them"

same() { # $1: customer ref; $2: what; $3...: extra CLI flags
  local ref=$1 what=$2; shift 2
  "$BB" --db "$DB" customers show "$ref" --json "$@" >cli.json || fail "$what: customers show exited $?"
  [[ $(st -H "Authorization: Bearer $A" "$U/customers/$ref") == 200 ]] || fail "$what: GET $ref: $(cat body.json)"
  printf '\n' >>body.json
  cmp -s cli.json body.json || fail "$what: the CLI and the API differ for $ref: $(diff <(jq -S . cli.json) <(jq -S . body.json) | head -5)"
  jq -e '.scores.p_alive.value | numbers' cli.json >/dev/null || fail "$what: no p_alive in $(head -c 300 cli.json)"
}
srv_start --rate-limit 0 --no-background-views
for id in $ids; do same "$id" "rendered"; done
srv_stop
"$BB" --db "$DB" views build >/dev/null || fail "views build exited $?"
[[ $(q "SELECT count(*) FROM customer_view") -gt 100 ]] || fail "views build stored $(q "SELECT count(*) FROM customer_view") views"
srv_start --rate-limit 0
for id in $ids; do same "$id" "stored"; done
# By an identifier of a kind (the CLI's --kind; the API's path takes the id), the same customer.
id=$(head -1 <<<"$ids")
email=$(q "SELECT email FROM customer WHERE external_id = '$id'")
if [[ -n $email ]]; then
  "$BB" --db "$DB" customers show "$email" --kind email --json >k.json || fail "show --kind email exited $?"
  cmp -s k.json cli.json || "$BB" --db "$DB" customers show "$id" --json | cmp -s - k.json || fail "--kind email shows another view"
fi
# A number of the stored text: 12 significant digits at most (the API's precision), not 17.
digits=$(jq -r '.scores.p_alive.value' cli.json | tr -d '.-' | sed 's/^0*//; s/e.*//')
[[ ${#digits} -le 12 ]] || fail "p_alive printed with ${#digits} digits: $(jq -r '.scores.p_alive.value' cli.json)"
"$BB" --db "$DB" customers show "$id" >show.txt || fail "show (text) exited $?"
grep -q "P(alive)" show.txt || fail "the text view lost its scores: $(head -20 show.txt)"
srv_stop
pass
