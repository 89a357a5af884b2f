/* json_text.h: JSON string escaping into a bb_buf, shared by the importer (custom attributes) and
 * the exporter. Internal to src/ingest/. */
#ifndef BB_INGEST_JSON_TEXT_H
#define BB_INGEST_JSON_TEXT_H

#include "birebir/buf.h"

/* Appends s (UTF-8, NUL-terminated) to b as a JSON string with its quotes. BB_ENOMEM/BB_ELIMIT. */
int bb__json_str(bb_buf *b, const char *s) BB_MUST_USE;

#endif
