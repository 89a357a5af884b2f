/* test_txnfile.c: analysts' files for `birebir fit`: columns by header name (any case, any delimiter),
 * customer ids in first-seen order, dates with and without a format, exact amounts, date-only
 * detection; summary files and their checks; every error names file:line and the column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "birebir/txnfile.h"

static char path[64];

static const char *write_file(const char *text)
{
    FILE *f;
    snprintf(path, sizeof path, "/tmp/bb-txnfile-%d.csv", (int)getpid());
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void transactions(void **state)
{
    bb_txns t;
    bb_error err = {0};
    bb_txn_opts o = {.customer_col = "Kunde", .date_col = "TAG"};
    (void)state;
    write_file(" kunde ;tag;Amount;x\nb;2024-01-02;12.5;\na;2024-01-01;0\nb;2024-01-03;-1.0001;\n");
    assert_int_equal(bb_txns_read(path, &o, &t, &err), 0);
    /* the row of -1.0001 is a return: left out and counted; the row worth 0 is a purchase */
    assert_int_equal(t.n, 2);
    assert_int_equal(t.returns, 1);
    assert_int_equal(t.ids.n, 2);
    assert_string_equal(t.ids.id[0], "b");
    assert_string_equal(t.ids.id[1], "a");
    assert_int_equal(t.cust[0], 0);
    assert_int_equal(t.cust[1], 1);
    /* 2024-01-02 is day 19724 since 1970-01-01 */
    assert_int_equal(t.t[0], (int64_t)19724 * 86400);
    assert_int_equal(t.t_min, (int64_t)19723 * 86400);
    assert_int_equal(t.t_max, (int64_t)19724 * 86400);
    assert_true(t.has_amount);
    assert_int_equal(t.amount[0], 125000);
    assert_int_equal(t.amount[1], 0);
    assert_true(t.date_only);
    bb_txns_release(&t);

    /* the Turkish way of writing numbers and dates, with --locale tr */
    write_file("customer_id;date;amount\nk;23.11.2025;1.234,56\n");
    o = (bb_txn_opts){.locale = BB_LOCALE_TR};
    assert_int_equal(bb_txns_read(path, &o, &t, &err), 0);
    assert_int_equal(t.amount[0], 12345600);
    assert_int_equal(t.t[0], (int64_t)20415 * 86400); /* 2025-11-23 */
    bb_txns_release(&t);
    o = (bb_txn_opts){0};
    assert_int_equal(bb_txns_read(path, &o, &t, &err), BB_EINVAL);
    bb_txns_release(&t);

    /* a format, times of day, no amount column */
    write_file("customer_id,date\n7,19970101 10:30\n7,19970102 00:00\n");
    o = (bb_txn_opts){.date_format = "%Y%m%d %H:%M"};
    assert_int_equal(bb_txns_read(path, &o, &t, &err), 0);
    assert_false(t.date_only);
    assert_false(t.has_amount);
    assert_int_equal(t.amount[0], 0);
    assert_int_equal(t.t[0], (int64_t)9862 * 86400 + 10 * 3600 + 30 * 60);
    bb_txns_release(&t);
}

static void transaction_errors(void **state)
{
    bb_txns t;
    bb_error err = {0};
    bb_txn_opts o = {.need_amount = 1};
    (void)state;
    write_file("customer_id,date\n1,2024-01-01\n");
    assert_int_equal(bb_txns_read(path, &o, &t, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "no column \"amount\""));
    assert_non_null(strstr(err.msg, "--amount-col"));
    bb_txns_release(&t);

    write_file("customer_id,date,amount\n1,2024-01-01,3\n1,2024-13-01,3\n");
    assert_int_equal(bb_txns_read(path, &o, &t, &err), BB_EINVAL);
    assert_non_null(strstr(err.where, ":3"));
    assert_non_null(strstr(err.msg, "column \"date\""));
    bb_txns_release(&t);

    write_file("customer_id,date,amount\n,2024-01-01,3\n");
    assert_int_equal(bb_txns_read(path, &o, &t, &err), BB_EINVAL);
    assert_non_null(strstr(err.where, ":2"));
    assert_non_null(strstr(err.msg, "customer id"));
    bb_txns_release(&t);

    write_file("customer_id,date,amount\n");
    assert_int_equal(bb_txns_read(path, &o, &t, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "no transactions"));
    bb_txns_release(&t);

    write_file("");
    assert_int_equal(bb_txns_read(path, &o, &t, &err), BB_EINVAL);
    bb_txns_release(&t);

    assert_int_equal(bb_txns_read("/nonexistent/x.csv", &o, &t, &err), BB_EIO);
    bb_txns_release(&t);
}

static void summaries(void **state)
{
    bb_txn_summary s;
    bb_error err = {0};
    (void)state;
    write_file("customer_id,frequency,recency,T,monetary_value\n1,2,30.43,38.86,22.35\n2,0,0,38.86,0\n");
    assert_int_equal(bb_txn_summary_read(path, NULL, &s, &err), 0);
    assert_int_equal(s.n, 2);
    assert_true(s.has_monetary);
    assert_int_equal(s.x[0], 2);
    assert_float_equal(s.t_x[0], 30.43, 1e-12);
    assert_float_equal(s.T[1], 38.86, 1e-12);
    assert_float_equal(s.mean_value[0], 22.35, 1e-12);
    assert_string_equal(s.ids.id[1], "2");
    bb_txn_summary_release(&s);

    static const char *bad[][2] = {
        {"customer_id,frequency,recency,T\n1,1.5,1,2\n", "whole number"},
        {"customer_id,frequency,recency,T\n1,-1,0,2\n", "whole number"},
        {"customer_id,frequency,recency,T\n1,1,3,2\n", "between 0 and T"},
        {"customer_id,frequency,recency,T\n1,0,1,2\n", "must be 0"},
        {"customer_id,frequency,recency,T\n1,1,1,2\n1,1,1,2\n", "second time"},
        {"customer_id,frequency,recency,T,monetary_value\n1,1,1,2,-3\n", ">= 0"},
        {"customer_id,frequency,T\n1,1,2\n", "no column \"recency\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(bad[i][0]);
        assert_int_equal(bb_txn_summary_read(path, NULL, &s, &err), BB_EINVAL);
        if (!strstr(err.msg, bad[i][1]))
            fail_msg("case %zu: %s", i, err.msg);
        bb_txn_summary_release(&s);
    }
}

static int cleanup(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transactions),
        cmocka_unit_test(transaction_errors),
        cmocka_unit_test(summaries),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
