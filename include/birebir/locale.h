/* locale.h: the locales birebir reads and writes at its edges (numbers, dates, money display).
 * Inside, everything is locale-free: int64 minor units, UTC seconds, UTF-8. */
#ifndef BIREBIR_LOCALE_H
#define BIREBIR_LOCALE_H

#include "birebir/error.h"

typedef enum bb_locale {
    BB_LOCALE_EN = 0, /* 1,234.56  2025-11-23 (ISO only); naive times are UTC */
    BB_LOCALE_TR = 1, /* 1.234,56  23.11.2025 and ISO; naive times are +03:00 (Turkey) */
} bb_locale;

/* Reads "en", "tr", "tr_TR", "tr-TR", "en_US.UTF-8", ... (case-insensitive) into *out.
 * BB_EINVAL with a message naming the accepted values otherwise. */
int bb_locale_parse(const char *name, bb_locale *out, bb_error *err) BB_MUST_USE;
/* "en" or "tr". */
const char *bb_locale_name(bb_locale loc);

#endif
