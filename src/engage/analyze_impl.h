/* analyze_impl.h: what the files of `analyze` share (inside src/engage/): the per-customer arrays the
 * scan of the orders fills (analyze_scan.c) and the rest of the run uses (analyze.c, analyze_store.c). */
#ifndef BB_ENGAGE_ANALYZE_IMPL_H
#define BB_ENGAGE_ANALYZE_IMPL_H

#include "birebir/analyze.h"
#include "birebir/score.h"
#include "birebir/summary.h"

#define BB__ANALYZE_CURRENCIES 16

typedef struct bb__analyze_data {
    bb_summary_opts full, cal; /* as of the run's as-of time; as of the calibration end with holdout */
    int with_cal;              /* build the calibration summaries too (auto) */
    double default_margin;
    /* customers with an order by as_of, in the store's order */
    size_t n, cap;
    int64_t *id;
    int32_t *x, *orders;
    double *t_x, *T, *mean_value, *recency_days, *margin_rate;
    int64_t *revenue;
    int64_t n_orders;
    char currency[4];       /* the run's: orders in others are left out ("": the first order's) */
    int64_t other_currency; /* orders by as_of left out for their currency */
    /* orders by as_of per currency (the first BB__ANALYZE_CURRENCIES seen), to find the most common */
    int n_cur;
    char cur_name[BB__ANALYZE_CURRENCIES][4];
    int64_t cur_orders[BB__ANALYZE_CURRENCIES];
    /* their scores (filled after the fits) */
    double *p_alive, *expected, *value, *clv;
    unsigned char *has_value;
    uint8_t *r, *f, *m;
    char *tier;
    /* calibration summaries of customers with an order by the calibration end */
    size_t cal_n, cal_cap;
    int32_t *cx, *cx_holdout;
    double *ct_x, *cT;
    /* (customer index, day) of the first order in each month, for the cohorts */
    size_t m_n, m_cap;
    int64_t *m_cust, *m_day;
    /* the current customer's orders */
    int64_t cur;
    size_t on, o_cap;
    int64_t *ot, *ov, *om;
    int64_t margin_sum, margin_amount;
    int64_t net; /* its revenue net of returns (orders with a negative amount) */
    bb_error *err;
} bb__analyze_data;

/* Reads every order once and fills d (d->full, d->cal, d->with_cal, d->default_margin set before). */
int bb__analyze_scan(bb_store *s, bb__analyze_data *d, bb_error *err);
void bb__analyze_data_release(bb__analyze_data *d);

/* Writes the cohort matrix of d as the current "cohorts" run; *id receives its id. */
int bb__analyze_store_cohorts(bb_store *s, const bb__analyze_data *d, int64_t started, size_t *ncohorts,
                              int64_t *id, bb_error *err);
/* Writes the scoring run (params, fit statistics) and every customer's scores, in batches. */
int bb__analyze_store_scores(bb_store *s, const bb__analyze_data *d, bb_score_params *p, const char *fit_json,
                             int64_t started, bb_analyze_report *rep, bb_error *err);

#endif
