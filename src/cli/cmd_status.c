/* cmd_status.c: birebir status [--json]: the database's path, size, schema version and the count of
 * each entity. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void usage(bb_cli *cli)
{
    fprintf(cli->out, "Usage: birebir [--db PATH] status [--json]\n\n"
                      "Prints the database's path, size, schema version and how many customers,\n"
                      "products, orders, order lines, interactions, consents and survey responses\n"
                      "it holds (merged-away customers are not counted).\n\n"
                      "  --json    print a JSON object instead\n");
}

/* 1234567 -> "1,234,567" */
static const char *thousands(int64_t v, char *buf, size_t size)
{
    char raw[32];
    int n = snprintf(raw, sizeof raw, "%lld", (long long)(v < 0 ? -v : v)), o = 0;
    if (v < 0 && o < (int)size - 1)
        buf[o++] = '-';
    for (int i = 0; i < n && o < (int)size - 1; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o < (int)size - 1)
            buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
    return buf;
}

int bb_cmd_status(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bb_error err = {0};
    bb_store_status st;
    bb_store *s;
    int c, json = 0;
    char a[32];
    while ((c = bb_cli_getopt(argc, argv, "hj", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'j': json = 1; break;
        default: return bb_cli_usage(cli, "status", "unknown option");
        }
    }
    if (optind < argc)
        return bb_cli_usage(cli, "status", "unexpected argument '%s'", argv[optind]);
    if (!(s = bb_cli_store(cli, 0, &err)) || bb_store_status_get(s, &st, &err) != 0)
        return bb_cli_fail(cli, &err);
    if (json) {
        json_t *o = json_pack("{s:s, s:I, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "path", st.path,
                              "size_bytes", (json_int_t)st.size_bytes, "schema_version",
                              st.schema_version, "customers", (json_int_t)st.customers, "products",
                              (json_int_t)st.products, "orders", (json_int_t)st.orders, "order_lines",
                              (json_int_t)st.order_lines, "interactions", (json_int_t)st.interactions,
                              "consents", (json_int_t)st.consents, "survey_responses",
                              (json_int_t)st.survey_responses);
        return bb_cli_print_json(cli, o);
    }
    fprintf(cli->out, "%-18s %s\n", "database", st.path);
    fprintf(cli->out, "%-18s %s bytes\n", "size", thousands(st.size_bytes, a, sizeof a));
    fprintf(cli->out, "%-18s %d\n", "schema version", st.schema_version);
    fprintf(cli->out, "%-18s %s\n", "customers", thousands(st.customers, a, sizeof a));
    fprintf(cli->out, "%-18s %s\n", "products", thousands(st.products, a, sizeof a));
    fprintf(cli->out, "%-18s %s\n", "orders", thousands(st.orders, a, sizeof a));
    fprintf(cli->out, "%-18s %s\n", "order lines", thousands(st.order_lines, a, sizeof a));
    fprintf(cli->out, "%-18s %s\n", "interactions", thousands(st.interactions, a, sizeof a));
    fprintf(cli->out, "%-18s %s\n", "consents", thousands(st.consents, a, sizeof a));
    fprintf(cli->out, "%-18s %s\n", "survey responses", thousands(st.survey_responses, a, sizeof a));
    return 0;
}
