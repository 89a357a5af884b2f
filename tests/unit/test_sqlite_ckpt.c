/* test_sqlite_ckpt.c: in bulk mode the WAL is checkpointed by a thread of its own: what a load committed
 * is in the database file itself (read from a copy of the file without its WAL) once bulk mode ends,
 * while the handle is still open, for loads too small for the handle's own checkpoints (1,000 pages);
 * a load past the bound waits for the passes, so the WAL file stays near one batch instead of growing
 * with every batch; the data read through the store and through SQL is whole. */
#include <sys/stat.h>

#include "store/sqlite_db.h" /* white box: the bound */
#include "store_fixture.h"

static void bulk(fx *f, int on)
{
    bb_error e = {0};
    if (bb_store_bulk(f->s, on, &e) != 0)
        fail_msg("bulk: %s", e.msg);
}

static void batch(fx *f, int from, int n)
{
    char oid[32], cust[32], sku[32];
    fx_begin(f);
    for (int i = from; i < from + n; i++) {
        snprintf(oid, sizeof oid, "O%d", i / 4);
        snprintf(cust, sizeof cust, "C%d", i / 8);
        snprintf(sku, sizeof sku, "S%d", i % 50);
        bb_order_line_rec l = {.order_id = oid, .customer_ref = cust, .ordered_at = 1700000000 + i,
                               .sku = sku, .quantity = 1, .unit_price_minor = 100, .line_no = i % 4 + 1};
        fx_put_order_line(f, &l, NULL);
    }
    fx_commit(f);
}

/* Rows of order_line in the database file alone (a copy without the WAL). */
static int64_t lines_in_file(fx *f)
{
    char cmd[400], copy[160];
    snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' && cp '%s' '%s'", copy, copy, f->path, copy);
    if (system(cmd) != 0)
        fail_msg("copy failed");
    fx c = *f;
    snprintf(c.path, sizeof c.path, "%s", copy);
    return fx_int(&c, "SELECT count(*) FROM order_line");
}

static long long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static void committed_pages_reach_the_file(void **state)
{
    fx *f = *state;
    bulk(f, 1);
    batch(f, 0, 400);
    batch(f, 400, 400);
    bulk(f, 0); /* waits for the last pass */
    assert_int_equal(lines_in_file(f), 800);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 800);
    /* out of bulk mode the handle checkpoints itself again (over 1,000 pages only): a small commit
     * stays in the WAL */
    batch(f, 800, 40);
    assert_int_equal(lines_in_file(f), 800);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 840);
}

static void the_wal_stays_bounded(void **state)
{
    fx *f = *state;
    char wal[160];
    long long one, last;
    int saved = bb__sqlite_ckpt_bound;
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    bb__sqlite_ckpt_bound = 8;
    bulk(f, BB_STORE_BULK_LOAD);
    batch(f, 0, 3000);
    one = file_size(wal);
    for (int b = 1; b < 8; b++)
        batch(f, 3000 * b, 3000);
    last = file_size(wal);
    bulk(f, 0);
    bb__sqlite_ckpt_bound = saved;
    /* every batch writes new pages (lines and orders append): eight batches without a restart of the
     * WAL would make it several times the first's size */
    assert_true(one > 0);
    assert_true(last < 3 * one);
    assert_int_equal(lines_in_file(f), 24000);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 6000);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(committed_pages_reach_the_file, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(the_wal_stays_bounded, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
