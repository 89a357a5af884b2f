/* sqlite_product.c: products in the SQLite backend: the upsert on SKU, bare products for unknown SKUs
 * met in order lines, and the margins of orders rewritten when a product's cost changes. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_db.h"

static bb__product_ent *product_cache(bb__sqlite *q, const char *sku, int64_t id, int64_t cost,
                                      int has_cost)
{
    size_t n = strlen(sku);
    bb__product_ent *e = bb__smap_get(&q->products, sku, n);
    if (!e) {
        if (bb__smap_full(&q->products))
            bb__smap_clear(&q->products);
        if (!(e = bb__smap_add(&q->products, sku, n)))
            return NULL;
    }
    e->id = id, e->cost = cost, e->has_cost = has_cost;
    return e;
}

int bb__sqlite_product_find(bb__sqlite *q, const char *sku, int create, int64_t now, bb__product_ent *out,
                            bb_put_stats *stats, bb_error *err)
{
    bb__product_ent *e = bb__smap_get(&q->products, sku, strlen(sku));
    sqlite3_stmt *st;
    int rc;
    if (e) {
        *out = *e;
        return 0;
    }
    memset(out, 0, sizeof *out);
    if (!(st = bb__sqlite_stmt(q, BB__SQ_PROD_GET, err)))
        return BB_EDB;
    bb__sqlite_bind_text(st, 1, sku);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->has_cost = sqlite3_column_type(st, 4) != SQLITE_NULL;
        out->cost = sqlite3_column_int64(st, 4);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return bb__sqlite_err(q, err, "looking up a product");
    if (rc == SQLITE_DONE && create) {
        if (!(st = bb__sqlite_stmt(q, BB__SQ_PROD_INSERT, err)))
            return BB_EDB;
        bb__sqlite_bind_text(st, 1, sku);
        for (int i = 2; i <= 5; i++)
            sqlite3_bind_null(st, i);
        bb__sqlite_bind_text(st, 6, q->currency);
        sqlite3_bind_int64(st, 7, now);
        sqlite3_bind_int64(st, 8, now);
        if ((rc = bb__sqlite_run(q, st, err, "adding a product")) != 0)
            return rc;
        out->id = sqlite3_last_insert_rowid(q->db);
        if (stats)
            stats->products_created++;
    }
    if (out->id)
        product_cache(q, sku, out->id, out->cost, out->has_cost);
    return 0;
}

/* ---- margins after cost changes ---- */

typedef struct affected {
    int64_t order_id, cost, missing;
} affected;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_affected(const void *a, const void *b)
{
    return cmp_i64(&((const affected *)a)->order_id, &((const affected *)b)->order_id);
}

static int note_cost_change(bb__sqlite *q, int64_t product_id, bb_error *err)
{
    void *grown = bb_grow(q->cost_changed, &q->cap_cost_changed, q->n_cost_changed, sizeof *q->cost_changed, 64);
    if (!grown)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    q->cost_changed = grown;
    q->cost_changed[q->n_cost_changed++] = product_id;
    return 0;
}

typedef struct ent_fix {
    const affected *a;
    size_t n;
} ent_fix;

/* Brings a cached order in line with what bb__sqlite_margins_flush wrote. */
static void fix_ent(void *ctx, void *value)
{
    const ent_fix *f = ctx;
    bb__order_ent *e = value;
    affected key = {e->id, 0, 0};
    const affected *a = bsearch(&key, f->a, f->n, sizeof *f->a, cmp_affected);
    if (!a || e->pending)
        return;
    e->lines_cost = a->cost;
    e->missing_cost = a->missing;
    e->has_margin = a->missing == 0;
    e->margin = e->has_margin ? e->amount - a->cost : 0;
}

int bb__sqlite_margins_flush(bb__sqlite *q, int64_t now, bb_error *err)
{
    sqlite3_stmt *scan = NULL, *lines, *set;
    affected *a = NULL;
    size_t n = 0, cap = 0, k = 0;
    int rc = 0, step;
    if (q->n_cost_changed == 0)
        return 0;
    qsort(q->cost_changed, q->n_cost_changed, sizeof *q->cost_changed, cmp_i64);
    /* One pass over the lines (in order id order) finds the orders with a changed product. */
    if (!(scan = bb__sqlite_stmt(q, BB__SQ_LINE_PRODUCTS, err)))
        return BB_EDB;
    while ((step = sqlite3_step(scan)) == SQLITE_ROW) {
        int64_t oid = sqlite3_column_int64(scan, 0), pid = sqlite3_column_int64(scan, 1);
        if ((n && a[n - 1].order_id == oid) ||
            !bsearch(&pid, q->cost_changed, q->n_cost_changed, sizeof pid, cmp_i64))
            continue;
        if (n == cap) {
            affected *p = realloc(a, (cap = cap ? 2 * cap : 1024) * sizeof *a);
            if (!p) {
                rc = bb_error_set(err, BB_ENOMEM, "out of memory");
                break;
            }
            a = p;
        }
        a[n++] = (affected){oid, 0, 0};
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "reading order lines");
    sqlite3_reset(scan);
    for (k = 0; rc == 0 && k < n; k++) {
        if (!(lines = bb__sqlite_stmt(q, BB__SQ_ORDER_TOTALS, err))) {
            rc = BB_EDB;
            break;
        }
        sqlite3_bind_int64(lines, 1, a[k].order_id);
        while ((step = sqlite3_step(lines)) == SQLITE_ROW) {
            if (sqlite3_column_type(lines, 2) == SQLITE_NULL)
                a[k].missing++;
            else
                a[k].cost += bb__line_total(sqlite3_column_double(lines, 0),
                                            sqlite3_column_int64(lines, 2));
        }
        sqlite3_reset(lines);
        if (step != SQLITE_DONE) {
            rc = bb__sqlite_err(q, err, "reading an order's lines");
            break;
        }
        if (!(set = bb__sqlite_stmt(q, BB__SQ_ORDER_SET_MARGIN, err))) {
            rc = BB_EDB;
            break;
        }
        sqlite3_bind_int64(set, 1, a[k].order_id);
        sqlite3_bind_int(set, 2, a[k].missing == 0);
        sqlite3_bind_int64(set, 3, a[k].cost);
        sqlite3_bind_int64(set, 4, now);
        rc = bb__sqlite_run(q, set, err, "updating an order's margin");
    }
    if (rc == 0) {
        ent_fix f = {a, n};
        if (n)
            bb__smap_each(&q->orders, fix_ent, &f);
        q->n_cost_changed = 0;
    }
    free(a);
    return rc;
}

int bb__sq_put_product(bb_store *s, const bb_product_rec *r, bb_put_result *res, bb_put_stats *stats,
                       bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st;
    int64_t now = bb__now(), id = 0, price = 0, cost = 0;
    int rc, own = 0, wrote = 0, step, has_price = 0, has_cost = 0, cost_changed;
    const char *name, *category, *cur;
    char *old[3] = {0};
    (void)stats;
    *res = BB_PUT_UNCHANGED;
    if (!bb__nz(r->sku))
        return bb_error_set(err, BB_EINVAL, "sku is missing");
    if ((rc = bb__check_currency(r->currency, err)) != 0)
        return rc;
    if ((rc = bb__sqlite_tx_enter(q, &own, err)) != 0)
        return rc;
    if ((rc = bb__sqlite_flush(q, err)) != 0)
        goto leave;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_PROD_GET, err))) {
        rc = BB_EDB;
        goto leave;
    }
    bb__sqlite_bind_text(st, 1, r->sku);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        for (int i = 0; i < 3; i++) {
            const char *t = (const char *)sqlite3_column_text(st, i == 2 ? 5 : i + 1);
            if (t && !(old[i] = bb_strdup(t)))
                rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        }
        has_price = sqlite3_column_type(st, 3) != SQLITE_NULL;
        price = sqlite3_column_int64(st, 3);
        has_cost = sqlite3_column_type(st, 4) != SQLITE_NULL;
        cost = sqlite3_column_int64(st, 4);
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "looking up a product");
    if (rc)
        goto leave;
    wrote = 1;
    if (step == SQLITE_DONE) {
        if (!(st = bb__sqlite_stmt(q, BB__SQ_PROD_INSERT, err))) {
            rc = BB_EDB;
            goto leave;
        }
        bb__sqlite_bind_text(st, 1, r->sku);
        bb__sqlite_bind_text(st, 2, bb__nz(r->name));
        bb__sqlite_bind_text(st, 3, bb__nz(r->category));
        if (r->has_price)
            sqlite3_bind_int64(st, 4, r->price_minor);
        else
            sqlite3_bind_null(st, 4);
        if (r->has_cost)
            sqlite3_bind_int64(st, 5, r->cost_minor);
        else
            sqlite3_bind_null(st, 5);
        bb__sqlite_bind_text(st, 6, r->currency[0] ? r->currency : q->currency);
        sqlite3_bind_int64(st, 7, now);
        sqlite3_bind_int64(st, 8, now);
        if ((rc = bb__sqlite_run(q, st, err, "adding a product")) != 0)
            goto leave;
        product_cache(q, r->sku, sqlite3_last_insert_rowid(q->db), r->cost_minor, r->has_cost);
        *res = BB_PUT_INSERTED;
        goto leave;
    }
    name = bb__nz(r->name) ? r->name : old[0];
    category = bb__nz(r->category) ? r->category : old[1];
    cur = r->currency[0] ? r->currency : old[2] ? old[2] : q->currency;
    cost_changed = r->has_cost && (!has_cost || cost != r->cost_minor);
    if (bb__same(name, old[0]) && bb__same(category, old[1]) && bb__same(cur, old[2]) && !cost_changed &&
        !(r->has_price && (!has_price || price != r->price_minor)))
        goto leave;
    if (r->has_price)
        has_price = 1, price = r->price_minor;
    if (r->has_cost)
        has_cost = 1, cost = r->cost_minor;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_PROD_UPDATE, err))) {
        rc = BB_EDB;
        goto leave;
    }
    sqlite3_bind_int64(st, 1, id);
    bb__sqlite_bind_text(st, 2, name);
    bb__sqlite_bind_text(st, 3, category);
    if (has_price)
        sqlite3_bind_int64(st, 4, price);
    else
        sqlite3_bind_null(st, 4);
    if (has_cost)
        sqlite3_bind_int64(st, 5, cost);
    else
        sqlite3_bind_null(st, 5);
    bb__sqlite_bind_text(st, 6, cur);
    sqlite3_bind_int64(st, 7, now);
    if ((rc = bb__sqlite_run(q, st, err, "updating a product")) != 0)
        goto leave;
    product_cache(q, r->sku, id, cost, has_cost);
    if (cost_changed) /* the margins of its orders are rewritten at the next flush */
        rc = note_cost_change(q, id, err);
    if (cost_changed || !bb__same(name, old[0]) || !bb__same(category, old[1]))
        bb__sqlite_views_stale_all(q); /* lines show its name and category, orders its margins */
    *res = BB_PUT_UPDATED;
leave:
    for (int i = 0; i < 3; i++)
        bb_free(old[i]);
    return bb__sqlite_tx_leave(q, own, rc, wrote, err);
}

