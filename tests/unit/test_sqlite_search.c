/* test_sqlite_search.c: Turkish-aware search, Turkish collation order, paging by cursor. */
#include "store_fixture.h"

static const char *LAST[] = {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk",
                             "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara",
                             "Koç", "Kurt", "Özkan", "Şimşek", "Polat"};
static const char *FIRST[] = {"Mehmet", "Ayşe", "Mustafa", "Fatma", "Ahmet", "Emine", "Ali", "Hatice",
                              "Hüseyin", "Zeynep", "İbrahim", "Elif", "Çağrı", "Gül", "Ömer"};
static const char *CITY[] = {"İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Konya"};
/* The same, folded by hand (the expectations do not use the code under test). */
static const char *LAST_F[] = {"yilmaz", "kaya", "demir", "sahin", "celik", "yildiz", "ozturk",
                               "aydin", "ozdemir", "arslan", "dogan", "kilic", "aslan", "cetin", "kara",
                               "koc", "kurt", "ozkan", "simsek", "polat"};
static const char *FIRST_F[] = {"mehmet", "ayse", "mustafa", "fatma", "ahmet", "emine", "ali", "hatice",
                                "huseyin", "zeynep", "ibrahim", "elif", "cagri", "gul", "omer"};
static const char *CITY_F[] = {"istanbul", "ankara", "izmir", "bursa", "antalya", "konya"};

/* How many of the n generated customers contain the folded word in first, last name, city or id. */
static int expected(int n, const char *word)
{
    int k = 0;
    char id[16];
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "g%d g%d@example.org", i, i);
        k += strstr(FIRST_F[i % 15], word) || strstr(LAST_F[i % 20], word) ||
             strstr(CITY_F[i % 6], word) || strstr(id, word);
    }
    return k;
}

static void people(fx *f, int n)
{
    char id[16], email[64];
    fx_begin(f);
    bb_customer_rec a = {.customer_id = "A", .first_name = "Ayşe", .last_name = "IŞIK",
                         .email = "ayse@example.com", .phone = "0532 123 45 67", .city = "İSTANBUL"};
    bb_customer_rec b = {.customer_id = "B", .first_name = "Can", .last_name = "Öztürk",
                         .email = "can@example.com", .city = "İzmir"};
    fx_put_customer(f, &a, NULL);
    fx_put_customer(f, &b, NULL);
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "G%d", i);
        snprintf(email, sizeof email, "g%d@example.org", i);
        bb_customer_rec c = {.customer_id = id, .first_name = FIRST[i % 15], .last_name = LAST[i % 20],
                             .email = email, .city = CITY[i % 6]};
        fx_put_customer(f, &c, NULL);
    }
    fx_commit(f);
}

typedef struct found {
    int n;
    char ids[64][16];
    char last[64][32];
} found;

static int on_hit(void *ctx, const bb_customer_hit *h)
{
    found *x = ctx;
    if (x->n < 64) {
        snprintf(x->ids[x->n], sizeof x->ids[0], "%s", h->external_id);
        snprintf(x->last[x->n], sizeof x->last[0], "%s", h->last_name ? h->last_name : "");
    }
    x->n++;
    return 0;
}

static found search(fx *f, const char *query, size_t limit, const char *cursor, char *next)
{
    found x = {0};
    char own[BB_STORE_CURSOR_MAX];
    bb_error err = {0};
    if (bb_store_search(f->s, query, limit, cursor, on_hit, &x, next ? next : own, &err) != 0)
        fail_msg("search %s: %s", query, err.msg);
    return x;
}

static int has(const found *x, const char *id)
{
    for (int i = 0; i < x->n && i < 64; i++)
        if (strcmp(x->ids[i], id) == 0)
            return 1;
    return 0;
}

static void turkish_folding(void **state)
{
    fx *f = *state;
    people(f, 300);
    const char *isik[] = {"ışık", "isik", "ISIK", "Işık", "IŞIK"};
    for (size_t i = 0; i < 5; i++) {
        found x = search(f, isik[i], 50, NULL, NULL);
        assert_int_equal(x.n, 1);
        assert_string_equal(x.ids[0], "A");
    }
    assert_true(has((found[]){search(f, "istanbul", 60, NULL, NULL)}, "A"));
    found iz = search(f, "IZMIR", 60, NULL, NULL);
    assert_true(has(&iz, "B"));
    assert_int_equal(iz.n, 51); /* B and the 50 generated customers of İzmir */
    assert_true(has((found[]){search(f, "izmir", 60, NULL, NULL)}, "B"));
    assert_true(has((found[]){search(f, "öztürk can", 60, NULL, NULL)}, "B"));
    assert_true(has((found[]){search(f, "ayse isik", 60, NULL, NULL)}, "A"));
    assert_int_equal(search(f, "ayse izmir", 60, NULL, NULL).n, 0);
    /* contacts: email, phone as people type it, external id */
    assert_string_equal(search(f, "AYSE@example.com", 5, NULL, NULL).ids[0], "A");
    assert_string_equal(search(f, "0532 123 45 67", 5, NULL, NULL).ids[0], "A");
    assert_string_equal(search(f, "5321234567", 5, NULL, NULL).ids[0], "A");
    assert_string_equal(search(f, "+90 532 123 4567", 5, NULL, NULL).ids[0], "A");
    assert_int_equal(search(f, "g299@", 5, NULL, NULL).n, 1);
    /* short words scan */
    assert_true(has((found[]){search(f, "ış", 500, NULL, NULL)}, "A"));
    assert_int_equal(search(f, "zz", 5, NULL, NULL).n, 0);
    /* a quote in the query is text, not syntax */
    assert_int_equal(search(f, "a\"b OR c", 5, NULL, NULL).n, 0);
}

static void collation_order(void **state)
{
    fx *f = *state;
    const char *names[] = {"Ünal", "Işık", "Çelik", "Yılmaz", "İnce", "Aksoy", "Şahin", "Demir",
                           "Öztürk", "Cem", "Sarı", "Ozan"};
    const char *want[] = {"Aksoy", "Cem", "Çelik", "Demir", "Işık", "İnce", "Ozan", "Öztürk", "Sarı",
                          "Şahin", "Ünal", "Yılmaz"};
    char id[8];
    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "%d", i);
        bb_customer_rec c = {.customer_id = id, .first_name = "X", .last_name = names[i]};
        fx_put_customer(f, &c, NULL);
    }
    bb_customer_rec nameless = {.customer_id = "zz"};
    fx_put_customer(f, &nameless, NULL);
    found x = search(f, "", 20, NULL, NULL);
    assert_int_equal(x.n, 13);
    for (int i = 0; i < 12; i++)
        assert_string_equal(x.last[i], want[i]);
    assert_string_equal(x.ids[12], "zz"); /* the nameless come last */
}

/* Pages through a query with a small page size; every matching customer is seen exactly once. */
static void page_through(fx *f, const char *query, size_t limit, int expect)
{
    char cursor[BB_STORE_CURSOR_MAX] = "", next[BB_STORE_CURSOR_MAX];
    char *seen = calloc(2000, 1);
    int total = 0, pages = 0;
    assert_non_null(seen);
    do {
        found x = {0};
        bb_error err = {0};
        x.n = 0;
        assert_int_equal(bb_store_search(f->s, query, limit, cursor[0] ? cursor : NULL, on_hit, &x,
                                         next, &err), 0);
        assert_true((size_t)x.n <= limit);
        for (int i = 0; i < x.n; i++) {
            int k = x.ids[i][0] == 'G' ? (int)strtol(x.ids[i] + 1, NULL, 10) : 1990 + x.ids[i][0] - 'A';
            assert_int_equal(seen[k], 0);
            seen[k] = 1;
        }
        total += x.n;
        pages++;
        memcpy(cursor, next, sizeof cursor);
    } while (cursor[0]);
    assert_int_equal(total, expect);
    assert_true(pages >= expect / (int)limit);
    free(seen);
}

static void paging(void **state)
{
    fx *f = *state;
    people(f, 1800);
    page_through(f, "", 37, 1802);     /* everyone */
    page_through(f, "yılmaz", 11, expected(1800, "yilmaz")); /* common: the bounded walk */
    page_through(f, "g17", 7, expected(1800, "g17"));        /* rare: the trigram index */
    page_through(f, "ka", 13, expected(1800, "ka"));         /* short: a scan */
    page_through(f, "ç", 50, expected(1800, "c") + 2);       /* A and B have a c (Can, example.com) */
}

static void bad_arguments(void **state)
{
    fx *f = *state;
    found x = {0};
    char next[BB_STORE_CURSOR_MAX];
    bb_error err = {0};
    assert_int_equal(bb_store_search(f->s, "a", 0, NULL, on_hit, &x, next, &err), BB_EINVAL);
    assert_int_equal(bb_store_search(f->s, "a", 10, "nonsense", on_hit, &x, next, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "cursor"));
    assert_int_equal(bb_store_search(f->s, "a", 10, "zz.1", on_hit, &x, next, &err), BB_EINVAL);
    assert_int_equal(bb_store_search(f->s, "a b c d e f g h i j k l m n o p q", 10, NULL, on_hit, &x,
                                     next, &err), BB_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(turkish_folding, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(collation_order, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(paging, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_arguments, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
