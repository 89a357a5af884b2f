/* summary.h: per-customer summaries of purchase histories, the input of every value model. From arrays of
 * orders (customer index, time, value, margin) as of a date: x, the repeat purchase occasions (orders at
 * the same moment are one occasion; date-only data therefore merges same-day orders, as the literature
 * does; orders within a configurable window of an occasion's first order join it), t_x and T in the
 * model's time unit, the mean value of the repeat occasions (the first excluded, as the spend model
 * wants), occasions in a holdout period, and the RFM inputs (days since the last order, orders, revenue
 * and margin in a window). Pure computation: the caller brings the arrays (from a file or the store). */
#ifndef BIREBIR_SUMMARY_H
#define BIREBIR_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"

/* Options. Zero-initialise, then set what applies. Times are "ticks": days since 1970-01-01 when
 * ticks_per_day is 1 (or 0), UTC seconds when it is 86400. */
typedef struct bb_summary_opts {
    int64_t ticks_per_day;   /* 1 (or 0): times are days; 86400: times are seconds */
    double unit_days;        /* the model's time unit in days: 1 (day, also when 0) or 7 (week) */
    int has_as_of;           /* 0: as of the last order in the data */
    int64_t as_of;           /* end of calibration, inclusive (ticks) */
    int has_holdout;         /* count occasions in (as_of, holdout_end] */
    int64_t holdout_end;     /* inclusive (ticks) */
    int64_t merge_window;    /* ticks: an order at most this long after an occasion's first order joins
                                that occasion; 0 merges only orders at the same tick */
    int has_rfm_window;      /* 0: the RFM sums cover all orders up to as_of */
    int64_t rfm_window_start; /* inclusive (ticks) */
    size_t n_customers;      /* customer indexes are 0 .. n_customers - 1; 0: the largest index + 1 */
} bb_summary_opts;

/* One customer's summary. */
typedef struct bb_customer_summary {
    int present;          /* 1 when the customer has an order at or before as_of; else all below are 0 */
    int32_t x;            /* repeat purchase occasions in calibration */
    double t_x, T;        /* last occasion since the first; as_of since the first (model unit) */
    double mean_value;    /* mean value of the x repeat occasions (minor units); 0 when x = 0 */
    int32_t x_holdout;    /* occasions in (as_of, holdout_end] */
    int64_t first, last;  /* ticks of the first and the last order at or before as_of */
    double recency_days;  /* days from the last order to as_of */
    int32_t orders;       /* orders (rows) in the RFM window */
    int64_t revenue, margin; /* their value and margin sums (minor units) */
} bb_customer_summary;

/* All customers' summaries, as arrays (structure of arrays). */
typedef struct bb_summary {
    size_t n;               /* customers */
    size_t present;         /* customers with an order at or before as_of */
    int64_t as_of;          /* the as_of used (ticks) */
    double holdout_length;  /* (holdout_end - as_of) in the model unit; 0 without holdout */
    unsigned char *is_present;
    int32_t *x, *x_holdout, *orders;
    double *t_x, *T, *mean_value, *recency_days;
    int64_t *first, *last, *revenue, *margin;
} bb_summary;

/* Summarises n orders. cust[i] is the customer's index, t[i] the time (ticks), value[i] the order's value
 * and margin[i] its margin (minor units; value and margin may be NULL: taken as 0). Orders may come in any
 * order. Fills out (release it with bb_summary_release); BB_EINVAL for a negative customer index or one
 * past n_customers, BB_ENOMEM. Linear time apart from sorting each customer's orders by time. */
int bb_summary_build(const int64_t *cust, const int64_t *t, const int64_t *value, const int64_t *margin, size_t n,
                     const bb_summary_opts *opts, bb_summary *out, bb_error *err) BB_MUST_USE;
void bb_summary_release(bb_summary *s); /* accepts NULL */

/* One customer's summary from its n orders sorted by time (for re-scoring when an order arrives).
 * opts->has_as_of must be set. BB_EINVAL when t is not sorted. */
int bb_summary_customer(const int64_t *t, const int64_t *value, const int64_t *margin, size_t n,
                        const bb_summary_opts *opts, bb_customer_summary *out, bb_error *err) BB_MUST_USE;

#endif
