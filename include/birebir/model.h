/* model.h: what every fitted value model of libbirebir shares: the kinds of model (BG/NBD, Pareto/NBD,
 * Gamma-Gamma), the result of a maximum-likelihood fit (parameters, standard errors, log-likelihood,
 * convergence), and the options of a fit. The models themselves are in bgnbd.h, pnbd.h and gammagamma.h;
 * all are pure computation on arrays (no I/O, no SQL), deterministic (same data, same answer).
 *
 * Time in the purchase models is in whatever unit the caller's t_x and T are in (days or weeks); the
 * rate parameters (alpha, beta) are in that unit, and predictions are for periods in that unit. */
#ifndef BIREBIR_MODEL_H
#define BIREBIR_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"

typedef enum bb_model_kind {
    BB_MODEL_BGNBD = 1,      /* Fader, Hardie & Lee (2005): r, alpha, a, b */
    BB_MODEL_PNBD = 2,       /* Schmittlein, Morrison & Colombo (1987): r, alpha, s, beta */
    BB_MODEL_GAMMAGAMMA = 3, /* Fader, Hardie & Lee (2005) / Colombo & Jiang (1999): p, q, gamma */
} bb_model_kind;

#define BB_FIT_MAX_PARAMS 4

/* The result of a fit. A plain value: copy it, store it, score customers from it. */
typedef struct bb_fit {
    bb_model_kind model;
    int nparams;
    double params[BB_FIT_MAX_PARAMS]; /* in the order of bb_model_param_name */
    double se[BB_FIT_MAX_PARAMS];     /* standard errors from the inverse Hessian (delta method from the
                                         log-parameters); 0 when !hessian_ok */
    double log_likelihood;            /* the maximised log-likelihood of the customers fitted */
    size_t customers;                 /* customers that entered the likelihood */
    size_t excluded;                  /* customers left out (Gamma-Gamma: no repeat purchase, or all 0) */
    size_t zero_value;                /* Gamma-Gamma: of those, the repeat buyers whose repeats are all 0 */
    int converged;     /* 1: the optimiser met its tolerance, the gradient vanishes at the optimum and
                          agrees with the likelihood's finite differences, and the Hessian is positive
                          definite; 0 otherwise (message says which) */
    int hessian_ok;    /* 1: the Hessian at the optimum is positive definite, so se[] is meaningful */
    int evaluations;   /* likelihood-and-gradient evaluations on the full data */
    double gradient_max;     /* max |d LL / d ln(param)| at the optimum */
    double newton_decrement; /* g' H^-1 g / 2 at the optimum: how far LL is from its maximum */
    double gradient_check;   /* max relative disagreement of the analytic gradient with finite differences */
    char message[192];       /* "converged", or what went wrong, in words a user can act on */
} bb_fit;

/* Options of a fit. Zero-initialise for the defaults. */
typedef struct bb_fit_opts {
    int max_evaluations;   /* 0: 2000 */
    size_t warm_start;     /* 0: 20000. Above this many customers the fit first runs on a deterministic
                              subsample (every k-th row) and uses that optimum and its curvature to
                              precondition the fit on all rows. SIZE_MAX disables it. */
    const double *start;   /* NULL: the model's deterministic default start; else nparams values */
} bb_fit_opts;

/* "bgnbd", "pnbd", "gammagamma"; NULL for an unknown kind. */
const char *bb_model_name(bb_model_kind model);
/* Parses a model name (as above); 0 when unknown. */
bb_model_kind bb_model_parse(const char *name);
/* The name of parameter i ("r", "alpha", "a", "b", "s", "beta", "p", "q", "gamma"); NULL past the end. */
const char *bb_model_param_name(bb_model_kind model, int i);
/* The number of parameters of a model (4, 4, 3), 0 for an unknown kind. */
int bb_model_nparams(bb_model_kind model);

/* Scoring one customer from a fitted purchase model (BG/NBD or Pareto/NBD), by fit->model. Depends only
 * on the parameters and this customer's (x, t_x, T), so it can run whenever an order arrives.
 * P(alive) at T; 0 for a fit that is not a purchase model. */
double bb_model_p_alive(const bb_fit *fit, int32_t x, double t_x, double T);
/* Expected purchases in (T, T + t]; 0 for a fit that is not a purchase model. */
double bb_model_expected(const bb_fit *fit, int32_t x, double t_x, double T, double t);

#endif
