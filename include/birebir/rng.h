/* rng.h: bb_rng, the one deterministic pseudo-random generator of libbirebir (xoshiro256**, seeded
 * through splitmix64) and the distributions the demo business and the model simulations (sim.h) draw
 * from: uniform, exponential, normal, gamma, beta, Poisson and weighted choice. The same seed gives the
 * same stream on every machine with IEEE doubles and the same libm; nothing reads the clock or a
 * process-wide state. Not for anything secret. */
#ifndef BIREBIR_RNG_H
#define BIREBIR_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct bb_rng {
    uint64_t s[4];
} bb_rng;

/* One step of splitmix64: advances *state and returns the next output (used to seed and to hash). */
uint64_t bb_rng_splitmix64(uint64_t *state);

/* Seeds from one 64-bit value (any value, 0 included). */
void bb_rng_seed(bb_rng *g, uint64_t seed);
/* Seeds an independent stream for (seed, stream): e.g. one per customer, so customer i's draws do not
 * depend on how many draws customer i-1 made. */
void bb_rng_seed_stream(bb_rng *g, uint64_t seed, uint64_t stream);

/* The next 64 random bits. */
uint64_t bb_rng_next(bb_rng *g);
/* Uniform on (0, 1), never 0 or 1 (53 random bits, centred in their interval): safe to take the log
 * of, and u < p is true with probability p. */
double bb_rng_uniform(bb_rng *g);
/* Uniform integer on [0, n), without modulo bias; 0 when n == 0. */
uint64_t bb_rng_below(bb_rng *g, uint64_t n);
/* 1 with probability p, else 0. */
int bb_rng_chance(bb_rng *g, double p);

/* Exponential with the given rate (mean 1/rate), rate > 0. */
double bb_rng_exponential(bb_rng *g, double rate);
/* Standard normal (polar method). */
double bb_rng_normal(bb_rng *g);
/* Gamma with shape k > 0 and rate theta > 0 (mean k/theta), Marsaglia and Tsang (2000); shapes below 1
 * through the boost G(k) = G(k+1) U^(1/k). */
double bb_rng_gamma(bb_rng *g, double shape, double rate);
/* Beta(a, b), a, b > 0, as X/(X+Y) of two gammas. */
double bb_rng_beta(bb_rng *g, double a, double b);
/* Poisson with mean mu >= 0 (inversion for small mu, normal approximation past 500). */
uint64_t bb_rng_poisson(bb_rng *g, double mu);

/* Index i in [0, n) chosen with probability w[i] / sum(w); w[i] >= 0 and sum > 0. Linear in n: for
 * short tables. For long ones, keep a cumulative table and use bb_rng_pick_cumulative. */
size_t bb_rng_pick(bb_rng *g, const double *w, size_t n);
/* Index i in [0, n) with probability (cum[i] - cum[i-1]) / cum[n-1], cum non-decreasing, cum[n-1] > 0.
 * Binary search. */
size_t bb_rng_pick_cumulative(bb_rng *g, const double *cum, size_t n);

#endif
