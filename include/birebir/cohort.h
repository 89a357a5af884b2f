/* cohort.h: cohort retention: customers grouped by the calendar month (UTC) of their first purchase, and
 * for each later month the number (and share) of them who bought in that month. Pure computation on
 * order arrays. */
#ifndef BIREBIR_COHORT_H
#define BIREBIR_COHORT_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"

typedef struct bb_cohorts {
    size_t ncohorts;   /* first-purchase months from the earliest to the last month with orders */
    size_t nperiods;   /* months 0 .. nperiods-1 after the first purchase month */
    int32_t *month;    /* cohort c's month as year * 12 + (month - 1) */
    int64_t *size;     /* customers in cohort c */
    int64_t *active;   /* active[c * nperiods + k]: of cohort c, customers who bought in month k after
                          it (k = 0 is the first month itself, so active = size there) */
} bb_cohorts;

/* Builds the matrix from n orders (customer index, day since 1970-01-01). Orders after as_of_day are
 * ignored when has_as_of. Free with bb_cohorts_release. BB_EINVAL, BB_ENOMEM. */
int bb_cohorts_build(const int64_t *cust, const int64_t *day, size_t n, size_t n_customers, int has_as_of,
                     int64_t as_of_day, bb_cohorts *out, bb_error *err) BB_MUST_USE;
void bb_cohorts_release(bb_cohorts *c); /* accepts NULL */
/* The share of cohort c active in month k (0 when k is past the data for this cohort or it is empty). */
double bb_cohorts_share(const bb_cohorts *c, size_t cohort, size_t k);
/* The months of data cohort c has (0, its first month, and each one after it up to the last month of the
 * data): ncohorts - c, at most nperiods. */
size_t bb_cohorts_periods(const bb_cohorts *c, size_t cohort);
/* A month index as "YYYY-MM" into out (8 bytes); returns out. */
char *bb_cohorts_month_label(int32_t month, char out[8]);
/* The month index of a "YYYY-MM" label, or -1 when s is not one. */
int32_t bb_cohorts_month_parse(const char *s);
/* The month index (year * 12 + month - 1) of a day since 1970-01-01. */
int32_t bb_cohorts_month_of_day(int64_t day);

#endif
