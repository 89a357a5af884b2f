/* api_ratelimit.c: token buckets, one per key (a token, a user, a client address), in a small hash
 * table behind a mutex. A bucket holds up to `burst` requests and refills at `rate` per second. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_impl.h"

typedef struct bucket {
    struct bucket *next;
    double tokens;
    int64_t last_ns;
    char key[];
} bucket;

enum { N_SLOTS = 1024, MAX_BUCKETS = 100000 };

struct bb__limiter {
    pthread_mutex_t mu;
    bucket *slots[N_SLOTS];
    size_t n;
};

bb__limiter *bb__limiter_new(void)
{
    bb__limiter *l = calloc(1, sizeof *l);
    if (l && pthread_mutex_init(&l->mu, NULL) != 0) {
        free(l);
        l = NULL;
    }
    return l;
}

static void drop_all(bb__limiter *l)
{
    for (size_t i = 0; i < N_SLOTS; i++) {
        bucket *b = l->slots[i], *next;
        for (; b; b = next) {
            next = b->next;
            free(b);
        }
        l->slots[i] = NULL;
    }
    l->n = 0;
}

void bb__limiter_free(bb__limiter *l)
{
    if (!l)
        return;
    drop_all(l);
    pthread_mutex_destroy(&l->mu);
    free(l);
}

static size_t slot_of(const char *key)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (size_t)(h % N_SLOTS);
}

int bb__limiter_take(bb__limiter *l, const char *key, double rate, double burst, int64_t now_ns)
{
    bucket *b;
    size_t slot = slot_of(key), len = strlen(key);
    int wait = 0;
    if (rate <= 0)
        return 0;
    if (burst < 1)
        burst = 1;
    pthread_mutex_lock(&l->mu);
    for (b = l->slots[slot]; b && strcmp(b->key, key) != 0; b = b->next)
        ;
    if (!b) {
        if (l->n >= MAX_BUCKETS) /* a flood of distinct keys: start afresh rather than grow */
            drop_all(l);
        b = malloc(sizeof *b + len + 1);
        if (!b) { /* out of memory: let the request through rather than refuse everyone */
            pthread_mutex_unlock(&l->mu);
            return 0;
        }
        memcpy(b->key, key, len + 1);
        b->tokens = burst;
        b->last_ns = now_ns;
        b->next = l->slots[slot];
        l->slots[slot] = b;
        l->n++;
    }
    if (now_ns > b->last_ns) {
        b->tokens = fmin(burst, b->tokens + (double)(now_ns - b->last_ns) * 1e-9 * rate);
        b->last_ns = now_ns;
    }
    if (b->tokens >= 1)
        b->tokens -= 1;
    else
        wait = (int)ceil((1 - b->tokens) / rate);
    pthread_mutex_unlock(&l->mu);
    return wait > 0 ? wait : 0;
}
