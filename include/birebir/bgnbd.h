/* bgnbd.h: the BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
 * While alive a customer buys at rate lambda ~ Gamma(r, alpha); after each repeat purchase she drops out
 * with probability p ~ Beta(a, b). Inputs per customer: x repeat purchase occasions, t_x the time of the
 * last one since the first purchase, T the time from the first purchase to the end of calibration (any
 * unit; the fit's alpha is in that unit). Fitting is by maximum likelihood (see model.h); scoring one
 * customer needs only the parameters and that customer's (x, t_x, T). */
#ifndef BIREBIR_BGNBD_H
#define BIREBIR_BGNBD_H

#include "birebir/model.h"

/* Fits r, alpha, a, b to n customers. Requires x >= 0, 0 <= t_x <= T, t_x = 0 when x = 0, all finite.
 * Fails with BB_EINVAL for bad rows (the message names the row) and BB_ENUMERIC for data that cannot
 * support a fit: no customers, a single customer, no repeat purchases, or every T = 0. */
int bb_bgnbd_fit(const int32_t *x, const double *t_x, const double *T, size_t n, const bb_fit_opts *opts,
                 bb_fit *fit, bb_error *err) BB_MUST_USE;

/* The log-likelihood of one customer under params {r, alpha, a, b}. */
double bb_bgnbd_loglik(const double *params, int32_t x, double t_x, double T);
/* The probability that the customer is still alive at T. */
double bb_bgnbd_p_alive(const double *params, int32_t x, double t_x, double T);
/* The expected number of purchases in (T, T + t], given (x, t_x, T). t >= 0. */
double bb_bgnbd_expected(const double *params, int32_t x, double t_x, double T, double t);
/* The expected number of repeat purchases in (0, t] of a customer just acquired (FHL 2005 eq. 9). */
double bb_bgnbd_expected_new(const double *params, double t);

#endif
