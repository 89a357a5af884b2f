/* test_api_customers.c: POST /api/v1/customers (upsert: 201 then 200, Location, fields kept when left
 * out, audited) and PATCH /api/v1/customers/{customer_id} (only a customer that exists, only its
 * fields, the id in the body must match). */
#include "api_fixture.h"

static void upsert_and_patch(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    assert_int_equal(fx_request(f, "POST", "/api/v1/customers", 0,
                                "{\"customer_id\":\"k 1/ş\",\"first_name\":\"Ayşe\",\"city\":\"İzmir\"}"),
                     201);
    assert_string_equal(fx_str(f, "result"), "inserted");
    assert_string_equal(fx_header(f, "Location"), "/api/v1/customers/k%201%2F%C5%9F");
    assert_int_equal(fx_request(f, "POST", "/api/v1/customers", 0, "{\"customer_id\":\"k 1/ş\",\"first_name\":\"Ayşe\"}"),
                     200);
    assert_string_equal(fx_str(f, "result"), "unchanged"); /* city left out: kept */
    assert_int_equal(fx_request(f, "POST", "/api/v1/customers", 0, "{\"customer_id\":\"k2\",\"last_name\":\"Öz\"}"), 201);
    assert_int_equal(fx_request(f, "PATCH", "/api/v1/customers/k2", 0, "{\"city\":\"Van\"}"), 200);
    assert_string_equal(fx_str(f, "result"), "updated");
    assert_int_equal(fx_request(f, "PATCH", "/api/v1/customers/k2", 0, "{\"customer_id\":\"k3\"}"), 422);
    assert_string_equal(fx_str(f, "error.where"), "$.customer_id");
    assert_int_equal(fx_request(f, "PATCH", "/api/v1/customers/nobody", 0, "{\"city\":\"Van\"}"), 404);
    assert_int_equal(fx_request(f, "POST", "/api/v1/customers", 0, "{\"first_name\":\"x\"}"), 422);
    assert_string_equal(fx_str(f, "error.where"), "$.customer_id");
    assert_int_equal(fx_request(f, "POST", "/api/v1/customers", 0, "{\"customer_id\":\"k4\",\"emial\":\"x\"}"), 422);
    assert_string_equal(fx_str(f, "error.where"), "$.emial");
    assert_int_equal(fx_request(f, "POST", "/api/v1/customers", 0, "[]"), 422);

    /* What was stored, read back through the store. */
    bb_error err = {0};
    int64_t id = 0;
    assert_int_equal(bb_store_resolve(f->store, "k2", "id", &id, &err), 0);
    assert_true(id > 0);
    /* Each write is in the audit log, in the token's name. */
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit?actor=token:admin", 0, NULL), 200);
    json_t *e = json_object_get(f->json, "entries");
    assert_int_equal(json_array_size(e), 4); /* 3 upserts (one unchanged) and a patch */
    assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "action")), "customer.update");
    assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "target")), "k2");
    fx_free(f);
}

static void search_and_view(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    const char *e = "[{\"type\":\"customer\",\"event_id\":\"1\",\"customer_id\":\"c1\",\"first_name\":\"Ayşe\","
                    "\"last_name\":\"IŞIK\",\"city\":\"İSTANBUL\"},"
                    "{\"type\":\"customer\",\"event_id\":\"2\",\"customer_id\":\"c2\",\"first_name\":\"Can\","
                    "\"last_name\":\"Öz\",\"city\":\"İzmir\"},"
                    "{\"type\":\"customer\",\"event_id\":\"3\",\"customer_id\":\"c3\",\"first_name\":\"Işıl\","
                    "\"last_name\":\"Ak\",\"city\":\"Van\"},"
                    "{\"type\":\"order\",\"event_id\":\"4\",\"customer_id\":\"c1\",\"order_id\":\"A1\","
                    "\"amount\":\"12.50\"}]";
    assert_int_equal(fx_request(f, "POST", "/api/v1/events", 0, e), 200);
    /* Turkish folding: "isik" finds IŞIK; "istanbul" finds İSTANBUL. */
    assert_int_equal(fx_request(f, "GET", "/api/v1/customers?q=isik", 2, NULL), 200);
    json_t *c = json_object_get(f->json, "customers");
    assert_int_equal(json_array_size(c), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(c, 0), "customer_id")), "c1");
    assert_int_equal(fx_request(f, "GET", "/api/v1/customers?q=istanbul", 1, NULL), 200);
    assert_int_equal(json_array_size(json_object_get(f->json, "customers")), 1);
    /* Paging by cursor walks everyone exactly once. */
    char url[700], seen[64] = "";
    snprintf(url, sizeof url, "/api/v1/customers?limit=2");
    for (int page = 0; page < 5; page++) {
        assert_int_equal(fx_request(f, "GET", url, 0, NULL), 200);
        c = json_object_get(f->json, "customers");
        for (size_t i = 0; i < json_array_size(c); i++)
            strcat(seen, json_string_value(json_object_get(json_array_get(c, i), "customer_id")));
        if (json_is_null(json_object_get(f->json, "next_cursor")))
            break;
        snprintf(url, sizeof url, "/api/v1/customers?limit=2&cursor=%s", fx_str(f, "next_cursor"));
    }
    assert_string_equal(seen, "c3c1c2"); /* Ak, Işık, Öz: Turkish order of last names */
    assert_int_equal(fx_request(f, "GET", "/api/v1/customers?cursor=nonsense", 0, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "cursor");
    assert_int_equal(fx_request(f, "GET", "/api/v1/customers?segment=champions", 0, NULL), 200);
    assert_int_equal(json_array_size(json_object_get(f->json, "customers")), 0); /* no scores yet */
    assert_int_equal(fx_request(f, "GET", "/api/v1/customers?limit=0", 0, NULL), 422);
    /* The 360 view. */
    assert_int_equal(fx_request(f, "GET", "/api/v1/customers/c1", 2, NULL), 200);
    json_t *cust = json_object_get(f->json, "customer");
    assert_string_equal(json_string_value(json_object_get(cust, "id")), "c1");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(f->json, "order_summary"), "count")), 1);
    assert_int_equal(fx_request(f, "GET", "/api/v1/customers/nobody", 2, NULL), 404);
    assert_string_equal(fx_str(f, "error.where"), "customer_id");
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(upsert_and_patch),
        cmocka_unit_test(search_and_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
