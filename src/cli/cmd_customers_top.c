/* cmd_customers_top.c: birebir customers top [--limit N] [--json]: the customers with the highest
 * CLV, from the stored scores. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/store_score.h"
#include "cmd_customers.h"
#include "cmd_value.h"

static const char usage[] =
    "Usage: birebir [--db PATH] customers top [--limit N] [--json]\n"
    "\n"
    "Lists the customers with the highest CLV (customer lifetime value: the discounted margin expected\n"
    "over the horizon of the last `birebir analyze`), with their segment, tier, P(alive) and revenue.\n"
    "\n"
    "  --limit N  how many (1 to 10000, default 10)\n"
    "  --json     print them as JSON\n"
    "\n"
    "Exit status: 0 ok, 1 no scores yet (run `birebir analyze`), 2 usage, 3 internal error.\n";

typedef struct top {
    bb_cli *cli;
    json_t *arr;
    const bb_rfm_grid *grid;
    const char *cur;
    size_t rank;
} top;

static int on_top(void *ctx, const bb_top_customer *t)
{
    top *x = ctx;
    const bb_score *s = t->score;
    const bb_rfm_segment *seg = bb_cmd_value_segment(x->grid, s->segment);
    char tier[2] = {s->tier, 0}, name[256], clv[64], rev[64];
    x->rank++;
    if (x->arr) {
        json_t *o = json_pack("{s:I, s:s, s:s?, s:s?, s:I, s:I, s:f, s:f, s:s, s:s?, s:s?, s:s, s:I}", "rank",
                              (json_int_t)x->rank, "customer_id", t->external_id, "first_name", t->first_name,
                              "last_name", t->last_name, "clv_minor", (json_int_t)s->clv_minor, "revenue_minor",
                              (json_int_t)s->monetary_minor, "p_alive", s->p_alive, "expected_purchases",
                              s->expected_purchases, "segment", s->segment, "segment_en", seg ? seg->en : NULL,
                              "segment_tr", seg ? seg->tr : NULL, "tier", tier, "frequency", (json_int_t)s->frequency);
        return o && json_array_append_new(x->arr, o) == 0 ? 0 : BB_ENOMEM;
    }
    if (x->rank == 1) /* the header only above a first row: with none, the error alone is printed */
        fprintf(x->cli->out, "rank %-12s %-26s %14s %14s %6s  %-4s %s\n", "customer", "name", "CLV", "revenue",
                "alive", "tier", "segment");
    snprintf(name, sizeof name, "%s %s", t->first_name ? t->first_name : "", t->last_name ? t->last_name : "");
    fprintf(x->cli->out, "%4zu ", x->rank);
    bb_cmd_customers_cell(x->cli->out, t->external_id, 12);
    bb_cmd_customers_cell(x->cli->out, name, 26);
    bb_cmd_customers_cell(x->cli->out, bb_cmd_value_money(s->clv_minor, x->cur, clv, sizeof clv), -14);
    bb_cmd_customers_cell(x->cli->out, bb_cmd_value_money(s->monetary_minor, x->cur, rev, sizeof rev), -14);
    fprintf(x->cli->out, "%5.0f%%  %-4s ", 100.0 * s->p_alive, tier);
    fprintf(x->cli->out, "%s\n", seg ? seg->en : s->segment);
    return 0;
}

int bb_cmd_customers_top(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"limit", required_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    bb_error err = {0};
    bb_store *s;
    bb_rfm_grid grid;
    char cur[4];
    size_t limit = 10;
    int c, json = 0, rc;
    top x = {.cli = cli};
    while ((c = bb_cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h': fputs(usage, cli->out); return 0;
        case 'l':
            if (!(limit = bb_cmd_customers_limit(cli, "top", optarg, 10000)))
                return BB_EXIT_USAGE;
            break;
        case 'j': json = 1; break;
        default: return bb_cli_usage(cli, "customers top", "unknown option");
        }
    }
    if (optind < argc)
        return bb_cli_usage(cli, "customers top", "unexpected argument '%s'", argv[optind]);
    if (!(s = bb_cli_store(cli, 0, &err)) || bb_cmd_value_grid(s, &grid, &err) != 0 ||
        bb_cmd_value_currency(s, cur, &err) != 0)
        return bb_cli_fail(cli, &err);
    x.grid = &grid;
    x.cur = cur;
    if (json)
        x.arr = json_array();
    rc = bb_store_score_top(s, limit, on_top, &x, &err);
    if (rc == 0 && x.rank == 0)
        rc = bb_error_set(&err, BB_ENOTFOUND, "no customer has a CLV yet: run `birebir analyze` first");
    if (rc != 0) {
        json_decref(x.arr);
        return bb_cli_fail(cli, &err);
    }
    if (json)
        return bb_cli_print_json(cli, json_pack("{s:s, s:o}", "currency", cur, "customers", x.arr));
    return 0;
}
