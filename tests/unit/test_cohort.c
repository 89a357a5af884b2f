/* test_cohort.c: the retention matrix on a handful of customers whose months are known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "birebir/cohort.h"
#include "cdnow.h"

static void matrix(void **state)
{
    (void)state;
    /* c0: Jan (twice), Mar; c1: Jan, Feb; c2: Feb, Feb, Apr; c3: Mar only; an order in May past as_of */
    int64_t d0 = cdnow_days(2024, 1, 5), d1 = cdnow_days(2024, 1, 30), d2 = cdnow_days(2024, 2, 1);
    int64_t d3 = cdnow_days(2024, 3, 31), d4 = cdnow_days(2024, 4, 1), d5 = cdnow_days(2024, 5, 2);
    int64_t cust[] = {0, 0, 0, 1, 1, 2, 2, 2, 3, 3};
    int64_t day[] = {d3, d0, d1, d0, d2, d2, d2, d4, d3, d5};
    bb_cohorts c;
    assert_int_equal(bb_cohorts_build(cust, day, 10, 4, 1, cdnow_days(2024, 4, 30), &c, NULL), 0);
    assert_int_equal(c.ncohorts, 4);
    assert_int_equal(c.month[0], 2024 * 12 + 0);
    assert_int_equal(c.size[0], 2); /* January: c0, c1 */
    assert_int_equal(c.size[1], 1); /* February: c2 */
    assert_int_equal(c.size[2], 1); /* March: c3 */
    assert_int_equal(c.size[3], 0);
    assert_int_equal(c.active[0 * 4 + 0], 2);
    assert_int_equal(c.active[0 * 4 + 1], 1); /* c1 in February */
    assert_int_equal(c.active[0 * 4 + 2], 1); /* c0 in March */
    assert_int_equal(c.active[1 * 4 + 0], 1);
    assert_int_equal(c.active[1 * 4 + 2], 1); /* c2 in April */
    assert_int_equal(c.active[2 * 4 + 1], 0); /* May is past as_of */
    assert_true(bb_cohorts_share(&c, 0, 1) == 0.5);
    assert_true(bb_cohorts_share(&c, 3, 0) == 0.0);
    assert_int_equal(bb_cohorts_month_of_day(0), 1970 * 12);
    assert_int_equal(bb_cohorts_month_of_day(cdnow_days(2000, 2, 29)), 2000 * 12 + 1);
    assert_int_equal(bb_cohorts_month_of_day(-1), 1969 * 12 + 11);
    bb_cohorts_release(&c);
    assert_int_equal(bb_cohorts_build(cust, day, 0, 0, 0, 0, &c, NULL), 0);
    assert_int_equal(c.ncohorts, 0);
    bb_cohorts_release(&c);
}

static void labels_and_periods(void **state)
{
    (void)state;
    char buf[8];
    bb_cohorts c = {.ncohorts = 5, .nperiods = 5};
    assert_string_equal(bb_cohorts_month_label(2025 * 12 + 0, buf), "2025-01");
    assert_string_equal(bb_cohorts_month_label(1999 * 12 + 11, buf), "1999-12");
    assert_int_equal(bb_cohorts_month_parse("2025-01"), 2025 * 12);
    assert_int_equal(bb_cohorts_month_parse("1999-12"), 1999 * 12 + 11);
    for (int32_t m = 1990 * 12; m < 2040 * 12; m += 7) /* each label parses back to its month */
        assert_int_equal(bb_cohorts_month_parse(bb_cohorts_month_label(m, buf)), m);
    static const char *const bad[] = {"", "2025", "2025-1", "2025-13", "2025-00", "2025/01", "2025-01x", "202a-01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(bb_cohorts_month_parse(bad[i]), -1);
    /* the first cohort has every month of the data, the last one only its own */
    assert_int_equal(bb_cohorts_periods(&c, 0), 5);
    assert_int_equal(bb_cohorts_periods(&c, 3), 2);
    assert_int_equal(bb_cohorts_periods(&c, 4), 1);
    assert_int_equal(bb_cohorts_periods(&c, 5), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matrix),
        cmocka_unit_test(labels_and_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
