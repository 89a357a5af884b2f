#!/bin/bash
# docs/openapi.yaml and the server agree: every route the server serves (serve --routes) is in the spec
# with the same roles (x-roles), every path and method of the spec is served (a live request to each is
# routed, not 404/405), and the spec is valid OpenAPI 3.1 (checked when openapi-spec-validator is there).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
spec=${BB_SOURCE_DIR:?}/docs/openapi.yaml
[[ -f $spec ]] || fail "no $spec"
grep -q '^openapi: 3\.1\.' "$spec" || fail "the spec is not OpenAPI 3.1"
if python3 -c 'import openapi_spec_validator' 2>/dev/null; then
  python3 -c 'import sys, yaml, openapi_spec_validator as v; v.validate(yaml.safe_load(open(sys.argv[1])))' "$spec" \
    || fail "docs/openapi.yaml is not valid OpenAPI 3.1"
fi
# METHOD PATH ROLES from the spec, by its layout: paths at 2 spaces, methods at 4, x-roles at 6.
awk '/^paths:/ {on=1; next} /^[a-z]/ {on=0}
     on && /^  \/[^ ]*:$/ {p=$1; sub(/:$/, "", p)}
     on && /^    (get|put|post|patch|delete):$/ {m=$1; sub(/:$/, "", m); m=toupper(m)}
     on && /^      x-roles:/ {r=$0; sub(/.*\[/, "", r); sub(/\].*/, "", r); gsub(/ /, "", r); print m, p, r}' \
  "$spec" | sort >spec.txt
[[ -s spec.txt ]] || fail "no operation found in the spec"
"$BB" serve --routes --json >routes.json || fail "serve --routes --json exited $?"
jq -r '.[] | "\(.method) \(.path) \(if (.roles|length) == 0 then "public" else (.roles|join(",")) end)"' routes.json \
  | sort >served.txt
diff served.txt spec.txt >diff.txt || fail "the served routes and the spec differ (< served, > spec):
$(cat diff.txt)"
"$BB" --db "$DB" init >/dev/null || fail "init exited $?"
admin=$(tok admin)
srv_start --rate-limit 0
while read -r method path roles; do
  p=${path//\{customer_id\}/someone}
  code=$(st -X "$method" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d '{}' \
    "http://127.0.0.1:$PORT$p")
  [[ $code != 405 ]] || fail "$method $path is in the spec but not served ($code)"
  [[ $code != 404 || $(jv body.json error.where) != "$p" ]] || fail "$method $path is in the spec but not served"
done <spec.txt
srv_stop
pass
