/* test_sqlite_map.c: the VFS that maps a whole database file (sqlite_map.c). Its pages are checked
 * against the file's bytes read with pread; growth by another connection's commit and checkpoint, and a
 * truncation, are followed; connections to one file share one map; and a store opened BB_STORE_MAPPED
 * reads what another connection committed. */
#include <fcntl.h>
#include <sys/stat.h>

#include "store/sqlite_db.h" /* white box: the VFS's name */
#include "store_fixture.h"

/* A raw connection through the mapping VFS (mmap_size set as a mapped store sets it), and its file. */
static sqlite3 *open_mapped(fx *f, sqlite3_file **file)
{
    sqlite3 *db = NULL;
    const char *vfs = bb__sqlite_map_vfs();
    assert_non_null(vfs);
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, vfs), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA mmap_size = " BB__MAP_LIMIT, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, file), SQLITE_OK);
    return db;
}

static int64_t file_size(fx *f)
{
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    return (int64_t)sb.st_size;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

/* xFetch's page at off, compared with the file's bytes there; returns the pointer (NULL: not mapped). */
static const void *fetch_checked(fx *f, sqlite3_file *file, int64_t off)
{
    void *p = NULL;
    unsigned char want[4096];
    int fd = open(f->path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(file->pMethods->xFetch(file, off, 4096, &p), SQLITE_OK);
    if (p) {
        assert_int_equal(pread(fd, want, sizeof want, off), (ssize_t)sizeof want);
        assert_memory_equal(p, want, sizeof want);
        assert_int_equal(file->pMethods->xUnfetch(file, off, p), SQLITE_OK);
    }
    close(fd);
    return p;
}

static void pages_are_the_files(void **state)
{
    fx *f = *state;
    sqlite3_file *file = NULL, *file2 = NULL;
    sqlite3 *db, *db2 = NULL, *writer = NULL;
    sqlite3_int64 limit = -1;
    int64_t size, grown;
    /* the schema the store made, checkpointed into the file */
    assert_int_equal(sqlite3_open(f->path, &writer), SQLITE_OK);
    exec(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
    db = open_mapped(f, &file);
    size = file_size(f);
    /* the limit asked for is answered: more than the system library's own cap of 2 GB */
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_MMAP_SIZE, &limit), SQLITE_OK);
    assert_true(limit > ((sqlite3_int64)1 << 31));
    assert_true(size >= 2 * 4096);
    assert_non_null(fetch_checked(f, file, 0));
    assert_non_null(fetch_checked(f, file, size - 4096));
    assert_null(fetch_checked(f, file, size)); /* past the end: SQLite reads instead */
    /* a second connection to the file shares the map */
    db2 = open_mapped(f, &file2);
    void *a = NULL, *b = NULL;
    assert_int_equal(file->pMethods->xFetch(file, 4096, 4096, &a), SQLITE_OK);
    assert_int_equal(file2->pMethods->xFetch(file2, 4096, 4096, &b), SQLITE_OK);
    assert_non_null(a);
    assert_ptr_equal(a, b);
    /* another connection (SQLite's own VFS) writes and checkpoints: the file grows, and its new pages
     * are mapped as they are on disk */
    exec(writer, "CREATE TABLE grow (x BLOB); INSERT INTO grow SELECT randomblob(3000) FROM"
                 " (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) SELECT i FROM n);"
                 "PRAGMA wal_checkpoint(TRUNCATE);");
    grown = file_size(f);
    assert_true(grown > size + 100 * 4096);
    assert_non_null(fetch_checked(f, file, grown - 4096));
    /* the mapped connections read the new rows (from the file, through the map) */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db2, "SELECT count(*), sum(length(x)) FROM grow", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 200);
    assert_int_equal(sqlite3_column_int(st, 1), 600000);
    sqlite3_finalize(st);
    /* a truncation through the mapping VFS: nothing past the new end is given */
    assert_int_equal(file->pMethods->xTruncate(file, size), SQLITE_OK);
    assert_null(fetch_checked(f, file2, grown - 4096));
    assert_non_null(fetch_checked(f, file2, size - 4096));
    sqlite3_close(writer);
    sqlite3_close(db2);
    sqlite3_close(db);
}

/* A store opened BB_STORE_MAPPED reads through the map (mmap_size past 2 GB) and sees what another
 * connection commits, as a customer resolved and read back. */
static void mapped_store_reads_commits(void **state)
{
    fx *f = *state;
    bb_store *m = NULL;
    bb_error err = {0};
    bb_customer c;
    int64_t id = 0;
    sqlite3_stmt *st;
    assert_int_equal(bb_store_open(f->path, BB_STORE_MAPPED, &m, &err), 0);
    assert_int_equal(sqlite3_prepare_v2(((bb__sqlite *)m)->db, "PRAGMA mmap_size", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_true(sqlite3_column_int64(st, 0) > ((sqlite3_int64)1 << 31));
    sqlite3_finalize(st);
    assert_int_equal(bb_store_resolve(m, "C1", NULL, &id, &err), BB_ENOTFOUND);
    bb_customer_rec r = {.customer_id = "C1", .first_name = "Gül", .city = "Bursa"};
    fx_put_customer(f, &r, NULL);
    assert_int_equal(bb_store_resolve(m, "C1", NULL, &id, &err), 0);
    assert_int_equal(bb_store_customer_get_id(m, id, &c, &err), 0);
    assert_string_equal(c.first_name, "Gül");
    assert_string_equal(c.city, "Bursa");
    bb_customer_release(&c);
    bb_store_close(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pages_are_the_files, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(mapped_store_reads_commits, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
