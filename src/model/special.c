/* special.c: digamma, trigamma, log-beta and numerically careful helpers for the value models.
 * Digamma and trigamma shift the argument up with the recurrences psi(x) = psi(x+1) - 1/x and
 * psi'(x) = psi'(x+1) + 1/x^2 until x >= 10, then use the asymptotic (Stirling) series with Bernoulli
 * numbers (Abramowitz & Stegun 6.3.18 and 6.4.12); log-beta uses the Stirling series for the difference
 * ln Gamma(b) - ln Gamma(a + b) when b is large, which keeps relative accuracy where the plain sum of three
 * lgamma values would cancel. */
#include "model/special.h"

#include <math.h>

double bb__lgamma(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

double bb__digamma(double x)
{
    double acc = 0.0, inv, inv2;
    while (x < 10.0) {
        acc -= 1.0 / x;
        x += 1.0;
    }
    inv = 1.0 / x;
    inv2 = inv * inv;
    /* ln x - 1/(2x) - sum B_2k / (2k x^2k), B_2 .. B_12 */
    return acc + log(x) - 0.5 * inv -
           inv2 * (1.0 / 12 -
                   inv2 * (1.0 / 120 -
                           inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * 691.0 / 32760)))));
}

double bb__trigamma(double x)
{
    double acc = 0.0, inv, inv2;
    while (x < 10.0) {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    inv = 1.0 / x;
    inv2 = inv * inv;
    /* 1/x + 1/(2x^2) + sum B_2k / x^(2k+1) */
    return acc + inv + 0.5 * inv2 +
           inv * inv2 *
               (1.0 / 6 -
                inv2 * (1.0 / 30 - inv2 * (1.0 / 42 - inv2 * (1.0 / 30 - inv2 * (5.0 / 66 - inv2 * 691.0 / 2730)))));
}

/* The remainder of Stirling's series: ln Gamma(x) - [(x - 1/2) ln x - x + ln(2 pi)/2], for x >= 10. */
static double stirling_rest(double x)
{
    double inv = 1.0 / x, inv2 = inv * inv;
    return inv * (1.0 / 12 -
                  inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 * (1.0 / 1188)))));
}

double bb__lbeta(double a, double b)
{
    double lo = a < b ? a : b, hi = a < b ? b : a;
    if (hi < 10.0)
        return bb__lgamma(lo) + bb__lgamma(hi) - bb__lgamma(lo + hi);
    /* ln Gamma(hi) - ln Gamma(lo + hi) by Stirling: no cancellation between two large numbers. */
    double d = -(hi - 0.5) * log1p(lo / hi) - lo * log(lo + hi) + lo + stirling_rest(hi) -
               stirling_rest(lo + hi);
    if (lo >= 10.0) {
        /* ln Gamma(lo) by Stirling as well, to keep the sum free of large cancelling terms. */
        return (lo - 0.5) * log(lo) - lo + 0.5 * log(2.0 * M_PI) + stirling_rest(lo) + d;
    }
    return bb__lgamma(lo) + d;
}

double bb__logaddexp(double a, double b)
{
    double hi = a > b ? a : b, lo = a > b ? b : a;
    if (hi == -INFINITY)
        return -INFINITY;
    return hi + log1p(exp(lo - hi));
}

double bb__expm1_ratio(double a, double x)
{
    double ax = a * x;
    if (fabs(ax) < 1e-5) /* series: x (1 - ax/2 + (ax)^2/6 - (ax)^3/24) */
        return x * (1.0 - ax * (0.5 - ax * (1.0 / 6 - ax / 24)));
    return -expm1(-ax) / a;
}
