/* sqlite_score.c: the SQLite backend of store_score.h: model runs and customer scores. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_db.h"
#include "store/store_score_impl.h"

static char *dup_col(sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    return bb_strdup(v ? (const char *)v : "");
}

/* The models that share one "current" flag (the scoring models), as an SQL list, or NULL. */
static int is_scoring(const char *model)
{
    return strcmp(model, "bgnbd") == 0 || strcmp(model, "pnbd") == 0 || strcmp(model, "scoring") == 0;
}

/* ---- Model runs ---- */

static int sq_run_add(bb_store *s, const bb_model_run_rec *r, int64_t *id, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int own = 0, rc = bb__sqlite_tx_enter(q, &own, err);
    if (rc == 0 && r->current)
        rc = bb__sqlite_prepare(
            q, &st,
            is_scoring(r->model)
                ? "UPDATE model_run SET is_current = 0 WHERE is_current = 1 AND model IN ('bgnbd', 'pnbd')"
                : "UPDATE model_run SET is_current = 0 WHERE is_current = 1 AND model = ?1",
            err);
    if (rc == 0 && st) {
        if (!is_scoring(r->model))
            sqlite3_bind_text(st, 1, r->model, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "recording a model run");
        sqlite3_finalize(st);
        st = NULL;
    }
    if (rc == 0)
        rc = bb__sqlite_prepare(
            q, &st,
            "INSERT INTO model_run (model, params, fit, as_of, window_from, window_to, customers, status,"
            " is_current, started_at, finished_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'done', ?8, ?9, ?10)",
            err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, r->model, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r->params_json ? r->params_json : "{}", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r->fit_json ? r->fit_json : "{}", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, r->as_of);
        if (r->window_from)
            sqlite3_bind_int64(st, 5, r->window_from);
        if (r->window_to)
            sqlite3_bind_int64(st, 6, r->window_to);
        sqlite3_bind_int64(st, 7, r->customers);
        sqlite3_bind_int(st, 8, r->current ? 1 : 0);
        sqlite3_bind_int64(st, 9, r->started_at);
        sqlite3_bind_int64(st, 10, r->finished_at);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "recording a model run");
        if (rc == 0)
            *id = sqlite3_last_insert_rowid(q->db);
    }
    sqlite3_finalize(st);
    return bb__sqlite_tx_leave(q, own, rc, 1, err);
}

static int run_from_row(sqlite3_stmt *st, bb_model_run *r, bb_error *err)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->model = dup_col(st, 1);
    r->params_json = dup_col(st, 2);
    r->fit_json = dup_col(st, 3);
    r->status = dup_col(st, 4);
    r->as_of = sqlite3_column_int64(st, 5);
    r->window_from = sqlite3_column_int64(st, 6);
    r->window_to = sqlite3_column_int64(st, 7);
    r->customers = sqlite3_column_int64(st, 8);
    r->started_at = sqlite3_column_int64(st, 9);
    r->finished_at = sqlite3_column_int64(st, 10);
    r->is_current = sqlite3_column_int(st, 11);
    if (!r->model || !r->params_json || !r->fit_json || !r->status) {
        bb_model_run_release(r);
        return bb_error_set(err, BB_ENOMEM, "out of memory reading a model run");
    }
    return 0;
}

static int sq_run_current(bb_store *s, const char *model, bb_model_run *out, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st;
    int rc, step, scoring = is_scoring(model);
    memset(out, 0, sizeof *out);
    if ((rc = bb__sqlite_flush(q, err)) != 0)
        return rc;
    if (!(st = bb__sqlite_stmt(q, scoring ? BB__SQ_RUN_CURRENT_SCORING : BB__SQ_RUN_CURRENT, err)))
        return BB_EDB;
    if (!scoring)
        sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = run_from_row(st, out, err);
    else if (step == SQLITE_DONE)
        rc = bb_error_set(err, BB_ENOTFOUND, "no current %s model run (run `birebir analyze`)", model);
    else
        rc = bb__sqlite_err(q, err, "reading the current model run");
    sqlite3_reset(st); /* a reader keeps no snapshot open */
    return rc;
}

static int sq_runs(bb_store *s, const char *model, size_t limit, bb_store_model_run_fn fn, void *ctx,
                   bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc, step = SQLITE_DONE;
    if ((rc = bb__sqlite_flush(q, err)) != 0)
        return rc;
    rc = bb__sqlite_prepare(q, &st,
                            "SELECT " BB__SQL_RUN_COLS
                            " FROM model_run WHERE (?1 IS NULL OR model = ?1) ORDER BY id DESC LIMIT ?2",
                            err);
    if (rc)
        return rc;
    if (model)
        sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        bb_model_run r;
        if ((rc = run_from_row(st, &r, err)) != 0)
            break;
        rc = fn(ctx, &r);
        bb_model_run_release(&r);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "listing model runs");
    sqlite3_finalize(st);
    return rc > 0 ? 0 : rc;
}

static int sq_order_span(bb_store *s, int64_t *first, int64_t *last, int64_t *count, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc;
    *first = *last = *count = 0;
    if ((rc = bb__sqlite_flush(q, err)) != 0 ||
        (rc = bb__sqlite_prepare(q, &st, "SELECT min(ordered_at), max(ordered_at), count(*) FROM orders",
                                 err)) != 0)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *first = sqlite3_column_int64(st, 0);
        *last = sqlite3_column_int64(st, 1);
        *count = sqlite3_column_int64(st, 2);
    } else {
        rc = bb__sqlite_err(q, err, "reading the orders' time span");
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- Scores ---- */

static int sq_scores_put(bb_store *s, const bb_score *v, size_t n, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int own = 0, rc = bb__sqlite_tx_enter(q, &own, err);
    if (rc == 0 && !(st = bb__sqlite_stmt(q, BB__SQ_SCORE_PUT, err)))
        rc = BB_EDB;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const bb_score *c = &v[i];
        char tier[2] = {c->tier, 0};
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        sqlite3_bind_int64(st, 1, c->customer_id);
        if (c->run_id)
            sqlite3_bind_int64(st, 2, c->run_id);
        sqlite3_bind_int64(st, 3, c->recency_days);
        sqlite3_bind_int64(st, 4, c->frequency);
        sqlite3_bind_int64(st, 5, c->monetary_minor);
        sqlite3_bind_int(st, 6, c->r_score);
        sqlite3_bind_int(st, 7, c->f_score);
        sqlite3_bind_int(st, 8, c->m_score);
        if (c->segment[0])
            sqlite3_bind_text(st, 9, c->segment, -1, SQLITE_STATIC);
        if (c->has_model) {
            sqlite3_bind_double(st, 10, c->x);
            sqlite3_bind_double(st, 11, c->t_x);
            sqlite3_bind_double(st, 12, c->t_cal);
            sqlite3_bind_double(st, 13, c->p_alive);
            sqlite3_bind_double(st, 14, c->expected_purchases);
            if (c->has_value)
                sqlite3_bind_double(st, 15, c->expected_value);
            sqlite3_bind_int64(st, 16, c->clv_minor);
            if (c->churn_risk[0])
                sqlite3_bind_text(st, 17, c->churn_risk, -1, SQLITE_STATIC);
            if (c->tier)
                sqlite3_bind_text(st, 18, tier, 1, SQLITE_TRANSIENT);
        }
        sqlite3_bind_int64(st, 19, c->updated_at);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = bb__sqlite_err(q, err, "writing customer scores");
    }
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st); /* no pointer into the caller's scores outlives the call */
    }
    return bb__sqlite_tx_leave(q, own, rc, 1, err);
}

static int sq_scores_prune(bb_store *s, int64_t run_id, int64_t *deleted, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int own = 0, rc = bb__sqlite_tx_enter(q, &own, err);
    if (rc == 0)
        rc = bb__sqlite_prepare(q, &st, "DELETE FROM customer_score WHERE run_id IS NOT ?1", err);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, run_id);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "deleting old scores");
        *deleted = rc == 0 ? sqlite3_changes(q->db) : 0;
    }
    sqlite3_finalize(st);
    return bb__sqlite_tx_leave(q, own, rc, 1, err);
}

static void score_from_row(sqlite3_stmt *st, int c0, bb_score *o)
{
    const unsigned char *t;
    memset(o, 0, sizeof *o);
    o->customer_id = sqlite3_column_int64(st, c0 + 0);
    o->run_id = sqlite3_column_int64(st, c0 + 1);
    o->recency_days = sqlite3_column_int64(st, c0 + 2);
    o->frequency = sqlite3_column_int64(st, c0 + 3);
    o->monetary_minor = sqlite3_column_int64(st, c0 + 4);
    o->r_score = sqlite3_column_int(st, c0 + 5);
    o->f_score = sqlite3_column_int(st, c0 + 6);
    o->m_score = sqlite3_column_int(st, c0 + 7);
    if ((t = sqlite3_column_text(st, c0 + 8)))
        snprintf(o->segment, sizeof o->segment, "%s", (const char *)t);
    o->has_model = sqlite3_column_type(st, c0 + 12) != SQLITE_NULL;
    o->x = sqlite3_column_double(st, c0 + 9);
    o->t_x = sqlite3_column_double(st, c0 + 10);
    o->t_cal = sqlite3_column_double(st, c0 + 11);
    o->p_alive = sqlite3_column_double(st, c0 + 12);
    o->expected_purchases = sqlite3_column_double(st, c0 + 13);
    o->has_value = sqlite3_column_type(st, c0 + 14) != SQLITE_NULL;
    o->expected_value = sqlite3_column_double(st, c0 + 14);
    o->clv_minor = sqlite3_column_int64(st, c0 + 15);
    if ((t = sqlite3_column_text(st, c0 + 16)))
        snprintf(o->churn_risk, sizeof o->churn_risk, "%s", (const char *)t);
    if ((t = sqlite3_column_text(st, c0 + 17)))
        o->tier = (char)t[0];
    o->updated_at = sqlite3_column_int64(st, c0 + 18);
}

static int sq_score_get(bb_store *s, int64_t customer_id, bb_score *out, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st;
    int rc, step;
    memset(out, 0, sizeof *out);
    if ((rc = bb__sqlite_flush(q, err)) != 0)
        return rc;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_SCORE_GET, err)))
        return BB_EDB;
    sqlite3_bind_int64(st, 1, customer_id);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        score_from_row(st, 0, out);
    else if (step == SQLITE_DONE)
        rc = bb_error_set(err, BB_ENOTFOUND, "customer %lld has no scores (run `birebir analyze`)",
                          (long long)customer_id);
    else
        rc = bb__sqlite_err(q, err, "reading a customer's scores");
    sqlite3_reset(st); /* a reader keeps no snapshot open */
    return rc;
}

static int sq_segments(bb_store *s, bb_store_segment_fn fn, void *ctx, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc, step = SQLITE_DONE;
    if ((rc = bb__sqlite_flush(q, err)) != 0 ||
        (rc = bb__sqlite_prepare(
             q, &st,
             /* a merge moves or drops the scores of the customer merged away, so no score
              * belongs to one: the covering index customer_score_segment answers alone */
             "SELECT x.rfm_segment, count(*), total(x.monetary_minor), total(x.clv_minor), avg(x.clv_minor)"
             " FROM customer_score x INDEXED BY customer_score_segment WHERE x.rfm_segment IS NOT NULL"
             " GROUP BY x.rfm_segment ORDER BY count(*) DESC, x.rfm_segment",
             err)) != 0)
        return rc;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        bb_segment_summary g = {
            .segment = (const char *)sqlite3_column_text(st, 0),
            .customers = sqlite3_column_int64(st, 1),
            .revenue_minor = (int64_t)sqlite3_column_double(st, 2),
            .clv_minor = (int64_t)sqlite3_column_double(st, 3),
            .mean_clv_minor = sqlite3_column_double(st, 4),
        };
        rc = fn(ctx, &g);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "summarising segments");
    sqlite3_finalize(st);
    return rc > 0 ? 0 : rc;
}

static int sq_top(bb_store *s, size_t limit, bb_store_top_fn fn, void *ctx, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc, step = SQLITE_DONE;
    if ((rc = bb__sqlite_flush(q, err)) != 0 ||
        (rc = bb__sqlite_prepare(
             q, &st,
             "SELECT c.external_id, c.first_name, c.last_name, " BB__SQL_SCORE_COLS
             " FROM customer_score x INDEXED BY customer_score_clv JOIN customer c ON c.id = x.customer_id"
             " WHERE x.clv_minor IS NOT NULL AND c.merged_into IS NULL"
             " ORDER BY x.clv_minor DESC, x.customer_id LIMIT ?1",
             err)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, limit ? (sqlite3_int64)limit : -1);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        bb_score sc;
        bb_top_customer t;
        score_from_row(st, 3, &sc);
        t.customer_id = sc.customer_id;
        t.external_id = (const char *)sqlite3_column_text(st, 0);
        t.first_name = (const char *)sqlite3_column_text(st, 1);
        t.last_name = (const char *)sqlite3_column_text(st, 2);
        t.score = &sc;
        rc = fn(ctx, &t);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "listing the top customers");
    sqlite3_finalize(st);
    return rc > 0 ? 0 : rc;
}

static int sq_totals(bb_store *s, bb_score_totals *out, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = bb__sqlite_flush(q, err)) != 0 ||
        (rc = bb__sqlite_prepare(
             q, &st,
             "SELECT count(*), count(x.p_alive), total(x.clv_minor), total(x.monetary_minor),"
             " sum(x.tier = 'A'), sum(x.tier = 'B'), sum(x.tier = 'C'),"
             " sum(x.churn_risk = 'low'), sum(x.churn_risk = 'medium'), sum(x.churn_risk = 'high')"
             " FROM customer_score x", /* no score belongs to a customer merged away */
             err)) != 0)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->customers = sqlite3_column_int64(st, 0);
        out->scored = sqlite3_column_int64(st, 1);
        out->clv_minor = (int64_t)sqlite3_column_double(st, 2);
        out->revenue_minor = (int64_t)sqlite3_column_double(st, 3);
        for (int i = 0; i < 3; i++) {
            out->tier[i] = sqlite3_column_int64(st, 4 + i);
            out->churn[i] = sqlite3_column_int64(st, 7 + i);
        }
    } else {
        rc = bb__sqlite_err(q, err, "summing the scores");
    }
    sqlite3_finalize(st);
    return rc;
}

const bb__store_score_ops bb__sqlite_score_ops = {
    .run_add = sq_run_add,
    .run_current = sq_run_current,
    .runs = sq_runs,
    .order_span = sq_order_span,
    .scores_put = sq_scores_put,
    .scores_prune = sq_scores_prune,
    .score_get = sq_score_get,
    .segments = sq_segments,
    .top = sq_top,
    .totals = sq_totals,
};
