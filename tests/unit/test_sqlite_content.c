/* test_sqlite_content.c: interactions, consents and survey answers are deduplicated on content. */
#include "store_fixture.h"

static void interactions(void **state)
{
    fx *f = *state;
    bb_interaction_rec i = {.customer_ref = "1", .occurred_at = 1700000000, .channel = "email",
                            .direction = "out", .kind = "message", .subject = "Kampanya",
                            .body = "Merhaba"};
    assert_int_equal(fx_put_interaction(f, &i, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_interaction(f, &i, NULL), BB_PUT_UNCHANGED);
    /* any field differing is another interaction; fields do not run into each other */
    i.subject = "Kampanya M";
    i.body = "erhaba";
    assert_int_equal(fx_put_interaction(f, &i, NULL), BB_PUT_INSERTED);
    i.direction = "in";
    assert_int_equal(fx_put_interaction(f, &i, NULL), BB_PUT_INSERTED);
    i.subject = NULL;
    assert_int_equal(fx_put_interaction(f, &i, NULL), BB_PUT_INSERTED);
    i.subject = ""; /* empty is absent */
    assert_int_equal(fx_put_interaction(f, &i, NULL), BB_PUT_UNCHANGED);
    /* the same content for another customer is theirs */
    i.customer_ref = "2";
    assert_int_equal(fx_put_interaction(f, &i, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM interaction"), 5);
    assert_int_equal(fx_int(f, "SELECT length(content_hash) FROM interaction LIMIT 1"), 16);
    bb_error err = {0};
    bb_put_result res;
    i.direction = "sideways";
    assert_int_equal(bb_store_put_interaction(f->s, &i, &res, NULL, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "sideways"));
}

static void consents(void **state)
{
    fx *f = *state;
    bb_consent_rec c = {.customer_ref = "1", .channel = "sms", .status = "granted", .source = "web",
                        .recorded_at = 1700000000};
    assert_int_equal(fx_put_consent(f, &c, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_consent(f, &c, NULL), BB_PUT_UNCHANGED);
    c.status = "revoked";
    c.recorded_at++;
    assert_int_equal(fx_put_consent(f, &c, NULL), BB_PUT_INSERTED);
    c.source = NULL;
    assert_int_equal(fx_put_consent(f, &c, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_consent(f, &c, NULL), BB_PUT_UNCHANGED);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM consent"), 3);
    bb_error err = {0};
    bb_put_result res;
    c.channel = "fax";
    assert_int_equal(bb_store_put_consent(f->s, &c, &res, NULL, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "fax"));
    c.channel = "email";
    c.status = "maybe";
    assert_int_equal(bb_store_put_consent(f->s, &c, &res, NULL, &err), BB_EINVAL);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM consent"), 3);
}

static void surveys(void **state)
{
    fx *f = *state;
    bb_survey_rec s = {.customer_ref = "1", .survey = "nps", .score = 9, .comment = "Çok iyi",
                       .responded_at = 1700000000};
    assert_int_equal(fx_put_survey(f, &s, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_put_survey(f, &s, NULL), BB_PUT_UNCHANGED);
    s.score = 10;
    assert_int_equal(fx_put_survey(f, &s, NULL), BB_PUT_INSERTED);
    s.comment = NULL;
    assert_int_equal(fx_put_survey(f, &s, NULL), BB_PUT_INSERTED);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM survey_response"), 3);
    bb_error err = {0};
    bb_put_result res;
    s.survey = "";
    assert_int_equal(bb_store_put_survey(f->s, &s, &res, NULL, &err), BB_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(interactions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(consents, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(surveys, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
