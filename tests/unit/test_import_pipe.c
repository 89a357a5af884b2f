/* test_import_pipe.c: the import's reading thread. Rows come out in file order across many chunks
 * with copies of their fields and records that outlive the reader's buffers; bad rows carry their
 * reason; a numbering failure ends the rows after those before it; stopping early (as --strict does)
 * leaves nothing running. The expected values are built here from the same loop that wrote the
 * file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/buf.h"
#include "birebir/import.h"
#include "ingest/import_pipe.h"

typedef struct src {
    bb_buf text;
    bb_csv *csv;
    bb_import_mapper *m;
} src;

/* n order lines; every 1000th has a bad quantity; order O<i/3>, customer C<i/7>. */
static void open_lines(src *s, int n, const char *extra_col)
{
    bb_error err = {0};
    bb_import_options o = {.kind = BB_IMPORT_ORDER_LINES};
    bb_csv_row row;
    bb_buf_init(&s->text, 0);
    assert_int_equal(bb_buf_adds(&s->text, "order_id,customer_id,ordered_at,sku,quantity,unit_price"), 0);
    if (extra_col)
        assert_int_equal(bb_buf_adds(&s->text, ",note"), 0);
    assert_int_equal(bb_buf_addc(&s->text, '\n'), 0);
    for (int i = 0; i < n; i++) {
        char line[200];
        snprintf(line, sizeof line, "O%d,C%d,2025-01-%02d,SKU%d,%s,%d.50", i / 3, i / 7, 1 + i % 28, i % 50,
                 i % 1000 == 999 ? "x" : "2", i);
        assert_int_equal(bb_buf_adds(&s->text, line), 0);
        if (extra_col) {
            assert_int_equal(bb_buf_addc(&s->text, ','), 0);
            assert_int_equal(bb_buf_adds(&s->text, extra_col), 0);
        }
        assert_int_equal(bb_buf_addc(&s->text, '\n'), 0);
    }
    assert_int_equal(bb_csv_open_mem(s->text.data, s->text.len, NULL, &s->csv, &err), 0);
    assert_true(bb_csv_next(s->csv, &row, &err) > 0);
    assert_int_equal(bb_import_mapper_new(&o, (const char *const *)row.field, row.n, &s->m, &err), 0);
}

static void close_src(src *s)
{
    bb_import_mapper_free(s->m);
    bb_csv_close(s->csv);
    bb_buf_release(&s->text);
}

static int count_lines(void *ctx, bb_import_rec *rec, bb_error *err)
{
    int *n = ctx;
    if (rec->kind == BB_IMPORT_ORDER_LINES && !rec->has_line_no)
        rec->u.line.line_no = ++*n;
    if (*n == -1)
        return bb_error_set(err, BB_ELIMIT, "too many");
    return 0;
}

static void rows_in_order(void **state)
{
    (void)state;
    enum { N = 20000 }; /* ~10 chunks */
    src s;
    bb__pipe *p = NULL;
    bb_error err = {0};
    const bb__pipe_item *it;
    int64_t bytes = 0, last_bytes = 0;
    int numbered = 0, got = 0, bad = 0, peeked = 0;
    const bb__pipe_item *peek = NULL;
    open_lines(&s, N, NULL);
    assert_int_equal(bb__pipe_start(s.csv, s.m, count_lines, &numbered, &p, &err), 0);
    assert_null(bb__pipe_peek(p)); /* nothing taken yet */
    for (int i = 0; i < N; i++) {
        char want[32];
        assert_int_equal(bb__pipe_next(p, &it, &bytes, &err), 1);
        if (peek) /* what the peek showed is what came next */
            assert_ptr_equal(peek, it);
        if ((peek = bb__pipe_peek(p)) != NULL) {
            assert_int_equal(peek->row.line, i + 3);
            peeked++;
        }
        assert_int_equal(it->row.line, i + 2);
        assert_int_equal(it->row.n, 6);
        snprintf(want, sizeof want, "O%d", i / 3);
        assert_string_equal(it->row.field[0], want);
        assert_int_equal(it->row.len[0], strlen(want));
        assert_true(bytes >= last_bytes);
        last_bytes = bytes;
        if (i % 1000 == 999) {
            assert_int_not_equal(it->rc, 0);
            assert_non_null(it->why);
            assert_non_null(strstr(it->why->msg, "quantity"));
            bad++;
            continue;
        }
        assert_int_equal(it->rc, 0);
        assert_int_equal(it->rec.kind, BB_IMPORT_ORDER_LINES);
        assert_string_equal(it->rec.u.line.order_id, want);
        snprintf(want, sizeof want, "C%d", i / 7);
        assert_string_equal(it->rec.u.line.customer_ref, want);
        snprintf(want, sizeof want, "SKU%d", i % 50);
        assert_string_equal(it->rec.u.line.sku, want);
        assert_true(it->rec.u.line.quantity == 2.0);
        assert_int_equal(it->rec.u.line.unit_price_minor, (int64_t)i * 100 + 50);
        assert_int_equal(it->rec.u.line.line_no, ++got);
    }
    assert_int_equal(bad, N / 1000);
    assert_true(peeked > N - N / 100); /* all but the last row of each chunk */
    assert_true(peeked < N);
    assert_null(bb__pipe_peek(p));
    assert_int_equal(bb__pipe_next(p, &it, &bytes, &err), 0);
    assert_int_equal(bb__pipe_next(p, &it, &bytes, &err), 0); /* and stays at the end */
    assert_int_equal(bytes, (int64_t)s.text.len);
    bb__pipe_stop(p);
    close_src(&s);
}

/* Rows wider than a chunk's block of memory, and a stop half-way with the reader ahead. */
static void big_rows_and_early_stop(void **state)
{
    (void)state;
    src s;
    bb__pipe *p = NULL;
    bb_error err = {0};
    const bb__pipe_item *it;
    int64_t bytes;
    char *big = malloc(300 * 1024 + 1);
    assert_non_null(big);
    memset(big, 'z', 300 * 1024);
    big[300 * 1024] = '\0';
    open_lines(&s, 40, big);
    assert_int_equal(bb__pipe_start(s.csv, s.m, NULL, NULL, &p, &err), 0);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(bb__pipe_next(p, &it, &bytes, &err), 1);
        assert_int_equal(it->row.len[6], 300 * 1024);
        assert_string_equal(it->row.field[6], big);
    }
    bb__pipe_stop(p); /* without reading the rest */
    close_src(&s);
    free(big);
}

/* A numbering failure: the rows before it, then the error. */
static void numbering_fails(void **state)
{
    (void)state;
    src s;
    bb__pipe *p = NULL;
    bb_error err = {0};
    const bb__pipe_item *it;
    int64_t bytes;
    int numbered = -5000; /* reaches -1 at the 4999th valid row */
    int rows = 0, rc;
    open_lines(&s, 10000, NULL);
    assert_int_equal(bb__pipe_start(s.csv, s.m, count_lines, &numbered, &p, &err), 0);
    while ((rc = bb__pipe_next(p, &it, &bytes, &err)) == 1)
        rows++;
    assert_int_equal(rc, BB_ELIMIT);
    assert_string_equal(err.msg, "too many");
    assert_int_equal(rows, 4998 + 5); /* the 4,998 valid rows before it and the 5 bad ones among them */
    bb__pipe_stop(p);
    close_src(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_in_order),
        cmocka_unit_test(big_rows_and_early_stop),
        cmocka_unit_test(numbering_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
