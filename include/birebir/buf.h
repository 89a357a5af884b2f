/* buf.h: bb_buf, a growable byte buffer with a hard maximum (curl's dynbuf is the model), and bb_free.
 * The content is always NUL-terminated, so data can be used as a C string when no NUL was appended. */
#ifndef BIREBIR_BUF_H
#define BIREBIR_BUF_H

#include <stddef.h>

#include "birebir/error.h"

typedef struct bb_buf {
    char *data;  /* NULL until the first append; else NUL-terminated */
    size_t len;  /* bytes in use, without the terminating NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* the most len may ever be; appending past it fails with BB_ELIMIT */
} bb_buf;

#define BB_BUF_UNLIMITED ((size_t)-1 / 2)

/* Prepares an empty buffer that may grow to max bytes. Allocates nothing. */
void bb_buf_init(bb_buf *b, size_t max);
/* Frees the memory; the buffer is empty and may be reused. Accepts NULL. */
void bb_buf_release(bb_buf *b);
/* Empties the buffer, keeping its memory. */
void bb_buf_reset(bb_buf *b);
/* Appends n bytes; BB_ENOMEM or BB_ELIMIT on failure (the buffer is unchanged then). */
int bb_buf_add(bb_buf *b, const void *p, size_t n) BB_MUST_USE;
int bb_buf_adds(bb_buf *b, const char *s) BB_MUST_USE;
int bb_buf_addc(bb_buf *b, char c) BB_MUST_USE;
int bb_buf_addf(bb_buf *b, const char *fmt, ...) BB_MUST_USE BB_PRINTF(2, 3);
/* Ensures room for n more bytes without changing len. */
int bb_buf_reserve(bb_buf *b, size_t n) BB_MUST_USE;
/* Room in a growable array of elements of size bytes for one more after its n: when n has reached
 * *cap, the array is reallocated to twice the capacity (first when it was 0) and *cap updated. Returns
 * the array to use from now on (items itself when there was room), or NULL when memory or a size_t ran
 * out: items is then unchanged and still the caller's. */
void *bb_grow(void *items, size_t *cap, size_t n, size_t size, size_t first) BB_MUST_USE;
/* The content as a C string: "" when empty, never NULL. Valid until the next change. */
const char *bb_buf_str(const bb_buf *b);
/* Hands the content to the caller (free it with bb_free) and leaves the buffer empty.
 * Returns a new empty string when the buffer is empty; NULL only when out of memory. */
char *bb_buf_take(bb_buf *b);

/* Frees memory that libbirebir handed to the caller. Accepts NULL. */
void bb_free(void *p);
/* strdup that accepts NULL (returns NULL). */
char *bb_strdup(const char *s);
char *bb_strndup(const char *s, size_t n);

#endif
