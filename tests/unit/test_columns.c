/* test_columns.c: kinds, canonical columns, and matching headers: case and spaces, --map, columns
 * mapped away, missing and duplicate columns, custom attributes and id:<kind> columns, ignored ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/import.h"

static void kinds(void **state)
{
    bb_import_kind k;
    bb_error err = {0};
    unsigned req;
    const char *const *cols;
    (void)state;
    assert_int_equal(bb_import_kind_parse("order-lines", &k, &err), 0);
    assert_int_equal(k, BB_IMPORT_ORDER_LINES);
    assert_int_equal(bb_import_kind_parse("order_lines", &k, &err), 0);
    assert_int_equal(bb_import_kind_parse("survey-responses", &k, &err), 0);
    assert_int_equal(k, BB_IMPORT_SURVEYS);
    assert_int_equal(bb_import_kind_parse("orderz", &k, &err), BB_EUSAGE);
    assert_non_null(strstr(err.msg, "unknown kind \"orderz\""));
    assert_string_equal(bb_import_kind_name(BB_IMPORT_CONSENTS), "consents");
    cols = bb_import_columns(BB_IMPORT_ORDERS, &req);
    assert_string_equal(cols[0], "order_id");
    assert_string_equal(cols[2], "ordered_at");
    assert_int_equal(req, 7); /* order_id, customer_id, ordered_at */
    cols = bb_import_columns(BB_IMPORT_CUSTOMERS, &req);
    assert_int_equal(req, 1);
    assert_string_equal(cols[8], "created_at");
    assert_null(cols[9]);
}

static int mapper(bb_import_kind kind, const char *const *h, size_t n, const bb_import_map *maps,
                  size_t n_maps, bb_import_mapper **m, bb_error *err)
{
    bb_import_options o = {.kind = kind, .maps = maps, .n_maps = n_maps};
    return bb_import_mapper_new(&o, h, n, m, err);
}

static void header_matching(void **state)
{
    const char *h[] = {" Order_ID ", "CUSTOMER_ID", "ordered_at", "Tutar", "Note"};
    bb_import_map maps[] = {{"tutar", "amount"}};
    bb_import_mapper *m = NULL;
    bb_import_rec rec;
    bb_error err = {0};
    (void)state;
    assert_int_equal(mapper(BB_IMPORT_ORDERS, h, 5, maps, 1, &m, &err), 0);
    assert_int_equal(bb_import_mapper_width(m), 5);
    assert_string_equal(bb_import_mapper_ignored(m), "Note");
    {
        const char *row[] = {"A1", "7", "2025-01-05", "12,5O", "x"};
        assert_int_equal(bb_import_mapper_row(m, row, 5, &rec, &err), BB_EINVAL);
        /* a mapped column is named as the file names it, with the canonical name */
        assert_string_equal(err.msg, "Tutar (amount): \"12,5O\" is not a number");
    }
    bb_import_mapper_free(m);
    bb_import_mapper_free(NULL);
}

static void header_problems(void **state)
{
    bb_import_mapper *m = NULL;
    bb_error err = {0};
    (void)state;
    {
        const char *h[] = {"order_id", "customer_id", "amount"};
        assert_int_equal(mapper(BB_IMPORT_ORDERS, h, 3, NULL, 0, &m, &err), BB_EINVAL);
        assert_string_equal(err.msg, "no ordered_at column (the header has: order_id, customer_id, amount; "
                                     "name one with --map SRC=ordered_at)");
        assert_null(m);
    }
    {
        const char *h[] = {"order_id", "customer_id", "ordered_at", "Date"};
        bb_import_map maps[] = {{"date", "ordered_at"}};
        assert_int_equal(mapper(BB_IMPORT_ORDERS, h, 4, maps, 1, &m, &err), BB_EINVAL);
        assert_string_equal(err.msg, "two columns give ordered_at: \"ordered_at\" and \"Date\"");
        /* mapping the other one away settles it */
        bb_import_map away[] = {{"date", "-"}};
        assert_int_equal(mapper(BB_IMPORT_ORDERS, h, 4, away, 1, &m, &err), 0);
        assert_string_equal(bb_import_mapper_ignored(m), "");
        bb_import_mapper_free(m);
    }
    {
        const char *h[] = {"order_id", "customer_id", "ordered_at"};
        bb_import_map maps[] = {{"InvoiceNo", "order_id"}};
        assert_int_equal(mapper(BB_IMPORT_ORDERS, h, 3, maps, 1, &m, &err), BB_EINVAL);
        assert_string_equal(err.msg, "--map InvoiceNo=order_id: the header has no column \"InvoiceNo\" "
                                     "(it has: order_id, customer_id, ordered_at)");
    }
    {
        const char *h[] = {"sku"};
        bb_import_options o = {.kind = BB_IMPORT_PRODUCTS, .currency = "TL"};
        assert_int_equal(bb_import_mapper_new(&o, h, 1, &m, &err), BB_EINVAL);
        assert_non_null(strstr(err.msg, "\"TL\" is not an ISO 4217 currency code"));
    }
}

static void customers_extra_columns(void **state)
{
    const char *h[] = {"customer_id", "Segment", "id:web", "ID:Till", "Puan", ""};
    bb_import_map maps[] = {{"Puan", "loyalty_points"}};
    const char *row[] = {"42", "gold", "w-9", "", " 120 ", "zzz"};
    bb_import_mapper *m = NULL;
    bb_import_rec rec;
    bb_error err = {0};
    (void)state;
    assert_int_equal(mapper(BB_IMPORT_CUSTOMERS, h, 6, maps, 1, &m, &err), 0);
    assert_string_equal(bb_import_mapper_ignored(m), ""); /* customers keep every named column */
    assert_int_equal(bb_import_mapper_row(m, row, 6, &rec, &err), 0);
    assert_string_equal(rec.u.customer.customer_id, "42");
    assert_string_equal(rec.u.customer.attributes_json, "{\"Segment\":\"gold\",\"loyalty_points\":\"120\"}");
    assert_int_equal(rec.u.customer.n_idents, 1); /* the empty till id is skipped */
    assert_string_equal(rec.u.customer.idents[0].kind, "web");
    assert_string_equal(rec.u.customer.idents[0].value, "w-9");
    bb_import_mapper_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds),
        cmocka_unit_test(header_matching),
        cmocka_unit_test(header_problems),
        cmocka_unit_test(customers_extra_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
