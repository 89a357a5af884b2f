/* bgnbd.c: the BG/NBD model: log-likelihood and its analytic gradient in one pass over collapsed rows,
 * the fit, and per-customer P(alive) and conditional expectation (Fader, Hardie & Lee 2005, eq. 6, 10, 11).
 *
 * Per customer, ln L = ln Gamma(r+x) - ln Gamma(r) + r ln alpha + ln B(a, b+x) - ln B(a, b)
 *                      + ln[ (alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x) ],
 * the last term by log-sum-exp; everything that depends on x alone is computed once per distinct x. */
#include "birebir/bgnbd.h"

#include <math.h>
#include <string.h>

#include "model/btyd.h"
#include "model/special.h"

static double nll(const double *theta, double *grad, void *data)
{
    const bb__rows *R = data;
    double r = exp(theta[0]), al = exp(theta[1]), a = exp(theta[2]), b = exp(theta[3]);
    double la = theta[1], lgr = bb__lgamma(r), psr = bb__digamma(r), lbab = bb__lbeta(a, b);
    double psab = bb__digamma(a + b), psb = bb__digamma(b);
    double ll = 0.0, gr = 0.0, gal = 0.0, ga = 0.0, gb = 0.0;

    for (size_t g = 0; g < R->ngroups; g++) {
        int32_t x = R->gx[g];
        double W = R->gw[g], rx = r + x;
        double psabx = bb__digamma(a + b + x);
        ll += W * (bb__lgamma(rx) - lgr + r * la + bb__lbeta(a, b + x) - lbab);
        gr += W * (bb__digamma(rx) - psr + la);
        gal += W * r / al;
        ga += W * (psab - psabx);
        gb += W * (bb__digamma(b + x) - psabx - psb + psab);
        size_t lo = R->gstart[g], hi = R->gstart[g + 1];
        if (x == 0) {
            double sl = 0.0, si = 0.0;
            for (size_t i = lo; i < hi; i++) {
                double u = al + R->b[i];
                sl += R->w[i] * log(u);
                si += R->w[i] / u;
            }
            ll -= r * sl;
            gr -= sl;
            gal -= r * si;
        } else {
            double kx = theta[2] - log(b + x - 1.0);
            double slse = 0.0, sL = 0.0, sI = 0.0, sw2 = 0.0;
            for (size_t i = lo; i < hi; i++) {
                double uT = al + R->b[i], ut = al + R->a[i];
                double lT = log(uT), lt = log(ut);
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
                double w = R->w[i];
                slse += w * lse;
                sL += w * (w1 * lT + w2 * lt);
                sI += w * (w1 / uT + w2 / ut);
                sw2 += w * w2;
            }
            ll += slse;
            gr -= sL;
            gal -= rx * sI;
            ga += sw2 / a;
            gb -= sw2 / (b + x - 1.0);
        }
    }
    if (grad) {
        grad[0] = -gr * r;
        grad[1] = -gal * al;
        grad[2] = -ga * a;
        grad[3] = -gb * b;
    }
    return -ll;
}

int bb_bgnbd_fit(const int32_t *x, const double *t_x, const double *T, size_t n, const bb_fit_opts *opts,
                 bb_fit *fit, bb_error *err)
{
    return bb__btyd_fit(BB_MODEL_BGNBD, nll, x, t_x, T, n, opts, fit, err);
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

/* E_{p ~ Beta(a, b')} [ (1 - (1 + p w)^-n) / p ] by tanh-sinh quadrature in p (for w large, where the
 * hypergeometric series converges slowly). Levels halve the step until two agree to 1e-13. */
static double expect_quadrature(double a, double bp, double n, double w)
{
    double lb = bb__lbeta(a, bp), prev = 0.0, sum = 0.0, h = 0.5;
    for (int level = 0; level < 8; level++) {
        double acc = 0.0;
        int first = level == 0;
        for (int k = -(int)(7.0 / h); k <= (int)(7.0 / h); k++) {
            if (!first && (k % 2) == 0)
                continue; /* nodes of coarser levels are already in sum */
            double u = k * h, sh = M_PI * sinh(u);
            /* p = 1 / (1 + e^-sh), 1 - p = 1 / (1 + e^sh), dp/du = p (1-p) pi cosh u */
            double lp = -log1p(exp(-sh)), lq = -log1p(exp(sh));
            double p = exp(lp);
            double lw = a * lp + bp * lq - lb + log(M_PI * cosh(u));
            if (lw < -745.0)
                continue;
            /* g(p) = (1 - (1 + p w)^-n) / p, = n w (1 - ...) for small p w */
            double pw = p * w, g;
            if (pw < 1e-8)
                g = n * w * (1.0 - 0.5 * (n + 1.0) * pw);
            else
                g = -expm1(-n * log1p(pw)) / p;
            acc += exp(lw) * g;
        }
        sum = first ? acc * h : 0.5 * sum + acc * h;
        if (level > 2 && fabs(sum - prev) <= 1e-13 * fabs(sum))
            break;
        prev = sum;
        h *= 0.5;
    }
    return sum;
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
            if (mr < 1.0 && fabs(u) <= 1e-17 * (fabs(s) + big) * (1.0 - mr))
                break;
        }
        num = c * bb__expm1_ratio(a - 1.0, L) - exp(-(a - 1.0) * L) * s;
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
