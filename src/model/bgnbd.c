/* bgnbd.c: the BG/NBD model: log-likelihood, its analytic gradient and Hessian in one pass over collapsed
 * rows, the fit, and per-customer P(alive) and conditional expectation (Fader, Hardie & Lee 2005, eq. 6, 10,
 * 11).
 *
 * Per customer, ln L = ln Gamma(r+x) - ln Gamma(r) + r ln alpha + ln B(a, b+x) - ln B(a, b)
 *                      + ln[ (alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x) ],
 * the last term by log-sum-exp; everything that depends on x alone is computed once per distinct x. */
#include "birebir/bgnbd.h"

#include <math.h>
#include <string.h>

#include "model/btyd.h"
#include "model/special.h"

/* Sums over one x group's rows for the value, gradient and Hessian (see bb__bgnbd_nll). */
typedef struct acc {
    double lse, L, I, I2, w2;        /* sums of w lse, w (w1 lT + w2 lt), w (w1 iT + w2 it), the same with
                                        iT^2 and it^2, and w w2 */
    double c, cl, cll, ci, cii, cil; /* sums of c = w w1 w2 times 1, dl, dl^2, di, di^2, di dl */
} acc;

static inline void accumulate(acc *S, double w, double lT, double lt, double iT, double it, double lse,
                              double w1, double w2)
{
    double c = w * w1 * w2, dl = lt - lT, di = it - iT;
    S->lse += w * lse;
    S->L += w * (w1 * lT + w2 * lt);
    S->I += w * (w1 * iT + w2 * it);
    S->I2 += w * (w1 * iT * iT + w2 * it * it);
    S->w2 += w * w2;
    S->c += c;
    S->cl += c * dl;
    S->cll += c * dl * dl;
    S->ci += c * di;
    S->cii += c * di * di;
    S->cil += c * di * dl;
}

/* The negative log-likelihood over rows with its gradient and, when hess is not NULL, its Hessian
 * (row-major 4 x 4), all in log-parameters. Per row the bracket is lse = ln(e^d1 + e^d2) with
 * d1 = -(r+x) ln(alpha+T) and d2 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x) (x > 0); with w1, w2 the
 * weights e^dj / (e^d1 + e^d2), its Hessian is w1 H(d1) + w2 H(d2) + w1 w2 (g1 - g2)(g1 - g2)', gj the
 * gradient of dj. ln(alpha + t) and 1/(alpha + t) are computed once per distinct time value. */
double bb__bgnbd_nll(const double *theta, double *grad, double *hess, void *data)
{
    const bb__rows *R = data;
    double r = exp(theta[0]), al = exp(theta[1]), a = exp(theta[2]), b = exp(theta[3]);
    double la = theta[1], lgr = bb__lgamma(r), psr = bb__digamma(r), lbab = bb__lbeta(a, b);
    double psab = bb__digamma(a + b), psb = bb__digamma(b);
    double tgr = bb__trigamma(r), tgab = bb__trigamma(a + b), tgb = bb__trigamma(b);
    double ll = 0.0, G[4] = {0}, H[4][4] = {{0}};
    double *L = R->tab, *I = R->tab + R->nvals, *E = R->tab + 2 * R->nvals, *iE = R->tab + 3 * R->nvals;
    double lmin = INFINITY, lmax = -INFINITY;

    for (size_t v = 0; v < R->nvals; v++) {
        double u = al + R->vals[v];
        L[v] = log(u);
        I[v] = 1.0 / u;
        lmin = L[v] < lmin ? L[v] : lmin;
        lmax = L[v] > lmax ? L[v] : lmax;
    }
    /* per-x tables of exponentials pay when the values are few beside the rows (day-resolution times) */
    int tabs = 2 * R->nvals * R->ngroups <= R->n;
    for (size_t g = 0; g < R->ngroups; g++) {
        int32_t x = R->gx[g];
        double W = R->gw[g], rx = r + x;
        double psabx = bb__digamma(a + b + x), tgabx = bb__trigamma(a + b + x);
        ll += W * (bb__lgamma(rx) - lgr + r * la + bb__lbeta(a, b + x) - lbab);
        G[0] += W * (bb__digamma(rx) - psr + la);
        G[1] += W * r / al;
        G[2] += W * (psab - psabx);
        G[3] += W * (bb__digamma(b + x) - psabx - psb + psab);
        H[0][0] += W * (bb__trigamma(rx) - tgr);
        H[0][1] += W / al;
        H[1][1] -= W * r / (al * al);
        H[2][2] += W * (tgab - tgabx);
        H[2][3] += W * (tgab - tgabx);
        H[3][3] += W * (bb__trigamma(b + x) - tgabx - tgb + tgab);
        size_t lo = R->gstart[g], hi = R->gstart[g + 1];
        if (x == 0) {
            double sl = 0.0, si = 0.0, si2 = 0.0;
            for (size_t i = lo; i < hi; i++) {
                uint32_t k = R->ib[i];
                double w = R->w[i];
                sl += w * L[k];
                si += w * I[k];
                si2 += w * I[k] * I[k];
            }
            ll -= r * sl;
            G[0] -= sl;
            G[1] -= r * si;
            H[0][1] -= si;
            H[1][1] += r * si2;
            continue;
        }
        double jb = 1.0 / (b + x - 1.0), kx = theta[2] + log(jb), ekx = a * jb;
        acc S = {0};
        if (tabs && rx * (lmax - lmin) <= 600.0 && ekx * exp(rx * (lmax - lmin)) < 1e290) {
            /* e^(d2 - d1) = (a / (b+x-1)) e^(rx (ln(alpha+T) - ln(alpha+t_x))) from a table per value:
             * the exponentials once per distinct time for this x, not once per row */
            for (size_t v = 0; v < R->nvals; v++) {
                E[v] = exp(rx * (L[v] - lmin));
                iE[v] = 1.0 / E[v];
            }
            for (size_t i = lo; i < hi; i++) {
                uint32_t kT = R->ib[i], kt = R->ia[i];
                double q = ekx * E[kT] * iE[kt], w1 = 1.0 / (1.0 + q);
                accumulate(&S, R->w[i], L[kT], L[kt], I[kT], I[kt], -rx * L[kT] + log(1.0 + q), w1, q * w1);
            }
        } else {
            for (size_t i = lo; i < hi; i++) {
                uint32_t kT = R->ib[i], kt = R->ia[i];
                double lT = L[kT], lt = L[kt];
                double d1 = -rx * lT, d2 = kx - rx * lt, d = d2 - d1, e, lse, w1, w2;
                if (d > 0) {
                    e = exp(-d);
                    lse = d2 + log(1.0 + e); /* e <= 1: log1p's extra digits are below 1e-16 here */
                    w2 = 1.0 / (1.0 + e);
                    w1 = e * w2;
                } else {
                    e = exp(d);
                    lse = d1 + log(1.0 + e);
                    w1 = 1.0 / (1.0 + e);
                    w2 = e * w1;
                }
                accumulate(&S, R->w[i], lT, lt, I[kT], I[kt], lse, w1, w2);
            }
        }
        double slse = S.lse, sL = S.L, sI = S.I, sI2 = S.I2, sw2 = S.w2;
        double sc = S.c, scl = S.cl, scll = S.cll, sci = S.ci, scii = S.cii, scil = S.cil;
        ll += slse;
        G[0] -= sL;
        G[1] -= rx * sI;
        G[2] += sw2 / a;
        G[3] -= sw2 * jb;
        /* w1 H(d1) + w2 H(d2) */
        H[0][1] -= sI;
        H[1][1] += rx * sI2;
        H[2][2] -= sw2 / (a * a);
        H[3][3] += sw2 * jb * jb;
        /* w1 w2 D D', D = g1 - g2 = (lt - lT, rx (it - iT), -1/a, 1/(b+x-1)) */
        H[0][0] += scll;
        H[0][1] += rx * scil;
        H[0][2] -= scl / a;
        H[0][3] += scl * jb;
        H[1][1] += rx * rx * scii;
        H[1][2] -= rx * sci / a;
        H[1][3] += rx * sci * jb;
        H[2][2] += sc / (a * a);
        H[2][3] -= sc * jb / a;
        H[3][3] += sc * jb * jb;
    }
    double p[4] = {r, al, a, b};
    if (grad)
        for (int i = 0; i < 4; i++)
            grad[i] = -G[i] * p[i];
    if (hess)
        for (int i = 0; i < 4; i++)
            for (int j = i; j < 4; j++) {
                /* d2/dti dtj = pi pj d2/dpi dpj + [i = j] pi d/dpi */
                double h = p[i] * p[j] * H[i][j] + (i == j ? p[i] * G[i] : 0.0);
                hess[4 * i + j] = hess[4 * j + i] = -h;
            }
    return -ll;
}

int bb_bgnbd_fit(const int32_t *x, const double *t_x, const double *T, size_t n, const bb_fit_opts *opts,
                 bb_fit *fit, bb_error *err)
{
    return bb__btyd_fit(BB_MODEL_BGNBD, bb__bgnbd_nll, 1, x, t_x, T, n, opts, fit, err);
}

double bb_bgnbd_loglik(const double *p, int32_t x, double t_x, double T)
{
    double r = p[0], al = p[1], a = p[2], b = p[3];
    double c = bb__lgamma(r + x) - bb__lgamma(r) + r * log(al) + bb__lbeta(a, b + x) - bb__lbeta(a, b);
    double d1 = -(r + x) * log(al + T);
    if (x == 0)
        return c + d1;
    return c + bb__logaddexp(d1, log(a) - log(b + x - 1.0) - (r + x) * log(al + t_x));
}

double bb_bgnbd_p_alive(const double *p, int32_t x, double t_x, double T)
{
    double r = p[0], al = p[1], a = p[2], b = p[3];
    if (x == 0)
        return 1.0;
    /* 1 / (1 + e^l), l = ln(a / (b+x-1)) + (r+x) ln((alpha+T) / (alpha+t_x)) */
    double l = log(a) - log(b + x - 1.0) + (r + x) * log1p((T - t_x) / (al + t_x));
    return l > 0 ? exp(-l) / (1.0 + exp(-l)) : 1.0 / (1.0 + exp(l));
}

/* E_{p ~ Beta(a, b')} [ (1 - (1 + p w)^-n) / p ] by tanh-sinh quadrature in the log-odds of p, centred
 * on the Beta's mode ln(a/b') and scaled by its spread sqrt(1/a + 1/b'), so that a Beta concentrated by
 * large a and b' is resolved as well as a wide one (for w large, where the hypergeometric series
 * converges slowly, and for large a, where its terms overflow). Levels halve the step until two agree
 * to 1e-13. */
static double expect_quadrature(double a, double bp, double n, double w)
{
    double lb = bb__lbeta(a, bp), prev = 0.0, sum = 0.0, mass = 0.0, h = 0.5;
    double v0 = log(a / bp), sd = sqrt(1.0 / a + 1.0 / bp);
    for (int level = 0; level < 8; level++) {
        double acc = 0.0, accw = 0.0;
        int first = level == 0;
        for (int k = -(int)(7.0 / h); k <= (int)(7.0 / h); k++) {
            if (!first && (k % 2) == 0)
                continue; /* nodes of coarser levels are already in sum */
            double u = k * h, sh = v0 + sd * M_PI * sinh(u);
            /* p = 1 / (1 + e^-sh), 1 - p = 1 / (1 + e^sh), dp/du = p (1-p) sd pi cosh u */
            double lp = -log1p(exp(-sh)), lq = -log1p(exp(sh));
            double p = exp(lp);
            double lw = a * lp + bp * lq - lb + log(sd * M_PI * cosh(u));
            if (lw < -745.0)
                continue;
            /* g(p) = (1 - (1 + p w)^-n) / p, = n w (1 - ...) for small p w */
            double pw = p * w, g;
            if (pw < 1e-8)
                g = n * w * (1.0 - 0.5 * (n + 1.0) * pw);
            else
                g = -expm1(-n * log1p(pw)) / p;
            acc += exp(lw) * g;
            accw += exp(lw);
        }
        sum = first ? acc * h : 0.5 * sum + acc * h;
        mass = first ? accw * h : 0.5 * mass + accw * h;
        if (level > 2 && fabs(sum / mass - prev) <= 1e-13 * fabs(sum / mass))
            break;
        prev = sum / mass;
        h *= 0.5;
    }
    /* divided by the rule's own integral of the density (1 in exact arithmetic): for large a and b',
     * ln B(a, b') cancels terms of order a and b', and its rounding would otherwise scale the result */
    return sum / mass;
}

double bb__bgnbd_expected_alive(const double *p, int32_t x, double T, double t)
{
    double r = p[0], al = p[1], a = p[2], b = p[3];
    if (!(t > 0.0))
        return 0.0;
    double n = r + x, c = a + b + x - 1.0;
    double L = log1p(t / (al + T)); /* -ln(1 - z) */
    double z = t / (al + T + t), num;
    if (z <= 0.9) {
        /* numerator (a+b+x-1)/(a-1) [1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z)] written without the
         * removable singularities at a = 1 and c = 0:  c phi(a-1, L) - (1-z)^(a-1) S,
         * S = sum_{k>=1} (a+b-1-r)_k (a)_{k-1} z^k / ((c+1)_{k-1} k!) */
        double A = a + b - 1.0 - r, u = A * z, s = 0.0, big = 0.0;
        for (int k = 1; k < 100000; k++) {
            s += u;
            if (fabs(u) > big)
                big = fabs(u);
            double ratio = (A + k) * (a + k - 1.0) * z / ((c + k) * (k + 1.0));
            double mr = fabs(ratio) > z ? fabs(ratio) : z;
            u *= ratio;
            if (!isfinite(s) || (mr < 1.0 && fabs(u) <= 1e-17 * (fabs(s) + big) * (1.0 - mr)))
                break;
        }
        double scale = exp(-(a - 1.0) * L);
        num = c * bb__expm1_ratio(a - 1.0, L) - scale * s;
        /* Large a and b (a Beta concentrated near one p) make the terms huge and the difference
         * cancel, or overflow: the quadrature has no such trouble. */
        if (!isfinite(num) || !(num > 0.0) || scale * big > 1e6 * num)
            num = expect_quadrature(a, b + x, n, t / (al + T));
    } else {
        num = expect_quadrature(a, b + x, n, t / (al + T));
    }
    return num;
}

double bb_bgnbd_expected(const double *p, int32_t x, double t_x, double T, double t)
{
    return bb__bgnbd_expected_alive(p, x, T, t) * bb_bgnbd_p_alive(p, x, t_x, T);
}

double bb_bgnbd_expected_new(const double *p, double t)
{
    /* E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]: the conditional
     * expectation of a customer with x = 0 observed for T = 0. */
    return bb_bgnbd_expected(p, 0, 0.0, 0.0, t);
}
