/* test_api_auth.c: roles, the user and token services (refusals, audit entries), and how a request's
 * bearer token or session cookie becomes its principal. */
#include "api_fixture.h"

static void roles(void **state)
{
    (void)state;
    assert_int_equal(bb_api_role_parse("admin"), BB_ROLE_ADMIN);
    assert_int_equal(bb_api_role_parse("marketer"), BB_ROLE_MARKETER);
    assert_int_equal(bb_api_role_parse("analyst"), BB_ROLE_ANALYST);
    assert_int_equal(bb_api_role_parse("ingest"), BB_ROLE_INGEST);
    assert_int_equal(bb_api_role_parse("Admin"), 0);
    assert_int_equal(bb_api_role_parse(NULL), 0);
    assert_string_equal(bb_api_role_name(BB_ROLE_INGEST), "ingest");
    assert_string_equal(bb_api_role_name(BB_ROLE_ADMIN | BB_ROLE_INGEST), "none");
}

typedef struct acts {
    char s[512];
} acts;

static int collect(void *ctx, const bb_store_audit *a)
{
    acts *x = ctx;
    snprintf(x->s + strlen(x->s), sizeof x->s - strlen(x->s), "%s %s %s;", a->actor, a->action,
             a->target ? a->target : "-");
    return 0;
}

static void services(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb_error err = {0};
    bb_store_user u;
    char *tok = NULL;
    int64_t id = 0, n = 0;
    acts a = {""};
    assert_int_equal(bb_api_user_add(f->store, "ece", "analyst", "long enough pw", "cli:root", &err), 0);
    assert_int_equal(bb_store_user_get(f->store, "ece", &u, &err), 0);
    assert_int_equal(bb_api_password_verify(u.password_hash, "long enough pw"), 1);
    assert_int_equal(bb_api_user_add(f->store, "x", "ingest", "long enough pw", "cli:root", &err), BB_EINVAL);
    assert_int_equal(bb_api_user_add(f->store, "x", "admin", "short", "cli:root", &err), BB_EINVAL);
    assert_int_equal(bb_api_user_add(f->store, "ece", "admin", "long enough pw", "cli:root", &err), BB_ECONFLICT);
    assert_int_equal(bb_api_user_set_password(f->store, "ece", "another long one", "cli:root", &err), 0);
    assert_int_equal(bb_store_user_get(f->store, "ece", &u, &err), 0);
    assert_int_equal(bb_api_password_verify(u.password_hash, "another long one"), 1);
    assert_int_equal(bb_api_user_set_disabled(f->store, "ece", 1, "cli:root", &err), 0);
    assert_int_equal(bb_api_user_set_disabled(f->store, "nobody", 1, "cli:root", &err), BB_ENOTFOUND);
    assert_int_equal(bb_api_token_create(f->store, "shop", "ingest", 0, "cli:root", &tok, &id, &err), 0);
    assert_int_equal(strlen(tok), 46); /* "bb_" and 43 base64url characters: 256 random bits */
    assert_int_equal(strncmp(tok, "bb_", 3), 0);
    assert_true(id > 0);
    bb_free(tok);
    assert_int_equal(bb_api_token_create(f->store, "shop", "root", 0, "cli:root", &tok, &id, &err) == 0, 0);
    assert_int_equal(bb_api_token_revoke(f->store, id, NULL, "cli:root", &n, &err), 0);
    assert_int_equal(bb_store_audit_list(f->store, 0, 100, "cli:root", NULL, collect, &a, &err), 0);
    assert_string_equal(a.s, "cli:root token.revoke #5;cli:root token.create shop;cli:root user.disable ece;"
                             "cli:root user.password ece;cli:root user.add ece;");
    bb_free(tok);
    fx_free(f);
}

static void principals(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb_http_request req;
    bb_error err = {0};
    char authz[128];
    bb__request_init(&req, 0);
    req.now = 1000;
    assert_int_equal(bb__auth_request(f->store, &req, &err), 0);
    assert_int_equal(req.who.kind, BB__AUTH_NONE);
    snprintf(authz, sizeof authz, "bearer   %s", f->tokens[3]); /* the scheme is case-insensitive */
    req.authorization = bb_strdup(authz);
    assert_int_equal(bb__auth_request(f->store, &req, &err), 0);
    assert_int_equal(req.who.kind, BB__AUTH_TOKEN);
    assert_int_equal(req.who.role, BB_ROLE_INGEST);
    assert_string_equal(req.who.name, "token:ingest");
    free(req.authorization);
    req.authorization = bb_strdup("Bearer bb_forged");
    assert_int_equal(bb__auth_request(f->store, &req, &err), BB_EAUTH);
    assert_int_equal(req.who.kind, BB__AUTH_NONE);
    free(req.authorization);
    req.authorization = NULL;
    req.session_cookie = bb_strdup("not-a-session");
    assert_int_equal(bb__auth_request(f->store, &req, &err), BB_EAUTH);
    assert_string_equal(err.where, "cookie bb_session");
    /* An audit entry in the request's name. */
    snprintf(req.who.name, sizeof req.who.name, "user:ece");
    assert_int_equal(bb__audit(f->store, &req, "customer.update", "k1", json_pack("{s:i}", "n", 1), &err), 0);
    acts a = {""};
    assert_int_equal(bb_store_audit_list(f->store, 0, 1, NULL, NULL, collect, &a, &err), 0);
    assert_string_equal(a.s, "user:ece customer.update k1;");
    bb__request_release(&req);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles),
        cmocka_unit_test(services),
        cmocka_unit_test(principals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
