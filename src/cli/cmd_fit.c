/* cmd_fit.c: birebir fit bgnbd|pnbd|gammagamma FILE [...]: fits a value model straight from an
 * analyst's transactions file (or a lifetimes-style summary file), with an optional calibration/holdout
 * check and a per-customer scores file. Needs no database. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/bgnbd.h"
#include "birebir/datetime.h"
#include "birebir/gammagamma.h"
#include "birebir/pnbd.h"
#include "birebir/summary.h"
#include "cmd_fit.h"

static const char usage[] =
    "Usage: birebir fit bgnbd|pnbd|gammagamma FILE [OPTIONS]\n"
    "\n"
    "Fits a value model by maximum likelihood straight from a CSV file of transactions (one row per\n"
    "purchase), for analysts; no database is needed. Purchases of a customer on the same date (or at\n"
    "the same moment, when the file has times) are one purchase occasion. FILE '-' is standard input.\n"
    "\n"
    "  bgnbd       BG/NBD (Fader, Hardie & Lee 2005): r, alpha, a, b\n"
    "  pnbd        Pareto/NBD (Schmittlein, Morrison & Colombo 1987): r, alpha, s, beta\n"
    "  gammagamma  Gamma-Gamma spend model: p, q, gamma (on customers with repeat purchases)\n"
    "\n"
    "Options:\n"
    "  --customer-col C      the customer id column (default customer_id)\n"
    "  --date-col C          the purchase date column (default date)\n"
    "  --amount-col C        the amount column (default amount; required for gammagamma)\n"
    "  --date-format FMT     how dates are written, strptime-like: %Y %m %d %H %M %S (e.g. %Y%m%d);\n"
    "                        default: ISO 8601 (2025-11-23, 2025-11-23 14:05), times in UTC\n"
    "  --delimiter D         the field separator (default: sniffed among , ; and TAB)\n"
    "  --locale tr|en        numbers and dates: tr reads 1.234,56 and 23.11.2025 (default en);\n"
    "                        times without a zone are UTC either way\n"
    "  --calibration-end DATE  fit on purchases up to and including DATE (default: the last purchase)\n"
    "  --holdout-end DATE    compare predictions with the purchases after the calibration end up to and\n"
    "                        including DATE (needs --calibration-end)\n"
    "  --time-unit day|week  the model's unit of time (default week)\n"
    "  --predict-periods N   the horizon of expected_purchases, in time units (default: the holdout\n"
    "                        length, else 52)\n"
    "  --summary             FILE already has customer_id, frequency, recency, T and optionally\n"
    "                        monetary_value (the layout of the lifetimes library)\n"
    "  --output FILE         also write one CSV row per customer: customer_id, frequency, recency, T,\n"
    "                        p_alive, expected_purchases (and expected_value for gammagamma; its\n"
    "                        p_alive and expected_purchases come from a BG/NBD fit on the same data)\n"
    "  --json                print the fit as JSON\n"
    "\n"
    "Rows with a negative amount are returns, not purchases: they are left out and counted.\n"
    "Exit status: 0 ok, 1 bad input or data that cannot support a fit, 2 usage, 3 internal error.\n";

enum { OPT_CUST = 256, OPT_DATE, OPT_AMOUNT, OPT_FMT, OPT_DELIM, OPT_CAL, OPT_HOLD, OPT_UNIT, OPT_PRED,
       OPT_SUMMARY, OPT_OUTPUT, OPT_JSON, OPT_LOCALE };

typedef struct fit_args {
    bb_txn_opts txn;
    const char *cal, *hold, *output, *file;
    int summary, json, unit_days, has_predict;
    double predict;
} fit_args;

static int parse_args(bb_cli *cli, int argc, char **argv, fit_args *a, bb_fit_run *run)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"customer-col", required_argument, NULL, OPT_CUST},
        {"date-col", required_argument, NULL, OPT_DATE},
        {"amount-col", required_argument, NULL, OPT_AMOUNT},
        {"date-format", required_argument, NULL, OPT_FMT},
        {"delimiter", required_argument, NULL, OPT_DELIM},
        {"calibration-end", required_argument, NULL, OPT_CAL},
        {"holdout-end", required_argument, NULL, OPT_HOLD},
        {"time-unit", required_argument, NULL, OPT_UNIT},
        {"predict-periods", required_argument, NULL, OPT_PRED},
        {"summary", no_argument, NULL, OPT_SUMMARY},
        {"output", required_argument, NULL, OPT_OUTPUT},
        {"json", no_argument, NULL, OPT_JSON},
        {"locale", required_argument, NULL, OPT_LOCALE},
        {NULL, 0, NULL, 0},
    };
    int c;
    char *end;
    a->unit_days = 7;
    while ((c = bb_cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h': fputs(usage, cli->out); return -1;
        case OPT_CUST: a->txn.customer_col = optarg; break;
        case OPT_DATE: a->txn.date_col = optarg; break;
        case OPT_AMOUNT: a->txn.amount_col = optarg; break;
        case OPT_FMT: a->txn.date_format = optarg; break;
        case OPT_DELIM:
            if (strcmp(optarg, "\\t") == 0 || strcmp(optarg, "tab") == 0)
                optarg = "\t";
            if (strlen(optarg) != 1)
                return bb_cli_usage(cli, "fit", "--delimiter takes one character, not '%s'", optarg);
            a->txn.delimiter = optarg[0];
            break;
        case OPT_CAL: a->cal = optarg; break;
        case OPT_HOLD: a->hold = optarg; break;
        case OPT_UNIT:
            if (strcmp(optarg, "week") == 0)
                a->unit_days = 7;
            else if (strcmp(optarg, "day") == 0)
                a->unit_days = 1;
            else
                return bb_cli_usage(cli, "fit", "--time-unit is day or week, not '%s'", optarg);
            break;
        case OPT_PRED:
            a->predict = strtod(optarg, &end);
            if (end == optarg || *end || !(a->predict > 0) || a->predict > 1e6)
                return bb_cli_usage(cli, "fit", "--predict-periods takes a number of time units > 0, not '%s'",
                                    optarg);
            a->has_predict = 1;
            break;
        case OPT_SUMMARY: a->summary = 1; break;
        case OPT_OUTPUT: a->output = optarg; break;
        case OPT_JSON: a->json = 1; break;
        case OPT_LOCALE: {
            bb_error e = {0};
            if (bb_locale_parse(optarg, &a->txn.locale, &e) != 0)
                return bb_cli_usage(cli, "fit", "--locale: %s", e.msg);
            break;
        }
        default: return bb_cli_usage(cli, "fit", "unknown option");
        }
    }
    if (optind >= argc)
        return bb_cli_usage(cli, "fit", "the model (bgnbd, pnbd or gammagamma) is required");
    if (!(run->model = bb_model_parse(argv[optind])))
        return bb_cli_usage(cli, "fit", "'%s' is not a model (expected bgnbd, pnbd or gammagamma)", argv[optind]);
    if (optind + 1 >= argc)
        return bb_cli_usage(cli, "fit", "FILE is required");
    if (argc - optind > 2)
        return bb_cli_usage(cli, "fit", "unexpected argument '%s'", argv[optind + 2]);
    a->file = argv[optind + 1];
    if (a->hold && !a->cal)
        return bb_cli_usage(cli, "fit", "--holdout-end needs --calibration-end");
    if (a->summary && (a->cal || a->hold || a->txn.date_col || a->txn.date_format || a->txn.amount_col))
        return bb_cli_usage(cli, "fit", "--summary files have no dates or amounts: drop --calibration-end, "
                                        "--holdout-end, --date-col, --date-format and --amount-col");
    a->txn.need_amount = run->model == BB_MODEL_GAMMAGAMMA;
    run->unit_name = a->unit_days == 7 ? "week" : "day";
    return 0;
}

/* Allocates the per-customer arrays of run for n customers. */
static int alloc_run(bb_fit_run *run, size_t n, bb_error *err)
{
    size_t k = n ? n : 1;
    run->n = n;
    run->id = calloc(k, sizeof *run->id);
    run->x = calloc(k, sizeof *run->x);
    run->x_holdout = calloc(k, sizeof *run->x_holdout);
    run->t_x = calloc(k, sizeof *run->t_x);
    run->T = calloc(k, sizeof *run->T);
    run->mean_value = calloc(k, sizeof *run->mean_value);
    if (!run->id || !run->x || !run->x_holdout || !run->t_x || !run->T || !run->mean_value)
        return bb_error_set(err, BB_ENOMEM, "out of memory for %zu customers", n);
    return 0;
}

static void free_run(bb_fit_run *run)
{
    free(run->id);
    free(run->x);
    free(run->x_holdout);
    free(run->t_x);
    free(run->T);
    free(run->mean_value);
}

static int parse_day(const char *opt, const char *s, int64_t *day, bb_error *err)
{
    bb_error e = {0};
    if (bb_date_parse(s, BB_LOCALE_EN, day, &e) != 0)
        return bb_error_set(err, BB_EUSAGE, "%s: %s", opt, e.msg);
    return 0;
}

/* Reads a transactions file and summarises it as of the calibration end. */
static int load_transactions(const fit_args *a, bb_fit_run *run, bb_txns *tx, bb_error *err)
{
    bb_summary_opts so = {.ticks_per_day = BB_SECONDS_PER_DAY, .unit_days = a->unit_days};
    bb_summary s = {0};
    int64_t cal = 0, hold = 0;
    int rc;
    if ((a->cal && (rc = parse_day("--calibration-end", a->cal, &cal, err)) != 0) ||
        (a->hold && (rc = parse_day("--holdout-end", a->hold, &hold, err)) != 0))
        return rc;
    if (a->hold && hold <= cal)
        return bb_error_set(err, BB_EUSAGE, "--holdout-end %s is not after --calibration-end %s", a->hold, a->cal);
    if ((rc = bb_txns_read(a->file, &a->txn, tx, err)) != 0)
        return rc;
    run->returns = tx->returns;
    /* A date means the whole day: with date-only data that is its midnight, the time every row has. */
    int64_t day_end = tx->date_only ? 0 : BB_SECONDS_PER_DAY - 1;
    if (a->cal) {
        so.has_as_of = 1;
        so.as_of = cal * BB_SECONDS_PER_DAY + day_end;
        if (tx->t_min > so.as_of)
            return bb_error_set(err, BB_EINVAL, "%s: no purchase on or before the calibration end %s", a->file, a->cal);
    }
    if (a->hold) {
        so.has_holdout = 1;
        so.holdout_end = hold * BB_SECONDS_PER_DAY + day_end;
        snprintf(run->holdout_end, sizeof run->holdout_end, "%s", a->hold);
    }
    if (a->cal)
        snprintf(run->calibration_end, sizeof run->calibration_end, "%s", a->cal);
    so.n_customers = tx->ids.n;
    if ((rc = bb_summary_build(tx->cust, tx->t, tx->amount, NULL, tx->n, &so, &s, err)) != 0)
        return rc;
    if ((rc = alloc_run(run, s.present, err)) == 0) {
        size_t k = 0;
        for (size_t i = 0; i < s.n; i++) {
            if (!s.is_present[i])
                continue;
            run->id[k] = tx->ids.id[i];
            run->x[k] = s.x[i];
            run->x_holdout[k] = s.x_holdout[i];
            run->t_x[k] = s.t_x[i];
            run->T[k] = s.T[i];
            run->mean_value[k] = s.mean_value[i] / BB_TXN_AMOUNT_SCALE;
            k++;
        }
        run->has_holdout = a->hold != NULL;
        run->holdout_length = s.holdout_length;
    }
    bb_summary_release(&s);
    return rc;
}

static int load_summary(const fit_args *a, bb_fit_run *run, bb_txn_summary *sf, bb_error *err)
{
    int rc;
    if ((rc = bb_txn_summary_read(a->file, &a->txn, sf, err)) != 0)
        return rc;
    if (run->model == BB_MODEL_GAMMAGAMMA && !sf->has_monetary)
        return bb_error_set(err, BB_EINVAL, "%s: gammagamma needs a monetary_value column", a->file);
    if ((rc = alloc_run(run, sf->n, err)) != 0)
        return rc;
    for (size_t i = 0; i < sf->n; i++)
        run->id[i] = sf->ids.id[i];
    memcpy(run->x, sf->x, sf->n * sizeof *run->x);
    memcpy(run->t_x, sf->t_x, sf->n * sizeof *run->t_x);
    memcpy(run->T, sf->T, sf->n * sizeof *run->T);
    memcpy(run->mean_value, sf->mean_value, sf->n * sizeof *run->mean_value);
    return 0;
}

static int fit_models(bb_fit_run *run, bb_error *err)
{
    int rc;
    bb_fit_opts fo = {0};
    if (run->model == BB_MODEL_GAMMAGAMMA) {
        if ((rc = bb_gg_fit(run->x, run->mean_value, run->n, &fo, &run->fit, err)) != 0)
            return rc;
        rc = bb_bgnbd_fit(run->x, run->t_x, run->T, run->n, &fo, &run->purchase, err);
    } else {
        rc = run->model == BB_MODEL_BGNBD ? bb_bgnbd_fit(run->x, run->t_x, run->T, run->n, &fo, &run->fit, err)
                                          : bb_pnbd_fit(run->x, run->t_x, run->T, run->n, &fo, &run->fit, err);
        run->purchase = run->fit;
    }
    if (rc == 0 && run->has_holdout && run->model != BB_MODEL_GAMMAGAMMA)
        rc = bb_holdout_evaluate(&run->fit, run->x, run->t_x, run->T, run->x_holdout, run->n, run->holdout_length,
                                 NULL, &run->holdout, err);
    return rc;
}

int bb_cmd_fit(bb_cli *cli, int argc, char **argv)
{
    fit_args a = {0};
    bb_fit_run run = {0};
    bb_txns tx = {0};
    bb_txn_summary sf = {0};
    bb_error err = {0};
    int rc;

    if ((rc = parse_args(cli, argc, argv, &a, &run)) != 0)
        return rc < 0 ? 0 : rc;
    rc = a.summary ? load_summary(&a, &run, &sf, &err) : load_transactions(&a, &run, &tx, &err);
    if (rc == BB_EUSAGE) {
        rc = bb_cli_usage(cli, "fit", "%s", err.msg);
        goto done;
    }
    if (rc == 0)
        rc = fit_models(&run, &err);
    if (rc != 0) {
        rc = bb_cli_fail(cli, &err);
        goto done;
    }
    run.predict_periods = a.has_predict ? a.predict : run.has_holdout ? run.holdout_length : 52;
    if (a.output && (rc = bb_cmd_fit_write_scores(cli, &run, a.output)) != 0)
        goto done;
    rc = bb_cmd_fit_report(cli, &run, a.json);
done:
    free_run(&run);
    bb_txns_release(&tx);
    bb_txn_summary_release(&sf);
    return rc;
}
