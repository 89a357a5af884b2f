/* test_progress.c: the progress line stays silent off a terminal, and draws rows, rate, percent and
 * ETA when asked to; it erases itself at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/progress.h"

static void silent_when_not_a_tty(void **state)
{
    FILE *f = tmpfile();
    bb_progress p;
    (void)state;
    assert_non_null(f);
    bb_progress_init(&p, f, BB_PROGRESS_AUTO, "x.csv", 1000);
    assert_false(p.active);
    for (int i = 0; i < 100000; i++)
        bb_progress_update(&p, i, i / 100);
    bb_progress_release(&p);
    assert_int_equal(ftell(f), 0);
    fclose(f);
    bb_progress_init(&p, stderr, BB_PROGRESS_NEVER, "x", 0);
    assert_false(p.active);
    bb_progress_release(NULL);
}

static void draws_when_forced(void **state)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    bb_progress p;
    (void)state;
    bb_progress_init(&p, f, BB_PROGRESS_ALWAYS, "orders.csv", 1000);
    assert_true(p.active);
    bb_progress_update(&p, 50000, 500); /* the first update draws at once */
    fflush(f);
    assert_non_null(strstr(buf, "orders.csv"));
    assert_non_null(strstr(buf, " 50% "));
    assert_non_null(strstr(buf, "50k rows"));
    assert_non_null(strstr(buf, "rows/s"));
    assert_non_null(strstr(buf, "ETA"));
    /* at most ten redraws a second: a burst of updates draws nothing new */
    {
        size_t before = n;
        for (int i = 0; i < 100; i++)
            bb_progress_update(&p, 50001 + i, 501);
        fflush(f);
        assert_int_equal(n, before);
    }
    bb_progress_release(&p);
    fclose(f);
    assert_non_null(strstr(buf, "\r\033[K"));
    free(buf);
    /* unknown size: rows and rate only */
    buf = NULL;
    f = open_memstream(&buf, &n);
    bb_progress_init(&p, f, BB_PROGRESS_ALWAYS, "stdin", -1);
    bb_progress_update(&p, 1500000, 10);
    fflush(f);
    assert_non_null(strstr(buf, "1.5M rows"));
    assert_null(strstr(buf, "ETA"));
    bb_progress_release(&p);
    fclose(f);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(silent_when_not_a_tty),
        cmocka_unit_test(draws_when_forced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
