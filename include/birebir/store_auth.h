/* store_auth.h: the store's side of security: users (argon2id hashes, made by the caller), API tokens
 * (only their SHA-256 is stored), sign-in sessions (hashed too, with their CSRF token) and the audit log.
 * The hashing itself lives with the caller (src/api/); the store keeps and finds rows. Strings are
 * UTF-8 and borrowed; times are UTC seconds. */
#ifndef BIREBIR_STORE_AUTH_H
#define BIREBIR_STORE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/store.h"

#define BB_STORE_HASH_LEN 32 /* bytes of a token or session hash (SHA-256) */

/* ---- Users ---- */

typedef struct bb_store_user {
    int64_t id;
    char name[256];
    char role[16];           /* admin, marketer, analyst, ingest */
    char password_hash[256]; /* argon2id encoded ("$argon2id$v=19$...") */
    int disabled;
    int64_t created_at;
} bb_store_user;

/* Adds a user; BB_ECONFLICT when the name is taken, BB_EINVAL for an unknown role. */
int bb_store_user_add(bb_store *s, const char *name, const char *role, const char *password_hash,
                      bb_error *err) BB_MUST_USE;
/* Finds a user by name; BB_ENOTFOUND when there is none. */
int bb_store_user_get(bb_store *s, const char *name, bb_store_user *out, bb_error *err) BB_MUST_USE;
/* Replaces a user's password hash; BB_ENOTFOUND when there is no such user. */
int bb_store_user_set_password(bb_store *s, const char *name, const char *password_hash,
                               bb_error *err) BB_MUST_USE;
/* Disables (1) or enables (0) a user; disabling also ends the user's sessions. */
int bb_store_user_set_disabled(bb_store *s, const char *name, int disabled, bb_error *err) BB_MUST_USE;
/* Calls fn for every user, by name; a non-zero return from fn stops and is returned. The record is
 * valid during the call only. */
typedef int (*bb_store_user_fn)(void *ctx, const bb_store_user *u);
int bb_store_user_list(bb_store *s, bb_store_user_fn fn, void *ctx, bb_error *err) BB_MUST_USE;

/* ---- API tokens ---- */

typedef struct bb_store_token {
    int64_t id;
    char name[256];
    char role[16];
    double rate_limit; /* requests per second; 0: the server's default */
    int64_t created_at, last_used_at, revoked_at; /* 0: never */
} bb_store_token;

/* Stores a new token by its hash; *id is its number. BB_EINVAL for an unknown role. */
int bb_store_token_add(bb_store *s, const char *name, const char *role, double rate_limit,
                       const unsigned char hash[BB_STORE_HASH_LEN], int64_t *id,
                       bb_error *err) BB_MUST_USE;
/* Finds the live (not revoked) token with this hash; BB_ENOTFOUND when there is none. */
int bb_store_token_find(bb_store *s, const unsigned char hash[BB_STORE_HASH_LEN],
                        bb_store_token *out, bb_error *err) BB_MUST_USE;
/* Records that the token was used at `at`. */
int bb_store_token_touch(bb_store *s, int64_t id, int64_t at, bb_error *err) BB_MUST_USE;
/* Revokes the token with this number, or (id 0) every live token named `name`; *n is how many were
 * revoked (0 is BB_ENOTFOUND). */
int bb_store_token_revoke(bb_store *s, int64_t id, const char *name, int64_t *n,
                          bb_error *err) BB_MUST_USE;
/* Calls fn for every token, revoked ones too, by number. */
typedef int (*bb_store_token_fn)(void *ctx, const bb_store_token *t);
int bb_store_token_list(bb_store *s, bb_store_token_fn fn, void *ctx, bb_error *err) BB_MUST_USE;

/* ---- Sessions (the web UI's sign-in) ---- */

typedef struct bb_store_session {
    int64_t id;
    int64_t user_id;
    char user_name[256];
    char role[16];
    char csrf_token[96];
    int64_t created_at, expires_at;
} bb_store_session;

/* Opens a session for a user; expired sessions are removed on the way. */
int bb_store_session_add(bb_store *s, const unsigned char hash[BB_STORE_HASH_LEN], int64_t user_id,
                         const char *csrf_token, int64_t now, int64_t expires_at,
                         bb_error *err) BB_MUST_USE;
/* Finds the session with this hash, unexpired at `now`, of an enabled user; BB_ENOTFOUND otherwise. */
int bb_store_session_find(bb_store *s, const unsigned char hash[BB_STORE_HASH_LEN], int64_t now,
                          bb_store_session *out, bb_error *err) BB_MUST_USE;
/* Ends a session (no error when it is already gone). */
int bb_store_session_delete(bb_store *s, const unsigned char hash[BB_STORE_HASH_LEN],
                            bb_error *err) BB_MUST_USE;

/* ---- Audit log: writes, exports and sign-ins, who/what/when ---- */

typedef struct bb_store_audit {
    int64_t id;
    int64_t at;
    const char *actor;  /* "token:NAME", "user:NAME", "cli:NAME" */
    const char *action; /* "customer.upsert", "events.ingest", "session.signin", ... */
    const char *target; /* may be NULL */
    const char *detail; /* a JSON object, may be NULL */
} bb_store_audit;

/* Appends an entry (id is ignored; at 0 means now). */
int bb_store_audit_add(bb_store *s, const bb_store_audit *a, bb_error *err) BB_MUST_USE;
/* Calls fn for up to `limit` entries, newest first, with id < before (0: from the newest), filtered by
 * actor and action when they are not NULL. */
typedef int (*bb_store_audit_fn)(void *ctx, const bb_store_audit *a);
int bb_store_audit_list(bb_store *s, int64_t before, int limit, const char *actor, const char *action,
                        bb_store_audit_fn fn, void *ctx, bb_error *err) BB_MUST_USE;

#endif
