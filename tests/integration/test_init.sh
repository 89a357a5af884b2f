#!/bin/bash
# birebir init: creates the database, is idempotent, refuses a newer schema and a non-database file.
. "$(dirname "$0")/lib.sh"
"$BB" --db "$T/a.db" init >out.txt 2>&1 || fail "init exited $?"
grep -q 'schema version' out.txt || fail "init did not print the schema version"
"$BB" --db "$T/a.db" init >/dev/null 2>&1 || fail "second init exited $?"
"$BB" --db "$T/a.db" init --json >out.json || fail "init --json exited $?"
migrations=$(ls "${BB_SOURCE_DIR:?}"/src/store/schema/*.sql | wc -l)
[[ $(jq -c . out.json) == "{\"path\":\"$T/a.db\",\"schema_version\":$migrations}" ]] \
  || fail "init --json is not the path and the number of migrations ($migrations): $(cat out.json)"
[[ $(sqlite3 "$T/a.db" 'PRAGMA journal_mode') == wal ]] || fail "database is not in WAL mode"
sqlite3 "$T/a.db" 'PRAGMA user_version = 999'
"$BB" --db "$T/a.db" init >out.txt 2>&1; rc=$?
[[ $rc == 1 ]] || fail "a newer schema gave exit $rc, expected 1"
grep -q 'newer birebir' out.txt || fail "no clear message for a newer schema: $(cat out.txt)"
echo 'not a database' >"$T/b.db"
"$BB" --db "$T/b.db" init >out.txt 2>&1; rc=$?
[[ $rc == 1 ]] || fail "a non-database file gave exit $rc, expected 1"
"$BB" --db "$T/c.db" bogus >/dev/null 2>&1; rc=$?
[[ $rc == 2 ]] || fail "an unknown command gave exit $rc, expected 2"
pass
