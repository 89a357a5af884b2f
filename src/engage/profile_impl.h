/* profile_impl.h: the sections of the customer 360 view kept in files of their own (inside
 * src/engage/). */
#ifndef BB_ENGAGE_PROFILE_IMPL_H
#define BB_ENGAGE_PROFILE_IMPL_H

#include <stdint.h>

#include "birebir/error.h"
#include "birebir/jsonw.h"
#include "birebir/store.h"

/* Writes the "scores" object of customer_id (profile_scores.c), or JSON null when it has none, as one
 * value into w. currency: the order summary's (the money values are in its minor units). */
int bb__profile_scores(bb_store *s, int64_t customer_id, const char *currency, bb_jsonw *w, bb_error *err);

#endif
