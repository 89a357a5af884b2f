/* csv_impl.h: the inside of bb_csv (csv.h), shared by the input side (csv_source.c: reading,
 * decompression, encodings, the delimiter sniff) and the parser (csv.c). Internal to src/ingest/. */
#ifndef BB_INGEST_CSV_IMPL_H
#define BB_INGEST_CSV_IMPL_H

#include <zlib.h>

#include "birebir/csv.h"

#define BB__CSV_CHUNK (256 * 1024)

struct bb_csv {
    char *name;
    bb_csv_options opt;

    /* raw input: a gzip/plain stream or a block of memory */
    gzFile gz;
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    int raw_eof;
    int64_t total; /* input size, -1 unknown */

    /* decoding into UTF-8 */
    bb_csv_encoding enc;         /* as decided (AUTO: undecided, all ASCII so far) */
    int started;                 /* the first read (BOM check) is done */
    unsigned char *raw;          /* raw bytes awaiting conversion (CP1254, UTF-16) */
    size_t raw_len, raw_cap;
    unsigned char *win;          /* decoded UTF-8: the window the parser reads */
    size_t win_len, win_cap;
    const unsigned char *p, *end; /* the unread part of the window */

    /* parsing */
    char delim;
    unsigned char ucls[256]; /* stops in an unquoted field: delimiter, '"', CR, LF */
    unsigned char qcls[256]; /* stops in a quoted field: '"', LF */
    char *rec;               /* the record's fields, each NUL-terminated */
    size_t rec_len, rec_cap;
    size_t *starts, *lens;
    char **fields;
    size_t nf, f_cap;
    int64_t line; /* physical lines begun so far, 1-based at the next byte */
    int skip_lf;  /* the last record ended with CR: a following LF belongs to it */
    size_t fstart; /* where the field being read starts in rec */
    int discard;   /* past a limit: read to the end of the record, keep nothing more */
    int ecode;     /* the record's first error (0: none) and its message */
    char emsg[400];
};

/* Makes more decoded input available in [c->p, c->end): returns 1, 0 at the end of the input, or a
 * negative code (err filled). With keep, the unread bytes stay and new ones are appended (the
 * sniff needs a whole first line); else the window is replaced. */
int bb__csv_fill(bb_csv *c, int keep, bb_error *err);
/* Opens the decoding side and sniffs the delimiter; called once by the openers. */
int bb__csv_start(bb_csv *c, bb_error *err);

#endif
