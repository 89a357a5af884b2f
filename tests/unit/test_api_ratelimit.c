/* test_api_ratelimit.c: token buckets with a clock the test moves: the burst, the refill rate, the
 * Retry-After seconds, separate keys, no limit at rate 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "api/api_impl.h"

#define S 1000000000LL

static void burst_then_rate(void **state)
{
    (void)state;
    bb__limiter *l = bb__limiter_new();
    int64_t t = 5 * S;
    assert_non_null(l);
    for (int i = 0; i < 3; i++)
        assert_int_equal(bb__limiter_take(l, "k", 2, 3, t), 0);
    assert_int_equal(bb__limiter_take(l, "k", 2, 3, t), 1);           /* empty: half a second to wait, so 1 */
    assert_int_equal(bb__limiter_take(l, "k", 2, 3, t + S / 2), 0);   /* one refilled after 0.5 s */
    assert_int_equal(bb__limiter_take(l, "k", 2, 3, t + S / 2), 1);
    assert_int_equal(bb__limiter_take(l, "other", 2, 3, t), 0);       /* keys are separate */
    /* Refill stops at the burst size. */
    for (int i = 0; i < 3; i++)
        assert_int_equal(bb__limiter_take(l, "k", 2, 3, t + 100 * S), 0);
    assert_int_not_equal(bb__limiter_take(l, "k", 2, 3, t + 100 * S), 0);
    bb__limiter_free(l);
}

static void retry_after_seconds(void **state)
{
    (void)state;
    bb__limiter *l = bb__limiter_new();
    assert_int_equal(bb__limiter_take(l, "slow", 0.1, 1, 0), 0);
    assert_int_equal(bb__limiter_take(l, "slow", 0.1, 1, 0), 10); /* one request per 10 s */
    assert_int_equal(bb__limiter_take(l, "slow", 0.1, 1, 4 * S), 6);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(bb__limiter_take(l, "free", 0, 0, 0), 0); /* rate 0: no limit */
    bb__limiter_free(l);
    bb__limiter_free(NULL);
}

static void many_keys(void **state)
{
    (void)state;
    bb__limiter *l = bb__limiter_new();
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "ip:%d", i);
        assert_int_equal(bb__limiter_take(l, key, 1, 1, 0), 0);
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "ip:%d", i);
        assert_int_equal(bb__limiter_take(l, key, 1, 1, 0), 1);
    }
    bb__limiter_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(burst_then_rate),
        cmocka_unit_test(retry_after_seconds),
        cmocka_unit_test(many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
