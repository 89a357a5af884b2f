/* test_score.c: scoring one customer from stored parameters. Reference values for the published CDNOW
 * BG/NBD and Gamma-Gamma parameters (Fader, Hardie & Lee 2005) computed independently with Debian's
 * python3-scipy 1.10.1 (closed forms of FHL 2005 eqs. 10 and 13 with scipy.special.hyp2f1):
 *   x = 2, t_x = 30.43, T = 38.86 weeks: P(alive) = 0.726603823894, E[purchases in 39 weeks] =
 *   1.225892979265 (the published 1.226), in 12 months (52.18 weeks) = 1.562937581402;
 *   mean repeat value 20000 with gamma = 15443.5: E[M] = 22731.129380584, and the 12-month CLV at a
 *   1% monthly discount and margin 0.5 = 16731.255391624.
 * Also: params to JSON and back, damaged params named by their JSON path, RFM and tier from cut points,
 * and bb_score_customer against the store (a new order changes the scores). */
#include "store_fixture.h"

#include <math.h>

#include "birebir/score.h"

static void cdnow_params(bb_score_params *p)
{
    memset(p, 0, sizeof *p);
    p->as_of = 875577600; /* 1997-09-30 */
    p->purchase.model = BB_MODEL_BGNBD;
    p->purchase.nparams = 4;
    p->purchase.params[0] = 0.2425945;
    p->purchase.params[1] = 4.4136166;
    p->purchase.params[2] = 0.7929367;
    p->purchase.params[3] = 2.4258775;
    p->has_spend = 1;
    p->spend.model = BB_MODEL_GAMMAGAMMA;
    p->spend.nparams = 3;
    p->spend.params[0] = 6.2496;
    p->spend.params[1] = 3.7442;
    p->spend.params[2] = 15443.5;
    bb_clv_opts_init(&p->clv);
    p->clv.margin_rate = 0.5;
    p->churn_medium = 0.3;
    p->churn_high = 0.7;
    /* R5 if <= 10 days, R4 <= 30, R3 <= 90, R2 <= 180; F5 >= 10 orders, ...; M5 >= 100000 ... */
    double r[4] = {10, 30, 90, 180}, f[4] = {10, 5, 3, 2}, m[4] = {100000, 50000, 20000, 5000};
    memcpy(p->r_max, r, sizeof r);
    memcpy(p->f_min, f, sizeof f);
    memcpy(p->m_min, m, sizeof m);
    p->tier_a_min = 10000;
    p->tier_b_min = 1000;
    assert_int_equal(bb_rfm_grid_parse(bb_rfm_grid_default_json(), &p->grid, NULL), 0);
}

static void model_scores(void **state)
{
    bb_score_params p;
    bb_score sc = {0};
    bb_customer_summary sm = {.present = 1, .x = 2, .t_x = 30.43, .T = 38.86, .mean_value = 20000,
                              .recency_days = 59.5, .orders = 3, .revenue = 61000};
    (void)state;
    cdnow_params(&p);
    bb_score_model(&p, &sm, 0.5, &sc);
    assert_true(sc.has_model);
    assert_float_equal(sc.p_alive, 0.726603823894, 1e-6);
    assert_float_equal(sc.expected_purchases, 1.562937581402, 1e-6);
    assert_true(sc.has_value);
    assert_float_equal(sc.expected_value, 22731.129380584, 1e-3);
    assert_int_equal(sc.clv_minor, 16731);
    assert_string_equal(sc.churn_risk, "low");
    assert_int_equal(sc.recency_days, 59);
    assert_int_equal(sc.frequency, 3);
    assert_int_equal(sc.monetary_minor, 61000);
    bb_score_rank(&p, &sc);
    assert_int_equal(sc.r_score, 3);
    assert_int_equal(sc.f_score, 3);
    assert_int_equal(sc.m_score, 4);
    assert_string_equal(sc.segment, "need_attention");
    assert_int_equal(sc.tier, 'A');
    /* q <= 1: the spend model has no expected value for x = 0; the customer's own mean order value
     * (revenue / orders, as without a spend model) stands in, so the CLV is not a silent 0 */
    cdnow_params(&p);
    p.spend.params[1] = 0.9;
    sm.x = 0;
    sm.t_x = 0;
    bb_score_model(&p, &sm, 0.5, &sc);
    assert_true(sc.has_value);
    assert_float_equal(sc.expected_value, 61000.0 / 3.0, 1e-9);
    assert_true(sc.clv_minor > 0);
    /* nothing to stand in (no revenue): no value, no CLV, said so by has_value */
    sm.revenue = 0;
    bb_score_model(&p, &sm, 0.5, &sc);
    assert_false(sc.has_value);
    assert_int_equal(sc.clv_minor, 0);
    bb_score_rank(&p, &sc);
    assert_int_equal(sc.tier, 'C');
    assert_non_null(bb_score_meaning("p_alive"));
    assert_non_null(bb_score_meaning("tier"));
    assert_null(bb_score_meaning("nonsense"));
}

static void params_json(void **state)
{
    bb_score_params p, q;
    bb_error err = {0};
    json_t *j;
    char *s;
    (void)state;
    cdnow_params(&p);
    j = bb_score_params_json(&p);
    s = json_dumps(j, JSON_REAL_PRECISION(17));
    assert_int_equal(bb_score_params_parse(s, &q, &err), 0);
    assert_int_equal(q.purchase.model, BB_MODEL_BGNBD);
    for (int i = 0; i < 4; i++)
        assert_true(q.purchase.params[i] == p.purchase.params[i]);
    assert_true(q.has_spend);
    assert_true(q.spend.params[2] == 15443.5);
    assert_int_equal(q.clv.horizon_months, 12);
    assert_true(q.tier_a_min == 10000);
    assert_true(q.r_max[3] == 180);
    assert_int_equal(q.grid.n, p.grid.n);
    assert_string_equal(q.grid.seg[0].tr, p.grid.seg[0].tr);
    assert_int_equal(q.as_of, p.as_of);
    free(s);
    /* damaged: the path says where */
    json_object_set_new(json_object_get(j, "purchase"), "alpha", json_string("x"));
    s = json_dumps(j, 0);
    assert_int_equal(bb_score_params_parse(s, &q, &err), BB_EINVAL);
    assert_string_equal(err.where, "$.purchase");
    free(s);
    json_object_set_new(j, "purchase", json_pack("{s:s, s:f, s:f, s:f}", "model", "gammagamma", "p", 1.0, "q", 2.0,
                                                 "gamma", 3.0));
    s = json_dumps(j, 0);
    assert_int_equal(bb_score_params_parse(s, &q, &err), BB_EINVAL);
    free(s);
    json_decref(j);
    assert_int_equal(bb_score_params_parse("[1,2]", &q, &err), BB_EINVAL);
    assert_int_equal(bb_score_params_parse("not json", &q, &err), BB_EINVAL);
}

static void put_order(fx *f, const char *id, const char *cust, int64_t at, int64_t amount)
{
    bb_order_rec o = {.order_id = id, .customer_ref = cust, .ordered_at = at, .amount_minor = amount,
                      .has_amount = 1};
    bb_put_result res;
    bb_put_stats st = {0};
    bb_error err = {0};
    assert_int_equal(bb_store_put_order(f->s, &o, &res, &st, &err), 0);
}

static void rescore(void **state)
{
    fx *f = *state;
    bb_score_params p;
    bb_score sc;
    bb_error err = {0};
    int64_t id, day = 86400, t0 = 875577600 - 272 * 86400; /* 1997-01-01 */
    cdnow_params(&p);
    p.clv.margin_rate = 1.0;
    assert_int_equal(bb_score_params_load(f->s, &p, &err), BB_ENOTFOUND);
    cdnow_params(&p);
    p.clv.margin_rate = 1.0;
    /* two orders the same second are one occasion; three occasions in all: x = 2 */
    put_order(f, "o1", "c1", t0, 10000);
    put_order(f, "o2", "c1", t0, 5000);
    put_order(f, "o3", "c1", t0 + 70 * day, 20000);
    put_order(f, "o4", "c1", t0 + 213 * day, 20000);
    assert_int_equal(bb_store_resolve(f->s, "c1", NULL, &id, &err), 0);
    assert_int_equal(bb_score_customer(f->s, &p, id, &err), 0);
    assert_int_equal(bb_store_score_get(f->s, id, &sc, &err), 0);
    assert_float_equal(sc.x, 2, 0);
    assert_float_equal(sc.t_x, 213.0 / 7, 1e-9);
    assert_float_equal(sc.t_cal, 272.0 / 7, 1e-9);
    assert_int_equal(sc.frequency, 4);
    assert_int_equal(sc.monetary_minor, 55000);
    assert_int_equal(sc.recency_days, 59);
    /* the mean repeat value is 20000 as above; margin unknown: rate 1 */
    assert_float_equal(sc.expected_value, 22731.129380584, 1e-3);
    int64_t before = sc.clv_minor;
    assert_true(before > 0);
    /* a new order today: scores move at once */
    put_order(f, "o5", "c1", p.as_of, 30000);
    assert_int_equal(bb_score_customer(f->s, &p, id, &err), 0);
    assert_int_equal(bb_store_score_get(f->s, id, &sc, &err), 0);
    assert_float_equal(sc.x, 3, 0);
    assert_int_equal(sc.recency_days, 0);
    assert_int_equal(sc.r_score, 5);
    assert_float_equal(sc.p_alive, 1 / (1 + 0.7929367 / (2.4258775 + 3 - 1)), 1e-9); /* BG/NBD right after a purchase */
    assert_true(sc.clv_minor != before);
    /* a customer without orders keeps no scores */
    bb_customer_rec c = {.customer_id = "c2"};
    bb_put_result res;
    bb_put_stats st = {0};
    assert_int_equal(bb_store_put_customer(f->s, &c, &res, &st, &err), 0);
    assert_int_equal(bb_store_resolve(f->s, "c2", NULL, &id, &err), 0);
    assert_int_equal(bb_score_customer(f->s, &p, id, &err), 0);
    assert_int_equal(bb_store_score_get(f->s, id, &sc, &err), BB_ENOTFOUND);
}

/* Loading follows the current run: a new run's params are read, not the ones parsed before (the load
 * remembers its last parse), and each load names the run it came from. */
static int64_t add_run(fx *f, const bb_score_params *p)
{
    json_t *j = bb_score_params_json(p);
    char *text = json_dumps(j, JSON_REAL_PRECISION(17));
    bb_model_run_rec r = {.model = "bgnbd", .params_json = text, .fit_json = "{}", .as_of = p->as_of, .current = 1};
    bb_error err = {0};
    int64_t id = 0;
    assert_int_equal(bb_store_model_run_add(f->s, &r, &id, &err), 0);
    free(text);
    json_decref(j);
    return id;
}

static void load_follows_runs(void **state)
{
    fx *f = *state;
    bb_score_params p, q;
    bb_error err = {0};
    cdnow_params(&p);
    int64_t first = add_run(f, &p);
    assert_int_equal(bb_score_params_load(f->s, &q, &err), 0);
    assert_int_equal(q.run_id, first);
    assert_int_equal(q.clv.horizon_months, 12);
    p.clv.horizon_months = 6;
    p.purchase.params[0] = 0.5;
    int64_t second = add_run(f, &p);
    assert_true(second != first);
    assert_int_equal(bb_score_params_load(f->s, &q, &err), 0);
    assert_int_equal(q.run_id, second);
    assert_int_equal(q.clv.horizon_months, 6);
    assert_true(q.purchase.params[0] == 0.5);
    /* the same params again under a new run: the new run's id */
    int64_t third = add_run(f, &p);
    assert_int_equal(bb_score_params_load(f->s, &q, &err), 0);
    assert_int_equal(q.run_id, third);
    assert_true(q.purchase.params[0] == 0.5);
}

/* The load remembers what it read while the data stays the same (its connection's data version): a run
 * added by another connection is read, and so are another database's params under the same run id. */
static void load_follows_other_connections(void **state)
{
    fx *f = *state;
    bb_score_params p, q;
    bb_error err = {0};
    bb_store *other = NULL, *db2 = NULL;
    char path2[200];
    cdnow_params(&p);
    int64_t first = add_run(f, &p);
    assert_int_equal(bb_score_params_load(f->s, &q, &err), 0);
    assert_int_equal(bb_score_params_load(f->s, &q, &err), 0); /* remembered */
    assert_int_equal(q.run_id, first);
    assert_int_equal(q.clv.horizon_months, 12);
    /* another connection adds a run */
    assert_int_equal(bb_store_open(f->path, 0, &other, &err), 0);
    p.clv.horizon_months = 3;
    json_t *j = bb_score_params_json(&p);
    char *text = json_dumps(j, JSON_REAL_PRECISION(17));
    bb_model_run_rec r = {.model = "bgnbd", .params_json = text, .fit_json = "{}", .as_of = p.as_of, .current = 1};
    int64_t second = 0;
    assert_int_equal(bb_store_model_run_add(other, &r, &second, &err), 0);
    bb_store_close(other);
    assert_int_equal(bb_score_params_load(f->s, &q, &err), 0);
    assert_int_equal(q.run_id, second);
    assert_int_equal(q.clv.horizon_months, 3);
    /* another database, its first run (the same id as this one's first): its own params */
    snprintf(path2, sizeof path2, "%s/second.db", f->dir);
    assert_int_equal(bb_store_open(path2, BB_STORE_CREATE, &db2, &err), 0);
    p.clv.horizon_months = 9;
    fx f2 = *f;
    f2.s = db2;
    int64_t id2 = add_run(&f2, &p);
    assert_int_equal(id2, first);
    assert_int_equal(bb_score_params_load(db2, &q, &err), 0);
    assert_int_equal(q.clv.horizon_months, 9);
    assert_int_equal(bb_score_params_load(f->s, &q, &err), 0);
    assert_int_equal(q.clv.horizon_months, 3);
    bb_store_close(db2);
    free(text);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_scores),
        cmocka_unit_test(params_json),
        cmocka_unit_test_setup_teardown(rescore, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(load_follows_runs, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(load_follows_other_connections, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
