/* test_sqlite_auth.c: what the SQLite backend of store_auth.h keeps on disk: tokens and sessions only as
 * hashes, the migration's session table and rate-limit column, and the synchronous level each
 * durability sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "birebir/hash.h"
#include "birebir/api.h"
#include "birebir/buf.h"
#include "birebir/store_event.h"
#include "store/sqlite_db.h"

static int64_t one_int(sqlite3 *db, const char *sql, const char *text)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void secrets_are_hashed(void **state)
{
    (void)state;
    char dir[] = "/tmp/bb-unit.XXXXXX", path[64], cmd[96], *token = NULL;
    bb_store *s = NULL;
    bb_error err = {0};
    unsigned char hash[32];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    assert_int_equal(bb_store_open(path, BB_STORE_CREATE, &s, &err), 0);
    sqlite3 *db = ((bb__sqlite *)s)->db;
    assert_int_equal(bb_api_token_create(s, "shop", "ingest", 5, "test", &token, NULL, &err), 0);
    /* The token's text is nowhere in its row; its SHA-256 is. */
    assert_int_equal(one_int(db, "SELECT count(*) FROM api_token WHERE instr(name || role || token_hash, ?1)",
                             token), 0);
    bb_sha256_digest(token, strlen(token), hash);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rate_limit FROM api_token WHERE token_hash = ?1", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_true(sqlite3_column_double(st, 0) == 5);
    sqlite3_finalize(st);
    /* The session table of migration 0002. */
    assert_int_equal(one_int(db, "SELECT count(*) FROM pragma_table_info('session') WHERE name = ?1", "csrf_token"), 1);
    /* Durability picks the synchronous level: FULL (2) fsyncs every commit, NORMAL (1) does not. */
    assert_int_equal(bb_store_set_durability(s, BB_STORE_DURABLE_POWER, &err), 0);
    assert_int_equal(one_int(db, "PRAGMA synchronous", NULL), 2);
    assert_int_equal(bb_store_set_durability(s, BB_STORE_DURABLE_PROCESS, &err), 0);
    assert_int_equal(one_int(db, "PRAGMA synchronous", NULL), 1);
    bb_free(token);
    bb_store_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(secrets_are_hashed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
