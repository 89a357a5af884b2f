/* store_view.h: the materialised customer 360 views (profile.h renders them; migration 0005): one row per
 * customer holding the view's JSON text up to its scores, and the order summary's currency the scores
 * are written in. A row exists only while it is current: the store deletes a customer's row in the same
 * transaction as any write that changes what the view shows (its profile, identifiers, orders and lines,
 * consents, interactions, survey answers, a merge; every row when a product changes). Scores are not
 * part of the row, so analyze and re-scoring leave the rows alone. */
#ifndef BIREBIR_STORE_VIEW_H
#define BIREBIR_STORE_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/buf.h"
#include "birebir/store.h"

/* Appends customer_id's stored view text to body and copies its currency ("" or 3 letters) to currency.
 * BB_ENOTFOUND when none is stored (body untouched). */
int bb_store_view_get(bb_store *s, int64_t customer_id, bb_buf *body, char currency[4], bb_error *err) BB_MUST_USE;

/* Stores customer_id's view (replacing one stored). Only inside a write transaction (bb_store_begin),
 * with text rendered from what that transaction sees: it is then current by construction. */
int bb_store_view_put(bb_store *s, int64_t customer_id, const char *currency, const char *body, size_t len,
                      bb_error *err) BB_MUST_USE;

/* Up to limit customers (not merged into another) that have no stored view, ids above after, ascending,
 * into ids; *n says how many. */
int bb_store_views_missing(bb_store *s, int64_t after, size_t limit, int64_t *ids, size_t *n,
                           bb_error *err) BB_MUST_USE;

/* Looks at up to look customers (not merged into another) with ids above after, ascending: those without
 * a stored view go into ids (room for look), *n of them; *last is the id of the last one looked at, after
 * itself when there is none above (the end). The work of one call is bounded by look, however many views
 * are stored (bb_store_views_missing walks until it finds limit missing). */
int bb_store_views_scan(bb_store *s, int64_t after, size_t look, int64_t *ids, size_t *n, int64_t *last,
                        bb_error *err) BB_MUST_USE;

/* How many views are stored, and how many customers (not merged) there are. */
int bb_store_views_count(bb_store *s, int64_t *views, int64_t *customers, bb_error *err) BB_MUST_USE;

#endif
