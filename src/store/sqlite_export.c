/* sqlite_export.c: every row of the SQLite backend as the record its put takes, in insertion order,
 * so that an export written by the ingest module imports back unchanged. Merged-away customers are not
 * exported: their rows belong to the customer they were merged into, and their external ids come
 * along as that customer's identifiers of kind "id". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_read.h"

/* Flushes, then prepares a statement of its own (callbacks may use the store's cached ones). */
static int export_prepare(bb__sqlite *q, const char *sql, sqlite3_stmt **st, bb_error *err)
{
    int rc = bb__sqlite_flush(q, err);
    *st = NULL;
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
        return bb__sqlite_err(q, err, "preparing an export");
    return 0;
}

static void currency_of(sqlite3_stmt *st, int i, char out[4])
{
    const char *c = bb__col(st, i);
    memset(out, 0, 4);
    if (c && strlen(c) == 3)
        memcpy(out, c, 3);
}

/* ---- customers, with their identifiers merged in by customer id ---- */

typedef struct idents {
    sqlite3_stmt *st;
    int step;            /* the identifier cursor's state: 1 on a row */
    bb_ident *v;
    size_t n, cap;
    bb_buf text;
    size_t (*off)[2];
} idents;

/* Collects the identifiers of customer id that its record does not carry already. */
static int idents_for(bb__sqlite *q, idents *x, int64_t id, const char *ext, const char *email,
                      const char *phone, bb_error *err)
{
    x->n = 0;
    bb_buf_reset(&x->text);
    while (x->step == 1 && sqlite3_column_int64(x->st, 0) < id)
        x->step = bb__sqlite_read_step(q, x->st, err);
    for (; x->step == 1 && sqlite3_column_int64(x->st, 0) == id;
         x->step = bb__sqlite_read_step(q, x->st, err)) {
        const char *kind = bb__col(x->st, 1), *value = bb__col(x->st, 2);
        if ((strcmp(kind, "id") == 0 && bb__same(value, ext)) ||
            (strcmp(kind, "email") == 0 && bb__same(value, email)) ||
            (strcmp(kind, "phone") == 0 && bb__same(value, phone)))
            continue;
        if (x->n == x->cap) {
            size_t cap = x->cap ? 2 * x->cap : 8;
            bb_ident *v = realloc(x->v, cap * sizeof *v);
            size_t(*off)[2] = v ? realloc(x->off, cap * sizeof *off) : NULL;
            if (v)
                x->v = v;
            if (!off)
                return bb_error_set(err, BB_ENOMEM, "out of memory");
            x->off = off;
            x->cap = cap;
        }
        x->off[x->n][0] = x->text.len;
        if (bb_buf_add(&x->text, kind, strlen(kind) + 1) != 0)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        x->off[x->n][1] = x->text.len;
        if (bb_buf_add(&x->text, value, strlen(value) + 1) != 0)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        x->n++;
    }
    for (size_t i = 0; i < x->n; i++) {
        x->v[i].kind = x->text.data + x->off[i][0];
        x->v[i].value = x->text.data + x->off[i][1];
    }
    return x->step < 0 ? x->step : 0;
}

int bb__sq_export_customers(bb_store *s, bb_export_customer_fn fn, void *ctx, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    idents x = {0};
    int rc, step;
    bb_buf_init(&x.text, 0);
    if ((rc = export_prepare(q, "SELECT id, external_id, first_name, last_name, email, phone, city,"
                                " birth_date, gender, attributes, created_at FROM customer"
                                " WHERE merged_into IS NULL ORDER BY id", &st, err)) != 0 ||
        (rc = export_prepare(q, "SELECT customer_id, kind, value FROM customer_identifier"
                                " ORDER BY customer_id, kind, value", &x.st, err)) != 0)
        goto done;
    x.step = bb__sqlite_read_step(q, x.st, err);
    while ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        bb_customer_rec r = {
            .customer_id = bb__col(st, 1),
            .first_name = bb__col(st, 2),
            .last_name = bb__col(st, 3),
            .email = bb__col(st, 4),
            .phone = bb__col(st, 5),
            .city = bb__col(st, 6),
            .birth_date = bb__col(st, 7),
            .gender = bb__col(st, 8),
            .attributes_json = bb__col(st, 9),
            .created_at = sqlite3_column_int64(st, 10),
        };
        if ((rc = idents_for(q, &x, sqlite3_column_int64(st, 0), r.customer_id, r.email, r.phone,
                             err)) != 0)
            break;
        r.idents = x.v;
        r.n_idents = x.n;
        if ((rc = bb__cb_result(fn(ctx, &r))) != 0)
            break;
    }
    if (rc == 0 && step < 0)
        rc = step;
done:
    sqlite3_finalize(st);
    sqlite3_finalize(x.st);
    free(x.v);
    free(x.off);
    bb_buf_release(&x.text);
    return rc > 0 ? 0 : rc;
}

/* ---- the rest: one query each, one record per row ---- */

static int export_rows(bb__sqlite *q, const char *sql, bb__row_fn row, const bb__row_cb *cb,
                       bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = export_prepare(q, sql, &st, err);
    if (rc == 0)
        rc = bb__sqlite_each_row(q, st, row, cb, err);
    sqlite3_finalize(st);
    return rc;
}

static int product_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_product_rec r = {
        .sku = bb__col(st, 0),
        .name = bb__col(st, 1),
        .category = bb__col(st, 2),
        .has_price = sqlite3_column_type(st, 3) != SQLITE_NULL,
        .price_minor = sqlite3_column_int64(st, 3),
        .has_cost = sqlite3_column_type(st, 4) != SQLITE_NULL,
        .cost_minor = sqlite3_column_int64(st, 4),
    };
    currency_of(st, 5, r.currency);
    return cb->fn.product(cb->ctx, &r);
}

int bb__sq_export_products(bb_store *s, bb_export_product_fn fn, void *ctx, bb_error *err)
{
    bb__row_cb cb = {.fn.product = fn, .ctx = ctx};
    return export_rows((bb__sqlite *)s, "SELECT sku, name, category, price_minor, cost_minor, currency"
                                        " FROM product ORDER BY id", product_row, &cb, err);
}

static int order_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_order_rec r = {
        .order_id = bb__col(st, 0),
        .customer_ref = bb__col(st, 1),
        .ordered_at = sqlite3_column_int64(st, 2),
        .amount_minor = sqlite3_column_int64(st, 3),
        .channel = bb__col(st, 5),
        .has_amount = !sqlite3_column_int(st, 6),
    };
    currency_of(st, 4, r.currency);
    return cb->fn.order(cb->ctx, &r);
}

int bb__sq_export_orders(bb_store *s, bb_export_order_fn fn, void *ctx, bb_error *err)
{
    bb__row_cb cb = {.fn.order = fn, .ctx = ctx};
    return export_rows((bb__sqlite *)s,
                       "SELECT o.external_id, c.external_id, o.ordered_at, o.amount_minor, o.currency,"
                       " o.channel, o.from_lines FROM orders o JOIN customer c ON c.id = o.customer_id"
                       " ORDER BY o.id", order_row, &cb, err);
}

static int line_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_order_line_rec r = {
        .order_id = bb__col(st, 0),
        .customer_ref = bb__col(st, 1),
        .ordered_at = sqlite3_column_int64(st, 2),
        .sku = bb__col(st, 3),
        .quantity = sqlite3_column_double(st, 4),
        .unit_price_minor = sqlite3_column_int64(st, 5),
        .line_no = sqlite3_column_int(st, 7),
    };
    currency_of(st, 6, r.currency);
    return cb->fn.line(cb->ctx, &r);
}

int bb__sq_export_order_lines(bb_store *s, bb_export_order_line_fn fn, void *ctx, bb_error *err)
{
    bb__row_cb cb = {.fn.line = fn, .ctx = ctx};
    return export_rows((bb__sqlite *)s,
                       "SELECT o.external_id, c.external_id, o.ordered_at, p.sku, l.quantity,"
                       " l.unit_price_minor, o.currency, l.line_no FROM order_line l"
                       " JOIN orders o ON o.id = l.order_id JOIN customer c ON c.id = o.customer_id"
                       " JOIN product p ON p.id = l.product_id ORDER BY l.order_id, l.line_no",
                       line_row, &cb, err);
}

static int interaction_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_interaction_rec r = {
        .customer_ref = bb__col(st, 0),
        .occurred_at = sqlite3_column_int64(st, 1),
        .channel = bb__col(st, 2),
        .direction = bb__col(st, 3),
        .kind = bb__col(st, 4),
        .subject = bb__col(st, 5),
        .body = bb__col(st, 6),
    };
    return cb->fn.x_interaction(cb->ctx, &r);
}

int bb__sq_export_interactions(bb_store *s, bb_export_interaction_fn fn, void *ctx, bb_error *err)
{
    bb__row_cb cb = {.fn.x_interaction = fn, .ctx = ctx};
    return export_rows((bb__sqlite *)s,
                       "SELECT c.external_id, i.occurred_at, i.channel, i.direction, i.kind, i.subject,"
                       " i.body FROM interaction i JOIN customer c ON c.id = i.customer_id"
                       " ORDER BY i.id", interaction_row, &cb, err);
}

static int consent_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_consent_rec r = {
        .customer_ref = bb__col(st, 0),
        .channel = bb__col(st, 1),
        .status = bb__col(st, 2),
        .source = bb__nz(bb__col(st, 3)),
        .recorded_at = sqlite3_column_int64(st, 4),
    };
    return cb->fn.x_consent(cb->ctx, &r);
}

int bb__sq_export_consents(bb_store *s, bb_export_consent_fn fn, void *ctx, bb_error *err)
{
    bb__row_cb cb = {.fn.x_consent = fn, .ctx = ctx};
    return export_rows((bb__sqlite *)s,
                       "SELECT c.external_id, k.channel, k.status, k.source, k.recorded_at FROM consent k"
                       " JOIN customer c ON c.id = k.customer_id ORDER BY k.id", consent_row, &cb, err);
}

static int survey_row(sqlite3_stmt *st, const bb__row_cb *cb)
{
    bb_survey_rec r = {
        .customer_ref = bb__col(st, 0),
        .survey = bb__col(st, 1),
        .score = sqlite3_column_int(st, 2),
        .comment = bb__col(st, 3),
        .responded_at = sqlite3_column_int64(st, 4),
    };
    return cb->fn.x_survey(cb->ctx, &r);
}

int bb__sq_export_surveys(bb_store *s, bb_export_survey_fn fn, void *ctx, bb_error *err)
{
    bb__row_cb cb = {.fn.x_survey = fn, .ctx = ctx};
    return export_rows((bb__sqlite *)s,
                       "SELECT c.external_id, v.survey, v.score, v.comment, v.responded_at"
                       " FROM survey_response v JOIN customer c ON c.id = v.customer_id ORDER BY v.id",
                       survey_row, &cb, err);
}
