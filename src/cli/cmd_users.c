/* cmd_users.c: birebir users add|list|passwd|disable|enable: the people who sign in to the web UI, with
 * a role and an argon2id password hash. Every change is written to the audit log. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "birebir/api.h"
#include "birebir/datetime.h"
#include "birebir/store_auth.h"
#include "cli.h"

static void usage(bb_cli *cli)
{
    fprintf(cli->out,
            "Usage: birebir [--db PATH] users add NAME --role admin|marketer|analyst [--password-stdin]\n"
            "       birebir users list [--json]\n"
            "       birebir users passwd NAME [--password-stdin]\n"
            "       birebir users disable NAME | enable NAME\n"
            "\n"
            "The people who sign in to the web UI. Passwords (8 to 1024 bytes) are kept only as argon2id\n"
            "hashes. Without --password-stdin the password is asked for twice on the terminal; with it,\n"
            "the first line of standard input is the password. Disabling a user ends their sessions.\n");
}

void bb_cli_actor(char *out, size_t size)
{
    const char *u = getenv("USER");
    if (u && *u)
        snprintf(out, size, "cli:%s", u);
    else
        snprintf(out, size, "cli:uid%ld", (long)geteuid());
}

static int read_line(FILE *in, char *buf, size_t size)
{
    size_t n;
    if (!fgets(buf, (int)size, in))
        return -1;
    n = strlen(buf);
    if (n && buf[n - 1] != '\n' && !feof(in))
        return -2; /* too long */
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return 0;
}

static int ask(bb_cli *cli, const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    int rc;
    fputs(prompt, cli->err);
    fflush(cli->err);
    tcgetattr(STDIN_FILENO, &old);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    rc = read_line(stdin, buf, size);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', cli->err);
    return rc;
}

/* Reads the password from stdin (from_stdin) or the terminal; 0, or an exit status after a message. */
static int get_password(bb_cli *cli, const char *cmd, int from_stdin, char *pw, size_t size)
{
    char again[1100];
    int rc;
    if (from_stdin) {
        rc = read_line(stdin, pw, size);
        if (rc == -2)
            fprintf(cli->err, "birebir %s: the password is longer than 1024 bytes\n", cmd);
        else if (rc != 0)
            fprintf(cli->err, "birebir %s: no password on standard input\n", cmd);
        return rc ? BB_EXIT_INPUT : 0;
    }
    if (!isatty(STDIN_FILENO))
        return bb_cli_usage(cli, cmd, "no terminal to ask for the password on; give --password-stdin");
    if (ask(cli, "Password: ", pw, size) != 0 || ask(cli, "Password again: ", again, sizeof again) != 0) {
        fprintf(cli->err, "birebir %s: no password given\n", cmd);
        return BB_EXIT_INPUT;
    }
    rc = strcmp(pw, again) != 0;
    memset(again, 0, sizeof again);
    if (rc) {
        fprintf(cli->err, "birebir %s: the two passwords differ\n", cmd);
        return BB_EXIT_INPUT;
    }
    return 0;
}

void bb_cli_iso_time(int64_t t, char *out, size_t size)
{
    if (t == 0 || size < 21)
        snprintf(out, size, "-");
    else
        bb_time_format_iso(t, out, size);
}

typedef struct list_ctx {
    bb_cli *cli;
    json_t *arr;
} list_ctx;

static int print_user(void *ctx, const bb_store_user *u)
{
    list_ctx *l = ctx;
    char at[32];
    bb_cli_iso_time(u->created_at, at, sizeof at);
    if (l->arr)
        return json_array_append_new(l->arr, json_pack("{s:s, s:s, s:b, s:s}", "name", u->name, "role", u->role,
                                                       "disabled", u->disabled, "created_at", at))
                   ? BB_ENOMEM
                   : 0;
    fprintf(l->cli->out, "%-24s %-9s %-9s %s\n", u->name, u->role, u->disabled ? "disabled" : "active", at);
    return 0;
}

int bb_cmd_users(bb_cli *cli, int argc, char **argv)
{
    enum { O_STDIN = 256, O_JSON };
    static const struct option opts[] = {
        {"role", required_argument, NULL, 'r'}, {"password-stdin", no_argument, NULL, O_STDIN},
        {"json", no_argument, NULL, O_JSON},    {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *sub, *role = NULL, *name = NULL;
    char pw[1100] = "", actor[300];
    int c, from_stdin = 0, json = 0, rc = 0;
    bb_error err = {0};
    bb_store *s;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(cli);
        return argc < 2 ? BB_EXIT_USAGE : 0;
    }
    sub = argv[1];
    argc--, argv++;
    while ((c = bb_cli_getopt(argc, argv, "hr:", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'r': role = optarg; break;
        case O_STDIN: from_stdin = 1; break;
        case O_JSON: json = 1; break;
        default: return bb_cli_usage(cli, "users", "unknown option");
        }
    }
    if (strcmp(sub, "list") != 0) {
        if (optind + 1 != argc)
            return bb_cli_usage(cli, "users", "'users %s' takes one NAME", sub);
        name = argv[optind];
    } else if (optind < argc) {
        return bb_cli_usage(cli, "users", "unexpected argument '%s'", argv[optind]);
    }
    bb_cli_actor(actor, sizeof actor);
    if (strcmp(sub, "add") == 0) {
        if (!role)
            return bb_cli_usage(cli, "users", "'users add' needs --role admin|marketer|analyst");
        if (!(bb_api_role_parse(role) & BB_ROLE_READERS))
            return bb_cli_usage(cli, "users", "--role is admin, marketer or analyst, not '%s'", role);
    } else if (strcmp(sub, "list") && strcmp(sub, "passwd") && strcmp(sub, "disable") && strcmp(sub, "enable")) {
        return bb_cli_usage(cli, "users", "'%s' is not a users command (add, list, passwd, disable, enable)", sub);
    }
    if (!(s = bb_cli_store(cli, 0, &err)))
        return bb_cli_fail(cli, &err);
    if (strcmp(sub, "list") == 0) {
        list_ctx l = {.cli = cli, .arr = json ? json_array() : NULL};
        rc = bb_store_user_list(s, print_user, &l, &err);
        if (rc != 0) {
            json_decref(l.arr);
            return bb_cli_fail(cli, &err);
        }
        return json ? bb_cli_print_json(cli, l.arr) : 0;
    }
    if (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0) {
        if ((rc = get_password(cli, sub[0] == 'a' ? "users add" : "users passwd", from_stdin, pw, sizeof pw)) != 0)
            return rc;
        rc = sub[0] == 'a' ? bb_api_user_add(s, name, role, pw, actor, &err)
                           : bb_api_user_set_password(s, name, pw, actor, &err);
        memset(pw, 0, sizeof pw);
    } else {
        rc = bb_api_user_set_disabled(s, name, strcmp(sub, "disable") == 0, actor, &err);
    }
    if (rc != 0)
        return bb_cli_fail(cli, &err);
    fprintf(cli->err, "user %s: %s\n", name,
            sub[0] == 'a' ? "added" : sub[0] == 'p' ? "password changed" : sub[0] == 'd' ? "disabled" : "enabled");
    return 0;
}
