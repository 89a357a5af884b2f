/* profile_impl.h: the sections of the customer 360 view kept in files of their own (inside
 * src/engage/). */
#ifndef BB_ENGAGE_PROFILE_IMPL_H
#define BB_ENGAGE_PROFILE_IMPL_H

#include <stdint.h>

#include <jansson.h>

#include "birebir/error.h"
#include "birebir/store.h"

/* The "scores" object of customer_id (profile_scores.c), or JSON null when it has none. currency: the
 * store's (for the money values, in minor units). *out is a new reference. */
int bb__profile_scores(bb_store *s, int64_t customer_id, const char *currency, json_t **out, bb_error *err);

#endif
