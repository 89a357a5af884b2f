/* api_fields.c: reading the fields of a JSON request body into typed values, with errors that name the
 * JSON path of the value at fault ("$.lines[2].quantity"). Strings must be free of NUL characters and
 * within a length; ids may also be given as integers; money is a JSON number or a decimal string, read
 * exactly into minor units; times are ISO 8601 text or UTC seconds. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_fields.h"

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
    json_t *v = json_object_get(o, key);
    char where[BB__PATH_MAX], num[32];
    int rc;
    *out = NULL;
    bb__path(where, sizeof where, base, key);
    if (!v || json_is_null(v)) {
        if (flags & BB__REQUIRED)
            return bb_error_setw(err, BB_EINVAL, where, "%s is required", key);
        return 0;
    }
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
    json_t *v = json_object_get(o, key);
    char where[BB__PATH_MAX];
    bb__path(where, sizeof where, base, key);
    *has = 0;
    if (!v || json_is_null(v))
        return (flags & BB__REQUIRED) ? bb_error_setw(err, BB_EINVAL, where, "%s is required", key) : 0;
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
    json_t *v = json_object_get(o, key);
    char where[BB__PATH_MAX], *end = NULL;
    bb__path(where, sizeof where, base, key);
    *has = 0;
    if (!v || json_is_null(v))
        return (flags & BB__REQUIRED) ? bb_error_setw(err, BB_EINVAL, where, "%s is required", key) : 0;
    if (json_is_number(v)) {
        *out = json_number_value(v);
    } else if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < 64 &&
               !isspace((unsigned char)json_string_value(v)[0])) {
        *out = strtod(json_string_value(v), &end);
        if (*end != '\0' || !isfinite(*out))
            return bb_error_setw(err, BB_EINVAL, where, "%s \"%s\" is not a number", key, json_string_value(v));
    } else {
        return bb_error_setw(err, BB_EINVAL, where, "%s must be a number", key);
    }
    *has = 1;
    return 0;
}

/* ---- Money. TODO(ingest): replace the decimal reading and the exponents with include/birebir/money.h
 * once it lands; this is the smallest glue that reads "250.00" exactly. ---- */

int bb__currency_exponent(const char *code)
{
    static const char *const zero[] = {"JPY", "KRW", "CLP", "ISK", "VND", "XOF", "XAF", "UGX", "PYG", NULL};
    static const char *const three[] = {"BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD", NULL};
    for (size_t i = 0; code && zero[i]; i++)
        if (strcmp(code, zero[i]) == 0)
            return 0;
    for (size_t i = 0; code && three[i]; i++)
        if (strcmp(code, three[i]) == 0)
            return 3;
    return 2;
}

/* Reads a decimal ("-12", "250.5", "250.00") into minor units with `exp` decimals; 0 or -1. */
static int decimal_minor(const char *s, int exp, int64_t *out)
{
    int neg = 0, decimals = -1;
    int64_t v = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1])))
        return -1;
    for (; *s; s++) {
        if (*s == '.' && decimals < 0) {
            decimals = 0;
            continue;
        }
        if (!isdigit((unsigned char)*s))
            return -1;
        if (decimals >= 0 && ++decimals > exp) {
            if (*s != '0') /* more precision than the currency has */
                return -1;
            continue;
        }
        if (v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    for (int d = decimals < 0 ? 0 : decimals; d < exp; d++) {
        if (v > INT64_MAX / 10)
            return -1;
        v *= 10;
    }
    *out = neg ? -v : v;
    return 0;
}

int bb__field_money(json_t *o, const char *base, const char *key, int flags, const char *currency,
                    int64_t *out, int *has, bb_error *err)
{
    json_t *v = json_object_get(o, key);
    char where[BB__PATH_MAX], text[64];
    int exp = bb__currency_exponent(currency);
    bb__path(where, sizeof where, base, key);
    *has = 0;
    if (!v || json_is_null(v))
        return (flags & BB__REQUIRED) ? bb_error_setw(err, BB_EINVAL, where, "%s is required", key) : 0;
    if (json_is_integer(v))
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v) && isfinite(json_real_value(v)))
        snprintf(text, sizeof text, "%.15g", json_real_value(v)); /* shortest exact form of e.g. 19.99 */
    else if (json_is_string(v) && json_string_length(v) < sizeof text)
        snprintf(text, sizeof text, "%s", json_string_value(v));
    else
        return bb_error_setw(err, BB_EINVAL, where, "%s must be an amount: a number or a decimal string", key);
    if (strchr(text, 'e') || strchr(text, 'E') || decimal_minor(text, exp, out) != 0)
        return bb_error_setw(err, BB_EINVAL, where, "%s \"%s\" is not an amount of %s (%d decimals)", key, text,
                             currency && *currency ? currency : "the default currency", exp);
    *has = 1;
    return 0;
}

/* ---- Times. TODO(ingest): replace with include/birebir/datetime.h once it lands. ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (!isdigit((unsigned char)**s))
            return -1;
        v = v * 10 + (**s - '0');
    }
    *out = v;
    return 0;
}

int bb__iso8601(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' || digits(&s, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
        (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
        return -1;
    if (*s == 'T' || *s == 't' || *s == ' ') {
        s++;
        if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi))
            return -1;
        if (*s == ':') {
            s++;
            if (digits(&s, 2, &sec))
                return -1;
            if (*s == '.' || *s == ',')
                for (s++; isdigit((unsigned char)*s); s++)
                    ;
        }
        if (h > 23 || mi > 59 || sec > 60)
            return -1;
        if (*s == 'Z' || *s == 'z') {
            s++;
        } else if (*s == '+' || *s == '-') {
            sign = *s++ == '-' ? -1 : 1;
            if (digits(&s, 2, &oh))
                return -1;
            if (*s == ':')
                s++;
            if (*s && digits(&s, 2, &om))
                return -1;
            if (oh > 23 || om > 59)
                return -1;
        }
    }
    if (*s)
        return -1;
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec -
           sign * (oh * 3600 + om * 60);
    return 0;
}

int bb__field_time(json_t *o, const char *base, const char *key, int flags, int64_t *out, int *has,
                   bb_error *err)
{
    json_t *v = json_object_get(o, key);
    char where[BB__PATH_MAX];
    bb__path(where, sizeof where, base, key);
    *has = 0;
    if (!v || json_is_null(v))
        return (flags & BB__REQUIRED) ? bb_error_setw(err, BB_EINVAL, where, "%s is required", key) : 0;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
    } else if (!json_is_string(v) || json_string_length(v) > 64 || bb__iso8601(json_string_value(v), out) != 0) {
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
    if (strlen(v) != 3 || !isupper((unsigned char)v[0]) || !isupper((unsigned char)v[1]) ||
        !isupper((unsigned char)v[2])) {
        bb__path(where, sizeof where, base, key);
        return bb_error_setw(err, BB_EINVAL, where, "%s \"%s\" is not an ISO 4217 code such as TRY", key, v);
    }
    memcpy(out, v, 4);
    return 0;
}

int bb__field_date(json_t *o, const char *base, const char *key, const char **out, bb_error *err)
{
    char where[BB__PATH_MAX];
    int64_t t;
    int rc = bb__field_text(o, base, key, 0, 10, out, err);
    if (rc != 0 || !*out)
        return rc;
    bb__path(where, sizeof where, base, key);
    if (strlen(*out) != 10 || bb__iso8601(*out, &t) != 0)
        return bb_error_setw(err, BB_EINVAL, where, "%s \"%s\" is not a date YYYY-MM-DD", key, *out);
    return 0;
}

void bb__iso_time(int64_t t, char *out, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, size, "%lld", (long long)t);
}
