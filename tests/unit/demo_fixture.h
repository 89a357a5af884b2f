/* demo_fixture.h: the fixture the demo's unit tests share: a run context (names, catalogue, campaigns)
 * for a seed, and one reusable person. Header-only, for tests/unit/test_demo_*.c. */
#ifndef BB_TEST_DEMO_FIXTURE_H
#define BB_TEST_DEMO_FIXTURE_H

#include <stdlib.h>

#include "demo/demo_internal.h"

typedef struct fixture {
    bb__demo_ctx ctx;
    bb__person p;
} fixture;

static inline int fixture_setup(void **state, uint64_t seed, uint64_t customers)
{
    fixture *f = calloc(1, sizeof *f);
    bb_demo_options o;
    if (!f)
        return -1;
    bb_demo_options_init(&o);
    o.seed = seed;
    o.customers = customers;
    if (bb__demo_ctx_init(&f->ctx, &o, NULL) != 0) {
        free(f);
        return -1;
    }
    bb__person_init(&f->p);
    *state = f;
    return 0;
}

static inline int fixture_teardown(void **state)
{
    fixture *f = *state;
    bb__person_release(&f->p);
    bb__demo_ctx_release(&f->ctx);
    free(f);
    return 0;
}

#endif
