/* bench_csv.c: rows/s of the CSV reader over a file of 6-column order lines (1,000,000 by default,
 * or argv[1]), beside an anchor measured in the same run: getline() plus splitting on commas with
 * memchr, the least a C program must do to see the same fields (no quotes, no encodings, no limits).
 * Usage: bench_csv [ROWS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "birebir/csv.h"
#include "birebir/progress.h"

int main(int argc, char **argv)
{
    long rows = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
    char path[] = "/tmp/bb-bench-csv-XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    double t0, t_ours, t_anchor;
    long n_ours = 0, n_anchor = 0, fields_ours = 0, fields_anchor = 0;
    bb_csv *c = NULL;
    bb_csv_row row;
    bb_error err = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc;

    if (fd < 0 || rows <= 0 || !(f = fdopen(fd, "w")))
        return 3;
    fprintf(f, "order_id,customer_id,ordered_at,sku,quantity,unit_price\n");
    for (long i = 0; i < rows; i++)
        fprintf(f, "O%ld,C%ld,2024-%02ld-%02ld %02ld:%02ld:00,SKU-%04ld,%ld,%ld.%02ld\n", i / 5,
                (i / 5 * 7919) % 50000, 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 31) % 3000,
                1 + i % 4, 5 + i % 400, i % 100);
    fclose(f);

    /* anchor: getline + memchr split */
    f = fopen(path, "r");
    t0 = bb_progress_now();
    while ((len = getline(&line, &cap, f)) > 0) {
        char *p = line, *e = line + len;
        for (char *q; (q = memchr(p, ',', (size_t)(e - p))) != NULL; p = q + 1)
            fields_anchor++;
        fields_anchor++;
        n_anchor++;
    }
    t_anchor = bb_progress_now() - t0;
    fclose(f);
    free(line);

    t0 = bb_progress_now();
    if (bb_csv_open(path, NULL, &c, &err) != 0)
        return 3;
    while ((rc = bb_csv_next(c, &row, &err)) == 1) {
        n_ours++;
        fields_ours += (long)row.n;
    }
    t_ours = bb_progress_now() - t0;
    bb_csv_close(c);
    unlink(path);
    if (rc < 0 || n_ours != n_anchor || fields_ours != fields_anchor) {
        fprintf(stderr, "bench_csv: mismatch: %ld/%ld rows, %ld/%ld fields\n", n_ours, n_anchor,
                fields_ours, fields_anchor);
        return 3;
    }
    printf("csv reader (bb_csv):       %8.0f rows/s  (%ld rows, %.3f s)\n", n_ours / t_ours, n_ours, t_ours);
    printf("anchor (getline + memchr): %8.0f rows/s  (%ld rows, %.3f s)\n", n_anchor / t_anchor, n_anchor,
           t_anchor);
    printf("ratio bb_csv / anchor:     %8.2f\n", t_anchor / t_ours);
    return 0;
}
