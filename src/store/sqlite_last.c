/* sqlite_last.c: each customer's latest purchase, stored (migration 0008): customer.last_order_at and
 * last_order_id hold the greatest (ordered_at, id) of the customer's orders that are not returns
 * (amount >= 0), NULL for none, and customer_score holds a copy for the segment's index. The customer
 * list sorted by latest purchase walks them (sqlite_search.c).
 *
 * They are kept true at every flush (which every read and every commit runs), in the write transaction
 * that changed the orders. New orders cost nothing per row: the flush reads the orders numbered from
 * the first one made since the last flush (their ids grow) by rowid and updates each of their customers
 * once; it reads no other order, so it needs no index by customer (a bulk load may drop it). The rare
 * writes that can lower a latest purchase leave a mark: an order moved to another customer or re-dated
 * (its customers are recomputed), an order whose total crossed zero (a return that became a purchase
 * raises; a purchase that became a return recomputes only when it was the latest), a merge. */
#include <stdlib.h>

#include "store/sqlite_db.h"

enum { MARK_RECHECK, MARK_RAISE, MARK_DROP };

static void mark(bb__sqlite *q, int kind, int64_t customer_id, int64_t order_id, int64_t at)
{
    bb__last_mark *m;
    if (q->last_all)
        return;
    if (!(m = bb_grow(q->last_marks, &q->cap_last_marks, q->n_last_marks, sizeof *m, 64))) {
        q->last_all = 1; /* out of memory: every customer is recomputed instead */
        return;
    }
    q->last_marks = m;
    m[q->n_last_marks++] = (bb__last_mark){.kind = kind, .customer_id = customer_id, .order_id = order_id, .at = at};
}

void bb__sqlite_last_recheck(bb__sqlite *q, int64_t customer_id)
{
    if (customer_id > 0)
        mark(q, MARK_RECHECK, customer_id, 0, 0);
}

void bb__sqlite_last_amount(bb__sqlite *q, int64_t customer_id, int64_t order_id, int64_t ordered_at, int64_t was,
                            int64_t now)
{
    if ((was >= 0) != (now >= 0))
        mark(q, now >= 0 ? MARK_RAISE : MARK_DROP, customer_id, order_id, ordered_at);
}

void bb__sqlite_last_discard(bb__sqlite *q)
{
    q->n_last_best = 0;
    q->last_collected = 0;
    q->last_from = 0;
    q->n_last_marks = 0;
    q->last_all = 0;
}

void bb__sqlite_last_release(bb__sqlite *q)
{
    free(q->last_marks);
    q->last_marks = NULL;
    free(q->last_best);
    q->last_best = NULL;
    q->cap_last_best = 0;
    q->n_last_marks = q->cap_last_marks = 0;
}

/* ---- the flush ---- */

/* Binds (customer id, latest purchase's time and order id, or NULLs when it has none). */
static void bind_last(sqlite3_stmt *st, int64_t id, int has, int64_t at, int64_t oid)
{
    sqlite3_bind_int64(st, 1, id);
    if (has) {
        sqlite3_bind_int64(st, 2, at);
        sqlite3_bind_int64(st, 3, oid);
    } else {
        sqlite3_bind_null(st, 2);
        sqlite3_bind_null(st, 3);
    }
}

typedef struct fold {
    int scores; /* customer_score has rows: -1 not looked at yet */
} fold;

/* Copies a customer's new latest purchase into its score row, when scores exist. */
static int score_sync(bb__sqlite *q, fold *f, int64_t id, int has, int64_t at, int64_t oid, bb_error *err)
{
    sqlite3_stmt *st;
    if (f->scores < 0) {
        if (!(st = bb__sqlite_stmt(q, BB__SQ_LAST_SCORES_ANY, err)))
            return BB_EDB;
        f->scores = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
    }
    if (!f->scores)
        return 0;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_LAST_SCORE_SET, err)))
        return BB_EDB;
    bind_last(st, id, has, at, oid);
    return bb__sqlite_run(q, st, err, "copying a latest purchase to its score");
}

/* Sets a customer's latest purchase (has 0: none) with statement which (LAST_SET: when it differs;
 * LAST_RAISE: when later); *changed when it was. */
static int set_last(bb__sqlite *q, enum bb__sq which, int64_t id, int has, int64_t at, int64_t oid, int *changed,
                    bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, which, err);
    int rc;
    if (!st)
        return BB_EDB;
    bind_last(st, id, has, at, oid);
    rc = bb__sqlite_run(q, st, err, "storing a latest purchase");
    *changed = rc == 0 && sqlite3_changes(q->db) > 0;
    return rc;
}

/* By customer, then the latest first. */
static int by_customer(const void *pa, const void *pb)
{
    const bb__last_best *a = pa, *b = pb;
    if (a->customer_id != b->customer_id)
        return a->customer_id < b->customer_id ? -1 : 1;
    if (a->at != b->at)
        return a->at > b->at ? -1 : 1;
    return a->order_id > b->order_id ? -1 : a->order_id < b->order_id;
}

/* Each customer's best of c[0..n), in customer order, into c (returns how many) when the customers'
 * ids are dense (a bulk load's new customers are numbered one after another): one slot per id instead
 * of a sort (import of 1M lines: 200k orders, the sort was 3% of the writing thread). 0 when they are
 * not, or out of memory: the caller sorts. */
static size_t best_dense(bb__last_best *c, size_t n)
{
    int64_t lo = c[0].customer_id, hi = lo;
    bb__last_best *slot;
    size_t k = 0, span;
    for (size_t i = 1; i < n; i++) {
        lo = c[i].customer_id < lo ? c[i].customer_id : lo;
        hi = c[i].customer_id > hi ? c[i].customer_id : hi;
    }
    if (lo < 1 || (uint64_t)(hi - lo) >= (uint64_t)4 * n + 4096)
        return 0;
    span = (size_t)(hi - lo) + 1;
    if (!(slot = calloc(span, sizeof *slot)))
        return 0;
    for (size_t i = 0; i < n; i++) {
        bb__last_best *s = &slot[c[i].customer_id - lo];
        if (!s->customer_id || by_customer(&c[i], s) < 0) /* ids are >= 1: 0 is an empty slot */
            *s = c[i];
    }
    for (size_t j = 0; j < span; j++)
        if (slot[j].customer_id)
            c[k++] = slot[j];
    free(slot);
    return k;
}

/* The orders numbered from q->last_from, each customer's best of them kept (q->last_best, by customer).
 * They are read in id order and sorted here (SQL's window function over them cost three times as
 * much). */
int bb__sqlite_last_collect(bb__sqlite *q, bb_error *err)
{
    sqlite3_stmt *st;
    size_t n = 0, k = 0;
    int rc = 0, step;
    if (q->last_collected || !q->last_from)
        return 0;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_LAST_NEW, err)))
        return BB_EDB;
    sqlite3_bind_int64(st, 1, q->last_from);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        void *g = bb_grow(q->last_best, &q->cap_last_best, n, sizeof *q->last_best, 1024);
        if (!g) {
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
            break;
        }
        q->last_best = g;
        q->last_best[n++] = (bb__last_best){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                            sqlite3_column_int64(st, 2), 0};
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "reading new orders");
    sqlite3_reset(st);
    if (rc != 0)
        return rc;
    if (n > 1 && (k = best_dense(q->last_best, n)) != 0) {
        q->n_last_best = k;
        q->last_collected = 1;
        return 0;
    }
    if (n > 1)
        qsort(q->last_best, n, sizeof *q->last_best, by_customer);
    for (size_t i = 0; i < n; i++) /* the first of each customer is its best */
        if (i == 0 || q->last_best[i].customer_id != q->last_best[i - 1].customer_id)
            q->last_best[k++] = q->last_best[i];
    q->n_last_best = k;
    q->last_collected = 1;
    return 0;
}

static int by_id(const void *key, const void *elem)
{
    int64_t id = *(const int64_t *)key, other = ((const bb__last_best *)elem)->customer_id;
    return (id > other) - (id < other);
}

int bb__sqlite_last_take(bb__sqlite *q, int64_t customer_id, int64_t *at, int64_t *order_id)
{
    bb__last_best *b;
    if (!q->last_collected || q->last_all || q->n_last_best == 0 ||
        !(b = bsearch(&customer_id, q->last_best, q->n_last_best, sizeof *b, by_id)))
        return 0;
    b->taken = 1;
    *at = b->at;
    *order_id = b->order_id;
    return 1;
}

/* The new orders folded in: each customer's best of them replaces its latest purchase when later
 * (but the customers written with theirs). */
static int fold_new(bb__sqlite *q, fold *f, bb_error *err)
{
    int rc = bb__sqlite_last_collect(q, err);
    for (size_t i = 0; rc == 0 && i < q->n_last_best; i++) {
        const bb__last_best *c = &q->last_best[i];
        int changed;
        if (c->taken)
            continue;
        if ((rc = set_last(q, BB__SQ_LAST_RAISE, c->customer_id, 1, c->at, c->order_id, &changed, err)) == 0 &&
            changed)
            rc = score_sync(q, f, c->customer_id, 1, c->at, c->order_id, err);
    }
    return rc;
}

/* A customer's latest purchase computed again from its orders; its score row copied unconditionally
 * (a merge may have moved another customer's row to it). */
static int recheck(bb__sqlite *q, fold *f, int64_t id, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_LAST_TOP, err);
    int64_t at = 0, oid = 0;
    int has = 0, step, changed, rc;
    if (!st)
        return BB_EDB;
    sqlite3_bind_int64(st, 1, id);
    if ((step = sqlite3_step(st)) == SQLITE_ROW) {
        has = 1;
        at = sqlite3_column_int64(st, 0);
        oid = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return bb__sqlite_err(q, err, "reading a customer's latest purchase");
    if ((rc = set_last(q, BB__SQ_LAST_SET, id, has, at, oid, &changed, err)) != 0)
        return rc;
    return score_sync(q, f, id, has, at, oid, err);
}

/* A purchase that became a return: recomputed only when it was the customer's latest. */
static int drop(bb__sqlite *q, fold *f, const bb__last_mark *m, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_LAST_OF, err);
    int step, was;
    if (!st)
        return BB_EDB;
    sqlite3_bind_int64(st, 1, m->customer_id);
    step = sqlite3_step(st);
    was = step == SQLITE_ROW && sqlite3_column_int64(st, 0) == m->order_id;
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return bb__sqlite_err(q, err, "reading a customer's latest purchase");
    return was ? recheck(q, f, m->customer_id, err) : 0;
}

static int recompute_all(bb__sqlite *q, bb_error *err)
{
    return bb__sqlite_exec(
        q,
        "UPDATE OR FAIL customer SET last_order_at = (SELECT o.ordered_at FROM orders o WHERE o.customer_id = customer.id"
        " AND o.amount_minor >= 0 ORDER BY o.ordered_at DESC, o.id DESC LIMIT 1), last_order_id = (SELECT o.id FROM"
        " orders o WHERE o.customer_id = customer.id AND o.amount_minor >= 0 ORDER BY o.ordered_at DESC, o.id DESC"
        " LIMIT 1);"
        " UPDATE OR FAIL customer_score SET last_order_at = c.last_order_at, last_order_id = c.last_order_id FROM"
        " customer c WHERE c.id = customer_score.customer_id AND (customer_score.last_order_at,"
        " customer_score.last_order_id) IS NOT (c.last_order_at, c.last_order_id)",
        err);
}

int bb__sqlite_last_flush(bb__sqlite *q, bb_error *err)
{
    fold f = {.scores = -1};
    int rc = 0;
    if (q->last_all) {
        rc = recompute_all(q, err);
    } else {
        if (q->last_from)
            rc = fold_new(q, &f, err);
        for (size_t i = 0; rc == 0 && i < q->n_last_marks; i++) {
            const bb__last_mark *m = &q->last_marks[i];
            int changed;
            if (m->kind == MARK_RECHECK)
                rc = recheck(q, &f, m->customer_id, err);
            else if (m->kind == MARK_DROP)
                rc = drop(q, &f, m, err);
            else if ((rc = set_last(q, BB__SQ_LAST_RAISE, m->customer_id, 1, m->at, m->order_id, &changed, err)) ==
                         0 &&
                     changed)
                rc = score_sync(q, &f, m->customer_id, 1, m->at, m->order_id, err);
        }
    }
    if (rc == 0)
        bb__sqlite_last_discard(q);
    return rc;
}
