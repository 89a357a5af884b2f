/* test_lnsum.c: sums of ln(g + v) and 1/(g + v) from moments about a centre against the same sums taken
 * directly (long double logl, one term at a time), across the radius of use, with zeros, tiny and huge
 * values among the v, and refusal outside the radius; the sum of logarithms by products likewise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>

#include <cmocka.h>

#include "birebir/sim.h"
#include "model/lnsum.h"

enum { N = 1003 }; /* not a multiple of the four lanes */

static double v[N];

static void fill(void)
{
    bb_rng g;
    bb_rng_seed(&g, 5);
    for (size_t i = 0; i < N; i++) {
        double u = bb_rng_uniform(&g);
        v[i] = i % 97 == 0 ? 0.0 : i % 89 == 0 ? 1e-9 * u : i % 83 == 0 ? 1e7 * u : 200.0 * u * u;
    }
}

static void direct(double g, size_t n, double *sl, double *si)
{
    long double a = 0.0L, b = 0.0L;
    for (size_t i = 0; i < n; i++) {
        a += logl((long double)g + v[i]);
        b += 1.0L / ((long double)g + v[i]);
    }
    *sl = (double)a;
    *si = (double)b;
}

static int close_rel(double got, double want, double tol)
{
    double d = fabs(got - want) / fabs(want);
    if (d > tol)
        printf("got %.17g want %.17g (rel %.3g)\n", got, want, d);
    return d <= tol;
}

static void matches_direct_sums_within_radius(void **state)
{
    (void)state;
    fill();
    const double centres[] = {15.5, 0.37, 2500.0};
    const size_t sizes[] = {N, 3, 1}; /* the tail without the lanes, and a single value */
    for (size_t ci = 0; ci < 3; ci++)
        for (size_t si_ = 0; si_ < 3; si_++) {
            bb__lnsum s;
            double c = centres[ci], sl, si, wl, wi;
            bb__lnsum_center(&s, v, sizes[si_], c);
            assert_true(s.n == (double)sizes[si_]);
            const double f[] = {0.0, 1e-9, -1e-6, 0.01, -0.05, 0.0999, -0.0999};
            for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
                double g = c + f[k] * (c + s.vmin);
                assert_int_equal(bb__lnsum_eval(&s, g, &sl, &si), 0);
                direct(g, sizes[si_], &wl, &wi);
                assert_true(close_rel(sl, wl, 1e-13));
                assert_true(close_rel(si, wi, 1e-13));
            }
        }
}

/* The sum of logarithms by exponent-normalised products, against logl term by term: many terms, values
 * across the whole normal range (those beyond 2^+-1000 take the per-term path), a tail shorter than the
 * lanes, and a centre added. */
static void sum_log_matches_logl(void **state)
{
    (void)state;
    enum { M = 200003 };
    static double w[M];
    bb_rng g;
    bb_rng_seed(&g, 8);
    for (size_t i = 0; i < M; i++)
        w[i] = exp(1400.0 * (bb_rng_uniform(&g) - 0.5)); /* e^-700 .. e^700 */
    w[5] = 1e-305;
    w[6] = 1.7e308;
    w[7] = 0x1p-1000;
    const size_t sizes[] = {M, 7, 3, 1, 0};
    const double cs[] = {0.0, 15.5};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        for (size_t ci = 0; ci < 2; ci++) {
            long double want = 0.0L, mag = 0.0L;
            for (size_t i = 0; i < sizes[k]; i++) {
                long double t = logl((long double)cs[ci] + w[i]);
                want += t;
                mag += fabsl(t);
            }
            double got = bb__sum_log(w, sizes[k], cs[ci]);
            if (!(fabs(got - (double)want) <= 1e-15 * (double)mag + 1e-300))
                printf("n %zu c %g: got %.17g want %.17Lg\n", sizes[k], cs[ci], got, want);
            assert_true(fabs(got - (double)want) <= 1e-15 * (double)mag + 1e-300);
        }
}

static void refuses_outside_radius(void **state)
{
    (void)state;
    fill();
    bb__lnsum s;
    double sl = -1.0, si = -1.0;
    bb__lnsum_center(&s, v, N, 10.0);
    assert_true(s.vmin == 0.0);
    assert_int_equal(bb__lnsum_eval(&s, 10.0 * (1.0 + 1.01 * BB__LNSUM_RHO), &sl, &si), -1);
    assert_int_equal(bb__lnsum_eval(&s, 10.0 * (1.0 - 1.01 * BB__LNSUM_RHO), &sl, &si), -1);
    assert_int_equal(bb__lnsum_eval(&s, NAN, &sl, &si), -1);
    assert_true(sl == -1.0 && si == -1.0); /* nothing written */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_direct_sums_within_radius),
        cmocka_unit_test(refuses_outside_radius),
        cmocka_unit_test(sum_log_matches_logl),
    };
    return cmocka_run_group_tests_name("lnsum", tests, NULL, NULL);
}
