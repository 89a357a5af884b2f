/* test_rng.c: bb_rng reproduces the reference splitmix64 and xoshiro256** streams, and its
 * distributions have the moments theory says (checked within a few standard errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/rng.h"

static void reference_streams(void **state)
{
    (void)state;
    /* splitmix64 from state 0: the test vector of Vigna's splitmix64.c. */
    uint64_t st = 0;
    assert_true(bb_rng_splitmix64(&st) == 0xe220a8397b1dcdafULL);
    assert_true(bb_rng_splitmix64(&st) == 0x6e789e6aa1b965f4ULL);
    assert_true(bb_rng_splitmix64(&st) == 0x06c45d188009454fULL);
    /* xoshiro256** from the state {1, 2, 3, 4} (reference implementation's output). */
    bb_rng g = {{1, 2, 3, 4}};
    assert_true(bb_rng_next(&g) == 11520ULL);
    assert_true(bb_rng_next(&g) == 0ULL);
    assert_true(bb_rng_next(&g) == 1509978240ULL);
    assert_true(bb_rng_next(&g) == 1215971899390074240ULL);
    /* Seeding is splitmix64 filling the state (values from an independent Python implementation). */
    bb_rng_seed(&g, 42);
    assert_true(bb_rng_next(&g) == 0x15780b2e0c2ec716ULL);
    assert_true(bb_rng_next(&g) == 0x6104d9866d113a7eULL);
    assert_true(bb_rng_next(&g) == 0xae17533239e499a1ULL);
}

static void streams_are_independent(void **state)
{
    (void)state;
    bb_rng a, b, c;
    bb_rng_seed_stream(&a, 7, 1);
    bb_rng_seed_stream(&b, 7, 1);
    bb_rng_seed_stream(&c, 7, 2);
    for (int i = 0; i < 100; i++) {
        uint64_t x = bb_rng_next(&a);
        assert_true(x == bb_rng_next(&b));
        assert_true(x != bb_rng_next(&c));
    }
    bb_rng_seed_stream(&a, 8, 0);
    bb_rng_seed_stream(&b, 7, 1);
    assert_true(bb_rng_next(&a) != bb_rng_next(&b));
}

/* Sample mean and variance of n draws. */
typedef double (*draw_fn)(bb_rng *g, const double *arg);

static void moments(draw_fn f, const double *arg, int n, double *mean, double *var)
{
    bb_rng g;
    double s = 0.0, s2 = 0.0;
    bb_rng_seed(&g, 12345);
    for (int i = 0; i < n; i++) {
        double x = f(&g, arg);
        s += x;
        s2 += x * x;
    }
    *mean = s / n;
    *var = s2 / n - *mean * *mean;
}

static double d_uniform(bb_rng *g, const double *a) { (void)a; return bb_rng_uniform(g); }
static double d_exp(bb_rng *g, const double *a) { return bb_rng_exponential(g, a[0]); }
static double d_normal(bb_rng *g, const double *a) { (void)a; return bb_rng_normal(g); }
static double d_gamma(bb_rng *g, const double *a) { return bb_rng_gamma(g, a[0], a[1]); }
static double d_beta(bb_rng *g, const double *a) { return bb_rng_beta(g, a[0], a[1]); }
static double d_poisson(bb_rng *g, const double *a) { return (double)bb_rng_poisson(g, a[0]); }

/* |mean - mu| within 4 standard errors, and the variance within 5%. */
static void check(draw_fn f, const double *arg, double mu, double sigma2)
{
    const int n = 400000;
    double m, v;
    moments(f, arg, n, &m, &v);
    if (fabs(m - mu) > 4.0 * sqrt(sigma2 / n) || fabs(v - sigma2) > 0.05 * sigma2)
        fail_msg("mean %g (want %g), variance %g (want %g)", m, mu, v, sigma2);
}

static void distributions(void **state)
{
    (void)state;
    double a[2] = {0.0, 0.0};
    check(d_uniform, a, 0.5, 1.0 / 12.0);
    a[0] = 2.5;
    check(d_exp, a, 0.4, 0.16);
    check(d_normal, a, 0.0, 1.0);
    /* Gamma(k, rate): mean k/rate, variance k/rate^2, on both sides of shape 1. */
    a[0] = 0.9, a[1] = 6.0;
    check(d_gamma, a, 0.15, 0.9 / 36.0);
    a[0] = 0.243, a[1] = 4.414;
    check(d_gamma, a, 0.243 / 4.414, 0.243 / (4.414 * 4.414));
    a[0] = 6.0, a[1] = 2.0;
    check(d_gamma, a, 3.0, 1.5);
    /* Beta(a, b): mean a/(a+b), variance ab/((a+b)^2 (a+b+1)). */
    a[0] = 0.7, a[1] = 3.5;
    check(d_beta, a, 0.7 / 4.2, 0.7 * 3.5 / (4.2 * 4.2 * 5.2));
    a[0] = 3.0;
    check(d_poisson, a, 3.0, 3.0);
    a[0] = 0.2;
    check(d_poisson, a, 0.2, 0.2);
}

static void below_and_pick(void **state)
{
    (void)state;
    bb_rng g;
    int counts[3] = {0};
    const double w[3] = {1.0, 0.0, 3.0}, cum[3] = {1.0, 1.0, 4.0};
    bb_rng_seed(&g, 1);
    assert_true(bb_rng_below(&g, 0) == 0);
    for (int i = 0; i < 100000; i++) {
        uint64_t x = bb_rng_below(&g, 7);
        assert_true(x < 7);
        counts[bb_rng_pick(&g, w, 3)]++;
        assert_int_not_equal(bb_rng_pick_cumulative(&g, cum, 3), 1); /* weight 0 never picked */
    }
    assert_int_equal(counts[1], 0);
    /* 25% vs 75%: 25,000 +- 4 sd (sd = 137) */
    assert_true(counts[0] > 25000 - 550 && counts[0] < 25000 + 550);
    for (int i = 0; i < 100000; i++) {
        double u = bb_rng_uniform(&g);
        assert_true(u > 0.0 && u < 1.0);
    }
    /* The extremes of the 53 bits stay inside (0, 1). */
    g.s[0] = g.s[1] = g.s[2] = g.s[3] = 0;
    assert_true(bb_rng_uniform(&g) > 0.0); /* the all-zero state yields 0 bits */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reference_streams),
        cmocka_unit_test(streams_are_independent),
        cmocka_unit_test(distributions),
        cmocka_unit_test(below_and_pick),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
