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

typedef struct bb_store_status {
    char path[1024];
    int64_t size_bytes;
    int schema_version;
    int64_t customers, products, orders, order_lines, interactions, consents, survey_responses;
} bb_store_status;
int bb_store_status_get(bb_store *s, bb_store_status *out, bb_error *err) BB_MUST_USE;

/* ---- Writes. Each returns 0 and sets *result, or a negative code with err filled. ---- */

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
int bb_store_put_interaction(bb_store *s, const bb_interaction_rec *r, bb_put_result *result,
                             bb_put_stats *stats, bb_error *err) BB_MUST_USE;
int bb_store_put_consent(bb_store *s, const bb_consent_rec *r, bb_put_result *result,
                         bb_put_stats *stats, bb_error *err) BB_MUST_USE;
int bb_store_put_survey(bb_store *s, const bb_survey_rec *r, bb_put_result *result,
                        bb_put_stats *stats, bb_error *err) BB_MUST_USE;

/* Finds the customer a reference names; BB_ENOTFOUND when none. *id is the store's internal id. */
int bb_store_resolve(bb_store *s, const char *ref, const char *id_kind, int64_t *id,
                     bb_error *err) BB_MUST_USE;

/* Folds customer `other` into `keep`: orders, interactions, consents, surveys, identifiers and
 * attributes move; `other` is kept as a tombstone pointing at `keep`, so its references still resolve.
 * The merge is recorded (who, when, what moved). */
typedef struct bb_merge_report {
    int64_t orders, interactions, consents, survey_responses, identifiers, attributes;
} bb_merge_report;
int bb_store_merge(bb_store *s, const char *keep_ref, const char *other_ref, const char *who,
                   bb_merge_report *report, bb_error *err) BB_MUST_USE;

#endif
