/* sqlite_db.h: the SQLite backend's handle, shared by the sqlite_*.c files. Internal to src/store/. */
#ifndef BB_SQLITE_DB_H
#define BB_SQLITE_DB_H

#include <sqlite3.h>

#include "store/store_impl.h"

typedef struct bb__sqlite {
    bb_store base; /* must be first */
    sqlite3 *db;
    char *path;
    int schema_version;
    int tx_depth; /* 0: autocommit */
} bb__sqlite;

/* Fills err from the connection's last error, with context; returns BB_EDB (or BB_ECONFLICT for a
 * constraint violation). */
int bb__sqlite_err(bb__sqlite *q, bb_error *err, const char *context);
/* Runs SQL text without parameters (schema, pragmas, transactions). */
int bb__sqlite_exec(bb__sqlite *q, const char *sql, bb_error *err);

#endif
