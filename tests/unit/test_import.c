/* test_import.c: the import run over a real store in a temporary directory: bad rows (file:line,
 * the rejects file, counts), --strict writes nothing, re-import changes nothing, order lines numbered
 * within their order, bare customers/products/orders counted, small batches, dry run without a store,
 * empty and header-only files. What was written is checked through a separate SQLite connection. */
#include "store_fixture.h"

#include "birebir/import.h"

typedef struct seen {
    int n;
    char first[1200];
} seen;

static void on_reject(void *ctx, const bb_error *e)
{
    seen *s = ctx;
    if (s->n++ == 0)
        bb_error_format(e, s->first, sizeof s->first);
}

static void write_file(const fx *f, const char *name, const char *text, char *path, size_t size)
{
    FILE *fp;
    snprintf(path, size, "%s/%s", f->dir, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *fp = fopen(path, "r");
    size_t n;
    if (!fp)
        return NULL;
    n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static const char orders_csv[] = "order_id,customer_id,ordered_at,amount,currency\n"
                                 "A1,1,2025-01-05,120.50,TRY\nA2,1,2025-02-05,80.00,TRY\n"
                                 "A3,2,2025-03-01,45.10,TRY\nA4,2,2025-03-09,12,5O,TRY\n"
                                 "A5,2,2025-04-01,99.99,TRY\n";

static void bad_rows_and_reimport(void **state)
{
    fx *f = *state;
    char path[256], rej[256];
    seen s = {0};
    bb_import_options o = {.kind = BB_IMPORT_ORDERS, .on_reject = on_reject, .ctx = &s};
    bb_import_summary sum;
    bb_error err = {0};
    write_file(f, "orders.csv", orders_csv, path, sizeof path);
    snprintf(rej, sizeof rej, "%s/orders.csv.rejects.csv", f->dir);
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), 0);
    assert_int_equal(sum.rows_read, 5);
    assert_int_equal(sum.valid, 4);
    assert_int_equal(sum.inserted, 4);
    assert_int_equal(sum.rejected, 1);
    assert_int_equal(sum.customers_created, 2); /* customers 1 and 2 were unknown: bare ones */
    assert_string_equal(sum.rejects_path, rej);
    assert_int_equal(s.n, 1);
    assert_non_null(strstr(s.first, "orders.csv:5: expected 5 fields as in the header, found 6"));
    assert_string_equal(slurp(rej), "order_id,customer_id,ordered_at,amount,currency,reason\n"
                                    "A4,2,2025-03-09,12,5O,TRY,\"line 5: expected 5 fields as in the header, "
                                    "found 6\"\n");
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 4);
    assert_int_equal(fx_int(f, "SELECT sum(amount_minor) FROM orders"), 12050 + 8000 + 4510 + 9999);
    /* the same file again changes nothing */
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), 0);
    assert_int_equal(sum.inserted, 0);
    assert_int_equal(sum.unchanged, 4);
    assert_int_equal(sum.rejected, 1);
    assert_int_equal(sum.customers_created, 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 4);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 2);
}

static void strict_writes_nothing(void **state)
{
    fx *f = *state;
    char path[256], rej[256];
    bb_import_options o = {.kind = BB_IMPORT_ORDERS, .strict = 1, .batch_rows = 1};
    bb_import_summary sum;
    bb_error err = {0};
    write_file(f, "orders.csv", orders_csv, path, sizeof path);
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), BB_EINVAL);
    assert_non_null(strstr(err.where, "orders.csv:5"));
    assert_int_equal(sum.rejected, 1);
    assert_int_equal(sum.inserted, 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer"), 0);
    snprintf(rej, sizeof rej, "%s/orders.csv.rejects.csv", f->dir);
    assert_int_equal(access(rej, F_OK), -1); /* no rejects file either */
    /* the store is still usable afterwards */
    o.strict = 0;
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 4);
}

static void order_lines_numbered(void **state)
{
    fx *f = *state;
    char path[256];
    bb_import_options o = {.kind = BB_IMPORT_ORDER_LINES, .batch_rows = 2, .currency = "GBP"};
    bb_import_summary sum;
    bb_error err = {0};
    /* order 1's lines are not contiguous; a duplicated line stays two lines; a cancellation */
    write_file(f, "lines.csv",
               "InvoiceNo;StockCode;Quantity;InvoiceDate;UnitPrice;CustomerID\n"
               "1;A;2;2010-12-01 08:26:00;2,55;17850\n2;B;1;2010-12-01 09:00:00;1,00;13047\n"
               "1;B;3;2010-12-01 08:26:00;1,00;17850\n1;B;3;2010-12-01 08:26:00;1,00;17850\n"
               "C3;A;-1;2010-12-02 10:00:00;2,55;13047\n",
               path, sizeof path);
    {
        bb_import_map maps[] = {{"InvoiceNo", "order_id"},   {"StockCode", "sku"},
                                {"Quantity", "quantity"},    {"InvoiceDate", "ordered_at"},
                                {"UnitPrice", "unit_price"}, {"CustomerID", "customer_id"}};
        o.maps = maps;
        o.n_maps = 6;
        o.locale = BB_LOCALE_TR;
        assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), 0);
    }
    assert_int_equal(sum.delimiter, ';');
    assert_int_equal(sum.inserted, 5);
    assert_int_equal(sum.orders_created, 3);
    assert_int_equal(sum.customers_created, 2);
    assert_int_equal(sum.products_created, 2);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM order_line"), 5);
    assert_int_equal(fx_int(f, "SELECT max(line_no) FROM order_line JOIN orders o ON o.id = order_id "
                               "WHERE o.external_id = '1'"),
                     3);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders WHERE external_id = '1'"), 510 + 300 + 300);
    assert_int_equal(fx_int(f, "SELECT amount_minor FROM orders WHERE external_id = 'C3'"), -255);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders WHERE currency = 'GBP'"), 3);
}

static void dry_run_and_odd_files(void **state)
{
    fx *f = *state;
    char path[256];
    bb_import_options o = {.kind = BB_IMPORT_ORDERS, .dry_run = 1};
    bb_import_summary sum;
    bb_error err = {0};
    write_file(f, "orders.csv", orders_csv, path, sizeof path);
    assert_int_equal(bb_import_file(NULL, path, &o, &sum, &err), 0);
    assert_int_equal(sum.valid, 4);
    assert_int_equal(sum.rejected, 1);
    assert_string_equal(sum.rejects_path, "");
    assert_int_equal(fx_int(f, "SELECT count(*) FROM orders"), 0);
    o.dry_run = 0;
    write_file(f, "empty.csv", "", path, sizeof path);
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "is empty (no header line)"));
    write_file(f, "header.csv", "order_id,customer_id,ordered_at\n", path, sizeof path);
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), 0);
    assert_int_equal(sum.rows_read, 0);
    write_file(f, "nocol.csv", "order_id,customer_id\nA,1\n", path, sizeof path);
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), BB_EINVAL);
    assert_non_null(strstr(err.where, "nocol.csv:1"));
    assert_non_null(strstr(err.msg, "no ordered_at column"));
    assert_int_equal(bb_import_file(f->s, "/nonexistent.csv", &o, &sum, &err), BB_EIO);
    /* a broken CSV row is a rejected row; the file goes on */
    write_file(f, "broken.csv",
               "order_id,customer_id,ordered_at\nA,1,2025-01-01\nB,\"2,2025-01-01\nC,3,2025-01-02\n", path,
               sizeof path);
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), 0);
    assert_int_equal(sum.inserted, 1);
    assert_int_equal(sum.rejected, 1);
    assert_non_null(strstr(slurp(sum.rejects_path), "line 3: unterminated quoted field 2"));
}

/* on_batch: after each commit, the batch's customers, each once, already committed. */
typedef struct batches {
    fx *f;
    int calls;
    int64_t ids[8][4];
    size_t n[8];
    int64_t committed[8];
} batches;

static int on_batch(void *ctx, bb_store *s, const int64_t *ids, size_t n, bb_error *err)
{
    batches *b = ctx;
    (void)s, (void)err;
    assert_true(b->calls < 8 && n <= 4);
    memcpy(b->ids[b->calls], ids, n * sizeof *ids);
    b->n[b->calls] = n;
    b->committed[b->calls] = fx_int(b->f, "SELECT count(*) FROM orders");
    b->calls++;
    return 0;
}

static void batch_hook(void **state)
{
    fx *f = *state;
    char path[256];
    batches b = {.f = f};
    bb_import_options o = {.kind = BB_IMPORT_ORDERS, .batch_rows = 2, .on_batch = on_batch, .batch_ctx = &b};
    bb_import_summary sum;
    bb_error err = {0};
    int64_t a, c2, c3;
    write_file(f, "o.csv",
               "order_id,customer_id,ordered_at,amount\nB1,a,2025-01-01,1\nB2,a,2025-01-02,1\n"
               "B3,c3,2025-01-03,1\nB4,c2,2025-01-04,1\nB5,a,2025-01-05,1\n",
               path, sizeof path);
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), 0);
    assert_int_equal(bb_store_resolve(f->s, "a", NULL, &a, &err), 0);
    assert_int_equal(bb_store_resolve(f->s, "c2", NULL, &c2, &err), 0);
    assert_int_equal(bb_store_resolve(f->s, "c3", NULL, &c3, &err), 0);
    assert_int_equal(b.calls, 3);
    assert_int_equal(b.n[0], 1); /* a, a: once */
    assert_int_equal(b.ids[0][0], a);
    assert_int_equal(b.committed[0], 2);
    assert_int_equal(b.n[1], 2); /* c3, c2: sorted by id */
    assert_int_equal(b.ids[1][0], c2 < c3 ? c2 : c3);
    assert_int_equal(b.ids[1][1], c2 < c3 ? c3 : c2);
    assert_int_equal(b.committed[1], 4);
    assert_int_equal(b.n[2], 1);
    assert_int_equal(b.ids[2][0], a);
    assert_int_equal(b.committed[2], 5);
    /* customers records touch nobody */
    b.calls = 0;
    o.kind = BB_IMPORT_CUSTOMERS;
    write_file(f, "c.csv", "customer_id,first_name\nz,Zeynep\n", path, sizeof path);
    assert_int_equal(bb_import_file(f->s, path, &o, &sum, &err), 0);
    assert_int_equal(b.calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bad_rows_and_reimport, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(strict_writes_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(order_lines_numbered, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(dry_run_and_odd_files, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(batch_hook, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
