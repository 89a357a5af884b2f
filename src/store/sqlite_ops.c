/* sqlite_ops.c: the SQLite backend's table of functions, its close, transactions (with the write
 * caches kept valid across them), and status. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/sqlite_db.h"
#include "store/sqlite_read.h"
#include "store/store_score_impl.h"
#include "store/store_view_impl.h"

int64_t bb__now(void)
{
    return (int64_t)time(NULL);
}

int64_t bb__line_total(double quantity, int64_t unit_minor)
{
    return (int64_t)llround(quantity * (double)unit_minor);
}

int bb__check_currency(const char cur[4], bb_error *err)
{
    if (!cur[0])
        return 0;
    for (int i = 0; i < 3; i++)
        if (cur[i] < 'A' || cur[i] > 'Z')
            return bb_error_set(err, BB_EINVAL, "currency \"%.3s\" is not an ISO 4217 code", cur);
    if (cur[3])
        return bb_error_set(err, BB_EINVAL, "currency is not an ISO 4217 code");
    return 0;
}

void bb__sqlite_caches_clear(bb__sqlite *q)
{
    bb__smap_clear(&q->customers);
    bb__smap_clear(&q->orders);
    q->last_order = NULL;
    bb__bloom_reset(&q->order_ids);
    bb__bloom_reset(&q->ident_keys);
    bb__smap_clear(&q->products);
    bb__sqlite_flush_discard(q);
}

int bb__sqlite_collator(bb__sqlite *q, bb_text_collator **out, bb_error *err)
{
    int rc = 0;
    if (!q->collator)
        rc = bb_text_collator_new("tr", &q->collator, err);
    *out = q->collator;
    return rc;
}

static void held_end(bb__sqlite *q);

static void sq_close(bb_store *s)
{
    bb__sqlite *q = (bb__sqlite *)s;
    if (q->tx_depth > 0)
        bb__sqlite_exec(q, "ROLLBACK", NULL);
    held_end(q);
    bb__sqlite_ckpt_stop(q);
    bb__sqlite_stmts_finalize(q);
    if (q->db)
        sqlite3_close_v2(q->db);
    bb__smap_release(&q->customers);
    bb__smap_release(&q->orders);
    bb__smap_release(&q->products);
    bb__bloom_reset(&q->order_ids);
    bb__bloom_reset(&q->ident_keys);
    bb_text_collator_free(q->collator);
    bb_buf_release(&q->scratch);
    free(q->cost_changed);
    free(q->view_stale);
    free(q->view_dict);
    free(q->view_out);
    free(q->search);
    bb_buf_release(&q->search_text);
    bb__sqlite_bare_release(q);
    bb__sqlite_last_release(q);
    free(q->path);
    free(q);
}

int bb__sqlite_bloom_maybe(bb__sqlite *q, bb__bloom *b, enum bb__sq which, const char *key, size_t klen)
{
    if (q->tx_depth == 0 || b->state < 0)
        return 1;
    if (b->state == 0) {
        bb_error ignored = {0};
        sqlite3_stmt *st = bb__sqlite_stmt(q, which, &ignored);
        int step = st ? sqlite3_step(st) : SQLITE_ERROR;
        if (st)
            sqlite3_reset(st);
        if (step == SQLITE_DONE)
            bb__bloom_start(b);
        else
            b->state = -1; /* not empty (or not known): no filter until the caches are cleared */
    }
    return bb__bloom_maybe(b, key, klen);
}

static int sq_schema_version(bb_store *s)
{
    return ((bb__sqlite *)s)->schema_version;
}

/* After taking the write lock: if another connection committed since we last looked, what we cached
 * may be stale. */
static int check_data_version(bb__sqlite *q, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_DATA_VERSION, err);
    int64_t v;
    if (!st)
        return BB_EDB;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return bb__sqlite_err(q, err, "reading the data version");
    }
    v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (v != q->data_version) {
        bb__sqlite_caches_clear(q);
        q->data_version = v;
    }
    return 0;
}

/* The snapshot's first read is the data version: a customer reference cached before another connection
 * committed (a merge, a new identifier) is forgotten, as at the start of a write transaction. */
static void read_end(bb__sqlite *q)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_READ_END, NULL);
    if (!st || bb__sqlite_run(q, st, NULL, "ending a read snapshot") != 0)
        bb__sqlite_exec(q, "COMMIT", NULL);
    q->in_read = 0;
}

/* Commits made by any handle of this process (counted after they are done): a held snapshot begun
 * before the last one is not taken again. Process state, like SQLite's own shared lock tables. */
static _Atomic uint64_t process_commits;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether the held snapshot still shows the database as it is: nothing committed since it began, by the
 * WAL index's header (any process; exact), or, without one, by this process's commits and its age. */
static int held_fresh(const bb__sqlite *q)
{
    unsigned char now[BB__WAL_STAMP];
    if (q->has_stamp)
        return bb__sqlite_map_stamp(q->main_file, now) && memcmp(now, q->held_stamp, sizeof now) == 0;
    return atomic_load(&process_commits) == q->held_gen && mono_ms() - q->held_at < q->hold_ms;
}

static void held_end(bb__sqlite *q)
{
    if (q->held) {
        q->held = 0;
        read_end(q);
    }
}

void bb__sqlite_held_end(bb__sqlite *q)
{
    held_end(q);
}

/* BEGIN and COMMIT are named statements: parsing them each time was a tenth of serving a stored view. */
static int sq_read_begin(bb_store *s, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st;
    uint64_t gen;
    int64_t at;
    int rc = 0;
    if (q->tx_depth > 0 || q->in_read || (rc = bb__sqlite_flush(q, err)) != 0)
        return rc;
    if (q->held) {
        if (held_fresh(q)) { /* the held snapshot again: no statement at all */
            q->held = 0;
            q->in_read = 1;
            return 0;
        }
        held_end(q);
    }
    /* read before BEGIN: a commit that lands in between makes this snapshot stale, never fresh */
    gen = atomic_load(&process_commits);
    at = mono_ms();
    q->has_stamp = q->hold_ms > 0 && bb__sqlite_map_stamp(q->main_file, q->held_stamp);
    if (!(st = bb__sqlite_stmt(q, BB__SQ_READ_BEGIN, err)))
        return BB_EDB;
    if ((rc = bb__sqlite_run(q, st, err, "beginning a read snapshot")) == 0) {
        q->in_read = 1;
        q->held_gen = gen;
        q->held_at = at;
        if ((rc = check_data_version(q, err)) != 0)
            read_end(q);
    }
    return rc;
}

static void sq_read_end(bb_store *s)
{
    bb__sqlite *q = (bb__sqlite *)s;
    if (!q->in_read)
        return;
    if (q->hold_ms > 0) { /* kept open for the next bb_store_read_begin */
        q->in_read = 0;
        q->held = 1;
        return;
    }
    read_end(q);
}

static void sq_read_hold(bb_store *s, int max_ms)
{
    bb__sqlite *q = (bb__sqlite *)s;
    q->hold_ms = max_ms > 0 ? max_ms : 0;
    if (!q->hold_ms)
        held_end(q);
}

static void sq_read_settle(bb_store *s, int force)
{
    bb__sqlite *q = (bb__sqlite *)s;
    if (q->held && (force || !held_fresh(q)))
        held_end(q);
}

static int sq_begin(bb_store *s, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    int rc = 0;
    held_end(q); /* a held snapshot (bb_store_read_hold) gives way to writes */
    if (q->in_read)
        return bb_error_set(err, BB_EINTERNAL, "a transaction begun inside a read snapshot");
    if (q->tx_depth == 0) {
        if ((rc = bb__sqlite_exec(q, "BEGIN IMMEDIATE", err)) != 0)
            return rc;
        q->tx_failed = 0;
        bb__sqlite_views_reset(q);
        if ((rc = check_data_version(q, err)) != 0) {
            bb__sqlite_exec(q, "ROLLBACK", NULL);
            return rc;
        }
    }
    q->tx_depth++;
    return 0;
}

static void sq_rollback(bb_store *s)
{
    bb__sqlite *q = (bb__sqlite *)s;
    if (q->tx_depth > 0) {
        bb__sqlite_exec(q, "ROLLBACK", NULL);
        q->tx_depth = 0;
        q->tx_failed = 0;
        bb__sqlite_caches_clear(q); /* ids made in the transaction are gone */
        bb__sqlite_views_reset(q);
    }
}

static int sq_commit(bb_store *s, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    int rc = 0;
    if (q->tx_depth == 0)
        return bb_error_set(err, BB_EINTERNAL, "commit without a transaction");
    if (q->tx_depth > 1) {
        q->tx_depth--;
        return 0;
    }
    if (q->tx_failed) {
        sq_rollback(s);
        return bb_error_set(err, BB_EDB,
                            "an earlier write in this transaction failed half-way; "
                            "the transaction was rolled back");
    }
    if ((rc = bb__sqlite_flush(q, err)) == 0)
        rc = bb__sqlite_exec(q, "COMMIT", err);
    if (rc != 0) {
        sq_rollback(s);
        return rc;
    }
    q->tx_depth = 0;
    q->next_order_id = 0; /* others may add orders now */
    atomic_fetch_add(&process_commits, 1);
    return 0;
}

int bb__sqlite_tx_enter(bb__sqlite *q, int *own, bb_error *err)
{
    *own = q->tx_depth == 0;
    if (!*own) {
        if (q->tx_failed)
            return bb_error_set(err, BB_EDB,
                                "an earlier write in this transaction failed half-way; "
                                "roll it back");
        return 0;
    }
    return sq_begin(&q->base, err);
}

int bb__sqlite_tx_leave(bb__sqlite *q, int own, int rc, int after_write, bb_error *err)
{
    if (own) {
        if (rc == 0)
            return sq_commit(&q->base, err);
        sq_rollback(&q->base);
        return rc;
    }
    /* Bad input is found before anything is written, so the caller's transaction goes on. */
    if (rc != 0 && rc != BB_EINVAL && after_write)
        q->tx_failed = 1;
    return rc;
}

static int sq_bulk(bb_store *s, int on, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    if (q->tx_depth > 0) /* SQLite ignores the pragma inside a transaction */
        return bb_error_set(err, BB_EINTERNAL, "bulk mode switched inside a transaction");
    /* A bigger page cache while bulk loading: a large load's random index writes (emails, phones,
     * sort keys, search terms) then mostly hit pages already in memory instead of reading and
     * rewriting them (demo 400k: 82 s -> 67 s processor time, system time 20 s -> 5 s). */
    /* the indexes a load deferred are built first, while the page cache is large */
    int rc = on ? 0 : bb__sqlite_defer_finish(q, err);
    if (on)
        bb__sqlite_ckpt_start(q);
    else
        bb__sqlite_ckpt_stop(q);
    q->bulk = on != 0;
    q->defer = on == BB_STORE_BULK_LOAD;
    if (bb__sqlite_exec(q,
                        on ? "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -" BB__STR(BB__BULK_CACHE_KIB)
                           : "PRAGMA foreign_keys = ON; PRAGMA cache_size = -" BB__STR(BB__CACHE_KIB),
                        rc ? NULL : err) != 0 && rc == 0)
        rc = BB_EDB;
    return rc;
}

int bb__sqlite_count(bb__sqlite *q, const char *sql, int64_t *n, bb_error *err)
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
    if ((rc = bb__sqlite_flush(q, err)) != 0)
        return rc;
    snprintf(out->path, sizeof out->path, "%s", q->path);
    if (stat(q->path, &sb) == 0)
        out->size_bytes = sb.st_size;
    snprintf(wal, sizeof wal, "%s-wal", q->path);
    if (stat(wal, &sb) == 0)
        out->size_bytes += sb.st_size;
    out->schema_version = q->schema_version;
    if (!rc)
        rc = bb__sqlite_count(q, "SELECT count(*) FROM customer WHERE merged_into IS NULL", &out->customers, err);
    if (!rc)
        rc = bb__sqlite_count(q, "SELECT count(*) FROM product", &out->products, err);
    if (!rc)
        rc = bb__sqlite_count(q, "SELECT count(*) FROM orders", &out->orders, err);
    if (!rc)
        rc = bb__sqlite_count(q, "SELECT count(*) FROM order_line", &out->order_lines, err);
    if (!rc)
        rc = bb__sqlite_count(q, "SELECT count(*) FROM interaction", &out->interactions, err);
    if (!rc)
        rc = bb__sqlite_count(q, "SELECT count(*) FROM consent", &out->consents, err);
    if (!rc)
        rc = bb__sqlite_count(q, "SELECT count(*) FROM survey_response", &out->survey_responses, err);
    return rc;
}

const bb__store_ops bb__sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .read_hold = sq_read_hold,
    .read_settle = sq_read_settle,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .bulk = sq_bulk,
    .status = sq_status,
    .put_customer = bb__sq_put_customer,
    .put_product = bb__sq_put_product,
    .put_order = bb__sq_put_order,
    .put_order_line = bb__sq_put_order_line,
    .hint_order_line = bb__sq_hint_order_line,
    .put_interaction = bb__sq_put_interaction,
    .put_consent = bb__sq_put_consent,
    .put_survey = bb__sq_put_survey,
    .resolve = bb__sq_resolve,
    .merge = bb__sq_merge,
    .duplicates = bb__sq_duplicates,
    .customer_get_id = bb__sq_customer_get_id,
    .order_summary = bb__sq_order_summary,
    .customer_orders = bb__sq_customer_orders,
    .customer_consents = bb__sq_customer_consents,
    .customer_interactions = bb__sq_customer_interactions,
    .customer_surveys = bb__sq_customer_surveys,
    .search = bb__sq_search,
    .order_values = bb__sq_order_values,
    .export_customers = bb__sq_export_customers,
    .export_products = bb__sq_export_products,
    .export_orders = bb__sq_export_orders,
    .export_order_lines = bb__sq_export_order_lines,
    .export_interactions = bb__sq_export_interactions,
    .export_consents = bb__sq_export_consents,
    .export_surveys = bb__sq_export_surveys,
    .auth = &bb__sqlite_auth_ops,
    .value = &bb__sqlite_value_ops,
    .score = &bb__sqlite_score_ops,
    .view = &bb__sqlite_view_ops,
};
