/* test_export.c: exports as text: the CSV header and columns of each kind, amounts in the currency's
 * digits, times in UTC, the shortest exact quantity (1/3 as Python's repr writes it), customers'
 * attribute and identifier columns (a second identifier of a kind on a row of its own), and JSON.
 * Records are written with the puts. */
#include "store_fixture.h"

#include "birebir/export.h"

static char *export_text(fx *f, bb_import_kind kind, bb_export_format fmt, int64_t *rows)
{
    static char out[8192];
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    bb_error err = {0};
    assert_non_null(fp);
    if (bb_export_write(f->s, kind, fmt, fp, rows, &err) != 0)
        fail_msg("export: %s", err.msg);
    fclose(fp);
    snprintf(out, sizeof out, "%s", buf);
    free(buf);
    return out;
}

static void orders_and_lines(void **state)
{
    fx *f = *state;
    bb_put_stats st = {0};
    bb_order_rec o = {.order_id = "O1",
                      .customer_ref = "7",
                      .ordered_at = 1764587100,
                      .amount_minor = -1550,
                      .has_amount = 1,
                      .currency = "TRY",
                      .channel = "web, app"};
    bb_order_line_rec l = {.order_id = "L1",
                           .customer_ref = "7",
                           .ordered_at = 1764587100,
                           .sku = "S",
                           .quantity = 0.1,
                           .unit_price_minor = 1234,
                           .currency = "KWD",
                           .line_no = 1};
    int64_t rows;
    (void)fx_put_order(f, &o, &st);
    (void)fx_put_order_line(f, &l, &st);
    l.line_no = 2, l.quantity = 1.0 / 3, l.unit_price_minor = -5;
    (void)fx_put_order_line(f, &l, &st);
    assert_string_equal(export_text(f, BB_IMPORT_ORDERS, BB_EXPORT_CSV, &rows),
                        "order_id,customer_id,ordered_at,amount,currency,channel\n"
                        "O1,7,2025-12-01T11:05:00Z,-15.50,TRY,\"web, app\"\n"
                        "L1,7,2025-12-01T11:05:00Z,,KWD,\n");
    assert_int_equal(rows, 2);
    assert_string_equal(export_text(f, BB_IMPORT_ORDER_LINES, BB_EXPORT_CSV, &rows),
                        "order_id,customer_id,ordered_at,sku,quantity,unit_price,currency,line_no\n"
                        "L1,7,2025-12-01T11:05:00Z,S,0.1,1.234,KWD,1\n"
                        "L1,7,2025-12-01T11:05:00Z,S,0.3333333333333333,-0.005,KWD,2\n");
    assert_string_equal(
        export_text(f, BB_IMPORT_ORDERS, BB_EXPORT_JSON, &rows),
        "[\n{ \"order_id\": \"O1\", \"customer_id\": \"7\", \"ordered_at\": \"2025-12-01T11:05:00Z\", "
        "\"amount\": -15.50, \"currency\": \"TRY\", \"channel\": \"web, app\" },\n"
        "{ \"order_id\": \"L1\", \"customer_id\": \"7\", \"ordered_at\": \"2025-12-01T11:05:00Z\", "
        "\"currency\": \"KWD\" }\n]\n");
    assert_string_equal(export_text(f, BB_IMPORT_SURVEYS, BB_EXPORT_JSON, &rows), "[\n]\n");
    assert_int_equal(rows, 0);
    assert_string_equal(export_text(f, BB_IMPORT_SURVEYS, BB_EXPORT_CSV, &rows),
                        "customer_id,survey,score,comment,responded_at\n");
}

static void customers(void **state)
{
    fx *f = *state;
    bb_put_stats st = {0};
    bb_ident ids[] = {{"card", "c1"}, {"card", "c2"}, {"web", "w1"}};
    bb_customer_rec a = {.customer_id = "1",
                         .first_name = "Ayşe",
                         .city = "İSTANBUL",
                         .created_at = 86400,
                         .attributes_json = "{\"tier\":\"gold\",\"points\":120,\"note\":\"a \\\"b\\\"\"}",
                         .idents = ids,
                         .n_idents = 3};
    bb_customer_rec b = {
        .customer_id = "2", .created_at = 172800, .attributes_json = "{\"tier\":\"silver\"}"};
    int64_t rows;
    (void)fx_put_customer(f, &a, &st);
    (void)fx_put_customer(f, &b, &st);
    assert_string_equal(export_text(f, BB_IMPORT_CUSTOMERS, BB_EXPORT_CSV, &rows),
                        "customer_id,first_name,last_name,email,phone,city,birth_date,gender,created_at,"
                        "tier,points,note,id:card,id:web\n"
                        "1,Ayşe,,,,İSTANBUL,,,1970-01-02T00:00:00Z,gold,120,\"a \"\"b\"\"\",c1,w1\n"
                        "1,,,,,,,,,,,,c2,\n"
                        "2,,,,,,,,1970-01-03T00:00:00Z,silver,,,,\n");
    assert_int_equal(rows, 2); /* customers, not rows */
    assert_string_equal(export_text(f, BB_IMPORT_CUSTOMERS, BB_EXPORT_JSON, &rows),
                        "[\n{ \"customer_id\": \"1\", \"first_name\": \"Ayşe\", \"city\": \"İSTANBUL\", "
                        "\"created_at\": \"1970-01-02T00:00:00Z\", \"attributes\": "
                        "{\"tier\":\"gold\",\"points\":120,\"note\":\"a \\\"b\\\"\"}, \"identifiers\": "
                        "[{\"kind\": \"card\", \"value\": \"c1\"}, {\"kind\": \"card\", \"value\": \"c2\"}, "
                        "{\"kind\": \"web\", \"value\": \"w1\"}] },\n"
                        "{ \"customer_id\": \"2\", \"created_at\": \"1970-01-03T00:00:00Z\", \"attributes\": "
                        "{\"tier\":\"silver\"} }\n]\n");
}

static void formats(void **state)
{
    bb_export_format fmt;
    bb_error err = {0};
    (void)state;
    assert_int_equal(bb_export_format_parse("json", &fmt, &err), 0);
    assert_int_equal(fmt, BB_EXPORT_JSON);
    assert_int_equal(bb_export_format_parse("csv", &fmt, &err), 0);
    assert_int_equal(fmt, BB_EXPORT_CSV);
    assert_int_equal(bb_export_format_parse("xml", &fmt, &err), BB_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(orders_and_lines, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(customers, fx_setup, fx_teardown),
        cmocka_unit_test(formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
