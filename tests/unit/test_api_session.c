/* test_api_session.c: signing in and out of the web UI: wrong passwords and unknown or disabled users
 * refused alike, the cookie's attributes, who a session is, signing out, and the audit of each. */
#include "api_fixture.h"

static const char *signin = "{\"name\":\"selin\",\"password\":\"correct horse\"}";

static void cookie_of(fixture *f, char *out, size_t size)
{
    const char *set = fx_header(f, "Set-Cookie");
    assert_non_null(set);
    snprintf(out, size, "Cookie: %.*s", (int)strcspn(set + 11, ";"), set + 11);
}

static int count_action(fixture *f, const char *action)
{
    json_t *entries;
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit?limit=1000", 0, NULL), 200);
    entries = json_object_get(f->json, "entries");
    int n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
        n += strcmp(json_string_value(json_object_get(e, "action")), action) == 0;
    return n;
}

static void sign_in_and_out(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb_error err = {0};
    char cookie[128], csrf[128];
    assert_int_equal(bb_api_user_add(f->store, "selin", "marketer", "correct horse", "test", &err), 0);
    assert_int_equal(fx_request(f, "POST", "/api/v1/session", -1, signin), 200);
    assert_string_equal(fx_str(f, "name"), "selin");
    assert_string_equal(fx_str(f, "role"), "marketer");
    assert_int_equal(strlen(fx_str(f, "csrf_token")), 43);
    const char *set = fx_header(f, "Set-Cookie");
    assert_non_null(strstr(set, "; HttpOnly"));
    assert_non_null(strstr(set, "; SameSite=Strict"));
    assert_non_null(strstr(set, "; Path=/"));
    assert_non_null(strstr(set, "; Max-Age=43200"));
    assert_null(strstr(set, "Secure")); /* only with --secure-cookies */
    cookie_of(f, cookie, sizeof cookie);
    snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", fx_str(f, "csrf_token"));
    const char *const c1[] = {cookie, NULL};
    const char *const c2[] = {cookie, csrf, NULL};
    assert_int_equal(fx_request_h(f, "GET", "/api/v1/session", NULL, NULL, c1), 200);
    assert_string_equal(fx_str(f, "kind"), "session");
    assert_string_equal(fx_str(f, "name"), "selin");
    assert_string_equal(fx_str(f, "csrf_token"), csrf + 14);
    assert_int_equal(fx_request_h(f, "GET", "/api/v1/audit", NULL, NULL, c1), 403); /* a marketer */
    assert_int_equal(fx_request_h(f, "DELETE", "/api/v1/session", NULL, NULL, c1), 403); /* no CSRF token */
    assert_int_equal(fx_request_h(f, "DELETE", "/api/v1/session", NULL, NULL, c2), 200);
    assert_non_null(strstr(fx_header(f, "Set-Cookie"), "Max-Age=0"));
    assert_int_equal(fx_request_h(f, "GET", "/api/v1/session", NULL, NULL, c1), 401); /* it has ended */
    assert_int_equal(count_action(f, "session.signin"), 1);
    assert_int_equal(count_action(f, "session.signout"), 1);
    /* A token can ask who it is, and has no session to end. */
    assert_int_equal(fx_request(f, "GET", "/api/v1/session", 2, NULL), 200);
    assert_string_equal(fx_str(f, "kind"), "token");
    assert_string_equal(fx_str(f, "role"), "analyst");
    assert_int_equal(fx_request(f, "DELETE", "/api/v1/session", 2, NULL), 422);
    fx_free(f);
}

static void refusals(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb_error err = {0};
    assert_int_equal(bb_api_user_add(f->store, "selin", "admin", "correct horse", "test", &err), 0);
    assert_int_equal(bb_api_user_add(f->store, "off", "admin", "correct horse", "test", &err), 0);
    assert_int_equal(bb_api_user_set_disabled(f->store, "off", 1, "test", &err), 0);
    assert_int_equal(fx_request(f, "POST", "/api/v1/session", -1, "{\"name\":\"selin\",\"password\":\"wrong horse\"}"),
                     401);
    const char *msg = fx_str(f, "error.message");
    char first[256];
    snprintf(first, sizeof first, "%s", msg);
    assert_null(fx_header(f, "Set-Cookie"));
    assert_int_equal(fx_request(f, "POST", "/api/v1/session", -1, "{\"name\":\"nobody\",\"password\":\"wrong horse\"}"),
                     401);
    assert_string_equal(fx_str(f, "error.message"), first); /* no telling which was wrong */
    assert_int_equal(fx_request(f, "POST", "/api/v1/session", -1, "{\"name\":\"off\",\"password\":\"correct horse\"}"),
                     401);
    assert_int_equal(fx_request(f, "POST", "/api/v1/session", -1, "{\"name\":\"selin\"}"), 422);
    assert_string_equal(fx_str(f, "error.where"), "$.password");
    assert_int_equal(fx_request(f, "POST", "/api/v1/session", -1, "{\"name\":"), 400);
    assert_int_equal(count_action(f, "session.signin_failed"), 3);
    fx_free(f);
}

static void signin_is_rate_limited(void **state)
{
    (void)state;
    fixture *f = fx_new(0); /* per client address: 10 at once, then one per second */
    int limited = 0;
    for (int i = 0; i < 12; i++)
        limited += fx_request(f, "POST", "/api/v1/session", -1, "{\"name\":\"x\"}") == 429;
    assert_int_equal(limited, 2);
    assert_non_null(fx_header(f, "Retry-After"));
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sign_in_and_out),
        cmocka_unit_test(refusals),
        cmocka_unit_test(signin_is_rate_limited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
