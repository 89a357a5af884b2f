/* demo.c: the demo generator's driver: options, the run's context (names, catalogue, campaigns),
 * person by person into the sink with a running summary, and the sink that writes to the store in
 * batched transactions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo_internal.h"

/* Customer records per transaction: fewer commits write each hot index page (emails, phones, sort
 * keys) fewer times (demo 400k with the bulk page cache: 2,000 -> 20,000, wall 143 s -> 109 s). */
#define STORE_BATCH 20000

void bb_demo_options_init(bb_demo_options *o)
{
    memset(o, 0, sizeof *o);
    o->customers = BB_DEMO_DEFAULT_CUSTOMERS;
    o->seed = 1;
    o->end = BB_DEMO_DEFAULT_END;
}

void bb_demo_planted_get(bb_demo_planted *out)
{
    out->r = BB_DEMO_BGNBD_R;
    out->alpha = BB_DEMO_BGNBD_ALPHA;
    out->a = BB_DEMO_BGNBD_A;
    out->b = BB_DEMO_BGNBD_B;
    out->p = BB_DEMO_GG_P;
    out->q = BB_DEMO_GG_Q;
    out->gamma = BB_DEMO_GG_GAMMA;
}

void bb__demo_ctx_release(bb__demo_ctx *ctx)
{
    bb__catalog_release(&ctx->catalog);
    free(ctx->campaigns);
    ctx->campaigns = NULL;
}

int bb__demo_ctx_init(bb__demo_ctx *ctx, const bb_demo_options *o, bb_error *err)
{
    int rc;
    memset(ctx, 0, sizeof *ctx);
    ctx->seed = o->seed;
    ctx->end = o->end;
    ctx->start = bb__demo_start(o->end);
    ctx->email_mod = 10000;
    while (ctx->email_mod < o->customers)
        ctx->email_mod *= 10;
    bb__demo_names_init(&ctx->names);
    rc = bb__catalog_build(&ctx->catalog, o->seed, err);
    if (!rc)
        rc = bb__campaigns_build(ctx->start, ctx->end, &ctx->campaigns, &ctx->n_campaigns, err);
    if (rc)
        bb__demo_ctx_release(ctx);
    return rc;
}

static int emit_products(const bb__demo_ctx *ctx, const bb_demo_sink *sink, bb_error *err)
{
    for (int i = 0; i < ctx->catalog.n_products && sink->product; i++) {
        const bb__product *p = &ctx->catalog.products[i];
        bb_product_rec r = {0};
        int rc;
        r.sku = p->sku;
        r.name = p->name;
        r.category = ctx->catalog.categories[p->category].name;
        r.price_minor = p->price_minor;
        r.cost_minor = p->cost_minor;
        r.has_price = r.has_cost = 1;
        memcpy(r.currency, "TRY", 4);
        if ((rc = sink->product(sink->ctx, &r, err)) != 0)
            return rc;
    }
    return 0;
}

static int emit_orders(const bb__demo_ctx *ctx, const bb__person *p, int owner, const bb_demo_sink *sink,
                       bb_demo_summary *sum, bb_error *err)
{
    const bb__order *os = p->orders.data;
    const bb__line *ls = p->lines.data;
    const char *ref = p->rec[owner].id;
    char id[32];
    int rc;
    for (size_t i = 0; i < p->orders.len; i++) {
        const bb__order *o = &os[i];
        bb_order_rec r = {0};
        if (o->owner != owner)
            continue;
        snprintf(id, sizeof id, o->return_of < 0 ? "O%09llu" : "O%09llu-R", (unsigned long long)o->number);
        r.order_id = id;
        r.customer_ref = ref;
        r.ordered_at = o->at;
        r.amount_minor = o->amount_minor;
        r.has_amount = 1;
        memcpy(r.currency, "TRY", 4);
        r.channel = bb__channel_names[o->channel];
        if (sink->order && (rc = sink->order(sink->ctx, &r, err)) != 0)
            return rc;
        for (uint32_t k = 0; k < o->n_lines; k++) {
            const bb__line *l = &ls[o->first_line + k];
            const bb__product *pr = &ctx->catalog.products[l->product];
            bb_order_line_rec lr = {0};
            lr.order_id = id;
            lr.customer_ref = ref;
            lr.ordered_at = o->at;
            lr.sku = pr->sku;
            lr.quantity = (double)l->qty;
            lr.unit_price_minor = pr->price_minor;
            memcpy(lr.currency, "TRY", 4);
            lr.line_no = (int)k + 1;
            if (sink->order_line && (rc = sink->order_line(sink->ctx, &lr, err)) != 0)
                return rc;
        }
        sum->orders++;
        sum->order_lines += o->n_lines;
        sum->margin_minor += o->amount_minor - o->cost_minor;
        if (o->return_of >= 0) {
            sum->returns++;
            sum->returns_minor += o->amount_minor;
        } else {
            sum->revenue_minor += o->amount_minor;
        }
        if (sum->first_order_at == 0 || o->at < sum->first_order_at)
            sum->first_order_at = o->at;
        if (o->at > sum->last_order_at)
            sum->last_order_at = o->at;
    }
    return 0;
}

static int emit_record(const bb__demo_ctx *ctx, const bb__person *p, int owner, const bb_demo_sink *sink,
                       bb_demo_summary *sum, bb_error *err)
{
    const bb__record *r = &p->rec[owner];
    bb_customer_rec c = {0};
    bb_ident card = {"card", r->card};
    int rc = 0, has_orders = 0;

    c.customer_id = r->id;
    c.first_name = r->first;
    c.last_name = r->last;
    c.email = r->email[0] ? r->email : NULL;
    c.phone = r->phone[0] ? r->phone : NULL;
    c.city = r->city;
    c.birth_date = r->birth[0] ? r->birth : NULL;
    c.gender = r->gender;
    c.created_at = r->signup;
    c.attributes_json = r->attributes;
    if (r->card[0]) {
        c.idents = &card;
        c.n_idents = 1;
    }
    if (sink->customer && (rc = sink->customer(sink->ctx, &c, err)) != 0)
        return rc;
    sum->customers++;
    sum->duplicates += owner == 1;

    for (size_t i = 0; i < p->consents.len; i++) {
        const bb__consent *x = (const bb__consent *)p->consents.data + i;
        bb_consent_rec cr = {0};
        if (x->owner != owner)
            continue;
        cr.customer_ref = r->id;
        cr.channel = x->channel;
        cr.status = x->status;
        cr.source = x->source;
        cr.recorded_at = x->at;
        if (sink->consent && (rc = sink->consent(sink->ctx, &cr, err)) != 0)
            return rc;
        sum->consents++;
        if (strcmp(x->status, "granted") == 0)
            sum->consents_granted++;
        else
            sum->consents_revoked++;
    }
    for (size_t i = 0; i < p->orders.len; i++)
        has_orders |= ((const bb__order *)p->orders.data)[i].owner == owner;
    sum->buyers += has_orders;
    if ((rc = emit_orders(ctx, p, owner, sink, sum, err)) != 0)
        return rc;
    for (size_t i = 0; i < p->interactions.len; i++) {
        const bb__interaction *x = (const bb__interaction *)p->interactions.data + i;
        bb_interaction_rec ir = {0};
        if (x->owner != owner)
            continue;
        ir.customer_ref = r->id;
        ir.occurred_at = x->at;
        ir.channel = x->channel;
        ir.direction = x->direction;
        ir.kind = x->kind;
        ir.subject = x->subject;
        ir.body = x->body;
        if (sink->interaction && (rc = sink->interaction(sink->ctx, &ir, err)) != 0)
            return rc;
        sum->interactions++;
        if (x->direction[0] == 'i')
            sum->interactions_in++;
        else
            sum->interactions_out++;
    }
    for (size_t i = 0; i < p->surveys.len; i++) {
        const bb__survey *x = (const bb__survey *)p->surveys.data + i;
        bb_survey_rec sr = {0};
        if (x->owner != owner)
            continue;
        sr.customer_ref = r->id;
        sr.survey = x->survey;
        sr.score = x->score;
        sr.comment = x->comment;
        sr.responded_at = x->at;
        if (sink->survey && (rc = sink->survey(sink->ctx, &sr, err)) != 0)
            return rc;
        sum->survey_responses++;
        if (strcmp(x->survey, "nps") == 0)
            sum->nps_responses++;
        else
            sum->csat_responses++;
    }
    if (sink->end_customer)
        rc = sink->end_customer(sink->ctx, err);
    return rc;
}

int bb_demo_generate(const bb_demo_options *o, const bb_demo_sink *sink, bb_demo_summary *summary,
                     bb_error *err)
{
    bb__demo_ctx ctx;
    bb__person person;
    bb_demo_summary sum = {0};
    uint64_t made = 0, next_order = 1, next_dup = 1, index = 0;
    int rc;

    if ((rc = bb_demo_options_check(o, err)) != 0)
        return rc;
    if ((rc = bb__demo_ctx_init(&ctx, o, err)) != 0)
        return rc;
    bb__person_init(&person);
    sum.seed = o->seed;
    sum.start = ctx.start;
    sum.end = ctx.end;
    sum.products = ctx.catalog.n_products;
    sum.categories = ctx.catalog.n_categories;
    bb_demo_planted_get(&sum.planted);
    if ((rc = emit_products(&ctx, sink, err)) != 0)
        goto done;
    while (made < o->customers) {
        int want_dup = o->customers - made >= 2;
        if ((rc = bb__person_make(&ctx, index, want_dup, &next_order, &next_dup, &person, err)) != 0)
            goto done;
        if ((rc = bb__person_engage(&ctx, &person, err)) != 0)
            goto done;
        for (int owner = 0; owner <= person.has_dup; owner++)
            if ((rc = emit_record(&ctx, &person, owner, sink, &sum, err)) != 0)
                goto done;
        made += 1 + (uint64_t)person.has_dup;
        index++;
        if (o->progress && (made % 64 < 2 || made == o->customers))
            o->progress(o->progress_ctx, made, o->customers);
    }
done:
    bb__person_release(&person);
    bb__demo_ctx_release(&ctx);
    if (summary)
        *summary = sum;
    return rc;
}

/* ---- the store as a sink ---- */

typedef struct store_sink {
    bb_store *s;
    int in_batch;
    bb_put_stats stats;
} store_sink;

#define PUT(kind, rec_t)                                                                            \
    static int put_##kind(void *ctx, const rec_t *r, bb_error *err)                                 \
    {                                                                                               \
        store_sink *ss = ctx;                                                                       \
        bb_put_result res;                                                                          \
        return bb_store_put_##kind(ss->s, r, &res, &ss->stats, err);                                \
    }
PUT(product, bb_product_rec)
PUT(customer, bb_customer_rec)
PUT(consent, bb_consent_rec)
PUT(order, bb_order_rec)
PUT(order_line, bb_order_line_rec)
PUT(interaction, bb_interaction_rec)
PUT(survey, bb_survey_rec)
#undef PUT

static int store_end_customer(void *ctx, bb_error *err)
{
    store_sink *ss = ctx;
    int rc;
    if (++ss->in_batch < STORE_BATCH)
        return 0;
    ss->in_batch = 0;
    if ((rc = bb_store_commit(ss->s, err)) != 0)
        return rc;
    return bb_store_begin(ss->s, err);
}

int bb_demo_to_store(bb_store *s, const bb_demo_options *o, bb_demo_summary *summary, bb_error *err)
{
    store_sink ss = {.s = s};
    bb_demo_sink sink = {
        .ctx = &ss,
        .product = put_product,
        .customer = put_customer,
        .consent = put_consent,
        .order = put_order,
        .order_line = put_order_line,
        .interaction = put_interaction,
        .survey = put_survey,
        .end_customer = store_end_customer,
    };
    bb_store_status st;
    int rc;
    if ((rc = bb_store_status_get(s, &st, err)) != 0)
        return rc;
    if (st.customers > 0)
        return bb_error_set(err, BB_ECONFLICT,
                            "%s already holds %lld customers; the demo fills an empty database "
                            "(give another --db)",
                            st.path, (long long)st.customers);
    if ((rc = bb_store_bulk(s, BB_STORE_BULK_LOAD, err)) != 0) /* the sink only writes */
        return rc;
    if ((rc = bb_store_begin(s, err)) == 0) {
        rc = bb_demo_generate(o, &sink, summary, err);
        if (rc == 0)
            rc = bb_store_commit(s, err);
        else
            bb_store_rollback(s);
    }
    if (bb_store_bulk(s, 0, rc ? NULL : err) != 0 && rc == 0)
        rc = err ? err->code : BB_EDB;
    return rc;
}
