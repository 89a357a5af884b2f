/* gammagamma.h: the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie
 * 2013, "The Gamma-Gamma model of monetary value"). The value of each transaction is Gamma(p, nu) with
 * nu ~ Gamma(q, gamma) across customers. Input per customer: x repeat purchase occasions and the mean
 * value of those repeats (the first purchase excluded), in any money unit (the fit's gamma is in it).
 * Customers without repeats, and those whose repeats are all worth 0, are left out of the fit and
 * counted (fit->excluded, fit->zero_value). */
#ifndef BIREBIR_GAMMAGAMMA_H
#define BIREBIR_GAMMAGAMMA_H

#include "birebir/model.h"

/* Fits p, q, gamma. mean_value[i] must be finite and >= 0. BB_ENUMERIC when fewer than two customers
 * have repeat purchases of positive value. */
int bb_gg_fit(const int32_t *x, const double *mean_value, size_t n, const bb_fit_opts *opts, bb_fit *fit,
              bb_error *err) BB_MUST_USE;

/* The log-likelihood of one customer (x > 0, mean_value > 0) under params {p, q, gamma}. */
double bb_gg_loglik(const double *params, int32_t x, double mean_value);

/* The expected value of this customer's future transactions, E[M | x, mean_value] =
 * p (gamma + x mean_value) / (p x + q - 1); for x = 0 the population mean p gamma / (q - 1).
 * Returns 0 and sets *out, or BB_ENUMERIC when the expectation does not exist (q <= 1 for x = 0, or
 * p x + q <= 1): the model's spend distribution then has no finite mean, and no number is given. */
int bb_gg_expected_value(const double *params, int32_t x, double mean_value, double *out) BB_MUST_USE;

/* What a fit with q <= 1 means, for reports (fit, analyze). */
#define BB_GG_Q_NOTE                                                                                           \
    "q <= 1: the fitted spend distribution has no finite mean, so the model gives no expected order value "   \
    "for a customer without repeat purchases"

#endif
