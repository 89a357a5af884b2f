/* api_events.h: typed events as POST /api/v1/events receives them: parsed and checked from a JSON
 * object, a JSON array or NDJSON (api_events.c), then applied by the writer in one transaction, each
 * event at most once by its event_id (api_event_apply.c). Internal to src/api/. */
#ifndef BB_API_EVENTS_H
#define BB_API_EVENTS_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "api/api_impl.h"
#include "birebir/store.h"

/* A line or document that is not JSON at all; answered as 400 "malformed". */
#define BB__EMALFORMED BB_EUSAGE

typedef enum bb__event_type {
    BB__EV_CUSTOMER = 1,
    BB__EV_ORDER,
    BB__EV_INTERACTION,
    BB__EV_CONSENT,
    BB__EV_SURVEY,
} bb__event_type;

typedef enum bb__event_state {
    BB__EV_PENDING = 0, /* parsed, not applied yet */
    BB__EV_ACCEPTED,
    BB__EV_DUPLICATE,   /* its event_id was applied before */
    BB__EV_REJECTED,    /* err says why */
} bb__event_state;

typedef struct bb__event {
    bb__event_type type;
    bb__event_state state;
    const char *event_id;
    const char *type_name;
    union {
        bb_customer_rec customer;
        bb_order_rec order;
        bb_interaction_rec interaction;
        bb_consent_rec consent;
        bb_survey_rec survey;
    } u;
    bb_order_line_rec *lines; /* an order's lines (owned) */
    size_t n_lines;
    bb_ident *idents;         /* a customer's identifiers (owned) */
    char *attributes;         /* a customer's attributes as JSON text (owned) */
    bb_error err;
} bb__event;

typedef struct bb__event_batch {
    json_t *docs;      /* a JSON array holding every event's object: the records' strings borrow from it */
    bb__event *ev;
    size_t n;
    int single;        /* the body was one object, not a list */
    int64_t now;
    size_t accepted, duplicates, rejected;
} bb__event_batch;

/* Parses a body into b (which the caller releases in every case). ndjson: one JSON value per line.
 * Whole-body failures return an error: not JSON (BB__EMALFORMED, where "byte N"), neither an object nor
 * an array (BB_EINVAL), more than max_events events (BB_ELIMIT). An event that is wrong is marked
 * BB__EV_REJECTED with its error (where "$[i].field" or, for NDJSON, "line N"), and the rest go on. */
int bb__events_parse(const char *body, size_t len, int ndjson, size_t max_events, int64_t now,
                     bb__event_batch *b, bb_error *err);
void bb__event_batch_release(bb__event_batch *b);

/* Reads a customer object (the fields of the "customer" event; with_event: type and event_id are
 * allowed too) into ev->u.customer. need_id: customer_id is required. */
int bb__customer_parse(json_t *o, const char *base, int with_event, int need_id, bb__event *ev,
                       bb_error *err);
void bb__event_release(bb__event *ev);

/* The answer {"accepted", "duplicates", "rejected": [{"index", "event_id", "error"}]} and its status:
 * 200, or when nothing was accepted nor a duplicate, the status of the first rejection. */
json_t *bb__events_answer(const bb__event_batch *b, int *status);

/* The writer job (a bb__job_fn) applying a batch: ctx is a bb__events_job. */
typedef struct bb__events_job {
    bb__event_batch *batch;
    const bb_http_request *req;
    FILE *log;
} bb__events_job;
int bb__events_apply(bb_store *s, void *ctx, bb_error *err);
/* Applies one parsed event (no event_id bookkeeping): the store writes it stands for. */
int bb__event_write(bb_store *s, const bb__event *ev, bb_error *err);

/* Called once per batch with its customers that got orders (each once), after the orders are applied
 * and before the batch commits, so their scores follow the new orders (re-scored from the current
 * analyze run's parameters, loaded once per batch). */
int bb_api__after_orders(bb_store *s, const int64_t *customer_ids, size_t n, bb_error *err);

#endif
