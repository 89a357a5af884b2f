/* sqlite_search.c: customer search in the SQLite backend. The query is folded like the stored
 * search_text (Turkish rules) and split into words; a customer matches when its search_text contains
 * every word. Results come in Turkish collation order, which is the order of search_rank
 * (sqlite_rank.c), paged by a cursor that holds the last row's rank and id, so paging has no cap and
 * no OFFSET.
 *
 * Plan: a query with a word of three letters or more asks the trigram index, keyed by rank: its hits
 * come in the order shown, so the scan ends with the page, however common the word. Shorter queries
 * walk the rank index, which carries search_text, so each customer is tested without reading its row.
 * The page's rows are read last, by id. The SQL is assembled from fixed pieces; every value is a
 * bound parameter. */
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

/* ---- the cursor: "rank.id" of the last row shown ---- */

typedef struct cursor {
    int set;
    int64_t rank, id;
} cursor;

static int parse_cursor(const char *s, cursor *c, bb_error *err)
{
    char *end;
    memset(c, 0, sizeof *c);
    if (!s)
        return 0;
    c->set = 1;
    if (!(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
        goto bad;
    c->rank = strtoll(s, &end, 10);
    if (*end != '.' || end[1] < '0' || end[1] > '9')
        goto bad;
    c->id = strtoll(end + 1, &end, 10);
    if (*end || c->id <= 0)
        goto bad;
    return 0;
bad:
    return bb_error_set(err, BB_EINVAL, "\"%.40s\" is not a search cursor (pass back next_cursor)", s);
}

/* ---- hits, collected before the callback sees them ---- */

typedef struct hit {
    int64_t id, rank;
    size_t off[6]; /* (size_t)-1 for NULL */
} hit;

typedef struct hits {
    hit *h;
    size_t n, cap;
    bb_buf text;
} hits;

/* Adds the hit of the current row: id (column 0) and rank (column 1). */
static int hits_add(hits *h, sqlite3_stmt *st)
{
    if (h->n == h->cap) {
        hit *p = realloc(h->h, (h->cap = h->cap ? 2 * h->cap : 64) * sizeof *p);
        if (!p)
            return BB_ENOMEM;
        h->h = p;
    }
    h->h[h->n].id = sqlite3_column_int64(st, 0);
    h->h[h->n].rank = sqlite3_column_int64(st, 1);
    h->n++;
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
        for (int k = 0; k < 6 && rc == 0; k++) {
            const char *t = bb__col(st, k);
            x->off[k] = t ? h->text.len : (size_t)-1;
            if (t && bb_buf_add(&h->text, t, strlen(t) + 1) != 0)
                rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        }
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

/* Both plans (sqlite_stmt.c: BB__SQ_SEARCH_WALK, BB__SQ_SEARCH_FTS) yield (id, search_rank,
 * search_text) in rank order after the cursor's rank (?2); the words are tested here. The cursor's
 * customer, when it still has a rank, names the place (?3). */
static int run_query(bb__sqlite *q, const words *w, const cursor *c, size_t want, hits *h, bb_error *err)
{
    enum bb__sq which = w->has_long ? BB__SQ_SEARCH_FTS : BB__SQ_SEARCH_WALK;
    bb_buf fts;
    sqlite3_stmt *st = NULL;
    int rc = 0, step = 0;
    bb_buf_init(&fts, 0);
    if (w->has_long && fts_query(w, &fts) != 0) {
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        goto done;
    }
    if (!(st = bb__sqlite_read_begin(q, which, err))) {
        rc = BB_EDB;
        goto done;
    }
    if (w->has_long)
        bb__sqlite_bind_text(st, 1, fts.data);
    sqlite3_bind_int64(st, 2, c->set ? c->rank : INT64_MIN);
    sqlite3_bind_int64(st, 3, c->set ? c->id : 0);
    while (h->n < want && (step = bb__sqlite_read_step(q, st, err)) == 1) {
        if (!matches(w, bb__col(st, 2)))
            continue;
        if (hits_add(h, st) != 0) {
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == 0 && h->n < want && step < 0)
        rc = step;
done:
    bb__sqlite_read_end(q, which, st);
    bb_buf_release(&fts);
    return rc;
}

static const char *field(const hits *h, const hit *x, int i)
{
    return x->off[i] == (size_t)-1 ? NULL : h->text.data + x->off[i];
}

int bb__sq_search(bb_store *s, const char *query, size_t limit, const char *cur_text, bb_store_hit_fn fn,
                  void *ctx, char *next_cursor, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    words w = {0};
    cursor c;
    hits h = {0};
    int rc;
    size_t shown;
    bb_buf_init(&h.text, 0);
    if ((rc = parse_cursor(cur_text, &c, err)) != 0 || (rc = split_words(query, &w, err)) != 0 ||
        (rc = bb__sqlite_flush(q, err)) != 0 || (rc = run_query(q, &w, &c, limit + 1, &h, err)) != 0)
        goto done;
    shown = h.n > limit ? limit : h.n;
    if ((rc = hits_fill(q, &h, shown, err)) != 0)
        goto done;
    if (h.n > limit)
        snprintf(next_cursor, BB_STORE_CURSOR_MAX, "%lld.%lld", (long long)h.h[limit - 1].rank,
                 (long long)h.h[limit - 1].id);
    for (size_t i = 0; i < shown; i++) {
        const hit *x = &h.h[i];
        bb_customer_hit v = {x->id,           field(&h, x, 0), field(&h, x, 1), field(&h, x, 2),
                             field(&h, x, 3), field(&h, x, 4), field(&h, x, 5)};
        if ((rc = bb__cb_result(fn(ctx, &v))) != 0)
            break;
    }
done:
    free(h.h);
    bb_buf_release(&h.text);
    bb_buf_release(&w.folded);
    return rc > 0 ? 0 : rc;
}
