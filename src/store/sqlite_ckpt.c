/* sqlite_ckpt.c: the WAL checkpoints of a bulk load, on a thread of their own. A handle checkpoints
 * the WAL into the database file after a commit that leaves it over 1,000 pages; during a load that is
 * after every batch, on the writing thread, and the last (all of it) when the handle closes. In bulk
 * mode the handle's WAL hook hands them to a second connection on a thread that checkpoints (PASSIVE:
 * it never blocks the writer) while the writer goes on with the next batch, and bulk mode's end waits
 * for its last pass. A WAL is only restarted by a write that begins after a whole checkpoint, which a
 * writer that begins at once never sees: when the WAL passes 65,536 pages (256 MiB), the commit waits for the
 * thread's pass, so the WAL stays bounded as it was. When the thread cannot start, the handle
 * checkpoints itself as outside bulk mode. Crash safety is SQLite's: a checkpoint copies committed
 * pages only. */
#include <pthread.h>
#include <stdlib.h>

#include "store/sqlite_db.h"

/* pages in the WAL past which a commit waits for the checkpoint (tests make it small) */
int bb__sqlite_ckpt_bound = 65536;

struct bb__ckpt {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    sqlite3 *db;    /* the thread's connection */
    unsigned asked; /* passes asked for */
    unsigned done;  /* passes finished (each covers every commit before it was asked for) */
    int stop;
};

static void *run(void *arg)
{
    bb__ckpt *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (c->done == c->asked && !c->stop)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->done == c->asked)
            break; /* stopped, nothing asked */
        unsigned upto = c->asked;
        pthread_mutex_unlock(&c->mu);
        /* a failure (busy, I/O) leaves the pages in the WAL, where the next pass or the close gets
         * them: nothing to report */
        (void)sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->mu);
        c->done = upto;
        pthread_cond_broadcast(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Asks for a pass and returns its number. */
static unsigned ask(bb__ckpt *c)
{
    pthread_mutex_lock(&c->mu);
    unsigned n = ++c->asked;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return n;
}

static void wait_for(bb__ckpt *c, unsigned n)
{
    pthread_mutex_lock(&c->mu);
    while ((int)(c->done - n) < 0)
        pthread_cond_wait(&c->cv, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

/* The handle's WAL hook in bulk mode: called after each commit, the write lock released. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
    bb__ckpt *c = arg;
    unsigned n = ask(c);
    (void)db, (void)name;
    if (pages > bb__sqlite_ckpt_bound)
        wait_for(c, n); /* so the next write restarts the WAL */
    return SQLITE_OK;
}

static void free_ckpt(bb__ckpt *c)
{
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    if (c->db)
        sqlite3_close_v2(c->db);
    free(c);
}

void bb__sqlite_ckpt_start(bb__sqlite *q)
{
    bb__ckpt *c;
    if (q->ckpt || !(c = calloc(1, sizeof *c)))
        return;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (sqlite3_open_v2(q->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(c->db, 10000) != SQLITE_OK ||
        sqlite3_exec(c->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK ||
        pthread_create(&c->thread, NULL, run, c) != 0) {
        free_ckpt(c);
        return; /* the handle checkpoints itself */
    }
    q->ckpt = c;
    sqlite3_wal_hook(q->db, on_commit, c);
}

void bb__sqlite_ckpt_stop(bb__sqlite *q)
{
    bb__ckpt *c = q->ckpt;
    if (!c)
        return;
    /* the handle's own checkpoints again (a close checkpoints what is left) */
    sqlite3_wal_autocheckpoint(q->db, 1000);
    wait_for(c, ask(c));
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    free_ckpt(c);
    q->ckpt = NULL;
}
