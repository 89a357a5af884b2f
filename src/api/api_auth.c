/* api_auth.c: who may do what. Roles, the user and token services the CLI and the server share (each
 * change audited), and the authentication of a request by its bearer token or its session cookie. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "birebir/hash.h"
#include "api/api_impl.h"

static const struct {
    const char *name;
    int bit;
} roles[] = {
    {"admin", BB_ROLE_ADMIN},
    {"marketer", BB_ROLE_MARKETER},
    {"analyst", BB_ROLE_ANALYST},
    {"ingest", BB_ROLE_INGEST},
};

int bb_api_role_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof roles / sizeof *roles; i++)
        if (strcmp(name, roles[i].name) == 0)
            return roles[i].bit;
    return 0;
}

const char *bb_api_role_name(int role)
{
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (role == roles[i].bit)
            return roles[i].name;
    return "none";
}

/* Records a change made outside a request (the CLI). */
static int audit_cli(bb_store *s, const char *actor, const char *action, const char *target, bb_error *err)
{
    bb_store_audit a = {.actor = actor ? actor : "cli", .action = action, .target = target};
    return bb_store_audit_add(s, &a, err);
}

/* Ends the transaction a CLI change was made in: commits when rc is 0, else rolls back. */
static int end_tx(bb_store *s, int rc, bb_error *err)
{
    if (rc == 0)
        rc = bb_store_commit(s, err);
    if (rc != 0)
        bb_store_rollback(s);
    return rc;
}

int bb_api_user_add(bb_store *s, const char *name, const char *role, const char *password, const char *actor,
                    bb_error *err)
{
    char hash[256];
    int rc = 0;
    if (!(bb_api_role_parse(role) & BB_ROLE_READERS))
        rc = bb_error_set(err, BB_EINVAL, "a user's role is admin, marketer or analyst, not \"%s\"",
                          role ? role : "");
    if (rc == 0)
        rc = bb_api_password_hash(password, hash, sizeof hash, err);
    if (rc == 0 && (rc = bb_store_begin(s, err)) == 0) {
        rc = bb_store_user_add(s, name, role, hash, err);
        if (rc == 0)
            rc = audit_cli(s, actor, "user.add", name, err);
        rc = end_tx(s, rc, err);
    }
    return rc;
}

int bb_api_user_set_password(bb_store *s, const char *name, const char *password, const char *actor,
                             bb_error *err)
{
    char hash[256];
    int rc = bb_api_password_hash(password, hash, sizeof hash, err);
    if (rc == 0 && (rc = bb_store_begin(s, err)) == 0) {
        rc = bb_store_user_set_password(s, name, hash, err);
        if (rc == 0)
            rc = audit_cli(s, actor, "user.password", name, err);
        rc = end_tx(s, rc, err);
    }
    return rc;
}

int bb_api_user_set_disabled(bb_store *s, const char *name, int disabled, const char *actor, bb_error *err)
{
    int rc = bb_store_begin(s, err);
    if (rc == 0) {
        rc = bb_store_user_set_disabled(s, name, disabled, err);
        if (rc == 0)
            rc = audit_cli(s, actor, disabled ? "user.disable" : "user.enable", name, err);
        rc = end_tx(s, rc, err);
    }
    return rc;
}

int bb_api_token_create(bb_store *s, const char *name, const char *role, double rate_limit, const char *actor,
                        char **token, int64_t *id, bb_error *err)
{
    char text[80] = "bb_";
    unsigned char hash[BB_STORE_HASH_LEN];
    int64_t tid = 0;
    int rc;
    *token = NULL;
    if ((rc = bb__random_text(32, text + 3, sizeof text - 3, err)) != 0)
        return rc;
    bb_sha256_digest(text, strlen(text), hash);
    if ((rc = bb_store_begin(s, err)) != 0)
        return rc;
    rc = bb_store_token_add(s, name, role, rate_limit, hash, &tid, err);
    if (rc == 0)
        rc = audit_cli(s, actor, "token.create", name, err);
    if ((rc = end_tx(s, rc, err)) != 0)
        return rc;
    if (!(*token = bb_strdup(text)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    if (id)
        *id = tid;
    return 0;
}

int bb_api_token_revoke(bb_store *s, int64_t id, const char *name, const char *actor, int64_t *n,
                        bb_error *err)
{
    char target[300];
    int rc = bb_store_begin(s, err);
    if (id)
        snprintf(target, sizeof target, "#%lld", (long long)id);
    else
        snprintf(target, sizeof target, "%s", name ? name : "");
    if (rc == 0) {
        rc = bb_store_token_revoke(s, id, name, n, err);
        if (rc == 0)
            rc = audit_cli(s, actor, "token.revoke", target, err);
        rc = end_tx(s, rc, err);
    }
    return rc;
}

/* ---- Verified tokens ---- */

/* Without it, every request by token is a read transaction of its own (a third of an authenticated
 * request's cost). A slot per first byte of the hash; a token whose slot another took is read again. */
enum { TOKEN_SLOTS = 256 };

typedef struct token_slot {
    bb__principal who;   /* as auth_bearer makes it; who.token_hash is the key */
    int64_t verified_at; /* req->now when read from the store; 0: the slot is free */
} token_slot;

struct bb__token_cache {
    pthread_mutex_t mu;
    token_slot slot[TOKEN_SLOTS];
};

bb__token_cache *bb__token_cache_new(void)
{
    bb__token_cache *c = calloc(1, sizeof *c);
    if (c && pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        c = NULL;
    }
    return c;
}

void bb__token_cache_free(bb__token_cache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static token_slot *slot_of(bb__token_cache *c, const unsigned char *hash)
{
    return &c->slot[hash[0] % TOKEN_SLOTS];
}

static int same_token(const token_slot *s, const unsigned char *hash)
{
    return s->verified_at && memcmp(s->who.token_hash, hash, BB_STORE_HASH_LEN) == 0;
}

/* 1 and *who filled when the token was verified less than BB__TOKEN_TTL_S ago. */
static int cache_get(bb__token_cache *c, const unsigned char *hash, int64_t now, bb__principal *who)
{
    token_slot *s = slot_of(c, hash);
    int hit;
    pthread_mutex_lock(&c->mu);
    hit = same_token(s, hash) && now >= s->verified_at && now - s->verified_at < BB__TOKEN_TTL_S;
    if (hit)
        *who = s->who;
    pthread_mutex_unlock(&c->mu);
    return hit;
}

static void cache_put(bb__token_cache *c, const bb__principal *who, int64_t now)
{
    token_slot *s = slot_of(c, who->token_hash);
    int64_t used = who->last_used_at;
    pthread_mutex_lock(&c->mu);
    if (same_token(s, who->token_hash) && s->who.last_used_at > used)
        used = s->who.last_used_at; /* a use recorded here whose write is not committed yet */
    s->who = *who;
    s->who.last_used_at = used;
    s->verified_at = now > 0 ? now : 1;
    pthread_mutex_unlock(&c->mu);
}

void bb__token_cache_touched(bb__token_cache *c, const unsigned char hash[BB_STORE_HASH_LEN], int64_t at)
{
    token_slot *s;
    if (!c)
        return;
    s = slot_of(c, hash);
    pthread_mutex_lock(&c->mu);
    if (same_token(s, hash) && s->who.last_used_at < at)
        s->who.last_used_at = at;
    pthread_mutex_unlock(&c->mu);
}

/* ---- Requests ---- */

static int auth_bearer(bb__token_cache *tokens, bb_store *store, bb_http_request *req, bb_error *err)
{
    const char *h = req->authorization, *tok;
    unsigned char hash[BB_STORE_HASH_LEN];
    bb_store_token t;
    size_t n;
    int rc;
    if (strncasecmp(h, "Bearer ", 7) != 0)
        return bb_error_setw(err, BB_EAUTH, "Authorization",
                             "the Authorization header must be \"Bearer TOKEN\"");
    for (tok = h + 7; *tok == ' '; tok++)
        ;
    n = strlen(tok);
    /* Compared in constant time: behind a proxy, one connection can carry many clients' requests. */
    if (req->memo && req->memo->token[0] && strlen(req->memo->token) == n &&
        bb__ct_equal(req->memo->token, tok, n)) {
        memcpy(hash, req->memo->hash, sizeof hash); /* the connection's last token again */
    } else {
        bb_sha256_digest(tok, n, hash);
        if (req->memo && n < sizeof req->memo->token) {
            memcpy(req->memo->token, tok, n + 1);
            memcpy(req->memo->hash, hash, sizeof hash);
        }
    }
    if (tokens && cache_get(tokens, hash, req->now, &req->who))
        return 0;
    rc = bb_store_token_find(store, hash, &t, err);
    if (rc == BB_ENOTFOUND)
        return bb_error_setw(err, BB_EAUTH, "Authorization", "the token is not known or was revoked");
    if (rc != 0)
        return rc;
    req->who.kind = BB__AUTH_TOKEN;
    req->who.role = bb_api_role_parse(t.role);
    req->who.id = t.id;
    req->who.rate_limit = t.rate_limit;
    req->who.last_used_at = t.last_used_at;
    memcpy(req->who.token_hash, hash, sizeof hash);
    snprintf(req->who.name, sizeof req->who.name, "token:%s", t.name);
    if (tokens)
        cache_put(tokens, &req->who, req->now);
    return 0;
}

static int auth_session(bb_store *store, bb_http_request *req, bb_error *err)
{
    bb_store_session ses;
    int rc;
    bb_sha256_digest(req->session_cookie, strlen(req->session_cookie), req->who.session_hash);
    rc = bb_store_session_find(store, req->who.session_hash, req->now, &ses, err);
    if (rc == BB_ENOTFOUND)
        return bb_error_setw(err, BB_EAUTH, "cookie bb_session",
                             "the session has ended or expired; sign in again");
    if (rc != 0)
        return rc;
    req->who.kind = BB__AUTH_SESSION;
    req->who.role = bb_api_role_parse(ses.role);
    req->who.id = ses.user_id;
    snprintf(req->who.csrf, sizeof req->who.csrf, "%s", ses.csrf_token);
    snprintf(req->who.name, sizeof req->who.name, "user:%s", ses.user_name);
    return 0;
}

int bb__auth_request(bb__token_cache *tokens, bb_store *store, bb_http_request *req, bb_error *err)
{
    memset(&req->who, 0, sizeof req->who);
    if (req->authorization)
        return auth_bearer(tokens, store, req, err);
    if (req->session_cookie)
        return auth_session(store, req, err);
    return 0;
}

int bb__audit(bb_store *s, const bb_http_request *req, const char *action, const char *target,
              json_t *detail, bb_error *err)
{
    char *d = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    bb_store_audit a = {
        .at = req->now,
        .actor = req->who.name[0] ? req->who.name : "anonymous",
        .action = action,
        .target = target,
        .detail = d,
    };
    int rc = detail && !d ? bb_error_set(err, BB_ENOMEM, "out of memory") : bb_store_audit_add(s, &a, err);
    free(d);
    json_decref(detail);
    return rc;
}
