/* test_buf.c: bb_buf grows, keeps a NUL, and refuses to pass its maximum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/buf.h"

static void grows_and_terminates(void **state)
{
    (void)state;
    bb_buf b;
    bb_buf_init(&b, 0);
    assert_string_equal(bb_buf_str(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(bb_buf_addf(&b, "%d,", i % 10), 0);
    assert_int_equal(b.len, 2000);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(bb_buf_addc(&b, 'x'), 0);
    assert_int_equal(b.data[2000], 'x');
    bb_buf_reset(&b);
    assert_string_equal(bb_buf_str(&b), "");
    bb_buf_release(&b);
    bb_buf_release(NULL);
}

static void hard_maximum(void **state)
{
    (void)state;
    bb_buf b;
    bb_buf_init(&b, 8);
    assert_int_equal(bb_buf_adds(&b, "12345678"), 0);
    assert_int_equal(bb_buf_addc(&b, '9'), BB_ELIMIT);
    assert_int_equal(b.len, 8); /* unchanged on failure */
    assert_string_equal(bb_buf_str(&b), "12345678");
    char *s = bb_buf_take(&b);
    assert_string_equal(s, "12345678");
    assert_int_equal(b.len, 0);
    bb_free(s);
}

static void long_format(void **state)
{
    (void)state;
    bb_buf b;
    char big[1000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    bb_buf_init(&b, 0);
    assert_int_equal(bb_buf_addf(&b, "<%s>", big), 0);
    assert_int_equal(b.len, 1001);
    assert_int_equal(b.data[0], '<');
    assert_int_equal(b.data[1000], '>');
    bb_buf_release(&b);
}

/* bb_grow: room for one more after n; doubles from first; the same array while there is room; NULL
 * (the array still the caller's) when the size would not fit a size_t. */
static void grow_array(void **state)
{
    (void)state;
    int *v = NULL, *same;
    size_t cap = 0;
    for (size_t n = 0; n < 100; n++) {
        void *g = bb_grow(v, &cap, n, sizeof *v, 8);
        assert_non_null(g);
        v = g;
        assert_true(cap > n);
        assert_int_equal(cap, n < 8 ? 8 : n < 16 ? 16 : n < 32 ? 32 : n < 64 ? 64 : 128);
        v[n] = (int)n * 3;
    }
    for (int i = 0; i < 100; i++)
        assert_int_equal(v[i], i * 3);
    same = bb_grow(v, &cap, 100, sizeof *v, 8);
    assert_ptr_equal(same, v);
    assert_int_equal(cap, 128);
    size_t huge = ((size_t)-1) / 2;
    assert_null(bb_grow(v, &huge, huge, sizeof *v, 8));
    assert_int_equal(huge, ((size_t)-1) / 2);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grows_and_terminates),
        cmocka_unit_test(hard_maximum),
        cmocka_unit_test(long_format),
        cmocka_unit_test(grow_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
