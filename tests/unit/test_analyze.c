/* test_analyze.c: the analysis run over a real store (analyze.c, analyze_scan.c, analyze_store.c).
 * On the CDNOW sample (BB_DATASETS_DIR) put in as orders: the stored BG/NBD and Gamma-Gamma fits are the
 * published ones (Fader, Hardie & Lee 2005: r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4; p 6.25,
 * q 3.74, gamma 15.44 dollars = 1544 cents); every customer has scores; the cohort matrix equals the one
 * counted here from the raw file; the scoring run's params reproduce the stored scores through score.c.
 * A customer's return is not a purchase occasion and lowers its revenue. An empty store is an error. */
#include "store_fixture.h"

#include <math.h>

#include "birebir/analyze.h"
#include "birebir/cohort.h"
#include "birebir/score.h"
#include "birebir/store_score.h"
#include "cdnow.h"

static void put_order(fx *f, const char *oid, const char *cust, int64_t at, int64_t cents)
{
    bb_order_rec o = {.order_id = oid, .customer_ref = cust, .ordered_at = at, .amount_minor = cents,
                      .has_amount = 1, .currency = "USD"};
    bb_put_result res;
    bb_put_stats st = {0};
    bb_error err = {0};
    if (bb_store_put_order(f->s, &o, &res, &st, &err) != 0)
        fail_msg("put %s: %s", oid, err.msg);
}

static void empty(void **state)
{
    fx *f = *state;
    bb_analyze_opts o;
    bb_analyze_report r;
    bb_error err = {0};
    bb_analyze_opts_init(&o);
    assert_int_equal(bb_analyze_run(f->s, &o, &r, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "no orders"));
}

static void cdnow(void **state)
{
    fx *f = *state;
    cdnow_raw raw;
    bb_analyze_opts o;
    bb_analyze_report r;
    bb_error err = {0};
    bb_model_run run;
    bb_score_params p;
    char oid[16], cust[16];
    if (!cdnow_available())
        skip();
    assert_int_equal(cdnow_load_raw(&raw), 0);
    assert_int_equal(bb_store_begin(f->s, &err), 0);
    for (size_t i = 0; i < raw.n; i++) {
        snprintf(oid, sizeof oid, "o%zu", i);
        snprintf(cust, sizeof cust, "%lld", (long long)raw.cust[i] + 1);
        put_order(f, oid, cust, raw.day[i] * 86400, raw.cents[i]);
    }
    assert_int_equal(bb_store_commit(f->s, &err), 0);

    bb_analyze_opts_init(&o);
    o.model = BB_MODEL_BGNBD;
    o.as_of = cdnow_days(1997, 9, 30) * 86400;
    if (bb_analyze_run(f->s, &o, &r, &err) != 0)
        fail_msg("analyze: %s", err.msg);
    assert_int_equal(r.customers, 2357);
    const double pub[4] = {0.243, 4.414, 0.793, 2.426};
    for (int i = 0; i < 4; i++)
        assert_true(fabs(r.purchase.params[i] - pub[i]) < 0.002 * pub[i]);
    assert_true(fabs(r.purchase.log_likelihood + 9582.4) < 0.05);
    assert_true(r.has_spend);
    assert_true(fabs(r.spend.params[0] - 6.25) < 0.002 * 6.25);
    assert_true(fabs(r.spend.params[1] - 3.74) < 0.002 * 3.74);
    assert_true(fabs(r.spend.params[2] - 1544) < 0.002 * 1544);

    /* again with R added */
    assert_int_equal(bb_store_begin(f->s, &err), 0);
    /* R: a purchase, a return two days later, another purchase in March */
    put_order(f, "r1", "R", cdnow_days(1997, 2, 1) * 86400, 10000);
    put_order(f, "r2", "R", cdnow_days(1997, 2, 3) * 86400, -4000);
    put_order(f, "r3", "R", cdnow_days(1997, 3, 1) * 86400, 5000);
    assert_int_equal(bb_store_commit(f->s, &err), 0);
    if (bb_analyze_run(f->s, &o, &r, &err) != 0)
        fail_msg("analyze: %s", err.msg);
    assert_int_equal(r.customers, 2358);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score"), 2358);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score WHERE p_alive IS NULL OR clv_minor IS NULL"), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM model_run WHERE is_current = 1"), 2);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM model_run"), 4);

    /* R: x = 1 (the return is no occasion), revenue net of it */
    int64_t rid;
    bb_score sc;
    assert_int_equal(bb_store_resolve(f->s, "R", NULL, &rid, &err), 0);
    assert_int_equal(bb_store_score_get(f->s, rid, &sc, &err), 0);
    assert_float_equal(sc.x, 1, 0);
    assert_float_equal(sc.t_x, 28.0 / 7, 1e-12);
    assert_int_equal(sc.frequency, 2);
    assert_int_equal(sc.monetary_minor, 11000);

    /* the stored params give the stored model scores again through score.c */
    assert_int_equal(bb_score_params_load(f->s, &p, &err), 0);
    assert_int_equal(p.run_id, r.run_id);
    bb_customer_summary sm = {.present = 1, .x = (int32_t)sc.x, .t_x = sc.t_x, .T = sc.t_cal,
                              .mean_value = 5000, .orders = 2, .revenue = 11000};
    bb_score again = {0};
    bb_score_model(&p, &sm, 1.0, &again);
    assert_float_equal(again.p_alive, sc.p_alive, 1e-12);
    assert_int_equal(again.clv_minor, sc.clv_minor);

    /* cohorts: counted here from the raw file (and R: February, active in February and March) */
    int64_t first[CDNOW_N + 1];
    static int64_t act[CDNOW_N + 1][12];
    int64_t size[12] = {0}, want[12][12] = {{0}};
    for (size_t c = 0; c <= CDNOW_N; c++)
        first[c] = INT64_MAX;
    memset(act, 0, sizeof act);
    for (size_t i = 0; i < raw.n; i++)
        if (raw.day[i] < first[raw.cust[i]])
            first[raw.cust[i]] = raw.day[i];
    for (size_t i = 0; i < raw.n; i++) {
        int32_t m = bb_cohorts_month_of_day(raw.day[i]) - bb_cohorts_month_of_day(cdnow_days(1997, 1, 1));
        if (raw.day[i] <= cdnow_days(1997, 9, 30) && m < 12)
            act[raw.cust[i]][m] = 1;
    }
    for (size_t c = 0; c < CDNOW_N; c++) {
        int32_t m0 = bb_cohorts_month_of_day(first[c]) - bb_cohorts_month_of_day(cdnow_days(1997, 1, 1));
        size[m0]++;
        for (int m = m0; m < 12; m++)
            want[m0][m - m0] += act[c][m];
    }
    size[1]++;
    want[1][0]++;
    want[1][1]++;
    assert_int_equal(bb_store_model_run_current(f->s, "cohorts", &run, &err), 0);
    json_t *j = json_loads(run.params_json, 0, NULL), *coh = json_object_get(j, "cohorts");
    assert_int_equal(json_array_size(coh), 9); /* 1997-01 .. 1997-09 */
    for (size_t c = 0; c < 3; c++) {
        json_t *row = json_array_get(coh, c);
        assert_int_equal(json_integer_value(json_object_get(row, "size")), size[c]);
        for (size_t k = 0; k < 9 - c; k++)
            assert_int_equal(json_integer_value(json_array_get(json_object_get(row, "active"), k)), want[c][k]);
    }
    json_decref(j);
    bb_model_run_release(&run);

    /* an earlier as-of date: R (first order in February) is not scored, and keeps no old scores */
    o.as_of = cdnow_days(1997, 1, 31) * 86400;
    if (bb_analyze_run(f->s, &o, &r, &err) != 0)
        fail_msg("analyze: %s", err.msg);
    assert_int_equal(bb_store_score_get(f->s, rid, &sc, &err), BB_ENOTFOUND);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score"), (int64_t)r.customers);
    cdnow_free_raw(&raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(empty, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(cdnow, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
