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

double bb__sum_log(const double *v, size_t n, double c)
{
    double p[4] = {1.0, 1.0, 1.0, 1.0}, slow = 0.0;
    int64_t e[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i < n; i += 4) {
        for (int l = 0; l < 4; l++) {
            double u = i + l < n ? c + v[i + l] : 1.0;
            /* far from 1 the product could leave the normal range: those few terms take a log */
            int odd = !(u >= 0x1p-1000 && u <= 0x1p1000);
            slow += odd ? log(u) : 0.0;
            double q = p[l] * (odd ? 1.0 : u);
            uint64_t b;
            memcpy(&b, &q, sizeof b);
            e[l] += (int64_t)(b >> 52) - 1023;
            b = (b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
            memcpy(&p[l], &b, sizeof b);
        }
    }
    double lp = (log(p[0]) + log(p[1])) + (log(p[2]) + log(p[3]));
    double et = (double)((e[0] + e[1]) + (e[2] + e[3]));
    return et * LN2_HI + (lp + et * LN2_LO) + slow;
}

void bb__lnsum_center(bb__lnsum *s, const double *v, size_t n, double c)
{
    /* four interleaved lanes with their own sums: independent chains the compiler can put side by side
     * in vector registers; the order of the additions is fixed, so the result does not depend on it */
    double P[BB__LNSUM_K][4] = {{0}}, vmin = INFINITY;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        double inv[4], t[4];
        for (int l = 0; l < 4; l++) {
            double u = c + v[i + l];
            inv[l] = 1.0 / u;
            t[l] = inv[l];
            vmin = v[i + l] < vmin ? v[i + l] : vmin;
        }
        for (int k = 0; k < BB__LNSUM_K; k++)
            for (int l = 0; l < 4; l++) {
                P[k][l] += t[l];
                t[l] *= inv[l];
            }
    }
    for (; i < n; i++) {
        double u = c + v[i], inv = 1.0 / u, t = inv;
        vmin = v[i] < vmin ? v[i] : vmin;
        for (int k = 0; k < BB__LNSUM_K; k++) {
            P[k][0] += t;
            t *= inv;
        }
    }
    s->c = c;
    s->vmin = n ? vmin : 0.0;
    s->n = (double)n;
    s->L0 = bb__sum_log(v, n, c);
    for (int k = 0; k < BB__LNSUM_K; k++)
        s->P[k] = (P[k][0] + P[k][1]) + (P[k][2] + P[k][3]);
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
