/* main.c: birebir [--db PATH] COMMAND [ARGS]: global options and dispatch to the command table. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void print_help(bb_cli *cli)
{
    fprintf(cli->out,
            "Usage: %s [--db PATH] COMMAND [ARGS...]\n"
            "\n"
            "birebir, one-to-one marketing: know each customer, value them, keep them.\n"
            "\n"
            "Global options:\n"
            "  --db PATH     the database (default: $BIREBIR_DB, else ./birebir.db)\n"
            "  --help, -h    this help; COMMAND --help tells about one command\n"
            "  --version     print the version\n"
            "\n"
            "Commands:\n",
            cli->prog);
    for (const bb_cli_command *c = bb_cli_commands; c->name; c++)
        fprintf(cli->out, "  %-12s  %s\n", c->name, c->summary);
    fprintf(cli->out, "\nExit status: 0 ok, 1 bad input, 2 usage error, 3 internal error.\n");
}

bb_store *bb_cli_store(bb_cli *cli, int flags, bb_error *err)
{
    if (cli->store)
        return cli->store;
    if (bb_store_open(cli->db_path, flags, &cli->store, err) != 0)
        return NULL;
    return cli->store;
}

int bb_cli_fail(bb_cli *cli, const bb_error *err)
{
    char msg[1200];
    fprintf(cli->err, "%s: error: %s\n", cli->prog, bb_error_format(err, msg, sizeof msg));
    return bb_error_exit_status(err->code ? err->code : BB_EINTERNAL);
}

int bb_cli_usage(bb_cli *cli, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(cli->err, "%s %s: ", cli->prog, cmd);
    va_start(ap, fmt);
    vfprintf(cli->err, fmt, ap);
    va_end(ap);
    fprintf(cli->err, "\nTry '%s %s --help'.\n", cli->prog, cmd);
    return BB_EXIT_USAGE;
}

int bb_cli_print_json(bb_cli *cli, json_t *v)
{
    int rc = 0;
    if (!v)
        return BB_EXIT_INTERNAL;
    if (json_dumpf(v, cli->out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0)
        rc = BB_EXIT_INTERNAL;
    fputc('\n', cli->out);
    json_decref(v);
    return rc;
}

int bb_cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
    return getopt_long(argc, argv, shortopts, longopts, NULL);
}

int bb_cli_stderr_is_tty(void)
{
    return isatty(STDERR_FILENO);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    bb_cli cli = {.prog = "birebir", .out = stdout, .err = stderr};
    const char *env = getenv("BIREBIR_DB");
    int c, rc;

    cli.db_path = env && *env ? env : "birebir.db";
    while ((c = getopt_long(argc, argv, "+hd:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': cli.db_path = optarg; break;
        case 'h': print_help(&cli); return 0;
        case 'V': fprintf(cli.out, "birebir %s\n", BB_VERSION); return 0;
        default: fprintf(cli.err, "Try '%s --help'.\n", cli.prog); return BB_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        print_help(&cli);
        return BB_EXIT_USAGE;
    }
    for (const bb_cli_command *cmd = bb_cli_commands; cmd->name; cmd++) {
        if (strcmp(cmd->name, argv[optind]) == 0) {
            char **sub = argv + optind;
            int subc = argc - optind;
            optind = 0; /* commands parse their own options from their argv[0] */
            rc = cmd->run(&cli, subc, sub);
            bb_store_close(cli.store);
            if (fflush(cli.out) != 0 && rc == 0)
                rc = BB_EXIT_INTERNAL;
            return rc;
        }
    }
    fprintf(cli.err, "%s: '%s' is not a command. See '%s --help'.\n", cli.prog, argv[optind], cli.prog);
    return BB_EXIT_USAGE;
}
