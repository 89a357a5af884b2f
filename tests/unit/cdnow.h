/* cdnow.h: test helpers that read the CDNOW sample (Fader, Hardie & Lee 2005) from BB_DATASETS_DIR:
 * the raw transactions and the published calibration summaries. Header-only, for the model tests. */
#ifndef BB_TEST_CDNOW_H
#define BB_TEST_CDNOW_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CDNOW_N 2357

static inline const char *cdnow_dir(void)
{
    const char *e = getenv("BB_DATASETS_DIR");
    return e && *e ? e : BB_DATASETS_DIR;
}

static inline FILE *cdnow_open(const char *name)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/cdnow/%s", cdnow_dir(), name);
    return fopen(path, "r");
}

/* 1 when the CDNOW files are there; else prints why the data tests are skipped. */
static inline int cdnow_available(void)
{
    FILE *f = cdnow_open("CDNOW_sample.txt");
    if (!f) {
        printf("SKIPPED: CDNOW data not found in %s/cdnow (set BB_DATASETS_DIR)\n", cdnow_dir());
        return 0;
    }
    fclose(f);
    return 1;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
static inline int64_t cdnow_days(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The published summary (cdnow_customers_summary_with_transactions.csv): x, t_x, T (weeks), zbar ($). */
typedef struct cdnow_summary {
    int32_t x[CDNOW_N];
    double t_x[CDNOW_N], T[CDNOW_N], zbar[CDNOW_N];
    size_t n;
} cdnow_summary;

static inline int cdnow_load_summary(cdnow_summary *s)
{
    char line[256];
    FILE *f = cdnow_open("cdnow_customers_summary_with_transactions.csv");
    s->n = 0;
    if (!f)
        return -1;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    while (s->n < CDNOW_N && fgets(line, sizeof line, f)) {
        int id, x;
        double a, b, z;
        if (sscanf(line, "%d,%d,%lf,%lf,%lf", &id, &x, &a, &b, &z) == 5) {
            s->x[s->n] = x;
            s->t_x[s->n] = a;
            s->T[s->n] = b;
            s->zbar[s->n] = z;
            s->n++;
        }
    }
    fclose(f);
    return s->n == CDNOW_N ? 0 : -1;
}

/* The raw sample (CDNOW_sample.txt): customer index (sample id - 1), day, value in cents. */
typedef struct cdnow_raw {
    int64_t *cust, *day, *cents;
    size_t n;
} cdnow_raw;

static inline int cdnow_load_raw(cdnow_raw *r)
{
    char line[256];
    size_t cap = 8000;
    FILE *f = cdnow_open("CDNOW_sample.txt");
    r->n = 0;
    r->cust = malloc(cap * sizeof *r->cust);
    r->day = malloc(cap * sizeof *r->day);
    r->cents = malloc(cap * sizeof *r->cents);
    if (!f || !r->cust || !r->day || !r->cents) {
        if (f)
            fclose(f);
        return -1;
    }
    while (r->n < cap && fgets(line, sizeof line, f)) {
        long master, id, date, cds;
        double usd;
        if (sscanf(line, "%ld %ld %ld %ld %lf", &master, &id, &date, &cds, &usd) != 5)
            continue;
        r->cust[r->n] = id - 1;
        r->day[r->n] = cdnow_days((int)(date / 10000), (int)(date / 100 % 100), (int)(date % 100));
        r->cents[r->n] = (int64_t)(usd * 100.0 + 0.5);
        r->n++;
    }
    fclose(f);
    return 0;
}

static inline void cdnow_free_raw(cdnow_raw *r)
{
    free(r->cust);
    free(r->day);
    free(r->cents);
}

#endif
