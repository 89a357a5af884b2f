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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(upsert_and_patch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
