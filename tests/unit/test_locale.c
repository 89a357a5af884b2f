/* test_locale.c: locale names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "birebir/locale.h"

static void names(void **state)
{
    bb_locale l = BB_LOCALE_EN;
    bb_error err = {0};
    (void)state;
    assert_int_equal(bb_locale_parse("tr", &l, &err), 0);
    assert_int_equal(l, BB_LOCALE_TR);
    assert_int_equal(bb_locale_parse("tr_TR.UTF-8", &l, &err), 0);
    assert_int_equal(l, BB_LOCALE_TR);
    assert_int_equal(bb_locale_parse("EN-us", &l, &err), 0);
    assert_int_equal(l, BB_LOCALE_EN);
    assert_int_equal(bb_locale_parse("C", &l, &err), 0);
    assert_int_equal(l, BB_LOCALE_EN);
    assert_int_equal(bb_locale_parse("de", &l, &err), BB_EINVAL);
    assert_string_equal(err.msg, "unknown locale \"de\" (use tr or en)");
    assert_int_equal(bb_locale_parse("trx", &l, &err), BB_EINVAL);
    assert_string_equal(bb_locale_name(BB_LOCALE_TR), "tr");
    assert_string_equal(bb_locale_name(BB_LOCALE_EN), "en");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(names)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
