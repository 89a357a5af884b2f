/* fixture_load.c: loads LINES order lines (deterministic: order k has 1 + k % 4 lines of
 * quantity j and unit price 100 + k % 50) into DB through bb_store_put_order_line, committing every
 * BATCH lines. Idempotent, so it can be killed and run again. Prints the lines inserted.
 * Usage: fixture_load DB LINES [BATCH] */
#include <stdio.h>
#include <stdlib.h>

#include "birebir/store.h"

int main(int argc, char **argv)
{
    bb_store *s = NULL;
    bb_error e = {0};
    bb_put_result r;
    long lines, batch, done = 0, inserted = 0;
    char oid[24], cid[24], sku[24];
    if (argc < 3)
        return 2;
    lines = strtol(argv[2], NULL, 10);
    batch = argc > 3 ? strtol(argv[3], NULL, 10) : 5000;
    if (bb_store_open(argv[1], BB_STORE_CREATE, &s, &e) != 0 || bb_store_begin(s, &e) != 0)
        goto fail;
    for (long k = 0; done < lines; k++) {
        snprintf(oid, sizeof oid, "O%ld", k);
        snprintf(cid, sizeof cid, "C%ld", k % 997);
        for (int j = 1; j <= 1 + k % 4 && done < lines; j++, done++) {
            snprintf(sku, sizeof sku, "P%ld", (k + j) % 101);
            bb_order_line_rec l = {.order_id = oid, .customer_ref = cid, .ordered_at = 1700000000 + k,
                                   .sku = sku, .quantity = j, .unit_price_minor = 100 + k % 50,
                                   .line_no = j};
            if (bb_store_put_order_line(s, &l, &r, NULL, &e) != 0)
                goto fail;
            inserted += r == BB_PUT_INSERTED;
            if ((done + 1) % batch == 0 && (bb_store_commit(s, &e) != 0 || bb_store_begin(s, &e) != 0))
                goto fail;
        }
    }
    if (bb_store_commit(s, &e) != 0)
        goto fail;
    bb_store_close(s);
    printf("%ld\n", inserted);
    return 0;
fail:
    fprintf(stderr, "fixture_load: %s\n", e.msg);
    bb_store_close(s);
    return 1;
}
