/* test_sqlite_dupes.c: likely duplicates: planted pairs are found with their reason, unrelated
 * customers are not, the limit holds, merged customers drop out. */
#include "store_fixture.h"

typedef struct pairs {
    int n;
    char a[64][16], b[64][16], reason[64][64];
    double score[64];
} pairs;

static int on_pair(void *ctx, const bb_duplicate *d)
{
    pairs *p = ctx;
    if (p->n < 64) {
        snprintf(p->a[p->n], 16, "%s", d->a_ref);
        snprintf(p->b[p->n], 16, "%s", d->b_ref);
        snprintf(p->reason[p->n], 64, "%s", d->reason);
        p->score[p->n] = d->score;
        assert_true(d->a < d->b);
    }
    p->n++;
    return 0;
}

static int find(const pairs *p, const char *a, const char *b)
{
    for (int i = 0; i < p->n && i < 64; i++)
        if ((strcmp(p->a[i], a) == 0 && strcmp(p->b[i], b) == 0) ||
            (strcmp(p->a[i], b) == 0 && strcmp(p->b[i], a) == 0))
            return i;
    return -1;
}

static void put(fx *f, const char *id, const char *first, const char *last, const char *email,
                const char *phone, const char *city, const char *birth)
{
    bb_customer_rec c = {.customer_id = id, .first_name = first, .last_name = last, .email = email,
                         .phone = phone, .city = city, .birth_date = birth};
    fx_put_customer(f, &c, NULL);
}

static void plant(fx *f)
{
    fx_begin(f);
    put(f, "e1", "Ayşe", "Kaya", "ayse@example.com", NULL, "Ankara", NULL);
    put(f, "e2", "A.", "Kaya", "AYSE@example.com", NULL, NULL, NULL);        /* same email */
    put(f, "p1", "Veli", "Demir", NULL, "0532 000 11 22", NULL, NULL);
    put(f, "p2", "Velihan", "Çelik", NULL, "+90 532 000 1122", NULL, NULL);  /* same phone */
    put(f, "b1", "Can", "Ak", "can@example.com", "05551234567", NULL, NULL);
    put(f, "b2", "Can", "Ak", "can@example.com", "05551234567", NULL, NULL); /* both */
    put(f, "n1", "Mehmet", "Yılmaz", "m1@example.com", NULL, "İstanbul", "1980-01-02");
    put(f, "n2", "MEHMET", "YILMAZ", "m2@example.com", NULL, "istanbul", "1980-01-02"); /* names */
    put(f, "s1", "Mustafa", "Şahin", NULL, NULL, "İzmir", NULL);
    put(f, "s2", "Mustafa", "Sahin", NULL, NULL, NULL, NULL);                /* names, no city */
    put(f, "t1", "Zeynep", "Öztürk", NULL, NULL, "Bursa", NULL);
    put(f, "t2", "Zeynep", "Öztürk", NULL, NULL, "Konya", NULL);             /* told apart: city */
    put(f, "u1", "Elif", "Aydın", NULL, NULL, NULL, "1990-01-01");
    put(f, "u2", "Elif", "Aydın", NULL, NULL, NULL, "1991-05-05");           /* told apart: birth */
    put(f, "w1", "Hasan", "Kaya", "hasan1@example.com", "05550000001", "Ankara", NULL);
    put(f, "w2", "Hasan", "Kaya", "hasan2@example.com", "05550000002", "Ankara", NULL); /* apart */
    put(f, "v1", "Ali", "Kurt", NULL, NULL, NULL, NULL);
    put(f, "v2", "Ahmet", "Kurt", NULL, NULL, NULL, NULL);                    /* different names */
    /* a crowd of distinct people */
    static const char *first[] = {"Hasan", "Hüseyin", "İbrahim", "Osman", "Emine", "Hatice", "Fatma",
                                  "Gül", "Ömer", "Yusuf"};
    static const char *last[] = {"Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Polat",
                                 "Özkan", "Şimşek", "Erdoğan", "Güneş", "Aksoy", "Bulut", "Tekin"};
    for (int i = 0; i < 150; i++) {
        char id[8];
        snprintf(id, sizeof id, "x%d", i);
        put(f, id, first[i % 10], last[i / 10], NULL, NULL, NULL, NULL);
    }
    fx_commit(f);
}

static void finds_planted_pairs(void **state)
{
    fx *f = *state;
    pairs p = {0};
    bb_error err = {0};
    int i;
    plant(f);
    assert_int_equal(bb_store_duplicates(f->s, 0, on_pair, &p, &err), 0);
    assert_true((i = find(&p, "e1", "e2")) >= 0);
    assert_string_equal(p.reason[i], "same email");
    assert_true((i = find(&p, "p1", "p2")) >= 0);
    assert_string_equal(p.reason[i], "same phone");
    assert_true((i = find(&p, "b1", "b2")) >= 0);
    assert_string_equal(p.reason[i], "same email and phone");
    assert_true((i = find(&p, "n1", "n2")) >= 0);
    assert_string_equal(p.reason[i], "similar names, same city and birth date");
    assert_true((i = find(&p, "s1", "s2")) >= 0);
    assert_string_equal(p.reason[i], "similar names");
    assert_int_equal(find(&p, "t1", "t2"), -1);
    assert_int_equal(find(&p, "u1", "u2"), -1);
    assert_int_equal(find(&p, "v1", "v2"), -1);
    assert_int_equal(find(&p, "w1", "w2"), -1);
    assert_int_equal(p.n, 5); /* and nothing among the crowd */
    /* best evidence first */
    assert_true(find(&p, "e1", "e2") < find(&p, "p1", "p2"));
    assert_true(find(&p, "p1", "p2") < find(&p, "n1", "n2"));
    assert_true(find(&p, "n1", "n2") < find(&p, "s1", "s2"));
}

static void limit_and_merged(void **state)
{
    fx *f = *state;
    pairs p = {0};
    bb_error err = {0};
    plant(f);
    assert_int_equal(bb_store_duplicates(f->s, 4, on_pair, &p, &err), 0);
    assert_int_equal(p.n, 4);
    assert_true(find(&p, "n1", "n2") >= 0); /* the best name pair makes the cut */
    assert_int_equal(bb_store_merge(f->s, "e1", "e2", "t", NULL, &err), 0);
    memset(&p, 0, sizeof p);
    assert_int_equal(bb_store_duplicates(f->s, 0, on_pair, &p, &err), 0);
    assert_int_equal(find(&p, "e1", "e2"), -1);
    assert_int_equal(p.n, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(finds_planted_pairs, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(limit_and_merged, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
