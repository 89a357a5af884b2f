/* cmd_value.c: helpers shared by the value commands (cmd_value.h). */
#include <string.h>

#include "birebir/money.h"
#include "birebir/score.h"
#include "cmd_value.h"

int bb_cmd_value_currency(bb_store *s, char cur[4], bb_error *err)
{
    bb_order_summary os;
    bb_score_params p;
    bb_error ignore = {0};
    if (bb_score_params_load(s, &p, &ignore) == 0 && *p.currency) { /* the currency the scores are in */
        memcpy(cur, p.currency, 4);
        return 0;
    }
    int rc = bb_store_order_summary(s, 0, &os, err);
    if (rc == 0)
        memcpy(cur, os.currency, 4);
    return rc;
}

int bb_cmd_value_grid(bb_store *s, bb_rfm_grid *g, bb_error *err)
{
    bb_score_params p;
    bb_error ignore = {0};
    if (bb_score_params_load(s, &p, &ignore) == 0) {
        *g = p.grid;
        return 0;
    }
    return bb_rfm_grid_parse(bb_rfm_grid_default_json(), g, err);
}

const bb_rfm_segment *bb_cmd_value_segment(const bb_rfm_grid *g, const char *key)
{
    for (size_t i = 0; key && i < g->n; i++)
        if (strcmp(g->seg[i].key, key) == 0)
            return &g->seg[i];
    return NULL;
}

const char *bb_cmd_value_money(int64_t minor, const char *cur, char *buf, size_t size)
{
    bb_money_format(minor, cur, BB_LOCALE_EN, buf, size);
    return buf;
}
