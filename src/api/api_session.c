/* api_session.c: the web UI's sign-in. POST /api/v1/session checks name and password (argon2id) and
 * answers with an HttpOnly, SameSite=Strict session cookie and the CSRF token that writes must echo in
 * X-CSRF-Token; GET tells who a request is from; DELETE signs out. Sign-ins, failed ones too, are
 * audited. */
#include <stdio.h>
#include <string.h>

#include "birebir/hash.h"
#include "api/api_fields.h"
#include "api/api_impl.h"
#include "birebir/datetime.h"

#define COOKIE "bb_session"

typedef struct signin {
    const bb_http_request *req;
    const char *client; /* the peer's address */
    const char *user;
    int64_t user_id;
    unsigned char hash[BB_STORE_HASH_LEN];
    const char *csrf;
    int64_t expires_at;
    int ok;
} signin;

static int signin_job(bb_store *s, void *ctx, bb_error *err)
{
    signin *si = ctx;
    int rc = 0;
    if (si->ok)
        rc = bb_store_session_add(s, si->hash, si->user_id, si->csrf, si->req->now, si->expires_at, err);
    if (rc == 0)
        rc = bb__audit(s, si->req, si->ok ? "session.signin" : "session.signin_failed", si->user,
                       json_pack("{s:s}", "client", si->client), err);
    return rc;
}

void bb__h_session_post(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    static const char *const fields[] = {"name", "password", NULL};
    json_t *o = bb__body_object(req, reply);
    const char *name = NULL, *password = NULL;
    char secret[64], csrf[64], when[32];
    bb_store_user u;
    bb_error err = {0};
    signin si = {.req = req, .client = bb__request_client(req)};
    int rc;
    if (!o)
        return;
    rc = bb__fields_known(o, "$", fields, &err);
    if (rc == 0)
        rc = bb__field_text(o, "$", "name", BB__REQUIRED, 255, &name, &err);
    if (rc == 0)
        rc = bb__field_text(o, "$", "password", BB__REQUIRED, 1024, &password, &err);
    if (rc == 0) {
        rc = bb_store_user_get(store, name, &u, &err);
        if (rc == BB_ENOTFOUND) {
            bb__password_burn(password);
            rc = 0;
        } else if (rc == 0) {
            si.ok = !u.disabled && bb_api_password_verify(u.password_hash, password);
        }
    }
    if (rc != 0)
        goto fail;
    si.user = name;
    si.user_id = si.ok ? u.id : 0;
    si.expires_at = req->now + (int64_t)api->cfg.session_hours * 3600;
    snprintf(req->who.name, sizeof req->who.name, "user:%s", name);
    if (si.ok) {
        if ((rc = bb__random_text(32, secret, sizeof secret, &err)) != 0 ||
            (rc = bb__random_text(32, csrf, sizeof csrf, &err)) != 0)
            goto fail;
        bb_sha256_digest(secret, strlen(secret), si.hash);
        si.csrf = csrf;
    }
    if ((rc = bb__writer_run(api->writer, signin_job, &si, &err)) != 0)
        goto fail;
    if (!si.ok) {
        memset(&req->who, 0, sizeof req->who);
        bb__reply_error(reply, 401, "unauthenticated", "$", "wrong name or password, or the user is disabled");
        goto done;
    }
    bb_time_format_iso(si.expires_at, when, sizeof when);
    bb__reply_json(reply, 200,
                   json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "session", "name", u.name, "role", u.role,
                             "csrf_token", csrf, "expires_at", when));
    bb__reply_header(reply, "Set-Cookie", COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%u%s", secret,
                     api->cfg.session_hours * 3600, api->cfg.secure_cookies ? "; Secure" : "");
    goto done;
fail:
    bb__reply_from_error(reply, &err, api->log);
done:
    json_decref(o);
}

void bb__h_session_get(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    const char *name = strchr(req->who.name, ':');
    int session = req->who.kind == BB__AUTH_SESSION;
    bb__jw j;
    (void)api, (void)store;
    bb__jw_open(&j);
    bb__jw_text(&j, "kind", session ? "session" : "token");
    bb__jw_text(&j, "name", name ? name + 1 : "");
    bb__jw_text(&j, "role", bb_api_role_name(req->who.role));
    bb__jw_text(&j, "csrf_token", session ? req->who.csrf : NULL);
    bb__jw_reply(reply, 200, &j);
}

static int signout_job(bb_store *s, void *ctx, bb_error *err)
{
    const bb_http_request *req = ctx;
    int rc = bb_store_session_delete(s, req->who.session_hash, err);
    if (rc == 0)
        rc = bb__audit(s, req, "session.signout", NULL, NULL, err);
    return rc;
}

void bb__h_session_delete(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    bb_error err = {0};
    (void)store;
    if (req->who.kind != BB__AUTH_SESSION) {
        bb__reply_error(reply, 422, "invalid", "Authorization",
                        "a token has no session to end; revoke it with 'birebir tokens revoke'");
        return;
    }
    if (bb__writer_run(api->writer, signout_job, req, &err) != 0) {
        bb__reply_from_error(reply, &err, api->log);
        return;
    }
    bb__reply_json(reply, 200, json_pack("{s:b}", "signed_out", 1));
    bb__reply_header(reply, "Set-Cookie", COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                     api->cfg.secure_cookies ? "; Secure" : "");
}
