/* sqlite_put.c: products, orders and order lines in the SQLite backend. Orders made from lines keep
 * amount = sum of the lines' totals (each quantity * unit price rounded to minor units) and a margin
 * (amount - sum of quantity * cost) when every line's product has a cost. The totals of orders touched
 * by lines are kept in the order cache and written once per order at the next flush (a commit, a read,
 * another kind of write), so a line costs one INSERT. */
#include <math.h>
#include <string.h>

#include "store/sqlite_db.h"

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const char *currency_or(const char cur[4], const char *fallback)
{
    return cur[0] ? cur : fallback;
}

static int check_currency(const char cur[4], bb_error *err)
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

/* ---- products ---- */

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

/* The product of a SKU, created bare when unknown (create). *out is NULL when unknown and !create,
 * or when out of memory (err filled). */
static int product_find(bb__sqlite *q, const char *sku, int create, int64_t now, bb__product_ent *out,
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

/* Rewrites the margin of every order that has a line of this product (its cost changed). */
static int product_margins(bb__sqlite *q, int64_t product_id, int64_t now, bb_error *err)
{
    sqlite3_stmt *orders = bb__sqlite_stmt(q, BB__SQ_PROD_ORDERS, err), *lines, *set;
    int rc = 0, step;
    if (!orders)
        return BB_EDB;
    sqlite3_bind_int64(orders, 1, product_id);
    while ((step = sqlite3_step(orders)) == SQLITE_ROW) {
        int64_t oid = sqlite3_column_int64(orders, 0), cost = 0, missing = 0;
        if (!(lines = bb__sqlite_stmt(q, BB__SQ_ORDER_TOTALS, err))) {
            rc = BB_EDB;
            break;
        }
        sqlite3_bind_int64(lines, 1, oid);
        while ((step = sqlite3_step(lines)) == SQLITE_ROW) {
            if (sqlite3_column_type(lines, 2) == SQLITE_NULL)
                missing++;
            else
                cost += bb__line_total(sqlite3_column_double(lines, 0), sqlite3_column_int64(lines, 2));
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
        sqlite3_bind_int64(set, 1, oid);
        sqlite3_bind_int(set, 2, missing == 0);
        sqlite3_bind_int64(set, 3, cost);
        sqlite3_bind_int64(set, 4, now);
        if ((rc = bb__sqlite_run(q, set, err, "updating an order's margin")) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "finding a product's orders");
    sqlite3_reset(orders);
    bb__smap_clear(&q->orders); /* their stored margins changed */
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
    if (!nz(r->sku))
        return bb_error_set(err, BB_EINVAL, "sku is missing");
    if ((rc = check_currency(r->currency, err)) != 0)
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
        bb__sqlite_bind_text(st, 2, nz(r->name));
        bb__sqlite_bind_text(st, 3, nz(r->category));
        if (r->has_price)
            sqlite3_bind_int64(st, 4, r->price_minor);
        else
            sqlite3_bind_null(st, 4);
        if (r->has_cost)
            sqlite3_bind_int64(st, 5, r->cost_minor);
        else
            sqlite3_bind_null(st, 5);
        bb__sqlite_bind_text(st, 6, currency_or(r->currency, q->currency));
        sqlite3_bind_int64(st, 7, now);
        sqlite3_bind_int64(st, 8, now);
        if ((rc = bb__sqlite_run(q, st, err, "adding a product")) != 0)
            goto leave;
        product_cache(q, r->sku, sqlite3_last_insert_rowid(q->db), r->cost_minor, r->has_cost);
        *res = BB_PUT_INSERTED;
        goto leave;
    }
    name = nz(r->name) ? r->name : old[0];
    category = nz(r->category) ? r->category : old[1];
    cur = currency_or(r->currency, old[2] ? old[2] : q->currency);
    cost_changed = r->has_cost && (!has_cost || cost != r->cost_minor);
    if (same(name, old[0]) && same(category, old[1]) && same(cur, old[2]) && !cost_changed &&
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
    if (cost_changed)
        rc = product_margins(q, id, now, err);
    *res = BB_PUT_UPDATED;
leave:
    for (int i = 0; i < 3; i++)
        bb_free(old[i]);
    return bb__sqlite_tx_leave(q, own, rc, wrote, err);
}

/* ---- orders ---- */

static void order_target(const bb__order_ent *e, int64_t *amount, int *has_margin, int64_t *margin)
{
    *amount = e->from_lines ? e->lines_total : e->amount;
    *has_margin = e->n_lines > 0 && e->missing_cost == 0;
    *margin = *has_margin ? *amount - e->lines_cost : 0;
}

static void mark_dirty(bb__sqlite *q, bb__order_ent *e)
{
    if (!e->dirty) {
        e->dirty = 1;
        e->next_dirty = q->dirty;
        q->dirty = e;
    }
}

int bb__sqlite_flush(bb__sqlite *q, bb_error *err)
{
    int64_t now = bb__now();
    int rc = 0;
    while (q->dirty) {
        bb__order_ent *e = q->dirty;
        int64_t amount, margin;
        int has_margin;
        order_target(e, &amount, &has_margin, &margin);
        if (amount != e->amount || has_margin != e->has_margin || (has_margin && margin != e->margin)) {
            sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_ORDER_SET_TOTALS, err);
            if (!st)
                return BB_EDB;
            sqlite3_bind_int64(st, 1, e->id);
            sqlite3_bind_int64(st, 2, amount);
            if (has_margin)
                sqlite3_bind_int64(st, 3, margin);
            else
                sqlite3_bind_null(st, 3);
            sqlite3_bind_int64(st, 4, now);
            if ((rc = bb__sqlite_run(q, st, err, "updating an order's totals")) != 0) {
                q->tx_failed = q->tx_depth > 0;
                return rc;
            }
            e->amount = amount, e->has_margin = has_margin, e->margin = margin;
        }
        e->dirty = 0;
        q->dirty = e->next_dirty;
        e->next_dirty = NULL;
    }
    return 0;
}

/* Room in the order cache for one more entry: flushes and clears it when full. */
static int order_room(bb__sqlite *q, bb_error *err)
{
    int rc;
    if (!bb__smap_full(&q->orders))
        return 0;
    if ((rc = bb__sqlite_flush(q, err)) != 0)
        return rc;
    bb__smap_clear(&q->orders);
    return 0;
}

static int order_lines_totals(bb__sqlite *q, bb__order_ent *e, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_ORDER_TOTALS, err);
    int step;
    if (!st)
        return BB_EDB;
    e->n_lines = e->lines_total = e->lines_cost = e->missing_cost = 0;
    sqlite3_bind_int64(st, 1, e->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        double qty = sqlite3_column_double(st, 0);
        e->n_lines++;
        e->lines_total += bb__line_total(qty, sqlite3_column_int64(st, 1));
        if (sqlite3_column_type(st, 2) == SQLITE_NULL)
            e->missing_cost++;
        else
            e->lines_cost += bb__line_total(qty, sqlite3_column_int64(st, 2));
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "reading an order's lines");
}

/* The cached state of an order, read from the database on a miss; *out NULL when there is none. */
static int order_find(bb__sqlite *q, const char *ext, bb__order_ent **out, bb_error *err)
{
    size_t n = strlen(ext);
    bb__order_ent *e = bb__smap_get(&q->orders, ext, n), tmp = {0};
    sqlite3_stmt *st;
    int rc, step;
    *out = e;
    if (e)
        return 0;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_ORDER_GET, err)))
        return BB_EDB;
    bb__sqlite_bind_text(st, 1, ext);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        tmp.id = sqlite3_column_int64(st, 0);
        tmp.customer_id = sqlite3_column_int64(st, 1);
        tmp.amount = sqlite3_column_int64(st, 3);
        tmp.has_margin = sqlite3_column_type(st, 6) != SQLITE_NULL;
        tmp.margin = sqlite3_column_int64(st, 6);
        tmp.from_lines = sqlite3_column_int(st, 7);
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW)
        return step == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "looking up an order");
    if ((rc = order_lines_totals(q, &tmp, err)) != 0 || (rc = order_room(q, err)) != 0)
        return rc;
    if (!(e = bb__smap_add(&q->orders, ext, n)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    *e = tmp;
    *out = e;
    return 0;
}

/* Adds an order row and its cache entry (no lines yet). */
static int order_insert(bb__sqlite *q, const char *ext, int64_t customer_id, int64_t ordered_at,
                        int64_t amount, int from_lines, const char *currency, const char *channel,
                        int64_t now, bb__order_ent **out, bb_error *err)
{
    sqlite3_stmt *st;
    bb__order_ent *e;
    int rc;
    if ((rc = order_room(q, err)) != 0)
        return rc;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_ORDER_INSERT, err)))
        return BB_EDB;
    bb__sqlite_bind_text(st, 1, ext);
    sqlite3_bind_int64(st, 2, customer_id);
    sqlite3_bind_int64(st, 3, ordered_at);
    sqlite3_bind_int64(st, 4, amount);
    bb__sqlite_bind_text(st, 5, currency);
    bb__sqlite_bind_text(st, 6, channel);
    sqlite3_bind_null(st, 7);
    sqlite3_bind_int(st, 8, from_lines);
    sqlite3_bind_int64(st, 9, now);
    sqlite3_bind_int64(st, 10, now);
    if ((rc = bb__sqlite_run(q, st, err, "adding an order")) != 0)
        return rc;
    if (!(e = bb__smap_add(&q->orders, ext, strlen(ext))))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    e->id = sqlite3_last_insert_rowid(q->db);
    e->customer_id = customer_id;
    e->amount = amount;
    e->from_lines = from_lines;
    *out = e;
    return 0;
}

int bb__sq_put_order(bb_store *s, const bb_order_rec *r, bb_put_result *res, bb_put_stats *stats,
                     bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    bb__order_ent *e, t;
    sqlite3_stmt *st;
    int64_t now = bb__now(), cid, old_cid = 0, old_at = 0, amount, margin;
    int rc, own = 0, wrote = 0, step, has_margin;
    char *old_cur = NULL, *old_channel = NULL;
    const char *cur, *channel;
    *res = BB_PUT_UNCHANGED;
    if (!nz(r->order_id))
        return bb_error_set(err, BB_EINVAL, "order_id is missing");
    if (!nz(r->customer_ref))
        return bb_error_set(err, BB_EINVAL, "customer_id is missing");
    if (r->ordered_at == 0)
        return bb_error_set(err, BB_EINVAL, "ordered_at is missing");
    if ((rc = check_currency(r->currency, err)) != 0)
        return rc;
    if ((rc = bb__sqlite_tx_enter(q, &own, err)) != 0)
        return rc;
    wrote = 1;
    if ((rc = bb__sqlite_resolve_or_create(q, r->customer_ref, r->id_kind, now, &cid, stats, err)) ||
        (rc = bb__sqlite_flush(q, err)) || (rc = order_find(q, r->order_id, &e, err)))
        goto leave;
    if (!e) {
        rc = order_insert(q, r->order_id, cid, r->ordered_at, r->has_amount ? r->amount_minor : 0,
                          !r->has_amount, currency_or(r->currency, q->currency), nz(r->channel), now,
                          &e, err);
        if (rc == 0)
            *res = BB_PUT_INSERTED;
        goto leave;
    }
    if (!(st = bb__sqlite_stmt(q, BB__SQ_ORDER_GET, err))) {
        rc = BB_EDB;
        goto leave;
    }
    bb__sqlite_bind_text(st, 1, r->order_id);
    if ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t4 = (const char *)sqlite3_column_text(st, 4);
        const char *t5 = (const char *)sqlite3_column_text(st, 5);
        old_cid = sqlite3_column_int64(st, 1);
        old_at = sqlite3_column_int64(st, 2);
        if ((t4 && !(old_cur = bb_strdup(t4))) || (t5 && !(old_channel = bb_strdup(t5))))
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW)
        rc = bb__sqlite_err(q, err, "reading an order");
    if (rc)
        goto leave;
    cur = currency_or(r->currency, old_cur ? old_cur : q->currency);
    channel = nz(r->channel) ? r->channel : old_channel;
    /* After the flush, e holds what is stored; t is what the record makes of it. */
    t = *e;
    t.from_lines = !r->has_amount;
    if (r->has_amount)
        t.amount = r->amount_minor;
    order_target(&t, &amount, &has_margin, &margin);
    if (old_cid == cid && old_at == r->ordered_at && same(cur, old_cur) && same(channel, old_channel) &&
        t.from_lines == e->from_lines && amount == e->amount && has_margin == e->has_margin &&
        (!has_margin || margin == e->margin))
        goto leave;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_ORDER_UPDATE, err))) {
        rc = BB_EDB;
        goto leave;
    }
    sqlite3_bind_int64(st, 1, e->id);
    sqlite3_bind_int64(st, 2, cid);
    sqlite3_bind_int64(st, 3, r->ordered_at);
    sqlite3_bind_int64(st, 4, amount);
    bb__sqlite_bind_text(st, 5, cur);
    bb__sqlite_bind_text(st, 6, channel);
    if (has_margin)
        sqlite3_bind_int64(st, 7, margin);
    else
        sqlite3_bind_null(st, 7);
    sqlite3_bind_int(st, 8, t.from_lines);
    sqlite3_bind_int64(st, 9, now);
    if ((rc = bb__sqlite_run(q, st, err, "updating an order")) != 0)
        goto leave;
    e->amount = amount, e->has_margin = has_margin, e->margin = margin, e->customer_id = cid;
    e->from_lines = t.from_lines;
    if (old_cid != cid) {
        if (!(st = bb__sqlite_stmt(q, BB__SQ_ORDER_LINES_CUSTOMER, err))) {
            rc = BB_EDB;
            goto leave;
        }
        sqlite3_bind_int64(st, 1, e->id);
        sqlite3_bind_int64(st, 2, cid);
        if ((rc = bb__sqlite_run(q, st, err, "moving an order's lines")) != 0)
            goto leave;
    }
    *res = BB_PUT_UPDATED;
leave:
    bb_free(old_cur);
    bb_free(old_channel);
    return bb__sqlite_tx_leave(q, own, rc, wrote, err);
}

/* ---- order lines ---- */

int bb__sq_put_order_line(bb_store *s, const bb_order_line_rec *r, bb_put_result *res,
                          bb_put_stats *stats, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    bb__order_ent *e;
    bb__product_ent p;
    sqlite3_stmt *st;
    int64_t now = bb__now(), cid, total;
    int rc, own = 0, wrote = 0;
    *res = BB_PUT_UNCHANGED;
    if (!nz(r->order_id))
        return bb_error_set(err, BB_EINVAL, "order_id is missing");
    if (!nz(r->sku))
        return bb_error_set(err, BB_EINVAL, "sku is missing");
    if (r->line_no < 1)
        return bb_error_set(err, BB_EINVAL, "line number %d: lines are numbered from 1", r->line_no);
    if (!isfinite(r->quantity))
        return bb_error_set(err, BB_EINVAL, "quantity is not a finite number");
    if (fabs(r->quantity) * fabs((double)r->unit_price_minor) > 9e15)
        return bb_error_set(err, BB_EINVAL, "quantity * unit_price is too large");
    if ((rc = check_currency(r->currency, err)) != 0)
        return rc;
    if ((rc = bb__sqlite_tx_enter(q, &own, err)) != 0)
        return rc;
    if ((rc = order_find(q, r->order_id, &e, err)) != 0)
        goto leave;
    if (!e) {
        if (!nz(r->customer_ref)) {
            rc = bb_error_set(err, BB_EINVAL, "order %s is new and the line names no customer",
                              r->order_id);
            goto leave;
        }
        if (r->ordered_at == 0) {
            rc = bb_error_set(err, BB_EINVAL, "order %s is new and the line has no ordered_at",
                              r->order_id);
            goto leave;
        }
        wrote = 1;
        if ((rc = bb__sqlite_resolve_or_create(q, r->customer_ref, r->id_kind, now, &cid, stats, err)) ||
            (rc = order_insert(q, r->order_id, cid, r->ordered_at, 0, 1,
                               currency_or(r->currency, q->currency), NULL, now, &e, err)))
            goto leave;
        if (stats)
            stats->orders_created++;
    }
    wrote = 1;
    if ((rc = product_find(q, r->sku, 1, now, &p, stats, err)) != 0)
        goto leave;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_LINE_INSERT, err))) {
        rc = BB_EDB;
        goto leave;
    }
    sqlite3_bind_int64(st, 1, e->id);
    sqlite3_bind_int(st, 2, r->line_no);
    sqlite3_bind_int64(st, 3, e->customer_id);
    sqlite3_bind_int64(st, 4, p.id);
    sqlite3_bind_double(st, 5, r->quantity);
    sqlite3_bind_int64(st, 6, r->unit_price_minor);
    if ((rc = bb__sqlite_run(q, st, err, "adding an order line")) != 0)
        goto leave;
    total = bb__line_total(r->quantity, r->unit_price_minor);
    if (sqlite3_changes(q->db) > 0) {
        e->n_lines++;
        e->lines_total += total;
        if (p.has_cost)
            e->lines_cost += bb__line_total(r->quantity, p.cost);
        else
            e->missing_cost++;
        mark_dirty(q, e);
        *res = BB_PUT_INSERTED;
    } else {
        /* The line exists: compare, and replace it when it differs. */
        int64_t old_pid, old_price, old_cost;
        double old_qty;
        int old_has_cost, step;
        if (!(st = bb__sqlite_stmt(q, BB__SQ_LINE_GET, err))) {
            rc = BB_EDB;
            goto leave;
        }
        sqlite3_bind_int64(st, 1, e->id);
        sqlite3_bind_int(st, 2, r->line_no);
        step = sqlite3_step(st);
        old_pid = sqlite3_column_int64(st, 0);
        old_qty = sqlite3_column_double(st, 1);
        old_price = sqlite3_column_int64(st, 2);
        old_has_cost = sqlite3_column_type(st, 3) != SQLITE_NULL;
        old_cost = sqlite3_column_int64(st, 3);
        sqlite3_reset(st);
        if (step != SQLITE_ROW) {
            rc = bb__sqlite_err(q, err, "reading an order line");
            goto leave;
        }
        if (old_pid == p.id && old_qty == r->quantity && old_price == r->unit_price_minor)
            goto leave;
        if (!(st = bb__sqlite_stmt(q, BB__SQ_LINE_UPDATE, err))) {
            rc = BB_EDB;
            goto leave;
        }
        sqlite3_bind_int64(st, 1, e->id);
        sqlite3_bind_int(st, 2, r->line_no);
        sqlite3_bind_int64(st, 3, p.id);
        sqlite3_bind_double(st, 4, r->quantity);
        sqlite3_bind_int64(st, 5, r->unit_price_minor);
        if ((rc = bb__sqlite_run(q, st, err, "updating an order line")) != 0)
            goto leave;
        e->lines_total += total - bb__line_total(old_qty, old_price);
        if (old_has_cost)
            e->lines_cost -= bb__line_total(old_qty, old_cost);
        else
            e->missing_cost--;
        if (p.has_cost)
            e->lines_cost += bb__line_total(r->quantity, p.cost);
        else
            e->missing_cost++;
        mark_dirty(q, e);
        *res = BB_PUT_UPDATED;
    }
leave:
    return bb__sqlite_tx_leave(q, own, rc, wrote, err);
}
