/* test_profile.c: the customer 360 JSON: every section, its shape, limits, and not-found. */
#include "birebir/analyze.h"
#include "birebir/demo.h"
#include "birebir/profile.h"
#include "birebir/store_view.h"
#include "store_fixture.h"

#include <math.h>

#define T0 1735689600 /* 2025-01-01T00:00:00Z */

static void fill(fx *f)
{
    bb_customer_rec c = {.customer_id = "1",
                         .first_name = "Ayşe",
                         .last_name = "Işık",
                         .email = "ayse@example.com",
                         .city = "İstanbul",
                         .created_at = T0,
                         .attributes_json = "{\"tier\":\"gold\"}"};
    bb_product_rec p = {.sku = "TEA", .name = "Çay", .cost_minor = 100, .has_cost = 1};
    fx_put_customer(f, &c, NULL);
    fx_put_product(f, &p, NULL);
    fx_begin(f);
    for (int i = 0; i < 15; i++) {
        char oid[8];
        snprintf(oid, sizeof oid, "O%02d", i);
        bb_order_line_rec l = {.order_id = oid,
                               .customer_ref = "1",
                               .ordered_at = T0 + i * 86400,
                               .sku = "TEA",
                               .quantity = 2,
                               .unit_price_minor = 250,
                               .line_no = 1};
        fx_put_order_line(f, &l, NULL);
    }
    for (int i = 0; i < 30; i++) {
        bb_interaction_rec it = {.customer_ref = "1",
                                 .occurred_at = T0 + i,
                                 .channel = "sms",
                                 .direction = "out",
                                 .kind = "message"};
        fx_put_interaction(f, &it, NULL);
    }
    fx_commit(f);
    bb_consent_rec k1 = {
        .customer_ref = "1", .channel = "email", .status = "granted", .source = "web", .recorded_at = T0};
    bb_consent_rec k2 = {
        .customer_ref = "1", .channel = "email", .status = "revoked", .recorded_at = T0 + 10};
    fx_put_consent(f, &k1, NULL);
    fx_put_consent(f, &k2, NULL);
    bb_survey_rec v = {.customer_ref = "1", .survey = "nps", .score = 8, .responded_at = T0};
    fx_put_survey(f, &v, NULL);
}

static void full_view(void **state)
{
    fx *f = *state;
    json_t *j = NULL, *x;
    bb_error err = {0};
    fill(f);
    assert_int_equal(bb_profile_json(f->s, "ayse@example.com", NULL, NULL, &j, &err), 0);
    x = json_object_get(j, "customer");
    assert_string_equal(json_string_value(json_object_get(x, "id")), "1");
    assert_string_equal(json_string_value(json_object_get(x, "first_name")), "Ayşe");
    assert_true(json_is_null(json_object_get(x, "phone")));
    assert_string_equal(json_string_value(json_object_get(x, "created_at")), "2025-01-01T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(json_object_get(x, "attributes"), "tier")), "gold");
    assert_int_equal(json_array_size(json_object_get(x, "identifiers")), 2);
    assert_int_equal(json_array_size(json_object_get(x, "merged_from")), 0);
    x = json_object_get(j, "order_summary");
    assert_int_equal(json_integer_value(json_object_get(x, "count")), 15);
    assert_int_equal(json_integer_value(json_object_get(x, "revenue_minor")), 15 * 500);
    assert_int_equal(json_integer_value(json_object_get(x, "margin_minor")), 15 * 300);
    assert_string_equal(json_string_value(json_object_get(x, "first_order_at")), "2025-01-01T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(x, "last_order_at")), "2025-01-15T00:00:00Z");
    x = json_object_get(j, "orders");
    assert_int_equal(json_array_size(x), 10);
    x = json_array_get(x, 0);
    assert_string_equal(json_string_value(json_object_get(x, "order_id")), "O14");
    x = json_array_get(json_object_get(x, "lines"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "name")), "Çay");
    assert_int_equal(json_integer_value(json_object_get(x, "total_minor")), 500);
    x = json_object_get(j, "consents");
    assert_int_equal(json_array_size(json_object_get(x, "current")), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(x, "current"), 0), "status")),
        "revoked");
    assert_int_equal(json_array_size(json_object_get(x, "history")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "interactions")), 20);
    assert_int_equal(json_array_size(json_object_get(j, "survey_responses")), 1);
    assert_true(json_is_null(json_object_get(j, "scores"))); /* no analyze yet: test_profile_scores.c */
    json_decref(j);
}

static void limits_and_missing(void **state)
{
    fx *f = *state;
    json_t *j = NULL;
    bb_error err = {0};
    bb_profile_opts o = {.orders = 3, .interactions = 5, .consent_history = 1};
    fill(f);
    assert_int_equal(bb_profile_json(f->s, "1", NULL, &o, &j, &err), 0);
    assert_int_equal(json_array_size(json_object_get(j, "orders")), 3);
    assert_int_equal(json_array_size(json_object_get(j, "interactions")), 5);
    assert_int_equal(json_array_size(json_object_get(json_object_get(j, "consents"), "history")), 1);
    json_decref(j);
    assert_int_equal(bb_profile_json(f->s, "nobody", NULL, NULL, &j, &err), BB_ENOTFOUND);
    assert_null(j);
    /* a bare customer: empty sections, nulls */
    bb_order_rec o2 = {
        .order_id = "Z", .customer_ref = "bare", .ordered_at = T0, .amount_minor = 5, .has_amount = 1};
    fx_put_order(f, &o2, NULL);
    assert_int_equal(bb_profile_json(f->s, "bare", NULL, NULL, &j, &err), 0);
    assert_true(json_is_null(json_object_get(json_object_get(j, "customer"), "first_name")));
    assert_true(json_is_null(json_object_get(json_object_get(j, "order_summary"), "margin_minor")));
    json_decref(j);
}

/* The text the API sends (bb_profile_write) is the view jansson prints, and strings of any content
 * (quotes, backslashes, control characters, markup) come back unchanged. */
static void text_form(void **state)
{
    fx *f = *state;
    json_t *j = NULL, *parsed;
    bb_error err = {0};
    bb_buf text;
    const char *evil = "Ay\"şe\\ <script>alert(1)</script>\n\t\x01";
    fill(f);
    bb_customer_rec c = {.customer_id = "2",
                         .first_name = evil,
                         .last_name = "O'Brien",
                         .attributes_json = "{\"note\":\"a \\\"quoted\\\" word\",\"n\":1.25}"};
    fx_put_customer(f, &c, NULL);
    bb_interaction_rec it = {.customer_ref = "2",
                             .occurred_at = T0,
                             .channel = "call",
                             .direction = "in",
                             .kind = "note",
                             .body = evil};
    fx_put_interaction(f, &it, NULL);
    bb_order_line_rec l = {.order_id = "Q",
                           .customer_ref = "2",
                           .ordered_at = T0,
                           .sku = "TEA",
                           .quantity = 4.0 / 3.0,
                           .unit_price_minor = 300,
                           .line_no = 1};
    fx_put_order_line(f, &l, NULL);
    for (int k = 0; k < 2; k++) {
        const char *ref = k ? "2" : "1";
        bb_buf_init(&text, 0);
        assert_int_equal(bb_profile_write(f->s, ref, NULL, NULL, 12, &text, &err), 0);
        assert_int_equal(bb_profile_json(f->s, ref, NULL, NULL, &j, &err), 0);
        char *want = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12));
        assert_string_equal(bb_buf_str(&text), want);
        free(want);
        parsed = json_loads(bb_buf_str(&text), 0, NULL);
        assert_non_null(parsed);
        if (k) {
            json_t *cu = json_object_get(parsed, "customer");
            assert_string_equal(json_string_value(json_object_get(cu, "first_name")), evil);
            assert_string_equal(json_string_value(json_object_get(json_object_get(cu, "attributes"), "note")),
                                "a \"quoted\" word");
            json_t *in = json_array_get(json_object_get(parsed, "interactions"), 0);
            assert_string_equal(json_string_value(json_object_get(in, "body")), evil);
            json_t *line = json_array_get(
                json_object_get(json_array_get(json_object_get(parsed, "orders"), 0), "lines"), 0);
            assert_true(fabs(json_real_value(json_object_get(line, "quantity")) - 4.0 / 3.0) < 1e-11);
            assert_non_null(strstr(bb_buf_str(&text), "\"quantity\":1.33333333333,")); /* 12 digits */
        }
        json_decref(parsed);
        json_decref(j);
        bb_buf_release(&text);
    }
    bb_buf_init(&text, 0);
    assert_int_equal(bb_profile_write(f->s, "nobody", NULL, NULL, 12, &text, &err), BB_ENOTFOUND);
    bb_buf_release(&text);
}

static void same_text(fx *f, const char *ref, int64_t want_missing)
{
    bb_buf fresh, stored;
    bb_error err = {0};
    int64_t missing = -1;
    bb_buf_init(&fresh, 0);
    bb_buf_init(&stored, 0);
    assert_int_equal(bb_profile_write(f->s, ref, NULL, NULL, BB_PROFILE_PRECISION, &fresh, &err), 0);
    assert_int_equal(bb_profile_write_stored(f->s, ref, NULL, &stored, &missing, &err), 0);
    assert_int_equal(missing, want_missing);
    assert_string_equal(bb_buf_str(&stored), bb_buf_str(&fresh));
    bb_buf_release(&fresh);
    bb_buf_release(&stored);
}

/* A stored view is served as the same text as a fresh render, before and after it is stored, by any
 * reference to the customer; a write drops it and the next read shows the change. */
static void stored_view(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_buf text;
    size_t stored = 9;
    int64_t missing = -1;
    fill(f);
    bb_customer_rec c = {.customer_id = "2", .first_name = "Ay\"şe\\ <b>\n", .attributes_json = "{\"n\":1.25}"};
    fx_put_customer(f, &c, NULL);
    bb_order_line_rec l = {.order_id = "Q", .customer_ref = "2", .ordered_at = T0, .sku = "TEA",
                           .quantity = 4.0 / 3.0, .unit_price_minor = 300, .line_no = 1};
    fx_put_order_line(f, &l, NULL);
    int64_t ids[3] = {fx_resolve(f, "1", NULL), fx_resolve(f, "2", NULL), 999999};
    same_text(f, "1", ids[0]);
    same_text(f, "2", ids[1]);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_view"), 0);
    fx_begin(f);
    assert_int_equal(bb_profile_materialise(f->s, ids, 3, &stored, &err), 0);
    assert_int_equal(stored, 2); /* 999999 is nobody */
    fx_commit(f);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_view"), 2);
    fx_begin(f);
    assert_int_equal(bb_profile_materialise(f->s, ids, 3, &stored, &err), 0);
    assert_int_equal(stored, 0); /* stored already */
    fx_commit(f);
    same_text(f, "1", 0);
    same_text(f, "ayse@example.com", 0);
    same_text(f, "2", 0);
    /* a new interaction: 1's view goes, 2's stays; the next read shows it */
    bb_interaction_rec it = {.customer_ref = "1", .occurred_at = T0 + 99, .channel = "call", .direction = "in",
                             .kind = "note", .subject = "after the view was stored"};
    fx_put_interaction(f, &it, NULL);
    same_text(f, "1", ids[0]);
    same_text(f, "2", 0);
    bb_buf_init(&text, 0);
    assert_int_equal(bb_profile_write_stored(f->s, "1", NULL, &text, &missing, &err), 0);
    assert_non_null(strstr(bb_buf_str(&text), "\"subject\":\"after the view was stored\""));
    bb_buf_release(&text);
    bb_buf_init(&text, 0);
    assert_int_equal(bb_profile_write_stored(f->s, "nobody", NULL, &text, &missing, &err), BB_ENOTFOUND);
    bb_buf_release(&text);
}

/* A reader that resolved a customer before another connection merged it away answers the survivor's
 * view: its cached references are forgotten when its snapshot begins after another's commit. */
static void merged_by_another(void **state)
{
    fx *f = *state;
    bb_store *other = NULL;
    bb_error err = {0};
    bb_buf text;
    int64_t missing;
    bb_customer_rec a = {.customer_id = "keep", .first_name = "Kalan"}, b = {.customer_id = "gone", .first_name = "Giden"};
    fx_put_customer(f, &a, NULL);
    fx_put_customer(f, &b, NULL);
    bb_buf_init(&text, 0);
    assert_int_equal(bb_profile_write_stored(f->s, "gone", NULL, &text, &missing, &err), 0);
    assert_non_null(strstr(bb_buf_str(&text), "\"first_name\":\"Giden\""));
    assert_int_equal(bb_store_open(f->path, 0, &other, &err), 0);
    assert_int_equal(bb_store_merge(other, "keep", "gone", "test", NULL, &err), 0);
    bb_store_close(other);
    bb_buf_reset(&text);
    assert_int_equal(bb_profile_write_stored(f->s, "gone", NULL, &text, &missing, &err), 0);
    assert_non_null(strstr(bb_buf_str(&text), "\"first_name\":\"Kalan\""));
    assert_int_equal(missing, fx_resolve(f, "keep", NULL));
    bb_buf_release(&text);
}

/* Over the demo business, analysed (scores in every section): every customer's view is the same text
 * rendered, served before it is stored, served from the stored body (compressed), and served from the
 * body stored plain as rows written before views were compressed hold it. */
static void demo_stored_same(void **state)
{
    fx *f = *state;
    bb_error err = {0};
    bb_demo_options o;
    bb_analyze_opts ao;
    bb_analyze_report rep;
    int64_t ids[400], missing;
    size_t n = 0, stored = 0, scored = 0;
    bb_demo_options_init(&o);
    o.customers = 300;
    o.seed = 11;
    if (bb_demo_to_store(f->s, &o, NULL, &err) != 0)
        fail_msg("demo: %s", err.msg);
    bb_analyze_opts_init(&ao);
    if (bb_analyze_run(f->s, &ao, &rep, &err) != 0)
        fail_msg("analyze: %s", err.msg);
    assert_int_equal(bb_store_views_missing(f->s, 0, 400, ids, &n, &err), 0);
    assert_true(n >= 300); /* the demo's duplicates are customers too */
    char (*refs)[64] = calloc(n, sizeof *refs);
    for (size_t i = 0; i < n; i++) {
        bb_customer c;
        assert_int_equal(bb_store_customer_get_id(f->s, ids[i], &c, &err), 0);
        snprintf(refs[i], sizeof refs[i], "%s", c.external_id);
        bb_customer_release(&c);
        same_text(f, refs[i], ids[i]);
    }
    fx_begin(f);
    assert_int_equal(bb_profile_materialise(f->s, ids, n, &stored, &err), 0);
    fx_commit(f);
    assert_int_equal(stored, n);
    for (size_t i = 0; i < n; i++) {
        bb_buf text;
        same_text(f, refs[i], 0);
        bb_buf_init(&text, 0);
        assert_int_equal(bb_profile_write_stored(f->s, refs[i], NULL, &text, &missing, &err), 0);
        scored += strstr(bb_buf_str(&text), ",\"scores\":{\"run_id\":") != NULL;
        bb_buf_release(&text);
    }
    assert_true(scored > n / 2); /* most demo customers have bought, and so have scores */
    /* every row is compressed, and the bodies are well under half their text */
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_view WHERE typeof(body) = 'blob'"), (int64_t)n);
    int64_t packed = fx_int(f, "SELECT sum(length(body)) FROM customer_view"), plain = 0;
    /* the same rows rewritten plain (text, as stored before compression), through another connection */
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE customer_view SET body = ?2 WHERE customer_id = ?1", -1, &st, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < n; i++) {
        bb_buf body;
        char cur[4];
        bb_buf_init(&body, 0);
        assert_int_equal(bb_store_view_get(f->s, ids[i], &body, cur, &err), 0);
        plain += (int64_t)body.len;
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_text(st, 2, body.data, (int)body.len, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
        bb_buf_release(&body);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_true(packed * 2 < plain);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_view WHERE typeof(body) = 'text'"), (int64_t)n);
    for (size_t i = 0; i < n; i++)
        same_text(f, refs[i], 0);
    free(refs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(full_view, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(limits_and_missing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(text_form, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(stored_view, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(merged_by_another, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(demo_stored_same, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
