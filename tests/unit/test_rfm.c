/* test_rfm.c: the default segment grid (every cell once, the names in both languages), grids that are
 * wrong, and quintile scores with deterministic tie-breaking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/rfm.h"

static const char *seg(const bb_rfm_grid *g, int r, int f)
{
    return g->seg[bb_rfm_segment_of(g, r, f)].key;
}

static void default_grid(void **state)
{
    (void)state;
    bb_rfm_grid g;
    assert_int_equal(bb_rfm_grid_parse(bb_rfm_grid_default_json(), &g, NULL), 0);
    assert_int_equal(g.n, 10);
    assert_string_equal(seg(&g, 5, 5), "champions");
    assert_string_equal(seg(&g, 5, 4), "champions");
    assert_string_equal(seg(&g, 4, 5), "loyal");
    assert_string_equal(seg(&g, 3, 4), "loyal");
    assert_string_equal(seg(&g, 5, 2), "potential_loyalists");
    assert_string_equal(seg(&g, 4, 3), "potential_loyalists");
    assert_string_equal(seg(&g, 5, 1), "new");
    assert_string_equal(seg(&g, 4, 1), "promising");
    assert_string_equal(seg(&g, 3, 3), "need_attention");
    assert_string_equal(seg(&g, 3, 1), "about_to_sleep");
    assert_string_equal(seg(&g, 3, 2), "about_to_sleep");
    assert_string_equal(seg(&g, 2, 3), "at_risk");
    assert_string_equal(seg(&g, 1, 4), "at_risk");
    assert_string_equal(seg(&g, 1, 5), "cant_lose");
    assert_string_equal(seg(&g, 2, 2), "hibernating");
    assert_string_equal(seg(&g, 1, 1), "hibernating");
    assert_string_equal(g.seg[bb_rfm_segment_of(&g, 5, 5)].tr, "Şampiyonlar");
    assert_string_equal(g.seg[bb_rfm_segment_of(&g, 1, 5)].en, "Can't Lose Them");
    assert_int_equal(bb_rfm_segment_of(&g, 0, 3), -1);
}

/* A grid written as JSON reads back as the same grid, and the text is the default grid's content. */
static void grid_round_trip(void **state)
{
    (void)state;
    bb_rfm_grid g, back;
    assert_int_equal(bb_rfm_grid_parse(bb_rfm_grid_default_json(), &g, NULL), 0);
    json_t *j = bb_rfm_grid_json(&g), *want = json_loads(bb_rfm_grid_default_json(), 0, NULL);
    assert_non_null(j);
    assert_true(json_equal(j, want));
    char *text = json_dumps(j, 0);
    assert_int_equal(bb_rfm_grid_parse(text, &back, NULL), 0);
    assert_int_equal(back.n, g.n);
    for (size_t i = 0; i < g.n; i++) {
        assert_string_equal(back.seg[i].key, g.seg[i].key);
        assert_string_equal(back.seg[i].tr, g.seg[i].tr);
    }
    assert_memory_equal(back.cell, g.cell, sizeof g.cell);
    free(text);
    json_decref(j);
    json_decref(want);
}

static void bad_grids(void **state)
{
    (void)state;
    bb_rfm_grid g;
    bb_error err = {0};
    assert_int_equal(bb_rfm_grid_parse("{\"segments\": [", &g, &err), BB_EINVAL);
    assert_int_equal(bb_rfm_grid_parse("{\"segments\": [{\"key\": \"all\", \"en\": \"All\", \"tr\": \"Hepsi\", "
                                       "\"r\": [1, 5], \"f\": [1, 4]}]}",
                                       &g, &err),
                     BB_EINVAL);
    assert_non_null(strstr(err.msg, "cell R1 F5 belongs to no segment"));
    assert_int_equal(bb_rfm_grid_parse("{\"segments\": [{\"key\": \"a\", \"en\": \"A\", \"tr\": \"A\", \"r\": [1, 5], "
                                       "\"f\": [1, 5]}, {\"key\": \"b\", \"en\": \"B\", \"tr\": \"B\", \"r\": [2, 2], "
                                       "\"f\": [3, 3]}]}",
                                       &g, &err),
                     BB_EINVAL);
    assert_non_null(strstr(err.msg, "cell R2 F3 is in both \"a\" and \"b\""));
    assert_int_equal(bb_rfm_grid_parse("{\"segments\": [{\"key\": \"a\", \"en\": \"A\", \"tr\": \"A\", \"r\": [0, 5], "
                                       "\"f\": [1, 5]}]}",
                                       &g, &err),
                     BB_EINVAL);
    assert_non_null(strstr(err.msg, "1 <= lo <= hi <= 5"));
    /* two segments under one key: the key is what scores and reports name a segment by */
    assert_int_equal(bb_rfm_grid_parse("{\"segments\": [{\"key\": \"a\", \"en\": \"A\", \"tr\": \"A\", \"r\": [1, 2], "
                                       "\"f\": [1, 5]}, {\"key\": \"a\", \"en\": \"B\", \"tr\": \"B\", \"r\": [3, 5], "
                                       "\"f\": [1, 5]}]}",
                                       &g, &err),
                     BB_EINVAL);
    assert_non_null(strstr(err.msg, "segments 1 and 2 have the same key \"a\""));
    /* a business's own coarser grid */
    assert_int_equal(bb_rfm_grid_parse("{\"segments\": [{\"key\": \"good\", \"en\": \"Good\", \"tr\": \"İyi\", "
                                       "\"r\": [3, 5], \"f\": [1, 5]}, {\"key\": \"lapsed\", \"en\": \"Lapsed\", "
                                       "\"tr\": \"Kayıp\", \"r\": [1, 2], \"f\": [1, 5]}]}",
                                       &g, &err),
                     0);
    assert_string_equal(seg(&g, 2, 5), "lapsed");
}

static void quintiles_and_ties(void **state)
{
    (void)state;
    /* 10 customers: two per quintile. Frequencies tie a lot; ties go to the more recent customer. */
    double rec[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double freq[] = {1, 1, 1, 1, 2, 2, 3, 3, 9, 1};
    double mon[] = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    uint8_t r[10], f[10], m[10], r2[10], f2[10], m2[10];
    assert_int_equal(bb_rfm_score(rec, freq, mon, 10, r, f, m, NULL), 0);
    static const uint8_t want_r[] = {5, 5, 4, 4, 3, 3, 2, 2, 1, 1};
    static const uint8_t want_m[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    /* by frequency (then recency): 9 (#8); 3 (#6, #7); 2 (#4, #5); then the 1s by recency: #0 #1 #2 #3 #9 */
    static const uint8_t want_f[] = {3, 2, 2, 1, 4, 3, 5, 4, 5, 1};
    assert_memory_equal(r, want_r, 10);
    assert_memory_equal(m, want_m, 10);
    assert_memory_equal(f, want_f, 10);
    /* deterministic: the same input, the same scores */
    assert_int_equal(bb_rfm_score(rec, freq, mon, 10, r2, f2, m2, NULL), 0);
    assert_memory_equal(f, f2, 10);
    /* all equal: the index decides, still 1..5 in equal shares */
    double same[5] = {3, 3, 3, 3, 3};
    uint8_t a[5], b[5], c[5];
    assert_int_equal(bb_rfm_score(same, same, same, 5, a, b, c, NULL), 0);
    static const uint8_t want_same[] = {5, 4, 3, 2, 1};
    assert_memory_equal(a, want_same, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_grid),
        cmocka_unit_test(grid_round_trip),
        cmocka_unit_test(bad_grids),
        cmocka_unit_test(quintiles_and_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
