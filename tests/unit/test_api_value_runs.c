/* test_api_value_runs.c: GET /api/v1/model-runs: who may read it, runs newest first with their
 * parameters and fit as JSON, the model filter and limit, and the dashboard's current scoring run. */
#include "api_fixture.h"

#include "birebir/store_score.h"

static void add_run(fixture *f, const char *model, int64_t at, int current)
{
    bb_error err = {0};
    int64_t id;
    bb_model_run_rec r = {.model = model,
                          .params_json = "{\"r\": 0.25}",
                          .fit_json = "{\"log_likelihood\": -9582.4}",
                          .as_of = at - 100,
                          .customers = 2357,
                          .started_at = at,
                          .finished_at = at + 3,
                          .current = current};
    assert_int_equal(bb_store_model_run_add(f->store, &r, &id, &err), 0);
}

static void roles(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    for (int role = 0; role < 3; role++)
        assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs", role, NULL), 200);
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs", 3, NULL), 403);
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs", -1, NULL), 401);
    fx_free(f);
}

static void runs(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs", 2, NULL), 200);
    assert_int_equal(json_array_size(json_object_get(f->json, "runs")), 0);
    add_run(f, "bgnbd", 1760000000, 1);
    add_run(f, "pnbd", 1760000100, 1); /* becomes the current scoring run */
    add_run(f, "cohorts", 1760000200, 1);
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs", 2, NULL), 200);
    json_t *arr = json_object_get(f->json, "runs");
    assert_int_equal(json_array_size(arr), 3);
    static const char *const order[] = {"cohorts", "pnbd", "bgnbd"};
    static const int current[] = {1, 1, 0};
    for (size_t i = 0; i < 3; i++) {
        json_t *r = json_array_get(arr, i);
        assert_string_equal(json_string_value(json_object_get(r, "model")), order[i]);
        assert_int_equal(json_is_true(json_object_get(r, "is_current")), current[i]);
        assert_string_equal(json_string_value(json_object_get(r, "status")), "done");
        assert_int_equal(json_integer_value(json_object_get(r, "customers")), 2357);
        assert_true(json_real_value(json_object_get(json_object_get(r, "params"), "r")) == 0.25);
        assert_true(json_real_value(json_object_get(json_object_get(r, "fit"), "log_likelihood")) == -9582.4);
    }
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 1), "started_at")),
                        "2025-10-09T08:55:00Z");
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs?model=bgnbd", 2, NULL), 200);
    arr = json_object_get(f->json, "runs");
    assert_int_equal(json_array_size(arr), 1);
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs?limit=2", 2, NULL), 200);
    assert_int_equal(json_array_size(json_object_get(f->json, "runs")), 2);
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs?limit=0", 2, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "limit");
    /* A model that is not one: an error naming the argument and the models there are, not an empty list. */
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs?model=unknown", 2, NULL), 422);
    assert_string_equal(fx_str(f, "error.code"), "invalid");
    assert_string_equal(fx_str(f, "error.where"), "model");
    json_t *acc = json_object_get(json_object_get(f->json, "error"), "accepted");
    static const char *const models[] = {"bgnbd", "pnbd", "cohorts"};
    assert_int_equal(json_array_size(acc), 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(json_string_value(json_array_get(acc, i)), models[i]);
    assert_non_null(strstr(fx_str(f, "error.message"), "bgnbd, pnbd, cohorts"));
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs?model=cohorts", 2, NULL), 200);
    assert_int_equal(json_array_size(json_object_get(f->json, "runs")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(f->json, "runs"), 0), "model")),
                        "cohorts");
    /* A misspelt argument is an error too, not ignored; so is one given twice. */
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs?modle=bgnbd", 2, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "modle");
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs?limit=1&limit=2", 2, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "limit");
    assert_int_equal(fx_request(f, "GET", "/api/v1/model-runs?limit=", 2, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "limit");
    /* The dashboard names the current scoring run. */
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard", 2, NULL), 200);
    json_t *run = json_object_get(f->json, "model_run");
    assert_string_equal(json_string_value(json_object_get(run, "model")), "pnbd");
    assert_null(json_object_get(run, "params")); /* in short */
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles),
        cmocka_unit_test(runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
