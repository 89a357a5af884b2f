/* sim.h: simulating customers from the value models, for tests, benchmarks and demos: a small
 * deterministic random generator (xoshiro256**, seeded by splitmix64) with gamma and beta variates, and
 * per-customer draws of (x, t_x) from BG/NBD or Pareto/NBD and of mean repeat values from Gamma-Gamma.
 * The same seed gives the same customers on every machine that has IEEE doubles and the same libm. */
#ifndef BIREBIR_SIM_H
#define BIREBIR_SIM_H

#include <stddef.h>
#include <stdint.h>

typedef struct bb_rng {
    uint64_t s[4];
} bb_rng;

void bb_rng_seed(bb_rng *r, uint64_t seed);
uint64_t bb_rng_next(bb_rng *r);
/* Uniform on (0, 1): never 0 or 1. */
double bb_rng_uniform(bb_rng *r);
double bb_rng_exponential(bb_rng *r, double rate);
double bb_rng_normal(bb_rng *r);
/* Gamma with the given shape and rate (mean shape / rate); Marsaglia & Tsang (2000). */
double bb_rng_gamma(bb_rng *r, double shape, double rate);
double bb_rng_beta(bb_rng *r, double a, double b);

/* Draws n customers observed for T[i] each: x[i] repeat purchases, t_x[i] the time of the last (0 when
 * none). params as in bgnbd.h / pnbd.h. */
void bb_sim_bgnbd(const double *params, const double *T, size_t n, uint64_t seed, int32_t *x, double *t_x);
void bb_sim_pnbd(const double *params, const double *T, size_t n, uint64_t seed, int32_t *x, double *t_x);
/* Draws the mean of x[i] transaction values of each customer (0 when x[i] = 0); params {p, q, gamma}. */
void bb_sim_gammagamma(const double *params, const int32_t *x, size_t n, uint64_t seed, double *mean_value);

#endif
