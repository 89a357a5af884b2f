/* rfm.h: RFM scoring and segments. Recency, frequency and monetary value each get a 1-5 quintile score
 * (5 the best: the most recent, the most frequent, the highest spend), ties broken deterministically by
 * the other two measures and then by customer index. Segments come from a grid over (R, F) that is data:
 * a small JSON document a business can edit, with names in English and Turkish. The default grid is the
 * widely used disjoint one (Champions, Loyal Customers, ... Hibernating). */
#ifndef BIREBIR_RFM_H
#define BIREBIR_RFM_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "birebir/error.h"

#define BB_RFM_MAX_SEGMENTS 25

typedef struct bb_rfm_segment {
    char key[32];  /* "champions" */
    char en[64];   /* "Champions" */
    char tr[96];   /* "Şampiyonlar" */
    int r_lo, r_hi, f_lo, f_hi;
} bb_rfm_segment;

typedef struct bb_rfm_grid {
    size_t n;
    bb_rfm_segment seg[BB_RFM_MAX_SEGMENTS];
    signed char cell[5][5]; /* [r - 1][f - 1]: the segment's index */
} bb_rfm_grid;

/* The default grid as JSON text:
 *   {"segments": [{"key": "champions", "en": "Champions", "tr": "Şampiyonlar", "r": [5, 5], "f": [4, 5]},
 *                 ...]}
 * r and f are inclusive score ranges. */
const char *bb_rfm_grid_default_json(void);

/* Parses a grid. Every (R, F) cell must belong to exactly one segment; BB_EINVAL names the first cell or
 * field that is wrong. */
int bb_rfm_grid_parse(const char *json, bb_rfm_grid *g, bb_error *err) BB_MUST_USE;

/* A grid as the JSON object bb_rfm_grid_parse reads (new reference; NULL when out of memory). */
json_t *bb_rfm_grid_json(const bb_rfm_grid *g);

/* The segment index of scores (r, f), or -1 when they are not 1..5. */
int bb_rfm_segment_of(const bb_rfm_grid *g, int r, int f);

/* Quintile scores of n customers: r from recency_days (fewer days is better), f from frequency, m from
 * monetary. Each score is 5 - floor(5 rank / n), rank 0 the best. BB_ENOMEM. */
int bb_rfm_score(const double *recency_days, const double *frequency, const double *monetary, size_t n,
                 uint8_t *r, uint8_t *f, uint8_t *m, bb_error *err) BB_MUST_USE;

#endif
