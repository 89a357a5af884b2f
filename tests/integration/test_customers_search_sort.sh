#!/bin/bash
# birebir customers search --sort name|clv|revenue|last_order --segment NAME: the pages, walked with
# --cursor to the end, hold the list computed here by SQL on the database (python3's sqlite3): the words
# matched with instr() on search_text, the order from sort_key, the scores and the orders. Bad values:
# a clear message naming the flag and the accepted values, exit 2 (--sort) or 1 (--segment, a cursor
# of another sort).
. "$(dirname "$0")/lib.sh"
"$BB" --db d.db demo --customers 400 >/dev/null || fail "demo exited $?" # demo analyses too
python3 - "$BB" d.db "$(cd "$(dirname "$0")" && pwd)" <<'PY' || fail "the sorted search is wrong"
import json, sqlite3, subprocess, sys
sys.path.insert(0, sys.argv[3])
from customer_list_expected import expected_lists
bb, path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(path)
expected = expected_lists(db)
def walk(sort, q, segment):
    got, cursor = [], None
    while True:
        cmd = [bb, "--db", path, "customers", "search", q, "--sort", sort, "--limit", "29", "--json"]
        if segment: cmd += ["--segment", segment]
        if cursor: cmd += ["--cursor", cursor]
        page = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        got += [c["id"] for c in page["customers"]]
        for c in page["customers"]:
            if segment and c["segment"] != segment:
                sys.exit(f"{c['id']} of segment {c['segment']} listed in {segment}")
        cursor = page.get("next_cursor")
        if not cursor:
            return got
small = db.execute("SELECT rfm_segment FROM customer_score GROUP BY 1 ORDER BY count(*) LIMIT 1").fetchone()[0]
n = 0
for sort in ("name", "clv", "revenue", "last_order"):
    for q, segment in (("", ""), ("", "champions"), ("a", ""), ("ali", small), ("", small)):
        want, got = expected(sort, q, segment), walk(sort, q, segment)
        if got != want or not want and (q, segment) == ("", ""):
            sys.exit(f"--sort {sort} {q!r} --segment {segment!r}: {len(got)} listed, want {len(want)}: {got[:4]} vs {want[:4]}")
        n += 1
print(f"{n} sorted searches checked")
PY
# The text table shows the sort's value.
"$BB" --db d.db customers search "" --sort last_order --limit 2 >t.txt || fail "text exited $?"
grep -q 'LAST ORDER' t.txt || fail "no LAST ORDER column: $(cat t.txt)"
grep -q 'more: --cursor last_order\.1\.' t.txt || fail "no cursor line: $(cat t.txt)"
# Bad values.
"$BB" --db d.db customers search "" --sort Clv >/dev/null 2>err.txt; rc=$?
[[ $rc == 2 ]] || fail "--sort Clv exited $rc"
grep -q -- '--sort "Clv" is not one of name, clv, revenue, last_order' err.txt || fail "--sort message: $(cat err.txt)"
"$BB" --db d.db customers search "" --segment nope >/dev/null 2>err.txt; rc=$?
[[ $rc == 1 ]] || fail "--segment nope exited $rc"
grep -q -- '--segment: "nope" is not a segment; the segments are: .*champions' err.txt || fail "--segment message: $(cat err.txt)"
"$BB" --db d.db customers search "" --segment "" >/dev/null 2>err.txt; rc=$?
[[ $rc == 2 ]] && grep -q -- '--segment' err.txt || fail "--segment '' exited $rc: $(cat err.txt)"
"$BB" --db d.db customers search "" --sort clv --cursor 12.5 >/dev/null 2>err.txt; rc=$?
[[ $rc == 1 ]] && grep -q 'sorted by name, not by clv' err.txt || fail "a name cursor with --sort clv: $rc $(cat err.txt)"
"$BB" --db d.db customers search --help | grep -q -- '--segment NAME' || fail "--help does not show --segment"
"$BB" --db d.db customers search --help | grep -q -- 'clv, revenue, last_order' || fail "--help does not show the sorts"
pass
