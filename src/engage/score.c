/* score.c: scoring one customer from the stored parameters of the current scoring run (score.h). */
#include "birebir/score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "birebir/gammagamma.h"
#include "birebir/store_value.h"

#define DAYS_PER_MONTH 30.4375
#define MAX_ORDERS_ONE (1 << 20) /* a customer with more orders than this is not re-scored in real time */

/* ---- params <-> JSON ---- */

static json_t *fit_json(const bb_fit *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "model", json_string(bb_model_name(f->model)));
    for (int i = 0; i < f->nparams; i++)
        json_object_set_new(o, bb_model_param_name(f->model, i), json_real(f->params[i]));
    return o;
}

static json_t *reals(const double *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_real(v[i]));
    return a;
}

json_t *bb_score_params_json(const bb_score_params *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "as_of", json_integer(p->as_of));
    json_object_set_new(o, "purchase", fit_json(&p->purchase));
    json_object_set_new(o, "spend", p->has_spend ? fit_json(&p->spend) : json_null());
    json_object_set_new(o, "clv", json_pack("{s:i, s:f, s:f, s:f}", "horizon_months", p->clv.horizon_months,
                                            "monthly_discount", p->clv.monthly_discount, "margin_rate",
                                            p->clv.margin_rate, "unit_days", p->clv.unit_days));
    json_object_set_new(o, "merge_window_seconds", json_integer(p->merge_window));
    json_object_set_new(o, "currency", json_string(p->currency));
    json_object_set_new(o, "rfm_cuts", json_pack("{s:o, s:o, s:o}", "recency_days_max", reals(p->r_max, 4),
                                                 "frequency_min", reals(p->f_min, 4), "monetary_min",
                                                 reals(p->m_min, 4)));
    json_object_set_new(o, "tiers", json_pack("{s:f, s:f}", "a_min_clv_minor", p->tier_a_min, "b_min_clv_minor",
                                              p->tier_b_min));
    json_object_set_new(o, "churn", json_pack("{s:f, s:f}", "medium_from", p->churn_medium, "high_from",
                                              p->churn_high));
    json_object_set_new(o, "rfm_grid", bb_rfm_grid_json(&p->grid));
    return o;
}

static int bad(bb_error *err, const char *what)
{
    return bb_error_setw(err, BB_EINVAL, what, "the scoring run's parameters are damaged (run `birebir analyze`)");
}

static int num_at(json_t *o, const char *key, double *v)
{
    json_t *x = json_object_get(o, key);
    if (!json_is_number(x))
        return -1;
    *v = json_number_value(x);
    return isfinite(*v) ? 0 : -1;
}

static int parse_fit(json_t *o, bb_model_kind want_a, bb_model_kind want_b, bb_fit *f)
{
    const char *name = json_string_value(json_object_get(o, "model"));
    memset(f, 0, sizeof *f);
    if (!name || !(f->model = bb_model_parse(name)) || (f->model != want_a && f->model != want_b))
        return -1;
    f->nparams = bb_model_nparams(f->model);
    for (int i = 0; i < f->nparams; i++)
        if (num_at(o, bb_model_param_name(f->model, i), &f->params[i]) != 0 || !(f->params[i] > 0))
            return -1;
    f->converged = 1;
    return 0;
}

static int parse_reals(json_t *a, double *v, int n)
{
    if (json_array_size(a) != (size_t)n)
        return -1;
    for (int i = 0; i < n; i++) {
        if (!json_is_number(json_array_get(a, i)))
            return -1;
        v[i] = json_number_value(json_array_get(a, i));
    }
    return 0;
}

int bb_score_params_parse(const char *text, bb_score_params *p, bb_error *err)
{
    json_error_t je;
    json_t *o = json_loads(text, 0, &je), *x;
    double h = 0, m = 0;
    int rc = 0;
    memset(p, 0, sizeof *p);
    if (!json_is_object(o)) {
        rc = bad(err, "$");
        goto done;
    }
    if (!json_is_integer(json_object_get(o, "as_of"))) {
        rc = bad(err, "$.as_of");
        goto done;
    }
    p->as_of = json_integer_value(json_object_get(o, "as_of"));
    if (parse_fit(json_object_get(o, "purchase"), BB_MODEL_BGNBD, BB_MODEL_PNBD, &p->purchase) != 0) {
        rc = bad(err, "$.purchase");
        goto done;
    }
    x = json_object_get(o, "spend");
    if (!json_is_null(x)) {
        if (parse_fit(x, BB_MODEL_GAMMAGAMMA, BB_MODEL_GAMMAGAMMA, &p->spend) != 0) {
            rc = bad(err, "$.spend");
            goto done;
        }
        p->has_spend = 1;
    }
    x = json_object_get(o, "clv");
    if (num_at(x, "horizon_months", &h) || num_at(x, "monthly_discount", &p->clv.monthly_discount) ||
        num_at(x, "margin_rate", &p->clv.margin_rate) || num_at(x, "unit_days", &p->clv.unit_days) || h < 1 ||
        h > 1200 || p->clv.unit_days <= 0) {
        rc = bad(err, "$.clv");
        goto done;
    }
    p->clv.horizon_months = (int)h;
    if (num_at(o, "merge_window_seconds", &m) != 0 || m < 0) {
        rc = bad(err, "$.merge_window_seconds");
        goto done;
    }
    p->merge_window = (int64_t)m;
    x = json_object_get(o, "currency"); /* absent in runs stored before it existed: every order counts */
    if (x && (!json_is_string(x) || json_string_length(x) > 3)) {
        rc = bad(err, "$.currency");
        goto done;
    }
    snprintf(p->currency, sizeof p->currency, "%s", x ? json_string_value(x) : "");
    x = json_object_get(o, "rfm_cuts");
    if (parse_reals(json_object_get(x, "recency_days_max"), p->r_max, 4) ||
        parse_reals(json_object_get(x, "frequency_min"), p->f_min, 4) ||
        parse_reals(json_object_get(x, "monetary_min"), p->m_min, 4)) {
        rc = bad(err, "$.rfm_cuts");
        goto done;
    }
    x = json_object_get(o, "tiers");
    if (num_at(x, "a_min_clv_minor", &p->tier_a_min) || num_at(x, "b_min_clv_minor", &p->tier_b_min)) {
        rc = bad(err, "$.tiers");
        goto done;
    }
    x = json_object_get(o, "churn");
    if (num_at(x, "medium_from", &p->churn_medium) || num_at(x, "high_from", &p->churn_high)) {
        rc = bad(err, "$.churn");
        goto done;
    }
    {
        char *g = json_dumps(json_object_get(o, "rfm_grid"), JSON_COMPACT);
        rc = g ? bb_rfm_grid_parse(g, &p->grid, err) : bad(err, "$.rfm_grid");
        free(g);
    }
done:
    json_decref(o);
    return rc;
}

/* The last params this thread parsed, by their exact text: every 360 view and every event batch loads
 * the current run's params, which change only when analyze runs, and parsing them (every field
 * checked) costs more than the rest of a view's scores. Keyed by the text itself, so it cannot be
 * stale whatever database or run the text came from; and by the data version of the connection that
 * read it last, so that while nothing was written (a connection serving views) the run is not even
 * read again: reading its 11 KB of params and fit was a fifth of serving a stored view. */
static _Thread_local struct {
    size_t len; /* 0: empty */
    char text[16384];
    bb_score_params p;
    int64_t run_id;
    int seen_valid;       /* seen: the version the text was last read at */
    bb_store_version seen;
} last_parsed;

int bb_score_params_load(bb_store *s, bb_score_params *p, bb_error *err)
{
    bb_model_run run;
    bb_store_version v;
    bb_error ignored = {0};
    int have_v = bb_store_data_version(s, &v, &ignored) == 0, rc;
    if (have_v && last_parsed.seen_valid && last_parsed.len && v.handle == last_parsed.seen.handle &&
        v.others == last_parsed.seen.others && v.own == last_parsed.seen.own) {
        *p = last_parsed.p;
        p->run_id = last_parsed.run_id;
        return 0;
    }
    last_parsed.seen_valid = 0;
    if ((rc = bb_store_model_run_current(s, "scoring", &run, err)) == 0) {
        size_t len = strlen(run.params_json);
        if (len > 0 && len == last_parsed.len && memcmp(run.params_json, last_parsed.text, len) == 0) {
            *p = last_parsed.p;
        } else {
            last_parsed.len = 0;
            rc = bb_score_params_parse(run.params_json, p, err);
            if (rc == 0 && len < sizeof last_parsed.text) {
                memcpy(last_parsed.text, run.params_json, len);
                last_parsed.len = len;
                last_parsed.p = *p;
            }
        }
    }
    if (rc == 0) {
        p->run_id = run.id;
        last_parsed.run_id = run.id;
        last_parsed.seen = v;
        last_parsed.seen_valid = have_v && last_parsed.len > 0;
    }
    bb_model_run_release(&run);
    return rc;
}

/* ---- scoring ---- */

void bb_score_model(const bb_score_params *p, const bb_customer_summary *sm, double margin_rate, bb_score *out)
{
    const bb_fit *f = &p->purchase;
    double horizon = p->clv.horizon_months * DAYS_PER_MONTH / p->clv.unit_days, value = 0.0;
    out->recency_days = (int64_t)floor(sm->recency_days);
    out->frequency = sm->orders;
    out->monetary_minor = sm->revenue;
    out->has_model = 1;
    out->x = sm->x;
    out->t_x = sm->t_x;
    out->t_cal = sm->T;
    out->p_alive = bb_model_p_alive(f, sm->x, sm->t_x, sm->T);
    out->expected_purchases = bb_model_expected(f, sm->x, sm->t_x, sm->T, horizon);
    if (p->has_spend) {
        double mv = sm->mean_value > 0 ? sm->mean_value : 0.0;
        out->has_value = bb_gg_expected_value(p->spend.params, sm->x, sm->x > 0 ? mv : 0.0, &value) == 0;
    }
    /* no spend model, or none for this customer (q <= 1 leaves a customer without repeat purchases
     * without an expected value): the customer's own mean order value */
    if (!out->has_value && sm->orders > 0 && sm->revenue > 0) {
        value = (double)sm->revenue / sm->orders;
        out->has_value = 1;
    }
    out->expected_value = out->has_value ? value : 0.0;
    out->clv_minor = out->has_value ? llround(bb_clv_customer(f, sm->x, sm->t_x, sm->T, value, margin_rate, &p->clv))
                                    : 0;
    snprintf(out->churn_risk, sizeof out->churn_risk, "%s",
             bb_churn_name(bb_churn_bucket(out->p_alive, p->churn_medium, p->churn_high), "en"));
}

static int best_at_most(double v, const double *bound)
{
    for (int k = 5; k >= 2; k--)
        if (v <= bound[5 - k])
            return k;
    return 1;
}

static int best_at_least(double v, const double *bound)
{
    for (int k = 5; k >= 2; k--)
        if (v >= bound[5 - k])
            return k;
    return 1;
}

void bb_score_rank(const bb_score_params *p, bb_score *out)
{
    int seg;
    out->r_score = best_at_most((double)out->recency_days, p->r_max);
    out->f_score = best_at_least((double)out->frequency, p->f_min);
    out->m_score = best_at_least((double)out->monetary_minor, p->m_min);
    seg = bb_rfm_segment_of(&p->grid, out->r_score, out->f_score);
    snprintf(out->segment, sizeof out->segment, "%s", seg >= 0 ? p->grid.seg[seg].key : "");
    if (!out->has_model)
        out->tier = 0;
    else
        out->tier = out->clv_minor >= p->tier_a_min ? 'A' : out->clv_minor >= p->tier_b_min ? 'B' : 'C';
}

typedef struct orders {
    int64_t *t, *v, *m;
    size_t n, cap;
    int64_t margin_sum, margin_amount, net;
    const char *currency; /* the run's; "" = any */
    bb_error *err;
} orders;

static int on_order(void *ctx, const bb_order_value *o)
{
    orders *x = ctx;
    if (*x->currency && o->currency && strcmp(o->currency, x->currency) != 0)
        return 0; /* as in analyze: amounts in another currency cannot be added to the run's */
    x->net += o->amount_minor;
    if (o->amount_minor < 0) /* a return is not a purchase occasion; it only lowers the revenue */
        return 0;
    if (x->n == x->cap) {
        size_t c = x->cap ? x->cap * 2 : 16;
        int64_t *t, *v, *m;
        if (c > MAX_ORDERS_ONE)
            return bb_error_set(x->err, BB_ELIMIT, "customer %lld has more than %d orders to re-score",
                                (long long)o->customer_id, MAX_ORDERS_ONE);
        if (!(t = realloc(x->t, c * sizeof *t)))
            return bb_error_set(x->err, BB_ENOMEM, "out of memory");
        x->t = t;
        if (!(v = realloc(x->v, c * sizeof *v)))
            return bb_error_set(x->err, BB_ENOMEM, "out of memory");
        x->v = v;
        if (!(m = realloc(x->m, c * sizeof *m)))
            return bb_error_set(x->err, BB_ENOMEM, "out of memory");
        x->m = m;
        x->cap = c;
    }
    x->t[x->n] = o->ordered_at;
    x->v[x->n] = o->amount_minor;
    x->m[x->n] = o->has_margin ? o->margin_minor : 0;
    if (o->has_margin && o->amount_minor > 0) {
        x->margin_sum += o->margin_minor;
        x->margin_amount += o->amount_minor;
    }
    x->n++;
    return 0;
}

int bb_score_customer(bb_store *s, const bb_score_params *p, int64_t customer_id, bb_error *err)
{
    orders o = {.err = err, .currency = p->currency};
    bb_summary_opts so = {.ticks_per_day = 86400, .unit_days = p->clv.unit_days, .has_as_of = 1,
                          .merge_window = p->merge_window};
    bb_customer_summary sm;
    bb_score sc;
    double margin_rate = p->clv.margin_rate;
    int rc = bb_store_order_values(s, customer_id, on_order, &o, err);
    if (rc != 0 || o.n == 0)
        goto done;
    so.as_of = o.t[o.n - 1] > p->as_of ? o.t[o.n - 1] : p->as_of;
    if ((rc = bb_summary_customer(o.t, o.v, o.m, o.n, &so, &sm, err)) != 0)
        goto done;
    if (o.margin_amount > 0) {
        margin_rate = (double)o.margin_sum / (double)o.margin_amount;
        margin_rate = margin_rate < 0 ? 0 : margin_rate > 1 ? 1 : margin_rate;
    }
    memset(&sc, 0, sizeof sc);
    sc.customer_id = customer_id;
    sc.run_id = p->run_id;
    sc.updated_at = (int64_t)time(NULL);
    bb_score_model(p, &sm, margin_rate, &sc);
    sc.monetary_minor = o.net;
    bb_score_rank(p, &sc);
    rc = bb_store_scores_put(s, &sc, 1, err);
done:
    free(o.t);
    free(o.v);
    free(o.m);
    return rc;
}

int bb_score_customers(bb_store *s, const int64_t *ids, size_t n, bb_error *err)
{
    bb_score_params p;
    int rc = bb_score_params_load(s, &p, err);
    if (rc == BB_ENOTFOUND)
        return 0;
    if (rc != 0 || n == 0 || (rc = bb_store_begin(s, err)) != 0)
        return rc;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = bb_score_customer(s, &p, ids[i], err);
    if (rc == 0)
        return bb_store_commit(s, err);
    bb_store_rollback(s);
    return rc;
}

const char *bb_score_meaning(const char *key)
{
    static const char *const m[][2] = {
        {"recency_days", "days since the last order"},
        {"frequency", "orders placed so far"},
        {"monetary_minor", "revenue from all orders so far"},
        {"r_score", "recency score 1-5: 5 = among the fifth of customers who bought most recently"},
        {"f_score", "frequency score 1-5: 5 = among the fifth who order most often"},
        {"m_score", "monetary score 1-5: 5 = among the fifth who spent most"},
        {"segment", "RFM segment from the recency and frequency scores (the editable R x F grid)"},
        {"p_alive", "probability that the customer is still active, i.e. will buy again"},
        {"expected_purchases", "purchases expected over the CLV horizon (12 months unless analyze said otherwise)"},
        {"expected_value", "expected value of one future order (Gamma-Gamma model, else the customer's mean order)"},
        {"clv", "customer lifetime value: the discounted margin expected over the horizon"},
        {"churn_risk", "1 - P(alive) in buckets: low below 30%, medium, high from 70%"},
        {"tier", "A: the customers who bring 80% of predicted value, B the next 15%, C the last 5%"},
    };
    for (size_t i = 0; key && i < sizeof m / sizeof m[0]; i++)
        if (strcmp(m[i][0], key) == 0)
            return m[i][1];
    return NULL;
}
