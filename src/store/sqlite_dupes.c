/* sqlite_dupes.c: likely duplicate customers in the SQLite backend. Three kinds of evidence, best
 * first: the same normalised email, the same normalised phone (both found through their indexes), and
 * similar names. Names are compared only within a block of customers sharing the folded last name and
 * first initial (customer.name_key, indexed), so the work grows with the square of a block, not of the
 * whole table; within a block a pair counts when the Jaro-Winkler similarity of the folded full names
 * is at least NAME_MIN and nothing tells them apart: not the city, not the birth date, and not an email
 * and a phone of their own each (common names are shared by many people; measured on the demo's 100,000
 * customers, name-only pairs of people with their own contacts were all different people). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_read.h"

enum { BLOCK_MAX = 5000 }; /* larger blocks are names too common to judge by name alone */
static const double NAME_MIN = 0.92;

typedef struct emit {
    bb_store_duplicate_fn fn;
    void *ctx;
    size_t limit, sent;
} emit;

/* Sends a pair; 1 when the limit is reached or the callback stops, < 0 on its error. */
static int send(emit *e, const bb_duplicate *d)
{
    int r = bb__cb_result(e->fn(e->ctx, d));
    if (r)
        return r;
    e->sent++;
    return e->limit && e->sent >= e->limit ? 1 : 0;
}

/* ---- same email, same phone ---- */

static int contact_pairs(bb__sqlite *q, int phone, emit *e, bb_error *err)
{
    static const char *const sql[2] = {
        "SELECT a.id, b.id, a.external_id, b.external_id,"
        " trim(coalesce(a.first_name, '') || ' ' || coalesce(a.last_name, '')),"
        " trim(coalesce(b.first_name, '') || ' ' || coalesce(b.last_name, '')),"
        " a.phone IS NOT NULL AND a.phone = b.phone"
        " FROM customer a JOIN customer b ON b.email = a.email AND b.id > a.id"
        " AND b.email IS NOT NULL AND b.merged_into IS NULL"
        " WHERE a.email IS NOT NULL AND a.merged_into IS NULL ORDER BY a.email, a.id, b.id",
        "SELECT a.id, b.id, a.external_id, b.external_id,"
        " trim(coalesce(a.first_name, '') || ' ' || coalesce(a.last_name, '')),"
        " trim(coalesce(b.first_name, '') || ' ' || coalesce(b.last_name, '')), 0"
        " FROM customer a JOIN customer b ON b.phone = a.phone AND b.id > a.id"
        " AND b.phone IS NOT NULL AND b.merged_into IS NULL"
        " WHERE a.phone IS NOT NULL AND a.merged_into IS NULL AND (a.email IS NULL OR b.email IS NULL"
        " OR a.email != b.email) ORDER BY a.phone, a.id, b.id",
    };
    sqlite3_stmt *st = NULL;
    int rc = 0, step;
    if (sqlite3_prepare_v2(q->db, sql[phone], -1, &st, NULL) != SQLITE_OK)
        return bb__sqlite_err(q, err, "preparing the duplicate search");
    while ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        int both = sqlite3_column_int(st, 6);
        bb_duplicate d = {
            .a = sqlite3_column_int64(st, 0),
            .b = sqlite3_column_int64(st, 1),
            .a_ref = bb__col(st, 2),
            .b_ref = bb__col(st, 3),
            .a_name = bb__col(st, 4),
            .b_name = bb__col(st, 5),
            .reason = phone ? "same phone" : both ? "same email and phone" : "same email",
            .score = phone ? 0.95 : 1.0,
        };
        if ((rc = send(e, &d)) != 0)
            break;
    }
    if (rc == 0 && step < 0)
        rc = step;
    sqlite3_finalize(st);
    return rc;
}

/* ---- similar names ---- */

typedef struct member {
    int64_t id;
    size_t ref, name, folded, city, birth, email, phone; /* offsets in the block's text, or NONE */
} member;

#define NONE ((size_t)-1)

typedef struct block {
    member *m;
    size_t n, cap;
    bb_buf text;
    char key[512];
} block;

/* A pair kept for sorting (names are copied). */
typedef struct cand {
    double score;
    int64_t a, b;
    char *a_ref, *b_ref, *a_name, *b_name;
    const char *reason;
} cand;

typedef struct cands {
    cand *c;
    size_t n, cap, keep; /* keep: how many of the best to keep (0: all) */
} cands;

static const char *at(const block *b, size_t off)
{
    return off == NONE ? NULL : b->text.data + off;
}

static int add_text(block *b, const char *s, size_t *off)
{
    *off = NONE;
    if (!s || !*s)
        return 0;
    *off = b->text.len;
    return bb_buf_add(&b->text, s, strlen(s) + 1);
}

static int add_member(block *b, sqlite3_stmt *st)
{
    member *m;
    bb_buf full;
    int rc;
    if (b->n == b->cap) {
        member *p = realloc(b->m, (b->cap = b->cap ? 2 * b->cap : 64) * sizeof *p);
        if (!p)
            return BB_ENOMEM;
        b->m = p;
    }
    m = &b->m[b->n++];
    m->id = sqlite3_column_int64(st, 0);
    bb_buf_init(&full, 0);
    if ((rc = add_text(b, bb__col(st, 1), &m->ref)) || (rc = add_text(b, bb__col(st, 2), &m->name)) ||
        (rc = bb_text_fold(bb__col(st, 2) ? bb__col(st, 2) : "", (size_t)-1, &full)) ||
        (rc = add_text(b, full.data ? full.data : "", &m->folded)))
        goto done;
    bb_buf_reset(&full);
    if ((rc = bb_text_fold(bb__col(st, 3) ? bb__col(st, 3) : "", (size_t)-1, &full)) ||
        (rc = add_text(b, full.data, &m->city)) || (rc = add_text(b, bb__col(st, 4), &m->birth)) ||
        (rc = add_text(b, bb__col(st, 5), &m->email)) || (rc = add_text(b, bb__col(st, 6), &m->phone)))
        goto done;
done:
    bb_buf_release(&full);
    return rc;
}

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->a < b->a ? -1 : a->a > b->a ? 1 : (a->b > b->b) - (a->b < b->b);
}

static void cand_free(cand *c)
{
    free(c->a_ref);
    free(c->b_ref);
    free(c->a_name);
    free(c->b_name);
}

/* Keeps the best `keep` candidates: when the array is twice that, sort and drop the worse half. */
static int keep_cand(cands *cs, const block *b, const member *x, const member *y, double score,
                     const char *reason)
{
    cand *c;
    if (cs->n == cs->cap) {
        cand *p = realloc(cs->c, (cs->cap = cs->cap ? 2 * cs->cap : 256) * sizeof *p);
        if (!p)
            return BB_ENOMEM;
        cs->c = p;
    }
    c = &cs->c[cs->n++];
    *c = (cand){score, x->id, y->id, bb_strdup(at(b, x->ref)), bb_strdup(at(b, y->ref)),
                bb_strdup(at(b, x->name) ? at(b, x->name) : ""),
                bb_strdup(at(b, y->name) ? at(b, y->name) : ""), reason};
    if (!c->a_ref || !c->b_ref || !c->a_name || !c->b_name)
        return BB_ENOMEM;
    if (cs->keep && cs->n >= 2 * cs->keep + 256) {
        qsort(cs->c, cs->n, sizeof *cs->c, cmp_cand);
        while (cs->n > cs->keep)
            cand_free(&cs->c[--cs->n]);
    }
    return 0;
}

static int differ(const block *b, size_t x, size_t y)
{
    return x != NONE && y != NONE && strcmp(at(b, x), at(b, y)) != 0;
}

static int same_set(const block *b, size_t x, size_t y)
{
    return x != NONE && y != NONE && strcmp(at(b, x), at(b, y)) == 0;
}

/* Compares every pair of the block; likely pairs become candidates. */
static int judge_block(block *b, cands *cs)
{
    static const char *const reasons[4] = {"similar names", "similar names, same city",
                                           "similar names, same birth date",
                                           "similar names, same city and birth date"};
    int rc = 0;
    if (b->n < 2 || b->n > BLOCK_MAX)
        return 0;
    for (size_t i = 0; i < b->n && rc == 0; i++) {
        const member *x = &b->m[i];
        for (size_t j = i + 1; j < b->n && rc == 0; j++) {
            const member *y = &b->m[j];
            int city, birth;
            double score;
            if (differ(b, x->city, y->city) || differ(b, x->birth, y->birth) ||
                (differ(b, x->email, y->email) && differ(b, x->phone, y->phone)) ||
                same_set(b, x->email, y->email) || same_set(b, x->phone, y->phone))
                continue; /* told apart (each has an email and a phone of their own), or listed */
            score = bb_text_similarity(at(b, x->folded), at(b, y->folded));
            if (score < NAME_MIN)
                continue;
            city = same_set(b, x->city, y->city);
            birth = same_set(b, x->birth, y->birth);
            score += 0.02 * city + 0.04 * birth;
            if (score > 1.0)
                score = 1.0;
            rc = keep_cand(cs, b, x, y, score, reasons[city + 2 * birth]);
        }
    }
    return rc;
}

static int name_pairs(bb__sqlite *q, emit *e, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    block b = {0};
    cands cs = {0};
    int rc = 0, step;
    cs.keep = e->limit ? e->limit - e->sent : 0;
    bb_buf_init(&b.text, 0);
    if (sqlite3_prepare_v2(q->db, "SELECT id, external_id,"
                                  " trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')),"
                                  " city, birth_date, email, phone, name_key FROM customer"
                                  " WHERE name_key IS NOT NULL AND merged_into IS NULL"
                                  " ORDER BY name_key, id", -1, &st, NULL) != SQLITE_OK) {
        rc = bb__sqlite_err(q, err, "preparing the duplicate search");
        goto done;
    }
    while ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        const char *key = bb__col(st, 7);
        if (b.n && strcmp(key, b.key) != 0) {
            if ((rc = judge_block(&b, &cs)) != 0)
                break;
            b.n = 0;
            bb_buf_reset(&b.text);
        }
        snprintf(b.key, sizeof b.key, "%s", key);
        if (b.n <= BLOCK_MAX && (rc = add_member(&b, st)) != 0)
            break;
    }
    if (rc == 0 && step < 0)
        rc = step;
    if (rc == 0)
        rc = judge_block(&b, &cs);
    if (rc == BB_ENOMEM || rc == BB_ELIMIT)
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    if (rc == 0 && cs.n) {
        qsort(cs.c, cs.n, sizeof *cs.c, cmp_cand);
        for (size_t i = 0; i < cs.n && rc == 0; i++) {
            const cand *c = &cs.c[i];
            bb_duplicate d = {c->a, c->b, c->a_ref, c->b_ref, c->a_name, c->b_name, c->reason, c->score};
            rc = send(e, &d);
        }
    }
done:
    sqlite3_finalize(st);
    for (size_t i = 0; i < cs.n; i++)
        cand_free(&cs.c[i]);
    free(cs.c);
    free(b.m);
    bb_buf_release(&b.text);
    return rc;
}

int bb__sq_duplicates(bb_store *s, size_t limit, bb_store_duplicate_fn fn, void *ctx, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    emit e = {fn, ctx, limit, 0};
    int rc = bb__sqlite_flush(q, err);
    if (rc == 0)
        rc = contact_pairs(q, 0, &e, err);
    if (rc == 0)
        rc = contact_pairs(q, 1, &e, err);
    if (rc == 0)
        rc = name_pairs(q, &e, err);
    return rc > 0 ? 0 : rc;
}
