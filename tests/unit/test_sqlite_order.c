/* test_sqlite_order.c: orders and order lines: idempotence, orders made from lines, their amounts and
 * margins, returns, the write-behind. Expected amounts are computed by hand in the comments. */
#include "store/sqlite_db.h" /* white box: shrinks the caches */
#include "store_fixture.h"

static bb_order_line_rec line(const char *order, const char *cust, const char *sku, double qty,
                              int64_t price, int no)
{
    bb_order_line_rec l = {.order_id = order, .customer_ref = cust, .ordered_at = 1700000000,
                           .sku = sku, .quantity = qty, .unit_price_minor = price, .line_no = no};
    return l;
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

static void write_behind_same_line_twice(void **state)
{
    fx *f = *state;
    fx_begin(f);
    bb_order_line_rec l = line("W1", "C1", "P1", 1, 100, 1);
    assert_int_equal(fx_put_order_line(f, &l, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &l, NULL), BB_PUT_UNCHANGED); /* still in the buffer */
    l.quantity = 3;
    assert_int_equal(fx_put_order_line(f, &l, NULL), BB_PUT_UPDATED);
    /* lines out of order and past 64 */
    bb_order_line_rec far = line("W1", "C1", "P1", 1, 10, 100);
    bb_order_line_rec near = line("W1", "C1", "P1", 1, 10, 70);
    assert_int_equal(fx_put_order_line(f, &far, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &near, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &near, NULL), BB_PUT_UNCHANGED);
    assert_int_equal(fx_put_order_line(f, &far, NULL), BB_PUT_UNCHANGED);
    fx_commit(f);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 3);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders"), 300 + 10 + 10);
}

/* In bulk mode too, and with lines numbered below the highest of an order made in this handle (its
 * lines are not kept in memory: they are read back to compare). Amounts by hand. */
static void write_behind_lines_below_the_highest(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    assert_int_equal(bb_store_bulk(f->s, 1, &err), 0);
    fx_begin(f);
    bb_order_line_rec l3 = line("G1", "C1", "P1", 1, 300, 3), l1 = line("G1", "C1", "P1", 1, 100, 1);
    bb_order_line_rec l2 = line("G1", "C1", "P2", 2, 20, 2), other = line("G2", "C2", "P1", 1, 7, 1);
    assert_int_equal(fx_put_order_line(f, &l3, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &other, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &l1, NULL), BB_PUT_INSERTED); /* below 3: a gap */
    assert_int_equal(fx_put_order_line(f, &l2, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &l3, NULL), BB_PUT_UNCHANGED);
    assert_int_equal(fx_put_order_line(f, &other, NULL), BB_PUT_UNCHANGED);
    l1.unit_price_minor = 150;
    assert_int_equal(fx_put_order_line(f, &l1, NULL), BB_PUT_UPDATED);
    bb_order_line_rec l4 = line("G1", "C1", "P2", -1, 20, 4); /* above again, now listed */
    assert_int_equal(fx_put_order_line(f, &l4, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &l4, NULL), BB_PUT_UNCHANGED);
    fx_commit(f);
    assert_int_equal(bb_store_bulk(f->s, 0, &err), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 5);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders WHERE external_id = 'G1'"), 300 + 150 + 40 - 20);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders WHERE external_id = 'G2'"), 7);
    assert_int_equal(fx_int(f, "SELECT unit_price_minor FROM order_line WHERE line_no = 1 AND quantity = 1"
                               " AND order_id = (SELECT id FROM orders WHERE external_id = 'G1')"), 150);
}

/* Hints of the next line change nothing: the same puts with hints before each (of that line, of
 * another, of lines never put, of a line without a customer) give the same results and rows. */
static void hints_change_nothing(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_order_line_rec stray = line("NEVER", "NOBODY", "P9", 1, 1, 1), bare = {.order_id = "X"};
    assert_int_equal(bb_store_bulk(f->s, BB_STORE_BULK_LOAD, &err), 0);
    bb_store_hint_order_line(f->s, &stray); /* outside a transaction too */
    fx_begin(f);
    for (int i = 0; i < 600; i++) {
        char oid[16], cust[16];
        snprintf(oid, sizeof oid, "H%d", i / 3);
        snprintf(cust, sizeof cust, "C%d", i / 9);
        bb_order_line_rec l = line(oid, cust, "P1", 1, 100 + i, i % 3 + 1);
        bb_store_hint_order_line(f->s, i % 2 ? &l : &stray);
        bb_store_hint_order_line(f->s, &bare);
        assert_int_equal(fx_put_order_line(f, &l, NULL), BB_PUT_INSERTED);
        bb_store_hint_order_line(f->s, &l);
        assert_int_equal(fx_put_order_line(f, &l, NULL), BB_PUT_UNCHANGED);
    }
    fx_commit(f);
    assert_int_equal(bb_store_bulk(f->s, 0, &err), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 600);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 200);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 67);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders WHERE external_id = 'NEVER'"), 0);
    /* amounts by hand: order k holds lines 3k..3k+2, unit prices 100 + i */
    assert_int_equal(fx_int(f, "SELECT sum(amount_minor) FROM orders"), 600 * 100 + 599 * 600 / 2);
}

static void lines_of_stored_orders(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_order_line_rec l1 = line("D1", "C1", "P1", 2, 100, 1), l2 = line("D1", "C1", "P2", 1, 50, 2);
    fx_put_order_line(f, &l1, NULL);
    fx_put_order_line(f, &l2, NULL);
    /* a new handle knows nothing: the order's lines are read back from the database */
    bb_store_close(f->s);
    assert_int_equal(bb_store_open(f->path, 0, &f->s, &err), 0);
    fx_begin(f);
    assert_int_equal(fx_put_order_line(f, &l2, NULL), BB_PUT_UNCHANGED);
    assert_int_equal(fx_put_order_line(f, &l1, NULL), BB_PUT_UNCHANGED);
    l2.unit_price_minor = 70;
    assert_int_equal(fx_put_order_line(f, &l2, NULL), BB_PUT_UPDATED);
    bb_order_line_rec l3 = line("D1", "C1", "P1", 1, 5, 3);
    assert_int_equal(fx_put_order_line(f, &l3, NULL), BB_PUT_INSERTED);
    l2.sku = "P3"; /* another product on the same line */
    assert_int_equal(fx_put_order_line(f, &l2, NULL), BB_PUT_UPDATED);
    fx_commit(f);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders"), 200 + 70 + 5);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 3);
    assert_int_equal(fx_int(f, "SELECT p.sku = 'P3' FROM order_line l JOIN product p"
                               " ON p.id = l.product_id WHERE line_no = 2"), 1);
}

/* Orders put in one transaction beside lines waiting in the write-behind: a new order is written at
 * once without writing what waits, and so is a customer resolved; a known order is written from what
 * waits first. Amounts by hand. */
static void orders_beside_the_write_behind(void **state)
{
    fx *f = *state;
    bb__sqlite *q = (bb__sqlite *)f->s;
    fx_begin(f);
    bb_order_line_rec l1 = line("W1", "C1", "P1", 2, 1000, 1); /* 20.00, order W1 made from it */
    assert_int_equal(fx_put_order_line(f, &l1, NULL), BB_PUT_INSERTED);
    assert_int_equal(q->n_lines, 1);
    bb_order_rec o2 = {.order_id = "W2", .customer_ref = "C2", .ordered_at = 1700000100,
                       .amount_minor = 700, .has_amount = 1};
    assert_int_equal(fx_put_order(f, &o2, NULL), BB_PUT_INSERTED);
    assert_int_equal(q->n_lines, 1); /* still waiting */
    bb_order_line_rec l2 = line("W2", NULL, "P1", 1, 500, 1);
    assert_int_equal(fx_put_order_line(f, &l2, NULL), BB_PUT_INSERTED);
    /* W1 is known (waiting): put as an order with its own amount, it is read back after a flush */
    bb_order_rec o1 = {.order_id = "W1", .customer_ref = "C1", .ordered_at = 1700000000,
                       .amount_minor = 1900, .has_amount = 1};
    /* resolving a customer made by a waiting line finds it and writes nothing */
    assert_true(fx_resolve(f, "C1", NULL) > 0);
    assert_int_equal(q->n_lines, 2);
    assert_int_equal(fx_put_order(f, &o1, NULL), BB_PUT_UPDATED);
    assert_int_equal(q->n_lines, 0);
    fx_commit(f);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 2);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders WHERE external_id = 'W1'"), 1900);
    assert_int_equal(fx_int(f, "SELECT from_lines FROM orders WHERE external_id = 'W1'"), 0);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders WHERE external_id = 'W2'"), 700);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders o JOIN customer c ON c.id = o.customer_id"
                               " WHERE (o.external_id, c.external_id) IN (VALUES ('W1', 'C1'), ('W2', 'C2'))"),
                     2);
}

static void rollback_forgets_pending(void **state)
{
    fx *f = *state;
    bb_put_stats st = {0};
    bb_order_line_rec l = line("R1", "C1", "P1", 1, 100, 1);
    fx_begin(f);
    assert_int_equal(fx_put_order_line(f, &l, &st), BB_PUT_INSERTED);
    bb_store_rollback(f->s);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 0);
    memset(&st, 0, sizeof st);
    assert_int_equal(fx_put_order_line(f, &l, &st), BB_PUT_INSERTED);
    assert_int_equal(st.orders_created + st.customers_created + st.products_created, 3);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 1);
}

static void small_caches(void **state)
{
    fx *f = *state;
    bb__sqlite *q = (bb__sqlite *)f->s;
    char oid[16], cid[16], sku[16];
    bb_put_stats st = {0};
    int64_t want = 0;
    q->customers.max = 7, q->orders.max = 5, q->products.max = 3;
    for (int pass = 0; pass < 2; pass++) { /* the second pass changes nothing */
        fx_begin(f);
        for (int o = 0; o < 200; o++) {
            snprintf(oid, sizeof oid, "S%d", o);
            snprintf(cid, sizeof cid, "C%d", o % 50);
            for (int k = 1; k <= 3; k++) {
                snprintf(sku, sizeof sku, "P%d", (o + k) % 11);
                bb_order_line_rec l = line(oid, cid, sku, k, 10 + o, k);
                want += pass ? 0 : k * (10 + o);
                assert_int_equal(fx_put_order_line(f, &l, &st),
                                 pass ? BB_PUT_UNCHANGED : BB_PUT_INSERTED);
            }
        }
        fx_commit(f);
    }
    assert_int_equal(st.orders_created, 200);
    assert_int_equal(st.customers_created, 50);
    assert_int_equal(st.products_created, 11);
    assert_int_equal(fx_int(f, "SELECT sum(amount_minor) FROM orders"), want);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 600);
}

static void failure_halfway_refuses_commit(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_put_result res;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER no_bad BEFORE INSERT ON orders"
                                      " WHEN new.external_id = 'BAD'"
                                      " BEGIN SELECT RAISE(ABORT, 'no bad orders'); END;",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    /* a pending order fails when written: the commit reports it, nothing stays */
    fx_begin(f);
    bb_order_line_rec ok = line("OK", "C1", "P1", 1, 100, 1), bad = line("BAD", "C1", "P1", 1, 100, 1);
    assert_int_equal(fx_put_order_line(f, &ok, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_order_line(f, &bad, NULL), BB_PUT_INSERTED);
    assert_int_not_equal(bb_store_commit(f->s, &err), 0);
    assert_non_null(strstr(err.msg, "no bad orders"));
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 0);
    /* a new order waits for the next flush too: its failure is the commit's */
    fx_begin(f);
    bb_order_rec o = {.order_id = "BAD", .customer_ref = "C1", .ordered_at = 1, .amount_minor = 1,
                      .has_amount = 1};
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_INSERTED);
    assert_int_not_equal(bb_store_commit(f->s, &err), 0);
    assert_non_null(strstr(err.msg, "no bad orders"));
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 0);
    /* a write that fails half-way in the caller's transaction (an order with a channel too long to
     * wait is written at once): the commit refuses */
    fx_begin(f);
    o.channel = "a channel name too long to wait in the cache";
    assert_int_not_equal(bb_store_put_order(f->s, &o, &res, NULL, &err), 0);
    assert_int_equal(bb_store_commit(f->s, &err), BB_EDB);
    assert_non_null(strstr(err.msg, "rolled back"));
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 0);
    /* bad input does not: the transaction goes on */
    fx_begin(f);
    o.order_id = "GOOD";
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_INSERTED);
    bb_order_rec missing = {.order_id = "X", .ordered_at = 1};
    assert_int_equal(bb_store_put_order(f->s, &missing, &res, NULL, &err), BB_EINVAL);
    fx_commit(f);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(orders_are_idempotent, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(orders_from_lines, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(orders_and_lines_together, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(many_lines_many_orders, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(write_behind_same_line_twice, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(write_behind_lines_below_the_highest, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(hints_change_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(lines_of_stored_orders, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(orders_beside_the_write_behind, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rollback_forgets_pending, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(small_caches, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(failure_halfway_refuses_commit, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
