/* api_fields.c: reading the fields of a JSON request body into typed values, with errors that name the
 * JSON path of the value at fault ("$.lines[2].quantity"). Strings must be free of NUL characters and
 * within a length; ids may also be given as integers; money is a JSON number or a decimal string, read
 * exactly into minor units (core's money.h); times are ISO 8601 text or UTC seconds (datetime.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/api_fields.h"
#include "birebir/datetime.h"
#include "birebir/money.h"
#include "birebir/num.h"

void bb__path(char *out, size_t size, const char *base, const char *key)
{
    snprintf(out, size, "%s.%s", base, key);
}

int bb__fields_known(json_t *o, const char *base, const char *const *allowed, bb_error *err)
{
    const char *key;
    json_t *v;
    char where[BB__PATH_MAX];
    json_object_foreach(o, key, v) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        if (!allowed[i]) {
            bb__path(where, sizeof where, base, key);
            return bb_error_setw(err, BB_EINVAL, where, "unknown field \"%.80s\"", key);
        }
    }
    return 0;
}

/* The value of key and its path in where. NULL when it is absent or null: then *rc is 0, or BB_EINVAL
 * when the field is required. */
static json_t *value_of(json_t *o, const char *base, const char *key, int flags, char where[BB__PATH_MAX],
                        int *rc, bb_error *err)
{
    json_t *v = json_object_get(o, key);
    bb__path(where, BB__PATH_MAX, base, key);
    *rc = 0;
    if (!v || json_is_null(v)) {
        if (flags & BB__REQUIRED)
            *rc = bb_error_setw(err, BB_EINVAL, where, "%s is required", key);
        return NULL;
    }
    return v;
}

/* Checks a JSON string value: no NUL, at most max bytes. */
static int check_text(json_t *v, const char *key, const char *where, size_t max, bb_error *err)
{
    size_t n = json_string_length(v);
    if (memchr(json_string_value(v), '\0', n))
        return bb_error_setw(err, BB_EINVAL, where, "%s contains a NUL character (\\u0000), which text may not",
                             key);
    if (n > max)
        return bb_error_setw(err, BB_EINVAL, where, "%s is %zu bytes long; at most %zu are allowed", key, n, max);
    return 0;
}

int bb__field_text(json_t *o, const char *base, const char *key, int flags, size_t max, const char **out,
                   bb_error *err)
{
    char where[BB__PATH_MAX], num[32];
    int rc;
    json_t *v = value_of(o, base, key, flags, where, &rc, err);
    *out = NULL;
    if (!v)
        return rc;
    if ((flags & BB__ID) && json_is_integer(v)) {
        /* Numeric ids are common; keep them as text, in the document so they live as long as it. */
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        if (json_object_set_new(o, key, json_string(num)) != 0)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        v = json_object_get(o, key);
    }
    if (!json_is_string(v))
        return bb_error_setw(err, BB_EINVAL, where, "%s must be a string%s", key, (flags & BB__ID) ? " or an integer" : "");
    if ((rc = check_text(v, key, where, max, err)) != 0)
        return rc;
    if (json_string_length(v) == 0) {
        if (flags & BB__REQUIRED)
            return bb_error_setw(err, BB_EINVAL, where, "%s must not be empty", key);
        return 0;
    }
    *out = json_string_value(v);
    return 0;
}

int bb__field_array(json_t *o, const char *base, const char *key, size_t max, const char *shape, json_t **out,
                    bb_error *err)
{
    char where[BB__PATH_MAX];
    int rc;
    json_t *a = value_of(o, base, key, 0, where, &rc, err);
    *out = NULL;
    if (!a)
        return rc;
    if (!json_is_array(a))
        return bb_error_setw(err, BB_EINVAL, where, "%s must be an array of %s", key, shape);
    if (json_array_size(a) > max)
        return bb_error_setw(err, BB_EINVAL, where, "%s has more than %zu items", key, max);
    *out = a;
    return 0;
}

int bb__field_enum(json_t *o, const char *base, const char *key, int flags, const char *const *values,
                   const char **out, bb_error *err)
{
    char where[BB__PATH_MAX], list[160];
    size_t used = 0;
    int rc = bb__field_text(o, base, key, flags, 64, out, err);
    if (rc != 0 || !*out)
        return rc;
    for (size_t i = 0; values[i]; i++) {
        if (strcmp(values[i], *out) == 0)
            return 0;
        used += (size_t)snprintf(list + used, used < sizeof list ? sizeof list - used : 0, "%s%s",
                                 i ? ", " : "", values[i]);
    }
    bb__path(where, sizeof where, base, key);
    return bb_error_setw(err, BB_EINVAL, where, "%s \"%s\" is not one of %s", key, *out, list);
}

int bb__field_int(json_t *o, const char *base, const char *key, int flags, int64_t lo, int64_t hi,
                  int64_t *out, int *has, bb_error *err)
{
    char where[BB__PATH_MAX];
    int rc;
    json_t *v = value_of(o, base, key, flags, where, &rc, err);
    *has = 0;
    if (!v)
        return rc;
    if (!json_is_integer(v))
        return bb_error_setw(err, BB_EINVAL, where, "%s must be an integer", key);
    *out = json_integer_value(v);
    if (*out < lo || *out > hi)
        return bb_error_setw(err, BB_EINVAL, where, "%s %lld is not between %lld and %lld", key, (long long)*out,
                             (long long)lo, (long long)hi);
    *has = 1;
    return 0;
}

int bb__field_number(json_t *o, const char *base, const char *key, int flags, double *out, int *has,
                     bb_error *err)
{
    char where[BB__PATH_MAX];
    int rc;
    json_t *v = value_of(o, base, key, flags, where, &rc, err);
    *has = 0;
    if (!v)
        return rc;
    if (json_is_number(v)) {
        *out = json_number_value(v);
    } else if (json_is_string(v) && json_string_length(v) < 64) {
        if (bb_num_parse_double(json_string_value(v), BB_LOCALE_EN, out, err) != 0)
            return bb_error_setw(err, BB_EINVAL, where, "%s \"%s\" is not a number", key, json_string_value(v));
    } else {
        return bb_error_setw(err, BB_EINVAL, where, "%s must be a number", key);
    }
    *has = 1;
    return 0;
}

/* ---- Money and times: read by core's parsers (money.h, num.h, datetime.h), English decimals. ---- */

int bb__field_money(json_t *o, const char *base, const char *key, int flags, const char *currency,
                    int64_t *out, int *has, bb_error *err)
{
    char where[BB__PATH_MAX], text[64];
    int rc;
    int digits = bb_money_digits(currency && *currency ? currency : BB__DEFAULT_CURRENCY);
    json_t *v = value_of(o, base, key, flags, where, &rc, err);
    *has = 0;
    if (!v)
        return rc;
    if (json_is_integer(v))
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v) && isfinite(json_real_value(v)))
        snprintf(text, sizeof text, "%.15g", json_real_value(v)); /* shortest exact form of e.g. 19.99 */
    else if (json_is_string(v) && json_string_length(v) < sizeof text)
        snprintf(text, sizeof text, "%s", json_string_value(v));
    else
        return bb_error_setw(err, BB_EINVAL, where, "%s must be an amount: a number or a decimal string", key);
    if (bb_money_parse(text, BB_LOCALE_EN, currency && *currency ? currency : BB__DEFAULT_CURRENCY, out, err) != 0)
        return bb_error_setw(err, BB_EINVAL, where, "%s \"%s\" is not an amount of %s (%d decimals)", key, text,
                             currency && *currency ? currency : BB__DEFAULT_CURRENCY, digits);
    *has = 1;
    return 0;
}

int bb__field_time(json_t *o, const char *base, const char *key, int flags, int64_t *out, int *has,
                   bb_error *err)
{
    char where[BB__PATH_MAX];
    int rc;
    json_t *v = value_of(o, base, key, flags, where, &rc, err);
    *has = 0;
    if (!v)
        return rc;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
    } else if (!json_is_string(v) || json_string_length(v) > 64 ||
               bb_time_parse(json_string_value(v), BB_LOCALE_EN, 0, out, NULL) != 0) {
        return bb_error_setw(err, BB_EINVAL, where,
                             "%s must be an ISO 8601 time such as \"2026-11-01T10:00:00Z\" or \"2026-11-01\"", key);
    }
    *has = 1;
    return 0;
}

int bb__field_currency(json_t *o, const char *base, const char *key, char out[4], bb_error *err)
{
    char where[BB__PATH_MAX];
    const char *v;
    int rc = bb__field_text(o, base, key, 0, 8, &v, err);
    out[0] = '\0';
    if (rc != 0 || !v)
        return rc;
    if (bb_money_code_parse(v, out, err) != 0) {
        bb__path(where, sizeof where, base, key);
        return bb_error_setw(err, BB_EINVAL, where, "%s \"%s\" is not an ISO 4217 code such as TRY", key, v);
    }
    return 0;
}

int bb__field_date(json_t *o, const char *base, const char *key, const char **out, bb_error *err)
{
    char where[BB__PATH_MAX];
    int64_t days;
    int rc = bb__field_text(o, base, key, 0, 10, out, err);
    if (rc != 0 || !*out)
        return rc;
    bb__path(where, sizeof where, base, key);
    if (strlen(*out) != 10 || bb_date_parse(*out, BB_LOCALE_EN, &days, NULL) != 0)
        return bb_error_setw(err, BB_EINVAL, where, "%s \"%s\" is not a date YYYY-MM-DD", key, *out);
    return 0;
}
