/* csv_source.c: the input side of bb_csv: opening files, gzip and standard input, reading chunks,
 * the BOM, deciding the encoding and converting to UTF-8, and sniffing the delimiter. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "birebir/buf.h"
#include "ingest/csv_impl.h"
#include "ingest/encoding.h"

#define SNIFF_MAX (1024 * 1024) /* bytes of the first line the delimiter sniff looks at */

static int ensure_win(bb_csv *c, size_t need, bb_error *err)
{
    unsigned char *w;
    size_t cap;
    if (need <= c->win_cap)
        return 0;
    cap = c->win_cap ? c->win_cap : 64;
    while (cap < need)
        cap *= 2;
    w = realloc(c->win, cap);
    if (!w)
        return bb_error_set(err, BB_ENOMEM, "%s: out of memory reading", c->name);
    c->p = w + (c->p - c->win);
    c->end = w + (c->end - c->win);
    c->win = w;
    c->win_cap = cap;
    return 0;
}

static int ensure_raw(bb_csv *c, size_t need, bb_error *err)
{
    unsigned char *r;
    if (need <= c->raw_cap)
        return 0;
    r = realloc(c->raw, need);
    if (!r)
        return bb_error_set(err, BB_ENOMEM, "%s: out of memory reading", c->name);
    c->raw = r;
    c->raw_cap = need;
    return 0;
}

/* Reads up to n raw bytes into buf; returns the count (0 at the end) or a negative code. */
static long read_raw(bb_csv *c, unsigned char *buf, size_t n, bb_error *err)
{
    if (c->raw_eof)
        return 0;
    if (c->gz) {
        int r = gzread(c->gz, buf, (unsigned)n), e = Z_OK;
        const char *msg = NULL;
        if (r < (int)n)
            msg = gzerror(c->gz, &e);
        if (r < 0 || (e != Z_OK && e != Z_STREAM_END))
            return bb_error_set(err, BB_EIO, "%s: cannot read: %s", c->name,
                                e == Z_ERRNO ? strerror(errno) : (msg ? msg : "gzip error"));
        if ((size_t)r < n)
            c->raw_eof = 1;
        return r;
    }
    if (n > c->mem_len - c->mem_pos)
        n = c->mem_len - c->mem_pos;
    memcpy(buf, c->mem + c->mem_pos, n);
    c->mem_pos += n;
    if (c->mem_pos == c->mem_len)
        c->raw_eof = 1;
    return (long)n;
}

/* Converts the pending raw bytes (CP1254, UTF-16) onto the end of the window. */
static int convert_raw(bb_csv *c, bb_error *err)
{
    size_t used = c->raw_len;
    int rc = ensure_win(c, c->win_len + 3 * c->raw_len + 8, err);
    if (rc)
        return rc;
    if (c->enc == BB_CSV_CP1254)
        c->win_len += bb__cp1254_to_utf8(c->raw, c->raw_len, c->win + c->win_len);
    else
        c->win_len += bb__utf16_to_utf8(c->raw, c->raw_len, c->enc == BB_CSV_UTF16BE, c->raw_eof,
                                        c->win + c->win_len, &used);
    memmove(c->raw, c->raw + used, c->raw_len - used);
    c->raw_len -= used;
    return 0;
}

/* The first bytes: a BOM decides the encoding (and is dropped). The bytes are in the window. */
static int check_bom(bb_csv *c, bb_error *err)
{
    const unsigned char *w = c->win;
    size_t n = c->win_len, skip = 0;
    bb_csv_encoding bom = BB_CSV_AUTO;
    c->started = 1;
    if (n >= 3 && w[0] == 0xEF && w[1] == 0xBB && w[2] == 0xBF)
        bom = BB_CSV_UTF8, skip = 3;
    else if (n >= 2 && w[0] == 0xFF && w[1] == 0xFE)
        bom = BB_CSV_UTF16LE, skip = 2;
    else if (n >= 2 && w[0] == 0xFE && w[1] == 0xFF)
        bom = BB_CSV_UTF16BE, skip = 2;
    if (bom != BB_CSV_AUTO && (c->opt.encoding == BB_CSV_AUTO || c->opt.encoding == bom)) {
        c->enc = bom;
    } else {
        c->enc = c->opt.encoding; /* an explicit encoding wins; a foreign BOM is data */
        skip = 0;
    }
    if (c->enc == BB_CSV_AUTO || c->enc == BB_CSV_UTF8) {
        memmove(c->win, c->win + skip, n - skip);
        c->win_len = n - skip;
        return 0;
    }
    /* everything read so far is raw input of a converted encoding */
    if (ensure_raw(c, n + c->opt.read_size, err))
        return BB_ENOMEM;
    memcpy(c->raw, c->win + skip, n - skip);
    c->raw_len = n - skip;
    c->win_len = 0;
    return convert_raw(c, err);
}

/* While undecided: after the window grew from `from`, looks for the first non-ASCII byte and decides. */
static int decide(bb_csv *c, size_t from, bb_error *err)
{
    size_t i = from, tail;
    int g;
    while (i < c->win_len && c->win[i] < 0x80)
        i++;
    if (i == c->win_len)
        return 0;
    while ((g = bb__encoding_guess(c->win + i, c->win_len - i, c->raw_eof)) == BB__GUESS_MORE) {
        long r;
        if (ensure_win(c, c->win_len + 8, err))
            return BB_ENOMEM;
        r = read_raw(c, c->win + c->win_len, 4, err);
        if (r < 0)
            return (int)r;
        c->win_len += (size_t)r;
    }
    if (g == BB__GUESS_UTF8) {
        c->enc = BB_CSV_UTF8;
        return 0;
    }
    c->enc = BB_CSV_CP1254;
    tail = c->win_len - i;
    if (ensure_raw(c, tail > c->opt.read_size ? tail : c->opt.read_size, err))
        return BB_ENOMEM;
    memcpy(c->raw, c->win + i, tail);
    c->raw_len = tail;
    c->win_len = i;
    return convert_raw(c, err);
}

/* Reads one chunk and appends its UTF-8 to the window; returns bytes of raw input read. */
static long decode_chunk(bb_csv *c, bb_error *err)
{
    long r;
    int rc;
    size_t chunk = c->opt.read_size;
    if (c->enc == BB_CSV_AUTO || c->enc == BB_CSV_UTF8) {
        size_t from = c->win_len;
        if (ensure_win(c, c->win_len + chunk + 8, err))
            return BB_ENOMEM;
        r = read_raw(c, c->win + c->win_len, chunk, err);
        if (r <= 0)
            return r;
        c->win_len += (size_t)r;
        while (!c->started && c->win_len < 3 && !c->raw_eof) { /* a BOM needs its three bytes */
            long more;
            if (ensure_win(c, c->win_len + chunk + 8, err))
                return BB_ENOMEM;
            if ((more = read_raw(c, c->win + c->win_len, chunk, err)) < 0)
                return more;
            c->win_len += (size_t)more;
            r += more;
        }
        if (!c->started && (rc = check_bom(c, err)) != 0)
            return rc;
        if (c->enc == BB_CSV_AUTO && (rc = decide(c, from, err)) != 0)
            return rc;
        return r;
    }
    if (ensure_raw(c, c->raw_len + chunk, err))
        return BB_ENOMEM;
    r = read_raw(c, c->raw + c->raw_len, chunk, err);
    if (r < 0)
        return r;
    c->raw_len += (size_t)r;
    if ((rc = convert_raw(c, err)) != 0)
        return rc;
    return r;
}

int bb__csv_fill(bb_csv *c, int keep, bb_error *err)
{
    size_t have = keep ? (size_t)(c->end - c->p) : 0;
    if (have && c->p != c->win)
        memmove(c->win, c->p, have);
    c->win_len = have;
    while (c->win_len == have) {
        long r = decode_chunk(c, err);
        if (r < 0)
            return (int)r;
        if (r == 0 && c->raw_len == 0)
            break;
        if (r == 0 && c->raw_eof) { /* flush what a converter held back */
            int rc = convert_raw(c, err);
            if (rc)
                return rc;
            break;
        }
    }
    c->p = c->win;
    c->end = c->win + c->win_len;
    return c->win_len > have ? 1 : 0;
}

/* The delimiter: the most frequent of ',' ';' TAB outside quotes on the first line (ties: that order;
 * none: ','). Reads more until the first line is whole (or SNIFF_MAX bytes). */
static int sniff(bb_csv *c, bb_error *err)
{
    for (;;) {
        size_t counts[3] = {0, 0, 0};
        int inq = 0, whole = 0;
        for (const unsigned char *q = c->p; q < c->end; q++) {
            if (*q == '"')
                inq = !inq;
            else if (!inq && (*q == '\n' || *q == '\r')) {
                whole = 1;
                break;
            } else if (!inq)
                counts[0] += *q == ',', counts[1] += *q == ';', counts[2] += *q == '\t';
        }
        if (whole || c->raw_eof || (size_t)(c->end - c->p) >= SNIFF_MAX) {
            c->delim = counts[1] > counts[0] && counts[1] >= counts[2] ? ';'
                       : counts[2] > counts[0] && counts[2] > counts[1] ? '\t' : ',';
            return 0;
        }
        {
            int rc = bb__csv_fill(c, 1, err);
            if (rc < 0)
                return rc;
        }
    }
}

int bb__csv_start(bb_csv *c, bb_error *err)
{
    int rc = bb__csv_fill(c, 0, err);
    if (rc < 0)
        return rc;
    if (c->opt.delimiter)
        c->delim = c->opt.delimiter;
    else if ((rc = sniff(c, err)) != 0)
        return rc;
    return 0;
}

static int init_common(bb_csv *c, const char *path, const bb_csv_options *o, bb_error *err)
{
    if (o)
        c->opt = *o;
    if (!c->opt.max_field)
        c->opt.max_field = 1024 * 1024;
    if (!c->opt.max_record)
        c->opt.max_record = 8 * 1024 * 1024;
    if (!c->opt.max_fields)
        c->opt.max_fields = 4096;
    if (!c->opt.read_size)
        c->opt.read_size = BB__CSV_CHUNK;
    c->name = bb_strdup(c->opt.name ? c->opt.name : strcmp(path, "-") == 0 ? "stdin" : path);
    c->opt.name = NULL;
    c->line = 1;
    c->total = -1;
    if (!c->name)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    if (c->opt.encoding == BB_CSV_UTF8 || c->opt.encoding == BB_CSV_CP1254)
        c->enc = c->opt.encoding;
    return 0;
}

int bb_csv_open(const char *path, const bb_csv_options *o, bb_csv **out, bb_error *err)
{
    bb_csv *c = calloc(1, sizeof *c);
    int rc, fd = -1;
    struct stat sb;
    *out = NULL;
    if (!c)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    if ((rc = init_common(c, path, o, err)) != 0)
        goto fail;
    fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = bb_error_set(err, BB_EIO, "%s: cannot open: %s", c->name, strerror(errno));
        goto fail;
    }
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        rc = bb_error_set(err, BB_EIO, "%s: is a directory", c->name);
        goto fail;
    }
    if (S_ISREG(sb.st_mode))
        c->total = sb.st_size;
    c->gz = gzdopen(fd, "rb");
    if (!c->gz) {
        rc = bb_error_set(err, BB_ENOMEM, "%s: cannot start reading", c->name);
        goto fail;
    }
    fd = -1; /* gzclose closes it */
    gzbuffer(c->gz, BB__CSV_CHUNK);
    if ((rc = bb__csv_start(c, err)) != 0)
        goto fail;
    *out = c;
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    bb_csv_close(c);
    return rc;
}

int bb_csv_open_mem(const void *data, size_t size, const bb_csv_options *o, bb_csv **out,
                    bb_error *err)
{
    bb_csv *c = calloc(1, sizeof *c);
    int rc;
    *out = NULL;
    if (!c)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    if ((rc = init_common(c, o && o->name ? o->name : "memory", o, err)) != 0)
        goto fail;
    c->mem = data;
    c->mem_len = size;
    c->total = (int64_t)size;
    if (size == 0)
        c->raw_eof = 1;
    if ((rc = bb__csv_start(c, err)) != 0)
        goto fail;
    *out = c;
    return 0;
fail:
    bb_csv_close(c);
    return rc;
}

void bb_csv_close(bb_csv *c)
{
    if (!c)
        return;
    if (c->gz)
        gzclose(c->gz);
    free(c->name);
    free(c->raw);
    free(c->win);
    free(c->rec);
    free(c->starts);
    free(c->lens);
    free(c->fields);
    free(c);
}

int64_t bb_csv_bytes_read(const bb_csv *c)
{
    if (c->gz) {
        z_off_t o = gzoffset(c->gz);
        return o < 0 ? 0 : (int64_t)o;
    }
    return (int64_t)c->mem_pos;
}

int64_t bb_csv_bytes_total(const bb_csv *c)
{
    return c->total;
}

bb_csv_encoding bb_csv_encoding_detected(const bb_csv *c)
{
    return c->enc;
}

const char *bb_csv_name(const bb_csv *c)
{
    return c->name;
}

char bb_csv_delimiter(const bb_csv *c)
{
    return c->delim;
}

const char *bb_csv_encoding_name(bb_csv_encoding e)
{
    switch (e) {
    case BB_CSV_UTF8: return "UTF-8";
    case BB_CSV_CP1254: return "Windows-1254";
    case BB_CSV_UTF16LE: return "UTF-16LE";
    case BB_CSV_UTF16BE: return "UTF-16BE";
    default: return "ASCII";
    }
}
