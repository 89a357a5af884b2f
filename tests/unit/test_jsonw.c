/* test_jsonw.c: the JSON writer prints what jansson prints for the same values (compact, the same
 * real precision): escapes, UTF-8, integers, reals of every form, nesting, null for absent strings;
 * and reports calls that do not nest. jansson is the independent reference. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "birebir/error.h"
#include "birebir/jsonw.h"

static const char *const STRS[] = {
    "",           "plain",        "Ayşe Işık İstanbul ğüşöç", "quote \" backslash \\ slash /",
    "\b\f\n\r\t", "\x01\x1f\x7f", "emoji \xf0\x9f\x98\x80",   "<script>alert(1)</script>"};
static const double REALS[] = {0.0,
                               1.0,
                               -2.0,
                               0.5,
                               1.5,
                               2.25,
                               1e20,
                               1e-5,
                               123456789012.0,
                               1234567890123456.0,
                               3.141592653589793,
                               -0.000123456,
                               1e300,
                               6.02214076e23,
                               0.1,
                               2.0 / 3.0};
static const int64_t INTS[] = {0, 1, -1, 42, INT64_MAX, INT64_MIN, 250000};

static void same_as_jansson(void **state)
{
    (void)state;
    for (int prec = 12; prec <= 17; prec += 5) {
        json_t *ref = json_object(), *arr = json_array();
        bb_buf out;
        bb_jsonw w;
        char key[16];
        bb_buf_init(&out, 0);
        bb_jsonw_init(&w, &out, prec);
        bb_jsonw_obj(&w);
        for (size_t i = 0; i < sizeof STRS / sizeof *STRS; i++) {
            snprintf(key, sizeof key, "s%zu", i);
            json_object_set_new(ref, key, json_string(STRS[i]));
            bb_jsonw_key(&w, key);
            bb_jsonw_str(&w, STRS[i]);
        }
        json_object_set_new(ref, "esc \"key\"\n", json_null());
        bb_jsonw_key(&w, "esc \"key\"\n");
        bb_jsonw_str(&w, NULL);
        for (size_t i = 0; i < sizeof REALS / sizeof *REALS; i++) {
            json_array_append_new(arr, json_real(REALS[i]));
            json_array_append_new(arr, json_integer(INTS[i % 7]));
        }
        json_object_set_new(ref, "numbers", arr);
        bb_jsonw_key(&w, "numbers");
        bb_jsonw_arr(&w);
        for (size_t i = 0; i < sizeof REALS / sizeof *REALS; i++) {
            bb_jsonw_real(&w, REALS[i]);
            bb_jsonw_int(&w, INTS[i % 7]);
        }
        bb_jsonw_arr_end(&w);
        json_object_set_new(ref, "nested",
                            json_pack("{s:[], s:{}, s:[{s:b}, {s:b}]}", "a", "o", "l", "t", 1, "f", 0));
        bb_jsonw_key(&w, "nested");
        bb_jsonw_obj(&w);
        bb_jsonw_key(&w, "a");
        bb_jsonw_arr(&w);
        bb_jsonw_arr_end(&w);
        bb_jsonw_key(&w, "o");
        bb_jsonw_obj(&w);
        bb_jsonw_obj_end(&w);
        bb_jsonw_key(&w, "l");
        bb_jsonw_arr(&w);
        bb_jsonw_obj(&w);
        bb_jsonw_key(&w, "t");
        bb_jsonw_bool(&w, 1);
        bb_jsonw_obj_end(&w);
        bb_jsonw_obj(&w);
        bb_jsonw_key(&w, "f");
        bb_jsonw_bool(&w, 0);
        bb_jsonw_obj_end(&w);
        bb_jsonw_arr_end(&w);
        bb_jsonw_obj_end(&w);
        json_object_set_new(ref, "raw", json_pack("{s:i}", "x", 1));
        bb_jsonw_key(&w, "raw");
        bb_jsonw_raw(&w, "{\"x\":1}", 7);
        bb_jsonw_obj_end(&w);
        assert_int_equal(bb_jsonw_finish(&w), 0);
        char *want = json_dumps(ref, JSON_COMPACT | JSON_REAL_PRECISION(prec));
        assert_string_equal(bb_buf_str(&out), want);
        free(want);
        json_decref(ref);
        bb_buf_release(&out);
    }
}

/* One real through the writer and through jansson (the reference: printf's %.*g, made JSON). */
static void real_as_jansson(double v, int prec, bb_buf *out)
{
    bb_jsonw w;
    json_t *j = json_real(v);
    char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(prec));
    bb_buf_reset(out);
    bb_jsonw_init(&w, out, prec);
    bb_jsonw_real(&w, v);
    assert_int_equal(bb_jsonw_finish(&w), 0);
    if (strcmp(bb_buf_str(out), want) != 0)
        fail_msg("%.17g at precision %d: %s, jansson %s", v, prec, bb_buf_str(out), want);
    free(want);
    json_decref(j);
}

static uint64_t next(uint64_t *x) /* xorshift64*: the values below, the same every run */
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 2685821657736338717ull;
}

/* Reals are written without printf where that is exact (jsonw.c real_g): checked against jansson on
 * random doubles of every magnitude, decimal fractions, values a hair from a rounding half, exact
 * halves (ties), powers of ten and their neighbours, and the fixed/exponent switches, at the views'
 * precision (12), 15, and 17 (always printf), both signs. */
static void reals_as_jansson_many(void **state)
{
    (void)state;
    static const int precs[] = {12, 15, 17, 6, 1};
    uint64_t x = 88172645463325252ull;
    bb_buf out;
    bb_buf_init(&out, 0);
    for (size_t pi = 0; pi < sizeof precs / sizeof *precs; pi++) {
        int prec = precs[pi];
        for (int i = 0; i < 200000; i++) { /* random mantissas, exponents 10^-40 .. 10^40 */
            double m = (double)(next(&x) >> 11) / 9007199254740992.0;
            double v = ldexp(m + 0.5, (int)(next(&x) % 270) - 135);
            real_as_jansson(i & 1 ? -v : v, prec, &out);
        }
        for (int i = 0; i < 50000; i++) { /* decimal fractions n / 10^k, and halves at the last digit */
            uint64_t n = next(&x) % 100000000000000ull;
            int k = (int)(next(&x) % 20);
            double v = (double)n / pow(10, k);
            real_as_jansson(v, prec, &out);
            real_as_jansson((double)(n * 10 + 5) / pow(10, k + 1), prec, &out);
            real_as_jansson(nextafter(v, 0), prec, &out);
            real_as_jansson(nextafter(v, 1e300), prec, &out);
        }
        for (int k = -30; k <= 30; k++) { /* powers of ten, their neighbours, 9.99..95 carries, ties */
            double t = pow(10, k);
            double vs[] = {t, nextafter(t, 0), nextafter(t, 1e300), 9.9999999999995 * t, 9.99999999999949 * t,
                           1.0000000000005 * t, 1234567890125.0 * t, 2.5 * t, 0.5 * t, 1.5 * t, 123.4565 * t};
            for (size_t i = 0; i < sizeof vs / sizeof *vs; i++) {
                real_as_jansson(vs[i], prec, &out);
                real_as_jansson(-vs[i], prec, &out);
            }
        }
        for (int64_t n = 0; n < 3000; n++) /* small integers and halves */
            real_as_jansson((double)n / 2, prec, &out);
        real_as_jansson(0.0, prec, &out);
        real_as_jansson(-0.0, prec, &out);
        real_as_jansson(5e-324, prec, &out);
        real_as_jansson(1.7976931348623157e308, prec, &out);
    }
    bb_buf_release(&out);
}

static void bad_nesting(void **state)
{
    (void)state;
    bb_buf out;
    bb_jsonw w;
    bb_buf_init(&out, 0);
    bb_jsonw_init(&w, &out, 12);
    bb_jsonw_obj(&w);
    bb_jsonw_key(&w, "k");
    assert_int_equal(bb_jsonw_finish(&w), BB_EINTERNAL); /* a key without its value, and open */
    bb_jsonw_obj_end(&w);
    assert_int_equal(bb_jsonw_finish(&w), BB_EINTERNAL);
    bb_buf_reset(&out);
    bb_jsonw_init(&w, &out, 12);
    bb_jsonw_arr_end(&w);
    assert_int_equal(bb_jsonw_finish(&w), BB_EINTERNAL);
    bb_jsonw_init(&w, &out, 12);
    for (int i = 0; i < BB_JSONW_DEPTH + 1; i++)
        bb_jsonw_arr(&w);
    assert_int_equal(bb_jsonw_finish(&w), BB_EINTERNAL);
    bb_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_jansson),
        cmocka_unit_test(reals_as_jansson_many),
        cmocka_unit_test(bad_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
