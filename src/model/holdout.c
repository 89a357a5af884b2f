/* holdout.c: comparing a purchase model's holdout predictions with what happened. */
#include "birebir/holdout.h"

#include <math.h>
#include <string.h>

int bb_holdout_evaluate(const bb_fit *purchase, const int32_t *x, const double *t_x, const double *T,
                        const int32_t *x_holdout, size_t n, double length, double *predicted,
                        bb_holdout_report *out, bb_error *err)
{
    double se = 0.0;
    memset(out, 0, sizeof *out);
    if (purchase->model != BB_MODEL_BGNBD && purchase->model != BB_MODEL_PNBD)
        return bb_error_set(err, BB_EINVAL, "holdout: needs a BG/NBD or Pareto/NBD fit");
    if (!(length > 0.0))
        return bb_error_set(err, BB_EINVAL, "holdout: the holdout period is empty");
    out->customers = n;
    out->length = length;
    for (size_t i = 0; i < n; i++) {
        double p = bb_model_expected(purchase, x[i], t_x[i], T[i], length), a = x_holdout[i];
        int k = x[i] < BB_HOLDOUT_BUCKETS - 1 ? x[i] : BB_HOLDOUT_BUCKETS - 1;
        if (predicted)
            predicted[i] = p;
        out->actual_total += a;
        out->predicted_total += p;
        out->mae += fabs(p - a);
        se += (p - a) * (p - a);
        out->by_x[k].customers++;
        out->by_x[k].actual_mean += a;
        out->by_x[k].predicted_mean += p;
    }
    if (n) {
        out->mae /= (double)n;
        out->rmse = sqrt(se / (double)n);
    }
    for (int k = 0; k < BB_HOLDOUT_BUCKETS; k++)
        if (out->by_x[k].customers) {
            out->by_x[k].actual_mean /= (double)out->by_x[k].customers;
            out->by_x[k].predicted_mean /= (double)out->by_x[k].customers;
        }
    return 0;
}
