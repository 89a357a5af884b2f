/* analyze_store.c: what `analyze` writes: the cohort matrix (a "cohorts" run whose params are the
 * matrix) and the scoring run with every customer's scores, in one transaction. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "birebir/cohort.h"
#include "birebir/store_score.h"
#include "engage/analyze_impl.h"

#define BATCH 20000

/* The matrix as JSON: {"cohorts": [{"month": "2025-01", "size": n, "active": [...], "share": [...]}]},
 * each cohort's rows running to the last month of the data. bb_analyze_cohorts_load reads it back. */
static json_t *cohorts_json(const bb_cohorts *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->ncohorts; i++) {
        json_t *act = json_array(), *share = json_array();
        char label[8];
        for (size_t k = 0; k < bb_cohorts_periods(c, i); k++) {
            json_array_append_new(act, json_integer(c->active[i * c->nperiods + k]));
            json_array_append_new(share, json_real(bb_cohorts_share(c, i, k)));
        }
        json_array_append_new(arr, json_pack("{s:s, s:I, s:o, s:o}", "month", bb_cohorts_month_label(c->month[i], label),
                                             "size", (json_int_t)c->size[i], "active", act, "share", share));
    }
    return json_pack("{s:o}", "cohorts", arr);
}

/* The rows of a stored matrix into out (allocated already: n cohorts, n periods); 0 or -1 (damaged). */
static int cohorts_read(json_t *rows, bb_cohorts *out)
{
    for (size_t i = 0; i < out->ncohorts; i++) {
        json_t *r = json_array_get(rows, i), *month = json_object_get(r, "month"), *size = json_object_get(r, "size"),
               *act = json_object_get(r, "active");
        int32_t m = json_is_string(month) ? bb_cohorts_month_parse(json_string_value(month)) : -1;
        /* one row a month from the first, each running to the last month of the data */
        if (m < 0 || (i > 0 && m != out->month[0] + (int32_t)i) || !json_is_integer(size) ||
            json_integer_value(size) < 0 || !json_is_array(act) || json_array_size(act) != out->ncohorts - i)
            return -1;
        out->month[i] = m;
        out->size[i] = json_integer_value(size);
        for (size_t k = 0; k < json_array_size(act); k++) {
            json_t *a = json_array_get(act, k);
            if (!json_is_integer(a) || json_integer_value(a) < 0 || json_integer_value(a) > out->size[i])
                return -1;
            out->active[i * out->nperiods + k] = json_integer_value(a);
        }
    }
    return 0;
}

int bb_analyze_cohorts_load(bb_store *s, bb_cohorts *out, int64_t *as_of, int64_t *run_id, bb_error *err)
{
    bb_model_run run = {0};
    json_t *o, *rows;
    size_t n;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = bb_store_model_run_current(s, "cohorts", &run, err)) != 0)
        return rc;
    o = json_loads(run.params_json ? run.params_json : "", 0, NULL);
    rows = json_object_get(o, "cohorts");
    n = json_array_size(rows);
    if (!json_is_array(rows) || n > 12 * 1000) { /* a thousand years of months: not a matrix analyze wrote */
        rc = BB_ESCHEMA;
    } else if (n > 0 && (!(out->month = calloc(n, sizeof *out->month)) || !(out->size = calloc(n, sizeof *out->size)) ||
                         !(out->active = calloc(n * n, sizeof *out->active)))) {
        rc = bb_error_set(err, BB_ENOMEM, "out of memory reading the cohort matrix (%zu months)", n);
    } else {
        out->ncohorts = out->nperiods = n;
        if (cohorts_read(rows, out) != 0)
            rc = BB_ESCHEMA;
    }
    if (rc == BB_ESCHEMA)
        bb_error_set(err, BB_ESCHEMA, "the stored cohort matrix (model run %lld) is damaged: run `birebir analyze` again",
                     (long long)run.id);
    if (rc != 0)
        bb_cohorts_release(out);
    *as_of = run.as_of;
    *run_id = run.id;
    json_decref(o);
    bb_model_run_release(&run);
    return rc;
}

int bb__analyze_store_cohorts(bb_store *s, const bb__analyze_data *d, int64_t started, size_t *ncohorts,
                              int64_t *id, bb_error *err)
{
    bb_cohorts c;
    json_t *j;
    char *text;
    int rc = bb_cohorts_build(d->m_cust, d->m_day, d->m_n, d->n, 0, 0, &c, err);
    if (rc)
        return rc;
    *ncohorts = c.ncohorts;
    j = cohorts_json(&c);
    text = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    if (!text) {
        rc = bb_error_set(err, BB_ENOMEM, "analyze: out of memory");
    } else {
        bb_model_run_rec r = {.model = "cohorts", .params_json = text, .fit_json = "{}", .as_of = d->full.as_of,
                              .customers = (int64_t)d->n, .started_at = started,
                              .finished_at = (int64_t)time(NULL), .current = 1};
        rc = bb_store_model_run_add(s, &r, id, err);
    }
    free(text);
    json_decref(j);
    bb_cohorts_release(&c);
    return rc;
}

/* Customer i's scores from the run's arrays. */
static void fill(bb_score *c, const bb__analyze_data *d, const bb_score_params *p, size_t i, int64_t run_id,
                 int64_t now)
{
    int seg = bb_rfm_segment_of(&p->grid, d->r[i], d->f[i]);
    memset(c, 0, sizeof *c);
    c->customer_id = d->id[i];
    c->run_id = run_id;
    c->recency_days = (int64_t)d->recency_days[i];
    c->frequency = d->orders[i];
    c->monetary_minor = d->revenue[i];
    c->r_score = d->r[i];
    c->f_score = d->f[i];
    c->m_score = d->m[i];
    snprintf(c->segment, sizeof c->segment, "%s", seg >= 0 ? p->grid.seg[seg].key : "");
    c->has_model = 1;
    c->x = d->x[i];
    c->t_x = d->t_x[i];
    c->t_cal = d->T[i];
    c->p_alive = d->p_alive[i];
    c->expected_purchases = d->expected[i];
    c->has_value = d->has_value[i];
    c->expected_value = d->value[i];
    c->clv_minor = (int64_t)d->clv[i];
    snprintf(c->churn_risk, sizeof c->churn_risk, "%s",
             bb_churn_name(bb_churn_bucket(d->p_alive[i], p->churn_medium, p->churn_high), "en"));
    c->tier = d->tier[i];
    c->updated_at = now;
}

int bb__analyze_store_scores(bb_store *s, const bb__analyze_data *d, bb_score_params *p, const char *fit_json,
                             int64_t started, bb_analyze_report *rep, bb_error *err)
{
    bb_score *batch = calloc(BATCH, sizeof *batch);
    json_t *pj = bb_score_params_json(p);
    char *params = pj ? json_dumps(pj, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    int64_t now = (int64_t)time(NULL);
    int rc = 0;
    if (!batch || !params) {
        rc = bb_error_set(err, BB_ENOMEM, "analyze: out of memory");
        goto done;
    }
    /* One transaction: readers see the old scores until the new ones are all there. The old rows go
     * first, so the new ones are appended in customer order instead of replacing rows one by one. */
    if ((rc = bb_store_begin(s, err)) != 0)
        goto done;
    {
        bb_model_run_rec r = {.model = bb_model_name(p->purchase.model), .params_json = params,
                              .fit_json = fit_json, .as_of = d->full.as_of, .window_from = rep->first_order,
                              .window_to = d->full.as_of, .customers = (int64_t)d->n, .started_at = started,
                              .finished_at = now, .current = 1};
        rc = bb_store_model_run_add(s, &r, &rep->run_id, err);
    }
    if (rc == 0)
        rc = bb_store_scores_prune(s, rep->run_id, NULL, err);
    p->run_id = rep->run_id;
    for (size_t lo = 0; rc == 0 && lo < d->n; lo += BATCH) {
        size_t hi = lo + BATCH < d->n ? lo + BATCH : d->n;
        for (size_t i = lo; i < hi; i++)
            fill(&batch[i - lo], d, p, i, rep->run_id, now);
        rc = bb_store_scores_put(s, batch, hi - lo, err);
    }
    if (rc == 0)
        rc = bb_store_commit(s, err);
    else
        bb_store_rollback(s);
done:
    free(batch);
    free(params);
    json_decref(pj);
    return rc;
}
