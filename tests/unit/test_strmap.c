/* test_strmap.c: bb_strmap against a brute-force count, binary keys, growth and the maximum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/strmap.h"

static void counts(void **state)
{
    bb_strmap m;
    int64_t *v;
    int added;
    char key[32];
    (void)state;
    bb_strmap_init(&m, 0);
    assert_null(bb_strmap_get(&m, "x", 1));
    /* key i appears (i % 5) + 1 times; brute force says what each count must be */
    for (int round = 0; round < 5; round++)
        for (int i = 0; i < 20000; i++) {
            if (round > i % 5)
                continue;
            int n = snprintf(key, sizeof key, "O%d", i);
            assert_int_equal(bb_strmap_upsert(&m, key, (size_t)n, &v, &added), 0);
            assert_int_equal(added, round == 0);
            ++*v;
        }
    assert_int_equal(m.count, 20000);
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof key, "O%d", i);
        v = bb_strmap_get(&m, key, (size_t)n);
        assert_non_null(v);
        assert_int_equal(*v, i % 5 + 1);
    }
    assert_null(bb_strmap_get(&m, "O20000", 6));
    /* keys are bytes: a NUL inside and a prefix are different keys */
    assert_int_equal(bb_strmap_upsert(&m, "a\0b", 3, &v, &added), 0);
    assert_int_equal(added, 1);
    assert_int_equal(bb_strmap_upsert(&m, "a", 1, &v, &added), 0);
    assert_int_equal(added, 1);
    assert_int_equal(bb_strmap_upsert(&m, "", 0, &v, &added), 0);
    assert_int_equal(added, 1);
    bb_strmap_release(&m);
    bb_strmap_release(NULL);
}

static void maximum(void **state)
{
    bb_strmap m;
    int64_t *v;
    (void)state;
    bb_strmap_init(&m, 2);
    assert_int_equal(bb_strmap_upsert(&m, "a", 1, &v, NULL), 0);
    assert_int_equal(bb_strmap_upsert(&m, "b", 1, &v, NULL), 0);
    assert_int_equal(bb_strmap_upsert(&m, "a", 1, &v, NULL), 0); /* existing keys still found */
    assert_int_equal(bb_strmap_upsert(&m, "c", 1, &v, NULL), BB_ELIMIT);
    bb_strmap_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts),
        cmocka_unit_test(maximum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
