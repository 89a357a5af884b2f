/* test_api_writer.c: the group-commit writer: jobs from many threads are all committed once their
 * caller returns; a failing job is undone without undoing its batch; a stop runs what is queued. The
 * background pass stores every missing view, answering jobs while it works. */
#include <pthread.h>
#include <time.h>

#include <sqlite3.h>

#include "birebir/store_view.h"

#include "api_fixture.h"

typedef struct worker {
    bb__writer *w;
    int id;
    int failures;
} worker;

static int add_row(bb_store *s, void *ctx, bb_error *err)
{
    bb_store_audit a = {.actor = "writer-test", .action = ctx};
    return bb_store_audit_add(s, &a, err);
}

static int add_then_fail(bb_store *s, void *ctx, bb_error *err)
{
    int rc = add_row(s, ctx, err);
    return rc ? rc : bb_error_set(err, BB_EINVAL, "this job fails after writing");
}

static void *work(void *arg)
{
    worker *wk = arg;
    bb_error err = {0};
    for (int i = 0; i < 50; i++) {
        int fail = i % 10 == 9;
        int rc = bb__writer_run(wk->w, fail ? add_then_fail : add_row, fail ? "failed" : "kept", &err);
        if ((rc != 0) != fail)
            wk->failures++;
        if (fail && (rc != BB_EINVAL || !strstr(err.msg, "after writing")))
            wk->failures++;
    }
    return NULL;
}

static int count(void *ctx, const bb_store_audit *a)
{
    if (strcmp(a->action, "kept") == 0)
        ((int *)ctx)[0]++;
    else
        ((int *)ctx)[1]++;
    return 0;
}

static void many_threads(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb__writer *w = NULL;
    bb_error err = {0};
    pthread_t th[8];
    worker wk[8];
    int counts[2] = {0, 0};
    assert_int_equal(bb__writer_start(f->db, 1, 0, NULL, &w, &err), 0);
    for (int i = 0; i < 8; i++) {
        wk[i] = (worker){.w = w, .id = i};
        assert_int_equal(pthread_create(&th[i], NULL, work, &wk[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(wk[i].failures, 0);
    }
    /* Every acknowledged job is visible to another connection: it was committed. */
    assert_int_equal(bb_store_audit_list(f->store, 0, 1000, "writer-test", NULL, count, counts, &err), 0);
    assert_int_equal(counts[0], 8 * 45);
    assert_int_equal(counts[1], 0);
    bb__writer_stop(w);
    bb__writer_stop(NULL);
    assert_int_equal(bb__writer_start("/nonexistent/dir/x.db", 1, 0, NULL, &w, &err), BB_ENOTFOUND);
    assert_null(w);
    fx_free(f);
}

/* A job that changes customer C0 (its stored view is deleted). */
static int touch_c0(bb_store *s, void *ctx, bb_error *err)
{
    bb_interaction_rec r = {.customer_ref = "C0", .occurred_at = 1700000000 + (int64_t)(intptr_t)ctx,
                            .channel = "call", .direction = "in", .kind = "question", .subject = "?"};
    bb_put_result res;
    return bb_store_put_interaction(s, &r, &res, NULL, err);
}

static void background_views(void **state)
{
    (void)state;
    enum { N = 5000 };
    fixture *f = fx_new(0);
    bb__writer *w = NULL;
    bb_error err = {0};
    int64_t views = 0, customers = 0;
    int answered_while_building = 0;
    char id[16], oid[16];
    bb_put_result res;
    assert_int_equal(bb_store_begin(f->store, &err), 0);
    for (int i = 0; i < N; i++) {
        snprintf(id, sizeof id, "C%d", i);
        snprintf(oid, sizeof oid, "O%d", i);
        bb_customer_rec c = {.customer_id = id, .first_name = "Ada", .last_name = "Deniz", .city = "Konya"};
        bb_order_rec o = {.order_id = oid, .customer_ref = id, .ordered_at = 1700000000 + i, .amount_minor = 100 + i,
                          .has_amount = 1, .currency = "TRY"};
        assert_int_equal(bb_store_put_customer(f->store, &c, &res, NULL, &err), 0);
        assert_int_equal(bb_store_put_order(f->store, &o, &res, NULL, &err), 0);
    }
    assert_int_equal(bb_store_commit(f->store, &err), 0);
    assert_int_equal(bb_store_views_count(f->store, &views, &customers, &err), 0);
    assert_int_equal(views, 0);
    assert_int_equal(customers, N);
    assert_int_equal(bb__writer_start(f->db, 0, 1, NULL, &w, &err), 0);
    /* Jobs are answered while the pass works; one changes C0, whose view the pass stored first. */
    for (int i = 0; i < 20; i++) {
        assert_int_equal(bb__writer_run(w, i % 5 == 4 ? touch_c0 : add_row, i % 5 == 4 ? (void *)(intptr_t)i : "kept",
                                        &err),
                         0);
        assert_int_equal(bb_store_views_count(f->store, &views, &customers, &err), 0);
        answered_while_building |= views < customers;
    }
    assert_true(answered_while_building);
    /* Then every view is stored (C0's again, by the pass that follows one with jobs). */
    for (int t = 0; t < 600 && views < customers; t++) {
        struct timespec pause = {0, 50000000};
        nanosleep(&pause, NULL);
        assert_int_equal(bb_store_views_count(f->store, &views, &customers, &err), 0);
    }
    assert_int_equal(views, N);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*), (SELECT count(*) FROM interaction) FROM customer c JOIN"
                                        " customer_view v ON v.customer_id = c.id WHERE c.external_id = 'C0'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1); /* stored again after the jobs deleted it */
    assert_int_equal(sqlite3_column_int(st, 1), 4); /* the jobs' writes are there */
    sqlite3_finalize(st);
    sqlite3_close(db);
    bb__writer_stop(w);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(background_views),
        cmocka_unit_test(many_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
