/* btyd.h: what the two purchase models (BG/NBD, Pareto/NBD) share inside src/model/: checking their
 * (x, t_x, T) input, collapsing it into weighted rows (all of it, and a subsample for the warm start),
 * their deterministic starting point, and the hypergeometric series and quadrature they both lean on. */
#ifndef BB_MODEL_BTYD_H
#define BB_MODEL_BTYD_H

#include "birebir/model.h"
#include "model/mle.h"
#include "model/rows.h"

typedef struct bb__btyd_data {
    bb__rows full, sub; /* sub.n == 0 when there is no warm start */
    double mean_x, mean_T;
} bb__btyd_data;

/* Checks the rows and builds the data; BB_EINVAL / BB_ENUMERIC / BB_ENOMEM with err filled. */
int bb__btyd_prepare(bb__btyd_data *d, const char *model, const int32_t *x, const double *t_x, const double *T,
                     size_t n, const bb_fit_opts *opts, bb_error *err);
void bb__btyd_release(bb__btyd_data *d);

/* Fits a purchase model (BG/NBD or Pareto/NBD) given its negative log-likelihood over bb__rows: checks
 * and collapses the input, starts from the deterministic default (r = 1, alpha = mean T / mean x, the
 * dropout parameters 1 and, for Pareto/NBD, beta = mean T) or opts->start, and runs the MLE driver. */
int bb__btyd_fit(bb_model_kind model, bb__nll_fn nll, int has_hessian, const int32_t *x,
                 const double *t_x, const double *T, size_t n, const bb_fit_opts *opts, bb_fit *fit,
                 bb_error *err);

/* The expected purchases in (T, T + t] of a customer alive at T (multiply by P(alive) for the
 * conditional expectation); lets a caller that needs many horizons compute P(alive) once. */
double bb__bgnbd_expected_alive(const double *params, int32_t x, double T, double t);
double bb__pnbd_expected_alive(const double *params, int32_t x, double T, double t);

/* The models' negative log-likelihoods over bb__rows (see mle.h; BG/NBD also gives its Hessian). */
double bb__bgnbd_nll(const double *theta, double *grad, double *hess, void *data);
double bb__pnbd_nll(const double *theta, double *grad, double *hess, void *data);

/* Gauss-Legendre nodes and weights on [-1, 1] (10 points). */
extern const double bb__gl10_x[10], bb__gl10_w[10];

#endif
