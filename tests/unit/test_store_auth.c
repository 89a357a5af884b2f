/* test_store_auth.c: the store's security rows through store_auth.h and store_event.h: users, tokens,
 * sessions (expiry, disabled users), the audit log (filters, paging), event ids seen, savepoints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "birebir/store_auth.h"
#include "birebir/store_event.h"

typedef struct db {
    char dir[64], path[96];
    bb_store *s;
} db;

static int setup(void **state)
{
    db *d = calloc(1, sizeof *d);
    bb_error err = {0};
    snprintf(d->dir, sizeof d->dir, "/tmp/bb-unit.XXXXXX");
    if (!mkdtemp(d->dir))
        return -1;
    snprintf(d->path, sizeof d->path, "%s/t.db", d->dir);
    if (bb_store_open(d->path, BB_STORE_CREATE, &d->s, &err) != 0)
        return -1;
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    db *d = *state;
    char cmd[128];
    bb_store_close(d->s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->dir);
    free(d);
    return system(cmd) == 0 ? 0 : -1;
}

static int count_users(void *ctx, const bb_store_user *u)
{
    (void)u;
    ++*(int *)ctx;
    return 0;
}

static void users(void **state)
{
    bb_store *s = ((db *)*state)->s;
    bb_store_user u;
    bb_error err = {0};
    int n = 0;
    assert_int_equal(bb_store_user_add(s, "zeynep", "analyst", "$argon2id$h1", &err), 0);
    assert_int_equal(bb_store_user_add(s, "ali", "admin", "$argon2id$h2", &err), 0);
    assert_int_equal(bb_store_user_add(s, "ali", "analyst", "$argon2id$h3", &err), BB_ECONFLICT);
    assert_non_null(strstr(err.msg, "ali"));
    assert_int_equal(bb_store_user_add(s, "bob", "boss", "$argon2id$h", &err), BB_EINVAL);
    assert_int_equal(bb_store_user_add(s, "bob", "ingest", "$argon2id$h", &err), BB_EINVAL); /* tokens only */
    assert_int_equal(bb_store_user_add(s, "", "admin", "$argon2id$h", &err), BB_EINVAL);
    assert_int_equal(bb_store_user_get(s, "ali", &u, &err), 0);
    assert_string_equal(u.role, "admin");
    assert_string_equal(u.password_hash, "$argon2id$h2");
    assert_int_equal(u.disabled, 0);
    assert_true(u.created_at > 0);
    assert_int_equal(bb_store_user_get(s, "nobody", &u, &err), BB_ENOTFOUND);
    assert_int_equal(bb_store_user_set_password(s, "ali", "$argon2id$new", &err), 0);
    assert_int_equal(bb_store_user_get(s, "ali", &u, &err), 0);
    assert_string_equal(u.password_hash, "$argon2id$new");
    assert_int_equal(bb_store_user_set_password(s, "nobody", "$x", &err), BB_ENOTFOUND);
    assert_int_equal(bb_store_user_set_disabled(s, "zeynep", 1, &err), 0);
    assert_int_equal(bb_store_user_get(s, "zeynep", &u, &err), 0);
    assert_int_equal(u.disabled, 1);
    assert_int_equal(bb_store_user_list(s, count_users, &n, &err), 0);
    assert_int_equal(n, 2);
}

static int collect_tokens(void *ctx, const bb_store_token *t)
{
    char *names = ctx;
    strcat(names, t->name);
    strcat(names, t->revoked_at ? "-" : "+");
    return 0;
}

static void tokens(void **state)
{
    bb_store *s = ((db *)*state)->s;
    unsigned char h1[32], h2[32], h3[32];
    bb_store_token t;
    bb_error err = {0};
    int64_t id1, id2, id3, n;
    char names[64] = "";
    memset(h1, 1, 32);
    memset(h2, 2, 32);
    memset(h3, 3, 32);
    assert_int_equal(bb_store_token_add(s, "shop", "ingest", 50, h1, &id1, &err), 0);
    assert_int_equal(bb_store_token_add(s, "bi", "analyst", 0, h2, &id2, &err), 0);
    assert_int_equal(bb_store_token_add(s, "bi", "analyst", 0, h3, &id3, &err), 0);
    assert_int_equal(bb_store_token_add(s, "x", "root", 0, h3, NULL, &err), BB_EINVAL);
    assert_int_equal(bb_store_token_add(s, "x", "admin", -1, h3, NULL, &err), BB_EINVAL);
    assert_int_equal(bb_store_token_add(s, "dup", "admin", 0, h1, NULL, &err), BB_ECONFLICT); /* same hash */
    assert_int_equal(bb_store_token_find(s, h1, &t, &err), 0);
    assert_int_equal(t.id, id1);
    assert_string_equal(t.name, "shop");
    assert_string_equal(t.role, "ingest");
    assert_true(t.rate_limit == 50);
    assert_int_equal(t.last_used_at, 0);
    assert_int_equal(bb_store_token_touch(s, id1, 1234, &err), 0);
    assert_int_equal(bb_store_token_find(s, h1, &t, &err), 0);
    assert_int_equal(t.last_used_at, 1234);
    assert_int_equal(bb_store_token_revoke(s, id1, NULL, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(bb_store_token_find(s, h1, &t, &err), BB_ENOTFOUND);
    assert_int_equal(bb_store_token_revoke(s, id1, NULL, &n, &err), BB_ENOTFOUND); /* already revoked */
    assert_int_equal(bb_store_token_revoke(s, 0, "bi", &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(bb_store_token_revoke(s, 0, "nobody", &n, &err), BB_ENOTFOUND);
    assert_int_equal(bb_store_token_list(s, collect_tokens, names, &err), 0);
    assert_string_equal(names, "shop-bi-bi-");
}

static void sessions(void **state)
{
    bb_store *s = ((db *)*state)->s;
    unsigned char h[32], old[32];
    bb_store_user u;
    bb_store_session ses;
    bb_error err = {0};
    memset(h, 7, 32);
    memset(old, 8, 32);
    assert_int_equal(bb_store_user_add(s, "deniz", "marketer", "$argon2id$h", &err), 0);
    assert_int_equal(bb_store_user_get(s, "deniz", &u, &err), 0);
    assert_int_equal(bb_store_session_add(s, old, u.id, "c0", 100, 200, &err), 0);
    assert_int_equal(bb_store_session_find(s, old, 150, &ses, &err), 0);
    assert_int_equal(bb_store_session_find(s, old, 200, &ses, &err), BB_ENOTFOUND); /* expired */
    assert_int_equal(bb_store_session_add(s, h, u.id, "csrf-1", 1000, 5000, &err), 0); /* removes the old one */
    assert_int_equal(bb_store_session_find(s, h, 1001, &ses, &err), 0);
    assert_string_equal(ses.user_name, "deniz");
    assert_string_equal(ses.role, "marketer");
    assert_string_equal(ses.csrf_token, "csrf-1");
    assert_int_equal(ses.expires_at, 5000);
    assert_int_equal(bb_store_user_set_disabled(s, "deniz", 1, &err), 0); /* ends the session */
    assert_int_equal(bb_store_session_find(s, h, 1001, &ses, &err), BB_ENOTFOUND);
    assert_int_equal(bb_store_user_set_disabled(s, "deniz", 0, &err), 0);
    assert_int_equal(bb_store_session_add(s, h, u.id, "csrf-2", 1000, 5000, &err), 0);
    assert_int_equal(bb_store_session_delete(s, h, &err), 0);
    assert_int_equal(bb_store_session_find(s, h, 1001, &ses, &err), BB_ENOTFOUND);
    assert_int_equal(bb_store_session_delete(s, h, &err), 0); /* already gone: fine */
}

typedef struct page {
    int n;
    int64_t last;
    char actions[256];
} page;

static int collect_audit(void *ctx, const bb_store_audit *a)
{
    page *p = ctx;
    p->n++;
    p->last = a->id;
    strcat(p->actions, a->action);
    strcat(p->actions, ",");
    return 0;
}

static void audit(void **state)
{
    bb_store *s = ((db *)*state)->s;
    bb_error err = {0};
    page p = {0};
    static const char *const actions[] = {"a1", "a2", "a3", "a4", "a5"};
    for (int i = 0; i < 5; i++) {
        bb_store_audit a = {.at = 100 + i, .actor = i % 2 ? "user:x" : "token:y", .action = actions[i],
                            .target = "t", .detail = "{\"k\":1}"};
        assert_int_equal(bb_store_audit_add(s, &a, &err), 0);
    }
    bb_store_audit bad = {.actor = NULL, .action = "x"};
    assert_int_equal(bb_store_audit_add(s, &bad, &err), BB_EINVAL);
    assert_int_equal(bb_store_audit_list(s, 0, 2, NULL, NULL, collect_audit, &p, &err), 0);
    assert_string_equal(p.actions, "a5,a4,"); /* newest first */
    int64_t cursor = p.last;
    memset(&p, 0, sizeof p);
    assert_int_equal(bb_store_audit_list(s, cursor, 10, NULL, NULL, collect_audit, &p, &err), 0);
    assert_string_equal(p.actions, "a3,a2,a1,");
    memset(&p, 0, sizeof p);
    assert_int_equal(bb_store_audit_list(s, 0, 10, "user:x", NULL, collect_audit, &p, &err), 0);
    assert_string_equal(p.actions, "a4,a2,");
    memset(&p, 0, sizeof p);
    assert_int_equal(bb_store_audit_list(s, 0, 10, NULL, "a3", collect_audit, &p, &err), 0);
    assert_string_equal(p.actions, "a3,");
}

static void events_and_savepoints(void **state)
{
    bb_store *s = ((db *)*state)->s;
    bb_error err = {0};
    page p = {0};
    int is_new = -1;
    assert_int_equal(bb_store_event_mark(s, "e-1", "order", 10, &is_new, &err), 0);
    assert_int_equal(is_new, 1);
    assert_int_equal(bb_store_event_mark(s, "e-1", "order", 11, &is_new, &err), 0);
    assert_int_equal(is_new, 0);
    assert_int_equal(bb_store_event_mark(s, "e-1", "consent", 11, &is_new, &err), BB_ECONFLICT);
    assert_non_null(strstr(err.msg, "by an order event, not a consent"));
    assert_int_equal(bb_store_event_seen(s, "e-1", &err), 1);
    assert_int_equal(bb_store_event_seen(s, "e-2", &err), 0);
    assert_int_equal(bb_store_event_mark(s, "", "order", 11, &is_new, &err), BB_EINVAL);

    /* In one transaction: a savepoint kept, one undone, one kept. */
    bb_store_audit a = {.actor = "t", .action = "kept1"}, b = {.actor = "t", .action = "undone"},
                   c = {.actor = "t", .action = "kept2"};
    assert_int_equal(bb_store_begin(s, &err), 0);
    assert_int_equal(bb_store_savepoint(s, &err), 0);
    assert_int_equal(bb_store_audit_add(s, &a, &err), 0);
    assert_int_equal(bb_store_event_mark(s, "e-2", "order", 12, &is_new, &err), 0);
    assert_int_equal(bb_store_savepoint_release(s, &err), 0);
    assert_int_equal(bb_store_savepoint(s, &err), 0);
    assert_int_equal(bb_store_audit_add(s, &b, &err), 0);
    assert_int_equal(bb_store_event_mark(s, "e-3", "order", 12, &is_new, &err), 0);
    bb_store_savepoint_rollback(s);
    assert_int_equal(bb_store_savepoint(s, &err), 0);
    assert_int_equal(bb_store_savepoint(s, &err), 0); /* nested */
    assert_int_equal(bb_store_audit_add(s, &c, &err), 0);
    assert_int_equal(bb_store_savepoint_release(s, &err), 0);
    assert_int_equal(bb_store_savepoint_release(s, &err), 0);
    assert_int_equal(bb_store_commit(s, &err), 0);
    assert_int_equal(bb_store_audit_list(s, 0, 10, "t", NULL, collect_audit, &p, &err), 0);
    assert_string_equal(p.actions, "kept2,kept1,");
    assert_int_equal(bb_store_event_seen(s, "e-2", &err), 1);
    assert_int_equal(bb_store_event_seen(s, "e-3", &err), 0);
    assert_int_equal(bb_store_set_durability(s, BB_STORE_DURABLE_POWER, &err), 0);
    assert_int_equal(bb_store_set_durability(s, BB_STORE_DURABLE_PROCESS, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(users, setup, teardown),
        cmocka_unit_test_setup_teardown(tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(audit, setup, teardown),
        cmocka_unit_test_setup_teardown(events_and_savepoints, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
