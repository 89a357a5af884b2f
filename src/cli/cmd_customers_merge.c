/* cmd_customers_merge.c: birebir customers merge KEEP OTHER [--by NAME] [--json]. The merge and its
 * audit log entry (cli:$USER, customer.merge, KEEP, what moved) are one transaction. */
#include <getopt.h>
#include <stdlib.h>

#include "cmd_customers.h"

static void usage(bb_cli *cli)
{
    fprintf(cli->out,
            "Usage: birebir [--db PATH] customers merge KEEP OTHER [--by NAME] [--json]\n\n"
            "Folds customer OTHER into KEEP: orders, interactions, consents, survey answers,\n"
            "identifiers, loyalty, segments and scores move; KEEP's profile keeps its values and\n"
            "takes OTHER's where it has none. OTHER stays as a pointer to KEEP, so its id, email\n"
            "or phone still finds KEEP. The merge is recorded with who, when and what moved.\n"
            "KEEP and OTHER are ids or identifiers, as for 'customers show'.\n\n"
            "  --by NAME   who merges (recorded; default $USER)\n"
            "  --json      print what moved as JSON\n");
}

int bb_cmd_customers_merge(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"by", required_argument, NULL, 'b'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *who = getenv("USER");
    bb_merge_report r = {0};
    bb_error err = {0};
    bb_store *s;
    int c, json = 0;
    while ((c = bb_cli_getopt(argc, argv, "hjb:", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'j': json = 1; break;
        case 'b': who = optarg; break;
        default: return bb_cli_usage(cli, "customers merge", "unknown option");
        }
    }
    if (optind != argc - 2)
        return bb_cli_usage(cli, "customers merge", "give two customers: KEEP OTHER");
    if (!(s = bb_cli_store(cli, 0, &err)) || bb_store_begin(s, &err) != 0)
        return bb_cli_fail(cli, &err);
    if (bb_store_merge(s, argv[optind], argv[optind + 1], who && *who ? who : "cli", &r, &err) != 0 ||
        bb_cli_audit(s, "customer.merge", argv[optind],
                     json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I}", "merged", bb_cli_json_text(argv[optind + 1]),
                               "by", bb_cli_json_text(who && *who ? who : "cli"), "orders", (json_int_t)r.orders,
                               "interactions", (json_int_t)r.interactions, "consents", (json_int_t)r.consents,
                               "survey_responses", (json_int_t)r.survey_responses, "identifiers",
                               (json_int_t)r.identifiers),
                     &err) != 0 ||
        bb_store_commit(s, &err) != 0) {
        bb_store_rollback(s);
        return bb_cli_fail(cli, &err);
    }
    if (json)
        return bb_cli_print_json(cli, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "kept",
                                                argv[optind], "merged", argv[optind + 1], "orders",
                                                (json_int_t)r.orders, "interactions",
                                                (json_int_t)r.interactions, "consents",
                                                (json_int_t)r.consents, "survey_responses",
                                                (json_int_t)r.survey_responses, "identifiers",
                                                (json_int_t)r.identifiers, "attributes",
                                                (json_int_t)r.attributes));
    fprintf(cli->out,
            "merged %s into %s: %lld orders, %lld interactions, %lld consents, %lld survey answers, "
            "%lld identifiers moved; %lld profile fields and attributes filled\n",
            argv[optind + 1], argv[optind], (long long)r.orders, (long long)r.interactions,
            (long long)r.consents, (long long)r.survey_responses, (long long)r.identifiers,
            (long long)r.attributes);
    return 0;
}
