/* sqlite_read.c: the SQLite backend's reads of one customer: profile and identifiers, order summary,
 * orders with their lines, consents, interactions, survey answers; and every order as the value models
 * read them. Reads flush the write-behind first, so they see every write made before them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_db.h"
#include "store/sqlite_read.h"

const char *bb__col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

int bb__sqlite_read_prepare(bb__sqlite *q, enum bb__sq which, sqlite3_stmt **st, bb_error *err)
{
    int rc = bb__sqlite_flush(q, err);
    *st = NULL;
    if (rc)
        return rc;
    *st = bb__sqlite_read_begin(q, which, err);
    return *st ? 0 : BB_EDB;
}

int bb__sqlite_read_step(bb__sqlite *q, sqlite3_stmt *st, bb_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return bb__sqlite_err(q, err, "reading");
}

int bb__cb_result(int r)
{
    return r < 0 ? r : r > 0 ? 1 : 0;
}

/* ---- one customer ---- */

static int dup_into(char **dst, const char *src)
{
    if (!src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : BB_ENOMEM;
}

static int get_idents(bb__sqlite *q, int64_t id, bb_customer *c, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc, step;
    if ((rc = bb__sqlite_read_prepare(q, BB__SQ_R_IDENTS, &st, err)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        if (c->n_idents == cap) {
            bb_ident *p = realloc(c->idents, (cap = cap ? 2 * cap : 8) * sizeof *p);
            if (!p) {
                rc = BB_ENOMEM;
                break;
            }
            c->idents = p;
        }
        bb_ident *n = &c->idents[c->n_idents];
        n->kind = strdup(bb__col(st, 0));
        n->value = strdup(bb__col(st, 1));
        c->n_idents++;
        if (!n->kind || !n->value) {
            rc = BB_ENOMEM;
            break;
        }
    }
    if (rc == 0 && step < 0)
        rc = step;
    bb__sqlite_read_end(q, BB__SQ_R_IDENTS, st);
    return rc == BB_ENOMEM ? bb_error_set(err, rc, "out of memory") : rc;
}

static int get_merged_from(bb__sqlite *q, int64_t id, bb_customer *c, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc, step;
    if ((rc = bb__sqlite_read_prepare(q, BB__SQ_R_MERGED_FROM, &st, err)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        if (c->n_merged_from == cap) {
            char **p = realloc(c->merged_from, (cap = cap ? 2 * cap : 4) * sizeof *p);
            if (!p) {
                rc = BB_ENOMEM;
                break;
            }
            c->merged_from = p;
        }
        if (!(c->merged_from[c->n_merged_from] = strdup(bb__col(st, 0)))) {
            rc = BB_ENOMEM;
            break;
        }
        c->n_merged_from++;
    }
    if (rc == 0 && step < 0)
        rc = step;
    bb__sqlite_read_end(q, BB__SQ_R_MERGED_FROM, st);
    return rc == BB_ENOMEM ? bb_error_set(err, rc, "out of memory") : rc;
}

int bb__sq_customer_get_id(bb_store *s, int64_t id, bb_customer *c, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc, step;
    char **fields[10] = {&c->external_id, &c->first_name, &c->last_name, &c->email, &c->phone,
                         &c->city, &c->birth_date, &c->gender, &c->attributes_json};
    if ((rc = bb__sqlite_read_prepare(q, BB__SQ_R_CUSTOMER, &st, err)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    step = bb__sqlite_read_step(q, st, err);
    if (step == 1) {
        c->id = sqlite3_column_int64(st, 0);
        for (int i = 0; i < 9 && rc == 0; i++)
            rc = dup_into(fields[i], bb__col(st, i + 1));
        c->created_at = sqlite3_column_int64(st, 10);
        c->updated_at = sqlite3_column_int64(st, 11);
        if (rc)
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    } else {
        rc = step < 0 ? step : bb_error_set(err, BB_ENOTFOUND, "no customer with id %lld", (long long)id);
    }
    bb__sqlite_read_end(q, BB__SQ_R_CUSTOMER, st);
    if (rc == 0)
        rc = get_idents(q, id, c, err);
    if (rc == 0)
        rc = get_merged_from(q, id, c, err);
    return rc;
}

/* ---- order summary and orders ---- */

int bb__sq_order_summary(bb_store *s, int64_t customer_id, bb_order_summary *out, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc, step;
    memcpy(out->currency, q->currency, 4);
    if ((rc = bb__sqlite_read_prepare(q, BB__SQ_R_SUMMARY, &st, err)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, customer_id);
    if ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        out->count = sqlite3_column_int64(st, 0);
        out->first_order_at = sqlite3_column_int64(st, 1);
        out->last_order_at = sqlite3_column_int64(st, 2);
        out->revenue_minor = sqlite3_column_int64(st, 3);
        out->margin_minor = sqlite3_column_int64(st, 4);
        out->margin_orders = sqlite3_column_int64(st, 5);
    }
    bb__sqlite_read_end(q, BB__SQ_R_SUMMARY, st);
    return step < 0 ? step : 0;
}

/* The lines of one order in a growable array. Their strings are copied into names; off holds their
 * offsets there until the buffer stops moving ((size_t)-1 for NULL). */
typedef struct line_list {
    bb_order_line_view *v;
    size_t (*off)[3];
    size_t n, cap;
    bb_buf names;
} line_list;

static int line_room(line_list *l)
{
    bb_order_line_view *v;
    size_t(*off)[3];
    size_t cap = l->cap ? 2 * l->cap : 16;
    if (l->n < l->cap)
        return 0;
    if (!(v = realloc(l->v, cap * sizeof *v)))
        return BB_ENOMEM;
    l->v = v;
    if (!(off = realloc(l->off, cap * sizeof *off)))
        return BB_ENOMEM;
    l->off = off;
    l->cap = cap;
    return 0;
}

static int load_lines(bb__sqlite *q, int64_t order_id, line_list *l, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc, step;
    l->n = 0;
    bb_buf_reset(&l->names);
    if ((rc = bb__sqlite_read_prepare(q, BB__SQ_R_LINES, &st, err)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, order_id);
    while ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        bb_order_line_view *v;
        if ((rc = line_room(l)) != 0)
            break;
        v = &l->v[l->n];
        v->line_no = sqlite3_column_int(st, 0);
        for (int k = 0; k < 3 && rc == 0; k++) {
            const char *t = bb__col(st, k + 1);
            l->off[l->n][k] = t ? l->names.len : (size_t)-1;
            if (t)
                rc = bb_buf_add(&l->names, t, strlen(t) + 1);
        }
        v->quantity = sqlite3_column_double(st, 4);
        v->unit_price_minor = sqlite3_column_int64(st, 5);
        v->total_minor = bb__line_total(v->quantity, v->unit_price_minor);
        l->n++;
        if (rc)
            break;
    }
    if (rc == 0 && step < 0)
        rc = step;
    bb__sqlite_read_end(q, BB__SQ_R_LINES, st);
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        const char **f[3] = {&l->v[i].sku, &l->v[i].product_name, &l->v[i].category};
        for (int k = 0; k < 3; k++)
            *f[k] = l->off[i][k] == (size_t)-1 ? NULL : l->names.data + l->off[i][k];
    }
    return rc == BB_ENOMEM || rc == BB_ELIMIT ? bb_error_set(err, BB_ENOMEM, "out of memory") : rc;
}

int bb__sq_customer_orders(bb_store *s, int64_t customer_id, size_t limit, int with_lines,
                           bb_store_order_fn fn, void *ctx, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    line_list lines = {0};
    int rc, step;
    bb_buf_init(&lines.names, 0);
    if ((rc = bb__sqlite_read_prepare(q, BB__SQ_R_ORDERS, &st, err)) != 0)
        goto done;
    sqlite3_bind_int64(st, 1, customer_id);
    sqlite3_bind_int64(st, 2, limit ? (int64_t)limit : -1);
    while ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        bb_order_view o = {0};
        const char *cur = bb__col(st, 6);
        o.id = sqlite3_column_int64(st, 0);
        o.order_id = bb__col(st, 1);
        o.customer_id = sqlite3_column_int64(st, 2);
        o.customer_ref = bb__col(st, 3);
        o.ordered_at = sqlite3_column_int64(st, 4);
        o.amount_minor = sqlite3_column_int64(st, 5);
        snprintf(o.currency, sizeof o.currency, "%s", cur ? cur : "");
        o.channel = bb__col(st, 7);
        o.has_margin = sqlite3_column_type(st, 8) != SQLITE_NULL;
        o.margin_minor = sqlite3_column_int64(st, 8);
        o.from_lines = sqlite3_column_int(st, 9);
        if (with_lines) {
            if ((rc = load_lines(q, o.id, &lines, err)) != 0)
                break;
            o.lines = lines.v;
            o.n_lines = lines.n;
        }
        if ((rc = bb__cb_result(fn(ctx, &o))) != 0)
            break;
    }
    if (rc == 0 && step < 0)
        rc = step;
done:
    bb__sqlite_read_end(q, BB__SQ_R_ORDERS, st);
    free(lines.v);
    free(lines.off);
    bb_buf_release(&lines.names);
    return rc > 0 ? 0 : rc;
}

/* ---- consents, interactions, surveys, order values: one row, one callback ---- */

int bb__sqlite_each_row(bb__sqlite *q, sqlite3_stmt *st, bb__row_fn row, const bb__row_cb *cb,
                        bb_error *err)
{
    int rc = 0, step;
    while ((step = bb__sqlite_read_step(q, st, err)) == 1)
        if ((rc = bb__cb_result(row(st, cb))) != 0)
            break;
    if (rc == 0 && step < 0)
        rc = step;
    return rc > 0 ? 0 : rc;
}

/* Runs a read statement with ?1 = customer_id (when not 0) and ?2 = limit (when has_limit; 0 is no
 * limit), handing each row to row. */
static int read_rows(bb__sqlite *q, enum bb__sq which, int64_t customer_id, int has_limit,
                     size_t limit, bb__row_fn row, const bb__row_cb *cb, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if ((rc = bb__sqlite_read_prepare(q, which, &st, err)) != 0)
        return rc;
    if (customer_id)
        sqlite3_bind_int64(st, 1, customer_id);
    if (has_limit)
        sqlite3_bind_int64(st, 2, limit ? (int64_t)limit : -1);
    rc = bb__sqlite_each_row(q, st, row, cb, err);
    bb__sqlite_read_end(q, which, st);
    return rc;
}

static int consent_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_consent_view c = {
        .id = sqlite3_column_int64(st, 0),
        .channel = bb__col(st, 1),
        .status = bb__col(st, 2),
        .source = bb__col(st, 3),
        .recorded_at = sqlite3_column_int64(st, 4),
        .recipient_type = bb__col(st, 5),
        .iys_status = bb__col(st, 6),
        .iys_synced_at = sqlite3_column_int64(st, 7),
    };
    return cb->fn.consent(cb->ctx, &c);
}

int bb__sq_customer_consents(bb_store *s, int64_t customer_id, int current_only,
                             bb_store_consent_fn fn, void *ctx, bb_error *err)
{
    bb__row_cb cb = {.fn.consent = fn, .ctx = ctx};
    return read_rows((bb__sqlite *)s, current_only ? BB__SQ_R_CONSENTS_CURRENT : BB__SQ_R_CONSENTS,
                     customer_id, 0, 0, consent_row, &cb, err);
}

static int interaction_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_interaction_view v = {
        .id = sqlite3_column_int64(st, 0),
        .occurred_at = sqlite3_column_int64(st, 1),
        .channel = bb__col(st, 2),
        .direction = bb__col(st, 3),
        .kind = bb__col(st, 4),
        .subject = bb__col(st, 5),
        .body = bb__col(st, 6),
        .has_sentiment = sqlite3_column_type(st, 7) != SQLITE_NULL,
        .sentiment = sqlite3_column_double(st, 7),
    };
    return cb->fn.interaction(cb->ctx, &v);
}

int bb__sq_customer_interactions(bb_store *s, int64_t customer_id, size_t limit,
                                 bb_store_interaction_fn fn, void *ctx, bb_error *err)
{
    bb__row_cb cb = {.fn.interaction = fn, .ctx = ctx};
    return read_rows((bb__sqlite *)s, BB__SQ_R_INTERACTIONS, customer_id, 1, limit, interaction_row,
                     &cb, err);
}

static int survey_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_survey_view v = {
        .id = sqlite3_column_int64(st, 0),
        .responded_at = sqlite3_column_int64(st, 1),
        .survey = bb__col(st, 2),
        .comment = bb__col(st, 3),
        .score = sqlite3_column_int(st, 4),
    };
    return cb->fn.survey(cb->ctx, &v);
}

int bb__sq_customer_surveys(bb_store *s, int64_t customer_id, size_t limit, bb_store_survey_fn fn,
                            void *ctx, bb_error *err)
{
    bb__row_cb cb = {.fn.survey = fn, .ctx = ctx};
    return read_rows((bb__sqlite *)s, BB__SQ_R_SURVEYS, customer_id, 1, limit, survey_row, &cb, err);
}

static int value_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_order_value v = {
        .customer_id = sqlite3_column_int64(st, 0),
        .customer_ref = bb__col(st, 1),
        .ordered_at = sqlite3_column_int64(st, 2),
        .amount_minor = sqlite3_column_int64(st, 3),
        .has_margin = sqlite3_column_type(st, 4) != SQLITE_NULL,
        .margin_minor = sqlite3_column_int64(st, 4),
        .currency = bb__col(st, 5),
    };
    return cb->fn.value(cb->ctx, &v);
}

int bb__sq_order_values(bb_store *s, int64_t customer_id, bb_order_value_fn fn, void *ctx,
                        bb_error *err)
{
    bb__row_cb cb = {.fn.value = fn, .ctx = ctx};
    return read_rows((bb__sqlite *)s, customer_id ? BB__SQ_R_VALUES_ONE : BB__SQ_R_VALUES_ALL,
                     customer_id, 0, 0, value_row, &cb, err);
}
