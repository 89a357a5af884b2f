/* api_dispatch.c: the routing table (method, path, roles allowed, handler) and the way every request
 * goes through it: 404/405, 413, authentication (401), roles (403), CSRF on a session's writes (403),
 * rate limits (429 with Retry-After), then the handler. Also the life of the service (bb__api). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_impl.h"

#define R_READ BB_ROLE_READERS
#define R_ADMIN BB_ROLE_ADMIN

static const bb_api_route_info routes[] = {
    {"GET", "/api/v1/health", 0, "Is the server up: status, version, schema version"},
    {"GET", "/api/v1/session", BB_ROLE_ANY, "Who the request is from: user or token, role, CSRF token"},
    {"POST", "/api/v1/session", 0, "Sign in with name and password: sets the session cookie"},
    {"DELETE", "/api/v1/session", BB_ROLE_ANY, "Sign out: ends the session and clears its cookie"},
    {"GET", "/api/v1/customers", R_READ, "Search customers (Turkish folding), paged by cursor"},
    {"POST", "/api/v1/customers", R_ADMIN, "Create or update a customer by customer_id (upsert)"},
    {"GET", "/api/v1/customers/{customer_id}", R_READ, "The customer 360 view"},
    {"PATCH", "/api/v1/customers/{customer_id}", R_ADMIN, "Change some fields of a customer"},
    {"POST", "/api/v1/events", R_ADMIN | BB_ROLE_INGEST, "Ingest typed events: JSON object, array or NDJSON"},
    {"GET", "/api/v1/audit", R_ADMIN, "The audit log, newest first, paged by cursor"},
    {"GET", "/api/v1/dashboard", R_READ, "Customers, active share, revenue, CLV distribution, RFM segments"},
    {"GET", "/api/v1/cohorts", R_READ, "Cohort retention: customers by month of first order, active by month"},
    {"GET", "/api/v1/segments/rfm", R_READ, "RFM segments: customers, revenue and CLV of each, largest first"},
    {"GET", "/api/v1/model-runs", R_READ, "The value models' runs, newest first: parameters and fit"},
};

static const bb__handler handlers[] = {
    bb__h_health,          bb__h_session_get,  bb__h_session_post,    bb__h_session_delete,
    bb__h_customers_list,  bb__h_customers_post, bb__h_customer_get, bb__h_customer_patch,
    bb__h_events_post,     bb__h_audit,        bb__h_dashboard,       bb__h_cohorts,
    bb__h_segments_rfm,    bb__h_model_runs,
};

_Static_assert(sizeof routes / sizeof *routes == sizeof handlers / sizeof *handlers,
               "every route has its handler");

enum { N_ROUTES = sizeof routes / sizeof *routes };

const bb_api_route_info *bb_api_routes(size_t *n)
{
    *n = N_ROUTES;
    return routes;
}

/* Does path match pattern ("/a/{x}/b")? A {name} segment matches one non-empty segment, which is
 * copied into *param (when param is not NULL). */
static int path_matches(const char *pattern, const char *path, char **param)
{
    const char *p = pattern, *s = path, *cap = NULL;
    size_t cap_len = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *end = strchr(s, '/');
            size_t n = end ? (size_t)(end - s) : strlen(s);
            if (n == 0)
                return 0;
            cap = s;
            cap_len = n;
            s += n;
            p = strchr(p, '}');
            if (!p)
                return 0;
            p++;
        } else if (*p++ != *s++) {
            return 0;
        }
    }
    if (*p || *s)
        return 0;
    if (cap && param) {
        free(*param);
        *param = bb_strndup(cap, cap_len);
    }
    return 1;
}

static int is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* The route for (method, path): its index, or -1 with the methods the path allows in allow. */
static int find_route(const bb_http_request *req, char *allow, size_t size, char **param)
{
    const char *m = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
    size_t used = 0;
    allow[0] = '\0';
    for (int i = 0; i < N_ROUTES; i++) {
        if (!path_matches(routes[i].path, req->path, NULL))
            continue;
        if (strcmp(routes[i].method, m) == 0) {
            path_matches(routes[i].path, req->path, param);
            return i;
        }
        used += (size_t)snprintf(allow + used, used < size ? size - used : 0, "%s%s", used ? ", " : "",
                                 routes[i].method);
        if (strcmp(routes[i].method, "GET") == 0)
            used += (size_t)snprintf(allow + used, used < size ? size - used : 0, ", HEAD");
    }
    return -1;
}

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* 1 when the request may go on; else the answer (429) is made. */
static int within_rate(bb__api *api, bb_http_request *req, bb_http_reply *reply, int route)
{
    char key[96];
    double rate, burst;
    int wait;
    if (req->who.kind == BB__AUTH_NONE) {
        if (strcmp(routes[route].path, "/api/v1/session") != 0)
            return 1;
        snprintf(key, sizeof key, "ip:%s", bb__request_client(req));
        wait = bb__limiter_take(api->signin_limiter, key, 1, 10, mono_ns());
    } else {
        rate = req->who.rate_limit > 0 ? req->who.rate_limit : api->cfg.rate_limit;
        burst = req->who.rate_limit > 0 ? 2 * rate : api->cfg.rate_burst;
        if (rate <= 0) /* no limit */
            return 1;
        snprintf(key, sizeof key, "%s#%lld", req->who.kind == BB__AUTH_TOKEN ? "token" : "user",
                 (long long)req->who.id);
        wait = bb__limiter_take(api->limiter, key, rate, burst, mono_ns());
    }
    if (wait == 0)
        return 1;
    bb__reply_error(reply, 429, "rate_limited", NULL, "too many requests; try again in %d s", wait);
    bb__reply_header(reply, "Retry-After", "%d", wait);
    return 0;
}

enum { TOUCH_EVERY = 60 }; /* a token's last use is recorded at most once a minute */

typedef struct touch {
    int64_t id, at;
} touch;

static int touch_job(bb_store *s, void *ctx, bb_error *err)
{
    const touch *t = ctx;
    return bb_store_token_touch(s, t->id, t->at, err);
}

static void touch_done(void *arg, int rc, const bb_error *err)
{
    (void)rc, (void)err;
    free(arg);
}

/* Records a token's use in the next batch, without waiting for it (a lost record costs nothing). */
static void touch_token(bb__api *api, int64_t id, int64_t now)
{
    touch *t = malloc(sizeof *t);
    if (!t)
        return;
    t->id = id;
    t->at = now;
    if (bb__writer_submit(api->writer, touch_job, t, touch_done, t, NULL) != 0)
        free(t);
}

static void api_route(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    char allow[64];
    bb_error err = {0};
    int i = find_route(req, allow, sizeof allow, &req->param);
    unsigned need;
    if (i < 0) {
        if (allow[0]) {
            bb__reply_error(reply, 405, "method_not_allowed", req->path, "%s is not allowed here; use %s",
                            req->method, allow);
            bb__reply_header(reply, "Allow", "%s", allow);
        } else {
            bb__reply_error(reply, 404, "not_found", req->path, "there is no such path in the API");
        }
        return;
    }
    if (req->body_too_large) {
        bb__reply_error(reply, 413, "too_large", NULL, "the request body is larger than %zu bytes",
                        api->cfg.max_body);
        return;
    }
    need = routes[i].roles;
    if (bb__auth_request(api->tokens, store, req, &err) != 0) {
        bb__reply_from_error(reply, &err, api->log);
        if (reply->status == 401)
            bb__reply_header(reply, "WWW-Authenticate", "Bearer realm=\"birebir\"");
        return;
    }
    if (need && req->who.kind == BB__AUTH_NONE) {
        bb__reply_error(reply, 401, "unauthenticated", "Authorization",
                        "sign in, or send \"Authorization: Bearer TOKEN\"");
        bb__reply_header(reply, "WWW-Authenticate", "Bearer realm=\"birebir\"");
        return;
    }
    if (need && !(need & (unsigned)req->who.role)) {
        bb__reply_error(reply, 403, "forbidden", req->path, "the role %s may not %s %s",
                        bb_api_role_name(req->who.role), routes[i].method, routes[i].path);
        return;
    }
    if (req->who.kind == BB__AUTH_SESSION && !is_read(req->method) &&
        (!req->csrf_token || strlen(req->csrf_token) != strlen(req->who.csrf) ||
         !bb__ct_equal(req->csrf_token, req->who.csrf, strlen(req->who.csrf)))) {
        bb__reply_error(reply, 403, "csrf", "X-CSRF-Token",
                        "a change made with a session needs the X-CSRF-Token header it was given");
        return;
    }
    if (req->args_bad == 1) {
        bb__reply_error(reply, 422, "invalid", req->args_bad_key && *req->args_bad_key ? req->args_bad_key : "query",
                        "a query argument holds a NUL byte (%%00): text arguments cannot");
        return;
    }
    if (req->args_bad == 2) {
        bb__reply_error(reply, 422, "invalid", "query", "more than %d query arguments", (int)BB__MAX_ARGS);
        return;
    }
    if (!within_rate(api, req, reply, i))
        return;
    if (req->who.kind == BB__AUTH_TOKEN && req->now - req->who.last_used_at >= TOUCH_EVERY) {
        touch_token(api, req->who.id, req->now);
        bb__token_cache_touched(api->tokens, req->who.token_hash, req->now);
    }
    handlers[i](api, store, req, reply); /* or BB__DEFERRED: answered later into req->late */
    if (reply->status == 0)
        bb__reply_error(reply, 500, "internal", NULL, "the handler gave no answer");
}

void bb__api_handle(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    if (strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/api") == 0) {
        api_route(api, store, req, reply);
        return;
    }
    if (bb__static_serve(api, req, reply))
        return;
    bb__reply_error(reply, 404, "not_found", req->path, "there is no such page");
}

int bb__api_new(const bb_http_config *cfg, bb__api **out, bb_error *err)
{
    bb__api *api = calloc(1, sizeof *api);
    int rc = 0;
    *out = NULL;
    if (!api)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    api->cfg = *cfg;
    api->log = cfg->error_log ? cfg->error_log : stderr;
    if (api->cfg.rate_burst < 1)
        api->cfg.rate_burst = api->cfg.rate_limit * 2 > 1 ? api->cfg.rate_limit * 2 : 1;
    api->limiter = bb__limiter_new();
    api->signin_limiter = bb__limiter_new();
    api->value_cache = bb__value_cache_new();
    api->tokens = bb__token_cache_new();
    if (!api->limiter || !api->signin_limiter || !api->value_cache || !api->tokens)
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    if (rc == 0)
        rc = bb__static_etags(&api->etags, err);
    if (rc == 0)
        rc = bb__writer_start(cfg->db_path, cfg->durable_power, !cfg->no_background_views, api->log,
                              &api->writer, err);
    if (rc != 0) {
        bb__api_free(api);
        return rc;
    }
    *out = api;
    return 0;
}

void bb__api_free(bb__api *api)
{
    if (!api)
        return;
    bb__writer_stop(api->writer);
    bb__limiter_free(api->limiter);
    bb__limiter_free(api->signin_limiter);
    bb__value_cache_free(api->value_cache);
    bb__token_cache_free(api->tokens);
    free(api->etags);
    free(api);
}
