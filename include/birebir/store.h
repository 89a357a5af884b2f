/* store.h: the store, the only module that speaks SQL. Owns the schema and its numbered migrations,
 * customer identity (one customer, many identifiers), typed writes of every entity (idempotent on
 * natural keys or content), typed reads through callbacks, and transactions. Behind bb_store sits a
 * table of functions: SQLite now (the default), PostgreSQL later, without touching callers.
 *
 * Conventions: every string in a record is UTF-8 and borrowed (the store copies what it keeps); NULL
 * means "absent". Money is int64 minor units plus an ISO 4217 code. Times are UTC seconds. */
#ifndef BIREBIR_STORE_H
#define BIREBIR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"

typedef struct bb_store bb_store;

enum {
    BB_STORE_CREATE = 1,   /* create the database when it does not exist (else BB_ENOTFOUND) */
    BB_STORE_READONLY = 2, /* open for reading only; no migrations are applied */
    BB_STORE_MAPPED = 4,   /* reads see the file through a map of it, not copies in a page cache (the
                            * server's readers: many random reads of a file the system keeps cached) */
};

/* Opens a store: a file path (SQLite), or later "postgresql://..." URLs. Applies pending migrations;
 * refuses (BB_ESCHEMA) a database written by a newer schema. *out is NULL on failure.
 * Close with bb_store_close. */
int bb_store_open(const char *url, int flags, bb_store **out, bb_error *err) BB_MUST_USE;
void bb_store_close(bb_store *s); /* accepts NULL */

/* The schema version this program writes, and the one of the open database. */
int bb_store_schema_version_supported(void);
int bb_store_schema_version(bb_store *s);

/* Transactions. The caller groups writes; a write outside a transaction commits on its own. */
int bb_store_begin(bb_store *s, bb_error *err) BB_MUST_USE;
int bb_store_commit(bb_store *s, bb_error *err) BB_MUST_USE;
void bb_store_rollback(bb_store *s);
/* A read snapshot: the reads until bb_store_read_end see one state of the database and share one read
 * lock, which is cheaper than a lock per read (the 360 view reads a dozen times). No writes and no
 * bb_store_begin inside. Inside a transaction, both do nothing. */
int bb_store_read_begin(bb_store *s, bb_error *err) BB_MUST_USE;
void bb_store_read_end(bb_store *s);
/* Held read snapshots, for a server's reading connections: beginning and ending a snapshot was a
 * tenth of serving a stored view. After bb_store_read_hold(s, max_ms) (0: off, the default),
 * bb_store_read_end leaves the snapshot open, and the next bb_store_read_begin takes it again while
 * nothing has been committed since it began; reads outside a snapshot run in it too. On a handle opened
 * BB_STORE_MAPPED "nothing committed" is read from the WAL index's header, which every commit of every
 * process changes: exact. Elsewhere it means no commit through this process and younger than max_ms, so
 * another process's commit shows within max_ms. bb_store_read_settle ends a held snapshot that is no
 * longer fresh (call it before each request and now and then while idle: an open snapshot keeps SQLite
 * from checkpointing the WAL past it); bb_store_read_release ends it in any case (bb_store_begin does). */
void bb_store_read_hold(bb_store *s, int max_ms);
void bb_store_read_settle(bb_store *s);
void bb_store_read_release(bb_store *s);

/* Bulk loading (import, demo), switched on or off outside a transaction: the store stops checking
 * declared foreign keys row by row on this handle (its write path only ever writes references it has
 * just looked up or created in the same transaction, so nothing can break them), and gives the handle
 * a bigger page cache (256 MiB instead of 64 MiB: memory stays bounded). Other handles are not
 * affected. on = BB_STORE_BULK_LOAD also promises that nothing reads orders by customer or by time
 * until bulk mode ends: a load into an empty orders table then drops the indexes it does not read and
 * builds them when bulk mode is switched off (or, after a crash, when the database is next opened). */
enum { BB_STORE_BULK_LOAD = 2 };
int bb_store_bulk(bb_store *s, int on, bb_error *err) BB_MUST_USE;

typedef struct bb_store_status {
    char path[1024];
    int64_t size_bytes;
    int schema_version;
    int64_t customers, products, orders, order_lines, interactions, consents, survey_responses;
} bb_store_status;
int bb_store_status_get(bb_store *s, bb_store_status *out, bb_error *err) BB_MUST_USE;

/* ---- Writes. Each returns 0 and sets *result, or a negative code with err filled. ----
 * A put that fails with BB_EINVAL (bad input: a missing field, an email that is not one, ...) has
 * written nothing, and the caller's transaction goes on. Any other failure inside the caller's
 * transaction leaves it half-written: bb_store_commit then refuses and rolls back. Writes may wait in
 * memory until the next commit or read (the store flushes them first), so a failure to write them
 * can surface at bb_store_commit.
 *
 * Natural keys: customers by external id (or an identifier of id_kind), products by SKU, orders by
 * order id, lines by (order, line_no); interactions, consents and survey answers by their content.
 * An absent (NULL or empty) field keeps what is stored. An order put again with another customer
 * moves to that customer. */

typedef enum bb_put_result {
    BB_PUT_INSERTED = 1,
    BB_PUT_UPDATED = 2,
    BB_PUT_UNCHANGED = 3,
} bb_put_result;

/* An identifier of a customer in some system: kind "email", "phone", "card", "web", "till", ... */
typedef struct bb_ident {
    const char *kind;
    const char *value;
} bb_ident;

/* Customer references. A reference names a customer by its external id, or "kind:value" for an
 * identifier of that kind, or (unqualified) an email or phone number that is registered. id_kind, when
 * not NULL, says that unqualified references are identifiers of that kind (e.g. a till's customer
 * number). */
/* A customer record. Without id_kind, customer_id is the external id: a new one is a new customer
 * (even when its email is known: `customers duplicates` lists such pairs) and the record's values
 * replace the stored ones. With id_kind (another system's id, e.g. "till"), the customer is found by
 * that identifier, else by the record's email, else by its phone, and the identifier joins that
 * customer; such a record only fills the gaps of the profile (the profile belongs to the system of
 * the external id). Emails are stored lowercased, phones in E.164 form ("+905321234567"); both are
 * registered as identifiers unless another customer has them already. */
typedef struct bb_customer_rec {
    const char *customer_id; /* external id (required) */
    const char *id_kind;     /* NULL: customer_id is the external id; else an identifier kind */
    const char *first_name, *last_name, *email, *phone, *city;
    const char *birth_date; /* YYYY-MM-DD */
    const char *gender;
    int64_t created_at;            /* 0: unknown (now) */
    const char *attributes_json;   /* a JSON object of custom attributes, merged into the stored one */
    const bb_ident *idents;        /* more identifiers to attach */
    size_t n_idents;
} bb_customer_rec;

typedef struct bb_product_rec {
    const char *sku; /* required */
    const char *name, *category;
    int64_t price_minor, cost_minor;
    int has_price, has_cost;
    char currency[4]; /* "" = the store's default currency */
} bb_product_rec;

typedef struct bb_order_rec {
    const char *order_id;     /* required */
    const char *customer_ref; /* required */
    const char *id_kind;
    int64_t ordered_at;
    int64_t amount_minor; /* may be negative (a return) */
    int has_amount;       /* 0: computed from the lines */
    char currency[4];
    const char *channel;
} bb_order_rec;

/* An order line. When its order is new, the order is created for customer_ref at ordered_at, with
 * amount = the sum of its lines' totals (quantity * unit price, each rounded to minor units), kept up
 * to date as lines change; an order put with has_amount keeps its own amount. An order's margin is its
 * amount minus the sum of quantity * cost, known when every line's product has a cost. Lines of an
 * existing order ignore customer_ref, ordered_at and currency. */
typedef struct bb_order_line_rec {
    const char *order_id; /* required; the order is created when new */
    const char *customer_ref;
    const char *id_kind;
    int64_t ordered_at;
    const char *sku; /* the product is created (bare) when new */
    double quantity; /* negative for returns */
    int64_t unit_price_minor;
    char currency[4];
    int line_no; /* 1-based position of this line within its order in the source */
} bb_order_line_rec;

typedef struct bb_interaction_rec {
    const char *customer_ref;
    const char *id_kind;
    int64_t occurred_at;
    const char *channel;   /* email, sms, push, call, web, store, ... */
    const char *direction; /* "in" or "out" */
    const char *kind;      /* message, reply, complaint, visit, ... */
    const char *subject, *body;
} bb_interaction_rec;

typedef struct bb_consent_rec {
    const char *customer_ref;
    const char *id_kind;
    const char *channel; /* email, sms, call */
    const char *status;  /* granted, revoked */
    const char *source;
    int64_t recorded_at;
} bb_consent_rec;

typedef struct bb_survey_rec {
    const char *customer_ref;
    const char *id_kind;
    const char *survey; /* "nps", "csat", ... */
    int score;
    const char *comment;
    int64_t responded_at;
} bb_survey_rec;

/* Write options for one import or event batch. */
typedef struct bb_put_stats {
    int64_t customers_created; /* bare customers created for unknown references */
    int64_t products_created;  /* bare products created for unknown SKUs */
    int64_t orders_created;    /* orders created from their lines */
} bb_put_stats;

int bb_store_put_customer(bb_store *s, const bb_customer_rec *r, bb_put_result *result,
                          bb_put_stats *stats, bb_error *err) BB_MUST_USE;
int bb_store_put_product(bb_store *s, const bb_product_rec *r, bb_put_result *result,
                         bb_put_stats *stats, bb_error *err) BB_MUST_USE;
int bb_store_put_order(bb_store *s, const bb_order_rec *r, bb_put_result *result,
                       bb_put_stats *stats, bb_error *err) BB_MUST_USE;
int bb_store_put_order_line(bb_store *s, const bb_order_line_rec *r, bb_put_result *result,
                            bb_put_stats *stats, bb_error *err) BB_MUST_USE;
/* A hint that the next put will be this order line: the store may start fetching what it will look
 * at (a bulk load is bound by memory latency there). Changes nothing; any later put may differ. */
void bb_store_hint_order_line(bb_store *s, const bb_order_line_rec *r);
int bb_store_put_interaction(bb_store *s, const bb_interaction_rec *r, bb_put_result *result,
                             bb_put_stats *stats, bb_error *err) BB_MUST_USE;
int bb_store_put_consent(bb_store *s, const bb_consent_rec *r, bb_put_result *result,
                         bb_put_stats *stats, bb_error *err) BB_MUST_USE;
int bb_store_put_survey(bb_store *s, const bb_survey_rec *r, bb_put_result *result,
                        bb_put_stats *stats, bb_error *err) BB_MUST_USE;

/* Finds the customer a reference names; BB_ENOTFOUND when none. *id is the store's internal id (of
 * the customer it was merged into, when it was). With id_kind, ref is an identifier of that kind.
 * Without, ref is tried as an external id, then as "kind:value", then as an email, then as a phone
 * number when it is written like one (a leading 0 or +, or spaces, dashes, parentheses): a bare run of
 * digits is only ever an external id. Unknown references in puts create a bare customer: external id
 * ref (or "kind:value" with id_kind), with the email when ref is one. */
int bb_store_resolve(bb_store *s, const char *ref, const char *id_kind, int64_t *id,
                     bb_error *err) BB_MUST_USE;

/* ---- Reads. ----
 * Lists are delivered through callbacks with borrowed structs, valid only during the call. A callback
 * returns 0 to go on, a positive value to stop (the function then returns 0), or a negative BB_E*
 * code to stop with that code (err is left to the callback). Callbacks may call the store (reads or
 * writes). customer_id arguments are the store's internal ids (bb_store_resolve). */

/* One customer, owned by the caller: every string belongs to the struct and is freed by
 * bb_customer_release. Absent fields are NULL. */
typedef struct bb_customer {
    int64_t id;               /* the store's internal id */
    char *external_id;
    char *first_name, *last_name, *email, *phone, *city, *birth_date, *gender;
    char *attributes_json;    /* a JSON object, "{}" when there are none */
    int64_t created_at, updated_at;
    bb_ident *idents;         /* every identifier, the external id's (kind "id") included */
    size_t n_idents;
    char **merged_from;       /* external ids of the customers merged into this one */
    size_t n_merged_from;
} bb_customer;

/* The customer a reference names (merged-away customers lead to the one they were merged into).
 * BB_ENOTFOUND when none. Release *out with bb_customer_release, also after a failure. */
int bb_store_customer_get(bb_store *s, const char *ref, const char *id_kind, bb_customer *out,
                          bb_error *err) BB_MUST_USE;
int bb_store_customer_get_id(bb_store *s, int64_t customer_id, bb_customer *out,
                             bb_error *err) BB_MUST_USE;
void bb_customer_release(bb_customer *c); /* accepts NULL; leaves *c zeroed */

typedef struct bb_order_summary {
    int64_t count;                          /* orders, returns included */
    int64_t first_order_at, last_order_at;  /* 0 when there are none */
    int64_t revenue_minor;                  /* the sum of their amounts */
    int64_t margin_minor, margin_orders;    /* the sum of the known margins, over that many orders */
    char currency[4];                       /* the store's default currency */
} bb_order_summary;
int bb_store_order_summary(bb_store *s, int64_t customer_id, bb_order_summary *out,
                           bb_error *err) BB_MUST_USE;

typedef struct bb_order_line_view {
    int line_no;
    const char *sku, *product_name, *category; /* name and category NULL when unknown */
    double quantity;
    int64_t unit_price_minor, total_minor;     /* total: quantity * unit price, rounded */
} bb_order_line_view;

typedef struct bb_order_view {
    int64_t id;                 /* internal */
    const char *order_id;       /* the external order id */
    int64_t customer_id;
    const char *customer_ref;   /* the customer's external id */
    int64_t ordered_at;
    int64_t amount_minor;
    char currency[4];
    const char *channel;        /* NULL when unknown */
    int has_margin;
    int64_t margin_minor;
    int from_lines;             /* 1: the amount is the sum of the lines */
    const bb_order_line_view *lines; /* when lines were asked for; else NULL, n_lines 0 */
    size_t n_lines;
} bb_order_view;
typedef int (*bb_store_order_fn)(void *ctx, const bb_order_view *o);

/* A customer's orders, newest first, at most limit (0: all), with their lines when with_lines. */
int bb_store_customer_orders(bb_store *s, int64_t customer_id, size_t limit, int with_lines,
                             bb_store_order_fn fn, void *ctx, bb_error *err) BB_MUST_USE;

typedef struct bb_consent_view {
    int64_t id;
    const char *channel, *status, *source; /* source "" when not given */
    int64_t recorded_at;
    const char *recipient_type;            /* IYS: BIREYSEL or TACIR */
    const char *iys_status;                /* NULL until synchronised */
    int64_t iys_synced_at;                 /* 0 until synchronised */
} bb_consent_view;
typedef int (*bb_store_consent_fn)(void *ctx, const bb_consent_view *c);

/* A customer's consents, newest first: every record (current_only 0), or the latest per channel,
 * which is the current state (current_only 1; channels never recorded do not appear). */
int bb_store_customer_consents(bb_store *s, int64_t customer_id, int current_only,
                               bb_store_consent_fn fn, void *ctx, bb_error *err) BB_MUST_USE;

typedef struct bb_interaction_view {
    int64_t id, occurred_at;
    const char *channel, *direction, *kind, *subject, *body; /* subject, body NULL when absent */
    int has_sentiment;
    double sentiment;
} bb_interaction_view;
typedef int (*bb_store_interaction_fn)(void *ctx, const bb_interaction_view *i);
/* A customer's interactions, newest first, at most limit (0: all). */
int bb_store_customer_interactions(bb_store *s, int64_t customer_id, size_t limit,
                                   bb_store_interaction_fn fn, void *ctx, bb_error *err) BB_MUST_USE;

typedef struct bb_survey_view {
    int64_t id, responded_at;
    const char *survey, *comment; /* comment NULL when absent */
    int score;
} bb_survey_view;
typedef int (*bb_store_survey_fn)(void *ctx, const bb_survey_view *v);
/* A customer's survey answers, newest first, at most limit (0: all). */
int bb_store_customer_surveys(bb_store *s, int64_t customer_id, size_t limit, bb_store_survey_fn fn,
                              void *ctx, bb_error *err) BB_MUST_USE;

/* ---- Search ---- */

typedef struct bb_customer_hit {
    int64_t id;
    const char *external_id, *first_name, *last_name, *email, *phone, *city; /* NULL when absent */
    /* From the current scores (customer_score) and the orders; has_*: 0 when the customer has none. */
    const char *segment;          /* the RFM segment key, NULL when not scored */
    int has_clv, has_revenue;
    int64_t clv_minor, revenue_minor; /* the CLV and the revenue of all orders (returns subtract) */
    int64_t last_order_at;        /* the latest purchase (an order not a return), UTC seconds; 0: none */
    const char *currency;         /* of the amounts: the store's default currency */
} bb_customer_hit;
typedef int (*bb_store_hit_fn)(void *ctx, const bb_customer_hit *h);

enum { BB_STORE_CURSOR_MAX = 512 };

/* Customers whose names, email, phone, city or external id contain every word of query, compared
 * folded (Turkish rules, accents and case ignored: "isik" finds "IŞIK"; a phone number matches as
 * typed with or without +90 or 0), ordered by last name, first name (Turkish collation), then id;
 * merged-away customers are left out. An empty query lists everyone. At most limit hits (1..10000); cursor is NULL for the first
 * page, else the next_cursor of the page before. next_cursor (BB_STORE_CURSOR_MAX bytes) receives
 * the cursor of the next page, or "" when this was the last. */
int bb_store_search(bb_store *s, const char *query, size_t limit, const char *cursor,
                    bb_store_hit_fn fn, void *ctx, char *next_cursor, bb_error *err) BB_MUST_USE;

/* The customer list's orders. Each descending one puts the customers without the value last, by name. */
typedef enum bb_customer_sort {
    BB_SORT_NAME = 0,   /* last name, first name (Turkish collation), then id: the search's order */
    BB_SORT_CLV,        /* CLV, highest first, then id descending */
    BB_SORT_REVENUE,    /* revenue (customer_score.monetary_minor), highest first, then id descending */
    BB_SORT_LAST_ORDER, /* the latest purchase, latest first (ties: the later order id first) */
    BB_SORT_COUNT
} bb_customer_sort;
/* "name", "clv", "revenue", "last_order"; NULL past the end. */
const char *bb_customer_sort_name(bb_customer_sort sort);

typedef struct bb_customer_query {
    const char *q;       /* words, as bb_store_search takes them; NULL or "": everyone */
    const char *segment; /* only customers of this RFM segment (current scores); NULL: any */
    bb_customer_sort sort;
    size_t limit;        /* 1..10000 */
    const char *cursor;  /* NULL for the first page, else the next_cursor of the page before (of the
                            same sort: another's is BB_EINVAL) */
} bb_customer_query;

/* The customer list: bb_store_search with a segment filter and an order. Every page but the last holds
 * limit customers; paging has no cap and no OFFSET, and a customer shows once in a walk through the
 * pages (while nobody's sort value changes). */
int bb_store_customer_list(bb_store *s, const bb_customer_query *query, bb_store_hit_fn fn, void *ctx,
                           char *next_cursor, bb_error *err) BB_MUST_USE;

/* ---- Export: every row as the record its put takes, so an export imports back unchanged. ----
 * Customers come with their extra identifiers in idents (not the external id, email or phone they
 * carry already) and without id_kind; other records name their customer by its external id. */
typedef int (*bb_export_customer_fn)(void *ctx, const bb_customer_rec *r);
typedef int (*bb_export_product_fn)(void *ctx, const bb_product_rec *r);
typedef int (*bb_export_order_fn)(void *ctx, const bb_order_rec *r);
typedef int (*bb_export_order_line_fn)(void *ctx, const bb_order_line_rec *r);
typedef int (*bb_export_interaction_fn)(void *ctx, const bb_interaction_rec *r);
typedef int (*bb_export_consent_fn)(void *ctx, const bb_consent_rec *r);
typedef int (*bb_export_survey_fn)(void *ctx, const bb_survey_rec *r);
int bb_store_export_customers(bb_store *s, bb_export_customer_fn fn, void *ctx,
                              bb_error *err) BB_MUST_USE;
int bb_store_export_products(bb_store *s, bb_export_product_fn fn, void *ctx,
                             bb_error *err) BB_MUST_USE;
int bb_store_export_orders(bb_store *s, bb_export_order_fn fn, void *ctx, bb_error *err) BB_MUST_USE;
int bb_store_export_order_lines(bb_store *s, bb_export_order_line_fn fn, void *ctx,
                                bb_error *err) BB_MUST_USE;
int bb_store_export_interactions(bb_store *s, bb_export_interaction_fn fn, void *ctx,
                                 bb_error *err) BB_MUST_USE;
int bb_store_export_consents(bb_store *s, bb_export_consent_fn fn, void *ctx,
                             bb_error *err) BB_MUST_USE;
int bb_store_export_surveys(bb_store *s, bb_export_survey_fn fn, void *ctx,
                            bb_error *err) BB_MUST_USE;

/* ---- Orders as the value models read them ---- */

typedef struct bb_order_value {
    int64_t customer_id;      /* internal */
    const char *customer_ref; /* external id */
    int64_t ordered_at;
    int64_t amount_minor;
    int has_margin;
    int64_t margin_minor;
    const char *currency;     /* ISO 4217: amounts in two currencies cannot be added */
} bb_order_value;
typedef int (*bb_order_value_fn)(void *ctx, const bb_order_value *v);
/* Every order (customer_id 0) or one customer's, sorted by customer, then time, then order. */
int bb_store_order_values(bb_store *s, int64_t customer_id, bb_order_value_fn fn, void *ctx,
                          bb_error *err) BB_MUST_USE;

/* ---- Identity: merging duplicates ---- */

/* Folds customer `other` into `keep`: orders, interactions, consents, surveys, identifiers and
 * attributes move; `other` is kept as a tombstone pointing at `keep`, so its references still resolve.
 * The merge is recorded (who, when, what moved). */
typedef struct bb_merge_report {
    int64_t orders, interactions, consents, survey_responses, identifiers, attributes;
} bb_merge_report;
int bb_store_merge(bb_store *s, const char *keep_ref, const char *other_ref, const char *who,
                   bb_merge_report *report, bb_error *err) BB_MUST_USE;

/* A likely duplicate pair, a < b. */
typedef struct bb_duplicate {
    int64_t a, b;                 /* internal ids */
    const char *a_ref, *b_ref;    /* external ids */
    const char *a_name, *b_name;  /* "first last", "" when nameless */
    const char *reason;           /* "same email", "same phone", "similar names, same city", ... */
    double score;                 /* 0..1: how alike */
} bb_duplicate;
typedef int (*bb_store_duplicate_fn)(void *ctx, const bb_duplicate *d);
/* Likely duplicates among the customers (merged-away ones aside): the same normalised email, the same
 * normalised phone, then similar names (Jaro-Winkler >= 0.92 on folded names, compared within blocks
 * of the same folded last name and first initial, and not told apart by city, birth date, or an email
 * and a phone of their own each), best evidence first. At most limit pairs (0: all). */
int bb_store_duplicates(bb_store *s, size_t limit, bb_store_duplicate_fn fn, void *ctx,
                        bb_error *err) BB_MUST_USE;

#endif
