/* rows.c: collapsing per-customer inputs into distinct weighted rows grouped by x, in linear time (a hash
 * of the exact values, then a counting sort by x). The order is deterministic: groups by ascending x,
 * rows within a group in the order of their first customer. */
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

static int cmp_i32(const void *p, const void *q)
{
    int32_t a = *(const int32_t *)p, b = *(const int32_t *)q;
    return (a > b) - (a < b);
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

int bb__rows_build(bb__rows *out, const int32_t *x, const double *a, const double *b, const unsigned char *keep,
                   size_t n, size_t stride, size_t offset)
{
    size_t cap = 16, nu = 0, *slot = NULL, *first = NULL, *pos = NULL;
    double *wu = NULL;
    int32_t *xs = NULL;
    int rc = BB_ENOMEM;

    memset(out, 0, sizeof *out);
    if (stride == 0)
        stride = 1;
    while (cap < 2 * (n / stride + 1))
        cap <<= 1;
    slot = malloc(cap * sizeof *slot);
    first = malloc((n / stride + 1) * sizeof *first);
    wu = malloc((n / stride + 1) * sizeof *wu);
    if (!slot || !first || !wu)
        goto done;
    memset(slot, 0xff, cap * sizeof *slot);
    /* distinct rows, each remembered by its first customer */
    for (size_t i = offset; i < n; i += stride) {
        if (keep && !keep[i])
            continue;
        double bi = b ? b[i] : 0.0;
        uint64_t h = mix(bits(a[i]) ^ mix(bits(bi) + 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)(uint32_t)x[i] << 17));
        size_t k = (size_t)h & (cap - 1);
        for (;;) {
            size_t j = slot[k];
            if (j == (size_t)-1) {
                slot[k] = nu;
                first[nu] = i;
                wu[nu++] = 1.0;
                break;
            }
            size_t f = first[j];
            if (x[f] == x[i] && bits(a[f]) == bits(a[i]) && bits(b ? b[f] : 0.0) == bits(bi)) {
                wu[j] += 1.0;
                break;
            }
            k = (k + 1) & (cap - 1);
        }
    }
    /* groups by x */
    xs = malloc((nu + 1) * sizeof *xs);
    if (!xs)
        goto done;
    for (size_t j = 0; j < nu; j++)
        xs[j] = x[first[j]];
    qsort(xs, nu, sizeof *xs, cmp_i32);
    size_t ng = 0;
    for (size_t j = 0; j < nu; j++)
        if (ng == 0 || xs[ng - 1] != xs[j])
            xs[ng++] = xs[j];
    out->n = nu;
    out->ngroups = ng;
    out->x = malloc((nu + 1) * sizeof *out->x);
    out->a = malloc((nu + 1) * sizeof *out->a);
    out->b = malloc((nu + 1) * sizeof *out->b);
    out->w = malloc((nu + 1) * sizeof *out->w);
    out->gx = malloc((ng + 1) * sizeof *out->gx);
    out->gstart = calloc(ng + 1, sizeof *out->gstart);
    out->gw = calloc(ng + 1, sizeof *out->gw);
    pos = calloc(ng + 1, sizeof *pos);
    if (!out->x || !out->a || !out->b || !out->w || !out->gx || !out->gstart || !out->gw || !pos)
        goto done;
    memcpy(out->gx, xs, ng * sizeof *xs);
    /* counting sort by group (slot is reused for each distinct row's group) */
    for (size_t j = 0; j < nu; j++) {
        int32_t xv = x[first[j]];
        size_t lo = 0, hi = ng;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (xs[mid] <= xv)
                lo = mid;
            else
                hi = mid;
        }
        slot[j] = lo;
        pos[lo]++;
        out->gw[lo] += wu[j];
        out->total += wu[j];
    }
    for (size_t g = 0; g < ng; g++)
        out->gstart[g + 1] = out->gstart[g] + pos[g];
    memcpy(pos, out->gstart, ng * sizeof *pos);
    for (size_t j = 0; j < nu; j++) {
        size_t f = first[j], d = pos[slot[j]]++;
        out->x[d] = x[f];
        out->a[d] = a[f];
        out->b[d] = b ? b[f] : 0.0;
        out->w[d] = wu[j];
    }
    rc = 0;
done:
    free(slot);
    free(first);
    free(wu);
    free(xs);
    free(pos);
    if (rc)
        bb__rows_release(out);
    return rc;
}
