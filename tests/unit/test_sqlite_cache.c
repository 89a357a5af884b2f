/* test_sqlite_cache.c: bb__smap, the bounded string map of the store's caches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store/sqlite_cache.h"

typedef struct val {
    int64_t a, b;
} val;

static void add_get_clear(void **state)
{
    (void)state;
    bb__smap m;
    char key[32];
    bb__smap_init(&m, sizeof(val), 100000);
    assert_null(bb__smap_get(&m, "x", 1));
    for (int i = 0; i < 50000; i++) { /* grows through several sizes */
        int n = snprintf(key, sizeof key, "key-%d", i);
        val *v = bb__smap_add(&m, key, (size_t)n);
        assert_non_null(v);
        assert_int_equal(v->a, 0); /* zeroed */
        v->a = i, v->b = -i;
    }
    for (int i = 0; i < 50000; i += 7) {
        int n = snprintf(key, sizeof key, "key-%d", i);
        val *v = bb__smap_get(&m, key, (size_t)n);
        assert_non_null(v);
        assert_int_equal(v->a, i);
        assert_string_equal(bb__smap_key(&m, v), key);
    }
    assert_null(bb__smap_get(&m, "key-50000", 9));
    assert_null(bb__smap_get(&m, "key-1", 4)); /* a prefix is another key */
    bb__smap_clear(&m);
    assert_int_equal(m.n, 0);
    assert_null(bb__smap_get(&m, "key-7", 5));
    assert_non_null(bb__smap_add(&m, "key-7", 5));
    bb__smap_release(&m);
    bb__smap_release(&m); /* twice is harmless */
}

static void bounded(void **state)
{
    (void)state;
    bb__smap m;
    bb__smap_init(&m, sizeof(val), 3);
    assert_non_null(bb__smap_add(&m, "a", 1));
    assert_non_null(bb__smap_add(&m, "b", 1));
    assert_false(bb__smap_full(&m));
    assert_non_null(bb__smap_add(&m, "c", 1));
    assert_true(bb__smap_full(&m));
    assert_null(bb__smap_add(&m, "d", 1));
    bb__smap_release(&m);
}

static void count_each(void *ctx, void *value)
{
    (void)value;
    (*(int *)ctx)++;
}

static void each(void **state)
{
    (void)state;
    bb__smap m;
    int n = 0;
    bb__smap_init(&m, sizeof(val), 10);
    bb__smap_each(&m, count_each, &n); /* empty, never allocated */
    assert_int_equal(n, 0);
    assert_non_null(bb__smap_add(&m, "a", 1));
    assert_non_null(bb__smap_add(&m, "ab", 2));
    assert_non_null(bb__smap_add(&m, "", 0)); /* the empty key is a key */
    bb__smap_each(&m, count_each, &n);
    assert_int_equal(n, 3);
    assert_non_null(bb__smap_get(&m, "", 0));
    bb__smap_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_get_clear),
        cmocka_unit_test(bounded),
        cmocka_unit_test(each),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
