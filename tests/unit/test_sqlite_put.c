/* test_sqlite_put.c: products, orders and order lines: idempotence, orders made from lines, their
 * amounts and margins, returns. Expected amounts are computed by hand in the comments. */
#include "store_fixture.h"

static bb_order_line_rec line(const char *order, const char *cust, const char *sku, double qty,
                              int64_t price, int no)
{
    bb_order_line_rec l = {.order_id = order, .customer_ref = cust, .ordered_at = 1700000000,
                           .sku = sku, .quantity = qty, .unit_price_minor = price, .line_no = no};
    return l;
}

static void products(void **state)
{
    fx *f = *state;
    char buf[64];
    bb_product_rec p = {.sku = "SKU1", .name = "Çay", .category = "içecek", .price_minor = 4500,
                        .has_price = 1};
    assert_int_equal(fx_put_product(f, &p, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_product(f, &p, NULL), BB_PUT_UNCHANGED);
    assert_string_equal(fx_text(f, "SELECT currency FROM product", buf, sizeof buf), "TRY");
    assert_int_equal(fx_int(f, "SELECT cost_minor IS NULL FROM product"), 1);
    p.cost_minor = 3000;
    p.has_cost = 1;
    assert_int_equal(fx_put_product(f, &p, NULL), BB_PUT_UPDATED);
    assert_int_equal(fx_put_product(f, &p, NULL), BB_PUT_UNCHANGED);
    bb_product_rec bare = {.sku = "SKU1"}; /* absent fields keep their values */
    assert_int_equal(fx_put_product(f, &bare, NULL), BB_PUT_UNCHANGED);
    assert_int_equal(fx_int(f, "SELECT price_minor FROM product"), 4500);
    bb_error err = {0};
    bb_put_result res;
    bb_product_rec bad = {.sku = "SKU2", .currency = "tl"};
    assert_int_equal(bb_store_put_product(f->s, &bad, &res, NULL, &err), BB_EINVAL);
    bad.sku = NULL;
    assert_int_equal(bb_store_put_product(f->s, &bad, &res, NULL, &err), BB_EINVAL);
}

static void orders_are_idempotent(void **state)
{
    fx *f = *state;
    bb_put_stats st = {0};
    bb_order_rec o = {.order_id = "A1", .customer_ref = "1", .ordered_at = 1736035200,
                      .amount_minor = 12050, .has_amount = 1, .currency = "TRY", .channel = "web"};
    assert_int_equal(fx_put_order(f, &o, &st), BB_PUT_INSERTED);
    assert_int_equal(st.customers_created, 1);
    assert_int_equal(fx_put_order(f, &o, &st), BB_PUT_UNCHANGED);
    int64_t upd = fx_int(f, "SELECT updated_at FROM orders");
    o.channel = NULL; /* absent: kept */
    assert_int_equal(fx_put_order(f, &o, &st), BB_PUT_UNCHANGED);
    o.amount_minor = -12050; /* a return is data */
    assert_int_equal(fx_put_order(f, &o, &st), BB_PUT_UPDATED);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders"), -12050);
    assert_true(fx_int(f, "SELECT updated_at FROM orders") >= upd);
    /* moved to another customer: its lines follow */
    o.customer_ref = "2";
    assert_int_equal(fx_put_order(f, &o, &st), BB_PUT_UPDATED);
    assert_int_equal(fx_int(f, "SELECT customer_id FROM orders"), fx_resolve(f, "2", NULL));
    assert_int_equal(st.customers_created, 2);
    bb_error err = {0};
    bb_put_result res;
    o.ordered_at = 0;
    assert_int_equal(bb_store_put_order(f->s, &o, &res, NULL, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "ordered_at"));
}

static void orders_from_lines(void **state)
{
    fx *f = *state;
    bb_put_stats st = {0};
    fx_begin(f);
    bb_order_line_rec l1 = line("O1", "C1", "P1", 2, 1250, 1);   /* 25.00 */
    bb_order_line_rec l2 = line("O1", "C1", "P2", 1.5, 999, 2);  /* 14.985 -> 14.99 */
    bb_order_line_rec l3 = line("O1", "C1", "P1", -1, 1250, 3);  /* a return: -12.50 */
    assert_int_equal(fx_put_order_line(f, &l1, &st), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &l2, &st), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &l3, &st), BB_PUT_INSERTED);
    fx_commit(f);
    assert_int_equal(st.orders_created, 1);
    assert_int_equal(st.products_created, 2);
    assert_int_equal(st.customers_created, 1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 3);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders"), 2500 + 1499 - 1250);
    assert_int_equal(fx_int(f, "SELECT from_lines FROM orders"), 1);
    assert_int_equal(fx_int(f, "SELECT margin_minor IS NULL FROM orders"), 1); /* no costs known */
    int64_t upd = fx_int(f, "SELECT updated_at FROM orders");

    /* the same lines again: all unchanged, nothing written */
    bb_put_stats st2 = {0};
    fx_begin(f);
    assert_int_equal(fx_put_order_line(f, &l1, &st2), BB_PUT_UNCHANGED);
    assert_int_equal(fx_put_order_line(f, &l2, &st2), BB_PUT_UNCHANGED);
    assert_int_equal(fx_put_order_line(f, &l3, &st2), BB_PUT_UNCHANGED);
    fx_commit(f);
    assert_int_equal(st2.orders_created + st2.products_created + st2.customers_created, 0);
    assert_int_equal(fx_int(f, "SELECT updated_at FROM orders"), upd);

    /* a changed line updates the amount */
    l2.quantity = 2; /* 19.98 */
    assert_int_equal(fx_put_order_line(f, &l2, NULL), BB_PUT_UPDATED);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders"), 2500 + 1998 - 1250);
    assert_int_equal(fx_int(f, "SELECT quantity FROM order_line WHERE line_no = 2"), 2);

    /* costs arrive: the margin is amount - sum(quantity * cost) once every product has one */
    bb_product_rec p1 = {.sku = "P1", .cost_minor = 800, .has_cost = 1};
    bb_product_rec p2 = {.sku = "P2", .cost_minor = 500, .has_cost = 1};
    assert_int_equal(fx_put_product(f, &p1, NULL), BB_PUT_UPDATED);
    assert_int_equal(fx_int(f, "SELECT margin_minor IS NULL FROM orders"), 1);
    assert_int_equal(fx_put_product(f, &p2, NULL), BB_PUT_UPDATED);
    /* cost: 2*800 + 2*500 - 800 = 1800; amount 3248 */
    assert_int_equal(fx_int(f, "SELECT margin_minor FROM orders"), 3248 - 1800);
    /* a new line with a known cost keeps it up to date */
    bb_order_line_rec l4 = line("O1", "C1", "P2", 1, 1000, 4);
    assert_int_equal(fx_put_order_line(f, &l4, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders"), 4248);
    assert_int_equal(fx_int(f, "SELECT margin_minor FROM orders"), 4248 - 2300);
    /* a line for a product without cost makes the margin unknown again */
    bb_order_line_rec l5 = line("O1", "C1", "P3", 1, 100, 5);
    assert_int_equal(fx_put_order_line(f, &l5, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_int(f, "SELECT margin_minor IS NULL FROM orders"), 1);
}

static void orders_and_lines_together(void **state)
{
    fx *f = *state;
    /* an order with its own amount (shipping, discounts) keeps it; its margin uses it */
    bb_product_rec p = {.sku = "P1", .cost_minor = 1000, .has_cost = 1};
    fx_put_product(f, &p, NULL);
    bb_order_rec o = {.order_id = "B1", .customer_ref = "C1", .ordered_at = 1700000000,
                      .amount_minor = 5000, .has_amount = 1};
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_INSERTED);
    bb_order_line_rec l = line("B1", NULL, "P1", 2, 2000, 1);
    assert_int_equal(fx_put_order_line(f, &l, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders"), 5000);
    assert_int_equal(fx_int(f, "SELECT margin_minor FROM orders"), 5000 - 2000);
    /* the order again, now without an amount: it takes the lines' sum */
    o.has_amount = 0;
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_UPDATED);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders"), 4000);
    assert_int_equal(fx_int(f, "SELECT margin_minor FROM orders"), 2000);
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_UNCHANGED);
    /* a line for an unknown order without a customer is an error, and writes nothing */
    bb_error err = {0};
    bb_put_result res;
    bb_order_line_rec orphan = line("B2", NULL, "P9", 1, 1, 1);
    assert_int_equal(bb_store_put_order_line(f->s, &orphan, &res, NULL, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "B2"));
    assert_int_equal(fx_int(f, "SELECT count(*) FROM product"), 1);
    orphan.customer_ref = "C1";
    orphan.line_no = 0;
    assert_int_equal(bb_store_put_order_line(f->s, &orphan, &res, NULL, &err), BB_EINVAL);
}

static void many_lines_many_orders(void **state)
{
    fx *f = *state;
    char oid[32], cid[32], sku[32];
    bb_put_stats st = {0};
    int64_t want = 0;
    /* 3000 orders of 1..4 lines, spread over 500 customers and 50 products, in one transaction */
    fx_begin(f);
    for (int o = 0; o < 3000; o++) {
        snprintf(oid, sizeof oid, "O%d", o);
        snprintf(cid, sizeof cid, "C%d", o % 500);
        for (int k = 1; k <= 1 + o % 4; k++) {
            snprintf(sku, sizeof sku, "S%d", (o * 7 + k) % 50);
            bb_order_line_rec l = line(oid, cid, sku, k, 100 + o % 13, k);
            want += k * (100 + o % 13);
            assert_int_equal(fx_put_order_line(f, &l, &st), BB_PUT_INSERTED);
        }
    }
    fx_commit(f);
    assert_int_equal(st.orders_created, 3000);
    assert_int_equal(st.customers_created, 500);
    assert_int_equal(st.products_created, 50);
    assert_int_equal(fx_int(f, "SELECT sum(amount_minor) FROM orders"), want);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders o WHERE amount_minor != (SELECT "
                               "sum(quantity * unit_price_minor) FROM order_line WHERE order_id = o.id)"),
                     0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line l JOIN orders o ON o.id = l.order_id "
                               "WHERE l.customer_id != o.customer_id"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(products, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(orders_are_idempotent, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(orders_from_lines, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(orders_and_lines_together, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(many_lines_many_orders, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
