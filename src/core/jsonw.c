/* jsonw.c: the JSON text writer (jsonw.h). */
#include "birebir/jsonw.h"

#include <math.h>
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
