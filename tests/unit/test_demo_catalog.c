/* test_demo_catalog.c: the catalogue: about twelve categories and a few hundred SKUs with Turkish
 * names, prices above costs in kuruş, margins that differ by category, the planted pairs, a price
 * index in order, and the same catalogue for the same seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "demo/demo_internal.h"

static void shape(void **state)
{
    (void)state;
    bb__catalog c;
    bb_error err = {0};
    int pairs = 0, turkish = 0;
    assert_int_equal(bb__catalog_build(&c, 7, &err), 0);
    assert_int_equal(c.n_categories, 12);
    assert_true(c.n_products >= 250 && c.n_products <= 400);
    for (int i = 0; i < c.n_products; i++) {
        const bb__product *p = &c.products[i];
        assert_true(p->price_minor > p->cost_minor && p->cost_minor > 0);
        assert_true(p->price_minor >= 1000 && p->price_minor <= 10000000); /* 10 to 100,000 TRY */
        assert_true(p->category >= 0 && p->category < c.n_categories);
        assert_true(i >= c.categories[p->category].first &&
                    i < c.categories[p->category].first + c.categories[p->category].count);
        assert_null(strchr(p->name, '"'));
        turkish += strstr(p->name, "ş") || strstr(p->name, "ı") || strstr(p->name, "ç") || strstr(p->name, "ü") ||
                   strstr(p->name, "ö") || strstr(p->name, "ğ") || strstr(p->name, "İ");
        for (int j = i + 1; j < c.n_products; j++)
            assert_string_not_equal(p->sku, c.products[j].sku);
        if (p->complement >= 0) {
            pairs++;
            assert_int_not_equal(p->complement, i);
            assert_true(p->complement >= 0 && p->complement < c.n_products);
        }
        if (i > 0)
            assert_true(c.products[c.by_price[i - 1]].price_minor <= c.products[c.by_price[i]].price_minor);
    }
    assert_true(pairs >= 10);
    assert_true(turkish > c.n_products / 3);
    for (int k = 0; k < c.n_categories; k++) {
        assert_true(c.categories[k].count >= 10);
        assert_true(c.categories[k].affine != k);
    }
    bb__catalog_release(&c);
    bb__catalog_release(NULL);
}

/* The margin realised over a category's products: electronics thin, clothing and accessories fat. */
static double margin_of(const bb__catalog *c, const char *name)
{
    double price = 0.0, cost = 0.0;
    for (int k = 0; k < c->n_categories; k++) {
        if (strcmp(c->categories[k].name, name) != 0)
            continue;
        for (int i = c->categories[k].first; i < c->categories[k].first + c->categories[k].count; i++) {
            price += (double)c->products[i].price_minor;
            cost += (double)c->products[i].cost_minor;
        }
    }
    assert_true(price > 0.0);
    return 1.0 - cost / price;
}

static void margins_differ(void **state)
{
    (void)state;
    bb__catalog c;
    assert_int_equal(bb__catalog_build(&c, 3, NULL), 0);
    assert_true(margin_of(&c, "Elektronik") < 0.2);
    assert_true(margin_of(&c, "Giyim") > 0.45);
    assert_true(margin_of(&c, "Çanta & Aksesuar") > margin_of(&c, "Kişisel Bakım") + 0.15);
    bb__catalog_release(&c);
}

static void deterministic(void **state)
{
    (void)state;
    bb__catalog a, b, x;
    int differ = 0;
    assert_int_equal(bb__catalog_build(&a, 7, NULL), 0);
    assert_int_equal(bb__catalog_build(&b, 7, NULL), 0);
    assert_int_equal(bb__catalog_build(&x, 8, NULL), 0);
    assert_int_equal(a.n_products, b.n_products);
    for (int i = 0; i < a.n_products; i++) {
        assert_string_equal(a.products[i].name, b.products[i].name);
        assert_true(a.products[i].price_minor == b.products[i].price_minor);
        assert_true(a.products[i].cost_minor == b.products[i].cost_minor);
        differ += a.products[i].cost_minor != x.products[i].cost_minor;
    }
    assert_true(differ > a.n_products / 2);
    bb__catalog_release(&a);
    bb__catalog_release(&b);
    bb__catalog_release(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shape),
        cmocka_unit_test(margins_differ),
        cmocka_unit_test(deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
