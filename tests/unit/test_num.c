/* test_num.c: numbers as people write them, in en and tr: grouping, the ISO rule in tr, strictness,
 * rounding half away from zero, overflow, whole numbers and doubles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/num.h"

static int64_t scaled(const char *s, bb_locale loc, int scale)
{
    int64_t v = -999999;
    bb_error err = {0};
    int rc = bb_num_parse_scaled(s, loc, scale, &v, &err);
    if (rc != 0)
        fail_msg("\"%s\" failed: %s", s, err.msg);
    return v;
}

static const char *bad(const char *s, bb_locale loc, int scale)
{
    static bb_error err;
    int64_t v;
    bb_error_clear(&err);
    assert_int_equal(bb_num_parse_scaled(s, loc, scale, &v, &err), BB_EINVAL);
    return err.msg;
}

static void english(void **state)
{
    (void)state;
    assert_int_equal(scaled("1,234.56", BB_LOCALE_EN, 2), 123456);
    assert_int_equal(scaled("1234.56", BB_LOCALE_EN, 2), 123456);
    assert_int_equal(scaled("1,234,567", BB_LOCALE_EN, 0), 1234567);
    assert_int_equal(scaled(" -0.5 ", BB_LOCALE_EN, 2), -50);
    assert_int_equal(scaled("+.5", BB_LOCALE_EN, 2), 50);
    assert_int_equal(scaled("12", BB_LOCALE_EN, 2), 1200);
    assert_int_equal(scaled("0", BB_LOCALE_EN, 3), 0);
    assert_string_equal(bad("12,5O", BB_LOCALE_EN, 2), "\"12,5O\" is not a number");
    assert_string_equal(bad("12,34", BB_LOCALE_EN, 2),
                        "\"12,34\" is not a number in the en locale (it is one in tr)");
    assert_string_equal(bad("1.234,56", BB_LOCALE_EN, 2),
                        "\"1.234,56\" is not a number in the en locale (it is one in tr)");
    bad("", BB_LOCALE_EN, 2);
    bad("-", BB_LOCALE_EN, 2);
    bad(".", BB_LOCALE_EN, 2);
    bad("5.", BB_LOCALE_EN, 2);
    bad("1e5", BB_LOCALE_EN, 2);
    bad("1 234", BB_LOCALE_EN, 2);
    bad("$12", BB_LOCALE_EN, 2);
    bad("1,23,456", BB_LOCALE_EN, 2);
    bad(",123", BB_LOCALE_EN, 2);
    bad("--1", BB_LOCALE_EN, 2);
}

static void turkish(void **state)
{
    (void)state;
    assert_int_equal(scaled("1.234,56", BB_LOCALE_TR, 2), 123456);
    assert_int_equal(scaled("7,50", BB_LOCALE_TR, 2), 750);
    assert_int_equal(scaled("1234,56", BB_LOCALE_TR, 2), 123456);
    assert_int_equal(scaled("-1.234.567,8", BB_LOCALE_TR, 2), -123456780);
    /* the ISO rule: a dot followed by exactly three digits groups; any other dot is a decimal point */
    assert_int_equal(scaled("1.234", BB_LOCALE_TR, 2), 123400);
    assert_int_equal(scaled("1.500", BB_LOCALE_TR, 0), 1500);
    assert_int_equal(scaled("1.234.567", BB_LOCALE_TR, 0), 1234567);
    assert_int_equal(scaled("12.5", BB_LOCALE_TR, 2), 1250);
    assert_int_equal(scaled("0.75", BB_LOCALE_TR, 2), 75);
    assert_int_equal(scaled("1234.56", BB_LOCALE_TR, 2), 123456);
    assert_int_equal(scaled("0.500", BB_LOCALE_TR, 3), 500);
    assert_int_equal(scaled("1234.567", BB_LOCALE_TR, 3), 1234567);
    assert_string_equal(bad("12,5O", BB_LOCALE_TR, 2), "\"12,5O\" is not a number");
    bad("1.23,4", BB_LOCALE_TR, 2);
    bad("1.2.3", BB_LOCALE_TR, 2);
    bad("1,234.56", BB_LOCALE_TR, 2);
    bad("12,", BB_LOCALE_TR, 2);
}

static void rounding_and_range(void **state)
{
    int64_t v;
    bb_error err = {0};
    (void)state;
    /* half away from zero on the first dropped digit */
    assert_int_equal(scaled("2.345", BB_LOCALE_EN, 2), 235);
    assert_int_equal(scaled("-2.345", BB_LOCALE_EN, 2), -235);
    assert_int_equal(scaled("2.3449", BB_LOCALE_EN, 2), 234);
    assert_int_equal(scaled("0.001", BB_LOCALE_EN, 2), 0);
    assert_int_equal(scaled("0.005", BB_LOCALE_EN, 2), 1);
    assert_int_equal(scaled("-0.005", BB_LOCALE_EN, 2), -1);
    assert_int_equal(scaled("9.995", BB_LOCALE_EN, 2), 1000);
    assert_int_equal(scaled("2,5", BB_LOCALE_TR, 0), 3);
    assert_int_equal(scaled("-2,5", BB_LOCALE_TR, 0), -3);
    /* the edges of int64 */
    assert_int_equal(scaled("9223372036854775807", BB_LOCALE_EN, 0), INT64_MAX);
    assert_int_equal(scaled("-9223372036854775807", BB_LOCALE_EN, 0), -INT64_MAX);
    assert_int_equal(scaled("92233720368547758.07", BB_LOCALE_EN, 2), INT64_MAX);
    assert_string_equal(bad("9223372036854775808", BB_LOCALE_EN, 0),
                        "\"9223372036854775808\" is out of range");
    bad("92233720368547758.08", BB_LOCALE_EN, 2);
    bad("92233720368547758.075", BB_LOCALE_EN, 2); /* rounding up past the top */
    bad("99999999999999999999999", BB_LOCALE_EN, 0);
    assert_int_equal(bb_num_parse_scaled("1", BB_LOCALE_EN, 7, &v, &err), BB_EINTERNAL);
}

static void whole_and_double(void **state)
{
    int64_t i;
    double d;
    bb_error err = {0};
    (void)state;
    assert_int_equal(bb_num_parse_int("1.234", BB_LOCALE_TR, &i, &err), 0);
    assert_int_equal(i, 1234);
    assert_int_equal(bb_num_parse_int("3,00", BB_LOCALE_TR, &i, &err), 0);
    assert_int_equal(i, 3);
    assert_int_equal(bb_num_parse_int("-12", BB_LOCALE_EN, &i, &err), 0);
    assert_int_equal(i, -12);
    assert_int_equal(bb_num_parse_int("3,5", BB_LOCALE_TR, &i, &err), BB_EINVAL);
    assert_string_equal(err.msg, "\"3,5\" is not a whole number");
    assert_int_equal(bb_num_parse_double("-1.234,5", BB_LOCALE_TR, &d, &err), 0);
    assert_true(d == -1234.5);
    assert_int_equal(bb_num_parse_double("0.1", BB_LOCALE_EN, &d, &err), 0);
    assert_true(d == 0.1); /* correctly rounded, like the compiler's literal */
    assert_int_equal(bb_num_parse_double("12", BB_LOCALE_EN, &d, &err), 0);
    assert_true(d == 12.0);
    assert_int_equal(bb_num_parse_double("1x", BB_LOCALE_EN, &d, &err), BB_EINVAL);
    assert_string_equal(err.msg, "\"1x\" is not a number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(english),
        cmocka_unit_test(turkish),
        cmocka_unit_test(rounding_and_range),
        cmocka_unit_test(whole_and_double),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
