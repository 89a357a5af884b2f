/* cohort.c: the cohort retention matrix. Each customer's orders are visited in time order (grouping as
 * the summaries do); a month is counted once per customer. */
#include "birebir/cohort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/group.h"

int32_t bb_cohorts_month_of_day(int64_t day)
{
    /* civil_from_days (H. Hinnant), reduced to the year and month */
    int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
    return (int32_t)(y * 12 + m - 1);
}

void bb_cohorts_release(bb_cohorts *c)
{
    if (!c)
        return;
    free(c->month);
    free(c->size);
    free(c->active);
    memset(c, 0, sizeof *c);
}

double bb_cohorts_share(const bb_cohorts *c, size_t cohort, size_t k)
{
    if (cohort >= c->ncohorts || k >= c->nperiods || c->size[cohort] == 0)
        return 0.0;
    return (double)c->active[cohort * c->nperiods + k] / (double)c->size[cohort];
}

size_t bb_cohorts_periods(const bb_cohorts *c, size_t cohort)
{
    size_t left = cohort < c->ncohorts ? c->ncohorts - cohort : 0;
    return left < c->nperiods ? left : c->nperiods;
}

char *bb_cohorts_month_label(int32_t month, char out[8])
{
    int32_t y = month / 12, m = month % 12 + 1;
    if (month < 0 || y > 9999)
        y = m = 0;
    snprintf(out, 8, "%04d-%02d", (int)y, (int)m);
    return out;
}

int32_t bb_cohorts_month_parse(const char *s)
{
    int32_t y = 0, m = 0;
    for (int i = 0; i < 7; i++)
        if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return -1;
    if (s[7])
        return -1;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (s[i] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12 ? y * 12 + m - 1 : -1;
}

int bb_cohorts_build(const int64_t *cust, const int64_t *day, size_t n, size_t n_customers, int has_as_of,
                     int64_t as_of_day, bb_cohorts *out, bb_error *err)
{
    bb__groups g;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    int rc;

    memset(out, 0, sizeof *out);
    rc = bb__groups_build(&g, cust, day, n, n_customers, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (has_as_of && day[i] > as_of_day)
            continue;
        int32_t m = bb_cohorts_month_of_day(day[i]);
        lo = m < lo ? m : lo;
        hi = m > hi ? m : hi;
    }
    if (lo > hi) {
        bb__groups_release(&g);
        return 0; /* no orders: an empty matrix */
    }
    out->ncohorts = out->nperiods = (size_t)(hi - lo + 1);
    out->month = malloc(out->ncohorts * sizeof *out->month);
    out->size = calloc(out->ncohorts, sizeof *out->size);
    out->active = calloc(out->ncohorts * out->nperiods, sizeof *out->active);
    if (!out->month || !out->size || !out->active) {
        bb_cohorts_release(out);
        bb__groups_release(&g);
        return bb_error_set(err, BB_ENOMEM, "cohorts: out of memory for %zu months", (size_t)(hi - lo + 1));
    }
    for (size_t c = 0; c < out->ncohorts; c++)
        out->month[c] = lo + (int32_t)c;
    for (size_t ci = 0; ci < g.ncust; ci++) {
        int32_t first = 0, last_counted = -1;
        int seen = 0;
        for (size_t k = g.start[ci]; k < g.start[ci + 1]; k++) {
            size_t i = bb__groups_at(&g, k);
            if (has_as_of && day[i] > as_of_day)
                break;
            int32_t m = bb_cohorts_month_of_day(day[i]);
            if (!seen) {
                seen = 1;
                first = m;
                out->size[first - lo]++;
            }
            if (m != last_counted) {
                out->active[(size_t)(first - lo) * out->nperiods + (size_t)(m - first)]++;
                last_counted = m;
            }
        }
    }
    bb__groups_release(&g);
    return 0;
}
