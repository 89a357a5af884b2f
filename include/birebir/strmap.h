/* strmap.h: bb_strmap, a hash map from byte strings to int64 counters or ids (open addressing, keys
 * copied into the map's own blocks). Used where an import must remember every key of a file it has
 * seen (e.g. how many lines each order has had). The caller owns the struct; a hard maximum of
 * entries keeps hostile input from taking all memory. */
#ifndef BIREBIR_STRMAP_H
#define BIREBIR_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"

typedef struct bb_strmap {
    struct bb__strmap_slot *slots;
    size_t cap, count, max;
    struct bb__strmap_block *blocks; /* key storage */
} bb_strmap;

/* Prepares an empty map of at most max entries (0: unlimited). Allocates nothing. */
void bb_strmap_init(bb_strmap *m, size_t max);
/* Frees everything; accepts NULL. */
void bb_strmap_release(bb_strmap *m);
/* Finds key (n bytes) and sets *value to its value slot, adding it with value 0 when new (then
 * *added is 1 when added is not NULL). The pointer stays valid until the next add. BB_ENOMEM,
 * BB_ELIMIT past max. */
int bb_strmap_upsert(bb_strmap *m, const char *key, size_t n, int64_t **value, int *added) BB_MUST_USE;
/* The value slot of key, or NULL when absent. */
int64_t *bb_strmap_get(const bb_strmap *m, const char *key, size_t n);

#endif
