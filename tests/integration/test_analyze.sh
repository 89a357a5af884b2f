#!/bin/bash
# birebir analyze, rfm, cohorts, customers top: on orders simulated here and imported, the stored
# BG/NBD and Gamma-Gamma fits, P(alive), expected purchases, CLV, the top customers, the RFM segment
# sizes and the cohort matrix agree with an independent computation in Python/scipy (formulas of Fader,
# Hardie & Lee 2005, the documented quintile rule and the default grid); on the CDNOW sample
# (BB_DATASETS_DIR) analyze reproduces the published fits. Bad input and an empty database get clear
# errors and the documented exit codes.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c "import scipy" 2>/dev/null || skip "python3-scipy is not installed"

"$BB" --db e.db init >/dev/null || fail "init"
"$BB" --db e.db analyze >/dev/null 2>err.txt; (( $? == 1 )) || fail "analyze on an empty database should exit 1"
grep -q "no orders" err.txt || fail "empty database message: $(cat err.txt)"
"$BB" --db e.db rfm >/dev/null 2>err.txt; (( $? == 1 )) || fail "rfm before analyze should exit 1"
grep -q "analyze" err.txt || fail "rfm before analyze should say to run analyze: $(cat err.txt)"
"$BB" --db e.db cohorts >/dev/null 2>err.txt; (( $? == 1 )) || fail "cohorts before analyze should exit 1"
"$BB" --db e.db customers top >/dev/null 2>err.txt; (( $? == 1 )) || fail "customers top before analyze should exit 1"
"$BB" --db e.db analyze --model kmeans >/dev/null 2>&1; (( $? == 2 )) || fail "--model kmeans should exit 2"
"$BB" --db e.db analyze --horizon 0 >/dev/null 2>&1; (( $? == 2 )) || fail "--horizon 0 should exit 2"
"$BB" --db e.db analyze --as-of 2024-02-30 >/dev/null 2>&1; (( $? == 2 )) || fail "a bad --as-of should exit 2"
echo '{"segments": [{"key": "all", "en": "All", "tr": "Hepsi", "r": [1, 5], "f": [1, 4]}]}' >grid.json
"$BB" --db e.db analyze --rfm-grid grid.json >/dev/null 2>err.txt; (( $? == 1 )) || fail "a grid with a gap should exit 1"
grep -q "grid.json" err.txt || fail "grid error should name the file: $(cat err.txt)"
"$BB" analyze --help | grep -q -- "--model" || fail "analyze --help"
for c in rfm cohorts; do "$BB" $c --help | grep -q "Usage: birebir" || fail "$c --help"; done
"$BB" customers top --help | grep -q "Usage: birebir" || fail "customers top --help"
# degenerate data: nobody bought twice
printf 'order_id,customer_id,ordered_at,amount,currency\n1,a,2024-01-01,5,TRY\n2,b,2024-02-01,5,TRY\n3,c,2024-03-01,5,TRY\n' >one.csv
"$BB" --db e.db import orders one.csv >/dev/null 2>&1 || fail "import one.csv"
"$BB" --db e.db analyze --model bgnbd >/dev/null 2>err.txt; (( $? == 1 )) || fail "no repeat purchases should exit 1"
grep -qi "repeat" err.txt || fail "no-repeat message: $(cat err.txt)"

# ---- simulated orders, checked against Python ----
$PY - <<'PY' || fail "could not simulate orders"
import numpy as np, datetime as dt
rng = np.random.default_rng(11)
start = dt.date(2023, 1, 1)
n = 0
with open("orders.csv", "w") as f:
    f.write("order_id,customer_id,ordered_at,amount,currency\n")
    for c in range(500):
        lam, p = rng.gamma(0.9, 1 / 7.0), rng.beta(1.0, 3.5)
        scale = rng.gamma(3.0, 40.0)
        t = float(rng.integers(0, 400))
        days = [int(t)]
        while True:
            t += rng.exponential(1 / lam) * 7
            if t > 640: break
            days.append(int(t))
            if rng.random() < p: break
        for d in days:
            n += 1
            f.write(f"O{n},K{c:04d},{(start + dt.timedelta(days=d)).isoformat()},{rng.gamma(5.0, scale / 5):.2f},TRY\n")
PY
"$BB" --db s.db import orders orders.csv >/dev/null 2>err.txt || fail "import orders: $(cat err.txt)"
"$BB" --db s.db analyze --model bgnbd --as-of 2024-09-30T00:00:00Z --horizon 6 --json >a.json 2>err.txt \
  || fail "analyze exited $?: $(cat err.txt)"
"$BB" --db s.db customers top --limit 20 --json >top.json || fail "customers top --json"
"$BB" --db s.db rfm --json >rfm.json || fail "rfm --json"
"$BB" --db s.db rfm --grid >grid_default.json || fail "rfm --grid"
"$BB" --db s.db cohorts --json >coh.json || fail "cohorts --json"
"$BB" --db s.db rfm | grep -q "Şampiyonlar" || fail "rfm text has no Turkish segment names"
"$BB" --db s.db cohorts | grep -q "^2023-01" || fail "cohorts text has no 2023-01 row"
$PY - <<'PY' || fail "analyze disagrees with the independent computation"
import json, csv, datetime as dt, numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, betaln, hyp2f1
asof = dt.datetime(2024, 9, 30, tzinfo=dt.timezone.utc).timestamp()
orders = {}
for r in csv.DictReader(open("orders.csv")):
    t = dt.datetime.fromisoformat(r["ordered_at"]).replace(tzinfo=dt.timezone.utc).timestamp()
    if t <= asof:
        orders.setdefault(r["customer_id"], []).append((t, round(float(r["amount"]) * 100)))
ids = sorted(orders)
S = {}
for c in ids:
    occ = {}
    for t, v in orders[c]: occ[t] = occ.get(t, 0) + v
    ts = sorted(occ)
    x = len(ts) - 1
    S[c] = dict(x=x, tx=(ts[-1] - ts[0]) / 86400 / 7, T=(asof - ts[0]) / 86400 / 7,
                mv=(sum(occ[t] for t in ts[1:]) / x if x else 0), rec=(asof - ts[-1]) / 86400,
                freq=len(orders[c]), mon=sum(v for _, v in orders[c]))
x = np.array([S[c]["x"] for c in ids], float); tx = np.array([S[c]["tx"] for c in ids]); T = np.array([S[c]["T"] for c in ids])
def nll(p):
    r, al, a, b = np.exp(p)
    l1 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(al + T)
    l2 = np.where(x > 0, betaln(a + 1, b + x - 1) - betaln(a, b) - (r + x) * np.log(al + tx), -np.inf)
    return -np.sum(gammaln(r + x) - gammaln(r) + r * np.log(al) + np.logaddexp(l1, l2))
o = minimize(nll, [0, 1, 0, 0], method="Nelder-Mead", options=dict(xatol=1e-10, fatol=1e-12, maxiter=40000, maxfev=40000))
o = minimize(nll, o.x, method="BFGS", options=dict(gtol=1e-9))
a = json.load(open("a.json"))
assert a["model"] == "bgnbd" and a["customers"] == len(ids), (a["customers"], len(ids))
assert a["orders"] == sum(len(v) for v in orders.values())
for k, v in zip(["r", "alpha", "a", "b"], np.exp(o.x)):
    assert abs(a["purchase"]["params"][k] - v) <= 2e-3 * v, (k, a["purchase"]["params"][k], v)
r, al, A, B = [a["purchase"]["params"][k] for k in ["r", "alpha", "a", "b"]]
keep = (x > 0) & (np.array([S[c]["mv"] for c in ids]) > 0)
xx = x[keep]; mm = np.array([S[c]["mv"] for c in ids])[keep]
def gnll(p):
    pp, q, g = np.exp(p)
    return -np.sum(gammaln(pp * xx + q) - gammaln(pp * xx) - gammaln(q) + q * np.log(g) + (pp * xx - 1) * np.log(mm)
                   + pp * xx * np.log(xx) - (pp * xx + q) * np.log(g + mm * xx))
g0 = minimize(gnll, [1, 1, np.log(np.mean(mm))], method="Nelder-Mead", options=dict(xatol=1e-10, fatol=1e-12, maxiter=40000, maxfev=40000))
g0 = minimize(gnll, g0.x, method="BFGS", options=dict(gtol=1e-9))
for k, v in zip(["p", "q", "gamma"], np.exp(g0.x)):
    assert abs(a["spend"]["params"][k] - v) <= 2e-3 * v, (k, a["spend"]["params"][k], v)
P, Q, G = [a["spend"]["params"][k] for k in ["p", "q", "gamma"]]
def alive(s):
    return 1.0 if s["x"] == 0 else 1 / (1 + A / (B + s["x"] - 1) * ((al + s["T"]) / (al + s["tx"])) ** (r + s["x"]))
def e_alive(s, t):  # expected purchases in (T, T+t] for a customer alive at T (FHL 2005 eq. 10 / P(alive))
    X, TT = s["x"], s["T"]
    z = t / (al + TT + t)
    return (A + B + X - 1) / (A - 1) * (1 - ((al + TT) / (al + TT + t)) ** (r + X) * hyp2f1(r + X, B + X, A + B + X - 1, z))
month = 30.4375 / 7
def clv(s):
    ev = P * (G + s["x"] * s["mv"]) / (P * s["x"] + Q - 1)
    tot, prev = 0.0, 0.0
    for i in range(1, 7):
        e = e_alive(s, i * month); tot += (e - prev) / 1.01 ** i; prev = e
    return tot * alive(s) * ev   # orders without costs: margin rate 1
clvs = sorted(((clv(S[c]), c) for c in ids), reverse=True)
top = json.load(open("top.json"))["customers"]
assert len(top) == 20
for i, t in enumerate(top):
    s = S[t["customer_id"]]
    assert abs(t["clv_minor"] - clv(s)) <= 1 + 1e-6 * clv(s), (t["customer_id"], t["clv_minor"], clv(s))
    assert abs(t["p_alive"] - alive(s)) < 1e-6, (t["customer_id"], t["p_alive"], alive(s))
    assert abs(t["expected_purchases"] - alive(s) * e_alive(s, 6 * month)) < 1e-5
    assert t["revenue_minor"] == s["mon"] and t["frequency"] == s["freq"]
    assert abs(clvs[i][0] - t["clv_minor"]) <= 1, (i, clvs[i], t["clv_minor"])
# RFM: quintile scores 5 - floor(5 rank / n), rank by the measure, then the other two, then customer order
n = len(ids)
def scores(key):
    order = sorted(range(n), key=key)
    out = [0] * n
    for rank, i in enumerate(order): out[i] = 5 - (5 * rank) // n
    return out
rec = [-S[c]["rec"] for c in ids]; fr = [S[c]["freq"] for c in ids]; mo = [S[c]["mon"] for c in ids]
R = scores(lambda i: (-rec[i], -fr[i], -mo[i], i))
F = scores(lambda i: (-fr[i], -rec[i], -mo[i], i))
grid = json.load(open("grid_default.json"))["segments"]
def seg(r, f):
    m = [g["key"] for g in grid if g["r"][0] <= r <= g["r"][1] and g["f"][0] <= f <= g["f"][1]]
    assert len(m) == 1
    return m[0]
want = {}
for i in range(n):
    k = seg(R[i], F[i]); want[k] = want.get(k, 0) + 1
got = {g["key"]: g["customers"] for g in json.load(open("rfm.json"))["segments"]}
for k in set(want) | set(got):
    assert want.get(k, 0) == got.get(k, 0), (k, want.get(k, 0), got.get(k, 0), want, got)
# cohorts: customers by first-purchase month, active in later months
first = {c: min(t for t, _ in orders[c]) for c in ids}
def month(t):
    d = dt.datetime.fromtimestamp(t, dt.timezone.utc); return d.year * 12 + d.month - 1
coh = {g["month"]: g for g in json.load(open("coh.json"))["cohorts"]}
for c0 in sorted({month(first[c]) for c in ids})[:6]:
    members = [c for c in ids if month(first[c]) == c0]
    label = f"{c0 // 12:04d}-{c0 % 12 + 1:02d}"
    assert coh[label]["size"] == len(members), (label, coh[label]["size"], len(members))
    for k in range(4):
        act = sum(1 for c in members if any(month(t) == c0 + k for t, _ in orders[c]))
        assert coh[label]["active"][k] == act, (label, k, coh[label]["active"][k], act)
PY

# usage errors of the readers
"$BB" --db s.db cohorts --months 0 >/dev/null 2>&1; (( $? == 2 )) || fail "cohorts --months 0 should exit 2"
"$BB" --db s.db customers top --limit 0 >/dev/null 2>&1; (( $? == 2 )) || fail "customers top --limit 0 should exit 2"
"$BB" --db s.db rfm extra >/dev/null 2>&1; (( $? == 2 )) || fail "rfm with an argument should exit 2"
"$BB" --db s.db analyze --margin-rate 2 >/dev/null 2>&1; (( $? == 2 )) || fail "--margin-rate 2 should exit 2"
"$BB" --db s.db analyze --rfm-grid missing.json >/dev/null 2>err.txt; (( $? == 1 )) || fail "a missing grid file should exit 1"
grep -q "missing.json" err.txt || fail "missing grid file message: $(cat err.txt)"
# an edited grid is used, stored, and named by rfm (two segments: R 4-5 and R 1-3)
cat >grid2.json <<'JSON'
{"segments": [{"key": "warm", "en": "Warm", "tr": "Sıcak", "r": [4, 5], "f": [1, 5]},
              {"key": "cold", "en": "Cold", "tr": "Soğuk", "r": [1, 3], "f": [1, 5]}]}
JSON
cp s.db g.db
"$BB" --db g.db analyze --model bgnbd --rfm-grid grid2.json >/dev/null 2>err.txt || fail "analyze --rfm-grid: $(cat err.txt)"
"$BB" --db g.db rfm --json | jq -e '[.segments[].key] == ["warm", "cold"] and (.segments[0].customers + .segments[1].customers) == .customers' >/dev/null \
  || fail "the edited grid is not the one in use: $("$BB" --db g.db rfm --json)"
"$BB" --db g.db rfm --json | jq -e --argjson n "$(jq .customers a.json)" '(.segments[0].customers | . > 0.35 * $n and . < 0.45 * $n)' >/dev/null \
  || fail "R 4-5 should hold about two fifths of the customers"
"$BB" --db g.db rfm | grep -q "Sıcak" || fail "rfm text lacks the edited grid's Turkish name"

# customers show carries the same scores, each with its meaning
cid=$($PY -c "import json; print(json.load(open('top.json'))['customers'][0]['customer_id'])")
"$BB" --db s.db customers show "$cid" --json >show.json || fail "customers show --json"
$PY -c "
import json; t = json.load(open('top.json'))['customers'][0]; s = json.load(open('show.json'))['scores']
assert s['clv']['value_minor'] == t['clv_minor'] and abs(s['p_alive']['value'] - t['p_alive']) < 1e-9, (s, t)
assert s['rfm']['segment']['key'] == t['segment'] and s['tier']['value'] == t['tier']
assert all(s[k]['meaning'] for k in ['p_alive', 'clv', 'tier', 'churn_risk', 'expected_purchases'])" \
  || fail "customers show's scores are not the stored ones: $(cat show.json)"
"$BB" --db s.db customers show "$cid" >show.txt || fail "customers show"
grep -q "P(alive).*probability that the customer is still active" show.txt || fail "no P(alive) line: $(tail -12 show.txt)"
grep -q "CLV.*lifetime value" show.txt || fail "no CLV line: $(tail -12 show.txt)"

# auto picks a model and says which, with both holdout errors
"$BB" --db s.db analyze --json >auto.json 2>err.txt || fail "analyze (auto) exited $?: $(cat err.txt)"
$PY -c "
import json; a = json.load(open('auto.json')); s = a['selection']
assert s['method'] == 'holdout', s
m = s['mean_absolute_error']; best = 'bgnbd' if m['bgnbd'] <= m['pnbd'] else 'pnbd'
assert a['model'] == best, (a['model'], m)" || fail "auto did not choose the smaller holdout error: $(cat auto.json)"

# ---- demo: analyze runs at the end unless --no-analyze ----
"$BB" --db demo.db demo --customers 400 --seed 2 --json >demo.json 2>err.txt || fail "demo exited $?: $(cat err.txt)"
jq -e '.analysis.run_id > 0 and .analysis.customers > 0' demo.json >/dev/null || fail "demo --json has no analysis: $(jq .analysis demo.json)"
"$BB" --db demo.db rfm --json | jq -e '.customers == '"$(jq .analysis.customers demo.json)" >/dev/null \
  || fail "the demo's analysis did not score its customers"
"$BB" --db demo2.db demo --customers 100 --no-analyze --json >demo2.json 2>err.txt || fail "demo --no-analyze"
jq -e '.analysis == null' demo2.json >/dev/null || fail "--no-analyze still analysed"
"$BB" --db demo2.db rfm >/dev/null 2>&1; (( $? == 1 )) || fail "rfm after demo --no-analyze should exit 1"

# ---- CDNOW: the published fits through the database ----
D=${BB_DATASETS_DIR:-}/cdnow
if [[ ! -f $D/CDNOW_sample.txt ]]; then
  echo "SKIPPED: the CDNOW part (no CDNOW_sample.txt under BB_DATASETS_DIR=${BB_DATASETS_DIR:-})"
  pass
fi
awk 'BEGIN{print "order_id,customer_id,ordered_at,amount,currency"} NF==5{printf "%d,%d,%s-%s-%s,%.2f,USD\n",NR,$1,substr($3,1,4),substr($3,5,2),substr($3,7,2),$5+0}' \
  "$D/CDNOW_sample.txt" >cdnow.csv
"$BB" --db c.db import orders cdnow.csv >/dev/null 2>err.txt || fail "import CDNOW: $(tail -2 err.txt)"
"$BB" --db c.db analyze --model bgnbd --as-of 1997-09-30T00:00:00Z --json >c.json 2>err.txt || fail "analyze CDNOW: $(cat err.txt)"
$PY - <<'PY' || fail "CDNOW through analyze is not the published fit: $(cat c.json)"
import json
a = json.load(open("c.json"))
assert a["customers"] == 2357
for k, v in dict(r=0.243, alpha=4.414, a=0.793, b=2.426).items():
    assert abs(a["purchase"]["params"][k] - v) <= 0.002 * v, (k, a["purchase"]["params"][k])
assert abs(a["purchase"]["log_likelihood"] + 9582.4) < 0.1
sp = a["spend"]["params"]   # amounts are in cents: gamma is 100 times the published dollars
for k, v in dict(p=6.25, q=3.74, gamma=1544).items():
    assert abs(sp[k] - v) <= 0.002 * v, (k, sp[k])
PY
pass
