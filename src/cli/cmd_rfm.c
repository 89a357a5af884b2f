/* cmd_rfm.c: birebir rfm [--json] [--grid]: each RFM segment's size, revenue and mean CLV from the
 * stored scores, named in English and Turkish; --grid prints the segment grid in use (to edit it). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/score.h"
#include "birebir/store_score.h"
#include "cmd_value.h"

static const char usage[] =
    "Usage: birebir [--db PATH] rfm [--json] [--grid]\n"
    "\n"
    "Lists the RFM segments of the last `birebir analyze`: customers (and their share), revenue and\n"
    "mean CLV of each, with the segment's English and Turkish names. Segments come from a grid over the\n"
    "recency (R) and frequency (F) scores 1-5; the grid is data a business can edit:\n"
    "  birebir rfm --grid > grid.json; (edit); birebir analyze --rfm-grid grid.json\n"
    "\n"
    "  --json   print the table as JSON\n"
    "  --grid   print the grid in use as JSON (the default one before the first analyze)\n"
    "\n"
    "Exit status: 0 ok, 1 no scores yet (run `birebir analyze`), 2 usage, 3 internal error.\n";

typedef struct acc {
    bb_segment_summary seg[BB_RFM_MAX_SEGMENTS];
    char keys[BB_RFM_MAX_SEGMENTS][32];
    size_t n;
    int64_t total;
} acc;

static int on_segment(void *ctx, const bb_segment_summary *g)
{
    acc *a = ctx;
    if (a->n < BB_RFM_MAX_SEGMENTS) {
        a->seg[a->n] = *g;
        snprintf(a->keys[a->n], sizeof a->keys[a->n], "%s", g->segment);
        a->seg[a->n].segment = a->keys[a->n];
        a->n++;
    }
    a->total += g->customers;
    return 0;
}

static const bb_segment_summary *find(const acc *a, const char *key)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->keys[i], key) == 0)
            return &a->seg[i];
    return NULL;
}

int bb_cmd_rfm(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, 'j'},
        {"grid", no_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    bb_error err = {0};
    bb_store *s;
    bb_rfm_grid grid;
    acc a = {0};
    char cur[4];
    int c, json = 0, want_grid = 0;
    while ((c = bb_cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h': fputs(usage, cli->out); return 0;
        case 'j': json = 1; break;
        case 'g': want_grid = 1; break;
        default: return bb_cli_usage(cli, "rfm", "unknown option");
        }
    }
    if (optind < argc)
        return bb_cli_usage(cli, "rfm", "unexpected argument '%s'", argv[optind]);
    if (!(s = bb_cli_store(cli, 0, &err)) || bb_cmd_value_grid(s, &grid, &err) != 0)
        return bb_cli_fail(cli, &err);
    if (want_grid)
        return bb_cli_print_json(cli, bb_rfm_grid_json(&grid));
    if (bb_cmd_value_currency(s, cur, &err) != 0 || bb_store_score_segments(s, on_segment, &a, &err) != 0)
        return bb_cli_fail(cli, &err);
    if (a.total == 0) {
        bb_error_set(&err, BB_ENOTFOUND, "no customer has scores yet: run `birebir analyze` first");
        return bb_cli_fail(cli, &err);
    }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < grid.n; i++) {
            const bb_segment_summary *g = find(&a, grid.seg[i].key);
            json_array_append_new(
                arr, json_pack("{s:s, s:s, s:s, s:I, s:f, s:I, s:I, s:f}", "key", grid.seg[i].key, "en", grid.seg[i].en,
                               "tr", grid.seg[i].tr, "customers", (json_int_t)(g ? g->customers : 0), "share",
                               g ? (double)g->customers / (double)a.total : 0.0, "revenue_minor",
                               (json_int_t)(g ? g->revenue_minor : 0), "clv_minor", (json_int_t)(g ? g->clv_minor : 0),
                               "mean_clv_minor", g ? g->mean_clv_minor : 0.0));
        }
        return bb_cli_print_json(cli, json_pack("{s:I, s:s, s:o}", "customers", (json_int_t)a.total, "currency", cur,
                                                "segments", arr));
    }
    fprintf(cli->out, "%-20s %-26s %10s %7s %18s %14s\n", "segment", "segment (tr)", "customers", "share",
            "revenue", "mean CLV");
    for (size_t i = 0; i < grid.n; i++) {
        const bb_segment_summary *g = find(&a, grid.seg[i].key);
        char rev[64], clv[64];
        int pad = 26;
        for (const char *p = grid.seg[i].tr; *p; p++) /* pad by characters, not bytes */
            pad += ((unsigned char)*p & 0xc0) == 0x80;
        fprintf(cli->out, "%-20s %-*s %10lld %6.1f%% %18s %14s\n", grid.seg[i].en, pad, grid.seg[i].tr,
                (long long)(g ? g->customers : 0), g ? 100.0 * (double)g->customers / (double)a.total : 0.0,
                bb_cmd_value_money(g ? g->revenue_minor : 0, cur, rev, sizeof rev),
                bb_cmd_value_money(g ? (int64_t)(g->mean_clv_minor + 0.5) : 0, cur, clv, sizeof clv));
    }
    fprintf(cli->out, "%lld customers with scores\n", (long long)a.total);
    return 0;
}
