/* pnbd.h: the Pareto/NBD purchase model (Schmittlein, Morrison & Colombo 1987; likelihood as in Fader &
 * Hardie's 2005 note "A note on deriving the Pareto/NBD model and related expressions"). While alive a
 * customer buys at rate lambda ~ Gamma(r, alpha); her lifetime is exponential with rate mu ~ Gamma(s, beta).
 * Inputs and units as in bgnbd.h. The likelihood's Gauss hypergeometric term is evaluated as a series in
 * the Euler-transformed form with positive terms (no cancellation, no overflow for any x or T) and, where
 * that series would converge slowly, as the likelihood's integral by Gauss-Legendre quadrature. */
#ifndef BIREBIR_PNBD_H
#define BIREBIR_PNBD_H

#include "birebir/model.h"

/* Fits r, alpha, s, beta to n customers; input rules and errors as bb_bgnbd_fit. */
int bb_pnbd_fit(const int32_t *x, const double *t_x, const double *T, size_t n, const bb_fit_opts *opts,
                bb_fit *fit, bb_error *err) BB_MUST_USE;

/* The log-likelihood of one customer under params {r, alpha, s, beta}; grad (may be NULL) receives its
 * gradient with respect to r, alpha, s, beta. */
double bb_pnbd_loglik(const double *params, int32_t x, double t_x, double T, double *grad);
/* The probability that the customer is still alive at T. */
double bb_pnbd_p_alive(const double *params, int32_t x, double t_x, double T);
/* The expected number of purchases in (T, T + t], given (x, t_x, T). t >= 0. */
double bb_pnbd_expected(const double *params, int32_t x, double t_x, double T, double t);

#endif
