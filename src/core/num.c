/* num.c: strict, locale-aware reading of decimal numbers (num.h). */
#include "birebir/num.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A number split into its parts; ranges point into the caller's text. */
typedef struct parts {
    int neg;
    const char *ip, *ie; /* integer part, may contain the separator grp */
    const char *fp, *fe; /* fraction digits (empty when none) */
    char grp;            /* thousands separator used in [ip, ie), or 0 */
} parts;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Exact grouping: 1-3 leading digits (not starting with 0), then groups of exactly 3. */
static int grouping_ok(const char *p, const char *e, char grp)
{
    const char *q = p;
    int n = 0;
    while (q < e && is_digit(*q))
        q++, n++;
    if (n < 1 || n > 3 || *p == '0')
        return 0;
    while (q < e) {
        if (*q != grp || e - q < 4)
            return 0;
        for (int i = 1; i <= 3; i++)
            if (!is_digit(q[i]))
                return 0;
        q += 4;
    }
    return 1;
}

/* Splits [s, e) with decimal mark dec and thousands separator grp (0: none allowed). */
static int split(const char *s, const char *e, char dec, char grp, parts *p)
{
    const char *q = s;
    int has_grp = 0;
    p->ip = q;
    while (q < e && (is_digit(*q) || (grp && *q == grp))) {
        has_grp |= *q == grp;
        q++;
    }
    p->ie = q;
    p->fp = p->fe = q;
    if (q < e) {
        if (*q != dec)
            return -1;
        p->fp = ++q;
        while (q < e && is_digit(*q))
            q++;
        p->fe = q;
        if (q != e || p->fp == p->fe)
            return -1;
    }
    if (p->ip == p->ie && p->fp == p->fe)
        return -1;
    if (has_grp && !grouping_ok(p->ip, p->ie, grp))
        return -1;
    p->grp = has_grp ? grp : 0;
    return 0;
}

static int scan(const char *s, bb_locale loc, parts *p)
{
    const char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    p->neg = 0;
    if (s < e && (*s == '-' || *s == '+'))
        p->neg = *s++ == '-';
    if (s == e)
        return -1;
    if (loc == BB_LOCALE_EN)
        return split(s, e, '.', ',', p);
    if (memchr(s, ',', (size_t)(e - s)))
        return split(s, e, ',', '.', p);
    {
        /* tr without a comma: a dot is a thousands separator when it groups exactly, else a decimal
         * point (the ISO rule in num.h). */
        const char *dot = memchr(s, '.', (size_t)(e - s));
        if (!dot)
            return split(s, e, ',', 0, p);
        if (grouping_ok(s, e, '.'))
            return split(s, e, ',', '.', p);
        return split(s, e, '.', 0, p);
    }
}

static int not_a_number(const char *s, bb_locale loc, bb_error *err)
{
    parts p;
    bb_locale other = loc == BB_LOCALE_TR ? BB_LOCALE_EN : BB_LOCALE_TR;
    if (scan(s, other, &p) == 0)
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not a number in the %s locale (it is one in %s)",
                            s, bb_locale_name(loc), bb_locale_name(other));
    return bb_error_set(err, BB_EINVAL, "\"%s\" is not a number", s);
}

/* v = v * 10 + d without overflow; returns -1 on overflow. */
static int push_digit(int64_t *v, int d)
{
    if (*v > (INT64_MAX - d) / 10)
        return -1;
    *v = *v * 10 + d;
    return 0;
}

int bb_num_parse_scaled(const char *s, bb_locale loc, int scale, int64_t *out, bb_error *err)
{
    parts p;
    int64_t v = 0;
    const char *q;
    int k = 0;
    if (scale < 0 || scale > 6)
        return bb_error_set(err, BB_EINTERNAL, "scale %d out of range", scale);
    if (scan(s, loc, &p) != 0)
        return not_a_number(s, loc, err);
    for (q = p.ip; q < p.ie; q++)
        if (*q != p.grp && push_digit(&v, *q - '0') != 0)
            goto range;
    for (q = p.fp; k < scale; k++) {
        if (push_digit(&v, q < p.fe ? *q - '0' : 0) != 0)
            goto range;
        if (q < p.fe)
            q++;
    }
    if (q < p.fe && *q >= '5') { /* half away from zero: the first dropped digit decides */
        if (v == INT64_MAX)
            goto range;
        v++;
    }
    *out = p.neg ? -v : v;
    return 0;
range:
    return bb_error_set(err, BB_EINVAL, "\"%s\" is out of range", s);
}

int bb_num_parse_int(const char *s, bb_locale loc, int64_t *out, bb_error *err)
{
    parts p;
    if (scan(s, loc, &p) != 0)
        return not_a_number(s, loc, err);
    for (const char *q = p.fp; q < p.fe; q++)
        if (*q != '0')
            return bb_error_set(err, BB_EINVAL, "\"%s\" is not a whole number", s);
    return bb_num_parse_scaled(s, loc, 0, out, err);
}

int bb_num_parse_double(const char *s, bb_locale loc, double *out, bb_error *err)
{
    parts p;
    char buf[128], *end;
    size_t n = 0;
    double v;
    if (scan(s, loc, &p) != 0)
        return not_a_number(s, loc, err);
    if ((size_t)(p.ie - p.ip) + (size_t)(p.fe - p.fp) + 4 > sizeof buf)
        return bb_error_set(err, BB_EINVAL, "\"%s\" is out of range", s);
    if (p.neg)
        buf[n++] = '-';
    buf[n++] = '0';
    for (const char *q = p.ip; q < p.ie; q++)
        if (*q != p.grp)
            buf[n++] = *q;
    buf[n++] = '.';
    for (const char *q = p.fp; q < p.fe; q++)
        buf[n++] = *q;
    buf[n++] = '0';
    buf[n] = '\0';
    errno = 0;
    v = strtod(buf, &end);
    if (*end || errno == ERANGE || !isfinite(v))
        return bb_error_set(err, BB_EINVAL, "\"%s\" is out of range", s);
    *out = v;
    return 0;
}
