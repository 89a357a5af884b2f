/* bench_profile.c: the cost of one customer 360 view (bb_profile_write: the JSON text the API sends), in
 * processor time per view over random customers, beside the anchor measured in the same run: the
 * least any view can do, the customer's row read by its external id and written as a small JSON
 * object. Processor time (this thread's), so that a busy machine changes the figures little; wall
 * time is printed too. Where bench/server.sh measures the view through HTTP, this one measures what
 * the view itself costs: rendered (bb_profile_write), and as the server serves it
 * (bb_profile_write_stored: the stored view with the scores put in, when `views build` has run).
 * Usage: bench_profile DB [VIEWS (2000)]   (the database is opened read-only) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "birebir/profile.h"
#include "birebir/store.h"

static double clock_us(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[2]) : 2000, got = 0;
    char **ids;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    bb_store *s = NULL;
    bb_error err = {0};
    size_t bytes = 0, anchor_bytes = 0;
    if (argc < 2 || n < 1) {
        fprintf(stderr, "usage: bench_profile DB [VIEWS]\n");
        return 2;
    }
    if (!(ids = calloc((size_t)n, sizeof *ids)) ||
        sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT external_id FROM customer WHERE merged_into IS NULL AND id >="
                           " (SELECT abs(random()) % max(id) + 1 FROM customer) ORDER BY id LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_profile: cannot read %s\n", argv[1]);
        return 1;
    }
    for (int tries = 0; got < n && tries < 4 * n; tries++) { /* random ids, without reading the table */
        if (sqlite3_step(st) == SQLITE_ROW)
            ids[got++] = strdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (bb_store_open(argv[1], BB_STORE_READONLY, &s, &err) != 0) {
        fprintf(stderr, "bench_profile: %s\n", err.msg);
        return 1;
    }
    /* Ours: the whole view as the API sends it. */
    double c0 = clock_us(CLOCK_THREAD_CPUTIME_ID), w0 = clock_us(CLOCK_MONOTONIC);
    for (int i = 0; i < got; i++) {
        bb_buf text;
        bb_buf_init(&text, 0);
        if (bb_profile_write(s, ids[i], NULL, NULL, 12, &text, &err) != 0) {
            fprintf(stderr, "bench_profile: %s: %s\n", ids[i], err.msg);
            return 3;
        }
        bytes += text.len;
        bb_buf_release(&text);
    }
    double ours_cpu = (clock_us(CLOCK_THREAD_CPUTIME_ID) - c0) / got,
           ours_wall = (clock_us(CLOCK_MONOTONIC) - w0) / got;
    /* As the server serves it: from the stored view when there is one. */
    size_t stored_bytes = 0;
    int from_store = 0, stored_ok = 1;
    c0 = clock_us(CLOCK_THREAD_CPUTIME_ID), w0 = clock_us(CLOCK_MONOTONIC);
    for (int i = 0; i < got && stored_ok; i++) {
        bb_buf text;
        int64_t missing = 0;
        bb_buf_init(&text, 0);
        if (bb_profile_write_stored(s, ids[i], NULL, &text, &missing, &err) != 0) {
            fprintf(stderr, "bench_profile: stored views: %s (a database older than the stored views?)\n", err.msg);
            stored_ok = 0;
        }
        from_store += missing == 0;
        stored_bytes += text.len;
        bb_buf_release(&text);
    }
    double st_cpu = (clock_us(CLOCK_THREAD_CPUTIME_ID) - c0) / got,
           st_wall = (clock_us(CLOCK_MONOTONIC) - w0) / got;
    /* The anchor: one row by external id, printed. */
    if (sqlite3_prepare_v2(db,
                           "SELECT id, external_id, first_name, last_name, email, phone, city FROM customer"
                           " WHERE external_id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return 3;
    c0 = clock_us(CLOCK_THREAD_CPUTIME_ID), w0 = clock_us(CLOCK_MONOTONIC);
    for (int i = 0; i < got; i++) {
        char out[1024];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            anchor_bytes += (size_t)snprintf(
                out, sizeof out,
                "{\"id\":\"%s\",\"internal_id\":%lld,\"first_name\":\"%s\","
                "\"last_name\":\"%s\",\"email\":\"%s\",\"phone\":\"%s\",\"city\":\"%s\"}",
                sqlite3_column_text(st, 1), (long long)sqlite3_column_int64(st, 0),
                sqlite3_column_text(st, 2), sqlite3_column_text(st, 3), sqlite3_column_text(st, 4),
                sqlite3_column_text(st, 5), sqlite3_column_text(st, 6));
    }
    double a_cpu = (clock_us(CLOCK_THREAD_CPUTIME_ID) - c0) / got,
           a_wall = (clock_us(CLOCK_MONOTONIC) - w0) / got;
    sqlite3_finalize(st);
    printf("customer 360 view, %d random customers (one thread)\n", got);
    printf("  %-40s %12s %12s %12s\n", "", "cpu us/view", "wall us/view", "bytes/view");
    printf("  %-40s %12.1f %12.1f %12zu\n", "bb_profile_write (the API's text)", ours_cpu, ours_wall,
           bytes / (size_t)got);
    if (stored_ok) {
        char label[64];
        snprintf(label, sizeof label, "bb_profile_write_stored (%d%% stored)", 100 * from_store / got);
        printf("  %-40s %12.1f %12.1f %12zu\n", label, st_cpu, st_wall, stored_bytes / (size_t)got);
    }
    printf("  %-40s %12.1f %12.1f %12zu\n", "anchor: the customer row as JSON", a_cpu, a_wall,
           anchor_bytes / (size_t)got);
    printf("  ratio (cpu): the view costs %.1f times the anchor", a_cpu > 0 ? ours_cpu / a_cpu : 0);
    if (stored_ok)
        printf("; served as the server does, %.1f times", a_cpu > 0 ? st_cpu / a_cpu : 0);
    printf("\n");
    for (int i = 0; i < got; i++)
        free(ids[i]);
    free(ids);
    bb_store_close(s);
    sqlite3_close(db);
    return 0;
}
