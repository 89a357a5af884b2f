/* demo_time.c: the demo's calendar: civil dates to days and back (Howard Hinnant's algorithms, no
 * gmtime), parsing and formatting YYYY-MM-DD, the opening day three years before the end, and the
 * times of day at which people shop on each channel. */
#include <stdio.h>
#include <string.h>

#include "demo/demo_internal.h"

int64_t bb__days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void bb__civil_from_days(int64_t z, int *y, int *m, int *d)
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
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

int bb_demo_parse_date(const char *s, int64_t *out, bb_error *err)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        goto bad;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            goto bad;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not a date: there is no day %d in month %d of %d", s, d,
                            m, y);
    if (y < 1971 || y > 2200)
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not between 1971-01-01 and 2200-12-31", s);
    *out = bb__days_from_civil(y, m, d) * BB__DAY;
    return 0;
bad:
    return bb_error_set(err, BB_EINVAL, "\"%s\" is not a date of the form YYYY-MM-DD", s ? s : "");
}

const char *bb_demo_format_date(int64_t t, char *buf, unsigned long size)
{
    int y, m, d;
    int64_t days = t >= 0 ? t / BB__DAY : -((-t + BB__DAY - 1) / BB__DAY);
    bb__civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    return buf;
}

int64_t bb__demo_start(int64_t end)
{
    int y, m, d;
    bb__civil_from_days(end / BB__DAY, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return bb__days_from_civil(y - 3, m, d) * BB__DAY;
}

/* ---- times of day ---- */

/* Relative activity by local hour, per channel: evenings online, afternoons in the shops. */
static const double hour_weights[BB__N_CHANNELS][24] = {
    {2, 1, .5, .3, .2, .2, .4, .8, 1.5, 2.5, 3.5, 4, 4.5, 4.5, 4, 4, 4, 4, 4.5, 5, 6, 6.5, 5.5, 4},
    {2.5, 1.2, .5, .3, .2, .3, .8, 1.5, 2.5, 2.5, 3, 3.5, 4.5, 4.5, 3.5, 3.5, 3.5, 4, 4.5, 5.5, 6.5, 7, 6, 4.5},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 4, 5, 5.5, 6, 6, 6.5, 7, 6.5, 5, 3, .5, 0},
};

/* A UTC time on the UTC day of t, at a local time of day typical of the channel. */
int64_t bb__time_on_day(bb_rng *g, int64_t t, int channel)
{
    int64_t day = t / BB__DAY;
    int h = (int)bb_rng_pick(g, hour_weights[channel], 24);
    int64_t sec = ((h * 3600 - BB__TR_UTC_OFFSET + BB__DAY) % BB__DAY) + (int64_t)bb_rng_below(g, 3600);
    return day * BB__DAY + sec;
}
