/* api.h: the HTTP front door (src/api/). Owns `birebir serve` (a libmicrohttpd thread pool speaking JSON
 * under /api/v1, the embedded web UI at /), its routing table with the roles allowed on each route, and
 * the security around it: roles, argon2id password hashes for users, API tokens (random, stored as
 * SHA-256 by core's bb_sha256_digest), sign-in sessions and the audit log. The CLI's `users` and `tokens`
 * commands use the same functions the server does. */
#ifndef BIREBIR_API_H
#define BIREBIR_API_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "birebir/error.h"
#include "birebir/store.h"

/* ---- Roles: a bit each, so a route lists the roles it allows as a mask. ---- */

enum {
    BB_ROLE_ADMIN = 1,    /* everything */
    BB_ROLE_MARKETER = 2, /* read, segments, campaigns */
    BB_ROLE_ANALYST = 4,  /* read only */
    BB_ROLE_INGEST = 8,   /* POST /api/v1/events only */
};
#define BB_ROLE_READERS (BB_ROLE_ADMIN | BB_ROLE_MARKETER | BB_ROLE_ANALYST)
#define BB_ROLE_ANY (BB_ROLE_READERS | BB_ROLE_INGEST)

/* The role named ("admin", ...), or 0 when the name is not a role. */
int bb_api_role_parse(const char *name);
/* The name of one role bit; "none" for anything else. */
const char *bb_api_role_name(int role);

/* ---- Secrets ---- */

/* Fills buf with n bytes from the kernel's random source (getrandom). */
int bb_api_random(void *buf, size_t n, bb_error *err) BB_MUST_USE;
/* Hashes a password with argon2id (t=2, m=19 MiB, p=1, a random salt) into out as an encoded string
 * ("$argon2id$v=19$m=19456,t=2,p=1$..."). A password has 8 to 1024 bytes, else BB_EINVAL. */
int bb_api_password_hash(const char *password, char *out, size_t size, bb_error *err) BB_MUST_USE;
/* 1 when the password matches the encoded hash, 0 when not (or the hash is not an argon2id hash). */
int bb_api_password_verify(const char *encoded, const char *password);

/* ---- Users and tokens (what `birebir users` and `birebir tokens` do) ----
 * actor names who did it in the audit log ("cli:alice"). */

/* Adds a user (role admin, marketer or analyst) with the password hashed. */
int bb_api_user_add(bb_store *s, const char *name, const char *role, const char *password, const char *actor,
                    bb_error *err) BB_MUST_USE;
int bb_api_user_set_password(bb_store *s, const char *name, const char *password, const char *actor,
                             bb_error *err) BB_MUST_USE;
int bb_api_user_set_disabled(bb_store *s, const char *name, int disabled, const char *actor,
                             bb_error *err) BB_MUST_USE;
/* Creates a token: *token is the secret ("bb_" and 43 base64url characters), shown to its owner once
 * and never stored; free it with bb_free. *id (may be NULL) is its number. rate_limit is requests per
 * second allowed to it (0: the server's default). */
int bb_api_token_create(bb_store *s, const char *name, const char *role, double rate_limit, const char *actor,
                        char **token, int64_t *id, bb_error *err) BB_MUST_USE;
/* Revokes token number id, or (id 0) every live token called name; *n says how many. */
int bb_api_token_revoke(bb_store *s, int64_t id, const char *name, const char *actor, int64_t *n,
                        bb_error *err) BB_MUST_USE;

/* ---- Routes ---- */

typedef struct bb_api_route_info {
    const char *method;  /* "GET", "POST", ... */
    const char *path;    /* "/api/v1/customers/{customer_id}" */
    unsigned roles;      /* BB_ROLE_* mask allowed; 0: no authentication needed */
    const char *summary; /* one line */
} bb_api_route_info;

/* The routes the server serves (the web UI's static files aside), in a table of *n entries that lives
 * as long as the program. */
const bb_api_route_info *bb_api_routes(size_t *n);

/* ---- The server ---- */

typedef struct bb_http_config {
    const char *db_path;    /* the database each thread opens (required) */
    const char *version;    /* the program's version, shown by /api/v1/health */
    const char *listen;     /* address to listen on; default "127.0.0.1" */
    unsigned port;          /* default 8080; 0: any free port (see bb_http_server_port) */
    unsigned threads;       /* worker threads; 0: bb_http_default_threads */
    size_t max_body;        /* largest request body, bytes (413 past it); default 32 MiB */
    size_t max_events;      /* most events in one POST /api/v1/events (413 past it); default 10,000 */
    unsigned timeout_s;     /* an idle connection is closed after this many seconds; default 30 */
    double rate_limit;      /* requests per second per token or user; 0: no limit; default 200 */
    double rate_burst;      /* bucket size; default 2 * rate_limit */
    unsigned session_hours; /* sign-in sessions last this long; default 12 */
    int durable_power;      /* 1 (default): a 2xx answer means the data is on disk (fsync per commit) */
    int secure_cookies;     /* 1: mark the session cookie Secure (serve behind HTTPS) */
    int no_background_views; /* 1: do not store missing 360 views while idle (default 0: one pass does) */
    FILE *access_log;       /* one line per request; NULL: none */
    FILE *error_log;        /* problems the server meets; NULL: stderr */
} bb_http_config;

/* The worker threads a server runs when not told: four per CPU (at least 4, at most 64). A request for
 * the 360 view waits on reads of pages the cache does not hold more than it computes, so threads beyond
 * the CPUs keep them busy: at 1M customers on 2 CPUs, 8 threads answer about 1.6 times the views 2 do. */
unsigned bb_http_default_threads(long cpus);

/* Fills the defaults above. */
void bb_http_config_init(bb_http_config *c);

typedef struct bb_http_server bb_http_server;

/* Opens the database (applying migrations), starts the writer and the thread pool, and listens.
 * Stop and free it with bb_http_server_stop. */
int bb_http_server_start(const bb_http_config *cfg, bb_http_server **out, bb_error *err) BB_MUST_USE;
/* The port the server listens on (useful with port 0). */
unsigned bb_http_server_port(const bb_http_server *srv);
/* Stops gracefully: no new connections, in-flight requests finish (up to `grace_s` seconds), every
 * event acknowledged is committed, the database is closed. Frees srv; accepts NULL. */
void bb_http_server_stop(bb_http_server *srv, unsigned grace_s);

#endif
