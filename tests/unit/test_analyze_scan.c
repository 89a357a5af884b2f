/* test_analyze_scan.c: the one pass of analyze over the orders: per customer x, t_x, T and mean repeat
 * value as of the as-of time (orders after it ignored), returns left out of the occasions but netted
 * from revenue, the margin rate from orders whose product costs are known (else the default), a
 * calibration summary with holdout occasions, and one (customer, day) per month for the cohorts. */
#include "store_fixture.h"

#include "engage/analyze_impl.h"

#define DAY 86400
#define T0 1735689600 /* 2025-01-01 */

static void scan(void **state)
{
    fx *f = *state;
    bb__analyze_data d;
    bb_error err = {0};
    bb_product_rec p = {.sku = "P", .name = "p", .price_minor = 1000, .has_price = 1, .cost_minor = 600,
                        .has_cost = 1};
    fx_put_product(f, &p, NULL);
    /* a: two purchases from lines (margin 40%), a return, one order after the as-of time */
    bb_order_line_rec l1 = {.order_id = "a1", .customer_ref = "a", .ordered_at = T0, .sku = "P", .quantity = 2,
                            .unit_price_minor = 1000, .line_no = 1};
    bb_order_line_rec l2 = {.order_id = "a2", .customer_ref = "a", .ordered_at = T0 + 14 * DAY, .sku = "P",
                            .quantity = 3, .unit_price_minor = 1000, .line_no = 1};
    fx_put_order_line(f, &l1, NULL);
    fx_put_order_line(f, &l2, NULL);
    bb_order_rec ret = {.order_id = "a2-R", .customer_ref = "a", .ordered_at = T0 + 20 * DAY, .amount_minor = -1000,
                        .has_amount = 1};
    bb_order_rec late = {.order_id = "a3", .customer_ref = "a", .ordered_at = T0 + 100 * DAY, .amount_minor = 5000,
                         .has_amount = 1};
    /* b: one order without costs in February, one in March */
    bb_order_rec b1 = {.order_id = "b1", .customer_ref = "b", .ordered_at = T0 + 40 * DAY, .amount_minor = 700,
                       .has_amount = 1};
    bb_order_rec b2 = {.order_id = "b2", .customer_ref = "b", .ordered_at = T0 + 70 * DAY, .amount_minor = 300,
                       .has_amount = 1};
    fx_put_order(f, &ret, NULL);
    fx_put_order(f, &late, NULL);
    fx_put_order(f, &b1, NULL);
    fx_put_order(f, &b2, NULL);

    memset(&d, 0, sizeof d);
    d.full = (bb_summary_opts){.ticks_per_day = DAY, .unit_days = 7, .has_as_of = 1, .as_of = T0 + 77 * DAY};
    d.with_cal = 1;
    d.cal = d.full;
    d.cal.as_of = T0 + 7 * DAY;
    d.cal.has_holdout = 1;
    d.cal.holdout_end = d.full.as_of;
    d.default_margin = 0.25;
    assert_int_equal(bb__analyze_scan(f->s, &d, &err), 0);
    assert_int_equal(d.n, 2);
    size_t a = d.id[0] == fx_resolve(f, "a", NULL) ? 0 : 1, b = 1 - a;
    assert_int_equal(d.x[a], 1);
    assert_float_equal(d.t_x[a], 2.0, 1e-12);
    assert_float_equal(d.T[a], 11.0, 1e-12);
    assert_float_equal(d.mean_value[a], 3000, 1e-9);
    assert_int_equal(d.orders[a], 2);
    assert_int_equal(d.revenue[a], 2000 + 3000 - 1000);
    assert_float_equal(d.margin_rate[a], 0.4, 1e-12);
    assert_float_equal(d.recency_days[a], 63, 1e-12);
    assert_float_equal(d.margin_rate[b], 0.25, 1e-12);
    assert_int_equal(d.revenue[b], 1000);
    assert_int_equal(d.n_orders, 4);
    /* calibration to day 7: only a (b's first order is later); a's repeat on day 14 is a holdout one */
    assert_int_equal(d.cal_n, 1);
    assert_int_equal(d.cx[0], 0);
    assert_int_equal(d.cx_holdout[0], 1);
    /* months: a in January, b in February and March */
    assert_int_equal(d.m_n, 3);
    bb__analyze_data_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(scan, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
