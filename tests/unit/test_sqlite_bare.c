/* test_sqlite_bare.c: bare customers made in bulk mode wait in memory and are written at the flush.
 * Checked against the database read by SQL on a connection of its own, and against the same puts made
 * outside bulk mode (one customer at a time, the path that writes at once): the same customers,
 * identifiers and ids; ranks present, distinct and in (sort_key, id) order; every customer found by
 * the search right after the commit. Also: a waiting customer is found by another kind of reference,
 * and updated by a customer record, in the same transaction; a rollback leaves nothing; a run of new
 * customers between two stored ones whose ranks leave no room spreads them, and the index follows. */
#include "store_fixture.h"

static void bulk(fx *f, int on)
{
    bb_error e = {0};
    if (bb_store_bulk(f->s, on, &e) != 0)
        fail_msg("bulk: %s", e.msg);
}

/* An order of customer ref (made bare when unknown). */
static void order(fx *f, const char *oid, const char *ref, const char *kind)
{
    bb_order_rec o = {.order_id = oid, .customer_ref = ref, .id_kind = kind, .ordered_at = 1700000000,
                      .amount_minor = 1000, .has_amount = 1};
    fx_put_order(f, &o, NULL);
}

static int on_hit(void *ctx, const bb_customer_hit *h)
{
    char *first = ctx;
    if (!first[0])
        snprintf(first, 64, "%s", h->external_id);
    return 0;
}

/* The first hit of a search for text ("" when none). */
static void search_first(fx *f, const char *text, char out[64])
{
    bb_error e = {0};
    char next[BB_STORE_CURSOR_MAX];
    out[0] = '\0';
    if (bb_store_search(f->s, text, 1, NULL, on_hit, out, next, &e) != 0)
        fail_msg("search %s: %s", text, e.msg);
}

static void ranks_in_order(fx *f)
{
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM customer WHERE merged_into IS NULL AND search_rank IS NULL"), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) - count(DISTINCT search_rank) FROM customer"), 0);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM (SELECT search_rank r, lag(search_rank) OVER"
                  " (ORDER BY sort_key, id) p FROM customer WHERE merged_into IS NULL) WHERE r <= p"),
        0);
}

/* What the puts wrote, as text: customers and identifiers (not times or ranks). */
#define CUSTOMERS_SQL                                                                                  \
    "SELECT count(*) || '|' || group_concat(x, ';') FROM (SELECT id || ',' || external_id || ','"    \
    " || coalesce(email, '') || ',' || coalesce(phone, '') || ',' || search_text || ',' ||"          \
    " hex(sort_key) AS x FROM customer ORDER BY id)"
#define IDENTS_SQL                                                                                     \
    "SELECT group_concat(x, ';') FROM (SELECT kind || ',' || value || ',' || customer_id AS x"        \
    " FROM customer_identifier ORDER BY kind, value)"

static const char *REFS[] = {"C9", "C3", "ayse@example.com", "C7", "C3", "web:77", "C1", "C9", "C5", "0532 111 22 33"};
static const char *KINDS[] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "id", "phone"};

/* The puts of REFS (two stored customers first), in bulk mode or not. */
static void load(fx *f, int in_bulk)
{
    char oid[16];
    bb_customer_rec a = {.customer_id = "C4", .first_name = "Ali", .last_name = "Kaya"};
    bb_customer_rec b = {.customer_id = "C6"}; /* bare-like: sorts among the bare ones */
    fx_begin(f);
    fx_put_customer(f, &a, NULL);
    fx_put_customer(f, &b, NULL);
    fx_commit(f);
    if (in_bulk)
        bulk(f, 1);
    fx_begin(f);
    for (size_t i = 0; i < sizeof REFS / sizeof *REFS; i++) {
        snprintf(oid, sizeof oid, "O%zu", i);
        order(f, oid, REFS[i], KINDS[i]);
    }
    fx_commit(f);
    if (in_bulk)
        bulk(f, 0);
}

static void same_as_one_at_a_time(void **state)
{
    fx *f = *state, g = {0};
    static char c1[8192], c2[8192], i1[8192], i2[8192];
    char hit[64];
    void *gs = NULL;
    load(f, 1);
    ranks_in_order(f);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 2 + 8); /* C9 C3 ayse C7 web:77 C1 C5 phone */
    fx_text(f, CUSTOMERS_SQL, c1, sizeof c1);
    fx_text(f, IDENTS_SQL, i1, sizeof i1);
    assert_int_equal(fx_setup(&gs), 0);
    g = *(fx *)gs;
    load(&g, 0);
    ranks_in_order(&g);
    fx_text(&g, CUSTOMERS_SQL, c2, sizeof c2);
    fx_text(&g, IDENTS_SQL, i2, sizeof i2);
    assert_string_equal(c1, c2);
    assert_string_equal(i1, i2);
    fx_teardown(&gs);
    /* the orders name the customers their references name */
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders o JOIN customer c ON c.id = o.customer_id"), 10);
    assert_int_equal(fx_int(f, "SELECT count(DISTINCT customer_id) FROM orders"), 8);
    /* found by the search at once, by external id and by email */
    for (const char *q[] = {"c9", "c3", "c7", "c1", "c5", "77", "ayse@example", NULL}, **p = q; *p; p++) {
        search_first(f, *p, hit);
        assert_true(hit[0] != '\0');
    }
    search_first(f, "c9", hit);
    assert_string_equal(hit, "C9");
    search_first(f, "ayse@example", hit);
    assert_string_equal(hit, "ayse@example.com");
}

static void waiting_customer_found_and_updated(void **state)
{
    fx *f = *state;
    char buf[64];
    bulk(f, 1);
    fx_begin(f);
    order(f, "O1", "ayse@example.com", NULL);   /* waits, with identifiers id and email */
    order(f, "O2", "ayse@example.com", "email"); /* the same person, by email */
    order(f, "O3", "C42", NULL);
    bb_customer_rec c = {.customer_id = "C42", .first_name = "Zeynep", .last_name = "Aydın"};
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UPDATED); /* the waiting one, named */
    order(f, "O4", "C43", NULL);
    fx_commit(f);
    bulk(f, 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 3);
    assert_int_equal(fx_int(f, "SELECT count(DISTINCT customer_id) FROM orders WHERE external_id IN ('O1', 'O2')"), 1);
    assert_string_equal(fx_text(f, "SELECT last_name FROM customer WHERE external_id = 'C42'", buf, sizeof buf),
                        "Aydın");
    ranks_in_order(f);
    search_first(f, "zeynep", buf);
    assert_string_equal(buf, "C42");
    search_first(f, "c43", buf);
    assert_string_equal(buf, "C43");
}

static void rollback_leaves_nothing(void **state)
{
    fx *f = *state;
    bulk(f, 1);
    fx_begin(f);
    order(f, "O1", "C1", NULL);
    order(f, "O2", "C2", NULL);
    bb_store_rollback(f->s);
    fx_begin(f);
    order(f, "O3", "C3", NULL);
    fx_commit(f);
    bulk(f, 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_identifier WHERE value IN ('C1', 'C2')"), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 1);
    ranks_in_order(f);
}

/* Sets two stored customers' ranks next to each other (and the index with them), by SQL. */
static void squeeze(fx *f)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE customer SET search_rank = 1000 WHERE external_id = 'B1';"
                                  "UPDATE customer SET search_rank = 1001 WHERE external_id = 'B5';"
                                  "INSERT INTO customer_search(customer_search) VALUES ('delete-all');"
                                  "INSERT INTO customer_search (rowid, search_text) SELECT search_rank,"
                                  " search_text FROM customer WHERE merged_into IS NULL AND search_text <> '';",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
}

static void narrow_gap_spread(void **state)
{
    fx *f = *state;
    char hit[64];
    fx_begin(f);
    order(f, "O1", "B1", NULL);
    order(f, "O5", "B5", NULL);
    fx_commit(f);
    squeeze(f);
    bulk(f, 1);
    fx_begin(f);
    order(f, "O3", "B3", NULL);
    order(f, "O2", "B2", NULL);
    order(f, "O4", "B4", NULL);
    order(f, "O9", "B9", NULL);
    fx_commit(f);
    bulk(f, 0);
    ranks_in_order(f);
    for (const char *q[] = {"b1", "b2", "b3", "b4", "b5", "b9", NULL}, **p = q; *p; p++) {
        search_first(f, *p, hit);
        assert_true(hit[0] == 'B' && hit[1] == (*p)[1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(same_as_one_at_a_time, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(waiting_customer_found_and_updated, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rollback_leaves_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(narrow_gap_spread, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
