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
    assert_int_equal(bb_api__after_orders(f->store, &id, 1, &err), 0); /* no analyze yet: nothing to re-score */
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

/* A batch applied in runs gives what the same events give one request each: failures at the start, in
 * the middle, back to back and at the end reject only themselves, an event re-sent after its failed
 * twin is applied, and events that build on earlier ones of the batch keep working. */
static void runs_like_one_by_one(void **state)
{
    (void)state;
    enum { N = 40 };
    char *ev[N];
    int bad[N] = {0};
    for (int i = 0; i < N; i++) {
        char buf[400];
        bad[i] = i == 0 || i == 7 || i == 8 || i == 21 || i == N - 1;
        if (i % 5 == 4) /* a line to the order of the event before: it needs that order */
            snprintf(buf, sizeof buf,
                     "{\"type\":\"order\",\"event_id\":\"r%d\",\"customer_id\":\"c%d\",\"order_id\":\"O%d\","
                     "\"amount\":\"3.00\",\"lines\":[{\"sku\":\"s%d\",\"quantity\":%s,\"unit_price\":\"%s\"}]}",
                     i, i % 3, i, i, bad[i] ? "1000000000000" : "2", bad[i] ? "1000000.00" : "1.50");
        else if (bad[i]) /* an order whose line the store refuses after its order row is written */
            snprintf(buf, sizeof buf,
                     "{\"type\":\"order\",\"event_id\":\"r%d\",\"customer_id\":\"new%d\",\"order_id\":\"B%d\","
                     "\"amount\":\"1.00\",\"lines\":[{\"sku\":\"x\",\"quantity\":1000000000000,"
                     "\"unit_price\":\"1000000.00\"}]}", i, i, i);
        else if (i % 2)
            snprintf(buf, sizeof buf,
                     "{\"type\":\"consent\",\"event_id\":\"r%d\",\"customer_id\":\"c%d\",\"channel\":\"sms\","
                     "\"status\":\"%s\",\"recorded_at\":\"2026-01-0%dT00:00:00Z\"}", i, i % 3, i % 4 == 1 ? "granted" : "revoked", 1 + i % 9);
        else
            snprintf(buf, sizeof buf,
                     "{\"type\":\"order\",\"event_id\":\"r%d\",\"customer_id\":\"c%d\",\"order_id\":\"O%d\","
                     "\"amount\":\"%d.00\"}", i, i % 3, i, 10 + i);
        ev[i] = strdup(buf);
    }
    /* r21 once more, right after its failing twin, this time a valid consent. */
    bb_buf body;
    bb_buf_init(&body, 0);
    for (int i = 0; i < N; i++) {
        assert_int_equal(bb_buf_adds(&body, ev[i]), 0);
        assert_int_equal(bb_buf_adds(&body, "\n"), 0);
        if (i == 21)
            assert_int_equal(bb_buf_adds(&body, "{\"type\":\"order\",\"event_id\":\"r21\",\"customer_id\":\"c0\","
                                                "\"order_id\":\"R21\",\"amount\":\"5.00\"}\n"), 0);
    }
    fixture *batch = fx_new(0), *single = fx_new(0);
    const char *const ndjson[] = {"Content-Type: application/x-ndjson", NULL};
    char authz[128];
    snprintf(authz, sizeof authz, "Bearer %s", batch->tokens[3]);
    assert_int_equal(fx_request_h(batch, "POST", "/api/v1/events", authz, bb_buf_str(&body), ndjson), 200);
    int n_bad = 0;
    for (int i = 0; i < N; i++)
        n_bad += bad[i];
    assert_int_equal(fx_int(batch, "accepted"), N - n_bad + 1);
    assert_int_equal(fx_int(batch, "duplicates"), 0);
    json_t *rej = json_object_get(batch->json, "rejected");
    assert_int_equal(json_array_size(rej), n_bad);
    for (size_t k = 0, i = 0; k < json_array_size(rej); k++, i++) {
        while (!bad[i])
            i++;
        size_t index = i > 21 ? i + 1 : i; /* the extra event after r21 shifts the indexes */
        assert_int_equal(json_integer_value(json_object_get(json_array_get(rej, k), "index")), index);
    }
    /* The same events one request each. */
    int accepted = 0;
    for (int i = 0; i < N; i++) {
        int st = fx_request(single, "POST", "/api/v1/events", 3, ev[i]);
        assert_int_equal(st, bad[i] ? 422 : 200);
        if (i == 21)
            assert_int_equal(fx_request(single, "POST", "/api/v1/events", 3,
                                        "{\"type\":\"order\",\"event_id\":\"r21\",\"customer_id\":\"c0\","
                                        "\"order_id\":\"R21\",\"amount\":\"5.00\"}"), 200);
        accepted += !bad[i];
    }
    assert_int_equal(accepted, N - n_bad);
    bb_store_status a, b;
    bb_error err = {0};
    assert_int_equal(bb_store_status_get(batch->store, &a, &err), 0);
    assert_int_equal(bb_store_status_get(single->store, &b, &err), 0);
    assert_int_equal(a.customers, b.customers);
    assert_int_equal(a.orders, b.orders);
    assert_int_equal(a.order_lines, b.order_lines);
    assert_int_equal(a.consents, b.consents);
    assert_int_equal(a.customers, 3); /* c0..c2; the failing orders' new customers are undone */
    /* Re-sent, the batch is all duplicates (the failing r21 too now: its id names the order applied
     * after it) and the other failing ones fail again. */
    assert_int_equal(fx_request_h(batch, "POST", "/api/v1/events", authz, bb_buf_str(&body), ndjson), 200);
    assert_int_equal(fx_int(batch, "accepted"), 0);
    assert_int_equal(fx_int(batch, "duplicates"), N - n_bad + 2);
    assert_int_equal(json_array_size(json_object_get(batch->json, "rejected")), n_bad - 1);
    bb_buf_release(&body);
    for (int i = 0; i < N; i++)
        free(ev[i]);
    fx_free(batch);
    fx_free(single);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(once_each),
        cmocka_unit_test(answers_for_one),
        cmocka_unit_test(runs_like_one_by_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
