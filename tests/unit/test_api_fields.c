/* test_api_fields.c: typed fields of request bodies: money read exactly into minor units (checked
 * against hand-computed values), ISO 8601 times (checked against timegm; naive times are UTC), text
 * with NUL or past its maximum refused with the JSON path, ids given as integers, enums, unknown
 * fields, currencies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "api/api_fields.h"

static json_t *obj(const char *text)
{
    json_t *o = json_loads(text, JSON_ALLOW_NUL, NULL);
    assert_non_null(o);
    return o;
}

/* Minor units of {"v": <text>} in currency, or a sentinel when refused. */
static int64_t money(const char *value, const char *currency)
{
    char text[128];
    json_t *o;
    int64_t out = 0;
    int has = 0;
    bb_error err = {0};
    snprintf(text, sizeof text, "{\"v\": %s}", value);
    o = obj(text);
    if (bb__field_money(o, "$", "v", 0, currency, &out, &has, &err) != 0) {
        assert_string_equal(err.where, "$.v");
        out = INT64_MIN;
    }
    json_decref(o);
    return out;
}

static void amounts(void **state)
{
    (void)state;
    assert_int_equal(money("\"250.00\"", "TRY"), 25000);
    assert_int_equal(money("250", "TRY"), 25000);
    assert_int_equal(money("250.5", NULL), 25050);
    assert_int_equal(money("19.99", "TRY"), 1999); /* a double near 19.99 is read as 19.99 */
    assert_int_equal(money("0.1", "EUR"), 10);
    assert_int_equal(money("\"-12.5\"", "TRY"), -1250);
    assert_int_equal(money("\".5\"", "TRY"), 50);
    assert_int_equal(money("\"1.230\"", "TRY"), 123); /* trailing zeros past the minor unit are fine */
    assert_int_equal(money("1000000.01", "TRY"), 100000001);
    assert_int_equal(money("\"100\"", "JPY"), 100);
    assert_int_equal(money("\"1.234\"", "KWD"), 1234);
    assert_int_equal(money("1e3", "TRY"), 100000); /* a JSON number in exponent form */
    assert_int_equal(money("\"12,5O\"", "TRY"), INT64_MIN);
    assert_int_equal(money("\"1.235\"", "TRY"), 124);  /* finer than kuruş: rounded half away from zero */
    assert_int_equal(money("\"-1.235\"", "TRY"), -124);
    assert_int_equal(money("\"100.5\"", "JPY"), 101);
    assert_int_equal(money("\"1e3\"", "TRY"), INT64_MIN);
    assert_int_equal(money("\"\"", "TRY"), INT64_MIN);
    assert_int_equal(money("\"99999999999999999999\"", "TRY"), INT64_MIN);
    assert_int_equal(money("true", "TRY"), INT64_MIN);
    assert_int_equal(money("null", "TRY"), 0); /* absent */
}

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s};
    return (int64_t)timegm(&tm);
}

/* The time of {"t": <json>}, or INT64_MIN when refused. */
static int64_t when(const char *json)
{
    char text[128];
    json_t *o;
    int64_t t = 0;
    int has = 0;
    bb_error err = {0};
    snprintf(text, sizeof text, "{\"t\": %s}", json);
    o = obj(text);
    if (bb__field_time(o, "$.x", "t", 0, &t, &has, &err) != 0) {
        assert_string_equal(err.where, "$.x.t");
        t = INT64_MIN;
    }
    json_decref(o);
    return t;
}

static void times(void **state)
{
    (void)state;
    assert_int_equal(when("\"2026-11-01T10:00:00Z\""), utc(2026, 11, 1, 10, 0, 0));
    assert_int_equal(when("\"2026-11-01\""), utc(2026, 11, 1, 0, 0, 0)); /* naive: UTC */
    assert_int_equal(when("\"2025-12-01T14:05:00+03:00\""), utc(2025, 12, 1, 11, 5, 0)); /* Istanbul */
    assert_int_equal(when("\"2025-12-01 14:05:30.250-01:30\""), utc(2025, 12, 1, 15, 35, 30));
    assert_int_equal(when("\"2024-02-29T23:59\""), utc(2024, 2, 29, 23, 59, 0));
    assert_int_equal(when("\"2000-03-01\""), utc(2000, 3, 1, 0, 0, 0));
    assert_int_equal(when("1700000000"), 1700000000); /* UTC seconds */
    assert_int_equal(when("\"2023-02-29\""), INT64_MIN);
    assert_int_equal(when("\"2026-13-01\""), INT64_MIN);
    assert_int_equal(when("\"2026-11-01T25:00\""), INT64_MIN);
    assert_int_equal(when("\"yesterday\""), INT64_MIN);
    assert_int_equal(when("\"2026-11-01T10:00:00Zjunk\""), INT64_MIN);
    assert_int_equal(when("1.5"), INT64_MIN);
    assert_int_equal(when("null"), 0); /* absent */
    json_t *o = obj("{}");
    int64_t t;
    int has;
    bb_error err = {0};
    assert_int_equal(bb__field_time(o, "$", "d", BB__REQUIRED, &t, &has, &err), BB_EINVAL);
    json_decref(o);
}

static void texts(void **state)
{
    (void)state;
    json_t *o = obj("{\"name\": \"Ayşe <script>alert(1)</script> '; DROP TABLE customer; --\","
                    " \"nul\": \"a\\u0000b\", \"id\": 12345, \"empty\": \"\", \"num\": 5, \"long\": \"abcdef\"}");
    const char *s;
    bb_error err = {0};
    assert_int_equal(bb__field_text(o, "$", "name", 0, 1000, &s, &err), 0);
    assert_string_equal(s, "Ayşe <script>alert(1)</script> '; DROP TABLE customer; --"); /* text as it came */
    assert_int_equal(bb__field_text(o, "$[2]", "nul", 0, 1000, &s, &err), BB_EINVAL);
    assert_string_equal(err.where, "$[2].nul");
    assert_non_null(strstr(err.msg, "NUL"));
    assert_int_equal(bb__field_text(o, "$", "id", BB__ID, 100, &s, &err), 0);
    assert_string_equal(s, "12345");
    assert_int_equal(bb__field_text(o, "$", "num", 0, 100, &s, &err), BB_EINVAL); /* not an id: no numbers */
    assert_int_equal(bb__field_text(o, "$", "empty", 0, 100, &s, &err), 0);
    assert_null(s);
    assert_int_equal(bb__field_text(o, "$", "empty", BB__REQUIRED, 100, &s, &err), BB_EINVAL);
    assert_int_equal(bb__field_text(o, "$", "long", 0, 5, &s, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "at most 5"));
    static const char *const allowed[] = {"name", "nul", "id", "empty", "num", NULL};
    assert_int_equal(bb__fields_known(o, "$", allowed, &err), BB_EINVAL);
    assert_string_equal(err.where, "$.long");
    json_decref(o);
}

static void other_kinds(void **state)
{
    (void)state;
    json_t *o = obj("{\"dir\": \"sideways\", \"q\": \"2.5\", \"n\": 7, \"cur\": \"TL\", \"c2\": \"eur\","
                    " \"d\": \"1990-02-30\", \"d2\": \"1990-02-28\", \"f\": 1.5}");
    static const char *const dirs[] = {"in", "out", NULL};
    const char *s;
    double x;
    int64_t n;
    int has;
    char cur[4];
    bb_error err = {0};
    assert_int_equal(bb__field_enum(o, "$", "dir", 0, dirs, &s, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "in, out"));
    assert_int_equal(bb__field_number(o, "$", "q", 0, &x, &has, &err), 0);
    assert_true(x == 2.5);
    assert_int_equal(bb__field_number(o, "$", "dir", 0, &x, &has, &err), BB_EINVAL);
    assert_int_equal(bb__field_int(o, "$", "n", 0, 0, 10, &n, &has, &err), 0);
    assert_int_equal(n, 7);
    assert_int_equal(bb__field_int(o, "$", "n", 0, 0, 5, &n, &has, &err), BB_EINVAL);
    assert_int_equal(bb__field_int(o, "$", "f", 0, 0, 5, &n, &has, &err), BB_EINVAL);
    assert_int_equal(bb__field_currency(o, "$", "cur", cur, &err), BB_EINVAL);
    assert_int_equal(bb__field_currency(o, "$", "c2", cur, &err), 0);
    assert_string_equal(cur, "EUR");
    assert_int_equal(bb__field_date(o, "$", "d", &s, &err), BB_EINVAL);
    assert_int_equal(bb__field_date(o, "$", "d2", &s, &err), 0);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amounts),
        cmocka_unit_test(times),
        cmocka_unit_test(texts),
        cmocka_unit_test(other_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
