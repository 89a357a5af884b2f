/* test_sqlite_score.c: model runs (recorded, current per group, listed newest first) and customer
 * scores (bulk write, read back, absent model scores as NULL, segment summary checked against sums
 * computed here, top customers by CLV in order, merged-away customers left out, totals). */
#include "store_fixture.h"

#include "birebir/store_score.h"

static int64_t add_customer(fx *f, const char *ext, const char *first)
{
    bb_customer_rec c = {.customer_id = ext, .first_name = first, .last_name = "Test"};
    bb_put_result res;
    bb_put_stats st = {0};
    bb_error err = {0};
    int64_t id = 0;
    assert_int_equal(bb_store_put_customer(f->s, &c, &res, &st, &err), 0);
    assert_int_equal(bb_store_resolve(f->s, ext, NULL, &id, &err), 0);
    return id;
}

static int count_run(void *ctx, const bb_model_run *r)
{
    int64_t *ids = ctx;
    ids[ids[0] + 1] = r->id;
    ids[0]++;
    return 0;
}

static void runs(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_model_run r;
    int64_t id1, id2, id3, id4, ids[8] = {0};
    bb_model_run_rec rec = {.model = "bgnbd", .params_json = "{\"r\": 0.24}", .fit_json = "{\"ll\": -1}",
                            .as_of = 1000, .customers = 5, .started_at = 10, .finished_at = 12, .current = 1};
    assert_int_equal(bb_store_model_run_current(f->s, "bgnbd", &r, &err), BB_ENOTFOUND);
    assert_int_equal(bb_store_model_run_add(f->s, &rec, &id1, &err), 0);
    rec.model = "pnbd";
    rec.params_json = "{\"r\": 0.55}";
    assert_int_equal(bb_store_model_run_add(f->s, &rec, &id2, &err), 0);
    rec.model = "cohorts";
    assert_int_equal(bb_store_model_run_add(f->s, &rec, &id3, &err), 0);
    rec.model = "bgnbd";
    rec.current = 0;
    assert_int_equal(bb_store_model_run_add(f->s, &rec, &id4, &err), 0);
    /* the scoring group's current run is the pnbd one, whichever name is asked */
    assert_int_equal(bb_store_model_run_current(f->s, "bgnbd", &r, &err), 0);
    assert_int_equal(r.id, id2);
    assert_string_equal(r.model, "pnbd");
    assert_string_equal(r.params_json, "{\"r\": 0.55}");
    assert_string_equal(r.status, "done");
    assert_int_equal(r.customers, 5);
    assert_int_equal(r.finished_at - r.started_at, 2);
    assert_int_equal(r.is_current, 1);
    bb_model_run_release(&r);
    assert_int_equal(bb_store_model_run_current(f->s, "scoring", &r, &err), 0);
    assert_int_equal(r.id, id2);
    bb_model_run_release(&r);
    assert_int_equal(bb_store_model_run_current(f->s, "cohorts", &r, &err), 0);
    assert_int_equal(r.id, id3);
    bb_model_run_release(&r);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM model_run WHERE is_current = 1"), 2);
    assert_int_equal(bb_store_model_runs(f->s, NULL, 0, count_run, ids, &err), 0);
    assert_int_equal(ids[0], 4);
    assert_int_equal(ids[1], id4);
    assert_int_equal(ids[4], id1);
    memset(ids, 0, sizeof ids);
    assert_int_equal(bb_store_model_runs(f->s, "bgnbd", 1, count_run, ids, &err), 0);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], id4);
    rec.model = "";
    assert_int_equal(bb_store_model_run_add(f->s, &rec, &id4, &err), BB_EINVAL);
}

typedef struct seen {
    char seg[8][32];
    int64_t n[8], revenue[8], clv[8];
    double mean[8];
    int count;
    int64_t top[8];
} seen;

static int on_segment(void *ctx, const bb_segment_summary *g)
{
    seen *s = ctx;
    snprintf(s->seg[s->count], 32, "%s", g->segment);
    s->n[s->count] = g->customers;
    s->revenue[s->count] = g->revenue_minor;
    s->clv[s->count] = g->clv_minor;
    s->mean[s->count] = g->mean_clv_minor;
    s->count++;
    return 0;
}

static int on_top(void *ctx, const bb_top_customer *t)
{
    seen *s = ctx;
    assert_non_null(t->external_id);
    assert_string_equal(t->last_name, "Test");
    assert_int_equal(t->score->customer_id, t->customer_id);
    s->top[s->count++] = t->score->clv_minor;
    return 0;
}

static void scores(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_score in[5], out;
    int64_t id[5];
    const char *segs[5] = {"champions", "champions", "hibernating", "at_risk", "champions"};
    const int64_t clv[5] = {5000, 7000, 100, 900, 3000}, rev[5] = {100, 200, 10, 30, 50};
    char ext[8];
    for (int i = 0; i < 5; i++) {
        snprintf(ext, sizeof ext, "c%d", i);
        id[i] = add_customer(f, ext, "Ada");
        memset(&in[i], 0, sizeof in[i]);
        in[i].customer_id = id[i];
        in[i].recency_days = 3 * i;
        in[i].frequency = i + 1;
        in[i].monetary_minor = rev[i];
        in[i].r_score = 5 - i;
        in[i].f_score = 1 + i;
        in[i].m_score = 3;
        snprintf(in[i].segment, sizeof in[i].segment, "%s", segs[i]);
        in[i].has_model = i != 2;
        in[i].p_alive = 0.5 + 0.1 * i;
        in[i].expected_purchases = 1.25;
        in[i].x = i;
        in[i].t_x = 1.5;
        in[i].t_cal = 10;
        in[i].has_value = i == 0;
        in[i].expected_value = 1234.5;
        in[i].clv_minor = clv[i];
        snprintf(in[i].churn_risk, sizeof in[i].churn_risk, "%s", i == 3 ? "high" : "low");
        in[i].tier = i == 1 ? 'A' : 'B';
        in[i].updated_at = 77;
    }
    assert_int_equal(bb_store_begin(f->s, &err), 0);
    assert_int_equal(bb_store_scores_put(f->s, in, 5, &err), 0);
    assert_int_equal(bb_store_commit(f->s, &err), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score"), 5);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score WHERE p_alive IS NULL"), 1);

    assert_int_equal(bb_store_score_get(f->s, id[0], &out, &err), 0);
    assert_int_equal(out.recency_days, 0);
    assert_int_equal(out.monetary_minor, 100);
    assert_string_equal(out.segment, "champions");
    assert_true(out.has_model);
    assert_true(out.has_value);
    assert_float_equal(out.expected_value, 1234.5, 1e-9);
    assert_float_equal(out.p_alive, 0.5, 1e-12);
    assert_int_equal(out.clv_minor, 5000);
    assert_string_equal(out.churn_risk, "low");
    assert_int_equal(out.tier, 'B');
    assert_int_equal(out.updated_at, 77);
    assert_int_equal(bb_store_score_get(f->s, id[2], &out, &err), 0);
    assert_false(out.has_model);
    assert_int_equal(out.tier, 0);
    assert_int_equal(bb_store_score_get(f->s, 999999, &out, &err), BB_ENOTFOUND);

    /* replace one customer's scores: the row is rewritten, not added */
    in[4].clv_minor = 8000;
    assert_int_equal(bb_store_scores_put(f->s, &in[4], 1, &err), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score"), 5);
    assert_int_equal(fx_int(f, "SELECT clv_minor FROM customer_score WHERE customer_id = (SELECT id FROM customer WHERE external_id = 'c4')"), 8000);

    seen sg = {0};
    assert_int_equal(bb_store_score_segments(f->s, on_segment, &sg, &err), 0);
    assert_int_equal(sg.count, 3);
    assert_string_equal(sg.seg[0], "champions");
    assert_int_equal(sg.n[0], 3);
    assert_int_equal(sg.revenue[0], 100 + 200 + 50);
    assert_int_equal(sg.clv[0], 5000 + 7000 + 8000);
    assert_float_equal(sg.mean[0], (5000 + 7000 + 8000) / 3.0, 1e-9);

    seen top = {0};
    assert_int_equal(bb_store_score_top(f->s, 3, on_top, &top, &err), 0);
    assert_int_equal(top.count, 3);
    assert_int_equal(top.top[0], 8000);
    assert_int_equal(top.top[1], 7000);
    assert_int_equal(top.top[2], 5000);

    bb_score_totals t;
    assert_int_equal(bb_store_score_totals(f->s, &t, &err), 0);
    assert_int_equal(t.customers, 5);
    assert_int_equal(t.scored, 4);
    assert_int_equal(t.tier[0], 1);
    assert_int_equal(t.churn[2], 1);

    /* a customer merged away leaves the summaries */
    bb_merge_report mr;
    assert_int_equal(bb_store_merge(f->s, "c0", "c4", "test", &mr, &err), 0);
    memset(&top, 0, sizeof top);
    assert_int_equal(bb_store_score_top(f->s, 0, on_top, &top, &err), 0);
    assert_int_equal(top.count, 3); /* c2 has no model score, c4 is merged away */
    assert_int_equal(top.top[0], 7000);

    /* pruning keeps the scores of one run only */
    int64_t pruned = -1, run;
    bb_model_run_rec rec = {.model = "bgnbd", .as_of = 1, .started_at = 1, .finished_at = 1, .current = 1};
    assert_int_equal(bb_store_model_run_add(f->s, &rec, &run, &err), 0);
    in[1].run_id = run;
    assert_int_equal(bb_store_scores_put(f->s, &in[1], 1, &err), 0);
    assert_int_equal(bb_store_scores_prune(f->s, run, &pruned, &err), 0);
    assert_int_equal(pruned, 3); /* c0, c2, c3 (c4's moved to c0 and was dropped by the merge) */
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score"), 1);

    /* bad input */
    in[0].customer_id = 0;
    assert_int_equal(bb_store_scores_put(f->s, in, 1, &err), BB_EINVAL);
    in[0].customer_id = id[0];
    snprintf(in[0].churn_risk, sizeof in[0].churn_risk, "maybe");
    assert_int_equal(bb_store_scores_put(f->s, in, 1, &err), BB_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(runs, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(scores, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
