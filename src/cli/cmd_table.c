/* cmd_table.c: the table of birebir's commands, in the order --help lists them. */
#include "cli.h"

/* Each command lives in cmd_<name>.c. */
int bb_cmd_init(bb_cli *cli, int argc, char **argv);
int bb_cmd_status(bb_cli *cli, int argc, char **argv);
int bb_cmd_import(bb_cli *cli, int argc, char **argv);
int bb_cmd_export(bb_cli *cli, int argc, char **argv);
int bb_cmd_customers(bb_cli *cli, int argc, char **argv);
int bb_cmd_demo(bb_cli *cli, int argc, char **argv);
int bb_cmd_fit(bb_cli *cli, int argc, char **argv);
int bb_cmd_analyze(bb_cli *cli, int argc, char **argv);
int bb_cmd_rfm(bb_cli *cli, int argc, char **argv);
int bb_cmd_cohorts(bb_cli *cli, int argc, char **argv);
int bb_cmd_views(bb_cli *cli, int argc, char **argv);
int bb_cmd_serve(bb_cli *cli, int argc, char **argv);
int bb_cmd_users(bb_cli *cli, int argc, char **argv);
int bb_cmd_tokens(bb_cli *cli, int argc, char **argv);

const bb_cli_command bb_cli_commands[] = {
    {"init", "create or upgrade the database", bb_cmd_init},
    {"status", "the database's size, schema version and counts", bb_cmd_status},
    {"import", "import a CSV file of customers, orders, ...", bb_cmd_import},
    {"export", "write every customer, order, ... as CSV or JSON", bb_cmd_export},
    {"customers", "show, search, merge customers; list likely duplicates", bb_cmd_customers},
    {"demo", "fill an empty database with a realistic sample business", bb_cmd_demo},
    {"analyze", "compute and store every customer's value scores (RFM, CLV, churn, tiers)", bb_cmd_analyze},
    {"rfm", "RFM segments: size, revenue and mean CLV of each", bb_cmd_rfm},
    {"cohorts", "cohort retention: customers by first-purchase month, active in later months", bb_cmd_cohorts},
    {"fit", "fit BG/NBD, Pareto/NBD or Gamma-Gamma to a transactions file", bb_cmd_fit},
    {"views", "store every customer's 360 view, so the server answers it with one lookup", bb_cmd_views},
    {"serve", "serve the JSON API and the web UI over HTTP", bb_cmd_serve},
    {"users", "people who sign in to the web UI: add, list, passwd, disable", bb_cmd_users},
    {"tokens", "API tokens: create, list, revoke", bb_cmd_tokens},
    {NULL, NULL, NULL},
};
