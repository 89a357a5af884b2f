/* cmd_cohorts.c: birebir cohorts [--json] [--months N]: the retention matrix the last analyze stored:
 * customers by the month of their first purchase, and the share of them who bought in each later
 * month. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/datetime.h"
#include "birebir/store_score.h"
#include "cli.h"

static const char usage[] =
    "Usage: birebir [--db PATH] cohorts [--json] [--months N]\n"
    "\n"
    "Prints the cohort retention matrix of the last `birebir analyze`: one row per month of first\n"
    "purchase (the cohort), its size, and for month 0, 1, 2, ... after it the share of the cohort who\n"
    "bought in that month (month 0 is 100%).\n"
    "\n"
    "  --json      print the matrix as JSON (counts and shares)\n"
    "  --months N  columns of the text table (default 12)\n"
    "\n"
    "Exit status: 0 ok, 1 no analysis yet (run `birebir analyze`), 2 usage, 3 internal error.\n";

int bb_cmd_cohorts(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {"months", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    bb_error err = {0};
    bb_store *s;
    bb_model_run run;
    json_t *o, *cohorts, *c;
    json_error_t je;
    char asof[32], *end;
    size_t i, k;
    long months = 12;
    int opt, json = 0, rc;
    while ((opt = bb_cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (opt) {
        case 'h': fputs(usage, cli->out); return 0;
        case 'j': json = 1; break;
        case 'm':
            months = strtol(optarg, &end, 10);
            if (end == optarg || *end || months < 1 || months > 240)
                return bb_cli_usage(cli, "cohorts", "--months takes a number from 1 to 240, not '%s'", optarg);
            break;
        default: return bb_cli_usage(cli, "cohorts", "unknown option");
        }
    }
    if (optind < argc)
        return bb_cli_usage(cli, "cohorts", "unexpected argument '%s'", argv[optind]);
    if (!(s = bb_cli_store(cli, 0, &err)) || bb_store_model_run_current(s, "cohorts", &run, &err) != 0)
        return bb_cli_fail(cli, &err);
    o = json_loads(run.params_json, 0, &je);
    bb_time_format_iso(run.as_of, asof, sizeof asof);
    bb_model_run_release(&run);
    if (!o || !json_is_array(cohorts = json_object_get(o, "cohorts"))) {
        json_decref(o);
        bb_error_set(&err, BB_ESCHEMA, "the stored cohort matrix is damaged: run `birebir analyze` again");
        return bb_cli_fail(cli, &err);
    }
    if (json) {
        json_object_set_new(o, "as_of", json_string(asof));
        return bb_cli_print_json(cli, o);
    }
    fprintf(cli->out, "cohort retention as of %.10s: share of each first-purchase month's customers who bought "
                      "k months later\n%-8s %9s",
            asof, "cohort", "customers");
    for (k = 0; k < (size_t)months; k++)
        fprintf(cli->out, " %5s%zu", "m", k);
    fputc('\n', cli->out);
    json_array_foreach(cohorts, i, c) {
        json_t *share = json_object_get(c, "share");
        fprintf(cli->out, "%-8s %9lld", json_string_value(json_object_get(c, "month")),
                (long long)json_integer_value(json_object_get(c, "size")));
        for (k = 0; k < (size_t)months && k < json_array_size(share); k++)
            fprintf(cli->out, " %5.1f%%", 100.0 * json_number_value(json_array_get(share, k)));
        fputc('\n', cli->out);
    }
    rc = 0;
    json_decref(o);
    return rc;
}
