/* encoding.c: UTF-8 validation, Windows-1254 and UTF-16 to UTF-8, and telling them apart. */
#include "ingest/encoding.h"

#include <stdint.h>
#include <string.h>

int bb__utf8_check(const unsigned char *p, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t need;
        uint32_t cp, min;
        if (c < 0x80) {
            /* ASCII runs, eight bytes at a time */
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, p + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            while (i < n && p[i] < 0x80)
                i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, cp = c & 0x07, min = 0x10000;
        else
            goto invalid;
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n) {
                if (bad)
                    *bad = i;
                return BB__UTF8_TRUNCATED;
            }
            if ((p[i + k] & 0xC0) != 0x80)
                goto invalid;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto invalid;
        i += need + 1;
        continue;
    invalid:
        if (bad)
            *bad = i;
        return BB__UTF8_BAD;
    }
    return BB__UTF8_OK;
}

static size_t put_utf8(uint32_t cp, unsigned char *o)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Windows-1254 0x80..0x9F (undefined ones keep their C1 value) and the six Turkish letters that
 * differ from Latin-1 in 0xA0..0xFF. */
static const uint16_t cp1254_80[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x008E, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x009E, 0x0178,
};

static uint32_t cp1254(unsigned char c)
{
    if (c < 0x80)
        return c;
    if (c < 0xA0)
        return cp1254_80[c - 0x80];
    switch (c) {
    case 0xD0:
        return 0x011E; /* Ğ */
    case 0xDD:
        return 0x0130; /* İ */
    case 0xDE:
        return 0x015E; /* Ş */
    case 0xF0:
        return 0x011F; /* ğ */
    case 0xFD:
        return 0x0131; /* ı */
    case 0xFE:
        return 0x015F; /* ş */
    default:
        return c;
    }
}

size_t bb__cp1254_to_utf8(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] < 0x80)
            out[o++] = in[i];
        else
            o += put_utf8(cp1254(in[i]), out + o);
    }
    return o;
}

size_t bb__utf16_to_utf8(const unsigned char *in, size_t n, int big_endian, int final, unsigned char *out,
                         size_t *used)
{
    size_t i = 0, o = 0;
    while (i + 2 <= n) {
        uint32_t u = big_endian ? (uint32_t)(in[i] << 8 | in[i + 1]) : (uint32_t)(in[i + 1] << 8 | in[i]);
        if (u >= 0xD800 && u <= 0xDBFF) {
            uint32_t lo;
            if (i + 4 > n) {
                if (!final)
                    break;
                o += put_utf8(0xFFFD, out + o);
                i += 2;
                continue;
            }
            lo = big_endian ? (uint32_t)(in[i + 2] << 8 | in[i + 3]) : (uint32_t)(in[i + 3] << 8 | in[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                o += put_utf8(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), out + o);
                i += 4;
            } else {
                o += put_utf8(0xFFFD, out + o);
                i += 2;
            }
            continue;
        }
        o += put_utf8(u >= 0xDC00 && u <= 0xDFFF ? 0xFFFD : u, out + o);
        i += 2;
    }
    if (final && i < n) { /* a lone odd byte */
        o += put_utf8(0xFFFD, out + o);
        i = n;
    }
    *used = i;
    return o;
}

int bb__encoding_guess(const unsigned char *p, size_t n, int at_eof)
{
    size_t bad;
    int rc = bb__utf8_check(p, n, &bad);
    if (rc == BB__UTF8_OK)
        return BB__GUESS_UTF8;
    /* Invalid or cut short: the first non-ASCII sequence decides when it is whole and valid (a later bad
     * byte in a UTF-8 file rejects its row; it does not make every row Windows-1254). */
    for (size_t i = 0; i < bad; i++)
        if (p[i] >= 0x80)
            return BB__GUESS_UTF8;
    if (rc == BB__UTF8_BAD || at_eof)
        return BB__GUESS_CP1254;
    return BB__GUESS_MORE;
}
