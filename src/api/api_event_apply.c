/* api_event_apply.c: POST /api/v1/events: the handler, and the writer job that applies a batch of events
 * in the writer's transaction: each event in a savepoint, its event_id recorded with its effects (so a
 * re-sent event is a duplicate, never applied twice), then the per-customer hook after new orders and
 * one audit entry. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api_events.h"
#include "birebir/score.h"
#include "birebir/store_event.h"

int bb_api__after_orders(bb_store *s, const int64_t *customer_ids, size_t n, bb_error *err)
{
    /* Re-score the customers from the current run's parameters (loaded once per batch) inside the
     * batch's transaction, so the answer is sent only when the next GET shows the new scores. Before the
     * first analyze there is nothing to re-score. */
    bb_score_params p;
    int rc = bb_score_params_load(s, &p, err);
    if (rc == BB_ENOTFOUND)
        return 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = bb_score_customer(s, &p, customer_ids[i], err);
    return rc;
}

int bb__event_write(bb_store *s, const bb__event *ev, bb_error *err)
{
    bb_put_result res;
    bb_put_stats st = {0};
    int rc = 0;
    switch (ev->type) {
    case BB__EV_CUSTOMER:
        return bb_store_put_customer(s, &ev->u.customer, &res, &st, err);
    case BB__EV_INTERACTION:
        return bb_store_put_interaction(s, &ev->u.interaction, &res, &st, err);
    case BB__EV_CONSENT:
        return bb_store_put_consent(s, &ev->u.consent, &res, &st, err);
    case BB__EV_SURVEY:
        return bb_store_put_survey(s, &ev->u.survey, &res, &st, err);
    case BB__EV_ORDER:
        rc = bb_store_put_order(s, &ev->u.order, &res, &st, err);
        for (size_t i = 0; rc == 0 && i < ev->n_lines; i++)
            rc = bb_store_put_order_line(s, &ev->lines[i], &res, &st, err);
        return rc;
    }
    return bb_error_set(err, BB_EINTERNAL, "an event of no known type");
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One event's writes, in the savepoint the caller holds. A failure leaves that savepoint to roll back. */
static int write_one(bb_store *s, bb__event *ev, int64_t now, int64_t *customer, int *is_new)
{
    int rc = bb_store_event_mark(s, ev->event_id, ev->type_name, now, is_new, &ev->err);
    if (rc == 0 && *is_new)
        rc = bb__event_write(s, ev, &ev->err);
    if (rc == 0 && *is_new && ev->type == BB__EV_ORDER)
        rc = bb_store_resolve(s, ev->u.order.customer_ref, ev->u.order.id_kind, customer, &ev->err);
    return rc;
}

/* Marks an event rejected by its error rc, in words a client can use. */
static void reject(bb__event *ev, int rc, FILE *log)
{
    ev->state = BB__EV_REJECTED;
    if (bb__status_of(rc) == 500) {
        char line[1200];
        fprintf(log, "birebir serve: event %s: %s\n", ev->event_id,
                bb_error_format(&ev->err, line, sizeof line));
        bb_error_set(&ev->err, rc, "the server could not store this event (%s); see its log",
                     bb_strerror(rc));
    }
}

typedef struct run_state {
    int64_t *customers; /* customers with a new order, in the order they came */
    size_t n_customers;
} run_state;

/* Applies the pending events of [from, to) in one savepoint: a savepoint costs a flush of the store's
 * caches and of the full-text index, so one per event would be most of the work of a batch. Returns the
 * index of the first event that failed (the run then rolled back whole, every event of it pending
 * again), or to when every one was applied. A failure of the savepoint itself ends the batch (rc). */
static size_t apply_run(bb_store *s, bb__event_batch *b, size_t from, size_t to, run_state *rs, int *rc_out,
                        bb_error *err)
{
    size_t saved = rs->n_customers, i;
    int rc = bb_store_savepoint(s, err);
    if (rc != 0) {
        *rc_out = rc;
        return to;
    }
    for (i = from; i < to; i++) {
        bb__event *ev = &b->ev[i];
        int64_t customer = 0;
        int is_new = 0;
        if (ev->state != BB__EV_PENDING)
            continue;
        if (write_one(s, ev, b->now, &customer, &is_new) != 0)
            break;
        ev->state = is_new ? BB__EV_ACCEPTED : BB__EV_DUPLICATE;
        if (customer)
            rs->customers[rs->n_customers++] = customer;
    }
    if (i == to && bb_store_savepoint_release(s, &b->ev[to - 1].err) == 0)
        return to;
    /* A failure (or a release that failed, blamed on the last event): undo the whole run. */
    bb_store_savepoint_rollback(s);
    rs->n_customers = saved;
    for (size_t k = from; k < i && k < to; k++)
        if (b->ev[k].state == BB__EV_ACCEPTED || b->ev[k].state == BB__EV_DUPLICATE)
            b->ev[k].state = BB__EV_PENDING;
    return i < to ? i : to - 1;
}

/* Applies one event alone in its own savepoint; a failure rejects it and undoes only it. */
static int apply_alone(bb_store *s, bb__event_batch *b, size_t i, run_state *rs, FILE *log, bb_error *err)
{
    bb__event *ev = &b->ev[i];
    int64_t customer = 0;
    int is_new = 0, rc;
    if (ev->state != BB__EV_PENDING)
        return 0;
    if ((rc = bb_store_savepoint(s, err)) != 0)
        return rc;
    rc = write_one(s, ev, b->now, &customer, &is_new);
    if (rc == 0)
        rc = bb_store_savepoint_release(s, &ev->err);
    if (rc != 0) {
        bb_store_savepoint_rollback(s);
        reject(ev, rc, log);
        return 0;
    }
    ev->state = is_new ? BB__EV_ACCEPTED : BB__EV_DUPLICATE;
    if (customer)
        rs->customers[rs->n_customers++] = customer;
    return 0;
}

/* Every pending event of the batch, as few runs as the failures allow: a run that fails at event k is
 * undone and done again as the run before k, then k alone, then a run from k + 1; each event's effects
 * are therefore those it has alone, and a failing event undoes only itself. */
static int apply_all(bb_store *s, bb__event_batch *b, run_state *rs, FILE *log, bb_error *err)
{
    size_t from = 0, to = b->n;
    int rc = 0;
    while (rc == 0 && from < b->n) {
        size_t failed = apply_run(s, b, from, to, rs, &rc, err);
        if (rc != 0)
            break;
        if (failed == to) { /* the run went through */
            from = to;
            to = b->n;
        } else if (failed == from) { /* its first event failed: that one alone */
            rc = apply_alone(s, b, from, rs, log, err);
            from++;
            to = b->n;
        } else { /* again without the failing event and what follows it */
            to = failed;
        }
    }
    return rc;
}

int bb__events_apply(bb_store *s, void *ctx, bb_error *err)
{
    bb__events_job *job = ctx;
    bb__event_batch *b = job->batch;
    run_state rs = {0};
    int64_t *customers;
    size_t n_customers, accepted = 0, dups = 0, rejected = 0;
    int rc = 0;
    if (b->n && !(rs.customers = malloc(b->n * sizeof *rs.customers)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    rc = apply_all(s, b, &rs, job->log, err);
    customers = rs.customers;
    n_customers = rs.n_customers;
    if (n_customers > 1)
        qsort(customers, n_customers, sizeof *customers, cmp_id);
    {
        size_t m = 0;
        for (size_t i = 0; i < n_customers; i++)
            if (i == 0 || customers[i] != customers[i - 1])
                customers[m++] = customers[i];
        if (rc == 0 && m)
            rc = bb_api__after_orders(s, customers, m, err);
    }
    for (size_t i = 0; i < b->n; i++) {
        accepted += b->ev[i].state == BB__EV_ACCEPTED;
        dups += b->ev[i].state == BB__EV_DUPLICATE;
        rejected += b->ev[i].state == BB__EV_REJECTED;
    }
    if (rc == 0 && accepted > 0)
        rc = bb__audit(s, job->req, "events.ingest", NULL,
                       json_pack("{s:I, s:I, s:I}", "accepted", (json_int_t)accepted, "duplicates",
                                 (json_int_t)dups, "rejected", (json_int_t)rejected),
                       err);
    free(customers);
    return rc;
}

static int is_ndjson(const char *content_type)
{
    static const char *const kinds[] = {"application/x-ndjson",  "application/ndjson",   "application/jsonl",
                                        "application/jsonlines", "application/json-seq", NULL};
    for (size_t i = 0; content_type && kinds[i]; i++)
        if (strncasecmp(content_type, kinds[i], strlen(kinds[i])) == 0)
            return 1;
    return 0;
}

/* A request's batch while the writer has it (deferred answers only). */
typedef struct pending_batch {
    bb__event_batch b;
    bb__events_job job;
    bb_http_request *req;
    FILE *log;
} pending_batch;

static void answer_batch(bb_http_reply *reply, bb__event_batch *b, int rc, const bb_error *err, FILE *log)
{
    int status = 200;
    json_t *ans;
    if (rc != 0) {
        bb__reply_from_error(reply, err, log);
        return;
    }
    ans = bb__events_answer(b, &status);
    bb__reply_json(reply, status, ans);
}

static void pending_free(void *p)
{
    pending_batch *pb = p;
    if (!pb)
        return;
    bb__event_batch_release(&pb->b);
    free(pb);
}

/* The writer committed the batch (or failed): answer, then wake the connection. */
static void batch_done(void *arg, int rc, const bb_error *err)
{
    pending_batch *pb = arg;
    bb_http_request *req = pb->req;
    answer_batch(req->late, &pb->b, rc, err, pb->log);
    bb__event_batch_release(&pb->b);
    req->resume(req->hook_arg); /* the last touch: the request may be gone after this */
}

void bb__h_events_post(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    pending_batch *pb = calloc(1, sizeof *pb);
    bb_error err = {0};
    int rc;
    (void)store;
    if (!pb) {
        bb__reply_error(reply, 500, "internal", NULL, "out of memory");
        return;
    }
    pb->req = req;
    pb->log = api->log;
    pb->job = (bb__events_job){.batch = &pb->b, .req = req, .log = api->log};
    req->pending = pb;
    req->pending_free = pending_free;
    rc = bb__events_parse(bb_buf_str(&req->body), req->body.len, is_ndjson(req->content_type),
                          api->cfg.max_events, req->now, &pb->b, &err);
    if (rc == 0 && req->defer) {
        /* Park the connection, so that its thread serves others while the batch waits for the disk. */
        req->defer(req->hook_arg);
        if ((rc = bb__writer_submit(api->writer, bb__events_apply, &pb->job, batch_done, pb, &err)) == 0) {
            reply->status = BB__DEFERRED;
            return;
        }
        answer_batch(req->late, &pb->b, rc, &err, api->log);
        reply->status = BB__DEFERRED;
        req->resume(req->hook_arg);
        return;
    }
    if (rc == 0)
        rc = bb__writer_run(api->writer, bb__events_apply, &pb->job, &err);
    answer_batch(reply, &pb->b, rc, &err, api->log);
}
