/* store_score.h: what the value models keep in the store: model runs (model_run: parameters and fit
 * statistics as JSON, the data window, customers, time taken, which run is current) and each customer's
 * current scores (customer_score: RFM, P(alive), expected purchases and value, CLV, churn risk, tier),
 * written in bulk by `analyze` and one at a time when an order arrives; and the reads the CLI and the API
 * make of them (one customer, segment summary, top customers by CLV, runs). */
#ifndef BIREBIR_STORE_SCORE_H
#define BIREBIR_STORE_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/store.h"

/* ---- Model runs ---- */

/* A run to record. Strings are borrowed. */
typedef struct bb_model_run_rec {
    const char *model;       /* "bgnbd", "pnbd" (a scoring run: its params hold everything re-scoring
                                needs), "cohorts" (params hold the retention matrix), ... */
    const char *params_json; /* a JSON object */
    const char *fit_json;    /* a JSON object: log-likelihood, standard errors, convergence, timings */
    int64_t as_of;           /* UTC seconds: the data's end */
    int64_t window_from, window_to; /* UTC seconds; 0: none */
    int64_t customers;
    int64_t started_at, finished_at; /* UTC seconds */
    int current;             /* 1: this run becomes the current one of its group (the scoring models
                                bgnbd and pnbd form one group; any other model is its own) */
} bb_model_run_rec;

/* Records a finished run (status "done"); *id receives its id. */
int bb_store_model_run_add(bb_store *s, const bb_model_run_rec *r, int64_t *id, bb_error *err) BB_MUST_USE;

/* A stored run, owned by the caller (release with bb_model_run_release). */
typedef struct bb_model_run {
    int64_t id;
    char *model, *params_json, *fit_json, *status;
    int64_t as_of, window_from, window_to, customers, started_at, finished_at;
    int is_current;
} bb_model_run;
void bb_model_run_release(bb_model_run *r); /* accepts NULL; leaves *r zeroed */

/* The current run of model's group ("bgnbd" or "pnbd": the current scoring run, whichever of the two
 * it is; "scoring" means the same). BB_ENOTFOUND when there is none (analyze has not run). */
int bb_store_model_run_current(bb_store *s, const char *model, bb_model_run *out, bb_error *err) BB_MUST_USE;

typedef int (*bb_store_model_run_fn)(void *ctx, const bb_model_run *r);
/* Runs, newest first, at most limit (0: all); model NULL: every model. */
int bb_store_model_runs(bb_store *s, const char *model, size_t limit, bb_store_model_run_fn fn, void *ctx,
                        bb_error *err) BB_MUST_USE;

/* The time of the first and the last order (UTC seconds; 0 when there are none) and the number of
 * orders: the window a run can cover. */
int bb_store_order_span(bb_store *s, int64_t *first, int64_t *last, int64_t *count, bb_error *err) BB_MUST_USE;

/* ---- Scores ---- */

/* One customer's scores. has_model 0: the customer has no purchase model scores (no order by the run's
 * as-of date): p_alive ... tier are absent (NULL in the table). */
typedef struct bb_score {
    int64_t customer_id;      /* internal */
    int64_t run_id;
    int64_t recency_days, frequency, monetary_minor; /* RFM inputs: days since the last order, orders,
                                                        revenue (minor units) */
    int r_score, f_score, m_score;                   /* 1..5 */
    char segment[32];                                /* the RFM grid's key ("champions") */
    int has_model;
    double x, t_x, t_cal;                            /* repeat occasions, their span, age (model units) */
    double p_alive, expected_purchases;              /* expected_purchases over the run's horizon */
    int has_value;
    double expected_value;                           /* expected value of a purchase (minor units) */
    int64_t clv_minor;
    char churn_risk[8];                              /* "low", "medium", "high" */
    char tier;                                       /* 'A', 'B', 'C'; 0 when absent */
    int64_t updated_at;
} bb_score;

/* Writes (replaces) the scores of n customers. Call inside a transaction for speed (analyze commits
 * every few tens of thousands). */
int bb_store_scores_put(bb_store *s, const bb_score *scores, size_t n, bb_error *err) BB_MUST_USE;
/* Deletes the scores not written by run_id (customers a new run did not score, e.g. no order by its
 * as-of date any more); *deleted (may be NULL) receives how many. */
int bb_store_scores_prune(bb_store *s, int64_t run_id, int64_t *deleted, bb_error *err) BB_MUST_USE;
/* The scores of one customer (internal id); BB_ENOTFOUND when it has none. */
int bb_store_score_get(bb_store *s, int64_t customer_id, bb_score *out, bb_error *err) BB_MUST_USE;

/* A segment's summary over customers (not merged away) with scores. */
typedef struct bb_segment_summary {
    const char *segment;     /* the grid's key */
    int64_t customers;
    int64_t revenue_minor;   /* the sum of monetary_minor */
    int64_t clv_minor;       /* the sum of CLV */
    double mean_clv_minor;   /* the mean CLV of its customers with a model score */
} bb_segment_summary;
typedef int (*bb_store_segment_fn)(void *ctx, const bb_segment_summary *g);
/* Every segment with customers, largest first. */
int bb_store_score_segments(bb_store *s, bb_store_segment_fn fn, void *ctx, bb_error *err) BB_MUST_USE;

/* A customer among the most valuable. Strings are borrowed (valid during the call). */
typedef struct bb_top_customer {
    int64_t customer_id;
    const char *external_id, *first_name, *last_name; /* names NULL when absent */
    const bb_score *score;
} bb_top_customer;
typedef int (*bb_store_top_fn)(void *ctx, const bb_top_customer *t);
/* The limit customers (not merged away) with the highest CLV, highest first (ties by id). */
int bb_store_score_top(bb_store *s, size_t limit, bb_store_top_fn fn, void *ctx, bb_error *err) BB_MUST_USE;

/* Tier counts and churn-risk counts over scored customers, for dashboards. */
typedef struct bb_score_totals {
    int64_t customers, scored;       /* customers with scores; of them with model scores */
    int64_t clv_minor, revenue_minor;
    int64_t tier[3];                 /* A, B, C */
    int64_t churn[3];                /* low, medium, high */
} bb_score_totals;
int bb_store_score_totals(bb_store *s, bb_score_totals *out, bb_error *err) BB_MUST_USE;

#endif
