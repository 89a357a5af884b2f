/* cmd_value.h: what the value commands (rfm, cohorts, customers top, customers show's scores) share:
 * the store's currency, the segment grid of the current run, money for people. */
#ifndef BB_CMD_VALUE_H
#define BB_CMD_VALUE_H

#include "birebir/rfm.h"
#include "cli.h"

/* The store's default currency ("TRY") into cur[4]. */
int bb_cmd_value_currency(bb_store *s, char cur[4], bb_error *err);
/* The RFM grid of the current scoring run, else the default one. */
int bb_cmd_value_grid(bb_store *s, bb_rfm_grid *g, bb_error *err);
/* The grid's segment of key, or NULL. */
const bb_rfm_segment *bb_cmd_value_segment(const bb_rfm_grid *g, const char *key);
/* Minor units for people ("₺1,234.56"); buf >= 48 bytes. Returns buf. */
const char *bb_cmd_value_money(int64_t minor, const char *cur, char *buf, size_t size);

#endif
