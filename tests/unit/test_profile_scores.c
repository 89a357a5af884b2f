/* test_profile_scores.c: the "scores" section of the 360 view: null without scores; with them, each
 * value as stored, the segment's names from the current run's grid, a meaning line on every score, and
 * null model scores for a customer without them. */
#include "store_fixture.h"

#include "birebir/profile.h"
#include "birebir/rfm.h"
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

/* The scores object as jansson prints it, built here independently of profile_scores.c's writer:
 * {"value", "meaning"} items in the documented order. */
static json_t *item(json_t *v, const char *key)
{
    return json_pack("{s:o, s:s}", "value", v ? v : json_null(), "meaning", bb_score_meaning(key));
}

static char *reference(const bb_score *sc, const char *en, const char *tr, int horizon, const char *currency)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:{s:o, s:o, s:o, s:o, s:o, s:o, s:{s:s, s:s?, s:s?, s:s}}}", "run_id",
                          (json_int_t)sc->run_id, "updated_at", "2025-01-01T00:00:00Z", "currency", currency, "rfm",
                          "recency_days", item(json_integer(sc->recency_days), "recency_days"), "frequency",
                          item(json_integer(sc->frequency), "frequency"), "monetary_minor",
                          item(json_integer(sc->monetary_minor), "monetary_minor"), "r_score",
                          item(json_integer(sc->r_score), "r_score"), "f_score", item(json_integer(sc->f_score), "f_score"),
                          "m_score", item(json_integer(sc->m_score), "m_score"), "segment", "key", sc->segment, "en", en,
                          "tr", tr, "meaning", bb_score_meaning("segment"));
    if (sc->has_model) {
        char tier[2] = {sc->tier, 0};
        json_object_set_new(o, "p_alive", item(json_real(sc->p_alive), "p_alive"));
        json_t *ep = item(json_real(sc->expected_purchases), "expected_purchases");
        if (horizon)
            json_object_set_new(ep, "horizon_months", json_integer(horizon));
        json_object_set_new(o, "expected_purchases", ep);
        json_object_set_new(o, "expected_value_minor",
                            item(sc->has_value ? json_real(sc->expected_value) : NULL, "expected_value"));
        json_object_set_new(o, "clv", json_pack("{s:I, s:s}", "value_minor", (json_int_t)sc->clv_minor, "meaning",
                                                bb_score_meaning("clv")));
        json_object_set_new(o, "tier", item(json_string(tier), "tier"));
        json_object_set_new(o, "churn_risk", json_pack("{s:s, s:s, s:s}", "value", sc->churn_risk, "tr", "orta",
                                                       "meaning", bb_score_meaning("churn_risk")));
    } else {
        json_object_set_new(o, "p_alive", item(NULL, "p_alive"));
        json_object_set_new(o, "clv", json_pack("{s:n, s:s}", "value_minor", "meaning", bb_score_meaning("clv")));
    }
    char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12));
    json_decref(o);
    return text;
}

/* The view's text ends with "scores":<want>}, and the stored view is served as the same text. */
static void scores_text(fx *f, const char *ref, int64_t id, const char *want)
{
    bb_buf fresh, stored;
    bb_error err = {0};
    int64_t missing;
    size_t n;
    bb_buf_init(&fresh, 0);
    bb_buf_init(&stored, 0);
    assert_int_equal(bb_profile_write(f->s, ref, NULL, NULL, BB_PROFILE_PRECISION, &fresh, &err), 0);
    const char *at = strstr(bb_buf_str(&fresh), ",\"scores\":");
    assert_non_null(at);
    at += strlen(",\"scores\":");
    char *got = strdup(at);
    assert_true(strlen(got) > 0 && got[strlen(got) - 1] == '}');
    got[strlen(got) - 1] = '\0';
    assert_string_equal(got, want);
    free(got);
    assert_int_equal(bb_store_begin(f->s, &err), 0);
    assert_int_equal(bb_profile_materialise(f->s, &id, 1, &n, &err), 0);
    assert_int_equal(bb_store_commit(f->s, &err), 0);
    assert_int_equal(bb_profile_write_stored(f->s, ref, NULL, &stored, &missing, &err), 0);
    assert_int_equal(missing, 0);
    assert_string_equal(bb_buf_str(&stored), bb_buf_str(&fresh));
    bb_buf_release(&fresh);
    bb_buf_release(&stored);
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

    /* the text, key for key, as jansson prints the same object; the same from a stored view */
    char *want = reference(&sc[0], "Champions", "Şampiyonlar", 6, "TRY");
    scores_text(f, "a", a, want);
    free(want);
    want = reference(&sc[1], "Hibernating", "Uykudakiler", 6, "TRY");
    scores_text(f, "b", b, want);
    free(want);
    scores_text(f, "nobody-scored", customer(f, "nobody-scored"), "null");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(scores, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
