/* api_customers.c: the customer routes: search (GET /api/v1/customers), the 360 view
 * (GET /api/v1/customers/{customer_id}), upsert (POST) and partial update (PATCH). Writes go through the
 * writer and are audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_events.h"
#include "api/api_fields.h"
#include "birebir/datetime.h"
#include "birebir/profile.h"
#include "birebir/rfm.h"

typedef struct cust_job {
    const bb_http_request *req;
    bb__event ev;
    const char *ref; /* PATCH: the customer named by the path */
    bb_put_result result;
} cust_job;

static const char *result_name(bb_put_result r)
{
    return r == BB_PUT_INSERTED ? "inserted" : r == BB_PUT_UPDATED ? "updated" : "unchanged";
}

static int upsert_job(bb_store *s, void *ctx, bb_error *err)
{
    cust_job *j = ctx;
    bb_put_stats st = {0};
    int64_t id;
    int rc = 0;
    if (j->ref) { /* PATCH changes a customer that exists */
        rc = bb_store_resolve(s, j->ref, "id", &id, err);
        if (rc == BB_ENOTFOUND)
            rc = bb_error_setw(err, BB_ENOTFOUND, "customer_id", "there is no customer \"%s\"", j->ref);
    }
    if (rc == 0)
        rc = bb_store_put_customer(s, &j->ev.u.customer, &j->result, &st, err);
    if (rc == 0)
        rc =
            bb__audit(s, j->req, j->ref ? "customer.update" : "customer.upsert", j->ev.u.customer.customer_id,
                      json_pack("{s:s}", "result", result_name(j->result)), err);
    return rc;
}

/* The customer's URL path, its id percent-encoded (RFC 3986 unreserved characters stay). */
static void location(bb_http_reply *reply, const char *id)
{
    static const char hex[] = "0123456789ABCDEF";
    char enc[3 * BB__ID_MAX + 1];
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)id; *p && o + 4 < sizeof enc; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p)) {
            enc[o++] = (char)*p;
        } else {
            enc[o++] = '%';
            enc[o++] = hex[*p >> 4];
            enc[o++] = hex[*p & 15];
        }
    }
    enc[o] = '\0';
    bb__reply_header(reply, "Location", "/api/v1/customers/%s", enc);
}

static void write_customer(bb__api *api, bb_http_request *req, bb_http_reply *reply, const char *ref)
{
    json_t *o = bb__body_object(req, reply);
    cust_job j = {.req = req, .ref = ref};
    bb_error err = {0};
    int rc;
    if (!o)
        return;
    rc = bb__customer_parse(o, "$", 0, ref == NULL, &j.ev, &err);
    if (rc == 0 && ref) {
        if (j.ev.u.customer.customer_id && strcmp(j.ev.u.customer.customer_id, ref) != 0)
            rc = bb_error_setw(&err, BB_EINVAL, "$.customer_id",
                               "does not match the customer of the path (\"%s\")", ref);
        j.ev.u.customer.customer_id = ref;
    }
    if (rc == 0)
        rc = bb__writer_run(api->writer, upsert_job, &j, &err);
    if (rc != 0) {
        bb__reply_from_error(reply, &err, api->log);
    } else {
        bb__reply_json(reply, j.result == BB_PUT_INSERTED ? 201 : 200,
                       json_pack("{s:s, s:s}", "customer_id", j.ev.u.customer.customer_id, "result",
                                 result_name(j.result)));
        location(reply, j.ev.u.customer.customer_id);
    }
    bb__event_release(&j.ev);
    json_decref(o);
}

void bb__h_customers_post(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    (void)store;
    write_customer(api, req, reply, NULL);
}

void bb__h_customer_patch(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    (void)store;
    write_customer(api, req, reply, req->param);
}

static json_t *int_or_null(int has, int64_t v)
{
    return has ? json_integer((json_int_t)v) : json_null();
}

static int add_hit(void *ctx, const bb_customer_hit *h)
{
    char at[32];
    json_t *c = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:s}", "customer_id",
                          h->external_id, "first_name", h->first_name, "last_name", h->last_name, "email",
                          h->email, "phone", h->phone, "city", h->city, "segment", h->segment, "clv_minor",
                          int_or_null(h->has_clv, h->clv_minor), "revenue_minor",
                          int_or_null(h->has_revenue, h->revenue_minor), "last_order_at",
                          h->last_order_at ? json_string(bb_time_format_iso(h->last_order_at, at, sizeof at))
                                           : json_null(),
                          "currency", h->currency ? h->currency : "");
    if (!c || json_array_append_new(ctx, c) != 0)
        return BB_ENOMEM;
    return 0;
}

/* The segment argument: absent, or a key of the current RFM grid (0), else answered (-1). */
static int segment_arg(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply,
                       const char **out)
{
    bb_rfm_grid grid;
    bb_error err = {0};
    const char *keys[BB_RFM_MAX_SEGMENTS + 1];
    const char *v = bb__request_arg(req, "segment");
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (bb__rfm_grid_current(store, &grid, &err) != 0) {
        bb__reply_from_error(reply, &err, api->log);
        return -1;
    }
    for (size_t i = 0; i < grid.n; i++)
        keys[i] = grid.seg[i].key;
    keys[grid.n] = NULL;
    return bb__arg_choice(req, reply, "segment", keys, out);
}

void bb__h_customers_list(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    static const char *const known[] = {"q", "segment", "sort", "limit", "cursor", NULL};
    static const char *const sorts[] = {"name", "clv", "revenue", "last_order", NULL};
    bb_customer_query query = {.q = bb__request_arg(req, "q"), .cursor = bb__request_arg(req, "cursor")};
    char next[BB_STORE_CURSOR_MAX] = "";
    const char *sort = NULL;
    bb_error err = {0};
    int64_t limit;
    json_t *arr = NULL;
    int rc;
    if (bb__args_check(req, reply, known) != 0 || bb__arg_int(req, reply, "limit", 50, 1, 1000, &limit) != 0 ||
        bb__arg_choice(req, reply, "sort", sorts, &sort) != 0 ||
        segment_arg(api, store, req, reply, &query.segment) != 0)
        return;
    for (int k = 0; sort && k < BB_SORT_COUNT; k++)
        if (strcmp(sort, bb_customer_sort_name(k)) == 0)
            query.sort = k;
    query.limit = (size_t)limit;
    if (!(arr = json_array())) {
        bb__reply_error(reply, 500, "internal", NULL, "out of memory");
        return;
    }
    rc = bb_store_customer_list(store, &query, add_hit, arr, next, &err);
    if (rc == BB_EINVAL && !err.where[0]) /* the words: too many, too long */
        snprintf(err.where, sizeof err.where, "q");
    if (rc == BB_ENOMEM && !err.msg[0])
        bb_error_set(&err, BB_ENOMEM, "out of memory listing customers");
    if (rc != 0)
        bb__reply_from_error(reply, &err, api->log);
    else
        bb__reply_json(reply, 200, json_pack("{s:O, s:s?}", "customers", arr, "next_cursor", next[0] ? next : NULL));
    json_decref(arr);
}

void bb__h_customer_get(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    static const char *const known[] = {NULL}; /* no query arguments */
    bb_buf view;
    bb_error err = {0};
    int64_t missing = 0;
    int rc;
    if (bb__args_check(req, reply, known) != 0)
        return;
    bb_buf_init(&view, 0);
    /* the stored view with its scores spliced in: text, no tree to build */
    rc = bb_profile_write_stored(store, req->param, NULL, &view, &missing, &err);
    if (rc != 0)
        bb_buf_release(&view);
    if (rc == BB_ENOTFOUND) {
        bb__reply_error(reply, 404, "not_found", "customer_id", "there is no customer \"%s\"", req->param);
        return;
    }
    if (rc != 0) {
        bb__reply_from_error(reply, &err, api->log);
        return;
    }
    if (missing && api->writer) /* rendered: have the writer store it, when it has nothing else to do */
        bb__writer_want_view(api->writer, missing);
    bb__reply_json_text(reply, 200, &view);
}
