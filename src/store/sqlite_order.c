/* sqlite_order.c: orders and order lines in the SQLite backend, and the write-behind that makes a bulk
 * load of lines fast. Orders made from lines keep amount = sum of the lines' totals (each quantity *
 * unit price rounded to minor units) and margin = amount - sum of quantity * cost when every line's
 * product has a cost. The order cache knows every line of every order it read back (and of those put
 * through it since), so a line put again is compared in memory; of an order made here it keeps only
 * the highest line number (a line above it is new; another reads the lines back). A new line waits in
 * a buffer: bb__sqlite_flush writes orders made here ("pending") 32 per INSERT with their final totals,
 * then the buffered lines 64 per INSERT, then the totals of orders that changed. Every read and every
 * commit flushes first, so nobody sees the difference. A line that changes is rewritten at once. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_db.h"

/* ---- order totals ---- */

static void order_target(const bb__order_ent *e, int64_t *amount, int *has_margin, int64_t *margin)
{
    *amount = e->from_lines ? e->lines_total : e->amount;
    *has_margin = e->n_lines > 0 && e->missing_cost == 0;
    *margin = *has_margin ? *amount - e->lines_cost : 0;
}

static void mark_dirty(bb__sqlite *q, bb__order_ent *e)
{
    if (!e->dirty && !e->pending) {
        e->dirty = 1;
        e->next_dirty = q->dirty;
        q->dirty = e;
    }
}

/* The index of the order's line with this number, or -1. Lines mostly come in order: the last is
 * looked at first. */
static long known_find(const bb__order_ent *e, int line_no)
{
    size_t lo = 0, hi = (size_t)e->n_lines;
    if (hi == 0)
        return -1;
    if (e->known[hi - 1].line_no == line_no)
        return (long)hi - 1;
    if (e->known[hi - 1].line_no < line_no)
        return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->known[mid].line_no < line_no)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < (size_t)e->n_lines && e->known[lo].line_no == line_no ? (long)lo : -1;
}

/* Adds a line the order did not have, keeping the array sorted. The array lives in the order cache's
 * memory (freed when the cache is cleared, with the entries): a bigger one is a copy, the old one is
 * left (at most as much again). */
static int known_add(bb__sqlite *q, bb__order_ent *e, const bb__known_line *l)
{
    size_t n = (size_t)e->n_lines, at = n;
    if (n == e->known_cap) {
        size_t cap = e->known_cap ? 2 * e->known_cap : 4;
        bb__known_line *p = bb__smap_alloc(&q->orders, cap * sizeof *p);
        if (!p)
            return BB_ENOMEM;
        if (n)
            memcpy(p, e->known, n * sizeof *p);
        e->known = p;
        e->known_cap = cap;
    }
    while (at > 0 && e->known[at - 1].line_no > l->line_no)
        at--;
    memmove(e->known + at + 1, e->known + at, (n - at) * sizeof *e->known);
    e->known[at] = *l;
    return 0;
}

static void bind_opt(sqlite3_stmt *st, int i, int has, int64_t v)
{
    if (has)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* ---- the flush ---- */

/* Reads an order's lines: its totals and its known lines. */
static int order_lines_totals(bb__sqlite *q, bb__order_ent *e, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_ORDER_TOTALS, err);
    int step, rc = 0;
    if (!st)
        return BB_EDB;
    e->n_lines = e->lines_total = e->lines_cost = e->missing_cost = 0;
    sqlite3_bind_int64(st, 1, e->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        bb__known_line l = {sqlite3_column_int(st, 3), sqlite3_column_int64(st, 4),
                            sqlite3_column_int64(st, 1), sqlite3_column_double(st, 0)};
        if ((rc = known_add(q, e, &l)) != 0)
            break;
        e->n_lines++;
        e->lines_total += bb__line_total(l.quantity, l.unit_minor);
        if (sqlite3_column_type(st, 2) == SQLITE_NULL)
            e->missing_cost++;
        else
            e->lines_cost += bb__line_total(l.quantity, sqlite3_column_int64(st, 2));
    }
    sqlite3_reset(st);
    if (rc)
        return bb_error_set(err, rc, "out of memory");
    return step == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "reading an order's lines");
}


/* Binds one pending order at parameter base+1..base+11 (ORDER_ROW's order). */
static void bind_order_row(bb__sqlite *q, sqlite3_stmt *st, int base, bb__order_ent *e, int64_t now)
{
    int64_t amount, margin;
    int has_margin;
    order_target(e, &amount, &has_margin, &margin);
    sqlite3_bind_int64(st, base + 1, e->id);
    bb__sqlite_bind_text(st, base + 2, bb__smap_key(&q->orders, e));
    sqlite3_bind_int64(st, base + 3, e->customer_id);
    sqlite3_bind_int64(st, base + 4, e->ordered_at);
    sqlite3_bind_int64(st, base + 5, amount);
    bb__sqlite_bind_text(st, base + 6, e->currency);
    bb__sqlite_bind_text(st, base + 7, e->channel[0] ? e->channel : NULL); /* lines do not say */
    bind_opt(st, base + 8, has_margin, margin);
    sqlite3_bind_int(st, base + 9, e->from_lines);
    sqlite3_bind_int64(st, base + 10, now);
    sqlite3_bind_int64(st, base + 11, now);
    e->amount = amount, e->has_margin = has_margin, e->margin = margin;
}

/* Writes the pending orders; all = 0: only whole INSERTs of 32, the rest waits (bulk mode only, where
 * the lines written before their order are not checked against it). */
static int flush_orders(bb__sqlite *q, int64_t now, int all, bb_error *err)
{
    int rc = 0;
    while (q->pending) {
        bb__order_ent *batch[BB__ORDERS_PER_INSERT], *e = q->pending;
        int n = 0;
        sqlite3_stmt *st;
        while (e && n < BB__ORDERS_PER_INSERT)
            batch[n++] = e, e = e->next_pending;
        if (!all && n < BB__ORDERS_PER_INSERT)
            return 0; /* pending_tail still ends the list */
        st = bb__sqlite_stmt(q, n == BB__ORDERS_PER_INSERT ? BB__SQ_ORDER_INSERT_MANY
                                                           : BB__SQ_ORDER_INSERT, err);
        if (!st)
            return BB_EDB;
        if (n < BB__ORDERS_PER_INSERT)
            n = 1;
        for (int i = 0; i < n; i++)
            bind_order_row(q, st, 11 * i, batch[i], now);
        if ((rc = bb__sqlite_run(q, st, err, "adding orders")) != 0)
            return rc;
        for (int i = 0; i < n; i++) {
            batch[i]->pending = 0;
            q->pending = batch[i]->next_pending;
            batch[i]->next_pending = NULL;
        }
    }
    q->pending_tail = &q->pending;
    return 0;
}

static void bind_line_row(sqlite3_stmt *st, int base, const bb__line *l)
{
    sqlite3_bind_int64(st, base + 1, l->order_id);
    sqlite3_bind_int(st, base + 2, l->line_no);
    sqlite3_bind_int64(st, base + 3, l->customer_id);
    sqlite3_bind_int64(st, base + 4, l->product_id);
    sqlite3_bind_double(st, base + 5, l->quantity);
    sqlite3_bind_int64(st, base + 6, l->unit_minor);
}

static int flush_lines(bb__sqlite *q, bb_error *err)
{
    size_t i = 0;
    int rc;
    while (i < q->n_lines) {
        int many = q->n_lines - i >= BB__LINES_PER_INSERT, n = many ? BB__LINES_PER_INSERT : 1;
        sqlite3_stmt *st = bb__sqlite_stmt(q, many ? BB__SQ_LINE_INSERT_MANY : BB__SQ_LINE_INSERT, err);
        if (!st)
            return BB_EDB;
        for (int k = 0; k < n; k++)
            bind_line_row(st, 6 * k, &q->lines[i + (size_t)k]);
        if ((rc = bb__sqlite_run(q, st, err, "adding order lines")) != 0)
            return rc;
        i += (size_t)n;
    }
    q->n_lines = 0;
    return 0;
}

static int flush_totals(bb__sqlite *q, int64_t now, bb_error *err)
{
    int rc;
    while (q->dirty) {
        bb__order_ent *e = q->dirty;
        int64_t amount, margin;
        int has_margin;
        if (e->stale) { /* a line was rewritten: count again from what is written */
            if ((rc = order_lines_totals(q, e, err)) != 0)
                return rc;
            e->stale = 0;
        }
        order_target(e, &amount, &has_margin, &margin);
        if (amount != e->amount || has_margin != e->has_margin || (has_margin && margin != e->margin)) {
            sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_ORDER_SET_TOTALS, err);
            if (!st)
                return BB_EDB;
            sqlite3_bind_int64(st, 1, e->id);
            sqlite3_bind_int64(st, 2, amount);
            bind_opt(st, 3, has_margin, margin);
            sqlite3_bind_int64(st, 4, now);
            if ((rc = bb__sqlite_run(q, st, err, "updating an order's totals")) != 0)
                return rc;
            bb__sqlite_last_amount(q, e->customer_id, e->id, e->ordered_at, e->amount, amount);
            e->amount = amount, e->has_margin = has_margin, e->margin = margin;
        }
        e->dirty = 0;
        q->dirty = e->next_dirty;
        e->next_dirty = NULL;
    }
    return 0;
}

/* The write-behind's own flush (when its buffers are full): the search index waits. all = 0 (the line
 * buffer is full, in bulk mode): orders short of a whole INSERT wait for the next flush, so a flush
 * does not end in single-row INSERTs of them. */
static int flush_writes_(bb__sqlite *q, int all, bb_error *err)
{
    int64_t now;
    int rc;
    if (!q->pending && !q->n_lines && !q->dirty && !q->n_cost_changed)
        return 0;
    now = bb__now();
    if ((rc = flush_orders(q, now, all, err)) == 0 && (rc = flush_lines(q, err)) == 0 &&
        (rc = flush_totals(q, now, err)) == 0)
        rc = bb__sqlite_margins_flush(q, now, err);
    if (rc != 0 && q->tx_depth > 0)
        q->tx_failed = 1; /* what was buffered is half written */
    return rc;
}

static int flush_writes(bb__sqlite *q, bb_error *err)
{
    return flush_writes_(q, 1, err);
}

int bb__sqlite_flush(bb__sqlite *q, bb_error *err)
{
    int rc = 0;
    /* Bare customers wait only in bulk mode, where the orders naming them may be written first (no
     * row-by-row foreign key checks): their rows then go in with their latest purchase instead of
     * being updated right after (import of 1M lines: 49k updates fewer). */
    if (q->n_bare && (rc = flush_writes(q, err)) == 0)
        rc = bb__sqlite_last_collect(q, err);
    if (rc == 0)
        rc = bb__sqlite_bare_flush(q, err);
    if (rc == 0)
        rc = flush_writes(q, err);
    if (rc == 0 && q->n_search && (rc = bb__sqlite_search_flush(q, err)) != 0 && q->tx_depth > 0)
        q->tx_failed = 1;
    if (rc == 0 && (q->last_from || q->n_last_marks || q->last_all) && (rc = bb__sqlite_last_flush(q, err)) != 0 &&
        q->tx_depth > 0)
        q->tx_failed = 1;
    if (rc == 0 && (rc = bb__sqlite_views_flush(q, err)) != 0)
        q->tx_failed = 1;
    return rc;
}

void bb__sqlite_flush_discard(bb__sqlite *q)
{
    bb__sqlite_bare_discard(q);
    q->pending = NULL;
    q->pending_tail = &q->pending;
    q->n_lines = 0;
    q->dirty = NULL;
    q->next_order_id = 0;
    q->n_cost_changed = 0;
    q->n_search = 0;
    bb_buf_reset(&q->search_text);
    bb__sqlite_last_discard(q);
}

/* ---- the order cache ---- */

/* Room in the order cache for one more entry: flushes and clears it when full. */
static int order_room(bb__sqlite *q, bb_error *err)
{
    int rc;
    if (!bb__smap_full(&q->orders))
        return 0;
    if ((rc = flush_writes(q, err)) != 0)
        return rc;
    bb__smap_clear(&q->orders);
    q->last_order = NULL;
    return 0;
}

/* The cached state of an order, read from the database on a miss; *out NULL when there is none. */
static int order_find(bb__sqlite *q, const char *ext, bb__order_ent **out, bb_error *err)
{
    size_t n;
    bb__order_ent *e, tmp = {0};
    sqlite3_stmt *st;
    int rc, step;
    /* the lines of an order mostly come one after another */
    if (q->last_order && strcmp(bb__smap_key(&q->orders, q->last_order), ext) == 0) {
        *out = q->last_order;
        return 0;
    }
    n = strlen(ext);
    /* The filter first: a key it has never seen is in neither the table nor the cache (which holds
     * orders read from the table or made here, and those are added to the filter) */
    *out = NULL;
    if (!bb__sqlite_bloom_maybe(q, &q->order_ids, BB__SQ_ORDER_ANY, ext, n))
        return 0; /* a new order: no need to look */
    *out = e = bb__smap_get(&q->orders, ext, n);
    if (e) {
        q->last_order = e;
        return 0;
    }
    if (!(st = bb__sqlite_stmt(q, BB__SQ_ORDER_GET, err)))
        return BB_EDB;
    bb__sqlite_bind_text(st, 1, ext);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        tmp.id = sqlite3_column_int64(st, 0);
        tmp.customer_id = sqlite3_column_int64(st, 1);
        tmp.ordered_at = sqlite3_column_int64(st, 2);
        tmp.amount = sqlite3_column_int64(st, 3);
        tmp.has_margin = sqlite3_column_type(st, 6) != SQLITE_NULL;
        tmp.margin = sqlite3_column_int64(st, 6);
        tmp.from_lines = sqlite3_column_int(st, 7);
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW)
        return step == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "looking up an order");
    /* room first: its lines are read into the cache's memory, which a clear would take */
    if ((rc = order_room(q, err)) != 0 || (rc = order_lines_totals(q, &tmp, err)) != 0)
        return rc;
    if (!(e = bb__smap_add(&q->orders, ext, n)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    *e = tmp;
    *out = q->last_order = e;
    return 0;
}

/* The id of the next order. Orders get their ids here (the write lock is held, so max + 1 is ours)
 * so that pending orders and their lines can be written together later. */
static int next_order_id(bb__sqlite *q, int64_t *id, bb_error *err)
{
    return bb__sqlite_next_id(q, BB__SQ_ORDER_NEXT_ID, &q->next_order_id, id, err);
}

/* The first order a load (BB_STORE_BULK_LOAD) makes: into an empty orders table, the indexes it does
 * not read are built at its end instead (sqlite_defer.c). Nothing of this session waits unwritten
 * (bulk mode began outside a transaction), so the table's own answer is the whole truth. */
static int defer_check(bb__sqlite *q, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_ORDER_ANY, err);
    int step;
    if (!st)
        return BB_EDB;
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return bb__sqlite_err(q, err, "looking at the orders");
    q->defer = 0;
    return step == SQLITE_DONE ? bb__sqlite_defer_start(q, err) : 0;
}

/* A new order's cache entry, with no lines; pending (written at the next flush) or written now. */
static int order_new(bb__sqlite *q, const char *ext, int64_t customer_id, int64_t ordered_at,
                     const char currency[4], bb__order_ent **out, bb_error *err)
{
    bb__order_ent *e;
    int64_t id = 0;
    int rc;
    if ((rc = order_room(q, err)) != 0 || (rc = next_order_id(q, &id, err)) != 0)
        return rc;
    if (q->defer && (rc = defer_check(q, err)) != 0)
        return rc;
    if (!(e = bb__smap_add(&q->orders, ext, strlen(ext))))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    bb__bloom_add(&q->order_ids, ext, strlen(ext));
    bb__sqlite_last_added(q, id);
    e->id = id;
    e->customer_id = customer_id;
    e->ordered_at = ordered_at;
    e->unlisted = 1;
    memcpy(e->currency, currency, 4);
    *out = q->last_order = e;
    return 0;
}

/* ---- orders ---- */

static int order_insert_now(bb__sqlite *q, bb__order_ent *e, const char *channel, int64_t now,
                            bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_ORDER_INSERT, err);
    if (!st)
        return BB_EDB;
    bind_order_row(q, st, 0, e, now);
    bb__sqlite_bind_text(st, 7, channel);
    return bb__sqlite_run(q, st, err, "adding an order");
}

/* Reads the stored currency and channel of an order (copies, freed by the caller). */
static int order_texts(bb__sqlite *q, const char *ext, int64_t *cid, int64_t *at, char **cur,
                       char **channel, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_ORDER_GET, err);
    int step, rc = 0;
    if (!st)
        return BB_EDB;
    bb__sqlite_bind_text(st, 1, ext);
    if ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t4 = (const char *)sqlite3_column_text(st, 4);
        const char *t5 = (const char *)sqlite3_column_text(st, 5);
        *cid = sqlite3_column_int64(st, 1);
        *at = sqlite3_column_int64(st, 2);
        if ((t4 && !(*cur = bb_strdup(t4))) || (t5 && !(*channel = bb_strdup(t5))))
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW)
        rc = bb__sqlite_err(q, err, "reading an order");
    return rc;
}

int bb__sq_put_order(bb_store *s, const bb_order_rec *r, bb_put_result *res, bb_put_stats *stats,
                     bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    bb__order_ent *e, t;
    sqlite3_stmt *st;
    int64_t now = bb__now(), cid, old_cid = 0, old_at = 0, amount, margin;
    int rc, own = 0, has_margin;
    char *old_cur = NULL, *old_channel = NULL;
    const char *cur, *channel;
    *res = BB_PUT_UNCHANGED;
    if (!bb__nz(r->order_id))
        return bb_error_set(err, BB_EINVAL, "order_id is missing");
    if (!bb__nz(r->customer_ref))
        return bb_error_set(err, BB_EINVAL, "customer_id is missing");
    if (r->ordered_at == 0)
        return bb_error_set(err, BB_EINVAL, "ordered_at is missing");
    if ((rc = bb__check_currency(r->currency, err)) != 0)
        return rc;
    if ((rc = bb__sqlite_tx_enter(q, &own, err)) != 0)
        return rc;
    /* A new order is written at once, beside what waits in the write-behind (its id is its own); a
     * known one is read back, so what waits is written first. Flushing for every order made the
     * demo write each order's lines one INSERT at a time. */
    if ((rc = bb__sqlite_resolve_or_create(q, r->customer_ref, r->id_kind, now, &cid, stats, err)) ||
        (rc = order_find(q, r->order_id, &e, err)))
        goto leave;
    if (!e) {
        if ((rc = order_new(q, r->order_id, cid, r->ordered_at,
                            r->currency[0] ? r->currency : q->currency, &e, err)) != 0)
            goto leave;
        e->from_lines = !r->has_amount;
        e->amount = r->has_amount ? r->amount_minor : 0;
        *res = BB_PUT_INSERTED;
        bb__sqlite_view_stale(q, cid);
        if (!bb__nz(r->channel) || strlen(r->channel) < sizeof e->channel) {
            /* written at the next flush with the orders waiting there, 32 per INSERT (demo 60k:
             * one INSERT per order was 17% of the processor time) */
            snprintf(e->channel, sizeof e->channel, "%s", r->channel ? r->channel : "");
            e->pending = 1;
            *q->pending_tail = e;
            q->pending_tail = &e->next_pending;
        } else if ((rc = order_insert_now(q, e, bb__nz(r->channel), now, err)) != 0)
            *res = BB_PUT_UNCHANGED;
        goto leave;
    }
    if ((rc = flush_writes(q, err)) != 0 ||
        (rc = order_texts(q, r->order_id, &old_cid, &old_at, &old_cur, &old_channel, err)) != 0)
        goto leave;
    cur = r->currency[0] ? r->currency : old_cur ? old_cur : q->currency;
    channel = bb__nz(r->channel) ? r->channel : old_channel;
    /* After the flush, e holds what is stored; t is what the record makes of it. */
    t = *e;
    t.from_lines = !r->has_amount;
    if (r->has_amount)
        t.amount = r->amount_minor;
    order_target(&t, &amount, &has_margin, &margin);
    if (old_cid == cid && old_at == r->ordered_at && bb__same(cur, old_cur) &&
        bb__same(channel, old_channel) && t.from_lines == e->from_lines && amount == e->amount &&
        has_margin == e->has_margin && (!has_margin || margin == e->margin))
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
    bind_opt(st, 7, has_margin, margin);
    sqlite3_bind_int(st, 8, t.from_lines);
    sqlite3_bind_int64(st, 9, now);
    if ((rc = bb__sqlite_run(q, st, err, "updating an order")) != 0)
        goto leave;
    e->amount = amount, e->has_margin = has_margin, e->margin = margin, e->customer_id = cid;
    e->from_lines = t.from_lines, e->ordered_at = r->ordered_at;
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
    bb__sqlite_view_stale(q, old_cid);
    bb__sqlite_view_stale(q, cid);
    bb__sqlite_last_recheck(q, old_cid);
    bb__sqlite_last_recheck(q, cid);
leave:
    bb_free(old_cur);
    bb_free(old_channel);
    return bb__sqlite_tx_leave(q, own, rc, 1, err);
}

/* ---- order lines ---- */

static void add_to_totals(bb__order_ent *e, double qty, int64_t unit, const bb__product_ent *p, int sign)
{
    e->n_lines += sign;
    e->lines_total += sign * bb__line_total(qty, unit);
    if (p->has_cost)
        e->lines_cost += sign * bb__line_total(qty, p->cost);
    else
        e->missing_cost += sign;
}

/* A line the order is known not to have: into the buffer (or straight in when the order's row is
 * written and the buffer is full). */
static int line_buffer(bb__sqlite *q, bb__order_ent *e, const bb_order_line_rec *r,
                       const bb__product_ent *p, bb_error *err)
{
    bb__line *l;
    int rc;
    if (q->n_lines == BB__LINE_BUF && (rc = flush_writes_(q, !q->bulk, err)) != 0)
        return rc;
    bb__known_line k = {r->line_no, p->id, r->unit_price_minor, r->quantity};
    if (e->unlisted)
        e->max_line = r->line_no; /* above the last: the caller checked */
    else if (known_add(q, e, &k) != 0)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    l = &q->lines[q->n_lines++];
    l->order_id = e->id;
    l->customer_id = e->customer_id;
    l->product_id = p->id;
    l->unit_minor = r->unit_price_minor;
    l->quantity = r->quantity;
    l->line_no = r->line_no;
    add_to_totals(e, r->quantity, r->unit_price_minor, p, 1);
    mark_dirty(q, e);
    return 0;
}

/* An unlisted order's lines, read back (after writing what waits) to compare a line numbered at or
 * below its highest. */
static int order_list(bb__sqlite *q, bb__order_ent *e, bb_error *err)
{
    int rc;
    if ((rc = flush_writes(q, err)) != 0 || (rc = order_lines_totals(q, e, err)) != 0)
        return rc;
    e->unlisted = 0;
    return 0;
}

/* A known line that differs: rewritten at once (after the buffer, where it may wait); the order's
 * totals are counted again at the flush. */
static int line_update(bb__sqlite *q, bb__order_ent *e, long k, const bb_order_line_rec *r,
                       const bb__product_ent *p, bb_error *err)
{
    sqlite3_stmt *st;
    int rc;
    if ((rc = flush_writes(q, err)) != 0 || !(st = bb__sqlite_stmt(q, BB__SQ_LINE_UPDATE, err)))
        return rc ? rc : BB_EDB;
    sqlite3_bind_int64(st, 1, e->id);
    sqlite3_bind_int(st, 2, r->line_no);
    sqlite3_bind_int64(st, 3, p->id);
    sqlite3_bind_double(st, 4, r->quantity);
    sqlite3_bind_int64(st, 5, r->unit_price_minor);
    if ((rc = bb__sqlite_run(q, st, err, "updating an order line")) != 0)
        return rc;
    e->known[k].product_id = p->id;
    e->known[k].quantity = r->quantity;
    e->known[k].unit_minor = r->unit_price_minor;
    e->stale = 1;
    mark_dirty(q, e);
    return 0;
}

void bb__sq_hint_order_line(bb_store *s, const bb_order_line_rec *r)
{
    bb__sqlite *q = (bb__sqlite *)s;
    size_t n;
    if (!r->order_id || (q->last_order && strcmp(bb__smap_key(&q->orders, q->last_order), r->order_id) == 0))
        return;
    n = strlen(r->order_id);
    bb__bloom_prefetch(&q->order_ids, r->order_id, n);
    bb__smap_prefetch(&q->orders, r->order_id, n);
    bb__sqlite_resolve_prefetch(q, r->customer_ref, r->id_kind); /* a new order resolves its customer */
}

int bb__sq_put_order_line(bb_store *s, const bb_order_line_rec *r, bb_put_result *res,
                          bb_put_stats *stats, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    bb__order_ent *e;
    bb__product_ent p;
    int64_t now = bb__now(), cid;
    int rc, own = 0, wrote = 0;
    long k = -1;
    *res = BB_PUT_UNCHANGED;
    if (!bb__nz(r->order_id))
        return bb_error_set(err, BB_EINVAL, "order_id is missing");
    if (!bb__nz(r->sku))
        return bb_error_set(err, BB_EINVAL, "sku is missing");
    if (r->line_no < 1)
        return bb_error_set(err, BB_EINVAL, "line number %d: lines are numbered from 1", r->line_no);
    if (!isfinite(r->quantity))
        return bb_error_set(err, BB_EINVAL, "quantity is not a finite number");
    if (fabs(r->quantity) * fabs((double)r->unit_price_minor) > 9e15)
        return bb_error_set(err, BB_EINVAL, "quantity * unit_price is too large");
    if ((rc = bb__check_currency(r->currency, err)) != 0)
        return rc;
    if ((rc = bb__sqlite_tx_enter(q, &own, err)) != 0)
        return rc;
    if ((rc = order_find(q, r->order_id, &e, err)) != 0)
        goto leave;
    if (!e) {
        if (!bb__nz(r->customer_ref)) {
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
            (rc = order_new(q, r->order_id, cid, r->ordered_at,
                            r->currency[0] ? r->currency : q->currency, &e, err)))
            goto leave;
        e->from_lines = 1;
        e->pending = 1;
        *q->pending_tail = e;
        q->pending_tail = &e->next_pending;
        if (stats)
            stats->orders_created++;
    }
    wrote = 1;
    if ((rc = bb__sqlite_product_find(q, r->sku, 1, now, &p, stats, err)) != 0)
        goto leave;
    if (e->unlisted && r->line_no <= e->max_line && (rc = order_list(q, e, err)) != 0)
        goto leave;
    if (e->unlisted || (k = known_find(e, r->line_no)) < 0) {
        if ((rc = line_buffer(q, e, r, &p, err)) == 0)
            *res = BB_PUT_INSERTED;
    } else if (e->known[k].product_id != p.id || e->known[k].quantity != r->quantity ||
               e->known[k].unit_minor != r->unit_price_minor) {
        if ((rc = line_update(q, e, k, r, &p, err)) == 0)
            *res = BB_PUT_UPDATED;
    }
    if (*res != BB_PUT_UNCHANGED)
        bb__sqlite_view_stale(q, e->customer_id);
leave:
    return bb__sqlite_tx_leave(q, own, rc, wrote, err);
}
