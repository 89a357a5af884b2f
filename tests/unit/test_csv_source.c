/* test_csv_source.c: the input side of the CSV reader: BOM, encoding detection and conversion
 * (Windows-1254 letters ş ğ ı İ ö ü ç, UTF-16), files, gzip, truncated gzip, missing files. */
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

static void bom_and_encodings(void **state)
{
    bb_csv *c = NULL;
    bb_error err = {0};
    bb_csv_row row;
    (void)state;
    /* UTF-8 with a BOM: the BOM is not part of the first field */
    assert_string_equal(rd("\xEF\xBB\xBFid,ad\n1,\xC5\x9E\x65n\n"), "1:id|ad\n2:1|\xC5\x9E\x65n\n");
    /* Windows-1254: ş ğ ı İ ö ü ç Ş Ğ Ç (0xFE 0xF0 0xFD 0xDD 0xF6 0xFC 0xE7 0xDE 0xD0 0xC7) */
    {
        const char s[] = "ad;\xfehir\nI\xfeIK;\xfe\xf0\xfd\xdd\xf6\xfc\xe7\xde\xd0\xc7\n";
        assert_string_equal(
            read_all(s, sizeof s - 1, NULL, NULL),
            "1:ad|\xC5\x9Fhir\n2:I\xC5\x9FIK|"
            "\xC5\x9F\xC4\x9F\xC4\xB1\xC4\xB0\xC3\xB6\xC3\xBC\xC3\xA7\xC5\x9E\xC4\x9E\xC3\x87\n");
        assert_int_equal(bb_csv_open_mem(s, sizeof s - 1, NULL, &c, &err), 0);
        assert_int_equal(bb_csv_encoding_detected(c), BB_CSV_CP1254);
        assert_string_equal(bb_csv_encoding_name(bb_csv_encoding_detected(c)), "Windows-1254");
        bb_csv_close(c);
    }
    /* Windows-1254 after a long ASCII prefix is still detected when the first non-ASCII byte comes */
    {
        size_t n = 300000;
        char *big = malloc(n + 32);
        assert_non_null(big);
        memset(big, 'x', n);
        for (size_t i = 99; i < n; i += 100)
            big[i] = '\n';
        memcpy(big + n,
               "\xc7"
               "ank\xfd"
               "r\n",
               7);
        assert_int_equal(bb_csv_open_mem(big, n + 7, NULL, &c, &err), 0);
        while (bb_csv_next(c, &row, &err) == 1 && row.line < 3001)
            ;
        assert_int_equal(row.line, 3001);
        assert_string_equal(row.field[0], "\xC3\x87"
                                          "ank\xC4\xB1r"); /* Çankır */
        assert_int_equal(bb_csv_encoding_detected(c), BB_CSV_CP1254);
        bb_csv_close(c);
        free(big);
    }
    /* UTF-16LE with a BOM (Excel "Unicode text", tab-separated): "ad\tşehir\nİz\t1\n" */
    {
        const unsigned char u16[] = {0xFF, 0xFE, 'a', 0, 'd',  0, '\t', 0, 0x5F, 0x01,
                                     'e',  0,    'h', 0, 'i',  0, 'r',  0, '\n', 0,
                                     0x30, 0x01, 'z', 0, '\t', 0, '1',  0, '\n', 0};
        assert_string_equal(read_all((const char *)u16, sizeof u16, NULL, NULL), "1:ad|\xC5\x9F"
                                                                                 "ehir\n2:\xC4\xB0z|1\n");
    }
    /* the first non-ASCII bytes decide: not UTF-8 means Windows-1254 ("\xDE" is "Ş") ... */
    assert_string_equal(rd("a,b\n\xC5\x9F,1\n"), "1:a|b\n2:\xC5\x9F|1\n");
    assert_string_equal(rd("a,b\n\xDE,1\nbad\xFF,2\n"), "1:a|b\n2:\xC5\x9E|1\n3:bad\xC3\xBF|2\n");
    /* ... UTF-8 stays UTF-8 when a later byte in the same chunk is invalid: that record is an error, the
     * others keep their letters (they were all read as Windows-1254, garbled, with no error) ... */
    assert_string_equal(rd("a,b\n\xC5\x9F,1\nbad\xFF,2\n\xC3\x87,3\n"),
                        "1:a|b\n2:\xC5\x9F|1\n!memory:3:field 1 is not valid UTF-8 (byte 0xFF at offset 3)\n"
                        "4:\xC3\x87|3\n");
    /* ... and so when the invalid byte comes in a later chunk */
    {
        size_t n = 0, cap = 400000;
        char *big = malloc(cap);
        int rc;
        assert_non_null(big);
        n += (size_t)snprintf(big, cap, "a,b\n\xC5\x9F,1\n");
        while (n < 300000)
            n += (size_t)snprintf(big + n, cap - n, "xxxxxxxxxx,yyyyyyyy\n");
        n += (size_t)snprintf(big + n, cap - n, "bad\xFF,2\nok,3\n");
        assert_int_equal(bb_csv_open_mem(big, n, NULL, &c, &err), 0);
        while ((rc = bb_csv_next(c, &row, &err)) == 1)
            ;
        assert_int_equal(rc, BB_EINVAL);
        assert_string_equal(err.msg, "field 1 is not valid UTF-8 (byte 0xFF at offset 3)");
        assert_int_equal(bb_csv_next(c, &row, &err), 1);
        assert_string_equal(row.field[0], "ok");
        assert_int_equal(bb_csv_encoding_detected(c), BB_CSV_UTF8);
        bb_csv_close(c);
        free(big);
    }
    {
        const char s[] = "a,b\nx\0y,1\n";
        assert_string_equal(read_all(s, sizeof s - 1, NULL, NULL),
                            "1:a|b\n!memory:2:field 1 contains a NUL byte\n");
    }
}

static void files_gzip_and_errors(void **state)
{
    char path[] = "/tmp/bb-test-csv-XXXXXX";
    char gzpath[64];
    int fd = mkstemp(path);
    bb_csv *c = NULL;
    bb_error err = {0};
    bb_csv_row row;
    gzFile gz;
    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "a,b\n1,2\n", 8), 8);
    close(fd);
    assert_int_equal(bb_csv_open(path, NULL, &c, &err), 0);
    assert_int_equal(bb_csv_bytes_total(c), 8);
    assert_int_equal(bb_csv_next(c, &row, &err), 1);
    assert_int_equal(bb_csv_next(c, &row, &err), 1);
    assert_string_equal(row.field[1], "2");
    assert_int_equal(bb_csv_next(c, &row, &err), 0);
    bb_csv_close(c);
    snprintf(gzpath, sizeof gzpath, "%s.gz", path);
    gz = gzopen(gzpath, "wb");
    assert_non_null(gz);
    assert_int_equal(gzputs(gz, "x;y\n3;4\n"), 8);
    gzclose(gz);
    assert_int_equal(bb_csv_open(gzpath, NULL, &c, &err), 0);
    assert_int_equal(bb_csv_delimiter(c), ';');
    assert_int_equal(bb_csv_next(c, &row, &err), 1);
    assert_int_equal(bb_csv_next(c, &row, &err), 1);
    assert_string_equal(row.field[0], "3");
    bb_csv_close(c);
    /* a truncated gzip file is an I/O error, not a silent short read */
    {
        FILE *f = fopen(gzpath, "rb");
        unsigned char buf[4096];
        size_t m = fread(buf, 1, sizeof buf, f);
        fclose(f);
        f = fopen(gzpath, "wb");
        assert_int_equal(fwrite(buf, 1, m - 6, f), m - 6);
        fclose(f);
        int rc = bb_csv_open(gzpath, NULL, &c, &err);
        if (rc == 0) {
            while ((rc = bb_csv_next(c, &row, &err)) > 0)
                ;
            bb_csv_close(c);
        }
        assert_int_equal(rc, BB_EIO);
        assert_non_null(strstr(err.msg, "cannot read"));
    }
    unlink(gzpath);
    unlink(path);
    assert_int_equal(bb_csv_open("/nonexistent/x.csv", NULL, &c, &err), BB_EIO);
    assert_null(c);
    assert_non_null(strstr(err.msg, "/nonexistent/x.csv: cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bom_and_encodings),
        cmocka_unit_test(files_gzip_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
