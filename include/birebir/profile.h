/* profile.h: the customer 360 view: one customer's profile (attributes, identifiers, who was merged
 * in), order summary, recent orders with their lines, consents (current per channel and history),
 * recent interactions and survey answers, as one JSON object. The CLI's `customers show --json` prints
 * it and the HTTP API serves it.
 *
 * Shape (absent values are null; times are ISO 8601 UTC; money is integer minor units + currency):
 *   {"customer": {"id", "internal_id", "first_name", "last_name", "email", "phone", "city",
 *                 "birth_date", "gender", "created_at", "updated_at", "attributes": {...},
 *                 "identifiers": [{"kind", "value"}], "merged_from": ["external id", ...]},
 *    "order_summary": {"count", "first_order_at", "last_order_at", "revenue_minor", "margin_minor",
 *                      "margin_orders", "currency"},
 *    "orders": [{"order_id", "ordered_at", "amount_minor", "currency", "channel", "margin_minor",
 *                "from_lines", "lines": [{"line_no", "sku", "name", "category", "quantity",
 *                                         "unit_price_minor", "total_minor"}]}],
 *    "consents": {"current": [{"channel", "status", "source", "recorded_at"}], "history": [...]},
 *    "interactions": [{"occurred_at", "channel", "direction", "kind", "subject", "body",
 *                      "sentiment"}],
 *    "survey_responses": [{"survey", "score", "comment", "responded_at"}],
 *    "scores": null | {"run_id", "updated_at", "currency", "rfm": {...}, "p_alive", "expected_purchases",
 *                      "expected_value_minor", "clv", "tier", "churn_risk"}}  (each score with its
 *              "meaning"; profile_scores.c, shape in docs/CLI.md)
 * Sections are built by a table in profile.c. Everything but the scores (the "body") may be stored
 * (store_view.h): a stored body is served with the scores spliced in at read time, so the text is the
 * same as a fresh render's by construction (both are body + scores). */
#ifndef BIREBIR_PROFILE_H
#define BIREBIR_PROFILE_H

#include <stddef.h>

#include <jansson.h>

#include "birebir/buf.h"
#include "birebir/error.h"
#include "birebir/store.h"

/* How much history the view carries; 0 takes the default in brackets. */
typedef struct bb_profile_opts {
    size_t orders;          /* the most recent orders [10] */
    size_t interactions;    /* the most recent interactions [20] */
    size_t surveys;         /* the most recent survey answers [20] */
    size_t consent_history; /* consent records, newest first [50] */
} bb_profile_opts;

/* The precision of reals in the views the HTTP API serves and the store keeps. */
enum { BB_PROFILE_PRECISION = 12 };

/* Builds the view of the customer ref names (see bb_store_resolve; id_kind may be NULL). opts may be
 * NULL. *out is a new JSON object owned by the caller (json_decref it); NULL on failure. BB_ENOTFOUND
 * when no customer has that reference. */
int bb_profile_json(bb_store *s, const char *ref, const char *id_kind, const bb_profile_opts *opts,
                    json_t **out, bb_error *err) BB_MUST_USE;

/* The same view as compact JSON text appended to out, reals with precision significant digits (the
 * server's answers use 12), without building a tree: what the HTTP API sends. */
int bb_profile_write(bb_store *s, const char *ref, const char *id_kind, const bb_profile_opts *opts, int precision,
                     bb_buf *out, bb_error *err) BB_MUST_USE;

/* The view with the default history and BB_PROFILE_PRECISION, as bb_profile_write would write it, appended
 * to out from the customer's stored body when there is one (one lookup; the scores spliced in), else
 * rendered. *missing is the customer's internal id when no body is stored (ask for one to be stored:
 * bb_profile_materialise), 0 when the stored one was used. BB_ENOTFOUND when no customer has that
 * reference. On failure out may hold part of a view. */
int bb_profile_write_stored(bb_store *s, const char *ref, const char *id_kind, bb_buf *out, int64_t *missing,
                            bb_error *err) BB_MUST_USE;

/* Stores the view bodies of the customers ids (internal ids) that have none, rendered from what this
 * transaction sees: call inside a write transaction (bb_store_begin). Ids of customers that do not
 * exist are skipped. *stored counts the bodies written. */
int bb_profile_materialise(bb_store *s, const int64_t *ids, size_t n, size_t *stored, bb_error *err) BB_MUST_USE;

#endif
