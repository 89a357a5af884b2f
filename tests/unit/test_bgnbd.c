/* test_bgnbd.c: BG/NBD against Fader, Hardie & Lee (2005) on the CDNOW sample (from the published summary
 * and from the raw transactions), conditional expectations against an independent scipy integration,
 * recovery of known parameters from 100,000 simulated customers, determinism, and clear errors for
 * degenerate data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "birebir/bgnbd.h"
#include "birebir/sim.h"
#include "birebir/summary.h"
#include "cdnow.h"
#include "model/btyd.h"

static int rel_ok(double got, double want, double tol)
{
    double d = fabs(got - want) / fabs(want);
    if (d > tol)
        printf("got %.12g want %.12g (rel %.3g > %.3g)\n", got, want, d, tol);
    return d <= tol;
}

/* Published: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 (FHL 2005, table 1); the
 * standard errors as printed by the lifetimes package's documentation for the same data. */
static void check_cdnow_fit(const bb_fit *f, double se_tol)
{
    assert_int_equal(f->converged, 1);
    assert_int_equal(f->hessian_ok, 1);
    assert_true(rel_ok(f->params[0], 0.2426, 1e-3));
    assert_true(rel_ok(f->params[1], 4.4136, 1e-3));
    assert_true(rel_ok(f->params[2], 0.7929, 1e-3));
    assert_true(rel_ok(f->params[3], 2.4259, 1e-3));
    assert_true(fabs(f->log_likelihood - -9582.43) < 0.05);
    assert_true(rel_ok(f->se[0], 0.012557, se_tol));
    assert_true(rel_ok(f->se[1], 0.378221, se_tol));
    assert_true(rel_ok(f->se[2], 0.185719, se_tol));
    assert_true(rel_ok(f->se[3], 0.705345, se_tol));
    assert_true(f->gradient_check < 1e-3);
}

static void cdnow_from_summary_file(void **state)
{
    (void)state;
    static cdnow_summary s;
    bb_fit f, g;
    assert_int_equal(cdnow_load_summary(&s), 0);
    assert_int_equal(bb_bgnbd_fit(s.x, s.t_x, s.T, s.n, NULL, &f, NULL), 0);
    check_cdnow_fit(&f, 2e-3);
    assert_int_equal(f.customers, CDNOW_N);
    /* the same answer every run, to the last bit */
    assert_int_equal(bb_bgnbd_fit(s.x, s.t_x, s.T, s.n, NULL, &g, NULL), 0);
    assert_memory_equal(f.params, g.params, sizeof f.params);
    /* FHL 2005, section 4: a customer with x = 2, t_x = 30.43, T = 38.86 is expected to make 1.226
     * purchases in the next 39 weeks. */
    assert_true(fabs(bb_bgnbd_expected(f.params, 2, 30.43, 38.86, 39.0) - 1.226) < 5e-4);
}

static void cdnow_from_transactions(void **state)
{
    (void)state;
    cdnow_raw raw;
    bb_summary s;
    bb_fit f;
    assert_int_equal(cdnow_load_raw(&raw), 0);
    bb_summary_opts o = {.ticks_per_day = 1, .unit_days = 7, .has_as_of = 1, .as_of = cdnow_days(1997, 9, 30)};
    assert_int_equal(bb_summary_build(raw.cust, raw.day, raw.cents, NULL, raw.n, &o, &s, NULL), 0);
    assert_int_equal(bb_bgnbd_fit(s.x, s.t_x, s.T, s.n, NULL, &f, NULL), 0);
    check_cdnow_fit(&f, 5e-3);
    bb_summary_release(&s);
    cdnow_free_raw(&raw);
}

/* E[Y(t) | x, t_x, T] against P(alive) * E_{p ~ Beta(a, b+x)}[(1 - (1 + p t/(alpha+T))^-(r+x)) / p],
 * integrated in p with scipy.integrate.quad (epsrel 1e-13) in Debian's python3-scipy 1.10.1:
 *   quad(lambda p: exp((a-1)*log(p) + (b+x-1)*log1p(-p) - betaln(a, b+x))
 *                  * -expm1(-(r+x)*log1p(p*w))/p, 0, 1, points=[min(.5, 1/w)]),  w = t/(alpha+T)
 * times 1/(1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) for x > 0. The cases cover the series (z <= 0.9)
 * and the quadrature (z > 0.9) paths, a < 1, a = 1, a > 1, and a + b < 1 with x = 0. */
static void conditional_expectation_vs_scipy(void **state)
{
    (void)state;
    static const struct {
        double p[4];
        int x;
        double tx, T, t, want;
    } c[] = {
        {{0.2426, 4.4136, 0.7929, 2.4259}, 2, 30.43, 38.86, 39, 1.2259226579870344},
        {{0.2426, 4.4136, 0.7929, 2.4259}, 0, 0, 38.86, 39, 0.1947867691606201},
        {{0.2426, 4.4136, 0.7929, 2.4259}, 0, 0, 0.1, 52, 1.4233810809486087},
        {{0.2426, 4.4136, 0.7929, 2.4259}, 5, 20, 40, 200, 3.1513825599835164},
        {{0.5, 2.0, 1.0, 3.0}, 1, 5, 10, 10, 0.6009130435409528},
        {{0.5, 2.0, 2.5, 3.0}, 3, 5, 10, 10, 0.4382064076859125},
        {{0.3, 1.0, 0.2, 0.5}, 0, 0, 1, 52, 3.994072339893286},
        {{1.2, 0.5, 0.8, 2.0}, 0, 0, 0.0, 100, 14.426602448921145},
        {{0.2426, 4.4136, 0.7929, 2.4259}, 40, 70, 78, 500, 45.79270508904826},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        assert_true(rel_ok(bb_bgnbd_expected(c[i].p, c[i].x, c[i].tx, c[i].T, c[i].t), c[i].want, 1e-10));
    /* a new customer: E[X(t)] is the conditional expectation with nothing observed */
    const double *p = c[0].p;
    assert_true(rel_ok(bb_bgnbd_expected_new(p, 39.0), bb_bgnbd_expected(p, 0, 0.0, 0.0, 39.0), 1e-15));
    assert_true(bb_bgnbd_expected(p, 2, 30.43, 38.86, 0.0) == 0.0);
}

/* Large a and b (a fit on data where every customer drops out with nearly the same probability, e.g.
 * r = 2.47, alpha = 7.42, a = 6.4e6, b = 1.5e7): the series' terms overflow and used to give NaN. The
 * references integrate the same expectation in the log-odds v of p with scipy.integrate.quad (python3-scipy
 * 1.10.1, epsrel 1e-13, v0 -/+ 40 sd with sd = sqrt(1/a + 1/b'), the density's exponent shifted by its
 * value at the mode v0 = ln(a/b')), divided by quad's integral of the density alone (scipy's betaln is off
 * by 1.6e-8 at these sizes), times P(alive) for x > 0. */
static void expectation_with_large_a_and_b(void **state)
{
    (void)state;
    static const struct {
        double p[4];
        int x;
        double tx, T, t, want;
    } c[] = {
        {{2.471509378, 7.418467587, 6439881.618, 14825801.52}, 2, 3.48, 30, 52, 0.02400094592864459},
        {{2.471509378, 7.418467587, 6439881.618, 14825801.52}, 0, 0, 30, 52, 1.9161145586526012},
        {{0.5, 3.0, 2000.0, 5000.0}, 3, 10, 20, 52, 0.7324025460643336},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        assert_true(rel_ok(bb_bgnbd_expected(c[i].p, c[i].x, c[i].tx, c[i].T, c[i].t), c[i].want, 1e-10));
}

static void p_alive_and_extremes(void **state)
{
    (void)state;
    const double p[4] = {0.2426, 4.4136, 0.7929, 2.4259};
    /* 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) by hand */
    double want = 1.0 / (1.0 + 0.7929 / 3.4259 * pow((4.4136 + 38.86) / (4.4136 + 30.43), 2.2426));
    assert_true(rel_ok(bb_bgnbd_p_alive(p, 2, 30.43, 38.86), want, 1e-14));
    assert_true(bb_bgnbd_p_alive(p, 0, 0.0, 38.86) == 1.0);
    /* large x and T: finite, in range, no overflow */
    double pa = bb_bgnbd_p_alive(p, 100000, 10.0, 1e7);
    assert_true(pa >= 0.0 && pa <= 1.0);
    assert_true(bb_bgnbd_p_alive(p, 100000, 1e7, 1e7) > 0.9);
    double e = bb_bgnbd_expected(p, 5000, 9000.0, 9001.0, 1e6);
    assert_true(isfinite(e) && e > 0.0);
    double ll = bb_bgnbd_loglik(p, 100000, 1e6, 1e7);
    assert_true(isfinite(ll));
    /* the summed likelihood at the published estimates is the published maximum (FHL 2005) */
}

/* Simulate 100,000 customers from known parameters; the estimates are within 3 standard errors. */
static void recovers_simulated_parameters(void **state)
{
    (void)state;
    enum { N = 100000 };
    static int32_t x[N];
    static double tx[N], T[N];
    const double truth[4] = {0.5, 6.0, 0.8, 2.5};
    bb_rng g;
    bb_fit f, h;
    bb_rng_seed(&g, 7);
    for (size_t i = 0; i < N; i++)
        T[i] = 1.0 + 51.0 * bb_rng_uniform(&g); /* acquired over a year, observed in weeks */
    bb_sim_bgnbd(truth, T, N, 11, x, tx);
    assert_int_equal(bb_bgnbd_fit(x, tx, T, N, NULL, &f, NULL), 0);
    assert_int_equal(f.converged, 1);
    for (int i = 0; i < 4; i++) {
        double z = (f.params[i] - truth[i]) / f.se[i];
        printf("%-5s true %.4f est %.4f se %.4f z %+.2f\n", bb_model_param_name(f.model, i), truth[i],
               f.params[i], f.se[i], z);
        assert_true(fabs(z) < 3.0);
    }
    /* the warm start (subsample, then preconditioned) reaches the same optimum as a plain fit */
    bb_fit_opts o = {.warm_start = SIZE_MAX};
    assert_int_equal(bb_bgnbd_fit(x, tx, T, N, &o, &h, NULL), 0);
    assert_int_equal(h.converged, 1);
    for (int i = 0; i < 4; i++)
        assert_true(fabs(h.params[i] - f.params[i]) < 1e-3 * f.se[i]);
    assert_true(fabs(h.log_likelihood - f.log_likelihood) < 1e-4);
}

/* The likelihood over collapsed rows (numbered time values for day-resolution data, the general path for
 * continuous times) against independent computations: the value against the per-customer
 * bb_bgnbd_loglik summed directly, the gradient against central differences of the value, the analytic
 * Hessian against central differences of the gradient. */
static void likelihood_gradient_hessian_vs_differences(void **state)
{
    (void)state;
    enum { N = 3000 };
    static int32_t x[N];
    static double tx[N], T[N];
    const double truth[4] = {0.4, 5.0, 0.9, 2.2};
    const double at[2][4] = {{0.3, 4.0, 1.1, 3.0}, {2.0, 0.5, 0.2, 8.0}};
    for (int kind = 0; kind < 3; kind++) {
        /* continuous times over a year (general rows), whole days over a year (numbered values, a
         * per-row exponential), whole days over four weeks (few values: per-value exponential tables) */
        double span = kind == 2 ? 4.0 : 52.0;
        bb_rng g;
        bb_rng_seed(&g, 17);
        for (size_t i = 0; i < N; i++)
            T[i] = span * bb_rng_uniform(&g);
        bb_sim_bgnbd(truth, T, N, 19, x, tx);
        if (kind)
            for (size_t i = 0; i < N; i++) {
                T[i] = floor(T[i] * 7.0) / 7.0;
                tx[i] = x[i] ? floor(tx[i] * 7.0) / 7.0 : 0.0;
                x[i] = tx[i] > 0.0 ? x[i] : 0;
            }
        bb__rows R;
        assert_int_equal(bb__rows_build(&R, x, tx, T, NULL, N, 1, 0), 0);
        if (kind == 0)
            assert_true(R.nvals == 2 * R.n);
        else
            assert_true(R.nvals < 400 && (kind == 2) == (2 * R.nvals * R.ngroups <= R.n));
        for (int k = 0; k < 2; k++) {
            double th[4], gr[4], H[16];
            for (int i = 0; i < 4; i++)
                th[i] = log(at[k][i]);
            double f = bb__bgnbd_nll(th, gr, H, &R);
            long double direct = 0.0L;
            for (size_t i = 0; i < N; i++)
                direct -= bb_bgnbd_loglik(at[k], x[i], tx[i], T[i]);
            assert_true(rel_ok(f, (double)direct, 1e-12));
            double scale = 0.0;
            for (int i = 0; i < 16; i++)
                scale = fabs(H[i]) > scale ? fabs(H[i]) : scale;
            for (int j = 0; j < 4; j++) {
                double tp[4], tm[4], gp[4], gm[4], h = 1e-5;
                for (int i = 0; i < 4; i++)
                    tp[i] = tm[i] = th[i];
                tp[j] += h;
                tm[j] -= h;
                double fp = bb__bgnbd_nll(tp, gp, NULL, &R), fm = bb__bgnbd_nll(tm, gm, NULL, &R);
                assert_true(fabs((fp - fm) / (2 * h) - gr[j]) < 1e-6 * (fabs(gr[j]) + 1.0));
                for (int i = 0; i < 4; i++) {
                    double fd = (gp[i] - gm[i]) / (2 * h);
                    if (!(fabs(fd - H[4 * i + j]) < 1e-6 * scale))
                        printf("H[%d][%d] analytic %.10g differences %.10g\n", i, j, H[4 * i + j], fd);
                    assert_true(fabs(fd - H[4 * i + j]) < 1e-6 * scale);
                }
            }
        }
        bb__rows_release(&R);
    }
}

static void degenerate_data(void **state)
{
    (void)state;
    int32_t x0[] = {0, 0, 0};
    double z[] = {0, 0, 0}, T[] = {10, 20, 30};
    bb_fit f;
    bb_error err = {0};
    assert_int_equal(bb_bgnbd_fit(x0, z, T, 3, NULL, &f, &err), BB_ENUMERIC);
    assert_non_null(strstr(err.msg, "repeat purchase"));
    int32_t x1[] = {3};
    double t1[] = {5}, T1[] = {10};
    assert_int_equal(bb_bgnbd_fit(x1, t1, T1, 1, NULL, &f, &err), BB_ENUMERIC);
    assert_non_null(strstr(err.msg, "single customer"));
    int32_t x2[] = {1, 0};
    double t2[] = {0, 0}, T2[] = {0, 0};
    assert_int_equal(bb_bgnbd_fit(x2, t2, T2, 2, NULL, &f, &err), BB_ENUMERIC);
    assert_non_null(strstr(err.msg, "T = 0"));
    assert_int_equal(bb_bgnbd_fit(x2, t2, T2, 0, NULL, &f, &err), BB_ENUMERIC);
    int32_t x3[] = {1, 2};
    double t3[] = {5, 40}, T3[] = {10, 30};
    assert_int_equal(bb_bgnbd_fit(x3, t3, T3, 2, NULL, &f, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "row 2"));
    double t4[] = {NAN, 1};
    assert_int_equal(bb_bgnbd_fit(x3, t4, T3, 2, NULL, &f, &err), BB_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conditional_expectation_vs_scipy),
        cmocka_unit_test(p_alive_and_extremes),
        cmocka_unit_test(expectation_with_large_a_and_b),
        cmocka_unit_test(recovers_simulated_parameters),
        cmocka_unit_test(degenerate_data),
        cmocka_unit_test(likelihood_gradient_hessian_vs_differences),
    };
    const struct CMUnitTest data_tests[] = {
        cmocka_unit_test(cdnow_from_summary_file),
        cmocka_unit_test(cdnow_from_transactions),
    };
    int rc = cmocka_run_group_tests_name("bgnbd", tests, NULL, NULL);
    if (rc || !cdnow_available())
        return rc ? rc : 77;
    return cmocka_run_group_tests_name("bgnbd_cdnow", data_tests, NULL, NULL);
}
