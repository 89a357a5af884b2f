/* test_pnbd.c: Pareto/NBD: the per-customer log-likelihood against scipy's numerical integral of the
 * likelihood (including large x and T, where hypergeometric implementations overflow), its analytic
 * gradient against finite differences, P(alive) and the conditional expectation against scipy, the CDNOW
 * fit against Fader, Hardie & Lee (2005), recovery of simulated parameters, and degenerate data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>

#include <cmocka.h>

#include "birebir/pnbd.h"
#include "birebir/sim.h"
#include "birebir/summary.h"
#include "cdnow.h"

static int rel_ok(double got, double want, double tol)
{
    double d = fabs(got - want) / fabs(want);
    if (d > tol)
        printf("got %.15g want %.15g (rel %.3g > %.3g)\n", got, want, d, tol);
    return d <= tol;
}

/* ln L = ln Gamma(r+x) - ln Gamma(r) + r ln alpha + s ln beta + ln[(alpha+T)^-(r+x) (beta+T)^-s + s I],
 * I = integral_{t_x}^T (alpha+u)^-(r+x) (beta+u)^-(s+1) du, by scipy.integrate.quad(epsrel=1e-13) on the
 * integrand scaled by its value at t_x (Debian python3-scipy 1.10.1); P(alive) = the first term of the
 * bracket over the bracket. */
static const struct {
    double p[4];
    int x;
    double tx, T, ll, palive;
} refs[] = {
    {{0.5534, 10.5802, 0.6061, 11.6711}, 2, 30.43, 38.86, -9.553960382657184, 0.869149945034438},
    {{0.55, 10.58, 0.61, 11.67}, 0, 0, 38.86, -0.5170251508875379, 0.29377395046742033},
    {{0.55, 10.58, 0.61, 0.5}, 2, 30.43, 38.86, -11.286189177414053, 0.8301932652659861},
    {{0.55, 0.5, 0.61, 11.67}, 0, 0, 38.86, -1.6609479647950511, 0.19509309077400774},
    {{0.55, 10.58, 0.61, 11.67}, 200, 30.43, 38.86, 110.25167062752175, 1.5804079877916814e-14},
    {{0.55, 10.58, 0.61, 0.01}, 5, 1, 1000, -12.424748703941011, 6.019649536284653e-13},
    {{2.0, 0.1, 0.3, 50}, 1000, 3000, 3650, -2117.345701518718, 1.4672054679761326e-82},
    {{0.55, 10.58, 0.61, 11.67}, 0, 0, 0.5, -0.025072258522117696, 0.974417246381811},
    {{0.3, 100.0, 2.0, 0.2}, 1, 0.5, 60, -8.329726590867716, 7.450519920974842e-05},
    {{1.0, 5.0, 1.0, 5.0}, 3, 10, 20, -9.868232908472525, 0.2965584574078597},
};

static void loglik_and_p_alive_vs_scipy(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        double g[4];
        assert_true(rel_ok(bb_pnbd_loglik(refs[i].p, refs[i].x, refs[i].tx, refs[i].T, g), refs[i].ll, 1e-12));
        assert_true(rel_ok(bb_pnbd_p_alive(refs[i].p, refs[i].x, refs[i].tx, refs[i].T), refs[i].palive, 1e-9));
        /* the analytic gradient agrees with central differences of the log-likelihood */
        for (int k = 0; k < 4; k++) {
            double q[4] = {refs[i].p[0], refs[i].p[1], refs[i].p[2], refs[i].p[3]}, h = 1e-6 * q[k];
            q[k] = refs[i].p[k] + h;
            double up = bb_pnbd_loglik(q, refs[i].x, refs[i].tx, refs[i].T, NULL);
            q[k] = refs[i].p[k] - h;
            double dn = bb_pnbd_loglik(q, refs[i].x, refs[i].tx, refs[i].T, NULL);
            double fd = (up - dn) / (2 * h);
            assert_true(fabs(fd - g[k]) <= 1e-6 * (fabs(g[k]) + fabs(refs[i].ll) / refs[i].p[k] * 1e-3));
        }
    }
    /* no NaN or infinity far out */
    double p[4] = {0.55, 10.58, 0.61, 11.67}, g[4];
    assert_true(isfinite(bb_pnbd_loglik(p, 1000000, 1.0, 1e8, g)) && isfinite(g[0]) && isfinite(g[3]));
    double q[4] = {0.55, 1e4, 0.61, 1e-4};
    assert_true(isfinite(bb_pnbd_loglik(q, 0, 0.0, 1e5, g)) && isfinite(g[1]) && isfinite(g[2]));
}

/* E[Y(t)] = P(alive) (r+x)/(alpha+T) E[(1 - e^-mu t)/mu], mu ~ Gamma(s, beta+T), the last by scipy quad
 * over mu (epsrel 1e-13). */
static void expectation_vs_scipy(void **state)
{
    (void)state;
    const double p1[4] = {0.5534, 10.5802, 0.6061, 11.6711}, p2[4] = {0.55, 10.58, 1.0, 11.67},
                 p3[4] = {0.3, 100.0, 2.0, 0.2};
    assert_true(rel_ok(bb_pnbd_expected(p1, 2, 30.43, 38.86, 39), 1.455222782414362, 1e-9));
    assert_true(rel_ok(bb_pnbd_expected(p2, 0, 0, 38.86, 52), 0.05899869864116592, 1e-9)); /* s = 1 */
    assert_true(rel_ok(bb_pnbd_expected(p3, 1, 0.5, 60, 100), 2.2748037180691803e-05, 1e-8));
    assert_true(bb_pnbd_expected(p1, 2, 30.43, 38.86, 0) == 0.0);
}

/* FHL 2005 (and Fader & Hardie's Pareto/NBD note): r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67. */
static void cdnow_fit(void **state)
{
    (void)state;
    static cdnow_summary s;
    cdnow_raw raw;
    bb_summary sum;
    bb_fit f, g;
    assert_int_equal(cdnow_load_summary(&s), 0);
    assert_int_equal(bb_pnbd_fit(s.x, s.t_x, s.T, s.n, NULL, &f, NULL), 0);
    assert_int_equal(f.converged, 1);
    assert_true(fabs(f.params[0] - 0.55) < 0.005);
    assert_true(fabs(f.params[1] - 10.58) < 0.005);
    assert_true(fabs(f.params[2] - 0.61) < 0.005);
    assert_true(fabs(f.params[3] - 11.67) < 0.005);
    printf("pnbd CDNOW: r %.4f alpha %.4f s %.4f beta %.4f LL %.3f\n", f.params[0], f.params[1], f.params[2],
           f.params[3], f.log_likelihood);
    assert_int_equal(cdnow_load_raw(&raw), 0);
    bb_summary_opts o = {.ticks_per_day = 1, .unit_days = 7, .has_as_of = 1, .as_of = cdnow_days(1997, 9, 30)};
    assert_int_equal(bb_summary_build(raw.cust, raw.day, raw.cents, NULL, raw.n, &o, &sum, NULL), 0);
    assert_int_equal(bb_pnbd_fit(sum.x, sum.t_x, sum.T, sum.n, NULL, &g, NULL), 0);
    assert_int_equal(g.converged, 1);
    for (int i = 0; i < 4; i++)
        assert_true(fabs(g.params[i] - f.params[i]) < 0.01 * f.params[i]);
    bb_summary_release(&sum);
    cdnow_free_raw(&raw);
}

static void recovers_simulated_parameters(void **state)
{
    (void)state;
    enum { N = 100000 };
    static int32_t x[N];
    static double tx[N], T[N];
    const double truth[4] = {0.6, 8.0, 0.7, 12.0};
    bb_rng g;
    bb_fit f;
    bb_rng_seed(&g, 3);
    for (size_t i = 0; i < N; i++)
        T[i] = 1.0 + 51.0 * bb_rng_uniform(&g);
    bb_sim_pnbd(truth, T, N, 5, x, tx);
    assert_int_equal(bb_pnbd_fit(x, tx, T, N, NULL, &f, NULL), 0);
    assert_int_equal(f.converged, 1);
    for (int i = 0; i < 4; i++) {
        double z = (f.params[i] - truth[i]) / f.se[i];
        printf("%-5s true %.4f est %.4f se %.4f z %+.2f\n", bb_model_param_name(f.model, i), truth[i],
               f.params[i], f.se[i], z);
        assert_true(fabs(z) < 3.0);
    }
}

static void degenerate_data(void **state)
{
    (void)state;
    int32_t x0[] = {0, 0};
    double z[] = {0, 0}, T[] = {10, 20};
    bb_fit f;
    bb_error err = {0};
    assert_int_equal(bb_pnbd_fit(x0, z, T, 2, NULL, &f, &err), BB_ENUMERIC);
    assert_int_equal(bb_pnbd_fit(x0, z, T, 1, NULL, &f, &err), BB_ENUMERIC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loglik_and_p_alive_vs_scipy),
        cmocka_unit_test(expectation_vs_scipy),
        cmocka_unit_test(recovers_simulated_parameters),
        cmocka_unit_test(degenerate_data),
    };
    const struct CMUnitTest data_tests[] = {
        cmocka_unit_test(cdnow_fit),
    };
    int rc = cmocka_run_group_tests_name("pnbd", tests, NULL, NULL);
    if (rc || !cdnow_available())
        return rc ? rc : 77;
    return cmocka_run_group_tests_name("pnbd_cdnow", data_tests, NULL, NULL);
}
