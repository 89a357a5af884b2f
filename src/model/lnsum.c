/* lnsum.c: moments of 1/(c + v) for sums of ln(g + v) near a centre c (see lnsum.h). The moments are
 * accumulated with the powers of 1/(c + v) built by repeated multiplication; the series is summed from
 * the first term, whose magnitudes fall geometrically (ratio at most BB__LNSUM_RHO). */
#include "model/lnsum.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ln 2 in two parts (as fdlibm): LN2_HI has 32 significant bits, so e * LN2_HI is exact for |e| < 2^21 */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10

/* x86-64 with GCC: an AVX2 copy of the vector loops beside the baseline one, chosen when the program
 * loads (same results: the same operations lane by lane, no fused multiply-add under ISO C) */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define BB__LNSUM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define BB__LNSUM_CLONES
#endif

/* (the vector types are declared below, with bb__lnsum_center) */
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));

BB__LNSUM_CLONES double bb__sum_log(const double *v, size_t n, double c)
{
    v4d p = {1.0, 1.0, 1.0, 1.0};
    v4i e = {0, 0, 0, 0};
    const v4i mant = {0x000fffffffffffffLL, 0x000fffffffffffffLL, 0x000fffffffffffffLL, 0x000fffffffffffffLL};
    const v4i one = {0x3ff0000000000000LL, 0x3ff0000000000000LL, 0x3ff0000000000000LL, 0x3ff0000000000000LL};
    const v4i bias = {1023, 1023, 1023, 1023};
    double slow = 0.0;
    for (size_t i = 0; i < n; i += 4) {
        v4d u = {1.0, 1.0, 1.0, 1.0};
        if (i + 4 <= n) {
            memcpy(&u, v + i, sizeof u);
            u += c;
        } else {
            for (size_t l = 0; i + l < n; l++)
                u[l] = c + v[i + l];
        }
        /* far from 1 the product could leave the normal range: those few terms take a log */
        v4i ok = (u >= 0x1p-1000) & (u <= 0x1p1000);
        if (!(ok[0] & ok[1] & ok[2] & ok[3]))
            for (int l = 0; l < 4; l++)
                if (!ok[l]) {
                    slow += log(u[l]);
                    u[l] = 1.0;
                }
        v4i b = (v4i)(p * u);
        e += ((b >> 52) & 0x7ff) - bias;
        p = (v4d)((b & mant) | one);
    }
    double lp = (log(p[0]) + log(p[1])) + (log(p[2]) + log(p[3]));
    double et = (double)((e[0] + e[1]) + (e[2] + e[3]));
    return et * LN2_HI + (lp + et * LN2_LO) + slow;
}

/* Four values at a time in GCC's generic vectors (SSE2 pairs, or one AVX register when the CPU has it):
 * each lane keeps its own sums, added in a fixed order at the end, so the result is the same whichever
 * instructions run. */
BB__LNSUM_CLONES void bb__lnsum_center(bb__lnsum *s, const double *v, size_t n, double c)
{
    v4d P[BB__LNSUM_K], vm = {INFINITY, INFINITY, INFINITY, INFINITY};
    double Q[BB__LNSUM_K] = {0}, vmin = INFINITY;
    size_t i = 0;
    memset(P, 0, sizeof P);
    for (; i + 4 <= n; i += 4) {
        v4d x, inv, t;
        memcpy(&x, v + i, sizeof x);
        v4i lt = x < vm;
        vm = (v4d)(((v4i)x & lt) | ((v4i)vm & ~lt));
        inv = 1.0 / (c + x);
        t = inv;
        for (int k = 0; k < BB__LNSUM_K; k++) {
            P[k] += t;
            t *= inv;
        }
    }
    for (; i < n; i++) {
        double inv = 1.0 / (c + v[i]), t = inv;
        vmin = v[i] < vmin ? v[i] : vmin;
        for (int k = 0; k < BB__LNSUM_K; k++) {
            Q[k] += t;
            t *= inv;
        }
    }
    for (int l = 0; l < 4; l++)
        vmin = vm[l] < vmin ? vm[l] : vmin;
    s->c = c;
    s->vmin = n ? vmin : 0.0;
    s->n = (double)n;
    s->L0 = bb__sum_log(v, n, c);
    for (int k = 0; k < BB__LNSUM_K; k++)
        s->P[k] = ((P[k][0] + P[k][1]) + (P[k][2] + P[k][3])) + Q[k];
}

int bb__lnsum_eval(const bb__lnsum *s, double g, double *sl, double *si)
{
    double d = g - s->c;
    if (!(fabs(d) <= BB__LNSUM_RHO * (s->c + s->vmin)))
        return -1;
    /* sl: sum_k (-1)^(k+1) d^k P_k / k;  si: sum_k (-d)^(k-1) P_k */
    double dk = 1.0, a = 0.0, b = 0.0;
    for (int k = 1; k <= BB__LNSUM_K; k++) {
        b += dk * s->P[k - 1];
        dk *= -d;
        a -= dk * s->P[k - 1] / k;
    }
    *sl = s->L0 + a;
    *si = b;
    return 0;
}
