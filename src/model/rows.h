/* rows.h: per-customer model inputs collapsed into distinct rows with weights (inside src/model/ only).
 * Customers with the same (x, a, b) (for the purchase models a = t_x, b = T) share one row whose weight
 * counts them, and rows are grouped by x so that everything that depends on x alone (log-gamma, digamma
 * terms) is computed once per group per likelihood evaluation. The a and b values are also numbered: row
 * i's a is vals[ia[i]] and its b is vals[ib[i]], so a model computes a function of them (ln(alpha + t))
 * once per distinct value rather than once per row. With day-resolution times there are a few hundred
 * distinct values for a million customers; with continuous times every row has its own two. */
#ifndef BB_MODEL_ROWS_H
#define BB_MODEL_ROWS_H

#include <stddef.h>
#include <stdint.h>

/* The largest x the models accept (the rows keep a table indexed by x). */
#define BB__MAX_X 100000000

typedef struct bb__rows {
    size_t n;        /* distinct rows, sorted by x */
    int32_t *x;
    double *a, *b;   /* t_x and T, or the mean value and 0 */
    double *w;       /* customers per row */
    uint32_t *ia, *ib; /* indexes of a and b in vals */
    double *vals;    /* the distinct a and b values (nvals of them) */
    size_t nvals;
    double *tab;     /* scratch for the models: 4 * nvals doubles (per-value tables of one evaluation) */
    size_t ngroups;  /* distinct x values, ascending */
    int32_t *gx;     /* x of group g */
    size_t *gstart;  /* group g is rows [gstart[g], gstart[g + 1]) */
    double *gw;      /* customers in group g */
    double total;    /* customers in all */
} bb__rows;

/* Builds rows from the input rows i = offset, offset + stride, ... (stride 1: all) for which keep is NULL
 * or keep[i] is nonzero. b may be NULL (taken as 0). Returns 0 or BB_ENOMEM. Release with
 * bb__rows_release. */
int bb__rows_build(bb__rows *out, const int32_t *x, const double *a, const double *b, const unsigned char *keep,
                   size_t n, size_t stride, size_t offset);
void bb__rows_release(bb__rows *r);

#endif
