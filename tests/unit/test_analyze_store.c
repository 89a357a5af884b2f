/* test_analyze_store.c: what analyze writes. The cohort matrix as the current "cohorts" run (months
 * labelled, sizes, active counts and shares counted by hand here, each cohort's row running to the last
 * month); the scoring run made current with the params re-scoring needs, every customer's scores in it,
 * and the scores of customers the run did not score deleted. */
#include "store_fixture.h"

#include "birebir/analyze.h"
#include "engage/analyze_impl.h"

#define DAY 86400

static void cohorts(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb__analyze_data d;
    bb_model_run run;
    size_t nc;
    int64_t id;
    /* customer 0: Jan, Feb, Apr 2025; customer 1: Feb, Mar; customer 2: Jan */
    int64_t cust[] = {0, 0, 0, 1, 1, 2};
    int64_t day[] = {20089, 20125, 20180, 20130, 20160, 20100}; /* 2025-01-01 is day 20089 */
    memset(&d, 0, sizeof d);
    d.m_cust = cust;
    d.m_day = day;
    d.m_n = 6;
    d.n = 3;
    d.full.as_of = 20200LL * DAY;
    assert_int_equal(bb__analyze_store_cohorts(f->s, &d, 1, &nc, &id, &err), 0);
    assert_int_equal(nc, 4); /* 2025-01 .. 2025-04 */
    assert_int_equal(bb_store_model_run_current(f->s, "cohorts", &run, &err), 0);
    assert_int_equal(run.id, id);
    json_t *j = json_loads(run.params_json, 0, NULL), *c = json_object_get(j, "cohorts"), *jan, *feb;
    assert_int_equal(json_array_size(c), 4);
    jan = json_array_get(c, 0);
    feb = json_array_get(c, 1);
    assert_string_equal(json_string_value(json_object_get(jan, "month")), "2025-01");
    assert_int_equal(json_integer_value(json_object_get(jan, "size")), 2);
    /* January's two: both in month 0, customer 0 in months 1 and 3 */
    const int64_t want_jan[4] = {2, 1, 0, 1};
    assert_int_equal(json_array_size(json_object_get(jan, "active")), 4);
    for (int k = 0; k < 4; k++)
        assert_int_equal(json_integer_value(json_array_get(json_object_get(jan, "active"), k)), want_jan[k]);
    assert_float_equal(json_number_value(json_array_get(json_object_get(jan, "share"), 1)), 0.5, 1e-12);
    assert_int_equal(json_integer_value(json_object_get(feb, "size")), 1);
    assert_int_equal(json_array_size(json_object_get(feb, "active")), 3);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(feb, "active"), 1)), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(c, 2), "size")), 0);
    json_decref(j);
    bb_model_run_release(&run);
    /* Read back by the one loader: the matrix as counted above. */
    bb_cohorts m;
    int64_t as_of, run_id;
    assert_int_equal(bb_analyze_cohorts_load(f->s, &m, &as_of, &run_id, &err), 0);
    assert_int_equal(run_id, id);
    assert_int_equal(as_of, d.full.as_of);
    assert_int_equal(m.ncohorts, 4);
    assert_int_equal(m.month[0], 2025 * 12);
    assert_int_equal(m.month[3], 2025 * 12 + 3);
    const int64_t sizes[4] = {2, 1, 0, 0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(m.size[i], sizes[i]);
    for (int k = 0; k < 4; k++)
        assert_int_equal(m.active[k], want_jan[k]);
    assert_int_equal(m.active[1 * m.nperiods + 1], 1); /* customer 1 in March */
    assert_float_equal(bb_cohorts_share(&m, 0, 1), 0.5, 1e-12);
    bb_cohorts_release(&m);
    d.m_cust = d.m_day = NULL;
}

/* Before analyze there is no matrix; a damaged one is said to be, never read half. */
static void cohorts_load_errors(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_cohorts m;
    int64_t as_of, run_id, id;
    assert_int_equal(bb_analyze_cohorts_load(f->s, &m, &as_of, &run_id, &err), BB_ENOTFOUND);
    static const char *const damaged[] = {
        "{}",
        "{\"cohorts\": 5}",
        "{\"cohorts\": [{\"month\": \"2025-01\", \"size\": 2, \"active\": [2, 1]}, {\"month\": \"2025-03\", \"size\": 1, \"active\": [1]}]}",
        "{\"cohorts\": [{\"month\": \"2025-01\", \"size\": 2, \"active\": [2]}, {\"month\": \"2025-02\", \"size\": 1, \"active\": [1]}]}",
        "{\"cohorts\": [{\"month\": \"2025-01\", \"size\": 2, \"active\": [3]}]}",
        "{\"cohorts\": [{\"month\": \"January\", \"size\": 2, \"active\": [2]}]}",
        "{\"cohorts\": [{\"month\": \"2025-01\", \"size\": -1, \"active\": [0]}]}",
        "{\"cohorts\": [{\"month\": \"2025-01\", \"size\": 2, \"active\": [\"2\"]}]}",
    };
    for (size_t i = 0; i < sizeof damaged / sizeof *damaged; i++) {
        bb_model_run_rec r = {.model = "cohorts", .params_json = damaged[i], .fit_json = "{}", .as_of = 1,
                              .started_at = 1, .finished_at = 1, .current = 1};
        assert_int_equal(bb_store_model_run_add(f->s, &r, &id, &err), 0);
        memset(&err, 0, sizeof err);
        assert_int_equal(bb_analyze_cohorts_load(f->s, &m, &as_of, &run_id, &err), BB_ESCHEMA);
        assert_non_null(strstr(err.msg, "damaged"));
        assert_null(m.month);
    }
    bb_model_run_rec ok = {.model = "cohorts", .params_json = "{\"cohorts\": []}", .fit_json = "{}", .as_of = 1,
                           .started_at = 1, .finished_at = 1, .current = 1};
    assert_int_equal(bb_store_model_run_add(f->s, &ok, &id, &err), 0);
    assert_int_equal(bb_analyze_cohorts_load(f->s, &m, &as_of, &run_id, &err), 0);
    assert_int_equal(m.ncohorts, 0);
    assert_int_equal(run_id, id);
    bb_cohorts_release(&m);
}

static void scores(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb__analyze_data d;
    bb_score_params p;
    bb_analyze_report rep = {0};
    int64_t id[3];
    memset(&d, 0, sizeof d);
    memset(&p, 0, sizeof p);
    for (int i = 0; i < 3; i++) {
        char ext[4] = {'c', (char)('0' + i), 0};
        bb_customer_rec c = {.customer_id = ext};
        fx_put_customer(f, &c, NULL);
        id[i] = fx_resolve(f, ext, NULL);
    }
    /* an old score of customer 2, who this run does not score */
    bb_score old = {.customer_id = id[2], .segment = "champions", .updated_at = 1};
    assert_int_equal(bb_store_scores_put(f->s, &old, 1, &err), 0);

    int64_t ids[2] = {id[0], id[1]}, rev[2] = {500, 900};
    int32_t x[2] = {2, 0}, orders[2] = {3, 1};
    double t_x[2] = {5, 0}, T[2] = {10, 3}, rec[2] = {4.5, 21}, pa[2] = {0.8, 1}, ex[2] = {1.5, 0.4},
           val[2] = {250, 300}, clv[2] = {4000, 1000};
    unsigned char hv[2] = {1, 1};
    uint8_t r[2] = {5, 1}, fq[2] = {4, 1}, m[2] = {2, 3};
    char tier[2] = {'A', 'B'};
    d.n = 2;
    d.id = ids;
    d.x = x;
    d.orders = orders;
    d.t_x = t_x;
    d.T = T;
    d.recency_days = rec;
    d.revenue = rev;
    d.p_alive = pa;
    d.expected = ex;
    d.value = val;
    d.clv = clv;
    d.has_value = hv;
    d.r = r;
    d.f = fq;
    d.m = m;
    d.tier = tier;
    d.full.as_of = 1000 * DAY;
    p.purchase.model = BB_MODEL_BGNBD;
    p.purchase.nparams = 4;
    p.purchase.params[0] = p.purchase.params[1] = p.purchase.params[2] = p.purchase.params[3] = 1;
    bb_clv_opts_init(&p.clv);
    p.churn_medium = 0.3;
    p.churn_high = 0.7;
    assert_int_equal(bb_rfm_grid_parse(bb_rfm_grid_default_json(), &p.grid, &err), 0);
    assert_int_equal(bb__analyze_store_scores(f->s, &d, &p, "{\"k\": 1}", 5, &rep, &err), 0);
    assert_true(rep.run_id > 0);
    assert_int_equal(p.run_id, rep.run_id);

    bb_score sc;
    assert_int_equal(bb_store_score_get(f->s, id[0], &sc, &err), 0);
    assert_int_equal(sc.run_id, rep.run_id);
    assert_string_equal(sc.segment, "champions"); /* R5 F4 */
    assert_int_equal(sc.recency_days, 4);
    assert_int_equal(sc.frequency, 3);
    assert_int_equal(sc.monetary_minor, 500);
    assert_int_equal(sc.clv_minor, 4000);
    assert_string_equal(sc.churn_risk, "low");
    assert_int_equal(sc.tier, 'A');
    assert_int_equal(bb_store_score_get(f->s, id[1], &sc, &err), 0);
    assert_string_equal(sc.segment, "hibernating"); /* R1 F1 */
    assert_int_equal(bb_store_score_get(f->s, id[2], &sc, &err), BB_ENOTFOUND);
    /* the run is current, and its params load back */
    bb_score_params back;
    assert_int_equal(bb_score_params_load(f->s, &back, &err), 0);
    assert_int_equal(back.run_id, rep.run_id);
    assert_int_equal(back.as_of, 0); /* p.as_of was left 0 here */
    assert_int_equal(fx_int(f, "SELECT customers FROM model_run WHERE is_current = 1"), 2);
    memset(&d, 0, sizeof d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cohorts, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(cohorts_load_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(scores, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
