/* cmd_analyze.c: birebir analyze [--as-of DATE] [--horizon MONTHS] [--model bgnbd|pnbd|auto] [...]:
 * fits the value models on the orders in the database and stores every customer's scores. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/analyze.h"
#include "birebir/buf.h"
#include "birebir/datetime.h"
#include "birebir/rfm.h"
#include "cli.h"

static const char usage[] =
    "Usage: birebir [--db PATH] analyze [--as-of DATE] [--horizon MONTHS] [--model bgnbd|pnbd|auto]\n"
    "                                   [--margin-rate R] [--discount D] [--rfm-grid FILE] [--json]\n"
    "\n"
    "Computes every customer's value scores from the orders in the database and stores them with a\n"
    "model run: RFM scores and segment, P(alive), expected purchases and order value (BG/NBD or\n"
    "Pareto/NBD, and Gamma-Gamma), CLV over the horizon, churn risk, profitability tier (A/B/C), and the\n"
    "cohort retention matrix. `customers show`, `rfm`, `cohorts` and `customers top` read them; new\n"
    "orders re-score their customer at once from the stored parameters.\n"
    "\n"
    "Options:\n"
    "  --as-of DATE       score as of the end of DATE, or of a moment (2025-06-30T12:00Z); default:\n"
    "                     the time of the last order\n"
    "  --horizon MONTHS   the CLV horizon in months (default 12)\n"
    "  --model M          bgnbd, pnbd, or auto (default): fit both on all but the last months (a third\n"
    "                     of the history, at most 26 weeks) and keep the one that predicts them better\n"
    "  --margin-rate R    the share of revenue that is margin when product costs are unknown (default 1:\n"
    "                     CLV of revenue); orders with known costs use their own margin\n"
    "  --discount D       monthly discount rate (default 0.01)\n"
    "  --rfm-grid FILE    the RFM segment grid as JSON (`birebir rfm --grid` prints the one in use)\n"
    "  --json             print the run as JSON\n"
    "\n"
    "Exit status: 0 ok, 1 no orders or data that cannot support a model, 2 usage, 3 internal error.\n";

static void on_step(void *ctx, const char *step)
{
    bb_cli *cli = ctx;
    if (bb_cli_stderr_is_tty())
        fprintf(cli->err, "analyze: %s...\n", step);
}

static int read_file(const char *path, char **out, bb_error *err)
{
    FILE *f = fopen(path, "rb");
    bb_buf b;
    char chunk[8192];
    size_t n;
    int rc = 0;
    bb_buf_init(&b, 1 << 20);
    if (!f)
        return bb_error_set(err, BB_EIO, "%s: cannot read: %s", path, strerror(errno));
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (bb_buf_add(&b, chunk, n) != 0)
            rc = bb_error_set(err, BB_ELIMIT, "%s: larger than 1 MiB", path);
    if (rc == 0 && ferror(f)) /* e.g. a directory */
        rc = bb_error_set(err, BB_EIO, "%s: cannot read: %s", path, strerror(errno));
    fclose(f);
    if (rc == 0 && !(*out = bb_buf_take(&b)))
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    if (rc == 0 && strncmp(*out, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 BOM, as Windows editors save */
        memmove(*out, *out + 3, strlen(*out + 3) + 1);
    bb_buf_release(&b);
    return rc;
}

static int print_json(bb_cli *cli, const bb_analyze_report *r)
{
    char asof[32];
    json_t *o = json_object();
    bb_time_format_iso(r->as_of, asof, sizeof asof);
    json_object_set_new(o, "run_id", json_integer(r->run_id));
    json_object_set_new(o, "model", json_string(bb_model_name(r->purchase.model)));
    json_object_set_new(o, "as_of", json_string(asof));
    json_object_set_new(o, "customers", json_integer((json_int_t)r->customers));
    json_object_set_new(o, "orders", json_integer(r->orders));
    json_object_set_new(o, "currency", json_string(r->currency));
    json_object_set_new(o, "other_currency_orders", json_integer(r->other_currency));
    json_object_set_new(o, "purchase", bb_analyze_fit_json(&r->purchase));
    json_object_set_new(o, "spend", r->has_spend ? bb_analyze_fit_json(&r->spend) : json_null());
    if (*r->spend_note)
        json_object_set_new(o, "spend_note", json_string(r->spend_note));
    json_object_set_new(o, "selection",
                        r->auto_selected ? json_pack("{s:s, s:f, s:{s:f, s:f}}", "method", "holdout", "holdout_weeks",
                                                     r->holdout_weeks, "mean_absolute_error", "bgnbd",
                                                     r->holdout_mae[0], "pnbd", r->holdout_mae[1])
                                         : json_pack("{s:s}", "method", "asked"));
    json_object_set_new(o, "cohorts", json_integer((json_int_t)r->cohorts));
    json_object_set_new(o, "seconds", json_pack("{s:f, s:f, s:f, s:f, s:f}", "read", r->seconds_read, "fit",
                                                r->seconds_fit, "score", r->seconds_score, "write",
                                                r->seconds_write, "total", r->seconds_total));
    return bb_cli_print_json(cli, o);
}

static void print_text(bb_cli *cli, const bb_analyze_report *r)
{
    char asof[32];
    const bb_fit *f = &r->purchase;
    bb_time_format_iso(r->as_of, asof, sizeof asof);
    fprintf(cli->out, "analyzed %zu customers, %lld orders in %s, as of %s (run %lld)\n", r->customers,
            (long long)r->orders, r->currency, asof, (long long)r->run_id);
    if (r->other_currency)
        fprintf(cli->out, "  %lld orders in other currencies left out (amounts in two currencies cannot be added)\n",
                (long long)r->other_currency);
    if (r->auto_selected)
        fprintf(cli->out, "model: %s, chosen on a %.1f-week holdout (mean absolute error BG/NBD %.4f, Pareto/NBD %.4f)\n",
                bb_model_name(f->model), r->holdout_weeks, r->holdout_mae[0], r->holdout_mae[1]);
    else
        fprintf(cli->out, "model: %s\n", bb_model_name(f->model));
    fprintf(cli->out, "  ");
    for (int i = 0; i < f->nparams; i++)
        fprintf(cli->out, "%s = %.4g  ", bb_model_param_name(f->model, i), f->params[i]);
    fprintf(cli->out, "log-likelihood %.1f, %s\n", f->log_likelihood, f->converged ? "converged" : f->message);
    if (r->has_spend) {
        fprintf(cli->out, "spend: gammagamma  p = %.4g  q = %.4g  gamma = %.4g (on %zu repeat buyers; left out: "
                          "%zu without repeats, %zu whose repeats are all worth 0)\n",
                r->spend.params[0], r->spend.params[1], r->spend.params[2], r->spend.customers,
                r->spend.excluded - r->spend.zero_value, r->spend.zero_value);
        if (*r->spend_note)
            fprintf(cli->out, "  note: %s\n", r->spend_note);
    } else
        fprintf(cli->out, "spend: no Gamma-Gamma fit (%s); order values are each customer's mean\n", r->spend_note);
    fprintf(cli->out, "cohorts: %zu months\n", r->cohorts);
    fprintf(cli->out, "time: %.1f s (read %.1f, fit %.1f, score %.1f, write %.1f)\n", r->seconds_total,
            r->seconds_read, r->seconds_fit, r->seconds_score, r->seconds_write);
}

int bb_cmd_analyze(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"as-of", required_argument, NULL, 'a'},
        {"horizon", required_argument, NULL, 'H'},
        {"model", required_argument, NULL, 'm'},
        {"margin-rate", required_argument, NULL, 'r'},
        {"discount", required_argument, NULL, 'd'},
        {"rfm-grid", required_argument, NULL, 'g'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    bb_analyze_opts ao;
    bb_analyze_report rep;
    bb_error err = {0};
    bb_store *s;
    const char *grid_path = NULL;
    char *grid = NULL, *end;
    int c, json = 0, rc;
    long v;
    double dv;
    int64_t day;

    bb_analyze_opts_init(&ao);
    ao.on_step = on_step;
    ao.ctx = cli;
    while ((c = bb_cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h': fputs(usage, cli->out); return 0;
        case 'a':
            /* a date is the whole day; a date and time (UTC unless it says) is that moment */
            if (bb_date_parse(optarg, BB_LOCALE_EN, &day, &err) == 0)
                ao.as_of = day * 86400 + 86399;
            else if (bb_time_parse(optarg, BB_LOCALE_EN, 0, &ao.as_of, &err) != 0)
                return bb_cli_usage(cli, "analyze", "--as-of: %s", err.msg);
            break;
        case 'H':
            v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 600)
                return bb_cli_usage(cli, "analyze", "--horizon takes a number of months from 1 to 600, not '%s'", optarg);
            ao.horizon_months = (int)v;
            break;
        case 'm':
            if (strcmp(optarg, "auto") == 0)
                ao.model = 0;
            else if ((ao.model = bb_model_parse(optarg)) != BB_MODEL_BGNBD && ao.model != BB_MODEL_PNBD)
                return bb_cli_usage(cli, "analyze", "--model is bgnbd, pnbd or auto, not '%s'", optarg);
            break;
        case 'r':
        case 'd':
            dv = strtod(optarg, &end);
            if (end == optarg || *end || !(dv >= 0 && dv <= 1))
                return bb_cli_usage(cli, "analyze", "--%s takes a number from 0 to 1, not '%s'",
                                    c == 'r' ? "margin-rate" : "discount", optarg);
            *(c == 'r' ? &ao.margin_rate : &ao.monthly_discount) = dv;
            break;
        case 'g': grid_path = optarg; break;
        case 'j': json = 1; break;
        default: return bb_cli_usage(cli, "analyze", "unknown option");
        }
    }
    if (optind < argc)
        return bb_cli_usage(cli, "analyze", "unexpected argument '%s'", argv[optind]);
    if (grid_path) {
        if ((rc = read_file(grid_path, &grid, &err)) != 0)
            return bb_cli_fail(cli, &err);
        bb_rfm_grid g;
        if (bb_rfm_grid_parse(grid, &g, &err) != 0) {
            free(grid);
            if (!*err.where)
                snprintf(err.where, sizeof err.where, "%s", grid_path);
            return bb_cli_fail(cli, &err);
        }
        ao.rfm_grid_json = grid;
    }
    if (!(s = bb_cli_store(cli, 0, &err))) {
        free(grid);
        return bb_cli_fail(cli, &err);
    }
    rc = bb_analyze_run(s, &ao, &rep, &err);
    free(grid);
    if (rc != 0)
        return bb_cli_fail(cli, &err);
    if (json)
        return print_json(cli, &rep);
    print_text(cli, &rep);
    return 0;
}
