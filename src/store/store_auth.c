/* store_auth.c: the public functions of store_auth.h and store_event.h, dispatched to the backend's
 * table (bb__store_ops.auth). */
#include <string.h>

#include "store/store_auth_impl.h"

#define OPS(s) ((s)->ops->auth)

static int is_role(const char *role)
{
    static const char *const roles[] = {"admin", "marketer", "analyst", "ingest"};
    for (size_t i = 0; role && i < sizeof roles / sizeof *roles; i++)
        if (strcmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

static int check_name(const char *what, const char *name, bb_error *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n >= 256)
        return bb_error_set(err, BB_EINVAL, "%s name must be 1 to 255 bytes long", what);
    return 0;
}

static int check_role(const char *role, bb_error *err)
{
    if (!is_role(role))
        return bb_error_set(err, BB_EINVAL,
                            "role \"%s\" is not one of admin, marketer, analyst, ingest", role ? role : "");
    return 0;
}

int bb_store_user_add(bb_store *s, const char *name, const char *role, const char *password_hash,
                      bb_error *err)
{
    int rc = check_name("a user", name, err);
    if (rc == 0 && strcmp(role ? role : "", "ingest") == 0)
        rc = bb_error_set(err, BB_EINVAL, "role \"ingest\" is for API tokens, not users");
    if (rc == 0)
        rc = check_role(role, err);
    if (rc == 0 && (!password_hash || strlen(password_hash) >= sizeof ((bb_store_user *)0)->password_hash))
        rc = bb_error_set(err, BB_EINVAL, "the password hash is missing or too long");
    return rc ? rc : OPS(s)->user_add(s, name, role, password_hash, err);
}

int bb_store_user_get(bb_store *s, const char *name, bb_store_user *out, bb_error *err)
{
    return OPS(s)->user_get(s, name, out, err);
}

int bb_store_user_set_password(bb_store *s, const char *name, const char *password_hash, bb_error *err)
{
    return OPS(s)->user_set_password(s, name, password_hash, err);
}

int bb_store_user_set_disabled(bb_store *s, const char *name, int disabled, bb_error *err)
{
    return OPS(s)->user_set_disabled(s, name, disabled, err);
}

int bb_store_user_list(bb_store *s, bb_store_user_fn fn, void *ctx, bb_error *err)
{
    return OPS(s)->user_list(s, fn, ctx, err);
}

int bb_store_token_add(bb_store *s, const char *name, const char *role, double rate_limit,
                       const unsigned char hash[BB_STORE_HASH_LEN], int64_t *id, bb_error *err)
{
    int rc = check_name("a token", name, err);
    if (rc == 0)
        rc = check_role(role, err);
    if (rc == 0 && !(rate_limit >= 0))
        rc = bb_error_set(err, BB_EINVAL, "a rate limit must be 0 (the default) or more");
    return rc ? rc : OPS(s)->token_add(s, name, role, rate_limit, hash, id, err);
}

int bb_store_token_find(bb_store *s, const unsigned char hash[BB_STORE_HASH_LEN], bb_store_token *out,
                        bb_error *err)
{
    return OPS(s)->token_find(s, hash, out, err);
}

int bb_store_token_touch(bb_store *s, int64_t id, int64_t at, bb_error *err)
{
    return OPS(s)->token_touch(s, id, at, err);
}

int bb_store_token_revoke(bb_store *s, int64_t id, const char *name, int64_t *n, bb_error *err)
{
    return OPS(s)->token_revoke(s, id, name, n, err);
}

int bb_store_token_list(bb_store *s, bb_store_token_fn fn, void *ctx, bb_error *err)
{
    return OPS(s)->token_list(s, fn, ctx, err);
}

int bb_store_session_add(bb_store *s, const unsigned char hash[BB_STORE_HASH_LEN], int64_t user_id,
                         const char *csrf_token, int64_t now, int64_t expires_at, bb_error *err)
{
    return OPS(s)->session_add(s, hash, user_id, csrf_token, now, expires_at, err);
}

int bb_store_session_find(bb_store *s, const unsigned char hash[BB_STORE_HASH_LEN], int64_t now,
                          bb_store_session *out, bb_error *err)
{
    return OPS(s)->session_find(s, hash, now, out, err);
}

int bb_store_session_delete(bb_store *s, const unsigned char hash[BB_STORE_HASH_LEN], bb_error *err)
{
    return OPS(s)->session_delete(s, hash, err);
}

int bb_store_audit_add(bb_store *s, const bb_store_audit *a, bb_error *err)
{
    if (!a->actor || !a->action)
        return bb_error_set(err, BB_EINVAL, "an audit entry needs an actor and an action");
    return OPS(s)->audit_add(s, a, err);
}

int bb_store_audit_list(bb_store *s, int64_t before, int limit, const char *actor, const char *action,
                        bb_store_audit_fn fn, void *ctx, bb_error *err)
{
    return OPS(s)->audit_list(s, before, limit, actor, action, fn, ctx, err);
}

int bb_store_event_mark(bb_store *s, const char *event_id, const char *type, int64_t now, int *is_new,
                        bb_error *err)
{
    if (!event_id || !*event_id)
        return bb_error_set(err, BB_EINVAL, "an event needs an event_id");
    return OPS(s)->event_mark(s, event_id, type, now, is_new, err);
}

int bb_store_event_seen(bb_store *s, const char *event_id, bb_error *err)
{
    return OPS(s)->event_seen(s, event_id, err);
}

int bb_store_savepoint(bb_store *s, bb_error *err) { return OPS(s)->savepoint(s, err); }
int bb_store_savepoint_release(bb_store *s, bb_error *err) { return OPS(s)->savepoint_release(s, err); }
void bb_store_savepoint_rollback(bb_store *s) { OPS(s)->savepoint_rollback(s); }

int bb_store_set_durability(bb_store *s, bb_store_durability d, bb_error *err)
{
    return OPS(s)->set_durability(s, d, err);
}
