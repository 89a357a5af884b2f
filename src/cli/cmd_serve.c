/* cmd_serve.c: birebir serve: the JSON API and the web UI over HTTP, until SIGTERM or SIGINT, then a
 * graceful stop (in-flight requests finish, acknowledged writes are committed, the database closes). */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/api.h"
#include "cli.h"

static void usage(bb_cli *cli)
{
    fprintf(cli->out,
            "Usage: birebir [--db PATH] serve [--listen ADDR] [--port N] [--threads N] [options]\n"
            "       birebir serve --routes [--json]\n"
            "\n"
            "Serves the JSON API under /api/v1 and the web UI at / until SIGTERM or SIGINT.\n"
            "\n"
            "  --listen ADDR        address to listen on (default 127.0.0.1; 0.0.0.0 or :: for all)\n"
            "  --port N             port (default 8080; 0 picks a free one, printed on start)\n"
            "  --threads N          worker threads (default: four per CPU, 4 to 64)\n"
            "  --max-body BYTES     largest request body (default 33554432); larger ones get 413\n"
            "  --max-events N       most events in one POST /api/v1/events (default 10000)\n"
            "  --timeout S          idle connections close after S seconds (default 30)\n"
            "  --rate-limit N       requests per second per token or user (default 200; 0: no limit)\n"
            "  --rate-burst N       requests allowed at once above the rate (default 2 x rate)\n"
            "  --session-hours N    how long a sign-in lasts (default 12)\n"
            "  --secure-cookies     mark the session cookie Secure (when served behind HTTPS)\n"
            "  --durability D       power (default: fsync each commit) or process (survives kill -9,\n"
            "                       not a power cut)\n"
            "  --access-log FILE    one line per request, written at least once a second (default:\n"
            "                       standard error; 'none': off)\n"
            "  --no-background-views  do not store the missing 360 views while idle (by default one\n"
            "                       pass over the customers stores them, yielding to every write)\n"
            "  --routes             print the routing table (method, path, roles) and exit\n"
            "  --json               with --routes: as JSON\n");
}

static int print_routes(bb_cli *cli, int json)
{
    size_t n;
    const bb_api_route_info *r = bb_api_routes(&n);
    json_t *arr = json ? json_array() : NULL;
    static const int roles[] = {BB_ROLE_ADMIN, BB_ROLE_MARKETER, BB_ROLE_ANALYST, BB_ROLE_INGEST};
    for (size_t i = 0; i < n; i++) {
        char names[64] = "";
        size_t used = 0;
        for (size_t k = 0; k < sizeof roles / sizeof *roles; k++)
            if (r[i].roles & (unsigned)roles[k])
                used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", used ? "," : "",
                                         bb_api_role_name(roles[k]));
        if (!r[i].roles)
            snprintf(names, sizeof names, "public");
        if (json) {
            json_t *role_list = json_array();
            for (size_t k = 0; k < sizeof roles / sizeof *roles; k++)
                if (r[i].roles & (unsigned)roles[k])
                    json_array_append_new(role_list, json_string(bb_api_role_name(roles[k])));
            json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:s}", "method", r[i].method, "path", r[i].path,
                                                 "roles", role_list, "summary", r[i].summary));
        } else {
            fprintf(cli->out, "%-7s %-36s %-32s %s\n", r[i].method, r[i].path, names, r[i].summary);
        }
    }
    return json ? bb_cli_print_json(cli, arr) : 0;
}

static int parse_uint(bb_cli *cli, const char *opt, const char *v, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    unsigned long n = strtoul(v, &end, 10);
    if (!*v || *end || *v == '-' || n > max) {
        bb_cli_usage(cli, "serve", "%s needs a whole number from 0 to %lu, not '%s'", opt, max, v);
        return -1;
    }
    *out = n;
    return 0;
}

static int parse_rate(bb_cli *cli, const char *opt, const char *v, double *out)
{
    char *end = NULL;
    double x = strtod(v, &end);
    if (!*v || *end || !(x >= 0) || x > 1e9) {
        bb_cli_usage(cli, "serve", "%s needs a number of requests per second, not '%s'", opt, v);
        return -1;
    }
    *out = x;
    return 0;
}

int bb_cmd_serve(bb_cli *cli, int argc, char **argv)
{
    enum { O_MAXBODY = 256, O_MAXEV, O_TIMEOUT, O_RATE, O_BURST, O_HOURS, O_SECURE, O_DUR, O_LOG, O_ROUTES, O_JSON, O_NOVIEWS };
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},      {"port", required_argument, NULL, 'p'},
        {"threads", required_argument, NULL, 't'},     {"max-body", required_argument, NULL, O_MAXBODY},
        {"max-events", required_argument, NULL, O_MAXEV}, {"timeout", required_argument, NULL, O_TIMEOUT},
        {"rate-limit", required_argument, NULL, O_RATE}, {"rate-burst", required_argument, NULL, O_BURST},
        {"session-hours", required_argument, NULL, O_HOURS}, {"secure-cookies", no_argument, NULL, O_SECURE},
        {"durability", required_argument, NULL, O_DUR}, {"access-log", required_argument, NULL, O_LOG},
        {"routes", no_argument, NULL, O_ROUTES},        {"json", no_argument, NULL, O_JSON},
        {"no-background-views", no_argument, NULL, O_NOVIEWS},
        {"help", no_argument, NULL, 'h'},              {NULL, 0, NULL, 0},
    };
    bb_http_config cfg;
    bb_http_server *srv = NULL;
    bb_error err = {0};
    const char *log_path = NULL;
    FILE *log_file = NULL;
    unsigned long n = 1;
    int c, routes = 0, json = 0, sig = 0, rc = 0;
    sigset_t set;

    bb_http_config_init(&cfg);
    cfg.version = BB_VERSION;
    while ((c = bb_cli_getopt(argc, argv, "hl:p:t:", opts)) != -1) {
        switch (c) {
        case 'h': usage(cli); return 0;
        case 'l': cfg.listen = optarg; break;
        case 'p':
            if (parse_uint(cli, "--port", optarg, 65535, &n))
                return BB_EXIT_USAGE;
            cfg.port = (unsigned)n;
            break;
        case 't':
            if (parse_uint(cli, "--threads", optarg, 1024, &n))
                return BB_EXIT_USAGE;
            cfg.threads = (unsigned)n;
            break;
        case O_MAXBODY:
            if (parse_uint(cli, "--max-body", optarg, 1ul << 34, &n))
                return BB_EXIT_USAGE;
            cfg.max_body = n;
            break;
        case O_MAXEV:
            if (parse_uint(cli, "--max-events", optarg, 10000000, &n) || n == 0)
                return n == 0 ? bb_cli_usage(cli, "serve", "--max-events must be at least 1") : BB_EXIT_USAGE;
            cfg.max_events = n;
            break;
        case O_TIMEOUT:
            if (parse_uint(cli, "--timeout", optarg, 86400, &n))
                return BB_EXIT_USAGE;
            cfg.timeout_s = (unsigned)n;
            break;
        case O_RATE:
            if (parse_rate(cli, "--rate-limit", optarg, &cfg.rate_limit))
                return BB_EXIT_USAGE;
            break;
        case O_BURST:
            if (parse_rate(cli, "--rate-burst", optarg, &cfg.rate_burst))
                return BB_EXIT_USAGE;
            break;
        case O_HOURS:
            if (parse_uint(cli, "--session-hours", optarg, 24 * 366, &n) || n == 0)
                return n == 0 ? bb_cli_usage(cli, "serve", "--session-hours must be at least 1") : BB_EXIT_USAGE;
            cfg.session_hours = (unsigned)n;
            break;
        case O_SECURE: cfg.secure_cookies = 1; break;
        case O_NOVIEWS: cfg.no_background_views = 1; break;
        case O_DUR:
            if (strcmp(optarg, "power") == 0)
                cfg.durable_power = 1;
            else if (strcmp(optarg, "process") == 0)
                cfg.durable_power = 0;
            else
                return bb_cli_usage(cli, "serve", "--durability is 'power' or 'process', not '%s'", optarg);
            break;
        case O_LOG: log_path = optarg; break;
        case O_ROUTES: routes = 1; break;
        case O_JSON: json = 1; break;
        default: return bb_cli_usage(cli, "serve", "unknown option");
        }
    }
    if (optind < argc)
        return bb_cli_usage(cli, "serve", "unexpected argument '%s'", argv[optind]);
    if (routes)
        return print_routes(cli, json);

    cfg.db_path = cli->db_path;
    cfg.error_log = cli->err;
    cfg.access_log = cli->err;
    if (log_path && strcmp(log_path, "none") == 0) {
        cfg.access_log = NULL;
    } else if (log_path && strcmp(log_path, "-") == 0) {
        cfg.access_log = cli->out; /* as docs/cli/server.md says */
    } else if (log_path) {
        if (!(log_file = fopen(log_path, "a"))) {
            bb_error_set(&err, BB_EIO, "%s: cannot open the access log", log_path);
            return bb_cli_fail(cli, &err);
        }
        cfg.access_log = log_file;
    }
    /* Every thread the server starts inherits this mask, so the signals reach only sigwait below. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (bb_http_server_start(&cfg, &srv, &err) != 0) {
        rc = bb_cli_fail(cli, &err);
        goto done;
    }
    fprintf(cli->out, "birebir serve: listening on http://%s%s%s:%u/ (database %s)\n",
            strchr(cfg.listen, ':') ? "[" : "", cfg.listen, strchr(cfg.listen, ':') ? "]" : "",
            bb_http_server_port(srv), cfg.db_path);
    fflush(cli->out);
    sigwait(&set, &sig);
    fprintf(cli->err, "birebir serve: %s: stopping (finishing requests in flight)\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    bb_http_server_stop(srv, cfg.timeout_s ? cfg.timeout_s : 30);
    fprintf(cli->err, "birebir serve: stopped; the database is closed\n");
done:
    if (log_file)
        fclose(log_file);
    return rc;
}
