/* group.c: grouping orders by customer in linear time (a counting sort), then sorting each customer's
 * orders by time (insertion sort for short histories, merge sort for long ones; both stable). */
#include "model/group.h"

#include <stdlib.h>
#include <string.h>

void bb__groups_release(bb__groups *g)
{
    if (!g)
        return;
    free(g->start);
    free(g->perm);
    memset(g, 0, sizeof *g);
}

static void merge_sort(size_t *a, size_t *tmp, size_t n, const int64_t *t)
{
    if (n <= 24) {
        for (size_t i = 1; i < n; i++) {
            size_t v = a[i], j = i;
            while (j > 0 && t[a[j - 1]] > t[v]) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
        return;
    }
    size_t h = n / 2, i = 0, j = h, k = 0;
    merge_sort(a, tmp, h, t);
    merge_sort(a + h, tmp, n - h, t);
    while (i < h && j < n)
        tmp[k++] = t[a[j]] < t[a[i]] ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

int bb__groups_build(bb__groups *g, const int64_t *cust, const int64_t *t, size_t n, size_t ncust, bb_error *err)
{
    size_t *tmp = NULL;
    int sorted = 1, rc = BB_ENOMEM;

    memset(g, 0, sizeof *g);
    for (size_t i = 0; i < n; i++) {
        if (cust[i] < 0 || (ncust && (uint64_t)cust[i] >= ncust))
            return bb_error_set(err, BB_EINVAL, "order %zu: customer index %lld is out of range 0..%zu", i + 1,
                                (long long)cust[i], ncust ? ncust - 1 : (size_t)0);
        if (i > 0 && (cust[i] < cust[i - 1] || (cust[i] == cust[i - 1] && t[i] < t[i - 1])))
            sorted = 0;
    }
    if (!ncust)
        for (size_t i = 0; i < n; i++)
            if ((size_t)cust[i] + 1 > ncust)
                ncust = (size_t)cust[i] + 1;
    g->ncust = ncust;
    g->start = calloc(ncust + 1, sizeof *g->start);
    if (!g->start)
        goto done;
    for (size_t i = 0; i < n; i++)
        g->start[cust[i] + 1]++;
    for (size_t c = 0; c < ncust; c++)
        g->start[c + 1] += g->start[c];
    if (!sorted) {
        size_t *pos = malloc((ncust + 1) * sizeof *pos), longest = 0;
        g->perm = malloc((n ? n : 1) * sizeof *g->perm);
        if (!pos || !g->perm) {
            free(pos);
            goto done;
        }
        memcpy(pos, g->start, (ncust + 1) * sizeof *pos);
        for (size_t i = 0; i < n; i++)
            g->perm[pos[cust[i]]++] = i;
        free(pos);
        for (size_t c = 0; c < ncust; c++)
            if (g->start[c + 1] - g->start[c] > longest)
                longest = g->start[c + 1] - g->start[c];
        tmp = malloc((longest ? longest : 1) * sizeof *tmp);
        if (!tmp)
            goto done;
        for (size_t c = 0; c < ncust; c++)
            merge_sort(g->perm + g->start[c], tmp, g->start[c + 1] - g->start[c], t);
    }
    rc = 0;
done:
    free(tmp);
    if (rc) {
        bb__groups_release(g);
        bb_error_set(err, rc, "out of memory grouping %zu orders", n);
    }
    return rc;
}
