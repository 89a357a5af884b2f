/* test_text.c: Turkish folding, sort keys, email and phone normalisation, name similarity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/text.h"

static char *fold(const char *s, bb_buf *b)
{
    bb_buf_reset(b);
    assert_int_equal(bb_text_fold(s, (size_t)-1, b), 0);
    return (char *)bb_buf_str(b);
}

static void folding_turkish(void **state)
{
    (void)state;
    bb_buf b;
    bb_buf_init(&b, 0);
    assert_string_equal(fold("IŞIK", &b), "isik");
    assert_string_equal(fold("ışık", &b), "isik");
    assert_string_equal(fold("ISIK", &b), "isik");
    assert_string_equal(fold("isik", &b), "isik");
    assert_string_equal(fold("İSTANBUL", &b), "istanbul");
    assert_string_equal(fold("istanbul", &b), "istanbul");
    assert_string_equal(fold("İzmir", &b), "izmir");
    assert_string_equal(fold("IZMIR", &b), "izmir");
    assert_string_equal(fold("ÇĞÖŞÜ çğöşü", &b), "cgosu cgosu");
    assert_string_equal(fold("Ayşe Öztürk-Güneş", &b), "ayse ozturk-gunes");
    assert_string_equal(fold("IĞDIR Iğdır ığdır", &b), "igdir igdir igdir");
    assert_string_equal(fold("Çağrı ÇAĞRI", &b), "cagri cagri");
    /* other Latin diacritics go too */
    assert_string_equal(fold("Ångström Café naïve", &b), "angstrom cafe naive");
    assert_string_equal(fold("", &b), "");
    bb_buf_release(&b);
}

static void folding_other_scripts(void **state)
{
    (void)state;
    bb_buf b;
    bb_buf_init(&b, 0);
    assert_string_equal(fold("МОСКВА", &b), "москва");
    assert_string_equal(fold("ΑΘΗΝΑ", &b), "αθηνα");
    /* a combining mark on a non-Latin letter stays: Devanagari virama, Cyrillic short i */
    assert_string_equal(fold("नमस्ते", &b), "नमस्ते");
    assert_string_equal(fold("Й", &b), "й");
    assert_string_equal(fold("東京", &b), "東京");
    /* invalid UTF-8 is replaced, not an error */
    assert_string_equal(fold("a\xff" "b", &b), "a\xef\xbf\xbd" "b");
    bb_buf_release(&b);
}

static void folding_appends_and_limits(void **state)
{
    (void)state;
    bb_buf b;
    bb_buf_init(&b, 0);
    assert_int_equal(bb_buf_adds(&b, "x "), 0);
    assert_int_equal(bb_text_fold("Işık", (size_t)-1, &b), 0);
    assert_string_equal(bb_buf_str(&b), "x isik");
    bb_buf_release(&b);
    bb_buf_init(&b, 4);
    assert_int_equal(bb_text_fold("ŞŞŞŞŞŞ", (size_t)-1, &b), BB_ELIMIT);
    bb_buf_release(&b);
    /* a long string goes through the heap path */
    bb_buf_init(&b, 0);
    char big[3000];
    for (int i = 0; i < 1000; i++)
        memcpy(big + 2 * i, "Ş", 2);
    big[2000] = '\0';
    assert_int_equal(bb_text_fold(big, (size_t)-1, &b), 0);
    assert_int_equal(b.len, 1000);
    assert_int_equal(b.data[999], 's');
    bb_buf_release(&b);
}

static void email(void **state)
{
    (void)state;
    char out[256];
    bb_error err = {0};
    assert_int_equal(bb_text_email_norm("  Ayse.Isik@Example.COM \t", out, sizeof out, &err), 0);
    assert_string_equal(out, "ayse.isik@example.com");
    assert_int_equal(bb_text_email_norm("no-at-sign", out, sizeof out, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "not an email"));
    assert_int_equal(bb_text_email_norm("a@@b", out, sizeof out, NULL), BB_EINVAL);
    assert_int_equal(bb_text_email_norm("@b.com", out, sizeof out, NULL), BB_EINVAL);
    assert_int_equal(bb_text_email_norm("a b@c.com", out, sizeof out, NULL), BB_EINVAL);
    assert_int_equal(bb_text_email_norm("", out, sizeof out, NULL), BB_EINVAL);
    assert_int_equal(bb_text_email_norm("abcdef@example.com", out, 8, NULL), BB_EINVAL);
}

static void phone(void **state)
{
    (void)state;
    char out[32];
    bb_error err = {0};
    const char *same[] = {"0532 123 45 67", "+90 532 1234567", "5321234567", "905321234567",
                          "0090 532 123 45 67", "(0532) 123-45-67", " +90.532.123.45.67 "};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        assert_int_equal(bb_text_phone_norm(same[i], out, sizeof out, &err), 0);
        assert_string_equal(out, "+905321234567");
    }
    assert_int_equal(bb_text_phone_norm("+44 20 7946 0958", out, sizeof out, NULL), 0);
    assert_string_equal(out, "+442079460958");
    assert_int_equal(bb_text_phone_norm("0044 20 7946 0958", out, sizeof out, NULL), 0);
    assert_string_equal(out, "+442079460958");
    assert_int_equal(bb_text_phone_norm("12345", out, sizeof out, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "not a Turkish number"));
    assert_int_equal(bb_text_phone_norm("0532 123 45 6x", out, sizeof out, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "'x'"));
    assert_int_equal(bb_text_phone_norm("+0532", out, sizeof out, NULL), BB_EINVAL);
    assert_int_equal(bb_text_phone_norm("", out, sizeof out, NULL), BB_EINVAL);
    assert_int_equal(bb_text_phone_norm("1234567890123456789012345", out, sizeof out, NULL), BB_EINVAL);
}

static void similarity(void **state)
{
    (void)state;
    /* Jaro-Winkler reference values (Winkler 1990; the MARTHA/MARHTA, DWAYNE/DUANE, DIXON/DICKSONX
     * examples): 0.961, 0.840, 0.813. */
    assert_float_equal(bb_text_similarity("martha", "marhta"), 0.9611, 1e-4);
    assert_float_equal(bb_text_similarity("dwayne", "duane"), 0.84, 1e-4);
    assert_float_equal(bb_text_similarity("dixon", "dicksonx"), 0.8133, 1e-4);
    assert_float_equal(bb_text_similarity("ayse", "ayse"), 1.0, 1e-12);
    assert_float_equal(bb_text_similarity("", ""), 1.0, 1e-12);
    assert_float_equal(bb_text_similarity("abc", ""), 0.0, 1e-12);
    assert_float_equal(bb_text_similarity("abc", "xyz"), 0.0, 1e-12);
    /* code points, not bytes */
    assert_float_equal(bb_text_similarity("ş", "ş"), 1.0, 1e-12);
    assert_true(bb_text_similarity("mehmet yilmaz", "mehmet yılmaz") > 0.9);
}

static int keycmp(bb_text_collator *c, const char *l1, const char *f1, const char *l2, const char *f2)
{
    bb_buf a, b;
    const char *pa[2] = {l1, f1}, *pb[2] = {l2, f2};
    int r;
    bb_buf_init(&a, 0);
    bb_buf_init(&b, 0);
    assert_int_equal(bb_text_sort_key(c, pa, 2, &a), 0);
    assert_int_equal(bb_text_sort_key(c, pb, 2, &b), 0);
    size_t n = a.len < b.len ? a.len : b.len;
    r = memcmp(a.data, b.data, n);
    if (r == 0)
        r = a.len < b.len ? -1 : a.len > b.len;
    bb_buf_release(&a);
    bb_buf_release(&b);
    return r;
}

static void collation(void **state)
{
    (void)state;
    bb_text_collator *c = NULL;
    assert_int_equal(bb_text_collator_new("tr", &c, NULL), 0);
    /* Turkish alphabet: c < ç < d, g < ğ < h, ı < i, o < ö < p, s < ş < t, u < ü < v */
    assert_true(keycmp(c, "Cem", "", "Çelik", "") < 0);
    assert_true(keycmp(c, "Çelik", "", "Demir", "") < 0);
    assert_true(keycmp(c, "Işık", "", "İnce", "") < 0);
    assert_true(keycmp(c, "Ozan", "", "Öztürk", "") < 0);
    assert_true(keycmp(c, "Öztürk", "", "Polat", "") < 0);
    assert_true(keycmp(c, "Sarı", "", "Şahin", "") < 0);
    assert_true(keycmp(c, "Şahin", "", "Tekin", "") < 0);
    assert_true(keycmp(c, "Uçar", "", "Ünal", "") < 0);
    assert_true(keycmp(c, "Ünal", "", "Vural", "") < 0);
    /* last name first, then first name */
    assert_true(keycmp(c, "Yılmaz", "Ayşe", "Yılmaz", "Mehmet") < 0);
    assert_true(keycmp(c, "Aksoy", "Zeynep", "Yılmaz", "Ayşe") < 0);
    assert_int_equal(keycmp(c, "Yılmaz", "Ayşe", "Yılmaz", "Ayşe"), 0);
    assert_true(keycmp(c, "Yılmaz", NULL, "Yılmaz", "Ali") < 0);
    bb_text_collator_free(c);
    bb_text_collator_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folding_turkish),
        cmocka_unit_test(folding_other_scripts),
        cmocka_unit_test(folding_appends_and_limits),
        cmocka_unit_test(email),
        cmocka_unit_test(phone),
        cmocka_unit_test(similarity),
        cmocka_unit_test(collation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
