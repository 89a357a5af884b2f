/* sim.c: simulated customers from BG/NBD, Pareto/NBD and Gamma-Gamma, drawn with bb_rng (rng.h). */
#include "birebir/sim.h"

#include <math.h>

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
