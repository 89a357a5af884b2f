/* test_json_text.c: JSON string escaping, checked by parsing the result back with jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ingest/json_text.h"

static void escapes(void **state)
{
    const char *cases[] = {
        "", "plain", "say \"hi\"", "back\\slash", "tab\tnew\nline\r", "\x01\x1f", "Işık İSTANBUL ₺ 😀"};
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bb_buf b;
        json_t *v;
        bb_buf_init(&b, 0);
        assert_int_equal(bb__json_str(&b, cases[i]), 0);
        v = json_loads(b.data, JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        assert_string_equal(json_string_value(v), cases[i]);
        json_decref(v);
        bb_buf_release(&b);
    }
    {
        bb_buf b;
        bb_buf_init(&b, 0);
        assert_int_equal(bb__json_str(&b, "a\"\n"), 0);
        assert_string_equal(b.data, "\"a\\\"\\u000a\"");
        bb_buf_release(&b);
        bb_buf_init(&b, 4);
        assert_int_equal(bb__json_str(&b, "toolong"), BB_ELIMIT);
        bb_buf_release(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(escapes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
