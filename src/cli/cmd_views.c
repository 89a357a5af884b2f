/* cmd_views.c: birebir views build [--json]: stores the 360 view of every customer that has none
 * (store_view.h), in batches each committed on its own, so it can be stopped and run again (it goes on
 * where it stopped, and does nothing when every view is stored). Memory holds one batch of ids and one
 * view. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/profile.h"
#include "birebir/progress.h"
#include "birebir/store_view.h"
#include "cli.h"

enum { BATCH = 500 };

static void usage(bb_cli *cli)
{
    fprintf(cli->out, "Usage: birebir [--db PATH] views build [--json]\n\n"
                      "Stores the customer 360 view (what `customers show --json` and\n"
                      "GET /api/v1/customers/{id} answer, but the scores) of every customer that has\n"
                      "none, so that serving it is one lookup. A stored view is deleted by any write\n"
                      "that changes it, and the server stores views again as they are asked for.\n"
                      "Committed every %d customers: it may be stopped and run again.\n\n"
                      "  --json    print a JSON object (built, views, customers, seconds) instead\n",
            BATCH);
}

static int build(bb_cli *cli, bb_store *s, int64_t *built, double *seconds, bb_error *err)
{
    int64_t ids[BATCH], after = 0, views = 0, customers = 0;
    bb_progress bar;
    double t0 = bb_progress_now();
    int rc;
    *built = 0;
    if ((rc = bb_store_views_count(s, &views, &customers, err)) != 0)
        return rc;
    bb_progress_init(&bar, cli->err, BB_PROGRESS_AUTO, "views", customers > views ? customers - views : 0);
    for (;;) {
        size_t n = 0, stored = 0;
        if ((rc = bb_store_begin(s, err)) != 0)
            break;
        if ((rc = bb_store_views_missing(s, after, BATCH, ids, &n, err)) == 0 && n > 0)
            rc = bb_profile_materialise(s, ids, n, &stored, err);
        if (rc != 0) {
            bb_store_rollback(s);
            break;
        }
        if ((rc = bb_store_commit(s, err)) != 0 || n == 0)
            break;
        after = ids[n - 1];
        *built += (int64_t)stored;
        bb_progress_update(&bar, *built, *built);
    }
    bb_progress_release(&bar);
    *seconds = bb_progress_now() - t0;
    return rc;
}

int bb_cmd_views(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bb_error err = {0};
    bb_store *s;
    int64_t built = 0, views = 0, customers = 0;
    double seconds = 0;
    int c, json = 0;
    while ((c = bb_cli_getopt(argc, argv, "hj", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'j': json = 1; break;
        default: return bb_cli_usage(cli, "views", "unknown option");
        }
    }
    if (optind >= argc)
        return bb_cli_usage(cli, "views", "which action? (build)");
    if (strcmp(argv[optind], "build") != 0)
        return bb_cli_usage(cli, "views", "unknown action '%s' (build)", argv[optind]);
    if (optind + 1 < argc)
        return bb_cli_usage(cli, "views", "unexpected argument '%s'", argv[optind + 1]);
    if (!(s = bb_cli_store(cli, 0, &err)) || build(cli, s, &built, &seconds, &err) != 0 ||
        bb_store_views_count(s, &views, &customers, &err) != 0)
        return bb_cli_fail(cli, &err);
    if (json)
        return bb_cli_print_json(cli, json_pack("{s:I, s:I, s:I, s:f}", "built", (json_int_t)built, "views",
                                                (json_int_t)views, "customers", (json_int_t)customers,
                                                "seconds", seconds));
    fprintf(cli->out, "%lld views stored in %.1f s; %lld of %lld customers have one\n", (long long)built, seconds,
            (long long)views, (long long)customers);
    return 0;
}
