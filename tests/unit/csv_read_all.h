/* csv_read_all.h: a test helper: reads a CSV from memory into one string, "LINE:f1|f2" per record and
 * "!where:message" per broken record, so tests compare whole outcomes at once. */
#ifndef BB_TEST_CSV_READ_ALL_H
#define BB_TEST_CSV_READ_ALL_H

#include <stdio.h>
#include <string.h>

#include "birebir/csv.h"

/* Reads all of data; returns the records as "a|b|c" joined by "\n", with "!line:msg" for errors. */
static inline char *read_all(const char *data, size_t n, const bb_csv_options *o, char *delim_out)
{
    static char out[8192];
    bb_csv *c = NULL;
    bb_error err = {0};
    bb_csv_row row;
    int rc;
    size_t used = 0;
    assert_int_equal(bb_csv_open_mem(data, n, o, &c, &err), 0);
    if (delim_out)
        *delim_out = bb_csv_delimiter(c);
    out[0] = '\0';
    while ((rc = bb_csv_next(c, &row, &err)) != 0) {
        if (rc < 0) {
            assert_true(rc == BB_EINVAL || rc == BB_ELIMIT);
            used += (size_t)snprintf(out + used, sizeof out - used, "!%s:%s\n", err.where, err.msg);
            continue;
        }
        used += (size_t)snprintf(out + used, sizeof out - used, "%lld:", (long long)row.line);
        for (size_t i = 0; i < row.n; i++) {
            assert_int_equal(strlen(row.field[i]), row.len[i]);
            used += (size_t)snprintf(out + used, sizeof out - used, "%s%s", i ? "|" : "", row.field[i]);
        }
        used += (size_t)snprintf(out + used, sizeof out - used, "\n");
    }
    bb_csv_close(c);
    return out;
}

static inline char *rd(const char *s)
{
    return read_all(s, strlen(s), NULL, NULL);
}

#endif
