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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
