/* test_store_score.c: the checks store_score.c makes before the backend is called, and the release
 * of a run (NULL and twice). */
#include "store_fixture.h"

#include "birebir/store_score.h"

static void checks(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_model_run r;
    int64_t id;
    bb_score sc = {0};
    bb_model_run_rec rec = {.model = NULL};
    assert_int_equal(bb_store_model_run_add(f->s, &rec, &id, &err), BB_EINVAL);
    rec.model = "a-model-name-that-is-far-too-long-to-be-one";
    assert_int_equal(bb_store_model_run_add(f->s, &rec, &id, &err), BB_EINVAL);
    assert_int_equal(bb_store_model_run_current(f->s, "", &r, &err), BB_EINVAL);
    assert_int_equal(bb_store_scores_put(f->s, &sc, 0, &err), 0);
    assert_int_equal(bb_store_scores_put(f->s, &sc, 1, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "no customer"));
    bb_model_run_release(NULL);
    memset(&r, 0, sizeof r);
    bb_model_run_release(&r);
    bb_model_run_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(checks, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
