/* encoding.h: the text encodings real files arrive in, turned into UTF-8: validation of UTF-8,
 * Windows-1254 (Turkish Excel "CSV"), UTF-16 with a BOM (Excel "Unicode text"), and the rule that
 * tells them apart. Internal to src/ingest/. */
#ifndef BB_INGEST_ENCODING_H
#define BB_INGEST_ENCODING_H

#include <stddef.h>

enum {
    BB__UTF8_OK = 0,
    BB__UTF8_BAD = 1,        /* an invalid sequence at *bad */
    BB__UTF8_TRUNCATED = 2,  /* valid, but the last sequence is cut short at *bad */
};
/* Checks n bytes of UTF-8 (overlongs, surrogates and code points past U+10FFFF are invalid). */
int bb__utf8_check(const unsigned char *p, size_t n, size_t *bad);

/* Converts n bytes of Windows-1254 to UTF-8 into out (room for 3 * n bytes); returns the bytes
 * written. The five bytes the code page leaves undefined map to the C1 controls of the same value,
 * as Windows does. */
size_t bb__cp1254_to_utf8(const unsigned char *in, size_t n, unsigned char *out);

/* Converts whole UTF-16 code units (little- or big-endian) from in to UTF-8 into out (room for
 * 3 * n / 2 + 4 bytes); *used is the bytes of in consumed (an odd byte or a high surrogate at the end
 * stays for the next call unless final). Unpaired surrogates become U+FFFD. Returns bytes written. */
size_t bb__utf16_to_utf8(const unsigned char *in, size_t n, int big_endian, int final,
                         unsigned char *out, size_t *used);

/* The guess over a sample starting at its first non-ASCII byte: */
enum { BB__GUESS_UTF8 = 0, BB__GUESS_CP1254 = 1, BB__GUESS_MORE = 2 };
/* Valid UTF-8 -> UTF8; an invalid sequence -> CP1254; only a cut-short sequence (and not at_eof) ->
 * MORE (read more and ask again). */
int bb__encoding_guess(const unsigned char *p, size_t n, int at_eof);

#endif
