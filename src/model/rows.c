/* rows.c: collapsing per-customer inputs into distinct weighted rows grouped by x, in linear time: a
 * counting sort by x, then within each x group a small growable hash set of the exact (a, b) values (it
 * stays in cache when a group has few distinct values, as x = 0 customers at day resolution do). The
 * order is deterministic: groups by ascending x, rows within a group in the order of their first
 * customer. */
#include "model/rows.h"

#include <stdlib.h>
#include <string.h>

#include "birebir/error.h"

static uint64_t bits(double v)
{
    uint64_t u;
    if (v == 0.0)
        v = 0.0; /* -0 and +0 are the same value */
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

void bb__rows_release(bb__rows *r)
{
    if (!r)
        return;
    free(r->x);
    free(r->a);
    free(r->b);
    free(r->w);
    free(r->gx);
    free(r->gstart);
    free(r->gw);
    memset(r, 0, sizeof *r);
}

typedef struct entry {
    double a, b;
    size_t row; /* index into the distinct rows + 1; 0: empty */
} entry;

/* A growable hash set of (a, b) keys within one x group. */
typedef struct table {
    entry *e;
    size_t cap, used;
} table;

static size_t slot_of(const table *t, uint64_t ba, uint64_t bb)
{
    size_t k = (size_t)mix(ba ^ mix(bb + 0x9e3779b97f4a7c15ULL)) & (t->cap - 1);
    while (t->e[k].row && (bits(t->e[k].a) != ba || bits(t->e[k].b) != bb))
        k = (k + 1) & (t->cap - 1);
    return k;
}

static int table_grow(table *t)
{
    table n = {calloc(t->cap * 2, sizeof *n.e), t->cap * 2, t->used};
    if (!n.e)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->e[i].row)
            n.e[slot_of(&n, bits(t->e[i].a), bits(t->e[i].b))] = t->e[i];
    free(t->e);
    *t = n;
    return 0;
}

int bb__rows_build(bb__rows *out, const int32_t *x, const double *a, const double *b, const unsigned char *keep,
                   size_t n, size_t stride, size_t offset)
{
    size_t m = 0, *cnt = NULL, *idx = NULL, ng = 0;
    int32_t xmax = 0;
    table t = {NULL, 0, 0};
    int rc = BB_ENOMEM;

    memset(out, 0, sizeof *out);
    if (stride == 0)
        stride = 1;
    for (size_t i = offset; i < n; i += stride)
        if ((!keep || keep[i]) && x[i] > xmax)
            xmax = x[i]; /* x >= 0 is checked by the callers */
    cnt = calloc((size_t)xmax + 2, sizeof *cnt);
    if (!cnt)
        goto done;
    for (size_t i = offset; i < n; i += stride)
        if (!keep || keep[i]) {
            cnt[x[i] + 1]++;
            m++;
        }
    for (int32_t v = 0; v <= xmax; v++) {
        ng += cnt[v + 1] > 0;
        cnt[v + 1] += cnt[v];
    }
    /* customers ordered by x (stable), then one small hash set per x group */
    idx = malloc((m ? m : 1) * sizeof *idx);
    out->x = malloc((m ? m : 1) * sizeof *out->x);
    out->a = malloc((m ? m : 1) * sizeof *out->a);
    out->b = malloc((m ? m : 1) * sizeof *out->b);
    out->w = malloc((m ? m : 1) * sizeof *out->w);
    out->gx = malloc((ng + 1) * sizeof *out->gx);
    out->gstart = calloc(ng + 1, sizeof *out->gstart);
    out->gw = calloc(ng + 1, sizeof *out->gw);
    t.cap = 256;
    t.e = calloc(t.cap, sizeof *t.e);
    if (!idx || !out->x || !out->a || !out->b || !out->w || !out->gx || !out->gstart || !out->gw || !t.e)
        goto done;
    for (size_t i = offset; i < n; i += stride)
        if (!keep || keep[i])
            idx[cnt[x[i]]++] = i;
    size_t k = 0, g = 0;
    for (int32_t v = 0; v <= xmax; v++) {
        size_t lo = v ? cnt[v - 1] : 0, hi = cnt[v];
        if (lo == hi)
            continue;
        out->gx[g] = v;
        out->gstart[g] = out->n;
        out->gw[g] = (double)(hi - lo);
        memset(t.e, 0, t.cap * sizeof *t.e);
        t.used = 0;
        for (; k < hi; k++) {
            size_t i = idx[k];
            double bi = b ? b[i] : 0.0;
            uint64_t ba = bits(a[i]), bb = bits(bi);
            size_t s = slot_of(&t, ba, bb);
            if (t.e[s].row) {
                out->w[t.e[s].row - 1] += 1.0;
                continue;
            }
            t.e[s] = (entry){a[i], bi, out->n + 1};
            out->x[out->n] = v;
            out->a[out->n] = a[i];
            out->b[out->n] = bi;
            out->w[out->n++] = 1.0;
            if (++t.used * 2 > t.cap && table_grow(&t) != 0)
                goto done;
        }
        g++;
    }
    out->gstart[ng] = out->n;
    out->ngroups = ng;
    out->total = (double)m;
    rc = 0;
done:
    free(t.e);
    free(cnt);
    free(idx);
    if (rc)
        bb__rows_release(out);
    return rc;
}
