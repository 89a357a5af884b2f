/* test_demo_names.c: the name and place tables are big enough, Turkish, safe to put in JSON; the
 * cities are the 81 provinces weighted by population; the folding helpers follow Turkish rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "demo/demo_internal.h"

static int plain(const char *s)
{
    return !strchr(s, '"') && !strchr(s, '\\') && !strchr(s, '\n');
}

static int has_turkish_letters(const bb__name_table *t)
{
    static const char *const letters[] = {"ç", "ğ", "ı", "İ", "ö", "ş", "ü", "Ç", "Ö", "Ş", "Ü"};
    int found = 0;
    for (size_t k = 0; k < sizeof letters / sizeof letters[0]; k++)
        for (size_t i = 0; i < t->n; i++)
            if (strstr(t->names[i], letters[k])) {
                found++;
                break;
            }
    return found;
}

static void check_table(const bb__name_table *t, size_t min)
{
    assert_true(t->n >= min);
    for (size_t i = 0; i < t->n; i++) {
        assert_true(plain(t->names[i]));
        for (size_t j = i + 1; j < t->n; j++)
            assert_string_not_equal(t->names[i], t->names[j]);
        assert_true(t->cum[i] > (i ? t->cum[i - 1] : 0.0));
    }
    /* The commonest names come first. */
    assert_true(t->cum[0] > t->cum[t->n - 1] - t->cum[t->n - 2]);
}

static void tables(void **state)
{
    (void)state;
    bb__demo_names t;
    bb__demo_names_init(&t);
    check_table(&t.female, 150);
    check_table(&t.male, 150);
    check_table(&t.last, 250);
    assert_true(has_turkish_letters(&t.female) >= 7);
    assert_true(has_turkish_letters(&t.male) >= 6);
    assert_true(has_turkish_letters(&t.last) >= 7);
    assert_int_equal(t.n_cities, 81);
    assert_string_equal(t.cities[0].name, "İstanbul");
    for (size_t i = 0; i < t.n_cities; i++) {
        assert_true(plain(t.cities[i].name));
        assert_true(t.cities[i].population > 50 && t.cities[i].population <= t.cities[0].population);
        for (size_t j = i + 1; j < t.n_cities; j++)
            assert_string_not_equal(t.cities[i].name, t.cities[j].name);
    }
    /* İstanbul is about a fifth of the draws, Ankara second. */
    assert_true(t.city_cum[0] / t.city_cum[t.n_cities - 1] > 0.18);
    assert_true(t.city_cum[1] - t.city_cum[0] > t.city_cum[2] - t.city_cum[1]);
    for (size_t i = 0; i < t.n_shops; i++) {
        assert_true(t.shops[i].city >= 0 && (size_t)t.shops[i].city < t.n_cities);
        assert_true(plain(t.shops[i].name));
        /* A shop's name starts with its city's. */
        assert_memory_equal(t.shops[i].name, t.cities[t.shops[i].city].name,
                            strlen(t.cities[t.shops[i].city].name));
    }
}

static void shops_by_city(void **state)
{
    (void)state;
    bb__demo_names t;
    bb_rng g;
    bb__demo_names_init(&t);
    bb_rng_seed(&g, 1);
    for (size_t c = 0; c < t.n_cities; c++) {
        int s = bb__demo_shop_in_city(&t, (int)c, &g);
        if (s >= 0)
            assert_int_equal(t.shops[s].city, (int)c);
    }
    assert_true(bb__demo_shop_in_city(&t, 0, &g) >= 0);                      /* İstanbul has shops */
    assert_int_equal(bb__demo_shop_in_city(&t, (int)t.n_cities - 1, &g), -1); /* Kars has none */
}

static void folding(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(bb__fold_ascii_lower("Şükrü Çelik", out, sizeof out), strlen("sukru celik"));
    assert_string_equal(out, "sukru celik");
    bb__fold_ascii_lower("IŞIK Ilgın İpek Öztürk Ağaoğlu", out, sizeof out);
    assert_string_equal(out, "isik ilgin ipek ozturk agaoglu");
    bb__fold_ascii("Gülşen Yıldırım", out, sizeof out);
    assert_string_equal(out, "Gulsen Yildirim");
    bb__upper_tr("ayşe ılgın işık", out, sizeof out);
    assert_string_equal(out, "AYŞE ILGIN İŞIK");
    bb__upper_tr("Çağrı Öztürk", out, sizeof out);
    assert_string_equal(out, "ÇAĞRI ÖZTÜRK");
    /* Truncation keeps whole characters and the NUL. */
    bb__upper_tr("iiii", out, 6); /* each İ is two bytes: two fit, with the NUL */
    assert_string_equal(out, "İİ");
    bb__fold_ascii("ab", out, 1);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables),
        cmocka_unit_test(shops_by_city),
        cmocka_unit_test(folding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
