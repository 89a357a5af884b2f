/* sqlite_rank.c: customers' search ranks. Each unmerged customer has one, an integer increasing in
 * Turkish collation order (sort_key, id), with gaps: the trigram index is keyed by it, so a search's
 * hits come back in the order it shows them. A new or renamed customer takes the middle of the gap
 * between its neighbours, or a fixed step past the first when the gap is wide (so a run of equal names,
 * each put after the last, uses the gap up slowly), and a step past the end at either end. When its
 * neighbours leave no room, the customers in a window of ranks around them, widened until it is sparse
 * enough, are given evenly spread ranks again (their index entries moved with them), so the work stays local.
 */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_db.h"

#define RANK_MIN (-(INT64_C(1) << 62))
#define RANK_MAX (INT64_C(1) << 62)
#define RANK_STEP (INT64_C(1) << 32)  /* between neighbours after a spread, and past either end */
#define SPREAD_GAP (INT64_C(1) << 20) /* the least gap a window is spread to */
#define MID_STEP (INT64_C(1) << 24)   /* the most a new rank takes past its predecessor */

/* The stored customer before or after (key, id) (which: RANK_PREV or RANK_NEXT): its rank, and for
 * RANK_NEXT, when k is given, its sort key (copied into k) and id. */
static int neighbour(bb__sqlite *q, enum bb__sq which, const void *key, size_t len, int64_t id, int *found,
                     int64_t *rank, bb_buf *k, int64_t *next_id, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, which, err);
    int step, rc = 0;
    if (!st)
        return BB_EDB;
    sqlite3_bind_blob(st, 1, len ? key : "", (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    step = sqlite3_step(st);
    *found = step == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER;
    *rank = *found ? sqlite3_column_int64(st, 0) : 0;
    if (k) {
        *next_id = *found ? sqlite3_column_int64(st, 2) : 0;
        bb_buf_reset(k);
        if (*found && sqlite3_column_bytes(st, 1) > 0 &&
            bb_buf_add(k, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1)) != 0)
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    }
    sqlite3_reset(st);
    if (rc)
        return rc;
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0
                                                     : bb__sqlite_err(q, err, "placing a customer in order");
}

typedef struct ranked {
    int64_t id, rank;
    size_t off; /* search_text in the text buffer */
} ranked;

static int count_between(bb__sqlite *q, int64_t lo, int64_t hi, int64_t *n, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int step;
    if (sqlite3_prepare_v2(q->db,
                           "SELECT count(*) FROM customer WHERE merged_into IS NULL"
                           " AND search_rank BETWEEN ?1 AND ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return bb__sqlite_err(q, err, "spreading the search ranks");
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    step = sqlite3_step(st);
    *n = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : bb__sqlite_err(q, err, "spreading the search ranks");
}

/* Runs one cached statement of the search index (add or delete) for rank and text. */
static int index_entry(bb__sqlite *q, enum bb__sq which, int64_t rank, const char *text, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, which, err);
    if (!st)
        return BB_EDB;
    sqlite3_bind_int64(st, 1, rank);
    bb__sqlite_bind_text(st, 2, text);
    return bb__sqlite_run(q, st, err, "updating the search index");
}

/* Gives the n customers ranked in [lo, hi] evenly spread ranks in that range, in their order. */
static int spread(bb__sqlite *q, int64_t lo, int64_t hi, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    ranked *r = NULL;
    bb_buf text;
    size_t n = 0, cap = 0;
    int rc, step;
    uint64_t gap;
    bb_buf_init(&text, 0);
    if ((rc = bb__sqlite_search_flush(q, err)) != 0) /* waiting entries carry ranks that may move */
        return rc;
    if (sqlite3_prepare_v2(q->db,
                           "SELECT id, search_rank, search_text FROM customer WHERE merged_into IS NULL"
                           " AND search_rank BETWEEN ?1 AND ?2 ORDER BY search_rank",
                           -1, &st, NULL) != SQLITE_OK)
        return bb__sqlite_err(q, err, "spreading the search ranks");
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 2);
        if (n == cap) {
            ranked *p = realloc(r, (cap = cap ? 2 * cap : 64) * sizeof *p);
            if (!p) {
                rc = bb_error_set(err, BB_ENOMEM, "out of memory");
                break;
            }
            r = p;
        }
        r[n].id = sqlite3_column_int64(st, 0);
        r[n].rank = sqlite3_column_int64(st, 1);
        r[n].off = text.len;
        if (bb_buf_add(&text, t ? t : "", t ? strlen(t) + 1 : 1) != 0)
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        n++;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "spreading the search ranks");
    sqlite3_finalize(st);
    st = NULL;
    /* Out of the index at the old ranks, then in at the new ones: no two entries share a rank. */
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (text.data[r[i].off])
            rc = index_entry(q, BB__SQ_SEARCH_DEL, r[i].rank, text.data + r[i].off, err);
    gap = ((uint64_t)hi - (uint64_t)lo) / (n + 1);
    if (rc == 0 && sqlite3_prepare_v2(q->db, "UPDATE customer SET search_rank = ?2 WHERE id = ?1", -1, &st,
                                      NULL) != SQLITE_OK)
        rc = bb__sqlite_err(q, err, "spreading the search ranks");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        r[i].rank = (int64_t)((uint64_t)lo + gap * (i + 1));
        sqlite3_bind_int64(st, 1, r[i].id);
        sqlite3_bind_int64(st, 2, r[i].rank);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = bb__sqlite_err(q, err, "spreading the search ranks");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (text.data[r[i].off])
            rc = index_entry(q, BB__SQ_SEARCH_ADD, r[i].rank, text.data + r[i].off, err);
    free(r);
    bb_buf_release(&text);
    return rc;
}

/* Makes room between ranks a < b (b - a < 2): widens a window around them until it holds few enough
 * customers for gaps of SPREAD_GAP, then spreads it. */
static int make_room(bb__sqlite *q, int64_t a, int64_t b, bb_error *err)
{
    for (int64_t d = INT64_C(1) << 16;; d <<= 4) {
        int64_t lo = a - RANK_MIN > d ? a - d : RANK_MIN, hi = RANK_MAX - b > d ? b + d : RANK_MAX, n;
        int rc = count_between(q, lo, hi, &n, err);
        if (rc)
            return rc;
        if (((uint64_t)hi - (uint64_t)lo) / (uint64_t)(n + 2) >= (uint64_t)SPREAD_GAP ||
            (lo == RANK_MIN && hi == RANK_MAX))
            return spread(q, lo, hi, err);
    }
}

int bb__sqlite_rank_for(bb__sqlite *q, const void *key, size_t key_len, int64_t id, int64_t *rank,
                        bb_error *err)
{
    for (int round = 0; round < 2; round++) {
        int has_prev, has_next, rc;
        int64_t prev, next;
        if ((rc = neighbour(q, BB__SQ_RANK_PREV, key, key_len, id, &has_prev, &prev, NULL, NULL, err)) != 0 ||
            (rc = neighbour(q, BB__SQ_RANK_NEXT, key, key_len, id, &has_next, &next, NULL, NULL, err)) != 0)
            return rc;
        int64_t a, b;
        if (!has_prev && !has_next) {
            *rank = 0;
            return 0;
        }
        /* The bounds of the gap; past an end, a step beyond the last customer. */
        a = has_prev ? prev : next - RANK_MIN > 2 * RANK_STEP ? next - 2 * RANK_STEP : RANK_MIN;
        b = has_next ? next : RANK_MAX - prev > 2 * RANK_STEP ? prev + 2 * RANK_STEP : RANK_MAX;
        if ((uint64_t)b - (uint64_t)a >= 2) {
            uint64_t half = ((uint64_t)b - (uint64_t)a) / 2;
            *rank = (int64_t)((uint64_t)a + (half < (uint64_t)MID_STEP ? half : (uint64_t)MID_STEP));
            return 0;
        }
        if (round == 0 && (rc = make_room(q, a, b, err)) != 0)
            return rc;
    }
    return bb_error_set(err, BB_EINTERNAL, "no room left between two search ranks");
}

/* ---- many at once ---- */

/* (a, ia) against (b, ib), as SQLite orders (sort_key, id): bytes, then length, then id. */
static int key_cmp(const void *a, size_t la, int64_t ia, const void *b, size_t lb, int64_t ib)
{
    int c = memcmp(a, b, la < lb ? la : lb);
    if (c == 0)
        c = (la > lb) - (la < lb);
    return c ? c : (ia > ib) - (ia < ib);
}

/* Ranks for the m customers of a run between stored neighbours prev and next (either may be absent):
 * spread evenly over the gap, a RANK_STEP apart at most past either end. 0, or 1 when the gap is too
 * narrow (then *a, *b are its bounds). */
static int run_ranks(bb__rank_item *it, size_t m, int has_prev, int64_t prev, int has_next, int64_t next,
                     int64_t *a, int64_t *b)
{
    uint64_t step, room;
    if (!has_prev && !has_next) { /* the first customers: from 0 up, like the first one alone */
        for (size_t k = 0; k < m; k++)
            it[k].rank = (int64_t)(k * (uint64_t)RANK_STEP);
        return 0;
    }
    *a = has_prev ? prev : RANK_MIN;
    *b = has_next ? next : RANK_MAX;
    room = (uint64_t)*b - (uint64_t)*a;
    step = room / (m + 1);
    if ((!has_prev || !has_next) && step > (uint64_t)RANK_STEP)
        step = RANK_STEP;
    if (step < 1)
        return 1;
    for (size_t k = 0; k < m; k++)
        it[k].rank = has_prev ? (int64_t)((uint64_t)*a + (k + 1) * step)
                              : (int64_t)((uint64_t)*b - (m - k) * step);
    return 0;
}

int bb__sqlite_rank_many(bb__sqlite *q, bb__rank_item *it, size_t n, bb_error *err)
{
    bb_buf nk;
    int rc = 0;
    bb_buf_init(&nk, 0);
    for (int round = 0; round < 3 && rc == 0; round++) {
        size_t i = 0;
        int narrow = 0;
        while (i < n && rc == 0 && !narrow) {
            int has_prev, has_next;
            int64_t prev, next, next_id, a = 0, b = 0;
            size_t j = i + 1;
            if ((rc = neighbour(q, BB__SQ_RANK_PREV, it[i].key, it[i].key_len, it[i].id, &has_prev, &prev, NULL,
                                NULL, err)) != 0 ||
                (rc = neighbour(q, BB__SQ_RANK_NEXT, it[i].key, it[i].key_len, it[i].id, &has_next, &next, &nk,
                                &next_id, err)) != 0)
                break;
            /* the run: the new customers before the stored one after the first */
            while (j < n && (!has_next || key_cmp(it[j].key, it[j].key_len, it[j].id, nk.data ? nk.data : "",
                                                  nk.len, next_id) < 0))
                j++;
            if (run_ranks(it + i, j - i, has_prev, prev, has_next, next, &a, &b) != 0) {
                /* no room: spread the window around (rare; it leaves gaps of SPREAD_GAP, more than
                 * a run can hold), then place everyone again */
                rc = make_room(q, a, b, err);
                narrow = 1;
            }
            i = j;
        }
        if (rc == 0 && !narrow) {
            bb_buf_release(&nk);
            return 0;
        }
    }
    bb_buf_release(&nk);
    return rc ? rc : bb_error_set(err, BB_EINTERNAL, "no room left between two search ranks");
}
