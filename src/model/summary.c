/* summary.c: per-customer summaries (x, t_x, T, mean repeat value, holdout occasions, RFM inputs) from
 * order arrays. One pass over each customer's time-sorted orders: an order starts a new purchase occasion
 * unless it is at most merge_window ticks after the current occasion's first order. */
#include "birebir/summary.h"

#include <stdlib.h>
#include <string.h>

#include "model/group.h"

typedef struct cfg {
    double tpd, unit; /* ticks per day, ticks per model unit */
    int64_t as_of, window;
    int has_holdout, has_rfm;
    int64_t holdout_end, rfm_start;
} cfg;

static void make_cfg(const bb_summary_opts *o, int64_t as_of, cfg *c)
{
    c->tpd = o->ticks_per_day > 0 ? (double)o->ticks_per_day : 1.0;
    c->unit = c->tpd * (o->unit_days > 0 ? o->unit_days : 1.0);
    c->as_of = as_of;
    c->window = o->merge_window > 0 ? o->merge_window : 0;
    c->has_holdout = o->has_holdout && o->holdout_end > as_of;
    c->holdout_end = o->holdout_end;
    c->has_rfm = o->has_rfm_window;
    c->rfm_start = o->rfm_window_start;
}

/* Summarises orders idx[lo..hi) (or lo..hi when idx is NULL), sorted by time. */
static void summarise(const int64_t *t, const int64_t *v, const int64_t *mg, const size_t *idx, size_t lo,
                      size_t hi, const cfg *c, bb_customer_summary *o)
{
    int64_t occ_start = 0, occ_val = 0, last_occ = 0, rep_sum = 0;
    int in_occ = 0, occ_cal = 0;
    int32_t n_occ = 0;

    memset(o, 0, sizeof *o);
    for (size_t k = lo; k < hi; k++) {
        size_t i = idx ? idx[k] : k;
        int64_t ti = t[i], vi = v ? v[i] : 0;
        if (ti > c->as_of && (!c->has_holdout || ti > c->holdout_end))
            break;
        if (ti <= c->as_of) {
            if (!o->present) {
                o->present = 1;
                o->first = ti;
            }
            o->last = ti;
            if (!c->has_rfm || ti >= c->rfm_start) {
                o->orders++;
                o->revenue += vi;
                o->margin += mg ? mg[i] : 0;
            }
        }
        if (in_occ && ti - occ_start <= c->window) {
            if (ti <= c->as_of)
                occ_val += vi;
            continue;
        }
        /* a new occasion: close the current one */
        if (in_occ && occ_cal && n_occ > 1)
            rep_sum += occ_val;
        in_occ = 1;
        occ_start = ti;
        occ_cal = ti <= c->as_of;
        occ_val = occ_cal ? vi : 0;
        if (occ_cal) {
            n_occ++;
            last_occ = ti;
        } else {
            o->x_holdout++;
        }
    }
    if (in_occ && occ_cal && n_occ > 1)
        rep_sum += occ_val;
    if (!o->present) {
        o->x_holdout = 0;
        return;
    }
    o->x = n_occ - 1;
    o->t_x = (double)(last_occ - o->first) / c->unit;
    o->T = (double)(c->as_of - o->first) / c->unit;
    o->mean_value = o->x > 0 ? (double)rep_sum / o->x : 0.0;
    o->recency_days = (double)(c->as_of - o->last) / c->tpd;
}

int bb_summary_customer(const int64_t *t, const int64_t *value, const int64_t *margin, size_t n,
                        const bb_summary_opts *opts, bb_customer_summary *out, bb_error *err)
{
    cfg c;
    if (!opts->has_as_of)
        return bb_error_set(err, BB_EINVAL, "summary: a single customer's summary needs an as-of time");
    for (size_t i = 1; i < n; i++)
        if (t[i] < t[i - 1])
            return bb_error_set(err, BB_EINVAL, "summary: order %zu is earlier than the one before it", i + 1);
    make_cfg(opts, opts->as_of, &c);
    summarise(t, value, margin, NULL, 0, n, &c, out);
    return 0;
}

void bb_summary_release(bb_summary *s)
{
    if (!s)
        return;
    free(s->is_present);
    free(s->x);
    free(s->x_holdout);
    free(s->orders);
    free(s->t_x);
    free(s->T);
    free(s->mean_value);
    free(s->recency_days);
    free(s->first);
    free(s->last);
    free(s->revenue);
    free(s->margin);
    memset(s, 0, sizeof *s);
}

int bb_summary_build(const int64_t *cust, const int64_t *t, const int64_t *value, const int64_t *margin, size_t n,
                     const bb_summary_opts *opts, bb_summary *out, bb_error *err)
{
    bb__groups g;
    cfg c;
    int64_t as_of;
    size_t m;
    int rc;

    memset(out, 0, sizeof *out);
    rc = bb__groups_build(&g, cust, t, n, opts->n_customers, err);
    if (rc)
        return rc;
    if (opts->has_as_of) {
        as_of = opts->as_of;
    } else {
        as_of = n ? t[0] : 0;
        for (size_t i = 1; i < n; i++)
            if (t[i] > as_of)
                as_of = t[i];
    }
    make_cfg(opts, as_of, &c);
    m = g.ncust;
    out->n = m;
    out->as_of = as_of;
    out->holdout_length = c.has_holdout ? (double)(c.holdout_end - as_of) / c.unit : 0.0;
    size_t k = m ? m : 1;
    out->is_present = malloc(k);
    out->x = malloc(k * sizeof *out->x);
    out->x_holdout = malloc(k * sizeof *out->x_holdout);
    out->orders = malloc(k * sizeof *out->orders);
    out->t_x = malloc(k * sizeof *out->t_x);
    out->T = malloc(k * sizeof *out->T);
    out->mean_value = malloc(k * sizeof *out->mean_value);
    out->recency_days = malloc(k * sizeof *out->recency_days);
    out->first = malloc(k * sizeof *out->first);
    out->last = malloc(k * sizeof *out->last);
    out->revenue = malloc(k * sizeof *out->revenue);
    out->margin = malloc(k * sizeof *out->margin);
    if (!out->is_present || !out->x || !out->x_holdout || !out->orders || !out->t_x || !out->T ||
        !out->mean_value || !out->recency_days || !out->first || !out->last || !out->revenue || !out->margin) {
        bb_summary_release(out);
        bb__groups_release(&g);
        return bb_error_set(err, BB_ENOMEM, "summary: out of memory for %zu customers", m);
    }
    for (size_t ci = 0; ci < m; ci++) {
        bb_customer_summary s;
        summarise(t, value, margin, g.perm, g.start[ci], g.start[ci + 1], &c, &s);
        out->is_present[ci] = (unsigned char)s.present;
        out->present += s.present != 0;
        out->x[ci] = s.x;
        out->x_holdout[ci] = s.x_holdout;
        out->orders[ci] = s.orders;
        out->t_x[ci] = s.t_x;
        out->T[ci] = s.T;
        out->mean_value[ci] = s.mean_value;
        out->recency_days[ci] = s.recency_days;
        out->first[ci] = s.first;
        out->last[ci] = s.last;
        out->revenue[ci] = s.revenue;
        out->margin[ci] = s.margin;
    }
    bb__groups_release(&g);
    return 0;
}
