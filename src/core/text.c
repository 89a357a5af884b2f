/* text.c: Turkish folding (ICU case mapping and normalisation), collation sort keys, email and phone
 * normalisation, Jaro-Winkler name similarity. */
#include "birebir/text.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

/* ---- UTF-16 scratch buffers: on the stack for short text, on the heap beyond. ---- */

enum { USTACK = 256 };

typedef struct ustr {
    UChar *p;
    int32_t len, cap;
    UChar stack[USTACK];
} ustr;

static void ustr_init(ustr *u)
{
    u->p = u->stack;
    u->len = 0;
    u->cap = USTACK;
}

static void ustr_release(ustr *u)
{
    if (u->p != u->stack)
        free(u->p);
    ustr_init(u);
}

static int ustr_reserve(ustr *u, int64_t cap)
{
    UChar *p;
    if (cap <= u->cap)
        return 0;
    if (cap > INT32_MAX / 2)
        return BB_ELIMIT;
    p = malloc((size_t)cap * sizeof *p);
    if (!p)
        return BB_ENOMEM;
    if (u->p != u->stack)
        free(u->p);
    u->p = p;
    u->cap = (int32_t)cap;
    return 0;
}

static int ustr_from_utf8(ustr *u, const char *s, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    int rc;
    if (len > INT32_MAX / 4)
        return BB_ELIMIT;
    if ((rc = ustr_reserve(u, (int64_t)len + 1)) != 0) /* UTF-16 never needs more units than bytes */
        return rc;
    u_strFromUTF8WithSub(u->p, u->cap, &u->len, s, (int32_t)len, 0xFFFD, NULL, &st);
    return U_FAILURE(st) ? BB_EINVAL : 0;
}

static int ustr_to_utf8(const UChar *p, int32_t n, bb_buf *out)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = 0;
    int rc;
    if (n == 0)
        return bb_buf_reserve(out, 0);
    u_strToUTF8(NULL, 0, &need, p, n, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return BB_EINVAL;
    if ((rc = bb_buf_reserve(out, (size_t)need + 1)) != 0)
        return rc;
    st = U_ZERO_ERROR;
    u_strToUTF8(out->data + out->len, (int32_t)(out->cap - out->len), &need, p, n, &st);
    if (U_FAILURE(st))
        return BB_EINVAL;
    out->len += (size_t)need;
    out->data[out->len] = '\0';
    return 0;
}

/* ---- Folding ---- */

static int fold_ascii(const char *s, size_t len, bb_buf *out)
{
    int rc = bb_buf_reserve(out, len);
    if (rc)
        return rc;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        out->data[out->len + i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out->len += len;
    out->data[out->len] = '\0';
    return 0;
}

/* Drops combining marks that follow a Latin letter, and maps dotless ı to i. */
static void strip_latin_marks(ustr *u)
{
    int32_t i = 0, o = 0;
    int latin_base = 0;
    UErrorCode st = U_ZERO_ERROR;
    while (i < u->len) {
        UChar32 c;
        int32_t start = i;
        U16_NEXT(u->p, i, u->len, c);
        if (u_charType(c) == U_NON_SPACING_MARK) {
            if (latin_base)
                continue;
        } else {
            st = U_ZERO_ERROR;
            latin_base = uscript_getScript(c, &st) == USCRIPT_LATIN;
            if (c == 0x0131)
                c = 'i';
        }
        if (c < 0x10000) {
            u->p[o++] = (UChar)c;
        } else {
            while (start < i)
                u->p[o++] = u->p[start++];
        }
    }
    u->len = o;
}

int bb_text_fold(const char *s, size_t len, bb_buf *out)
{
    ustr a, b;
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfd, *nfc;
    int rc = 0;
    size_t i;

    if (len == (size_t)-1)
        len = strlen(s);
    for (i = 0; i < len && !(s[i] & 0x80); i++)
        ;
    if (i == len)
        return fold_ascii(s, len, out);

    ustr_init(&a);
    ustr_init(&b);
    if ((rc = ustr_from_utf8(&a, s, len)) != 0)
        goto done;
    /* Turkish lowercasing: may grow the text, so ask for the length when the buffer is short. */
    for (int pass = 0; pass < 2; pass++) {
        st = U_ZERO_ERROR;
        b.len = u_strToLower(b.p, b.cap, a.p, a.len, "tr", &st);
        if (st == U_BUFFER_OVERFLOW_ERROR && pass == 0) {
            if ((rc = ustr_reserve(&b, (int64_t)b.len + 1)) != 0)
                goto done;
            continue;
        }
        break;
    }
    if (U_FAILURE(st)) {
        rc = BB_EINVAL;
        goto done;
    }
    nfd = unorm2_getNFDInstance(&st);
    nfc = U_SUCCESS(st) ? unorm2_getNFCInstance(&st) : NULL;
    if (U_FAILURE(st)) {
        rc = BB_EINTERNAL;
        goto done;
    }
    for (int pass = 0; pass < 2; pass++) {
        st = U_ZERO_ERROR;
        a.len = unorm2_normalize(nfd, b.p, b.len, a.p, a.cap, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR && pass == 0) {
            if ((rc = ustr_reserve(&a, (int64_t)a.len + 1)) != 0)
                goto done;
            continue;
        }
        break;
    }
    if (U_FAILURE(st)) {
        rc = BB_EINVAL;
        goto done;
    }
    strip_latin_marks(&a);
    /* Recompose what is left (marks on other scripts); never longer than its decomposition. */
    if ((rc = ustr_reserve(&b, (int64_t)a.len + 1)) != 0)
        goto done;
    st = U_ZERO_ERROR;
    b.len = unorm2_normalize(nfc, a.p, a.len, b.p, b.cap, &st);
    if (U_FAILURE(st)) {
        rc = BB_EINVAL;
        goto done;
    }
    rc = ustr_to_utf8(b.p, b.len, out);
done:
    ustr_release(&a);
    ustr_release(&b);
    return rc;
}

/* ---- Email and phone ---- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = strlen(p);
    while (n && is_space(*p))
        p++, n--;
    while (n && is_space(p[n - 1]))
        n--;
    *s = p;
    *len = n;
}

int bb_text_email_norm(const char *s, char *out, size_t size, bb_error *err)
{
    size_t n, at = 0, ats = 0;
    trim(&s, &n);
    if (n == 0)
        return bb_error_set(err, BB_EINVAL, "email is empty");
    if (n >= size || n > 254)
        return bb_error_set(err, BB_EINVAL, "email \"%.*s...\" is too long", 40, s);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '@')
            at = i, ats++;
        if (c <= ' ' || c == 0x7f)
            return bb_error_set(err, BB_EINVAL, "email \"%.*s\" contains a space or control character",
                                (int)n, s);
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
    }
    out[n] = '\0';
    if (ats != 1 || at == 0 || at == n - 1)
        return bb_error_set(err, BB_EINVAL, "\"%.*s\" is not an email address (name@domain)", (int)n, s);
    return 0;
}

int bb_text_phone_norm(const char *s, char *out, size_t size, bb_error *err)
{
    char d[24];
    size_t n, nd = 0, from = 0;
    int plus = 0;
    trim(&s, &n);
    if (n == 0)
        return bb_error_set(err, BB_EINVAL, "phone number is empty");
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (nd >= sizeof d - 1)
                return bb_error_set(err, BB_EINVAL, "phone number \"%.*s\" has too many digits",
                                    (int)(n > 40 ? 40 : n), s);
            d[nd++] = c;
        } else if (c == '+' && nd == 0 && !plus) {
            plus = 1;
        } else if (!(c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')')) {
            return bb_error_set(err, BB_EINVAL, "phone number \"%.*s\" contains '%c'",
                                (int)(n > 40 ? 40 : n), s, c);
        }
    }
    d[nd] = '\0';
    if (!plus && nd > 2 && d[0] == '0' && d[1] == '0')
        plus = 1, from = 2; /* 00 international prefix */
    if (plus) {
        if (nd - from < 8 || nd - from > 15 || d[from] == '0')
            return bb_error_set(err, BB_EINVAL,
                                "phone number \"%.*s\" is not an international number (8 to 15 digits "
                                "after the country code's +)", (int)n, s);
        if (size < nd - from + 2)
            return bb_error_set(err, BB_ELIMIT, "phone number buffer too small");
        out[0] = '+';
        memcpy(out + 1, d + from, nd - from + 1);
        return 0;
    }
    if (nd == 11 && d[0] == '0' && d[1] != '0')
        from = 1; /* 0 trunk prefix + 10 digits */
    else if (nd == 12 && d[0] == '9' && d[1] == '0')
        from = 2; /* 90 country code without the + */
    else if (!(nd == 10 && d[0] != '0'))
        return bb_error_set(err, BB_EINVAL,
                            "phone number \"%.*s\" is not a Turkish number (10 digits, optionally "
                            "after 0 or +90) nor international (+ and the country code)", (int)n, s);
    if (size < 14)
        return bb_error_set(err, BB_ELIMIT, "phone number buffer too small");
    memcpy(out, "+90", 3);
    memcpy(out + 3, d + from, 11);
    return 0;
}

/* ---- Jaro-Winkler ---- */

enum { JW_MAX = 256 };

static int decode(const char *s, UChar32 *cp)
{
    int32_t i = 0, n = 0, len = (int32_t)strnlen(s, 4 * JW_MAX);
    while (i < len && n < JW_MAX) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        cp[n++] = c < 0 ? 0xFFFD : c;
    }
    return n;
}

double bb_text_similarity(const char *a, const char *b)
{
    UChar32 x[JW_MAX], y[JW_MAX];
    unsigned char xm[JW_MAX] = {0}, ym[JW_MAX] = {0};
    int nx = decode(a ? a : "", x), ny = decode(b ? b : "", y);
    int window, m = 0, t = 0, prefix = 0;
    double jaro;
    if (nx == 0 && ny == 0)
        return 1.0;
    if (nx == 0 || ny == 0)
        return 0.0;
    window = (nx > ny ? nx : ny) / 2 - 1;
    if (window < 0)
        window = 0;
    for (int i = 0; i < nx; i++) {
        int lo = i - window < 0 ? 0 : i - window, hi = i + window + 1 > ny ? ny : i + window + 1;
        for (int j = lo; j < hi; j++) {
            if (!ym[j] && x[i] == y[j]) {
                xm[i] = ym[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    for (int i = 0, j = 0; i < nx; i++) {
        if (!xm[i])
            continue;
        while (!ym[j])
            j++;
        if (x[i] != y[j])
            t++;
        j++;
    }
    jaro = ((double)m / nx + (double)m / ny + (double)(m - t / 2) / m) / 3.0;
    while (prefix < 4 && prefix < nx && prefix < ny && x[prefix] == y[prefix])
        prefix++;
    return jaro + prefix * 0.1 * (1.0 - jaro);
}

/* ---- Collation ---- */

struct bb_text_collator {
    UCollator *ucol;
};

int bb_text_collator_new(const char *locale, bb_text_collator **out, bb_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    bb_text_collator *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    c->ucol = ucol_open(locale, &st);
    if (U_FAILURE(st)) {
        free(c);
        return bb_error_set(err, BB_EINTERNAL, "ICU has no collation for locale \"%s\": %s", locale,
                            u_errorName(st));
    }
    *out = c;
    return 0;
}

void bb_text_collator_free(bb_text_collator *c)
{
    if (!c)
        return;
    ucol_close(c->ucol);
    free(c);
}

static int key_of(bb_text_collator *c, const char *s, ustr *u, bb_buf *key)
{
    int32_t need;
    int rc;
    bb_buf_reset(key);
    if ((rc = ustr_from_utf8(u, s ? s : "", s ? strlen(s) : 0)) != 0)
        return rc;
    need = ucol_getSortKey(c->ucol, u->p, u->len, NULL, 0);
    if (need <= 0)
        return BB_EINTERNAL;
    if ((rc = bb_buf_reserve(key, (size_t)need)) != 0)
        return rc;
    ucol_getSortKey(c->ucol, u->p, u->len, (uint8_t *)key->data, need);
    key->len = (size_t)need; /* includes ICU's terminating zero byte */
    return 0;
}

int bb_text_sort_key(bb_text_collator *c, const char *const *parts, size_t n, bb_buf *out)
{
    ustr u;
    bb_buf acc, one, merged;
    int rc = 0;
    ustr_init(&u);
    bb_buf_init(&acc, 0);
    bb_buf_init(&one, 0);
    bb_buf_init(&merged, 0);
    for (size_t i = 0; i < n; i++) {
        if ((rc = key_of(c, parts[i], &u, i == 0 ? &acc : &one)) != 0)
            goto done;
        if (i > 0) {
            int32_t need = (int32_t)(acc.len + one.len);
            bb_buf_reset(&merged);
            if ((rc = bb_buf_reserve(&merged, (size_t)need)) != 0)
                goto done;
            need = ucol_mergeSortkeys((const uint8_t *)acc.data, (int32_t)acc.len,
                                      (const uint8_t *)one.data, (int32_t)one.len,
                                      (uint8_t *)merged.data, need);
            if (need <= 0) {
                rc = BB_EINTERNAL;
                goto done;
            }
            merged.len = (size_t)need;
            bb_buf t = acc;
            acc = merged;
            merged = t;
        }
    }
    if (acc.len)
        rc = bb_buf_add(out, acc.data, acc.len);
done:
    ustr_release(&u);
    bb_buf_release(&acc);
    bb_buf_release(&one);
    bb_buf_release(&merged);
    return rc;
}
