/* test_clv.c: CLV as the discounted sum of monthly expected purchases times expected value and margin,
 * the undefined case of the spend model (q <= 1), churn buckets and A/B/C tiers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>

#include <cmocka.h>

#include "birebir/bgnbd.h"
#include "birebir/clv.h"
#include "birebir/pnbd.h"

static bb_fit purchase_fit(bb_model_kind k, double a, double b, double c, double d)
{
    bb_fit f = {.model = k, .nparams = 4, .params = {a, b, c, d}};
    return f;
}

static void clv_by_definition(void **state)
{
    (void)state;
    bb_fit bg = purchase_fit(BB_MODEL_BGNBD, 0.2426, 4.4136, 0.7929, 2.4259);
    bb_fit pn = purchase_fit(BB_MODEL_PNBD, 0.5534, 10.5802, 0.6061, 11.6711);
    bb_fit gg = {.model = BB_MODEL_GAMMAGAMMA, .nparams = 3, .params = {6.25, 3.74, 15.44}};
    bb_clv_opts o;
    bb_clv_opts_init(&o);
    assert_int_equal(o.horizon_months, 12);
    const bb_fit *fits[] = {&bg, &pn};
    for (int k = 0; k < 2; k++) {
        /* one month, no discount: value * margin * E[Y(one month)] */
        bb_clv_opts one = {.horizon_months = 1, .monthly_discount = 0.0, .margin_rate = 0.25, .unit_days = 7};
        double month = 30.4375 / 7;
        double want = 30.0 * 0.25 * bb_model_expected(fits[k], 2, 30.43, 38.86, month);
        assert_true(fabs(bb_clv_customer(fits[k], 2, 30.43, 38.86, 30.0, 0.25, &one) - want) < 1e-12 * want);
        /* twelve months at 1% a month, summed by hand from the conditional expectations */
        double sum = 0.0, prev = 0.0;
        for (int i = 1; i <= 12; i++) {
            double e = bb_model_expected(fits[k], 2, 30.43, 38.86, i * month);
            sum += (e - prev) / pow(1.01, i);
            prev = e;
        }
        assert_true(fabs(bb_clv_customer(fits[k], 2, 30.43, 38.86, 30.0, 1.0, &o) - 30.0 * sum) < 1e-10 * sum);
    }
    /* batch: expected value from the spend model, per-customer margins */
    int32_t x[] = {2, 0};
    double tx[] = {30.43, 0}, T[] = {38.86, 38.86}, mv[] = {22.35, 0}, mr[] = {0.5, 0.2}, clv[2], ev[2];
    unsigned char def[2];
    assert_int_equal(bb_clv_compute(&bg, &gg, x, tx, T, mv, mr, 2, &o, clv, ev, def, NULL), 0);
    assert_true(def[0] && def[1]);
    assert_true(fabs(ev[0] - 6.25 * (15.44 + 2 * 22.35) / (2 * 6.25 + 3.74 - 1)) < 1e-12);
    assert_true(fabs(ev[1] - 6.25 * 15.44 / 2.74) < 1e-12);
    assert_true(fabs(clv[0] - bb_clv_customer(&bg, 2, 30.43, 38.86, ev[0], 0.5, &o)) < 1e-12);
    /* q <= 1: no expected spend for a customer without repeats; said, not a negative number */
    bb_fit bad = {.model = BB_MODEL_GAMMAGAMMA, .nparams = 3, .params = {0.5, 0.9, 10.0}};
    assert_int_equal(bb_clv_compute(&bg, &bad, x, tx, T, mv, NULL, 2, &o, clv, ev, def, NULL), 1);
    assert_true(def[0] && !def[1] && clv[1] == 0.0 && clv[0] > 0.0);
    assert_true(bb_clv_compute(&gg, &bg, x, tx, T, mv, NULL, 2, &o, clv, ev, def, NULL) == BB_EINVAL);
}

static void churn_and_tiers(void **state)
{
    (void)state;
    assert_int_equal(bb_churn_bucket(0.9, 0, 0), BB_CHURN_LOW);
    assert_int_equal(bb_churn_bucket(0.5, 0, 0), BB_CHURN_MEDIUM);
    assert_int_equal(bb_churn_bucket(0.2, 0, 0), BB_CHURN_HIGH);
    assert_int_equal(bb_churn_bucket(0.85, 0.1, 0.5), BB_CHURN_MEDIUM);
    assert_string_equal(bb_churn_name(BB_CHURN_HIGH, "tr"), "yüksek");
    assert_string_equal(bb_churn_name(BB_CHURN_LOW, "en"), "low");
    /* total 100: 50 and 30 start below 80% (A); 10 and 5 below 95% (B); the rest C */
    double v[] = {5, 50, 2, 30, 3, 10, 0};
    char t[7];
    assert_int_equal(bb_tiers_assign(v, 7, NULL, t, NULL), 0);
    assert_memory_equal(t, "BACACBC", 7);
    double shares[] = {0.5, 0.5, 0.0};
    assert_int_equal(bb_tiers_assign(v, 7, shares, t, NULL), 0);
    assert_memory_equal(t, "BABBBBC", 7);
    double wrong[] = {0.5, 0.2, 0.2};
    assert_int_equal(bb_tiers_assign(v, 7, wrong, t, NULL), BB_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clv_by_definition),
        cmocka_unit_test(churn_and_tiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
