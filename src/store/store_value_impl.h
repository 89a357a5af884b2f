/* store_value_impl.h: the table of functions behind store_value.h, hung off bb__store_ops.value.
 * Internal to src/store/. */
#ifndef BB_STORE_VALUE_IMPL_H
#define BB_STORE_VALUE_IMPL_H

#include "birebir/store_value.h"
#include "store/store_impl.h"

typedef struct bb__store_value_ops {
    int (*overview)(bb_store *s, int64_t as_of, int64_t active_days, bb_store_overview *out, bb_error *err);
    int (*clv_values)(bb_store *s, bb_store_clv_fn fn, void *ctx, bb_error *err);
    int (*data_version)(bb_store *s, bb_store_version *out, bb_error *err);
} bb__store_value_ops;

#endif
