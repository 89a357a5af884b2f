/* test_sqlite_product.c: products: the upsert on SKU, absent fields kept, bad input refused, bare
 * products from lines, margins rewritten when a cost changes. */
#include "store_fixture.h"

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

static void cost_changes_rewrite_margins(void **state)
{
    fx *f = *state;
    bb_put_stats st = {0};
    /* 3 orders of one line each: 2 x 10.00 of P (no cost yet) */
    fx_begin(f);
    for (int i = 0; i < 3; i++) {
        char oid[8];
        snprintf(oid, sizeof oid, "O%d", i);
        bb_order_line_rec l = {.order_id = oid, .customer_ref = "C", .ordered_at = 1700000000,
                               .sku = "P", .quantity = 2, .unit_price_minor = 1000, .line_no = 1};
        fx_put_order_line(f, &l, &st);
    }
    fx_commit(f);
    assert_int_equal(st.products_created, 1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders WHERE margin_minor IS NULL"), 3);
    /* the cost arrives in a transaction that goes on writing lines of a cached order */
    fx_begin(f);
    bb_product_rec p = {.sku = "P", .name = "Peynir", .cost_minor = 600, .has_cost = 1};
    assert_int_equal(fx_put_product(f, &p, NULL), BB_PUT_UPDATED);
    bb_order_line_rec l2 = {.order_id = "O0", .sku = "P", .quantity = 1, .unit_price_minor = 1000,
                            .line_no = 2};
    assert_int_equal(fx_put_order_line(f, &l2, NULL), BB_PUT_INSERTED);
    fx_commit(f);
    /* O0: amount 3000, cost 3 x 600 = 1800; O1, O2: 2000 - 1200 */
    assert_int_equal(fx_int(f, "SELECT margin_minor FROM orders WHERE external_id = 'O0'"), 1200);
    assert_int_equal(fx_int(f, "SELECT sum(margin_minor) FROM orders WHERE external_id != 'O0'"), 1600);
    /* a changed cost again, outside a transaction */
    p.cost_minor = 700;
    assert_int_equal(fx_put_product(f, &p, NULL), BB_PUT_UPDATED);
    assert_int_equal(fx_int(f, "SELECT margin_minor FROM orders WHERE external_id = 'O0'"), 3000 - 2100);
    /* and the cached orders know it: a new line keeps the margin exact */
    bb_order_line_rec l3 = {.order_id = "O1", .sku = "P", .quantity = 1, .unit_price_minor = 1000,
                            .line_no = 2};
    assert_int_equal(fx_put_order_line(f, &l3, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_int(f, "SELECT margin_minor FROM orders WHERE external_id = 'O1'"), 3000 - 2100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(products, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(cost_changes_rewrite_margins, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
