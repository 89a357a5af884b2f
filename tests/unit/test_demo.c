/* test_demo.c: the generator through its sink: exactly N customer records, records in the promised
 * order and consistent with each other (every order after its customer's registration and before the
 * end, amounts the sum of their lines, returns after what they return), a summary that counts what
 * the sink saw, byte-identical output for the same options and different output for another seed,
 * and errors for bad options and from the sink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "birebir/demo.h"

typedef struct seen {
    uint64_t hash;
    int64_t customers, products, orders, returns, lines, interactions, consents, surveys, ends;
    int64_t end;
    int64_t revenue, returns_minor;
    /* the current customer */
    char id[32];
    int64_t signup;
    int open; /* 1 between a customer and its end_customer */
    /* the current order */
    char order_id[40];
    int64_t order_amount, order_sum, order_at;
    int order_lines, expected_line;
    char last_purchase[40];
    int fail_at_order; /* > 0: the sink fails on that order */
    char skus[400][16];
    int n_skus;
} seen;

/* FNV-1a over everything the sink is given. */
static void mix(seen *s, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        s->hash ^= b[i];
        s->hash *= 0x100000001b3ULL;
    }
}
static void mix_s(seen *s, const char *str)
{
    mix(s, str ? str : "\1", str ? strlen(str) + 1 : 1);
}
static void mix_i(seen *s, int64_t v)
{
    mix(s, &v, sizeof v);
}

static void close_order(seen *s)
{
    if (s->order_id[0]) {
        assert_true(s->order_sum == s->order_amount);
        assert_true(s->order_lines >= 1);
    }
    s->order_id[0] = '\0';
}

static int on_product(void *ctx, const bb_product_rec *r, bb_error *err)
{
    seen *s = ctx;
    (void)err;
    assert_int_equal(s->customers, 0); /* products come first */
    assert_true(r->has_price && r->has_cost && r->price_minor > r->cost_minor);
    assert_string_equal(r->currency, "TRY");
    assert_true(s->n_skus < 400);
    memcpy(s->skus[s->n_skus++], r->sku, strlen(r->sku) + 1);
    mix_s(s, r->sku), mix_s(s, r->name), mix_s(s, r->category), mix_i(s, r->price_minor), mix_i(s, r->cost_minor);
    s->products++;
    return 0;
}

static int on_customer(void *ctx, const bb_customer_rec *r, bb_error *err)
{
    seen *s = ctx;
    json_t *attrs;
    (void)err;
    assert_false(s->open);
    s->open = 1;
    snprintf(s->id, sizeof s->id, "%s", r->customer_id);
    s->signup = r->created_at;
    assert_true(r->customer_id[0] == 'C' || r->customer_id[0] == 'M');
    assert_null(r->id_kind);
    assert_true(r->created_at > 0 && r->created_at < s->end);
    assert_non_null(r->first_name);
    assert_non_null(r->last_name);
    assert_true(r->email || r->phone);
    attrs = json_loads(r->attributes_json, 0, NULL);
    assert_true(json_is_object(attrs));
    assert_true(json_is_string(json_object_get(attrs, "acquisition_channel")));
    json_decref(attrs);
    mix_s(s, r->customer_id), mix_s(s, r->first_name), mix_s(s, r->last_name), mix_s(s, r->email);
    mix_s(s, r->phone), mix_s(s, r->city), mix_s(s, r->birth_date), mix_s(s, r->gender);
    mix_i(s, r->created_at), mix_s(s, r->attributes_json);
    for (size_t i = 0; i < r->n_idents; i++)
        mix_s(s, r->idents[i].kind), mix_s(s, r->idents[i].value);
    s->customers++;
    return 0;
}

static void check_ref(seen *s, const char *ref, int64_t at)
{
    assert_true(s->open);
    assert_string_equal(ref, s->id);
    assert_true(at >= s->signup && at < s->end);
}

static int on_consent(void *ctx, const bb_consent_rec *r, bb_error *err)
{
    seen *s = ctx;
    (void)err;
    check_ref(s, r->customer_ref, r->recorded_at);
    assert_true(strcmp(r->status, "granted") == 0 || strcmp(r->status, "revoked") == 0);
    mix_s(s, r->channel), mix_s(s, r->status), mix_s(s, r->source), mix_i(s, r->recorded_at);
    s->consents++;
    return 0;
}

static int on_order(void *ctx, const bb_order_rec *r, bb_error *err)
{
    seen *s = ctx;
    size_t n = strlen(r->order_id);
    close_order(s);
    check_ref(s, r->customer_ref, r->ordered_at);
    assert_true(r->has_amount);
    assert_string_equal(r->currency, "TRY");
    assert_true(strcmp(r->channel, "web") == 0 || strcmp(r->channel, "mobile_app") == 0 ||
                strcmp(r->channel, "store") == 0);
    if (n > 2 && strcmp(r->order_id + n - 2, "-R") == 0) {
        /* A return: negative, after a purchase of the same number of this customer. */
        assert_true(r->amount_minor < 0);
        s->returns++;
        s->returns_minor += r->amount_minor;
    } else {
        assert_true(r->amount_minor > 0);
        snprintf(s->last_purchase, sizeof s->last_purchase, "%s", r->order_id);
        s->revenue += r->amount_minor;
    }
    snprintf(s->order_id, sizeof s->order_id, "%s", r->order_id);
    s->order_amount = r->amount_minor;
    s->order_at = r->ordered_at;
    s->order_sum = 0;
    s->order_lines = 0;
    s->expected_line = 1;
    mix_s(s, r->order_id), mix_i(s, r->ordered_at), mix_i(s, r->amount_minor), mix_s(s, r->channel);
    s->orders++;
    if (s->fail_at_order && s->orders == s->fail_at_order)
        return bb_error_set(err, BB_EDB, "the sink is full");
    return 0;
}

static int on_line(void *ctx, const bb_order_line_rec *r, bb_error *err)
{
    seen *s = ctx;
    int known = 0;
    (void)err;
    assert_string_equal(r->order_id, s->order_id);
    assert_string_equal(r->customer_ref, s->id);
    assert_true(r->ordered_at == s->order_at);
    assert_int_equal(r->line_no, s->expected_line);
    s->expected_line++;
    assert_true(r->quantity != 0.0 && (r->quantity > 0) == (s->order_amount > 0));
    for (int i = 0; i < s->n_skus && !known; i++)
        known = strcmp(s->skus[i], r->sku) == 0;
    assert_true(known);
    s->order_sum += (int64_t)r->quantity * r->unit_price_minor;
    s->order_lines++;
    mix_s(s, r->sku), mix_i(s, (int64_t)r->quantity), mix_i(s, r->unit_price_minor);
    s->lines++;
    return 0;
}

static int on_interaction(void *ctx, const bb_interaction_rec *r, bb_error *err)
{
    seen *s = ctx;
    (void)err;
    close_order(s);
    check_ref(s, r->customer_ref, r->occurred_at);
    mix_s(s, r->channel), mix_s(s, r->direction), mix_s(s, r->kind), mix_s(s, r->subject), mix_s(s, r->body);
    mix_i(s, r->occurred_at);
    s->interactions++;
    return 0;
}

static int on_survey(void *ctx, const bb_survey_rec *r, bb_error *err)
{
    seen *s = ctx;
    (void)err;
    close_order(s);
    check_ref(s, r->customer_ref, r->responded_at);
    mix_s(s, r->survey), mix_i(s, r->score), mix_s(s, r->comment), mix_i(s, r->responded_at);
    s->surveys++;
    return 0;
}

static int on_end(void *ctx, bb_error *err)
{
    seen *s = ctx;
    (void)err;
    close_order(s);
    assert_true(s->open);
    s->open = 0;
    s->ends++;
    return 0;
}

static bb_demo_sink sink_of(seen *s)
{
    bb_demo_sink k = {s, on_product, on_customer, on_consent, on_order, on_line, on_interaction, on_survey, on_end};
    return k;
}

static void run(seen *s, uint64_t customers, uint64_t seed, bb_demo_summary *sum)
{
    bb_demo_options o;
    bb_demo_sink k = sink_of(s);
    bb_error err = {0};
    bb_demo_options_init(&o);
    o.customers = customers;
    o.seed = seed;
    s->hash = 0xcbf29ce484222325ULL;
    s->end = o.end;
    assert_int_equal(bb_demo_generate(&o, &k, sum, &err), 0);
}

static void counts_and_summary(void **state)
{
    (void)state;
    seen *s = calloc(1, sizeof *s);
    bb_demo_summary sum;
    assert_non_null(s);
    run(s, 2000, 7, &sum);
    assert_int_equal(s->customers, 2000);
    assert_int_equal(s->ends, 2000);
    assert_true(s->orders > 4000); /* the acceptance contract: demo --customers 2000 --seed 7 */
    assert_true(sum.customers == s->customers && sum.orders == s->orders && sum.order_lines == s->lines);
    assert_true(sum.returns == s->returns && sum.interactions == s->interactions);
    assert_true(sum.consents == s->consents && sum.survey_responses == s->surveys);
    assert_true(sum.products == s->products && sum.revenue_minor == s->revenue);
    assert_true(sum.returns_minor == s->returns_minor);
    assert_true(sum.interactions_in + sum.interactions_out == sum.interactions);
    assert_true(sum.nps_responses + sum.csat_responses == sum.survey_responses);
    assert_true(sum.consents_granted + sum.consents_revoked == sum.consents);
    assert_true(sum.duplicates > 10 && sum.duplicates < 100);
    assert_true(sum.buyers > 1700 && sum.buyers < 2000);
    assert_true(sum.first_order_at >= sum.start && sum.last_order_at < sum.end);
    assert_true(sum.end == BB_DEMO_DEFAULT_END && sum.start == 1698796800);
    assert_true(sum.returns > 0 && sum.returns < sum.orders / 10);
    assert_true(sum.margin_minor > 0 && sum.margin_minor < sum.revenue_minor);
    assert_true(sum.planted.r == BB_DEMO_BGNBD_R && sum.planted.gamma == BB_DEMO_GG_GAMMA);
    /* An odd count ending where the last person would have had a duplicate is still exact. */
    for (uint64_t n = 1; n <= 60; n++) {
        memset(s, 0, sizeof *s);
        run(s, n, 5, &sum);
        assert_true(s->customers == (int64_t)n);
    }
    free(s);
}

static void deterministic(void **state)
{
    (void)state;
    seen *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b), *c = calloc(1, sizeof *c);
    assert_true(a && b && c);
    run(a, 1500, 7, NULL);
    run(b, 1500, 7, NULL);
    run(c, 1500, 8, NULL);
    assert_true(a->hash == b->hash && a->orders == b->orders);
    assert_true(a->hash != c->hash);
    free(a);
    free(b);
    free(c);
}

static void bad_options_and_sink_errors(void **state)
{
    (void)state;
    seen *s = calloc(1, sizeof *s);
    bb_demo_options o;
    bb_demo_sink k = sink_of(s);
    bb_demo_sink empty = {0};
    bb_demo_summary sum;
    bb_error err = {0};
    assert_non_null(s);
    bb_demo_options_init(&o);
    o.customers = 0;
    assert_int_equal(bb_demo_generate(&o, &k, NULL, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "customers"));
    o.customers = 10;
    o.end += 3600; /* not a midnight */
    assert_int_equal(bb_demo_generate(&o, &k, NULL, &err), BB_EINVAL);
    /* The sink's error stops the run and comes back as it was. */
    bb_demo_options_init(&o);
    o.customers = 100;
    s->end = o.end;
    s->fail_at_order = 50;
    assert_int_equal(bb_demo_generate(&o, &k, NULL, &err), BB_EDB);
    assert_string_equal(err.msg, "the sink is full");
    assert_int_equal(s->orders, 50);
    /* A sink that takes nothing still gets a summary. */
    assert_int_equal(bb_demo_generate(&o, &empty, &sum, &err), 0);
    assert_true(sum.customers == 100 && sum.orders > 200);
    free(s);
}

/* Into a real store: the counts it reports are the summary's; a second run is refused. */
static void into_the_store(void **state)
{
    (void)state;
    char dir[] = "/tmp/bb-test-demo-XXXXXX", path[64], side[80];
    bb_store *st = NULL;
    bb_store_status status;
    bb_demo_options o;
    bb_demo_summary sum;
    bb_error err = {0};
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/d.db", dir);
    assert_int_equal(bb_store_open(path, BB_STORE_CREATE, &st, &err), 0);
    bb_demo_options_init(&o);
    o.customers = 2500; /* more than one transaction */
    o.seed = 4;
    if (bb_demo_to_store(st, &o, &sum, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(bb_store_status_get(st, &status, &err), 0);
    assert_true(status.customers == sum.customers && status.customers == 2500);
    assert_true(status.products == sum.products && status.orders == sum.orders);
    assert_true(status.order_lines == sum.order_lines && status.interactions == sum.interactions);
    assert_true(status.consents == sum.consents && status.survey_responses == sum.survey_responses);
    assert_int_equal(bb_demo_to_store(st, &o, &sum, &err), BB_ECONFLICT);
    assert_non_null(strstr(err.msg, "already holds 2500 customers"));
    bb_store_close(st);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_and_summary),
        cmocka_unit_test(deterministic),
        cmocka_unit_test(bad_options_and_sink_errors),
        cmocka_unit_test(into_the_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
