/* api_value.c: the value reads of the dashboard: GET /api/v1/dashboard (customers, the active share,
 * revenue, the CLV distribution, customers and value by RFM segment, the current scoring run),
 * GET /api/v1/segments/rfm (the segments' sizes and value, named in English and Turkish, from the grid
 * of the current scoring run) and GET /api/v1/cohorts (the retention matrix of the last analyze). */
#include <stdlib.h>
#include <string.h>

#include "api/api_impl.h"
#include "birebir/analyze.h"
#include "birebir/buf.h"
#include "birebir/datetime.h"
#include "birebir/rfm.h"
#include "birebir/score.h"
#include "birebir/store_score.h"
#include "birebir/store_value.h"

/* ---- the CLV distribution ---- */

/* Appends a CLV value to the bb_buf of int64_t values. */
static int add_value(void *ctx, int64_t clv)
{
    return bb_buf_add(ctx, &clv, sizeof clv);
}

/* The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least x (x >= 1). */
static int64_t nice_ceil(int64_t x)
{
    static const int64_t steps[] = {10, 20, 25, 50};
    for (int64_t p = 1;; p *= 10)
        for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
            if (steps[i] * p / 10 >= x || p > INT64_MAX / 100)
                return steps[i] * p / 10;
}

static json_t *bucket(int64_t from, int has_to, int64_t to, int64_t n)
{
    return json_pack("{s:I, s:o, s:I}", "from_minor", (json_int_t)from, "to_minor",
                     has_to ? json_integer((json_int_t)to) : json_null(), "customers", (json_int_t)n);
}

/* Ten equal buckets from 0 up to a round bound at or above the 95th percentile, then one open bucket
 * for the rest (when any value reaches it), and one below 0 (when any value is negative). Values are in
 * ascending order. */
json_t *bb__clv_distribution(const int64_t *v, size_t n, const char *currency)
{
    json_t *b = json_array(), *o;
    int64_t top, width, total = 0;
    size_t i = 0;
    if (!b)
        return NULL;
    for (size_t k = 0; k < n; k++)
        total += v[k];
    top = v[(size_t)(0.95 * (double)(n - 1))];
    top = nice_ceil(top < 1000 ? 1000 : top);
    width = top / 10;
    if (v[0] < 0) {
        while (i < n && v[i] < 0)
            i++;
        json_array_append_new(b, bucket(v[0], 1, 0, (int64_t)i));
    }
    for (int64_t lo = 0; lo < top; lo += width) {
        size_t start = i;
        while (i < n && v[i] < lo + width)
            i++;
        json_array_append_new(b, bucket(lo, 1, lo + width, (int64_t)(i - start)));
    }
    if (i < n)
        json_array_append_new(b, bucket(top, 0, 0, (int64_t)(n - i)));
    o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:o}", "currency", currency, "customers", (json_int_t)n,
                  "total_minor", (json_int_t)total, "mean_minor", (json_int_t)(total / (int64_t)n),
                  "median_minor", (json_int_t)(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2), "buckets",
                  b);
    return o;
}

/* ---- RFM segments ---- */

typedef struct segs {
    bb_rfm_grid grid;
    json_t *arr;
    int64_t customers;
} segs;

static int add_segment(void *ctx, const bb_segment_summary *g)
{
    segs *x = ctx;
    const bb_rfm_segment *named = NULL;
    json_t *o;
    for (size_t i = 0; i < x->grid.n && !named; i++)
        if (strcmp(x->grid.seg[i].key, g->segment) == 0)
            named = &x->grid.seg[i];
    o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "segment", g->segment, "name",
                  named ? named->en : g->segment, "name_tr", named ? named->tr : g->segment, "customers",
                  (json_int_t)g->customers, "revenue_minor", (json_int_t)g->revenue_minor, "clv_minor",
                  (json_int_t)g->clv_minor, "mean_clv_minor",
                  (json_int_t)(g->mean_clv_minor + (g->mean_clv_minor < 0 ? -0.5 : 0.5)));
    if (!o || json_array_append_new(x->arr, o) != 0)
        return BB_ENOMEM;
    x->customers += g->customers;
    return 0;
}

int bb__rfm_grid_current(bb_store *store, bb_rfm_grid *grid, bb_error *err)
{
    bb_score_params *p = malloc(sizeof *p);
    int rc = p ? bb_score_params_load(store, p, err) : bb_error_set(err, BB_ENOMEM, "out of memory");
    if (rc == 0) /* the grid the segments were made with */
        *grid = p->grid;
    else if (rc == BB_ENOTFOUND || rc == BB_EINVAL) /* before analyze (or a run it cannot read): the default */
        rc = bb_rfm_grid_parse(bb_rfm_grid_default_json(), grid, err);
    free(p);
    return rc;
}

/* The segments with customers, largest first, each with its share of the scored customers, into *out
 * (a new array). */
static int segments_json(bb_store *store, json_t **out, bb_error *err)
{
    segs x = {.arr = json_array()};
    int rc = x.arr ? bb__rfm_grid_current(store, &x.grid, err) : BB_ENOMEM;
    if (rc == 0)
        rc = bb_store_score_segments(store, add_segment, &x, err);
    if (rc == BB_ENOMEM && !err->msg[0])
        bb_error_set(err, BB_ENOMEM, "out of memory listing the segments");
    for (size_t i = 0; rc == 0 && i < json_array_size(x.arr); i++) {
        json_t *o = json_array_get(x.arr, i);
        double n = (double)json_integer_value(json_object_get(o, "customers"));
        json_object_set_new(o, "share", json_real(x.customers ? n / (double)x.customers : 0.0));
    }
    if (rc != 0) {
        json_decref(x.arr);
        return rc;
    }
    *out = x.arr;
    return 0;
}

void bb__h_segments_rfm(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    static const char *const known[] = {NULL};
    bb_error err = {0};
    json_t *arr = NULL;
    if (bb__args_check(req, reply, known) != 0)
        return;
    if (segments_json(store, &arr, &err) != 0) {
        bb__reply_from_error(reply, &err, api->log);
        return;
    }
    bb__reply_json(reply, 200, json_pack("{s:o}", "segments", arr));
}

/* The current scoring run in short, or null (before analyze). */
static json_t *current_run(bb_store *store, bb_error *err, int *rc)
{
    bb_model_run r = {0};
    json_t *o;
    *rc = bb_store_model_run_current(store, "scoring", &r, err);
    if (*rc == BB_ENOTFOUND) {
        *rc = 0;
        return json_null();
    }
    if (*rc != 0)
        return NULL;
    o = bb__model_run_json(&r, 0);
    bb_model_run_release(&r);
    return o;
}

void bb__h_dashboard(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    bb_store_overview ov;
    bb_error err = {0};
    bb_buf clv;
    int64_t days;
    size_t n;
    char as_of[32];
    json_t *dist = NULL, *out, *segments = NULL, *run = NULL;
    bb_store_version version;
    int rc;
    static const char *const known[] = {"active_days", NULL};
    if (bb__args_check(req, reply, known) != 0 || bb__arg_int(req, reply, "active_days", 90, 1, 3650, &days) != 0)
        return;
    /* The same data as last time on this connection: the same answer. */
    if ((rc = bb_store_data_version(store, &version, &err)) == 0 &&
        (out = bb__value_cache_get(api->value_cache, store, &version, days))) {
        bb__reply_json(reply, 200, out);
        return;
    }
    bb_buf_init(&clv, BB_BUF_UNLIMITED);
    if (rc == 0)
        rc = bb_store_overview_get(store, 0, days, &ov, &err);
    if (rc == 0)
        rc = bb_store_clv_values(store, add_value, &clv, &err);
    if (rc == 0)
        rc = segments_json(store, &segments, &err);
    if (rc == 0)
        run = current_run(store, &err, &rc);
    if (rc == BB_ENOMEM && !err.msg[0])
        bb_error_set(&err, BB_ENOMEM, "out of memory reading the CLV scores");
    if (rc != 0) {
        bb__reply_from_error(reply, &err, api->log);
        bb_buf_release(&clv);
        json_decref(segments);
        return;
    }
    n = clv.len / sizeof(int64_t);
    if (n > 0 && !(dist = bb__clv_distribution((const int64_t *)(void *)clv.data, n,
                                               ov.currency[0] ? ov.currency : "TRY"))) {
        bb__reply_error(reply, 500, "internal", NULL, "out of memory");
        bb_buf_release(&clv);
        json_decref(segments);
        json_decref(run);
        return;
    }
    bb_buf_release(&clv);
    out = json_pack("{s:s, s:I, s:I, s:{s:I, s:f, s:I}, s:{s:I, s:s, s:I, s:I}, s:o, s:o, s:o}", "as_of",
                    ov.last_order_at ? bb_time_format_iso(ov.as_of, as_of, sizeof as_of) : "", "customers",
                    (json_int_t)ov.customers, "buyers", (json_int_t)ov.buyers, "active", "customers",
                    (json_int_t)ov.active, "share",
                    ov.customers ? (double)ov.active / (double)ov.customers : 0.0, "days", (json_int_t)days,
                    "revenue", "total_minor", (json_int_t)ov.revenue_minor, "currency",
                    ov.currency[0] ? ov.currency : "TRY", "orders", (json_int_t)ov.orders,
                    "other_currency_orders", (json_int_t)ov.other_currency_orders, "clv",
                    dist ? dist : json_null(), "segments", segments, "model_run", run);
    if (out && !ov.last_order_at)
        json_object_set_new(out, "as_of", json_null());
    bb__value_cache_put(api->value_cache, store, &version, days, out);
    bb__reply_json(reply, 200, out);
}

/* ---- cohorts ---- */

/* GET /api/v1/cohorts: the retention matrix the last `analyze` stored (read as `birebir cohorts` reads
 * it), the latest `months` cohorts that have customers. */
void bb__h_cohorts(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    static const char *const known[] = {"months", NULL};
    bb_cohorts c = {0};
    bb_error err = {0};
    int64_t months, as_of, run_id;
    json_t *arr = NULL;
    char buf[32];
    size_t start;
    int rc;
    if (bb__args_check(req, reply, known) != 0 || bb__arg_int(req, reply, "months", 24, 1, 1200, &months) != 0)
        return;
    rc = bb_analyze_cohorts_load(store, &c, &as_of, &run_id, &err);
    if (rc == BB_ENOTFOUND) { /* analyze has not run */
        bb__reply_json(reply, 200, json_pack("{s:n, s:[]}", "as_of", "cohorts"));
        return;
    }
    if (rc != 0) {
        bb__reply_from_error(reply, &err, api->log);
        return;
    }
    start = c.ncohorts;
    for (int64_t kept = 0; start > 0 && kept < months; start--) /* a month nobody first bought in is no row */
        kept += c.size[start - 1] > 0;
    arr = json_array();
    for (size_t i = start; arr && i < c.ncohorts; i++) {
        json_t *act = c.size[i] > 0 ? json_array() : NULL;
        for (size_t k = 0; act && k < bb_cohorts_periods(&c, i); k++)
            json_array_append_new(act, json_integer(c.active[i * c.nperiods + k]));
        if (act)
            json_array_append_new(arr, json_pack("{s:s, s:I, s:o}", "cohort", bb_cohorts_month_label(c.month[i], buf),
                                                 "customers", (json_int_t)c.size[i], "active", act));
    }
    bb_cohorts_release(&c);
    if (!arr) {
        bb__reply_error(reply, 500, "internal", NULL, "out of memory");
        return;
    }
    bb__reply_json(reply, 200,
                   json_pack("{s:s, s:I, s:o}", "as_of", bb_time_format_iso(as_of, buf, sizeof buf), "run_id",
                             (json_int_t)run_id, "cohorts", arr));
}
