/* cmd_customers.c: birebir customers SUBCOMMAND: dispatch to show, search, merge, duplicates. */
#include <stdint.h>
#include <string.h>

#include "birebir/money.h"
#include "cli.h"
#include "cmd_customers.h"

static const struct {
    const char *name, *summary;
    int (*run)(bb_cli *cli, int argc, char **argv);
} subs[] = {
    {"show", "one customer: profile, orders, consents, interactions", bb_cmd_customers_show},
    {"search", "find customers by name, email, phone or city", bb_cmd_customers_search},
    {"merge", "fold a duplicate customer into another", bb_cmd_customers_merge},
    {"duplicates", "list likely duplicate customers", bb_cmd_customers_duplicates},
    {"top", "the customers with the highest CLV", bb_cmd_customers_top},
};

void bb_cmd_customers_cell(FILE *f, const char *s, int width)
{
    int chars = 0, right = width < 0;
    s = s ? s : "";
    width = right ? -width : width;
    for (const char *p = s; *p; p++)
        chars += ((unsigned char)*p & 0xc0) != 0x80;
    for (; right && chars < width; chars++)
        fputc(' ', f);
    fputs(s, f);
    for (; chars < width; chars++)
        fputc(' ', f);
    fputc(' ', f);
}

const char *bb_cmd_customers_money(int64_t minor, const char *currency, char *buf, size_t size)
{
    bb_money_format(minor, currency, BB_LOCALE_EN, buf, size);
    return buf;
}

const char *bb_cmd_customers_date(json_t *iso, char *buf, size_t size)
{
    const char *s = json_string_value(iso);
    snprintf(buf, size, "%.10s", s ? s : "-");
    return buf;
}

static void usage(bb_cli *cli)
{
    fprintf(cli->out, "Usage: birebir [--db PATH] customers SUBCOMMAND [ARGS...]\n\nSubcommands:\n");
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        fprintf(cli->out, "  %-11s %s\n", subs[i].name, subs[i].summary);
    fprintf(cli->out, "\n'birebir customers SUBCOMMAND --help' tells more.\n");
}

int bb_cmd_customers(bb_cli *cli, int argc, char **argv)
{
    if (argc < 2) {
        usage(cli);
        return BB_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(cli);
        return 0;
    }
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(cli, argc - 1, argv + 1);
    return bb_cli_usage(cli, "customers", "'%s' is not a subcommand", argv[1]);
}
