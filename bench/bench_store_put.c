/* bench_store_put.c: 1,000,000 order lines through bb_store_put_order_line (orders, customers and
 * products created on the way, amounts kept, everything indexed), against the anchor: the same rows
 * as text through one prepared INSERT into a bare table without keys or indexes (what the sqlite3
 * shell's .import does), in the same run. Prints both rates and the ratio (wall clock, and processor
 * time, the fairer figure on a shared machine), then the rate of putting the same lines again (all
 * unchanged, from cold caches).
 * Usage: bench_store_put [LINES] [DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "birebir/store.h"

typedef struct row {
    char order[16], cust[16], sku[16], at[24], qty[8], price[16];
    int line_no;
    double quantity;
    int64_t price_minor;
} row;

static double cpu0;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Processor time of this process: on a shared machine the fairer figure. */
static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

static row *make_rows(size_t n)
{
    row *r = calloc(n, sizeof *r);
    uint64_t s = 88172645463325252ull;
    size_t i = 0;
    int order = 0;
    if (!r)
        return NULL;
    while (i < n) {
        int lines = 1 + (int)(rng(&s) % 8), cust = 1 + (int)(rng(&s) % 100000);
        order++;
        for (int k = 1; k <= lines && i < n; k++, i++) {
            snprintf(r[i].order, sizeof r[i].order, "O%d", order);
            snprintf(r[i].cust, sizeof r[i].cust, "C%d", cust);
            snprintf(r[i].sku, sizeof r[i].sku, "SKU%d", 1 + (int)(rng(&s) % 5000));
            snprintf(r[i].at, sizeof r[i].at, "2024-03-%02d 10:00:00", 1 + order % 28);
            r[i].quantity = 1 + (double)(rng(&s) % 5);
            r[i].price_minor = 100 + (int64_t)(rng(&s) % 49900);
            snprintf(r[i].qty, sizeof r[i].qty, "%g", r[i].quantity);
            snprintf(r[i].price, sizeof r[i].price, "%lld.%02lld", (long long)(r[i].price_minor / 100),
                     (long long)(r[i].price_minor % 100));
            r[i].line_no = k;
        }
    }
    return r;
}

/* Puts every row in one transaction; *unchanged counts the rows reported unchanged. */
static double put_all(bb_store *s, const row *r, size_t n, bb_put_stats *st, size_t *unchanged)
{
    bb_error err = {0};
    bb_put_result res;
    double t0 = now_s();
    cpu0 = cpu_s();
    *unchanged = 0;
    if (bb_store_begin(s, &err) != 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        bb_order_line_rec l = {.order_id = r[i].order, .customer_ref = r[i].cust,
                               .ordered_at = 1709287200 + (int64_t)(i / 8) * 60, .sku = r[i].sku,
                               .quantity = r[i].quantity, .unit_price_minor = r[i].price_minor,
                               .line_no = r[i].line_no};
        if (bb_store_put_order_line(s, &l, &res, st, &err) != 0)
            goto fail;
        *unchanged += res == BB_PUT_UNCHANGED;
    }
    if (bb_store_commit(s, &err) != 0)
        goto fail;
    cpu0 = cpu_s() - cpu0;
    return now_s() - t0;
fail:
    fprintf(stderr, "store: %s\n", err.msg);
    bb_store_rollback(s);
    return -1;
}

static double again_wall, again_cpu;

static double bench_store(const row *r, size_t n, const char *path)
{
    bb_store *s = NULL;
    bb_error err = {0};
    bb_put_stats st = {0};
    size_t unchanged;
    double t, c;
    if (bb_store_open(path, BB_STORE_CREATE, &s, &err) != 0) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    t = put_all(s, r, n, &st, &unchanged);
    c = cpu0;
    fprintf(stderr, "  store: %lld orders, %lld customers, %lld products created\n",
            (long long)st.orders_created, (long long)st.customers_created,
            (long long)st.products_created);
    /* the same lines again, through a fresh handle (cold caches): every one unchanged */
    bb_store_close(s);
    if (t >= 0 && bb_store_open(path, 0, &s, &err) == 0) {
        again_wall = put_all(s, r, n, &st, &unchanged);
        again_cpu = cpu0;
        if (unchanged != n)
            fprintf(stderr, "  re-put: %zu of %zu unchanged\n", unchanged, n);
    }
    bb_store_close(s);
    cpu0 = c;
    return t;
}

static double bench_bare(const row *r, size_t n, const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    double t0 = -1;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "CREATE TABLE t (order_id TEXT, customer_id TEXT, ordered_at TEXT, sku TEXT,"
                         " quantity TEXT, unit_price TEXT)", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL) !=
            SQLITE_OK)
        goto done;
    t0 = now_s();
    cpu0 = cpu_s();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_text(st, 1, r[i].order, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r[i].cust, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r[i].at, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, r[i].sku, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, r[i].qty, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, r[i].price, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            t0 = -1;
            goto done;
        }
        sqlite3_reset(st);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        t0 = -1;
    else
        t0 = now_s() - t0, cpu0 = cpu_s() - cpu0;
done:
    if (t0 < 0)
        fprintf(stderr, "bare insert: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t0;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char p1[512], p2[512], cmd[1200];
    row *r = make_rows(n);
    double ts, tb, cs, cb;
    if (!r || n == 0)
        return 1;
    snprintf(p1, sizeof p1, "%s/bench_store_put.%d.db", dir, (int)getpid());
    snprintf(p2, sizeof p2, "%s/bench_store_bare.%d.db", dir, (int)getpid());
    tb = bench_bare(r, n, p2);
    cb = cpu0;
    ts = bench_store(r, n, p1);
    cs = cpu0;
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s'-wal '%s'-shm '%s'", p1, p1, p1, p2);
    if (getenv("BB_BENCH_KEEP"))
        printf("kept %s\n", p1);
    else if (system(cmd) != 0)
        fprintf(stderr, "could not remove the databases\n");
    free(r);
    if (ts < 0 || tb < 0)
        return 1;
    printf("order lines:                  %zu\n", n);
    printf("birebir put_order_line:       %10.0f lines/s  (%.2f s wall, %.2f s cpu)\n", n / ts, ts, cs);
    printf("bare INSERT (anchor):         %10.0f rows/s   (%.2f s wall, %.2f s cpu)\n", n / tb, tb, cb);
    printf("ratio birebir/anchor:         %.2f (wall), %.2f (cpu)\n", tb / ts, cb / cs);
    if (again_wall > 0)
        printf("birebir again (all unchanged): %10.0f lines/s  (%.2f s wall, %.2f s cpu)\n",
               n / again_wall, again_wall, again_cpu);
    return 0;
}
