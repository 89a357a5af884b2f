/* datetime.c: calendar arithmetic, parsing and formatting of dates and times (datetime.h). */
#include "birebir/datetime.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms": eras of 400 years (146097 days),
 * years starting on March 1 so the leap day is the last day of the year. */
int64_t bb_days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;                                   /* [0, 399] */
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void bb_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

int bb_date_valid(int64_t y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int bb_locale_utc_offset(bb_locale loc)
{
    return loc == BB_LOCALE_TR ? 3 * 3600 : 0;
}

/* ---- a small cursor scanner ---- */

/* Reads between min and max digits; returns the count read (0 when fewer than min). */
static int num(const char **p, int min, int max, int *v)
{
    int n = 0, x = 0;
    while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9')
        x = x * 10 + ((*p)[n++] - '0');
    if (n < min)
        return 0;
    *p += n;
    *v = x;
    return n;
}

static int eat(const char **p, char c)
{
    if (**p != c)
        return 0;
    (*p)++;
    return 1;
}

/* Z | +hh | +hhmm | +hh:mm (also '-'); returns 1 and sets *off when one was read. */
static int zone(const char **p, int *off)
{
    int h, m = 0, sign;
    const char *q = *p;
    if (*q == 'Z' || *q == 'z') {
        *p = q + 1;
        *off = 0;
        return 1;
    }
    if (*q != '+' && *q != '-')
        return 0;
    sign = *q++ == '-' ? -1 : 1;
    if (!num(&q, 2, 2, &h))
        return 0;
    if (*q == ':') {
        q++;
        if (!num(&q, 2, 2, &m))
            return 0;
    } else if (q[0] >= '0' && q[0] <= '9') {
        if (!num(&q, 2, 2, &m))
            return 0;
    }
    if (h > 14 || m > 59)
        return 0;
    *p = q;
    *off = sign * (h * 3600 + m * 60);
    return 1;
}

typedef struct fields {
    int64_t y;
    int mo, d, h, mi, s;
    int has_zone, zone;
} fields;

/* HH:MM[:SS[.frac]][zone] */
static int time_part(const char **p, fields *f)
{
    if (!num(p, 1, 2, &f->h) || !eat(p, ':') || !num(p, 2, 2, &f->mi))
        return 0;
    if (eat(p, ':')) {
        int frac;
        if (!num(p, 2, 2, &f->s))
            return 0;
        if ((**p == '.' || **p == ',') && (*p)[1] >= '0' && (*p)[1] <= '9') {
            (*p)++;
            while (num(p, 1, 9, &frac))
                ;
        }
    }
    f->has_zone = zone(p, &f->zone);
    return 1;
}

/* YYYY-MM-DD[(T| )time] */
static int iso(const char *p, fields *f, int date_only)
{
    int y;
    if (!num(&p, 4, 4, &y) || !eat(&p, '-') || !num(&p, 2, 2, &f->mo) || !eat(&p, '-') ||
        !num(&p, 2, 2, &f->d))
        return 0;
    f->y = y;
    if (!date_only && (*p == 'T' || *p == 't' || *p == ' ')) {
        p++;
        if (!time_part(&p, f))
            return 0;
    }
    return *p == '\0';
}

/* D.M.YYYY[ time] with '.', '/' or '-' (the same twice) */
static int dmy(const char *p, fields *f, int date_only)
{
    int y;
    char sep;
    if (!num(&p, 1, 2, &f->d))
        return 0;
    sep = *p;
    if ((sep != '.' && sep != '/' && sep != '-') || !eat(&p, sep) || !num(&p, 1, 2, &f->mo) ||
        !eat(&p, sep) || !num(&p, 4, 4, &y))
        return 0;
    f->y = y;
    if (!date_only && *p == ' ') {
        while (*p == ' ')
            p++;
        if (!time_part(&p, f))
            return 0;
    }
    return *p == '\0';
}

static int fields_ok(const fields *f)
{
    return f->y >= 1 && f->y <= 9999 && bb_date_valid(f->y, f->mo, f->d) && f->h <= 23 && f->mi <= 59 &&
           f->s <= 59;
}

static int64_t to_utc(const fields *f, int utc_offset)
{
    int64_t local =
        bb_days_from_civil(f->y, f->mo, f->d) * BB_SECONDS_PER_DAY + f->h * 3600 + f->mi * 60 + f->s;
    return local - (f->has_zone ? f->zone : utc_offset);
}

/* Copies s without surrounding spaces into buf (NUL-terminated); 0 when it does not fit. */
static int trimmed(const char *s, char *buf, size_t size)
{
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= size)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 1;
}

static int parse_any(const char *s, bb_locale loc, int date_only, fields *f)
{
    char t[64];
    memset(f, 0, sizeof *f);
    if (!trimmed(s, t, sizeof t))
        return -1;
    if (iso(t, f, date_only))
        return fields_ok(f) ? 0 : 1;
    memset(f, 0, sizeof *f);
    if (loc == BB_LOCALE_TR && dmy(t, f, date_only))
        return fields_ok(f) ? 0 : 1;
    return -1;
}

/* parse_any with the messages: what is wrong, and the locale that would read it. */
static int parse_checked(const char *s, bb_locale loc, int date_only, fields *f, bb_error *err)
{
    const char *what = date_only ? "date" : "date-time";
    int rc = parse_any(s, loc, date_only, f);
    if (rc > 0)
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not a valid %s (%s)", s, what,
                            date_only ? "no such day" : "out of range");
    if (rc < 0 && loc == BB_LOCALE_EN && parse_any(s, BB_LOCALE_TR, date_only, f) == 0)
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not a %s in the en locale (it is one in tr)", s, what);
    if (rc < 0)
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not a %s (expected %s)", s, what,
                            date_only ? (loc == BB_LOCALE_TR ? "23.11.2025 or 2025-11-23" : "2025-11-23")
                            : loc == BB_LOCALE_TR ? "23.11.2025, 23.11.2025 14:05[:09] or ISO 8601"
                                                  : "ISO 8601: 2025-11-23 or 2025-11-23 14:05[:09][+03:00]");
    return 0;
}

int bb_time_parse(const char *s, bb_locale loc, int utc_offset, int64_t *out, bb_error *err)
{
    fields f;
    int rc = parse_checked(s, loc, 0, &f, err);
    if (rc == 0)
        *out = to_utc(&f, utc_offset);
    return rc;
}

int bb_date_parse(const char *s, bb_locale loc, int64_t *days, bb_error *err)
{
    fields f;
    int rc = parse_checked(s, loc, 1, &f, err);
    if (rc == 0)
        *days = bb_days_from_civil(f.y, f.mo, f.d);
    return rc;
}

int bb_utc_offset_parse(const char *s, int *seconds, bb_error *err)
{
    char t[16];
    const char *p = t;
    int h, m = 0, sign;
    if (!trimmed(s, t, sizeof t))
        goto bad;
    if (strcmp(t, "Z") == 0 || strcmp(t, "UTC") == 0 || strcmp(t, "GMT") == 0) {
        *seconds = 0;
        return 0;
    }
    if (*p != '+' && *p != '-')
        goto bad;
    sign = *p++ == '-' ? -1 : 1;
    if (!num(&p, 1, 2, &h))
        goto bad;
    if (*p == ':') {
        p++;
        if (!num(&p, 2, 2, &m))
            goto bad;
    } else if (*p && !num(&p, 2, 2, &m)) {
        goto bad;
    }
    if (*p || h > 14 || m > 59 || h * 60 + m > 14 * 60)
        goto bad;
    *seconds = sign * (h * 3600 + m * 60);
    return 0;
bad:
    return bb_error_set(err, BB_EINVAL, "\"%s\" is not a UTC offset (expected e.g. +03:00 or Z)", s);
}

/* One conversion of bb_time_parse_fmt; returns 0 on a match. */
static int fmt_conv(const char **p, char conv, fields *f)
{
    int v;
    switch (conv) {
    case 'Y':
        if (!num(p, 4, 4, &v))
            return -1;
        f->y = v;
        return 0;
    case 'y':
        if (!num(p, 2, 2, &v))
            return -1;
        f->y = v >= 69 ? 1900 + v : 2000 + v;
        return 0;
    case 'm':
        return num(p, 1, 2, &f->mo) ? 0 : -1;
    case 'd':
        return num(p, 1, 2, &f->d) ? 0 : -1;
    case 'H':
        return num(p, 1, 2, &f->h) ? 0 : -1;
    case 'M':
        return num(p, 1, 2, &f->mi) ? 0 : -1;
    case 'S':
        return num(p, 1, 2, &f->s) ? 0 : -1;
    case 'f':
        if (!num(p, 1, 9, &v))
            return -1;
        while (num(p, 1, 9, &v)) {
        }
        return 0;
    case 'z':
        return zone(p, &f->zone) && (f->has_zone = 1) ? 0 : -1;
    case '%':
        return eat(p, '%') ? 0 : -1;
    case 'F':
        return fmt_conv(p, 'Y', f) || !eat(p, '-') || fmt_conv(p, 'm', f) || !eat(p, '-') ||
                       fmt_conv(p, 'd', f)
                   ? -1
                   : 0;
    case 'T':
        return fmt_conv(p, 'H', f) || !eat(p, ':') || fmt_conv(p, 'M', f) || !eat(p, ':') ||
                       fmt_conv(p, 'S', f)
                   ? -1
                   : 0;
    default:
        return -1;
    }
}

int bb_time_parse_fmt(const char *s, const char *fmt, int utc_offset, int64_t *out, bb_error *err)
{
    fields f = {.y = 1970, .mo = 1, .d = 1};
    char t[128];
    const char *p = t;
    if (!trimmed(s, t, sizeof t))
        goto bad;
    for (const char *q = fmt; *q; q++) {
        if (*q == '%') {
            if (!q[1] || fmt_conv(&p, *++q, &f) != 0)
                goto bad;
        } else if (*q == ' ') {
            if (*p != ' ')
                goto bad;
            while (*p == ' ')
                p++;
        } else if (!eat(&p, *q)) {
            goto bad;
        }
    }
    if (*p)
        goto bad;
    if (!fields_ok(&f))
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not a valid date-time (out of range)", s);
    *out = to_utc(&f, utc_offset);
    return 0;
bad:
    return bb_error_set(err, BB_EINVAL, "\"%s\" does not match the date format \"%s\"", s, fmt);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Two digits of v (0..99) at p. */
static void two(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

char *bb_time_format_iso(int64_t t, char *buf, size_t size)
{
    int64_t days = floor_div(t, BB_SECONDS_PER_DAY), y;
    int64_t sec = t - days * BB_SECONDS_PER_DAY;
    int m, d;
    bb_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999 || size < 21) { /* rare: through snprintf */
        snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, (int)(sec / 3600),
                 (int)(sec / 60 % 60), (int)(sec % 60));
        return buf;
    }
    /* digit by digit: every time in every 360 view is written here, and snprintf's format parsing was
     * most of the cost */
    two(buf, (int)(y / 100));
    two(buf + 2, (int)(y % 100));
    buf[4] = '-';
    two(buf + 5, m);
    buf[7] = '-';
    two(buf + 8, d);
    buf[10] = 'T';
    two(buf + 11, (int)(sec / 3600));
    buf[13] = ':';
    two(buf + 14, (int)(sec / 60 % 60));
    buf[16] = ':';
    two(buf + 17, (int)(sec % 60));
    buf[19] = 'Z';
    buf[20] = '\0';
    return buf;
}

char *bb_date_format_iso(int64_t days, char *buf, size_t size)
{
    int64_t y;
    int m, d;
    bb_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02d-%02d", (long long)y, m, d);
    return buf;
}
