/* csv.c: the RFC 4180 record parser of bb_csv (csv.h) over the decoded window of csv_source.c.
 * Spans of ordinary bytes are found with a class table and copied in one go; only delimiters,
 * quotes and line ends reach the state machine. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/csv_impl.h"
#include "ingest/encoding.h"

enum { S_START, S_UNQ, S_QUO, S_QQ }; /* field start, unquoted, quoted, quote seen inside quotes */

static void row_error(bb_csv *c, int code, const char *fmt, ...) BB_PRINTF(3, 4);
static void row_error(bb_csv *c, int code, const char *fmt, ...)
{
    va_list ap;
    if (c->ecode)
        return; /* the first problem of a record is the one reported */
    c->ecode = code;
    va_start(ap, fmt);
    vsnprintf(c->emsg, sizeof c->emsg, fmt, ap);
    va_end(ap);
}

static int grow_rec(bb_csv *c, size_t need)
{
    size_t cap = c->rec_cap ? c->rec_cap : 4096;
    char *r;
    while (cap < need)
        cap *= 2;
    r = realloc(c->rec, cap);
    if (!r)
        return BB_ENOMEM;
    c->rec = r;
    c->rec_cap = cap;
    return 0;
}

/* Appends n bytes to the field being read, within the limits. */
static int add(bb_csv *c, const unsigned char *s, size_t n)
{
    if (c->discard || n == 0)
        return 0;
    if (c->rec_len - c->fstart + n > c->opt.max_field) {
        row_error(c, BB_ELIMIT, "field %zu is longer than %zu bytes%s", c->nf + 1, c->opt.max_field,
                  " (an unterminated quote?)");
        c->discard = 1;
        return 0;
    }
    if (c->rec_len + n + 1 > c->opt.max_record) {
        row_error(c, BB_ELIMIT, "record is longer than %zu bytes (an unterminated quote?)",
                  c->opt.max_record);
        c->discard = 1;
        return 0;
    }
    if (c->rec_len + n + 1 > c->rec_cap && grow_rec(c, c->rec_len + n + 1) != 0)
        return BB_ENOMEM;
    memcpy(c->rec + c->rec_len, s, n);
    c->rec_len += n;
    return 0;
}

static int end_field(bb_csv *c)
{
    if (c->discard)
        return 0;
    if (c->nf == c->opt.max_fields) {
        row_error(c, BB_ELIMIT, "more than %zu fields", c->opt.max_fields);
        c->discard = 1;
        return 0;
    }
    if (c->nf == c->f_cap) {
        size_t cap = c->f_cap ? c->f_cap * 2 : 32;
        size_t *s = realloc(c->starts, cap * sizeof *s);
        if (!s)
            return BB_ENOMEM;
        c->starts = s;
        s = realloc(c->lens, cap * sizeof *s);
        if (!s)
            return BB_ENOMEM;
        c->lens = s;
        char **f = realloc(c->fields, cap * sizeof *f);
        if (!f)
            return BB_ENOMEM;
        c->fields = f;
        c->f_cap = cap;
    }
    if (c->rec_len + 1 > c->rec_cap && grow_rec(c, c->rec_len + 1) != 0)
        return BB_ENOMEM;
    c->rec[c->rec_len] = '\0';
    c->starts[c->nf] = c->fstart;
    c->lens[c->nf] = c->rec_len - c->fstart;
    c->nf++;
    c->fstart = ++c->rec_len;
    return 0;
}

/* 1 when every byte is in 0x01..0x7F (eight at a time). */
static int plain_ascii(const unsigned char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) | (w & 0x8080808080808080ull))
            return 0;
    }
    for (; i < n; i++)
        if (s[i] == 0 || s[i] >= 0x80)
            return 0;
    return 1;
}

/* The fields as the caller sees them; NUL bytes and (for undecoded input) invalid UTF-8 are errors. */
static void finish_row(bb_csv *c, bb_csv_row *row)
{
    int converted = c->enc == BB_CSV_CP1254 || c->enc == BB_CSV_UTF16LE || c->enc == BB_CSV_UTF16BE;
    for (size_t i = 0; i < c->nf; i++) {
        const unsigned char *f = (const unsigned char *)c->rec + c->starts[i];
        size_t bad;
        c->fields[i] = c->rec + c->starts[i];
        if (c->ecode || plain_ascii(f, c->lens[i]))
            continue;
        if (memchr(f, 0, c->lens[i]))
            row_error(c, BB_EINVAL, "field %zu contains a NUL byte", i + 1);
        else if (!converted && bb__utf8_check(f, c->lens[i], &bad) != BB__UTF8_OK)
            row_error(c, BB_EINVAL, "field %zu is not valid UTF-8 (byte 0x%02X at offset %zu)", i + 1,
                      f[bad], bad);
    }
    row->n = c->nf;
    row->field = c->fields;
    row->len = c->lens;
}

static void init_classes(bb_csv *c)
{
    memset(c->ucls, 0, sizeof c->ucls);
    memset(c->qcls, 0, sizeof c->qcls);
    c->ucls[(unsigned char)c->delim] = c->ucls['"'] = c->ucls['\r'] = c->ucls['\n'] = 1;
    c->qcls['"'] = c->qcls['\n'] = 1;
}

/* Ends the record at the line end *q (CR or LF). */
static int end_line(bb_csv *c, const unsigned char *q)
{
    c->p = q + 1;
    c->line++;
    c->skip_lf = *q == '\r';
    return end_field(c);
}

int bb_csv_next(bb_csv *c, bb_csv_row *row, bb_error *err)
{
    int st = S_START, rc;
    int64_t qline = 0;
    row->n = 0;
    row->field = NULL;
    row->len = NULL;
    if (!c->ucls['"'])
        init_classes(c);
    for (;;) { /* blank lines are not records */
        if (c->p == c->end) {
            rc = bb__csv_fill(c, 0, err);
            if (rc <= 0)
                return rc;
        }
        if (c->skip_lf) {
            c->skip_lf = 0;
            if (*c->p == '\n') {
                c->p++;
                continue;
            }
        }
        if (*c->p != '\n' && *c->p != '\r')
            break;
        c->skip_lf = *c->p++ == '\r';
        c->line++;
    }
    c->rec_len = c->nf = c->fstart = 0;
    c->discard = 0;
    c->ecode = 0;
    row->line = c->line;
    for (;;) {
        const unsigned char *p = c->p, *e = c->end, *q;
        if (p == e) {
            rc = bb__csv_fill(c, 0, err);
            if (rc < 0)
                return rc;
            if (rc == 0)
                break;
            continue;
        }
        switch (st) {
        case S_START:
            if (*p == '"') {
                c->p = p + 1;
                st = S_QUO;
                qline = c->line;
                continue;
            }
            st = S_UNQ;
            /* fall through */
        case S_UNQ:
            for (q = p; q < e && !c->ucls[*q]; q++)
                ;
            if ((rc = add(c, p, (size_t)(q - p))) != 0)
                return rc;
            c->p = q;
            if (q == e)
                continue;
            if (*q == (unsigned char)c->delim) {
                c->p = q + 1;
                st = S_START;
                if ((rc = end_field(c)) != 0)
                    return rc;
                continue;
            }
            if (*q == '"') {
                row_error(c, BB_EINVAL,
                          "stray quote in field %zu (a field holding a quote must be quoted whole, "
                          "with the quote doubled: \"5\"\" screen\")", c->nf + 1);
                c->p = q + 1;
                if ((rc = add(c, q, 1)) != 0)
                    return rc;
                continue;
            }
            if ((rc = end_line(c, q)) != 0)
                return rc;
            goto done;
        case S_QUO:
            for (q = p; q < e && !c->qcls[*q]; q++)
                ;
            if ((rc = add(c, p, (size_t)(q - p))) != 0)
                return rc;
            c->p = q;
            if (q == e)
                continue;
            c->p = q + 1;
            if (*q == '\n') {
                c->line++;
                if ((rc = add(c, q, 1)) != 0)
                    return rc;
                continue;
            }
            st = S_QQ;
            continue;
        case S_QQ:
            if (*p == '"') {
                c->p = p + 1;
                st = S_QUO;
                if ((rc = add(c, p, 1)) != 0)
                    return rc;
                continue;
            }
            if (*p == (unsigned char)c->delim) {
                c->p = p + 1;
                st = S_START;
                if ((rc = end_field(c)) != 0)
                    return rc;
                continue;
            }
            if (*p == '\n' || *p == '\r') {
                if ((rc = end_line(c, p)) != 0)
                    return rc;
                goto done;
            }
            row_error(c, BB_EINVAL, "text after the closing quote of field %zu", c->nf + 1);
            st = S_UNQ;
            continue;
        }
    }
    /* the end of the input ends the record */
    if (st == S_QUO)
        row_error(c, BB_EINVAL, "unterminated quoted field %zu (the quote opened on line %lld)",
                  c->nf + 1, (long long)qline);
    if ((rc = end_field(c)) != 0)
        return rc;
done:
    finish_row(c, row);
    if (c->ecode) {
        char where[300];
        snprintf(where, sizeof where, "%s:%lld", c->name, (long long)row->line);
        return bb_error_setw(err, c->ecode, where, "%s", c->emsg);
    }
    return 1;
}
