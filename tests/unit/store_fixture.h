/* store_fixture.h: a fresh store in a temporary directory for each test, and an independent SQLite
 * connection to check what was written (counts, columns) without going through the store's reads. */
#ifndef BB_STORE_FIXTURE_H
#define BB_STORE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "birebir/store.h"

typedef struct fx {
    char dir[64];
    char path[128];
    bb_store *s;
} fx;

static inline int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    bb_error err = {0};
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/bb-unit.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    if (bb_store_open(f->path, BB_STORE_CREATE, &f->s, &err) != 0) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int fx_teardown(void **state)
{
    fx *f = *state;
    char cmd[200];
    bb_store_close(f->s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

/* The first column of the first row of sql, read through a separate connection (committed data). */
static inline int64_t fx_int(fx *f, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    else
        fprintf(stderr, "fx_int(%s): %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* As fx_int, for a text column, copied into buf ("" for NULL). */
static inline const char *fx_text(fx *f, const char *sql, char *buf, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    if (sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf;
}

/* Each put, failing the test with the store's message when it fails; returns the put's result. */
#define FX_PUT(fn, rec_t)                                                                           \
    static inline bb_put_result fx_##fn(fx *f, const rec_t *r, bb_put_stats *stats)                 \
    {                                                                                               \
        bb_error e = {0};                                                                           \
        bb_put_result res = 0;                                                                      \
        if (bb_store_##fn(f->s, r, &res, stats, &e) != 0)                                           \
            fail_msg(#fn ": %s", e.msg);                                                            \
        return res;                                                                                 \
    }
FX_PUT(put_customer, bb_customer_rec)
FX_PUT(put_product, bb_product_rec)
FX_PUT(put_order, bb_order_rec)
FX_PUT(put_order_line, bb_order_line_rec)
FX_PUT(put_interaction, bb_interaction_rec)
FX_PUT(put_consent, bb_consent_rec)
FX_PUT(put_survey, bb_survey_rec)
#undef FX_PUT

/* The internal id a reference resolves to (0 when it names nobody). */
static inline int64_t fx_resolve(fx *f, const char *ref, const char *kind)
{
    int64_t id = 0;
    bb_error e = {0};
    int rc = bb_store_resolve(f->s, ref, kind, &id, &e);
    if (rc != 0 && rc != BB_ENOTFOUND)
        fail_msg("resolve %s: %s", ref, e.msg);
    return rc == 0 ? id : 0;
}

static inline void fx_begin(fx *f)
{
    bb_error e = {0};
    if (bb_store_begin(f->s, &e) != 0)
        fail_msg("begin: %s", e.msg);
}

static inline void fx_commit(fx *f)
{
    bb_error e = {0};
    if (bb_store_commit(f->s, &e) != 0)
        fail_msg("commit: %s", e.msg);
}

#endif
