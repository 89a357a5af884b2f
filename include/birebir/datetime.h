/* datetime.h: civil dates and UTC seconds. Owns the calendar arithmetic (Howard Hinnant's
 * days_from_civil / civil_from_days, proleptic Gregorian), reading dates and times as people and
 * machines write them, and writing UTC as ISO 8601. Storage holds UTC seconds (int64); analytics use
 * days since 1970-01-01; a UTC offset applies only to naive (zone-less) local times at the edge.
 *
 * Accepted forms (after trimming spaces):
 *   always (ISO 8601): 2025-11-23 | 2025-11-23T14:05 | 2025-11-23 14:05:09 | ...:09.123 (fraction
 *     dropped) | with a zone Z, +03:00, +0300 or +03. 'T' or one space between date and time.
 *   tr also: 23.11.2025 | 01.12.2025 14:05 | 01.12.2025 14:05:09 (day first; '.', '/' or '-'
 *     between the parts; 1- or 2-digit day and month; 4-digit year).
 * A date without a time is midnight local time. Ranges are checked (no 31.02.2025, no 24:00, years
 * 1..9999). Naive times are local at utc_offset seconds east of UTC: utc = local - offset. */
#ifndef BIREBIR_DATETIME_H
#define BIREBIR_DATETIME_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"
#include "birebir/locale.h"

#define BB_SECONDS_PER_DAY 86400

/* Days since 1970-01-01 of the civil date y-m-d (m 1..12, d 1..31; not checked). */
int64_t bb_days_from_civil(int64_t y, int m, int d);
/* The civil date of a day number (inverse of bb_days_from_civil). */
void bb_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
/* 1 when y-m-d is a real date (1 <= m <= 12, 1 <= d <= days in that month), else 0. */
int bb_date_valid(int64_t y, int m, int d);

/* The default UTC offset of naive times in a locale: +03:00 (10800 s) for tr (Turkey has kept UTC+3
 * all year since 2016), 0 for en. */
int bb_locale_utc_offset(bb_locale loc);
/* Reads "+03:00", "-05:30", "+0300", "+3", "Z", "UTC" into seconds east of UTC (within +-14:00). */
int bb_utc_offset_parse(const char *s, int *seconds, bb_error *err) BB_MUST_USE;

/* Parses a date-time (forms above) into UTC seconds. BB_EINVAL `"31.02.2025" is not a date-time
 * (expected ...)` otherwise. */
int bb_time_parse(const char *s, bb_locale loc, int utc_offset, int64_t *out,
                  bb_error *err) BB_MUST_USE;
/* Parses a date without a time (forms above) into days since 1970-01-01. */
int bb_date_parse(const char *s, bb_locale loc, int64_t *days, bb_error *err) BB_MUST_USE;

/* Parses s by a strptime-like format for analysts' files. Conversions: %Y (4-digit year), %y (2-digit:
 * 69..99 -> 19xx, else 20xx), %m %d %H %M %S (1 or 2 digits), %f (fraction digits, dropped),
 * %z (Z, +hh[:mm]; overrides utc_offset), %F (%Y-%m-%d), %T (%H:%M:%S), %% ('%'); a space matches one
 * or more spaces; any other character matches itself. Missing fields: date fields default to 1970-01-01
 * when absent, time fields to 0. Ranges are checked. */
int bb_time_parse_fmt(const char *s, const char *fmt, int utc_offset, int64_t *out,
                      bb_error *err) BB_MUST_USE;

/* Writes UTC seconds as "2025-11-23T11:05:09Z" (20 bytes + NUL; size >= 21). Returns buf. */
char *bb_time_format_iso(int64_t t, char *buf, size_t size);
/* Writes a day number as "2025-11-23" (size >= 11). Returns buf. */
char *bb_date_format_iso(int64_t days, char *buf, size_t size);

#endif
