/* mle.h: the maximum-likelihood driver shared by the value models (inside src/model/ only). A model gives
 * its negative log-likelihood and analytic gradient in log-parameter space as one callback over its data;
 * the driver runs NLopt's L-BFGS from a deterministic start (first on a subsample when the data are large,
 * then on all rows in coordinates preconditioned by the subsample's curvature), computes the Hessian by
 * central differences of the analytic gradient, checks the gradient at the optimum (it must vanish, and
 * its differences must agree with the likelihood's own second differences) and fills a bb_fit. A model
 * that also gives its analytic Hessian (has_hessian) gets Newton steps with backtracking on all rows
 * after the first stage instead (a few evaluations), the Hessian at the optimum from the model, and the
 * derivative check along one direction mixing all parameters (two more evaluations). */
#ifndef BB_MODEL_MLE_H
#define BB_MODEL_MLE_H

#include "birebir/model.h"

/* Returns the total negative log-likelihood at log-parameters theta and, when grad is not NULL, its
 * gradient with respect to theta; when hess is not NULL (only asked of models with has_hessian), also its
 * Hessian, np x np row-major. Returns a non-finite value when it cannot be computed. */
typedef double (*bb__nll_fn)(const double *theta, double *grad, double *hess, void *data);

typedef struct bb__mle {
    bb_model_kind model;
    int np;
    bb__nll_fn nll;
    int has_hessian; /* nll gives an analytic Hessian: Newton steps on all rows */
    void *full;    /* all rows */
    double n_full; /* customers in them (the sum of the weights) */
    void *sub;     /* a subsample for the warm start, or NULL */
    double n_sub;
} bb__mle;

/* Fits; theta holds the start on entry (log-parameters) and the optimum on return. Fills fit (whose model,
 * customers, excluded fields the caller sets). Returns 0, or BB_ENUMERIC when the likelihood cannot be
 * evaluated at all (a fit that did not converge still returns 0 with fit->converged = 0). */
int bb__mle_run(const bb__mle *m, double *theta, const bb_fit_opts *opts, bb_fit *fit, bb_error *err);

/* The subsample stride for n rows under opts (0: no warm start). */
size_t bb__mle_stride(size_t n, const bb_fit_opts *opts);

#endif
