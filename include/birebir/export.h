/* export.h: writing every row of a kind in the canonical columns of import.h, so an export imports
 * back unchanged. CSV: a header line, ',' delimiter, UTF-8, RFC 4180 quoting, amounts as plain
 * decimals with the currency's minor digits ("1234.56", JPY "1234"), times as ISO 8601 UTC
 * ("2025-11-23T11:05:00Z"), absent values empty. Customers add one column per custom attribute (text)
 * and one "id:<kind>" column per identifier kind; a customer with two identifiers of one kind gets a
 * second row carrying only its id and the second identifier. JSON: an array with one object per row,
 * the same keys (absent ones left out), amounts and quantities as JSON numbers written exactly,
 * customers' attributes as an object and their identifiers as [{"kind", "value"}]. */
#ifndef BIREBIR_EXPORT_H
#define BIREBIR_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "birebir/error.h"
#include "birebir/import.h"
#include "birebir/store.h"

typedef enum bb_export_format {
    BB_EXPORT_CSV = 0,
    BB_EXPORT_JSON = 1,
} bb_export_format;

/* "csv" or "json". BB_EUSAGE otherwise. */
int bb_export_format_parse(const char *s, bb_export_format *out, bb_error *err) BB_MUST_USE;

/* Writes every row of kind from s to out (left open); *rows (may be NULL) gets the records written
 * (customers count once however many rows their identifiers take). BB_EIO when writing fails. */
int bb_export_write(bb_store *s, bb_import_kind kind, bb_export_format fmt, FILE *out, int64_t *rows,
                    bb_error *err) BB_MUST_USE;

#endif
