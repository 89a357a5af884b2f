/* strmap.c: bb_strmap, open addressing with linear probing over (hash, key, value) slots. */
#include "birebir/strmap.h"

#include <stdlib.h>
#include <string.h>

typedef struct bb__strmap_slot {
    uint64_t hash; /* 0: empty */
    const char *key;
    size_t len;
    int64_t value;
} slot;

typedef struct bb__strmap_block {
    struct bb__strmap_block *next;
    size_t used, size;
    char data[];
} block;

#define BLOCK_SIZE (256 * 1024)

static uint64_t hash_of(const char *k, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, then a finaliser so low bits mix */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 0x100000001b3ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

void bb_strmap_init(bb_strmap *m, size_t max)
{
    memset(m, 0, sizeof *m);
    m->max = max ? max : (size_t)-1;
}

void bb_strmap_release(bb_strmap *m)
{
    if (!m)
        return;
    while (m->blocks) {
        block *b = m->blocks;
        m->blocks = b->next;
        free(b);
    }
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

static slot *find(slot *slots, size_t cap, uint64_t h, const char *k, size_t n)
{
    size_t i = (size_t)h & (cap - 1);
    for (;; i = (i + 1) & (cap - 1)) {
        slot *s = &slots[i];
        if (!s->hash || (s->hash == h && s->len == n && memcmp(s->key, k, n) == 0))
            return s;
    }
}

int64_t *bb_strmap_get(const bb_strmap *m, const char *key, size_t n)
{
    slot *s;
    if (!m->cap)
        return NULL;
    s = find(m->slots, m->cap, hash_of(key, n), key, n);
    return s->hash ? &s->value : NULL;
}

static int grow(bb_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    slot *ns = calloc(cap, sizeof *ns);
    if (!ns)
        return BB_ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].hash)
            *find(ns, cap, m->slots[i].hash, m->slots[i].key, m->slots[i].len) = m->slots[i];
    free(m->slots);
    m->slots = ns;
    m->cap = cap;
    return 0;
}

static const char *store_key(bb_strmap *m, const char *k, size_t n)
{
    block *b = m->blocks;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->next = m->blocks;
        b->used = 0;
        b->size = size;
        m->blocks = b;
    }
    memcpy(b->data + b->used, k, n);
    b->used += n;
    return b->data + b->used - n;
}

int bb_strmap_upsert(bb_strmap *m, const char *key, size_t n, int64_t **value, int *added)
{
    uint64_t h = hash_of(key, n);
    slot *s;
    if (added)
        *added = 0;
    if (m->cap) {
        s = find(m->slots, m->cap, h, key, n);
        if (s->hash) {
            *value = &s->value;
            return 0;
        }
    }
    if (m->count >= m->max)
        return BB_ELIMIT;
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return BB_ENOMEM;
    s = find(m->slots, m->cap, h, key, n);
    s->key = store_key(m, key, n);
    if (!s->key)
        return BB_ENOMEM;
    s->hash = h;
    s->len = n;
    s->value = 0;
    m->count++;
    *value = &s->value;
    if (added)
        *added = 1;
    return 0;
}
