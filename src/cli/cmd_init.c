/* cmd_init.c: birebir init: create the database, or bring its schema up to date. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

int bb_cmd_init(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    bb_error err = {0};
    bb_store *s;
    int c, json = 0;
    while ((c = bb_cli_getopt(argc, argv, "h", opts)) != -1) {
        if (c == 'h') {
            fprintf(cli->out,
                    "Usage: birebir [--db PATH] init [--json]\n\n"
                    "Creates the database (SQLite, WAL mode), or applies the migrations it lacks.\n\n"
                    "Options:\n"
                    "  --json    print {\"path\", \"schema_version\"}\n");
            return 0;
        }
        if (c == 'j') {
            json = 1;
            continue;
        }
        return bb_cli_usage(cli, "init", "unknown option");
    }
    if (optind < argc)
        return bb_cli_usage(cli, "init", "unexpected argument '%s'", argv[optind]);
    s = bb_cli_store(cli, BB_STORE_CREATE, &err);
    if (!s)
        return bb_cli_fail(cli, &err);
    if (json)
        return bb_cli_print_json(cli, json_pack("{s:o, s:i}", "path", bb_cli_json_text(cli->db_path),
                                                "schema_version", bb_store_schema_version(s)));
    fprintf(cli->out, "%s: schema version %d\n", cli->db_path, bb_store_schema_version(s));
    return 0;
}
