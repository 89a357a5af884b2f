/* http_server.c: the libmicrohttpd glue, the only file that knows it. A thread pool accepts
 * connections; each request is collected (method, path, query, the few headers we use, a body with a
 * hard maximum) into a bb_http_request, answered by bb__api_handle on the worker thread's own store
 * connection, sent with the security headers every answer carries, and logged in one access-log line.
 * Stopping is graceful: no new connections, in-flight requests finish, then the writer commits what it
 * holds and every connection closes. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "api/api_fields.h"
#include "api/api_impl.h"

/* Per connection: its head and buffers. MHD zeroes the unused part of this pool after every request
 * on a kept-alive connection, so a larger pool costs on every request: 32 KiB is MHD's default (and
 * the minimal responder's), room for a MAX_URL path and the headers we read. */
enum { MAX_URL = 8192, MHD_MEMORY = 32 * 1024 };

/* The access log: lines gathered in memory and written by a thread of its own at least once a second
 * (a line written per request was a system call each: a third of a cheap request's cost). A kill -9
 * loses at most the last second's lines; a stop writes them all. */
enum { LOG_EVERY_MS = 1000, LOG_MAX = 256 * 1024 /* written at once past this */ };

/* Held read snapshots (bb_store_read_hold): a worker's GET requests share one snapshot while nothing has
 * been committed since it began (read from the WAL index's header: any process's commit, a CLI import
 * included, shows at the next request; without the mapping VFS, within SNAPSHOT_MS). The janitor ends,
 * every JANITOR_MS, the held snapshots of idle workers that went stale, so none keeps the WAL from being
 * checkpointed for long. */
enum { SNAPSHOT_MS = 100, JANITOR_MS = 50 };

/* A worker thread's store connection and the lock it is used under: held by the worker while it answers
 * a request, taken by the janitor (only when free) to end a stale snapshot. */
typedef struct worker_store {
    bb_store *s;
    pthread_mutex_t mu;
} worker_store;

typedef struct access_log {
    FILE *out;
    pthread_mutex_t mu; /* guards buf, stop; held while writing, so lines keep their order */
    pthread_cond_t wake;
    bb_buf buf;
    int stop;
    pthread_t thread;
} access_log;

struct bb_http_server {
    bb__api *api;
    struct MHD_Daemon *daemon;
    bb_http_config cfg;
    FILE *log;
    pthread_key_t store_key; /* each worker thread's own store connection (a worker_store) */
    pthread_mutex_t mu;      /* guards stores, janitor_stop; held to signal idle and the janitor */
    pthread_cond_t idle;     /* signalled when inflight drops to 0 while stopping */
    pthread_cond_t janitor_wake;
    pthread_t janitor;
    int janitor_stop;
    worker_store **stores;
    size_t n_stores, cap_stores;
    access_log alog; /* alog.out NULL: no access log */
    int inflight; /* requests begun and not completed (atomic: no lock per request) */
    int stopping;
    unsigned port;
};

/* One request on its way through MHD's callbacks. */
typedef struct conn_req {
    bb_http_request req;
    struct MHD_Connection *conn;
    bb_http_reply late; /* a deferred answer, filled by another thread before it resumes us */
    int deferred;       /* the connection was suspended for a deferred answer */
    int64_t start_ns;
    int status;
    size_t bytes;
} conn_req;

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    bb_http_server *srv = cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    fprintf(srv->log, "birebir serve: http: %s%s", line, strchr(line, '\n') ? "" : "\n");
}

static void worker_store_free(worker_store *w)
{
    if (!w)
        return;
    bb_store_close(w->s);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

/* The calling thread's store connection, opened on its first request. */
static worker_store *thread_store(bb_http_server *srv, bb_error *err)
{
    worker_store *s = pthread_getspecific(srv->store_key);
    worker_store **grown;
    if (s)
        return s;
    if (!(s = calloc(1, sizeof *s)) || pthread_mutex_init(&s->mu, NULL) != 0) {
        free(s);
        bb_error_set(err, BB_ENOMEM, "out of memory");
        return NULL;
    }
    if (bb_store_open(srv->cfg.db_path, BB_STORE_MAPPED, &s->s, err) != 0) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        return NULL;
    }
    pthread_mutex_lock(&srv->mu);
    if (srv->n_stores == srv->cap_stores) {
        size_t cap = srv->cap_stores ? srv->cap_stores * 2 : 16;
        if (!(grown = realloc(srv->stores, cap * sizeof *grown))) {
            pthread_mutex_unlock(&srv->mu);
            worker_store_free(s);
            bb_error_set(err, BB_ENOMEM, "out of memory");
            return NULL;
        }
        srv->stores = grown;
        srv->cap_stores = cap;
    }
    srv->stores[srv->n_stores++] = s;
    pthread_mutex_unlock(&srv->mu);
    pthread_setspecific(srv->store_key, s);
    return s;
}

/* A connection's state between its requests (MHD's socket context). */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls, (void)c;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(bb__authz_memo)); /* NULL: requests go without it */
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        bb__authz_memo *m = *socket_context;
        if (m)
            explicit_bzero(m, sizeof *m); /* a token: leave no copy behind */
        free(m);
        *socket_context = NULL;
    }
}

/* Keeps one query argument. MHD's decoding can leave a NUL inside a key or value ("q=%00abc"), which a C
 * string would silently cut: such a request, or one with more arguments than kept, is answered 422 by
 * the dispatcher (api_dispatch.c), never read as something else. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                               const char *value, size_t value_size)
{
    bb_http_request *req = cls;
    (void)kind;
    if (req->args_bad)
        return MHD_NO;
    if ((key && strlen(key) != key_size) || (value && strlen(value) != value_size)) {
        req->args_bad = 1;
        req->args_bad_key = bb_strndup(key ? key : "", key_size);
        return MHD_NO;
    }
    if (req->n_args >= BB__MAX_ARGS) {
        req->args_bad = 2;
        return MHD_NO;
    }
    req->args[req->n_args].key = bb_strdup(key ? key : "");
    req->args[req->n_args].value = bb_strdup(value ? value : "");
    if (!req->args[req->n_args].key || !req->args[req->n_args].value) {
        free(req->args[req->n_args].key);
        free(req->args[req->n_args].value);
        return MHD_NO;
    }
    req->n_args++;
    return MHD_YES;
}

static char *header(struct MHD_Connection *c, enum MHD_ValueKind kind, const char *name)
{
    return bb_strdup(MHD_lookup_connection_value(c, kind, name));
}

/* Fills the request from what MHD parsed of its head. */
static int collect(struct MHD_Connection *c, const char *url, const char *method, conn_req *r)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS),
                                   *sc = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    bb_http_request *req = &r->req;
    req->memo = sc ? sc->socket_context : NULL;
    strncpy(req->method, method, sizeof req->method - 1); /* ends in NUL: zeroed by bb__request_init */
    req->now = (int64_t)time(NULL);
    if (!(req->path = bb_strndup(url, MAX_URL + 1)))
        return -1;
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, add_arg, req);
    req->authorization = header(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    req->session_cookie = header(c, MHD_COOKIE_KIND, "bb_session");
    req->csrf_token = header(c, MHD_HEADER_KIND, "X-CSRF-Token");
    req->content_type = header(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    req->if_none_match = header(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (ci && ci->client_addr) { /* kept as it is: written as text only when a handler asks */
        const struct sockaddr *sa = ci->client_addr;
        socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
        memcpy(&req->peer, sa, len);
        req->peer_len = (unsigned)len;
    }
    return 0;
}

static enum MHD_Result send_reply(bb_http_server *srv, struct MHD_Connection *c, conn_req *r,
                                  bb_http_reply *reply)
{
    struct MHD_Response *resp;
    enum MHD_Result ok;
    int is_json = reply->content_type && strcmp(reply->content_type, "application/json") == 0;
    resp = MHD_create_response_from_buffer(
        reply->len, reply->body, reply->body_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!resp)
        return MHD_NO;  /* out of memory: MHD closes the connection; reply's body is freed by its release */
    reply->body = NULL; /* MHD owns it now */
    reply->body_static = 1;
    if (reply->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, reply->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (is_json)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (int i = 0; i < reply->n_headers; i++)
        MHD_add_response_header(resp, reply->headers[i].name, reply->headers[i].value);
    if (__atomic_load_n(&srv->stopping, __ATOMIC_RELAXED))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    r->status = reply->status;
    r->bytes = reply->len;
    ok = MHD_queue_response(c, (unsigned)reply->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static void defer_request(void *arg)
{
    conn_req *r = arg;
    r->deferred = 1;
    MHD_suspend_connection(r->conn);
}

static void resume_request(void *arg)
{
    conn_req *r = arg;
    MHD_resume_connection(r->conn);
}

static enum MHD_Result answer(bb_http_server *srv, struct MHD_Connection *c, conn_req *r)
{
    bb_http_reply reply = {0};
    bb_error err = {0};
    worker_store *store;
    enum MHD_Result ok;
    if (r->deferred) /* called again after resume_request: the answer is ready */
        return send_reply(srv, c, r, &r->late);
    r->req.defer = defer_request;
    r->req.resume = resume_request;
    r->req.hook_arg = r;
    r->req.late = &r->late;
    if (strlen(r->req.path) > MAX_URL) {
        bb__reply_error(&reply, 414, "uri_too_long", NULL, "the path is longer than %d bytes", MAX_URL);
    } else if (!(store = thread_store(srv, &err))) {
        bb__reply_from_error(&reply, &err, srv->log);
    } else {
        int reads = strcmp(r->req.method, "GET") == 0 || strcmp(r->req.method, "HEAD") == 0;
        pthread_mutex_lock(&store->mu);
        /* a request that may write reads nothing held from before its write */
        bb_store_read_hold(store->s, reads ? SNAPSHOT_MS : 0);
        bb_store_read_settle(store->s);
        bb__api_handle(srv->api, store->s, &r->req, &reply);
        pthread_mutex_unlock(&store->mu);
    }
    if (reply.status == BB__DEFERRED) {
        bb__reply_release(&reply);
        return MHD_YES;
    }
    ok = send_reply(srv, c, r, &reply);
    bb__reply_release(&reply);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size,
                                  void **con_cls)
{
    bb_http_server *srv = cls;
    conn_req *r = *con_cls;
    (void)version;
    if (!r) {
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (!(r = malloc(sizeof *r)))
            return MHD_NO;
        bb__request_init(&r->req, srv->cfg.max_body);
        memset(&r->late, 0, sizeof r->late);
        r->deferred = r->status = 0;
        r->bytes = 0;
        r->start_ns = mono_ns();
        r->conn = c;
        *con_cls = r;
        __atomic_add_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST);
        if (collect(c, url, method, r) != 0)
            return MHD_NO;
        if (cl && strtoull(cl, NULL, 10) > srv->cfg.max_body) {
            /* Refused before reading it; MHD drops the rest and closes the connection. */
            r->req.body_too_large = 1;
            return answer(srv, c, r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->req.body_too_large && bb_buf_add(&r->req.body, upload, *upload_size) != 0) {
            r->req.body_too_large = 1;
            bb_buf_release(&r->req.body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return answer(srv, c, r);
}

/* Copies s into out with control characters, spaces, quotes and '%' escaped (%XX), so that a path or
 * a name cannot forge log lines; "-" when s is empty. Truncates to size. */
static const char *log_field(const char *s, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    if (!s || !*s)
        s = "-";
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < size; p++) {
        if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '%') {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        } else {
            out[o++] = (char)*p;
        }
    }
    out[o] = '\0';
    return out;
}

/* Writes out the lines gathered; mu held. */
static void log_write(access_log *l)
{
    if (l->buf.len) {
        fwrite(l->buf.data, 1, l->buf.len, l->out);
        fflush(l->out);
        bb_buf_reset(&l->buf);
    }
}

static void *log_thread(void *arg)
{
    access_log *l = arg;
    struct timespec t;
    pthread_mutex_lock(&l->mu);
    while (!l->stop) {
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_sec += LOG_EVERY_MS / 1000;
        pthread_cond_timedwait(&l->wake, &l->mu, &t);
        log_write(l);
    }
    log_write(l);
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

static void log_line(access_log *l, const char *line, size_t n)
{
    int rc;
    pthread_mutex_lock(&l->mu);
    rc = bb_buf_add(&l->buf, line, n);
    if (rc != 0 || l->buf.len >= LOG_MAX)
        log_write(l); /* much to write, or out of memory: now, on this thread */
    if (rc != 0) {
        fwrite(line, 1, n, l->out);
        fflush(l->out);
    }
    pthread_mutex_unlock(&l->mu);
}

static int log_start(access_log *l, FILE *out)
{
    l->out = out;
    bb_buf_init(&l->buf, 0);
    if (pthread_mutex_init(&l->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&l->wake, NULL) != 0) {
        pthread_mutex_destroy(&l->mu);
        return -1;
    }
    if (pthread_create(&l->thread, NULL, log_thread, l) != 0) {
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->mu);
        return -1;
    }
    return 0;
}

/* Writes what is left and ends the thread. */
static void log_stop(access_log *l)
{
    pthread_mutex_lock(&l->mu);
    l->stop = 1;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    pthread_cond_destroy(&l->wake);
    pthread_mutex_destroy(&l->mu);
    bb_buf_release(&l->buf);
}

/* Ends the idle workers' held snapshots that went stale (see SNAPSHOT_MS). */
static void *janitor_thread(void *arg)
{
    bb_http_server *srv = arg;
    struct timespec t;
    pthread_mutex_lock(&srv->mu);
    while (!srv->janitor_stop) {
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_nsec += JANITOR_MS * 1000000L;
        if (t.tv_nsec >= 1000000000L) {
            t.tv_sec++;
            t.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&srv->janitor_wake, &srv->mu, &t);
        for (size_t i = 0; i < srv->n_stores; i++)
            if (pthread_mutex_trylock(&srv->stores[i]->mu) == 0) { /* busy: its next request settles it */
                bb_store_read_settle(srv->stores[i]->s);
                pthread_mutex_unlock(&srv->stores[i]->mu);
            }
    }
    pthread_mutex_unlock(&srv->mu);
    return NULL;
}

static void janitor_stop(bb_http_server *srv)
{
    pthread_mutex_lock(&srv->mu);
    srv->janitor_stop = 1;
    pthread_cond_signal(&srv->janitor_wake);
    pthread_mutex_unlock(&srv->mu);
    pthread_join(srv->janitor, NULL);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    bb_http_server *srv = cls;
    conn_req *r = *con_cls;
    (void)c, (void)toe;
    if (!r)
        return;
    if (srv->alog.out) {
        char method[48], path[1024], who[512], line[1700];
        int n = snprintf(line, sizeof line, "%s %s %s %d %zu %.3fms %s\n", bb__time_text(r->req.now),
                         log_field(r->req.method, method, sizeof method),
                         log_field(r->req.path, path, sizeof path), r->status, r->bytes,
                         (double)(mono_ns() - r->start_ns) / 1e6, log_field(r->req.who.name, who, sizeof who));
        if (n > 0)
            log_line(&srv->alog, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
    bb__request_release(&r->req);
    bb__reply_release(&r->late);
    free(r);
    *con_cls = NULL;
    /* Only a stop waits for the count to reach 0; it set stopping before it looked at the count, and it
     * holds mu between looking and waiting, so this broadcast cannot fall between the two. */
    if (__atomic_sub_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST) == 0 &&
        __atomic_load_n(&srv->stopping, __ATOMIC_SEQ_CST)) {
        pthread_mutex_lock(&srv->mu);
        pthread_cond_broadcast(&srv->idle);
        pthread_mutex_unlock(&srv->mu);
    }
}

/* Resolves the listening address into *sa. */
static int listen_addr(const char *host, unsigned port, struct sockaddr_storage *sa, int *v6, bb_error *err)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE},
                    *res = NULL;
    char service[16];
    int rc;
    snprintf(service, sizeof service, "%u", port);
    rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0 || !res)
        return bb_error_set(err, BB_EINVAL, "cannot listen on \"%s\": %s", host, gai_strerror(rc));
    memcpy(sa, res->ai_addr, res->ai_addrlen);
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return 0;
}

unsigned bb_http_default_threads(long cpus)
{
    long n = cpus > 0 ? 4 * cpus : 4;
    return (unsigned)(n < 4 ? 4 : n > 64 ? 64 : n);
}

int bb_http_server_start(const bb_http_config *cfg, bb_http_server **out, bb_error *err)
{
    bb_http_server *srv = calloc(1, sizeof *srv);
    struct sockaddr_storage sa;
    bb_store *check = NULL;
    const union MHD_DaemonInfo *di;
    int rc = 0, v6 = 0, have_key = 0, have_sync = 0, have_log = 0, have_janitor = 0;
    unsigned threads;
    *out = NULL;
    if (!srv)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    srv->cfg = *cfg;
    srv->log = cfg->error_log ? cfg->error_log : stderr;
    threads = cfg->threads ? cfg->threads : bb_http_default_threads(sysconf(_SC_NPROCESSORS_ONLN));
    /* Opening once applies pending migrations before any thread reads. */
    if ((rc = bb_store_open(cfg->db_path, 0, &check, err)) != 0)
        goto done;
    bb_store_close(check);
    if ((rc = listen_addr(cfg->listen ? cfg->listen : "127.0.0.1", cfg->port, &sa, &v6, err)) != 0)
        goto done;
    if (pthread_key_create(&srv->store_key, NULL) != 0) {
        rc = bb_error_set(err, BB_EINTERNAL, "cannot make a thread key");
        goto done;
    }
    have_key = 1;
    if (pthread_mutex_init(&srv->mu, NULL) != 0 || pthread_cond_init(&srv->idle, NULL) != 0 ||
        pthread_cond_init(&srv->janitor_wake, NULL) != 0) {
        rc = bb_error_set(err, BB_EINTERNAL, "cannot make the server's locks");
        goto done;
    }
    have_sync = 1;
    if (pthread_create(&srv->janitor, NULL, janitor_thread, srv) != 0) {
        rc = bb_error_set(err, BB_EINTERNAL, "cannot start the snapshots' janitor thread");
        goto done;
    }
    have_janitor = 1;
    if (cfg->access_log) {
        if (log_start(&srv->alog, cfg->access_log) != 0) {
            rc = bb_error_set(err, BB_EINTERNAL, "cannot start the access log's thread");
            goto done;
        }
        have_log = 1;
    }
    if ((rc = bb__api_new(cfg, &srv->api, err)) != 0)
        goto done;
    /* MHD's default socket options (SO_REUSEADDR: a restart binds at once), not SO_REUSEPORT, with which
     * a second server on a port in use started and took part of its requests. */
    srv->daemon =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
                             MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0),
                         (uint16_t)cfg->port, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
                         mhd_log, srv, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
                         cfg->timeout_s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
                         MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MHD_MEMORY, MHD_OPTION_SOCK_ADDR,
                         (struct sockaddr *)&sa, MHD_OPTION_END);
    if (!srv->daemon) {
        rc = bb_error_set(err, BB_EIO, "cannot listen on %s port %u (is the port in use?)",
                          cfg->listen ? cfg->listen : "127.0.0.1", cfg->port);
        goto done;
    }
    di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : cfg->port;
done:
    if (rc != 0) {
        bb__api_free(srv->api);
        if (have_log)
            log_stop(&srv->alog);
        if (have_janitor)
            janitor_stop(srv);
        if (have_sync) {
            pthread_cond_destroy(&srv->janitor_wake);
            pthread_cond_destroy(&srv->idle);
            pthread_mutex_destroy(&srv->mu);
        }
        if (have_key)
            pthread_key_delete(srv->store_key);
        free(srv);
        return rc;
    }
    *out = srv;
    return 0;
}

unsigned bb_http_server_port(const bb_http_server *srv)
{
    return srv->port;
}

void bb_http_server_stop(bb_http_server *srv, unsigned grace_s)
{
    struct timespec deadline;
    MHD_socket fd;
    if (!srv)
        return;
    __atomic_store_n(&srv->stopping, 1, __ATOMIC_SEQ_CST);
    fd = MHD_quiesce_daemon(srv->daemon); /* no new connections */
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += grace_s;
    pthread_mutex_lock(&srv->mu);
    while (__atomic_load_n(&srv->inflight, __ATOMIC_SEQ_CST) > 0)
        if (pthread_cond_timedwait(&srv->idle, &srv->mu, &deadline) == ETIMEDOUT)
            break;
    if (__atomic_load_n(&srv->inflight, __ATOMIC_SEQ_CST) > 0)
        fprintf(srv->log, "birebir serve: %d requests did not finish within %u s; closing them\n",
                __atomic_load_n(&srv->inflight, __ATOMIC_SEQ_CST), grace_s);
    pthread_mutex_unlock(&srv->mu);
    MHD_stop_daemon(srv->daemon); /* joins the workers: no handler runs after this */
    janitor_stop(srv);
    if (srv->alog.out)
        log_stop(&srv->alog); /* every line written */
    bb__api_free(srv->api);       /* the writer commits what it holds, then closes */
    for (size_t i = 0; i < srv->n_stores; i++)
        worker_store_free(srv->stores[i]);
    free(srv->stores);
    pthread_key_delete(srv->store_key);
    pthread_cond_destroy(&srv->janitor_wake);
    pthread_cond_destroy(&srv->idle);
    pthread_mutex_destroy(&srv->mu);
    free(srv);
}

void bb_http_config_init(bb_http_config *c)
{
    memset(c, 0, sizeof *c);
    c->listen = "127.0.0.1";
    c->port = 8080;
    c->max_body = 32u << 20;
    c->max_events = 10000;
    c->timeout_s = 30;
    c->rate_limit = 200;
    c->session_hours = 12;
    c->durable_power = 1;
}
