/* test_api_events.c: event bodies as one object, an array, or NDJSON; typed records with the import's
 * canonical columns; errors that name the JSON path, or the NDJSON line; limits; the answer's shape
 * and status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_events.h"

#define NOW 1790000000

static int parse(const char *body, int ndjson, bb__event_batch *b, bb_error *err)
{
    return bb__events_parse(body, strlen(body), ndjson, 5, NOW, b, err);
}

static void one_order(void **state)
{
    (void)state;
    bb__event_batch b;
    bb_error err = {0};
    const char *body = "{\"type\":\"order\",\"event_id\":\"e1\",\"customer_id\":42,\"order_id\":\"o1\","
                       "\"ordered_at\":\"2026-11-01T10:00:00Z\",\"amount\":\"250.00\",\"currency\":\"TRY\","
                       "\"channel\":\"web\",\"lines\":[{\"sku\":\"S1\",\"quantity\":2,\"unit_price\":\"100.00\"},"
                       "{\"sku\":\"S2\",\"quantity\":\"-1\",\"unit_price\":50}]}";
    assert_int_equal(parse(body, 0, &b, &err), 0);
    assert_int_equal(b.n, 1);
    assert_true(b.single);
    bb__event *ev = &b.ev[0];
    assert_int_equal(ev->state, BB__EV_PENDING);
    assert_int_equal(ev->type, BB__EV_ORDER);
    assert_string_equal(ev->event_id, "e1");
    assert_string_equal(ev->u.order.order_id, "o1");
    assert_string_equal(ev->u.order.customer_ref, "42"); /* a numeric id becomes its text */
    assert_int_equal(ev->u.order.ordered_at, 1793527200);
    assert_int_equal(ev->u.order.amount_minor, 25000);
    assert_true(ev->u.order.has_amount);
    assert_string_equal(ev->u.order.currency, "TRY");
    assert_string_equal(ev->u.order.channel, "web");
    assert_int_equal(ev->n_lines, 2);
    assert_string_equal(ev->lines[1].sku, "S2");
    assert_true(ev->lines[1].quantity == -1); /* a return is data */
    assert_int_equal(ev->lines[0].unit_price_minor, 10000);
    assert_int_equal(ev->lines[1].unit_price_minor, 5000);
    assert_int_equal(ev->lines[1].line_no, 2);
    assert_string_equal(ev->lines[1].order_id, "o1");     /* lines carry their order's fields */
    assert_string_equal(ev->lines[1].customer_ref, "42");
    assert_int_equal(ev->lines[1].ordered_at, 1793527200);
    assert_string_equal(ev->lines[1].currency, "TRY");
    bb__event_batch_release(&b);
}

static void every_type(void **state)
{
    (void)state;
    bb__event_batch b;
    bb_error err = {0};
    const char *body =
        "[{\"type\":\"customer\",\"event_id\":\"c\",\"customer_id\":\"k1\",\"first_name\":\"Ayşe\","
        "\"email\":\"a@x.tr\",\"birth_date\":\"1990-02-28\",\"attributes\":{\"tier\":\"gold\"},"
        "\"identifiers\":[{\"kind\":\"card\",\"value\":991}]},"
        "{\"type\":\"interaction\",\"event_id\":\"i\",\"customer_id\":\"k1\",\"channel\":\"email\","
        "\"direction\":\"out\",\"subject\":\"Merhaba\"},"
        "{\"type\":\"consent\",\"event_id\":\"n\",\"customer_id\":\"k1\",\"channel\":\"sms\",\"status\":\"revoked\","
        "\"recorded_at\":\"2026-01-02\"},"
        "{\"type\":\"survey_response\",\"event_id\":\"s\",\"customer_id\":\"k1\",\"survey\":\"nps\",\"score\":9}]";
    assert_int_equal(parse(body, 0, &b, &err), 0);
    assert_int_equal(b.n, 4);
    assert_false(b.single);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(b.ev[i].state, BB__EV_PENDING);
    assert_string_equal(b.ev[0].u.customer.first_name, "Ayşe");
    assert_string_equal(b.ev[0].u.customer.attributes_json, "{\"tier\":\"gold\"}");
    assert_int_equal(b.ev[0].u.customer.n_idents, 1);
    assert_string_equal(b.ev[0].u.customer.idents[0].value, "991");
    assert_string_equal(b.ev[1].u.interaction.kind, "message"); /* the default kind */
    assert_int_equal(b.ev[1].u.interaction.occurred_at, NOW);     /* times left out are "now" */
    assert_string_equal(b.ev[2].u.consent.status, "revoked");
    assert_int_equal(b.ev[3].u.survey.score, 9);
    assert_int_equal(b.ev[3].u.survey.responded_at, NOW);
    bb__event_batch_release(&b);
}

static void errors_name_their_path(void **state)
{
    (void)state;
    bb__event_batch b;
    bb_error err = {0};
    int status;
    const char *body =
        "[{\"type\":\"order\",\"event_id\":\"a\",\"customer_id\":\"k\",\"order_id\":\"o\",\"amount\":1},"
        "{\"type\":\"order\",\"event_id\":\"b\",\"customer_id\":\"k\",\"order_id\":\"o2\","
        "\"lines\":[{\"sku\":\"x\",\"quantity\":1,\"unit_price\":1},{\"sku\":\"y\",\"quantity\":\"two\",\"unit_price\":1},"
        "{\"sku\":\"z\",\"quantity\":1,\"unit_price\":1}]},"
        "{\"type\":\"refund\",\"event_id\":\"c\"},"
        "{\"event_id\":\"d\",\"type\":\"order\",\"customer_id\":\"k\",\"order_id\":\"o3\",\"amount\":1,\"amout\":2},"
        "7]";
    assert_int_equal(parse(body, 0, &b, &err), 0);
    assert_int_equal(b.ev[0].state, BB__EV_PENDING);
    assert_int_equal(b.ev[1].state, BB__EV_REJECTED);
    assert_string_equal(b.ev[1].err.where, "$[1].lines[1].quantity");
    assert_string_equal(b.ev[2].err.where, "$[2].type");
    assert_string_equal(b.ev[3].err.where, "$[3].amout");
    assert_string_equal(b.ev[4].err.where, "$[4]");
    b.ev[0].state = BB__EV_ACCEPTED;
    json_t *ans = bb__events_answer(&b, &status);
    assert_int_equal(status, 200);
    assert_int_equal(json_integer_value(json_object_get(ans, "accepted")), 1);
    assert_int_equal(json_array_size(json_object_get(ans, "rejected")), 4);
    json_t *r0 = json_array_get(json_object_get(ans, "rejected"), 0);
    assert_int_equal(json_integer_value(json_object_get(r0, "index")), 1);
    assert_string_equal(json_string_value(json_object_get(r0, "event_id")), "b");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r0, "error"), "code")), "invalid");
    assert_null(json_object_get(ans, "error"));
    json_decref(ans);
    bb__event_batch_release(&b);

    /* One event, invalid: 422 and the error at the top too. */
    assert_int_equal(parse("{\"type\":\"order\",\"event_id\":\"e\",\"customer_id\":\"k\",\"order_id\":\"o\","
                           "\"lines\":[{},{},{\"sku\":\"s\",\"quantity\":1}]}",
                           0, &b, &err),
                     0);
    assert_string_equal(b.ev[0].err.where, "$.lines[0].sku");
    ans = bb__events_answer(&b, &status);
    assert_int_equal(status, 422);
    assert_string_equal(json_string_value(json_object_get(json_object_get(ans, "error"), "where")), "$.lines[0].sku");
    json_decref(ans);
    bb__event_batch_release(&b);
}

/* An NPS answer is 0 to 10, as in the import (rowmap.c); other surveys' scores are not bounded so. */
static void nps_scores_are_0_to_10(void **state)
{
    (void)state;
    bb__event_batch b;
    bb_error err = {0};
    const char *body =
        "[{\"type\":\"survey_response\",\"event_id\":\"a\",\"customer_id\":\"k\",\"survey\":\"nps\",\"score\":11},"
        "{\"type\":\"survey_response\",\"event_id\":\"b\",\"customer_id\":\"k\",\"survey\":\"NPS\",\"score\":-1},"
        "{\"type\":\"survey_response\",\"event_id\":\"c\",\"customer_id\":\"k\",\"survey\":\"nps\",\"score\":10},"
        "{\"type\":\"survey_response\",\"event_id\":\"d\",\"customer_id\":\"k\",\"survey\":\"nps\",\"score\":0},"
        "{\"type\":\"survey_response\",\"event_id\":\"e\",\"customer_id\":\"k\",\"survey\":\"csat\",\"score\":11}]";
    assert_int_equal(parse(body, 0, &b, &err), 0);
    assert_int_equal(b.n, 5);
    assert_int_equal(b.ev[0].state, BB__EV_REJECTED);
    assert_string_equal(b.ev[0].err.where, "$[0].score");
    assert_int_equal(b.ev[1].state, BB__EV_REJECTED);
    assert_string_equal(b.ev[1].err.where, "$[1].score");
    assert_int_equal(b.ev[2].state, BB__EV_PENDING);
    assert_int_equal(b.ev[2].u.survey.score, 10);
    assert_int_equal(b.ev[3].state, BB__EV_PENDING);
    assert_int_equal(b.ev[3].u.survey.score, 0);
    assert_int_equal(b.ev[4].state, BB__EV_PENDING);
    assert_int_equal(b.ev[4].u.survey.score, 11);
    bb__event_batch_release(&b);
}

/* An email or phone number the store would refuse is an error at its JSON path, as every other field's;
 * good ones in any common writing pass as they were sent (the store normalises them). */
static void contacts_are_checked_where_they_are(void **state)
{
    (void)state;
    bb__event_batch b;
    bb_error err = {0};
    const char *body = "[{\"type\":\"customer\",\"event_id\":\"a\",\"customer_id\":\"k\",\"email\":\"bad\"},"
                       "{\"type\":\"customer\",\"event_id\":\"b\",\"customer_id\":\"k\",\"phone\":\"12\"},"
                       "{\"type\":\"customer\",\"event_id\":\"c\",\"customer_id\":\"k\",\"email\":\"A@X.TR\","
                       "\"phone\":\"0532 123 45 67\"},"
                       "{\"type\":\"customer\",\"event_id\":\"d\",\"customer_id\":\"k\",\"email\":\"a b@x.tr\"}]";
    assert_int_equal(parse(body, 0, &b, &err), 0);
    assert_int_equal(b.n, 4);
    assert_int_equal(b.ev[0].state, BB__EV_REJECTED);
    assert_string_equal(b.ev[0].err.where, "$[0].email");
    assert_non_null(strstr(b.ev[0].err.msg, "\"bad\" is not an email address"));
    assert_int_equal(b.ev[1].state, BB__EV_REJECTED);
    assert_string_equal(b.ev[1].err.where, "$[1].phone");
    assert_non_null(strstr(b.ev[1].err.msg, "\"12\""));
    assert_int_equal(b.ev[2].state, BB__EV_PENDING);
    assert_string_equal(b.ev[2].u.customer.email, "A@X.TR");
    assert_string_equal(b.ev[2].u.customer.phone, "0532 123 45 67");
    assert_int_equal(b.ev[3].state, BB__EV_REJECTED);
    assert_string_equal(b.ev[3].err.where, "$[3].email");
    bb__event_batch_release(&b);
}

static void whole_body_failures(void **state)
{
    (void)state;
    bb__event_batch b;
    bb_error err = {0};
    assert_int_equal(parse("{\"type\":\"order\", \"event_id\": 5, ", 0, &b, &err), BB__EMALFORMED);
    assert_string_equal(err.where, "byte 32");
    bb__event_batch_release(&b);
    assert_int_equal(parse("\"an event\"", 0, &b, &err), BB_EINVAL);
    bb__event_batch_release(&b);
    assert_int_equal(parse("[1,2,3,4,5,6]", 0, &b, &err), BB_ELIMIT);
    bb__event_batch_release(&b);
    assert_int_equal(parse("1\n2\n3\n4\n5\n6\n", 1, &b, &err), BB_ELIMIT);
    bb__event_batch_release(&b);
    assert_int_equal(parse("[]", 0, &b, &err), 0);
    assert_int_equal(b.n, 0);
    bb__event_batch_release(&b);
    assert_int_equal(parse("", 1, &b, &err), 0);
    assert_int_equal(b.n, 0);
    bb__event_batch_release(&b);
}

static void ndjson(void **state)
{
    (void)state;
    bb__event_batch b;
    bb_error err = {0};
    const char *body = "{\"type\":\"consent\",\"event_id\":\"1\",\"customer_id\":\"k\",\"channel\":\"email\",\"status\":\"granted\"}\r\n"
                       "\n"
                       "{\"type\":\"consent\",\"event_id\":\"2\",\"customer_id\":\"k\",\"channel\":\"fax\",\"status\":\"granted\"}\n"
                       "{not json}\n"
                       "   \n"
                       "{\"type\":\"consent\",\"event_id\":\"3\",\"customer_id\":\"k\",\"channel\":\"sms\",\"status\":\"granted\"}";
    assert_int_equal(parse(body, 1, &b, &err), 0);
    assert_int_equal(b.n, 4);
    assert_int_equal(b.ev[0].state, BB__EV_PENDING);
    assert_int_equal(b.ev[1].state, BB__EV_REJECTED);
    assert_string_equal(b.ev[1].err.where, "line 3: $.channel");
    assert_int_equal(b.ev[2].state, BB__EV_REJECTED);
    assert_int_equal(b.ev[2].err.code, BB__EMALFORMED);
    assert_string_equal(b.ev[2].err.where, "line 4, byte 4");
    assert_int_equal(b.ev[3].state, BB__EV_PENDING);
    assert_string_equal(b.ev[3].u.consent.channel, "sms");
    bb__event_batch_release(&b);
}

static void customer_bodies(void **state)
{
    (void)state;
    json_t *o = json_loads("{\"first_name\":\"Can\",\"city\":\"İzmir\"}", 0, NULL);
    bb__event ev = {0};
    bb_error err = {0};
    assert_int_equal(bb__customer_parse(o, "$", 0, 0, &ev, &err), 0); /* PATCH: no id needed */
    assert_string_equal(ev.u.customer.city, "İzmir");
    bb__event_release(&ev);
    memset(&ev, 0, sizeof ev);
    assert_int_equal(bb__customer_parse(o, "$", 0, 1, &ev, &err), BB_EINVAL);
    assert_string_equal(err.where, "$.customer_id");
    bb__event_release(&ev);
    json_decref(o);
    o = json_loads("{\"customer_id\":\"k\",\"type\":\"customer\"}", 0, NULL);
    memset(&ev, 0, sizeof ev);
    assert_int_equal(bb__customer_parse(o, "$", 0, 1, &ev, &err), BB_EINVAL); /* no event fields on /customers */
    assert_string_equal(err.where, "$.type");
    bb__event_release(&ev);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_order),           cmocka_unit_test(every_type),
        cmocka_unit_test(errors_name_their_path), cmocka_unit_test(nps_scores_are_0_to_10),
        cmocka_unit_test(contacts_are_checked_where_they_are),
        cmocka_unit_test(whole_body_failures),
        cmocka_unit_test(ndjson),              cmocka_unit_test(customer_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
