/* bench_mhd_minimal.c: the anchor of bench/server.sh: the least a libmicrohttpd server can do, with the
 * thread pool birebir serve uses, answering every request with the same small JSON body. What wrk
 * measures against it is the ceiling for GET /api/v1/customers/{id}.
 * Usage: bench_mhd_minimal PORT THREADS [BYTES]   (runs until SIGTERM or SIGINT)
 * BYTES: for information beside the anchor, the same body padded (a "pad" member) to BYTES bytes, as
 * long as the answer it is compared with. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

static const char body[] = "{\"customer_id\":\"C0000001\",\"first_name\":\"Ay\\u015fe\",\"last_name\":\"Y\\u0131lmaz\","
                           "\"city\":\"\\u0130stanbul\",\"orders\":12,\"revenue\":\"4321.50\"}";

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
    struct MHD_Response *r = cls;
    (void)url, (void)method, (void)version, (void)upload;
    if (!*state) { /* the head: wait for the (empty) body */
        *state = (void *)1;
        return MHD_YES;
    }
    *upload_size = 0;
    return MHD_queue_response(c, MHD_HTTP_OK, r);
}

int main(int argc, char **argv)
{
    struct MHD_Response *r;
    struct MHD_Daemon *d;
    sigset_t set;
    unsigned long port = 0, threads = 0;
    int sig;
    unsigned long bytes = 0;
    char *sized = NULL;
    if (argc == 3 || argc == 4) {
        port = strtoul(argv[1], NULL, 10);
        threads = strtoul(argv[2], NULL, 10);
        bytes = argc == 4 ? strtoul(argv[3], NULL, 10) : 0;
    }
    if (port == 0 || port > 65535 || threads == 0 || threads > 1024 || bytes > (16ul << 20) ||
        (argc == 4 && bytes < sizeof body + 16)) {
        fprintf(stderr, "usage: bench_mhd_minimal PORT THREADS [BYTES: %zu to 16 MiB]\n", sizeof body + 16);
        return 2;
    }
    if (bytes) { /* {...,"pad":"xxx...x"} of exactly BYTES bytes */
        size_t head = sizeof body - 2; /* the body without its closing brace */
        if (!(sized = malloc(bytes + 1)))
            return 1;
        memcpy(sized, body, head);
        memcpy(sized + head, ",\"pad\":\"", 8);
        memset(sized + head + 8, 'x', bytes - head - 10);
        memcpy(sized + bytes - 2, "\"}", 3);
    }
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    r = sized ? MHD_create_response_from_buffer(bytes, sized, MHD_RESPMEM_PERSISTENT)
              : MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC, (uint16_t)port, NULL, NULL,
                         answer, r, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
                         MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bench_mhd_minimal: cannot listen on port %s\n", argv[1]);
        return 1;
    }
    printf("listening on http://127.0.0.1:%s/\n", argv[1]);
    fflush(stdout);
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(r);
    free(sized);
    return 0;
}
