/* test_api_writer.c: the group-commit writer: jobs from many threads are all committed once their
 * caller returns; a failing job is undone without undoing its batch; a stop runs what is queued. */
#include <pthread.h>

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
    assert_int_equal(bb__writer_start(f->db, 1, NULL, &w, &err), 0);
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
    assert_int_equal(bb__writer_start("/nonexistent/dir/x.db", 1, NULL, &w, &err), BB_ENOTFOUND);
    assert_null(w);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(many_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
