/* test_jsonw.c: the JSON writer prints what jansson prints for the same values (compact, the same
 * real precision): escapes, UTF-8, integers, reals of every form, nesting, null for absent strings;
 * and reports calls that do not nest. jansson is the independent reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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
        cmocka_unit_test(bad_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
