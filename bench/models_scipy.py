#!/usr/bin/python3
"""models_scipy.py: the anchor of bench/models.sh. Fits the same BG/NBD, Gamma-Gamma and Pareto/NBD
likelihoods as birebir on the same simulated customers (written by bench_models --data DIR) with an
independent implementation: numpy-vectorised log-likelihoods (scipy.special for gammaln, betaln, hyp2f1),
scipy.optimize.minimize(method="L-BFGS-B") in log-parameter space from the same start as birebir. BG/NBD
and Gamma-Gamma get analytic gradients (a strong baseline); Pareto/NBD uses finite differences, as its
hypergeometric term has no cheap gradient in scipy. Then it prints both timings, both parameter sets and
the ratio, reading birebir's figures from bench_models' output. Times are CPU seconds of the process,
as bench_models reports (numpy runs these element-wise operations on one thread).

With --repeat K each fit runs K times and the best time counts, as bench_models --repeat K does.

Usage: models_scipy.py DIR OURS.txt [--skip-pnbd] [--repeat K]   (Debian's /usr/bin/python3 with python3-scipy)
"""
import re
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, digamma, gammaln, hyp2f1


def load(path):
    d = np.loadtxt(path, delimiter=",", skiprows=1)
    return d[:, 0], d[:, 1], d[:, 2], d[:, 3]


def bgnbd_nll(theta, x, tx, T):
    r, al, a, b = np.exp(theta)
    rx = r + x
    lT, lt = np.log(al + T), np.log(al + tx)
    d1 = -rx * lT
    pos = x > 0
    bx1 = np.where(pos, b + x - 1.0, 1.0)
    d2 = np.where(pos, np.log(a) - np.log(bx1) - rx * lt, -np.inf)
    m = np.maximum(d1, d2)
    e1, e2 = np.exp(d1 - m), np.exp(d2 - m)
    lse = m + np.log(e1 + e2)
    w1, w2 = e1 / (e1 + e2), e2 / (e1 + e2)
    ll = gammaln(rx) - gammaln(r) + r * np.log(al) + betaln(a, b + x) - betaln(a, b) + lse
    gr = digamma(rx) - digamma(r) + np.log(al) - w1 * lT - w2 * lt
    gal = r / al - rx * (w1 / (al + T) + w2 / (al + tx))
    ga = digamma(a + b) - digamma(a + b + x) + w2 / a
    gb = digamma(b + x) - digamma(a + b + x) - digamma(b) + digamma(a + b) - w2 / bx1
    n = len(x)
    g = -np.array([gr.sum() * r, gal.sum() * al, ga.sum() * a, gb.sum() * b]) / n
    return -ll.sum() / n, g


def gg_nll(theta, x, m):
    p, q, ga = np.exp(theta)
    px = p * x
    u = ga + x * m
    ll = gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(ga) + (px - 1) * np.log(m) + px * np.log(x) \
        - (px + q) * np.log(u)
    gp = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - np.log(u))
    gq = digamma(px + q) - digamma(q) + np.log(ga) - np.log(u)
    gg = q / ga - (px + q) / u
    n = len(x)
    return -ll.sum() / n, -np.array([gp.sum() * p, gq.sum() * q, gg.sum() * ga]) / n


def pnbd_nll(theta, x, tx, T):
    # Fader & Hardie's formulation with scipy's hyp2f1, in log space as the lifetimes package does
    r, al, s, be = np.exp(theta)
    mx = max(al, be)
    if al >= be:
        z1, z2, b2 = (al - be) / (al + tx), (al - be) / (al + T), s + 1
    else:
        z1, z2, b2 = (be - al) / (be + tx), (be - al) / (be + T), r + x
    c = r + s + x
    f1 = hyp2f1(c, b2, c + 1, z1)
    f2 = hyp2f1(c, b2, c + 1, z2)
    la1 = np.log(f1) - c * np.log(mx + tx)
    la2 = np.log(f2) - c * np.log(mx + T)
    # A0 = exp(la1) - exp(la2) in log space
    la0 = la1 + np.log1p(-np.exp(la2 - la1))
    lterm1 = -(r + x) * np.log(al + T) - s * np.log(be + T)
    lterm2 = np.log(s) - np.log(c) + la0
    m = np.maximum(lterm1, lterm2)
    ll = gammaln(r + x) - gammaln(r) + r * np.log(al) + s * np.log(be) + m + \
        np.log(np.exp(lterm1 - m) + np.exp(lterm2 - m))
    return -ll.sum() / len(x)


REPEAT = 1


def fit(fun, theta0, jac):
    best = None
    for _ in range(REPEAT):
        t = time.process_time()
        res = minimize(fun, theta0, jac=jac, method="L-BFGS-B",
                       options={"ftol": 1e-15, "gtol": 1e-9, "maxiter": 2000, "maxfun": 20000})
        secs = time.process_time() - t
        best = secs if best is None or secs < best else best
    return best, np.exp(res.x), res


def ours(path):
    got = {}
    for line in open(path):
        m = re.match(r"ours (\S+)\s+([\d.]+) s .*LL (\S+)", line)
        if m:
            params = dict(re.findall(r"(\w+)=([-\d.e+]+)", line))
            got[m.group(1)] = (float(m.group(2)), float(m.group(3)), params)
    return got


def report(name, names, secs, params, ll, res, theirs):
    print("scipy %-10s %8.4f s %s evals %4d  LL %.4f  %s  %s" % (
        name, secs, "(best of %d) " % REPEAT if REPEAT > 1 else "", res.nfev, ll, "converged" if res.success else "NOT converged (%s)" % res.message,
        " ".join("%s=%.6f" % (k, v) for k, v in zip(names, params))))
    if name in theirs:
        t, tll, tp = theirs[name]
        diff = max(abs(float(tp[k]) - v) / abs(v) for k, v in zip(names, params))
        print("ratio %-10s %8.1fx faster (birebir %.4f s, scipy %.3f s); params differ by at most %.2e "
              "(relative), LL by %.4f" % (name, secs / t, t, secs, diff, ll - tll))


def main():
    global REPEAT
    d, mine = sys.argv[1], ours(sys.argv[2])
    if "--repeat" in sys.argv:
        REPEAT = max(1, int(sys.argv[sys.argv.index("--repeat") + 1]))
    x, tx, T, m = load(d + "/bgnbd.csv")
    n = len(x)
    th0 = np.array([0.0, np.log(T.mean() / max(x.mean(), 1e-3)), 0.0, 0.0])
    secs, p, res = fit(lambda th: bgnbd_nll(th, x, tx, T), th0, True)
    report("bgnbd", ["r", "alpha", "a", "b"], secs, p, -res.fun * n, res, mine)
    keep = (x > 0) & (m > 0)
    xg, mg = x[keep], m[keep]
    th0 = np.array([0.0, np.log(2.0), np.log(mg.mean())])
    secs, p, res = fit(lambda th: gg_nll(th, xg, mg), th0, True)
    report("gammagamma", ["p", "q", "gamma"], secs, p, -res.fun * len(xg), res, mine)
    if "--skip-pnbd" not in sys.argv:
        x, tx, T, _ = load(d + "/pnbd.csv")
        th0 = np.array([0.0, np.log(T.mean() / max(x.mean(), 1e-3)), 0.0, np.log(T.mean())])
        secs, p, res = fit(lambda th: pnbd_nll(th, x, tx, T), th0, False)
        report("pnbd", ["r", "alpha", "s", "beta"], secs, p, -res.fun * len(x), res, mine)


if __name__ == "__main__":
    main()
