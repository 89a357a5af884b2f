/* gammagamma.c: the Gamma-Gamma spend model: log-likelihood and analytic gradient over the customers
 * grouped by x (through per-group moments, see ggdata), the fit, and the conditional expected
 * transaction value.
 *
 * Per customer, ln f = ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q) + q ln gamma + (px-1) ln m + px ln x
 *                      - (px+q) ln(gamma + x m). */
#include "birebir/gammagamma.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/lnsum.h"
#include "model/mle.h"
#include "model/rows.h" /* BB__MAX_X */
#include "model/special.h"

/* The customers used, grouped by x. The data enter the likelihood through sum ln m and, as functions of
 * gamma, sum ln(gamma + x m) and sum 1/(gamma + x m) per group: those come from moments (lnsum.h), so an
 * evaluation near the last centre costs O(groups), and one pass over a group's rows re-centres it. */
typedef struct ggdata {
    size_t ngroups;
    double *gx, *gw, *lx, *slnm; /* per group: x, customers, ln x, sum of ln m */
    size_t *gstart;              /* group g is v[gstart[g] .. gstart[g + 1]) */
    double *v;                   /* x m of each customer */
    bb__lnsum *mom;              /* per group; mom[g].n == 0 until first centred */
    double total;
} ggdata;

static void gg_release(ggdata *D)
{
    free(D->gx);
    free(D->gw);
    free(D->lx);
    free(D->slnm);
    free(D->gstart);
    free(D->v);
    free(D->mom);
    memset(D, 0, sizeof *D);
}

static int gg_alloc(ggdata *D, size_t ng, size_t m)
{
    D->ngroups = ng;
    D->gx = calloc(ng + 1, sizeof *D->gx);
    D->gw = calloc(ng + 1, sizeof *D->gw);
    D->lx = calloc(ng + 1, sizeof *D->lx);
    D->slnm = calloc(ng + 1, sizeof *D->slnm);
    D->gstart = calloc(ng + 1, sizeof *D->gstart);
    D->v = malloc((m ? m : 1) * sizeof *D->v);
    D->mom = calloc(ng + 1, sizeof *D->mom);
    return D->gx && D->gw && D->lx && D->slnm && D->gstart && D->v && D->mom ? 0 : -1;
}

/* sum ln(ga + v), sum 1/(ga + v) over group g, re-centring its moments at ga when ga is out of their
 * range. */
static void group_sums(const ggdata *D, size_t g, double ga, double *sl, double *si)
{
    bb__lnsum *M = &D->mom[g];
    if (M->n == 0.0 || bb__lnsum_eval(M, ga, sl, si) != 0) {
        bb__lnsum_center(M, D->v + D->gstart[g], D->gstart[g + 1] - D->gstart[g], ga);
        *sl = M->L0;
        *si = M->P[0];
    }
}

static double nll(const double *theta, double *grad, double *hess, void *data)
{
    (void)hess; /* no analytic Hessian: the driver differentiates the gradient */
    const ggdata *D = data;
    double p = exp(theta[0]), q = exp(theta[1]), ga = exp(theta[2]), lga = theta[2];
    double lgq = bb__lgamma(q), psq = bb__digamma(q);
    double ll = 0.0, gp = 0.0, gq = 0.0, gg = 0.0;

    for (size_t g = 0; g < D->ngroups; g++) {
        double x = D->gx[g], W = D->gw[g], px = p * x, lx = D->lx[g], sl, si;
        double pspq = bb__digamma(px + q);
        group_sums(D, g, ga, &sl, &si);
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

/* The first j >= lo with j % stride == offset (offset < stride). */
static size_t first_at(size_t lo, size_t stride, size_t offset)
{
    size_t j = lo - lo % stride + offset;
    return j < lo ? j + stride : j;
}

/* Every stride-th customer of D (from offset), same grouping. */
static int gg_subsample(ggdata *S, const ggdata *D, size_t stride, size_t offset)
{
    size_t m = 0, ng = 0;
    for (size_t g = 0; g < D->ngroups; g++) {
        size_t c = 0;
        for (size_t j = first_at(D->gstart[g], stride, offset); j < D->gstart[g + 1]; j += stride)
            c++;
        m += c;
        ng += c > 0;
    }
    if (gg_alloc(S, ng, m) != 0)
        return -1;
    size_t k = 0, h = 0;
    for (size_t g = 0; g < D->ngroups; g++) {
        size_t k0 = k;
        for (size_t j = first_at(D->gstart[g], stride, offset); j < D->gstart[g + 1]; j += stride)
            S->v[k++] = D->v[j];
        if (k == k0)
            continue;
        S->gx[h] = D->gx[g];
        S->lx[h] = D->lx[g];
        S->gw[h] = (double)(k - k0);
        S->slnm[h] = bb__sum_log(S->v + k0, k - k0, 0.0) - S->gw[h] * S->lx[h];
        S->gstart[h++] = k0;
    }
    S->gstart[ng] = m;
    S->total = (double)m;
    return 0;
}

int bb_gg_fit(const int32_t *x, const double *mean_value, size_t n, const bb_fit_opts *opts, bb_fit *fit,
              bb_error *err)
{
    ggdata full = {0}, sub = {0};
    size_t *pos = NULL, used = 0, npos = 0, stride, ng = 0;
    int32_t xmax = 0;
    int bad = 0;
    double sm = 0.0, theta[3], *cvx = NULL;
    int32_t *cxx = NULL;
    int rc = BB_ENOMEM;

    memset(fit, 0, sizeof *fit);
    fit->model = BB_MODEL_GAMMAGAMMA;
    double *cv = malloc((n ? n : 1) * sizeof *cv); /* x m and x of the customers used, compacted */
    int32_t *cx = malloc((n ? n : 1) * sizeof *cx);
    if (!cv || !cx) {
        free(cv);
        free(cx);
        goto oom;
    }
    cvx = cv;
    cxx = cx;
    /* one pass without branches on the data (they would be mispredicted) and without a chain of
     * floating-point additions: validity, x m and x of the customers used (compacted: the later passes
     * read these in order instead of gathering from the input), their largest x. The value tests are
     * integer comparisons of its bits: below 0x7ff0... is +0 or positive finite, and from 1 on positive.
     * A flagged row is looked at again below with the plain tests (which also accept -0). */
    for (size_t i = 0; i < n; i++) {
        int32_t xi = x[i];
        double mi = mean_value[i];
        uint64_t mb;
        memcpy(&mb, &mi, sizeof mb);
        bad |= ((uint32_t)xi > BB__MAX_X) | (mb >= 0x7ff0000000000000ULL);
        int pos_x = xi > 0, u = pos_x & (mb - 1 < 0x7fefffffffffffffULL);
        cv[used] = xi * mi; /* written for every customer, kept (used advances) for those used */
        cx[used] = xi;
        used += (size_t)u;
        npos += (size_t)pos_x;
        int32_t xu = xi * u;
        xmax = xu > xmax ? xu : xmax;
    }
    for (size_t i = 0; bad && i < n; i++) {
        if (x[i] < 0 || x[i] > BB__MAX_X || !isfinite(mean_value[i]) || mean_value[i] < 0.0) {
            rc = bb_error_set(err, BB_EINVAL,
                              "gammagamma: customer row %zu has x = %d, mean value = %g; need 0 <= x <= "
                              "100000000 and a finite mean value >= 0",
                              i + 1, (int)x[i], mean_value[i]);
            goto done;
        }
    }
    fit->zero_value = npos - used; /* x > 0 and a mean value of 0 */
    fit->customers = used;
    fit->excluded = n - used;
    if (used < 2) {
        rc = bb_error_set(err, BB_ENUMERIC,
                          "gammagamma: %zu customer%s with repeat purchases of positive value; the spend "
                          "model needs at least two (%zu left out: %zu without repeats, %zu whose repeats are "
                          "all 0)",
                          used, used == 1 ? "" : "s", n - used, n - used - fit->zero_value, fit->zero_value);
        goto done;
    }
    /* counting sort of the customers used by x: pos[x] is where the next customer with that x goes */
    pos = calloc((size_t)xmax + 1, sizeof *pos);
    if (!pos)
        goto oom;
    for (size_t k = 0; k < used; k++)
        pos[cx[k]]++;
    for (int32_t v = 1; v <= xmax; v++)
        ng += pos[v] > 0;
    if (gg_alloc(&full, ng, used) != 0)
        goto oom;
    size_t at = 0;
    for (int32_t v = 1, g = 0; v <= xmax; v++) {
        if (!pos[v])
            continue;
        full.gx[g] = v;
        full.lx[g] = log((double)v);
        full.gw[g] = (double)pos[v];
        full.gstart[g++] = at;
        at += pos[v];
        pos[v] = at - pos[v];
    }
    full.gstart[ng] = used;
    for (size_t k = 0; k < used; k++)
        full.v[pos[cx[k]]++] = cv[k];
    for (size_t g = 0; g < ng; g++) {
        double sv = 0.0, *v = full.v + full.gstart[g];
        size_t k = full.gstart[g + 1] - full.gstart[g];
        for (size_t j = 0; j < k; j++)
            sv += v[j];
        full.slnm[g] = bb__sum_log(v, k, 0.0) - full.gw[g] * full.lx[g];
        sm += sv / full.gx[g];
    }
    full.total = (double)used;
    stride = bb__mle_stride(used, opts);
    if (stride > 1 && gg_subsample(&sub, &full, stride, stride / 2) != 0)
        goto oom;
    if (opts && opts->start) {
        for (int i = 0; i < 3; i++)
            theta[i] = log(opts->start[i]);
    } else {
        /* p = 1, q = 2 and gamma so that the population mean p gamma / (q - 1) is the observed mean */
        theta[0] = 0.0;
        theta[1] = log(2.0);
        theta[2] = log(sm / (double)used);
    }
    bb__mle m = {.model = BB_MODEL_GAMMAGAMMA, .np = 3, .nll = nll, .full = &full, .n_full = full.total};
    if (sub.total > 0) {
        m.sub = &sub;
        m.n_sub = sub.total;
    }
    rc = bb__mle_run(&m, theta, opts, fit, err);
    goto done;
oom:
    rc = bb_error_set(err, BB_ENOMEM, "gammagamma: out of memory for %zu customers", n);
done:
    gg_release(&full);
    gg_release(&sub);
    free(pos);
    free(cvx);
    free(cxx);
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
