/* api_reply.c: requests and replies as plain data: their life, query arguments, JSON answers and the
 * one error shape {"error": {"code", "message", "where"}} with the status each BB_E* code means. */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_impl.h"
#include "birebir/datetime.h"

void bb__request_init(bb_http_request *req, size_t max_body)
{
    memset(req, 0, sizeof *req);
    bb_buf_init(&req->body, max_body);
}

void bb__request_release(bb_http_request *req)
{
    if (!req)
        return;
    free(req->path);
    for (size_t i = 0; i < req->n_args; i++) {
        free(req->args[i].key);
        free(req->args[i].value);
    }
    free(req->args_bad_key);
    free(req->authorization);
    free(req->session_cookie);
    free(req->csrf_token);
    free(req->content_type);
    free(req->if_none_match);
    free(req->param);
    if (req->pending_free)
        req->pending_free(req->pending);
    bb_buf_release(&req->body);
    memset(req, 0, sizeof *req);
}

const char *bb__request_client(bb_http_request *req)
{
    if (req->peer_len && !req->client[0] &&
        getnameinfo((const struct sockaddr *)&req->peer, req->peer_len, req->client, sizeof req->client, NULL,
                    0, NI_NUMERICHOST) != 0)
        snprintf(req->client, sizeof req->client, "?");
    return req->client;
}

const char *bb__time_text(int64_t now)
{
    static _Thread_local int64_t at = INT64_MIN;
    static _Thread_local char text[32];
    if (now != at) {
        bb_time_format_iso(now, text, sizeof text);
        at = now;
    }
    return text;
}

const char *bb__request_arg(const bb_http_request *req, const char *key)
{
    for (size_t i = 0; i < req->n_args; i++)
        if (strcmp(req->args[i].key, key) == 0)
            return req->args[i].value;
    return NULL;
}

void bb__reply_release(bb_http_reply *r)
{
    if (!r)
        return;
    if (!r->body_static)
        free(r->body);
    for (int i = 0; i < r->n_headers; i++)
        free(r->headers[i].value);
    memset(r, 0, sizeof *r);
}

void bb__reply_header(bb_http_reply *r, const char *name, const char *fmt, ...)
{
    va_list ap;
    char *v = NULL;
    int n;
    if (r->n_headers >= BB__MAX_HEADERS)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(v = malloc((size_t)n + 1)))
        return;
    va_start(ap, fmt);
    vsnprintf(v, (size_t)n + 1, fmt, ap);
    va_end(ap);
    r->headers[r->n_headers].name = name;
    r->headers[r->n_headers++].value = v;
}

static void set_body(bb_http_reply *r, int status, char *body, size_t len, int is_static)
{
    if (!r->body_static)
        free(r->body);
    r->status = status;
    r->body = body;
    r->len = len;
    r->body_static = is_static;
    r->content_type = "application/json";
}

void bb__reply_json(bb_http_reply *r, int status, json_t *v)
{
    static char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\",\"where\":\"\"}}";
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(v);
    if (!s)
        set_body(r, 500, oom, sizeof oom - 1, 1);
    else
        set_body(r, status, s, strlen(s), 0);
}

void bb__reply_json_text(bb_http_reply *r, int status, bb_buf *text)
{
    set_body(r, status, text->data, text->len, 0); /* the reply owns the text's memory now */
    text->data = NULL;
    text->len = text->cap = 0;
}

int bb__status_of(int code)
{
    switch (code) {
    case 0:
        return 200;
    case BB_EINVAL:
        return 422;
    case BB_EUSAGE:
        return 400;
    case BB_ENOTFOUND:
        return 404;
    case BB_ECONFLICT:
        return 409;
    case BB_ELIMIT:
        return 413;
    case BB_EPERM:
        return 403;
    case BB_EAUTH:
        return 401;
    default:
        return 500;
    }
}

const char *bb__error_code_of(int status)
{
    switch (status) {
    case 400:
        return "malformed";
    case 401:
        return "unauthenticated";
    case 403:
        return "forbidden";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 409:
        return "conflict";
    case 413:
        return "too_large";
    case 414:
        return "uri_too_long";
    case 415:
        return "unsupported_media_type";
    case 422:
        return "invalid";
    case 429:
        return "rate_limited";
    case 503:
        return "unavailable";
    default:
        return "internal";
    }
}

static json_t *error_object(const char *code, const char *where, const char *msg)
{
    return json_pack("{s:s, s:s, s:s}", "code", code, "message", msg, "where", where ? where : "");
}

json_t *bb__error_json(const bb_error *err)
{
    const char *msg = err->msg[0] ? err->msg : bb_strerror(err->code);
    return error_object(bb__error_code_of(bb__status_of(err->code)), err->where, msg);
}

/* The length of the valid UTF-8 sequence at p (1..4), or 0 when p does not start one (overlongs,
 * surrogates and code points past U+10FFFF are not valid). */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

void bb__jw_open(bb__jw *j)
{
    bb_buf_init(&j->out, 0);
    bb_buf_init(&j->tmp, 0);
    bb_jsonw_init(&j->w, &j->out, 12);
    j->rc = bb_buf_reserve(&j->out, 240); /* most such answers fit: one allocation */
    bb_jsonw_obj(&j->w);
}

void bb__jw_text(bb__jw *j, const char *key, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;
    bb_jsonw_key(&j->w, key);
    for (n = 0; p && p[n] && p[n] < 0x80; n++)
        ;
    if (!p || !p[n]) { /* NULL or ASCII: the common case */
        bb_jsonw_str(&j->w, s);
        return;
    }
    bb_buf_reset(&j->tmp);
    for (; *p && j->rc == 0; p += n ? n : 1) {
        n = utf8_seq(p);
        j->rc = n ? bb_buf_add(&j->tmp, p, n) : bb_buf_adds(&j->tmp, "\xEF\xBF\xBD");
    }
    bb_jsonw_str(&j->w, bb_buf_str(&j->tmp));
}

void bb__jw_reply(bb_http_reply *r, int status, bb__jw *j)
{
    static char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\",\"where\":\"\"}}";
    bb_jsonw_obj_end(&j->w);
    bb_buf_release(&j->tmp);
    if (j->rc != 0 || bb_jsonw_finish(&j->w) != 0 || j->out.len == 0) {
        bb_buf_release(&j->out);
        set_body(r, 500, oom, sizeof oom - 1, 1);
        return;
    }
    bb__reply_json_text(r, status, &j->out);
}

/* Answers {"error": {"code", "message", "where"}} written straight as text (every 401, 404 and 429
 * is one). */
static void reply_error_text(bb_http_reply *r, int status, const char *code, const char *where,
                             const char *msg)
{
    bb__jw j;
    bb__jw_open(&j);
    bb_jsonw_key(&j.w, "error");
    bb_jsonw_obj(&j.w);
    bb__jw_text(&j, "code", code);
    bb__jw_text(&j, "message", msg);
    bb__jw_text(&j, "where", where ? where : "");
    bb_jsonw_obj_end(&j.w);
    bb__jw_reply(r, status, &j);
}

void bb__reply_error(bb_http_reply *r, int status, const char *code, const char *where, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reply_error_text(r, status, code, where, msg);
}

void bb__reply_from_error(bb_http_reply *r, const bb_error *err, FILE *log)
{
    int status = bb__status_of(err->code);
    char line[1200];
    if (status == 500) {
        if (log)
            fprintf(log, "birebir serve: error: %s\n", bb_error_format(err, line, sizeof line));
        bb__reply_error(r, 500, "internal", NULL, "the server met an internal error (%s); see its log",
                        bb_strerror(err->code));
        return;
    }
    reply_error_text(r, status, bb__error_code_of(status), err->where,
                     err->msg[0] ? err->msg : bb_strerror(err->code));
}

int bb__arg_int(const bb_http_request *req, bb_http_reply *reply, const char *key, int64_t def, int64_t lo,
                int64_t hi, int64_t *out)
{
    const char *v = bb__request_arg(req, key);
    char *end = NULL;
    long long n;
    *out = def;
    if (!v)
        return 0;
    errno = 0;
    n = strtoll(v, &end, 10);
    if (!*v || *end || errno || n < lo || n > hi) {
        bb__reply_error(reply, 422, "invalid", key, "%s must be a whole number from %lld to %lld", key,
                        (long long)lo, (long long)hi);
        return -1;
    }
    *out = n;
    return 0;
}

json_t *bb__body_object(bb_http_request *req, bb_http_reply *reply)
{
    json_error_t je;
    json_t *v =
        json_loadb(bb_buf_str(&req->body), req->body.len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    char where[64];
    if (!v) {
        snprintf(where, sizeof where, "byte %d", je.position);
        bb__reply_error(reply, 400, "malformed", where, "the body is not valid JSON: %s (line %d, column %d)",
                        je.text, je.line, je.column);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        bb__reply_error(reply, 422, "invalid", "$", "the body must be a JSON object");
        return NULL;
    }
    return v;
}
