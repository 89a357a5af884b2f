/* analyze.h: `birebir analyze`: every customer's value scores from the orders in the store. Reads the
 * orders once, in customer order (memory: the per-customer summaries, not the orders), fits the purchase
 * model (BG/NBD, Pareto/NBD, or whichever predicts a holdout period better) and the Gamma-Gamma spend
 * model, scores RFM (quintiles over the population, segments from the editable grid), P(alive),
 * expected purchases and value, CLV, churn risk and tiers, builds the cohort retention matrix, and
 * stores a model run (parameters, fit statistics, window, time taken) and every customer's scores. */
#ifndef BIREBIR_ANALYZE_H
#define BIREBIR_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "birebir/cohort.h"
#include "birebir/model.h"
#include "birebir/store.h"

typedef struct bb_analyze_opts {
    int64_t as_of;            /* UTC seconds; 0: the time of the last order */
    int horizon_months;       /* CLV horizon; 0: 12 */
    bb_model_kind model;      /* BB_MODEL_BGNBD, BB_MODEL_PNBD, or 0: auto (the smaller holdout error) */
    double margin_rate;       /* the margin share when an order's cost is unknown; < 0: 1 (CLV of revenue) */
    double monthly_discount;  /* < 0: 0.01 */
    const char *rfm_grid_json; /* NULL: the grid of the current run, else the default grid */
    /* Called between steps ("reading orders", "fitting", ...) when not NULL. */
    void (*on_step)(void *ctx, const char *step);
    void *ctx;
} bb_analyze_opts;

/* Fills o with the defaults above. */
void bb_analyze_opts_init(bb_analyze_opts *o);

typedef struct bb_analyze_report {
    int64_t run_id, cohort_run_id;
    int64_t as_of, first_order;
    int64_t orders;            /* orders read (up to as_of) */
    char currency[4];          /* the currency of most orders, the one the run values in */
    int64_t other_currency;    /* orders up to as_of left out: in another currency */
    size_t customers;          /* customers scored (with an order by as_of) */
    bb_fit purchase, spend;
    int has_spend;             /* 0: the spend model could not be fitted (spend_note says why); expected
                                  order values are then each customer's mean order value */
    char spend_note[256];
    int auto_selected;         /* 1: the model was chosen on a holdout period */
    double holdout_weeks;      /* its length */
    double holdout_mae[2];     /* mean absolute error per customer: BG/NBD, Pareto/NBD (auto only) */
    double seconds_read, seconds_fit, seconds_score, seconds_write, seconds_total;
    size_t cohorts;            /* cohort months */
} bb_analyze_report;

/* A fit as JSON (what analyze stores, what `analyze --json` and `fit --json` print): {"model",
 * "customers", "excluded", "params": {...}, "std_errors": {...} (each null when the Hessian at the
 * optimum is not positive definite; never NaN), "log_likelihood", "converged", "message"}. New reference. */
json_t *bb_analyze_fit_json(const bb_fit *f);

/* The cohort retention matrix the last analyze stored (the current "cohorts" run) into out (release with
 * bb_cohorts_release), with the data's end then and the run's id: the one reading of it, for
 * `birebir cohorts` and GET /api/v1/cohorts. BB_ENOTFOUND before the first analyze; BB_ESCHEMA when the
 * stored matrix is damaged (its rows not one a month, each to the last month, counts within the cohort). */
int bb_analyze_cohorts_load(bb_store *s, bb_cohorts *out, int64_t *as_of, int64_t *run_id, bb_error *err) BB_MUST_USE;

/* Runs the analysis and stores it. BB_EINVAL when there are no orders by as_of; BB_ENUMERIC when the
 * data cannot support the purchase model (e.g. no repeat purchases), with the model's message. */
int bb_analyze_run(bb_store *s, const bb_analyze_opts *o, bb_analyze_report *r, bb_error *err) BB_MUST_USE;

#endif
