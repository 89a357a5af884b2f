/* rng.c: bb_rng, xoshiro256** (Blackman and Vigna) seeded by splitmix64, and its distributions. */
#include "birebir/rng.h"

#include <math.h>

uint64_t bb_rng_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void bb_rng_seed(bb_rng *g, uint64_t seed)
{
    uint64_t st = seed;
    for (int i = 0; i < 4; i++)
        g->s[i] = bb_rng_splitmix64(&st);
}

void bb_rng_seed_stream(bb_rng *g, uint64_t seed, uint64_t stream)
{
    uint64_t st = stream;
    /* Hash the stream number, then mix it with the seed, so (seed, i) and (seed + 1, i - 1) differ. */
    bb_rng_seed(g, seed ^ bb_rng_splitmix64(&st));
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t bb_rng_next(bb_rng *g)
{
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double bb_rng_uniform(bb_rng *g)
{
    return ((double)(bb_rng_next(g) >> 11) + 0.5) * 0x1.0p-53;
}

uint64_t bb_rng_below(bb_rng *g, uint64_t n)
{
    uint64_t x, limit;
    if (n == 0)
        return 0;
    /* Reject the top sliver that would make x % n uneven. */
    limit = UINT64_MAX - UINT64_MAX % n;
    do
        x = bb_rng_next(g);
    while (x >= limit);
    return x % n;
}

int bb_rng_chance(bb_rng *g, double p)
{
    return bb_rng_uniform(g) < p;
}

double bb_rng_exponential(bb_rng *g, double rate)
{
    return -log(bb_rng_uniform(g)) / rate;
}

double bb_rng_normal(bb_rng *g)
{
    double u, v, s;
    do {
        u = 2.0 * bb_rng_uniform(g) - 1.0;
        v = 2.0 * bb_rng_uniform(g) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    /* The second deviate (v * factor) is dropped: keeping it would need state in bb_rng. */
    return u * sqrt(-2.0 * log(s) / s);
}

double bb_rng_gamma(bb_rng *g, double shape, double rate)
{
    double d, c, x, v, u, boost = 1.0;
    if (shape < 1.0) {
        boost = pow(bb_rng_uniform(g), 1.0 / shape);
        shape += 1.0;
    }
    d = shape - 1.0 / 3.0;
    c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        do {
            x = bb_rng_normal(g);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        u = bb_rng_uniform(g);
        if (u < 1.0 - 0.0331 * x * x * x * x)
            break;
        if (log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
            break;
    }
    return d * v / rate * boost;
}

double bb_rng_beta(bb_rng *g, double a, double b)
{
    double x = bb_rng_gamma(g, a, 1.0), y = bb_rng_gamma(g, b, 1.0);
    if (x + y <= 0.0) /* both underflowed (tiny shapes): the limit is a coin with odds a : b */
        return bb_rng_uniform(g) < a / (a + b) ? 1.0 : 0.0;
    return x / (x + y);
}

uint64_t bb_rng_poisson(bb_rng *g, double mu)
{
    if (mu <= 0.0)
        return 0;
    if (mu > 500.0) {
        double x = floor(mu + sqrt(mu) * bb_rng_normal(g) + 0.5);
        return x < 0.0 ? 0 : (uint64_t)x;
    }
    /* Inversion by sequential search: fine for the small means used here. */
    double p = exp(-mu), cum = p, u = bb_rng_uniform(g);
    uint64_t k = 0;
    while (u > cum && k < 10000) {
        k++;
        p *= mu / (double)k;
        cum += p;
        if (p < 1e-300)
            break;
    }
    return k;
}

size_t bb_rng_pick(bb_rng *g, const double *w, size_t n)
{
    double total = 0.0, u;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    u = bb_rng_uniform(g) * total;
    for (size_t i = 0; i < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    /* Rounding left u just past the end: the last index with weight. */
    for (size_t i = n; i-- > 0;)
        if (w[i] > 0.0)
            return i;
    return 0;
}

size_t bb_rng_pick_cumulative(bb_rng *g, const double *cum, size_t n)
{
    double u = bb_rng_uniform(g) * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
