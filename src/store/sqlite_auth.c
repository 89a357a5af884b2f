/* sqlite_auth.c: the SQLite backend of store_auth.h and store_event.h: users, API tokens, sessions,
 * the audit log, event ids seen, savepoints and commit durability. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_db.h"
#include "store/store_auth_impl.h"

/* Steps a statement that returns no row; finalises it. */
static int run(bb__sqlite *q, sqlite3_stmt *st, const char *context, bb_error *err)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, context);
    sqlite3_finalize(st);
    return rc;
}

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

static void copy_col(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", v ? (const char *)v : "");
}

/* ---- Users ---- */

static int sq_user_add(bb_store *s, const char *name, const char *role, const char *hash, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st,
                  "INSERT INTO app_user (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                  err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, now_s());
    rc = run(q, st, "adding a user", err);
    if (rc == BB_ECONFLICT)
        return bb_error_set(err, BB_ECONFLICT, "a user named \"%s\" exists already", name);
    return rc;
}

static void user_from_row(sqlite3_stmt *st, bb_store_user *u)
{
    u->id = sqlite3_column_int64(st, 0);
    copy_col(u->name, sizeof u->name, st, 1);
    copy_col(u->role, sizeof u->role, st, 2);
    copy_col(u->password_hash, sizeof u->password_hash, st, 3);
    u->disabled = sqlite3_column_int(st, 4);
    u->created_at = sqlite3_column_int64(st, 5);
}

#define USER_COLS "id, name, role, password_hash, disabled, created_at"

static int sq_user_get(bb_store *s, const char *name, bb_store_user *out, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st, "SELECT " USER_COLS " FROM app_user WHERE name = ?1", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW: user_from_row(st, out); break;
    case SQLITE_DONE: rc = bb_error_set(err, BB_ENOTFOUND, "there is no user named \"%s\"", name); break;
    default: rc = bb__sqlite_err(q, err, "finding a user");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Runs an UPDATE/DELETE with one text parameter and more; BB_ENOTFOUND when it changed no row. */
static int change_user(bb__sqlite *q, sqlite3_stmt *st, const char *name, bb_error *err)
{
    int rc = run(q, st, "changing a user", err);
    if (rc == 0 && sqlite3_changes(q->db) == 0)
        rc = bb_error_set(err, BB_ENOTFOUND, "there is no user named \"%s\"", name);
    return rc;
}

static int sq_user_set_password(bb_store *s, const char *name, const char *hash, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st, "UPDATE app_user SET password_hash = ?2 WHERE name = ?1", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
    return change_user(q, st, name, err);
}

static int sq_user_set_disabled(bb_store *s, const char *name, int disabled, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st, "UPDATE app_user SET disabled = ?2 WHERE name = ?1", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, disabled ? 1 : 0);
    rc = change_user(q, st, name, err);
    if (rc == 0 && disabled && (rc = bb__sqlite_prepare(q, &st,
                                          "DELETE FROM session WHERE user_id = "
                                          "(SELECT id FROM app_user WHERE name = ?1)",
                                          err)) == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        rc = run(q, st, "ending the sessions of a disabled user", err);
    }
    return rc;
}

static int sq_user_list(bb_store *s, bb_store_user_fn fn, void *ctx, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    bb_store_user u;
    int rc = bb__sqlite_prepare(q, &st, "SELECT " USER_COLS " FROM app_user ORDER BY name", err), step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        user_from_row(st, &u);
        rc = fn(ctx, &u);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "listing users");
    sqlite3_finalize(st);
    return rc;
}

/* ---- Tokens ---- */

static int sq_token_add(bb_store *s, const char *name, const char *role, double rate_limit,
                        const unsigned char *hash, int64_t *id, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st,
                  "INSERT INTO api_token (name, role, token_hash, rate_limit, created_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
                  err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, role, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 3, hash, BB_STORE_HASH_LEN, SQLITE_TRANSIENT);
    if (rate_limit > 0)
        sqlite3_bind_double(st, 4, rate_limit);
    sqlite3_bind_int64(st, 5, now_s());
    rc = run(q, st, "adding a token", err);
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

#define TOKEN_COLS "id, name, role, coalesce(rate_limit, 0), created_at, coalesce(last_used_at, 0), " \
                   "coalesce(revoked_at, 0)"

static void token_from_row(sqlite3_stmt *st, bb_store_token *t)
{
    t->id = sqlite3_column_int64(st, 0);
    copy_col(t->name, sizeof t->name, st, 1);
    copy_col(t->role, sizeof t->role, st, 2);
    t->rate_limit = sqlite3_column_double(st, 3);
    t->created_at = sqlite3_column_int64(st, 4);
    t->last_used_at = sqlite3_column_int64(st, 5);
    t->revoked_at = sqlite3_column_int64(st, 6);
}

static int sq_token_find(bb_store *s, const unsigned char *hash, bb_store_token *out, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_TOKEN_FIND, err); /* TOKEN_COLS */
    int rc = 0;
    if (!st)
        return BB_EDB;
    sqlite3_bind_blob(st, 1, hash, BB_STORE_HASH_LEN, SQLITE_STATIC);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW: token_from_row(st, out); break;
    case SQLITE_DONE: rc = bb_error_set(err, BB_ENOTFOUND, "no such token, or it was revoked"); break;
    default: rc = bb__sqlite_err(q, err, "finding a token");
    }
    sqlite3_reset(st); /* a reader keeps no snapshot open */
    return rc;
}

static int sq_token_touch(bb_store *s, int64_t id, int64_t at, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st, "UPDATE api_token SET last_used_at = ?2 WHERE id = ?1", err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    return run(q, st, "recording a token's use", err);
}

static int sq_token_revoke(bb_store *s, int64_t id, const char *name, int64_t *n, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st,
                  id ? "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL"
                     : "UPDATE api_token SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
                  err);
    if (rc)
        return rc;
    if (id)
        sqlite3_bind_int64(st, 1, id);
    else
        sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now_s());
    rc = run(q, st, "revoking a token", err);
    if (rc == 0) {
        *n = sqlite3_changes(q->db);
        if (*n == 0 && id)
            rc = bb_error_set(err, BB_ENOTFOUND, "there is no live token number %lld", (long long)id);
        else if (*n == 0)
            rc = bb_error_set(err, BB_ENOTFOUND, "there is no live token named \"%s\"", name ? name : "");
    }
    return rc;
}

static int sq_token_list(bb_store *s, bb_store_token_fn fn, void *ctx, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    bb_store_token t;
    int rc = bb__sqlite_prepare(q, &st, "SELECT " TOKEN_COLS " FROM api_token ORDER BY id", err), step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        token_from_row(st, &t);
        rc = fn(ctx, &t);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "listing tokens");
    sqlite3_finalize(st);
    return rc;
}

/* ---- Sessions ---- */

static int sq_session_add(bb_store *s, const unsigned char *hash, int64_t user_id, const char *csrf,
                          int64_t now, int64_t expires_at, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st, "DELETE FROM session WHERE expires_at <= ?1", err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, now);
    if ((rc = run(q, st, "removing expired sessions", err)) != 0)
        return rc;
    rc = bb__sqlite_prepare(q, &st,
              "INSERT INTO session (token_hash, user_id, csrf_token, created_at, expires_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5)",
              err);
    if (rc)
        return rc;
    sqlite3_bind_blob(st, 1, hash, BB_STORE_HASH_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, csrf, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, expires_at);
    return run(q, st, "opening a session", err);
}

static int sq_session_find(bb_store *s, const unsigned char *hash, int64_t now, bb_store_session *out,
                           bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_SESSION_FIND, err);
    int rc = 0;
    if (!st)
        return BB_EDB;
    sqlite3_bind_blob(st, 1, hash, BB_STORE_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        out->id = sqlite3_column_int64(st, 0);
        out->user_id = sqlite3_column_int64(st, 1);
        copy_col(out->user_name, sizeof out->user_name, st, 2);
        copy_col(out->role, sizeof out->role, st, 3);
        copy_col(out->csrf_token, sizeof out->csrf_token, st, 4);
        out->created_at = sqlite3_column_int64(st, 5);
        out->expires_at = sqlite3_column_int64(st, 6);
        break;
    case SQLITE_DONE: rc = bb_error_set(err, BB_ENOTFOUND, "no such session, or it has expired"); break;
    default: rc = bb__sqlite_err(q, err, "finding a session");
    }
    sqlite3_reset(st);
    return rc;
}

static int sq_session_delete(bb_store *s, const unsigned char *hash, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st, "DELETE FROM session WHERE token_hash = ?1", err);
    if (rc)
        return rc;
    sqlite3_bind_blob(st, 1, hash, BB_STORE_HASH_LEN, SQLITE_STATIC);
    return run(q, st, "ending a session", err);
}

/* ---- Audit log ---- */

static void bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static int sq_audit_add(bb_store *s, const bb_store_audit *a, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st,
                  "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                  err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, a->at ? a->at : now_s());
    sqlite3_bind_text(st, 2, a->actor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, a->action, -1, SQLITE_TRANSIENT);
    bind_opt_text(st, 4, a->target);
    bind_opt_text(st, 5, a->detail);
    return run(q, st, "writing the audit log", err);
}

static int sq_audit_list(bb_store *s, int64_t before, int limit, const char *actor, const char *action,
                         bb_store_audit_fn fn, void *ctx, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    bb_store_audit a;
    int rc = bb__sqlite_prepare(q, &st,
                  "SELECT id, at, actor, action, target, detail FROM audit_log "
                  "WHERE id < ?1 AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR action = ?3) "
                  "ORDER BY id DESC LIMIT ?4",
                  err),
        step = SQLITE_DONE;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, before > 0 ? before : INT64_MAX);
    bind_opt_text(st, 2, actor);
    bind_opt_text(st, 3, action);
    sqlite3_bind_int(st, 4, limit);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        a.id = sqlite3_column_int64(st, 0);
        a.at = sqlite3_column_int64(st, 1);
        a.actor = (const char *)sqlite3_column_text(st, 2);
        a.action = (const char *)sqlite3_column_text(st, 3);
        a.target = (const char *)sqlite3_column_text(st, 4);
        a.detail = (const char *)sqlite3_column_text(st, 5);
        rc = fn(ctx, &a);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bb__sqlite_err(q, err, "reading the audit log");
    sqlite3_finalize(st);
    return rc;
}

/* ---- Events, savepoints, durability ---- */

static int sq_event_mark(bb_store *s, const char *event_id, const char *type, int64_t now, int *is_new,
                         bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_EVENT_MARK, err);
    char seen[64] = "";
    int rc;
    if (!st)
        return BB_EDB;
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, type ? type : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    if ((rc = bb__sqlite_run(q, st, err, "recording an event id")) != 0)
        return rc;
    *is_new = sqlite3_changes(q->db) > 0;
    if (*is_new)
        return 0;
    /* Seen before: a duplicate, unless the id was used for another kind of event. */
    if ((rc = bb__sqlite_prepare(q, &st, "SELECT type FROM event_seen WHERE event_id = ?1", err)) != 0)
        return rc;
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        copy_col(seen, sizeof seen, st, 0);
    sqlite3_finalize(st);
    if (strcmp(seen, type ? type : "") != 0)
        return bb_error_set(err, BB_ECONFLICT, "event_id \"%s\" was used before by a%s %s event, not a%s %s",
                            event_id, strchr("aeiou", seen[0]) && seen[0] ? "n" : "", seen,
                            type && strchr("aeiou", type[0]) && type[0] ? "n" : "", type ? type : "");
    return 0;
}

static int sq_event_seen(bb_store *s, const char *event_id, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    sqlite3_stmt *st = NULL;
    int rc = bb__sqlite_prepare(q, &st, "SELECT 1 FROM event_seen WHERE event_id = ?1", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW: rc = 1; break;
    case SQLITE_DONE: rc = 0; break;
    default: rc = bb__sqlite_err(q, err, "looking up an event id");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The store keeps the totals of orders touched by lines in its cache until a flush, and marks its
 * transaction failed when a write fails half-way. A savepoint is a clean boundary for both: nothing is
 * pending when one opens or is released, and rolling back to one undoes the failed write, so the
 * transaction may go on, with the caches (which may name rows the rollback removed) forgotten. */
static int sq_savepoint(bb_store *s, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    int rc = 0;
    if (q->tx_failed)
        return bb_error_set(err, BB_EDB, "an earlier write in this transaction failed half-way");
    if ((rc = bb__sqlite_flush(q, err)) == 0)
        rc = bb__sqlite_exec(q, "SAVEPOINT bb_sp", err);
    return rc;
}

static int sq_savepoint_release(bb_store *s, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    int rc = q->tx_failed ? bb_error_set(err, BB_EDB, "a write in this savepoint failed half-way") : 0;
    if (rc == 0)
        rc = bb__sqlite_flush(q, err);
    if (rc == 0)
        rc = bb__sqlite_exec(q, "RELEASE bb_sp", err);
    return rc;
}

static void sq_savepoint_rollback(bb_store *s)
{
    bb__sqlite *q = (bb__sqlite *)s;
    bb__sqlite_exec(q, "ROLLBACK TO bb_sp; RELEASE bb_sp", NULL);
    q->tx_failed = 0;
    bb__sqlite_caches_clear(q);
    bb__sqlite_views_reset(q); /* the marks since the savepoint went with its writes */
}

static int sq_set_durability(bb_store *s, bb_store_durability d, bb_error *err)
{
    return bb__sqlite_exec((bb__sqlite *)s,
                           d == BB_STORE_DURABLE_POWER ? "PRAGMA synchronous = FULL"
                                                       : "PRAGMA synchronous = NORMAL",
                           err);
}

const bb__store_auth_ops bb__sqlite_auth_ops = {
    .user_add = sq_user_add,
    .user_get = sq_user_get,
    .user_set_password = sq_user_set_password,
    .user_set_disabled = sq_user_set_disabled,
    .user_list = sq_user_list,
    .token_add = sq_token_add,
    .token_find = sq_token_find,
    .token_touch = sq_token_touch,
    .token_revoke = sq_token_revoke,
    .token_list = sq_token_list,
    .session_add = sq_session_add,
    .session_find = sq_session_find,
    .session_delete = sq_session_delete,
    .audit_add = sq_audit_add,
    .audit_list = sq_audit_list,
    .event_mark = sq_event_mark,
    .event_seen = sq_event_seen,
    .savepoint = sq_savepoint,
    .savepoint_release = sq_savepoint_release,
    .savepoint_rollback = sq_savepoint_rollback,
    .set_durability = sq_set_durability,
};
