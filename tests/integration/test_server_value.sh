#!/bin/bash
# The value reads over HTTP on a demo business after `analyze`: GET /api/v1/dashboard, /segments/rfm,
# /cohorts and /model-runs, each checked against the database read directly with SQL (python3's
# sqlite3), and the cohorts and segments against what `birebir cohorts` and `birebir rfm` print.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
"$BB" --db "$DB" demo --customers 1500 >/dev/null || fail "demo exited $?" # demo analyses too
[[ $(sqlite3 "$DB" "SELECT count(*) FROM customer_score") -gt 1000 ]] || fail "demo left no scores"
"$BB" --db "$DB" rfm --json >rfm.json || fail "rfm exited $?"
"$BB" --db "$DB" cohorts --json >cohorts.json || fail "cohorts exited $?"
A=$(tok analyst)
srv_start --rate-limit 0
for p in dashboard segments/rfm cohorts model-runs; do
  code=$(st -H "Authorization: Bearer $A" "$U/$p")
  [[ $code == 200 ]] || fail "GET /$p: $code $(cat body.json)"
  cp body.json "${p//\//_}.api.json"
done
srv_stop
python3 - "$DB" <<'PY' || fail "the API's figures differ from the database's"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
one = lambda sql, *a: db.execute(sql, a).fetchone()[0]
d = json.load(open("dashboard.api.json"))
def same(what, got, want):
    if got != want:
        sys.exit(f"{what}: the API says {got!r}, the database {want!r}")
same("customers", d["customers"], one("SELECT count(*) FROM customer WHERE merged_into IS NULL"))
# A return (a negative amount) is no purchase: buyers and active customers are counted by purchases.
same("buyers", d["buyers"], one("SELECT count(DISTINCT customer_id) FROM orders WHERE amount_minor >= 0"))
same("orders", d["revenue"]["orders"], one("SELECT count(*) FROM orders"))
same("revenue", d["revenue"]["total_minor"], one("SELECT sum(amount_minor) FROM orders WHERE currency = 'TRY'"))
end = one("SELECT max(ordered_at) FROM orders") + 1
active = one("SELECT count(DISTINCT customer_id) FROM orders WHERE ordered_at >= ? AND ordered_at < ? AND amount_minor >= 0",
             end - 90 * 86400, end)
with_returns = one("SELECT count(DISTINCT customer_id) FROM orders WHERE ordered_at >= ? AND ordered_at < ?", end - 90 * 86400, end)
if with_returns == active:
    sys.exit("the demo has no customer whose only order of the last 90 days is a return: the check cannot fail")
same("active", d["active"]["customers"], active)
same("active share", round(d["active"]["share"], 9), round(active / d["customers"], 9))
clv = [r[0] for r in db.execute("SELECT clv_minor FROM customer_score WHERE clv_minor IS NOT NULL")]
same("clv customers", d["clv"]["customers"], len(clv))
same("clv total", d["clv"]["total_minor"], sum(clv))
for b in d["clv"]["buckets"]:
    n = sum(1 for v in clv if v >= b["from_minor"] and (b["to_minor"] is None or v < b["to_minor"]))
    same(f"clv bucket {b['from_minor']}", b["customers"], n)
same("clv buckets cover all", sum(b["customers"] for b in d["clv"]["buckets"]), len(clv))
seg = {r[0]: r[1:] for r in db.execute("SELECT s.rfm_segment, count(*), sum(s.monetary_minor), sum(s.clv_minor) FROM customer_score s"
                                       " JOIN customer c ON c.id = s.customer_id WHERE c.merged_into IS NULL"
                                       " AND s.rfm_segment IS NOT NULL GROUP BY s.rfm_segment")}
api = json.load(open("segments_rfm.api.json"))["segments"]
same("segments", sorted(s["segment"] for s in api), sorted(seg))
same("dashboard segments", d["segments"], api)
cli = {s["key"]: s for s in json.load(open("rfm.json"))["segments"]}
for s in api:
    same(f"{s['segment']} size", s["customers"], seg[s["segment"]][0])
    same(f"{s['segment']} revenue", s["revenue_minor"], seg[s["segment"]][1])
    same(f"{s['segment']} clv", s["clv_minor"], seg[s["segment"]][2])
    same(f"{s['segment']} name", (s["name"], s["name_tr"]), (cli[s["segment"]]["en"], cli[s["segment"]]["tr"]))
# Cohorts: customers by the month of their first purchase, and who bought in each later month (returns,
# orders with a negative amount, are not purchases).
rows = db.execute("SELECT customer_id, CAST(strftime('%Y', ordered_at, 'unixepoch') AS INTEGER) * 12 + "
                  "CAST(strftime('%m', ordered_at, 'unixepoch') AS INTEGER) - 1 FROM orders"
                  " WHERE amount_minor >= 0").fetchall()
fm = {}
for cid, m in rows:
    fm[cid] = min(fm.get(cid, m), m)
last = max(m for _, m in rows)
act = {}
for cid, m in set(rows):
    act[(fm[cid], m - fm[cid])] = act.get((fm[cid], m - fm[cid]), 0) + 1
size = {}
for cid, m in fm.items():
    size[m] = size.get(m, 0) + 1
want = [{"cohort": f"{m // 12:04d}-{m % 12 + 1:02d}", "customers": size[m],
         "active": [act.get((m, k), 0) for k in range(last - m + 1)]} for m in sorted(size)][-24:]
got = json.load(open("cohorts.api.json"))["cohorts"]
same("cohorts", got, want)
cli = [{"cohort": c["month"], "customers": c["size"], "active": c["active"]}
       for c in json.load(open("cohorts.json"))["cohorts"] if c["size"] > 0][-24:]
same("cohorts as the CLI prints them", got, cli)
runs = json.load(open("model-runs.api.json"))["runs"]
same("runs", len(runs), min(50, one("SELECT count(*) FROM model_run")))
same("runs newest first", [r["id"] for r in runs], sorted((r["id"] for r in runs), reverse=True))
same("one current scoring run", sum(1 for r in runs if r["is_current"] and r["model"] in ("bgnbd", "pnbd")), 1)
PY
pass
