/* test_api_dispatch.c: the routing table and the way through it: every route and role pair is allowed or
 * refused exactly as the policy says (written out here, independently of the table), 404/405, 413, 401
 * with WWW-Authenticate, revoked tokens, CSRF on a session's writes, 429 with Retry-After. */
#include "api_fixture.h"

enum { A = 1, M = 2, N = 4, I = 8, PUBLIC = 0 };

static const struct {
    const char *method, *path;
    unsigned allowed; /* bits in fx_roles order: admin, marketer, analyst, ingest */
} policy[] = {
    {"GET", "/api/v1/health", PUBLIC},
    {"GET", "/api/v1/session", A | M | N | I},
    {"POST", "/api/v1/session", PUBLIC},
    {"DELETE", "/api/v1/session", A | M | N | I},
    {"GET", "/api/v1/customers", A | M | N},
    {"POST", "/api/v1/customers", A},
    {"GET", "/api/v1/customers/{customer_id}", A | M | N},
    {"PATCH", "/api/v1/customers/{customer_id}", A},
    {"POST", "/api/v1/events", A | I},
    {"GET", "/api/v1/audit", A},
    {"GET", "/api/v1/dashboard", A | M | N},
    {"GET", "/api/v1/cohorts", A | M | N},
    {"GET", "/api/v1/segments/rfm", A | M | N},
    {"GET", "/api/v1/model-runs", A | M | N},
};
enum { N_POLICY = sizeof policy / sizeof *policy };

static void table_is_the_policy(void **state)
{
    (void)state;
    size_t n;
    const bb_api_route_info *r = bb_api_routes(&n);
    assert_int_equal(n, N_POLICY); /* a new route needs its line in the policy above */
    for (size_t i = 0; i < N_POLICY; i++) {
        size_t k = 0;
        while (k < n && !(strcmp(r[k].method, policy[i].method) == 0 && strcmp(r[k].path, policy[i].path) == 0))
            k++;
        assert_true(k < n);
        assert_int_equal(r[k].roles, policy[i].allowed); /* the role bits are in the same order */
        assert_true(strlen(r[k].summary) > 0);
    }
}

static void every_route_and_role(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    for (size_t i = 0; i < N_POLICY; i++) {
        char path[128];
        const char *brace = strchr(policy[i].path, '{');
        if (brace)
            snprintf(path, sizeof path, "%.*sc-1", (int)(brace - policy[i].path), policy[i].path);
        else
            snprintf(path, sizeof path, "%s", policy[i].path);
        for (int role = -1; role < 4; role++) {
            int st = fx_request(f, policy[i].method, path, role, "{}");
            int allowed = policy[i].allowed == PUBLIC || (role >= 0 && (policy[i].allowed & (1u << role)));
            if (allowed) {
                if (st == 401 || st == 403)
                    fail_msg("%s %s as %s: %d, expected to be let in", policy[i].method, path,
                             role < 0 ? "anonymous" : fx_roles[role], st);
            } else {
                int want = role < 0 ? 401 : 403;
                if (st != want)
                    fail_msg("%s %s as %s: %d, expected %d", policy[i].method, path,
                             role < 0 ? "anonymous" : fx_roles[role], st, want);
                assert_string_equal(fx_str(f, "error.code"), role < 0 ? "unauthenticated" : "forbidden");
            }
        }
    }
    fx_free(f);
}

static void not_found_and_not_allowed(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/nothing", 0, NULL), 404);
    assert_string_equal(fx_str(f, "error.code"), "not_found");
    assert_string_equal(fx_str(f, "error.where"), "/api/v1/nothing");
    assert_int_equal(fx_request(f, "GET", "/no-such-page.html", -1, NULL), 404);
    assert_string_equal(f->reply.content_type, "application/json");
    assert_int_equal(fx_request(f, "DELETE", "/api/v1/events", 0, NULL), 405);
    assert_string_equal(fx_str(f, "error.code"), "method_not_allowed");
    assert_string_equal(fx_header(f, "Allow"), "POST");
    assert_int_equal(fx_request(f, "PUT", "/api/v1/customers/x", 0, NULL), 405);
    assert_string_equal(fx_header(f, "Allow"), "GET, HEAD, PATCH");
    assert_int_equal(fx_request(f, "HEAD", "/api/v1/health", -1, NULL), 200);
    fx_free(f);
}

static void bad_credentials(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb_error err = {0};
    int64_t n = 0;
    assert_int_equal(fx_request_h(f, "GET", "/api/v1/audit", "Bearer bb_nope", NULL, NULL), 401);
    assert_string_equal(fx_str(f, "error.code"), "unauthenticated");
    assert_non_null(fx_header(f, "WWW-Authenticate"));
    assert_int_equal(fx_request_h(f, "GET", "/api/v1/audit", "Basic YTpi", NULL, NULL), 401);
    assert_string_equal(fx_str(f, "error.where"), "Authorization");
    /* A revoked token stops working from the next second on (the verified-token cache's time). */
    f->now = (int64_t)time(NULL);
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit", 0, NULL), 200);
    assert_int_equal(bb_api_token_revoke(f->store, 0, "admin", "test", &n, &err), 0);
    assert_int_equal(n, 1);
    f->now += BB__TOKEN_TTL_S;
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit", 0, NULL), 401);
    /* A session cookie that is not known. */
    const char *const cookie[] = {"Cookie: whatever", NULL};
    assert_int_equal(fx_request_h(f, "GET", "/api/v1/session", NULL, NULL, cookie), 401);
    fx_free(f);
}

static void too_large(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb_http_request req;
    bb__request_init(&req, 16);
    snprintf(req.method, sizeof req.method, "POST");
    req.path = bb_strdup("/api/v1/events");
    req.body_too_large = 1;
    bb__api_handle(f->api, f->store, &req, &f->reply);
    assert_int_equal(f->reply.status, 413);
    assert_non_null(strstr(f->reply.body, "\"too_large\""));
    bb__request_release(&req);
    fx_free(f);
}

static void csrf_on_session_writes(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb_error err = {0};
    char cookie[128], csrf[128];
    assert_int_equal(bb_api_user_add(f->store, "ayse", "admin", "correct horse", "test", &err), 0);
    assert_int_equal(fx_request(f, "POST", "/api/v1/session", -1, "{\"name\":\"ayse\",\"password\":\"correct horse\"}"),
                     200);
    const char *set = fx_header(f, "Set-Cookie");
    assert_non_null(set);
    snprintf(cookie, sizeof cookie, "Cookie: %.*s", (int)strcspn(set + strlen("bb_session="), ";"),
             set + strlen("bb_session="));
    snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", fx_str(f, "csrf_token"));
    const char *const with_cookie[] = {cookie, NULL};
    const char *const with_both[] = {cookie, csrf, NULL};
    const char *const with_wrong[] = {cookie, "X-CSRF-Token: not-it", NULL};
    /* Reads need no CSRF token; writes do. */
    assert_int_equal(fx_request_h(f, "GET", "/api/v1/audit", NULL, NULL, with_cookie), 200);
    assert_int_equal(fx_request_h(f, "POST", "/api/v1/customers", NULL, "{\"customer_id\":\"k1\"}", with_cookie), 403);
    assert_string_equal(fx_str(f, "error.code"), "csrf");
    assert_int_equal(fx_request_h(f, "POST", "/api/v1/customers", NULL, "{\"customer_id\":\"k1\"}", with_wrong), 403);
    assert_int_not_equal(fx_request_h(f, "POST", "/api/v1/customers", NULL, "{\"customer_id\":\"k1\"}", with_both),
                         403);
    fx_free(f);
}

static void rate_limited(void **state)
{
    (void)state;
    fixture *f = fx_new(1); /* 1 request per second, a burst of 2 */
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit", 0, NULL), 200);
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit", 0, NULL), 200);
    assert_int_equal(fx_request(f, "GET", "/api/v1/audit", 0, NULL), 429);
    assert_string_equal(fx_str(f, "error.code"), "rate_limited");
    assert_string_equal(fx_header(f, "Retry-After"), "1");
    /* Buckets are per token: another token is not held back. */
    assert_int_equal(fx_request(f, "GET", "/api/v1/session", 1, NULL), 200);
    /* Health is never limited, nor asked for a token. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(fx_request(f, "GET", "/api/v1/health", -1, NULL), 200);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_is_the_policy),   cmocka_unit_test(every_route_and_role),
        cmocka_unit_test(not_found_and_not_allowed), cmocka_unit_test(bad_credentials),
        cmocka_unit_test(too_large),             cmocka_unit_test(csrf_on_session_writes),
        cmocka_unit_test(rate_limited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
