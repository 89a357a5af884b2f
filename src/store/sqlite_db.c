/* sqlite_db.c: the SQLite backend's life: open (WAL, foreign keys, busy timeout), migrations applied
 * on open, transactions, status. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite_db.h"

extern const bb__store_ops bb__sqlite_ops;

int bb__sqlite_err(bb__sqlite *q, bb_error *err, const char *context)
{
    int ext = sqlite3_extended_errcode(q->db);
    int code = (ext & 0xff) == SQLITE_CONSTRAINT ? BB_ECONFLICT : BB_EDB;
    return bb_error_set(err, code, "%s: %s", context, sqlite3_errmsg(q->db));
}

int bb__sqlite_prepare(bb__sqlite *q, sqlite3_stmt **st, const char *sql, bb_error *err)
{
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
        return bb__sqlite_err(q, err, "preparing a query");
    if (q->held && !sqlite3_stmt_readonly(*st))
        bb__sqlite_held_end(q);
    return 0;
}

int bb__sqlite_exec(bb__sqlite *q, const char *sql, bb_error *err)
{
    char *msg = NULL;
    bb__sqlite_held_end(q); /* any SQL at all: a held snapshot is no place for it */
    if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = bb_error_set(err, BB_EDB, "%s", msg ? msg : sqlite3_errmsg(q->db));
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

static int read_user_version(bb__sqlite *q, int *version, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return bb__sqlite_err(q, err, "reading the schema version");
    rc = sqlite3_step(st);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : bb__sqlite_err(q, err, "reading the schema version");
}

static int read_default_currency(bb__sqlite *q, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_META_GET, err);
    int rc;
    if (!st)
        return BB_EDB;
    sqlite3_bind_text(st, 1, "default_currency", -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 3)
        memcpy(q->currency, sqlite3_column_text(st, 0), 4);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "reading the settings");
}

/* Applies every embedded migration newer than the database, each in its own transaction. */
static int migrate(bb__sqlite *q, int readonly, bb_error *err)
{
    int have = 0, want = bb_store_schema_version_supported(), rc;
    if ((rc = read_user_version(q, &have, err)) != 0)
        return rc;
    if (have > want)
        return bb_error_set(err, BB_ESCHEMA,
                            "%s was written by a newer birebir (schema version %d; this program knows "
                            "up to %d): upgrade birebir to open it",
                            q->path, have, want);
    /* Indexes a bulk load killed half-way left unbuilt (sqlite_defer.c), built before anything else
     * (and before a migration meets their absence). Not fatal: the database is consistent without
     * them, only slower, and the next open tries again (the lock may be busy with another writer). */
    if (!readonly && have >= 1)
        (void)bb__sqlite_defer_finish(q, NULL);
    if (readonly || have == want) {
        q->schema_version = have;
        return 0;
    }
    for (int v = have + 1; v <= want; v++) {
        const bb__embedded *m = &bb__migrations[v - 1];
        char *sql = NULL, pragma[64];
        if (strtol(m->name, NULL, 10) != v) /* names are NNNN_what.sql, numbered without gaps */
            return bb_error_set(err, BB_EINTERNAL, "migration %s is out of sequence (expected %04d)",
                                m->name, v);
        if ((rc = bb__sqlite_exec(q, "BEGIN IMMEDIATE", err)) != 0)
            return rc;
        sql = malloc(m->len + 1);
        if (!sql) {
            bb__sqlite_exec(q, "ROLLBACK", NULL);
            return bb_error_set(err, BB_ENOMEM, "out of memory applying migration %s", m->name);
        }
        memcpy(sql, m->data, m->len);
        sql[m->len] = '\0';
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
        rc = bb__sqlite_exec(q, sql, err);
        free(sql);
        if (rc == 0)
            rc = bb__sqlite_exec(q, pragma, err);
        if (rc == 0)
            rc = bb__sqlite_exec(q, "COMMIT", err);
        if (rc != 0) {
            bb__sqlite_exec(q, "ROLLBACK", NULL);
            return bb_error_prefix(err, "applying migration %s to %s", m->name, q->path);
        }
    }
    q->schema_version = want;
    return 0;
}

/* SQLite keeps memory statistics under a global mutex taken for every allocation; nothing here reads
 * them (import of 1M order lines: -3% processor time). Must precede SQLite's initialisation: when
 * something initialised it first, the call fails and the statistics stay on. */
static void sqlite_global_setup(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int bb__sqlite_open(const char *path, int flags, bb_store **out, bb_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    bb__sqlite *q = NULL;
    int rc = 0, oflags;
    struct stat sb;

    pthread_once(&once, sqlite_global_setup);
    if (!(flags & BB_STORE_CREATE) && stat(path, &sb) != 0)
        return bb_error_set(err, BB_ENOTFOUND, "%s: no such database (run 'birebir init' first)", path);
    q = calloc(1, sizeof *q);
    if (!q || !(q->path = strdup(path))) {
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        goto done;
    }
    q->base.ops = &bb__sqlite_ops;
    q->data_version = -1;
    {
        static _Atomic uint64_t handles;
        q->serial = ++handles;
    }
    q->views = -1;
    q->pending_tail = &q->pending;
    snprintf(q->currency, sizeof q->currency, "TRY");
    /* Bounded caches of the write path: cleared whole when full (entries are ~100 bytes). */
    bb__smap_init(&q->customers, sizeof(int64_t), (size_t)1 << 18);
    bb__smap_init(&q->orders, sizeof(bb__order_ent), (size_t)1 << 17);
    bb__smap_init(&q->products, sizeof(bb__product_ent), (size_t)1 << 17);
    bb_buf_init(&q->scratch, 1 << 20);
    bb_buf_init(&q->search_text, 0);
    bb__smap_init(&q->bare_keys, sizeof(int64_t), (size_t)8 * BB__BARE_BUF);
    bb_buf_init(&q->bare_text, 0);
    oflags = (flags & BB_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &q->db, oflags | SQLITE_OPEN_NOMUTEX,
                        (flags & BB_STORE_MAPPED) ? bb__sqlite_map_vfs() : NULL) != SQLITE_OK) {
        rc = bb_error_set(err, BB_EIO, "%s: cannot open the database: %s", path,
                          q->db ? sqlite3_errmsg(q->db) : "out of memory");
        goto done;
    }
    sqlite3_extended_result_codes(q->db, 1);
    sqlite3_busy_timeout(q->db, 10000);
    if (!(flags & BB_STORE_READONLY)) {
        rc = bb__sqlite_exec(q, "PRAGMA journal_mode = WAL", err);
        if (rc != 0) {
            bb_error_prefix(err, "%s: not a usable SQLite database", path);
            rc = err ? (err->code = BB_EINVAL) : BB_EINVAL;
            goto done;
        }
    }
    rc = bb__sqlite_exec(q,
                         "PRAGMA foreign_keys = ON;"
                         "PRAGMA synchronous = NORMAL;"
                         "PRAGMA temp_store = MEMORY;"
                         "PRAGMA cache_size = -" BB__STR(BB__CACHE_KIB) ";",
                         err);
    if (rc == 0 && (flags & BB_STORE_MAPPED) &&
        (rc = bb__sqlite_exec(q, "PRAGMA mmap_size = " BB__MAP_LIMIT, err)) == 0 &&
        sqlite3_file_control(q->db, "main", SQLITE_FCNTL_FILE_POINTER, &q->main_file) != SQLITE_OK)
        q->main_file = NULL;
    if (rc == 0)
        rc = migrate(q, flags & BB_STORE_READONLY, err);
    if (rc == 0 && q->schema_version > 0)
        rc = read_default_currency(q, err);
done:
    if (rc != 0) {
        if (q)
            bb__sqlite_ops.close(&q->base);
        return rc;
    }
    *out = &q->base;
    return 0;
}
