/* test_sqlite_db.c: opening a store: a fresh database gets every migration, re-opening changes
 * nothing, an older database is brought up to date, a newer one and a non-database are refused, a
 * missing one is not created unless asked, read-only opening migrates nothing. */
#include "store/sqlite_db.h" /* white box: the connection's settings */
#include "store_fixture.h"

static int user_version(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

static void exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void fresh_and_reopen(void **state)
{
    fx *f = *state;
    int want = bb_store_schema_version_supported();
    bb_error err = {0};
    char buf[32];
    assert_true(want >= 1);
    assert_int_equal(bb_store_schema_version(f->s), want);
    assert_int_equal(user_version(f->path), want);
    assert_string_equal(fx_text(f, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    assert_int_equal(fx_int(f, "SELECT count(*) FROM sqlite_master WHERE name = 'customer'"), 1);
    /* a row, then re-open: nothing is applied twice, the row is there */
    bb_customer_rec c = {.customer_id = "1"};
    fx_put_customer(f, &c, NULL);
    bb_store_close(f->s);
    assert_int_equal(bb_store_open(f->path, 0, &f->s, &err), 0);
    assert_int_equal(bb_store_schema_version(f->s), want);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 1);
    /* the store's connection enforces foreign keys and waits for locks */
    sqlite3_stmt *st;
    sqlite3 *db = ((bb__sqlite *)f->s)->db;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
}

static void older_is_upgraded(void **state)
{
    fx *f = *state;
    char path[200];
    bb_store *s = NULL;
    bb_error err = {0};
    /* an existing SQLite file at version 0, holding a table of someone's own */
    snprintf(path, sizeof path, "%s/old.db", f->dir);
    exec(path, "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('kept')");
    assert_int_equal(user_version(path), 0);
    assert_int_equal(bb_store_open(path, 0, &s, &err), 0);
    assert_int_equal(bb_store_schema_version(s), bb_store_schema_version_supported());
    bb_store_close(s);
    assert_int_equal(user_version(path), bb_store_schema_version_supported());
}

static void read_only_migrates_nothing(void **state)
{
    fx *f = *state;
    char path[200];
    bb_store *s = NULL;
    bb_error err = {0};
    snprintf(path, sizeof path, "%s/ro.db", f->dir);
    exec(path, "CREATE TABLE notes (t TEXT)");
    assert_int_equal(bb_store_open(path, BB_STORE_READONLY, &s, &err), 0);
    assert_int_equal(bb_store_schema_version(s), 0);
    bb_store_close(s);
    assert_int_equal(user_version(path), 0);
}

static void refused(void **state)
{
    fx *f = *state;
    char path[200];
    bb_store *s = NULL;
    bb_error err = {0};
    FILE *fp;
    /* newer */
    bb_store_close(f->s);
    f->s = NULL;
    exec(f->path, "PRAGMA user_version = 999");
    assert_int_equal(bb_store_open(f->path, 0, &s, &err), BB_ESCHEMA);
    assert_null(s);
    assert_non_null(strstr(err.msg, "newer birebir"));
    assert_int_equal(user_version(f->path), 999); /* untouched */
    /* not a database */
    snprintf(path, sizeof path, "%s/junk.db", f->dir);
    assert_non_null(fp = fopen(path, "w"));
    fputs("this is not a database, just some text that is long enough to matter", fp);
    fclose(fp);
    assert_int_equal(bb_store_open(path, 0, &s, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "not a usable SQLite database"));
    /* missing */
    snprintf(path, sizeof path, "%s/missing.db", f->dir);
    assert_int_equal(bb_store_open(path, 0, &s, &err), BB_ENOTFOUND);
    assert_non_null(strstr(err.msg, "birebir init"));
    assert_int_equal(access(path, F_OK), -1);
    /* no backend for PostgreSQL yet, and an empty name */
    assert_int_equal(bb_store_open("postgresql://x/y", 0, &s, &err), BB_EUSAGE);
    assert_int_equal(bb_store_open("", 0, &s, &err), BB_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fresh_and_reopen, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(older_is_upgraded, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(read_only_migrates_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(refused, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
