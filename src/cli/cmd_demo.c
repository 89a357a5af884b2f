/* cmd_demo.c: birebir demo: fill an empty database with the demo business and say what was made. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/analyze.h"
#include "birebir/datetime.h"
#include "birebir/demo.h"
#include "birebir/money.h"
#include "birebir/progress.h"
#include "cli.h"

static const char usage_text[] =
    "Usage: birebir [--db PATH] demo [--customers N] [--seed S] [--end DATE] [--no-analyze] [--json]\n"
    "\n"
    "Fills an empty database with a realistic sample business: Turkish customers (a few registered\n"
    "twice), a catalogue of about 300 products in 12 categories, three years of orders with baskets and\n"
    "returns, campaign messages, complaints and service calls, consents per channel, NPS and CSAT\n"
    "answers. The same seed and number of customers give the same data, on any day.\n"
    "\n"
    "Options:\n"
    "  --customers N  customer records to make, from 1 to 100000000 (default 10000)\n"
    "  --seed S       the random seed, a whole number from 0 to 2^63-1 (default 1)\n"
    "  --end DATE     the day the data ends, YYYY-MM-DD (default 2026-11-01); the business opened\n"
    "                 three years earlier and nothing is dated on or after DATE\n"
    "  --no-analyze   do not run `birebir analyze` on the new data (it runs by default, so the\n"
    "                 customers have their value scores at once)\n"
    "  --json         print what was made as a JSON object\n"
    "\n"
    "Planted for the value models: BG/NBD r=0.9 alpha=6 a=0.7 b=3.5 (weeks), Gamma-Gamma p=6 q=4\n"
    "gamma=700 (TRY). See docs/CLI.md.\n"
    "\n"
    "Exit status: 0 ok, 1 the database is not empty or cannot be written, 2 usage, 3 internal error.\n";

/* A whole number in [lo, hi], digits only (no sign, no spaces). */
static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (!s || !*s)
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static void progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)total;
    bb_progress_update(ctx, (int64_t)done, (int64_t)done);
}

/* The summary's money, dates and times as printed. */
typedef struct shown {
    char revenue[32], returns[32], margin[32], start[16], end[16], first[32], last[32];
} shown;

static void show(const bb_demo_summary *s, shown *t)
{
    bb_money_format_plain(s->revenue_minor, 2, t->revenue, sizeof t->revenue);
    bb_money_format_plain(s->returns_minor, 2, t->returns, sizeof t->returns);
    bb_money_format_plain(s->margin_minor, 2, t->margin, sizeof t->margin);
    bb_date_format_iso(s->start / BB_SECONDS_PER_DAY, t->start, sizeof t->start);
    bb_date_format_iso(s->end / BB_SECONDS_PER_DAY, t->end, sizeof t->end);
    bb_time_format_iso(s->first_order_at, t->first, sizeof t->first);
    bb_time_format_iso(s->last_order_at, t->last, sizeof t->last);
}

/* What the analysis that follows the demo says, as JSON (null when it was skipped). */
static json_t *analysis_json(const bb_analyze_report *a)
{
    if (!a)
        return json_null();
    return json_pack("{s:I, s:s, s:I, s:f}", "run_id", (json_int_t)a->run_id, "model",
                     bb_model_name(a->purchase.model), "customers", (json_int_t)a->customers, "seconds",
                     a->seconds_total);
}

static int print_json(bb_cli *cli, const bb_demo_summary *s, double seconds, const bb_analyze_report *a)
{
    shown t;
    json_t *o, *more;
    show(s, &t);
    o = json_pack("{s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s?, s:s?, s:s, s:s, s:s, s:s,"
                  " s:I, s:I, s:I, s:I, s:I, s:I}",
                  "database", cli->db_path, "seed", (json_int_t)s->seed, "start", t.start, "end", t.end,
                  "customers", (json_int_t)s->customers, "duplicates", (json_int_t)s->duplicates, "buyers",
                  (json_int_t)s->buyers, "products", (json_int_t)s->products, "categories",
                  (json_int_t)s->categories, "orders", (json_int_t)s->orders, "returns", (json_int_t)s->returns,
                  "order_lines", (json_int_t)s->order_lines, "first_order_at", s->orders ? t.first : NULL,
                  "last_order_at", s->orders ? t.last : NULL, "currency", "TRY", "revenue", t.revenue,
                  "returns_amount", t.returns, "margin", t.margin, "interactions", (json_int_t)s->interactions,
                  "interactions_in", (json_int_t)s->interactions_in, "interactions_out",
                  (json_int_t)s->interactions_out, "consents", (json_int_t)s->consents, "consents_granted",
                  (json_int_t)s->consents_granted, "consents_revoked", (json_int_t)s->consents_revoked);
    more = json_pack("{s:I, s:I, s:I, s:f, s:{s:{s:f, s:f, s:f, s:f, s:s}, s:{s:f, s:f, s:f, s:s}}}",
                     "survey_responses", (json_int_t)s->survey_responses, "nps_responses",
                     (json_int_t)s->nps_responses, "csat_responses", (json_int_t)s->csat_responses,
                     "elapsed_seconds", seconds, "planted", "bgnbd", "r", s->planted.r, "alpha", s->planted.alpha,
                     "a", s->planted.a, "b", s->planted.b, "time_unit", "week", "gammagamma", "p", s->planted.p,
                     "q", s->planted.q, "gamma", s->planted.gamma, "money_unit", "TRY");
    if (!o || !more || json_object_update(o, more) != 0) {
        json_decref(o);
        json_decref(more);
        fprintf(cli->err, "birebir demo: out of memory\n");
        return BB_EXIT_INTERNAL;
    }
    json_decref(more);
    json_object_set_new(o, "analysis", analysis_json(a));
    return bb_cli_print_json(cli, o);
}

static void print_text(bb_cli *cli, const bb_demo_summary *s, double seconds, const bb_analyze_report *a)
{
    shown t;
    FILE *f = cli->out;
    show(s, &t);
    fprintf(f, "Demo business in %s (seed %" PRIu64 ", %s to %s), made in %.1f s:\n", cli->db_path, s->seed,
            t.start, t.end, seconds);
    fprintf(f, "  customers         %10" PRId64 "  (%" PRId64 " registered a second time at a till, %" PRId64
               " with orders)\n",
            s->customers, s->duplicates, s->buyers);
    fprintf(f, "  products          %10" PRId64 "  in %" PRId64 " categories\n", s->products, s->categories);
    fprintf(f, "  orders            %10" PRId64 "  (%" PRId64 " of them returns)", s->orders, s->returns);
    if (s->orders)
        fprintf(f, "  %s .. %s", t.first, t.last);
    fprintf(f, "\n  order lines       %10" PRId64 "\n", s->order_lines);
    fprintf(f, "  revenue           %14s TRY  (returns %s TRY, margin %s TRY)\n", t.revenue, t.returns, t.margin);
    fprintf(f, "  interactions      %10" PRId64 "  (%" PRId64 " outbound, %" PRId64 " inbound)\n", s->interactions,
            s->interactions_out, s->interactions_in);
    fprintf(f, "  consents          %10" PRId64 "  (%" PRId64 " granted, %" PRId64 " revoked)\n", s->consents,
            s->consents_granted, s->consents_revoked);
    fprintf(f, "  survey answers    %10" PRId64 "  (%" PRId64 " NPS, %" PRId64 " CSAT)\n", s->survey_responses,
            s->nps_responses, s->csat_responses);
    fprintf(f, "Planted: BG/NBD r=%g alpha=%g a=%g b=%g (weeks); Gamma-Gamma p=%g q=%g gamma=%g (TRY)\n",
            s->planted.r, s->planted.alpha, s->planted.a, s->planted.b, s->planted.p, s->planted.q,
            s->planted.gamma);
    if (a)
        fprintf(f, "Analyzed in %.1f s: %zu customers scored with %s (run %lld); see `birebir rfm`, "
                   "`birebir customers top`, `birebir cohorts`\n",
                a->seconds_total, a->customers, bb_model_name(a->purchase.model), (long long)a->run_id);
}

int bb_cmd_demo(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"customers", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"end", required_argument, NULL, 'e'},
        {"json", no_argument, NULL, 'j'},
        {"no-analyze", no_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bb_demo_options o;
    bb_demo_summary sum;
    bb_error err = {0};
    bb_store *s;
    bb_progress bar;
    double t0, seconds;
    int64_t day;
    int c, json = 0, rc, analyze = 1;
    bb_analyze_report rep;

    bb_demo_options_init(&o);
    while ((c = bb_cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'n':
            if (parse_u64(optarg, 1, BB_DEMO_MAX_CUSTOMERS, &o.customers) != 0)
                return bb_cli_usage(cli, "demo", "--customers must be a whole number from 1 to %d, not \"%s\"",
                                    BB_DEMO_MAX_CUSTOMERS, optarg);
            break;
        case 's':
            if (parse_u64(optarg, 0, INT64_MAX, &o.seed) != 0)
                return bb_cli_usage(cli, "demo", "--seed must be a whole number from 0 to %" PRId64 ", not \"%s\"",
                                    INT64_MAX, optarg);
            break;
        case 'e':
            if (bb_date_parse(optarg, BB_LOCALE_EN, &day, &err) != 0)
                return bb_cli_usage(cli, "demo", "--end: %s", err.msg);
            o.end = day * BB_SECONDS_PER_DAY;
            break;
        case 'j': json = 1; break;
        case 'A': analyze = 0; break;
        case 'h': fputs(usage_text, cli->out); return 0;
        default: return bb_cli_usage(cli, "demo", "unknown option");
        }
    }
    if (optind < argc)
        return bb_cli_usage(cli, "demo", "unexpected argument '%s'", argv[optind]);
    if (bb_demo_options_check(&o, &err) != 0)
        return bb_cli_usage(cli, "demo", "%s", err.msg);
    s = bb_cli_store(cli, BB_STORE_CREATE, &err);
    if (!s)
        return bb_cli_fail(cli, &err);
    bb_progress_init(&bar, cli->err, BB_PROGRESS_AUTO, "demo customers", (int64_t)o.customers);
    o.progress = progress;
    o.progress_ctx = &bar;
    t0 = bb_progress_now();
    rc = bb_demo_to_store(s, &o, &sum, &err);
    seconds = bb_progress_now() - t0;
    bb_progress_release(&bar);
    if (rc)
        return bb_cli_fail(cli, &err);
    if (analyze && sum.orders > 0) {
        bb_analyze_opts ao;
        bb_analyze_opts_init(&ao);
        if (bb_analyze_run(s, &ao, &rep, &err) != 0) {
            /* the data is made; only its analysis failed (e.g. too few customers to fit a model) */
            fprintf(cli->err, "%s demo: the data is made, but analyze failed: %s\n", cli->prog, err.msg);
            analyze = 0;
        }
    } else {
        analyze = 0;
    }
    if (json)
        return print_json(cli, &sum, seconds, analyze ? &rep : NULL);
    print_text(cli, &sum, seconds, analyze ? &rep : NULL);
    return 0;
}
