/* cmd_customers.h: the subcommands of birebir customers, each in its own cmd_customers_<name>.c, and
 * what they share. argv[0] is the subcommand's name. */
#ifndef BB_CMD_CUSTOMERS_H
#define BB_CMD_CUSTOMERS_H

#include "cli.h"

int bb_cmd_customers_show(bb_cli *cli, int argc, char **argv);
int bb_cmd_customers_search(bb_cli *cli, int argc, char **argv);
int bb_cmd_customers_merge(bb_cli *cli, int argc, char **argv);
int bb_cmd_customers_duplicates(bb_cli *cli, int argc, char **argv);
int bb_cmd_customers_top(bb_cli *cli, int argc, char **argv);

/* Parses a --limit value: an integer from 1 to max; 0 (and a usage message printed) otherwise. */
size_t bb_cmd_customers_limit(bb_cli *cli, const char *sub, const char *text, size_t max);

/* Prints s (NULL as "") in width columns (right-aligned when width < 0), counting UTF-8 characters,
 * and a space. */
void bb_cmd_customers_cell(FILE *f, const char *s, int width);
/* Formats minor units for people (bb_money_format, English style: "₺120.50"). Returns buf. */
const char *bb_cmd_customers_money(int64_t minor, const char *currency, char *buf, size_t size);
/* The date part of an ISO 8601 time string from the profile ("2025-01-05T..." -> "2025-01-05"), or
 * "-" for null; buf >= 11 bytes. */
const char *bb_cmd_customers_date(json_t *iso, char *buf, size_t size);

#endif
