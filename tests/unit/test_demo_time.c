/* test_demo_time.c: the demo calendar: which options and ends are allowed, the opening day three years
 * earlier, and times of day that stay on their UTC day and keep shop hours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/datetime.h"
#include "demo/demo_internal.h"

static void options_check(void **state)
{
    (void)state;
    bb_demo_options o;
    bb_error err = {0};
    bb_demo_options_init(&o);
    assert_int_equal(bb_demo_options_check(&o, &err), 0);
    assert_true(o.end == bb_days_from_civil(2026, 11, 1) * BB__DAY && o.customers == 10000);
    o.customers = 0;
    assert_int_equal(bb_demo_options_check(&o, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "from 1 to 100000000 customers"));
    o.customers = BB_DEMO_MAX_CUSTOMERS + 1ULL;
    assert_int_equal(bb_demo_options_check(&o, NULL), BB_EINVAL);
    o.customers = BB_DEMO_MAX_CUSTOMERS;
    assert_int_equal(bb_demo_options_check(&o, NULL), 0);
    o.end += 3600; /* not a midnight */
    assert_int_equal(bb_demo_options_check(&o, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "midnight"));
    o.end = bb_days_from_civil(1974, 12, 31) * BB__DAY;
    assert_int_equal(bb_demo_options_check(&o, &err), BB_EINVAL);
    o.end = bb_days_from_civil(1975, 1, 1) * BB__DAY;
    assert_int_equal(bb_demo_options_check(&o, &err), 0);
    o.end = bb_days_from_civil(2201, 1, 1) * BB__DAY;
    assert_int_equal(bb_demo_options_check(&o, &err), BB_EINVAL);
}

static void opening_day(void **state)
{
    (void)state;
    assert_true(bb__demo_start(BB_DEMO_DEFAULT_END) == 1698796800); /* 2023-11-01 */
    /* From a leap day, the same day of the year three years earlier does not exist: the 28th. */
    assert_true(bb__demo_start(bb_days_from_civil(2024, 2, 29) * BB__DAY) ==
                bb_days_from_civil(2021, 2, 28) * BB__DAY);
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
        cmocka_unit_test(options_check),
        cmocka_unit_test(opening_day),
        cmocka_unit_test(times_of_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
