/* api_writer.c: the one writer thread and its group commit. Request threads queue jobs and wait; the
 * writer takes every job queued, runs them in one transaction (each in a savepoint of its own, so one
 * failing job undoes only itself), commits once, and then wakes all their requests. A 2xx answer is
 * therefore sent only after the COMMIT that holds its data, and a busy server commits many requests
 * per disk sync. A request may also hand its job over and be woken by a callback (bb__writer_submit), so
 * that the threads serving connections need not wait for the disk.
 * At low priority, when no job is queued, the writer also stores the 360 views that readers found
 * missing (bb__writer_want_view): rendered inside its own write transaction, so from the latest data,
 * a few per transaction so that a job queued meanwhile waits little, at most five such transactions a
 * second; such a transaction holds only derived data and is committed without waiting for the disk.
 * Lowest of all, when nothing is queued or asked for, it passes over the customers storing the views
 * that are missing (unless told not to): in slices of at most BG_SLICE_MS, a few views at a time, the
 * same gap between two slices. A job queued during a slice rolls it back (its views are rendered again
 * later) and is served at once; a slice that ends is committed as durably as the jobs are, so a job's own
 * commit never waits for the disk to take the views' pages. A pass during which jobs were committed
 * (they may have deleted views behind it) is followed by another, BG_PASS_GAP_MS later; a pass without
 * is the last: every view is stored. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_impl.h"
#include "birebir/profile.h"
#include "birebir/store_event.h"
#include "birebir/store_view.h"

/* Views asked for and not stored yet (a request beyond is dropped: asked again at the next miss), how
 * many are stored per transaction, and the least time between two such transactions: each commit
 * changes the data version that readers' caches are keyed on (the dashboard's, the scoring params'),
 * so a burst of misses must not become a stream of commits. */
enum { WANT_MAX = 1024, WANT_BATCH = 32, WANT_GAP_MS = 200 };
/* The background pass: customers looked at per store call (bounded work), views rendered between two
 * looks at the queue, and the longest slice. */
enum { BG_LOOK = 256, BG_CHUNK = 4, BG_SLICE_MS = 40, BG_PASS_GAP_MS = 5000 };

/* Where the background pass stands: the last customer looked at, and those found without a view,
 * next.. not stored yet. */
typedef struct bg_pos {
    int64_t after;
    int64_t ids[BG_LOOK];
    size_t n, next;
} bg_pos;

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
    int bg;                      /* the background pass is on (only the writer thread changes it) */
    bg_pos bg_at;                /* where it stands */
    int64_t bg_stored;           /* views it stored */
    int bg_dirty;                /* jobs were committed during this pass */
    struct timespec bg_not_before; /* no slice before (the gap between passes; CLOCK_REALTIME) */
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

/* Whether a job waits (or the server is stopping): a slice of background work ends. */
static int job_waiting(bb__writer *w)
{
    int waiting;
    pthread_mutex_lock(&w->mu);
    waiting = w->head != NULL || w->stopping;
    pthread_mutex_unlock(&w->mu);
    return waiting;
}

static int64_t ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* t plus ms milliseconds. */
static struct timespec ts_add(struct timespec t, long ms)
{
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static int ts_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* The end of a pass: another when jobs ran during it, else the background work is done. */
static void pass_over(bb__writer *w)
{
    w->bg_at.after = 0;
    w->bg_at.n = w->bg_at.next = 0;
    if (!w->bg_dirty) {
        w->bg = 0;
        return;
    }
    w->bg_dirty = 0;
    clock_gettime(CLOCK_REALTIME, &w->bg_not_before);
    w->bg_not_before = ts_add(w->bg_not_before, BG_PASS_GAP_MS);
}

/* One slice of the background pass, in one transaction; rolled back when a job is queued meanwhile. */
static void build_slice(bb__writer *w)
{
    struct timespec t0;
    bb_error err = {0};
    bg_pos start = w->bg_at, *at = &w->bg_at;
    size_t stored;
    int64_t n_stored = 0;
    int rc, end = 0, yield = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((rc = bb_store_begin(w->store, &err)) != 0)
        goto out;
    while (rc == 0 && !end && !(yield = job_waiting(w)) && ms_since(&t0) < BG_SLICE_MS) {
        if (at->next == at->n) { /* look further */
            int64_t last;
            at->next = 0;
            rc = bb_store_views_scan(w->store, at->after, BG_LOOK, at->ids, &at->n, &last, &err);
            end = rc == 0 && last == at->after; /* past the last customer */
            at->after = last;
            continue;
        }
        size_t k = at->n - at->next < BG_CHUNK ? at->n - at->next : BG_CHUNK;
        if ((rc = bb_profile_materialise(w->store, at->ids + at->next, k, &stored, &err)) == 0) {
            at->next += k;
            n_stored += (int64_t)stored;
        }
    }
    if (rc == 0 && !yield) {
        rc = bb_store_commit(w->store, &err);
    } else {
        bb_store_rollback(w->store);
        w->bg_at = start; /* the job first: this slice is done again later */
        end = 0;
    }
    if (rc == 0 && !yield) {
        w->bg_stored += n_stored;
        if (end)
            pass_over(w);
    }
out:
    if (rc != 0) {
        char line[1200];
        w->bg = 0; /* not again: the views are rendered when asked for */
        fprintf(w->log, "birebir serve: building the missing customer views stopped: %s\n",
                bb_error_format(&err, line, sizeof line));
    } else if (!w->bg) {
        fprintf(w->log, "birebir serve: every customer's view is stored (%lld stored in the background)\n",
                (long long)w->bg_stored);
    }
}

/* No view transaction before WANT_GAP_MS from now. */
static void views_gap(bb__writer *w)
{
    clock_gettime(CLOCK_REALTIME, &w->views_after);
    w->views_after = ts_add(w->views_after, WANT_GAP_MS);
}

static void *writer_main(void *arg)
{
    bb__writer *w = arg;
    for (;;) {
        job *batch, *next, *handed = NULL;
        int64_t ids[WANT_BATCH];
        size_t n = 0;
        int slice = 0;
        pthread_mutex_lock(&w->mu);
        while (!w->head && !w->stopping) {
            struct timespec now, until;
            if (!w->n_want && !w->bg) {
                pthread_cond_wait(&w->queued, &w->mu);
                continue;
            }
            until = w->views_after;
            if (!w->n_want && ts_before(&until, &w->bg_not_before))
                until = w->bg_not_before;
            clock_gettime(CLOCK_REALTIME, &now);
            if (!ts_before(&now, &until))
                break;
            pthread_cond_timedwait(&w->queued, &w->mu, &until);
        }
        batch = w->head;
        w->head = w->tail = NULL;
        if (!batch && !w->stopping) { /* nothing else to do: store a few of the views asked for */
            n = w->n_want < WANT_BATCH ? w->n_want : WANT_BATCH;
            w->n_want -= n;
            memcpy(ids, w->want + w->n_want, n * sizeof *ids);
            slice = !n && w->bg; /* or, with none asked for, a slice of the background pass */
        }
        pthread_mutex_unlock(&w->mu);
        if (n || slice) {
            if (n)
                store_views(w, ids, n);
            else
                build_slice(w);
            views_gap(w);
            continue;
        }
        if (!batch)
            break; /* stopping, and nothing left */
        run_batch(w, batch);
        w->bg_dirty = 1;
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

int bb__writer_start(const char *db_path, int durable_power, int build_views, FILE *log, bb__writer **out,
                     bb_error *err)
{
    bb__writer *w = calloc(1, sizeof *w);
    int rc = 0, have_mu = 0, have_queued = 0, have_done = 0;
    *out = NULL;
    if (!w)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    w->log = log ? log : stderr;
    w->bg = build_views;
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
