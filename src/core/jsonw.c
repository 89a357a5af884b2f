/* jsonw.c: the JSON text writer (jsonw.h). */
#include "birebir/jsonw.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "birebir/error.h"

void bb_jsonw_init(bb_jsonw *w, bb_buf *out, int precision)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->precision = precision < 1 ? 17 : precision > 17 ? 17 : precision;
}

/* Appends to the buffer: in place when it has room (the common case: a writer appends many small
 * pieces), else through bb_buf_add, which grows it or fails. */
static void put(bb_jsonw *w, const char *s, size_t n)
{
    bb_buf *b = w->out;
    if (w->failed)
        return;
    if (b->len + n < b->cap && b->len + n <= b->max) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else if (bb_buf_add(b, s, n) != 0) {
        w->failed = BB_ENOMEM;
    }
}

/* The comma before a value or key, when its container has a member already. */
static void begin_value(bb_jsonw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (w->more[w->depth - 1])
            put(w, ",", 1);
        w->more[w->depth - 1] = 1;
    }
}

static void open_(bb_jsonw *w, const char *c)
{
    begin_value(w);
    put(w, c, 1);
    if (w->depth == BB_JSONW_DEPTH) {
        w->failed = BB_EINTERNAL;
        return;
    }
    w->more[w->depth++] = 0;
}

static void close_(bb_jsonw *w, const char *c)
{
    if (w->depth == 0 || w->after_key) {
        w->failed = BB_EINTERNAL;
        return;
    }
    w->depth--;
    put(w, c, 1);
}

void bb_jsonw_obj(bb_jsonw *w)
{
    open_(w, "{");
}
void bb_jsonw_obj_end(bb_jsonw *w)
{
    close_(w, "}");
}
void bb_jsonw_arr(bb_jsonw *w)
{
    open_(w, "[");
}
void bb_jsonw_arr_end(bb_jsonw *w)
{
    close_(w, "]");
}

/* The bytes that end a run of plain text: control characters (NUL, the string's end, among them), '"'
 * and '\\'. */
static const unsigned char special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1,
};

static void quoted(bb_jsonw *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *run = s;
    put(w, "\"", 1);
    for (;; s++) {
        unsigned char c;
        const char *esc = NULL;
        char u[7];
        while (!special[(unsigned char)*s])
            s++;
        if (!(c = (unsigned char)*s))
            break;
        put(w, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            memcpy(u, "\\u00", 4);
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        }
        put(w, esc, strlen(esc));
    }
    put(w, run, (size_t)(s - run));
    put(w, "\"", 1);
}

void bb_jsonw_key(bb_jsonw *w, const char *key)
{
    begin_value(w);
    quoted(w, key);
    put(w, ":", 1);
    w->after_key = 1;
}

void bb_jsonw_str(bb_jsonw *w, const char *s)
{
    if (!s) {
        bb_jsonw_null(w);
        return;
    }
    begin_value(w);
    quoted(w, s);
}

/* Digits written backwards from the end of a small buffer: snprintf's format parsing was most of the
 * cost of an integer, and a stored 360 view's scores write a dozen. */
void bb_jsonw_int(bb_jsonw *w, int64_t v)
{
    char b[24], *p = b + sizeof b;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    begin_value(w);
    put(w, p, (size_t)(b + sizeof b - p));
}

/* printf's "%.*g" of v at precision p, written into b without printf, when that can be decided
 * exactly here; else 0 (the caller prints with snprintf). v is scaled to p significant digits in long
 * double (64-bit mantissa: the scale is a power of ten up to 10^27, exact there, and the product is
 * within 2^-63 of the true one, so at p <= 15 the error is under 10^-4 of a unit): rounding to nearest is
 * decided unless the fraction lies within 10^-3 of a half, where printf's exact decimal expansion (and
 * its ties to even) could differ; those, zero, and p or exponents out of range go to snprintf. The
 * layout follows C's %g: fixed when -4 <= exponent < p, else d.ddde+XX, trailing zeros dropped. */
static size_t real_g(double v, int p, char *b)
{
    static const long double pow10[28] = {
        1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,  1e10L, 1e11L, 1e12L, 1e13L,
        1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
    char d[16];
    long double a, sc = 0, fl, frac;
    uint64_t r;
    int e, k, x, tries, nd, o = 0;
    if (LDBL_MANT_DIG < 64 || p < 1 || p > 15 || v == 0 || !isfinite(v))
        return 0;
    a = fabsl((long double)v);
    e = (int)floorl(log10l(a));
    for (tries = 0;; tries++) { /* the exponent that puts a in [10^(p-1), 10^p) */
        k = p - 1 - e;
        if (tries > 3 || k > 27 || k < -27)
            return 0;
        sc = k >= 0 ? a * pow10[k] : a / pow10[-k];
        if (sc < pow10[p - 1])
            e--;
        else if (sc >= pow10[p])
            e++;
        else
            break;
    }
    fl = floorl(sc);
    frac = sc - fl;
    if (fabsl(frac - 0.5L) < 1e-3L)
        return 0;
    r = (uint64_t)fl + (frac > 0.5L);
    x = e;
    if (r == (uint64_t)pow10[p]) { /* 9.99...95 rounded up: one more digit to the left */
        r /= 10;
        x++;
    }
    for (int i = p - 1; i >= 0; i--, r /= 10)
        d[i] = (char)('0' + r % 10);
    for (nd = p; nd > 1 && d[nd - 1] == '0'; nd--) /* %g drops trailing zeros */
        ;
    if (v < 0)
        b[o++] = '-';
    if (x >= -4 && x < p) {
        if (x < 0) {
            b[o++] = '0';
            b[o++] = '.';
            for (int i = 0; i < -x - 1; i++)
                b[o++] = '0';
            memcpy(b + o, d, (size_t)nd);
            o += nd;
        } else {
            memcpy(b + o, d, (size_t)x + 1);
            o += x + 1;
            if (nd > x + 1) {
                b[o++] = '.';
                memcpy(b + o, d + x + 1, (size_t)(nd - x - 1));
                o += nd - x - 1;
            }
        }
    } else {
        int ax = x < 0 ? -x : x;
        b[o++] = d[0];
        if (nd > 1) {
            b[o++] = '.';
            memcpy(b + o, d + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        b[o++] = 'e';
        b[o++] = x < 0 ? '-' : '+';
        if (ax >= 100)
            b[o++] = (char)('0' + ax / 100);
        b[o++] = (char)('0' + ax / 10 % 10);
        b[o++] = (char)('0' + ax % 10);
    }
    b[o] = '\0';
    return (size_t)o;
}

/* As jansson prints a real: %.Ng, ".0" added to what would read as an integer, the exponent without
 * '+' and leading zeros. Not finite: null (JSON has no such numbers). */
void bb_jsonw_real(bb_jsonw *w, double v)
{
    char b[48], *e;
    size_t n;
    if (!isfinite(v)) {
        bb_jsonw_null(w);
        return;
    }
    if (!real_g(v, w->precision, b)) /* a stored view's scores write three: snprintf was most of them */
        snprintf(b, sizeof b - 2, "%.*g", w->precision, v);
    if (!strchr(b, '.') && !strchr(b, 'e'))
        strcat(b, ".0");
    if ((e = strchr(b, 'e')) != NULL) {
        char *p = e + 1, *q;
        if (*p == '-')
            p++;
        for (q = p; *q == '+' || *q == '0'; q++)
            ;
        if (!*q)
            q--; /* keep one zero */
        memmove(p, q, strlen(q) + 1);
    }
    n = strlen(b);
    begin_value(w);
    put(w, b, n);
}

void bb_jsonw_bool(bb_jsonw *w, int v)
{
    begin_value(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void bb_jsonw_null(bb_jsonw *w)
{
    begin_value(w);
    put(w, "null", 4);
}

void bb_jsonw_raw(bb_jsonw *w, const char *json, size_t len)
{
    begin_value(w);
    put(w, json, len);
}

int bb_jsonw_finish(const bb_jsonw *w)
{
    if (w->failed)
        return w->failed;
    return w->depth || w->after_key ? BB_EINTERNAL : 0;
}
