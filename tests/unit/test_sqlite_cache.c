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

/* The Bloom filter: "maybe" for every key added and whenever it is not started; "absent" for most
 * others (100,000 keys in 2^25 bits with two probes: (1 - e^(-2e5/2^25))^2 ~ 3.5e-5 expected). */
static void bloom(void **state)
{
    (void)state;
    bb__bloom b = {0};
    char key[32];
    int fp = 0;
    assert_int_equal(bb__bloom_maybe(&b, "x", 1), 1); /* not known: maybe */
    bb__bloom_add(&b, "x", 1);                         /* ignored */
    assert_null(b.bits);
    bb__bloom_start(&b);
    assert_int_equal(b.state, 1);
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(key, sizeof key, "O%07d", i);
        bb__bloom_add(&b, key, (size_t)n);
    }
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(key, sizeof key, "O%07d", i);
        assert_int_equal(bb__bloom_maybe(&b, key, (size_t)n), 1);
        n = snprintf(key, sizeof key, "P%07d", i);
        fp += bb__bloom_maybe(&b, key, (size_t)n);
    }
    assert_true(fp < 50); /* 0.05%: ten times the expected rate */
    b.state = -1;
    assert_int_equal(bb__bloom_maybe(&b, "P0000001", 8), 1); /* not used: maybe */
    bb__bloom_reset(&b);
    assert_int_equal(b.state, 0);
    assert_null(b.bits);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_get_clear),
        cmocka_unit_test(bounded),
        cmocka_unit_test(each),
        cmocka_unit_test(bloom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
