/* test_sqlite_value.c: the dashboard's reads of the whole base (store_value.h on SQLite): the overview
 * (customers, buyers, active in a window, orders, revenue in the default currency) checked against the same
 * figures counted here from the records put, and the CLV values in ascending order. */
#include "store_fixture.h"

#include "birebir/store_value.h"

#define T0 1735689600 /* 2025-01-01 00:00:00 UTC */
#define DAY 86400

typedef struct ord {
    const char *id, *cust;
    int64_t at, amount;
    const char *currency;
} ord;

static const char *const custs[] = {"A", "B", "C", "D", "E"};
static const ord orders[] = {
    {"O1", "A", T0, 10000, "TRY"},
    {"O2", "A", T0 + 100 * DAY, 25050, "TRY"},
    {"O3", "B", T0 + 50 * DAY, 9990, "TRY"},
    {"O3R", "B", T0 + 60 * DAY, -9990, "TRY"},
    {"O4", "C", T0 + 130 * DAY, 4000, "USD"},
    {"O5", "E", T0 + 140 * DAY, 700, "TRY"},
};
enum { N_CUST = sizeof custs / sizeof *custs, N_ORD = sizeof orders / sizeof *orders };

static void fill(fx *f)
{
    fx_begin(f);
    for (int i = 0; i < N_CUST; i++) {
        bb_customer_rec c = {.customer_id = custs[i], .first_name = custs[i], .created_at = T0};
        fx_put_customer(f, &c, NULL);
    }
    for (int i = 0; i < N_ORD; i++) {
        bb_order_rec o = {.order_id = orders[i].id,
                          .customer_ref = orders[i].cust,
                          .ordered_at = orders[i].at,
                          .amount_minor = orders[i].amount,
                          .has_amount = 1};
        snprintf(o.currency, sizeof o.currency, "%s", orders[i].currency);
        fx_put_order(f, &o, NULL);
    }
    fx_commit(f);
}

/* The figures counted from the table above: customers with a purchase (an order that is not a return)
 * in [from, to). */
static int64_t active_between(int64_t from, int64_t to)
{
    int64_t n = 0;
    for (int c = 0; c < N_CUST; c++)
        for (int i = 0; i < N_ORD; i++)
            if (strcmp(orders[i].cust, custs[c]) == 0 && orders[i].at >= from && orders[i].at < to &&
                orders[i].amount >= 0) {
                n++;
                break;
            }
    return n;
}

static void empty(void **state)
{
    fx *f = *state;
    bb_store_overview o;
    bb_error err = {0};
    assert_int_equal(bb_store_overview_get(f->s, 12345, 30, &o, &err), 0);
    assert_int_equal(o.customers, 0);
    assert_int_equal(o.orders, 0);
    assert_int_equal(o.buyers, 0);
    assert_int_equal(o.active, 0);
    assert_string_equal(o.currency, "TRY"); /* the store's default */
    assert_int_equal(o.as_of, 12345);
    assert_int_equal(o.active_days, 30);
}

static void overview(void **state)
{
    fx *f = *state;
    bb_store_overview o;
    bb_error err = {0};
    int64_t revenue = 0, last = 0, first = INT64_MAX, other = 0;
    fill(f);
    for (int i = 0; i < N_ORD; i++) {
        if (strcmp(orders[i].currency, "TRY") == 0)
            revenue += orders[i].amount;
        else
            other++;
        last = orders[i].at > last ? orders[i].at : last;
        first = orders[i].at < first ? orders[i].at : first;
    }
    assert_int_equal(bb_store_overview_get(f->s, 0, 90, &o, &err), 0);
    assert_int_equal(o.customers, N_CUST);
    assert_int_equal(o.buyers, 4); /* D has no order */
    assert_int_equal(o.orders, N_ORD);
    assert_string_equal(o.currency, "TRY");
    assert_int_equal(o.revenue_minor, revenue);
    assert_int_equal(o.other_currency_orders, other);
    assert_int_equal(o.first_order_at, first);
    assert_int_equal(o.last_order_at, last);
    assert_int_equal(o.as_of, last + 1); /* the data's own end */
    assert_int_equal(o.active, active_between(last + 1 - 90 * DAY, last + 1));
    /* A (day 100), C (130), E (140); not B, whose only order in the window is a return (day 60): its
     * purchase (day 50) is one second before the window. */
    assert_int_equal(o.active, 3);
    /* An explicit end: the window moves with it, orders after it are not active ones. */
    assert_int_equal(bb_store_overview_get(f->s, T0 + 61 * DAY, 30, &o, &err), 0);
    assert_int_equal(o.as_of, T0 + 61 * DAY);
    assert_int_equal(o.active, active_between(T0 + 31 * DAY, T0 + 61 * DAY));
    assert_int_equal(o.active, 1); /* B, by its purchase on day 50 */
}

static void merged_customers_do_not_count(void **state)
{
    fx *f = *state;
    bb_store_overview o;
    bb_merge_report rep;
    bb_error err = {0};
    fill(f);
    fx_begin(f);
    assert_int_equal(bb_store_merge(f->s, "A", "B", "test", &rep, &err), 0);
    fx_commit(f);
    assert_int_equal(bb_store_overview_get(f->s, 0, 90, &o, &err), 0);
    assert_int_equal(o.customers, N_CUST - 1);
    assert_int_equal(o.buyers, 3); /* B's orders are A's now */
    assert_int_equal(o.orders, N_ORD);
}

typedef struct seen {
    int64_t v[16];
    size_t n, stop_after;
} seen;

static int collect(void *ctx, int64_t clv)
{
    seen *s = ctx;
    s->v[s->n++] = clv;
    return s->stop_after && s->n == s->stop_after ? 1 : 0;
}

static void clv_values(void **state)
{
    fx *f = *state;
    sqlite3 *db = NULL;
    bb_error err = {0};
    seen s = {0};
    static const char *const sql[] = {
        "INSERT INTO customer_score (customer_id, clv_minor, updated_at) SELECT id, 5000, 0 FROM customer "
        "WHERE external_id = 'A'",
        "INSERT INTO customer_score (customer_id, clv_minor, updated_at) SELECT id, -20, 0 FROM customer "
        "WHERE external_id = 'B'",
        "INSERT INTO customer_score (customer_id, clv_minor, updated_at) SELECT id, NULL, 0 FROM customer "
        "WHERE external_id = 'C'",
        "INSERT INTO customer_score (customer_id, clv_minor, updated_at) SELECT id, 700, 0 FROM customer "
        "WHERE external_id = 'D'",
    };
    fill(f);
    assert_int_equal(bb_store_clv_values(f->s, collect, &s, &err), 0);
    assert_int_equal(s.n, 0); /* no scores yet */
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
        assert_int_equal(sqlite3_exec(db, sql[i], NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(bb_store_clv_values(f->s, collect, &s, &err), 0);
    assert_int_equal(s.n, 3); /* the NULL is left out */
    assert_int_equal(s.v[0], -20);
    assert_int_equal(s.v[1], 700);
    assert_int_equal(s.v[2], 5000);
    s = (seen){.stop_after = 1};
    assert_int_equal(bb_store_clv_values(f->s, collect, &s, &err), 0);
    assert_int_equal(s.n, 1);
}

static void data_version(void **state)
{
    fx *f = *state;
    bb_store_version a, b;
    bb_error err = {0};
    sqlite3 *db = NULL;
    assert_int_equal(bb_store_data_version(f->s, &a, &err), 0);
    assert_int_equal(bb_store_data_version(f->s, &b, &err), 0);
    assert_true(a.others == b.others && a.own == b.own); /* nothing changed */
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "INSERT INTO customer (external_id, created_at, updated_at) VALUES ('X', 0, 0)",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(bb_store_data_version(f->s, &b, &err), 0);
    assert_true(b.others != a.others); /* another connection committed */
    a = b;
    fill(f); /* this connection writes */
    assert_int_equal(bb_store_data_version(f->s, &b, &err), 0);
    assert_true(b.own != a.own);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(empty, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(overview, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(merged_customers_do_not_count, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(clv_values, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(data_version, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
