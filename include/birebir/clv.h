/* clv.h: what a marketer acts on, computed from fitted models: customer lifetime value (the discounted
 * expected margin over a horizon), churn risk (1 - P(alive)) in low / medium / high buckets, and
 * profitability tiers A / B / C by cumulative share of predicted value. Pure computation on arrays. */
#ifndef BIREBIR_CLV_H
#define BIREBIR_CLV_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/model.h"

typedef struct bb_clv_opts {
    int horizon_months;      /* months ahead (default 12) */
    double monthly_discount; /* discount rate per month, e.g. 0.01 (default 0.01) */
    double margin_rate;      /* share of an order's value that is margin (default 1: CLV of revenue) */
    double unit_days;        /* the purchase model's time unit in days: 1 or 7 (default 7) */
} bb_clv_opts;

/* Fills o with the defaults above. */
void bb_clv_opts_init(bb_clv_opts *o);

/* One customer's CLV: sum over months i = 1..H of margin * value * (E[Y(i m)] - E[Y((i-1) m)]) /
 * (1 + d)^i, m one month (30.4375 days) in model units, E from the purchase fit, value the expected
 * value of a purchase (bb_gg_expected_value), margin the customer's margin rate. */
double bb_clv_customer(const bb_fit *purchase, int32_t x, double t_x, double T, double value, double margin,
                       const bb_clv_opts *o);

/* CLV of n customers. mean_value is each customer's mean repeat value (for the spend model); margin_rates
 * per customer (NULL: o->margin_rate). expected_value (may be NULL) receives E[M]. When the spend model
 * has no finite expectation for a customer (Gamma-Gamma with q <= 1) that customer's defined[i] is 0 and
 * clv[i] and expected_value[i] are 0; the return value is the number of such customers (>= 0), or a
 * negative BB_E* code (BB_EINVAL when the fits are not a purchase model and a Gamma-Gamma model). */
long bb_clv_compute(const bb_fit *purchase, const bb_fit *spend, const int32_t *x, const double *t_x,
                    const double *T, const double *mean_value, const double *margin_rates, size_t n,
                    const bb_clv_opts *o, double *clv, double *expected_value, unsigned char *defined,
                    bb_error *err);

typedef enum bb_churn_risk { BB_CHURN_LOW = 0, BB_CHURN_MEDIUM = 1, BB_CHURN_HIGH = 2 } bb_churn_risk;

/* Risk = 1 - P(alive): low below medium_at, high from high_at (defaults 0.3 and 0.7 when both are 0). */
bb_churn_risk bb_churn_bucket(double p_alive, double medium_at, double high_at);
/* "low", "medium", "high" (lang "en") or "düşük", "orta", "yüksek" (lang "tr"). */
const char *bb_churn_name(bb_churn_risk risk, const char *lang);

/* Profitability tiers: customers sorted by value (descending, ties by index) take 'A' while the
 * cumulative share of total value before them is below shares[0], 'B' below shares[0] + shares[1], else
 * 'C'. shares NULL: {0.80, 0.15, 0.05}. Negative values count as 0. BB_ENOMEM, BB_EINVAL for shares that
 * are negative or do not sum to 1. */
int bb_tiers_assign(const double *value, size_t n, const double *shares, char *tier, bb_error *err) BB_MUST_USE;

#endif
