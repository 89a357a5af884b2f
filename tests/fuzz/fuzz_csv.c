/* fuzz_csv.c: libFuzzer target for the CSV reader over memory. The first byte picks the options
 * (delimiter, read size, small limits, encoding); the rest is the file. Besides not crashing, it
 * checks that every record read cleanly holds what its lengths say (no NUL, strlen == len), that line
 * numbers never go back, and that writing the clean records with bb_csv_write_row and reading them
 * again gives the same fields. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/buf.h"
#include "birebir/csv.h"

/* Appends a record to b as: field count, then (length, bytes) per field. */
static int keep(bb_buf *b, const bb_csv_row *r)
{
    size_t n = r->n;
    int rc = bb_buf_add(b, &n, sizeof n);
    for (size_t i = 0; i < r->n && !rc; i++)
        rc = bb_buf_add(b, &r->len[i], sizeof r->len[i]) || bb_buf_add(b, r->field[i], r->len[i]);
    return rc;
}

static void check_same(const char *text, size_t size, char delim, const bb_buf *want, size_t nrec)
{
    bb_csv_options o = {.delimiter = delim, .encoding = BB_CSV_UTF8};
    bb_csv *c = NULL;
    bb_error err = {0};
    bb_csv_row r;
    size_t pos = 0, got = 0;
    int rc;
    if (bb_csv_open_mem(text, size, &o, &c, &err) != 0)
        abort();
    while ((rc = bb_csv_next(c, &r, &err)) == 1) {
        size_t n;
        memcpy(&n, want->data + pos, sizeof n);
        pos += sizeof n;
        if (n != r.n)
            abort();
        for (size_t i = 0; i < n; i++) {
            size_t len;
            memcpy(&len, want->data + pos, sizeof len);
            pos += sizeof len;
            if (len != r.len[i] || memcmp(want->data + pos, r.field[i], len) != 0)
                abort();
            pos += len;
        }
        got++;
    }
    if (rc != 0 || got != nrec)
        abort();
    bb_csv_close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {0, ',', ';', '\t'};
    static const size_t reads[] = {0, 1, 3, 64};
    bb_csv_options o = {0};
    bb_csv *c = NULL;
    bb_error err = {0};
    bb_csv_row r;
    bb_buf kept;
    char *out = NULL;
    size_t out_len = 0, nrec = 0;
    FILE *w;
    int64_t last = 0;
    int rc;
    if (size < 1)
        return 0;
    o.delimiter = delims[data[0] & 3];
    o.read_size = reads[(data[0] >> 2) & 3];
    if (data[0] & 16) {
        o.max_field = 16;
        o.max_record = 64;
        o.max_fields = 5;
    }
    o.encoding = (data[0] >> 5) & 1 ? BB_CSV_CP1254 : BB_CSV_AUTO;
    if (bb_csv_open_mem(data + 1, size - 1, &o, &c, &err) != 0)
        return 0;
    bb_buf_init(&kept, 0);
    w = open_memstream(&out, &out_len);
    if (!w)
        abort();
    while ((rc = bb_csv_next(c, &r, &err)) != 0) {
        if (rc != 1 && rc != BB_EINVAL && rc != BB_ELIMIT)
            abort();
        if (r.line < last)
            abort();
        last = r.line;
        if (rc != 1)
            continue;
        for (size_t i = 0; i < r.n; i++)
            if (strlen(r.field[i]) != r.len[i])
                abort();
        if (keep(&kept, &r) != 0 ||
            bb_csv_write_row(w, bb_csv_delimiter(c), (const char *const *)r.field, r.len, r.n) != 0)
            abort();
        nrec++;
    }
    fclose(w);
    check_same(out, out_len, bb_csv_delimiter(c), &kept, nrec);
    bb_csv_close(c);
    bb_buf_release(&kept);
    free(out);
    return 0;
}
