/* store_score.c: the public functions of store_score.h: argument checks, then the backend's table
 * (bb__store_ops.score). */
#include <stdlib.h>
#include <string.h>

#include "store/store_score_impl.h"

#define OPS(s) ((s)->ops->score)

void bb_model_run_release(bb_model_run *r)
{
    if (!r)
        return;
    free(r->model);
    free(r->params_json);
    free(r->fit_json);
    free(r->status);
    memset(r, 0, sizeof *r);
}

int bb_store_model_run_add(bb_store *s, const bb_model_run_rec *r, int64_t *id, bb_error *err)
{
    if (!r->model || !*r->model || strlen(r->model) > 32)
        return bb_error_set(err, BB_EINVAL, "a model run needs a model name of 1 to 32 bytes");
    return OPS(s)->run_add(s, r, id, err);
}

int bb_store_model_run_current(bb_store *s, const char *model, bb_model_run *out, bb_error *err)
{
    memset(out, 0, sizeof *out);
    if (!model || !*model)
        return bb_error_set(err, BB_EINVAL, "which model's current run?");
    return OPS(s)->run_current(s, model, out, err);
}

int bb_store_model_runs(bb_store *s, const char *model, size_t limit, bb_store_model_run_fn fn, void *ctx,
                        bb_error *err)
{
    return OPS(s)->runs(s, model, limit, fn, ctx, err);
}

int bb_store_order_span(bb_store *s, int64_t *first, int64_t *last, int64_t *count, bb_error *err)
{
    return OPS(s)->order_span(s, first, last, count, err);
}

int bb_store_scores_put(bb_store *s, const bb_score *scores, size_t n, bb_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const bb_score *c = &scores[i];
        if (c->customer_id <= 0)
            return bb_error_set(err, BB_EINVAL, "score %zu: no customer", i + 1);
        if (c->has_model && c->churn_risk[0] && strcmp(c->churn_risk, "low") != 0 &&
            strcmp(c->churn_risk, "medium") != 0 && strcmp(c->churn_risk, "high") != 0)
            return bb_error_set(err, BB_EINVAL, "score %zu: churn risk \"%s\" is not low, medium or high", i + 1,
                                c->churn_risk);
    }
    return n ? OPS(s)->scores_put(s, scores, n, err) : 0;
}

int bb_store_scores_prune(bb_store *s, int64_t run_id, int64_t *deleted, bb_error *err)
{
    int64_t n = 0;
    int rc = OPS(s)->scores_prune(s, run_id, &n, err);
    if (deleted)
        *deleted = n;
    return rc;
}

int bb_store_score_get(bb_store *s, int64_t customer_id, bb_score *out, bb_error *err)
{
    return OPS(s)->score_get(s, customer_id, out, err);
}

int bb_store_score_segments(bb_store *s, bb_store_segment_fn fn, void *ctx, bb_error *err)
{
    return OPS(s)->segments(s, fn, ctx, err);
}

int bb_store_score_top(bb_store *s, size_t limit, bb_store_top_fn fn, void *ctx, bb_error *err)
{
    return OPS(s)->top(s, limit, fn, ctx, err);
}

int bb_store_score_totals(bb_store *s, bb_score_totals *out, bb_error *err)
{
    return OPS(s)->totals(s, out, err);
}
