/* test_sqlite_ops.c: the SQLite backend's transactions and bulk mode (sqlite_ops.c). */
#include "birebir/store_auth.h"
#include "store/sqlite_db.h" /* white box: the connection's settings */
#include "store_fixture.h"

/* A pragma's value on the store's own connection. */
static int pragma(fx *f, const char *sql)
{
    sqlite3_stmt *st;
    int v;
    assert_int_equal(sqlite3_prepare_v2(((bb__sqlite *)f->s)->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int foreign_keys(fx *f)
{
    return pragma(f, "PRAGMA foreign_keys");
}

/* Bulk mode stops the row-by-row foreign key checks on this handle only and gives it 256 MiB of page
 * cache (64 MiB otherwise), is refused inside a transaction, and what a bulk load writes still
 * satisfies every declared key. */
static void bulk_mode(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    assert_int_equal(foreign_keys(f), 1);
    assert_int_equal(pragma(f, "PRAGMA cache_size"), -65536);
    assert_int_equal(bb_store_bulk(f->s, 1, &err), 0);
    assert_int_equal(foreign_keys(f), 0);
    assert_int_equal(pragma(f, "PRAGMA cache_size"), -262144);
    fx_begin(f);
    assert_int_equal(bb_store_bulk(f->s, 0, &err), BB_EINTERNAL);
    assert_non_null(strstr(err.msg, "transaction"));
    for (int i = 0; i < 100; i++) {
        char order[16], cust[16];
        snprintf(order, sizeof order, "O%d", i / 3);
        snprintf(cust, sizeof cust, "C%d", i / 7);
        bb_order_line_rec l = {.order_id = order,
                               .customer_ref = cust,
                               .ordered_at = 1700000000,
                               .sku = "P1",
                               .quantity = 1,
                               .unit_price_minor = 100,
                               .line_no = i % 3 + 1};
        fx_put_order_line(f, &l, NULL);
    }
    fx_commit(f);
    assert_int_equal(bb_store_bulk(f->s, 0, &err), 0);
    assert_int_equal(foreign_keys(f), 1);
    assert_int_equal(pragma(f, "PRAGMA cache_size"), -65536);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 100);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* the rows' references are the ones declared: lines to orders, orders to customers */
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line l JOIN orders o ON o.id = l.order_id"
                               " JOIN customer c ON c.id = o.customer_id AND c.id = l.customer_id"),
                     100);
}

/* The Bloom filters of order ids and identifiers are used only while they hold every key: a second
 * connection's writes between two transactions reset them, so its order and customer are found
 * (not made again, which the unique keys would refuse). */
static void filters_follow_other_writers(void **state)
{
    fx *f = *state;
    bb__sqlite *q = (bb__sqlite *)f->s;
    bb_store *other = NULL;
    bb_error err = {0};
    bb_put_stats st = {0};
    bb_put_result res;
    bb_order_line_rec l = {.order_id = "O1", .customer_ref = "C1", .ordered_at = 1700000000, .sku = "P1",
                           .quantity = 1, .unit_price_minor = 100, .line_no = 1};
    fx_begin(f);
    fx_put_order_line(f, &l, &st);
    assert_int_equal(q->order_ids.state, 1); /* both tables were empty */
    assert_int_equal(q->ident_keys.state, 1);
    fx_commit(f);
    assert_int_equal(bb_store_open(f->path, 0, &other, &err), 0);
    l.order_id = "O9", l.customer_ref = "C9";
    assert_int_equal(bb_store_put_order_line(other, &l, &res, NULL, &err), 0);
    bb_store_close(other);
    fx_begin(f);
    l.line_no = 2;
    fx_put_order_line(f, &l, &st); /* a second line of the other's order, for the other's customer */
    fx_commit(f);
    assert_int_equal(st.orders_created, 1);
    assert_int_equal(st.customers_created, 1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 2);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 2);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line l JOIN orders o ON o.id = l.order_id"
                               " WHERE o.external_id = 'O9'"),
                     2);
    /* the tables are not empty now: no filter for this handle */
    assert_int_equal(q->order_ids.state, -1);
    assert_int_equal(fx_resolve(f, "C9", NULL), fx_int(f, "SELECT id FROM customer WHERE external_id = 'C9'"));
}

/* A read snapshot: reads inside it see the database as it was when it began, though another
 * connection commits meanwhile; after it ends they see the new state. No transaction inside it. */
static void read_snapshot(void **state)
{
    fx *f = *state;
    bb_store *other = NULL;
    bb_error err = {0};
    bb_customer c;
    bb_customer_rec a = {.customer_id = "A", .first_name = "Ayşe"};
    fx_put_customer(f, &a, NULL);
    assert_int_equal(bb_store_open(f->path, 0, &other, &err), 0);
    assert_int_equal(bb_store_read_begin(f->s, &err), 0);
    assert_int_equal(bb_store_customer_get(f->s, "A", NULL, &c, &err), 0); /* the snapshot starts here */
    assert_string_equal(c.first_name, "Ayşe");
    bb_customer_release(&c);
    bb_customer_rec a2 = {.customer_id = "A", .first_name = "Fatma"};
    bb_put_result res;
    bb_put_stats st = {0};
    assert_int_equal(bb_store_put_customer(other, &a2, &res, &st, &err), 0);
    assert_int_equal(bb_store_customer_get(f->s, "A", NULL, &c, &err), 0);
    assert_string_equal(c.first_name, "Ayşe"); /* still the snapshot */
    bb_customer_release(&c);
    assert_int_not_equal(bb_store_begin(f->s, &err), 0);
    bb_store_read_end(f->s);
    assert_int_equal(bb_store_customer_get(f->s, "A", NULL, &c, &err), 0);
    assert_string_equal(c.first_name, "Fatma");
    bb_customer_release(&c);
    /* Inside a transaction, a snapshot is the transaction itself. */
    assert_int_equal(bb_store_begin(f->s, &err), 0);
    assert_int_equal(bb_store_read_begin(f->s, &err), 0);
    bb_store_read_end(f->s);
    assert_int_equal(bb_store_commit(f->s, &err), 0);
    bb_store_close(other);
}

/* The customers a store's reads see now: bb_store_resolve of "H1".."H9" inside one snapshot. */
static int seen(bb_store *s)
{
    bb_error err = {0};
    int64_t id;
    int n = 0;
    char ref[8];
    assert_int_equal(bb_store_read_begin(s, &err), 0);
    for (int i = 1; i <= 9; i++) {
        snprintf(ref, sizeof ref, "H%d", i);
        n += bb_store_resolve(s, ref, NULL, &id, &err) == 0;
    }
    bb_store_read_end(s);
    return n;
}

/* A customer H<i> written by a raw SQLite connection: another process as far as the store can tell
 * (not counted among this process's commits). */
static void raw_customer(fx *f, int i)
{
    sqlite3 *db;
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO customer (external_id, created_at, updated_at) VALUES ('H%d', 0, 0);"
             "INSERT INTO customer_identifier (kind, value, customer_id, created_at)"
             " VALUES ('id', 'H%d', last_insert_rowid(), 0);", i, i);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int open_txn(bb_store *s)
{
    return !sqlite3_get_autocommit(((bb__sqlite *)s)->db);
}

/* Held snapshots on a mapped handle (the server's readers): kept between reads while nothing is
 * committed, renewed at the next read after any commit, by another process (a raw connection) or this
 * one, however young (the hold of a minute never expires here); settle ends a stale one, release any;
 * a write on the handle ends it first. */
static void held_snapshot_mapped(void **state)
{
    fx *f = *state;
    bb_store *m = NULL, *w = NULL;
    bb_error err = {0};
    assert_int_equal(bb_store_open(f->path, BB_STORE_MAPPED, &m, &err), 0);
    bb_store_read_hold(m, 60000);
    assert_int_equal(seen(m), 0);
    assert_int_equal(seen(m), 0);
    assert_true(open_txn(m));     /* held between the reads */
    bb_store_read_settle(m);      /* nothing committed: kept */
    assert_true(open_txn(m));
    raw_customer(f, 1);
    assert_int_equal(seen(m), 1); /* another process's commit shows at the next read */
    bb_customer_rec c = {.customer_id = "H2"};
    assert_int_equal(bb_store_open(f->path, 0, &w, &err), 0);
    bb_put_result res;
    assert_int_equal(bb_store_put_customer(w, &c, &res, NULL, &err), 0);
    assert_int_equal(seen(m), 2); /* this process's, too */
    raw_customer(f, 3);
    bb_store_read_settle(m); /* stale: ended */
    assert_false(open_txn(m));
    assert_int_equal(seen(m), 3);
    bb_store_read_release(m);
    assert_false(open_txn(m));
    assert_int_equal(seen(m), 3);
    assert_int_equal(seen(m), 3);
    assert_true(open_txn(m));
    unsigned char hash[BB_STORE_HASH_LEN] = {1, 2, 3};
    int64_t tid = 0;
    /* a write outside a transaction on the holding handle commits on its own, as without a hold */
    assert_int_equal(bb_store_token_add(m, "held", "admin", 0, hash, &tid, &err), 0);
    assert_false(open_txn(m));
    assert_int_equal(fx_int(f, "SELECT count(*) FROM api_token WHERE name = 'held'"), 1);
    bb_customer_rec d = {.customer_id = "H4"}; /* a write on the holding handle */
    assert_int_equal(bb_store_put_customer(m, &d, &res, NULL, &err), 0);
    assert_int_equal(seen(w), 4);
    bb_store_read_hold(m, 0); /* off: every snapshot ends with its reads */
    assert_int_equal(seen(m), 4);
    assert_false(open_txn(m));
    bb_store_close(w);
    bb_store_close(m);
}

/* Without the WAL index's header (a handle not mapped) a held snapshot is renewed after a commit of this
 * process, or once older than the hold: another process's commit shows within it. */
static void held_snapshot_unmapped(void **state)
{
    fx *f = *state;
    bb_store *w = NULL;
    bb_error err = {0};
    bb_put_result res;
    bb_store_read_hold(f->s, 60000);
    assert_int_equal(seen(f->s), 0);
    raw_customer(f, 1);
    assert_int_equal(seen(f->s), 0); /* held: the other process's commit is not seen yet */
    assert_int_equal(bb_store_open(f->path, 0, &w, &err), 0);
    bb_customer_rec c = {.customer_id = "H2"};
    assert_int_equal(bb_store_put_customer(w, &c, &res, NULL, &err), 0);
    assert_int_equal(seen(f->s), 2); /* a commit of this process: renewed */
    bb_store_read_hold(f->s, 50);
    raw_customer(f, 3);
    usleep(120 * 1000);
    assert_int_equal(seen(f->s), 3); /* older than the hold: renewed */
    bb_store_close(w);
    bb_store_read_hold(f->s, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bulk_mode, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(filters_follow_other_writers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(read_snapshot, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(held_snapshot_mapped, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(held_snapshot_unmapped, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
