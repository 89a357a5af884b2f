/* test_http_server.c: the real server on 127.0.0.1 and a free port, spoken to over sockets: answers with
 * the headers every answer carries, the access log, 413 before and while reading a body, and a graceful
 * stop that lets a request in flight finish. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include "api_fixture.h"

static int dial(unsigned port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static void say(int fd, const char *s)
{
    assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* Reads until the server closes (every request here says Connection: close). */
static char *hear(int fd)
{
    static char buf[65536];
    size_t n = 0;
    ssize_t got;
    while (n + 1 < sizeof buf && (got = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)got;
    buf[n] = '\0';
    close(fd);
    return buf;
}

typedef struct server {
    fixture *f;
    bb_http_server *srv;
    char *log;
    size_t log_len;
    FILE *log_file;
} server;

static void start(server *s, size_t max_body)
{
    bb_http_config cfg;
    bb_error err = {0};
    s->f = fx_new(0);
    s->log_file = open_memstream(&s->log, &s->log_len);
    bb_http_config_init(&cfg);
    cfg.db_path = s->f->db;
    cfg.port = 0;
    cfg.threads = 2;
    cfg.max_body = max_body;
    cfg.durable_power = 0;
    cfg.access_log = s->log_file;
    assert_int_equal(bb_http_server_start(&cfg, &s->srv, &err), 0);
    assert_true(bb_http_server_port(s->srv) > 0);
}

static void finish(server *s)
{
    bb_http_server_stop(s->srv, 5);
    fclose(s->log_file);
    free(s->log);
    fx_free(s->f);
}

static void answers(void **state)
{
    (void)state;
    server s;
    start(&s, 1024);
    unsigned port = bb_http_server_port(s.srv);
    int fd = dial(port);
    say(fd, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    char *r = hear(fd);
    assert_int_equal(strncmp(r, "HTTP/1.1 200", 12), 0);
    assert_non_null(strstr(r, "Content-Type: application/json"));
    assert_non_null(strstr(r, "X-Content-Type-Options: nosniff"));
    assert_non_null(strstr(r, "Cache-Control: no-store"));
    assert_non_null(strstr(r, "\"status\":\"ok\""));

    /* A body announced past the limit is refused before it is read. */
    fd = dial(port);
    say(fd,
        "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\nConnection: close\r\n\r\n");
    r = hear(fd);
    assert_int_equal(strncmp(r, "HTTP/1.1 413", 12), 0);
    assert_non_null(strstr(r, "\"code\":\"too_large\""));

    /* A chunked body that grows past it too. */
    fd = dial(port);
    say(fd,
        "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    char chunk[512 + 8];
    snprintf(chunk, sizeof chunk, "200\r\n");
    memset(chunk + 5, 'x', 512);
    snprintf(chunk + 5 + 512, 3, "\r\n");
    for (int i = 0; i < 3; i++)
        say(fd, chunk);
    say(fd, "0\r\n\r\n");
    r = hear(fd);
    assert_int_equal(strncmp(r, "HTTP/1.1 413", 12), 0);

    /* Unknown paths answer JSON, never an HTML page. */
    fd = dial(port);
    say(fd, "GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    r = hear(fd);
    assert_int_equal(strncmp(r, "HTTP/1.1 404", 12), 0);
    assert_non_null(strstr(r, "{\"error\":{\"code\":\"not_found\""));
    bb_http_server_stop(s.srv, 5); /* writes the access log's lines (else within a second) */
    s.srv = NULL;
    fflush(s.log_file);
    /* One access-log line per request: time, method, path, status, bytes, duration, who. */
    assert_non_null(strstr(s.log, " GET /api/v1/health 200 "));
    assert_non_null(strstr(s.log, " POST /api/v1/events 413 "));
    assert_non_null(strstr(s.log, "ms -\n"));
    finish(&s);
}

typedef struct stopper {
    bb_http_server *srv;
    int done;
} stopper;

static void *stop_it(void *arg)
{
    stopper *st = arg;
    bb_http_server_stop(st->srv, 10);
    __atomic_store_n(&st->done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void graceful_stop(void **state)
{
    (void)state;
    server s;
    stopper st;
    pthread_t th;
    const char *body = "{\"name\":\"nobody\",\"password\":\"long enough\"}";
    char head[256];
    start(&s, 1024);
    unsigned port = bb_http_server_port(s.srv);
    int fd = dial(port);
    snprintf(head, sizeof head,
             "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n",
             strlen(body));
    say(fd, head);
    say(fd, "{\"name\":");
    usleep(100000);
    st.srv = s.srv;
    st.done = 0;
    assert_int_equal(pthread_create(&th, NULL, stop_it, &st), 0);
    usleep(300000);
    assert_int_equal(__atomic_load_n(&st.done, __ATOMIC_SEQ_CST), 0); /* it waits for the request */
    assert_int_equal(dial(port), -1);                                 /* but takes no new connection */
    say(fd, body + strlen("{\"name\":"));
    char *r = hear(fd);
    assert_int_equal(strncmp(r, "HTTP/1.1 401", 12), 0); /* the request was answered in full */
    assert_non_null(strstr(r, "wrong name or password"));
    pthread_join(th, NULL);
    assert_int_equal(st.done, 1);
    fclose(s.log_file);
    free(s.log);
    fx_free(s.f);
}

/* The default pool: four threads per CPU, at least 4, at most 64. */
static void default_threads(void **state)
{
    (void)state;
    assert_int_equal(bb_http_default_threads(1), 4);
    assert_int_equal(bb_http_default_threads(2), 8);
    assert_int_equal(bb_http_default_threads(16), 64);
    assert_int_equal(bb_http_default_threads(100), 64);
    assert_int_equal(bb_http_default_threads(0), 4);  /* unknown */
    assert_int_equal(bb_http_default_threads(-1), 4); /* sysconf failed */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_threads),
        cmocka_unit_test(answers),
        cmocka_unit_test(graceful_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
