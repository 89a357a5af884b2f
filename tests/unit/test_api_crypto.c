/* test_api_crypto.c: base64url against RFC 4648's vectors, constant-time comparison, random bytes, and
 * argon2id password hashes (format, verification, refusals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_impl.h"

static void base64url_vectors(void **state)
{
    (void)state;
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    char buf[32];
    for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
        assert_int_equal(bb__base64url((const unsigned char *)in[i], strlen(in[i]), buf, sizeof buf), strlen(out[i]));
        assert_string_equal(buf, out[i]);
    }
    /* The URL-safe alphabet: 0xfb 0xff is "+/8" in base64, "-_8" here. */
    const unsigned char u[] = {0xfb, 0xff};
    bb__base64url(u, 2, buf, sizeof buf);
    assert_string_equal(buf, "-_8");
    /* Truncation keeps a terminated string. */
    assert_int_equal(bb__base64url((const unsigned char *)"foobar", 6, buf, 4), 3);
    assert_string_equal(buf, "Zm9");
}

static void random_and_equal(void **state)
{
    (void)state;
    char a[64], b[64];
    bb_error err = {0};
    assert_int_equal(bb__random_text(32, a, sizeof a, &err), 0);
    assert_int_equal(bb__random_text(32, b, sizeof b, &err), 0);
    assert_int_equal(strlen(a), 43);
    assert_string_not_equal(a, b);
    assert_true(bb__ct_equal("abcdef", "abcdef", 6));
    assert_false(bb__ct_equal("abcdef", "abcdeg", 6));
    assert_int_equal(bb__random_text(32, a, 10, &err), BB_EINTERNAL);
}

static void passwords(void **state)
{
    (void)state;
    char h1[256], h2[256];
    bb_error err = {0};
    assert_int_equal(bb_api_password_hash("correct horse", h1, sizeof h1, &err), 0);
    assert_int_equal(strncmp(h1, "$argon2id$v=19$m=19456,t=2,p=1$", 31), 0);
    assert_int_equal(bb_api_password_hash("correct horse", h2, sizeof h2, &err), 0);
    assert_string_not_equal(h1, h2); /* a fresh salt each time */
    assert_int_equal(bb_api_password_verify(h1, "correct horse"), 1);
    assert_int_equal(bb_api_password_verify(h2, "correct horse"), 1);
    assert_int_equal(bb_api_password_verify(h1, "correct horsE"), 0);
    assert_int_equal(bb_api_password_verify(h1, ""), 0);
    assert_int_equal(bb_api_password_verify("plain", "plain"), 0);
    assert_int_equal(bb_api_password_verify(NULL, "x"), 0);
    /* Other argon2 variants are not accepted as ours. */
    assert_int_equal(bb_api_password_verify("$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
                                            "password"),
                     0);
    assert_int_equal(bb_api_password_hash("short", h1, sizeof h1, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "8 to 1024"));
    assert_int_equal(bb_api_password_hash("long enough", h1, 20, &err), BB_EINTERNAL);
    bb__password_burn("anything"); /* costs time, decides nothing */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base64url_vectors),
        cmocka_unit_test(random_and_equal),
        cmocka_unit_test(passwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
