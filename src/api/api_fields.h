/* api_fields.h: typed reading of JSON request fields with errors that name the JSON path at fault
 * (api_fields.c). Each getter leaves its output NULL/0 and *has 0 when the field is absent or null;
 * strings returned borrow from the JSON document. Internal to src/api/. */
#ifndef BB_API_FIELDS_H
#define BB_API_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "birebir/error.h"

enum { BB__PATH_MAX = 192 };
enum {
    BB__REQUIRED = 1, /* absent, null or empty is an error */
    BB__ID = 2,       /* an integer is accepted too, and turned into its text */
};
enum { BB__TEXT_MAX = 1 << 20, BB__ID_MAX = 512 };
/* The currency of amounts that name none: the store's default (meta default_currency, TRY). */
#define BB__DEFAULT_CURRENCY "TRY"

/* base + "." + key into out ("$[3]" and "amount" give "$[3].amount"). */
void bb__path(char *out, size_t size, const char *base, const char *key);
/* BB_EINVAL naming the first field of o not in allowed (a NULL-terminated list). */
int bb__fields_known(json_t *o, const char *base, const char *const *allowed, bb_error *err);

int bb__field_text(json_t *o, const char *base, const char *key, int flags, size_t max, const char **out,
                   bb_error *err);
/* An array of at most max items (shape names them in messages: "{\"sku\", \"quantity\"}"); *out NULL when
 * absent. */
int bb__field_array(json_t *o, const char *base, const char *key, size_t max, const char *shape, json_t **out,
                    bb_error *err);
/* A text that must be one of values (NULL-terminated). */
int bb__field_enum(json_t *o, const char *base, const char *key, int flags, const char *const *values,
                   const char **out, bb_error *err);
int bb__field_int(json_t *o, const char *base, const char *key, int flags, int64_t lo, int64_t hi,
                  int64_t *out, int *has, bb_error *err);
/* A JSON number, or a string holding one. */
int bb__field_number(json_t *o, const char *base, const char *key, int flags, double *out, int *has,
                     bb_error *err);
/* An amount in minor units of currency ("" or NULL: BB__DEFAULT_CURRENCY); decimals past the currency's
 * are rounded half away from zero (num.h). */
int bb__field_money(json_t *o, const char *base, const char *key, int flags, const char *currency,
                    int64_t *out, int *has, bb_error *err);
/* A time: ISO 8601 text (UTC unless it says its offset) or an integer of UTC seconds. */
int bb__field_time(json_t *o, const char *base, const char *key, int flags, int64_t *out, int *has,
                   bb_error *err);
/* An ISO 4217 code (three capitals) into out; "" when absent. */
int bb__field_currency(json_t *o, const char *base, const char *key, char out[4], bb_error *err);
/* A date YYYY-MM-DD. */
int bb__field_date(json_t *o, const char *base, const char *key, const char **out, bb_error *err);


#endif
