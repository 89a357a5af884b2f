/* sqlite_db.h: the SQLite backend's handle, shared by the sqlite_*.c files: the connection, the
 * named statements (prepared once, cached on the handle), the bounded in-memory caches of the write
 * path (customer references, orders, products) and the orders whose totals await a flush.
 * Internal to src/store/. */
#ifndef BB_SQLITE_DB_H
#define BB_SQLITE_DB_H

#include <string.h>

#include <sqlite3.h>

#include "birebir/buf.h"
#include "birebir/text.h"
#include "store/sqlite_cache.h"
#include "store/store_impl.h"

/* The columns a model run and a customer's scores are read with (sqlite_score.c reads them in this
 * order; the score's table is aliased x). */
#define BB__SQL_RUN_COLS "id, model, params, fit, status, as_of, window_from, window_to, customers, started_at, finished_at, is_current"
#define BB__SQL_SCORE_COLS                                                                                           \
    "x.customer_id, x.run_id, x.recency_days, x.frequency, x.monetary_minor, x.r_score, x.f_score, x.m_score," \
    " x.rfm_segment, x.x, x.t_x, x.t_cal, x.p_alive, x.expected_purchases, x.expected_value, x.clv_minor,"      \
    " x.churn_risk, x.tier, x.updated_at"

/* The named statements; their SQL text is in sqlite_stmt.c. */
enum bb__sq {
    BB__SQ_DATA_VERSION,
    BB__SQ_META_GET,
    /* identity */
    BB__SQ_IDENT_GET,
    BB__SQ_IDENT_ID,
    BB__SQ_IDENT_ADD,
    BB__SQ_CUST_GET,
    BB__SQ_CUST_INSERT,
    BB__SQ_CUST_UPDATE,
    BB__SQ_SEARCH_ADD,
    BB__SQ_SEARCH_DEL,
    BB__SQ_RANK_PREV,
    BB__SQ_RANK_NEXT,
    BB__SQ_SEARCH_WALK,
    BB__SQ_SEARCH_FTS,
    BB__SQ_SEARCH_ROW,
    BB__SQ_LIST_CLV, /* the customer list by a sort's key (sqlite_search.c), then its tail by name */
    BB__SQ_LIST_REVENUE,
    BB__SQ_LIST_LAST,
    BB__SQ_TAIL_CLV,
    BB__SQ_TAIL_REVENUE,
    BB__SQ_TAIL_LAST,
    BB__SQ_COLLECT_CLV, /* every hit of a rare word with its sort key */
    BB__SQ_COLLECT_REVENUE,
    BB__SQ_COLLECT_LAST,
    BB__SQ_LIST_SEG_CLV, /* a segment's members by a sort's key (its index), then those without it */
    BB__SQ_LIST_SEG_REVENUE,
    BB__SQ_LIST_SEG_LAST,
    BB__SQ_SEG_TAIL_CLV,
    BB__SQ_SEG_TAIL_REVENUE,
    BB__SQ_SEG_TAIL_LAST,
    BB__SQ_FTS_COUNT,
    BB__SQ_RANK_TEXT,
    BB__SQ_RANK_OF,
    /* products */
    BB__SQ_PROD_GET,
    BB__SQ_PROD_INSERT,
    BB__SQ_PROD_UPDATE,
    BB__SQ_LINE_PRODUCTS,
    /* orders and lines */
    BB__SQ_ORDER_GET,
    BB__SQ_ORDER_INSERT,
    BB__SQ_ORDER_INSERT_MANY,
    BB__SQ_ORDER_NEXT_ID,
    BB__SQ_ORDER_UPDATE,
    BB__SQ_ORDER_SET_TOTALS,
    BB__SQ_ORDER_SET_MARGIN,
    BB__SQ_ORDER_TOTALS,
    BB__SQ_ORDER_LINES_CUSTOMER,
    BB__SQ_LINE_INSERT,
    BB__SQ_LINE_INSERT_MANY,
    BB__SQ_LINE_GET,
    BB__SQ_LINE_UPDATE,
    /* content-deduplicated rows */
    BB__SQ_INTERACTION_INSERT,
    BB__SQ_CONSENT_INSERT,
    BB__SQ_SURVEY_INSERT,
    /* reads */
    BB__SQ_R_CUSTOMER,
    BB__SQ_R_IDENTS,
    BB__SQ_R_MERGED_FROM,
    BB__SQ_R_SUMMARY,
    BB__SQ_R_ORDERS,
    BB__SQ_R_LINES,
    BB__SQ_R_CONSENTS,
    BB__SQ_R_CONSENTS_CURRENT,
    BB__SQ_R_INTERACTIONS,
    BB__SQ_R_SURVEYS,
    BB__SQ_R_VALUES_ALL,
    BB__SQ_R_VALUES_ONE,
    /* the server's hot paths (sqlite_auth.c) */
    BB__SQ_EVENT_MARK,
    BB__SQ_TOKEN_FIND,
    BB__SQ_SESSION_FIND,
    /* value scores (sqlite_score.c): read on every 360 view, written on every re-score */
    BB__SQ_RUN_CURRENT_SCORING,
    BB__SQ_RUN_CURRENT,
    BB__SQ_SCORE_GET,
    BB__SQ_SCORE_PUT,
    /* is a table empty (for the Bloom filters) */
    BB__SQ_ORDER_ANY,
    BB__SQ_IDENT_ANY,
    /* read snapshots (bb_store_read_begin/end): on every 360 view */
    BB__SQ_READ_BEGIN,
    BB__SQ_READ_END,
    /* each customer's latest purchase (sqlite_last.c) */
    BB__SQ_LAST_NEW,
    BB__SQ_LAST_TOP,
    BB__SQ_LAST_OF,
    BB__SQ_LAST_SET,
    BB__SQ_LAST_RAISE,
    BB__SQ_LAST_SCORE_SET,
    BB__SQ_LAST_SCORES_ANY,
    /* the materialised 360 views (sqlite_view.c) */
    BB__SQ_VIEW_ANY,
    BB__SQ_VIEW_GET,
    BB__SQ_VIEW_PUT,
    BB__SQ_VIEW_DEL,
    /* bare customers made in bulk mode, written together (sqlite_bare.c) */
    BB__SQ_CUST_NEXT_ID,
    BB__SQ_BARE_INSERT,
    BB__SQ_BARE_INSERT_MANY,
    BB__SQ_IDENT_ADD_ONE,
    BB__SQ_IDENT_ADD_MANY,
    BB__SQ_COUNT
};

/* A line the order cache knows an order has (written or waiting in the buffer). */
typedef struct bb__known_line {
    int line_no;
    int64_t product_id, unit_minor;
    double quantity;
} bb__known_line;

/* A write that may change a customer's latest purchase other than by a new order (sqlite_last.c). */
typedef struct bb__last_mark {
    int kind;
    int64_t customer_id, order_id, at;
} bb__last_mark;

/* A customer's best new purchase (the latest of the orders made since the last flush that are not
 * returns), collected by bb__sqlite_last_collect; taken: written with the customer's row already. */
typedef struct bb__last_best {
    int64_t customer_id, at, order_id;
    int taken;
} bb__last_best;

/* What the write path remembers of an order (the order cache's values). Every line of a cached order
 * read from the database is known, sorted by line number, so a line put again is compared in memory.
 * An order made here is "unlisted": its lines are not kept (a bulk load's new orders would hold them
 * all), only the highest line number; a line numbered above it is new, and any other first lists
 * the order's lines from the database (after a flush). */
typedef struct bb__order_ent {
    int64_t id, customer_id, ordered_at;
    int64_t amount;            /* as stored (or to be stored, when pending) */
    int64_t margin;            /* as stored, when has_margin */
    int has_margin, from_lines;
    int64_t lines_total;       /* sum of the lines' totals (quantity * unit price, rounded) */
    int64_t lines_cost;        /* sum of quantity * cost over lines whose product has a cost */
    int64_t n_lines, missing_cost; /* lines, and lines whose product has no cost */
    int dirty;                 /* totals changed since the row was written */
    int stale;                 /* a line was rewritten: the totals are read again at the flush */
    int pending;               /* made from a line and not written yet: its row waits for a flush */
    bb__known_line *known;     /* its lines (n_lines of them), sorted by line number; unless unlisted */
    size_t known_cap;
    int unlisted;              /* made here: known is empty, every line is numbered max_line or below */
    int max_line;
    char currency[4];
    char channel[24];          /* a pending order's channel ("" when none) */
    struct bb__order_ent *next_dirty, *next_pending;
} bb__order_ent;

/* An order line waiting in the buffer for its multi-row INSERT. */
typedef struct bb__line {
    int64_t order_id, customer_id, product_id, unit_minor;
    double quantity;
    int line_no;
} bb__line;

/* The page cache of a handle, and of one in bulk mode (bb_store_bulk), in KiB. */
#define BB__CACHE_KIB 65536
/* sqlite_map.c: the VFS that maps a whole database file for reading (BB_STORE_MAPPED), registered on
 * first use; its name, or NULL when it cannot be had (then SQLite's default VFS is used). */
#define BB__SQLITE_MAP_VFS "bb-map"
#define BB__MAP_LIMIT "1099511627776" /* PRAGMA mmap_size of a mapped handle: 1 TiB */
const char *bb__sqlite_map_vfs(void);
/* The WAL index header of a file opened through that VFS, copied into stamp: 1, or 0 when there is none
 * to read (another VFS, or SQLite has not mapped the index yet). Equal stamps: no commit in between. */
enum { BB__WAL_STAMP = 48 };
int bb__sqlite_map_stamp(sqlite3_file *file, unsigned char stamp[BB__WAL_STAMP]);
#define BB__BULK_CACHE_KIB 262144
#define BB__STR_(x) #x
#define BB__STR(x) BB__STR_(x)

enum { BB__LINE_BUF = 4096, BB__LINES_PER_INSERT = 64, BB__ORDERS_PER_INSERT = 32, BB__SEARCH_BUF = 8192,
       BB__BARE_BUF = 65536, BB__BARE_PER_INSERT = 32, BB__IDENTS_PER_INSERT = 64 };

/* A bare customer made in bulk mode, waiting for its row (sqlite_bare.c); strings are offsets into
 * the handle's bare_text (SIZE_MAX: none). */
typedef struct bb__bare {
    int64_t id, rank;
    size_t ext, email, phone, text, key, key_len;
} bb__bare;

/* An identifier of a waiting bare customer (offsets into bare_text). */
typedef struct bb__bare_ident {
    int64_t customer_id;
    size_t kind, value;
} bb__bare_ident;

/* What the write path remembers of a product (the product cache's values). */
typedef struct bb__product_ent {
    int64_t id, cost;
    int has_cost;
} bb__product_ent;

typedef struct bb__ckpt bb__ckpt; /* a bulk load's checkpoints on a thread (sqlite_ckpt.c) */

typedef struct bb__sqlite {
    bb_store base; /* must be first */
    sqlite3 *db;
    char *path;
    int schema_version;
    int tx_depth;     /* 0: autocommit */
    int in_read;      /* a read snapshot is open (bb_store_read_begin) */
    int held;         /* a held snapshot is open between two bb_store_read_begin (sqlite_ops.c) */
    int hold_ms;      /* bb_store_read_hold: how long a snapshot may be held; 0 not at all */
    int64_t held_at;  /* when the held snapshot began (monotonic ms) */
    uint64_t held_gen; /* the process's commits counted when it began */
    sqlite3_file *main_file; /* BB_STORE_MAPPED: the database file, whose WAL index stamps snapshots */
    int has_stamp;           /* held_stamp was read when the held snapshot began */
    unsigned char held_stamp[BB__WAL_STAMP];
    int tx_failed;    /* a write failed half-way: the transaction can only be rolled back */
    int64_t data_version; /* PRAGMA data_version when the caches were last known valid */
    uint64_t serial;      /* this handle's number, unique in the process (bb_store_version.handle) */
    char currency[4]; /* the store's default currency */
    sqlite3_stmt *stmt[BB__SQ_COUNT];
    unsigned char stmt_busy[BB__SQ_COUNT]; /* a read statement is being stepped */
    bb__smap customers; /* "kind\x1fref" -> int64_t customer id (the survivor of merges) */
    bb__smap orders;    /* external order id -> bb__order_ent (its known lines in the map's memory) */
    bb__smap products;  /* sku -> bb__product_ent */
    bb__bloom order_ids; /* external ids of the orders (state 1 only when this handle saw none) */
    bb__bloom ident_keys; /* "kind\x1fvalue" of the customer identifiers, likewise */
    bb__order_ent *last_order; /* the order cache's entry found or added last (lines come in runs) */
    bb__order_ent *dirty; /* orders whose totals must be written before the next read or commit */
    bb__order_ent *pending, **pending_tail; /* orders made from lines, not written yet, in order */
    int64_t next_order_id; /* the id the next order gets (0: ask the database); per transaction */
    bb__line lines[BB__LINE_BUF]; /* new lines waiting to be written */
    size_t n_lines;
    struct { int64_t rank; size_t off; } *search; /* new customers' search texts (by search rank), not indexed yet */
    size_t n_search, cap_search;
    bb_buf search_text;                           /* their texts, NUL-separated */
    int64_t *cost_changed; /* products whose cost changed: their orders' margins await the flush */
    size_t n_cost_changed, cap_cost_changed;
    int bulk;                     /* bulk mode (bb_store_bulk) */
    int defer;                    /* a load may defer indexes (sqlite_defer.c): not looked yet */
    bb__ckpt *ckpt;               /* in bulk mode: the thread that checkpoints the WAL, or NULL */
    bb__bare *bare;               /* bare customers made in bulk mode, not written yet, by id */
    size_t n_bare, cap_bare;
    bb__bare_ident *bare_ids;     /* their identifiers, in the order they were registered */
    size_t n_bare_ids, cap_bare_ids;
    bb_buf bare_text;             /* their strings, NUL-terminated */
    bb__smap bare_keys;           /* "kind\x1fvalue" of their identifiers -> int64_t customer id */
    int64_t next_cust_id;         /* the id the next one gets (0: ask the database); while any waits */
    int views; /* customer_view in this write transaction: -1 not looked at yet, 0 empty, 1 has rows */
    int views_drop_all;    /* every stored view is stale (a product changed, or memory ran out) */
    int64_t *view_stale;   /* customers whose stored views the next flush deletes */
    size_t n_view_stale, cap_view_stale;
    char *view_dict;        /* the stored views' LZ4 dictionary (sqlite_view.c), or the sample for one */
    size_t view_dict_len;   /* its bytes */
    int view_dict_state;    /* 0 not loaded, 1 loaded (dictionary 1), 2 none stored: sampling views */
    char *view_out;         /* the dictionary, then room for a view decompressed right after it: LZ4 */
    size_t view_out_cap;    /* reads a dictionary that prefixes its output fastest (sqlite_view.c) */
    int view_out_dict;      /* view_out starts with the loaded dictionary */
    int64_t last_from;         /* latest purchases: the first order id made since the last flush, or 0 */
    bb__last_mark *last_marks; /* and the other writes that may change them (sqlite_last.c) */
    size_t n_last_marks, cap_last_marks;
    int last_all; /* out of memory marking: every customer's is computed again */
    bb__last_best *last_best; /* collected (last_collected): by customer id */
    size_t n_last_best, cap_last_best;
    int last_collected;
    bb_text_collator *collator; /* Turkish, opened on first use */
    bb_buf scratch;             /* cache keys */
} bb__sqlite;

/* Ends a held read snapshot (bb_store_read_hold), if one is open: before any statement that writes, so a
 * write outside a transaction commits on its own as it would without one (sqlite_ops.c). */
void bb__sqlite_held_end(bb__sqlite *q);

/* Fills err from the connection's last error, with context; returns BB_EDB (or BB_ECONFLICT for a
 * constraint violation). */
int bb__sqlite_err(bb__sqlite *q, bb_error *err, const char *context);
/* Prepares a statement the caller finalises (for SQL run rarely; hot paths use the named statements
 * below). 0, or BB_EDB with err filled. */
int bb__sqlite_prepare(bb__sqlite *q, sqlite3_stmt **st, const char *sql, bb_error *err);
/* The first column of SQL text's one row (a count), into *n. */
int bb__sqlite_count(bb__sqlite *q, const char *sql, int64_t *n, bb_error *err);
/* Runs SQL text without parameters (schema, pragmas, transactions). */
int bb__sqlite_exec(bb__sqlite *q, const char *sql, bb_error *err);

/* The named statement, prepared on first use and reset; NULL with err filled on failure. The caller
 * binds every parameter and resets it when done (bb__sqlite_done). */
sqlite3_stmt *bb__sqlite_stmt(bb__sqlite *q, enum bb__sq which, bb_error *err);
void bb__sqlite_stmts_finalize(bb__sqlite *q);
/* A read statement that may be stepped while callbacks run (and call the store): the cached one when
 * it is free, else a new one. Give it back with bb__sqlite_read_end (accepts NULL). */
sqlite3_stmt *bb__sqlite_read_begin(bb__sqlite *q, enum bb__sq which, bb_error *err);
void bb__sqlite_read_end(bb__sqlite *q, enum bb__sq which, sqlite3_stmt *st);
/* Binds a string, or NULL when s is NULL. The string is not copied: it must live until the statement
 * has been stepped (every statement here is stepped right after binding, and all its parameters are
 * bound before every step). */
int bb__sqlite_bind_text(sqlite3_stmt *st, int i, const char *s);
/* The id the next new row gets from *next, read first (which: max(id) + 1 of its table) when *next is 0.
 * Only while the write lock is held: ids given here may be written later in the transaction. */
int bb__sqlite_next_id(bb__sqlite *q, enum bb__sq which, int64_t *next, int64_t *id, bb_error *err);
/* Steps a statement that returns no rows, or at most one it ignores; resets it. 0 or BB_EDB/ECONFLICT. */
int bb__sqlite_run(bb__sqlite *q, sqlite3_stmt *st, bb_error *err, const char *context);

/* Transactions: bb__sqlite_tx_enter begins one when none is open (*own = 1); bb__sqlite_tx_leave
 * commits it when owned and rc == 0, rolls it back when owned and rc != 0, and marks the caller's
 * transaction failed when not owned and the write failed half-way (after_write, and rc is not
 * BB_EINVAL: every put checks its input before it writes anything). Returns rc or the commit's
 * error. */
int bb__sqlite_tx_enter(bb__sqlite *q, int *own, bb_error *err);
int bb__sqlite_tx_leave(bb__sqlite *q, int own, int rc, int after_write, bb_error *err);
/* Whether key may be in the table a Bloom filter of the handle covers (which: the statement that
 * finds the table empty or not): 0 only when it surely is not. The filter is started inside this
 * handle's write transaction when the table is empty, and consulted only inside one (no other
 * writer then; another connection's commit between them resets it, bb__sqlite_caches_clear). */
int bb__sqlite_bloom_maybe(bb__sqlite *q, bb__bloom *b, enum bb__sq which, const char *key, size_t klen);
/* Forgets every cached id (after a rollback, a merge, or another connection's commit). */
void bb__sqlite_caches_clear(bb__sqlite *q);
/* Writes what the order cache holds back: pending orders, buffered lines, changed totals. Every read
 * and every commit flushes first. */
int bb__sqlite_flush(bb__sqlite *q, bb_error *err);
/* Rewrites the margins of the orders with a product whose cost changed (part of the flush). */
int bb__sqlite_margins_flush(bb__sqlite *q, int64_t now, bb_error *err);
/* Forgets pending orders, buffered lines and cost changes (after a rollback). */
void bb__sqlite_flush_discard(bb__sqlite *q);
/* The product of a SKU, created bare when unknown and create is set (stats->products_created);
 * out->id is 0 when unknown and not created. */
int bb__sqlite_product_find(bb__sqlite *q, const char *sku, int create, int64_t now,
                            bb__product_ent *out, bb_put_stats *stats, bb_error *err);
/* The Turkish collator (opened on first use). */
int bb__sqlite_collator(bb__sqlite *q, bb_text_collator **out, bb_error *err);

/* A string or NULL when it is NULL or empty ("absent"). */
static inline const char *bb__nz(const char *s)
{
    return s && *s ? s : NULL;
}

/* Equal strings, NULL equal to NULL only. */
static inline int bb__same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* "" (the store's default) or three capital letters; BB_EINVAL otherwise. */
int bb__check_currency(const char cur[4], bb_error *err);

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

/* Writes the search texts of new customers waiting in memory (part of every flush but the
 * write-behind's own). */
int bb__sqlite_search_flush(bb__sqlite *q, bb_error *err);
/* Keeps the full-text index (keyed by search rank) in step with a customer's search_text and rank:
 * old_text NULL for a new one, new_text NULL for one merged away. */
int bb__sqlite_search_index(bb__sqlite *q, int64_t old_rank, const char *old_text, int64_t new_rank,
                            const char *new_text, bb_error *err);
/* Search ranks (sqlite_rank.c): the rank for a customer with sort key key placed among the others
 * (id: the customer's own, left out of its neighbours; INT64_MAX for one not inserted yet). Spreads
 * the ranks around out again when its neighbours leave no room. */
int bb__sqlite_rank_for(bb__sqlite *q, const void *key, size_t key_len, int64_t id, int64_t *rank,
                        bb_error *err);

/* Stored views (sqlite_view.c). Marks customer_id's stored view stale: deleted at the next flush, inside
 * the write transaction that changed what it shows. Call it for every such write (one line at the write);
 * it costs one branch while customer_view is empty (looked at once per write transaction). */
void bb__sqlite_view_stale_(bb__sqlite *q, int64_t customer_id);
static inline void bb__sqlite_view_stale(bb__sqlite *q, int64_t customer_id)
{
    if (q->views != 0)
        bb__sqlite_view_stale_(q, customer_id);
}
/* Every stored view is stale (a product's name, category or cost changed: rare). */
void bb__sqlite_views_stale_all(bb__sqlite *q);
/* Deletes the stale views (part of every flush). */
int bb__sqlite_views_flush(bb__sqlite *q, bb_error *err);
/* Forgets the stale set and what is known of the table: a write transaction begins or rolls back. */
void bb__sqlite_views_reset(bb__sqlite *q);

/* A bulk load's WAL checkpoints on a thread of their own (sqlite_ckpt.c): _start at bulk mode's
 * beginning (when the thread cannot start, the handle checkpoints itself), _stop at its end and before
 * a close (waits for a last pass over every commit). */
void bb__sqlite_ckpt_start(bb__sqlite *q);
void bb__sqlite_ckpt_stop(bb__sqlite *q);
extern int bb__sqlite_ckpt_bound; /* WAL pages past which a commit waits for the pass (65,536) */

/* Each customer's latest purchase (sqlite_last.c; migration 0008), kept true at every flush. A new order
 * costs one branch (bb__sqlite_last_added, where its id is made): the flush folds in the orders made
 * since, once per customer. Writes that can lower one mark it: an order moved or re-dated (recheck both
 * customers), an order's total crossing zero (bb__sqlite_last_amount), a merge (recheck). */
static inline void bb__sqlite_last_added(bb__sqlite *q, int64_t order_id)
{
    if (!q->last_from || order_id < q->last_from)
        q->last_from = order_id;
}
void bb__sqlite_last_recheck(bb__sqlite *q, int64_t customer_id);
void bb__sqlite_last_amount(bb__sqlite *q, int64_t customer_id, int64_t order_id, int64_t ordered_at, int64_t was,
                            int64_t now);
/* Stores what the marks changed (part of every flush, after the orders are written). */
int bb__sqlite_last_flush(bb__sqlite *q, bb_error *err);
/* Reads the new orders' best purchase per customer (once per flush; the orders must be written), so a
 * customer row written before bb__sqlite_last_flush can carry its latest purchase: _take gives a
 * customer's (1; 0 when it has none among them) and bb__sqlite_last_flush then leaves it alone. Only
 * for a customer that has no stored orders (a bare customer being written). */
int bb__sqlite_last_collect(bb__sqlite *q, bb_error *err);
int bb__sqlite_last_take(bb__sqlite *q, int64_t customer_id, int64_t *at, int64_t *order_id);
/* Forgets the marks (after a rollback); frees them (close). */
void bb__sqlite_last_discard(bb__sqlite *q);
void bb__sqlite_last_release(bb__sqlite *q);

/* Indexes a bulk load defers (sqlite_defer.c). _start, inside the load's write transaction when
 * orders is empty: drops them, keeping their statements in meta. _finish, outside a transaction (bulk
 * mode's end, every writable open): builds those meta names, in one transaction. */
int bb__sqlite_defer_start(bb__sqlite *q, bb_error *err);
int bb__sqlite_defer_finish(bb__sqlite *q, bb_error *err);

/* Bare customers in bulk mode (sqlite_bare.c). A bare customer made by a reference (an order line,
 * an interaction...) waits in memory with its identifiers: at the flush, the waiting ones are placed
 * in the search order together (a probe of their neighbours per run of them, not two per customer) and
 * written 32 rows per INSERT, their identifiers 64 per INSERT. Used only in bulk mode, where declared
 * foreign keys are not checked, so orders may name a customer that waits. */
/* A new bare customer (ext, optional email and phone, its search text and sort key); *id is its id. */
int bb__sqlite_bare_add(bb__sqlite *q, const char *ext, const char *email, const char *phone,
                        const char *text, const void *key, size_t key_len, int64_t *id, bb_error *err);
/* Registers identifier (kind, value) for waiting customer id, unless one waiting has it already (an
 * identifier already stored for another customer stays theirs: the flush adds none over it). */
int bb__sqlite_bare_ident(bb__sqlite *q, const char *kind, const char *value, int64_t id, bb_error *err);
/* Whether a waiting customer has identifier key ("kind\x1fvalue"). */
int bb__sqlite_bare_has(const bb__sqlite *q, const char *key, size_t klen);
/* Writes the waiting customers and identifiers and queues their search texts (part of every flush,
 * and of anything that reads or writes customers by SQL while some wait). */
int bb__sqlite_bare_flush(bb__sqlite *q, bb_error *err);
/* Forgets them (after a rollback). */
void bb__sqlite_bare_discard(bb__sqlite *q);
/* Frees what the handle holds for them. */
void bb__sqlite_bare_release(bb__sqlite *q);

/* A new customer's place in the search order, for many at once (sqlite_rank.c). */
typedef struct bb__rank_item {
    const void *key;
    size_t key_len;
    int64_t id, rank;
    size_t at; /* the caller's */
} bb__rank_item;
/* Ranks n new customers not inserted yet, sorted by (key, id): each run of them between two stored
 * neighbours is spread evenly over the gap (the window around spread out first when it is too
 * narrow). */
int bb__sqlite_rank_many(bb__sqlite *q, bb__rank_item *it, size_t n, bb_error *err);

/* Fills the gaps of customer keep's profile and attributes from customer other's (a merge); *filled
 * counts the fields and attribute keys filled. */
int bb__sqlite_customer_absorb(bb__sqlite *q, int64_t keep, int64_t other, int64_t now, int64_t *filled,
                               bb_error *err);

/* The table of functions' entries implemented outside sqlite_ops.c. */
int bb__sq_put_customer(bb_store *s, const bb_customer_rec *r, bb_put_result *res, bb_put_stats *st,
                        bb_error *err);
int bb__sq_put_product(bb_store *s, const bb_product_rec *r, bb_put_result *res, bb_put_stats *st,
                       bb_error *err);
int bb__sq_put_order(bb_store *s, const bb_order_rec *r, bb_put_result *res, bb_put_stats *st,
                     bb_error *err);
void bb__sq_hint_order_line(bb_store *s, const bb_order_line_rec *r);
/* Starts fetching what resolving the reference will look at first (sqlite_identity.c). */
void bb__sqlite_resolve_prefetch(bb__sqlite *q, const char *ref, const char *id_kind);
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
