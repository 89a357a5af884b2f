/* test_sqlite_identity.c: the customer upsert, identifiers and reference resolution. */
#include "store_fixture.h"

static void customer_upsert_is_exact(void **state)
{
    fx *f = *state;
    char buf[256];
    bb_customer_rec c = {.customer_id = "1", .first_name = "Ayşe", .last_name = "IŞIK",
                         .email = " Ayse@Example.com", .phone = "0532 123 45 67", .city = "İSTANBUL",
                         .created_at = 1700000000};
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 1);
    assert_string_equal(fx_text(f, "SELECT email FROM customer", buf, sizeof buf), "ayse@example.com");
    assert_string_equal(fx_text(f, "SELECT phone FROM customer", buf, sizeof buf), "+905321234567");
    fx_text(f, "SELECT search_text FROM customer", buf, sizeof buf);
    assert_non_null(strstr(buf, "ayse isik"));
    assert_non_null(strstr(buf, "istanbul"));
    assert_non_null(strstr(buf, "05321234567"));
    assert_string_equal(fx_text(f, "SELECT name_key FROM customer", buf, sizeof buf), "isik a");
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_identifier"), 3);

    /* the same record again: nothing changes, updated_at included */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE customer SET updated_at = 5", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UNCHANGED);
    assert_int_equal(fx_int(f, "SELECT updated_at FROM customer"), 5);
    /* the same values written differently normalise to the same: unchanged */
    c.email = "AYSE@EXAMPLE.COM";
    c.phone = "+90 532 123 4567";
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UNCHANGED);
    /* absent fields keep what is stored */
    bb_customer_rec partial = {.customer_id = "1"};
    assert_int_equal(fx_put_customer(f, &partial, NULL), BB_PUT_UNCHANGED);
    c.city = "Ankara";
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UPDATED);
    assert_true(fx_int(f, "SELECT updated_at FROM customer") > 5);
    assert_string_equal(fx_text(f, "SELECT city FROM customer", buf, sizeof buf), "Ankara");
    assert_int_equal(fx_int(f, "SELECT created_at FROM customer"), 1700000000);
}

static void attributes_merge(void **state)
{
    fx *f = *state;
    char buf[256];
    bb_customer_rec c = {.customer_id = "7", .attributes_json = "{\"tier\":\"gold\",\"pets\":2}"};
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_INSERTED);
    c.attributes_json = "{\"source\":\"web\"}";
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UPDATED);
    assert_string_equal(fx_text(f, "SELECT attributes FROM customer", buf, sizeof buf),
                        "{\"tier\":\"gold\",\"pets\":2,\"source\":\"web\"}");
    c.attributes_json = "{\"pets\":2}";
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UNCHANGED);
    c.attributes_json = "{\"pets\":3}";
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UPDATED);
    assert_int_equal(fx_int(f, "SELECT json_extract(attributes, '$.pets') FROM customer"), 3);
    bb_error err = {0};
    bb_put_result res;
    c.attributes_json = "[1,2]";
    assert_int_equal(bb_store_put_customer(f->s, &c, &res, NULL, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "JSON object"));
}

static void bad_input_writes_nothing(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_put_result res;
    bb_customer_rec c = {.customer_id = "1", .email = "not-an-email"};
    assert_int_equal(bb_store_put_customer(f->s, &c, &res, NULL, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "email"));
    c.email = NULL;
    c.phone = "12";
    assert_int_equal(bb_store_put_customer(f->s, &c, &res, NULL, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "phone"));
    c.phone = NULL;
    c.customer_id = "";
    assert_int_equal(bb_store_put_customer(f->s, &c, &res, NULL, &err), BB_EINVAL);
    bb_ident bad = {"Bad Kind", "x"};
    c.customer_id = "1";
    c.idents = &bad;
    c.n_idents = 1;
    assert_int_equal(bb_store_put_customer(f->s, &c, &res, NULL, &err), BB_EINVAL);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_identifier"), 0);
}

static void resolve_by_any_identifier(void **state)
{
    fx *f = *state;
    bb_ident cards[] = {{"card", "LC-0042"}};
    bb_customer_rec c = {.customer_id = "C1", .email = "can@example.com", .phone = "05551112233",
                         .idents = cards, .n_idents = 1};
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_INSERTED);
    int64_t id = fx_resolve(f, "C1", NULL);
    assert_true(id > 0);
    assert_int_equal(fx_resolve(f, "email:CAN@example.com", NULL), id);
    assert_int_equal(fx_resolve(f, "can@example.com", NULL), id);
    assert_int_equal(fx_resolve(f, " Can@Example.com ", NULL), id);
    assert_int_equal(fx_resolve(f, "phone:+90 555 111 22 33", NULL), id);
    assert_int_equal(fx_resolve(f, "0555 111 22 33", NULL), id);
    assert_int_equal(fx_resolve(f, "+905551112233", NULL), id);
    assert_int_equal(fx_resolve(f, "card:LC-0042", NULL), id);
    assert_int_equal(fx_resolve(f, "LC-0042", "card"), id);
    assert_int_equal(fx_resolve(f, "5551112233", "phone"), id);
    assert_int_equal(fx_resolve(f, "C1", "id"), id);
    assert_int_equal(fx_resolve(f, "C2", NULL), 0);
    assert_int_equal(fx_resolve(f, "other@example.com", NULL), 0);
    assert_int_equal(fx_resolve(f, "LC-0042", NULL), 0); /* unqualified: not an external id */
    bb_error err = {0};
    int64_t x;
    assert_int_equal(bb_store_resolve(f->s, "C2", NULL, &x, &err), BB_ENOTFOUND);
    assert_non_null(strstr(err.msg, "C2"));
    assert_int_equal(bb_store_resolve(f->s, "", NULL, &x, &err), BB_EINVAL);
}

static void other_system_links_by_email(void **state)
{
    fx *f = *state;
    char buf[128];
    bb_customer_rec web = {.customer_id = "W1", .first_name = "Ayşe", .last_name = "Işık",
                           .email = "ayse@example.com"};
    assert_int_equal(fx_put_customer(f, &web, NULL), BB_PUT_INSERTED);
    int64_t id = fx_resolve(f, "W1", NULL);
    /* the till knows her by its own number and the same email: the number joins her identifiers */
    bb_customer_rec till = {.customer_id = "T-77", .id_kind = "till", .first_name = "AYSE",
                            .email = "AYSE@example.com", .city = "İzmir"};
    assert_int_equal(fx_put_customer(f, &till, NULL), BB_PUT_UPDATED);
    assert_int_equal(fx_resolve(f, "T-77", "till"), id);
    assert_int_equal(fx_resolve(f, "till:T-77", NULL), id);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 1);
    /* it fills gaps only: the name stays the web shop's, the city was empty */
    assert_string_equal(fx_text(f, "SELECT first_name FROM customer", buf, sizeof buf), "Ayşe");
    assert_string_equal(fx_text(f, "SELECT city FROM customer", buf, sizeof buf), "İzmir");
    assert_int_equal(fx_put_customer(f, &till, NULL), BB_PUT_UNCHANGED);
    /* an order from the till lands on her */
    bb_order_rec o = {.order_id = "TO1", .customer_ref = "T-77", .id_kind = "till",
                      .ordered_at = 1700000000, .amount_minor = 1000, .has_amount = 1};
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_int(f, "SELECT customer_id FROM orders"), id);

    /* an unknown till number with no known contact is a new customer, named by kind and number */
    bb_customer_rec till2 = {.customer_id = "T-78", .id_kind = "till", .first_name = "Veli"};
    assert_int_equal(fx_put_customer(f, &till2, NULL), BB_PUT_INSERTED);
    assert_string_equal(fx_text(f, "SELECT external_id FROM customer WHERE first_name = 'Veli'", buf,
                                sizeof buf), "till:T-78");
    assert_true(fx_resolve(f, "T-78", "till") != id);
    assert_int_equal(fx_resolve(f, "till:T-78", NULL), fx_resolve(f, "T-78", "till"));

    /* without an id kind, a new external id is a new customer even when the email is known */
    bb_customer_rec dup = {.customer_id = "W2", .email = "ayse@example.com"};
    assert_int_equal(fx_put_customer(f, &dup, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer WHERE email = 'ayse@example.com'"), 2);
    assert_int_equal(fx_resolve(f, "ayse@example.com", NULL), id); /* the first keeps the email */
}

static void unknown_references_make_bare_customers(void **state)
{
    fx *f = *state;
    char buf[128];
    bb_put_stats st = {0};
    bb_order_rec o = {.order_id = "A1", .customer_ref = "X9", .ordered_at = 1700000000,
                      .amount_minor = 500, .has_amount = 1};
    assert_int_equal(fx_put_order(f, &o, &st), BB_PUT_INSERTED);
    assert_int_equal(st.customers_created, 1);
    assert_true(fx_resolve(f, "X9", NULL) > 0);
    /* a later customer import fills the bare customer in */
    bb_customer_rec c = {.customer_id = "X9", .first_name = "Zeynep"};
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UPDATED);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 1);
    /* an unknown email reference makes a customer with that email */
    bb_interaction_rec i = {.customer_ref = "New@Example.com", .occurred_at = 1700000000,
                            .channel = "email", .direction = "in", .kind = "message"};
    assert_int_equal(fx_put_interaction(f, &i, &st), BB_PUT_INSERTED);
    assert_int_equal(st.customers_created, 2);
    assert_string_equal(fx_text(f, "SELECT email FROM customer WHERE id = 2", buf, sizeof buf),
                        "new@example.com");
    assert_int_equal(fx_resolve(f, "new@example.com", NULL), 2);
    /* a kind-qualified unknown reference */
    bb_consent_rec k = {.customer_ref = "web:u-5", .channel = "sms", .status = "granted",
                        .recorded_at = 1700000000};
    assert_int_equal(fx_put_consent(f, &k, &st), BB_PUT_INSERTED);
    assert_int_equal(st.customers_created, 3);
    assert_int_equal(fx_resolve(f, "u-5", "web"), fx_resolve(f, "web:u-5", NULL));
    /* and again: no new customer */
    assert_int_equal(fx_put_consent(f, &k, &st), BB_PUT_UNCHANGED);
    assert_int_equal(st.customers_created, 3);
}

static void cache_survives_transactions_and_other_writers(void **state)
{
    fx *f = *state;
    bb_customer_rec c = {.customer_id = "K1"};
    fx_begin(f);
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_INSERTED);
    bb_store_rollback(f->s);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 0);
    /* the rolled-back id is forgotten */
    bb_order_rec o = {.order_id = "O1", .customer_ref = "K1", .ordered_at = 1, .amount_minor = 1,
                      .has_amount = 1};
    bb_put_stats st = {0};
    assert_int_equal(fx_put_order(f, &o, &st), BB_PUT_INSERTED);
    assert_int_equal(st.customers_created, 1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 1);
    /* another connection changes the data: cached ids are not trusted after that */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM orders; DELETE FROM customer_identifier;"
                                      "DELETE FROM customer;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    o.order_id = "O2";
    assert_int_equal(fx_put_order(f, &o, &st), BB_PUT_INSERTED);
    assert_int_equal(st.customers_created, 2);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(customer_upsert_is_exact, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(attributes_merge, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_input_writes_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(resolve_by_any_identifier, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(other_system_links_by_email, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(unknown_references_make_bare_customers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(cache_survives_transactions_and_other_writers, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
