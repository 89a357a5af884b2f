/* buf.c: bb_buf, a growable byte buffer with a hard maximum. */
#include "birebir/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bb_buf_init(bb_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : BB_BUF_UNLIMITED;
}

void bb_buf_release(bb_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void bb_buf_reset(bb_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

int bb_buf_reserve(bb_buf *b, size_t n)
{
    size_t need, cap;
    char *p;
    if (n > b->max || b->len > b->max - n)
        return BB_ELIMIT;
    need = b->len + n + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > BB_BUF_UNLIMITED / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        return BB_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int bb_buf_add(bb_buf *b, const void *p, size_t n)
{
    int rc = bb_buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int bb_buf_adds(bb_buf *b, const char *s)
{
    return bb_buf_add(b, s, strlen(s));
}

int bb_buf_addc(bb_buf *b, char c)
{
    if (b->len + 1 < b->cap && b->len < b->max) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return bb_buf_add(b, &c, 1);
}

int bb_buf_addf(bb_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n, rc;
    char small[256];
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return BB_EINVAL;
    if ((size_t)n < sizeof small)
        return bb_buf_add(b, small, (size_t)n);
    rc = bb_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

const char *bb_buf_str(const bb_buf *b)
{
    return b->data ? b->data : "";
}

char *bb_buf_take(bb_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

void bb_free(void *p)
{
    free(p);
}

char *bb_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

char *bb_strndup(const char *s, size_t n)
{
    return s ? strndup(s, n) : NULL;
}

void *bb_grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
    size_t want;
    void *p;
    if (n < *cap)
        return items;
    want = *cap ? 2 * *cap : (first ? first : 1);
    if (want < *cap || size == 0 || want > ((size_t)-1) / size || !(p = realloc(items, want * size)))
        return NULL;
    *cap = want;
    return p;
}
