/* sqlite_value.c: the SQLite backend of store_value.h: the dashboard's overview of the whole base and
 * the CLV values in order, and the data version that says when they may be reused. Reads only; pending
 * writes are flushed first. */
#include <stdio.h>

#include "store/sqlite_db.h"
#include "store/store_value_impl.h"

/* Flushes the write-behind, then prepares sql (finalised by the caller). */
static int prep(bb__sqlite *q, const char *sql, sqlite3_stmt **st, bb_error *err)
{
    int rc = bb__sqlite_flush(q, err);
    *st = NULL;
    return rc ? rc : bb__sqlite_prepare(q, st, sql, err);
}

/* Steps a statement that answers one row; 0 with the row in st, or the error. */
static int one_row(bb__sqlite *q, sqlite3_stmt *st, const char *context, bb_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return BB_ENOTFOUND;
    return bb__sqlite_err(q, err, context);
}

/* Four reads, each one pass at most: customers (the merged_into index), the latest order (orders_time),
 * orders and revenue (the orders table), and buyers with who of them is active (the covering index
 * orders_customer_time, in customer order: no temporary B-tree). At 1M customers and 5.7M orders: 0.9 s
 * and 2.6 s for the last two on a loaded machine. */
static int sq_overview(bb_store *s, int64_t as_of, int64_t active_days, bb_store_overview *out, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc;
    *out = (bb_store_overview){.active_days = active_days};
    snprintf(out->currency, sizeof out->currency, "%s", q->currency);
    if ((rc = prep(q, "SELECT count(*) FROM customer WHERE merged_into IS NULL", &st, err)) == 0 &&
        (rc = one_row(q, st, "counting customers", err)) == 0)
        out->customers = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == 0 && (rc = prep(q, "SELECT max(ordered_at) FROM orders", &st, err)) == 0 &&
        (rc = one_row(q, st, "finding the latest order", err)) == 0)
        out->last_order_at = sqlite3_column_int64(st, 0); /* 0 (NULL) when there is no order */
    sqlite3_finalize(st);
    if (rc)
        return rc;
    out->as_of = as_of ? as_of : out->last_order_at ? out->last_order_at + 1 : 0;
    if (!out->last_order_at)
        return 0;
    rc = prep(q,
              "SELECT count(*), coalesce(sum(CASE WHEN currency = ?1 THEN amount_minor END), 0), "
              "coalesce(sum(currency <> ?1), 0), min(ordered_at) FROM orders",
              &st, err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, out->currency, -1, SQLITE_STATIC);
        rc = one_row(q, st, "summing the orders", err);
    }
    if (rc == 0) {
        out->orders = sqlite3_column_int64(st, 0);
        out->revenue_minor = sqlite3_column_int64(st, 1);
        out->other_currency_orders = sqlite3_column_int64(st, 2);
        out->first_order_at = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    /* Per customer, the last purchase before as_of; a buyer has one, and is active when it falls in the
     * window. A return (a negative amount) is no purchase, as in analyze and the cohorts. Reading the
     * amount costs a row per order beside the index: 1.5 s instead of 0.75 s at 5.7M orders. */
    rc = prep(q,
              "SELECT count(last), coalesce(sum(last >= ?1), 0) FROM (SELECT max(CASE WHEN ordered_at < ?2 "
              "AND amount_minor >= 0 THEN ordered_at END) AS last FROM orders GROUP BY customer_id)",
              &st, err);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, out->as_of - active_days * 86400);
        sqlite3_bind_int64(st, 2, out->as_of);
        rc = one_row(q, st, "counting buyers and active customers", err);
    }
    if (rc == 0) {
        out->buyers = sqlite3_column_int64(st, 0);
        out->active = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_clv_values(bb_store *s, bb_store_clv_fn fn, void *ctx, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = prep(q, "SELECT clv_minor FROM customer_score WHERE clv_minor IS NOT NULL ORDER BY clv_minor",
                  &st, err);
    while (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = bb__sqlite_err(q, err, "reading the CLV scores");
            break;
        }
        int r = fn(ctx, sqlite3_column_int64(st, 0));
        if (r != 0) {
            rc = r < 0 ? r : 0;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_data_version(bb_store *s, bb_store_version *out, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_DATA_VERSION, err); /* named: read on every 360 view */
    int rc = st ? one_row(q, st, "reading the data version", err) : BB_EDB;
    if (rc == 0) {
        out->others = sqlite3_column_int64(st, 0);
        out->own = sqlite3_total_changes64(q->db);
        out->handle = q->serial;
    }
    if (st)
        sqlite3_reset(st);
    return rc;
}

const bb__store_value_ops bb__sqlite_value_ops = {
    .overview = sq_overview,
    .clv_values = sq_clv_values,
    .data_version = sq_data_version,
};
