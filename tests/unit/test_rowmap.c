/* test_rowmap.c: one row into one record for every kind: conversions (epoch values from Python's
 * datetime; minor units by hand), defaults, enumerations, and the messages bad values get. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/import.h"

typedef struct t {
    bb_import_mapper *m;
    bb_import_rec rec;
    bb_error err;
} t;

static void open_kind(t *x, bb_import_kind kind, bb_locale loc, const char *header)
{
    static char buf[512];
    const char *h[16];
    size_t n = 0;
    bb_import_options o = {.kind = kind, .locale = loc, .utc_offset = loc == BB_LOCALE_TR ? 10800 : 0};
    snprintf(buf, sizeof buf, "%s", header);
    for (char *p = strtok(buf, ","); p && n < 16; p = strtok(NULL, ","))
        h[n++] = p;
    memset(x, 0, sizeof *x);
    assert_int_equal(bb_import_mapper_new(&o, h, n, &x->m, &x->err), 0);
}

/* Maps a row given as "a|b|c" ('|' so values may hold commas); returns the code. */
static int map(t *x, const char *rowtext)
{
    static char buf[1024];
    const char *f[16];
    size_t n = 0;
    char *p = buf;
    snprintf(buf, sizeof buf, "%s", rowtext);
    f[n++] = p;
    for (; *p; p++)
        if (*p == '|') {
            *p = '\0';
            f[n++] = p + 1;
        }
    bb_error_clear(&x->err);
    return bb_import_mapper_row(x->m, f, n, &x->rec, &x->err);
}

static const char *bad(t *x, const char *rowtext)
{
    assert_int_equal(map(x, rowtext), BB_EINVAL);
    return x->err.msg;
}

static void orders(void **state)
{
    t x;
    const bb_order_rec *o = &x.rec.u.order;
    (void)state;
    open_kind(&x, BB_IMPORT_ORDERS, BB_LOCALE_EN, "order_id,customer_id,ordered_at,amount,currency");
    assert_int_equal(map(&x, "A1| 1 |2025-01-05|120.50|try"), 0);
    assert_string_equal(o->order_id, "A1");
    assert_string_equal(o->customer_ref, "1");
    assert_int_equal(o->ordered_at, 1736035200);
    assert_int_equal(o->amount_minor, 12050);
    assert_true(o->has_amount);
    assert_string_equal(o->currency, "TRY");
    assert_null(o->channel);
    assert_int_equal(map(&x, "A2|1|2025-01-05||"), 0); /* no amount: computed from lines */
    assert_false(o->has_amount);
    assert_string_equal(o->currency, "TRY");        /* the default */
    assert_int_equal(map(&x, "R1|1|2025-01-05|-1,234.5|USD"), 0); /* a return */
    assert_int_equal(o->amount_minor, -123450);
    assert_string_equal(bad(&x, "A4|2|2025-03-09|12,5O|TRY"), "amount: \"12,5O\" is not a number");
    assert_string_equal(bad(&x, "A4|2|2025-03-09|12|TL"),
                        "currency: \"TL\" is not an ISO 4217 currency code (e.g. TRY, USD, EUR)");
    assert_string_equal(bad(&x, "|2|2025-03-09|12|TRY"), "order_id: is empty (required)");
    assert_string_equal(bad(&x, "A5| |2025-03-09|12|TRY"), "customer_id: is empty (required)");
    assert_string_equal(bad(&x, "A5|2|23.02.2025|12|TRY"),
                        "ordered_at: \"23.02.2025\" is not a date-time in the en locale (it is one in tr)");
    assert_string_equal(bad(&x, "A5|2|2025-02-29|12|TRY"),
                        "ordered_at: \"2025-02-29\" is not a valid date-time (out of range)");
    assert_string_equal(bad(&x, "A4|2|2025-03-09|12|5O|TRY"), "expected 5 fields as in the header, found 6");
    assert_string_equal(bad(&x, "A4|2"), "expected 5 fields as in the header, found 2");
    {
        char longid[300];
        memset(longid, 'x', sizeof longid - 1);
        longid[sizeof longid - 1] = '\0';
        char row[400];
        snprintf(row, sizeof row, "%s|1|2025-01-05|1|TRY", longid);
        assert_string_equal(bad(&x, row), "order_id: is longer than 256 bytes");
    }
    bb_import_mapper_free(x.m);
    /* the acceptance test's Turkish file */
    open_kind(&x, BB_IMPORT_ORDERS, BB_LOCALE_TR, "order_id,customer_id,ordered_at,amount,currency");
    assert_int_equal(map(&x, "T1|1|23.11.2025|1.234,56|TRY"), 0);
    assert_int_equal(o->amount_minor, 123456);
    assert_int_equal(o->ordered_at, 1763845200);
    assert_int_equal(map(&x, "T2|2|01.12.2025 14:05|7,50|TRY"), 0);
    assert_int_equal(o->amount_minor, 750);
    assert_int_equal(o->ordered_at, 1764587100);
    assert_int_equal(map(&x, "T3|2|2025-01-05|12.5|JPY"), 0); /* ISO in tr; yen have no minor unit */
    assert_int_equal(o->amount_minor, 13);
    assert_int_equal(o->ordered_at, 1736024400);
    bb_import_mapper_free(x.m);
}

static void order_lines(void **state)
{
    t x;
    const bb_order_line_rec *l = &x.rec.u.line;
    (void)state;
    open_kind(&x, BB_IMPORT_ORDER_LINES, BB_LOCALE_EN, "order_id,customer_id,ordered_at,sku,quantity,unit_price");
    assert_int_equal(map(&x, "536365|17850|2010-12-01 08:26:00|85123A|6|2.55"), 0);
    assert_string_equal(l->order_id, "536365");
    assert_string_equal(l->sku, "85123A");
    assert_true(l->quantity == 6.0);
    assert_int_equal(l->unit_price_minor, 255);
    assert_int_equal(l->ordered_at, 1291191960);
    assert_string_equal(l->currency, "TRY");
    assert_false(x.rec.has_line_no);
    assert_int_equal(map(&x, "C536379|14527|2010-12-01 09:41:00|D|-1|27.5"), 0); /* a cancellation */
    assert_true(l->quantity == -1.0);
    assert_int_equal(map(&x, "1|1|2010-12-01|S|1.5|0.001"), 0); /* sub-penny: rounds to 0 */
    assert_int_equal(l->unit_price_minor, 0);
    assert_true(l->quantity == 1.5);
    assert_string_equal(bad(&x, "1||2010-12-01|S|1|1"), "customer_id: is empty (required)");
    assert_string_equal(bad(&x, "1|1|2010-12-01|S|six|1"), "quantity: \"six\" is not a number");
    assert_string_equal(bad(&x, "1|1|2010-12-01||1|1"), "sku: is empty (required)");
    assert_string_equal(bad(&x, "1|1|2010-12-01|S|1|"), "unit_price: is empty (required)");
    bb_import_mapper_free(x.m);
    open_kind(&x, BB_IMPORT_ORDER_LINES, BB_LOCALE_EN,
              "order_id,customer_id,ordered_at,sku,quantity,unit_price,line_no");
    assert_int_equal(map(&x, "1|1|2010-12-01|S|1|1|3"), 0);
    assert_true(x.rec.has_line_no);
    assert_int_equal(l->line_no, 3);
    assert_string_equal(bad(&x, "1|1|2010-12-01|S|1|1|0"), "line_no: \"0\" is not a line number (1 or more)");
    bb_import_mapper_free(x.m);
}

static void customers(void **state)
{
    t x;
    const bb_customer_rec *c = &x.rec.u.customer;
    (void)state;
    open_kind(&x, BB_IMPORT_CUSTOMERS, BB_LOCALE_TR,
              "customer_id,first_name,last_name,email,phone,city,birth_date,gender,created_at,note");
    assert_int_equal(map(&x, "1|Ayşe|IŞIK|ayse@example.com|+90 (532) 123-45-67|İSTANBUL|07.03.1990|K|"
                             "01.12.2025 14:05|say \"hi\"\n\\ok"),
                     0);
    assert_string_equal(c->customer_id, "1");
    assert_string_equal(c->first_name, "Ayşe");
    assert_string_equal(c->last_name, "IŞIK");
    assert_string_equal(c->city, "İSTANBUL");
    assert_string_equal(c->birth_date, "1990-03-07");
    assert_string_equal(c->gender, "K");
    assert_int_equal(c->created_at, 1764587100);
    assert_string_equal(c->attributes_json, "{\"note\":\"say \\\"hi\\\"\\u000a\\\\ok\"}");
    assert_int_equal(map(&x, "2||||||||| "), 0); /* only the id: everything else absent */
    assert_null(c->first_name);
    assert_null(c->email);
    assert_null(c->birth_date);
    assert_int_equal(c->created_at, 0);
    assert_null(c->attributes_json);
    assert_string_equal(bad(&x, "3|||ayse@||||||"), "email: \"ayse@\" is not an email address");
    bad(&x, "3|||a b@example.com||||||");
    bad(&x, "3|||a@b@example.com||||||");
    bad(&x, "3|||a@example||||||");
    assert_string_equal(bad(&x, "3||||call me|||||"),
                        "phone: \"call me\" is not a phone number (7 to 15 digits; + ( ) - . and spaces allowed)");
    bad(&x, "3||||12345|||||");
    assert_string_equal(bad(&x, "3||||||31.02.1990|||"), "birth_date: \"31.02.1990\" is not a valid date (no such day)");
    bb_import_mapper_free(x.m);
}

static void products(void **state)
{
    t x;
    const bb_product_rec *p = &x.rec.u.product;
    (void)state;
    open_kind(&x, BB_IMPORT_PRODUCTS, BB_LOCALE_TR, "sku,name,category,price,cost");
    assert_int_equal(map(&x, "P1|Çay|İçecek|1.299,90|800"), 0);
    assert_string_equal(p->sku, "P1");
    assert_string_equal(p->name, "Çay");
    assert_int_equal(p->price_minor, 129990);
    assert_int_equal(p->cost_minor, 80000);
    assert_true(p->has_price && p->has_cost);
    assert_string_equal(p->currency, "TRY");
    assert_int_equal(map(&x, "P2|||| "), 0);
    assert_false(p->has_price || p->has_cost);
    assert_string_equal(bad(&x, "P3|||1,2,3|"), "price: \"1,2,3\" is not a number");
    bb_import_mapper_free(x.m);
}

static void interactions_consents_surveys(void **state)
{
    t x;
    (void)state;
    open_kind(&x, BB_IMPORT_INTERACTIONS, BB_LOCALE_EN, "customer_id,occurred_at,channel,direction,kind,subject,body");
    assert_int_equal(map(&x, "1|2025-01-05|email|Outbound||Hello|Body"), 0);
    assert_string_equal(x.rec.u.interaction.direction, "out");
    assert_string_equal(x.rec.u.interaction.kind, "message");
    assert_string_equal(x.rec.u.interaction.subject, "Hello");
    assert_int_equal(map(&x, "1|2025-01-05|call|GELEN|complaint||"), 0);
    assert_string_equal(x.rec.u.interaction.direction, "in");
    assert_null(x.rec.u.interaction.body);
    assert_string_equal(bad(&x, "1|2025-01-05|call|sideways|||"), "direction: \"sideways\" is not one of in, out");
    bb_import_mapper_free(x.m);

    open_kind(&x, BB_IMPORT_CONSENTS, BB_LOCALE_TR, "customer_id,channel,status,source,recorded_at");
    assert_int_equal(map(&x, "1|EPOSTA|ONAY||01.12.2025 14:05"), 0); /* as İYS writes them */
    assert_string_equal(x.rec.u.consent.channel, "email");
    assert_string_equal(x.rec.u.consent.status, "granted");
    assert_string_equal(x.rec.u.consent.source, "import");
    assert_int_equal(x.rec.u.consent.recorded_at, 1764587100);
    assert_int_equal(map(&x, "1|sms|revoked|web|2025-01-05"), 0);
    assert_string_equal(x.rec.u.consent.status, "revoked");
    assert_string_equal(x.rec.u.consent.source, "web");
    assert_string_equal(bad(&x, "1|fax|granted||2025-01-05"),
                        "channel: \"fax\" is not one of email, sms, call, push, whatsapp");
    assert_string_equal(bad(&x, "1|sms|maybe||2025-01-05"), "status: \"maybe\" is not one of granted, revoked");
    bb_import_mapper_free(x.m);

    open_kind(&x, BB_IMPORT_SURVEYS, BB_LOCALE_EN, "customer_id,survey,score,comment,responded_at");
    assert_int_equal(map(&x, "1|nps|9|great|2025-01-05"), 0);
    assert_int_equal(x.rec.u.survey.score, 9);
    assert_string_equal(x.rec.u.survey.comment, "great");
    assert_string_equal(bad(&x, "1|nps|11||2025-01-05"), "score: \"11\" is not an NPS score (0 to 10)");
    assert_string_equal(bad(&x, "1|csat|4.5||2025-01-05"), "score: \"4.5\" is not a whole number");
    assert_int_equal(map(&x, "1|csat|4||2025-01-05"), 0);
    bb_import_mapper_free(x.m);
}

static void options(void **state)
{
    const char *h[] = {"order_id", "customer_id", "ordered_at", "amount"};
    bb_import_options o = {.kind = BB_IMPORT_ORDERS, .date_format = "%Y%m%d", .utc_offset = 10800,
                           .id_kind = "till", .currency = "eur"};
    bb_import_mapper *m = NULL;
    bb_import_rec rec;
    bb_error err = {0};
    const char *row[] = {"A", "77", "20250105", "3.5"};
    (void)state;
    assert_int_equal(bb_import_mapper_new(&o, h, 4, &m, &err), 0);
    assert_int_equal(bb_import_mapper_row(m, row, 4, &rec, &err), 0);
    assert_int_equal(rec.u.order.ordered_at, 1736024400);
    assert_string_equal(rec.u.order.id_kind, "till");
    assert_string_equal(rec.u.order.currency, "EUR");
    assert_int_equal(rec.u.order.amount_minor, 350);
    row[2] = "2025-01-05";
    assert_int_equal(bb_import_mapper_row(m, row, 4, &rec, &err), BB_EINVAL);
    assert_string_equal(err.msg, "ordered_at: \"2025-01-05\" does not match the date format \"%Y%m%d\"");
    bb_import_mapper_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(orders),    cmocka_unit_test(order_lines),
        cmocka_unit_test(customers), cmocka_unit_test(products),
        cmocka_unit_test(interactions_consents_surveys), cmocka_unit_test(options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
