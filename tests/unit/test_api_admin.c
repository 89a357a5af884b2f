/* test_api_admin.c: GET /api/v1/health and GET /api/v1/audit (entries, paging by cursor, filters, bad
 * arguments). */
#include "api_fixture.h"

static void health(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/health", -1, NULL), 200);
    assert_string_equal(fx_str(f, "status"), "ok");
    assert_string_equal(fx_str(f, "version"), "test");
    assert_int_equal(fx_int(f, "schema_version"), bb_store_schema_version_supported());
    assert_int_equal(strlen(fx_str(f, "time")), 20);
    fx_free(f);
}

static void audit_pages(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    /* The fixture made 4 tokens: 4 entries "token.create" by "test". */
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit?limit=3", 0, NULL), 200);
    json_t *e = json_object_get(f->json, "entries");
    assert_int_equal(json_array_size(e), 3);
    json_t *first = json_array_get(e, 0);
    assert_string_equal(json_string_value(json_object_get(first, "action")), "token.create");
    assert_string_equal(json_string_value(json_object_get(first, "target")), "ingest"); /* newest first */
    assert_string_equal(json_string_value(json_object_get(first, "actor")), "test");
    assert_int_equal(strlen(json_string_value(json_object_get(first, "at"))), 20);
    char next[64];
    snprintf(next, sizeof next, "/api/v1/audit?limit=3&cursor=%s", fx_str(f, "next_cursor"));
    assert_int_equal(fx_request(f, "GET", next, 0, NULL), 200);
    e = json_object_get(f->json, "entries");
    assert_int_equal(json_array_size(e), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "target")), "admin");
    assert_true(json_is_null(json_object_get(f->json, "next_cursor"))); /* the last page */
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit?action=nothing", 0, NULL), 200);
    assert_int_equal(json_array_size(json_object_get(f->json, "entries")), 0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit?limit=0", 0, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "limit");
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit?cursor=abc", 0, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "cursor");
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit?who=user:ayse", 0, NULL), 422); /* not "actor" */
    assert_string_equal(fx_str(f, "error.where"), "who");
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(health),
        cmocka_unit_test(audit_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
