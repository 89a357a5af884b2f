/* rows.c: collapsing per-customer inputs into distinct weighted rows grouped by x, in linear time.
 *
 * The fast path numbers the distinct a and b values with a small hash table (it stays in the first-level
 * cache while there are at most VALS_MAX of them, as with day-resolution times), sorts the pairs of value
 * indexes by x (counting sort) and counts each x group's pairs in a dense table. When there are more
 * distinct values (continuous times) the general
 * path sorts the customers by x (counting sort) and keeps a hash set of the exact (a, b) values within
 * each x group; every row then has its own two entries in vals.
 *
 * Either way the order is deterministic: groups by ascending x; within a group the general path keeps the
 * order of the rows' first customers, the fast path that of their first customer among the group's
 * customers taken in four runs (customer index mod 4, see below). */
#include "model/rows.h"

#include <stdlib.h>
#include <string.h>

#include "birebir/error.h"

#define VALS_MAX 1024 /* distinct values for the fast path (its dense table has VALS_MAX^2 cells at most) */
#define VALS_CAP 2048 /* the values' hash table: a power of two, at most half full */

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
    free(r->ia);
    free(r->ib);
    free(r->vals);
    free(r->tab);
    free(r->gx);
    free(r->gstart);
    free(r->gw);
    memset(r, 0, sizeof *r);
}

/* Allocates the row arrays for up to m rows, ng groups and nv values. */
static int rows_alloc(bb__rows *out, size_t m, size_t ng, size_t nv)
{
    m = m ? m : 1;
    nv = nv ? nv : 1;
    out->x = malloc(m * sizeof *out->x);
    out->a = malloc(m * sizeof *out->a);
    out->b = malloc(m * sizeof *out->b);
    out->w = malloc(m * sizeof *out->w);
    out->ia = malloc(m * sizeof *out->ia);
    out->ib = malloc(m * sizeof *out->ib);
    out->vals = malloc(nv * sizeof *out->vals);
    out->tab = malloc(4 * nv * sizeof *out->tab);
    out->gx = malloc((ng + 1) * sizeof *out->gx);
    out->gstart = calloc(ng + 1, sizeof *out->gstart);
    out->gw = calloc(ng + 1, sizeof *out->gw);
    return out->x && out->a && out->b && out->w && out->ia && out->ib && out->vals && out->tab && out->gx &&
                   out->gstart && out->gw
               ? 0
               : -1;
}

/* ---- fast path: numbered values, dense counts ---- */

typedef struct vslot {
    uint64_t key; /* the value's bits */
    uint64_t id;  /* index + 1; 0: empty */
} vslot;

typedef struct vdict {
    vslot slot[VALS_CAP]; /* key and index side by side: one cache line per probe */
    double val[VALS_MAX];
    size_t n;
} vdict;

/* The index of v, adding it; -1 when the dictionary is full. One multiply hashes (Fibonacci hashing:
 * the top bits of the product depend on all bits of the value). */
static long vdict_id(vdict *d, double v)
{
    uint64_t b = bits(v);
    size_t k = (size_t)((b * 0x9e3779b97f4a7c15ULL) >> 53); /* 11 bits: VALS_CAP */
    while (d->slot[k].id) {
        if (d->slot[k].key == b)
            return (long)d->slot[k].id - 1;
        k = (k + 1) & (VALS_CAP - 1);
    }
    if (d->n == VALS_MAX)
        return -1;
    d->slot[k].key = b;
    d->val[d->n] = v == 0.0 ? 0.0 : v;
    d->slot[k].id = ++d->n;
    return (long)d->n - 1;
}

/* 0 done, 1 too many distinct values (use the general path), -1 out of memory. Each customer's (a, b)
 * becomes the pair of value indexes ia * VALS_MAX + ib; the pairs are put in x order (a counting sort),
 * and each x group counts its pairs in a dense table of nvals^2 cells that it leaves zeroed. */
static int build_numbered(bb__rows *out, const int32_t *x, const double *a, const double *b,
                          const unsigned char *keep, size_t n, size_t stride, size_t offset)
{
    vdict *d = calloc(1, sizeof *d);
    uint32_t *pair = NULL, *sorted = NULL, *cell = NULL, *first = NULL;
    size_t *cnt = NULL, m = 0, ng = 0, nrows = 0;
    int32_t xmax = 0;
    int rc = -1;

    if (!d)
        return -1;
    vdict_id(d, 0.0);
    /* counts per x in four copies by customer index mod 4 (cnt[4 x + k mod 4]): many customers share an x
     * (0 above all), and one counter would make each increment wait for the last; the four copies also
     * split each x group into four runs, so the scatter below has four independent positions per x */
    size_t most = n > offset ? (n - offset + stride - 1) / stride : 0, nx = 64;
    pair = malloc((most ? most : 1) * sizeof *pair);
    sorted = malloc((most ? most : 1) * sizeof *sorted);
    cnt = calloc(4 * nx, sizeof *cnt);
    if (!pair || !sorted || !cnt)
        goto done;
    for (size_t i = offset; i < n; i += stride) {
        if (keep && !keep[i])
            continue;
        /* a = 0 (t_x of a customer without repeats) has index 0: the lookup is skipped for most rows */
        long ka = a[i] == 0.0 ? 0 : vdict_id(d, a[i]), kb = vdict_id(d, b ? b[i] : 0.0);
        if (ka < 0 || kb < 0) {
            rc = 1;
            goto done;
        }
        size_t xv = (size_t)x[i]; /* x >= 0 is checked by the callers */
        if (xv >= nx) {
            size_t grown = xv + 1 > 2 * nx ? xv + 1 : 2 * nx;
            size_t *c2 = realloc(cnt, 4 * grown * sizeof *cnt);
            if (!c2)
                goto done;
            memset(c2 + 4 * nx, 0, 4 * (grown - nx) * sizeof *c2);
            cnt = c2;
            nx = grown;
        }
        xmax = x[i] > xmax ? x[i] : xmax;
        pair[m] = (uint32_t)(ka * VALS_MAX + kb);
        cnt[4 * xv + (m & 3)]++;
        m++;
    }
    nx = (size_t)xmax + 1;
    /* cnt[4 v + l] becomes the start of run l of group v; the groups in ascending x */
    size_t at = 0;
    for (size_t v = 0; v < nx; v++) {
        size_t c = cnt[4 * v] + cnt[4 * v + 1] + cnt[4 * v + 2] + cnt[4 * v + 3];
        ng += c > 0;
        for (int l = 0; l < 4; l++) {
            size_t t = cnt[4 * v + l];
            cnt[4 * v + l] = at;
            at += t;
        }
    }
    size_t k = 0, nv = d->n; /* pairs renumbered ia * nv + ib: the dense table is as small as it can be */
    for (size_t i = offset; i < n; i += stride)
        if (!keep || keep[i]) {
            uint32_t p = pair[k];
            sorted[cnt[4 * (size_t)x[i] + (k & 3)]++] = (uint32_t)((p / VALS_MAX) * nv + p % VALS_MAX);
            k++;
        }
    /* cnt[4 v + 3] is now the end of group v; per group, dense counts and the pairs in order of first
     * sight */
    cell = calloc(nv * nv, sizeof *cell);
    first = pair; /* reused: at most m distinct pairs */
    if (!cell || rows_alloc(out, m, ng, d->n) != 0)
        goto done;
    size_t g = 0, lo = 0;
    for (size_t v = 0; v < nx; v++) {
        size_t hi = cnt[4 * v + 3];
        if (lo == hi)
            continue;
        size_t r0 = nrows;
        for (size_t j = lo; j < hi; j++) {
            uint32_t p = sorted[j];
            first[nrows] = p; /* kept only when the pair is new: no branch to mispredict */
            nrows += cell[p]++ == 0;
        }
        out->gx[g] = (int32_t)v;
        out->gstart[g] = r0;
        out->gw[g] = (double)(hi - lo);
        for (size_t r = r0; r < nrows; r++) {
            uint32_t p = first[r];
            out->x[r] = (int32_t)v;
            out->ia[r] = (uint32_t)(p / nv);
            out->ib[r] = (uint32_t)(p % nv);
            out->a[r] = d->val[out->ia[r]];
            out->b[r] = d->val[out->ib[r]];
            out->w[r] = (double)cell[p];
            cell[p] = 0;
        }
        g++;
        lo = hi;
    }
    memcpy(out->vals, d->val, d->n * sizeof *out->vals);
    out->nvals = d->n;
    out->n = nrows;
    out->gstart[ng] = nrows;
    out->ngroups = ng;
    out->total = (double)m;
    rc = 0;
done:
    free(d);
    free(pair);
    free(sorted);
    free(cell);
    free(cnt);
    if (rc)
        bb__rows_release(out);
    return rc;
}

/* ---- general path: per-x hash sets of exact (a, b) values ---- */

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

static int build_general(bb__rows *out, const int32_t *x, const double *a, const double *b,
                         const unsigned char *keep, size_t n, size_t stride, size_t offset)
{
    size_t m = 0, *cnt = NULL, *idx = NULL, ng = 0;
    int32_t xmax = 0;
    table t = {NULL, 0, 0};
    int rc = -1;

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
    t.cap = 256;
    t.e = calloc(t.cap, sizeof *t.e);
    if (!idx || !t.e || rows_alloc(out, m, ng, 2 * m) != 0)
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
    for (size_t r = 0; r < out->n; r++) {
        out->vals[2 * r] = out->a[r];
        out->vals[2 * r + 1] = out->b[r];
        out->ia[r] = (uint32_t)(2 * r);
        out->ib[r] = (uint32_t)(2 * r + 1);
    }
    out->nvals = 2 * out->n;
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

int bb__rows_build(bb__rows *out, const int32_t *x, const double *a, const double *b, const unsigned char *keep,
                   size_t n, size_t stride, size_t offset)
{
    memset(out, 0, sizeof *out);
    if (stride == 0)
        stride = 1;
    int rc = build_numbered(out, x, a, b, keep, n, stride, offset);
    if (rc == 1)
        rc = build_general(out, x, a, b, keep, n, stride, offset);
    return rc ? BB_ENOMEM : 0;
}
