/* cmd_customers_search.c: birebir customers search TEXT [--sort S] [--segment NAME] [--limit N]
 * [--cursor C] [--json]: the customer list of GET /api/v1/customers (bb_store_customer_list). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/datetime.h"
#include "cmd_customers.h"
#include "cmd_value.h"

size_t bb_cmd_customers_limit(bb_cli *cli, const char *sub, const char *text, size_t max)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*text == '\0' || *end || v < 1 || (unsigned long long)v > max) {
        char cmd[64];
        snprintf(cmd, sizeof cmd, "customers %s", sub);
        bb_cli_usage(cli, cmd, "--limit \"%s\" is not a number from 1 to %zu", text, max);
        return 0;
    }
    return (size_t)v;
}

static void usage(bb_cli *cli)
{
    fprintf(cli->out,
            "Usage: birebir [--db PATH] customers search TEXT [--sort S] [--segment NAME] [--limit N]\n"
            "                                [--cursor C] [--json]\n\n"
            "Finds customers whose names, email, phone, city or id contain every word of TEXT,\n"
            "ignoring case and accents by Turkish rules (\"isik\" finds \"IŞIK\"), in Turkish\n"
            "alphabetical order of last and first name. TEXT \"\" lists everyone.\n\n"
            "  --sort S        name (default), or clv, revenue, last_order: highest or latest first,\n"
            "                  then those without one by name\n"
            "  --segment NAME  only customers of this RFM segment (`birebir rfm` lists them)\n"
            "  --limit N       at most N customers (1..10000, default 20)\n"
            "  --cursor C      the next page: C is the cursor the page before printed (same --sort)\n"
            "  --json          print {\"customers\": [...], \"next_cursor\": ...}\n");
}

typedef struct out {
    bb_cli *cli;
    json_t *arr; /* NULL: text */
    bb_customer_sort sort;
    int n;
} out;

static json_t *int_or_null(int has, int64_t v)
{
    return has ? json_integer((json_int_t)v) : json_null();
}

/* The sort's value of a hit, for the text table. */
static const char *key_text(const out *o, const bb_customer_hit *h, char *buf, size_t size)
{
    if (o->sort == BB_SORT_LAST_ORDER)
        return h->last_order_at ? bb_time_format_iso(h->last_order_at, buf, size) : "-";
    if ((o->sort == BB_SORT_CLV && !h->has_clv) || (o->sort == BB_SORT_REVENUE && !h->has_revenue))
        return "-";
    return bb_cmd_customers_money(o->sort == BB_SORT_CLV ? h->clv_minor : h->revenue_minor, h->currency, buf, size);
}

static int on_hit(void *arg, const bb_customer_hit *h)
{
    out *o = arg;
    char at[32], key[64];
    if (o->arr) {
        json_t *v = json_pack("{s:s, s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:s}", "id", h->external_id,
                              "internal_id", (json_int_t)h->id, "first_name", h->first_name, "last_name",
                              h->last_name, "email", h->email, "phone", h->phone, "city", h->city, "segment",
                              h->segment, "clv_minor", int_or_null(h->has_clv, h->clv_minor), "revenue_minor",
                              int_or_null(h->has_revenue, h->revenue_minor), "last_order_at",
                              h->last_order_at ? json_string(bb_time_format_iso(h->last_order_at, at, sizeof at))
                                               : json_null(),
                              "currency", h->currency ? h->currency : "");
        return v && json_array_append_new(o->arr, v) == 0 ? 0 : BB_ENOMEM;
    }
    if (o->n == 0) {
        const char *head[5] = {"ID", "NAME", "EMAIL", "PHONE", "CITY"};
        const int w[4] = {12, 26, 30, 14};
        for (int i = 0; i < 4; i++)
            bb_cmd_customers_cell(o->cli->out, head[i], w[i]);
        if (o->sort != BB_SORT_NAME) {
            bb_cmd_customers_cell(o->cli->out, head[4], 14);
            fprintf(o->cli->out, "%s\n", o->sort == BB_SORT_CLV ? "CLV" : o->sort == BB_SORT_REVENUE ? "REVENUE" : "LAST ORDER");
        } else {
            fprintf(o->cli->out, "%s\n", head[4]);
        }
    }
    char name[160];
    snprintf(name, sizeof name, "%s%s%s", h->first_name ? h->first_name : "",
             h->first_name && h->last_name ? " " : "", h->last_name ? h->last_name : "");
    bb_cmd_customers_cell(o->cli->out, h->external_id, 12);
    bb_cmd_customers_cell(o->cli->out, name, 26);
    bb_cmd_customers_cell(o->cli->out, h->email, 30);
    bb_cmd_customers_cell(o->cli->out, h->phone, 14);
    if (o->sort != BB_SORT_NAME) {
        bb_cmd_customers_cell(o->cli->out, h->city, 14);
        fprintf(o->cli->out, "%s\n", key_text(o, h, key, sizeof key));
    } else {
        fprintf(o->cli->out, "%s\n", h->city ? h->city : "");
    }
    o->n++;
    return 0;
}

/* --sort's value: one of the list's sorts; -1 (usage printed) otherwise. */
static int sort_arg(bb_cli *cli, const char *v)
{
    for (int k = 0; k < BB_SORT_COUNT; k++)
        if (strcmp(v, bb_customer_sort_name(k)) == 0)
            return k;
    bb_cli_usage(cli, "customers search", "--sort \"%s\" is not one of name, clv, revenue, last_order", v);
    return -1;
}

/* --segment's value: a segment of the grid the scores were made with (bad input otherwise, naming the
 * segments there are). */
static int segment_check(bb_store *s, const char *v, bb_error *err)
{
    bb_rfm_grid grid;
    char list[BB_RFM_MAX_SEGMENTS * 32] = "";
    int rc = bb_cmd_value_grid(s, &grid, err);
    if (rc != 0 || bb_cmd_value_segment(&grid, v))
        return rc;
    for (size_t i = 0; i < grid.n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", grid.seg[i].key);
    }
    return bb_error_setw(err, BB_EINVAL, "--segment", "\"%s\" is not a segment; the segments are: %s", v,
                         list);
}

int bb_cmd_customers_search(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"limit", required_argument, NULL, 'n'}, {"cursor", required_argument, NULL, 'c'},
        {"sort", required_argument, NULL, 's'},  {"segment", required_argument, NULL, 'g'},
        {"json", no_argument, NULL, 'j'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bb_customer_query query = {.limit = 20};
    char next[BB_STORE_CURSOR_MAX] = "";
    bb_error err = {0};
    bb_store *s;
    out o = {cli, NULL, BB_SORT_NAME, 0};
    int c, json = 0, rc, sort;
    while ((c = bb_cli_getopt(argc, argv, "hjn:c:", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'j': json = 1; break;
        case 'c': query.cursor = optarg; break;
        case 'g': query.segment = optarg; break;
        case 's':
            if ((sort = sort_arg(cli, optarg)) < 0)
                return BB_EXIT_USAGE;
            query.sort = o.sort = (bb_customer_sort)sort;
            break;
        case 'n':
            if (!(query.limit = bb_cmd_customers_limit(cli, "search", optarg, 10000)))
                return BB_EXIT_USAGE;
            break;
        default: return bb_cli_usage(cli, "customers search", "unknown option");
        }
    }
    if (optind != argc - 1)
        return bb_cli_usage(cli, "customers search", "give one search TEXT (quote several words)");
    if (query.segment && !*query.segment)
        return bb_cli_usage(cli, "customers search", "--segment needs a segment's name (`birebir rfm` lists them)");
    query.q = argv[optind];
    if (!(s = bb_cli_store(cli, 0, &err)) || (query.segment && segment_check(s, query.segment, &err) != 0))
        return bb_cli_fail(cli, &err);
    if (json && !(o.arr = json_array()))
        return BB_EXIT_INTERNAL;
    rc = bb_store_customer_list(s, &query, on_hit, &o, next, &err);
    if (rc) {
        json_decref(o.arr);
        if (rc == BB_ENOMEM && !err.msg[0])
            bb_error_set(&err, rc, "out of memory");
        return bb_cli_fail(cli, &err);
    }
    if (json)
        return bb_cli_print_json(cli, json_pack("{s:o, s:s?}", "customers", o.arr, "next_cursor",
                                                next[0] ? next : NULL));
    if (o.n == 0)
        fprintf(cli->out, "no customer matches \"%s\"%s%s\n", argv[optind], query.segment ? " in segment " : "",
                query.segment ? query.segment : "");
    else if (next[0])
        fprintf(cli->out, "more: --cursor %s\n", next);
    return 0;
}
