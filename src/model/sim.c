/* sim.c: xoshiro256** (Blackman & Vigna), gamma and beta variates, and simulated customers. */
#include "birebir/sim.h"

#include <math.h>

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void bb_rng_seed(bb_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) { /* splitmix64 */
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        r->s[i] = z ^ (z >> 31);
    }
}

uint64_t bb_rng_next(bb_rng *r)
{
    uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

double bb_rng_uniform(bb_rng *r)
{
    return ((double)(bb_rng_next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

double bb_rng_exponential(bb_rng *r, double rate)
{
    return -log(bb_rng_uniform(r)) / rate;
}

double bb_rng_normal(bb_rng *r)
{
    for (;;) { /* Marsaglia's polar method */
        double u = 2.0 * bb_rng_uniform(r) - 1.0, v = 2.0 * bb_rng_uniform(r) - 1.0, s = u * u + v * v;
        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * log(s) / s);
    }
}

double bb_rng_gamma(bb_rng *r, double shape, double rate)
{
    if (shape < 1.0) {
        double u = bb_rng_uniform(r);
        return bb_rng_gamma(r, shape + 1.0, rate) * pow(u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double z = bb_rng_normal(r), v = 1.0 + c * z;
        if (v <= 0.0)
            continue;
        v = v * v * v;
        double u = bb_rng_uniform(r);
        if (log(u) < 0.5 * z * z + d - d * v + d * log(v))
            return d * v / rate;
    }
}

double bb_rng_beta(bb_rng *r, double a, double b)
{
    double x = bb_rng_gamma(r, a, 1.0), y = bb_rng_gamma(r, b, 1.0);
    return x / (x + y);
}

void bb_sim_bgnbd(const double *p, const double *T, size_t n, uint64_t seed, int32_t *x, double *t_x)
{
    bb_rng g;
    bb_rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        double lam = bb_rng_gamma(&g, p[0], p[1]), drop = bb_rng_beta(&g, p[2], p[3]), t = 0.0;
        x[i] = 0;
        t_x[i] = 0.0;
        for (;;) {
            t += bb_rng_exponential(&g, lam);
            if (t > T[i])
                break;
            x[i]++;
            t_x[i] = t;
            if (bb_rng_uniform(&g) < drop)
                break;
        }
    }
}

void bb_sim_pnbd(const double *p, const double *T, size_t n, uint64_t seed, int32_t *x, double *t_x)
{
    bb_rng g;
    bb_rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        double lam = bb_rng_gamma(&g, p[0], p[1]), mu = bb_rng_gamma(&g, p[2], p[3]);
        double end = bb_rng_exponential(&g, mu), t = 0.0;
        if (end > T[i])
            end = T[i];
        x[i] = 0;
        t_x[i] = 0.0;
        for (;;) {
            t += bb_rng_exponential(&g, lam);
            if (t > end)
                break;
            x[i]++;
            t_x[i] = t;
        }
    }
}

void bb_sim_gammagamma(const double *p, const int32_t *x, size_t n, uint64_t seed, double *mean_value)
{
    bb_rng g;
    bb_rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        double nu = bb_rng_gamma(&g, p[1], p[2]);
        /* the mean of x Gamma(p, nu) values is Gamma(p x, x nu) */
        mean_value[i] = x[i] > 0 ? bb_rng_gamma(&g, p[0] * x[i], nu * x[i]) : 0.0;
    }
}
