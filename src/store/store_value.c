/* store_value.c: the public functions of store_value.h: arguments checked, then the backend's table
 * (bb__store_ops.value). */
#include "store/store_value_impl.h"

int bb_store_overview_get(bb_store *s, int64_t as_of, int64_t active_days, bb_store_overview *out,
                          bb_error *err)
{
    if (active_days < 1)
        return bb_error_set(err, BB_EINVAL, "the active window must be at least 1 day, not %lld",
                            (long long)active_days);
    return s->ops->value->overview(s, as_of, active_days, out, err);
}

int bb_store_clv_values(bb_store *s, bb_store_clv_fn fn, void *ctx, bb_error *err)
{
    return s->ops->value->clv_values(s, fn, ctx, err);
}

int bb_store_data_version(bb_store *s, bb_store_version *out, bb_error *err)
{
    return s->ops->value->data_version(s, out, err);
}
