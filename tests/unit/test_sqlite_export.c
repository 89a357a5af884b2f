/* test_sqlite_export.c: export yields the records the puts take: putting an export into a fresh store
 * and exporting again gives the same records, and putting it back into the store it came from
 * changes nothing. */
#include "birebir/buf.h"
#include "store_fixture.h"

#define T0 1735689600

static void fill(fx *f)
{
    bb_ident extra[] = {{"card", "LC-9"}, {"email", "old@example.com"}};
    bb_customer_rec c1 = {.customer_id = "1", .first_name = "Ayşe", .last_name = "Işık",
                          .email = "ayse@example.com", .phone = "0532 123 45 67", .city = "İstanbul",
                          .birth_date = "1990-04-01", .gender = "F", .created_at = T0,
                          .attributes_json = "{\"tier\":\"gold\",\"n\":1.5}", .idents = extra,
                          .n_idents = 2};
    bb_customer_rec till = {.customer_id = "T1", .id_kind = "till", .email = "ayse@example.com"};
    bb_customer_rec c2 = {.customer_id = "2", .first_name = "Can", .created_at = T0};
    bb_product_rec p = {.sku = "TEA", .name = "Çay", .category = "içecek", .price_minor = 250,
                        .has_price = 1, .cost_minor = 100, .has_cost = 1, .currency = "TRY"};
    bb_order_rec o = {.order_id = "A1", .customer_ref = "1", .ordered_at = T0 + 60,
                      .amount_minor = 12050, .has_amount = 1, .currency = "TRY", .channel = "web"};
    bb_order_rec o2 = {.order_id = "A2", .customer_ref = "T1", .id_kind = "till", .ordered_at = T0 + 90,
                       .amount_minor = -500, .has_amount = 1, .currency = "EUR"};
    bb_order_line_rec l1 = {.order_id = "L1", .customer_ref = "2", .ordered_at = T0 + 120, .sku = "TEA",
                            .quantity = 1.5, .unit_price_minor = 999, .line_no = 1};
    bb_order_line_rec l2 = {.order_id = "L1", .customer_ref = "2", .ordered_at = T0 + 120, .sku = "NEW",
                            .quantity = -1, .unit_price_minor = 300, .line_no = 2};
    bb_interaction_rec i = {.customer_ref = "1", .occurred_at = T0, .channel = "email",
                            .direction = "out", .kind = "message", .subject = "Merhaba",
                            .body = "satır 1\nsatır 2"};
    bb_consent_rec k = {.customer_ref = "2", .channel = "sms", .status = "granted", .source = "form",
                        .recorded_at = T0};
    bb_consent_rec k2 = {.customer_ref = "2", .channel = "sms", .status = "revoked", .recorded_at = T0 + 1};
    bb_survey_rec v = {.customer_ref = "1", .survey = "nps", .score = 10, .comment = "çok iyi",
                       .responded_at = T0};
    fx_put_customer(f, &c1, NULL);
    fx_put_customer(f, &till, NULL);
    fx_put_customer(f, &c2, NULL);
    fx_put_product(f, &p, NULL);
    fx_put_order(f, &o, NULL);
    fx_put_order(f, &o2, NULL);
    fx_put_order_line(f, &l1, NULL);
    fx_put_order_line(f, &l2, NULL);
    fx_put_interaction(f, &i, NULL);
    fx_put_consent(f, &k, NULL);
    fx_put_consent(f, &k2, NULL);
    fx_put_survey(f, &v, NULL);
}

/* Every exported record as a line of text, and optionally put into another store. */
typedef struct dump {
    bb_buf text;
    bb_store *into;
    int unchanged, total;
} dump;

#define S(x) ((x) ? (x) : "-")

static void count(dump *d, bb_put_result r)
{
    d->total++;
    d->unchanged += r == BB_PUT_UNCHANGED;
}

static int on_customer(void *ctx, const bb_customer_rec *r)
{
    dump *d = ctx;
    bb_put_result res;
    assert_int_equal(bb_buf_addf(&d->text, "C %s|%s|%s|%s|%s|%s|%s|%s|%s|%lld|%s", r->customer_id,
                                 S(r->first_name), S(r->last_name), S(r->email), S(r->phone),
                                 S(r->city), S(r->birth_date), S(r->gender), S(r->attributes_json),
                                 (long long)r->created_at, S(r->id_kind)), 0);
    for (size_t i = 0; i < r->n_idents; i++)
        assert_int_equal(bb_buf_addf(&d->text, " %s=%s", r->idents[i].kind, r->idents[i].value), 0);
    assert_int_equal(bb_buf_addc(&d->text, '\n'), 0);
    if (d->into) {
        assert_int_equal(bb_store_put_customer(d->into, r, &res, NULL, NULL), 0);
        count(d, res);
    }
    return 0;
}

static int on_product(void *ctx, const bb_product_rec *r)
{
    dump *d = ctx;
    bb_put_result res;
    assert_int_equal(bb_buf_addf(&d->text, "P %s|%s|%s|%d:%lld|%d:%lld|%s\n", r->sku, S(r->name),
                                 S(r->category), r->has_price, (long long)r->price_minor, r->has_cost,
                                 (long long)r->cost_minor, r->currency), 0);
    if (d->into) {
        assert_int_equal(bb_store_put_product(d->into, r, &res, NULL, NULL), 0);
        count(d, res);
    }
    return 0;
}

static int on_order(void *ctx, const bb_order_rec *r)
{
    dump *d = ctx;
    bb_put_result res;
    assert_int_equal(bb_buf_addf(&d->text, "O %s|%s|%lld|%d:%lld|%s|%s\n", r->order_id, r->customer_ref,
                                 (long long)r->ordered_at, r->has_amount, (long long)r->amount_minor,
                                 r->currency, S(r->channel)), 0);
    if (d->into) {
        assert_int_equal(bb_store_put_order(d->into, r, &res, NULL, NULL), 0);
        count(d, res);
    }
    return 0;
}

static int on_line(void *ctx, const bb_order_line_rec *r)
{
    dump *d = ctx;
    bb_put_result res;
    assert_int_equal(bb_buf_addf(&d->text, "L %s|%s|%lld|%s|%.17g|%lld|%s|%d\n", r->order_id,
                                 r->customer_ref, (long long)r->ordered_at, r->sku, r->quantity,
                                 (long long)r->unit_price_minor, r->currency, r->line_no), 0);
    if (d->into) {
        assert_int_equal(bb_store_put_order_line(d->into, r, &res, NULL, NULL), 0);
        count(d, res);
    }
    return 0;
}

static int on_interaction(void *ctx, const bb_interaction_rec *r)
{
    dump *d = ctx;
    bb_put_result res;
    assert_int_equal(bb_buf_addf(&d->text, "I %s|%lld|%s|%s|%s|%s|%s\n", r->customer_ref,
                                 (long long)r->occurred_at, r->channel, r->direction, r->kind,
                                 S(r->subject), S(r->body)), 0);
    if (d->into) {
        assert_int_equal(bb_store_put_interaction(d->into, r, &res, NULL, NULL), 0);
        count(d, res);
    }
    return 0;
}

static int on_consent(void *ctx, const bb_consent_rec *r)
{
    dump *d = ctx;
    bb_put_result res;
    assert_int_equal(bb_buf_addf(&d->text, "K %s|%s|%s|%s|%lld\n", r->customer_ref, r->channel,
                                 r->status, S(r->source), (long long)r->recorded_at), 0);
    if (d->into) {
        assert_int_equal(bb_store_put_consent(d->into, r, &res, NULL, NULL), 0);
        count(d, res);
    }
    return 0;
}

static int on_survey(void *ctx, const bb_survey_rec *r)
{
    dump *d = ctx;
    bb_put_result res;
    assert_int_equal(bb_buf_addf(&d->text, "S %s|%s|%d|%s|%lld\n", r->customer_ref, r->survey, r->score,
                                 S(r->comment), (long long)r->responded_at), 0);
    if (d->into) {
        assert_int_equal(bb_store_put_survey(d->into, r, &res, NULL, NULL), 0);
        count(d, res);
    }
    return 0;
}

/* Exports everything from s (putting it into `into` when not NULL) in dependency order. */
static void export_all(bb_store *s, dump *d)
{
    assert_int_equal(bb_store_export_customers(s, on_customer, d, NULL), 0);
    assert_int_equal(bb_store_export_products(s, on_product, d, NULL), 0);
    assert_int_equal(bb_store_export_orders(s, on_order, d, NULL), 0);
    assert_int_equal(bb_store_export_order_lines(s, on_line, d, NULL), 0);
    assert_int_equal(bb_store_export_interactions(s, on_interaction, d, NULL), 0);
    assert_int_equal(bb_store_export_consents(s, on_consent, d, NULL), 0);
    assert_int_equal(bb_store_export_surveys(s, on_survey, d, NULL), 0);
}

static void round_trip(void **state)
{
    fx *f = *state;
    dump a = {0}, b = {0}, c = {0};
    char path[160];
    bb_store *s2 = NULL;
    fill(f);
    snprintf(path, sizeof path, "%s/copy.db", f->dir);
    assert_int_equal(bb_store_open(path, BB_STORE_CREATE, &s2, NULL), 0);
    bb_buf_init(&a.text, 0);
    bb_buf_init(&b.text, 0);
    bb_buf_init(&c.text, 0);
    a.into = s2;
    export_all(f->s, &a);
    export_all(s2, &b);
    assert_string_equal(bb_buf_str(&a.text), bb_buf_str(&b.text));
    /* what the export says, spot-checked against what was put */
    assert_non_null(strstr(a.text.data, "C 1|Ayşe|Işık|ayse@example.com|+905321234567|İstanbul|"
                                        "1990-04-01|F|{\"tier\":\"gold\",\"n\":1.5}|1735689600|-"
                                        " card=LC-9 email=old@example.com till=T1\n"));
    assert_non_null(strstr(a.text.data, "O A2|1|1735689690|1:-500|EUR|-\n"));
    assert_non_null(strstr(a.text.data, "O L1|2|1735689720|0:1199|TRY|-\n"));
    assert_non_null(strstr(a.text.data, "L L1|2|1735689720|TEA|1.5|999|TRY|1\n"));
    assert_non_null(strstr(a.text.data, "K 2|sms|revoked|-|1735689601\n"));
    /* the export put back where it came from changes nothing */
    c.into = f->s;
    export_all(f->s, &c);
    assert_int_equal(c.unchanged, c.total);
    assert_int_equal(c.total, 2 + 2 + 3 + 2 + 1 + 2 + 1); /* the till record joined customer 1 */
    bb_store_close(s2);
    bb_buf_release(&a.text);
    bb_buf_release(&b.text);
    bb_buf_release(&c.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(round_trip, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
