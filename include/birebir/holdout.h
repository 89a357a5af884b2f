/* holdout.h: the calibration/holdout check of a purchase model: fitted on a calibration window, it
 * predicts each customer's purchases in the holdout window, compared with what happened: totals, means by
 * the number of calibration purchases (0, 1, ..., 6, 7+), and the mean absolute error per customer. */
#ifndef BIREBIR_HOLDOUT_H
#define BIREBIR_HOLDOUT_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/model.h"

#define BB_HOLDOUT_BUCKETS 8

typedef struct bb_holdout_report {
    size_t customers;
    double length;                      /* the holdout period in model units */
    double actual_total, predicted_total;
    double mae;                         /* mean |predicted - actual| per customer */
    double rmse;
    struct {
        size_t customers;               /* with x == k calibration repeat purchases (k = 7: 7 or more) */
        double actual_mean, predicted_mean;
    } by_x[BB_HOLDOUT_BUCKETS];
} bb_holdout_report;

/* predicted (may be NULL) receives each customer's expected holdout purchases. BB_EINVAL when the fit is
 * not a purchase model or length <= 0. */
int bb_holdout_evaluate(const bb_fit *purchase, const int32_t *x, const double *t_x, const double *T,
                        const int32_t *x_holdout, size_t n, double length, double *predicted,
                        bb_holdout_report *out, bb_error *err) BB_MUST_USE;

#endif
