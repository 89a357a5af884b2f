/* test_datetime.c: Hinnant's calendar algorithms against Python's datetime (day numbers computed with
 * date(y, m, d) - date(1970, 1, 1)) and a naive day-by-day count; ISO 8601 and Turkish forms; offsets;
 * range checks; the strptime-like format; formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/datetime.h"

static void civil_days(void **state)
{
    static const struct { int y, m, d; int64_t days; } known[] = {
        /* from Python: (date(y, m, d) - date(1970, 1, 1)).days */
        {1970, 1, 1, 0},        {2000, 2, 29, 11016},  {2000, 3, 1, 11017}, {2025, 11, 23, 20415},
        {1, 1, 1, -719162},     {9999, 12, 31, 2932896}, {1969, 12, 31, -1}, {1600, 2, 29, -135081},
        {1900, 3, 1, -25508},
    };
    (void)state;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        int64_t y;
        int m, d;
        assert_int_equal(bb_days_from_civil(known[i].y, known[i].m, known[i].d), known[i].days);
        bb_civil_from_days(known[i].days, &y, &m, &d);
        assert_int_equal(y, known[i].y);
        assert_int_equal(m, known[i].m);
        assert_int_equal(d, known[i].d);
    }
    /* every day from 1599-01-01 to 2401-12-31 against a naive count */
    {
        int64_t n = bb_days_from_civil(1599, 1, 1);
        for (int y = 1599; y <= 2401; y++)
            for (int m = 1; m <= 12; m++)
                for (int d = 1; bb_date_valid(y, m, d); d++, n++) {
                    int64_t yy;
                    int mm, dd;
                    if (bb_days_from_civil(y, m, d) != n)
                        fail_msg("%d-%d-%d", y, m, d);
                    bb_civil_from_days(n, &yy, &mm, &dd);
                    if (yy != y || mm != m || dd != d)
                        fail_msg("back %d-%d-%d", y, m, d);
                }
        assert_int_equal(n, bb_days_from_civil(2402, 1, 1));
    }
    assert_true(bb_date_valid(2024, 2, 29));
    assert_false(bb_date_valid(2025, 2, 29));
    assert_false(bb_date_valid(1900, 2, 29));
    assert_true(bb_date_valid(2000, 2, 29));
    assert_false(bb_date_valid(2025, 4, 31));
    assert_false(bb_date_valid(2025, 13, 1));
    assert_false(bb_date_valid(2025, 0, 1));
}

static int64_t t(const char *s, bb_locale loc, int off)
{
    int64_t v = 0;
    bb_error err = {0};
    if (bb_time_parse(s, loc, off, &v, &err) != 0)
        fail_msg("\"%s\": %s", s, err.msg);
    return v;
}

static const char *tbad(const char *s, bb_locale loc)
{
    static bb_error err;
    int64_t v;
    assert_int_equal(bb_time_parse(s, loc, 0, &v, &err), BB_EINVAL);
    return err.msg;
}

static void parsing(void **state)
{
    const int tr = 3 * 3600;
    (void)state;
    assert_int_equal(bb_locale_utc_offset(BB_LOCALE_TR), 10800);
    assert_int_equal(bb_locale_utc_offset(BB_LOCALE_EN), 0);
    /* epoch values from Python's datetime(..., tzinfo=...).timestamp() */
    assert_int_equal(t("01.12.2025 14:05", BB_LOCALE_TR, tr), 1764587100);
    assert_int_equal(t("1/12/2025 14:05:00", BB_LOCALE_TR, tr), 1764587100);
    assert_int_equal(t("2025-12-01T14:05+03:00", BB_LOCALE_EN, 0), 1764587100);
    assert_int_equal(t("2025-12-01 11:05Z", BB_LOCALE_TR, tr), 1764587100);
    assert_int_equal(t("23.11.2025", BB_LOCALE_TR, tr), 1763845200);
    assert_int_equal(t("2025-11-23", BB_LOCALE_TR, tr), 1763845200);
    assert_int_equal(t("01.12.2025 14:05:09", BB_LOCALE_TR, 0), 1764597909);
    assert_int_equal(t("2025-12-01T14:05:09.750Z", BB_LOCALE_EN, tr), 1764597909);
    assert_int_equal(t("2025-12-01T14:05:09,5+0000", BB_LOCALE_EN, tr), 1764597909);
    assert_int_equal(t(" 2010-12-01 08:26:00 ", BB_LOCALE_EN, 0), 1291191960);
    assert_int_equal(t("2025-01-05T00:00-05:30", BB_LOCALE_EN, 0), 1736055000);
    assert_int_equal(t("2025-01-05T00:00-05", BB_LOCALE_EN, 0), 1736055000 - 1800);
    assert_int_equal(t("1970-01-01", BB_LOCALE_EN, 0), 0);
    assert_int_equal(t("1969-12-31T23:59:59Z", BB_LOCALE_EN, 0), -1);
    /* ranges */
    assert_string_equal(tbad("31.02.2025", BB_LOCALE_TR), "\"31.02.2025\" is not a valid date-time (out of range)");
    tbad("2025-02-29", BB_LOCALE_EN);
    tbad("2025-13-01", BB_LOCALE_EN);
    tbad("2025-01-01 24:00", BB_LOCALE_EN);
    tbad("2025-01-01 23:60", BB_LOCALE_EN);
    tbad("2025-01-01 23:59:60", BB_LOCALE_EN);
    tbad("0000-01-01", BB_LOCALE_EN);
    /* forms */
    assert_string_equal(tbad("23.11.2025", BB_LOCALE_EN),
                        "\"23.11.2025\" is not a date-time in the en locale (it is one in tr)");
    assert_string_equal(tbad("2025/11/23", BB_LOCALE_EN),
                        "\"2025/11/23\" is not a date-time (expected ISO 8601: 2025-11-23 or 2025-11-23 "
                        "14:05[:09][+03:00])");
    tbad("23.11.25", BB_LOCALE_TR);
    tbad("23.11-2025", BB_LOCALE_TR);
    tbad("2025-1-5", BB_LOCALE_EN);
    tbad("2025-01-05T", BB_LOCALE_EN);
    tbad("2025-01-05 14", BB_LOCALE_EN);
    tbad("2025-01-05 14:05 junk", BB_LOCALE_EN);
    tbad("2025-01-05T14:05+15:00", BB_LOCALE_EN);
    tbad("", BB_LOCALE_EN);
    tbad("yesterday", BB_LOCALE_TR);
}

static void dates_and_offsets(void **state)
{
    int64_t d;
    int off;
    bb_error err = {0};
    (void)state;
    assert_int_equal(bb_date_parse("23.11.2025", BB_LOCALE_TR, &d, &err), 0);
    assert_int_equal(d, 20415);
    assert_int_equal(bb_date_parse("2025-11-23", BB_LOCALE_EN, &d, &err), 0);
    assert_int_equal(d, 20415);
    assert_int_equal(bb_date_parse("2025-11-23 10:00", BB_LOCALE_EN, &d, &err), BB_EINVAL);
    assert_int_equal(bb_date_parse("29.02.2023", BB_LOCALE_TR, &d, &err), BB_EINVAL);
    assert_string_equal(err.msg, "\"29.02.2023\" is not a valid date (no such day)");
    assert_int_equal(bb_utc_offset_parse("+03:00", &off, &err), 0);
    assert_int_equal(off, 10800);
    assert_int_equal(bb_utc_offset_parse("-0530", &off, &err), 0);
    assert_int_equal(off, -19800);
    assert_int_equal(bb_utc_offset_parse("+3", &off, &err), 0);
    assert_int_equal(off, 10800);
    assert_int_equal(bb_utc_offset_parse("Z", &off, &err), 0);
    assert_int_equal(off, 0);
    assert_int_equal(bb_utc_offset_parse("UTC", &off, &err), 0);
    assert_int_equal(bb_utc_offset_parse("+15:00", &off, &err), BB_EINVAL);
    assert_int_equal(bb_utc_offset_parse("03:00", &off, &err), BB_EINVAL);
    assert_int_equal(bb_utc_offset_parse("+03:0", &off, &err), BB_EINVAL);
}

static void formats(void **state)
{
    int64_t v;
    bb_error err = {0};
    char b[32];
    (void)state;
    assert_int_equal(bb_time_parse_fmt("20251201", "%Y%m%d", 0, &v, &err), 0);
    assert_int_equal(v, 1764547200);
    assert_int_equal(bb_time_parse_fmt("01/12/25 14:05", "%d/%m/%y %H:%M", 10800, &v, &err), 0);
    assert_int_equal(v, 1764587100);
    assert_int_equal(bb_time_parse_fmt("2025-12-01T14:05:00.123+03:00", "%FT%T.%f%z", 0, &v, &err), 0);
    assert_int_equal(v, 1764587100);
    assert_int_equal(bb_time_parse_fmt("12/1/2025  2:05", "%m/%d/%Y %H:%M", 0, &v, &err), 0);
    assert_int_equal(v, 1764554700);
    assert_int_equal(bb_time_parse_fmt("100%", "%d%%", 0, &v, &err), BB_EINVAL); /* day 100 */
    assert_int_equal(bb_time_parse_fmt("20250231", "%Y%m%d", 0, &v, &err), BB_EINVAL);
    assert_string_equal(err.msg, "\"20250231\" is not a valid date-time (out of range)");
    assert_int_equal(bb_time_parse_fmt("2025-12-01", "%Y%m%d", 0, &v, &err), BB_EINVAL);
    assert_string_equal(err.msg, "\"2025-12-01\" does not match the date format \"%Y%m%d\"");
    assert_int_equal(bb_time_parse_fmt("2025", "%Y%q", 0, &v, &err), BB_EINVAL);
    assert_int_equal(bb_time_parse_fmt("2025", "%Y%", 0, &v, &err), BB_EINVAL);
    assert_string_equal(bb_time_format_iso(1764587100, b, sizeof b), "2025-12-01T11:05:00Z");
    assert_string_equal(bb_time_format_iso(-1, b, sizeof b), "1969-12-31T23:59:59Z");
    assert_string_equal(bb_time_format_iso(0, b, sizeof b), "1970-01-01T00:00:00Z");
    assert_string_equal(bb_date_format_iso(20415, b, sizeof b), "2025-11-23");
    assert_string_equal(bb_date_format_iso(-719162, b, sizeof b), "0001-01-01");
    /* what is written is read back */
    for (int64_t x = -100000007; x < 4000000000; x += 7777777) {
        bb_time_format_iso(x, b, sizeof b);
        assert_int_equal(bb_time_parse(b, BB_LOCALE_EN, 0, &v, &err), 0);
        assert_int_equal(v, x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(civil_days),
        cmocka_unit_test(parsing),
        cmocka_unit_test(dates_and_offsets),
        cmocka_unit_test(formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
