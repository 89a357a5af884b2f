/* sqlite_search.c: customer search in the SQLite backend. The query is folded like the stored
 * search_text (Turkish rules) and split into words; a customer matches when its search_text contains
 * every word. Results come in Turkish collation order (sort_key, id), paged by a cursor that holds the
 * last row's (sort_key, id), so paging has no cap and no OFFSET.
 *
 * Plan: a query with a word of three letters or more first walks the sort index for a bounded number
 * of rows (a common word such as a big city fills the page there at once); when that does not fill
 * the page it asks the trigram index, which finds rare words at once. Shorter queries walk the sort
 * index. The SQL is assembled from fixed pieces; every value is a bound parameter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_read.h"

enum { MAX_WORDS = 16, SCAN_BUDGET = 2000 };

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

/* ---- the cursor: hex(sort_key) "." id, or "#" id when the key is too long to carry ---- */

typedef struct cursor {
    int set, by_id;
    int64_t id;
    unsigned char key[BB_STORE_CURSOR_MAX / 2];
    size_t key_len;
} cursor;

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int parse_cursor(const char *s, cursor *c, bb_error *err)
{
    const char *dot;
    char *end;
    memset(c, 0, sizeof *c);
    if (!s)
        return 0;
    c->set = 1;
    if (s[0] == '#') {
        c->by_id = 1;
        dot = s;
    } else {
        dot = strchr(s, '.');
        if (!dot || (dot - s) % 2 || (size_t)(dot - s) / 2 > sizeof c->key)
            goto bad;
        for (const char *p = s; p < dot; p += 2) {
            int hi = hexval(p[0]), lo = hexval(p[1]);
            if (hi < 0 || lo < 0)
                goto bad;
            c->key[c->key_len++] = (unsigned char)(hi * 16 + lo);
        }
    }
    if (dot[1] < '0' || dot[1] > '9')
        goto bad;
    c->id = strtoll(dot + 1, &end, 10);
    if (*end || c->id <= 0)
        goto bad;
    return 0;
bad:
    return bb_error_set(err, BB_EINVAL, "\"%.40s\" is not a search cursor (pass back next_cursor)", s);
}

static void make_cursor(const unsigned char *key, size_t len, int64_t id, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (2 * len + 24 > BB_STORE_CURSOR_MAX) {
        snprintf(out, BB_STORE_CURSOR_MAX, "#%lld", (long long)id);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        out[o++] = hex[key[i] >> 4];
        out[o++] = hex[key[i] & 15];
    }
    snprintf(out + o, BB_STORE_CURSOR_MAX - o, ".%lld", (long long)id);
}

/* ---- hits, collected before the callback sees them ---- */

typedef struct hit {
    int64_t id;
    size_t off[6]; /* (size_t)-1 for NULL */
    size_t key_off, key_len;
} hit;

typedef struct hits {
    hit *h;
    size_t n, cap;
    bb_buf text;
} hits;

static void hits_reset(hits *h)
{
    h->n = 0;
    bb_buf_reset(&h->text);
}

static int hits_add(hits *h, sqlite3_stmt *st)
{
    hit *x;
    int rc = 0;
    if (h->n == h->cap) {
        hit *p = realloc(h->h, (h->cap = h->cap ? 2 * h->cap : 64) * sizeof *p);
        if (!p)
            return BB_ENOMEM;
        h->h = p;
    }
    x = &h->h[h->n++];
    x->id = sqlite3_column_int64(st, 0);
    for (int i = 0; i < 6 && rc == 0; i++) {
        const char *t = bb__col(st, i + 1);
        x->off[i] = t ? h->text.len : (size_t)-1;
        if (t)
            rc = bb_buf_add(&h->text, t, strlen(t) + 1);
    }
    x->key_off = h->text.len;
    x->key_len = (size_t)sqlite3_column_bytes(st, 7);
    if (rc == 0 && x->key_len)
        rc = bb_buf_add(&h->text, sqlite3_column_blob(st, 7), x->key_len);
    return rc;
}

/* ---- the queries ---- */

enum plan { PLAN_SCAN, PLAN_BUDGET, PLAN_FTS };

/* PLAN_SCAN and PLAN_FTS filter in SQL; PLAN_BUDGET reads the next SCAN_BUDGET + 1 customers in
 * order with their search_text and filters here, so it knows when it reached the end. */
static int build_sql(enum plan plan, const words *w, const cursor *c, bb_buf *sql)
{
    int rc = bb_buf_addf(sql, "SELECT id, external_id, first_name, last_name, email, phone, city,"
                              " sort_key, search_text FROM customer WHERE merged_into IS NULL%s",
                         !c->set ? "" : c->by_id ? " AND (sort_key, id) > ((SELECT sort_key FROM"
                                                   " customer WHERE id = ?3), ?3)"
                                                 : " AND (sort_key, id) > (?2, ?3)");
    if (rc == 0 && plan == PLAN_FTS)
        rc = bb_buf_adds(sql, " AND id IN (SELECT rowid FROM customer_search"
                              " WHERE customer_search MATCH ?1)");
    for (int i = 0; rc == 0 && plan != PLAN_BUDGET && i < w->n; i++)
        rc = bb_buf_addf(sql, " AND instr(search_text, ?%d) > 0", 10 + i);
    if (rc == 0)
        rc = bb_buf_adds(sql, " ORDER BY sort_key, id LIMIT ?4");
    return rc;
}

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

/* Runs one plan, collecting up to want hits into h. For PLAN_BUDGET, *exhausted says whether the
 * walk reached the last customer. */
static int run_plan(bb__sqlite *q, enum plan plan, const words *w, const cursor *c, size_t want,
                    hits *h, int *exhausted, bb_error *err)
{
    bb_buf sql, fts;
    sqlite3_stmt *st = NULL;
    int rc, step = 0;
    size_t rows = 0;
    bb_buf_init(&sql, 0);
    bb_buf_init(&fts, 0);
    hits_reset(h);
    if ((rc = build_sql(plan, w, c, &sql)) != 0 || (plan == PLAN_FTS && (rc = fts_query(w, &fts)) != 0)) {
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(q->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        rc = bb__sqlite_err(q, err, "preparing the search");
        goto done;
    }
    if (plan == PLAN_FTS)
        bb__sqlite_bind_text(st, 1, fts.data);
    if (c->set && !c->by_id)
        sqlite3_bind_blob(st, 2, c->key, (int)c->key_len, SQLITE_STATIC);
    if (c->set)
        sqlite3_bind_int64(st, 3, c->id);
    sqlite3_bind_int64(st, 4, plan == PLAN_BUDGET ? SCAN_BUDGET + 1 : (int64_t)want);
    for (int i = 0; plan != PLAN_BUDGET && i < w->n; i++)
        bb__sqlite_bind_text(st, 10 + i, w->w[i]);
    while (h->n < want && (step = bb__sqlite_read_step(q, st, err)) == 1) {
        rows++;
        if (plan == PLAN_BUDGET && !matches(w, bb__col(st, 8)))
            continue;
        if ((rc = hits_add(h, st)) != 0) {
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == 0 && h->n < want && step < 0)
        rc = step;
    if (exhausted)
        *exhausted = h->n < want && rows <= SCAN_BUDGET;
done:
    sqlite3_finalize(st);
    bb_buf_release(&sql);
    bb_buf_release(&fts);
    return rc;
}

static const char *field(const hits *h, const hit *x, int i)
{
    return x->off[i] == (size_t)-1 ? NULL : h->text.data + x->off[i];
}

int bb__sq_search(bb_store *s, const char *query, size_t limit, const char *cur_text,
                  bb_store_hit_fn fn, void *ctx, char *next_cursor, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    words w = {0};
    cursor c;
    hits h = {0};
    int rc, exhausted = 0;
    size_t shown;
    bb_buf_init(&h.text, 0);
    if ((rc = parse_cursor(cur_text, &c, err)) != 0 || (rc = split_words(query, &w, err)) != 0 ||
        (rc = bb__sqlite_flush(q, err)) != 0)
        goto done;
    if (!w.has_long) {
        rc = run_plan(q, PLAN_SCAN, &w, &c, limit + 1, &h, NULL, err);
    } else {
        rc = run_plan(q, PLAN_BUDGET, &w, &c, limit + 1, &h, &exhausted, err);
        if (rc == 0 && h.n <= limit && !exhausted)
            rc = run_plan(q, PLAN_FTS, &w, &c, limit + 1, &h, NULL, err);
    }
    if (rc)
        goto done;
    shown = h.n > limit ? limit : h.n;
    if (h.n > limit) {
        const hit *last = &h.h[limit - 1];
        make_cursor((const unsigned char *)h.text.data + last->key_off, last->key_len, last->id,
                    next_cursor);
    }
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
