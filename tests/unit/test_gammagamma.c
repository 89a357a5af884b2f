/* test_gammagamma.c: the Gamma-Gamma spend model against Fader, Hardie & Lee (2005) on CDNOW's 946 repeat
 * buyers (from the published summary and from the raw transactions), exclusion of customers without
 * repeats or with only zero-value repeats, the undefined expectation when q <= 1, and recovery of
 * simulated parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>

#include <cmocka.h>

#include "birebir/gammagamma.h"
#include "birebir/sim.h"
#include "birebir/summary.h"
#include "cdnow.h"

/* Published: p = 6.25, q = 3.74, gamma = 15.44 (FHL 2005 "RFM and CLV"; Fader & Hardie 2013 note). */
static void check_cdnow(const bb_fit *f)
{
    assert_int_equal(f->converged, 1);
    assert_int_equal(f->customers, 946);
    assert_int_equal(f->excluded, CDNOW_N - 946);
    assert_true(fabs(f->params[0] - 6.25) < 0.005);
    assert_true(fabs(f->params[1] - 3.74) < 0.005);
    assert_true(fabs(f->params[2] - 15.44) < 0.01);
}

static void cdnow_fit(void **state)
{
    (void)state;
    static cdnow_summary s;
    static double dollars[CDNOW_N];
    cdnow_raw raw;
    bb_summary sum;
    bb_fit f, g;
    assert_int_equal(cdnow_load_summary(&s), 0);
    assert_int_equal(bb_gg_fit(s.x, s.zbar, s.n, NULL, &f, NULL), 0);
    check_cdnow(&f);
    assert_int_equal(cdnow_load_raw(&raw), 0);
    bb_summary_opts o = {.ticks_per_day = 1, .unit_days = 7, .has_as_of = 1, .as_of = cdnow_days(1997, 9, 30)};
    assert_int_equal(bb_summary_build(raw.cust, raw.day, raw.cents, NULL, raw.n, &o, &sum, NULL), 0);
    for (size_t i = 0; i < sum.n; i++)
        dollars[i] = sum.mean_value[i] / 100.0;
    assert_int_equal(bb_gg_fit(sum.x, dollars, sum.n, NULL, &g, NULL), 0);
    check_cdnow(&g);
    /* the expected average spend of customer 1 (x = 2, mean 22.35): p (gamma + x m) / (p x + q - 1) */
    double e;
    assert_int_equal(bb_gg_expected_value(f.params, 2, 22.35, &e), 0);
    assert_true(fabs(e - f.params[0] * (f.params[2] + 2 * 22.35) / (2 * f.params[0] + f.params[1] - 1)) < 1e-12);
    assert_true(e > 22.35 && e < 40.0); /* shrunk towards the population mean, 35.1 */
    assert_int_equal(bb_gg_expected_value(f.params, 0, 0.0, &e), 0);
    assert_true(fabs(e - f.params[0] * f.params[2] / (f.params[1] - 1)) < 1e-12);
    bb_summary_release(&sum);
    cdnow_free_raw(&raw);
}

static void exclusions_and_undefined_mean(void **state)
{
    (void)state;
    int32_t x[] = {0, 2, 3, 1, 4, 2};
    double m[] = {0.0, 0.0, 10.0, 12.0, 9.0, 30.0};
    bb_fit f;
    bb_error err = {0};
    assert_int_equal(bb_gg_fit(x, m, 6, NULL, &f, &err), 0);
    assert_int_equal(f.customers, 4);
    assert_int_equal(f.excluded, 2);
    assert_int_equal(f.zero_value, 1);
    /* too few customers with positive repeat spend */
    assert_int_equal(bb_gg_fit(x, m, 3, NULL, &f, &err), BB_ENUMERIC);
    assert_non_null(strstr(err.msg, "1 whose repeats are all 0"));
    double neg[] = {0.0, -1.0};
    assert_int_equal(bb_gg_fit(x, neg, 2, NULL, &f, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "row 2"));
    /* -0 is a mean value of 0 (a zero-value repeat buyer); NaN, infinity and x < 0 are errors naming the
     * row, wherever it is among many valid rows */
    double mz[] = {0.0, -0.0, 10.0, 12.0, 9.0, 30.0};
    assert_int_equal(bb_gg_fit(x, mz, 6, NULL, &f, &err), 0);
    assert_int_equal(f.customers, 4);
    assert_int_equal(f.zero_value, 1);
    enum { M = 1000 };
    static int32_t xs[M];
    static double ms[M];
    const double badm[] = {NAN, INFINITY, -INFINITY, -1e-300};
    for (int k = 0; k < 5; k++) {
        for (size_t i = 0; i < M; i++) {
            xs[i] = 1 + (int32_t)(i % 5);
            ms[i] = 10.0 + (double)(i % 7);
        }
        if (k < 4)
            ms[777] = badm[k];
        else
            xs[777] = -3;
        err.msg[0] = '\0';
        assert_int_equal(bb_gg_fit(xs, ms, M, NULL, &f, &err), BB_EINVAL);
        assert_non_null(strstr(err.msg, "row 778"));
    }
    /* q <= 1: no population mean; a customer's mean exists only when p x + q > 1 */
    const double p[3] = {0.3, 0.8, 10.0};
    double e = -1.0;
    assert_int_equal(bb_gg_expected_value(p, 0, 0.0, &e), BB_ENUMERIC);
    assert_true(e == -1.0);
    assert_int_equal(bb_gg_expected_value(p, 0, 5.0, &e), BB_ENUMERIC);
    assert_int_equal(bb_gg_expected_value(p, 1, 5.0, &e), 0); /* 0.3 + 0.8 > 1 */
    assert_true(e > 0.0 && fabs(e - 0.3 * 15.0 / 0.1) < 1e-12);
}

static void recovers_simulated_parameters(void **state)
{
    (void)state;
    enum { N = 100000 };
    static int32_t x[N];
    static double m[N];
    const double truth[3] = {6.0, 4.0, 15.0};
    bb_rng g;
    bb_fit f;
    bb_rng_seed(&g, 9);
    for (size_t i = 0; i < N; i++)
        x[i] = (int32_t)(bb_rng_uniform(&g) * 8.0); /* 0 .. 7 repeats */
    bb_sim_gammagamma(truth, x, N, 13, m);
    assert_int_equal(bb_gg_fit(x, m, N, NULL, &f, NULL), 0);
    assert_int_equal(f.converged, 1);
    for (int i = 0; i < 3; i++) {
        double z = (f.params[i] - truth[i]) / f.se[i];
        printf("%-5s true %.4f est %.4f se %.4f z %+.2f\n", bb_model_param_name(f.model, i), truth[i],
               f.params[i], f.se[i], z);
        assert_true(fabs(z) < 3.0);
    }
}

/* The fit reads its data through moments about a centre (lnsum.h) and a subsample warm start: its
 * log-likelihood must be the plain per-customer sum at its optimum, and fitting all rows from the start
 * (no warm start) must reach the same optimum. */
static void loglik_is_the_direct_sum(void **state)
{
    (void)state;
    enum { N = 60000 };
    static int32_t x[N];
    static double m[N];
    const double truth[3] = {3.0, 5.0, 40.0};
    bb_rng g;
    bb_fit f, h;
    bb_fit_opts all = {.warm_start = SIZE_MAX};
    bb_rng_seed(&g, 21);
    for (size_t i = 0; i < N; i++)
        x[i] = (int32_t)(bb_rng_uniform(&g) * 30.0); /* many groups, some customers excluded (x = 0) */
    bb_sim_gammagamma(truth, x, N, 4, m);
    for (size_t i = 0; i < N; i += 101)
        m[i] = 0.0; /* zero-value repeats are left out */
    assert_int_equal(bb_gg_fit(x, m, N, NULL, &f, NULL), 0);
    assert_int_equal(f.converged, 1);
    long double ll = 0.0L;
    size_t used = 0;
    for (size_t i = 0; i < N; i++)
        if (x[i] > 0 && m[i] > 0.0) {
            ll += bb_gg_loglik(f.params, x[i], m[i]);
            used++;
        }
    assert_int_equal(f.customers, used);
    printf("LL %.10f direct %.10Lf\n", f.log_likelihood, ll);
    assert_true(fabs(f.log_likelihood - (double)ll) < 1e-9 * fabs((double)ll));
    assert_int_equal(bb_gg_fit(x, m, N, &all, &h, NULL), 0);
    assert_int_equal(h.converged, 1);
    for (int i = 0; i < 3; i++)
        assert_true(fabs(h.params[i] - f.params[i]) < 1e-3 * f.se[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exclusions_and_undefined_mean),
        cmocka_unit_test(recovers_simulated_parameters),
        cmocka_unit_test(loglik_is_the_direct_sum),
    };
    const struct CMUnitTest data_tests[] = {
        cmocka_unit_test(cdnow_fit),
    };
    int rc = cmocka_run_group_tests_name("gammagamma", tests, NULL, NULL);
    if (rc || !cdnow_available())
        return rc ? rc : 77;
    return cmocka_run_group_tests_name("gammagamma_cdnow", data_tests, NULL, NULL);
}
