/* bench_score.c: bench_score DB [N]: the real-time re-scoring of one customer (bb_score_customer: its
 * orders read, its summary, P(alive), expected purchases and value, CLV, RFM and tier from the stored
 * cut points, its scores written) on N customers spread over an analysed database, inside a
 * transaction that is rolled back (DB is left as it was). The anchor, measured in the same run on the
 * same customers: reading the customer's orders alone (bb_store_order_values), the floor of any
 * re-score. Also the cost of loading the stored parameters (bb_score_params_load). Prints microseconds per customer and the ratio. Not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "birebir/score.h"
#include "birebir/store.h"
#include "birebir/store_score.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int count(void *ctx, const bb_order_value *v)
{
    (void)v;
    ++*(long *)ctx;
    return 0;
}

int main(int argc, char **argv)
{
    bb_store *s = NULL;
    bb_error err = {0};
    bb_score_params p;
    bb_store_status st;
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 10000, orders = 0;
    double t0, t_read, t_score;
    if (argc < 2 || n < 1) {
        fprintf(stderr, "usage: bench_score DB [N]\n");
        return 2;
    }
    if (bb_store_open(argv[1], 0, &s, &err) != 0 || bb_store_status_get(s, &st, &err) != 0 ||
        bb_score_params_load(s, &p, &err) != 0) {
        fprintf(stderr, "bench_score: %s (analyse the database first)\n", err.msg);
        return 1;
    }
    int64_t step = st.customers / n > 0 ? st.customers / n : 1;
    if (bb_store_begin(s, &err) != 0)
        return 1;
    t0 = now();
    for (long i = 0; i < n; i++)
        if (bb_store_order_values(s, 1 + i * step, count, &orders, &err) != 0)
            return 1;
    t_read = now() - t0;
    t0 = now();
    for (long i = 0; i < n; i++)
        if (bb_score_customer(s, &p, 1 + i * step, &err) != 0) {
            fprintf(stderr, "bench_score: %s\n", err.msg);
            return 1;
        }
    t_score = now() - t0;
    t0 = now();
    for (long i = 0; i < 1000; i++)
        if (bb_score_params_load(s, &p, &err) != 0)
            return 1;
    double t_params = (now() - t0) / 1000;
    bb_store_rollback(s);
    printf("%ld customers of %lld (%.1f orders each)\n", n, (long long)st.customers, (double)orders / n);
    printf("re-score one customer (read, score, write): %8.1f us\n", 1e6 * t_score / n);
    printf("anchor: read its orders alone:              %8.1f us\n", 1e6 * t_read / n);
    printf("ratio re-score / read: %.2f\n", t_read > 0 ? t_score / t_read : 0.0);
    printf("loading the current run's parameters (once per event batch customer): %.1f us\n", 1e6 * t_params);
    bb_store_close(s);
    return 0;
}
