/* cmd_customers_show.c: birebir customers show ID [--kind KIND] [--json]: the customer 360 view. One
 * renderer for the CLI and the HTTP API: the text bb_profile_write_stored makes (the stored view when
 * there is one, with its scores spliced in), printed as it is with --json (the same bytes as
 * GET /api/v1/customers/{id}), or read back and drawn as text. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/profile.h"
#include "cmd_customers.h"

static void usage(bb_cli *cli)
{
    fprintf(cli->out,
            "Usage: birebir [--db PATH] customers show ID [--kind KIND] [--json]\n\n"
            "Shows one customer: profile and identifiers, order summary (count, first and last\n"
            "order, revenue), the last 10 orders with their lines, consents per channel, recent\n"
            "interactions and survey answers, and the value scores of the last `birebir analyze`\n"
            "(each with a line saying what it means). ID is the customer's id, or any identifier:\n"
            "an email, a phone number, or KIND:VALUE (card:LC-42, till:T-77).\n\n"
            "  --kind KIND  ID is an identifier of this kind (e.g. till, card, web)\n"
            "  --json       print the JSON view (keys in docs/CLI.md)\n");
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void line(bb_cli *cli, const char *label, const char *value)
{
    if (value && *value) {
        bb_cmd_customers_cell(cli->out, label, 12);
        fprintf(cli->out, "%s\n", value);
    }
}

static void print_customer(bb_cli *cli, json_t *c)
{
    json_t *v;
    size_t i;
    char buf[64], *attrs;
    fprintf(cli->out, "%s %s  (%s)\n", str(c, "first_name"), str(c, "last_name"), str(c, "id"));
    line(cli, "email", str(c, "email"));
    line(cli, "phone", str(c, "phone"));
    line(cli, "city", str(c, "city"));
    line(cli, "birth date", str(c, "birth_date"));
    line(cli, "gender", str(c, "gender"));
    line(cli, "since", bb_cmd_customers_date(json_object_get(c, "created_at"), buf, sizeof buf));
    bb_cmd_customers_cell(cli->out, "identifiers", 12);
    json_array_foreach(json_object_get(c, "identifiers"), i, v)
        fprintf(cli->out, "%s%s:%s", i ? ", " : "", str(v, "kind"), str(v, "value"));
    fputc('\n', cli->out);
    if (json_array_size(json_object_get(c, "merged_from"))) {
        bb_cmd_customers_cell(cli->out, "merged in", 12);
        json_array_foreach(json_object_get(c, "merged_from"), i, v)
            fprintf(cli->out, "%s%s", i ? ", " : "", json_string_value(v));
        fputc('\n', cli->out);
    }
    if (json_object_size(json_object_get(c, "attributes")) &&
        (attrs = json_dumps(json_object_get(c, "attributes"), JSON_COMPACT))) {
        line(cli, "attributes", attrs);
        free(attrs);
    }
}

static void print_orders(bb_cli *cli, json_t *sum, json_t *orders)
{
    json_t *o, *l;
    size_t i, k;
    char a[40], b[40], m[48];
    const char *cur = str(sum, "currency");
    fprintf(cli->out, "\nOrders: %lld", (long long)json_integer_value(json_object_get(sum, "count")));
    if (json_integer_value(json_object_get(sum, "count")))
        fprintf(cli->out, ", first %s, last %s, revenue %s",
                bb_cmd_customers_date(json_object_get(sum, "first_order_at"), a, sizeof a),
                bb_cmd_customers_date(json_object_get(sum, "last_order_at"), b, sizeof b),
                bb_cmd_customers_money(json_integer_value(json_object_get(sum, "revenue_minor")), cur,
                                       m, sizeof m));
    fputc('\n', cli->out);
    json_array_foreach(orders, i, o) {
        fprintf(cli->out, "  %s  ", bb_cmd_customers_date(json_object_get(o, "ordered_at"), a, sizeof a));
        bb_cmd_customers_cell(cli->out, str(o, "order_id"), 12);
        bb_cmd_customers_cell(cli->out,
                              bb_cmd_customers_money(json_integer_value(json_object_get(o, "amount_minor")),
                                                     str(o, "currency"), m, sizeof m), -14);
        fprintf(cli->out, " %s\n", str(o, "channel"));
        json_array_foreach(json_object_get(o, "lines"), k, l) {
            fprintf(cli->out, "      %g x ", json_number_value(json_object_get(l, "quantity")));
            bb_cmd_customers_cell(cli->out, str(l, "sku"), 10);
            bb_cmd_customers_cell(cli->out, str(l, "name"), 24);
            fprintf(cli->out, "%s\n",
                    bb_cmd_customers_money(json_integer_value(json_object_get(l, "total_minor")),
                                           str(o, "currency"), m, sizeof m));
        }
    }
}

static void print_rest(bb_cli *cli, json_t *j)
{
    json_t *v, *cons = json_object_get(j, "consents");
    size_t i;
    char a[40];
    fprintf(cli->out, "\nConsents:");
    if (!json_array_size(json_object_get(cons, "current")))
        fprintf(cli->out, " none recorded");
    json_array_foreach(json_object_get(cons, "current"), i, v)
        fprintf(cli->out, "%s %s %s (%s%s%s)", i ? ";" : "", str(v, "channel"), str(v, "status"),
                bb_cmd_customers_date(json_object_get(v, "recorded_at"), a, sizeof a),
                *str(v, "source") ? ", " : "", str(v, "source"));
    fprintf(cli->out, "\n\nInteractions (latest %zu):\n", json_array_size(json_object_get(j, "interactions")));
    json_array_foreach(json_object_get(j, "interactions"), i, v) {
        fprintf(cli->out, "  %.16s  ", str(v, "occurred_at"));
        bb_cmd_customers_cell(cli->out, str(v, "channel"), 6);
        bb_cmd_customers_cell(cli->out, str(v, "direction"), 3);
        bb_cmd_customers_cell(cli->out, str(v, "kind"), 10);
        fprintf(cli->out, "%s\n", str(v, "subject"));
    }
    if (json_array_size(json_object_get(j, "survey_responses")))
        fprintf(cli->out, "\nSurvey answers:\n");
    json_array_foreach(json_object_get(j, "survey_responses"), i, v)
        fprintf(cli->out, "  %s  %s %lld  %s\n",
                bb_cmd_customers_date(json_object_get(v, "responded_at"), a, sizeof a),
                str(v, "survey"), (long long)json_integer_value(json_object_get(v, "score")),
                str(v, "comment"));
}

/* One score: label, value, and what it means. */
static void score_line(bb_cli *cli, const char *label, const char *value, json_t *item)
{
    const char *meaning = json_string_value(json_object_get(item, "meaning"));
    fputs("  ", cli->out);
    bb_cmd_customers_cell(cli->out, label, 11);
    bb_cmd_customers_cell(cli->out, value, 26);
    fprintf(cli->out, "%s\n", meaning ? meaning : "");
}

static double num(json_t *item)
{
    return json_number_value(json_object_get(item, "value"));
}

static void print_scores(bb_cli *cli, json_t *sc)
{
    json_t *rfm = json_object_get(sc, "rfm"), *seg = json_object_get(rfm, "segment"), *v;
    const char *cur = str(sc, "currency");
    char buf[160], a[40];
    if (!json_is_object(sc)) {
        fprintf(cli->out, "\nScores: none (no purchase by the as-of time of the last "
                          "`birebir analyze`, or it has not run)\n");
        return;
    }
    fprintf(cli->out, "\nScores (analyze run %lld, updated %s):\n", (long long)json_integer_value(json_object_get(sc, "run_id")),
            bb_cmd_customers_date(json_object_get(sc, "updated_at"), a, sizeof a));
    snprintf(buf, sizeof buf, "%s / %s", str(seg, "en"), str(seg, "tr"));
    score_line(cli, "segment", buf, seg);
    snprintf(buf, sizeof buf, "%.0f", num(json_object_get(rfm, "r_score")));
    score_line(cli, "R score", buf, json_object_get(rfm, "r_score"));
    snprintf(buf, sizeof buf, "%.0f", num(json_object_get(rfm, "f_score")));
    score_line(cli, "F score", buf, json_object_get(rfm, "f_score"));
    snprintf(buf, sizeof buf, "%.0f", num(json_object_get(rfm, "m_score")));
    score_line(cli, "M score", buf, json_object_get(rfm, "m_score"));
    snprintf(buf, sizeof buf, "%.0f days", num(json_object_get(rfm, "recency_days")));
    score_line(cli, "recency", buf, json_object_get(rfm, "recency_days"));
    if (json_is_number(json_object_get((v = json_object_get(sc, "p_alive")), "value"))) {
        snprintf(buf, sizeof buf, "%.1f%%", 100.0 * num(v));
        score_line(cli, "P(alive)", buf, v);
        v = json_object_get(sc, "expected_purchases");
        snprintf(buf, sizeof buf, "%.2f", num(v));
        score_line(cli, "expected", buf, v);
        v = json_object_get(sc, "expected_value_minor");
        if (json_is_number(json_object_get(v, "value")))
            score_line(cli, "order value", bb_cmd_customers_money((int64_t)(num(v) + 0.5), cur, buf, sizeof buf), v);
        v = json_object_get(sc, "clv");
        score_line(cli, "CLV",
                   bb_cmd_customers_money(json_integer_value(json_object_get(v, "value_minor")), cur, buf, sizeof buf), v);
        v = json_object_get(sc, "tier");
        score_line(cli, "tier", str(v, "value"), v);
        v = json_object_get(sc, "churn_risk");
        snprintf(buf, sizeof buf, "%s (%s)", str(v, "value"), str(v, "tr"));
        score_line(cli, "churn risk", buf, v);
    }
}

int bb_cmd_customers_show(bb_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *kind = NULL;
    bb_error err = {0};
    bb_store *s;
    json_t *j = NULL;
    json_error_t jerr;
    bb_buf view;
    int64_t missing = 0;
    int c, json = 0;
    while ((c = bb_cli_getopt(argc, argv, "hjk:", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'j': json = 1; break;
        case 'k': kind = optarg; break;
        default: return bb_cli_usage(cli, "customers show", "unknown option");
        }
    }
    if (optind != argc - 1)
        return bb_cli_usage(cli, "customers show", "give one customer ID");
    bb_buf_init(&view, 0);
    if (!(s = bb_cli_store(cli, 0, &err)) || bb_profile_write_stored(s, argv[optind], kind, &view, &missing, &err) != 0) {
        bb_buf_release(&view);
        return bb_cli_fail(cli, &err);
    }
    if (json) {
        fwrite(view.data, 1, view.len, cli->out);
        fputc('\n', cli->out);
        bb_buf_release(&view);
        return 0;
    }
    j = json_loadb(view.data, view.len, 0, &jerr);
    bb_buf_release(&view);
    if (!j) {
        bb_error_set(&err, BB_EINTERNAL, "the customer's view is not JSON: %s", jerr.text);
        return bb_cli_fail(cli, &err);
    }
    print_customer(cli, json_object_get(j, "customer"));
    print_orders(cli, json_object_get(j, "order_summary"), json_object_get(j, "orders"));
    print_rest(cli, j);
    print_scores(cli, json_object_get(j, "scores"));
    json_decref(j);
    return 0;
}
