#!/bin/bash
# birebir fit: on a small simulated file its BG/NBD and Gamma-Gamma fits, P(alive) and expected purchases
# agree with an independent scipy computation (summaries, likelihoods and formulas written here from
# Fader, Hardie & Lee 2005); on the CDNOW sample (BB_DATASETS_DIR) it reproduces the published fits;
# bad input and degenerate data get clear errors and the documented exit codes.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c "import scipy" 2>/dev/null || skip "python3-scipy is not installed"

# ---- a small file whose answer scipy computes ----
$PY - <<'PY' || fail "could not write the simulated file"
import numpy as np, datetime as dt
rng = np.random.default_rng(7)
start = dt.date(2024, 1, 1)
rows = []
for c in range(400):
    lam = rng.gamma(0.8, 1 / 6.0)          # purchases per day-unit: r = .8, alpha = 6 (weeks)
    p = rng.beta(1.2, 3.0)
    first = int(rng.integers(0, 120))
    t, alive = float(first), True
    days = [first]
    while alive:
        t += rng.exponential(7.0 / lam) if lam > 0 else 1e9
        if t > 300: break
        days.append(int(t))
        alive = rng.random() >= p
    for d in days:
        amount = round(float(rng.gamma(4.0, 5.0 + c % 7)), 2)
        rows.append((f"C{c:03d}", (start + dt.timedelta(days=d)).isoformat(), amount))
rng.shuffle(rows)
with open("tx.csv", "w") as f:
    f.write("Kunde;Tag;Betrag\n")
    for r in rows: f.write(f"{r[0]};{r[1]};{r[2]}\n")
PY
"$BB" fit bgnbd tx.csv --customer-col Kunde --date-col Tag --amount-col Betrag --calibration-end 2024-09-01 \
  --predict-periods 10 --output bg.csv --json >bg.json 2>err.txt || fail "fit bgnbd exited $?: $(cat err.txt)"
"$BB" fit gammagamma tx.csv --customer-col Kunde --date-col Tag --amount-col Betrag --calibration-end 2024-09-01 \
  --json >gg.json 2>err.txt || fail "fit gammagamma exited $?: $(cat err.txt)"
$PY - <<'PY' || fail "birebir fit disagrees with scipy"
import json, csv, datetime as dt, numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, betaln, hyp2f1
end = dt.date(2024, 9, 1)
occ = {}
vals = {}
for r in csv.DictReader(open("tx.csv"), delimiter=";"):
    d = dt.date.fromisoformat(r["Tag"])
    if d > end: continue
    occ.setdefault(r["Kunde"], {}).setdefault(d, 0.0)
    occ[r["Kunde"]][d] += float(r["Betrag"])
ids = sorted(occ)
x = np.array([len(occ[i]) - 1 for i in ids], float)
t_x = np.array([(max(occ[i]) - min(occ[i])).days / 7 for i in ids])
T = np.array([(end - min(occ[i])).days / 7 for i in ids])
mv = np.array([(sum(occ[i].values()) - occ[i][min(occ[i])]) / max(len(occ[i]) - 1, 1) for i in ids])
def bg_ll(p):
    r, al, a, b = np.exp(p)
    A = gammaln(r + x) - gammaln(r) + r * np.log(al)
    l1 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(al + T)
    l2 = np.where(x > 0, betaln(a + 1, b + x - 1) - betaln(a, b) - (r + x) * np.log(al + t_x), -np.inf)
    return -np.sum(A + np.logaddexp(l1, l2))
best = None
for s in ([0, 1, 0, 0], [-1, 2, 1, 1], [0.5, 0.5, -0.5, 0.5]):
    o = minimize(bg_ll, s, method="Nelder-Mead", options=dict(xatol=1e-10, fatol=1e-12, maxiter=40000, maxfev=40000))
    o = minimize(bg_ll, o.x, method="BFGS", options=dict(gtol=1e-9))
    if best is None or o.fun < best.fun: best = o
j = json.load(open("bg.json"))
want = dict(zip(["r", "alpha", "a", "b"], np.exp(best.x)))
assert j["model"] == "bgnbd" and j["customers"] == len(ids), (j["customers"], len(ids))
assert j["converged"] is True
assert abs(j["log_likelihood"] + best.fun) < 1e-6 * abs(best.fun), (j["log_likelihood"], -best.fun)
for k, v in want.items():
    assert abs(j["params"][k] - v) <= 2e-3 * v, (k, j["params"][k], v)
    assert j["std_errors"][k] > 0
# P(alive) and expected purchases in 10 weeks (FHL 2005 eq. 10) with scipy's own parameters
r, al, a, b = np.exp(best.x)
rows = {row["customer_id"]: row for row in csv.DictReader(open("bg.csv"))}
assert len(rows) == len(ids)
for i, cid in enumerate(ids):
    row = rows[cid]
    assert int(row["frequency"]) == x[i] and abs(float(row["recency"]) - t_x[i]) < 1e-6 and abs(float(row["T"]) - T[i]) < 1e-6, (cid, row)
    pa = 1.0 if x[i] == 0 else 1 / (1 + a / (b + x[i] - 1) * ((al + T[i]) / (al + t_x[i])) ** (r + x[i]))
    t = 10.0
    z = t / (al + T[i] + t)
    e = (a + b + x[i] - 1) / (a - 1) * (1 - ((al + T[i]) / (al + T[i] + t)) ** (r + x[i]) * hyp2f1(r + x[i], b + x[i], a + b + x[i] - 1, z))
    e *= pa
    assert abs(float(row["p_alive"]) - pa) < 2e-3, (cid, row["p_alive"], pa)
    assert abs(float(row["expected_purchases"]) - e) < 2e-3 * max(e, 1), (cid, row["expected_purchases"], e)
# Gamma-Gamma on the repeat buyers (Fader & Hardie 2013)
keep = (x > 0) & (mv > 0)
xx, mm = x[keep], mv[keep]
def gg_ll(p):
    pp, q, g = np.exp(p)
    return -np.sum(gammaln(pp * xx + q) - gammaln(pp * xx) - gammaln(q) + q * np.log(g) + (pp * xx - 1) * np.log(mm)
                   + pp * xx * np.log(xx) - (pp * xx + q) * np.log(g + mm * xx))
o = minimize(gg_ll, [1, 1, 1], method="Nelder-Mead", options=dict(xatol=1e-10, fatol=1e-12, maxiter=40000, maxfev=40000))
o = minimize(gg_ll, o.x, method="BFGS", options=dict(gtol=1e-9))
g = json.load(open("gg.json"))
assert g["customers"] == int(keep.sum()), (g["customers"], int(keep.sum()))
assert abs(g["log_likelihood"] + o.fun) < 1e-6 * abs(o.fun), (g["log_likelihood"], -o.fun)
for k, v in zip(["p", "q", "gamma"], np.exp(o.x)):
    assert abs(g["params"][k] - v) <= 2e-3 * v, (k, g["params"][k], v)
PY

# ---- bad input: clear errors, documented exit codes ----
"$BB" fit --help | grep -q 'Usage: birebir fit' || fail "fit --help"
"$BB" fit kmeans tx.csv >/dev/null 2>err.txt; (( $? == 2 )) || fail "unknown model should exit 2"
grep -q "not a model" err.txt || fail "unknown model message: $(cat err.txt)"
"$BB" fit bgnbd >/dev/null 2>err.txt; (( $? == 2 )) || fail "missing FILE should exit 2"
"$BB" fit bgnbd tx.csv --holdout-end 2024-10-01 >/dev/null 2>err.txt; (( $? == 2 )) || fail "--holdout-end alone should exit 2"
"$BB" fit bgnbd tx.csv --time-unit month >/dev/null 2>err.txt; (( $? == 2 )) || fail "--time-unit month should exit 2"
"$BB" fit bgnbd missing.csv >/dev/null 2>err.txt; (( $? == 1 )) || fail "a missing file should exit 1"
"$BB" fit bgnbd tx.csv >/dev/null 2>err.txt; (( $? == 1 )) || fail "missing columns should exit 1"
grep -q 'no column "customer_id".*--customer-col' err.txt || fail "missing column message: $(cat err.txt)"
printf 'customer_id,date\n1,2024-01-01\n1,2024-02-30\n' >baddate.csv
"$BB" fit bgnbd baddate.csv >/dev/null 2>err.txt; (( $? == 1 )) || fail "a bad date should exit 1"
grep -q 'baddate.csv:3.*column "date"' err.txt || fail "bad date message should name file:line and column: $(cat err.txt)"
printf 'customer_id,date,amount\n1,2024-01-01,5\n1,2024-02-01,x5\n' >badamt.csv
"$BB" fit gammagamma badamt.csv >/dev/null 2>err.txt; (( $? == 1 )) || fail "a bad amount should exit 1"
grep -q 'badamt.csv:3.*column "amount"' err.txt || fail "bad amount message: $(cat err.txt)"
printf 'customer_id,date\n1,2024-01-01\n2,2024-01-05\n3,2024-02-01\n' >norepeat.csv
"$BB" fit bgnbd norepeat.csv >/dev/null 2>err.txt; (( $? == 1 )) || fail "no repeat purchases should exit 1"
grep -qi 'repeat' err.txt || fail "no-repeat message: $(cat err.txt)"
printf 'customer_id,date\n1,2024-01-01\n1,2024-01-01\n' >oneday.csv
"$BB" fit pnbd oneday.csv >/dev/null 2>err.txt; (( $? == 1 )) || fail "a single customer on one day should exit 1"
printf 'customer_id,frequency,recency,T\n1,2,5,3\n' >badsum.csv
"$BB" fit bgnbd badsum.csv --summary >/dev/null 2>err.txt; (( $? == 1 )) || fail "recency > T should exit 1"
grep -q 'badsum.csv:2.*recency' err.txt || fail "summary row message: $(cat err.txt)"

# ---- the CDNOW sample: the published fits (Fader, Hardie & Lee 2005) ----
D=${BB_DATASETS_DIR:-}/cdnow
if [[ ! -f $D/CDNOW_sample.txt ]]; then
  echo "SKIPPED: the CDNOW part (no CDNOW_sample.txt under BB_DATASETS_DIR=${BB_DATASETS_DIR:-})"
  pass
fi
awk 'BEGIN{print "customer_id,date,amount"} NF==5{printf "%d,%s,%s\n",$1,$3,$5}' "$D/CDNOW_sample.txt" >cdnow.csv
check() { # file key published relative-tolerance
  python3 -c "import json,sys; g=json.load(open('$1'))['params'].get('$2', json.load(open('$1')).get('$2')); w=float('$3'); sys.exit(0 if abs(g-w)<=$4*abs(w) else 1)" \
    || fail "$1: $2 is not the published $3"
}
"$BB" fit bgnbd cdnow.csv --date-format %Y%m%d --calibration-end 1997-09-30 --holdout-end 1998-06-30 --json >c.json \
  || fail "fit bgnbd on CDNOW"
for kv in r=0.243 alpha=4.414 a=0.793 b=2.426; do check c.json "${kv%%=*}" "${kv#*=}" 0.002; done
check c.json log_likelihood -9582.4 0.00001
python3 -c "import json; h=json.load(open('c.json'))['holdout']; assert h['length']==39 and h['customers']==2357" \
  || fail "CDNOW holdout is not 39 weeks over 2,357 customers"
"$BB" fit pnbd cdnow.csv --date-format %Y%m%d --calibration-end 1997-09-30 --json >p.json || fail "fit pnbd on CDNOW"
for kv in r=0.55 alpha=10.58 s=0.61 beta=11.67; do check p.json "${kv%%=*}" "${kv#*=}" 0.01; done
"$BB" fit gammagamma cdnow.csv --date-format %Y%m%d --calibration-end 1997-09-30 --json >g.json || fail "fit gg on CDNOW"
for kv in p=6.25 q=3.74 gamma=15.44; do check g.json "${kv%%=*}" "${kv#*=}" 0.002; done
python3 -c "import json; assert json.load(open('g.json'))['customers']==946" || fail "Gamma-Gamma should use 946 repeat buyers"
# the published summary file through --summary: the same BG/NBD fit, and E[purchases in 39 weeks] for
# x = 2, t_x = 30.43, T = 38.86 is 1.226
(echo "customer_id,frequency,recency,T,monetary_value"; tail -n +2 "$D/cdnow_customers_summary_with_transactions.csv") >sum.csv
"$BB" fit bgnbd sum.csv --summary --predict-periods 39 --output s.csv --json >s.json || fail "fit --summary"
for kv in r=0.243 alpha=4.414 a=0.793 b=2.426; do check s.json "${kv%%=*}" "${kv#*=}" 0.002; done
grep -q '^1,2,30.43,38.86,' s.csv || fail "customer 1's row: $(grep '^1,' s.csv)"
awk -F, '$1==1 { if ($6 < 1.2255 || $6 > 1.2265) exit 1 }' s.csv || fail "customer 1's expected purchases: $(grep '^1,' s.csv)"
pass
