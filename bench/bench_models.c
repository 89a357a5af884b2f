/* bench_models.c: fits BG/NBD, Gamma-Gamma and Pareto/NBD on simulated customers (default 1,000,000) and
 * times each on one core; also times the summaries of the same customers from raw orders. With --data DIR
 * it writes the simulated inputs (bgnbd.csv, pnbd.csv: x,t_x,T,m) for bench/models_scipy.py, which fits
 * the same likelihoods with scipy in the same run (bench/models.sh runs both and prints the ratios).
 *
 * Customers are acquired uniformly over a year and observed to its end; purchase times are rounded to
 * whole days (the resolution of date-only order data) and expressed in weeks. --continuous keeps exact
 * times instead (no two customers share a row, the worst case for the row collapsing).
 *
 * Times are CPU seconds of this process (single-threaded), so other load on the machine does not count.
 * With --repeat K each fit runs K times and the best time is printed (the first run's beside it): the first
 * run also pays for first touches of fresh memory and cold caches. models_scipy.py does the same.
 *
 * Usage: bench_models [N] [--data DIR] [--continuous] [--repeat K] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

#include "birebir/bgnbd.h"
#include "birebir/gammagamma.h"
#include "birebir/pnbd.h"
#include "birebir/sim.h"
#include "birebir/summary.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* one core's time, whatever else runs */
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void print_fit(const char *what, const bb_fit *f, double secs, double first, int repeat)
{
    printf("ours %-10s %8.4f s ", what, secs);
    if (repeat > 1)
        printf("(best of %d; first run %.4f s) ", repeat, first);
    printf(" evals %3d  LL %.4f  converged %d ", f->evaluations, f->log_likelihood, f->converged);
    for (int i = 0; i < f->nparams; i++)
        printf(" %s=%.6f", bb_model_param_name(f->model, i), f->params[i]);
    printf("\n");
}

static int write_csv(const char *dir, const char *name, const int32_t *x, const double *tx, const double *T,
                     const double *m, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "x,t_x,T,m\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%d,%.17g,%.17g,%.17g\n", (int)x[i], tx[i], T[i], m ? m[i] : 0.0);
    return fclose(f);
}

int main(int argc, char **argv)
{
    size_t n = 1000000;
    const char *dir = NULL;
    int continuous = 0, repeat = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            repeat = atoi(argv[++i]);
            repeat = repeat > 0 ? repeat : 1;
        } else if (strcmp(argv[i], "--continuous") == 0)
            continuous = 1;
        else
            n = strtoul(argv[i], NULL, 10);
    }
    int32_t *x = malloc(n * sizeof *x), *x2 = malloc(n * sizeof *x2);
    double *tx = malloc(n * sizeof *tx), *T = malloc(n * sizeof *T), *m = malloc(n * sizeof *m);
    double *tx2 = malloc(n * sizeof *tx2);
    int64_t *first = malloc(n * sizeof *first);
    if (!x || !x2 || !tx || !T || !m || !tx2 || !first)
        return 1;
    const double bg[4] = {0.243, 4.414, 0.793, 2.426}, pn[4] = {0.55, 10.58, 0.61, 11.67},
                 gg[3] = {6.25, 3.74, 15.44};
    bb_rng g;
    bb_rng_seed(&g, 2024);
    for (size_t i = 0; i < n; i++) {
        first[i] = (int64_t)(bb_rng_uniform(&g) * 364.0); /* day of acquisition in a 365-day year */
        T[i] = (364.0 - (double)first[i]) / 7.0;
    }
    bb_sim_bgnbd(bg, T, n, 1, x, tx);
    bb_sim_pnbd(pn, T, n, 2, x2, tx2);
    bb_sim_gammagamma(gg, x, n, 3, m);
    size_t total_orders = 0;
    for (size_t i = 0; i < n; i++) {
        if (!continuous) { /* to whole days; same-day repeats merge, as they would in date-only data */
            tx[i] = floor(tx[i] * 7.0) / 7.0;
            tx2[i] = floor(tx2[i] * 7.0) / 7.0;
            if (tx[i] == 0.0)
                x[i] = 0;
            if (tx2[i] == 0.0)
                x2[i] = 0;
        }
        total_orders += (size_t)x[i] + 1;
    }
    for (size_t i = 0; i < n; i++)
        if (x[i] == 0)
            m[i] = 0.0;
    size_t repeaters = 0;
    for (size_t i = 0; i < n; i++)
        repeaters += x[i] > 0;
    printf("customers %zu (%s times, in weeks), BG/NBD repeat buyers %zu\n", n, continuous ? "continuous" : "day",
           repeaters);
    if (dir && (write_csv(dir, "bgnbd.csv", x, tx, T, m, n) || write_csv(dir, "pnbd.csv", x2, tx2, T, NULL, n))) {
        fprintf(stderr, "cannot write to %s\n", dir);
        return 1;
    }

    /* summaries from raw orders: each customer's first day, then x repeats spread up to t_x */
    int64_t *oc = malloc(total_orders * sizeof *oc), *od = malloc(total_orders * sizeof *od),
            *ov = malloc(total_orders * sizeof *ov);
    if (!oc || !od || !ov)
        return 1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        for (int32_t j = 0; j <= x[i]; j++) {
            oc[k] = (int64_t)i;
            od[k] = first[i] + (x[i] ? (int64_t)(tx[i] * 7.0 * j / x[i] + 0.5) : 0);
            ov[k] = 1000 + j;
            k++;
        }
    }
    bb_summary s;
    bb_summary_opts so = {.ticks_per_day = 1, .unit_days = 7, .has_as_of = 1, .as_of = 364};
    double t0 = now();
    if (bb_summary_build(oc, od, ov, NULL, k, &so, &s, NULL) != 0)
        return 1;
    printf("ours summary    %8.3f s  (%zu orders, %zu customers)\n", now() - t0, k, s.n);
    bb_summary_release(&s);
    free(oc);
    free(od);
    free(ov);

    bb_fit f;
    bb_error err = {0};
    double best = 0.0, first_run = 0.0;
    for (int model = 0; model < 3; model++) {
        for (int r = 0; r < repeat; r++) {
            int rc;
            t0 = now();
            if (model == 0)
                rc = bb_bgnbd_fit(x, tx, T, n, NULL, &f, &err);
            else if (model == 1)
                rc = bb_gg_fit(x, m, n, NULL, &f, &err);
            else
                rc = bb_pnbd_fit(x2, tx2, T, n, NULL, &f, &err);
            double secs = now() - t0;
            if (rc != 0) {
                fprintf(stderr, "%s: %s\n", bb_model_name(f.model), err.msg);
                return 1;
            }
            if (r == 0)
                best = first_run = secs;
            else if (secs < best)
                best = secs;
        }
        print_fit(model == 0 ? "bgnbd" : model == 1 ? "gammagamma" : "pnbd", &f, best, first_run, repeat);
        fflush(stdout);
    }
    free(x);
    free(x2);
    free(tx);
    free(tx2);
    free(T);
    free(m);
    free(first);
    return 0;
}
