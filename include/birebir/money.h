/* money.h: ISO 4217 currency codes, their minor-unit digits, reading amounts into int64 minor units,
 * and formatting minor units for people. Storage never holds a float: an amount is (minor, code). */
#ifndef BIREBIR_MONEY_H
#define BIREBIR_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"
#include "birebir/locale.h"

/* The number of minor-unit digits of an active ISO 4217 currency (TRY 2, JPY 0, KWD 3, CLF 4), or -1
 * when the code is not one. Exact match: upper-case three letters. */
int bb_money_digits(const char *code);

/* Validates a currency code written by a person (" try " is fine) and writes the canonical upper-case
 * code into out (4 bytes). BB_EINVAL `"TL" is not an ISO 4217 currency code (e.g. TRY, USD, EUR)`. */
int bb_money_code_parse(const char *s, char out[4], bb_error *err) BB_MUST_USE;

/* Parses an amount in the currency's minor units (num.h rules; more digits than the currency has are
 * rounded half away from zero). */
int bb_money_parse(const char *s, bb_locale loc, const char *code, int64_t *minor,
                   bb_error *err) BB_MUST_USE;

/* Formats minor units for display: tr "1.234,56 ₺", "-7,50 ₺", "1.234 JPY"..., en "₺1,234.56",
 * "-$7.50", "KWD 1,234.567". Writes at most size bytes (NUL-terminated, truncated when short) and
 * returns the length the full text needs, like snprintf. */
size_t bb_money_format(int64_t minor, const char *code, bb_locale loc, char *buf, size_t size);

/* Formats minor units as a plain machine decimal: 123456 TRY -> "1234.56", -5 JPY -> "-5"
 * (no grouping; what export writes). Same return convention as bb_money_format. */
size_t bb_money_format_plain(int64_t minor, int digits, char *buf, size_t size);

#endif
