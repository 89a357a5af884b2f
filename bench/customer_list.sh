#!/bin/bash
# customer_list.sh: GET /api/v1/customers pages, sorted (name, clv, revenue, last_order), alone and with
# a segment or a word, at random places in the list (cursors made from random customers' own keys, so
# the page is as deep as a walk there would reach; for a segment or a word, a customer of that list): p50 and p99 of the whole HTTP request, one client at
# a time. Beside each, the anchor measured in the same run: the same page's keys read by plain SQLite
# with the same index (a keyset query: no filter, no row read, no HTTP), and the ratio. Not a test: it
# asserts nothing. Reads only.
# Usage: bench/customer_list.sh DB   (a database after analyze; it is migrated when older). Env: BB
#        (build/birebir), N (200 pages per kind), LIMIT (25: the UI's page).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
BB=${BB:-$here/build/birebir}
DB=${1:?usage: bench/customer_list.sh DB}
N=${N:-200}
LIMIT=${LIMIT:-25}
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
T=$(mktemp -d "${TMPDIR:-/tmp}/bb-bench.XXXXXX")
PID=
trap '[[ -n $PID ]] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
TOKEN=$("$BB" --db "$DB" tokens create --name "bench-list-$$" --role analyst 2>/dev/null | tail -1)
"$BB" --db "$DB" serve --listen 127.0.0.1 --port 0 --rate-limit 0 --no-background-views >"$T/out" 2>"$T/log" &
PID=$!
for _ in $(seq 600); do
  PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/out")
  [[ -n $PORT ]] && break
  sleep 0.1
done
[[ -n $PORT ]] || { echo "the server did not start: $(tail -3 "$T/log")" >&2; exit 1; }
python3 - "$DB" "http://127.0.0.1:$PORT/api/v1" "$TOKEN" "$N" "$LIMIT" <<'PY'
import http.client, random, sqlite3, sys, time, urllib.parse
db_path, base, token, n, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port)
rnd = random.Random(7)
hi = db.execute("SELECT max(id) FROM customer").fetchone()[0]

def some(sql, k):
    out = []
    while len(out) < k:
        r = db.execute(sql, (rnd.randint(1, hi),)).fetchone()
        if r and None not in r:
            out.append(r)
    return out

# Cursors at random members of each list: the sort's keys of a random customer the list holds.
def cursors_for(sort, where, args):
    sql = {
        "name": "SELECT c.search_rank, c.id FROM customer c LEFT JOIN customer_score s ON s.customer_id = c.id WHERE c.id >= ? AND c.merged_into IS NULL{} LIMIT 1",
        "clv": "SELECT s.clv_minor, s.customer_id FROM customer_score s JOIN customer c ON c.id = s.customer_id WHERE s.customer_id >= ? AND s.clv_minor IS NOT NULL{} LIMIT 1",
        "revenue": "SELECT s.monetary_minor, s.customer_id FROM customer_score s JOIN customer c ON c.id = s.customer_id WHERE s.customer_id >= ? AND s.monetary_minor IS NOT NULL{} LIMIT 1",
        "last_order": "SELECT (SELECT o.ordered_at FROM orders o WHERE o.customer_id = c.id AND o.amount_minor >= 0 ORDER BY o.ordered_at DESC, o.id DESC LIMIT 1), (SELECT o.id FROM orders o WHERE o.customer_id = c.id AND o.amount_minor >= 0 ORDER BY o.ordered_at DESC, o.id DESC LIMIT 1) FROM customer c LEFT JOIN customer_score s ON s.customer_id = c.id WHERE c.id >= ? AND c.merged_into IS NULL{} LIMIT 1",
    }[sort].format(where)
    out = []
    while len(out) < n:
        r = db.execute(sql, (rnd.randint(1, hi),) + args).fetchone()
        if r and None not in r:
            out.append(f"{r[0]}.{r[1]}" if sort == "name" else f"{sort}.1.{r[0]}.{r[1]}")
    return out

anchor_sql = {
    "name": ("SELECT id FROM customer WHERE merged_into IS NULL AND search_rank > ? ORDER BY search_rank LIMIT ?", lambda c: (int(c.split(".")[0]),)),
    "clv": ("SELECT customer_id FROM customer_score WHERE clv_minor IS NOT NULL AND (clv_minor, customer_id) < (?, ?) ORDER BY clv_minor DESC, customer_id DESC LIMIT ?", lambda c: tuple(map(int, c.split(".")[2:]))),
    "revenue": ("SELECT customer_id FROM customer_score WHERE monetary_minor IS NOT NULL AND (monetary_minor, customer_id) < (?, ?) ORDER BY monetary_minor DESC, customer_id DESC LIMIT ?", lambda c: tuple(map(int, c.split(".")[2:]))),
    "last_order": ("SELECT id FROM customer WHERE merged_into IS NULL AND last_order_at IS NOT NULL AND (last_order_at, last_order_id) < (?, ?) ORDER BY last_order_at DESC, last_order_id DESC LIMIT ?", lambda c: tuple(map(int, c.split(".")[2:]))),
}
seg = db.execute("SELECT rfm_segment FROM customer_score WHERE rfm_segment IS NOT NULL GROUP BY 1 ORDER BY count(*) LIMIT 1").fetchone()[0]

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]

def get(args):
    t = time.perf_counter()
    conn.request("GET", "/api/v1/customers?" + urllib.parse.urlencode(args), headers={"Authorization": "Bearer " + token})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f"{args}: {r.status} {body[:300]!r}")
    return (time.perf_counter() - t) * 1000

print(f"GET /api/v1/customers, pages of {limit} at {n} random places per kind; ms (anchor: the page's keys by plain SQLite, same index)")
print(f"{'kind':<34} {'p50':>7} {'p99':>7} {'anchor p50':>11} {'anchor p99':>11} {'ratio p50':>10}")
for sort in ("name", "clv", "revenue", "last_order"):
    for extra, label, where, args in (({}, "", "", ()), ({"segment": seg}, f" segment={seg}", " AND s.rfm_segment = ?", (seg,)),
                                      ({"q": "ali"}, " q=ali", " AND instr(c.search_text, 'ali') > 0", ()),
                                      ({"q": "zeynep yıl"}, " q=zeynep yıl", " AND instr(c.search_text, 'zeynep') > 0 AND instr(c.search_text, 'yil') > 0", ())):
        ts, an = [], []
        for c in cursors_for(sort, where, args):
            args = {"sort": sort, "limit": limit, "cursor": c, **extra}
            ts.append(get(args))
            if not extra:
                sql, keys = anchor_sql[sort]
                t = time.perf_counter()
                db.execute(sql, keys(c) + (limit,)).fetchall()
                an.append((time.perf_counter() - t) * 1000)
        first = get({"sort": sort, "limit": limit, **extra})
        a50 = f"{pct(an, .5):11.2f}" if an else f"{'-':>11}"
        a99 = f"{pct(an, .99):11.2f}" if an else f"{'-':>11}"
        ratio = f"{pct(ts, .5) / pct(an, .5):10.1f}" if an else f"{'-':>10}"
        print(f"{'sort=' + sort + label:<34} {pct(ts, .5):7.2f} {pct(ts, .99):7.2f} {a50} {a99} {ratio}   (first page {first:.1f})")
PY
