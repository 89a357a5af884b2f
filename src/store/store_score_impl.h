/* store_score_impl.h: the table of functions behind store_score.h, hung off bb__store_ops.score.
 * Internal to src/store/. */
#ifndef BB_STORE_SCORE_IMPL_H
#define BB_STORE_SCORE_IMPL_H

#include "birebir/store_score.h"
#include "store/store_impl.h"

typedef struct bb__store_score_ops {
    int (*run_add)(bb_store *s, const bb_model_run_rec *r, int64_t *id, bb_error *err);
    int (*run_current)(bb_store *s, const char *model, bb_model_run *out, bb_error *err);
    int (*runs)(bb_store *s, const char *model, size_t limit, bb_store_model_run_fn fn, void *ctx, bb_error *err);
    int (*order_span)(bb_store *s, int64_t *first, int64_t *last, int64_t *count, bb_error *err);
    int (*scores_put)(bb_store *s, const bb_score *v, size_t n, bb_error *err);
    int (*scores_prune)(bb_store *s, int64_t run_id, int64_t *deleted, bb_error *err);
    int (*score_get)(bb_store *s, int64_t customer_id, bb_score *out, bb_error *err);
    int (*segments)(bb_store *s, bb_store_segment_fn fn, void *ctx, bb_error *err);
    int (*top)(bb_store *s, size_t limit, bb_store_top_fn fn, void *ctx, bb_error *err);
    int (*totals)(bb_store *s, bb_score_totals *out, bb_error *err);
} bb__store_score_ops;

/* The SQLite backend's table (sqlite_score.c). */
extern const bb__store_score_ops bb__sqlite_score_ops;

#endif
