/* test_demo_time.c: the demo calendar: civil dates against known epoch days, round trips, parsing and
 * formatting, the opening day, and times of day that stay on their UTC day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "demo/demo_internal.h"

static void civil_days(void **state)
{
    (void)state;
    int y, m, d;
    /* Known values (date -u -d DATE +%s divided by 86400). */
    assert_int_equal(bb__days_from_civil(1970, 1, 1), 0);
    assert_int_equal(bb__days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(bb__days_from_civil(2023, 11, 1), 1698796800 / 86400);
    assert_int_equal(bb__days_from_civil(2026, 11, 1), BB_DEMO_DEFAULT_END / 86400);
    assert_int_equal(bb__days_from_civil(2024, 2, 29) + 1, bb__days_from_civil(2024, 3, 1));
    for (int64_t z = -800000; z < 800000; z += 97) {
        bb__civil_from_days(z, &y, &m, &d);
        assert_int_equal(bb__days_from_civil(y, m, d), z);
    }
}

static void parse_and_format(void **state)
{
    (void)state;
    int64_t t = 0;
    char buf[16];
    bb_error err = {0};
    assert_int_equal(bb_demo_parse_date("2026-11-01", &t, &err), 0);
    assert_true(t == BB_DEMO_DEFAULT_END);
    assert_string_equal(bb_demo_format_date(t, buf, sizeof buf), "2026-11-01");
    assert_string_equal(bb_demo_format_date(t - 1, buf, sizeof buf), "2026-10-31");
    assert_int_equal(bb_demo_parse_date("2024-02-29", &t, NULL), 0);
    assert_int_equal(bb_demo_parse_date("2025-02-29", &t, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "2025-02-29"));
    assert_non_null(strstr(err.msg, "no day 29 in month 2"));
    assert_int_equal(bb_demo_parse_date("2026-13-01", &t, NULL), BB_EINVAL);
    assert_int_equal(bb_demo_parse_date("26-11-01", &t, NULL), BB_EINVAL);
    assert_int_equal(bb_demo_parse_date("2026-11-1", &t, NULL), BB_EINVAL);
    assert_int_equal(bb_demo_parse_date("2026/11/01", &t, NULL), BB_EINVAL);
    assert_int_equal(bb_demo_parse_date("", &t, NULL), BB_EINVAL);
    assert_int_equal(bb_demo_parse_date(NULL, &t, NULL), BB_EINVAL);
    assert_int_equal(bb_demo_parse_date("1900-01-01", &t, NULL), BB_EINVAL);
}

static void opening_day(void **state)
{
    (void)state;
    assert_true(bb__demo_start(BB_DEMO_DEFAULT_END) == 1698796800); /* 2023-11-01 */
    /* From a leap day, the same day of the year three years earlier does not exist: the 28th. */
    assert_true(bb__demo_start(bb__days_from_civil(2024, 2, 29) * BB__DAY) ==
                bb__days_from_civil(2021, 2, 28) * BB__DAY);
}

static void times_of_day(void **state)
{
    (void)state;
    bb_rng g;
    int store_hours[24] = {0};
    bb_rng_seed(&g, 5);
    for (int i = 0; i < 20000; i++) {
        int64_t t = BB_DEMO_DEFAULT_END - 1 - (int64_t)bb_rng_below(&g, 3 * 365 * BB__DAY);
        int ch = (int)bb_rng_below(&g, BB__N_CHANNELS);
        int64_t u = bb__time_on_day(&g, t, ch);
        assert_true(u / BB__DAY == t / BB__DAY); /* same UTC day, so before any later midnight */
        if (ch == BB__CH_STORE)
            store_hours[((u % BB__DAY) / 3600 + 3) % 24]++; /* local hour */
    }
    /* Shops open 10:00 to 22:00 local time. */
    for (int h = 0; h < 10; h++)
        assert_int_equal(store_hours[h], 0);
    assert_int_equal(store_hours[23], 0);
    assert_true(store_hours[18] > store_hours[10]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(civil_days),
        cmocka_unit_test(parse_and_format),
        cmocka_unit_test(opening_day),
        cmocka_unit_test(times_of_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
