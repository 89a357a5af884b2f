/* test_sqlite_defer.c: a bulk load (BB_STORE_BULK_LOAD) into an empty orders table drops the orders'
 * indexes by customer and time (and the customers' by latest purchase) while it runs and builds them
 * at its end, the same statements as the migrations made (compared with a database that never
 * loaded); a rollback keeps them; a load that ends without switching bulk mode off (a crash) leaves
 * them to the next open; a load into a table that has orders, or bulk mode without the promise, drops
 * nothing. Read through SQL on a connection of its own. */
#include "store_fixture.h"

/* The indexes a load defers, "name: sql" sorted, joined by newlines (the schema's own text). */
static const char *orders_indexes(fx *f, char *buf, size_t size)
{
    return fx_text(f,
                   "SELECT group_concat(name || ': ' || sql, char(10)) FROM (SELECT name, sql FROM"
                   " sqlite_schema WHERE type = 'index' AND name IN ('orders_customer_time', 'orders_time',"
                   " 'customer_last') ORDER BY name)",
                   buf, size);
}

static int64_t deferred_rows(fx *f)
{
    return fx_int(f, "SELECT count(*) FROM meta WHERE key LIKE 'deferred_index:%'");
}

static void bulk(fx *f, int on)
{
    bb_error e = {0};
    if (bb_store_bulk(f->s, on, &e) != 0)
        fail_msg("bulk: %s", e.msg);
}

static void lines(fx *f, int from, int n)
{
    char oid[32], cust[32], sku[32];
    for (int i = from; i < from + n; i++) {
        snprintf(oid, sizeof oid, "O%d", i / 3);
        snprintf(cust, sizeof cust, "C%d", i % 17);
        snprintf(sku, sizeof sku, "S%d", i % 5);
        bb_order_line_rec l = {.order_id = oid, .customer_ref = cust, .ordered_at = 1700000000 + i,
                               .sku = sku, .quantity = 1, .unit_price_minor = 100 + i, .line_no = i % 3 + 1};
        fx_put_order_line(f, &l, NULL);
    }
}

static const char *const WANT = "customer_last: CREATE INDEX customer_last ON customer(last_order_at, last_order_id)\n"
                                "  WHERE merged_into IS NULL AND last_order_at IS NOT NULL\n"
                                "orders_customer_time: CREATE INDEX orders_customer_time ON orders(customer_id, ordered_at)\n"
                                "orders_time: CREATE INDEX orders_time ON orders(ordered_at)";

static void load_builds_them_at_the_end(void **state)
{
    fx *f = *state;
    char before[1024], during[1024], after[1024];
    orders_indexes(f, before, sizeof before);
    assert_string_equal(before, WANT); /* what the migrations made */
    bulk(f, BB_STORE_BULK_LOAD);
    fx_begin(f);
    lines(f, 0, 300);
    fx_commit(f);
    assert_string_equal(orders_indexes(f, during, sizeof during), "");
    assert_int_equal(deferred_rows(f), 3);
    fx_begin(f); /* a second batch of the same load */
    lines(f, 300, 300);
    fx_commit(f);
    bulk(f, 0);
    assert_string_equal(orders_indexes(f, after, sizeof after), WANT);
    assert_int_equal(deferred_rows(f), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 200);
    /* the built index holds every order: a count through it equals the table's */
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders INDEXED BY orders_time WHERE ordered_at > 0"), 200);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders INDEXED BY orders_customer_time WHERE customer_id > 0"),
                     200);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer INDEXED BY customer_last WHERE merged_into IS NULL AND"
                               " last_order_at IS NOT NULL AND last_order_at > 0"),
                     fx_int(f, "SELECT count(*) FROM customer WHERE last_order_at IS NOT NULL"));
    assert_int_equal(fx_int(f, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
}

static void rollback_keeps_them(void **state)
{
    fx *f = *state;
    char now[1024];
    bulk(f, BB_STORE_BULK_LOAD);
    fx_begin(f);
    lines(f, 0, 30);
    bb_store_rollback(f->s);
    assert_string_equal(orders_indexes(f, now, sizeof now), WANT);
    assert_int_equal(deferred_rows(f), 0);
    bulk(f, 0);
    assert_string_equal(orders_indexes(f, now, sizeof now), WANT);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 0);
}

/* Closed in the middle of the load, as a kill -9 leaves it: the next open builds them. */
static void crash_leaves_them_to_the_next_open(void **state)
{
    fx *f = *state;
    char now[1024];
    bb_error e = {0};
    bulk(f, BB_STORE_BULK_LOAD);
    fx_begin(f);
    lines(f, 0, 90);
    fx_commit(f);
    bb_store_close(f->s); /* no bulk off */
    f->s = NULL;
    assert_string_equal(orders_indexes(f, now, sizeof now), "");
    assert_int_equal(deferred_rows(f), 3);
    assert_int_equal(bb_store_open(f->path, 0, &f->s, &e), 0);
    assert_string_equal(orders_indexes(f, now, sizeof now), WANT);
    assert_int_equal(deferred_rows(f), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders INDEXED BY orders_time WHERE ordered_at > 0"), 30);
}

static void nothing_dropped_otherwise(void **state)
{
    fx *f = *state;
    char now[1024];
    bulk(f, 1); /* bulk mode without the promise */
    fx_begin(f);
    lines(f, 0, 30);
    fx_commit(f);
    assert_string_equal(orders_indexes(f, now, sizeof now), WANT);
    bulk(f, 0);
    bulk(f, BB_STORE_BULK_LOAD); /* a load into a table that has orders */
    fx_begin(f);
    lines(f, 30, 30);
    fx_commit(f);
    assert_string_equal(orders_indexes(f, now, sizeof now), WANT);
    assert_int_equal(deferred_rows(f), 0);
    bulk(f, 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(load_builds_them_at_the_end, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rollback_keeps_them, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(crash_leaves_them_to_the_next_open, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(nothing_dropped_otherwise, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
