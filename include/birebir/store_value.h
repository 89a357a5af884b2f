/* store_value.h: what the dashboard reads of the customer base as a whole: customers, buyers, the active
 * share, orders and revenue, and every customer's CLV (for its distribution). The value models' own
 * reads and writes (model runs, scores, segment summaries, cohort data) are in store_score.h. */
#ifndef BIREBIR_STORE_VALUE_H
#define BIREBIR_STORE_VALUE_H

#include <stdint.h>

#include "birebir/store.h"

typedef struct bb_store_overview {
    int64_t as_of;         /* the end of the window (exclusive), UTC seconds */
    int64_t active_days;   /* the window's length */
    int64_t customers;     /* customers not merged into another */
    int64_t buyers;        /* of them, with at least one purchase (an order not a return) before as_of */
    int64_t active;        /* of them, with a purchase in [as_of - active_days, as_of) */
    int64_t orders;        /* every order, returns included */
    char currency[4];      /* the currency most orders are in ("" when there is no order) */
    int64_t revenue_minor; /* the sum of the amounts of the orders in that currency (returns subtract) */
    int64_t other_currency_orders;         /* orders in other currencies, left out of revenue_minor */
    int64_t first_order_at, last_order_at; /* 0 when there is no order */
} bb_store_overview;

/* The overview as of as_of (0: one second after the latest order, so the data's own end) with an
 * active window of active_days (1 or more). BB_EINVAL for active_days < 1. */
int bb_store_overview_get(bb_store *s, int64_t as_of, int64_t active_days, bb_store_overview *out,
                          bb_error *err) BB_MUST_USE;

/* Every current CLV score (customer_score.clv_minor, NULLs left out), in ascending order. fn answers
 * 0 to go on, 1 to stop, or a negative code to stop with it. */
typedef int (*bb_store_clv_fn)(void *ctx, int64_t clv_minor);
int bb_store_clv_values(bb_store *s, bb_store_clv_fn fn, void *ctx, bb_error *err) BB_MUST_USE;

/* Where the data stands, as this connection sees it: `others` changes whenever another connection has
 * committed (SQLite's PRAGMA data_version), `own` whenever this one has changed rows; `handle` is the
 * connection's number, unique among those this process opened. Two equal versions (all three) mean the
 * same data: what was computed from it may be reused. */
typedef struct bb_store_version {
    int64_t others, own;
    uint64_t handle;
} bb_store_version;
int bb_store_data_version(bb_store *s, bb_store_version *out, bb_error *err) BB_MUST_USE;

#endif
