/* profile.c: the customer 360 view as JSON text, written section by section from the store's reads
 * (no tree in between: building and printing one cost more than the reads); bb_profile_json parses
 * that text for callers that want a tree. */
#include "birebir/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/jsonw.h"

#include "birebir/datetime.h"
#include "birebir/store_view.h"
#include "engage/profile_impl.h"

/* ---- writing helpers ---- */

typedef struct ctx {
    bb_store *s;
    const bb_customer *c;
    const bb_profile_opts *o;
    bb_jsonw *w;
    char currency[8]; /* the order summary's, for the scores */
    bb_error *err;
} ctx;

static void kstr(bb_jsonw *w, const char *key, const char *v)
{
    bb_jsonw_key(w, key);
    bb_jsonw_str(w, v);
}

static void kint(bb_jsonw *w, const char *key, int64_t v)
{
    bb_jsonw_key(w, key);
    bb_jsonw_int(w, v);
}

static void kopt_int(bb_jsonw *w, const char *key, int has, int64_t v)
{
    bb_jsonw_key(w, key);
    if (has)
        bb_jsonw_int(w, v);
    else
        bb_jsonw_null(w);
}

static void ktime(bb_jsonw *w, const char *key, int64_t t)
{
    char buf[40];
    kstr(w, key, t ? bb_time_format_iso(t, buf, sizeof buf) : NULL);
}

/* A JSON value made by jansson, printed in place (the stored attributes, the scores). */
static int kjson(ctx *x, const char *key, json_t *v)
{
    char *text =
        v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(x->w->precision)) : NULL;
    if (!text)
        return bb_error_set(x->err, BB_ENOMEM, "out of memory building the customer view");
    bb_jsonw_key(x->w, key);
    bb_jsonw_raw(x->w, text, strlen(text));
    free(text);
    return 0;
}

/* ---- sections ---- */

static int sec_customer(ctx *x)
{
    const bb_customer *c = x->c;
    bb_jsonw *w = x->w;
    json_t *attrs;
    int rc;
    bb_jsonw_key(w, "customer");
    bb_jsonw_obj(w);
    kstr(w, "id", c->external_id);
    kint(w, "internal_id", c->id);
    kstr(w, "first_name", c->first_name);
    kstr(w, "last_name", c->last_name);
    kstr(w, "email", c->email);
    kstr(w, "phone", c->phone);
    kstr(w, "city", c->city);
    kstr(w, "birth_date", c->birth_date);
    kstr(w, "gender", c->gender);
    ktime(w, "created_at", c->created_at);
    ktime(w, "updated_at", c->updated_at);
    if (!c->attributes_json || strcmp(c->attributes_json, "{}") == 0) {
        bb_jsonw_key(w, "attributes");
        bb_jsonw_raw(w, "{}", 2);
    } else { /* parsed and printed again: whatever is stored, the view stays JSON */
        attrs = json_loads(c->attributes_json, 0, NULL);
        if (!json_is_object(attrs)) {
            json_decref(attrs);
            attrs = json_object();
        }
        rc = kjson(x, "attributes", attrs);
        json_decref(attrs);
        if (rc)
            return rc;
    }
    bb_jsonw_key(w, "identifiers");
    bb_jsonw_arr(w);
    for (size_t i = 0; i < c->n_idents; i++) {
        bb_jsonw_obj(w);
        kstr(w, "kind", c->idents[i].kind);
        kstr(w, "value", c->idents[i].value);
        bb_jsonw_obj_end(w);
    }
    bb_jsonw_arr_end(w);
    bb_jsonw_key(w, "merged_from");
    bb_jsonw_arr(w);
    for (size_t i = 0; i < c->n_merged_from; i++)
        bb_jsonw_str(w, c->merged_from[i]);
    bb_jsonw_arr_end(w);
    bb_jsonw_obj_end(w);
    return 0;
}

static int sec_summary(ctx *x)
{
    bb_order_summary s;
    bb_jsonw *w = x->w;
    int rc = bb_store_order_summary(x->s, x->c->id, &s, x->err);
    if (rc)
        return rc;
    snprintf(x->currency, sizeof x->currency, "%s", s.currency);
    bb_jsonw_key(w, "order_summary");
    bb_jsonw_obj(w);
    kint(w, "count", s.count);
    ktime(w, "first_order_at", s.first_order_at);
    ktime(w, "last_order_at", s.last_order_at);
    kint(w, "revenue_minor", s.revenue_minor);
    kopt_int(w, "margin_minor", s.margin_orders > 0, s.margin_minor);
    kint(w, "margin_orders", s.margin_orders);
    kstr(w, "currency", s.currency);
    bb_jsonw_obj_end(w);
    return 0;
}

static int on_order(void *arg, const bb_order_view *o)
{
    bb_jsonw *w = arg;
    bb_jsonw_obj(w);
    kstr(w, "order_id", o->order_id);
    ktime(w, "ordered_at", o->ordered_at);
    kint(w, "amount_minor", o->amount_minor);
    kstr(w, "currency", o->currency);
    kstr(w, "channel", o->channel);
    kopt_int(w, "margin_minor", o->has_margin, o->margin_minor);
    bb_jsonw_key(w, "from_lines");
    bb_jsonw_bool(w, o->from_lines);
    bb_jsonw_key(w, "lines");
    bb_jsonw_arr(w);
    for (size_t i = 0; i < o->n_lines; i++) {
        const bb_order_line_view *l = &o->lines[i];
        bb_jsonw_obj(w);
        kint(w, "line_no", l->line_no);
        kstr(w, "sku", l->sku);
        kstr(w, "name", l->product_name);
        kstr(w, "category", l->category);
        bb_jsonw_key(w, "quantity");
        bb_jsonw_real(w, l->quantity);
        kint(w, "unit_price_minor", l->unit_price_minor);
        kint(w, "total_minor", l->total_minor);
        bb_jsonw_obj_end(w);
    }
    bb_jsonw_arr_end(w);
    bb_jsonw_obj_end(w);
    return 0;
}

static int sec_orders(ctx *x)
{
    int rc;
    bb_jsonw_key(x->w, "orders");
    bb_jsonw_arr(x->w);
    rc = bb_store_customer_orders(x->s, x->c->id, x->o->orders, 1, on_order, x->w, x->err);
    bb_jsonw_arr_end(x->w);
    return rc;
}

static int on_consent(void *arg, const bb_consent_view *c)
{
    bb_jsonw *w = arg;
    bb_jsonw_obj(w);
    kstr(w, "channel", c->channel);
    kstr(w, "status", c->status);
    kstr(w, "source", c->source && *c->source ? c->source : NULL);
    ktime(w, "recorded_at", c->recorded_at);
    bb_jsonw_obj_end(w);
    return 0;
}

/* Stops the history after its limit. */
typedef struct capped {
    bb_jsonw *w;
    size_t left;
} capped;

static int on_consent_capped(void *arg, const bb_consent_view *c)
{
    capped *k = arg;
    if (k->left == 0)
        return 1;
    k->left--;
    return on_consent(k->w, c);
}

static int sec_consents(ctx *x)
{
    bb_jsonw *w = x->w;
    capped k = {w, x->o->consent_history};
    int rc;
    bb_jsonw_key(w, "consents");
    bb_jsonw_obj(w);
    bb_jsonw_key(w, "current");
    bb_jsonw_arr(w);
    rc = bb_store_customer_consents(x->s, x->c->id, 1, on_consent, w, x->err);
    bb_jsonw_arr_end(w);
    bb_jsonw_key(w, "history");
    bb_jsonw_arr(w);
    if (rc == 0)
        rc = bb_store_customer_consents(x->s, x->c->id, 0, on_consent_capped, &k, x->err);
    bb_jsonw_arr_end(w);
    bb_jsonw_obj_end(w);
    return rc;
}

static int on_interaction(void *arg, const bb_interaction_view *v)
{
    bb_jsonw *w = arg;
    bb_jsonw_obj(w);
    ktime(w, "occurred_at", v->occurred_at);
    kstr(w, "channel", v->channel);
    kstr(w, "direction", v->direction);
    kstr(w, "kind", v->kind);
    kstr(w, "subject", v->subject);
    kstr(w, "body", v->body);
    bb_jsonw_key(w, "sentiment");
    if (v->has_sentiment)
        bb_jsonw_real(w, v->sentiment);
    else
        bb_jsonw_null(w);
    bb_jsonw_obj_end(w);
    return 0;
}

static int sec_interactions(ctx *x)
{
    int rc;
    bb_jsonw_key(x->w, "interactions");
    bb_jsonw_arr(x->w);
    rc = bb_store_customer_interactions(x->s, x->c->id, x->o->interactions, on_interaction, x->w, x->err);
    bb_jsonw_arr_end(x->w);
    return rc;
}

static int on_survey(void *arg, const bb_survey_view *v)
{
    bb_jsonw *w = arg;
    bb_jsonw_obj(w);
    kstr(w, "survey", v->survey);
    kint(w, "score", v->score);
    kstr(w, "comment", v->comment);
    ktime(w, "responded_at", v->responded_at);
    bb_jsonw_obj_end(w);
    return 0;
}

static int sec_surveys(ctx *x)
{
    int rc;
    bb_jsonw_key(x->w, "survey_responses");
    bb_jsonw_arr(x->w);
    rc = bb_store_customer_surveys(x->s, x->c->id, x->o->surveys, on_survey, x->w, x->err);
    bb_jsonw_arr_end(x->w);
    return rc;
}

/* The view's sections but the scores, in order. */
static int (*const sections[])(ctx *x) = {
    sec_customer, sec_summary, sec_orders, sec_consents, sec_interactions, sec_surveys,
};

static bb_profile_opts opts_or_default(const bb_profile_opts *opts)
{
    bb_profile_opts o = opts ? *opts : (bb_profile_opts){0};
    o.orders = o.orders ? o.orders : 10;
    o.interactions = o.interactions ? o.interactions : 20;
    o.surveys = o.surveys ? o.surveys : 20;
    o.consent_history = o.consent_history ? o.consent_history : 50;
    return o;
}

static int written(int rc, bb_error *err)
{
    return rc == 0 ? 0
                   : bb_error_set(err, rc,
                                  rc == BB_ENOMEM ? "out of memory building the customer view"
                                                  : "the customer view was written out of order");
}

/* Appends the body of customer_id's view (every section but the scores: '{' up to the survey answers,
 * no closing brace) to out and the order summary's currency to currency. */
static int write_body(bb_store *s, int64_t customer_id, const bb_profile_opts *o, int precision, bb_buf *out,
                      char currency[8], bb_error *err)
{
    bb_customer c;
    bb_jsonw w;
    ctx x = {s, &c, o, &w, "", err};
    int rc;
    bb_jsonw_init(&w, out, precision);
    if ((rc = bb_store_customer_get_id(s, customer_id, &c, err)) != 0)
        return rc;
    bb_jsonw_obj(&w);
    for (size_t i = 0; i < sizeof sections / sizeof *sections && rc == 0; i++)
        rc = sections[i](&x);
    bb_jsonw_obj_end(&w);
    if (rc == 0 && (rc = written(bb_jsonw_finish(&w), err)) == 0)
        out->data[--out->len] = '\0'; /* the closing brace: the scores come before it */
    memcpy(currency, x.currency, sizeof x.currency);
    bb_customer_release(&c);
    return rc;
}

/* Appends ,"scores":{...}} to a body in out: the view's end. */
static int splice_scores(bb_store *s, int64_t customer_id, const char *currency, int precision, bb_buf *out,
                         bb_error *err)
{
    bb_jsonw w;
    int rc;
    if (bb_buf_add(out, ",\"scores\":", 10) != 0)
        return bb_error_set(err, BB_ENOMEM, "out of memory building the customer view");
    bb_jsonw_init(&w, out, precision);
    if ((rc = bb__profile_scores(s, customer_id, currency, &w, err)) != 0 ||
        (rc = written(bb_jsonw_finish(&w), err)) != 0)
        return rc;
    if (bb_buf_addc(out, '}') != 0)
        return bb_error_set(err, BB_ENOMEM, "out of memory building the customer view");
    return 0;
}

int bb_profile_write(bb_store *s, const char *ref, const char *id_kind, const bb_profile_opts *opts,
                     int precision, bb_buf *out, bb_error *err)
{
    bb_profile_opts o = opts_or_default(opts);
    char currency[8] = "";
    int64_t id = 0;
    int rc;
    if ((rc = bb_store_read_begin(s, err)) != 0) /* one snapshot, one read lock for every section */
        return rc;
    if ((rc = bb_store_resolve(s, ref, id_kind, &id, err)) == 0 &&
        (rc = write_body(s, id, &o, precision, out, currency, err)) == 0)
        rc = splice_scores(s, id, currency, precision, out, err);
    bb_store_read_end(s);
    return rc;
}

int bb_profile_write_stored(bb_store *s, const char *ref, const char *id_kind, bb_buf *out, int64_t *missing,
                            bb_error *err)
{
    bb_profile_opts o = opts_or_default(NULL);
    char currency[8] = "";
    int64_t id = 0;
    int rc;
    *missing = 0;
    if ((rc = bb_store_read_begin(s, err)) != 0) /* the stored body and the scores from one snapshot */
        return rc;
    if ((rc = bb_store_resolve(s, ref, id_kind, &id, err)) == 0 &&
        (rc = bb_store_view_get(s, id, out, currency, err)) == BB_ENOTFOUND) {
        *missing = id;
        rc = write_body(s, id, &o, BB_PROFILE_PRECISION, out, currency, err);
    }
    if (rc == 0)
        rc = splice_scores(s, id, currency, BB_PROFILE_PRECISION, out, err);
    bb_store_read_end(s);
    return rc;
}

int bb_profile_materialise(bb_store *s, const int64_t *ids, size_t n, size_t *stored, bb_error *err)
{
    bb_profile_opts o = opts_or_default(NULL);
    char currency[8];
    bb_buf body;
    int rc = 0;
    *stored = 0;
    bb_buf_init(&body, 0);
    for (size_t i = 0; i < n && rc == 0; i++) {
        bb_buf_reset(&body);
        rc = bb_store_view_get(s, ids[i], &body, currency, err);
        if (rc != BB_ENOTFOUND) /* stored already (current by the store's rule), or an error */
            continue;
        bb_buf_reset(&body);
        rc = write_body(s, ids[i], &o, BB_PROFILE_PRECISION, &body, currency, err);
        if (rc == BB_ENOTFOUND) { /* no such customer (any more): nothing to store */
            rc = 0;
            continue;
        }
        if (rc == 0 && (rc = bb_store_view_put(s, ids[i], currency, body.data, body.len, err)) == 0)
            (*stored)++;
    }
    bb_buf_release(&body);
    return rc;
}

int bb_profile_json(bb_store *s, const char *ref, const char *id_kind, const bb_profile_opts *opts,
                    json_t **out, bb_error *err)
{
    bb_buf text;
    json_error_t je;
    int rc;
    *out = NULL;
    bb_buf_init(&text, 0);
    if ((rc = bb_profile_write(s, ref, id_kind, opts, 17, &text, err)) == 0 &&
        !(*out = json_loadb(text.data, text.len, 0, &je)))
        rc = bb_error_set(err, BB_EINTERNAL, "the customer view is not JSON: %s", je.text);
    bb_buf_release(&text);
    return rc;
}
