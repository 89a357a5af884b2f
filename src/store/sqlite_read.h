/* sqlite_read.h: what the SQLite backend's read files share: reading helpers (flush, then a read
 * statement; stepping; callback answers) and the read entries of the table of functions.
 * Internal to src/store/. */
#ifndef BB_SQLITE_READ_H
#define BB_SQLITE_READ_H

#include "store/sqlite_db.h"

/* A text column, NULL for NULL. */
const char *bb__col(sqlite3_stmt *st, int i);
/* Flushes the write-behind, then takes a read statement (give it back with bb__sqlite_read_end). */
int bb__sqlite_read_prepare(bb__sqlite *q, enum bb__sq which, sqlite3_stmt **st, bb_error *err);
/* Steps: 1 a row, 0 done, < 0 an error (err filled). */
int bb__sqlite_read_step(bb__sqlite *q, sqlite3_stmt *st, bb_error *err);
/* A callback's answer: 0 go on, 1 stop (not an error), < 0 stop with that code. */
int bb__cb_result(int r);

/* A public callback and its context, carried through bb__sqlite_each_row to a row function. */
typedef struct bb__row_cb {
    union {
        bb_store_consent_fn consent;
        bb_store_interaction_fn interaction;
        bb_store_survey_fn survey;
        bb_order_value_fn value;
        bb_export_product_fn product;
        bb_export_order_fn order;
        bb_export_order_line_fn line;
        bb_export_interaction_fn x_interaction;
        bb_export_consent_fn x_consent;
        bb_export_survey_fn x_survey;
    } fn;
    void *ctx;
} bb__row_cb;
typedef int (*bb__row_fn)(sqlite3_stmt *st, const bb__row_cb *cb);
/* Steps st to its end, handing each row to row until it answers non-zero (bb__cb_result). Returns 0
 * (also when the callback stopped), the callback's negative code, or the database's (err filled). */
int bb__sqlite_each_row(bb__sqlite *q, sqlite3_stmt *st, bb__row_fn row, const bb__row_cb *cb,
                        bb_error *err);

int bb__sq_customer_get_id(bb_store *s, int64_t id, bb_customer *c, bb_error *err);
int bb__sq_order_summary(bb_store *s, int64_t customer_id, bb_order_summary *out, bb_error *err);
int bb__sq_customer_orders(bb_store *s, int64_t customer_id, size_t limit, int with_lines,
                           bb_store_order_fn fn, void *ctx, bb_error *err);
int bb__sq_customer_consents(bb_store *s, int64_t customer_id, int current_only,
                             bb_store_consent_fn fn, void *ctx, bb_error *err);
int bb__sq_customer_interactions(bb_store *s, int64_t customer_id, size_t limit,
                                 bb_store_interaction_fn fn, void *ctx, bb_error *err);
int bb__sq_customer_surveys(bb_store *s, int64_t customer_id, size_t limit, bb_store_survey_fn fn,
                            void *ctx, bb_error *err);
int bb__sq_order_values(bb_store *s, int64_t customer_id, bb_order_value_fn fn, void *ctx,
                        bb_error *err);
/* sqlite_search.c */
int bb__sq_search(bb_store *s, const bb_customer_query *query, bb_store_hit_fn fn, void *ctx, char *next_cursor,
                  bb_error *err);
/* sqlite_export.c */
int bb__sq_export_customers(bb_store *s, bb_export_customer_fn fn, void *ctx, bb_error *err);
int bb__sq_export_products(bb_store *s, bb_export_product_fn fn, void *ctx, bb_error *err);
int bb__sq_export_orders(bb_store *s, bb_export_order_fn fn, void *ctx, bb_error *err);
int bb__sq_export_order_lines(bb_store *s, bb_export_order_line_fn fn, void *ctx, bb_error *err);
int bb__sq_export_interactions(bb_store *s, bb_export_interaction_fn fn, void *ctx, bb_error *err);
int bb__sq_export_consents(bb_store *s, bb_export_consent_fn fn, void *ctx, bb_error *err);
int bb__sq_export_surveys(bb_store *s, bb_export_survey_fn fn, void *ctx, bb_error *err);
/* sqlite_merge.c, sqlite_dupes.c */
int bb__sq_merge(bb_store *s, const char *keep_ref, const char *other_ref, const char *who,
                 bb_merge_report *report, bb_error *err);
int bb__sq_duplicates(bb_store *s, size_t limit, bb_store_duplicate_fn fn, void *ctx, bb_error *err);

#endif
