/* clv.c: customer lifetime value, churn-risk buckets and profitability tiers. */
#include "birebir/clv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/gammagamma.h"
#include "model/btyd.h"

#define DAYS_PER_MONTH 30.4375

void bb_clv_opts_init(bb_clv_opts *o)
{
    o->horizon_months = 12;
    o->monthly_discount = 0.01;
    o->margin_rate = 1.0;
    o->unit_days = 7.0;
}

double bb_clv_customer(const bb_fit *purchase, int32_t x, double t_x, double T, double value, double margin,
                       const bb_clv_opts *o)
{
    if (purchase->model != BB_MODEL_BGNBD && purchase->model != BB_MODEL_PNBD)
        return 0.0;
    double month = DAYS_PER_MONTH / (o->unit_days > 0 ? o->unit_days : 1.0), prev = 0.0, sum = 0.0, disc = 1.0;
    double pa = bb_model_p_alive(purchase, x, t_x, T);
    for (int i = 1; i <= o->horizon_months; i++) {
        double e = purchase->model == BB_MODEL_BGNBD ? bb__bgnbd_expected_alive(purchase->params, x, T, i * month)
                                                     : bb__pnbd_expected_alive(purchase->params, x, T, i * month);
        disc /= 1.0 + o->monthly_discount;
        sum += (e - prev) * disc;
        prev = e;
    }
    return sum * pa * value * margin;
}

long bb_clv_compute(const bb_fit *purchase, const bb_fit *spend, const int32_t *x, const double *t_x,
                    const double *T, const double *mean_value, const double *margin_rates, size_t n,
                    const bb_clv_opts *o, double *clv, double *expected_value, unsigned char *defined,
                    bb_error *err)
{
    long undefined = 0;
    if ((purchase->model != BB_MODEL_BGNBD && purchase->model != BB_MODEL_PNBD) ||
        spend->model != BB_MODEL_GAMMAGAMMA)
        return bb_error_set(err, BB_EINVAL, "clv: needs a BG/NBD or Pareto/NBD fit and a Gamma-Gamma fit");
    for (size_t i = 0; i < n; i++) {
        double v = 0.0;
        int ok = bb_gg_expected_value(spend->params, x[i], x[i] > 0 ? mean_value[i] : 0.0, &v) == 0;
        defined[i] = (unsigned char)ok;
        if (!ok) {
            undefined++;
            clv[i] = 0.0;
            v = 0.0;
        } else {
            clv[i] = bb_clv_customer(purchase, x[i], t_x[i], T[i], v, margin_rates ? margin_rates[i] : o->margin_rate,
                                     o);
        }
        if (expected_value)
            expected_value[i] = v;
    }
    return undefined;
}

bb_churn_risk bb_churn_bucket(double p_alive, double medium_at, double high_at)
{
    double risk = 1.0 - p_alive;
    if (medium_at == 0.0 && high_at == 0.0) {
        medium_at = 0.3;
        high_at = 0.7;
    }
    return risk >= high_at ? BB_CHURN_HIGH : risk >= medium_at ? BB_CHURN_MEDIUM : BB_CHURN_LOW;
}

const char *bb_churn_name(bb_churn_risk risk, const char *lang)
{
    static const char *en[] = {"low", "medium", "high"}, *tr[] = {"düşük", "orta", "yüksek"};
    int i = risk == BB_CHURN_HIGH ? 2 : risk == BB_CHURN_MEDIUM ? 1 : 0;
    return lang && strcmp(lang, "tr") == 0 ? tr[i] : en[i];
}

typedef struct ranked {
    double v;
    size_t i;
} ranked;

static int by_value_desc(const void *p, const void *q)
{
    const ranked *a = p, *b = q;
    if (a->v != b->v)
        return a->v < b->v ? 1 : -1;
    return (a->i > b->i) - (a->i < b->i);
}

int bb_tiers_assign(const double *value, size_t n, const double *shares, char *tier, bb_error *err)
{
    static const double def[3] = {0.80, 0.15, 0.05};
    const double *s = shares ? shares : def;
    ranked *r;
    double total = 0.0, cum = 0.0;
    if (s[0] < 0 || s[1] < 0 || s[2] < 0 || fabs(s[0] + s[1] + s[2] - 1.0) > 1e-9)
        return bb_error_set(err, BB_EINVAL, "tiers: the shares %g, %g, %g must be >= 0 and sum to 1", s[0], s[1],
                            s[2]);
    r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return bb_error_set(err, BB_ENOMEM, "tiers: out of memory for %zu customers", n);
    for (size_t i = 0; i < n; i++) {
        r[i].v = value[i] > 0 && isfinite(value[i]) ? value[i] : 0.0;
        r[i].i = i;
        total += r[i].v;
    }
    qsort(r, n, sizeof *r, by_value_desc);
    for (size_t k = 0; k < n; k++) {
        double before = total > 0 ? cum / total : 1.0;
        /* shares compared with a little slack so that 0.80 + 0.15 means 95% exactly */
        tier[r[k].i] = r[k].v > 0 && before < s[0] - 1e-12         ? 'A'
                       : r[k].v > 0 && before < s[0] + s[1] - 1e-12 ? 'B'
                                                                   : 'C';
        cum += r[k].v;
    }
    free(r);
    return 0;
}
