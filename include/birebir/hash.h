/* hash.h: SHA-256 (FIPS 180-4), for content fingerprints (deduplication) and secrets stored hashed. */
#ifndef BIREBIR_HASH_H
#define BIREBIR_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct bb_sha256 {
    uint32_t h[8];
    uint64_t total; /* bytes hashed so far */
    unsigned char block[64];
    size_t used; /* bytes in block */
} bb_sha256;

void bb_sha256_init(bb_sha256 *c);
void bb_sha256_update(bb_sha256 *c, const void *data, size_t len);
/* Writes the 32-byte digest; c must be initialised again before reuse. */
void bb_sha256_final(bb_sha256 *c, unsigned char digest[32]);
/* One-shot digest of len bytes. */
void bb_sha256_digest(const void *data, size_t len, unsigned char digest[32]);

#endif
