/* api_impl.h: the inside of the HTTP front door, shared by the src/api/ files. A request is collected by
 * http_server.c (the only file that knows libmicrohttpd) into a bb_http_request, handed to
 * bb__api_handle (api_dispatch.c: route, authenticate, authorise, rate-limit, run the handler) and
 * answered from a bb_http_reply. Writes go through one writer thread (api_writer.c) that commits the
 * work of many requests in one transaction. Internal to src/api/. */
#ifndef BB_API_IMPL_H
#define BB_API_IMPL_H

#include <stdint.h>
#include <sys/socket.h>

#include <jansson.h>

#include "birebir/api.h"
#include "birebir/buf.h"
#include "birebir/jsonw.h"
#include "birebir/store.h"
#include "birebir/store_auth.h"
#include "birebir/store_value.h"

/* ---- Secrets (api_crypto.c) ---- */

/* Writes the base64url form (no padding) of n bytes into out (NUL-terminated, truncated to size);
 * returns its length. */
size_t bb__base64url(const unsigned char *in, size_t n, char *out, size_t size);
/* `bytes` random bytes as base64url text into out. */
int bb__random_text(size_t bytes, char *out, size_t size, bb_error *err);
/* 1 when the n bytes are equal; takes the same time whatever differs. */
int bb__ct_equal(const void *a, const void *b, size_t n);
/* Costs as much as one password verification and decides nothing. */
void bb__password_burn(const char *password);

/* ---- One request and its answer ---- */

enum { BB__MAX_ARGS = 32, BB__MAX_HEADERS = 8 };

typedef struct bb__kv {
    char *key, *value;
} bb__kv;

typedef enum bb__auth_kind { BB__AUTH_NONE = 0, BB__AUTH_TOKEN, BB__AUTH_SESSION } bb__auth_kind;

/* Who sent a request, once authenticated. */
typedef struct bb__principal {
    bb__auth_kind kind;
    int role;            /* one BB_ROLE_* bit */
    int64_t id;          /* the token's or the user's number */
    char name[272];      /* "token:NAME" or "user:NAME": the actor in logs */
    char csrf[96];       /* the session's CSRF token (sessions only) */
    unsigned char session_hash[BB_STORE_HASH_LEN];
    unsigned char token_hash[BB_STORE_HASH_LEN]; /* the bearer token's (tokens only) */
    double rate_limit;   /* the token's own limit; 0: the server's */
    int64_t last_used_at;/* the token's, as stored (0: never) */
} bb__principal;

/* The last bearer token a connection sent and its SHA-256, kept with a kept-alive connection: clients
 * send the same token on every request, and the hash is then not made again. Only that connection's
 * requests see it. */
typedef struct bb__authz_memo {
    char token[96]; /* "": none yet */
    unsigned char hash[BB_STORE_HASH_LEN];
} bb__authz_memo;

typedef struct bb_http_request {
    char method[16];
    char *path;                  /* percent-decoded, without the query */
    bb__kv args[BB__MAX_ARGS];   /* the query's arguments, decoded */
    size_t n_args;
    int args_bad;                /* 1: an argument held a NUL byte, 2: more than BB__MAX_ARGS arguments */
    char *args_bad_key;          /* the argument named (NULL when 2) */
    char *authorization;         /* headers and the session cookie, when present */
    char *session_cookie;
    char *csrf_token;
    char *content_type;
    char *if_none_match;
    bb_buf body;
    int body_too_large;          /* the body passed the limit (it was not kept) */
    int64_t now;                 /* when the request arrived, UTC seconds */
    char client[64];             /* the peer's address: read it with bb__request_client */
    struct sockaddr_storage peer;/* the peer, when client is still to be written from it */
    unsigned peer_len;           /* 0: no peer (client is what there is) */
    char *param;                 /* the {customer_id} of the route matched */
    bb__authz_memo *memo;        /* the connection's, or NULL */
    bb__principal who;
    /* A handler may answer later (after the writer's commit) when the HTTP layer set these: it calls
     * defer(hook_arg) before handing its work over, answers into *late, then calls resume(hook_arg)
     * and touches the request no more; it returns with the reply's status BB__DEFERRED. Without them
     * (NULL), handlers answer before they return. */
    void (*defer)(void *hook_arg);
    void (*resume)(void *hook_arg);
    void *hook_arg;
    struct bb_http_reply *late;
    void *pending;               /* a deferred handler's state, freed with pending_free on release */
    void (*pending_free)(void *pending);
} bb_http_request;

/* The status of a reply that will come later, into req->late. */
#define BB__DEFERRED 1

typedef struct bb__header {
    const char *name;
    char *value;
} bb__header;

typedef struct bb_http_reply {
    int status;                  /* 0 until a handler answers */
    char *body;                  /* owned unless body_static */
    size_t len;
    int body_static;
    const char *content_type;
    bb__header headers[BB__MAX_HEADERS];
    int n_headers;
} bb_http_reply;

void bb__request_init(bb_http_request *req, size_t max_body);
void bb__request_release(bb_http_request *req);
/* The peer's address as text (written from req->peer on first use: most requests never need it). */
const char *bb__request_client(bb_http_request *req);
/* now (UTC seconds) as ISO 8601 text, formatted once a second per thread (the access log and
 * /health ask on every request); valid until the thread's next call. */
const char *bb__time_text(int64_t now);
/* The query argument named key, or NULL. */
const char *bb__request_arg(const bb_http_request *req, const char *key);

void bb__reply_release(bb_http_reply *r);
/* Adds a header (the value is copied; too many headers are dropped, which no handler needs). */
void bb__reply_header(bb_http_reply *r, const char *name, const char *fmt, ...) BB_PRINTF(3, 4);
/* Answers with a JSON value (takes the reference). */
void bb__reply_json(bb_http_reply *r, int status, json_t *v);
/* As bb__reply_json, for JSON text written already (non-empty); takes text's memory (text is left
 * empty). */
void bb__reply_json_text(bb_http_reply *r, int status, bb_buf *text);
/* An answer written as JSON text, no jansson tree (for answers made on every request): bb__jw_open
 * starts the top object, members go in with bb_jsonw_* on j.w (bb__jw_text for a key and text from
 * outside), bb__jw_reply closes the object and answers (500 when writing failed). */
typedef struct bb__jw {
    bb_buf out, tmp; /* the text; scratch */
    bb_jsonw w;
    int rc;
} bb__jw;
void bb__jw_open(bb__jw *j);
/* Writes key and s (NULL: null) as a string; text that is not valid UTF-8 (a percent-decoded path may
 * hold any byte) has each offending byte written as U+FFFD. */
void bb__jw_text(bb__jw *j, const char *key, const char *s);
void bb__jw_reply(bb_http_reply *r, int status, bb__jw *j);
/* Answers {"error": {"code", "message", "where"}}; where may be NULL. */
void bb__reply_error(bb_http_reply *r, int status, const char *code, const char *where, const char *fmt,
                     ...) BB_PRINTF(5, 6);
/* Answers from a bb_error: its code picks the status (BB_EINVAL 422, BB_ENOTFOUND 404, ...); internal
 * failures answer 500 without their details, which go to `log` (may be NULL). */
void bb__reply_from_error(bb_http_reply *r, const bb_error *err, FILE *log);
/* The HTTP status and the error code string for a BB_E* code. */
int bb__status_of(int code);
const char *bb__error_code_of(int status);
/* The error object {"code", "message", "where"} for err (a new reference). */
json_t *bb__error_json(const bb_error *err);

/* ---- Rate limits (api_ratelimit.c): a token bucket per key ---- */

typedef struct bb__limiter bb__limiter;
bb__limiter *bb__limiter_new(void);
void bb__limiter_free(bb__limiter *l);
/* Takes one request from key's bucket (rate per second, burst size) at now_ns (a monotonic clock).
 * Returns 0 when allowed, else the seconds to wait before the next request would be (at least 1). */
int bb__limiter_take(bb__limiter *l, const char *key, double rate, double burst, int64_t now_ns);

/* ---- The writer (api_writer.c): group commit ---- */

typedef struct bb__writer bb__writer;
/* A piece of work run inside the writer's transaction, in a savepoint of its own: what it changed is
 * undone when it returns an error, and committed with its batch when it returns 0. */
typedef int (*bb__job_fn)(bb_store *s, void *ctx, bb_error *err);

/* Opens the writer's own connection to db_path and starts its thread; build_views: with one pass over
 * the customers, it stores the missing 360 views while it has nothing else to do. */
int bb__writer_start(const char *db_path, int durable_power, int build_views, FILE *log, bb__writer **out,
                     bb_error *err);
/* Runs fn(ctx) in the next batch and waits until that batch is committed. Returns fn's result, or the
 * commit's failure (then nothing fn did is kept). */
int bb__writer_run(bb__writer *w, bb__job_fn fn, void *ctx, bb_error *err);
/* Called by the writer thread once a handed-over job's batch is committed (rc 0) or not. */
typedef void (*bb__job_done)(void *arg, int rc, const bb_error *err);
/* Hands fn(ctx) to the next batch without waiting: on_done(done_arg, ...) is called after its commit.
 * On failure (the writer is stopping, out of memory) nothing is queued and on_done is not called. */
int bb__writer_submit(bb__writer *w, bb__job_fn fn, void *ctx, bb__job_done on_done, void *done_arg,
                      bb_error *err);
/* Runs the jobs still queued, stops the thread and closes its connection. Accepts NULL. */
void bb__writer_stop(bb__writer *w);
/* Asks the writer to store customer_id's 360 view when it has no job to run (low priority; a full
 * queue drops the request). Never waits. */
void bb__writer_want_view(bb__writer *w, int64_t customer_id);

/* ---- The service behind the routes (api_dispatch.c) ---- */

typedef struct bb__api {
    bb_http_config cfg;
    bb__writer *writer;
    bb__limiter *limiter;        /* per token or user */
    bb__limiter *signin_limiter; /* per client address, for POST /api/v1/session */
    FILE *log;                   /* cfg.error_log or stderr */
    char (*etags)[24];           /* the ETag of each embedded web asset, in bb__web_assets' order */
    struct bb__value_cache *value_cache; /* the dashboard's answers (api_value_cache.c) */
    struct bb__token_cache *tokens;      /* tokens verified in the last second (api_auth.c) */
} bb__api;

int bb__api_new(const bb_http_config *cfg, bb__api **out, bb_error *err);
void bb__api_free(bb__api *api);
/* Answers one request: routing (404, 405), authentication (401), roles (403), CSRF on writes by
 * session (403), rate limits (429), then the route's handler. `store` is the calling thread's own
 * connection, for reads. Never fails: every problem is an answer. */
void bb__api_handle(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);

typedef void (*bb__handler)(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);

/* ---- Authentication (api_auth.c) ---- */

/* Verified bearer tokens, kept BB__TOKEN_TTL_S seconds (by the requests' clock, req->now): a token
 * revoked, or changed, is refused, or seen changed, at most that long after. Unknown tokens are not
 * kept (a new token works at once). Thread-safe. */
enum { BB__TOKEN_TTL_S = 1 };
typedef struct bb__token_cache bb__token_cache;
bb__token_cache *bb__token_cache_new(void);
void bb__token_cache_free(bb__token_cache *c); /* accepts NULL */
/* Notes that the token with this hash had its use recorded at `at` (so the next requests do not
 * record it again). */
void bb__token_cache_touched(bb__token_cache *c, const unsigned char hash[BB_STORE_HASH_LEN], int64_t at);
/* Finds who sent the request from its bearer token (through `tokens`, which may be NULL: then always
 * from the store) or session cookie into req->who. 0 also when it carries no credentials (who.kind
 * stays BB__AUTH_NONE); BB_EAUTH when it carries bad ones. */
int bb__auth_request(bb__token_cache *tokens, bb_store *store, bb_http_request *req, bb_error *err);
/* Appends an audit entry for the request's principal (inside a writer job). Takes the reference to
 * detail (may be NULL). */
int bb__audit(bb_store *s, const bb_http_request *req, const char *action, const char *target,
              json_t *detail, bb_error *err);

/* ---- Handlers ---- */

void bb__h_health(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_audit(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_session_get(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_session_post(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_session_delete(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_customers_list(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_customers_post(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_customer_get(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_customer_patch(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_events_post(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
/* api_value.c: the dashboard and the value reads. */
void bb__h_dashboard(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_cohorts(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
void bb__h_segments_rfm(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
/* api_value_cache.c: answers kept per (reading connection, data version, key); get gives a new
 * reference or NULL, put keeps a copy. Thread-safe. */
typedef struct bb__value_cache bb__value_cache;
bb__value_cache *bb__value_cache_new(void);
void bb__value_cache_free(bb__value_cache *c); /* accepts NULL */
json_t *bb__value_cache_get(bb__value_cache *c, const bb_store *store, const bb_store_version *v, int64_t key);
void bb__value_cache_put(bb__value_cache *c, const bb_store *store, const bb_store_version *v, int64_t key,
                         const json_t *answer);
/* The RFM grid of the current scoring run (the default one before analyze) into *grid. */
struct bb_rfm_grid;
int bb__rfm_grid_current(bb_store *store, struct bb_rfm_grid *grid, bb_error *err);
/* api_value_runs.c */
void bb__h_model_runs(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply);
struct bb_model_run;
/* A model run as JSON (a new reference; NULL when out of memory); with_details adds params and fit. */
json_t *bb__model_run_json(const struct bb_model_run *r, int with_details);
/* The CLV distribution of n values in ascending order (n >= 1): buckets, total, mean, median. */
json_t *bb__clv_distribution(const int64_t *v, size_t n, const char *currency);
/* The embedded web UI: "/" and its files (api_static.c). 1 when path names an asset (then answered). */
int bb__static_serve(const bb__api *api, const bb_http_request *req, bb_http_reply *reply);
/* Computes the ETags of the embedded assets into a new array (free it with free). */
int bb__static_etags(char (**out)[24], bb_error *err);

/* Reads the integer query argument key (def when absent) within [lo, hi]; 0, or -1 after answering 422. */
int bb__arg_int(const bb_http_request *req, bb_http_reply *reply, const char *key, int64_t def, int64_t lo,
                int64_t hi, int64_t *out);

/* api_query.c: a read route's query string. bb__args_check: 0 when every argument is one of known
 * (NULL-terminated) and none is repeated; else -1 after answering 422 (where: the argument).
 * bb__arg_choice: the argument key, when present and not empty, must be one of accepted (NULL-terminated):
 * *out is it (NULL when absent), or -1 after answering 422 listing the accepted values.
 * bb__reply_not_accepted: that answer, {"error": {..., "where", "accepted": [...]}}, what saying why. */
int bb__args_check(const bb_http_request *req, bb_http_reply *reply, const char *const *known);
int bb__arg_choice(const bb_http_request *req, bb_http_reply *reply, const char *key,
                   const char *const *accepted, const char **out);
void bb__reply_not_accepted(bb_http_reply *reply, const char *where, const char *const *accepted,
                            const char *what);

/* Parses the request body as one JSON object; answers 400 (with the byte where it broke) and returns
 * NULL when it is not. The caller owns the result. */
json_t *bb__body_object(bb_http_request *req, bb_http_reply *reply);

#endif
