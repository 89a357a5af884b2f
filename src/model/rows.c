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
    int32_t x;
    uint32_t row; /* index into the distinct rows + 1; 0: empty */
} entry;

int bb__rows_build(bb__rows *out, const int32_t *x, const double *a, const double *b, const unsigned char *keep,
                   size_t n, size_t stride, size_t offset)
{
    size_t cap = 16, nu = 0, *first = NULL, *pos = NULL, *gof = NULL;
    entry *tab = NULL;
    double *wu = NULL;
    int32_t *xs = NULL, xmax = 0;
    int rc = BB_ENOMEM;

    memset(out, 0, sizeof *out);
    if (stride == 0)
        stride = 1;
    while (cap < 2 * (n / stride + 1))
        cap <<= 1;
    tab = calloc(cap, sizeof *tab);
    first = malloc((n / stride + 1) * sizeof *first);
    wu = malloc((n / stride + 1) * sizeof *wu);
    if (!tab || !first || !wu)
        goto done;
    /* distinct rows, each remembered by its first customer; the keys live in the table (no indirection) */
    for (size_t i = offset; i < n; i += stride) {
        if (keep && !keep[i])
            continue;
        double ai = a[i], bi = b ? b[i] : 0.0;
        uint64_t ba = bits(ai), bb = bits(bi);
        uint64_t h = mix(ba ^ mix(bb + 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)(uint32_t)x[i] << 17));
        size_t k = (size_t)h & (cap - 1);
        for (;;) {
            entry *e = &tab[k];
            if (!e->row) {
                e->a = ai;
                e->b = bi;
                e->x = x[i];
                e->row = (uint32_t)(nu + 1);
                first[nu] = i;
                wu[nu++] = 1.0;
                if (x[i] > xmax)
                    xmax = x[i];
                break;
            }
            if (e->x == x[i] && bits(e->a) == ba && bits(e->b) == bb) {
                wu[e->row - 1] += 1.0;
                break;
            }
            k = (k + 1) & (cap - 1);
        }
    }
    free(tab);
    tab = NULL;
    /* groups by x: a counting pass over x values (x >= 0 is checked by the callers) */
    gof = calloc((size_t)xmax + 2, sizeof *gof);
    if (!gof)
        goto done;
    for (size_t j = 0; j < nu; j++)
        gof[x[first[j]]] = 1;
    size_t ng = 0;
    xs = malloc(((size_t)xmax + 1) * sizeof *xs);
    if (!xs)
        goto done;
    for (int32_t v = 0; v <= xmax; v++)
        if (gof[v]) {
            gof[v] = ng;
            xs[ng++] = v;
        }
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
    for (size_t j = 0; j < nu; j++) {
        size_t g = gof[x[first[j]]];
        pos[g]++;
        out->gw[g] += wu[j];
        out->total += wu[j];
    }
    for (size_t g = 0; g < ng; g++)
        out->gstart[g + 1] = out->gstart[g] + pos[g];
    memcpy(pos, out->gstart, ng * sizeof *pos);
    for (size_t j = 0; j < nu; j++) {
        size_t f = first[j], d = pos[gof[x[f]]]++;
        out->x[d] = x[f];
        out->a[d] = a[f];
        out->b[d] = b ? b[f] : 0.0;
        out->w[d] = wu[j];
    }
    rc = 0;
done:
    free(tab);
    free(first);
    free(wu);
    free(xs);
    free(pos);
    free(gof);
    if (rc)
        bb__rows_release(out);
    return rc;
}
