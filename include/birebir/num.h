/* num.h: reading decimal numbers written by people, in a locale, into exact integers (money in minor
 * units, counts) or doubles (quantities, scores). Strict: the whole text must be a number, else
 * BB_EINVAL with the message `"12,5O" is not a number` (a caller adds the file:line and column).
 *
 * Grammar (after trimming ASCII spaces): [+|-] integer-part [decimal-mark fraction]; at least one digit;
 * no exponents, no currency signs, no spaces inside.
 *   en: decimal mark '.', thousands separator ','   "1,234.56"  "1234.56"  "-0.5"  ".5"
 *   tr: decimal mark ',', thousands separator '.'   "1.234,56"  "1234,56"  "7,50"
 * Thousands separators, when used, must group exactly: 1 to 3 leading digits, then groups of 3
 * ("1,234,567"; "12,34" is not a number in en).
 *
 * The ISO rule in tr: machine-written files put "12.5" in a Turkish file. When a tr text has no comma,
 * a dot that is followed by exactly three digits and groups correctly is a thousands separator, as a
 * Turkish reader reads it ("1.234" = 1234, "1.500" = 1500, "1.234.567" = 1234567); any other single dot
 * is a decimal point ("12.5" = 12.5, "0.75", "1234.56", "0.500" = 0.5 because a group cannot start
 * with 0). With a comma present, the comma is the decimal mark and dots must group exactly.
 *
 * Rounding: more fraction digits than the scale asks for are rounded half away from zero
 * ("2.345" at scale 2 = 235, "-2.345" = -235, "0.001" = 0), because price lists do carry sub-unit prices
 * (e.g. 0.001 per piece) and the stored value must be whole minor units.
 * Overflow of int64 is detected: BB_EINVAL `"..." is out of range`. */
#ifndef BIREBIR_NUM_H
#define BIREBIR_NUM_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"
#include "birebir/locale.h"

/* Parses s as a decimal scaled by 10^scale (scale 0..6): "1.234,56" in tr at scale 2 gives 123456. */
int bb_num_parse_scaled(const char *s, bb_locale loc, int scale, int64_t *out,
                        bb_error *err) BB_MUST_USE;
/* Parses s as a whole number; a fraction of zeros ("3,00") is accepted, any other is
 * BB_EINVAL `"3,5" is not a whole number`. */
int bb_num_parse_int(const char *s, bb_locale loc, int64_t *out, bb_error *err) BB_MUST_USE;
/* Parses s as a finite double (the digits as written, correctly rounded). */
int bb_num_parse_double(const char *s, bb_locale loc, double *out, bb_error *err) BB_MUST_USE;

#endif
