/* btyd.c: input checks, row preparation and the fit driver shared by the BG/NBD and Pareto/NBD models,
 * and quadrature constants. */
#include "model/btyd.h"

#include <math.h>
#include <string.h>

#include "model/mle.h"

/* 10-point Gauss-Legendre on [-1, 1] (Abramowitz & Stegun table 25.4). */
const double bb__gl10_x[10] = {-0.9739065285171717, -0.8650633666889845, -0.6794095682990244,
                               -0.4333953941292472, -0.1488743389816312, 0.1488743389816312,
                               0.4333953941292472,  0.6794095682990244,  0.8650633666889845,
                               0.9739065285171717};
const double bb__gl10_w[10] = {0.0666713443086881, 0.1494513491505806, 0.2190863625159820,
                               0.2692667193099963, 0.2955242247147529, 0.2955242247147529,
                               0.2692667193099963, 0.2190863625159820, 0.1494513491505806,
                               0.0666713443086881};

void bb__btyd_release(bb__btyd_data *d)
{
    if (!d)
        return;
    bb__rows_release(&d->full);
    bb__rows_release(&d->sub);
}

int bb__btyd_prepare(bb__btyd_data *d, const char *model, const int32_t *x, const double *t_x, const double *T,
                     size_t n, const bb_fit_opts *opts, bb_error *err)
{
    size_t repeaters = 0, positive_T = 0, stride;
    int bad = 0;

    memset(d, 0, sizeof *d);
    if (n == 0)
        return bb_error_set(err, BB_ENUMERIC, "%s: there are no customers to fit", model);
    /* the checks combined with & and | (no branch on the data to mispredict); NaN fails every comparison */
    for (size_t i = 0; i < n; i++) {
        int32_t xi = x[i];
        double a = t_x[i], b = T[i];
        bad |= (xi < 0) | (xi > BB__MAX_X) | !(a >= 0.0) | !(a <= b) | !(b < INFINITY) |
               ((xi == 0) & (a != 0.0));
        repeaters += xi > 0;
        positive_T += b > 0.0;
    }
    for (size_t i = 0; bad && i < n; i++) {
        if (x[i] < 0 || x[i] > BB__MAX_X || !isfinite(t_x[i]) || !isfinite(T[i]) || t_x[i] < 0.0 || t_x[i] > T[i] ||
            (x[i] == 0 && t_x[i] != 0.0))
            return bb_error_set(err, BB_EINVAL,
                                "%s: customer row %zu has x = %d, t_x = %g, T = %g; need 0 <= x <= 100000000, "
                                "0 <= t_x <= T, and t_x = 0 when x = 0",
                                model, i + 1, (int)x[i], t_x[i], T[i]);
    }
    if (n == 1)
        return bb_error_set(err, BB_ENUMERIC, "%s: a single customer cannot determine the model's parameters",
                            model);
    if (repeaters == 0)
        return bb_error_set(err, BB_ENUMERIC,
                            "%s: no customer made a repeat purchase in the calibration period, so the "
                            "purchase rate and dropout cannot be estimated",
                            model);
    if (positive_T == 0)
        return bb_error_set(err, BB_ENUMERIC,
                            "%s: every customer's first purchase is at the end of calibration (T = 0): "
                            "there is no time to observe repeat purchases",
                            model);
    if (bb__rows_build(&d->full, x, t_x, T, NULL, n, 1, 0) != 0)
        goto oom;
    /* the means for the start, from the rows (fewer than the customers) */
    double sx = 0.0, sT = 0.0;
    for (size_t r = 0; r < d->full.n; r++) {
        sx += d->full.w[r] * d->full.x[r];
        sT += d->full.w[r] * d->full.b[r];
    }
    d->mean_x = sx / (double)n;
    d->mean_T = sT / (double)n;
    stride = bb__mle_stride(n, opts);
    if (stride > 1 && bb__rows_build(&d->sub, x, t_x, T, NULL, n, stride, stride / 2) != 0)
        goto oom;
    if (d->sub.n && d->sub.gx[d->sub.ngroups - 1] == 0)
        bb__rows_release(&d->sub); /* no repeat buyer in the subsample: fit all rows from the start */
    return 0;
oom:
    bb__btyd_release(d);
    return bb_error_set(err, BB_ENOMEM, "%s: out of memory for %zu customers", model, n);
}

int bb__btyd_fit(bb_model_kind model, bb__nll_fn nll, int has_hessian, const int32_t *x,
                 const double *t_x, const double *T, size_t n, const bb_fit_opts *opts, bb_fit *fit,
                 bb_error *err)
{
    bb__btyd_data d;
    double theta[4];
    int rc;

    memset(fit, 0, sizeof *fit);
    fit->model = model;
    rc = bb__btyd_prepare(&d, bb_model_name(model), x, t_x, T, n, opts, err);
    if (rc)
        return rc;
    if (opts && opts->start) {
        for (int i = 0; i < 4; i++)
            theta[i] = log(opts->start[i]);
    } else {
        theta[0] = 0.0;
        theta[1] = log(d.mean_T / (d.mean_x > 1e-3 ? d.mean_x : 1e-3));
        theta[2] = 0.0;
        theta[3] = model == BB_MODEL_PNBD ? log(d.mean_T) : 0.0;
    }
    bb__mle m = {.model = model, .np = 4, .nll = nll, .has_hessian = has_hessian, .full = &d.full,
                 .n_full = d.full.total};
    if (d.sub.n) {
        m.sub = &d.sub;
        m.n_sub = d.sub.total;
    }
    fit->customers = n;
    rc = bb__mle_run(&m, theta, opts, fit, err);
    bb__btyd_release(&d);
    return rc;
}
