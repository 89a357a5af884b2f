/* cmd_tokens.c: birebir tokens create|list|revoke: API tokens for programs (Authorization: Bearer).
 * A token is printed once, when it is made, and stored only as its SHA-256. Changes are audited. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/api.h"
#include "birebir/buf.h"
#include "birebir/store_auth.h"
#include "cli.h"

static void usage(bb_cli *cli)
{
    fprintf(cli->out,
            "Usage: birebir [--db PATH] tokens create --name NAME --role ROLE [--rate-limit N]\n"
            "       birebir tokens list [--json]\n"
            "       birebir tokens revoke ID|NAME\n"
            "\n"
            "API tokens, sent as 'Authorization: Bearer TOKEN'. ROLE is admin, marketer, analyst or\n"
            "ingest (POST /api/v1/events only). 'create' prints the token, once, as the last line of\n"
            "standard output; only its hash is kept. --rate-limit N allows this token N requests per\n"
            "second (default: the server's --rate-limit). 'revoke' takes a token's number, or a name\n"
            "(revoking every live token of that name).\n");
}

typedef struct list_ctx {
    bb_cli *cli;
    json_t *arr;
} list_ctx;

static int print_token(void *ctx, const bb_store_token *t)
{
    list_ctx *l = ctx;
    char created[32], used[32], revoked[32];
    bb_cli_iso_time(t->created_at, created, sizeof created);
    bb_cli_iso_time(t->last_used_at, used, sizeof used);
    bb_cli_iso_time(t->revoked_at, revoked, sizeof revoked);
    if (l->arr)
        return json_array_append_new(
                   l->arr, json_pack("{s:I, s:s, s:s, s:f, s:s, s:s?, s:s?}", "id", (json_int_t)t->id, "name",
                                     t->name, "role", t->role, "rate_limit", t->rate_limit, "created_at", created,
                                     "last_used_at", t->last_used_at ? used : NULL, "revoked_at",
                                     t->revoked_at ? revoked : NULL))
                   ? BB_ENOMEM
                   : 0;
    fprintf(l->cli->out, "%-5lld %-24s %-9s %-8s %-21s %s\n", (long long)t->id, t->name, t->role,
            t->revoked_at ? "revoked" : "live", created, t->revoked_at ? revoked : "");
    return 0;
}

int bb_cmd_tokens(bb_cli *cli, int argc, char **argv)
{
    enum { O_RATE = 256, O_JSON };
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'}, {"role", required_argument, NULL, 'r'},
        {"rate-limit", required_argument, NULL, O_RATE}, {"json", no_argument, NULL, O_JSON},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    const char *sub, *name = NULL, *role = NULL;
    char actor[300], *token = NULL, *end = NULL;
    double rate = 0;
    int c, json = 0, rc;
    int64_t id = 0, n = 0;
    bb_error err = {0};
    bb_store *s;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(cli);
        return argc < 2 ? BB_EXIT_USAGE : 0;
    }
    sub = argv[1];
    argc--, argv++;
    while ((c = bb_cli_getopt(argc, argv, "hn:r:", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'n': name = optarg; break;
        case 'r': role = optarg; break;
        case O_RATE:
            rate = strtod(optarg, &end);
            if (!*optarg || *end || !(rate >= 0))
                return bb_cli_usage(cli, "tokens", "--rate-limit needs requests per second, not '%s'", optarg);
            break;
        case O_JSON: json = 1; break;
        default: return bb_cli_usage(cli, "tokens", "unknown option");
        }
    }
    if (strcmp(sub, "create") == 0) {
        if (optind < argc)
            return bb_cli_usage(cli, "tokens", "unexpected argument '%s'", argv[optind]);
        if (!name || !role)
            return bb_cli_usage(cli, "tokens", "'tokens create' needs --name NAME and --role ROLE");
        if (!bb_api_role_parse(role))
            return bb_cli_usage(cli, "tokens", "--role is admin, marketer, analyst or ingest, not '%s'", role);
    } else if (strcmp(sub, "revoke") == 0) {
        if (optind + 1 != argc)
            return bb_cli_usage(cli, "tokens", "'tokens revoke' takes one ID or NAME");
        id = strtoll(argv[optind], &end, 10);
        if (*end || id <= 0) {
            id = 0;
            name = argv[optind];
        }
    } else if (strcmp(sub, "list") == 0) {
        if (optind < argc)
            return bb_cli_usage(cli, "tokens", "unexpected argument '%s'", argv[optind]);
    } else {
        return bb_cli_usage(cli, "tokens", "'%s' is not a tokens command (create, list, revoke)", sub);
    }
    if (!(s = bb_cli_store(cli, 0, &err)))
        return bb_cli_fail(cli, &err);
    bb_cli_actor(actor, sizeof actor);
    if (strcmp(sub, "list") == 0) {
        list_ctx l = {.cli = cli, .arr = json ? json_array() : NULL};
        if (bb_store_token_list(s, print_token, &l, &err) != 0) {
            json_decref(l.arr);
            return bb_cli_fail(cli, &err);
        }
        return json ? bb_cli_print_json(cli, l.arr) : 0;
    }
    if (strcmp(sub, "revoke") == 0) {
        if (bb_api_token_revoke(s, id, name, actor, &n, &err) != 0)
            return bb_cli_fail(cli, &err);
        fprintf(cli->err, "revoked %lld token%s\n", (long long)n, n == 1 ? "" : "s");
        return 0;
    }
    rc = bb_api_token_create(s, name, role, rate, actor, &token, &id, &err);
    if (rc != 0)
        return bb_cli_fail(cli, &err);
    fprintf(cli->err, "token %lld \"%s\" (%s) created; it is shown this once and cannot be shown again:\n",
            (long long)id, name, role);
    fprintf(cli->out, "%s\n", token);
    bb_free(token);
    return 0;
}
