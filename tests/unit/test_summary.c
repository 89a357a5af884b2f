/* test_summary.c: per-customer summaries: occasions merge at the same tick and within a window, the first
 * occasion's value is left out of the mean, holdout and RFM windows, unsorted input, and the CDNOW sample
 * summarised from its raw transactions equals the published summary file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>

#include <cmocka.h>

#include "birebir/summary.h"
#include "cdnow.h"

static void occasions_and_values(void **state)
{
    (void)state;
    /* customer 0: days 10 (two orders), 17, 31 (zero value); customer 1: day 20 only; customer 2: day 40
     * (after as_of) only. Given out of order. */
    int64_t cust[] = {0, 1, 0, 0, 0, 2, 0};
    int64_t day[] = {17, 20, 10, 31, 10, 40, 45};
    int64_t val[] = {500, 700, 100, 0, 200, 900, 50};
    int64_t mg[] = {50, 70, 10, 0, 20, 90, 5};
    bb_summary_opts o = {.ticks_per_day = 1, .unit_days = 7, .has_as_of = 1, .as_of = 38, .has_holdout = 1,
                         .holdout_end = 52};
    bb_summary s;
    bb_error err = {0};
    assert_int_equal(bb_summary_build(cust, day, val, mg, 7, &o, &s, &err), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.present, 2);
    assert_int_equal(s.x[0], 2); /* day 10 merged, then 17 and 31 */
    assert_true(fabs(s.t_x[0] - 21.0 / 7) < 1e-12);
    assert_true(fabs(s.T[0] - 28.0 / 7) < 1e-12);
    assert_true(fabs(s.mean_value[0] - 250.0) < 1e-12); /* (500 + 0) / 2: the first occasion left out */
    assert_int_equal(s.x_holdout[0], 1);
    assert_int_equal(s.orders[0], 4);
    assert_int_equal(s.revenue[0], 800);
    assert_int_equal(s.margin[0], 80);
    assert_true(fabs(s.recency_days[0] - 7.0) < 1e-12);
    assert_int_equal(s.x[1], 0);
    assert_true(s.t_x[1] == 0.0 && s.mean_value[1] == 0.0);
    assert_true(fabs(s.T[1] - 18.0 / 7) < 1e-12);
    assert_int_equal(s.is_present[2], 0);
    assert_int_equal(s.x[2], 0);
    assert_int_equal(s.x_holdout[2], 0);
    assert_true(fabs(s.holdout_length - 2.0) < 1e-12);
    bb_summary_release(&s);
}

static void merge_window_and_rfm_window(void **state)
{
    (void)state;
    /* seconds: orders at 0, 0+600 (10 min), 0+7200, and a day later */
    int64_t cust[] = {0, 0, 0, 0};
    int64_t t[] = {1000, 1600, 8200, 1000 + 86400};
    int64_t val[] = {1, 2, 4, 8};
    bb_summary_opts o = {.ticks_per_day = 86400, .unit_days = 1, .has_as_of = 1, .as_of = 1000 + 2 * 86400};
    bb_summary s;
    assert_int_equal(bb_summary_build(cust, t, val, NULL, 4, &o, &s, NULL), 0);
    assert_int_equal(s.x[0], 3); /* no window: every distinct second is an occasion */
    bb_summary_release(&s);
    o.merge_window = 1800; /* 30 minutes: 1600 joins 1000; 8200 does not */
    assert_int_equal(bb_summary_build(cust, t, val, NULL, 4, &o, &s, NULL), 0);
    assert_int_equal(s.x[0], 2);
    assert_true(fabs(s.mean_value[0] - 6.0) < 1e-12);
    assert_true(fabs(s.t_x[0] - 1.0) < 1e-12);
    assert_true(fabs(s.T[0] - 2.0) < 1e-12);
    bb_summary_release(&s);
    o.has_rfm_window = 1;
    o.rfm_window_start = 8200;
    assert_int_equal(bb_summary_build(cust, t, val, NULL, 4, &o, &s, NULL), 0);
    assert_int_equal(s.orders[0], 2);
    assert_int_equal(s.revenue[0], 12);
    bb_summary_release(&s);
}

static void one_customer_and_errors(void **state)
{
    (void)state;
    int64_t t[] = {5, 5, 9, 20};
    int64_t v[] = {3, 4, 10, 20};
    bb_summary_opts o = {.has_as_of = 1, .as_of = 30};
    bb_customer_summary c;
    bb_error err = {0};
    assert_int_equal(bb_summary_customer(t, v, NULL, 4, &o, &c, &err), 0);
    assert_int_equal(c.x, 2);
    assert_true(fabs(c.t_x - 15.0) < 1e-12 && fabs(c.T - 25.0) < 1e-12 && fabs(c.mean_value - 15.0) < 1e-12);
    int64_t bad_t[] = {9, 5};
    assert_int_equal(bb_summary_customer(bad_t, v, NULL, 2, &o, &c, &err), BB_EINVAL);
    int64_t cust[] = {0, -1};
    bb_summary s;
    assert_int_equal(bb_summary_build(cust, t, v, NULL, 2, &o, &s, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "order 2"));
}

/* The published summary was computed from the same transactions: same x, t_x and T (to its 2 decimals),
 * and the same mean repeat value. */
static void cdnow_matches_published_summary(void **state)
{
    (void)state;
    static cdnow_summary pub;
    cdnow_raw raw;
    bb_summary s;
    assert_int_equal(cdnow_load_summary(&pub), 0);
    assert_int_equal(cdnow_load_raw(&raw), 0);
    bb_summary_opts o = {.ticks_per_day = 1, .unit_days = 7, .has_as_of = 1, .as_of = cdnow_days(1997, 9, 30),
                         .has_holdout = 1, .holdout_end = cdnow_days(1998, 6, 30)};
    assert_int_equal(bb_summary_build(raw.cust, raw.day, raw.cents, NULL, raw.n, &o, &s, NULL), 0);
    assert_int_equal(s.n, CDNOW_N);
    assert_int_equal(s.present, CDNOW_N);
    long sum_x = 0, sum_h = 0;
    for (size_t i = 0; i < CDNOW_N; i++) {
        assert_int_equal(s.x[i], pub.x[i]);
        assert_true(fabs(s.t_x[i] - pub.t_x[i]) < 0.0051);
        assert_true(fabs(s.T[i] - pub.T[i]) < 0.0051);
        assert_true(fabs(s.mean_value[i] / 100.0 - pub.zbar[i]) < 0.0051);
        sum_x += s.x[i];
        sum_h += s.x_holdout[i];
    }
    assert_int_equal(sum_x, 2457); /* SOURCE.md: sum of frequency */
    assert_true(fabs(s.holdout_length - 39.0) < 1e-9);
    printf("CDNOW holdout (weeks 40-78) repeat occasions: %ld\n", sum_h);
    bb_summary_release(&s);
    cdnow_free_raw(&raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(occasions_and_values),
        cmocka_unit_test(merge_window_and_rfm_window),
        cmocka_unit_test(one_customer_and_errors),
    };
    const struct CMUnitTest data_tests[] = {
        cmocka_unit_test(cdnow_matches_published_summary),
    };
    int rc = cmocka_run_group_tests_name("summary", tests, NULL, NULL);
    if (rc || !cdnow_available())
        return rc ? rc : 77;
    return cmocka_run_group_tests_name("summary_cdnow", data_tests, NULL, NULL);
}
