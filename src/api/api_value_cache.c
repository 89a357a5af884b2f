/* api_value_cache.c: the dashboard's answers kept per reading connection and data version: a dashboard
 * asked for again before anything changed is answered from memory (computing it reads the whole order
 * table: seconds at a million customers). A few entries; the oldest goes first. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_impl.h"

enum { ENTRIES = 16 };

typedef struct entry {
    const bb_store *store; /* the connection the version belongs to (versions of two differ) */
    bb_store_version v;
    int64_t key;
    char *body; /* the answer as JSON text; NULL: a free slot */
} entry;

struct bb__value_cache {
    pthread_mutex_t mu;
    entry e[ENTRIES];
    size_t next; /* the slot to fill next */
};

bb__value_cache *bb__value_cache_new(void)
{
    bb__value_cache *c = calloc(1, sizeof *c);
    if (c && pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

void bb__value_cache_free(bb__value_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < ENTRIES; i++)
        free(c->e[i].body);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static int same(const entry *e, const bb_store *store, const bb_store_version *v, int64_t key)
{
    return e->body && e->store == store && e->v.others == v->others && e->v.own == v->own && e->key == key;
}

json_t *bb__value_cache_get(bb__value_cache *c, const bb_store *store, const bb_store_version *v, int64_t key)
{
    json_t *out = NULL;
    if (!c)
        return NULL;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < ENTRIES && !out; i++)
        if (same(&c->e[i], store, v, key))
            out = json_loads(c->e[i].body, 0, NULL);
    pthread_mutex_unlock(&c->mu);
    return out;
}

void bb__value_cache_put(bb__value_cache *c, const bb_store *store, const bb_store_version *v, int64_t key,
                         const json_t *answer)
{
    char *body = c && answer ? json_dumps(answer, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    if (!body)
        return;
    pthread_mutex_lock(&c->mu);
    size_t slot = c->next;
    for (size_t i = 0; i < ENTRIES; i++) /* the connection's older answer for the same key goes */
        if (c->e[i].body && c->e[i].store == store && c->e[i].key == key)
            slot = i;
    if (slot == c->next)
        c->next = (c->next + 1) % ENTRIES;
    free(c->e[slot].body);
    c->e[slot] = (entry){store, *v, key, body};
    pthread_mutex_unlock(&c->mu);
}
