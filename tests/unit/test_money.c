/* test_money.c: ISO 4217 minor units, code validation, amounts in minor units, display formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/money.h"

static void digits(void **state)
{
    (void)state;
    /* ISO 4217 list one: the minor unit column */
    assert_int_equal(bb_money_digits("TRY"), 2);
    assert_int_equal(bb_money_digits("USD"), 2);
    assert_int_equal(bb_money_digits("EUR"), 2);
    assert_int_equal(bb_money_digits("GBP"), 2);
    assert_int_equal(bb_money_digits("JPY"), 0);
    assert_int_equal(bb_money_digits("KRW"), 0);
    assert_int_equal(bb_money_digits("KWD"), 3);
    assert_int_equal(bb_money_digits("BHD"), 3);
    assert_int_equal(bb_money_digits("CLF"), 4);
    assert_int_equal(bb_money_digits("TL"), -1);
    assert_int_equal(bb_money_digits("try"), -1);
    assert_int_equal(bb_money_digits("XYZ"), -1);
    assert_int_equal(bb_money_digits(NULL), -1);
}

static void codes(void **state)
{
    char c[4];
    bb_error err = {0};
    (void)state;
    assert_int_equal(bb_money_code_parse(" try ", c, &err), 0);
    assert_string_equal(c, "TRY");
    assert_int_equal(bb_money_code_parse("Eur", c, &err), 0);
    assert_string_equal(c, "EUR");
    assert_int_equal(bb_money_code_parse("TL", c, &err), BB_EINVAL);
    assert_string_equal(err.msg, "\"TL\" is not an ISO 4217 currency code (e.g. TRY, USD, EUR)");
    assert_int_equal(bb_money_code_parse("TRYX", c, &err), BB_EINVAL);
    assert_int_equal(bb_money_code_parse("", c, &err), BB_EINVAL);
    assert_int_equal(bb_money_code_parse("T R", c, &err), BB_EINVAL);
}

static void amounts(void **state)
{
    int64_t m;
    bb_error err = {0};
    (void)state;
    assert_int_equal(bb_money_parse("1.234,56", BB_LOCALE_TR, "TRY", &m, &err), 0);
    assert_int_equal(m, 123456);
    assert_int_equal(bb_money_parse("1,234", BB_LOCALE_EN, "JPY", &m, &err), 0);
    assert_int_equal(m, 1234);
    assert_int_equal(bb_money_parse("1.5", BB_LOCALE_EN, "JPY", &m, &err), 0);
    assert_int_equal(m, 2); /* rounded half away from zero to whole yen */
    assert_int_equal(bb_money_parse("1.2345", BB_LOCALE_EN, "KWD", &m, &err), 0);
    assert_int_equal(m, 1235);
    assert_int_equal(bb_money_parse("12,5O", BB_LOCALE_TR, "TRY", &m, &err), BB_EINVAL);
    assert_string_equal(err.msg, "\"12,5O\" is not a number");
    assert_int_equal(bb_money_parse("1", BB_LOCALE_TR, "XXX", &m, &err), BB_EINVAL);
}

static void display(void **state)
{
    char b[64];
    (void)state;
    bb_money_format(123456, "TRY", BB_LOCALE_TR, b, sizeof b);
    assert_string_equal(b, "1.234,56 ₺");
    bb_money_format(123456, "TRY", BB_LOCALE_EN, b, sizeof b);
    assert_string_equal(b, "₺1,234.56");
    bb_money_format(-750, "TRY", BB_LOCALE_TR, b, sizeof b);
    assert_string_equal(b, "-7,50 ₺");
    bb_money_format(-750, "USD", BB_LOCALE_EN, b, sizeof b);
    assert_string_equal(b, "-$7.50");
    bb_money_format(5, "EUR", BB_LOCALE_EN, b, sizeof b);
    assert_string_equal(b, "€0.05");
    bb_money_format(1234567, "JPY", BB_LOCALE_EN, b, sizeof b);
    assert_string_equal(b, "¥1,234,567");
    bb_money_format(1234567, "KWD", BB_LOCALE_EN, b, sizeof b);
    assert_string_equal(b, "KWD 1,234.567");
    bb_money_format(1234567, "KWD", BB_LOCALE_TR, b, sizeof b);
    assert_string_equal(b, "1.234,567 KWD");
    bb_money_format(INT64_MIN, "TRY", BB_LOCALE_EN, b, sizeof b);
    assert_string_equal(b, "-₺92,233,720,368,547,758.08");
    bb_money_format(100, "GBP", BB_LOCALE_TR, b, sizeof b);
    assert_string_equal(b, "1,00 £");
    /* truncation is safe and reports the needed length, like snprintf */
    assert_int_equal(bb_money_format(123456, "TRY", BB_LOCALE_TR, b, 4), strlen("1.234,56 ₺"));
    assert_string_equal(b, "1.2");
    bb_money_format_plain(-123456, 2, b, sizeof b);
    assert_string_equal(b, "-1234.56");
    bb_money_format_plain(7, 3, b, sizeof b);
    assert_string_equal(b, "0.007");
    bb_money_format_plain(42, 0, b, sizeof b);
    assert_string_equal(b, "42");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digits),
        cmocka_unit_test(codes),
        cmocka_unit_test(amounts),
        cmocka_unit_test(display),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
