/* sqlite_db.h: the SQLite backend's handle, shared by the sqlite_*.c files: the connection, the
 * named statements (prepared once, cached on the handle), the bounded in-memory caches of the write
 * path (customer references, orders, products) and the orders whose totals await a flush.
 * Internal to src/store/. */
#ifndef BB_SQLITE_DB_H
#define BB_SQLITE_DB_H

#include <sqlite3.h>

#include "birebir/buf.h"
#include "birebir/text.h"
#include "store/sqlite_cache.h"
#include "store/store_impl.h"

/* The named statements; their SQL text is in sqlite_stmt.c. */
enum bb__sq {
    BB__SQ_DATA_VERSION,
    BB__SQ_META_GET,
    /* identity */
    BB__SQ_IDENT_GET,
    BB__SQ_IDENT_ADD,
    BB__SQ_CUST_GET,
    BB__SQ_CUST_INSERT,
    BB__SQ_CUST_UPDATE,
    /* products */
    BB__SQ_PROD_GET,
    BB__SQ_PROD_INSERT,
    BB__SQ_PROD_UPDATE,
    BB__SQ_PROD_ORDERS,
    /* orders and lines */
    BB__SQ_ORDER_GET,
    BB__SQ_ORDER_INSERT,
    BB__SQ_ORDER_UPDATE,
    BB__SQ_ORDER_SET_TOTALS,
    BB__SQ_ORDER_SET_MARGIN,
    BB__SQ_ORDER_TOTALS,
    BB__SQ_ORDER_LINES_CUSTOMER,
    BB__SQ_LINE_INSERT,
    BB__SQ_LINE_GET,
    BB__SQ_LINE_UPDATE,
    /* content-deduplicated rows */
    BB__SQ_INTERACTION_INSERT,
    BB__SQ_CONSENT_INSERT,
    BB__SQ_SURVEY_INSERT,
    /* the server's hot paths (sqlite_auth.c) */
    BB__SQ_EVENT_MARK,
    BB__SQ_TOKEN_FIND,
    BB__SQ_SESSION_FIND,
    BB__SQ_COUNT
};

/* What the write path remembers of an order (the order cache's values). */
typedef struct bb__order_ent {
    int64_t id, customer_id;
    int64_t amount;            /* as stored */
    int64_t margin;            /* as stored, when has_margin */
    int has_margin, from_lines;
    int64_t lines_total;       /* sum of the lines' totals (quantity * unit price, rounded) */
    int64_t lines_cost;        /* sum of quantity * cost over lines whose product has a cost */
    int64_t n_lines, missing_cost; /* lines, and lines whose product has no cost */
    int dirty;                 /* totals changed since the row was written */
    struct bb__order_ent *next_dirty;
} bb__order_ent;

/* What the write path remembers of a product (the product cache's values). */
typedef struct bb__product_ent {
    int64_t id, cost;
    int has_cost;
} bb__product_ent;

typedef struct bb__sqlite {
    bb_store base; /* must be first */
    sqlite3 *db;
    char *path;
    int schema_version;
    int tx_depth;     /* 0: autocommit */
    int tx_failed;    /* a write failed half-way: the transaction can only be rolled back */
    int64_t data_version; /* PRAGMA data_version when the caches were last known valid */
    char currency[4]; /* the store's default currency */
    sqlite3_stmt *stmt[BB__SQ_COUNT];
    bb__smap customers; /* "kind\x1fref" -> int64_t customer id (the survivor of merges) */
    bb__smap orders;    /* external order id -> bb__order_ent */
    bb__smap products;  /* sku -> bb__product_ent */
    bb__order_ent *dirty; /* orders whose totals must be written before the next read or commit */
    bb_text_collator *collator; /* Turkish, opened on first use */
    bb_buf scratch;             /* cache keys */
} bb__sqlite;

/* Fills err from the connection's last error, with context; returns BB_EDB (or BB_ECONFLICT for a
 * constraint violation). */
int bb__sqlite_err(bb__sqlite *q, bb_error *err, const char *context);
/* Runs SQL text without parameters (schema, pragmas, transactions). */
int bb__sqlite_exec(bb__sqlite *q, const char *sql, bb_error *err);

/* The named statement, prepared on first use and reset; NULL with err filled on failure. The caller
 * binds every parameter and resets it when done (bb__sqlite_done). */
sqlite3_stmt *bb__sqlite_stmt(bb__sqlite *q, enum bb__sq which, bb_error *err);
void bb__sqlite_stmts_finalize(bb__sqlite *q);
/* Binds a string, or NULL when s is NULL. The string is not copied: it must live until the statement
 * has been stepped (every statement here is stepped right after binding, and all its parameters are
 * bound before every step). */
int bb__sqlite_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Steps a statement that returns no rows, or at most one it ignores; resets it. 0 or BB_EDB/ECONFLICT. */
int bb__sqlite_run(bb__sqlite *q, sqlite3_stmt *st, bb_error *err, const char *context);

/* Transactions: bb__sqlite_tx_enter begins one when none is open (*own = 1); bb__sqlite_tx_leave
 * commits it when owned and rc == 0, rolls it back when owned and rc != 0, and marks the caller's
 * transaction failed when not owned and the write failed half-way (after_write). Returns rc or the
 * commit's error. */
int bb__sqlite_tx_enter(bb__sqlite *q, int *own, bb_error *err);
int bb__sqlite_tx_leave(bb__sqlite *q, int own, int rc, int after_write, bb_error *err);
/* Forgets every cached id (after a rollback, a merge, or another connection's commit). */
void bb__sqlite_caches_clear(bb__sqlite *q);
/* Writes the totals of every order in the dirty list. */
int bb__sqlite_flush(bb__sqlite *q, bb_error *err);
/* The Turkish collator (opened on first use). */
int bb__sqlite_collator(bb__sqlite *q, bb_text_collator **out, bb_error *err);

/* Current time in UTC seconds. */
int64_t bb__now(void);
/* A line's total in minor units: quantity * unit price rounded half away from zero. */
int64_t bb__line_total(double quantity, int64_t unit_minor);

/* Identity (sqlite_identity.c): the customer a reference names, following merges; 0 when none. */
int bb__sqlite_resolve(bb__sqlite *q, const char *ref, const char *id_kind, int64_t *id,
                       bb_error *err);
/* As bb__sqlite_resolve, creating a bare customer when the reference is unknown. */
int bb__sqlite_resolve_or_create(bb__sqlite *q, const char *ref, const char *id_kind, int64_t now,
                                 int64_t *id, bb_put_stats *stats, bb_error *err);

/* The table of functions' entries implemented outside sqlite_ops.c. */
int bb__sq_put_customer(bb_store *s, const bb_customer_rec *r, bb_put_result *res, bb_put_stats *st,
                        bb_error *err);
int bb__sq_put_product(bb_store *s, const bb_product_rec *r, bb_put_result *res, bb_put_stats *st,
                       bb_error *err);
int bb__sq_put_order(bb_store *s, const bb_order_rec *r, bb_put_result *res, bb_put_stats *st,
                     bb_error *err);
int bb__sq_put_order_line(bb_store *s, const bb_order_line_rec *r, bb_put_result *res,
                          bb_put_stats *st, bb_error *err);
int bb__sq_put_interaction(bb_store *s, const bb_interaction_rec *r, bb_put_result *res,
                           bb_put_stats *st, bb_error *err);
int bb__sq_put_consent(bb_store *s, const bb_consent_rec *r, bb_put_result *res, bb_put_stats *st,
                       bb_error *err);
int bb__sq_put_survey(bb_store *s, const bb_survey_rec *r, bb_put_result *res, bb_put_stats *st,
                      bb_error *err);
int bb__sq_resolve(bb_store *s, const char *ref, const char *id_kind, int64_t *id, bb_error *err);

#endif
