/* analyze_scan.c: the one pass of `analyze` over the store's orders (sorted by customer, then time):
 * each customer's orders are summarised as soon as the next customer starts, so memory holds the
 * summaries, never the orders. */
#include <stdlib.h>
#include <string.h>

#include "birebir/cohort.h"
#include "engage/analyze_impl.h"

#define GROW(p, cap)                                                                                        \
    do {                                                                                                    \
        void *q_ = realloc((p), (cap) * sizeof *(p));                                                       \
        if (!q_)                                                                                            \
            return BB_ENOMEM;                                                                               \
        (p) = q_;                                                                                           \
    } while (0)

static int grow_cust(bb__analyze_data *d)
{
    size_t c = d->cap ? d->cap * 2 : 4096;
    GROW(d->id, c);
    GROW(d->x, c);
    GROW(d->t_x, c);
    GROW(d->T, c);
    GROW(d->mean_value, c);
    GROW(d->recency_days, c);
    GROW(d->orders, c);
    GROW(d->revenue, c);
    GROW(d->margin_rate, c);
    d->cap = c;
    return 0;
}

static int grow_cal(bb__analyze_data *d)
{
    size_t c = d->cal_cap ? d->cal_cap * 2 : 4096;
    GROW(d->cx, c);
    GROW(d->ct_x, c);
    GROW(d->cT, c);
    GROW(d->cx_holdout, c);
    d->cal_cap = c;
    return 0;
}

static int grow_months(bb__analyze_data *d)
{
    size_t c = d->m_cap ? d->m_cap * 2 : 16384;
    GROW(d->m_cust, c);
    GROW(d->m_day, c);
    d->m_cap = c;
    return 0;
}

static int grow_one(bb__analyze_data *d)
{
    size_t c = d->o_cap ? d->o_cap * 2 : 64;
    GROW(d->ot, c);
    GROW(d->ov, c);
    GROW(d->om, c);
    d->o_cap = c;
    return 0;
}

/* Summarises the customer whose orders are buffered, and empties the buffer. */
static int finish_customer(bb__analyze_data *d, bb_error *err)
{
    bb_customer_summary s;
    size_t k = d->n;
    int rc;
    int32_t last_month = INT32_MIN;
    if (d->on == 0)
        return 0;
    if ((rc = bb_summary_customer(d->ot, d->ov, d->om, d->on, &d->full, &s, err)) != 0)
        return rc;
    if (!s.present)
        goto done;
    if (d->n == d->cap && grow_cust(d) != 0)
        goto nomem;
    d->id[k] = d->cur;
    d->x[k] = s.x;
    d->t_x[k] = s.t_x;
    d->T[k] = s.T;
    d->mean_value[k] = s.mean_value > 0 ? s.mean_value : 0.0;
    d->recency_days[k] = s.recency_days;
    d->orders[k] = s.orders;
    d->revenue[k] = d->net;
    d->margin_rate[k] = d->margin_amount > 0 ? (double)d->margin_sum / (double)d->margin_amount : d->default_margin;
    if (d->margin_rate[k] < 0)
        d->margin_rate[k] = 0;
    if (d->margin_rate[k] > 1)
        d->margin_rate[k] = 1;
    d->n++;
    d->n_orders += s.orders;
    /* one (customer, day) per calendar month with an order, for the cohort matrix */
    for (size_t i = 0; i < d->on && d->ot[i] <= d->full.as_of; i++) {
        int64_t day = d->ot[i] >= 0 ? d->ot[i] / 86400 : -((-d->ot[i] + 86399) / 86400);
        int32_t month = bb_cohorts_month_of_day(day);
        if (month == last_month)
            continue;
        last_month = month;
        if (d->m_n == d->m_cap && grow_months(d) != 0)
            goto nomem;
        d->m_cust[d->m_n] = (int64_t)k;
        d->m_day[d->m_n] = day;
        d->m_n++;
    }
    if (d->with_cal) {
        if ((rc = bb_summary_customer(d->ot, d->ov, d->om, d->on, &d->cal, &s, err)) != 0)
            return rc;
        if (s.present) {
            if (d->cal_n == d->cal_cap && grow_cal(d) != 0)
                goto nomem;
            d->cx[d->cal_n] = s.x;
            d->ct_x[d->cal_n] = s.t_x;
            d->cT[d->cal_n] = s.T;
            d->cx_holdout[d->cal_n] = s.x_holdout;
            d->cal_n++;
        }
    }
done:
    d->on = 0;
    d->margin_sum = d->margin_amount = d->net = 0;
    return 0;
nomem:
    return bb_error_set(err, BB_ENOMEM, "analyze: out of memory after %zu customers", d->n);
}

static int on_order(void *ctx, const bb_order_value *o)
{
    bb__analyze_data *d = ctx;
    int rc;
    if (o->customer_id != d->cur) {
        if ((rc = finish_customer(d, d->err)) != 0)
            return rc;
        d->cur = o->customer_id;
    }
    if (o->ordered_at > d->full.as_of)
        return 0;
    if (o->currency) {
        int k = 0;
        while (k < d->n_cur && strcmp(d->cur_name[k], o->currency) != 0)
            k++;
        if (k == d->n_cur && k < BB__ANALYZE_CURRENCIES)
            snprintf(d->cur_name[d->n_cur++], 4, "%s", o->currency);
        if (k < d->n_cur)
            d->cur_orders[k]++;
        if (!*d->currency)
            snprintf(d->currency, sizeof d->currency, "%s", o->currency);
        if (strcmp(o->currency, d->currency) != 0) { /* amounts in two currencies cannot be added */
            d->other_currency++;
            return 0;
        }
    }
    d->net += o->amount_minor;
    if (o->amount_minor < 0) /* a return is not a purchase occasion; it only lowers the revenue */
        return 0;
    if (d->on == d->o_cap && grow_one(d) != 0)
        return bb_error_set(d->err, BB_ENOMEM, "analyze: out of memory");
    d->ot[d->on] = o->ordered_at;
    d->ov[d->on] = o->amount_minor;
    d->om[d->on] = o->has_margin ? o->margin_minor : 0;
    d->on++;
    if (o->ordered_at <= d->full.as_of && o->has_margin && o->amount_minor > 0) {
        d->margin_sum += o->margin_minor;
        d->margin_amount += o->amount_minor;
    }
    return 0;
}

int bb__analyze_scan(bb_store *s, bb__analyze_data *d, bb_error *err)
{
    int rc;
    d->err = err;
    d->cur = 0;
    rc = bb_store_order_values(s, 0, on_order, d, err);
    if (rc == 0)
        rc = finish_customer(d, err);
    return rc;
}

void bb__analyze_data_release(bb__analyze_data *d)
{
    free(d->id);
    free(d->x);
    free(d->t_x);
    free(d->T);
    free(d->mean_value);
    free(d->recency_days);
    free(d->orders);
    free(d->revenue);
    free(d->margin_rate);
    free(d->cx);
    free(d->ct_x);
    free(d->cT);
    free(d->cx_holdout);
    free(d->m_cust);
    free(d->m_day);
    free(d->p_alive);
    free(d->expected);
    free(d->value);
    free(d->clv);
    free(d->has_value);
    free(d->r);
    free(d->f);
    free(d->m);
    free(d->tier);
    free(d->ot);
    free(d->ov);
    free(d->om);
    memset(d, 0, sizeof *d);
}
