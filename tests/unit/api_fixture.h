/* api_fixture.h: what the API's unit tests share: a fresh database in a temporary directory, a
 * service (bb__api) on it with its writer, tokens of each role, and requests run through
 * bb__api_handle without a socket. Header-only; each test includes it once. */
#ifndef BB_API_FIXTURE_H
#define BB_API_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/api_impl.h"
#include "birebir/store_auth.h"

typedef struct fixture {
    char dir[64];
    char db[96];
    bb_store *store; /* the "worker thread's" connection */
    bb__api *api;
    char tokens[4][80]; /* admin, marketer, analyst, ingest */
    bb_http_reply reply;
    json_t *json; /* the last reply's body, parsed */
    int64_t now;  /* the requests' clock (UTC seconds); 0: the real one */
} fixture;

static const char *const fx_roles[4] = {"admin", "marketer", "analyst", "ingest"};

static inline fixture *fx_new(double rate_limit)
{
    fixture *f = calloc(1, sizeof *f);
    bb_http_config cfg;
    bb_error err = {0};
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/bb-unit.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    assert_int_equal(bb_store_open(f->db, BB_STORE_CREATE, &f->store, &err), 0);
    for (int i = 0; i < 4; i++) {
        char *tok = NULL;
        assert_int_equal(bb_api_token_create(f->store, fx_roles[i], fx_roles[i], 0, "test", &tok, NULL, &err), 0);
        snprintf(f->tokens[i], sizeof f->tokens[i], "%s", tok);
        bb_free(tok);
    }
    bb_http_config_init(&cfg);
    cfg.db_path = f->db;
    cfg.version = "test";
    cfg.rate_limit = rate_limit;
    cfg.durable_power = 0;
    cfg.max_events = 100;
    cfg.no_background_views = 1; /* the tests write the database beside the server (test_api_writer tests the pass) */
    assert_int_equal(bb__api_new(&cfg, &f->api, &err), 0);
    return f;
}

static inline void fx_free(fixture *f)
{
    char cmd[160];
    bb__reply_release(&f->reply);
    json_decref(f->json);
    bb__api_free(f->api);
    bb_store_close(f->store);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
}

/* Runs one request; returns its status. auth: a token (index into fx_roles), -1 for none, or a full
 * header value via fx_request_h. Headers "Name: value" in extra (NULL-terminated) set the cookie, the
 * CSRF token and the content type. */
static inline int fx_request_h(fixture *f, const char *method, const char *path, const char *authz,
                               const char *body, const char *const *extra)
{
    bb_http_request req;
    const char *q = strchr(path, '?');
    bb__request_init(&req, 1 << 20);
    snprintf(req.method, sizeof req.method, "%s", method);
    req.path = q ? bb_strndup(path, (size_t)(q - path)) : bb_strdup(path);
    while (q && *q) { /* key=value&... (no decoding: tests pass plain values) */
        const char *amp = strchr(q + 1, '&'), *eq = strchr(q + 1, '=');
        size_t end = amp ? (size_t)(amp - q - 1) : strlen(q + 1);
        if (eq && (!amp || eq < amp)) {
            req.args[req.n_args].key = bb_strndup(q + 1, (size_t)(eq - q - 1));
            req.args[req.n_args++].value = bb_strndup(eq + 1, end - (size_t)(eq - q));
        }
        q = amp;
    }
    if (authz)
        req.authorization = bb_strdup(authz);
    for (size_t i = 0; extra && extra[i]; i++) {
        const char *v = strchr(extra[i], ':') + 2;
        if (strncmp(extra[i], "Cookie", 6) == 0)
            req.session_cookie = bb_strdup(v);
        else if (strncmp(extra[i], "X-CSRF-Token", 12) == 0)
            req.csrf_token = bb_strdup(v);
        else if (strncmp(extra[i], "Content-Type", 12) == 0)
            req.content_type = bb_strdup(v);
        else if (strncmp(extra[i], "If-None-Match", 13) == 0)
            req.if_none_match = bb_strdup(v);
    }
    if (body)
        assert_int_equal(bb_buf_adds(&req.body, body), 0);
    req.now = f->now ? f->now : (int64_t)time(NULL);
    snprintf(req.client, sizeof req.client, "127.0.0.1");
    bb__reply_release(&f->reply);
    json_decref(f->json);
    bb__api_handle(f->api, f->store, &req, &f->reply);
    f->json = f->reply.content_type && strcmp(f->reply.content_type, "application/json") == 0
                  ? json_loadb(f->reply.body, f->reply.len, 0, NULL)
                  : NULL;
    bb__request_release(&req);
    return f->reply.status;
}

static inline int fx_request(fixture *f, const char *method, const char *path, int role, const char *body)
{
    char authz[128];
    if (role < 0)
        return fx_request_h(f, method, path, NULL, body, NULL);
    snprintf(authz, sizeof authz, "Bearer %s", f->tokens[role]);
    return fx_request_h(f, method, path, authz, body, NULL);
}

/* The string at a dotted path of the last reply ("error.code"); "" when absent. */
static inline const char *fx_str(fixture *f, const char *path)
{
    json_t *v = f->json;
    char key[64];
    while (v && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        v = json_object_get(v, key);
        path += n + (dot != NULL);
    }
    return v && json_is_string(v) ? json_string_value(v) : "";
}

static inline json_int_t fx_int(fixture *f, const char *key)
{
    return json_integer_value(json_object_get(f->json, key));
}

/* The value of the reply's header name, or NULL. */
static inline const char *fx_header(fixture *f, const char *name)
{
    for (int i = 0; i < f->reply.n_headers; i++)
        if (strcmp(f->reply.headers[i].name, name) == 0)
            return f->reply.headers[i].value;
    return NULL;
}

#endif
