/* sqlite_cache.c: bb__smap, open addressing with linear probing, FNV-1a hashes. */
#include "store/sqlite_cache.h"

#include <stdlib.h>
#include <string.h>

struct bb__smap_block {
    bb__smap_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

enum { BLOCK = 1 << 20 };

/* n bytes (a multiple of 16) of zeroed memory from the map's blocks; NULL when out of memory. */
static void *bump(bb__smap *m, size_t n)
{
    bb__smap_block *b = m->blocks;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK ? n : BLOCK;
        if (!(b = malloc(sizeof *b + size)))
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = m->blocks;
        m->blocks = b;
    }
    b->used += n;
    return memset(b->data + b->used - n, 0, n);
}

static uint64_t hash_of(const char *key, size_t klen)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < klen; i++)
        h = (h ^ (unsigned char)key[i]) * 0x100000001b3ull;
    return h ? h : 1;
}

static size_t vspan(const bb__smap *m)
{
    return (m->vsize + 15) & ~(size_t)15;
}

void bb__smap_init(bb__smap *m, size_t vsize, size_t max)
{
    memset(m, 0, sizeof *m);
    m->vsize = vsize;
    m->max = max;
}

void bb__smap_clear(bb__smap *m)
{
    if (m->n && m->drop)
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].entry)
                m->drop(m->slots[i].entry);
    if (m->n && m->slots)
        memset(m->slots, 0, m->cap * sizeof *m->slots);
    while (m->blocks && m->blocks->next) { /* keep the oldest block */
        bb__smap_block *next = m->blocks->next;
        free(m->blocks);
        m->blocks = next;
    }
    if (m->blocks)
        m->blocks->used = 0;
    m->n = 0;
}

void bb__smap_release(bb__smap *m)
{
    bb__smap_clear(m);
    free(m->blocks);
    m->blocks = NULL;
    free(m->slots);
    m->slots = NULL;
    m->cap = 0;
}

void *bb__smap_get(const bb__smap *m, const char *key, size_t klen)
{
    uint64_t h;
    size_t i, span = vspan(m);
    if (m->n == 0)
        return NULL;
    h = hash_of(key, klen);
    for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        const bb__smap_slot *s = &m->slots[i];
        if (!s->entry)
            return NULL;
        if (s->hash == h) {
            const char *k = (const char *)s->entry + span;
            if (memcmp(k, key, klen) == 0 && k[klen] == '\0')
                return s->entry;
        }
    }
}

static int grow(bb__smap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    bb__smap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        size_t j;
        if (!m->slots[i].entry)
            continue;
        for (j = m->slots[i].hash & (cap - 1); slots[j].entry; j = (j + 1) & (cap - 1))
            ;
        slots[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

void bb__smap_prefetch(const bb__smap *m, const char *key, size_t klen)
{
    if (m->cap)
        __builtin_prefetch(&m->slots[hash_of(key, klen) & (m->cap - 1)]);
}

int bb__smap_full(const bb__smap *m)
{
    return m->n >= m->max;
}

void *bb__smap_add(bb__smap *m, const char *key, size_t klen)
{
    size_t span = vspan(m), i;
    uint64_t h = hash_of(key, klen);
    char *e;
    if (m->n >= m->max)
        return NULL;
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0) /* keep the load under 3/4 */
        return NULL;
    e = bump(m, (span + klen + 1 + 15) & ~(size_t)15);
    if (!e)
        return NULL;
    memcpy(e + span, key, klen);
    for (i = h & (m->cap - 1); m->slots[i].entry; i = (i + 1) & (m->cap - 1))
        ;
    m->slots[i].hash = h;
    m->slots[i].entry = e;
    m->n++;
    return e;
}

void *bb__smap_alloc(bb__smap *m, size_t n)
{
    return bump(m, (n + 15) & ~(size_t)15);
}

const char *bb__smap_key(const bb__smap *m, const void *value)
{
    return (const char *)value + vspan(m);
}

enum { BLOOM_BITS_LOG2 = 25 };

void bb__bloom_reset(bb__bloom *b)
{
    free(b->bits);
    b->bits = NULL;
    b->state = 0;
}

void bb__bloom_start(bb__bloom *b)
{
    free(b->bits);
    b->bits = calloc((size_t)1 << (BLOOM_BITS_LOG2 - 6), sizeof *b->bits);
    b->state = b->bits ? 1 : -1;
}

/* Two bit positions from one 64-bit hash, both in the same 512-bit block (one cache line: a probe of
 * a key costs one memory access, not two; the rate of false positives stays near the plain filter's). */
static void bloom_pos(const char *key, size_t klen, uint64_t pos[2])
{
    uint64_t h = hash_of(key, klen), g = h * 0x9e3779b97f4a7c15ull;
    uint64_t block = (h & (((uint64_t)1 << (BLOOM_BITS_LOG2 - 9)) - 1)) << 9;
    pos[0] = block | ((g >> 32) & 511);
    pos[1] = block | ((g >> 48) & 511);
}

void bb__bloom_add(bb__bloom *b, const char *key, size_t klen)
{
    uint64_t pos[2];
    if (b->state != 1)
        return;
    bloom_pos(key, klen, pos);
    for (int i = 0; i < 2; i++)
        b->bits[pos[i] >> 6] |= (uint64_t)1 << (pos[i] & 63);
}

int bb__bloom_maybe(const bb__bloom *b, const char *key, size_t klen)
{
    uint64_t pos[2];
    if (b->state != 1)
        return 1;
    bloom_pos(key, klen, pos);
    for (int i = 0; i < 2; i++)
        if (!(b->bits[pos[i] >> 6] & ((uint64_t)1 << (pos[i] & 63))))
            return 0;
    return 1;
}

void bb__bloom_prefetch(const bb__bloom *b, const char *key, size_t klen)
{
    uint64_t pos[2];
    if (b->state != 1)
        return;
    bloom_pos(key, klen, pos);
    __builtin_prefetch(&b->bits[pos[0] >> 6]);
}

void bb__smap_each(bb__smap *m, void (*fn)(void *ctx, void *value), void *ctx)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].entry)
            fn(ctx, m->slots[i].entry);
}
