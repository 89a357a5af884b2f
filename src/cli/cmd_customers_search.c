/* cmd_customers_search.c: birebir customers search TEXT [--limit N] [--cursor C] [--json]. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_customers.h"

size_t bb_cmd_customers_limit(bb_cli *cli, const char *sub, const char *text, size_t max)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*text == '\0' || *end || v < 1 || (unsigned long long)v > max) {
        char cmd[64];
        snprintf(cmd, sizeof cmd, "customers %s", sub);
        bb_cli_usage(cli, cmd, "--limit \"%s\" is not a number from 1 to %zu", text, max);
        return 0;
    }
    return (size_t)v;
}

static void usage(bb_cli *cli)
{
    fprintf(cli->out,
            "Usage: birebir [--db PATH] customers search TEXT [--limit N] [--cursor C] [--json]\n\n"
            "Finds customers whose names, email, phone, city or id contain every word of TEXT,\n"
            "ignoring case and accents by Turkish rules (\"isik\" finds \"IŞIK\"), in Turkish\n"
            "alphabetical order of last and first name. TEXT \"\" lists everyone.\n\n"
            "  --limit N    at most N customers (1..10000, default 20)\n"
            "  --cursor C   the next page: C is the cursor the page before printed\n"
            "  --json       print {\"customers\": [...], \"next_cursor\": ...}\n");
}

typedef struct out {
    bb_cli *cli;
    json_t *arr; /* NULL: text */
    int n;
} out;

static int on_hit(void *arg, const bb_customer_hit *h)
{
    out *o = arg;
    if (o->arr) {
        json_t *v = json_pack("{s:s, s:I, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", h->external_id,
                              "internal_id", (json_int_t)h->id, "first_name", h->first_name,
                              "last_name", h->last_name, "email", h->email, "phone", h->phone, "city",
                              h->city);
        return v && json_array_append_new(o->arr, v) == 0 ? 0 : BB_ENOMEM;
    }
    if (o->n == 0) {
        const char *head[5] = {"ID", "NAME", "EMAIL", "PHONE", "CITY"};
        const int w[4] = {12, 26, 30, 14};
        for (int i = 0; i < 4; i++)
            bb_cmd_customers_cell(o->cli->out, head[i], w[i]);
        fprintf(o->cli->out, "%s\n", head[4]);
    }
    char name[160];
    snprintf(name, sizeof name, "%s%s%s", h->first_name ? h->first_name : "",
             h->first_name && h->last_name ? " " : "", h->last_name ? h->last_name : "");
    bb_cmd_customers_cell(o->cli->out, h->external_id, 12);
    bb_cmd_customers_cell(o->cli->out, name, 26);
    bb_cmd_customers_cell(o->cli->out, h->email, 30);
    bb_cmd_customers_cell(o->cli->out, h->phone, 14);
    fprintf(o->cli->out, "%s\n", h->city ? h->city : "");
    o->n++;
    return 0;
}

int bb_cmd_customers_search(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"limit", required_argument, NULL, 'n'}, {"cursor", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cursor = NULL;
    char next[BB_STORE_CURSOR_MAX];
    size_t limit = 20;
    bb_error err = {0};
    bb_store *s;
    out o = {cli, NULL, 0};
    int c, json = 0, rc;
    while ((c = bb_cli_getopt(argc, argv, "hjn:c:", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'j': json = 1; break;
        case 'c': cursor = optarg; break;
        case 'n':
            if (!(limit = bb_cmd_customers_limit(cli, "search", optarg, 10000)))
                return BB_EXIT_USAGE;
            break;
        default: return bb_cli_usage(cli, "customers search", "unknown option");
        }
    }
    if (optind != argc - 1)
        return bb_cli_usage(cli, "customers search", "give one search TEXT (quote several words)");
    if (!(s = bb_cli_store(cli, 0, &err)))
        return bb_cli_fail(cli, &err);
    if (json && !(o.arr = json_array()))
        return BB_EXIT_INTERNAL;
    rc = bb_store_search(s, argv[optind], limit, cursor, on_hit, &o, next, &err);
    if (rc) {
        json_decref(o.arr);
        if (rc == BB_ENOMEM && !err.msg[0])
            bb_error_set(&err, rc, "out of memory");
        return bb_cli_fail(cli, &err);
    }
    if (json)
        return bb_cli_print_json(cli, json_pack("{s:o, s:s?}", "customers", o.arr, "next_cursor",
                                                next[0] ? next : NULL));
    if (o.n == 0)
        fprintf(cli->out, "no customer matches \"%s\"\n", argv[optind]);
    else if (next[0])
        fprintf(cli->out, "more: --cursor %s\n", next);
    return 0;
}
