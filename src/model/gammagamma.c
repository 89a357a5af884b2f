/* gammagamma.c: the Gamma-Gamma spend model: log-likelihood and analytic gradient over collapsed
 * (x, mean value) rows, the fit, and the conditional expected transaction value.
 *
 * Per customer, ln f = ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q) + q ln gamma + (px-1) ln m + px ln x
 *                      - (px+q) ln(gamma + x m). */
#include "birebir/gammagamma.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/mle.h"
#include "model/rows.h"
#include "model/special.h"

typedef struct ggdata {
    bb__rows rows;
    double *slnm; /* per group: sum of w ln m (constant during the fit) */
} ggdata;

static double nll(const double *theta, double *grad, void *data)
{
    const ggdata *D = data;
    const bb__rows *R = &D->rows;
    double p = exp(theta[0]), q = exp(theta[1]), ga = exp(theta[2]), lga = theta[2];
    double lgq = bb__lgamma(q), psq = bb__digamma(q);
    double ll = 0.0, gp = 0.0, gq = 0.0, gg = 0.0;

    for (size_t g = 0; g < R->ngroups; g++) {
        double x = R->gx[g], W = R->gw[g], px = p * x, lx = log(x);
        double pspq = bb__digamma(px + q);
        double sl = 0.0, si = 0.0;
        for (size_t i = R->gstart[g]; i < R->gstart[g + 1]; i++) {
            double u = ga + x * R->a[i];
            sl += R->w[i] * log(u);
            si += R->w[i] / u;
        }
        ll += W * (bb__lgamma(px + q) - bb__lgamma(px) - lgq + q * lga + px * lx) + (px - 1.0) * D->slnm[g] -
              (px + q) * sl;
        gp += x * (W * (pspq - bb__digamma(px) + lx) + D->slnm[g] - sl);
        gq += W * (pspq - psq + lga) - sl;
        gg += W * q / ga - (px + q) * si;
    }
    if (grad) {
        grad[0] = -gp * p;
        grad[1] = -gq * q;
        grad[2] = -gg * ga;
    }
    return -ll;
}

int bb_gg_fit(const int32_t *x, const double *mean_value, size_t n, const bb_fit_opts *opts, bb_fit *fit,
              bb_error *err)
{
    ggdata full = {0}, sub = {0};
    unsigned char *keep = NULL;
    size_t used = 0, stride;
    double sm = 0.0, theta[3];
    int rc = BB_ENOMEM;

    memset(fit, 0, sizeof *fit);
    fit->model = BB_MODEL_GAMMAGAMMA;
    keep = malloc(n ? n : 1);
    if (!keep)
        return bb_error_set(err, BB_ENOMEM, "gammagamma: out of memory for %zu customers", n);
    for (size_t i = 0; i < n; i++) {
        if (x[i] < 0 || x[i] > BB__MAX_X || !isfinite(mean_value[i]) || mean_value[i] < 0.0) {
            rc = bb_error_set(err, BB_EINVAL,
                              "gammagamma: customer row %zu has x = %d, mean value = %g; need 0 <= x <= 100000000 and a "
                              "finite mean value >= 0",
                              i + 1, (int)x[i], mean_value[i]);
            goto done;
        }
        keep[i] = x[i] > 0 && mean_value[i] > 0.0;
        fit->zero_value += x[i] > 0 && mean_value[i] == 0.0;
        if (keep[i]) {
            used++;
            sm += mean_value[i];
        }
    }
    fit->customers = used;
    fit->excluded = n - used;
    if (used < 2) {
        rc = bb_error_set(err, BB_ENUMERIC,
                          "gammagamma: %zu customer%s with repeat purchases of positive value; the spend model "
                          "needs at least two (%zu left out: %zu without repeats, %zu whose repeats are all 0)",
                          used, used == 1 ? "" : "s", n - used, n - used - fit->zero_value, fit->zero_value);
        goto done;
    }
    stride = bb__mle_stride(used, opts);
    rc = BB_ENOMEM;
    if (bb__rows_build(&full.rows, x, mean_value, NULL, keep, n, 1, 0) != 0)
        goto oom;
    if (stride > 1 && bb__rows_build(&sub.rows, x, mean_value, NULL, keep, n, stride, stride / 2) != 0)
        goto oom;
    ggdata *sets[2] = {&full, &sub};
    for (int k = 0; k < 2; k++) {
        bb__rows *R = &sets[k]->rows;
        if (!R->n)
            continue;
        sets[k]->slnm = calloc(R->ngroups, sizeof *sets[k]->slnm);
        if (!sets[k]->slnm)
            goto oom;
        for (size_t g = 0; g < R->ngroups; g++)
            for (size_t i = R->gstart[g]; i < R->gstart[g + 1]; i++)
                sets[k]->slnm[g] += R->w[i] * log(R->a[i]);
    }
    if (opts && opts->start) {
        for (int i = 0; i < 3; i++)
            theta[i] = log(opts->start[i]);
    } else {
        /* p = 1, q = 2 and gamma so that the population mean p gamma / (q - 1) is the observed mean */
        theta[0] = 0.0;
        theta[1] = log(2.0);
        theta[2] = log(sm / (double)used);
    }
    bb__mle m = {.model = BB_MODEL_GAMMAGAMMA, .np = 3, .nll = nll, .full = &full, .n_full = full.rows.total};
    if (sub.rows.n) {
        m.sub = &sub;
        m.n_sub = sub.rows.total;
    }
    rc = bb__mle_run(&m, theta, opts, fit, err);
    goto done;
oom:
    rc = bb_error_set(err, BB_ENOMEM, "gammagamma: out of memory for %zu customers", n);
done:
    bb__rows_release(&full.rows);
    bb__rows_release(&sub.rows);
    free(full.slnm);
    free(sub.slnm);
    free(keep);
    return rc;
}

double bb_gg_loglik(const double *params, int32_t x, double m)
{
    double p = params[0], q = params[1], ga = params[2], px = p * x;
    return bb__lgamma(px + q) - bb__lgamma(px) - bb__lgamma(q) + q * log(ga) + (px - 1.0) * log(m) +
           px * log((double)x) - (px + q) * log(ga + x * m);
}

int bb_gg_expected_value(const double *params, int32_t x, double mean_value, double *out)
{
    double p = params[0], q = params[1], ga = params[2];
    double den = p * x + q - 1.0;
    if (x < 0 || !(den > 0.0) || !(mean_value >= 0.0))
        return BB_ENUMERIC;
    *out = p * (ga + x * mean_value) / den;
    return 0;
}
