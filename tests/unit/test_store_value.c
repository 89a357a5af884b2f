/* test_store_value.c: store_value.h's checks before the backend: the active window must be a day or
 * more. */
#include "store_fixture.h"

#include "birebir/store_value.h"

static void active_days_checked(void **state)
{
    fx *f = *state;
    bb_store_overview o;
    bb_error err = {0};
    assert_int_equal(bb_store_overview_get(f->s, 0, 0, &o, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "at least 1 day"));
    assert_int_equal(bb_store_overview_get(f->s, 0, -5, &o, &err), BB_EINVAL);
    assert_int_equal(bb_store_overview_get(f->s, 0, 1, &o, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(active_days_checked, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
