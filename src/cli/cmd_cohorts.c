/* cmd_cohorts.c: birebir cohorts [--json] [--months N]: the retention matrix the last analyze stored:
 * customers by the month of their first purchase, and the share of them who bought in each later
 * month. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/analyze.h"
#include "birebir/datetime.h"
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
    bb_cohorts c;
    int64_t as_of, run_id;
    char asof[32], label[8], *end;
    long months = 12;
    int opt, json = 0;
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
    if (!(s = bb_cli_store(cli, 0, &err)) || bb_analyze_cohorts_load(s, &c, &as_of, &run_id, &err) != 0)
        return bb_cli_fail(cli, &err);
    bb_time_format_iso(as_of, asof, sizeof asof);
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < c.ncohorts; i++) {
            json_t *act = json_array(), *share = json_array();
            for (size_t k = 0; k < bb_cohorts_periods(&c, i); k++) {
                json_array_append_new(act, json_integer(c.active[i * c.nperiods + k]));
                json_array_append_new(share, json_real(bb_cohorts_share(&c, i, k)));
            }
            json_array_append_new(arr, json_pack("{s:s, s:I, s:o, s:o}", "month",
                                                 bb_cohorts_month_label(c.month[i], label), "size",
                                                 (json_int_t)c.size[i], "active", act, "share", share));
        }
        bb_cohorts_release(&c);
        return bb_cli_print_json(cli, json_pack("{s:s, s:I, s:o}", "as_of", asof, "run_id", (json_int_t)run_id,
                                                "cohorts", arr ? arr : json_array()));
    }
    fprintf(cli->out, "cohort retention as of %.10s: share of each first-purchase month's customers who bought "
                      "k months later\n%-8s %9s",
            asof, "cohort", "customers");
    for (long k = 0; k < months; k++)
        fprintf(cli->out, " %5s%ld", "m", k);
    fputc('\n', cli->out);
    for (size_t i = 0; i < c.ncohorts; i++) {
        fprintf(cli->out, "%-8s %9lld", bb_cohorts_month_label(c.month[i], label), (long long)c.size[i]);
        for (size_t k = 0; k < (size_t)months && k < bb_cohorts_periods(&c, i); k++)
            fprintf(cli->out, " %5.1f%%", 100.0 * bb_cohorts_share(&c, i, k));
        fputc('\n', cli->out);
    }
    bb_cohorts_release(&c);
    return 0;
}
