/* sqlite_search.c: customer search and the customer list in the SQLite backend. The query is folded
 * like the stored search_text (Turkish rules) and split into words; a customer matches when its
 * search_text contains every word (and, with a segment, its current RFM segment is that one).
 *
 * By name, results come in Turkish collation order, which is the order of search_rank (sqlite_rank.c),
 * paged by a cursor that holds the last row's rank and id, so paging has no cap and no OFFSET. A query
 * with a word of three letters or more asks the trigram index, keyed by rank: its hits come in the order
 * shown, so the scan ends with the page, however common the word. Shorter queries walk the rank index,
 * which carries search_text, so each customer is tested without reading its row.
 *
 * By CLV, revenue or latest purchase (descending; the latest purchase is stored, sqlite_last.c): the
 * key's index is walked from the cursor (phase 1), then the customers without the key by name (phase 2,
 * the tail); the cursor names the sort, the phase and the last row's key and tie-break. A query whose
 * trigram index hits are few (RARE or fewer) takes them all with their keys and orders them here, the
 * same order, so a rare word needs no walk through the whole base. A segment walks its own index on the
 * key (customer_score_seg_*), so its members come one after another whatever their place in the whole
 * list; its members without the key are collected and ordered here. Every page but the last is full:
 * the filters run before the page is counted.
 *
 * The page's rows are read last, by id. The SQL is assembled from fixed pieces (sqlite_stmt.c); every
 * value is a bound parameter. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_read.h"

enum { MAX_WORDS = 16 };

typedef struct words {
    char *w[MAX_WORDS];
    int n, has_long;
    bb_buf folded;
} words;

static int utf8_chars(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static int split_words(const char *query, words *w, bb_error *err)
{
    char *p;
    int rc;
    bb_buf_init(&w->folded, 4096);
    if ((rc = bb_text_fold(query, (size_t)-1, &w->folded)) != 0)
        return bb_error_set(err, rc == BB_ELIMIT ? BB_EINVAL : rc, "the search text is too long");
    p = w->folded.data;
    while (p && *p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            *p++ = '\0';
        if (!*p)
            break;
        if (w->n == MAX_WORDS)
            return bb_error_set(err, BB_EINVAL, "the search has more than %d words", MAX_WORDS);
        w->w[w->n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
    }
    for (int i = 0; i < w->n; i++)
        w->has_long |= utf8_chars(w->w[i]) >= 3;
    return 0;
}

/* ---- the cursor ----
 * By name: "RANK.ID". Otherwise "SORT.PHASE.KEY.TIE": phase 1 by the key (the CLV, the revenue, the
 * purchase's time) and its tie-break (the customer id; the order id), phase 2 (the tail) by rank and
 * customer id. */

enum { RARE = 5000 };

typedef struct cursor {
    int set, phase;
    int64_t k1, k2;
} cursor;

static int parse_int(const char **p, int64_t *v)
{
    char *end;
    if (!(**p == '-' || (**p >= '0' && **p <= '9')))
        return -1;
    errno = 0;
    *v = strtoll(*p, &end, 10);
    *p = end;
    return errno ? -1 : 0; /* past int64: no cursor this list gave */
}

static int parse_cursor(const char *s, bb_customer_sort sort, cursor *c, bb_error *err)
{
    const char *p = s, *name = bb_customer_sort_name(sort);
    int64_t phase = 2;
    memset(c, 0, sizeof *c);
    if (!s)
        return 0;
    c->set = 1;
    if (*p >= 'a' && *p <= 'z') {
        size_t n = strcspn(p, ".");
        for (int k = 1; k < BB_SORT_COUNT; k++)
            if (k != (int)sort && strlen(bb_customer_sort_name(k)) == n && strncmp(p, bb_customer_sort_name(k), n) == 0)
                return bb_error_setw(err, BB_EINVAL, "cursor",
                                     "the cursor is one of the list sorted by %s, not by %s (start again)",
                                     bb_customer_sort_name(k), name);
        if (sort == BB_SORT_NAME || strlen(name) != n || strncmp(p, name, n) != 0 || p[n] != '.')
            goto bad;
        p += n + 1;
        if (parse_int(&p, &phase) != 0 || (phase != 1 && phase != 2) || *p++ != '.')
            goto bad;
    } else if (sort != BB_SORT_NAME) {
        return bb_error_setw(err, BB_EINVAL, "cursor",
                             "the cursor is one of the list sorted by name, not by %s (start again)", name);
    }
    c->phase = (int)phase;
    if (parse_int(&p, &c->k1) != 0 || *p++ != '.' || parse_int(&p, &c->k2) != 0 || *p ||
        ((c->phase == 2 || sort != BB_SORT_LAST_ORDER) && c->k2 <= 0))
        goto bad;
    return 0;
bad:
    return bb_error_setw(err, BB_EINVAL, "cursor", "\"%.40s\" is not a cursor of this list (pass back next_cursor)",
                         s);
}

/* ---- hits, collected before the callback sees them ---- */

enum { N_TEXT = 7 }; /* external id, first and last name, email, phone, city, segment */

typedef struct hit {
    int64_t id;
    int phase;
    int64_t k1, k2; /* the cursor's keys at this hit */
    size_t off[N_TEXT]; /* (size_t)-1 for NULL */
    int has_clv, has_revenue;
    int64_t clv, revenue, last_order_at;
} hit;

typedef struct hits {
    hit *h;
    size_t n, cap;
    bb_buf text;
} hits;

static int hits_add(hits *h, int64_t id, int phase, int64_t k1, int64_t k2)
{
    if (h->n == h->cap) {
        hit *p = realloc(h->h, (h->cap = h->cap ? 2 * h->cap : 64) * sizeof *p);
        if (!p)
            return BB_ENOMEM;
        h->h = p;
    }
    h->h[h->n++] = (hit){.id = id, .phase = phase, .k1 = k1, .k2 = k2};
    return 0;
}

/* Reads the shown fields of the first n hits. */
static int hits_fill(bb__sqlite *q, hits *h, size_t n, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_read_begin(q, BB__SQ_SEARCH_ROW, err);
    int rc = 0;
    if (!st)
        return BB_EDB;
    for (size_t i = 0; i < n && rc == 0; i++) {
        hit *x = &h->h[i];
        int step;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, x->id);
        if ((step = bb__sqlite_read_step(q, st, err)) != 1) {
            rc = step < 0 ? step
                          : bb_error_set(err, BB_EINTERNAL, "customer %lld vanished during a search",
                                         (long long)x->id);
            break;
        }
        for (int k = 0; k < N_TEXT && rc == 0; k++) {
            const char *t = bb__col(st, k);
            x->off[k] = t ? h->text.len : (size_t)-1;
            if (t && bb_buf_add(&h->text, t, strlen(t) + 1) != 0)
                rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        }
        x->has_clv = sqlite3_column_type(st, 7) != SQLITE_NULL;
        x->clv = sqlite3_column_int64(st, 7);
        x->has_revenue = sqlite3_column_type(st, 8) != SQLITE_NULL;
        x->revenue = sqlite3_column_int64(st, 8);
        x->last_order_at = sqlite3_column_int64(st, 9);
    }
    bb__sqlite_read_end(q, BB__SQ_SEARCH_ROW, st);
    return rc;
}

/* ---- the query ---- */

/* The FTS5 query: every long word as a quoted phrase, ANDed. */
static int fts_query(const words *w, bb_buf *out)
{
    int rc = 0, first = 1;
    for (int i = 0; rc == 0 && i < w->n; i++) {
        if (utf8_chars(w->w[i]) < 3)
            continue;
        rc = bb_buf_adds(out, first ? "\"" : " AND \"");
        for (const char *p = w->w[i]; rc == 0 && *p; p++)
            rc = *p == '"' ? bb_buf_adds(out, "\"\"") : bb_buf_addc(out, *p);
        if (rc == 0)
            rc = bb_buf_addc(out, '"');
        first = 0;
    }
    return rc;
}

static int matches(const words *w, const char *text)
{
    for (int i = 0; i < w->n; i++)
        if (!text || !strstr(text, w->w[i]))
            return 0;
    return 1;
}

/* What a list needs beside the words: the FTS5 query (when a word is long) and the segment. */
typedef struct ask {
    const words *w;
    const char *fts; /* NULL: no long word */
    const char *segment;
    bb_customer_sort sort;
} ask;

/* Steps a walk (columns: id, k1, k2, search_text) bound to the cursor (k1, k2), adding the matching rows
 * as hits of phase until h holds want. */
static int walk(bb__sqlite *q, enum bb__sq which, const ask *a, int phase, int64_t k1, int64_t k2, size_t want,
                hits *h, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_read_begin(q, which, err);
    int rc = 0, step = 0;
    if (!st)
        return BB_EDB;
    if (which == BB__SQ_SEARCH_FTS)
        bb__sqlite_bind_text(st, 1, a->fts);
    sqlite3_bind_int64(st, 2, k1);
    sqlite3_bind_int64(st, 3, k2);
    bb__sqlite_bind_text(st, 4, a->segment);
    while (h->n < want && (step = bb__sqlite_read_step(q, st, err)) == 1) {
        if (!matches(a->w, bb__col(st, 3)))
            continue;
        if (hits_add(h, sqlite3_column_int64(st, 0), phase, sqlite3_column_int64(st, 1),
                     sqlite3_column_int64(st, 2)) != 0) {
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == 0 && h->n < want && step < 0)
        rc = step;
    bb__sqlite_read_end(q, which, st);
    return rc;
}

static const enum bb__sq list_stmt[BB_SORT_COUNT] = {0, BB__SQ_LIST_CLV, BB__SQ_LIST_REVENUE, BB__SQ_LIST_LAST};
static const enum bb__sq tail_stmt[BB_SORT_COUNT] = {BB__SQ_SEARCH_WALK, BB__SQ_TAIL_CLV, BB__SQ_TAIL_REVENUE,
                                                     BB__SQ_TAIL_LAST};
static const enum bb__sq collect_stmt[BB_SORT_COUNT] = {0, BB__SQ_COLLECT_CLV, BB__SQ_COLLECT_REVENUE,
                                                        BB__SQ_COLLECT_LAST};
static const enum bb__sq seg_list_stmt[BB_SORT_COUNT] = {0, BB__SQ_LIST_SEG_CLV, BB__SQ_LIST_SEG_REVENUE,
                                                         BB__SQ_LIST_SEG_LAST};
static const enum bb__sq seg_tail_stmt[BB_SORT_COUNT] = {0, BB__SQ_SEG_TAIL_CLV, BB__SQ_SEG_TAIL_REVENUE,
                                                         BB__SQ_SEG_TAIL_LAST};

/* The rank the tail starts after: the cursor customer's own, when it still has one. */
static int cursor_rank(bb__sqlite *q, const cursor *c, int64_t *rank, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_read_begin(q, BB__SQ_RANK_OF, err);
    int step;
    if (!st)
        return BB_EDB;
    *rank = c->k1;
    sqlite3_bind_int64(st, 1, c->k2);
    if ((step = bb__sqlite_read_step(q, st, err)) == 1)
        *rank = sqlite3_column_int64(st, 0);
    bb__sqlite_read_end(q, BB__SQ_RANK_OF, st);
    return step < 0 ? step : 0;
}

/* A customer as the collecting plans keep it: where it goes in the order. */
typedef struct place {
    int64_t id, k1, k2;
    int phase, checked; /* checked 0: the words and the row are still to be tested (customer_check) */
} place;

/* Is customer id unmerged, with every word? *rank: its rank. */
static int customer_check(bb__sqlite *q, int64_t id, const words *w, int *ok, int64_t *rank, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_read_begin(q, BB__SQ_RANK_TEXT, err);
    int step;
    *ok = 0;
    if (!st)
        return BB_EDB;
    sqlite3_bind_int64(st, 1, id);
    if ((step = bb__sqlite_read_step(q, st, err)) == 1 && matches(w, bb__col(st, 1))) {
        *ok = 1;
        *rank = sqlite3_column_int64(st, 0);
    }
    bb__sqlite_read_end(q, BB__SQ_RANK_TEXT, st);
    return step < 0 ? step : 0;
}

static int by_order(const void *pa, const void *pb)
{
    const place *a = pa, *b = pb;
    if (a->phase != b->phase)
        return a->phase < b->phase ? -1 : 1;
    if (a->phase == 1) { /* descending */
        if (a->k1 != b->k1)
            return a->k1 > b->k1 ? -1 : 1;
        return a->k2 > b->k2 ? -1 : a->k2 < b->k2;
    }
    return a->k1 < b->k1 ? -1 : a->k1 > b->k1; /* rank */
}

/* 1 when x comes after the cursor. */
static int after(const place *x, const cursor *c, int64_t rank)
{
    if (!c->set)
        return 1;
    if (c->phase == 1)
        return x->phase == 2 || x->k1 < c->k1 || (x->k1 == c->k1 && x->k2 < c->k2);
    return x->phase == 2 && x->k1 > rank;
}

/* Every customer a statement yields (columns: id, rank, search_text, key or NULL, tie-break) that
 * matches the words, ordered here and cut to the `want` after the cursor (*done 1). More than cap of
 * them: *done 0, nothing added (a walk finds the page sooner). A statement that yields no rank and text
 * (a segment's keys, from its covering index) leaves their test to the customers the page needs. */
static int collect(bb__sqlite *q, enum bb__sq which, const ask *a, const cursor *c, size_t want, size_t cap,
                   hits *h, int *done, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_read_begin(q, which, err);
    place *p = NULL;
    size_t n = 0, room = 0;
    int64_t rank = 0;
    int rc = 0, step;
    *done = 0;
    if (!st)
        return BB_EDB;
    if (a->fts)
        bb__sqlite_bind_text(st, 1, a->fts);
    bb__sqlite_bind_text(st, 4, a->segment);
    while ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        int keyed = sqlite3_column_type(st, 3) != SQLITE_NULL, lazy = sqlite3_column_type(st, 1) == SQLITE_NULL, ok;
        int64_t id = sqlite3_column_int64(st, 0), k1 = keyed ? sqlite3_column_int64(st, 3) : sqlite3_column_int64(st, 1);
        if (lazy && !keyed) { /* without the key it goes by rank: read it now */
            if ((rc = customer_check(q, id, a->w, &ok, &k1, err)) != 0)
                goto out;
            if (!ok)
                continue;
        } else if (!lazy && !matches(a->w, bb__col(st, 2))) {
            continue;
        }
        if (n == cap)
            goto out; /* too many: not done */
        if (n == room) {
            place *m = realloc(p, (room = room ? 2 * room : 1024) * sizeof *p);
            if (!m) {
                rc = bb_error_set(err, BB_ENOMEM, "out of memory");
                goto out;
            }
            p = m;
        }
        p[n++] = (place){.id = id, .phase = keyed ? 1 : 2, .k1 = k1, .k2 = keyed ? sqlite3_column_int64(st, 4) : id,
                         .checked = !lazy || !keyed};
    }
    if (step < 0)
        rc = step;
    if (rc == 0 && c->set && c->phase == 2)
        rc = cursor_rank(q, c, &rank, err);
    if (rc != 0)
        goto out;
    if (n > 0) /* qsort wants a real array even for none */
        qsort(p, n, sizeof *p, by_order);
    for (size_t i = 0; i < n && h->n < want && rc == 0; i++) {
        int64_t r;
        int ok = 1;
        if (!after(&p[i], c, rank) || (!p[i].checked && (rc = customer_check(q, p[i].id, a->w, &ok, &r, err)) != 0) ||
            !ok)
            continue;
        if (hits_add(h, p[i].id, p[i].phase, p[i].k1, p[i].k2) != 0)
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    }
    *done = rc == 0;
out:
    bb__sqlite_read_end(q, which, st);
    free(p);
    return rc;
}

/* The trigram index's hits of the words, counted up to cap + 1. */
static int fts_count(bb__sqlite *q, const char *fts, int64_t cap, int64_t *n, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_read_begin(q, BB__SQ_FTS_COUNT, err);
    int step;
    if (!st)
        return BB_EDB;
    bb__sqlite_bind_text(st, 1, fts);
    sqlite3_bind_int64(st, 2, cap + 1);
    if ((step = bb__sqlite_read_step(q, st, err)) == 1)
        *n = sqlite3_column_int64(st, 0);
    bb__sqlite_read_end(q, BB__SQ_FTS_COUNT, st);
    return step < 0 ? step : 0;
}

/* The first `want` customers after the cursor, in the query's order. */
static int run_query(bb__sqlite *q, const words *w, const bb_customer_query *query, const cursor *c, size_t want,
                     hits *h, bb_error *err)
{
    bb_buf fts;
    ask a = {.w = w, .segment = query->segment, .sort = query->sort};
    int rc = 0, done = 0;
    bb_buf_init(&fts, 0);
    if (w->has_long) {
        if (fts_query(w, &fts) != 0) {
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
            goto out;
        }
        a.fts = fts.data;
    }
    if (query->sort == BB_SORT_NAME) {
        rc = walk(q, a.fts ? BB__SQ_SEARCH_FTS : BB__SQ_SEARCH_WALK, &a, 2, c->set ? c->k1 : INT64_MIN,
                  c->set ? c->k2 : 0, want, h, err);
        goto out;
    }
    /* A rare word's hits, taken whole and ordered here (counted first: a common word's are not read). */
    if (a.fts) {
        int64_t n = 0;
        if ((rc = fts_count(q, a.fts, RARE, &n, err)) != 0 ||
            (n <= RARE && ((rc = collect(q, collect_stmt[query->sort], &a, c, want, RARE, h, &done, err)) != 0 || done)))
            goto out;
    }
    /* The key's index walked from the cursor (a segment's own index: its members in this order), then
     * the customers without the key, by name: a segment's collected from its index (there are few). */
    if (!c->set || c->phase == 1)
        rc = walk(q, a.segment ? seg_list_stmt[query->sort] : list_stmt[query->sort], &a, 1,
                  c->set ? c->k1 : INT64_MAX, c->set ? c->k2 : INT64_MAX, want, h, err);
    if (rc == 0 && h->n < want) {
        if (a.segment) {
            ask seg = a;
            seg.fts = NULL;
            rc = collect(q, seg_tail_stmt[query->sort], &seg, c, want, SIZE_MAX, h, &done, err);
        } else {
            rc = walk(q, tail_stmt[query->sort], &a, 2, c->set && c->phase == 2 ? c->k1 : INT64_MIN,
                      c->set && c->phase == 2 ? c->k2 : 0, want, h, err);
        }
    }
out:
    bb_buf_release(&fts);
    return rc;
}

static const char *field(const hits *h, const hit *x, int i)
{
    return x->off[i] == (size_t)-1 ? NULL : h->text.data + x->off[i];
}

int bb__sq_search(bb_store *s, const bb_customer_query *query, bb_store_hit_fn fn, void *ctx, char *next_cursor,
                  bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    words w = {0};
    cursor c;
    hits h = {0};
    int rc;
    size_t shown, limit = query->limit;
    bb_buf_init(&h.text, 0);
    if ((rc = parse_cursor(query->cursor, query->sort, &c, err)) != 0 ||
        (rc = split_words(query->q, &w, err)) != 0 || (rc = bb__sqlite_flush(q, err)) != 0 ||
        (rc = run_query(q, &w, query, &c, limit + 1, &h, err)) != 0)
        goto done;
    shown = h.n > limit ? limit : h.n;
    if ((rc = hits_fill(q, &h, shown, err)) != 0)
        goto done;
    if (h.n > limit) {
        const hit *x = &h.h[limit - 1];
        if (query->sort == BB_SORT_NAME)
            snprintf(next_cursor, BB_STORE_CURSOR_MAX, "%lld.%lld", (long long)x->k1, (long long)x->k2);
        else
            snprintf(next_cursor, BB_STORE_CURSOR_MAX, "%s.%d.%lld.%lld", bb_customer_sort_name(query->sort),
                     x->phase, (long long)x->k1, (long long)x->k2);
    }
    for (size_t i = 0; i < shown; i++) {
        const hit *x = &h.h[i];
        bb_customer_hit v = {.id = x->id,
                             .external_id = field(&h, x, 0),
                             .first_name = field(&h, x, 1),
                             .last_name = field(&h, x, 2),
                             .email = field(&h, x, 3),
                             .phone = field(&h, x, 4),
                             .city = field(&h, x, 5),
                             .segment = field(&h, x, 6),
                             .has_clv = x->has_clv,
                             .has_revenue = x->has_revenue,
                             .clv_minor = x->clv,
                             .revenue_minor = x->revenue,
                             .last_order_at = x->last_order_at,
                             .currency = q->currency};
        if ((rc = bb__cb_result(fn(ctx, &v))) != 0)
            break;
    }
done:
    free(h.h);
    bb_buf_release(&h.text);
    bb_buf_release(&w.folded);
    return rc > 0 ? 0 : rc;
}
