/* test_hash.c: SHA-256 against the FIPS 180-4 example vectors (NIST CSRC examples). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "birebir/hash.h"

static const char *hex(const unsigned char d[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    return out;
}

static void vectors(void **state)
{
    (void)state;
    unsigned char d[32];
    char h[65];
    bb_sha256_digest("abc", 3, d);
    assert_string_equal(hex(d, h), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    bb_sha256_digest("", 0, d);
    assert_string_equal(hex(d, h), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    bb_sha256_digest(two, strlen(two), d);
    assert_string_equal(hex(d, h), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* one million 'a', fed in uneven pieces */
    bb_sha256 c;
    char a[997];
    memset(a, 'a', sizeof a);
    bb_sha256_init(&c);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof a ? left : sizeof a;
        bb_sha256_update(&c, a, n);
        left -= n;
    }
    bb_sha256_final(&c, d);
    assert_string_equal(hex(d, h), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
