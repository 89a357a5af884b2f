/* txnfile.h: reading analysts' files for the value models (`birebir fit`), through the CSV reader of
 * csv.h: a transactions file (one row per purchase: customer, date, optional amount) into arrays the
 * summaries take, or a summary file in the layout of the lifetimes library (customer_id, frequency,
 * recency, T, optional monetary_value). Columns are found by their header name (case and surrounding
 * spaces ignored). Every bad value is an error naming file:line and the column. */
#ifndef BIREBIR_TXNFILE_H
#define BIREBIR_TXNFILE_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"
#include "birebir/locale.h"

/* Amounts are read exactly, scaled by this (4 decimals); divide by it to get the file's unit back. */
#define BB_TXN_AMOUNT_SCALE 10000

typedef struct bb_txn_opts {
    const char *customer_col; /* NULL: "customer_id" */
    const char *date_col;     /* NULL: "date" */
    const char *amount_col;   /* NULL: "amount"; the column may be absent unless need_amount */
    const char *date_format;  /* NULL: ISO 8601 dates and times (bb_time_parse, naive times UTC) */
    char delimiter;           /* 0: sniffed */
    int need_amount;          /* 1: the amount column is required */
    bb_locale locale;         /* how numbers and dates are written (BB_LOCALE_EN: 1,234.56, ISO dates;
                                 BB_LOCALE_TR: 1.234,56, 23.11.2025 too); naive times are UTC either way */
} bb_txn_opts;

/* Customers, in the order of their first row, each with the file's id. */
typedef struct bb_txn_ids {
    size_t n;
    char **id;
} bb_txn_ids;

typedef struct bb_txns {
    size_t n;         /* transactions */
    int64_t *cust;    /* index into ids */
    int64_t *t;       /* UTC seconds */
    int64_t *amount;  /* scaled by BB_TXN_AMOUNT_SCALE, >= 0; 0 when the file has no amount column */
    size_t returns;   /* rows left out because their amount is negative: returns are not purchases */
    int has_amount;
    int date_only;    /* 1 when every time is midnight UTC (dates without times) */
    int64_t t_min, t_max;
    bb_txn_ids ids;
} bb_txns;

/* Reads a transactions file ("-": standard input). Fills out (release it with bb_txns_release, also
 * after a failure). BB_EINVAL names the file:line and column of the first bad row; BB_EIO, BB_ENOMEM.
 * A row with a negative amount is a return, not a purchase: it is counted in returns and left out.
 * A file without purchase rows is BB_EINVAL ("has no transactions"). */
int bb_txns_read(const char *path, const bb_txn_opts *o, bb_txns *out, bb_error *err) BB_MUST_USE;
void bb_txns_release(bb_txns *t); /* accepts NULL */

/* A summary file: one row per customer. */
typedef struct bb_txn_summary {
    size_t n;
    int32_t *x;          /* frequency */
    double *t_x, *T;     /* recency, T */
    double *mean_value;  /* monetary_value; 0 when the column is absent */
    int has_monetary;
    bb_txn_ids ids;
} bb_txn_summary;

/* Reads a summary file with columns customer_col (default "customer_id"), frequency, recency, T and
 * optionally monetary_value. Checks each row: frequency a whole number >= 0, 0 <= recency <= T, recency
 * 0 when frequency is 0, monetary_value >= 0. Release with bb_txn_summary_release. */
int bb_txn_summary_read(const char *path, const bb_txn_opts *o, bb_txn_summary *out, bb_error *err) BB_MUST_USE;
void bb_txn_summary_release(bb_txn_summary *s); /* accepts NULL */

#endif
