/* test_sqlite_merge.c: merging a duplicate moves everything, loses nothing, leaves a tombstone whose
 * references resolve to the keeper, and is recorded. Counts are checked against the rows planted. */
#include "store_fixture.h"

#define T0 1735689600

static void plant(fx *f)
{
    bb_ident card = {"card", "LC-7"};
    bb_customer_rec keep = {.customer_id = "K", .first_name = "Ayşe", .last_name = "Işık",
                            .email = "ayse@example.com", .created_at = T0 + 1000,
                            .attributes_json = "{\"tier\":\"gold\"}"};
    bb_customer_rec other = {.customer_id = "O", .first_name = "Ayse", .last_name = "Isik",
                             .email = "ayse.isik@example.org", .phone = "0532 111 22 33",
                             .city = "İzmir", .created_at = T0, .idents = &card, .n_idents = 1,
                             .attributes_json = "{\"tier\":\"silver\",\"pet\":\"cat\"}"};
    fx_put_customer(f, &keep, NULL);
    fx_put_customer(f, &other, NULL);
    for (int i = 0; i < 3; i++) { /* orders: K has 1, O has 3 (one made from 2 lines) */
        char oid[8];
        snprintf(oid, sizeof oid, "O%d", i);
        bb_order_rec o = {.order_id = oid, .customer_ref = "O", .ordered_at = T0 + i,
                          .amount_minor = 100, .has_amount = 1};
        fx_put_order(f, &o, NULL);
    }
    bb_order_rec ko = {.order_id = "K0", .customer_ref = "K", .ordered_at = T0, .amount_minor = 50,
                       .has_amount = 1};
    fx_put_order(f, &ko, NULL);
    for (int k = 1; k <= 2; k++) {
        bb_order_line_rec l = {.order_id = "OL", .customer_ref = "O", .ordered_at = T0, .sku = "S",
                               .quantity = 1, .unit_price_minor = 10, .line_no = k};
        fx_put_order_line(f, &l, NULL);
    }
    /* the same interaction recorded for both (identical content), and one only O has */
    bb_interaction_rec same = {.customer_ref = "K", .occurred_at = T0, .channel = "email",
                               .direction = "out", .kind = "message", .subject = "Kampanya"};
    fx_put_interaction(f, &same, NULL);
    same.customer_ref = "O";
    fx_put_interaction(f, &same, NULL);
    bb_interaction_rec own = {.customer_ref = "O", .occurred_at = T0 + 5, .channel = "call",
                              .direction = "in", .kind = "complaint"};
    fx_put_interaction(f, &own, NULL);
    bb_consent_rec c = {.customer_ref = "O", .channel = "sms", .status = "granted",
                        .recorded_at = T0};
    fx_put_consent(f, &c, NULL);
    bb_survey_rec s = {.customer_ref = "O", .survey = "nps", .score = 2, .responded_at = T0};
    fx_put_survey(f, &s, NULL);
    /* loyalty, segments and scores through SQL: no puts for them yet */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
        "INSERT INTO loyalty_account VALUES (1, 100, NULL, 0, 0), (2, 40, NULL, 0, 0);"
        "INSERT INTO loyalty_entry (customer_id, kind, points, occurred_at) VALUES (2, 'earn', 40, 0);"
        "INSERT INTO segment (name, kind, created_at, updated_at) VALUES ('vip', 'static', 0, 0),"
        " ('new', 'static', 0, 0);"
        "INSERT INTO segment_member VALUES (1, 1, 0), (1, 2, 0), (2, 2, 0);"
        "INSERT INTO customer_score (customer_id, p_alive, updated_at) VALUES (2, 0.5, 0);",
        NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void merge_moves_everything(void **state)
{
    fx *f = *state;
    bb_merge_report rep = {0};
    bb_error err = {0};
    char buf[512];
    plant(f);
    int64_t k = fx_resolve(f, "K", NULL), o = fx_resolve(f, "O", NULL);
    int64_t rows_before = fx_int(f, "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM"
                                    " order_line) + (SELECT count(*) FROM consent) + (SELECT count(*)"
                                    " FROM survey_response)");
    assert_int_equal(bb_store_merge(f->s, "K", "O", "tester", &rep, &err), 0);
    assert_int_equal(rep.orders, 4);
    assert_int_equal(rep.interactions, 1); /* the identical one was K's already */
    assert_int_equal(rep.consents, 1);
    assert_int_equal(rep.survey_responses, 1);
    assert_int_equal(rep.identifiers, 4); /* id, email, phone, card */
    /* filled: phone, city, attribute pet (K's tier stays) */
    assert_int_equal(rep.attributes, 3);
    /* nothing is lost and everything is K's */
    assert_int_equal(fx_int(f, "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM"
                               " order_line) + (SELECT count(*) FROM consent) + (SELECT count(*)"
                               " FROM survey_response)"), rows_before);
    snprintf(buf, sizeof buf, "SELECT count(*) FROM orders WHERE customer_id = %lld", (long long)k);
    assert_int_equal(fx_int(f, buf), 5);
    snprintf(buf, sizeof buf, "SELECT count(*) FROM order_line WHERE customer_id = %lld", (long long)k);
    assert_int_equal(fx_int(f, buf), 2);
    snprintf(buf, sizeof buf, "SELECT count(*) FROM interaction WHERE customer_id = %lld", (long long)k);
    assert_int_equal(fx_int(f, buf), 2);
    assert_int_equal(fx_int(f, "SELECT points FROM loyalty_account WHERE customer_id = 1"), 140);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM loyalty_account"), 1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM loyalty_entry WHERE customer_id = 1"), 1);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM segment_member WHERE customer_id = 1"), 2);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM segment_member"), 2);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_score WHERE customer_id = 1"), 1);
    /* the keeper's profile: its own values stay, gaps filled, the earlier created_at */
    assert_string_equal(fx_text(f, "SELECT first_name FROM customer WHERE id = 1", buf, sizeof buf),
                        "Ayşe");
    assert_string_equal(fx_text(f, "SELECT city FROM customer WHERE id = 1", buf, sizeof buf), "İzmir");
    assert_string_equal(fx_text(f, "SELECT attributes FROM customer WHERE id = 1", buf, sizeof buf),
                        "{\"tier\":\"gold\",\"pet\":\"cat\"}");
    assert_int_equal(fx_int(f, "SELECT created_at FROM customer WHERE id = 1"), T0);
    /* the tombstone: its references lead to K */
    assert_int_equal(fx_int(f, "SELECT merged_into FROM customer WHERE id = 2"), k);
    assert_int_equal(fx_resolve(f, "O", NULL), k);
    assert_int_equal(fx_resolve(f, "card:LC-7", NULL), k);
    assert_int_equal(fx_resolve(f, "0532 111 22 33", NULL), k);
    assert_int_equal(fx_resolve(f, "ayse.isik@example.org", NULL), k);
    (void)o;
    /* an order for O now lands on K */
    bb_order_rec later = {.order_id = "N1", .customer_ref = "O", .ordered_at = T0 + 99,
                          .amount_minor = 1, .has_amount = 1};
    assert_int_equal(fx_put_order(f, &later, NULL), BB_PUT_INSERTED);
    snprintf(buf, sizeof buf, "SELECT customer_id FROM orders WHERE external_id = 'N1'");
    assert_int_equal(fx_int(f, buf), k);
    /* the record: who, and what moved */
    assert_string_equal(fx_text(f, "SELECT actor FROM customer_merge", buf, sizeof buf), "tester");
    assert_string_equal(fx_text(f, "SELECT merged_external_id FROM customer_merge", buf, sizeof buf), "O");
    assert_int_equal(fx_int(f, "SELECT json_extract(moved, '$.orders') FROM customer_merge"), 4);
    assert_int_equal(fx_int(f, "SELECT json_array_length(moved, '$.order_ids') FROM customer_merge"), 4);
    assert_int_equal(fx_int(f, "SELECT json_extract(moved, '$.interactions_identical') FROM"
                               " customer_merge"), 1);
    assert_int_equal(fx_int(f, "SELECT json_extract(moved, '$.order_lines') FROM customer_merge"), 2);
    /* status counts the living */
    bb_store_status st;
    assert_int_equal(bb_store_status_get(f->s, &st, NULL), 0);
    assert_int_equal(st.customers, 1);
    /* the keeper's view names who was merged in */
    bb_customer c;
    assert_int_equal(bb_store_customer_get(f->s, "O", NULL, &c, NULL), 0);
    assert_string_equal(c.external_id, "K");
    assert_int_equal(c.n_merged_from, 1);
    assert_string_equal(c.merged_from[0], "O");
    bb_customer_release(&c);
}

typedef struct hits {
    int n;
    char ids[8][8];
} hits;

static int on_hit(void *ctx, const bb_customer_hit *h)
{
    hits *x = ctx;
    snprintf(x->ids[x->n++ % 8], 8, "%s", h->external_id);
    return 0;
}

static void after_merge(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    hits h = {0};
    char next[BB_STORE_CURSOR_MAX];
    plant(f);
    assert_int_equal(bb_store_merge(f->s, "K", "O", "t", NULL, &err), 0);
    /* merging again, or a customer with itself, is refused */
    assert_int_equal(bb_store_merge(f->s, "K", "O", "t", NULL, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "same customer"));
    assert_int_equal(bb_store_merge(f->s, "K", "nobody", "t", NULL, &err), BB_ENOTFOUND);
    /* search shows the keeper only */
    assert_int_equal(bb_store_search(f->s, "isik", 10, NULL, on_hit, &h, next, &err), 0);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "K");
    /* a chain: K into Z; O's references follow to Z */
    bb_customer_rec z = {.customer_id = "Z"};
    fx_put_customer(f, &z, NULL);
    assert_int_equal(bb_store_merge(f->s, "Z", "K", "t", NULL, &err), 0);
    assert_int_equal(fx_resolve(f, "O", NULL), fx_resolve(f, "Z", NULL));
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer WHERE merged_into = 3"), 2);
    /* a put of the merged customer's record again fills gaps only */
    bb_customer_rec again = {.customer_id = "O", .first_name = "Başka"};
    fx_put_customer(f, &again, NULL);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer WHERE first_name = 'Başka'"), 0);
}

/* Resolving reads the identifier's row alone (no JOIN to customer): that holds because an identifier
 * always names a survivor. Checked after a merge and a chain of merges, through a connection of its own
 * (no reference cached before the merges), against a JOIN to customer made here. */
static void identifiers_name_survivors(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_store *other = NULL;
    int64_t id = 0;
    const char *refs[] = {"K", "O", "card:LC-7", "0532 111 22 33", "ayse.isik@example.org", "ayse@example.com"};
    plant(f);
    assert_int_equal(bb_store_merge(f->s, "K", "O", "t", NULL, &err), 0);
    bb_customer_rec z = {.customer_id = "Z"};
    fx_put_customer(f, &z, NULL);
    assert_int_equal(bb_store_merge(f->s, "Z", "K", "t", NULL, &err), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_identifier i JOIN customer c ON c.id = i.customer_id"
                               " WHERE c.merged_into IS NOT NULL"), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_identifier"), 7); /* 3 ids, 2 emails, phone, card */
    assert_int_equal(bb_store_open(f->path, 0, &other, &err), 0);
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++) {
        assert_int_equal(bb_store_resolve(other, refs[i], NULL, &id, &err), 0);
        assert_int_equal(id, fx_int(f, "SELECT id FROM customer WHERE external_id = 'Z'"));
    }
    bb_store_close(other);
}

static void merge_rolls_back_whole(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    plant(f);
    /* inside a caller's transaction that is rolled back, nothing of the merge stays */
    fx_begin(f);
    assert_int_equal(bb_store_merge(f->s, "K", "O", "t", NULL, &err), 0);
    bb_store_rollback(f->s);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer WHERE merged_into IS NOT NULL"), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_merge"), 0);
    assert_int_equal(fx_resolve(f, "O", NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(merge_moves_everything, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(after_merge, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(identifiers_name_survivors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(merge_rolls_back_whole, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
