/* bench_demo.c: the demo generator's half of bench/demo_1m.sh.
 *   bench_demo generate N [SEED]  times the generator alone (records dropped) and prints rows/s;
 *   bench_demo csv DIR N [SEED]   writes the same records as CSV files in DIR (customers, orders,
 *                                 order_lines, interactions, consents, surveys) for the anchor, a
 *                                 bare sqlite3 .import of the same rows. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "birebir/demo.h"

typedef struct csv_sink {
    FILE *f[6];
    int64_t rows;
} csv_sink;

enum { F_CUST, F_ORD, F_LINE, F_INT, F_CONS, F_SURV };
static const char *const file_names[6] = {"customers.csv", "orders.csv", "order_lines.csv",
                                          "interactions.csv", "consents.csv", "surveys.csv"};

/* A CSV field: quoted, quotes doubled; NULL as empty. */
static void field(FILE *f, const char *s, int last)
{
    if (s) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    }
    fputc(last ? '\n' : ',', f);
}

static int w_customer(void *ctx, const bb_customer_rec *r, bb_error *err)
{
    csv_sink *k = ctx;
    FILE *f = k->f[F_CUST];
    (void)err;
    field(f, r->customer_id, 0), field(f, r->first_name, 0), field(f, r->last_name, 0);
    field(f, r->email, 0), field(f, r->phone, 0), field(f, r->city, 0), field(f, r->birth_date, 0);
    field(f, r->gender, 0), fprintf(f, "%" PRId64 ",", r->created_at), field(f, r->attributes_json, 1);
    k->rows++;
    return 0;
}

static int w_order(void *ctx, const bb_order_rec *r, bb_error *err)
{
    csv_sink *k = ctx;
    FILE *f = k->f[F_ORD];
    (void)err;
    field(f, r->order_id, 0), field(f, r->customer_ref, 0);
    fprintf(f, "%" PRId64 ",%" PRId64 ",", r->ordered_at, r->amount_minor);
    field(f, r->currency, 0), field(f, r->channel, 1);
    k->rows++;
    return 0;
}

static int w_line(void *ctx, const bb_order_line_rec *r, bb_error *err)
{
    csv_sink *k = ctx;
    FILE *f = k->f[F_LINE];
    (void)err;
    field(f, r->order_id, 0), fprintf(f, "%d,", r->line_no), field(f, r->customer_ref, 0), field(f, r->sku, 0);
    fprintf(f, "%g,%" PRId64 "\n", r->quantity, r->unit_price_minor);
    k->rows++;
    return 0;
}

static int w_interaction(void *ctx, const bb_interaction_rec *r, bb_error *err)
{
    csv_sink *k = ctx;
    FILE *f = k->f[F_INT];
    (void)err;
    field(f, r->customer_ref, 0), fprintf(f, "%" PRId64 ",", r->occurred_at), field(f, r->channel, 0);
    field(f, r->direction, 0), field(f, r->kind, 0), field(f, r->subject, 0), field(f, r->body, 1);
    k->rows++;
    return 0;
}

static int w_consent(void *ctx, const bb_consent_rec *r, bb_error *err)
{
    csv_sink *k = ctx;
    FILE *f = k->f[F_CONS];
    (void)err;
    field(f, r->customer_ref, 0), field(f, r->channel, 0), field(f, r->status, 0), field(f, r->source, 0);
    fprintf(f, "%" PRId64 "\n", r->recorded_at);
    k->rows++;
    return 0;
}

static int w_survey(void *ctx, const bb_survey_rec *r, bb_error *err)
{
    csv_sink *k = ctx;
    FILE *f = k->f[F_SURV];
    (void)err;
    field(f, r->customer_ref, 0), field(f, r->survey, 0), fprintf(f, "%d,", r->score), field(f, r->comment, 0);
    fprintf(f, "%" PRId64 "\n", r->responded_at);
    k->rows++;
    return 0;
}

/* Counts rows without keeping them. */
static int count_customer(void *ctx, const bb_customer_rec *r, bb_error *err)
{
    (void)r, (void)err;
    ((csv_sink *)ctx)->rows++;
    return 0;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_demo generate N [SEED] | bench_demo csv DIR N [SEED]\n");
    return 2;
}

int main(int argc, char **argv)
{
    bb_demo_options o;
    bb_demo_summary sum;
    bb_error err = {0};
    csv_sink k = {0};
    int csv, rc = 0;
    double t0, t1;
    int64_t rows;

    if (argc < 3)
        return usage();
    csv = strcmp(argv[1], "csv") == 0;
    if (!csv && strcmp(argv[1], "generate") != 0)
        return usage();
    if (csv && argc < 4)
        return usage();
    bb_demo_options_init(&o);
    o.customers = strtoull(argv[csv ? 3 : 2], NULL, 10);
    if (argc > (csv ? 4 : 3))
        o.seed = strtoull(argv[csv ? 4 : 3], NULL, 10);
    if (csv) {
        char path[4096];
        for (int i = 0; i < 6; i++) {
            snprintf(path, sizeof path, "%s/%s", argv[2], file_names[i]);
            if (!(k.f[i] = fopen(path, "w"))) {
                perror(path);
                return 1;
            }
        }
    }
    bb_demo_sink sink = {
        .ctx = &k,
        .customer = csv ? w_customer : count_customer,
        .order = csv ? w_order : NULL,
        .order_line = csv ? w_line : NULL,
        .interaction = csv ? w_interaction : NULL,
        .consent = csv ? w_consent : NULL,
        .survey = csv ? w_survey : NULL,
    };
    t0 = now_seconds();
    if (bb_demo_generate(&o, &sink, &sum, &err) != 0) {
        fprintf(stderr, "bench_demo: %s\n", err.msg);
        rc = 1;
    }
    t1 = now_seconds();
    for (int i = 0; i < 6; i++)
        if (k.f[i] && fclose(k.f[i]) != 0)
            rc = 1;
    rows = sum.customers + sum.orders + sum.order_lines + sum.interactions + sum.consents + sum.survey_responses;
    printf("rows %" PRId64 " customers %" PRId64 " orders %" PRId64 " order_lines %" PRId64 " interactions %" PRId64
           " consents %" PRId64 " surveys %" PRId64 " seconds %.3f rows_per_s %.0f\n",
           rows, sum.customers, sum.orders, sum.order_lines, sum.interactions, sum.consents, sum.survey_responses,
           t1 - t0, (double)rows / (t1 - t0));
    return rc;
}
