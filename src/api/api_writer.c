/* api_writer.c: the one writer thread and its group commit. Request threads queue jobs and wait; the
 * writer takes every job queued, runs them in one transaction (each in a savepoint of its own, so one
 * failing job undoes only itself), commits once, and then wakes all their requests. A 2xx answer is
 * therefore sent only after the COMMIT that holds its data, and a busy server commits many requests
 * per disk sync. A request may also hand its job over and be woken by a callback (bb__writer_submit), so
 * that the threads serving connections need not wait for the disk.
 * At low priority, when no job is queued, the writer also stores the 360 views that readers found
 * missing (bb__writer_want_view): rendered inside its own write transaction, so from the latest data,
 * a few per transaction so that a job queued meanwhile waits little, at most five such transactions a
 * second; such a transaction holds only derived data and is committed without waiting for the disk. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_impl.h"
#include "birebir/profile.h"
#include "birebir/store_event.h"

/* Views asked for and not stored yet (a request beyond is dropped: asked again at the next miss), how
 * many are stored per transaction, and the least time between two such transactions: each commit
 * changes the data version that readers' caches are keyed on (the dashboard's, the scoring params'),
 * so a burst of misses must not become a stream of commits. */
enum { WANT_MAX = 1024, WANT_BATCH = 32, WANT_GAP_MS = 200 };

typedef struct job {
    struct job *next;
    bb__job_fn fn;
    void *ctx;
    bb__job_done on_done; /* NULL: a caller waits in bb__writer_run (the job is on its stack) */
    void *done_arg;
    int rc;
    int done;
    bb_error err;
} job;

struct bb__writer {
    pthread_mutex_t mu;
    pthread_cond_t queued; /* signalled when a job is queued or stopping is set */
    pthread_cond_t done;   /* broadcast after each batch */
    job *head, *tail;
    int stopping;
    pthread_t thread;
    bb_store *store;
    bb_store_durability durability; /* of the jobs' commits */
    FILE *log;
    int64_t want[WANT_MAX]; /* customers whose views readers found missing */
    size_t n_want;
    struct timespec views_after; /* no view transaction before (CLOCK_REALTIME, as the condition's) */
};

/* Runs one job in a savepoint. */
static void run_job(bb__writer *w, job *j)
{
    int rc = bb_store_savepoint(w->store, &j->err);
    if (rc == 0) {
        rc = j->fn(w->store, j->ctx, &j->err);
        if (rc == 0)
            rc = bb_store_savepoint_release(w->store, &j->err);
        if (rc != 0)
            bb_store_savepoint_rollback(w->store);
    }
    j->rc = rc;
}

static void run_batch(bb__writer *w, job *batch)
{
    bb_error err = {0};
    int rc = bb_store_begin(w->store, &err);
    for (job *j = batch; rc == 0 && j; j = j->next)
        run_job(w, j);
    if (rc == 0 && (rc = bb_store_commit(w->store, &err)) != 0)
        bb_store_rollback(w->store);
    if (rc != 0) {
        char line[1200];
        fprintf(w->log, "birebir serve: a batch of writes was not committed: %s\n",
                bb_error_format(&err, line, sizeof line));
        for (job *j = batch; j; j = j->next) {
            if (j->rc == 0 || j->err.code == 0) {
                j->rc = err.code ? err.code : BB_EDB;
                j->err = err;
            }
        }
    }
}

/* Stores the views of ids (none when a job is queued: the loop comes back to them). Derived data: the
 * commit need not wait for the disk, and a failure only leaves the views to be rendered again. */
static void store_views(bb__writer *w, const int64_t *ids, size_t n)
{
    bb_error err = {0};
    size_t stored = 0;
    int rc = 0;
    if (w->durability != BB_STORE_DURABLE_PROCESS)
        rc = bb_store_set_durability(w->store, BB_STORE_DURABLE_PROCESS, &err);
    if (rc == 0 && (rc = bb_store_begin(w->store, &err)) == 0) {
        if ((rc = bb_profile_materialise(w->store, ids, n, &stored, &err)) == 0)
            rc = bb_store_commit(w->store, &err);
        else
            bb_store_rollback(w->store);
    }
    if (w->durability != BB_STORE_DURABLE_PROCESS && bb_store_set_durability(w->store, w->durability, &err) != 0)
        rc = rc ? rc : err.code;
    if (rc != 0) {
        char line[1200];
        fprintf(w->log, "birebir serve: customer views were not stored: %s\n", bb_error_format(&err, line, sizeof line));
    }
}

static void *writer_main(void *arg)
{
    bb__writer *w = arg;
    for (;;) {
        job *batch, *next, *handed = NULL;
        int64_t ids[WANT_BATCH];
        size_t n = 0;
        pthread_mutex_lock(&w->mu);
        while (!w->head && !w->stopping) {
            struct timespec now;
            if (!w->n_want) {
                pthread_cond_wait(&w->queued, &w->mu);
                continue;
            }
            clock_gettime(CLOCK_REALTIME, &now);
            if (now.tv_sec > w->views_after.tv_sec ||
                (now.tv_sec == w->views_after.tv_sec && now.tv_nsec >= w->views_after.tv_nsec))
                break;
            pthread_cond_timedwait(&w->queued, &w->mu, &w->views_after);
        }
        batch = w->head;
        w->head = w->tail = NULL;
        if (!batch && !w->stopping) { /* nothing else to do: store a few of the views asked for */
            n = w->n_want < WANT_BATCH ? w->n_want : WANT_BATCH;
            w->n_want -= n;
            memcpy(ids, w->want + w->n_want, n * sizeof *ids);
        }
        pthread_mutex_unlock(&w->mu);
        if (n) {
            store_views(w, ids, n);
            clock_gettime(CLOCK_REALTIME, &w->views_after);
            w->views_after.tv_nsec += WANT_GAP_MS * 1000000L;
            if (w->views_after.tv_nsec >= 1000000000L) {
                w->views_after.tv_sec++;
                w->views_after.tv_nsec -= 1000000000L;
            }
            continue;
        }
        if (!batch)
            break; /* stopping, and nothing left */
        run_batch(w, batch);
        /* Wake the waiters (whose jobs live on their stacks: not touched once done is set), then call
         * the callbacks of jobs handed over, outside the lock. */
        pthread_mutex_lock(&w->mu);
        for (job *j = batch; j; j = next) {
            next = j->next;
            if (j->on_done) {
                j->next = handed;
                handed = j;
            } else {
                j->done = 1;
            }
        }
        pthread_cond_broadcast(&w->done);
        pthread_mutex_unlock(&w->mu);
        for (job *j = handed; j; j = next) {
            next = j->next;
            j->on_done(j->done_arg, j->rc, &j->err);
            free(j);
        }
    }
    return NULL;
}

int bb__writer_start(const char *db_path, int durable_power, FILE *log, bb__writer **out, bb_error *err)
{
    bb__writer *w = calloc(1, sizeof *w);
    int rc = 0, have_mu = 0, have_queued = 0, have_done = 0;
    *out = NULL;
    if (!w)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    w->log = log ? log : stderr;
    if (pthread_mutex_init(&w->mu, NULL) != 0 || !(have_mu = 1) ||
        pthread_cond_init(&w->queued, NULL) != 0 || !(have_queued = 1) ||
        pthread_cond_init(&w->done, NULL) != 0 || !(have_done = 1)) {
        rc = bb_error_set(err, BB_EINTERNAL, "cannot make the writer's locks");
        goto done;
    }
    if ((rc = bb_store_open(db_path, 0, &w->store, err)) != 0)
        goto done;
    w->durability = durable_power ? BB_STORE_DURABLE_POWER : BB_STORE_DURABLE_PROCESS;
    rc = bb_store_set_durability(w->store, w->durability, err);
    if (rc != 0)
        goto done;
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
        rc = bb_error_set(err, BB_EINTERNAL, "cannot start the writer thread");
done:
    if (rc != 0) {
        bb_store_close(w->store);
        if (have_done)
            pthread_cond_destroy(&w->done);
        if (have_queued)
            pthread_cond_destroy(&w->queued);
        if (have_mu)
            pthread_mutex_destroy(&w->mu);
        free(w);
        return rc;
    }
    *out = w;
    return 0;
}

/* Queues a job; BB_EINTERNAL when the writer is stopping. */
static int enqueue(bb__writer *w, job *j, bb_error *err)
{
    if (w->stopping)
        return bb_error_set(err, BB_EINTERNAL, "the server is shutting down");
    if (w->tail)
        w->tail->next = j;
    else
        w->head = j;
    w->tail = j;
    pthread_cond_signal(&w->queued);
    return 0;
}

int bb__writer_run(bb__writer *w, bb__job_fn fn, void *ctx, bb_error *err)
{
    job j = {.fn = fn, .ctx = ctx};
    int rc;
    pthread_mutex_lock(&w->mu);
    if ((rc = enqueue(w, &j, err)) == 0)
        while (!j.done)
            pthread_cond_wait(&w->done, &w->mu);
    pthread_mutex_unlock(&w->mu);
    if (rc != 0)
        return rc;
    if (j.rc != 0 && err)
        *err = j.err;
    return j.rc;
}

int bb__writer_submit(bb__writer *w, bb__job_fn fn, void *ctx, bb__job_done on_done, void *done_arg,
                      bb_error *err)
{
    job *j = calloc(1, sizeof *j);
    int rc;
    if (!j)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    j->fn = fn;
    j->ctx = ctx;
    j->on_done = on_done;
    j->done_arg = done_arg;
    pthread_mutex_lock(&w->mu);
    rc = enqueue(w, j, err);
    pthread_mutex_unlock(&w->mu);
    if (rc != 0)
        free(j);
    return rc;
}

void bb__writer_want_view(bb__writer *w, int64_t customer_id)
{
    pthread_mutex_lock(&w->mu);
    if (!w->stopping && w->n_want < WANT_MAX) {
        size_t i = w->n_want > 64 ? w->n_want - 64 : 0;
        while (i < w->n_want && w->want[i] != customer_id) /* asked for just now? */
            i++;
        if (i == w->n_want) {
            w->want[w->n_want++] = customer_id;
            pthread_cond_signal(&w->queued);
        }
    }
    pthread_mutex_unlock(&w->mu);
}

void bb__writer_stop(bb__writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = 1;
    pthread_cond_signal(&w->queued);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    bb_store_close(w->store);
    pthread_cond_destroy(&w->done);
    pthread_cond_destroy(&w->queued);
    pthread_mutex_destroy(&w->mu);
    free(w);
}
