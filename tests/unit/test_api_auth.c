/* test_api_auth.c: roles, the user and token services (refusals, audit entries), and how a request's
 * bearer token or session cookie becomes its principal. */
#include <sqlite3.h>

#include "api_fixture.h"
#include "birebir/hash.h"

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
    assert_int_equal(bb__auth_request(NULL, f->store, &req, &err), 0);
    assert_int_equal(req.who.kind, BB__AUTH_NONE);
    snprintf(authz, sizeof authz, "bearer   %s", f->tokens[3]); /* the scheme is case-insensitive */
    req.authorization = bb_strdup(authz);
    assert_int_equal(bb__auth_request(NULL, f->store, &req, &err), 0);
    assert_int_equal(req.who.kind, BB__AUTH_TOKEN);
    assert_int_equal(req.who.role, BB_ROLE_INGEST);
    assert_string_equal(req.who.name, "token:ingest");
    free(req.authorization);
    req.authorization = bb_strdup("Bearer bb_forged");
    assert_int_equal(bb__auth_request(NULL, f->store, &req, &err), BB_EAUTH);
    assert_int_equal(req.who.kind, BB__AUTH_NONE);
    free(req.authorization);
    req.authorization = NULL;
    req.session_cookie = bb_strdup("not-a-session");
    assert_int_equal(bb__auth_request(NULL, f->store, &req, &err), BB_EAUTH);
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

/* Authenticates "Bearer tok" at `now` through the service's token cache. */
static int auth_at(fixture *f, const char *tok, int64_t now, bb__principal *who)
{
    bb_http_request req;
    bb_error err = {0};
    char authz[128];
    int rc;
    bb__request_init(&req, 0);
    snprintf(authz, sizeof authz, "Bearer %s", tok);
    req.authorization = bb_strdup(authz);
    req.now = now;
    rc = bb__auth_request(f->api->tokens, f->store, &req, &err);
    *who = req.who;
    bb__request_release(&req);
    return rc;
}

/* Changes a token's role behind the server's back, as another program could (there is no command for
 * it: the cache must still not keep the old role past its time). */
static void set_role(const fixture *f, const char *name, const char *role)
{
    sqlite3 *db = NULL;
    char *sql = sqlite3_mprintf("UPDATE api_token SET role = %Q WHERE name = %Q", role, name);
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_free(sql);
    sqlite3_close(db);
}

/* The verified-token cache: a revoked token is refused, a changed role seen, from the next second on
 * (BB__TOKEN_TTL_S); a use recorded is remembered; a token made meanwhile works at once. */
static void token_cache(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb__principal who;
    bb_error err = {0};
    char *tok = NULL;
    int64_t n = 0, t0 = 5000;
    assert_int_equal(BB__TOKEN_TTL_S, 1);
    assert_int_equal(auth_at(f, f->tokens[2], t0, &who), 0);
    assert_int_equal(who.role, BB_ROLE_ANALYST);
    assert_string_equal(who.name, "token:analyst");
    /* Revoked: still known within the second it was verified in, refused from the next one. */
    assert_int_equal(bb_api_token_revoke(f->store, 0, "analyst", "test", &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(auth_at(f, f->tokens[2], t0, &who), 0);
    assert_int_equal(auth_at(f, f->tokens[2], t0 + 1, &who), BB_EAUTH);
    assert_int_equal(auth_at(f, f->tokens[2], t0 + 1, &who), BB_EAUTH); /* refusals are not kept */
    /* A role changed is seen from the next second on. */
    assert_int_equal(auth_at(f, f->tokens[1], t0, &who), 0);
    assert_int_equal(who.role, BB_ROLE_MARKETER);
    set_role(f, "marketer", "ingest");
    assert_int_equal(auth_at(f, f->tokens[1], t0, &who), 0);
    assert_int_equal(who.role, BB_ROLE_MARKETER);
    assert_int_equal(auth_at(f, f->tokens[1], t0 + 1, &who), 0);
    assert_int_equal(who.role, BB_ROLE_INGEST);
    /* A clock gone back does not revive an old entry. */
    assert_int_equal(auth_at(f, f->tokens[0], t0 + 10, &who), 0);
    assert_int_equal(bb_api_token_revoke(f->store, 0, "admin", "test", &n, &err), 0);
    assert_int_equal(auth_at(f, f->tokens[0], t0 + 9, &who), BB_EAUTH);
    /* A use recorded is remembered by the cache (else every request of the second would record it). */
    assert_int_equal(auth_at(f, f->tokens[3], t0, &who), 0);
    assert_int_equal(who.last_used_at, 0);
    bb__token_cache_touched(f->api->tokens, who.token_hash, t0);
    assert_int_equal(auth_at(f, f->tokens[3], t0, &who), 0);
    assert_int_equal(who.last_used_at, t0);
    /* A token made after others were cached works at once. */
    assert_int_equal(bb_api_token_create(f->store, "late", "analyst", 0, "test", &tok, NULL, &err), 0);
    assert_int_equal(auth_at(f, tok, t0, &who), 0);
    assert_string_equal(who.name, "token:late");
    bb_free(tok);
    fx_free(f);
}

/* A connection's memo: the token it sent last and its hash, used again when the same token comes
 * back; another token on the same connection is its own principal and takes the memo over. */
static void connection_memo(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb__authz_memo memo = {{0}};
    unsigned char want[BB_STORE_HASH_LEN];
    bb_http_request req;
    bb_error err = {0};
    char authz[128];
    const int order[] = {3, 3, 0, 3};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *tok = f->tokens[order[i]];
        bb__request_init(&req, 0);
        req.memo = &memo;
        req.now = 7000;
        snprintf(authz, sizeof authz, "Bearer %s", tok);
        req.authorization = bb_strdup(authz);
        assert_int_equal(bb__auth_request(NULL, f->store, &req, &err), 0);
        assert_int_equal(req.who.role, bb_api_role_parse(fx_roles[order[i]]));
        assert_string_equal(memo.token, tok);
        bb_sha256_digest(tok, strlen(tok), want);
        assert_memory_equal(memo.hash, want, sizeof want);
        bb__request_release(&req);
    }
    /* The hash is taken from the memo, not made again: a memo (made here by hand) pairing the ingest
     * token's text with the admin token's hash authenticates as admin. */
    bb_sha256_digest(f->tokens[0], strlen(f->tokens[0]), memo.hash);
    bb__request_init(&req, 0);
    req.memo = &memo;
    snprintf(authz, sizeof authz, "Bearer %s", f->tokens[3]);
    req.authorization = bb_strdup(authz);
    assert_int_equal(bb__auth_request(NULL, f->store, &req, &err), 0);
    assert_int_equal(req.who.role, BB_ROLE_ADMIN);
    bb__request_release(&req);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles),
        cmocka_unit_test(services),
        cmocka_unit_test(principals),
        cmocka_unit_test(token_cache),
        cmocka_unit_test(connection_memo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
