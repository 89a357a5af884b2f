/* analyze.c: the analysis run (analyze.h): scan the orders, fit, score, store. */
#include "birebir/analyze.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "birebir/bgnbd.h"
#include "birebir/datetime.h"
#include "birebir/gammagamma.h"
#include "birebir/holdout.h"
#include "birebir/pnbd.h"
#include "birebir/rfm.h"
#include "engage/analyze_impl.h"

#define BIG 1e300

void bb_analyze_opts_init(bb_analyze_opts *o)
{
    memset(o, 0, sizeof *o);
    o->horizon_months = 12;
    o->margin_rate = -1;
    o->monthly_discount = -1;
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void step(const bb_analyze_opts *o, const char *what)
{
    if (o->on_step)
        o->on_step(o->ctx, what);
}

static int fit_purchase(bb_model_kind m, const int32_t *x, const double *t_x, const double *T, size_t n, bb_fit *f,
                        bb_error *err)
{
    bb_fit_opts fo = {0};
    return m == BB_MODEL_PNBD ? bb_pnbd_fit(x, t_x, T, n, &fo, f, err) : bb_bgnbd_fit(x, t_x, T, n, &fo, f, err);
}

/* Auto: fits both purchase models on the calibration summaries and keeps the one with the smaller mean
 * absolute error in the holdout period. */
static int choose_model(const bb__analyze_data *d, bb_analyze_report *rep, bb_model_kind *out, bb_error *err)
{
    bb_model_kind kinds[2] = {BB_MODEL_BGNBD, BB_MODEL_PNBD};
    double length = (double)(d->full.as_of - d->cal.as_of) / (86400.0 * d->full.unit_days);
    int ok[2] = {0, 0}, rc = 0;
    bb_error e[2] = {{0}, {0}};
    for (int i = 0; i < 2; i++) {
        bb_fit f;
        bb_holdout_report h;
        rep->holdout_mae[i] = -1;
        if (fit_purchase(kinds[i], d->cx, d->ct_x, d->cT, d->cal_n, &f, &e[i]) == 0 &&
            bb_holdout_evaluate(&f, d->cx, d->ct_x, d->cT, d->cx_holdout, d->cal_n, length, NULL, &h, &e[i]) == 0) {
            ok[i] = 1;
            rep->holdout_mae[i] = h.mae;
        }
    }
    if (!ok[0] && !ok[1]) {
        /* too little history before the holdout: fit BG/NBD on everything instead */
        *out = BB_MODEL_BGNBD;
        return 0;
    }
    rep->auto_selected = 1;
    *out = !ok[1] || (ok[0] && rep->holdout_mae[0] <= rep->holdout_mae[1]) ? BB_MODEL_BGNBD : BB_MODEL_PNBD;
    (void)err;
    return rc;
}

static int alloc_scores(bb__analyze_data *d)
{
    size_t k = d->n ? d->n : 1;
    d->p_alive = malloc(k * sizeof *d->p_alive);
    d->expected = malloc(k * sizeof *d->expected);
    d->value = malloc(k * sizeof *d->value);
    d->clv = malloc(k * sizeof *d->clv);
    d->has_value = malloc(k);
    d->r = malloc(k);
    d->f = malloc(k);
    d->m = malloc(k);
    d->tier = malloc(k);
    return d->p_alive && d->expected && d->value && d->clv && d->has_value && d->r && d->f && d->m && d->tier
               ? 0
               : BB_ENOMEM;
}

/* RFM quintiles over the population and the cut points that reproduce them for one customer later. */
static int score_rfm(bb__analyze_data *d, bb_score_params *p, bb_error *err)
{
    double *fq = malloc((d->n ? d->n : 1) * sizeof *fq), *mo = malloc((d->n ? d->n : 1) * sizeof *mo);
    int rc = 0;
    if (!fq || !mo) {
        rc = bb_error_set(err, BB_ENOMEM, "analyze: out of memory");
        goto done;
    }
    for (size_t i = 0; i < d->n; i++) {
        fq[i] = d->orders[i];
        mo[i] = (double)d->revenue[i];
    }
    if ((rc = bb_rfm_score(d->recency_days, fq, mo, d->n, d->r, d->f, d->m, err)) != 0)
        goto done;
    for (int k = 0; k < 4; k++) {
        p->r_max[k] = -1;
        p->f_min[k] = p->m_min[k] = BIG;
    }
    for (size_t i = 0; i < d->n; i++) {
        if (d->r[i] >= 2 && floor(d->recency_days[i]) > p->r_max[5 - d->r[i]])
            p->r_max[5 - d->r[i]] = floor(d->recency_days[i]);
        if (d->f[i] >= 2 && fq[i] < p->f_min[5 - d->f[i]])
            p->f_min[5 - d->f[i]] = fq[i];
        if (d->m[i] >= 2 && mo[i] < p->m_min[5 - d->m[i]])
            p->m_min[5 - d->m[i]] = mo[i];
    }
done:
    free(fq);
    free(mo);
    return rc;
}

static int score_value(bb__analyze_data *d, bb_score_params *p, bb_error *err)
{
    int rc;
    for (size_t i = 0; i < d->n; i++) {
        bb_customer_summary sm = {.present = 1, .x = d->x[i], .t_x = d->t_x[i], .T = d->T[i],
                                  .mean_value = d->mean_value[i], .recency_days = d->recency_days[i],
                                  .orders = d->orders[i], .revenue = d->revenue[i]};
        bb_score sc = {0};
        bb_score_model(p, &sm, d->margin_rate[i], &sc);
        d->p_alive[i] = sc.p_alive;
        d->expected[i] = sc.expected_purchases;
        d->value[i] = sc.expected_value;
        d->has_value[i] = (unsigned char)sc.has_value;
        d->clv[i] = (double)sc.clv_minor;
    }
    if ((rc = bb_tiers_assign(d->clv, d->n, NULL, d->tier, err)) != 0)
        return rc;
    p->tier_a_min = p->tier_b_min = BIG;
    for (size_t i = 0; i < d->n; i++) {
        if (d->tier[i] == 'A' && d->clv[i] < p->tier_a_min)
            p->tier_a_min = d->clv[i];
        if (d->tier[i] == 'B' && d->clv[i] < p->tier_b_min)
            p->tier_b_min = d->clv[i];
    }
    if (p->tier_b_min > p->tier_a_min)
        p->tier_b_min = p->tier_a_min;
    return 0;
}

json_t *bb_analyze_fit_json(const bb_fit *f)
{
    json_t *o = json_object(), *pa = json_object(), *se = json_object();
    for (int i = 0; i < f->nparams; i++) {
        json_object_set_new(pa, bb_model_param_name(f->model, i),
                            isfinite(f->params[i]) ? json_real(f->params[i]) : json_null());
        json_object_set_new(se, bb_model_param_name(f->model, i),
                            f->hessian_ok && isfinite(f->se[i]) ? json_real(f->se[i]) : json_null());
    }
    json_object_set_new(o, "model", json_string(bb_model_name(f->model)));
    json_object_set_new(o, "params", pa);
    json_object_set_new(o, "std_errors", se);
    json_object_set_new(o, "log_likelihood", isfinite(f->log_likelihood) ? json_real(f->log_likelihood) : json_null());
    json_object_set_new(o, "converged", json_boolean(f->converged));
    json_object_set_new(o, "message", json_string(f->message));
    json_object_set_new(o, "customers", json_integer((json_int_t)f->customers));
    json_object_set_new(o, "excluded", json_integer((json_int_t)f->excluded));
    if (f->model == BB_MODEL_GAMMAGAMMA) {
        json_object_set_new(o, "excluded_zero_value", json_integer((json_int_t)f->zero_value));
        if (!(f->params[1] > 1.0))
            json_object_set_new(o, "note", json_string(BB_GG_Q_NOTE));
    }
    return o;
}

static char *fit_json(const bb_analyze_report *rep)
{
    json_t *o = json_object();
    char *s;
    json_object_set_new(o, "purchase", bb_analyze_fit_json(&rep->purchase));
    json_object_set_new(o, "spend", rep->has_spend ? bb_analyze_fit_json(&rep->spend) : json_null());
    if (*rep->spend_note)
        json_object_set_new(o, "spend_note", json_string(rep->spend_note));
    json_object_set_new(o, "selection",
                        rep->auto_selected
                            ? json_pack("{s:s, s:f, s:{s:f, s:f}}", "method", "holdout", "holdout_weeks",
                                        rep->holdout_weeks, "mean_absolute_error", "bgnbd", rep->holdout_mae[0],
                                        "pnbd", rep->holdout_mae[1])
                            : json_pack("{s:s}", "method", "asked"));
    json_object_set_new(o, "orders", json_integer(rep->orders));
    json_object_set_new(o, "seconds", json_pack("{s:f, s:f, s:f}", "read", rep->seconds_read, "fit", rep->seconds_fit,
                                                "score", rep->seconds_score));
    s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    return s;
}

static int load_grid(bb_store *s, const bb_analyze_opts *o, bb_rfm_grid *g, bb_error *err)
{
    bb_score_params cur;
    bb_error ignore = {0};
    if (o->rfm_grid_json)
        return bb_rfm_grid_parse(o->rfm_grid_json, g, err);
    if (bb_score_params_load(s, &cur, &ignore) == 0) {
        *g = cur.grid;
        return 0;
    }
    return bb_rfm_grid_parse(bb_rfm_grid_default_json(), g, err);
}

int bb_analyze_run(bb_store *s, const bb_analyze_opts *o, bb_analyze_report *rep, bb_error *err)
{
    bb__analyze_data d;
    bb_score_params p;
    bb_model_kind model = o->model;
    int64_t first, last, count, started = (int64_t)time(NULL);
    double t0 = mono(), t;
    char *fj = NULL;
    int rc;

    memset(rep, 0, sizeof *rep);
    memset(&d, 0, sizeof d);
    memset(&p, 0, sizeof p);
    step(o, "reading orders");
    if ((rc = load_grid(s, o, &p.grid, err)) != 0 || (rc = bb_store_order_span(s, &first, &last, &count, err)) != 0)
        return rc;
    if (count == 0)
        return bb_error_set(err, BB_EINVAL, "the database has no orders to analyze (import orders, or run `birebir demo`)");
    rep->as_of = o->as_of ? o->as_of : last;
    rep->first_order = first;
    if (first > rep->as_of) {
        char a[32], f[32];
        bb_time_format_iso(rep->as_of, a, sizeof a);
        bb_time_format_iso(first, f, sizeof f);
        return bb_error_set(err, BB_EINVAL, "no order on or before the as-of time %s (the first order is at %s)", a, f);
    }
    d.full = (bb_summary_opts){.ticks_per_day = 86400, .unit_days = 7, .has_as_of = 1, .as_of = rep->as_of};
    d.default_margin = o->margin_rate >= 0 ? o->margin_rate : 1.0;
    if (model == 0) {
        int64_t days = (rep->as_of - first) / 86400, hd = days / 3 < 182 ? days / 3 : 182;
        if (hd >= 28) {
            d.with_cal = 1;
            d.cal = d.full;
            d.cal.as_of = rep->as_of - hd * 86400;
            d.cal.has_holdout = 1;
            d.cal.holdout_end = rep->as_of;
            rep->holdout_weeks = hd / 7.0;
        }
    }
    {
        /* one pass in the first order's currency; when most orders are in another, a second in that */
        bb__analyze_data fresh = d;
        if ((rc = bb__analyze_scan(s, &d, err)) != 0)
            goto done;
        int best = 0;
        for (int k = 1; k < d.n_cur; k++)
            if (d.cur_orders[k] > d.cur_orders[best] ||
                (d.cur_orders[k] == d.cur_orders[best] && strcmp(d.cur_name[k], d.cur_name[best]) < 0))
                best = k;
        if (d.n_cur > 1 && strcmp(d.cur_name[best], d.currency) != 0) {
            char cur[4];
            memcpy(cur, d.cur_name[best], sizeof cur);
            bb__analyze_data_release(&d);
            d = fresh;
            memcpy(d.currency, cur, sizeof cur);
            if ((rc = bb__analyze_scan(s, &d, err)) != 0)
                goto done;
        }
    }
    memcpy(rep->currency, d.currency, sizeof rep->currency);
    memcpy(p.currency, d.currency, sizeof p.currency);
    rep->other_currency = d.other_currency;
    if (d.n == 0) { /* orders, but each a return (negative amount): nobody has bought anything */
        char a[32];
        bb_time_format_iso(rep->as_of, a, sizeof a);
        rc = bb_error_set(err, BB_EINVAL, "no purchase in %s on or before %s: every order by then is a return "
                          "(a negative amount), and returns are not purchases", d.currency, a);
        goto done;
    }
    rep->customers = d.n;
    rep->orders = d.n_orders;
    t = mono();
    rep->seconds_read = t - t0;

    step(o, "fitting");
    if (model == 0) {
        model = BB_MODEL_BGNBD;
        if (d.with_cal && (rc = choose_model(&d, rep, &model, err)) != 0)
            goto done;
    }
    if ((rc = fit_purchase(model, d.x, d.t_x, d.T, d.n, &rep->purchase, err)) != 0)
        goto done;
    {
        bb_fit_opts fo = {0};
        bb_error e = {0};
        rep->has_spend = bb_gg_fit(d.x, d.mean_value, d.n, &fo, &rep->spend, &e) == 0;
        if (!rep->has_spend)
            snprintf(rep->spend_note, sizeof rep->spend_note, "%s", e.msg);
        else if (!(rep->spend.params[1] > 1.0))
            snprintf(rep->spend_note, sizeof rep->spend_note,
                     "%s; those customers get their own mean order value", BB_GG_Q_NOTE);
    }
    rep->seconds_fit = mono() - t;
    t = mono();

    step(o, "scoring");
    p.as_of = rep->as_of;
    p.purchase = rep->purchase;
    p.has_spend = rep->has_spend;
    p.spend = rep->spend;
    bb_clv_opts_init(&p.clv);
    p.clv.horizon_months = o->horizon_months > 0 ? o->horizon_months : 12;
    if (o->monthly_discount >= 0)
        p.clv.monthly_discount = o->monthly_discount;
    p.clv.margin_rate = d.default_margin;
    p.clv.unit_days = 7;
    p.churn_medium = 0.3;
    p.churn_high = 0.7;
    if (alloc_scores(&d) != 0) {
        rc = bb_error_set(err, BB_ENOMEM, "analyze: out of memory for %zu customers", d.n);
        goto done;
    }
    if ((rc = score_value(&d, &p, err)) != 0 || (rc = score_rfm(&d, &p, err)) != 0)
        goto done;
    rep->seconds_score = mono() - t;
    t = mono();

    step(o, "writing scores");
    if (!(fj = fit_json(rep))) {
        rc = bb_error_set(err, BB_ENOMEM, "analyze: out of memory");
        goto done;
    }
    if ((rc = bb__analyze_store_cohorts(s, &d, started, &rep->cohorts, &rep->cohort_run_id, err)) != 0 ||
        (rc = bb__analyze_store_scores(s, &d, &p, fj, started, rep, err)) != 0)
        goto done;
    rep->seconds_write = mono() - t;
    rep->seconds_total = mono() - t0;
done:
    free(fj);
    bb__analyze_data_release(&d);
    return rc;
}
