/* sqlite_bare.c: bare customers made in bulk mode wait in memory with their identifiers and are
 * written together at the next flush (sqlite_db.h): placed in the search order a run at a time, 32
 * rows per INSERT, identifiers 64 per INSERT, search texts queued for the index in rank order. Their
 * ids are given here (the write lock is held, so max + 1 is ours), as orders' are. At a flush that
 * wrote the orders first (bb__sqlite_flush), a row carries its latest purchase (sqlite_last.c), so it
 * is not updated right after. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_db.h"

_Static_assert(BB__BARE_BUF < (1 << 20), "a run of waiting customers fits in a spread gap (sqlite_rank.c)");

static int add_text(bb__sqlite *q, const char *s, size_t n, size_t *off)
{
    *off = q->bare_text.len;
    if (bb_buf_add(&q->bare_text, s, n) != 0 || bb_buf_addc(&q->bare_text, '\0') != 0)
        return BB_ENOMEM;
    return 0;
}

static int add_opt(bb__sqlite *q, const char *s, size_t *off)
{
    if (!s) {
        *off = SIZE_MAX;
        return 0;
    }
    return add_text(q, s, strlen(s), off);
}

static const char *text_at(const bb__sqlite *q, size_t off)
{
    return off == SIZE_MAX ? NULL : q->bare_text.data + off;
}

int bb__sqlite_bare_add(bb__sqlite *q, const char *ext, const char *email, const char *phone,
                        const char *text, const void *key, size_t key_len, int64_t *id, bb_error *err)
{
    bb__bare *b;
    int rc;
    /* each registers four identifiers at most (bare_keys holds 8 * BB__BARE_BUF) */
    if ((q->n_bare == BB__BARE_BUF || q->n_bare_ids >= (size_t)4 * BB__BARE_BUF) &&
        (rc = bb__sqlite_bare_flush(q, err)) != 0)
        return rc;
    void *grown = bb_grow(q->bare, &q->cap_bare, q->n_bare, sizeof *q->bare, 1024);
    if (!grown)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    q->bare = grown;
    b = &q->bare[q->n_bare];
    if ((rc = bb__sqlite_next_id(q, BB__SQ_CUST_NEXT_ID, &q->next_cust_id, &b->id, err)) != 0)
        return rc;
    b->rank = 0;
    b->key_len = key_len;
    if (add_opt(q, ext, &b->ext) || add_opt(q, email, &b->email) || add_opt(q, phone, &b->phone) ||
        add_opt(q, text ? text : "", &b->text) || add_text(q, key_len ? key : "", key_len, &b->key))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    q->n_bare++;
    *id = b->id;
    return 0;
}

static const char *ident_key(bb__sqlite *q, const char *kind, const char *value, size_t *len)
{
    bb_buf_reset(&q->scratch);
    if (bb_buf_adds(&q->scratch, kind) || bb_buf_addc(&q->scratch, '\x1f') || bb_buf_adds(&q->scratch, value))
        return NULL;
    *len = q->scratch.len;
    return q->scratch.data;
}

int bb__sqlite_bare_ident(bb__sqlite *q, const char *kind, const char *value, int64_t id, bb_error *err)
{
    size_t klen;
    const char *key = ident_key(q, kind, value, &klen);
    bb__bare_ident *b;
    int64_t *v;
    if (!key)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    if (bb__smap_get(&q->bare_keys, key, klen))
        return 0; /* a waiting customer has it: the first keeps it, as stored ones do */
    if (!(v = bb__smap_add(&q->bare_keys, key, klen)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    *v = id;
    bb__bloom_add(&q->ident_keys, key, klen);
    void *grown = bb_grow(q->bare_ids, &q->cap_bare_ids, q->n_bare_ids, sizeof *q->bare_ids, 1024);
    if (!grown)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    q->bare_ids = grown;
    b = &q->bare_ids[q->n_bare_ids];
    b->customer_id = id;
    if (add_opt(q, kind, &b->kind) || add_opt(q, value, &b->value))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    q->n_bare_ids++;
    return 0;
}

int bb__sqlite_bare_has(const bb__sqlite *q, const char *key, size_t klen)
{
    return q->n_bare_ids && bb__smap_get(&q->bare_keys, key, klen) != NULL;
}

static int by_key(const void *x, const void *y)
{
    const bb__rank_item *a = x, *b = y;
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(a->key, b->key, n);
    if (c == 0)
        c = (a->key_len > b->key_len) - (a->key_len < b->key_len);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* The rows in the search order (it): their sort key and rank indexes, and the external id's (the sort
 * key of a bare customer is its external id), are then written in order. */
static int write_rows(bb__sqlite *q, const bb__rank_item *it, int64_t now, bb_error *err)
{
    size_t i = 0;
    int rc;
    while (i < q->n_bare) {
        int many = q->n_bare - i >= BB__BARE_PER_INSERT, n = many ? BB__BARE_PER_INSERT : 1;
        sqlite3_stmt *st = bb__sqlite_stmt(q, many ? BB__SQ_BARE_INSERT_MANY : BB__SQ_BARE_INSERT, err);
        if (!st)
            return BB_EDB;
        for (int k = 0; k < n; k++) {
            const bb__bare *b = &q->bare[it[i + (size_t)k].at];
            int p = 11 * k;
            int64_t at, oid;
            sqlite3_bind_int64(st, p + 1, b->id);
            bb__sqlite_bind_text(st, p + 2, text_at(q, b->ext));
            bb__sqlite_bind_text(st, p + 3, text_at(q, b->email));
            bb__sqlite_bind_text(st, p + 4, text_at(q, b->phone));
            bb__sqlite_bind_text(st, p + 5, text_at(q, b->text));
            sqlite3_bind_blob(st, p + 6, text_at(q, b->key), (int)b->key_len, SQLITE_STATIC);
            sqlite3_bind_int64(st, p + 7, now);
            sqlite3_bind_int64(st, p + 8, now);
            sqlite3_bind_int64(st, p + 9, b->rank);
            if (bb__sqlite_last_take(q, b->id, &at, &oid)) { /* its latest purchase, when collected */
                sqlite3_bind_int64(st, p + 10, at);
                sqlite3_bind_int64(st, p + 11, oid);
            } else {
                sqlite3_bind_null(st, p + 10);
                sqlite3_bind_null(st, p + 11);
            }
        }
        if ((rc = bb__sqlite_run(q, st, err, "adding customers")) != 0)
            return rc;
        i += (size_t)n;
    }
    return 0;
}

typedef struct ident_at {
    const char *kind, *value;
    size_t at;
} ident_at;

static int by_ident(const void *x, const void *y)
{
    const ident_at *a = x, *b = y;
    int c = strcmp(a->kind, b->kind);
    if (c == 0)
        c = strcmp(a->value, b->value);
    return c ? c : (a->at > b->at) - (a->at < b->at);
}

static int write_ident_rows(bb__sqlite *q, const ident_at *order, int64_t now, bb_error *err)
{
    size_t i = 0;
    int rc;
    while (i < q->n_bare_ids) {
        int many = q->n_bare_ids - i >= BB__IDENTS_PER_INSERT, n = many ? BB__IDENTS_PER_INSERT : 1;
        sqlite3_stmt *st = bb__sqlite_stmt(q, many ? BB__SQ_IDENT_ADD_MANY : BB__SQ_IDENT_ADD_ONE, err);
        if (!st)
            return BB_EDB;
        for (int k = 0; k < n; k++) {
            const bb__bare_ident *b = &q->bare_ids[order[i + (size_t)k].at];
            int p = 4 * k;
            bb__sqlite_bind_text(st, p + 1, text_at(q, b->kind));
            bb__sqlite_bind_text(st, p + 2, text_at(q, b->value));
            sqlite3_bind_int64(st, p + 3, b->customer_id);
            sqlite3_bind_int64(st, p + 4, now);
        }
        if ((rc = bb__sqlite_run(q, st, err, "registering identifiers")) != 0)
            return rc;
        i += (size_t)n;
    }
    return 0;
}

/* In (kind, value) order, so the primary key is written in order; an identifier registered twice
 * (not possible through bb__sqlite_bare_ident, which keeps the first) would keep the first. */
static int write_idents(bb__sqlite *q, int64_t now, bb_error *err)
{
    int rc;
    ident_at *order = malloc((q->n_bare_ids ? q->n_bare_ids : 1) * sizeof *order);
    if (!order)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    for (size_t k = 0; k < q->n_bare_ids; k++)
        order[k] = (ident_at){text_at(q, q->bare_ids[k].kind), text_at(q, q->bare_ids[k].value), k};
    qsort(order, q->n_bare_ids, sizeof *order, by_ident);
    rc = write_ident_rows(q, order, now, err);
    free(order);
    return rc;
}

int bb__sqlite_bare_flush(bb__sqlite *q, bb_error *err)
{
    bb__rank_item *it;
    int64_t now;
    int rc;
    if (q->n_bare == 0 && q->n_bare_ids == 0)
        return 0;
    if (!(it = malloc((q->n_bare ? q->n_bare : 1) * sizeof *it)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    for (size_t i = 0; i < q->n_bare; i++)
        it[i] = (bb__rank_item){text_at(q, q->bare[i].key), q->bare[i].key_len, q->bare[i].id, 0, i};
    qsort(it, q->n_bare, sizeof *it, by_key);
    rc = bb__sqlite_rank_many(q, it, q->n_bare, err);
    for (size_t i = 0; rc == 0 && i < q->n_bare; i++)
        q->bare[it[i].at].rank = it[i].rank;
    now = bb__now();
    if (rc == 0 && (rc = write_rows(q, it, now, err)) == 0)
        rc = write_idents(q, now, err);
    /* the search texts, queued in rank order (the index takes each batch in rank order, and a rank
     * lower than the last makes FTS5 write out what it holds) */
    for (size_t i = 0; rc == 0 && i < q->n_bare; i++)
        rc = bb__sqlite_search_index(q, 0, NULL, it[i].rank, text_at(q, q->bare[it[i].at].text), err);
    free(it);
    if (rc != 0 && q->tx_depth > 0)
        q->tx_failed = 1; /* half written */
    bb__sqlite_bare_discard(q);
    return rc;
}

void bb__sqlite_bare_discard(bb__sqlite *q)
{
    q->n_bare = q->n_bare_ids = 0;
    q->next_cust_id = 0;
    bb_buf_reset(&q->bare_text);
    bb__smap_clear(&q->bare_keys);
}

void bb__sqlite_bare_release(bb__sqlite *q)
{
    bb__sqlite_bare_discard(q);
    free(q->bare);
    free(q->bare_ids);
    q->bare = NULL;
    q->bare_ids = NULL;
    q->cap_bare = q->cap_bare_ids = 0;
    bb_buf_release(&q->bare_text);
    bb__smap_release(&q->bare_keys);
}
