/* demo_time.c: the demo's calendar (on core's datetime.h): which ends are allowed, the opening day
 * three years before the end, and the times of day at which people shop on each channel. */
#include "birebir/datetime.h"
#include "demo/demo_internal.h"

int bb_demo_options_check(const bb_demo_options *o, bb_error *err)
{
    int64_t first = bb_days_from_civil(BB_DEMO_END_FIRST_YEAR, 1, 1) * BB__DAY;
    int64_t last = bb_days_from_civil(BB_DEMO_END_LAST_YEAR, 12, 31) * BB__DAY;
    if (o->customers < 1 || o->customers > BB_DEMO_MAX_CUSTOMERS)
        return bb_error_set(err, BB_EINVAL, "the demo makes from 1 to %d customers, not %llu",
                            BB_DEMO_MAX_CUSTOMERS, (unsigned long long)o->customers);
    if (o->end % BB__DAY != 0)
        return bb_error_set(err, BB_EINVAL, "the demo's end must be a midnight (UTC)");
    if (o->end < first || o->end > last)
        return bb_error_set(err, BB_EINVAL, "the demo's end must be a day from %d-01-01 to %d-12-31",
                            BB_DEMO_END_FIRST_YEAR, BB_DEMO_END_LAST_YEAR);
    return 0;
}

int64_t bb__demo_start(int64_t end)
{
    int64_t y;
    int m, d;
    bb_civil_from_days(end / BB__DAY, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return bb_days_from_civil(y - 3, m, d) * BB__DAY;
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
