/* profile.c: the customer 360 view as JSON, built section by section from the store's reads. */
#include "birebir/profile.h"

#include <string.h>

#include "birebir/datetime.h"
#include "engage/profile_impl.h"

/* ---- JSON helpers: every set is checked once, through the object's state ---- */

typedef struct jb {
    json_t *o;
    int failed;
} jb;

static void put(jb *b, const char *key, json_t *v)
{
    if (!v || json_object_set_new(b->o, key, v) != 0)
        b->failed = 1;
}

static void put_str(jb *b, const char *key, const char *s)
{
    put(b, key, s ? json_string(s) : json_null());
}

static void put_int(jb *b, const char *key, int64_t v)
{
    put(b, key, json_integer((json_int_t)v));
}

static void put_opt_int(jb *b, const char *key, int has, int64_t v)
{
    put(b, key, has ? json_integer((json_int_t)v) : json_null());
}

static void put_time(jb *b, const char *key, int64_t t)
{
    char buf[40];
    put(b, key, t ? json_string(bb_time_format_iso(t, buf, sizeof buf)) : json_null());
}

/* Appends the built object to arr (which takes it, also on failure). */
static int add_to(json_t *arr, jb *b)
{
    if (b->failed || !b->o) {
        json_decref(b->o);
        return BB_ENOMEM;
    }
    return json_array_append_new(arr, b->o) == 0 ? 0 : BB_ENOMEM;
}

/* ---- sections ---- */

typedef struct ctx {
    bb_store *s;
    const bb_customer *c;
    const bb_profile_opts *o;
    json_t *root;
    bb_error *err;
} ctx;

static int nomem(ctx *x)
{
    return bb_error_set(x->err, BB_ENOMEM, "out of memory building the customer view");
}

static int sec_customer(ctx *x)
{
    const bb_customer *c = x->c;
    jb b = {json_object(), 0};
    json_t *ids = json_array(), *merged = json_array(), *attrs;
    put_str(&b, "id", c->external_id);
    put_int(&b, "internal_id", c->id);
    put_str(&b, "first_name", c->first_name);
    put_str(&b, "last_name", c->last_name);
    put_str(&b, "email", c->email);
    put_str(&b, "phone", c->phone);
    put_str(&b, "city", c->city);
    put_str(&b, "birth_date", c->birth_date);
    put_str(&b, "gender", c->gender);
    put_time(&b, "created_at", c->created_at);
    put_time(&b, "updated_at", c->updated_at);
    attrs = json_loads(c->attributes_json ? c->attributes_json : "{}", 0, NULL);
    put(&b, "attributes", attrs ? attrs : json_object());
    for (size_t i = 0; ids && i < c->n_idents; i++) {
        jb id = {json_object(), 0};
        put_str(&id, "kind", c->idents[i].kind);
        put_str(&id, "value", c->idents[i].value);
        if (add_to(ids, &id))
            b.failed = 1;
    }
    for (size_t i = 0; merged && i < c->n_merged_from; i++)
        if (json_array_append_new(merged, json_string(c->merged_from[i])) != 0)
            b.failed = 1;
    put(&b, "identifiers", ids);
    put(&b, "merged_from", merged);
    if (json_object_set_new(x->root, "customer", b.o) != 0 || b.failed)
        return nomem(x);
    return 0;
}

static int sec_summary(ctx *x)
{
    bb_order_summary s;
    jb b = {NULL, 0};
    int rc = bb_store_order_summary(x->s, x->c->id, &s, x->err);
    if (rc)
        return rc;
    b.o = json_object();
    put_int(&b, "count", s.count);
    put_time(&b, "first_order_at", s.first_order_at);
    put_time(&b, "last_order_at", s.last_order_at);
    put_int(&b, "revenue_minor", s.revenue_minor);
    put_opt_int(&b, "margin_minor", s.margin_orders > 0, s.margin_minor);
    put_int(&b, "margin_orders", s.margin_orders);
    put_str(&b, "currency", s.currency);
    if (b.failed || json_object_set_new(x->root, "order_summary", b.o) != 0)
        return nomem(x);
    return 0;
}

static int on_order(void *arg, const bb_order_view *o)
{
    json_t *arr = arg, *lines = json_array();
    jb b = {json_object(), 0};
    put_str(&b, "order_id", o->order_id);
    put_time(&b, "ordered_at", o->ordered_at);
    put_int(&b, "amount_minor", o->amount_minor);
    put_str(&b, "currency", o->currency);
    put_str(&b, "channel", o->channel);
    put_opt_int(&b, "margin_minor", o->has_margin, o->margin_minor);
    put(&b, "from_lines", json_boolean(o->from_lines));
    for (size_t i = 0; lines && i < o->n_lines; i++) {
        const bb_order_line_view *l = &o->lines[i];
        jb lb = {json_object(), 0};
        put_int(&lb, "line_no", l->line_no);
        put_str(&lb, "sku", l->sku);
        put_str(&lb, "name", l->product_name);
        put_str(&lb, "category", l->category);
        put(&lb, "quantity", json_real(l->quantity));
        put_int(&lb, "unit_price_minor", l->unit_price_minor);
        put_int(&lb, "total_minor", l->total_minor);
        if (add_to(lines, &lb))
            b.failed = 1;
    }
    put(&b, "lines", lines);
    return add_to(arr, &b);
}

static int sec_orders(ctx *x)
{
    json_t *arr = json_array();
    int rc;
    if (!arr || json_object_set_new(x->root, "orders", arr) != 0)
        return nomem(x);
    rc = bb_store_customer_orders(x->s, x->c->id, x->o->orders, 1, on_order, arr, x->err);
    return rc == BB_ENOMEM ? nomem(x) : rc;
}

static int on_consent(void *arg, const bb_consent_view *c)
{
    jb b = {json_object(), 0};
    put_str(&b, "channel", c->channel);
    put_str(&b, "status", c->status);
    put_str(&b, "source", c->source && *c->source ? c->source : NULL);
    put_time(&b, "recorded_at", c->recorded_at);
    return add_to(arg, &b);
}

/* Stops the history after its limit. */
typedef struct capped {
    json_t *arr;
    size_t left;
} capped;

static int on_consent_capped(void *arg, const bb_consent_view *c)
{
    capped *k = arg;
    if (k->left == 0)
        return 1;
    k->left--;
    return on_consent(k->arr, c);
}

static int sec_consents(ctx *x)
{
    json_t *cur = json_array(), *hist = json_array(), *o = json_object();
    capped k = {hist, x->o->consent_history};
    int rc;
    if (!cur || !hist || !o || json_object_set_new(o, "current", cur) ||
        json_object_set_new(o, "history", hist) || json_object_set_new(x->root, "consents", o)) {
        json_decref(o);
        return nomem(x);
    }
    if ((rc = bb_store_customer_consents(x->s, x->c->id, 1, on_consent, cur, x->err)) == 0)
        rc = bb_store_customer_consents(x->s, x->c->id, 0, on_consent_capped, &k, x->err);
    return rc == BB_ENOMEM ? nomem(x) : rc;
}

static int on_interaction(void *arg, const bb_interaction_view *v)
{
    jb b = {json_object(), 0};
    put_time(&b, "occurred_at", v->occurred_at);
    put_str(&b, "channel", v->channel);
    put_str(&b, "direction", v->direction);
    put_str(&b, "kind", v->kind);
    put_str(&b, "subject", v->subject);
    put_str(&b, "body", v->body);
    put(&b, "sentiment", v->has_sentiment ? json_real(v->sentiment) : json_null());
    return add_to(arg, &b);
}

static int sec_interactions(ctx *x)
{
    json_t *arr = json_array();
    int rc;
    if (!arr || json_object_set_new(x->root, "interactions", arr) != 0)
        return nomem(x);
    rc = bb_store_customer_interactions(x->s, x->c->id, x->o->interactions, on_interaction, arr, x->err);
    return rc == BB_ENOMEM ? nomem(x) : rc;
}

static int on_survey(void *arg, const bb_survey_view *v)
{
    jb b = {json_object(), 0};
    put_str(&b, "survey", v->survey);
    put_int(&b, "score", v->score);
    put_str(&b, "comment", v->comment);
    put_time(&b, "responded_at", v->responded_at);
    return add_to(arg, &b);
}

static int sec_surveys(ctx *x)
{
    json_t *arr = json_array();
    int rc;
    if (!arr || json_object_set_new(x->root, "survey_responses", arr) != 0)
        return nomem(x);
    rc = bb_store_customer_surveys(x->s, x->c->id, x->o->surveys, on_survey, arr, x->err);
    return rc == BB_ENOMEM ? nomem(x) : rc;
}

static int sec_scores(ctx *x)
{
    json_t *v = NULL;
    const char *cur =
        json_string_value(json_object_get(json_object_get(x->root, "order_summary"), "currency"));
    int rc = bb__profile_scores(x->s, x->c->id, cur, &v, x->err);
    if (rc == 0 && json_object_set_new(x->root, "scores", v) != 0)
        return nomem(x);
    return rc;
}

/* The view's sections, in order. */
static int (*const sections[])(ctx *x) = {
    sec_customer, sec_summary, sec_orders, sec_consents, sec_interactions, sec_surveys, sec_scores,
};

int bb_profile_json(bb_store *s, const char *ref, const char *id_kind, const bb_profile_opts *opts,
                    json_t **out, bb_error *err)
{
    bb_profile_opts o = opts ? *opts : (bb_profile_opts){0};
    bb_customer c;
    ctx x = {s, &c, &o, NULL, err};
    int rc;
    *out = NULL;
    o.orders = o.orders ? o.orders : 10;
    o.interactions = o.interactions ? o.interactions : 20;
    o.surveys = o.surveys ? o.surveys : 20;
    o.consent_history = o.consent_history ? o.consent_history : 50;
    memset(&c, 0, sizeof c);
    if ((rc = bb_store_read_begin(s, err)) != 0) /* one snapshot, one read lock for every section */
        return rc;
    if ((rc = bb_store_customer_get(s, ref, id_kind, &c, err)) != 0)
        goto done;
    if (!(x.root = json_object())) {
        rc = nomem(&x);
        goto done;
    }
    for (size_t i = 0; i < sizeof sections / sizeof *sections && rc == 0; i++)
        rc = sections[i](&x);
done:
    bb_store_read_end(s);
    bb_customer_release(&c);
    if (rc) {
        json_decref(x.root);
        return rc;
    }
    *out = x.root;
    return 0;
}
