/* cmd_customers_duplicates.c: birebir customers duplicates [--limit N] [--json]. */
#include <getopt.h>

#include "cmd_customers.h"

static void usage(bb_cli *cli)
{
    fprintf(cli->out,
            "Usage: birebir [--db PATH] customers duplicates [--limit N] [--json]\n\n"
            "Lists pairs of customers that are likely one person, best evidence first: the same\n"
            "email, the same phone number (both compared normalised), then similar names that\n"
            "nothing tells apart (city, birth date, an email and a phone of their own each).\n"
            "Fold a pair with 'customers merge'.\n\n"
            "  --limit N   at most N pairs (default 50; 0 lists all)\n"
            "  --json      print {\"duplicates\": [{\"a\", \"b\", \"a_name\", \"b_name\", \"reason\",\n"
            "              \"score\"}]}\n");
}

typedef struct out {
    bb_cli *cli;
    json_t *arr;
    int n;
} out;

static int on_pair(void *arg, const bb_duplicate *d)
{
    out *o = arg;
    if (o->arr) {
        json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:f}", "a", d->a_ref, "b", d->b_ref, "a_name",
                              d->a_name, "b_name", d->b_name, "reason", d->reason, "score", d->score);
        return v && json_array_append_new(o->arr, v) == 0 ? 0 : BB_ENOMEM;
    }
    if (o->n++ == 0) {
        fprintf(o->cli->out, "SCORE ");
        bb_cmd_customers_cell(o->cli->out, "REASON", 40);
        bb_cmd_customers_cell(o->cli->out, "A", 36);
        fprintf(o->cli->out, "B\n");
    }
    char a[200], b[200];
    snprintf(a, sizeof a, "%s %s", d->a_ref, d->a_name);
    snprintf(b, sizeof b, "%s %s", d->b_ref, d->b_name);
    fprintf(o->cli->out, "%.2f  ", d->score);
    bb_cmd_customers_cell(o->cli->out, d->reason, 40);
    bb_cmd_customers_cell(o->cli->out, a, 36);
    fprintf(o->cli->out, "%s\n", b);
    return 0;
}

int bb_cmd_customers_duplicates(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"limit", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    size_t limit = 50;
    bb_error err = {0};
    bb_store *s;
    out o = {cli, NULL, 0};
    int c, json = 0, rc;
    while ((c = bb_cli_getopt(argc, argv, "hjn:", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'j': json = 1; break;
        case 'n':
            if (optarg[0] == '0' && optarg[1] == '\0')
                limit = 0;
            else if (!(limit = bb_cmd_customers_limit(cli, "duplicates", optarg, (size_t)1 << 40)))
                return BB_EXIT_USAGE;
            break;
        default: return bb_cli_usage(cli, "customers duplicates", "unknown option");
        }
    }
    if (optind != argc)
        return bb_cli_usage(cli, "customers duplicates", "unexpected argument '%s'", argv[optind]);
    if (!(s = bb_cli_store(cli, 0, &err)))
        return bb_cli_fail(cli, &err);
    if (json && !(o.arr = json_array()))
        return BB_EXIT_INTERNAL;
    if ((rc = bb_store_duplicates(s, limit, on_pair, &o, &err)) != 0) {
        json_decref(o.arr);
        if (rc == BB_ENOMEM && !err.msg[0])
            bb_error_set(&err, rc, "out of memory");
        return bb_cli_fail(cli, &err);
    }
    if (json)
        return bb_cli_print_json(cli, json_pack("{s:o}", "duplicates", o.arr));
    if (o.n == 0)
        fprintf(cli->out, "no likely duplicates\n");
    return 0;
}
