/* store_auth_impl.h: the table of functions behind store_auth.h and store_event.h, hung off
 * bb__store_ops.auth. Internal to src/store/. */
#ifndef BB_STORE_AUTH_IMPL_H
#define BB_STORE_AUTH_IMPL_H

#include "birebir/store_auth.h"
#include "birebir/store_event.h"
#include "store/store_impl.h"

typedef struct bb__store_auth_ops {
    int (*user_add)(bb_store *s, const char *name, const char *role, const char *hash, bb_error *err);
    int (*user_get)(bb_store *s, const char *name, bb_store_user *out, bb_error *err);
    int (*user_set_password)(bb_store *s, const char *name, const char *hash, bb_error *err);
    int (*user_set_disabled)(bb_store *s, const char *name, int disabled, bb_error *err);
    int (*user_list)(bb_store *s, bb_store_user_fn fn, void *ctx, bb_error *err);
    int (*token_add)(bb_store *s, const char *name, const char *role, double rate_limit,
                     const unsigned char *hash, int64_t *id, bb_error *err);
    int (*token_find)(bb_store *s, const unsigned char *hash, bb_store_token *out, bb_error *err);
    int (*token_touch)(bb_store *s, int64_t id, int64_t at, bb_error *err);
    int (*token_revoke)(bb_store *s, int64_t id, const char *name, int64_t *n, bb_error *err);
    int (*token_list)(bb_store *s, bb_store_token_fn fn, void *ctx, bb_error *err);
    int (*session_add)(bb_store *s, const unsigned char *hash, int64_t user_id, const char *csrf,
                       int64_t now, int64_t expires_at, bb_error *err);
    int (*session_find)(bb_store *s, const unsigned char *hash, int64_t now, bb_store_session *out,
                        bb_error *err);
    int (*session_delete)(bb_store *s, const unsigned char *hash, bb_error *err);
    int (*audit_add)(bb_store *s, const bb_store_audit *a, bb_error *err);
    int (*audit_list)(bb_store *s, int64_t before, int limit, const char *actor, const char *action,
                      bb_store_audit_fn fn, void *ctx, bb_error *err);
    int (*event_mark)(bb_store *s, const char *event_id, const char *type, int64_t now, int *is_new,
                      bb_error *err);
    int (*event_seen)(bb_store *s, const char *event_id, bb_error *err);
    int (*savepoint)(bb_store *s, bb_error *err);
    int (*savepoint_release)(bb_store *s, bb_error *err);
    void (*savepoint_rollback)(bb_store *s);
    int (*set_durability)(bb_store *s, bb_store_durability d, bb_error *err);
} bb__store_auth_ops;

#endif
