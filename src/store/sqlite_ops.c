/* sqlite_ops.c: the SQLite backend's table of functions, its close, transactions and status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/sqlite_db.h"

static void sq_close(bb_store *s)
{
    bb__sqlite *q = (bb__sqlite *)s;
    if (q->db) {
        /* sqlite3_close_v2 finalises lazily; statements are finalised by their owners first. */
        sqlite3_close_v2(q->db);
    }
    free(q->path);
    free(q);
}

static int sq_schema_version(bb_store *s)
{
    return ((bb__sqlite *)s)->schema_version;
}

static int sq_begin(bb_store *s, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    int rc = 0;
    if (q->tx_depth == 0)
        rc = bb__sqlite_exec(q, "BEGIN IMMEDIATE", err);
    if (rc == 0)
        q->tx_depth++;
    return rc;
}

static int sq_commit(bb_store *s, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    int rc = 0;
    if (q->tx_depth == 0)
        return bb_error_set(err, BB_EINTERNAL, "commit without a transaction");
    if (q->tx_depth == 1)
        rc = bb__sqlite_exec(q, "COMMIT", err);
    if (rc == 0)
        q->tx_depth--;
    return rc;
}

static void sq_rollback(bb_store *s)
{
    bb__sqlite *q = (bb__sqlite *)s;
    if (q->tx_depth > 0) {
        bb__sqlite_exec(q, "ROLLBACK", NULL);
        q->tx_depth = 0;
    }
}

static int count_rows(bb__sqlite *q, const char *sql, int64_t *n, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
        return bb__sqlite_err(q, err, "counting");
    rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : bb__sqlite_err(q, err, "counting");
}

static int sq_status(bb_store *s, bb_store_status *out, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    struct stat sb;
    char wal[1100];
    int rc = 0;
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", q->path);
    if (stat(q->path, &sb) == 0)
        out->size_bytes = sb.st_size;
    snprintf(wal, sizeof wal, "%s-wal", q->path);
    if (stat(wal, &sb) == 0)
        out->size_bytes += sb.st_size;
    out->schema_version = q->schema_version;
    if (!rc) rc = count_rows(q, "SELECT count(*) FROM customer WHERE merged_into IS NULL", &out->customers, err);
    if (!rc) rc = count_rows(q, "SELECT count(*) FROM product", &out->products, err);
    if (!rc) rc = count_rows(q, "SELECT count(*) FROM orders", &out->orders, err);
    if (!rc) rc = count_rows(q, "SELECT count(*) FROM order_line", &out->order_lines, err);
    if (!rc) rc = count_rows(q, "SELECT count(*) FROM interaction", &out->interactions, err);
    if (!rc) rc = count_rows(q, "SELECT count(*) FROM consent", &out->consents, err);
    if (!rc) rc = count_rows(q, "SELECT count(*) FROM survey_response", &out->survey_responses, err);
    return rc;
}

/* The writes are in sqlite_put.c, identity and merge in sqlite_identity.c. */
#define BB__TODO(name, rec_t)                                                                       \
    static int sq_##name(bb_store *s, const rec_t *r, bb_put_result *res, bb_put_stats *st,         \
                         bb_error *err)                                                             \
    {                                                                                               \
        (void)s, (void)r, (void)res, (void)st;                                                      \
        return bb_error_set(err, BB_EINTERNAL, #name " is not implemented yet");                    \
    }
BB__TODO(put_customer, bb_customer_rec)
BB__TODO(put_product, bb_product_rec)
BB__TODO(put_order, bb_order_rec)
BB__TODO(put_order_line, bb_order_line_rec)
BB__TODO(put_interaction, bb_interaction_rec)
BB__TODO(put_consent, bb_consent_rec)
BB__TODO(put_survey, bb_survey_rec)

static int sq_resolve(bb_store *s, const char *ref, const char *id_kind, int64_t *id, bb_error *err)
{
    (void)s, (void)ref, (void)id_kind, (void)id;
    return bb_error_set(err, BB_EINTERNAL, "resolve is not implemented yet");
}

static int sq_merge(bb_store *s, const char *keep_ref, const char *other_ref, const char *who,
                    bb_merge_report *report, bb_error *err)
{
    (void)s, (void)keep_ref, (void)other_ref, (void)who, (void)report;
    return bb_error_set(err, BB_EINTERNAL, "merge is not implemented yet");
}

const bb__store_ops bb__sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .status = sq_status,
    .put_customer = sq_put_customer,
    .put_product = sq_put_product,
    .put_order = sq_put_order,
    .put_order_line = sq_put_order_line,
    .put_interaction = sq_put_interaction,
    .put_consent = sq_put_consent,
    .put_survey = sq_put_survey,
    .resolve = sq_resolve,
    .merge = sq_merge,
    .auth = &bb__sqlite_auth_ops,
};
