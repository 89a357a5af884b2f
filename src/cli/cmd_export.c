/* cmd_export.c: birebir export KIND [--format csv|json] [FILE]: every row of a kind in the canonical
 * columns, so that `birebir import KIND FILE` reads it back unchanged. A FILE is written whole or not
 * at all (a temporary file renamed into place). Every export is written to the audit log. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "birebir/export.h"
#include "cli.h"

static const char usage[] =
    "Usage: birebir [--db PATH] export KIND [--format csv|json] [--json] [FILE]\n"
    "\n"
    "Writes every row of KIND in the columns `birebir import KIND` reads, so an export imports back\n"
    "unchanged. KIND: customers, products, orders, order-lines, interactions, consents,\n"
    "survey-responses. FILE defaults to standard output ('-').\n"
    "\n"
    "Options:\n"
    "  --format csv|json  CSV (default: header, ',', UTF-8, times in UTC) or a JSON array of objects\n"
    "  --json             the same as --format json\n"
    "\n"
    "Exit status: 0 ok, 1 the database or FILE cannot be used, 2 usage, 3 internal error.\n";

int bb_cmd_export(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"format", required_argument, NULL, 'f'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    bb_export_format fmt = BB_EXPORT_CSV;
    bb_import_kind kind;
    bb_error err = {0};
    bb_store *s;
    const char *file = "-";
    char tmp[4096] = "";
    FILE *out = cli->out;
    int64_t rows = 0;
    int c, rc;
    while ((c = bb_cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, cli->out);
            return 0;
        case 'f':
            if (bb_export_format_parse(optarg, &fmt, &err) != 0)
                return bb_cli_usage(cli, "export", "%s", err.msg);
            break;
        case 'j':
            fmt = BB_EXPORT_JSON;
            break;
        default:
            return bb_cli_usage(cli, "export", "unknown option");
        }
    }
    if (optind >= argc)
        return bb_cli_usage(cli, "export", "KIND is required");
    if (argc - optind > 2)
        return bb_cli_usage(cli, "export", "unexpected argument '%s'", argv[optind + 2]);
    if (bb_import_kind_parse(argv[optind], &kind, &err) != 0)
        return bb_cli_usage(cli, "export", "%s", err.msg);
    if (argc - optind == 2)
        file = argv[optind + 1];
    if (!(s = bb_cli_store(cli, 0, &err)))
        return bb_cli_fail(cli, &err);
    if (strcmp(file, "-") != 0) {
        int fd;
        snprintf(tmp, sizeof tmp, "%s.XXXXXX", file);
        mode_t mask = umask(0);
        umask(mask);
        if ((fd = mkstemp(tmp)) < 0 || fchmod(fd, 0666 & ~mask) != 0 || !(out = fdopen(fd, "w"))) {
            bb_error_set(&err, BB_EIO, "%s: cannot write: %s", file, strerror(errno));
            if (fd >= 0)
                close(fd);
            return bb_cli_fail(cli, &err);
        }
    }
    rc = bb_export_write(s, kind, fmt, out, &rows, &err);
    if (rc == 0) /* exports are audited; a FILE that could not be recorded is not left behind */
        rc = bb_cli_audit(s, "export", bb_import_kind_name(kind),
                          json_pack("{s:o, s:s, s:I}", "file", bb_cli_json_text(file), "format",
                                    fmt == BB_EXPORT_JSON ? "json" : "csv", "rows", (json_int_t)rows),
                          &err);
    if (out != cli->out) {
        if (fclose(out) != 0 && rc == 0)
            rc = bb_error_set(&err, BB_EIO, "%s: cannot write: %s", file, strerror(errno));
        if (rc == 0 && rename(tmp, file) != 0)
            rc = bb_error_set(&err, BB_EIO, "%s: cannot write: %s", file, strerror(errno));
        if (rc != 0)
            unlink(tmp);
        else
            fprintf(cli->err, "exported %lld %s to %s\n", (long long)rows, bb_import_kind_name(kind), file);
    }
    return rc ? bb_cli_fail(cli, &err) : 0;
}
