/* lnsum.h: sums over fixed v_i >= 0 of ln(g + v_i) and 1/(g + v_i) as functions of g > 0, by the moments
 * of 1/(c + v_i) about a centre c (inside src/model/ only). One pass over the v_i at c gives both sums for
 * any g with |g - c| <= BB__LNSUM_RHO (c + min v) to double precision in O(BB__LNSUM_K) operations:
 *   sum ln(g + v)  = sum ln(c + v) + sum_k (-1)^(k+1) d^k P_k / k,   d = g - c,  P_k = sum (c + v)^-k,
 *   sum 1/(g + v)  = sum_k (-d)^(k-1) P_k,
 * (the Taylor series of ln(1 + d / (c + v)), whose terms fall at least as fast as RHO^k). A likelihood
 * that depends on its data only through such sums then costs one pass over the data per centre instead of
 * one per evaluation. */
#ifndef BB_MODEL_LNSUM_H
#define BB_MODEL_LNSUM_H

#include <stddef.h>

#define BB__LNSUM_K 16     /* terms kept: RHO^17 / 17 < 1e-18 */
#define BB__LNSUM_RHO 0.1  /* the radius of use, relative to c + min v */

typedef struct bb__lnsum {
    double c, vmin, n;     /* centre, smallest v, how many v */
    double L0;             /* sum ln(c + v) */
    double P[BB__LNSUM_K]; /* P[k-1] = sum (c + v)^-k */
} bb__lnsum;

/* Computes the moments of v[0 .. n) (all v >= 0, finite) at centre c > 0. */
void bb__lnsum_center(bb__lnsum *s, const double *v, size_t n, double c);
/* sum over i of ln(c + v[i]) (c >= 0, c + v[i] > 0 and finite) without a logarithm per term: running
 * products kept in [1, 2) by moving their binary exponent into an integer, one logarithm per lane at the
 * end. Each product rounds once (2^-53 relative), so the error is that of summing n logarithms. */
double bb__sum_log(const double *v, size_t n, double c);
/* sum ln(g + v) into *sl and sum 1/(g + v) into *si; 0, or -1 (nothing written) when g is outside the
 * radius of the moments (centre them again at g). */
int bb__lnsum_eval(const bb__lnsum *s, double g, double *sl, double *si);

#endif
