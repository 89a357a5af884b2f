/* api_events.c: POST /api/v1/events bodies into typed events: one JSON object, a JSON array, or NDJSON;
 * each event's fields named as the import's canonical columns, checked with errors that say where. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api_events.h"
#include "api/api_fields.h"
#include "birebir/text.h"

static const char *const channels_consent[] = {"email", "sms", "call", "push", "whatsapp", NULL};
static const char *const consent_status[] = {"granted", "revoked", NULL};
static const char *const directions[] = {"in", "out", NULL};

static const struct {
    const char *name;
    bb__event_type type;
} types[] = {
    {"customer", BB__EV_CUSTOMER},
    {"order", BB__EV_ORDER},
    {"interaction", BB__EV_INTERACTION},
    {"consent", BB__EV_CONSENT},
    {"survey_response", BB__EV_SURVEY},
};

void bb__event_release(bb__event *ev)
{
    free(ev->lines);
    free(ev->idents);
    free(ev->attributes);
    ev->lines = NULL;
    ev->idents = NULL;
    ev->attributes = NULL;
}

void bb__event_batch_release(bb__event_batch *b)
{
    for (size_t i = 0; b->ev && i < b->n; i++)
        bb__event_release(&b->ev[i]);
    free(b->ev);
    json_decref(b->docs);
    memset(b, 0, sizeof *b);
}

/* The customer an event is about: customer_id, and id_kind when it is another system's id. */
static int parse_ref(json_t *o, const char *base, const char **ref, const char **id_kind, bb_error *err)
{
    int rc = bb__field_text(o, base, "customer_id", BB__REQUIRED | BB__ID, BB__ID_MAX, ref, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "id_kind", 0, 64, id_kind, err);
    return rc;
}

/* The customer's "identifiers": [{"kind", "value"}]. */
static int parse_idents(json_t *o, const char *base, bb__event *ev, bb_error *err)
{
    json_t *a, *it;
    char where[BB__PATH_MAX], item[BB__PATH_MAX];
    static const char *const fields[] = {"kind", "value", NULL};
    size_t i;
    int rc = bb__field_array(o, base, "identifiers", 100, "{\"kind\", \"value\"}", &a, err);
    if (rc != 0 || !a)
        return rc;
    bb__path(where, sizeof where, base, "identifiers");
    if (json_array_size(a) && !(ev->idents = calloc(json_array_size(a), sizeof *ev->idents)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    json_array_foreach(a, i, it) {
        snprintf(item, sizeof item, "%s[%zu]", where, i);
        if (!json_is_object(it))
            return bb_error_setw(err, BB_EINVAL, item, "must be an object {\"kind\", \"value\"}");
        if ((rc = bb__fields_known(it, item, fields, err)) != 0 ||
            (rc = bb__field_text(it, item, "kind", BB__REQUIRED, 64, &ev->idents[i].kind, err)) != 0 ||
            (rc = bb__field_text(it, item, "value", BB__REQUIRED | BB__ID, BB__ID_MAX, &ev->idents[i].value,
                                 err)) != 0)
            return rc;
    }
    ev->u.customer.idents = ev->idents;
    ev->u.customer.n_idents = json_array_size(a);
    return 0;
}

/* An email or phone number the store would refuse, refused here, where the body names it: the store's
 * message with the field's JSON path. An empty one is left to the store (it clears the field). */
static int contact_check(const char *base, const char *key, const char *v,
                         int (*norm)(const char *, char *, size_t, bb_error *), bb_error *err)
{
    char where[BB__PATH_MAX], *out;
    size_t size;
    bb_error e = {0};
    int rc;
    if (!v || !*v)
        return 0;
    size = strlen(v) + 32; /* room for the normal form: a phone's E.164 is at most 17 bytes */
    if (!(out = malloc(size)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    rc = norm(v, out, size, &e);
    free(out);
    if (rc == 0)
        return 0;
    if (rc == BB_ENOMEM)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    bb__path(where, sizeof where, base, key);
    return bb_error_setw(err, BB_EINVAL, where, "%s: %s", key, e.msg);
}

int bb__customer_parse(json_t *o, const char *base, int with_event, int need_id, bb__event *ev, bb_error *err)
{
    static const char *const fields[] = {"type", "event_id", "customer_id", "id_kind", "first_name",
                                         "last_name", "email", "phone", "city", "birth_date", "gender",
                                         "created_at", "attributes", "identifiers", NULL};
    bb_customer_rec *c = &ev->u.customer;
    json_t *attrs = json_object_get(o, "attributes");
    char where[BB__PATH_MAX];
    int rc, has;
    rc = bb__fields_known(o, base, with_event ? fields : fields + 2, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "customer_id", (need_id ? BB__REQUIRED : 0) | BB__ID, BB__ID_MAX,
                            &c->customer_id, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "id_kind", 0, 64, &c->id_kind, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "first_name", 0, BB__TEXT_MAX, &c->first_name, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "last_name", 0, BB__TEXT_MAX, &c->last_name, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "email", 0, BB__TEXT_MAX, &c->email, err);
    if (rc == 0)
        rc = contact_check(base, "email", c->email, bb_text_email_norm, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "phone", 0, BB__TEXT_MAX, &c->phone, err);
    if (rc == 0)
        rc = contact_check(base, "phone", c->phone, bb_text_phone_norm, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "city", 0, BB__TEXT_MAX, &c->city, err);
    if (rc == 0)
        rc = bb__field_date(o, base, "birth_date", &c->birth_date, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "gender", 0, BB__TEXT_MAX, &c->gender, err);
    if (rc == 0)
        rc = bb__field_time(o, base, "created_at", 0, &c->created_at, &has, err);
    if (rc == 0 && attrs && !json_is_null(attrs)) {
        bb__path(where, sizeof where, base, "attributes");
        if (!json_is_object(attrs))
            rc = bb_error_setw(err, BB_EINVAL, where, "must be a JSON object");
        else if (!(ev->attributes = json_dumps(attrs, JSON_COMPACT)))
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        c->attributes_json = ev->attributes;
    }
    if (rc == 0)
        rc = parse_idents(o, base, ev, err);
    return rc;
}

static int parse_lines(json_t *o, const char *base, bb__event *ev, bb_error *err)
{
    static const char *const fields[] = {"sku", "quantity", "unit_price", NULL};
    json_t *a, *it;
    bb_order_rec *ord = &ev->u.order;
    char where[BB__PATH_MAX], item[BB__PATH_MAX];
    size_t i;
    int has, rc = bb__field_array(o, base, "lines", 10000, "{\"sku\", \"quantity\", \"unit_price\"}", &a, err);
    if (rc != 0 || !a)
        return rc;
    bb__path(where, sizeof where, base, "lines");
    if (json_array_size(a) && !(ev->lines = calloc(json_array_size(a), sizeof *ev->lines)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    json_array_foreach(a, i, it) {
        bb_order_line_rec *l = &ev->lines[i];
        snprintf(item, sizeof item, "%s[%zu]", where, i);
        if (!json_is_object(it))
            return bb_error_setw(err, BB_EINVAL, item, "must be an object {\"sku\", \"quantity\", \"unit_price\"}");
        l->order_id = ord->order_id;
        l->customer_ref = ord->customer_ref;
        l->id_kind = ord->id_kind;
        l->ordered_at = ord->ordered_at;
        memcpy(l->currency, ord->currency, sizeof l->currency);
        l->line_no = (int)i + 1;
        if ((rc = bb__fields_known(it, item, fields, err)) != 0 ||
            (rc = bb__field_text(it, item, "sku", BB__REQUIRED | BB__ID, BB__ID_MAX, &l->sku, err)) != 0 ||
            (rc = bb__field_number(it, item, "quantity", BB__REQUIRED, &l->quantity, &has, err)) != 0 ||
            (rc = bb__field_money(it, item, "unit_price", BB__REQUIRED, ord->currency, &l->unit_price_minor,
                                  &has, err)) != 0)
            return rc;
    }
    ev->n_lines = json_array_size(a);
    return 0;
}

static int parse_order(json_t *o, const char *base, bb__event *ev, bb_error *err)
{
    static const char *const fields[] = {"type", "event_id", "order_id", "customer_id", "id_kind", "ordered_at",
                                         "amount", "currency", "channel", "lines", NULL};
    bb_order_rec *ord = &ev->u.order;
    char where[BB__PATH_MAX];
    int rc, has;
    rc = bb__fields_known(o, base, fields, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "order_id", BB__REQUIRED | BB__ID, BB__ID_MAX, &ord->order_id, err);
    if (rc == 0)
        rc = parse_ref(o, base, &ord->customer_ref, &ord->id_kind, err);
    if (rc == 0)
        rc = bb__field_time(o, base, "ordered_at", 0, &ord->ordered_at, &has, err);
    if (rc == 0 && !has)
        ord->ordered_at = -1; /* filled with the batch's time by the caller */
    if (rc == 0)
        rc = bb__field_currency(o, base, "currency", ord->currency, err);
    if (rc == 0)
        rc = bb__field_money(o, base, "amount", 0, ord->currency, &ord->amount_minor, &ord->has_amount, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "channel", 0, BB__TEXT_MAX, &ord->channel, err);
    if (rc == 0)
        rc = parse_lines(o, base, ev, err);
    if (rc == 0 && !ord->has_amount && ev->n_lines == 0) {
        bb__path(where, sizeof where, base, "amount");
        rc = bb_error_setw(err, BB_EINVAL, where, "an order needs an amount, or lines to sum");
    }
    return rc;
}

static int parse_interaction(json_t *o, const char *base, bb__event *ev, bb_error *err)
{
    static const char *const fields[] = {"type", "event_id", "customer_id", "id_kind", "occurred_at",
                                         "channel", "direction", "kind", "subject", "body", NULL};
    bb_interaction_rec *r = &ev->u.interaction;
    int rc, has;
    rc = bb__fields_known(o, base, fields, err);
    if (rc == 0)
        rc = parse_ref(o, base, &r->customer_ref, &r->id_kind, err);
    if (rc == 0)
        rc = bb__field_time(o, base, "occurred_at", 0, &r->occurred_at, &has, err);
    if (rc == 0 && !has)
        r->occurred_at = -1;
    if (rc == 0)
        rc = bb__field_text(o, base, "channel", BB__REQUIRED, 64, &r->channel, err);
    if (rc == 0)
        rc = bb__field_enum(o, base, "direction", BB__REQUIRED, directions, &r->direction, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "kind", 0, 64, &r->kind, err);
    if (rc == 0 && !r->kind)
        r->kind = "message";
    if (rc == 0)
        rc = bb__field_text(o, base, "subject", 0, BB__TEXT_MAX, &r->subject, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "body", 0, BB__TEXT_MAX, &r->body, err);
    return rc;
}

static int parse_consent(json_t *o, const char *base, bb__event *ev, bb_error *err)
{
    static const char *const fields[] = {"type", "event_id", "customer_id", "id_kind", "channel", "status",
                                         "source", "recorded_at", NULL};
    bb_consent_rec *r = &ev->u.consent;
    int rc, has;
    rc = bb__fields_known(o, base, fields, err);
    if (rc == 0)
        rc = parse_ref(o, base, &r->customer_ref, &r->id_kind, err);
    if (rc == 0)
        rc = bb__field_enum(o, base, "channel", BB__REQUIRED, channels_consent, &r->channel, err);
    if (rc == 0)
        rc = bb__field_enum(o, base, "status", BB__REQUIRED, consent_status, &r->status, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "source", 0, BB__TEXT_MAX, &r->source, err);
    if (rc == 0)
        rc = bb__field_time(o, base, "recorded_at", 0, &r->recorded_at, &has, err);
    if (rc == 0 && !has)
        r->recorded_at = -1;
    return rc;
}

static int parse_survey(json_t *o, const char *base, bb__event *ev, bb_error *err)
{
    static const char *const fields[] = {"type", "event_id", "customer_id", "id_kind", "survey", "score",
                                         "comment", "responded_at", NULL};
    bb_survey_rec *r = &ev->u.survey;
    int64_t score = 0;
    int rc, has, nps;
    rc = bb__fields_known(o, base, fields, err);
    if (rc == 0)
        rc = parse_ref(o, base, &r->customer_ref, &r->id_kind, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "survey", BB__REQUIRED, 256, &r->survey, err);
    nps = rc == 0 && strcasecmp(r->survey, "nps") == 0; /* 0 to 10, as the import checks it */
    if (rc == 0)
        rc = bb__field_int(o, base, "score", BB__REQUIRED, nps ? 0 : -1000000, nps ? 10 : 1000000, &score, &has,
                           err);
    r->score = (int)score;
    if (rc == 0)
        rc = bb__field_text(o, base, "comment", 0, BB__TEXT_MAX, &r->comment, err);
    if (rc == 0)
        rc = bb__field_time(o, base, "responded_at", 0, &r->responded_at, &has, err);
    if (rc == 0 && !has)
        r->responded_at = -1;
    return rc;
}

/* Times left out (-1) are the time the request arrived. */
static void default_times(bb__event *ev, int64_t now)
{
    int64_t *t = NULL;
    switch (ev->type) {
    case BB__EV_ORDER: t = &ev->u.order.ordered_at; break;
    case BB__EV_INTERACTION: t = &ev->u.interaction.occurred_at; break;
    case BB__EV_CONSENT: t = &ev->u.consent.recorded_at; break;
    case BB__EV_SURVEY: t = &ev->u.survey.responded_at; break;
    case BB__EV_CUSTOMER: break;
    }
    if (t && *t == -1)
        *t = now;
    for (size_t i = 0; ev->type == BB__EV_ORDER && i < ev->n_lines; i++)
        ev->lines[i].ordered_at = ev->u.order.ordered_at;
}

/* Reads one event object; on failure the event is marked rejected. */
static void parse_event(json_t *o, const char *base, int64_t now, bb__event *ev)
{
    const char *type = NULL;
    int rc;
    bb_error *err = &ev->err;
    if (!json_is_object(o)) {
        rc = bb_error_setw(err, BB_EINVAL, base, "an event must be a JSON object");
        goto done;
    }
    rc = bb__field_text(o, base, "event_id", BB__REQUIRED, 255, &ev->event_id, err);
    if (rc == 0)
        rc = bb__field_text(o, base, "type", BB__REQUIRED, 32, &type, err);
    if (rc != 0)
        goto done;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(type, types[i].name) == 0) {
            ev->type = types[i].type;
            ev->type_name = types[i].name;
        }
    switch (ev->type) {
    case BB__EV_CUSTOMER: rc = bb__customer_parse(o, base, 1, 1, ev, err); break;
    case BB__EV_ORDER: rc = parse_order(o, base, ev, err); break;
    case BB__EV_INTERACTION: rc = parse_interaction(o, base, ev, err); break;
    case BB__EV_CONSENT: rc = parse_consent(o, base, ev, err); break;
    case BB__EV_SURVEY: rc = parse_survey(o, base, ev, err); break;
    default: {
        char where[BB__PATH_MAX];
        bb__path(where, sizeof where, base, "type");
        rc = bb_error_setw(err, BB_EINVAL, where,
                           "\"%.40s\" is not an event type (customer, order, interaction, consent, "
                           "survey_response)",
                           type);
    }
    }
    if (rc == 0)
        default_times(ev, now);
done:
    ev->state = rc == 0 ? BB__EV_PENDING : BB__EV_REJECTED;
}

/* An NDJSON line: where it is, and why it is not JSON (code 0 when it is). */
typedef struct nd_line {
    size_t line;
    bb_error err;
} nd_line;

/* Splits NDJSON into b->docs (a JSON null stands in for a line that is not JSON; its error is kept in
 * lines). Blank lines are skipped. */
static int split_ndjson(const char *body, size_t len, size_t max_events, bb__event_batch *b, nd_line **lines,
                        bb_error *err)
{
    size_t line = 0, cap = 0;
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *stop = nl ? nl : end, *q = p;
        json_error_t je;
        json_t *v;
        line++;
        while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q == stop) {
            p = stop + 1;
            continue;
        }
        if (b->n >= max_events)
            return bb_error_set(err, BB_ELIMIT, "more than %zu events in one request; send them in parts",
                                max_events);
        if (b->n == cap) {
            nd_line *grown = realloc(*lines, (cap = cap ? cap * 2 : 64) * sizeof **lines);
            if (!grown)
                return bb_error_set(err, BB_ENOMEM, "out of memory");
            *lines = grown;
        }
        (*lines)[b->n].line = line;
        bb_error_clear(&(*lines)[b->n].err);
        v = json_loadb(p, (size_t)(stop - p), JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
        if (!v) {
            char where[64];
            snprintf(where, sizeof where, "line %zu, byte %d", line, je.position);
            bb_error_setw(&(*lines)[b->n].err, BB__EMALFORMED, where, "not valid JSON: %s", je.text);
            v = json_null();
        }
        if (json_array_append_new(b->docs, v) != 0)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        b->n++;
        p = stop + 1;
    }
    return 0;
}

int bb__events_parse(const char *body, size_t len, int ndjson, size_t max_events, int64_t now,
                     bb__event_batch *b, bb_error *err)
{
    nd_line *lines = NULL;
    json_error_t je;
    json_t *root = NULL;
    int rc = 0;
    memset(b, 0, sizeof *b);
    b->now = now;
    if (ndjson) {
        if (!(b->docs = json_array()))
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        if ((rc = split_ndjson(body, len, max_events, b, &lines, err)) != 0)
            goto done;
    } else {
        root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);
        if (!root) {
            char where[64];
            snprintf(where, sizeof where, "byte %d", je.position);
            rc = bb_error_setw(err, BB__EMALFORMED, where, "the body is not valid JSON: %s (line %d, column %d)",
                               je.text, je.line, je.column);
            goto done;
        }
        if (json_is_object(root)) {
            b->single = 1;
            b->docs = json_pack("[O]", root);
        } else if (json_is_array(root)) {
            b->docs = json_incref(root);
        } else {
            rc = bb_error_setw(err, BB_EINVAL, "$", "the body must be an event object, an array of them, or NDJSON");
            goto done;
        }
        if (!b->docs) {
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
            goto done;
        }
        b->n = json_array_size(b->docs);
        if (b->n > max_events) {
            rc = bb_error_set(err, BB_ELIMIT, "more than %zu events in one request; send them in parts", max_events);
            goto done;
        }
    }
    if (b->n && !(b->ev = calloc(b->n, sizeof *b->ev))) {
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < b->n; i++) {
        char base[48];
        if (b->single)
            snprintf(base, sizeof base, "$");
        else if (ndjson)
            snprintf(base, sizeof base, "line %zu: $", lines[i].line);
        else
            snprintf(base, sizeof base, "$[%zu]", i);
        if (lines && lines[i].err.code) {
            b->ev[i].err = lines[i].err;
            b->ev[i].state = BB__EV_REJECTED;
        } else {
            parse_event(json_array_get(b->docs, i), base, now, &b->ev[i]);
        }
    }
done:
    free(lines);
    json_decref(root);
    return rc;
}

json_t *bb__events_answer(const bb__event_batch *b, int *status)
{
    json_t *rejected = json_array(), *ans;
    const bb_error *first = NULL;
    size_t accepted = 0, dups = 0;
    for (size_t i = 0; rejected && i < b->n; i++) {
        const bb__event *ev = &b->ev[i];
        if (ev->state == BB__EV_ACCEPTED)
            accepted++;
        else if (ev->state == BB__EV_DUPLICATE)
            dups++;
        else if (ev->state == BB__EV_REJECTED) {
            json_t *r = json_pack("{s:I, s:s?, s:o}", "index", (json_int_t)i, "event_id", ev->event_id, "error",
                                  bb__error_json(&ev->err));
            if (!first)
                first = &ev->err;
            if (!r || json_array_append_new(rejected, r) != 0) {
                json_decref(rejected);
                rejected = NULL;
            }
        }
    }
    if (!rejected)
        return NULL;
    ans = json_pack("{s:I, s:I, s:o}", "accepted", (json_int_t)accepted, "duplicates", (json_int_t)dups,
                    "rejected", rejected);
    *status = 200;
    if (ans && first && accepted == 0 && dups == 0) {
        *status = bb__status_of(first->code);
        json_object_set_new(ans, "error", bb__error_json(first));
    }
    return ans;
}
