/* bench_search.c: customer search (bb_store_search, the first page of 20) per kind of query, p50 and
 * p99, beside the anchor measured in the same run: the plain SQL a first attempt would write, every
 * folded word tested with instr() on search_text while walking the Turkish-collation index
 * (ORDER BY sort_key, id LIMIT 21), run by SQLite on the same database. The terms are drawn from the
 * database itself: a common first name, a rare surname (one to three customers), a fragment of an
 * email, the last seven digits of a phone, a city, and one or two letters.
 * Usage: bench_search DB [QUERIES_PER_KIND (200)] [ANCHOR_QUERIES_PER_KIND (20)]
 * The database is opened read-only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "birebir/buf.h"
#include "birebir/store.h"
#include "birebir/text.h"

enum { KINDS = 6, MAX_TERMS = 1000 };

static const char *kind_name[KINDS] = {"common first name", "rare surname", "email fragment",
                                       "phone (7 digits)",  "city",         "1-2 letters"};

/* The SQL that draws the terms of each kind (random order, repeatable with the same database). */
static const char *kind_sql[KINDS] = {
    "SELECT first_name FROM (SELECT first_name, count(*) n FROM customer WHERE first_name IS NOT NULL"
    " AND merged_into IS NULL GROUP BY first_name ORDER BY n DESC LIMIT 20) ORDER BY random()",
    "SELECT last_name FROM (SELECT last_name, count(*) n FROM customer WHERE last_name IS NOT NULL"
    " AND merged_into IS NULL GROUP BY last_name HAVING n <= 3) ORDER BY random()",
    "SELECT substr(email, 1 + abs(random()) % max(1, instr(email, '@') - 5), 5) FROM customer"
    " WHERE email IS NOT NULL AND instr(email, '@') > 5 AND merged_into IS NULL ORDER BY random()",
    "SELECT substr(phone, -7) FROM customer WHERE length(phone) >= 10 AND merged_into IS NULL"
    " ORDER BY random()",
    "SELECT city FROM (SELECT DISTINCT city FROM customer WHERE city IS NOT NULL) ORDER BY random()",
    "SELECT substr(first_name, 1, 1 + abs(random()) % 2) FROM customer WHERE first_name IS NOT NULL"
    " AND merged_into IS NULL ORDER BY random()",
};

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
    int i = (int)(p * (n - 1) + 0.5);
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n ? v[i] : 0;
}

static int count_hit(void *ctx, const bb_customer_hit *h)
{
    (void)h;
    ++*(int *)ctx;
    return 0;
}

/* The anchor: the folded words, each tested with instr(), in collation order. */
static double anchor_query(sqlite3 *db, const char *term, int *hits)
{
    bb_buf folded, sql;
    sqlite3_stmt *st = NULL;
    char *words[16];
    int n = 0;
    double t0 = now_ms();
    bb_buf_init(&folded, 0);
    bb_buf_init(&sql, 0);
    if (bb_text_fold(term, (size_t)-1, &folded) != 0)
        return -1;
    for (char *p = strtok(folded.data, " "); p && n < 16; p = strtok(NULL, " "))
        words[n++] = p;
    int rc = bb_buf_adds(&sql, "SELECT id, external_id, first_name, last_name, email, phone, city"
                               " FROM customer WHERE merged_into IS NULL");
    for (int i = 0; i < n && rc == 0; i++)
        rc = bb_buf_addf(&sql, " AND instr(search_text, ?%d) > 0", i + 1);
    if (rc == 0)
        rc = bb_buf_adds(&sql, " ORDER BY sort_key, id LIMIT 21");
    if (rc != 0 || sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "anchor: %s\n", sqlite3_errmsg(db));
        exit(3);
    }
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(st, i + 1, words[i], -1, SQLITE_STATIC);
    *hits = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        ++*hits;
    sqlite3_finalize(st);
    bb_buf_release(&folded);
    bb_buf_release(&sql);
    return now_ms() - t0;
}

int main(int argc, char **argv)
{
    static char *terms[KINDS][MAX_TERMS];
    static double ours[MAX_TERMS], anchor[MAX_TERMS];
    int nq = argc > 2 ? atoi(argv[2]) : 200, na = argc > 3 ? atoi(argv[3]) : 20, nterms[KINDS] = {0};
    bb_store *s = NULL;
    bb_error err = {0};
    sqlite3 *db = NULL;
    char cursor[BB_STORE_CURSOR_MAX];
    if (argc < 2 || nq < 1 || nq > MAX_TERMS || na < 0 || na > nq) {
        fprintf(stderr, "usage: bench_search DB [QUERIES_PER_KIND (200, at most %d)] [ANCHOR_QUERIES (20)]\n",
                MAX_TERMS);
        return 2;
    }
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_search: cannot open %s\n", argv[1]);
        return 1;
    }
    for (int k = 0; k < KINDS; k++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, kind_sql[k], -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "bench_search: %s\n", sqlite3_errmsg(db));
            return 3;
        }
        while (nterms[k] < nq && sqlite3_step(st) == SQLITE_ROW)
            terms[k][nterms[k]++] = strdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        for (int i = nterms[k]; i < nq && nterms[k] > 0; i++) /* few distinct terms: repeat them */
            terms[k][i] = terms[k][i % nterms[k]];
        if (nterms[k] > 0)
            nterms[k] = nq;
    }
    if (bb_store_open(argv[1], BB_STORE_READONLY, &s, &err) != 0) {
        fprintf(stderr, "bench_search: %s\n", err.msg);
        return 1;
    }
    printf("bb_store_search, first page of 20, %d queries per kind (the anchor: the first %d of them)\n", nq,
           na);
    printf("  %-20s %9s %9s %11s %11s %9s %7s\n", "", "p50 ms", "p99 ms", "anchor p50", "anchor p99",
           "p99 ratio", "hits");
    for (int k = 0; k < KINDS; k++) {
        double hits_sum = 0, worst = -1;
        const char *worst_term = "";
        if (!nterms[k]) {
            printf("  %-20s (no terms of this kind in the database)\n", kind_name[k]);
            continue;
        }
        for (int i = 0; i < nterms[k]; i++) {
            int hits = 0;
            double t0 = now_ms();
            if (bb_store_search(s, terms[k][i], 20, NULL, count_hit, &hits, cursor, &err) != 0) {
                fprintf(stderr, "bench_search: \"%s\": %s\n", terms[k][i], err.msg);
                return 3;
            }
            ours[i] = now_ms() - t0;
            hits_sum += hits;
            if (ours[i] > worst) {
                worst = ours[i];
                worst_term = terms[k][i];
            }
        }
        for (int i = 0; i < na; i++) {
            int hits = 0;
            anchor[i] = anchor_query(db, terms[k][i], &hits);
        }
        double o50 = pct(ours, nterms[k], 0.5), o99 = pct(ours, nterms[k], 0.99);
        double a50 = pct(anchor, na, 0.5), a99 = pct(anchor, na, 0.99);
        printf("  %-20s %9.2f %9.2f %11.2f %11.2f %9.1f %7.1f\n", kind_name[k], o50, o99, a50, a99,
               o99 > 0 ? a99 / o99 : 0, hits_sum / nterms[k]);
        if (getenv("BB_BENCH_WORST"))
            printf("    slowest: \"%s\" %.2f ms\n", worst_term, worst);
    }
    printf("  (p99 ratio: the anchor's p99 over ours; hits: mean hits on the first page; goal: p99 under 50 "
           "ms)\n");
    bb_store_close(s);
    sqlite3_close(db);
    return 0;
}
