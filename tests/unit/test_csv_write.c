/* test_csv_write.c: the CSV writer quotes what needs quoting, and the reader reads it back. */
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

static void writer(void **state)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    const char *fields[] = {"plain", "a,b", "say \"hi\"", NULL, "two\nlines", " pad"};
    (void)state;
    assert_int_equal(bb_csv_write_row(f, ',', fields, NULL, 6), 0);
    fclose(f);
    assert_string_equal(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",,\"two\nlines\",\" pad\"\n");
    /* what the writer writes, the reader reads back */
    assert_string_equal(read_all(buf, n, NULL, NULL), "1:plain|a,b|say \"hi\"||two\nlines| pad\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
