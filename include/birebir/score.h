/* score.h: scoring one customer from the parameters `analyze` stored (the current scoring run): RFM
 * scores from the run's quintile cut points and its segment grid, P(alive) and expected purchases from
 * the purchase model, expected order value from the spend model, CLV, churn risk and the profitability
 * tier from the run's CLV cut points. Depends only on that customer's orders, so it runs whenever an
 * order arrives (an import batch, an API event). Also what each score means, in one line. */
#ifndef BIREBIR_SCORE_H
#define BIREBIR_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "birebir/clv.h"
#include "birebir/model.h"
#include "birebir/rfm.h"
#include "birebir/store.h"
#include "birebir/store_score.h"
#include "birebir/summary.h"

/* Everything re-scoring needs, stored as the params JSON of the scoring run. */
typedef struct bb_score_params {
    int64_t run_id;             /* the run these came from (0: not stored yet) */
    int64_t as_of;              /* the run's as-of time (UTC seconds) */
    bb_fit purchase;            /* BG/NBD or Pareto/NBD */
    int has_spend;
    bb_fit spend;               /* Gamma-Gamma, when it could be fitted */
    bb_clv_opts clv;            /* horizon, discount, default margin rate, time unit */
    int64_t merge_window;       /* seconds: orders this close to an occasion's first join it */
    char currency[4];           /* the run's currency: orders in others are left out ("": none left out) */
    /* RFM cut points: a customer's score is the best k (5..2) whose bound it meets, else 1:
     * recency_days <= r_max[5 - k], frequency >= f_min[5 - k], monetary >= m_min[5 - k]. */
    double r_max[4], f_min[4], m_min[4];
    double tier_a_min, tier_b_min; /* CLV (minor units) from which a customer is in tier A, B */
    double churn_medium, churn_high; /* risk = 1 - P(alive) thresholds */
    bb_rfm_grid grid;
} bb_score_params;

/* The params as a JSON object (new reference), and back. Parsing checks every field. */
json_t *bb_score_params_json(const bb_score_params *p);
int bb_score_params_parse(const char *json, bb_score_params *p, bb_error *err) BB_MUST_USE;

/* The current scoring run's params from the store; BB_ENOTFOUND before the first `analyze`. */
int bb_score_params_load(bb_store *s, bb_score_params *p, bb_error *err) BB_MUST_USE;

/* The model part of one customer's scores, from its summary (sm->present must be 1): x, t_x, t_cal,
 * p_alive, expected purchases over the CLV horizon, expected value, CLV (margin_rate: the share of its
 * revenue that is margin), churn risk. Pure computation. */
void bb_score_model(const bb_score_params *p, const bb_customer_summary *sm, double margin_rate, bb_score *out);

/* The RFM scores, segment and tier of out from the params' cut points (real-time; `analyze` ranks the
 * whole population instead). Needs out's RFM inputs and CLV. */
void bb_score_rank(const bb_score_params *p, bb_score *out);

/* Re-scores one customer (internal id) from its orders and writes its scores, as of the later of the
 * run's as-of time and its last order. A customer without orders keeps no scores. Runs in the caller's
 * transaction when there is one. */
int bb_score_customer(bb_store *s, const bb_score_params *p, int64_t customer_id, bb_error *err) BB_MUST_USE;

/* Re-scores n customers (internal ids) in one transaction, from the current scoring run; does nothing
 * before the first `analyze`. What an import calls after each batch (bb_import_options.on_batch). */
int bb_score_customers(bb_store *s, const int64_t *ids, size_t n, bb_error *err) BB_MUST_USE;

/* One line saying what a score means, for people ("p_alive", "clv", "tier", ...; NULL when unknown). */
const char *bb_score_meaning(const char *key);

#endif
