/* test_csv.c: the CSV parser: quoting, embedded newlines, doubled quotes, line ends and physical
 * line numbers, delimiters, broken rows with file:line, limits, chunk boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "birebir/csv.h"
#include "csv_read_all.h"

static void simple_and_line_ends(void **state)
{
    (void)state;
    assert_string_equal(rd("a,b,c\n1,2,3\n"), "1:a|b|c\n2:1|2|3\n");
    assert_string_equal(rd("a,b\r\n1,2\r\n"), "1:a|b\n2:1|2\n");
    assert_string_equal(rd("a,b\r1,2\r"), "1:a|b\n2:1|2\n");        /* old Mac CR */
    assert_string_equal(rd("a,b\n1,2"), "1:a|b\n2:1|2\n");          /* no final newline */
    assert_string_equal(rd("a,b\n\n\r\n1,2\n\n"), "1:a|b\n4:1|2\n"); /* blank lines skipped, counted */
    assert_string_equal(rd("a,,c,\n"), "1:a||c|\n");                /* empty fields, trailing */
    assert_string_equal(rd(""), "");
    assert_string_equal(rd("\n\n"), "");
}

static void quoting(void **state)
{
    (void)state;
    assert_string_equal(rd("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"), "1:a,b|say \"hi\"|\n");
    /* embedded newlines: the next record's line is the physical line */
    assert_string_equal(rd("h1,h2\n\"multi\nline\r\nfield\",x\nnext,y\n"),
                        "1:h1|h2\n2:multi\nline\r\nfield|x\n5:next|y\n");
    assert_string_equal(rd("\"\"\"\"\n"), "1:\"\n");
    assert_string_equal(rd("\"a\"\r\n\"b\""), "1:a\n2:b\n");
}

static void broken_rows(void **state)
{
    (void)state;
    /* stray quote: reported with file:line, read leniently, the next record is fine */
    assert_string_equal(rd("a,b\n1,x\"y\n2,z\n"),
                        "1:a|b\n!memory:2:stray quote in field 2 (a field holding a quote must be quoted "
                        "whole, with the quote doubled: \"5\"\" screen\")\n3:2|z\n");
    assert_string_equal(rd("a,b\n\"1\"x,2\n3,4\n"),
                        "1:a|b\n!memory:2:text after the closing quote of field 1\n3:3|4\n");
    /* an unterminated quote at the end of the input names the line where the record starts */
    assert_string_equal(rd("a,b\n1,2\n3,\"open\nmore\n"),
                        "1:a|b\n2:1|2\n!memory:3:unterminated quoted field 2 (the quote opened on line 3)\n");
    /* the row of a broken record still carries its fields, for the rejects file */
    {
        const char *s = "a,b\n1,x\"y\n";
        bb_csv *c = NULL;
        bb_error err = {0};
        bb_csv_row row;
        bb_csv_options o = {.name = "orders.csv"};
        assert_int_equal(bb_csv_open_mem(s, strlen(s), &o, &c, &err), 0);
        assert_int_equal(bb_csv_next(c, &row, &err), 1);
        assert_int_equal(bb_csv_next(c, &row, &err), BB_EINVAL);
        assert_string_equal(err.where, "orders.csv:2");
        assert_int_equal(row.n, 2);
        assert_string_equal(row.field[1], "x\"y");
        assert_int_equal(bb_csv_next(c, &row, &err), 0);
        bb_csv_close(c);
    }
}

static void delimiters(void **state)
{
    char d;
    (void)state;
    assert_string_equal(read_all("a;b;c\n1,5;2;3\n", 14, NULL, &d), "1:a|b|c\n2:1,5|2|3\n");
    assert_int_equal(d, ';');
    assert_string_equal(read_all("a\tb\n1\t2\n", 8, NULL, &d), "1:a|b\n2:1|2\n");
    assert_int_equal(d, '\t');
    /* a delimiter inside quotes on the header does not count */
    read_all("\"x;y;z\",b\n", 10, NULL, &d);
    assert_int_equal(d, ',');
    read_all("single\n1\n", 9, NULL, &d);
    assert_int_equal(d, ',');
    {
        bb_csv_options o = {.delimiter = '|'};
        assert_string_equal(read_all("a|b\n", 4, &o, &d), "1:a|b\n");
        assert_int_equal(d, '|');
    }
}


static void limits(void **state)
{
    bb_csv_options o = {.max_field = 8, .max_record = 32, .max_fields = 3};
    (void)state;
    assert_string_equal(read_all("a,b\n123456789,1\nok,2\n", 21, &o, NULL),
                        "1:a|b\n!memory:2:field 1 is longer than 8 bytes (an unterminated quote?)\n3:ok|2\n");
    assert_string_equal(read_all("a,b,c,d\n1,2\n", 12, &o, NULL),
                        "!memory:1:more than 3 fields\n2:1|2\n");
    o.max_fields = 10;
    assert_string_equal(read_all("12345678,12345678,12345678,12345678\nx\n", 38, &o, NULL),
                        "!memory:1:record is longer than 32 bytes (an unterminated quote?)\n2:x\n");
    /* an unterminated quote early in a big input stops at the field limit, not at memory */
    {
        size_t n = 100000;
        char *big = malloc(n);
        bb_csv *c = NULL;
        bb_error err = {0};
        bb_csv_row row;
        bb_csv_options o2 = {.max_field = 1000};
        assert_non_null(big);
        memset(big, 'y', n);
        memcpy(big, "a\n\"", 3);
        assert_int_equal(bb_csv_open_mem(big, n, &o2, &c, &err), 0);
        assert_int_equal(bb_csv_next(c, &row, &err), 1);
        assert_int_equal(bb_csv_next(c, &row, &err), BB_ELIMIT);
        assert_string_equal(err.where, "memory:2");
        assert_int_equal(bb_csv_next(c, &row, &err), 0);
        bb_csv_close(c);
        free(big);
    }
}

/* Big inputs cross the reader's chunk boundaries inside quoted fields, CRLF pairs and UTF-8. */
static void chunk_boundaries(void **state)
{
    size_t n = 0, cap = 3 * 1024 * 1024;
    char *s = malloc(cap);
    bb_csv *c = NULL;
    bb_error err = {0};
    bb_csv_row row;
    int64_t recs = 0;
    (void)state;
    assert_non_null(s);
    n += (size_t)snprintf(s, cap, "id,text,n\r\n");
    for (int i = 0; n + 64 < cap; i++)
        n += (size_t)snprintf(s + n, cap - n, "%d,\"q\"\"%d\n\xC5\x9F\",%d\r\n", i, i % 7, i * 3);
    assert_int_equal(bb_csv_open_mem(s, n, NULL, &c, &err), 0);
    assert_int_equal(bb_csv_next(c, &row, &err), 1);
    while (bb_csv_next(c, &row, &err) == 1) {
        char want[64];
        assert_int_equal(row.n, 3);
        assert_int_equal(row.line, 2 + 2 * recs);
        assert_int_equal(strtoll(row.field[0], NULL, 10), recs);
        snprintf(want, sizeof want, "q\"%d\n\xC5\x9F", (int)(recs % 7));
        assert_string_equal(row.field[1], want);
        assert_int_equal(strtoll(row.field[2], NULL, 10), recs * 3);
        recs++;
    }
    assert_true(recs > 100000);
    assert_int_equal(bb_csv_bytes_read(c), (int64_t)n);
    bb_csv_close(c);
    free(s);
}



/* Reads of 1 to 7 bytes split BOMs, CRLF pairs, doubled quotes and UTF-8 sequences everywhere; the
 * records must be the same as with the default read size. */
static void tiny_reads(void **state)
{
    static const struct { const char *s; size_t n; } inputs[] = {
#define IN(x) {x, sizeof(x) - 1}
        IN("\xEF\xBB\xBFid;ad\r\n1;\"a\"\"b\"\r\n2;\"x\r\ny\"\r\n\r\n3;\xC5\x9F\xC4\xB1\r"),
        IN("a,b\n\xfe\xf0,\xdd\n\"q\"\"\",\"\"\n"),
        IN("\xFF\xFE" "a\0,\0b\0\n\0\x5F\x01,\0\x3D\xD8\x00\xDE\n\0"),
        IN("x\ty\n1\t\"open\n"),
        IN("a,b\n1,x\"y\n\"z\"w,2\n"),
#undef IN
    };
    (void)state;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char want[8192];
        snprintf(want, sizeof want, "%s", read_all(inputs[i].s, inputs[i].n, NULL, NULL));
        for (size_t rs = 1; rs <= 7; rs++) {
            bb_csv_options o = {.read_size = rs};
            const char *got = read_all(inputs[i].s, inputs[i].n, &o, NULL);
            if (strcmp(got, want) != 0)
                fail_msg("input %zu, read size %zu:\n%s\n!=\n%s", i, rs, got, want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simple_and_line_ends), cmocka_unit_test(quoting),
        cmocka_unit_test(broken_rows),          cmocka_unit_test(delimiters),
        cmocka_unit_test(limits),               cmocka_unit_test(chunk_boundaries),
        cmocka_unit_test(tiny_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
