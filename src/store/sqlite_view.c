/* sqlite_view.c: the SQLite backend's materialised 360 views (store_view.h): read, store, list the
 * missing; and their invalidation. Writes that change what a customer's view shows mark it stale
 * (bb__sqlite_view_stale); the stale rows are deleted at the next flush, which every read and every
 * commit runs first, so the write transaction that changed the data removes the view with it. While
 * customer_view is empty (a bulk load into a new database), marking costs one branch: the table is
 * looked at once per write transaction.
 * Bodies are stored LZ4-compressed (view_pack): LZ4 decompresses at several GB/s, so a view is fewer
 * pages to read for a couple of microseconds of CPU. A row written before that holds the plain text,
 * which starts with '{'; a compressed one starts with VIEW_LZ4 (a byte no UTF-8 text starts with), the
 * text's length (4 bytes, little-endian) and the LZ4 block; or with VIEW_LZ4D, the dictionary's number
 * (1), the length, and the block compressed against the views' dictionary (below). All are read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lz4.h>

#include "store/sqlite_db.h"
#include "store/sqlite_read.h"
#include "store/store_view_impl.h"

void bb__sqlite_views_reset(bb__sqlite *q)
{
    q->views = -1;
    q->views_drop_all = 0;
    q->n_view_stale = 0;
    q->view_dict_state = 0; /* a dictionary written in a transaction rolled back must not be used */
    q->view_out_dict = 0;
}

void bb__sqlite_views_stale_all(bb__sqlite *q)
{
    if (q->views != 0)
        q->views_drop_all = 1;
}

void bb__sqlite_view_stale_(bb__sqlite *q, int64_t customer_id)
{
    if (q->views < 0) { /* first mark of this write transaction: is there any view to delete? */
        bb_error ignored = {0};
        sqlite3_stmt *st = q->tx_depth > 0 ? bb__sqlite_stmt(q, BB__SQ_VIEW_ANY, &ignored) : NULL;
        int step = st ? sqlite3_step(st) : SQLITE_ERROR;
        if (st)
            sqlite3_reset(st);
        q->views = step == SQLITE_DONE ? 0 : 1; /* unknown counts as having rows */
        if (q->views == 0)
            return;
    }
    if (q->views_drop_all || (q->n_view_stale && q->view_stale[q->n_view_stale - 1] == customer_id))
        return;
    /* out of memory, or an enormous set: every view goes instead */
    void *grown = q->n_view_stale < ((size_t)1 << 24)
                      ? bb_grow(q->view_stale, &q->cap_view_stale, q->n_view_stale, sizeof *q->view_stale, 256)
                      : NULL;
    if (!grown) {
        q->views_drop_all = 1;
        return;
    }
    q->view_stale = grown;
    q->view_stale[q->n_view_stale++] = customer_id;
}

int bb__sqlite_views_flush(bb__sqlite *q, bb_error *err)
{
    sqlite3_stmt *st;
    int rc = 0;
    if (q->views_drop_all) {
        if ((rc = bb__sqlite_exec(q, "DELETE FROM customer_view", err)) != 0)
            return rc;
        q->views_drop_all = 0;
        q->n_view_stale = 0;
        q->views = 0; /* empty now, for the rest of this transaction */
        return 0;
    }
    if (!q->n_view_stale)
        return 0;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_VIEW_DEL, err)))
        return BB_EDB;
    for (size_t i = 0; i < q->n_view_stale && rc == 0; i++) {
        sqlite3_bind_int64(st, 1, q->view_stale[i]);
        rc = bb__sqlite_run(q, st, err, "deleting a stale customer view");
    }
    q->n_view_stale = 0;
    return rc;
}

#define VIEW_LZ4 0xB4            /* a UTF-8 continuation byte: no text starts with it */
#define VIEW_LZ4D 0xB5           /* the same against a dictionary: then its number (1), the length */
#define VIEW_HEAD 5              /* VIEW_LZ4, then the text's length */
#define VIEW_MAX (64u << 20)     /* no view is this long: a length past it is damage */

/* The dictionary: the first views stored in a database (DICT_SIZE bytes of their text, in the first
 * write transaction that stores that many), kept in meta as 'view_dict_1' and never changed, so a
 * connection keeps the one it read. A view shares its keys and much of its values (products,
 * categories, codes) with other views of the same business: against it a view shrinks ~5x, not ~2.5x.
 * The sample holds no personal data: it outlives the customers it was taken from (an erasure must not
 * leave their names in meta), so every string value is emptied but those dict_keep keeps (codes, the
 * catalogue's words, times, the city), the internal id is written 0, and the keys stay.
 * A connection forgets it (view_dict_state 0) when a write transaction begins or rolls back, so a
 * dictionary written in a transaction that was rolled back is never used. */
#define DICT_SIZE 32768
#define DICT_KEY "view_dict_1"

static int dict_load(bb__sqlite *q, bb_error *err)
{
    sqlite3_stmt *st;
    int step;
    if (!q->view_dict && !(q->view_dict = malloc(DICT_SIZE)))
        return bb_error_set(err, BB_ENOMEM, "out of memory reading the views' dictionary");
    if (!(st = bb__sqlite_stmt(q, BB__SQ_META_GET, err)))
        return BB_EDB;
    sqlite3_bind_text(st, 1, DICT_KEY, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    q->view_dict_len = 0;
    q->view_dict_state = 2;
    q->view_out_dict = 0;
    if (step == SQLITE_ROW && sqlite3_column_bytes(st, 0) > 0 && sqlite3_column_bytes(st, 0) <= DICT_SIZE) {
        q->view_dict_len = (size_t)sqlite3_column_bytes(st, 0);
        memcpy(q->view_dict, sqlite3_column_blob(st, 0), q->view_dict_len);
        q->view_dict_state = 1;
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        q->view_dict_state = 0;
        return bb__sqlite_err(q, err, "reading the views' dictionary");
    }
    return 0;
}

/* What the dictionary's sample keeps of a key's value: 1 a string as it is (codes, the catalogue, times,
 * the city: nothing that names a person once names, contacts and ids are gone), 2 a number but the
 * internal id (written 0), else 0: a string emptied. */
static int dict_keep(const char *key, size_t n)
{
    static const char *const keep[] = {"currency", "channel", "direction", "kind", "status", "category",
                                       "name", "sku", "city", NULL};
    if (n == 11 && memcmp(key, "internal_id", 11) == 0)
        return 2;
    if (n > 3 && memcmp(key + n - 3, "_at", 3) == 0)
        return 1;
    for (int i = 0; keep[i]; i++)
        if (strlen(keep[i]) == n && memcmp(keep[i], key, n) == 0)
            return 1;
    return 0;
}

/* Copies JSON text t (n bytes) into out (at most cap bytes) with every string value emptied ("") but
 * those dict_keep keeps, and the internal id's number written 0; keys, other numbers and punctuation
 * stay. Returns the bytes written. */
static size_t dict_scrub(const char *t, size_t n, char *out, size_t cap)
{
    size_t i = 0, o = 0;
    int keep = 0;
    while (i < n && o < cap) {
        size_t j, end, k, len;
        const char *from;
        if (t[i] != '"') {
            if (t[i] == ',' || t[i] == '{' || t[i] == '}' || t[i] == '[' || t[i] == ']')
                keep = 0;
            if (keep == 2 && t[i] >= '0' && t[i] <= '9') {
                while (i < n && t[i] >= '0' && t[i] <= '9')
                    i++;
                out[o++] = '0';
                keep = 0;
                continue;
            }
            out[o++] = t[i++];
            continue;
        }
        for (j = i + 1; j < n && t[j] != '"'; j += t[j] == '\\' ? 2 : 1)
            ;
        end = j < n ? j + 1 : n;
        for (k = end; k < n && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r' || t[k] == '\n'); k++)
            ;
        from = t + i, len = end - i;
        if (k < n && t[k] == ':') /* a key: kept, and it says what of its value is */
            keep = j < n ? dict_keep(t + i + 1, j - i - 1) : 0;
        else if (keep == 1)
            keep = 0;
        else
            from = "\"\"", len = 2, keep = 0;
        if (len > cap - o)
            len = cap - o;
        memcpy(out + o, from, len);
        o += len;
        i = end;
    }
    return o;
}

/* In a write transaction without a dictionary: adds text, scrubbed of personal data, to the sample; a
 * full sample is stored as the dictionary (from then on, views are compressed against it). */
static int dict_sample(bb__sqlite *q, const char *text, size_t len, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    q->view_dict_len += dict_scrub(text, len, q->view_dict + q->view_dict_len, DICT_SIZE - q->view_dict_len);
    if (q->view_dict_len < DICT_SIZE)
        return 0;
    if ((rc = bb__sqlite_prepare(q, &st, "INSERT INTO meta (key, value) VALUES ('" DICT_KEY "', ?1)", err)) != 0)
        return rc;
    sqlite3_bind_blob(st, 1, q->view_dict, (int)q->view_dict_len, SQLITE_STATIC);
    rc = bb__sqlite_run(q, st, err, "storing the views' dictionary");
    sqlite3_finalize(st);
    if (rc == 0) {
        q->view_dict_state = 1;
        q->view_out_dict = 0;
    }
    return rc;
}

/* Appends the text of a stored body (plain or compressed) to out; BB_EINTERNAL, saying what is wrong,
 * when a compressed body does not decompress to its recorded length or to the start of an object. */
static int view_unpack(bb__sqlite *q, int64_t customer_id, const unsigned char *p, size_t n, bb_buf *out,
                       bb_error *err)
{
    size_t head = n > 0 && p[0] == VIEW_LZ4D ? VIEW_HEAD + 1 : VIEW_HEAD;
    uint32_t len;
    int got, rc;
    /* room for the scores too (about 1.6 KB): the view is then built without a second allocation */
    if (n == 0 || (p[0] != VIEW_LZ4 && p[0] != VIEW_LZ4D)) {
        if (bb_buf_reserve(out, n + 2048) != 0 || bb_buf_add(out, p, n) != 0)
            return bb_error_set(err, BB_ENOMEM, "out of memory reading a customer view");
        return 0;
    }
    if (n < head)
        return bb_error_set(err, BB_EINTERNAL, "customer %lld's stored view is damaged: %zu bytes, shorter than"
                            " its header", (long long)customer_id, n);
    if (head > VIEW_HEAD) {
        if (p[1] != 1)
            return bb_error_set(err, BB_EINTERNAL, "customer %lld's stored view is damaged: it names dictionary %d,"
                                " which no version makes", (long long)customer_id, p[1]);
        if (q->view_dict_state != 1 && (rc = dict_load(q, err)) != 0)
            return rc;
        if (q->view_dict_state != 1)
            return bb_error_set(err, BB_EINTERNAL, "customer %lld's stored view is damaged: it was compressed"
                                " against the views' dictionary, which is not in the database", (long long)customer_id);
    }
    p += head - VIEW_HEAD; /* the length follows */
    n -= head - VIEW_HEAD;
    len = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
    if (len == 0 || len > VIEW_MAX || n - VIEW_HEAD > (size_t)LZ4_compressBound((int)len))
        return bb_error_set(err, BB_EINTERNAL, "customer %lld's stored view is damaged: its header says %lu bytes"
                            " of text for %zu compressed", (long long)customer_id, (unsigned long)len, n - VIEW_HEAD);
    if (bb_buf_reserve(out, len + 2048) != 0)
        return bb_error_set(err, BB_ENOMEM, "out of memory reading a customer view");
    if (head > VIEW_HEAD) {
        /* decompressed right after a copy of the dictionary, then copied out: LZ4 reads a dictionary that
         * prefixes its output as earlier output (~0.7 us a view faster than one elsewhere in memory) */
        size_t need = q->view_dict_len + len;
        char *grown;
        if (need > q->view_out_cap) {
            if (!(grown = realloc(q->view_out, need)))
                return bb_error_set(err, BB_ENOMEM, "out of memory reading a customer view");
            q->view_out = grown;
            q->view_out_cap = need;
            q->view_out_dict = 0;
        }
        if (!q->view_out_dict) {
            memcpy(q->view_out, q->view_dict, q->view_dict_len);
            q->view_out_dict = 1;
        }
        got = LZ4_decompress_safe_usingDict((const char *)p + VIEW_HEAD, q->view_out + q->view_dict_len,
                                            (int)(n - VIEW_HEAD), (int)len, q->view_out, (int)q->view_dict_len);
        if (got == (int)len)
            memcpy(out->data + out->len, q->view_out + q->view_dict_len, len);
    } else {
        got = LZ4_decompress_safe((const char *)p + VIEW_HEAD, out->data + out->len, (int)(n - VIEW_HEAD),
                                  (int)len);
    }
    if (got != (int)len || out->data[out->len] != '{') {
        out->data[out->len] = '\0';
        return bb_error_set(err, BB_EINTERNAL, "customer %lld's stored view is damaged: its LZ4 body does not"
                            " decompress to the %lu bytes of a JSON object its header says", (long long)customer_id,
                            (unsigned long)len);
    }
    out->len += len;
    out->data[out->len] = '\0';
    return 0;
}

/* The stored form of text (len bytes) in *packed (malloc'd), *n bytes: against the dictionary when
 * there is one, else alone (and the text joins the sample the dictionary is made of). */
static int view_pack(bb__sqlite *q, const char *text, size_t len, unsigned char **packed, size_t *n,
                     bb_error *err)
{
    int bound, got, rc;
    size_t head;
    unsigned char *p;
    if (len > VIEW_MAX)
        return bb_error_set(err, BB_ELIMIT, "a customer view of %zu bytes is too long to store", len);
    if (q->view_dict_state == 0 && (rc = dict_load(q, err)) != 0)
        return rc;
    head = q->view_dict_state == 1 ? VIEW_HEAD + 1 : VIEW_HEAD;
    bound = LZ4_compressBound((int)len);
    if (!(p = malloc(head + (size_t)bound)))
        return bb_error_set(err, BB_ENOMEM, "out of memory storing a customer view");
    if (q->view_dict_state == 1) {
        LZ4_stream_t ls;
        LZ4_initStream(&ls, sizeof ls);
        LZ4_loadDict(&ls, q->view_dict, (int)q->view_dict_len);
        got = LZ4_compress_fast_continue(&ls, text, (char *)p + head, (int)len, bound, 1);
        p[0] = VIEW_LZ4D;
        p[1] = 1;
    } else {
        got = LZ4_compress_default(text, (char *)p + head, (int)len, bound);
        p[0] = VIEW_LZ4;
    }
    if (got <= 0) {
        free(p);
        return bb_error_set(err, BB_EINTERNAL, "LZ4 could not compress a customer view of %zu bytes", len);
    }
    for (int i = 0; i < 4; i++)
        p[head - 4 + i] = (unsigned char)(len >> (8 * i));
    if (head == VIEW_HEAD && (rc = dict_sample(q, text, len, err)) != 0) {
        free(p);
        return rc;
    }
    *packed = p;
    *n = head + (size_t)got;
    return 0;
}

static int sq_view_get(bb_store *s, int64_t customer_id, bb_buf *body, char currency[4], bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_read_prepare(q, BB__SQ_VIEW_GET, &st, err), step;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, customer_id);
    step = bb__sqlite_read_step(q, st, err);
    if (step == 1) {
        const char *cur = bb__col(st, 0);
        const unsigned char *stored = sqlite3_column_blob(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        snprintf(currency, 4, "%s", cur ? cur : "");
        rc = view_unpack(q, customer_id, stored, len, body, err);
    } else {
        rc = step == 0 ? BB_ENOTFOUND : step;
    }
    bb__sqlite_read_end(q, BB__SQ_VIEW_GET, st);
    return rc;
}

static int sq_view_put(bb_store *s, int64_t customer_id, const char *currency, const char *body, size_t len,
                       bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st;
    unsigned char *packed = NULL;
    size_t n = 0;
    int rc;
    if (q->tx_depth == 0)
        return bb_error_set(err, BB_EINTERNAL, "a customer view stored outside a write transaction");
    if ((rc = bb__sqlite_flush(q, err)) != 0) /* stale rows go first: this one is current */
        return rc;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_VIEW_PUT, err)))
        return BB_EDB;
    if ((rc = view_pack(q, body, len, &packed, &n, err)) != 0)
        return rc;
    sqlite3_bind_int64(st, 1, customer_id);
    sqlite3_bind_text(st, 2, currency, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, packed, (int)n, SQLITE_STATIC);
    rc = bb__sqlite_run(q, st, err, "storing a customer view");
    free(packed);
    if (rc == 0)
        q->views = 1; /* later writes in this transaction must delete it */
    else
        q->tx_failed = 1;
    return rc;
}

/* Flushes, then prepares a statement over customers after ?1, at most ?2 of them (st to finalise). */
static int after_stmt(bb__sqlite *q, const char *sql, int64_t after, size_t limit, sqlite3_stmt **st, bb_error *err)
{
    int rc = bb__sqlite_flush(q, err);
    if (rc || (rc = bb__sqlite_prepare(q, st, sql, err)) != 0)
        return rc;
    sqlite3_bind_int64(*st, 1, after);
    sqlite3_bind_int64(*st, 2, (sqlite3_int64)limit);
    return 0;
}

static int sq_views_missing(bb_store *s, int64_t after, size_t limit, int64_t *ids, size_t *n, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = after_stmt(q,
                        "SELECT c.id FROM customer c WHERE c.id > ?1 AND c.merged_into IS NULL"
                        " AND NOT EXISTS (SELECT 1 FROM customer_view v INDEXED BY customer_view_ids"
                        " WHERE v.customer_id = c.id)"
                        " ORDER BY c.id LIMIT ?2",
                        after, limit, &st, err),
        step;
    if (rc)
        return rc;
    while ((step = bb__sqlite_read_step(q, st, err)) == 1)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return step < 0 ? step : 0;
}

/* Every customer after ?1 (at most look) with whether it lacks a view: the work is bounded by look. */
static int sq_views_scan(bb_store *s, int64_t after, size_t look, int64_t *ids, size_t *n, int64_t *last,
                         bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = after_stmt(q,
                        "SELECT c.id, NOT EXISTS (SELECT 1 FROM customer_view v INDEXED BY customer_view_ids"
                        " WHERE v.customer_id = c.id) FROM customer c WHERE c.id > ?1 AND c.merged_into IS NULL"
                        " ORDER BY c.id LIMIT ?2",
                        after, look, &st, err),
        step;
    if (rc)
        return rc;
    while ((step = bb__sqlite_read_step(q, st, err)) == 1) {
        *last = sqlite3_column_int64(st, 0);
        if (sqlite3_column_int(st, 1))
            ids[(*n)++] = *last;
    }
    sqlite3_finalize(st);
    return step < 0 ? step : 0;
}

static int sq_views_count(bb_store *s, int64_t *views, int64_t *customers, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    int rc = bb__sqlite_flush(q, err);
    if (rc == 0)
        rc = bb__sqlite_count(q, "SELECT count(*) FROM customer_view INDEXED BY customer_view_ids", views, err);
    if (rc == 0)
        rc = bb__sqlite_count(q, "SELECT count(*) FROM customer WHERE merged_into IS NULL", customers, err);
    return rc;
}

const bb__store_view_ops bb__sqlite_view_ops = {
    .get = sq_view_get,
    .put = sq_view_put,
    .missing = sq_views_missing,
    .count = sq_views_count,
    .scan = sq_views_scan,
};
