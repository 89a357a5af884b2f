/* store_impl.h: the table of functions behind bb_store (store.h). A backend fills one bb__store_ops;
 * store.c dispatches to it. Internal to src/store/. */
#ifndef BB_STORE_IMPL_H
#define BB_STORE_IMPL_H

#include "birebir/store.h"

typedef struct bb__store_ops {
    const char *name; /* "sqlite", "postgresql" */
    void (*close)(bb_store *s);
    int (*schema_version)(bb_store *s);
    int (*begin)(bb_store *s, bb_error *err);
    int (*commit)(bb_store *s, bb_error *err);
    void (*rollback)(bb_store *s);
    int (*read_begin)(bb_store *s, bb_error *err);
    void (*read_end)(bb_store *s);
    void (*read_hold)(bb_store *s, int max_ms);
    void (*read_settle)(bb_store *s, int force); /* force 0: only a held snapshot no longer fresh */
    int (*bulk)(bb_store *s, int on, bb_error *err);
    int (*status)(bb_store *s, bb_store_status *out, bb_error *err);
    int (*put_customer)(bb_store *s, const bb_customer_rec *r, bb_put_result *res, bb_put_stats *st,
                        bb_error *err);
    int (*put_product)(bb_store *s, const bb_product_rec *r, bb_put_result *res, bb_put_stats *st,
                       bb_error *err);
    int (*put_order)(bb_store *s, const bb_order_rec *r, bb_put_result *res, bb_put_stats *st,
                     bb_error *err);
    int (*put_order_line)(bb_store *s, const bb_order_line_rec *r, bb_put_result *res,
                          bb_put_stats *st, bb_error *err);
    void (*hint_order_line)(bb_store *s, const bb_order_line_rec *r); /* may be NULL */
    int (*put_interaction)(bb_store *s, const bb_interaction_rec *r, bb_put_result *res,
                           bb_put_stats *st, bb_error *err);
    int (*put_consent)(bb_store *s, const bb_consent_rec *r, bb_put_result *res, bb_put_stats *st,
                       bb_error *err);
    int (*put_survey)(bb_store *s, const bb_survey_rec *r, bb_put_result *res, bb_put_stats *st,
                      bb_error *err);
    int (*resolve)(bb_store *s, const char *ref, const char *id_kind, int64_t *id, bb_error *err);
    int (*merge)(bb_store *s, const char *keep_ref, const char *other_ref, const char *who,
                 bb_merge_report *report, bb_error *err);
    int (*duplicates)(bb_store *s, size_t limit, bb_store_duplicate_fn fn, void *ctx, bb_error *err);
    /* reads */
    int (*customer_get_id)(bb_store *s, int64_t id, bb_customer *out, bb_error *err);
    int (*order_summary)(bb_store *s, int64_t customer_id, bb_order_summary *out, bb_error *err);
    int (*customer_orders)(bb_store *s, int64_t customer_id, size_t limit, int with_lines,
                           bb_store_order_fn fn, void *ctx, bb_error *err);
    int (*customer_consents)(bb_store *s, int64_t customer_id, int current_only,
                             bb_store_consent_fn fn, void *ctx, bb_error *err);
    int (*customer_interactions)(bb_store *s, int64_t customer_id, size_t limit,
                                 bb_store_interaction_fn fn, void *ctx, bb_error *err);
    int (*customer_surveys)(bb_store *s, int64_t customer_id, size_t limit, bb_store_survey_fn fn,
                            void *ctx, bb_error *err);
    int (*search)(bb_store *s, const bb_customer_query *query, bb_store_hit_fn fn, void *ctx,
                  char *next_cursor, bb_error *err);
    int (*order_values)(bb_store *s, int64_t customer_id, bb_order_value_fn fn, void *ctx,
                        bb_error *err);
    /* export */
    int (*export_customers)(bb_store *s, bb_export_customer_fn fn, void *ctx, bb_error *err);
    int (*export_products)(bb_store *s, bb_export_product_fn fn, void *ctx, bb_error *err);
    int (*export_orders)(bb_store *s, bb_export_order_fn fn, void *ctx, bb_error *err);
    int (*export_order_lines)(bb_store *s, bb_export_order_line_fn fn, void *ctx, bb_error *err);
    int (*export_interactions)(bb_store *s, bb_export_interaction_fn fn, void *ctx, bb_error *err);
    int (*export_consents)(bb_store *s, bb_export_consent_fn fn, void *ctx, bb_error *err);
    int (*export_surveys)(bb_store *s, bb_export_survey_fn fn, void *ctx, bb_error *err);
    /* The server's needs (store_auth.h, store_event.h): users, tokens, sessions, audit, events. */
    const struct bb__store_auth_ops *auth;
    /* The dashboard's reads of the whole base (store_value.h). */
    const struct bb__store_value_ops *value;
    /* The value models' runs and scores (store_score.h, store_score_impl.h). */
    const struct bb__store_score_ops *score;
    /* The materialised 360 views (store_view.h, store_view_impl.h). */
    const struct bb__store_view_ops *view;
} bb__store_ops;

/* Every backend's handle starts with this header. */
struct bb_store {
    const bb__store_ops *ops;
};

/* The SQLite backend (sqlite_db.c). */
int bb__sqlite_open(const char *path, int flags, bb_store **out, bb_error *err);

/* The embedded migrations (generated from src/store/schema/ by cmake/embed.cmake). */
typedef struct bb__embedded {
    const char *name;
    const unsigned char *data;
    size_t len;
} bb__embedded;
extern const bb__embedded bb__migrations[];

/* The SQLite backend's table for store_auth.h and store_event.h (sqlite_auth.c, store_auth_impl.h). */
extern const struct bb__store_auth_ops bb__sqlite_auth_ops;
/* The SQLite backend's table for store_value.h (sqlite_value.c, store_value_impl.h). */
extern const struct bb__store_value_ops bb__sqlite_value_ops;

#endif
