/* test_sqlite_last.c: each customer's stored latest purchase (and its copy in customer_score) stays
 * what the orders say after every kind of write: new orders (one at a time, in bulk across many
 * flushes), an order re-dated, moved to another customer or turned into a return (by its amount or by
 * a line), a return turned into a purchase, a merge, a rollback, and scores written after. The truth is
 * computed here from the orders table by SQL, not by the code under test. */
#include "store_fixture.h"

#include "birebir/store_score.h"

/* Customers whose stored latest purchase differs from the orders' (the greatest (ordered_at, id) of
 * those with amount >= 0), and score rows whose copy differs from their customer's. */
#define WRONG_CUSTOMERS                                                                                        \
    "SELECT count(*) FROM customer c WHERE (c.last_order_at, c.last_order_id) IS NOT (SELECT o.ordered_at, o.id" \
    " FROM orders o WHERE o.customer_id = c.id AND o.amount_minor >= 0 ORDER BY o.ordered_at DESC, o.id DESC"   \
    " LIMIT 1)"
#define WRONG_SCORES                                                                                            \
    "SELECT count(*) FROM customer_score s JOIN customer c ON c.id = s.customer_id WHERE (s.last_order_at,"     \
    " s.last_order_id) IS NOT (c.last_order_at, c.last_order_id)"

static void assert_true_to_orders(fx *f)
{
    assert_int_equal(fx_int(f, WRONG_CUSTOMERS), 0);
    assert_int_equal(fx_int(f, WRONG_SCORES), 0);
}

static int64_t last_of(fx *f, const char *ext)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT coalesce(last_order_at, -1) FROM customer WHERE external_id = '%s'", ext);
    return fx_int(f, sql);
}

static void order(fx *f, const char *oid, const char *cust, int64_t at, int64_t amount)
{
    bb_order_rec o = {.order_id = oid, .customer_ref = cust, .ordered_at = at, .amount_minor = amount,
                      .has_amount = 1, .currency = "TRY"};
    fx_put_order(f, &o, NULL);
}

static void line(fx *f, const char *oid, const char *cust, int64_t at, int no, double qty)
{
    bb_order_line_rec l = {.order_id = oid, .customer_ref = cust, .ordered_at = at, .sku = "S1", .quantity = qty,
                           .unit_price_minor = 1000, .currency = "TRY", .line_no = no};
    fx_put_order_line(f, &l, NULL);
}

/* Scores for every customer, so the copies are checked too. */
static void score_everyone(fx *f)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    bb_score sc[64];
    size_t n = 0;
    bb_error err = {0};
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM customer WHERE merged_into IS NULL", -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && n < 64)
        sc[n++] = (bb_score){.customer_id = sqlite3_column_int64(st, 0), .frequency = 1, .segment = "x",
                             .updated_at = 1};
    sqlite3_finalize(st);
    sqlite3_close(db);
    fx_begin(f);
    assert_int_equal(bb_store_scores_put(f->s, sc, n, &err), 0);
    fx_commit(f);
}

enum { T = 1700000000 };

static void single_writes(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    fx_begin(f);
    order(f, "O1", "A", T + 100, 500);
    order(f, "O2", "A", T + 300, 700);
    order(f, "O3", "B", T + 200, 100);
    order(f, "O4", "C", T + 50, -100); /* only a return: no purchase */
    fx_commit(f);
    assert_true_to_orders(f);
    assert_int_equal(last_of(f, "A"), T + 300);
    assert_int_equal(last_of(f, "C"), -1);
    score_everyone(f);
    assert_true_to_orders(f);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score WHERE last_order_at IS NOT NULL"), 2);

    order(f, "O2", "A", T + 10, 700); /* re-dated: O1 is A's latest now */
    assert_int_equal(last_of(f, "A"), T + 100);
    assert_true_to_orders(f);
    order(f, "O1", "A", T + 100, -500); /* a return now: O2 again */
    assert_int_equal(last_of(f, "A"), T + 10);
    assert_true_to_orders(f);
    order(f, "O2", "B", T + 400, 700); /* moved to B: A has none left */
    assert_int_equal(last_of(f, "A"), -1);
    assert_int_equal(last_of(f, "B"), T + 400);
    assert_true_to_orders(f);
    order(f, "O4", "C", T + 50, 100); /* a return become a purchase */
    assert_int_equal(last_of(f, "C"), T + 50);
    assert_true_to_orders(f);

    /* Two orders at the same time: the later order is the latest. */
    order(f, "O5", "C", T + 60, 1);
    order(f, "O6", "C", T + 60, 1);
    assert_int_equal(fx_int(f, "SELECT last_order_id FROM customer WHERE external_id = 'C'"),
                     fx_int(f, "SELECT id FROM orders WHERE external_id = 'O6'"));
    assert_true_to_orders(f);

    /* A rollback leaves nothing of its writes. */
    fx_begin(f);
    order(f, "O7", "B", T + 900, 1);
    bb_store_rollback(f->s);
    assert_int_equal(last_of(f, "B"), T + 400);
    assert_true_to_orders(f);

    /* A merge: C folded into B; B's latest is the later of both, C (a tombstone) has none. */
    order(f, "O8", "C", T + 950, 1);
    assert_int_equal(bb_store_merge(f->s, "B", "C", "test", NULL, &err), 0);
    assert_int_equal(last_of(f, "B"), T + 950);
    assert_int_equal(last_of(f, "C"), -1);
    assert_true_to_orders(f);
}

/* Orders made from lines: a return line turns an order into a return after it was written, a later line
 * turns it back; in bulk mode over many flushes (more lines than the write-behind holds). */
static void lines_and_bulk(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    char oid[32], cust[32];
    fx_begin(f);
    line(f, "L1", "A", T + 500, 1, 2);
    fx_commit(f);
    assert_int_equal(last_of(f, "A"), T + 500);
    score_everyone(f);
    fx_begin(f);
    line(f, "L1", "A", T + 500, 2, -5); /* the order's total is below zero: a return */
    fx_commit(f);
    assert_int_equal(last_of(f, "A"), -1);
    assert_true_to_orders(f);
    fx_begin(f);
    line(f, "L1", "A", T + 500, 3, 4);
    fx_commit(f);
    assert_int_equal(last_of(f, "A"), T + 500);
    assert_true_to_orders(f);

    assert_int_equal(bb_store_bulk(f->s, 1, &err), 0);
    fx_begin(f);
    for (int i = 0; i < 20000; i++) { /* 5,000 orders of 4 lines over 700 customers, some returns */
        snprintf(oid, sizeof oid, "B%05d", i / 4);
        snprintf(cust, sizeof cust, "C%03d", (i / 4 * 7919) % 700);
        line(f, oid, cust, T + (i / 4 * 104729) % 100000, i % 4 + 1, (i / 4) % 13 == 0 ? -3 : 1);
        if (i == 10000) {
            line(f, "R1", "ONLYRET", T + 5, 1, -2); /* a new customer with a return alone */
            fx_commit(f);
            assert_true_to_orders(f); /* the bare customers went in with theirs */
            assert_int_equal(last_of(f, "ONLYRET"), -1);
            fx_begin(f);
        }
    }
    fx_commit(f);
    assert_int_equal(bb_store_bulk(f->s, 0, &err), 0);
    assert_true_to_orders(f);
    assert_int_equal(last_of(f, "ONLYRET"), -1);
    assert_true(fx_int(f, "SELECT count(*) FROM customer WHERE last_order_at IS NOT NULL") > 600);
    assert_true(fx_int(f, "SELECT count(*) FROM orders WHERE amount_minor < 0") > 300);
}

/* New orders of customers whose ids are far apart (the best of each found by a sort) and close together
 * (one slot per id): the same truth either way. A customer's id is moved far by SQL on a connection of
 * its own. */
static void sparse_and_dense_ids(void **state)
{
    fx *f = *state;
    sqlite3 *db;
    order(f, "S1", "FAR", T + 1, 10);
    order(f, "S2", "NEAR", T + 1, 10);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA foreign_keys = OFF; BEGIN;"
                                  " UPDATE customer_identifier SET customer_id = 9000000 WHERE customer_id ="
                                  " (SELECT id FROM customer WHERE external_id = 'FAR');"
                                  " UPDATE orders SET customer_id = 9000000 WHERE customer_id ="
                                  " (SELECT id FROM customer WHERE external_id = 'FAR');"
                                  " UPDATE customer SET id = 9000000 WHERE external_id = 'FAR'; COMMIT",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    fx_begin(f); /* far apart: FAR, NEAR and a new one */
    order(f, "S3", "FAR", T + 30, 10);
    order(f, "S4", "FAR", T + 20, 10);
    order(f, "S5", "NEAR", T + 5, -10);
    order(f, "S6", "NEW", T + 7, 10);
    fx_commit(f);
    assert_int_equal(last_of(f, "FAR"), T + 30);
    assert_int_equal(last_of(f, "NEAR"), T + 1);
    assert_int_equal(last_of(f, "NEW"), T + 7);
    assert_true_to_orders(f);
    fx_begin(f); /* close together */
    order(f, "S7", "NEAR", T + 40, 10);
    order(f, "S8", "NEW", T + 3, 10);
    order(f, "S9", "NEW", T + 8, 10);
    fx_commit(f);
    assert_int_equal(last_of(f, "NEAR"), T + 40);
    assert_int_equal(last_of(f, "NEW"), T + 8);
    assert_true_to_orders(f);
}

/* Migration 0008 on a database written before it: the columns are filled from the orders. The database
 * is taken back to schema 7 by hand (the columns and indexes dropped), then opened again. */
static void migration_backfills(void **state)
{
    fx *f = *state;
    sqlite3 *db;
    bb_error err = {0};
    fx_begin(f);
    order(f, "O1", "A", T + 100, 500);
    order(f, "O2", "A", T + 300, -700);
    order(f, "O3", "B", T + 200, 100);
    order(f, "O4", "B", T + 200, 100);
    order(f, "O5", "C", T + 50, -100);
    fx_commit(f);
    score_everyone(f);
    bb_store_close(f->s);
    f->s = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP INDEX customer_last; DROP INDEX customer_no_order;"
                                  " DROP INDEX customer_score_seg_last; DROP INDEX customer_score_seg_clv;"
                                  " DROP INDEX customer_score_seg_revenue;"
                                  " ALTER TABLE customer DROP COLUMN last_order_at;"
                                  " ALTER TABLE customer DROP COLUMN last_order_id;"
                                  " ALTER TABLE customer_score DROP COLUMN last_order_at;"
                                  " ALTER TABLE customer_score DROP COLUMN last_order_id; PRAGMA user_version = 7",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(bb_store_open(f->path, 0, &f->s, &err), 0);
    assert_true_to_orders(f);
    assert_int_equal(last_of(f, "A"), T + 100);
    assert_int_equal(last_of(f, "C"), -1);
    assert_int_equal(fx_int(f, "SELECT last_order_id FROM customer WHERE external_id = 'B'"),
                     fx_int(f, "SELECT id FROM orders WHERE external_id = 'O4'"));
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score WHERE last_order_at IS NOT NULL"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(single_writes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(lines_and_bulk, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sparse_and_dense_ids, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(migration_backfills, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
