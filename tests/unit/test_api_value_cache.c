/* test_api_value_cache.c: the dashboard's answers kept per (connection, data version, key): found again
 * only for the same three, a connection's newer answer for a key replaces its older one, the oldest go
 * when the table is full; and over HTTP, a change by another connection is seen at once. */
#include "api_fixture.h"

#include <sqlite3.h>

static json_t *answer(int n)
{
    return json_pack("{s:i}", "n", n);
}

static int n_of(json_t *j)
{
    int n = j ? (int)json_integer_value(json_object_get(j, "n")) : -1;
    json_decref(j);
    return n;
}

static void same_three_only(void **state)
{
    (void)state;
    bb__value_cache *c = bb__value_cache_new();
    int a, b; /* two "connections": only their addresses are used */
    bb_store_version v1 = {1, 0}, v2 = {2, 0}, v1own = {1, 5};
    const bb_store *sa = (const bb_store *)(void *)&a, *sb = (const bb_store *)(void *)&b;
    json_t *x = answer(7);
    assert_null(bb__value_cache_get(c, sa, &v1, 90));
    bb__value_cache_put(c, sa, &v1, 90, x);
    json_decref(x);
    assert_int_equal(n_of(bb__value_cache_get(c, sa, &v1, 90)), 7);
    assert_null(bb__value_cache_get(c, sa, &v2, 90));    /* another connection committed */
    assert_null(bb__value_cache_get(c, sa, &v1own, 90)); /* this one wrote */
    assert_null(bb__value_cache_get(c, sa, &v1, 30));    /* another key */
    assert_null(bb__value_cache_get(c, sb, &v1, 90));    /* another connection's numbers */
    x = answer(8);
    bb__value_cache_put(c, sa, &v2, 90, x); /* replaces the connection's answer for 90 */
    json_decref(x);
    assert_null(bb__value_cache_get(c, sa, &v1, 90));
    assert_int_equal(n_of(bb__value_cache_get(c, sa, &v2, 90)), 8);
    bb__value_cache_free(c);
}

static void oldest_go_first(void **state)
{
    (void)state;
    bb__value_cache *c = bb__value_cache_new();
    int a;
    const bb_store *s = (const bb_store *)(void *)&a;
    bb_store_version v = {1, 0};
    for (int k = 0; k < 17; k++) { /* one more than it holds */
        json_t *x = answer(k);
        bb__value_cache_put(c, s, &v, k, x);
        json_decref(x);
    }
    assert_null(bb__value_cache_get(c, s, &v, 0)); /* the first went */
    for (int k = 1; k < 17; k++)
        assert_int_equal(n_of(bb__value_cache_get(c, s, &v, k)), k);
    bb__value_cache_free(c);
}

static void a_change_is_seen_at_once(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    sqlite3 *db = NULL;
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard", 2, NULL), 200);
    assert_int_equal(fx_int(f, "customers"), 0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard", 2, NULL), 200); /* from memory */
    assert_int_equal(fx_int(f, "customers"), 0);
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK); /* another connection (a CLI import, say) */
    sqlite3_busy_timeout(db, 10000); /* the server's writer may hold the lock a moment */
    assert_int_equal(
        sqlite3_exec(db, "INSERT INTO customer (external_id, created_at, updated_at) VALUES ('N1', 0, 0)",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard", 2, NULL), 200);
    assert_int_equal(fx_int(f, "customers"), 1);
    /* A write through the server (its writer's connection) is seen too. */
    assert_int_equal(
        fx_request(f, "POST", "/api/v1/customers", 0, "{\"customer_id\": \"N2\", \"first_name\": \"Ece\"}"),
        201);
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard", 2, NULL), 200);
    assert_int_equal(fx_int(f, "customers"), 2);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_three_only),
        cmocka_unit_test(oldest_go_first),
        cmocka_unit_test(a_change_is_seen_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
