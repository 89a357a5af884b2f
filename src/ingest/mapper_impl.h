/* mapper_impl.h: the inside of bb_import_mapper (import.h): the canonical columns of each kind as
 * indexes, and where the header put them. columns.c matches headers; rowmap.c converts rows.
 * Internal to src/ingest/. */
#ifndef BB_INGEST_MAPPER_IMPL_H
#define BB_INGEST_MAPPER_IMPL_H

#include "birebir/buf.h"
#include "birebir/import.h"

#define BB__MAX_COLS 12 /* canonical columns of the widest kind */

/* Column indexes per kind, in the order of bb_import_columns. */
enum { C_ID, C_FIRST, C_LAST, C_EMAIL, C_PHONE, C_CITY, C_BIRTH, C_GENDER, C_CREATED };
enum { P_SKU, P_NAME, P_CATEGORY, P_PRICE, P_COST, P_CURRENCY };
enum { O_ID, O_CUST, O_AT, O_AMOUNT, O_CURRENCY, O_CHANNEL };
enum { L_ORDER, L_CUST, L_AT, L_SKU, L_QTY, L_PRICE, L_CURRENCY, L_LINE_NO };
enum { I_CUST, I_AT, I_CHANNEL, I_DIR, I_KIND, I_SUBJECT, I_BODY };
enum { K_CUST, K_CHANNEL, K_STATUS, K_SOURCE, K_AT };
enum { S_CUST, S_SURVEY, S_SCORE, S_COMMENT, S_AT };

struct bb_import_mapper {
    bb_import_options o;
    char currency[4];        /* the default currency, canonical */
    int col[BB__MAX_COLS];   /* header position of each canonical column, -1 when absent */
    char *label[BB__MAX_COLS]; /* how messages name it: "amount", or "Tutar (amount)" */
    size_t width;            /* fields in the header */
    /* customers: custom attributes and extra identifiers ("id:<kind>" columns) */
    size_t n_attrs, n_idents;
    int *attr_col, *ident_col;
    char **attr_name, **ident_kind;
    bb_ident *idents; /* this row's */
    char *ignored;    /* columns not used, comma-separated */
    /* this row's converted text */
    char *scratch;
    size_t scratch_len, scratch_cap;
    bb_buf attrs;
    char birth[16];
};

#endif
