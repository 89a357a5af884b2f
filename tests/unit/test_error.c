/* test_error.c: bb_error, codes and exit statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/error.h"

static void set_and_format(void **state)
{
    (void)state;
    bb_error err = {0};
    char buf[256];
    assert_int_equal(bb_error_setw(&err, BB_EINVAL, "orders.csv:1842", "amount: \"%s\" is not a number",
                                   "12,5O"),
                     BB_EINVAL);
    assert_string_equal(bb_error_format(&err, buf, sizeof buf),
                        "orders.csv:1842: amount: \"12,5O\" is not a number");
    bb_error_prefix(&err, "importing");
    assert_string_equal(err.msg, "importing: amount: \"12,5O\" is not a number");
    bb_error_clear(&err);
    assert_int_equal(err.code, 0);
    assert_int_equal(bb_error_set(NULL, BB_ENOMEM, "x"), BB_ENOMEM); /* NULL err is allowed */
}

static void exit_status(void **state)
{
    (void)state;
    assert_int_equal(bb_error_exit_status(BB_OK), 0);
    assert_int_equal(bb_error_exit_status(BB_EINVAL), 1);
    assert_int_equal(bb_error_exit_status(BB_EUSAGE), 2);
    assert_int_equal(bb_error_exit_status(BB_ENOMEM), 3);
    assert_int_equal(bb_error_exit_status(BB_EDB), 3);
    assert_string_equal(bb_strerror(BB_ENOTFOUND), "not found");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_and_format),
        cmocka_unit_test(exit_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
