/* store_view_impl.h: the table of functions behind store_view.h, hung off bb__store_ops.view.
 * Internal to src/store/. */
#ifndef BB_STORE_VIEW_IMPL_H
#define BB_STORE_VIEW_IMPL_H

#include "birebir/store_view.h"
#include "store/store_impl.h"

typedef struct bb__store_view_ops {
    int (*get)(bb_store *s, int64_t customer_id, bb_buf *body, char currency[4], bb_error *err);
    int (*put)(bb_store *s, int64_t customer_id, const char *currency, const char *body, size_t len, bb_error *err);
    int (*missing)(bb_store *s, int64_t after, size_t limit, int64_t *ids, size_t *n, bb_error *err);
    int (*count)(bb_store *s, int64_t *views, int64_t *customers, bb_error *err);
    int (*scan)(bb_store *s, int64_t after, size_t look, int64_t *ids, size_t *n, int64_t *last, bb_error *err);
} bb__store_view_ops;

/* The SQLite backend's table (sqlite_view.c). */
extern const bb__store_view_ops bb__sqlite_view_ops;

#endif
