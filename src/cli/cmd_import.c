/* cmd_import.c: birebir import KIND FILE: load a CSV file (plain, gzip or standard input) through the
 * import module, print bad rows as file:line: column: problem, and a closing summary. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "birebir/datetime.h"
#include "birebir/import.h"
#include "birebir/score.h"
#include "birebir/money.h"
#include "cli.h"

#define MAX_MAPS 64
#define SHOWN_REJECTS 20 /* row errors printed; the rest are counted (all are in the rejects file) */

static const char usage[] =
    "Usage: birebir [--db PATH] import KIND FILE [options]\n"
    "\n"
    "Imports a CSV file (FILE '-' is standard input; .gz is read transparently) into the database.\n"
    "KIND: customers, products, orders, order-lines, interactions, consents, survey-responses.\n"
    "UTF-8 (with or without BOM), Windows-1254 and UTF-16 are detected; ',' ';' or TAB delimiters too.\n"
    "\n"
    "Options:\n"
    "  --map SRC=DEST      read the file's column SRC as DEST (repeatable; DEST '-' ignores SRC)\n"
    "  --locale tr|en      numbers and dates: tr reads 1.234,56 and 23.11.2025 (default en)\n"
    "  --utc-offset OFF    the UTC offset of times without a zone (default +03:00 for tr, Z for en)\n"
    "  --date-format FMT   read dates and times with a format: %%Y %%m %%d %%H %%M %%S %%y %%f %%z %%F %%T\n"
    "  --currency CODE     currency when the file has no currency column (default TRY)\n"
    "  --id-kind KIND      customer references are identifiers of KIND (e.g. a till's numbers)\n"
    "  --rejects FILE      where bad rows go (default FILE.rejects.csv; written only when needed)\n"
    "  --strict            stop at the first bad row and write nothing\n"
    "  --dry-run           validate and report; write nothing\n"
    "  --delimiter C       force the delimiter (',' ';' 'tab' or one character)\n"
    "  --encoding E        force the encoding: utf-8, windows-1254, utf-16le, utf-16be\n"
    "  --batch N           rows per transaction (default 1000000)\n"
    "  --json              print the summary as JSON\n"
    "\n"
    "Exit status: 0 all rows imported, 1 a row was rejected or the input is unusable, 2 usage,\n"
    "3 internal error.\n";

typedef struct reporter {
    FILE *out;
    int64_t shown;
} reporter;

static int rescore(void *ctx, bb_store *s, const int64_t *ids, size_t n, bb_error *err)
{
    (void)ctx;
    return bb_score_customers(s, ids, n, err);
}

static void on_reject(void *ctx, const bb_error *e)
{
    reporter *rep = ctx;
    char msg[1200];
    if (rep->shown++ < SHOWN_REJECTS)
        fprintf(rep->out, "%s\n", bb_error_format(e, msg, sizeof msg));
}

static int parse_encoding(const char *s, bb_csv_encoding *e)
{
    static const struct {
        const char *name;
        bb_csv_encoding e;
    } names[] = {
        {"auto", BB_CSV_AUTO},           {"utf-8", BB_CSV_UTF8},    {"utf8", BB_CSV_UTF8},
        {"windows-1254", BB_CSV_CP1254}, {"cp1254", BB_CSV_CP1254}, {"utf-16le", BB_CSV_UTF16LE},
        {"utf-16be", BB_CSV_UTF16BE},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0) {
            *e = names[i].e;
            return 0;
        }
    return -1;
}

static int print_summary(bb_cli *cli, const bb_import_options *o, const char *file,
                         const bb_import_summary *s, int json)
{
    if (json) {
        json_t *v = json_pack(
            "{s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s?, s:s, "
            "s:s, s:s, s:f}",
            "kind", bb_import_kind_name(o->kind), "file", file, "dry_run", o->dry_run, "rows_read",
            (json_int_t)s->rows_read, "valid", (json_int_t)s->valid, "imported", (json_int_t)s->inserted,
            "updated", (json_int_t)s->updated, "unchanged", (json_int_t)s->unchanged, "rejected",
            (json_int_t)s->rejected, "customers_created", (json_int_t)s->customers_created,
            "products_created", (json_int_t)s->products_created, "orders_created",
            (json_int_t)s->orders_created, "rejects_file", s->rejects_path[0] ? s->rejects_path : NULL,
            "encoding", bb_csv_encoding_name(s->encoding), "delimiter",
            s->delimiter == '\t' ? "\t" : (char[]){s->delimiter, 0}, "ignored_columns", s->ignored, "seconds",
            s->seconds);
        return bb_cli_print_json(cli, v);
    }
    fprintf(cli->out, "%s %s from %s (%s, '%s'-separated) in %.2f s%s\n", o->dry_run ? "checked" : "imported",
            bb_import_kind_name(o->kind), file, bb_csv_encoding_name(s->encoding),
            s->delimiter == '\t' ? "\\t" : (char[]){s->delimiter, 0}, s->seconds,
            o->dry_run ? " (dry run: nothing written)" : "");
    fprintf(cli->out, "  rows read   %12lld\n", (long long)s->rows_read);
    if (o->dry_run)
        fprintf(cli->out, "  valid       %12lld\n", (long long)s->valid);
    else
        fprintf(cli->out, "  imported    %12lld\n  updated     %12lld\n  unchanged   %12lld\n",
                (long long)s->inserted, (long long)s->updated, (long long)s->unchanged);
    fprintf(cli->out, "  rejected    %12lld%s%s\n", (long long)s->rejected, s->rejects_path[0] ? "  -> " : "",
            s->rejects_path);
    if (!o->dry_run)
        fprintf(cli->out, "  created     %lld bare customers, %lld products, %lld orders\n",
                (long long)s->customers_created, (long long)s->products_created,
                (long long)s->orders_created);
    return 0;
}

int bb_cmd_import(bb_cli *cli, int argc, char **argv)
{
    enum {
        O_MAP = 256,
        O_LOCALE,
        O_REJECTS,
        O_STRICT,
        O_DRY,
        O_IDKIND,
        O_JSON,
        O_CUR,
        O_DATEFMT,
        O_OFFSET,
        O_DELIM,
        O_ENC,
        O_BATCH
    };
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"map", required_argument, NULL, O_MAP},
        {"locale", required_argument, NULL, O_LOCALE},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"strict", no_argument, NULL, O_STRICT},
        {"dry-run", no_argument, NULL, O_DRY},
        {"id-kind", required_argument, NULL, O_IDKIND},
        {"json", no_argument, NULL, O_JSON},
        {"currency", required_argument, NULL, O_CUR},
        {"date-format", required_argument, NULL, O_DATEFMT},
        {"utc-offset", required_argument, NULL, O_OFFSET},
        {"delimiter", required_argument, NULL, O_DELIM},
        {"encoding", required_argument, NULL, O_ENC},
        {"batch", required_argument, NULL, O_BATCH},
        {NULL, 0, NULL, 0},
    };
    bb_import_map maps[MAX_MAPS];
    bb_import_options o = {0};
    bb_import_summary sum;
    bb_error err = {0};
    reporter rep = {.out = cli->err};
    const char *offset = NULL, *file;
    bb_store *s = NULL;
    int c, json = 0, rc;

    o.currency = "TRY";
    while ((c = bb_cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, cli->out);
            return 0;
        case O_MAP: {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg)
                return bb_cli_usage(cli, "import", "--map wants SRC=DEST, got '%s'", optarg);
            if (o.n_maps == MAX_MAPS)
                return bb_cli_usage(cli, "import", "more than %d --map options", MAX_MAPS);
            *eq = '\0';
            maps[o.n_maps].src = optarg;
            maps[o.n_maps++].dest = eq + 1;
            break;
        }
        case O_LOCALE:
            if (bb_locale_parse(optarg, &o.locale, &err) != 0)
                return bb_cli_usage(cli, "import", "%s", err.msg);
            break;
        case O_REJECTS:
            o.rejects_path = optarg;
            break;
        case O_STRICT:
            o.strict = 1;
            break;
        case O_DRY:
            o.dry_run = 1;
            break;
        case O_IDKIND:
            o.id_kind = optarg;
            break;
        case O_JSON:
            json = 1;
            break;
        case O_CUR:
            o.currency = optarg;
            break;
        case O_DATEFMT:
            o.date_format = optarg;
            break;
        case O_OFFSET:
            offset = optarg;
            break;
        case O_DELIM:
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
                o.csv.delimiter = '\t';
            else if (strlen(optarg) == 1 && optarg[0] != '"' && optarg[0] != '\n' && optarg[0] != '\r')
                o.csv.delimiter = optarg[0];
            else
                return bb_cli_usage(cli, "import", "--delimiter wants one character or 'tab'");
            break;
        case O_ENC:
            if (parse_encoding(optarg, &o.csv.encoding) != 0)
                return bb_cli_usage(cli, "import",
                                    "unknown encoding '%s' (utf-8, windows-1254, utf-16le, "
                                    "utf-16be)",
                                    optarg);
            break;
        case O_BATCH: {
            char *end;
            o.batch_rows = strtoll(optarg, &end, 10);
            if (*end || o.batch_rows < 1)
                return bb_cli_usage(cli, "import", "--batch wants a positive number");
            break;
        }
        default:
            return bb_cli_usage(cli, "import", "unknown option");
        }
    }
    if (argc - optind != 2)
        return bb_cli_usage(cli, "import",
                            argc - optind < 2 ? "KIND and FILE are required" : "unexpected argument '%s'",
                            argv[optind + 2]);
    if (bb_import_kind_parse(argv[optind], &o.kind, &err) != 0)
        return bb_cli_usage(cli, "import", "%s", err.msg);
    file = argv[optind + 1];
    o.utc_offset = bb_locale_utc_offset(o.locale);
    if (offset && bb_utc_offset_parse(offset, &o.utc_offset, &err) != 0)
        return bb_cli_usage(cli, "import", "--utc-offset: %s", err.msg);
    {
        char code[4];
        if (bb_money_code_parse(o.currency, code, &err) != 0)
            return bb_cli_usage(cli, "import", "--currency: %s", err.msg);
    }
    o.maps = maps;
    o.progress = BB_PROGRESS_AUTO;
    o.on_reject = on_reject;
    o.ctx = &rep;
    if (!o.dry_run && !(s = bb_cli_store(cli, BB_STORE_CREATE, &err)))
        return bb_cli_fail(cli, &err);
    if (!o.dry_run && (o.kind == BB_IMPORT_ORDERS || o.kind == BB_IMPORT_ORDER_LINES)) {
        bb_model_run run; /* once `analyze` has run, new orders re-score their customers batch by batch */
        bb_error none = {0};
        if (bb_store_model_run_current(s, "scoring", &run, &none) == 0)
            o.on_batch = rescore;
        bb_model_run_release(&run);
    }
    rc = bb_import_file(s, file, &o, &sum, &err);
    if (rep.shown > SHOWN_REJECTS)
        fprintf(cli->err, "... and %lld more rejected rows%s%s\n", (long long)(rep.shown - SHOWN_REJECTS),
                sum.rejects_path[0] ? ", all in " : "", sum.rejects_path);
    if (rc != 0 && o.strict && sum.rejected > 0) {
        char msg[1200];
        fprintf(cli->err, "%s: --strict: stopped at %s; nothing was written\n", cli->prog,
                err.where[0] ? err.where : bb_error_format(&err, msg, sizeof msg));
        return BB_EXIT_INPUT;
    }
    if (rc == 0 && !o.dry_run) /* a write: audited, like the API's */
        rc = bb_cli_audit(s, "import", bb_import_kind_name(o.kind),
                          json_pack("{s:o, s:I, s:I, s:I, s:I, s:I}", "file", bb_cli_json_text(file),
                                    "rows_read", (json_int_t)sum.rows_read, "imported",
                                    (json_int_t)sum.inserted, "updated", (json_int_t)sum.updated, "unchanged",
                                    (json_int_t)sum.unchanged, "rejected", (json_int_t)sum.rejected),
                          &err);
    if (rc != 0)
        return bb_cli_fail(cli, &err);
    if (sum.ignored[0])
        fprintf(cli->err, "note: columns not used for %s: %s\n", bb_import_kind_name(o.kind), sum.ignored);
    if ((rc = print_summary(cli, &o, file, &sum, json)) != 0)
        return rc;
    return sum.rejected > 0 ? BB_EXIT_INPUT : BB_EXIT_OK;
}
