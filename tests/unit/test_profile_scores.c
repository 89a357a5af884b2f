/* test_profile_scores.c: the "scores" section of the 360 view: null without scores; with them, each
 * value as stored, the segment's names from the current run's grid, a meaning line on every score, and
 * null model scores for a customer without them. */
#include "store_fixture.h"

#include "birebir/profile.h"
#include "birebir/score.h"

static int64_t customer(fx *f, const char *ext)
{
    bb_customer_rec c = {.customer_id = ext};
    bb_put_result res;
    bb_put_stats st = {0};
    bb_error err = {0};
    int64_t id;
    assert_int_equal(bb_store_put_customer(f->s, &c, &res, &st, &err), 0);
    assert_int_equal(bb_store_resolve(f->s, ext, NULL, &id, &err), 0);
    return id;
}

static void scores(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    json_t *j = NULL, *s, *v;
    bb_score_params p = {0};
    int64_t run, a = customer(f, "a"), b = customer(f, "b");
    assert_int_equal(bb_profile_json(f->s, "a", NULL, NULL, &j, &err), 0);
    assert_true(json_is_null(json_object_get(j, "scores")));
    json_decref(j);

    /* a current run whose grid names "champions" in Turkish */
    p.purchase.model = BB_MODEL_BGNBD;
    p.purchase.nparams = 4;
    p.purchase.params[0] = p.purchase.params[1] = p.purchase.params[2] = p.purchase.params[3] = 1;
    bb_clv_opts_init(&p.clv);
    p.clv.horizon_months = 6;
    assert_int_equal(bb_rfm_grid_parse(bb_rfm_grid_default_json(), &p.grid, &err), 0);
    json_t *pj = bb_score_params_json(&p);
    char *text = json_dumps(pj, 0);
    bb_model_run_rec rec = {.model = "bgnbd", .params_json = text, .as_of = 1, .started_at = 1, .finished_at = 1,
                            .current = 1};
    assert_int_equal(bb_store_model_run_add(f->s, &rec, &run, &err), 0);
    free(text);
    json_decref(pj);

    bb_score sc[2] = {{.customer_id = a, .run_id = run, .recency_days = 4, .frequency = 7, .monetary_minor = 12345,
                       .r_score = 5, .f_score = 4, .m_score = 3, .segment = "champions", .has_model = 1,
                       .p_alive = 0.75, .expected_purchases = 2.5, .has_value = 1, .expected_value = 990.5,
                       .clv_minor = 2000, .churn_risk = "medium", .tier = 'B', .updated_at = 1735689600},
                      {.customer_id = b, .run_id = run, .r_score = 1, .f_score = 1, .m_score = 1,
                       .segment = "hibernating", .updated_at = 1735689600}};
    assert_int_equal(bb_store_scores_put(f->s, sc, 2, &err), 0);
    assert_int_equal(bb_profile_json(f->s, "a", NULL, NULL, &j, &err), 0);
    s = json_object_get(j, "scores");
    assert_true(json_is_object(s));
    assert_int_equal(json_integer_value(json_object_get(s, "run_id")), run);
    assert_string_equal(json_string_value(json_object_get(s, "updated_at")), "2025-01-01T00:00:00Z");
    v = json_object_get(json_object_get(s, "rfm"), "segment");
    assert_string_equal(json_string_value(json_object_get(v, "key")), "champions");
    assert_string_equal(json_string_value(json_object_get(v, "tr")), "Şampiyonlar");
    v = json_object_get(json_object_get(s, "rfm"), "f_score");
    assert_int_equal(json_integer_value(json_object_get(v, "value")), 4);
    assert_non_null(json_string_value(json_object_get(v, "meaning")));
    v = json_object_get(s, "p_alive");
    assert_float_equal(json_number_value(json_object_get(v, "value")), 0.75, 1e-12);
    assert_non_null(strstr(json_string_value(json_object_get(v, "meaning")), "active"));
    v = json_object_get(s, "expected_purchases");
    assert_int_equal(json_integer_value(json_object_get(v, "horizon_months")), 6);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(s, "clv"), "value_minor")), 2000);
    assert_string_equal(json_string_value(json_object_get(json_object_get(s, "tier"), "value")), "B");
    v = json_object_get(s, "churn_risk");
    assert_string_equal(json_string_value(json_object_get(v, "value")), "medium");
    assert_string_equal(json_string_value(json_object_get(v, "tr")), "orta");
    json_decref(j);

    /* no model scores: p_alive and clv are null, RFM is there */
    assert_int_equal(bb_profile_json(f->s, "b", NULL, NULL, &j, &err), 0);
    s = json_object_get(j, "scores");
    assert_true(json_is_null(json_object_get(json_object_get(s, "p_alive"), "value")));
    assert_true(json_is_null(json_object_get(json_object_get(s, "clv"), "value_minor")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(s, "rfm"), "segment"), "en")),
                        "Hibernating");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(scores, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
