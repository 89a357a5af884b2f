/* test_encoding.c: UTF-8 validation, Windows-1254 and UTF-16 conversion against Python's codecs
 * (bytes([b]).decode("cp1254"), "...".encode("utf-16-le")), and the guess between them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/encoding.h"

static void utf8_validation(void **state)
{
    size_t bad = 99;
    (void)state;
#define CHECK(s, want) assert_int_equal(bb__utf8_check((const unsigned char *)(s), sizeof(s) - 1, &bad), want)
    CHECK("plain ascii, long enough to take the eight-byte path", BB__UTF8_OK);
    CHECK("\xC5\x9F\xC4\x9F\xC4\xB1\xC4\xB0 \xE2\x82\xBA \xF0\x9F\x98\x80", BB__UTF8_OK); /* şğıİ ₺ 😀 */
    CHECK("ab\xFF", BB__UTF8_BAD);
    assert_int_equal(bad, 2);
    CHECK("\xC0\xAF", BB__UTF8_BAD);         /* overlong '/' */
    CHECK("\xE0\x80\xAF", BB__UTF8_BAD);     /* overlong */
    CHECK("\xED\xA0\x80", BB__UTF8_BAD);     /* a surrogate */
    CHECK("\xF4\x90\x80\x80", BB__UTF8_BAD); /* past U+10FFFF */
    CHECK("\xC5x", BB__UTF8_BAD);
    CHECK("ok\xE2\x82", BB__UTF8_TRUNCATED);
    assert_int_equal(bad, 2);
#undef CHECK
}

static void cp1254(void **state)
{
    /* every byte 0x80..0xFF against Python's cp1254 codec; undefined bytes keep their C1 value */
    static const unsigned short want[128] = {0x20AC, 0x81,   0x201A, 0x192,  0x201E, 0x2026, 0x2020, 0x2021,
                                             0x2C6,  0x2030, 0x160,  0x2039, 0x152,  0x8D,   0x8E,   0x8F,
                                             0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                             0x2DC,  0x2122, 0x161,  0x203A, 0x153,  0x9D,   0x9E,   0x178};
    unsigned char in[128], out[400];
    size_t n, o = 0;
    (void)state;
    for (int i = 0; i < 128; i++)
        in[i] = (unsigned char)(0x80 + i);
    n = bb__cp1254_to_utf8(in, 128, out);
    assert_int_equal(bb__utf8_check(out, n, NULL), BB__UTF8_OK);
    for (int i = 0; i < 128; i++) {
        unsigned cp, b = out[o];
        unsigned expect = i < 32 ? want[i] : 0x80u + (unsigned)i;
        if (b < 0xE0)
            cp = ((b & 0x1Fu) << 6) | (out[o + 1] & 0x3Fu), o += 2;
        else
            cp = ((b & 0x0Fu) << 12) | ((out[o + 1] & 0x3Fu) << 6) | (out[o + 2] & 0x3Fu), o += 3;
        switch (0x80 + i) {
        case 0xD0:
            expect = 0x11E;
            break; /* Ğ */
        case 0xDD:
            expect = 0x130;
            break; /* İ */
        case 0xDE:
            expect = 0x15E;
            break; /* Ş */
        case 0xF0:
            expect = 0x11F;
            break; /* ğ */
        case 0xFD:
            expect = 0x131;
            break; /* ı */
        case 0xFE:
            expect = 0x15F;
            break; /* ş */
        default:
            break;
        }
        assert_int_equal(cp, expect);
    }
    assert_int_equal(o, n);
    /* "Işık Öztürk Çağ" as Turkish Excel writes it */
    n = bb__cp1254_to_utf8((const unsigned char *)"I\xfe\xfdk \xd6zt\xfcrk \xc7"
                                                  "a\xf0",
                           15, out);
    out[n] = '\0';
    assert_string_equal((char *)out, "Işık Öztürk Çağ");
}

static void utf16(void **state)
{
    /* "aş😀" in UTF-16LE: 61 00 5F 01 3D D8 00 DE */
    const unsigned char le[] = {0x61, 0x00, 0x5F, 0x01, 0x3D, 0xD8, 0x00, 0xDE};
    const unsigned char be[] = {0x00, 0x61, 0x01, 0x5F, 0xD8, 0x3D, 0xDE, 0x00};
    unsigned char out[64];
    size_t used, n;
    (void)state;
    n = bb__utf16_to_utf8(le, sizeof le, 0, 1, out, &used);
    out[n] = '\0';
    assert_string_equal((char *)out, "aş😀");
    assert_int_equal(used, 8);
    n = bb__utf16_to_utf8(be, sizeof be, 1, 1, out, &used);
    out[n] = '\0';
    assert_string_equal((char *)out, "aş😀");
    /* a high surrogate at the end waits for more unless final */
    n = bb__utf16_to_utf8(le, 6, 0, 0, out, &used);
    assert_int_equal(used, 4);
    assert_int_equal(n, 3);
    n = bb__utf16_to_utf8(le, 7, 0, 1, out, &used);
    out[n] = '\0';
    assert_string_equal((char *)out, "aş\xEF\xBF\xBD\xEF\xBF\xBD"); /* lone surrogate, odd byte */
    assert_int_equal(used, 7);
}

static void guess(void **state)
{
    (void)state;
    assert_int_equal(bb__encoding_guess((const unsigned char *)"\xC5\x9F"
                                                               "abc",
                                        5, 0),
                     BB__GUESS_UTF8);
    assert_int_equal(bb__encoding_guess((const unsigned char *)"\xFE"
                                                               "abc",
                                        4, 0),
                     BB__GUESS_CP1254);
    assert_int_equal(bb__encoding_guess((const unsigned char *)"\xC5", 1, 0), BB__GUESS_MORE);
    assert_int_equal(bb__encoding_guess((const unsigned char *)"\xC5", 1, 1), BB__GUESS_CP1254);
    assert_int_equal(bb__encoding_guess((const unsigned char *)"\xC5\x9F\xC5", 3, 0), BB__GUESS_UTF8);
    /* UTF-8 first, a stray byte later: still UTF-8 (that row is rejected), whatever comes last */
    assert_int_equal(bb__encoding_guess((const unsigned char *)"\xC5\x9F"
                                                               "e\nBad\xFF",
                                        8, 0),
                     BB__GUESS_UTF8);
    assert_int_equal(bb__encoding_guess((const unsigned char *)"\xC5\x9F"
                                                               "e\nBad\xFF",
                                        8, 1),
                     BB__GUESS_UTF8);
    /* Windows-1254 first ("Ş" then a valid-looking pair later): Windows-1254 */
    assert_int_equal(bb__encoding_guess((const unsigned char *)"\xDE"
                                                               "ehir \xC5\x9F",
                                        8, 0),
                     BB__GUESS_CP1254);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_validation),
        cmocka_unit_test(cp1254),
        cmocka_unit_test(utf16),
        cmocka_unit_test(guess),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
