/* sqlite_cache.h: bb__smap, a bounded hash map from strings to fixed-size values, for the write
 * path's caches (customer references, orders, products). Values live at stable addresses until the
 * map is cleared (entries are bumped out of large blocks: no allocation per entry). Internal to
 * src/store/. */
#ifndef BB_SQLITE_CACHE_H
#define BB_SQLITE_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct bb__smap_slot {
    uint64_t hash;
    void *entry; /* the value, then the key (NUL-terminated); NULL when the slot is free */
} bb__smap_slot;

typedef struct bb__smap_block bb__smap_block; /* the entries' memory, bumped through */

typedef struct bb__smap {
    bb__smap_slot *slots;
    bb__smap_block *blocks; /* the current block first; freed (but the oldest) when cleared */
    size_t cap;   /* slots, a power of two (0 until first use) */
    size_t n;     /* entries */
    size_t max;   /* the most entries it may hold */
    size_t vsize; /* bytes of a value */
    void (*drop)(void *value); /* frees what a value owns, when it goes (may be NULL) */
} bb__smap;

/* An empty map of values of vsize bytes that holds at most max entries. Allocates nothing. */
void bb__smap_init(bb__smap *m, size_t vsize, size_t max);
/* Frees everything. */
void bb__smap_release(bb__smap *m);
/* Removes every entry (their values are freed), keeping the slots. */
void bb__smap_clear(bb__smap *m);
/* The value stored under the key, or NULL. */
void *bb__smap_get(const bb__smap *m, const char *key, size_t klen);
/* Adds the key with a zeroed value and returns the value; NULL when out of memory or the map is full
 * (bb__smap_full), so callers clear it first. The key must not be present. */
void *bb__smap_add(bb__smap *m, const char *key, size_t klen);
int bb__smap_full(const bb__smap *m);
/* Starts fetching the memory a get or add of the key will look at first (its slot). */
void bb__smap_prefetch(const bb__smap *m, const char *key, size_t klen);
/* n bytes (aligned for any value) that live until the map is cleared, for what its values point to;
 * NULL when out of memory. */
void *bb__smap_alloc(bb__smap *m, size_t n);
/* Calls fn(ctx, value) for every entry. */
void bb__smap_each(bb__smap *m, void (*fn)(void *ctx, void *value), void *ctx);
/* The key a value returned by bb__smap_get or bb__smap_add is stored under. */
const char *bb__smap_key(const bb__smap *m, const void *value);

/* bb__bloom: a Bloom filter of the keys of a table, to skip looking up keys that cannot be there.
 * It can only say "absent" while it holds every key of the table: its owner starts it when it has
 * seen the table empty and adds every key it writes; anything else (another writer, a rollback)
 * resets it. 4 MiB of bits, two probes in one cache line: ~2% false positives at 2 million keys. */
typedef struct bb__bloom {
    uint64_t *bits;
    int state; /* 0: not known (check the table), 1: holds every key, -1: not used */
} bb__bloom;

void bb__bloom_reset(bb__bloom *b); /* back to "not known"; frees the bits */
/* The table is empty: from now on b holds its keys (state 1); on allocation failure state -1. */
void bb__bloom_start(bb__bloom *b);
void bb__bloom_add(bb__bloom *b, const char *key, size_t klen); /* no-op unless state 1 */
/* 0 when the key is surely not in the table (state 1 and a bit unset), else 1. */
int bb__bloom_maybe(const bb__bloom *b, const char *key, size_t klen);
/* Starts fetching the bits bb__bloom_maybe of the key will read. */
void bb__bloom_prefetch(const bb__bloom *b, const char *key, size_t klen);

#endif
