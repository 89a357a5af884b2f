/* group.h: grouping order arrays by customer, each customer's orders in time order (inside src/model/). */
#ifndef BB_MODEL_GROUP_H
#define BB_MODEL_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/error.h"

typedef struct bb__groups {
    size_t ncust;
    size_t *start; /* customer c's orders are perm[start[c] .. start[c+1]) */
    size_t *perm;  /* order indexes; NULL when the input was already sorted by (customer, time) */
} bb__groups;

/* Groups n orders by cust (0 .. ncust-1; ncust 0: the largest index + 1), each group sorted by t (stable).
 * BB_EINVAL for an index out of range (the message names the row), BB_ENOMEM. */
int bb__groups_build(bb__groups *g, const int64_t *cust, const int64_t *t, size_t n, size_t ncust, bb_error *err);
void bb__groups_release(bb__groups *g);
/* The index of the k-th order of the grouping. */
static inline size_t bb__groups_at(const bb__groups *g, size_t k)
{
    return g->perm ? g->perm[k] : k;
}

#endif
