/* special.h: the special functions the value models need, shared inside src/model/ only: digamma,
 * trigamma, log-beta, log-gamma without the global signgam, and the small numerically careful helpers
 * (log-sum-exp, (1 - e^(-a x)) / a with its limit at a = 0). All take finite positive arguments where
 * stated and never return NaN for them. */
#ifndef BB_MODEL_SPECIAL_H
#define BB_MODEL_SPECIAL_H

/* ln Gamma(x) for x > 0, without touching the process-wide signgam (uses lgamma_r). */
double bb__lgamma(double x);
/* psi(x) = d/dx ln Gamma(x), x > 0. */
double bb__digamma(double x);
/* psi'(x), x > 0. */
double bb__trigamma(double x);
/* ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b), a, b > 0, accurate when either is large. */
double bb__lbeta(double a, double b);
/* ln(e^a + e^b) without overflow; -inf when both are -inf. */
double bb__logaddexp(double a, double b);
/* (1 - e^(-a x)) / a, with the limit x at a = 0; accurate for a near 0 (x >= 0, any sign of a). */
double bb__expm1_ratio(double a, double x);

#endif
