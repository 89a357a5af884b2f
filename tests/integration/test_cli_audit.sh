#!/bin/bash
# The command line's writes and exports are in the audit log beside the API's: `import` (not a dry run)
# and `export` (to a file or standard output) each add one entry, read back as an admin through
# GET /api/v1/audit: actor cli:$USER, the action, the kind, and what was read or written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
export USER=auditor
printf 'customer_id,first_name\nA1,Ayşe\nA2,Can\n' >c.csv
"$BB" --db "$DB" import customers c.csv >/dev/null || fail "import exited $?"
"$BB" --db "$DB" import customers c.csv --dry-run >/dev/null || fail "dry run exited $?"
printf 'customer_id,first_name\nA3,Ece\nA4\n' >bad.csv
"$BB" --db "$DB" import customers bad.csv >/dev/null 2>&1; [[ $? == 1 ]] || fail "a rejected row is not exit 1"
"$BB" --db "$DB" import customers bad.csv --strict >/dev/null 2>&1; [[ $? == 1 ]] || fail "--strict is not exit 1"
"$BB" --db "$DB" export customers out.csv 2>/dev/null || fail "export to a file exited $?"
"$BB" --db "$DB" export customers --json >out.json || fail "export to stdout exited $?"
"$BB" --db "$DB" export orders "$(printf 'ex\xfd.csv')" 2>/dev/null \
  || fail "export to a file named in Latin-1 exited $?"
ADMIN=$(tok admin)
ANALYST=$(tok analyst)
srv_start
[[ $(st -H "Authorization: Bearer $ANALYST" "$U/audit") == 403 ]] || fail "an analyst reads the audit log"
[[ $(st -H "Authorization: Bearer $ADMIN" "$U/audit?limit=100") == 200 ]] || fail "GET /audit: $(cat body.json)"
srv_stop
# Newest first: the token entries, then the three exports, then the two imports that wrote (the dry
# run and the --strict stop wrote nothing and are not there).
python3 - body.json <<'PY' || fail "the audit log is wrong: $(cat body.json)"
import json, sys
e = [x for x in json.load(open(sys.argv[1]))["entries"] if x["action"] in ("import", "export")]
got = [(x["actor"], x["action"], x["target"], x["detail"]) for x in e]
want = [
    ("cli:auditor", "export", "orders", {"file": "ex?.csv", "format": "csv", "rows": 0}),
    ("cli:auditor", "export", "customers", {"file": "-", "format": "json", "rows": 3}),
    ("cli:auditor", "export", "customers", {"file": "out.csv", "format": "csv", "rows": 3}),
    ("cli:auditor", "import", "customers",
     {"file": "bad.csv", "rows_read": 2, "imported": 1, "updated": 0, "unchanged": 0, "rejected": 1}),
    ("cli:auditor", "import", "customers",
     {"file": "c.csv", "rows_read": 2, "imported": 2, "updated": 0, "unchanged": 0, "rejected": 0}),
]
assert got == want, got
assert all(x["at"].endswith("Z") for x in e)
PY
pass
