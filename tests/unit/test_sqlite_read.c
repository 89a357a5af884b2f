/* test_sqlite_read.c: reading one customer back: profile and identifiers, order summary, orders with
 * lines newest first, consents (history and current), interactions, survey answers, order values. */
#include "store_fixture.h"

#define T0 1735689600 /* 2025-01-01 00:00:00 UTC */
#define DAY 86400

static void fill(fx *f)
{
    bb_ident card = {"card", "LC-1"};
    bb_customer_rec c = {.customer_id = "1", .first_name = "Ayşe", .last_name = "Işık",
                         .email = "ayse@example.com", .phone = "05321234567", .city = "İstanbul",
                         .birth_date = "1990-04-01", .gender = "F", .created_at = T0,
                         .attributes_json = "{\"tier\":\"gold\"}", .idents = &card, .n_idents = 1};
    bb_product_rec p = {.sku = "TEA", .name = "Çay", .category = "içecek", .cost_minor = 100,
                        .has_cost = 1};
    fx_begin(f);
    fx_put_customer(f, &c, NULL);
    fx_put_product(f, &p, NULL);
    for (int i = 0; i < 12; i++) { /* 12 orders, one a day, each of i+1 lines of 2 x 2.50 */
        char oid[16];
        snprintf(oid, sizeof oid, "O%02d", i);
        for (int k = 1; k <= i + 1; k++) {
            bb_order_line_rec l = {.order_id = oid, .customer_ref = "1", .ordered_at = T0 + i * DAY,
                                   .sku = "TEA", .quantity = 2, .unit_price_minor = 250, .line_no = k};
            fx_put_order_line(f, &l, NULL);
        }
    }
    bb_order_rec ret = {.order_id = "R1", .customer_ref = "ayse@example.com", .ordered_at = T0 + 20 * DAY,
                        .amount_minor = -500, .has_amount = 1, .channel = "store"};
    fx_put_order(f, &ret, NULL);
    const char *status[] = {"granted", "revoked", "granted"};
    for (int i = 0; i < 3; i++) {
        bb_consent_rec k = {.customer_ref = "1", .channel = "email", .status = status[i],
                            .source = "web", .recorded_at = T0 + i * DAY};
        fx_put_consent(f, &k, NULL);
    }
    bb_consent_rec sms = {.customer_ref = "1", .channel = "sms", .status = "revoked",
                          .recorded_at = T0 + 5 * DAY};
    fx_put_consent(f, &sms, NULL);
    for (int i = 0; i < 30; i++) {
        bb_interaction_rec it = {.customer_ref = "card:LC-1", .occurred_at = T0 + i * 3600,
                                 .channel = "email", .direction = i % 2 ? "in" : "out",
                                 .kind = "message", .subject = i == 29 ? "son" : NULL};
        fx_put_interaction(f, &it, NULL);
    }
    bb_survey_rec sv = {.customer_ref = "1", .survey = "nps", .score = 9, .comment = "iyi",
                        .responded_at = T0 + DAY};
    fx_put_survey(f, &sv, NULL);
    sv.score = 3;
    sv.comment = NULL;
    sv.responded_at = T0 + 2 * DAY;
    fx_put_survey(f, &sv, NULL);
    fx_commit(f);
}

static void customer(void **state)
{
    fx *f = *state;
    bb_customer c;
    bb_error err = {0};
    fill(f);
    assert_int_equal(bb_store_customer_get(f->s, "0532 123 45 67", NULL, &c, &err), 0);
    assert_string_equal(c.external_id, "1");
    assert_string_equal(c.first_name, "Ayşe");
    assert_string_equal(c.email, "ayse@example.com");
    assert_string_equal(c.phone, "+905321234567");
    assert_string_equal(c.birth_date, "1990-04-01");
    assert_string_equal(c.attributes_json, "{\"tier\":\"gold\"}");
    assert_int_equal(c.created_at, T0);
    assert_int_equal(c.n_idents, 4); /* card, email, id, phone */
    assert_string_equal(c.idents[0].kind, "card");
    assert_string_equal(c.idents[0].value, "LC-1");
    assert_string_equal(c.idents[2].kind, "id");
    assert_int_equal(c.n_merged_from, 0);
    bb_customer_release(&c);
    bb_customer_release(&c); /* twice is harmless */
    assert_int_equal(bb_store_customer_get(f->s, "nobody", NULL, &c, &err), BB_ENOTFOUND);
    bb_customer_release(&c);
    assert_int_equal(bb_store_customer_get_id(f->s, 999, &c, &err), BB_ENOTFOUND);
    bb_customer_release(&c);
}

static void summary(void **state)
{
    fx *f = *state;
    bb_order_summary s;
    fill(f);
    assert_int_equal(bb_store_order_summary(f->s, fx_resolve(f, "1", NULL), &s, NULL), 0);
    assert_int_equal(s.count, 13);
    assert_int_equal(s.first_order_at, T0);
    assert_int_equal(s.last_order_at, T0 + 20 * DAY);
    /* orders i = 0..11 of i+1 lines of 500: 500 * 78 = 39000; the return -500 */
    assert_int_equal(s.revenue_minor, 39000 - 500);
    /* margins: each line 500 - 2 * 100 = 300, 78 lines; the return has no lines: no margin */
    assert_int_equal(s.margin_minor, 300 * 78);
    assert_int_equal(s.margin_orders, 12);
    assert_string_equal(s.currency, "TRY");
    assert_int_equal(bb_store_order_summary(f->s, 12345, &s, NULL), 0);
    assert_int_equal(s.count, 0);
    assert_int_equal(s.first_order_at, 0);
}

typedef struct seen {
    int n;
    char ids[32][16];
    size_t lines[32];
    int64_t last_total;
    int stop_after;
} seen;

static int on_order(void *ctx, const bb_order_view *o)
{
    seen *s = ctx;
    snprintf(s->ids[s->n], sizeof s->ids[0], "%s", o->order_id);
    s->lines[s->n] = o->n_lines;
    if (o->n_lines)
        s->last_total = o->lines[o->n_lines - 1].total_minor;
    if (o->n_lines) {
        assert_string_equal(o->lines[0].sku, "TEA");
        assert_string_equal(o->lines[0].product_name, "Çay");
        assert_string_equal(o->lines[0].category, "içecek");
        assert_int_equal(o->lines[o->n_lines - 1].line_no, (int)o->n_lines);
    }
    assert_string_equal(o->customer_ref, "1");
    s->n++;
    return s->stop_after && s->n >= s->stop_after ? 1 : 0;
}

static void orders(void **state)
{
    fx *f = *state;
    seen s = {0};
    int64_t id;
    fill(f);
    id = fx_resolve(f, "1", NULL);
    assert_int_equal(bb_store_customer_orders(f->s, id, 10, 1, on_order, &s, NULL), 0);
    assert_int_equal(s.n, 10);
    assert_string_equal(s.ids[0], "R1"); /* newest first */
    assert_int_equal(s.lines[0], 0);
    assert_string_equal(s.ids[1], "O11");
    assert_int_equal(s.lines[1], 12);
    assert_int_equal(s.last_total, 500);
    assert_string_equal(s.ids[9], "O03");
    memset(&s, 0, sizeof s);
    assert_int_equal(bb_store_customer_orders(f->s, id, 0, 0, on_order, &s, NULL), 0);
    assert_int_equal(s.n, 13);
    assert_int_equal(s.lines[1], 0); /* no lines asked for */
    memset(&s, 0, sizeof s);
    s.stop_after = 2; /* a callback that stops is not an error */
    assert_int_equal(bb_store_customer_orders(f->s, id, 0, 1, on_order, &s, NULL), 0);
    assert_int_equal(s.n, 2);
}

static int fail_cb(void *ctx, const bb_order_view *o)
{
    (void)ctx, (void)o;
    return BB_EIO;
}

static void callback_errors_pass_through(void **state)
{
    fx *f = *state;
    fill(f);
    assert_int_equal(bb_store_customer_orders(f->s, fx_resolve(f, "1", NULL), 0, 1, fail_cb, NULL,
                                              NULL), BB_EIO);
}

typedef struct cons {
    int n;
    char what[8][32];
} cons;

static int on_consent(void *ctx, const bb_consent_view *c)
{
    cons *k = ctx;
    snprintf(k->what[k->n++], sizeof k->what[0], "%s %s", c->channel, c->status);
    return 0;
}

static void consents(void **state)
{
    fx *f = *state;
    cons k = {0};
    fill(f);
    int64_t id = fx_resolve(f, "1", NULL);
    assert_int_equal(bb_store_customer_consents(f->s, id, 0, on_consent, &k, NULL), 0);
    assert_int_equal(k.n, 4);
    assert_string_equal(k.what[0], "sms revoked");
    assert_string_equal(k.what[1], "email granted");
    assert_string_equal(k.what[2], "email revoked");
    memset(&k, 0, sizeof k);
    assert_int_equal(bb_store_customer_consents(f->s, id, 1, on_consent, &k, NULL), 0);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.what[0], "sms revoked");
    assert_string_equal(k.what[1], "email granted");
}

static int on_interaction(void *ctx, const bb_interaction_view *v)
{
    int *n = ctx;
    if (*n == 0) {
        assert_int_equal(v->occurred_at, T0 + 29 * 3600);
        assert_string_equal(v->subject, "son");
        assert_string_equal(v->direction, "in");
    } else {
        assert_null(v->subject);
    }
    (*n)++;
    return 0;
}

static int on_survey(void *ctx, const bb_survey_view *v)
{
    int *n = ctx;
    if ((*n)++ == 0) {
        assert_int_equal(v->score, 3);
        assert_null(v->comment);
    } else {
        assert_string_equal(v->comment, "iyi");
    }
    return 0;
}

static void interactions_and_surveys(void **state)
{
    fx *f = *state;
    int n = 0;
    fill(f);
    int64_t id = fx_resolve(f, "1", NULL);
    assert_int_equal(bb_store_customer_interactions(f->s, id, 20, on_interaction, &n, NULL), 0);
    assert_int_equal(n, 20);
    n = 0;
    assert_int_equal(bb_store_customer_surveys(f->s, id, 0, on_survey, &n, NULL), 0);
    assert_int_equal(n, 2);
}

typedef struct vals {
    int n;
    int64_t prev_cust, prev_at, sum;
} vals;

static int on_value(void *ctx, const bb_order_value *v)
{
    vals *x = ctx;
    assert_true(v->customer_id > x->prev_cust ||
                (v->customer_id == x->prev_cust && v->ordered_at >= x->prev_at));
    x->prev_cust = v->customer_id;
    x->prev_at = v->ordered_at;
    x->sum += v->amount_minor;
    x->n++;
    return 0;
}

static void order_values(void **state)
{
    fx *f = *state;
    vals v = {0};
    fill(f);
    /* a second customer whose orders come in out of time order */
    for (int i = 0; i < 5; i++) {
        char oid[8];
        snprintf(oid, sizeof oid, "B%d", i);
        bb_order_rec o = {.order_id = oid, .customer_ref = "2", .ordered_at = T0 + (5 - i) * DAY,
                          .amount_minor = 100, .has_amount = 1};
        fx_put_order(f, &o, NULL);
    }
    assert_int_equal(bb_store_order_values(f->s, 0, on_value, &v, NULL), 0);
    assert_int_equal(v.n, 18);
    assert_int_equal(v.sum, 39000 - 500 + 500);
    memset(&v, 0, sizeof v);
    assert_int_equal(bb_store_order_values(f->s, fx_resolve(f, "2", NULL), on_value, &v, NULL), 0);
    assert_int_equal(v.n, 5);
}

static int on_order_any(void *ctx, const bb_order_view *o)
{
    seen *s = ctx;
    assert_string_equal(o->order_id, "P1");
    assert_int_equal(o->amount_minor, 700);
    assert_int_equal(o->n_lines, 1);
    s->n++;
    return 0;
}

/* Reads see what was just written in the same transaction (the write-behind flushes first). */
static void reads_see_pending_writes(void **state)
{
    fx *f = *state;
    seen s = {0};
    fx_begin(f);
    bb_order_line_rec l = {.order_id = "P1", .customer_ref = "9", .ordered_at = T0, .sku = "X",
                           .quantity = 1, .unit_price_minor = 700, .line_no = 1};
    fx_put_order_line(f, &l, NULL);
    int64_t id = fx_resolve(f, "9", NULL);
    assert_int_equal(bb_store_customer_orders(f->s, id, 0, 1, on_order_any, &s, NULL), 0);
    assert_int_equal(s.n, 1);
    fx_commit(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(customer, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(summary, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(orders, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(callback_errors_pass_through, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(consents, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(interactions_and_surveys, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(order_values, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(reads_see_pending_writes, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
