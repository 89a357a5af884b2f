/* import.h: importing files of customers, products, orders, order lines, interactions, consents and
 * survey responses. Owns the canonical columns of each kind, matching a file's header to them
 * (case-insensitive, trimmed, --map SRC=DEST), validating and converting every value into the store's
 * records (a pure step, bb_import_mapper), and the run: reading with bb_csv, writing through the
 * store's idempotent puts in batches, rejects, --strict, --dry-run, progress and the summary.
 *
 * Row errors read `amount: "12,5O" is not a number` with where = "orders.csv:1842". */
#ifndef BIREBIR_IMPORT_H
#define BIREBIR_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/csv.h"
#include "birebir/error.h"
#include "birebir/locale.h"
#include "birebir/progress.h"
#include "birebir/store.h"

typedef enum bb_import_kind {
    BB_IMPORT_CUSTOMERS = 0,
    BB_IMPORT_PRODUCTS,
    BB_IMPORT_ORDERS,
    BB_IMPORT_ORDER_LINES,
    BB_IMPORT_INTERACTIONS,
    BB_IMPORT_CONSENTS,
    BB_IMPORT_SURVEYS,
    BB_IMPORT_NKINDS
} bb_import_kind;

/* "customers", "order-lines" (also "order_lines"), "survey-responses" (also "surveys"), ... */
int bb_import_kind_parse(const char *name, bb_import_kind *out, bb_error *err) BB_MUST_USE;
const char *bb_import_kind_name(bb_import_kind k);
/* The canonical columns of a kind, in export order, ended by NULL; *required (may be NULL) gets a
 * bit mask: bit i set when column i must be present. */
const char *const *bb_import_columns(bb_import_kind k, unsigned *required);

/* --map SRC=DEST: the file's column SRC (case-insensitive) is read as DEST. DEST "" or "-" ignores
 * the column. */
typedef struct bb_import_map {
    const char *src, *dest;
} bb_import_map;

typedef struct bb_import_options {
    bb_import_kind kind;
    bb_locale locale;        /* numbers and dates */
    int utc_offset;          /* seconds east of UTC of naive times (bb_locale_utc_offset) */
    const char *date_format; /* NULL: the forms of datetime.h; else bb_time_parse_fmt's format */
    const char *id_kind;     /* customer references are identifiers of this kind (store.h) */
    const char *currency;    /* when there is no currency column or it is empty; NULL: "TRY" */
    const bb_import_map *maps;
    size_t n_maps;
    /* the run (bb_import_file only) */
    const char *rejects_path;  /* NULL: FILE.rejects.csv ("stdin.rejects.csv" for "-") */
    int strict;                /* the first bad row aborts, nothing is written */
    int dry_run;               /* validate and report only; the store may be NULL */
    int64_t batch_rows;        /* rows per transaction; 0: 200,000 */
    bb_csv_options csv;        /* delimiter, encoding, limits (zeros: detect and defaults) */
    bb_progress_mode progress; /* the progress line on stderr */
    /* called for every rejected row (may be NULL): err->where is "file:line" */
    void (*on_reject)(void *ctx, const bb_error *err);
    void *ctx;
    /* called after each committed batch (may be NULL) with the customers whose orders or order lines
     * the batch wrote, each once (internal ids), e.g. to re-score them; an error ends the import */
    int (*on_batch)(void *batch_ctx, bb_store *s, const int64_t *customer_ids, size_t n, bb_error *err);
    void *batch_ctx;
} bb_import_options;

/* ---- The pure step: a header, then rows, into records ---- */

typedef struct bb_import_mapper bb_import_mapper;

typedef struct bb_import_rec {
    bb_import_kind kind;
    union {
        bb_customer_rec customer;
        bb_product_rec product;
        bb_order_rec order;
        bb_order_line_rec line;
        bb_interaction_rec interaction;
        bb_consent_rec consent;
        bb_survey_rec survey;
    } u;
    int has_line_no; /* order lines: the file gave line_no (else the caller numbers lines) */
} bb_import_rec;

/* Matches a header to the kind's columns. BB_EINVAL when a required column is missing, two columns
 * give the same field, or a --map names a column the header lacks (the message lists the header).
 * o is copied except maps and strings, which must outlive the mapper. Free with bb_import_mapper_free. */
int bb_import_mapper_new(const bb_import_options *o, const char *const *header, size_t n,
                         bb_import_mapper **out, bb_error *err) BB_MUST_USE;
void bb_import_mapper_free(bb_import_mapper *m); /* accepts NULL */
/* The header's columns this kind does not use (customers use every column), comma-separated; "" when
 * none. Valid while the mapper lives. */
const char *bb_import_mapper_ignored(const bb_import_mapper *m);
/* Number of fields a row must have (the header's). */
size_t bb_import_mapper_width(const bb_import_mapper *m);

/* Validates one row (n must equal the header's width) and fills *rec. The record's strings point
 * into the mapper and stay valid until the next call. BB_EINVAL with a message naming the column,
 * the value and what was expected (no where: the caller knows file and line). */
int bb_import_mapper_row(bb_import_mapper *m, const char *const *fields, size_t n, bb_import_rec *rec,
                         bb_error *err) BB_MUST_USE;

/* ---- The run ---- */

typedef struct bb_import_summary {
    int64_t rows_read; /* records after the header */
    int64_t valid;     /* rows that passed validation */
    int64_t inserted, updated, unchanged, rejected;
    int64_t customers_created, products_created, orders_created; /* bare ones, named by rows */
    char rejects_path[1024];                                     /* set when a rejects file was written */
    char delimiter;
    bb_csv_encoding encoding;
    char ignored[512]; /* columns not used (bb_import_mapper_ignored), "" when none */
    double seconds;
} bb_import_summary;

/* Imports path ("-": standard input; gzip transparent) into s (NULL allowed with dry_run).
 * Returns 0 when the file was read to the end (rejected rows are counted in sum, not errors);
 * BB_EINVAL with the row's error when strict and a row is bad (nothing written); a negative code for
 * a file that cannot be read, a header that does not fit, or a store failure (batches already
 * committed stay; running the same import again completes it without duplicates). */
int bb_import_file(bb_store *s, const char *path, const bb_import_options *o, bb_import_summary *sum,
                   bb_error *err) BB_MUST_USE;

#endif
