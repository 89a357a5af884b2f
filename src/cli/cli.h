/* cli.h: the command-line front door. Owns the shared state of one invocation (database path, the
 * store opened on demand, output streams), the command table and the helpers every command uses to
 * report errors and print JSON. Each command lives in its own cmd_<name>.c and returns an exit status:
 * 0 ok, 1 bad input, 2 usage, 3 internal error. The CLI uses only include/birebir/. */
#ifndef BB_CLI_H
#define BB_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "birebir/error.h"
#include "birebir/store.h"

enum { BB_EXIT_OK = 0, BB_EXIT_INPUT = 1, BB_EXIT_USAGE = 2, BB_EXIT_INTERNAL = 3 };

typedef struct bb_cli {
    const char *prog;    /* "birebir" */
    const char *db_path; /* --db, else $BIREBIR_DB, else ./birebir.db */
    bb_store *store;     /* opened by bb_cli_store(), closed at exit */
    FILE *out;           /* stdout */
    FILE *err;           /* stderr */
} bb_cli;

typedef struct bb_cli_command {
    const char *name;
    const char *summary;
    int (*run)(bb_cli *cli, int argc, char **argv); /* argv[0] is the command name */
} bb_cli_command;

/* The table of commands (cmd_table.c), ended by a {NULL} entry. */
extern const bb_cli_command bb_cli_commands[];

/* Opens the store once (flags as bb_store_open); returns it, or NULL with err filled. */
bb_store *bb_cli_store(bb_cli *cli, int flags, bb_error *err);

/* Prints "birebir: WHERE: MESSAGE" to stderr and returns the exit status for err->code. */
int bb_cli_fail(bb_cli *cli, const bb_error *err);
/* Prints "birebir CMD: MESSAGE" and "Try 'birebir CMD --help'." and returns 2. */
int bb_cli_usage(bb_cli *cli, const char *cmd, const char *fmt, ...) BB_PRINTF(3, 4);
/* Prints a JSON value (takes a reference: decrefs it) on stdout, indented, with a newline.
 * Returns 0, or 3 when it could not be written. */
int bb_cli_print_json(bb_cli *cli, json_t *v);

/* Runs getopt_long over argv with the given options after resetting getopt's state.
 * Convenience for commands: returns what getopt_long returns. */
struct option;
int bb_cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* The CLI's name in the audit log: "cli:$USER" (cmd_users.c). */
void bb_cli_actor(char *out, size_t size);
/* A JSON string of s; when s is not UTF-8, its bytes past ASCII become '?' (cli_audit.c). */
json_t *bb_cli_json_text(const char *s);
/* Appends an entry to the audit log as bb_cli_actor, at now (cli_audit.c); takes the reference to
 * detail (a JSON object or NULL). */
int bb_cli_audit(bb_store *s, const char *action, const char *target, json_t *detail, bb_error *err);
/* UTC seconds as "2026-11-01T10:00:00Z", or "-" for 0 (cmd_users.c). */
void bb_cli_iso_time(int64_t t, char *out, size_t size);

/* True when stdout/stderr is a terminal (progress bars go to stderr, only on a terminal). */
int bb_cli_stderr_is_tty(void);

#endif
