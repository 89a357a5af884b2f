/* test_api_event_apply.c: events applied by the writer: each once by its event_id (also within one
 * batch), an id reused for another type is a conflict, an event the store refuses half-way is undone
 * while the rest of its batch is kept, and the audit entry counts them. */
#include "api_fixture.h"
#include "api/api_events.h"

static int64_t count(fixture *f, const char *sql)
{
    bb_store_status st;
    bb_error err = {0};
    (void)sql;
    assert_int_equal(bb_store_status_get(f->store, &st, &err), 0);
    if (strcmp(sql, "orders") == 0)
        return st.orders;
    if (strcmp(sql, "lines") == 0)
        return st.order_lines;
    if (strcmp(sql, "consents") == 0)
        return st.consents;
    return st.customers;
}

static void once_each(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    const char *body =
        "[{\"type\":\"order\",\"event_id\":\"e1\",\"customer_id\":\"k1\",\"order_id\":\"A1\",\"amount\":\"10.00\"},"
        " {\"type\":\"order\",\"event_id\":\"e1\",\"customer_id\":\"k1\",\"order_id\":\"A1\",\"amount\":\"10.00\"},"
        " {\"type\":\"consent\",\"event_id\":\"e1\",\"customer_id\":\"k1\",\"channel\":\"sms\",\"status\":\"granted\"},"
        " {\"type\":\"order\",\"event_id\":\"e2\",\"customer_id\":\"k1\",\"order_id\":\"A2\",\"amount\":\"1.00\","
        "  \"lines\":[{\"sku\":\"s\",\"quantity\":1000000000000,\"unit_price\":\"1000000.00\"}]},"
        " {\"type\":\"order\",\"event_id\":\"e3\",\"customer_id\":\"k2\",\"order_id\":\"A3\","
        "  \"lines\":[{\"sku\":\"s\",\"quantity\":2,\"unit_price\":\"1.50\"},{\"sku\":\"t\",\"quantity\":1,\"unit_price\":1}]}]";
    assert_int_equal(fx_request(f, "POST", "/api/v1/events", 3, body), 200);
    assert_int_equal(fx_int(f, "accepted"), 2);
    assert_int_equal(fx_int(f, "duplicates"), 1); /* the same event twice in one batch */
    json_t *rej = json_object_get(f->json, "rejected");
    assert_int_equal(json_array_size(rej), 2);
    json_t *r0 = json_array_get(rej, 0), *r1 = json_array_get(rej, 1);
    assert_int_equal(json_integer_value(json_object_get(r0, "index")), 2);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r0, "error"), "code")), "conflict");
    assert_int_equal(json_integer_value(json_object_get(r1, "index")), 3);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r1, "error"), "code")), "invalid");
    /* The refused order is undone entirely (its order row was written before its line failed). */
    assert_int_equal(count(f, "orders"), 2);
    assert_int_equal(count(f, "lines"), 2);
    assert_int_equal(count(f, "consents"), 0);
    int64_t id;
    bb_error err = {0};
    assert_int_equal(bb_store_resolve(f->store, "k2", NULL, &id, &err), 0);
    /* The re-sent batch changes nothing. */
    assert_int_equal(fx_request(f, "POST", "/api/v1/events", 3, body), 200);
    assert_int_equal(fx_int(f, "accepted"), 0);
    assert_int_equal(fx_int(f, "duplicates"), 3);
    assert_int_equal(json_array_size(json_object_get(f->json, "rejected")), 2); /* e2 is refused again */
    assert_int_equal(count(f, "orders"), 2);
    /* The audit log counts each request that applied something. */
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit?action=events.ingest", 0, NULL), 200);
    json_t *e = json_object_get(f->json, "entries");
    assert_int_equal(json_array_size(e), 1);
    json_t *d = json_object_get(json_array_get(e, 0), "detail");
    assert_int_equal(json_integer_value(json_object_get(d, "accepted")), 2);
    assert_int_equal(json_integer_value(json_object_get(d, "rejected")), 2);
    assert_int_equal(bb_api__after_order(f->store, id, &err), 0);
    fx_free(f);
}

static void answers_for_one(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    const char *e = "{\"type\":\"consent\",\"event_id\":\"c1\",\"customer_id\":\"k\",\"channel\":\"sms\",\"status\":\"granted\"}";
    assert_int_equal(fx_request(f, "POST", "/api/v1/events", 0, e), 200);
    assert_int_equal(fx_request(f, "POST", "/api/v1/events", 0,
                                "{\"type\":\"order\",\"event_id\":\"c1\",\"customer_id\":\"k\",\"order_id\":\"o\",\"amount\":1}"),
                     409);
    assert_string_equal(fx_str(f, "error.code"), "conflict");
    assert_int_equal(fx_request(f, "POST", "/api/v1/events", 0, "[]"), 200);
    assert_int_equal(fx_int(f, "accepted"), 0);
    const char *const ndjson[] = {"Content-Type: application/x-ndjson", NULL};
    char authz[128];
    snprintf(authz, sizeof authz, "Bearer %s", f->tokens[0]);
    assert_int_equal(fx_request_h(f, "POST", "/api/v1/events", authz, "oops\n", ndjson), 400);
    assert_string_equal(fx_str(f, "error.code"), "malformed");
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(once_each),
        cmocka_unit_test(answers_for_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
