/* csv.h: a streaming RFC 4180 reader for the files businesses actually have. Owns reading a file, a
 * gzip file or standard input ("-"); the text encoding (UTF-8 with or without a BOM, Windows-1254 as
 * Turkish Excel writes it, UTF-16 with a BOM as Excel's "Unicode text"), all delivered as UTF-8; the
 * delimiter (sniffed among ',' ';' and TAB on the first line, outside quotes); quoting with embedded
 * delimiters, newlines and doubled quotes; CRLF, LF or CR line ends; the physical line each record
 * starts on; and hard limits on field and record size, so hostile input is an error, never a crash.
 * Also a writer (quoting as needed) for rejects files and exports.
 *
 * Encoding detection: bytes are ASCII until the first non-ASCII byte; from there, the first chunk
 * (64 KiB or more) is checked: valid UTF-8 means UTF-8, an invalid sequence means Windows-1254, which
 * is then converted for the rest of the file. A later invalid UTF-8 sequence in a UTF-8 file makes that
 * record an error ("is not valid UTF-8"). A NUL byte in a field is an error too.
 *
 * Blank lines are skipped (they are not records). */
#ifndef BIREBIR_CSV_H
#define BIREBIR_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "birebir/error.h"

typedef struct bb_csv bb_csv;

typedef enum bb_csv_encoding {
    BB_CSV_AUTO = 0, /* detect (above) */
    BB_CSV_UTF8 = 1,
    BB_CSV_CP1254 = 2, /* Windows-1254, Turkish */
    BB_CSV_UTF16LE = 3,
    BB_CSV_UTF16BE = 4,
} bb_csv_encoding;

typedef struct bb_csv_options {
    char delimiter;           /* 0: sniff ',' ';' or '\t' from the first line */
    bb_csv_encoding encoding; /* BB_CSV_AUTO: detect */
    size_t max_field;         /* bytes of one field; 0: 1 MiB */
    size_t max_record;        /* bytes of one record; 0: 8 MiB */
    size_t max_fields;        /* fields in one record; 0: 4096 */
    const char *name;         /* how messages name the input; NULL: the path ("stdin" for "-") */
    size_t read_size;         /* bytes per read; 0: 256 KiB (tiny values test chunk boundaries) */
} bb_csv_options;

/* One record. The strings belong to the reader and stay valid until the next bb_csv_next or
 * bb_csv_close; the caller may modify them in place (e.g. trim) within their length. */
typedef struct bb_csv_row {
    size_t n;       /* fields */
    char **field;   /* NUL-terminated UTF-8 */
    size_t *len;    /* byte lengths */
    int64_t line;   /* the physical line (1-based) where the record starts */
} bb_csv_row;

/* Opens path ("-" for standard input; gzip is read transparently) and sniffs its encoding and
 * delimiter. o may be NULL (all defaults). BB_EIO when the file cannot be opened. Close with
 * bb_csv_close. */
int bb_csv_open(const char *path, const bb_csv_options *o, bb_csv **out, bb_error *err) BB_MUST_USE;
/* As bb_csv_open over size bytes in memory (not copied: they must outlive the reader). */
int bb_csv_open_mem(const void *data, size_t size, const bb_csv_options *o, bb_csv **out,
                    bb_error *err) BB_MUST_USE;
void bb_csv_close(bb_csv *c); /* accepts NULL */

/* Reads the next record into *row. Returns 1 (a record), 0 (end of input), or a negative code:
 *  - BB_EINVAL / BB_ELIMIT: this record is broken (a stray quote, text after a closing quote, an
 *    unterminated quote at the end of the input, invalid UTF-8, a NUL byte, a field, record or field
 *    count past the limits). err says where ("orders.csv:12") and what; *row holds the fields as read
 *    leniently (possibly fewer, for the rejects file); the next call continues after this record.
 *  - BB_EIO, BB_ENOMEM: reading failed; stop. */
int bb_csv_next(bb_csv *c, bb_csv_row *row, bb_error *err) BB_MUST_USE;

char bb_csv_delimiter(const bb_csv *c);
bb_csv_encoding bb_csv_encoding_detected(const bb_csv *c); /* BB_CSV_AUTO while all ASCII so far */
const char *bb_csv_encoding_name(bb_csv_encoding e);       /* "UTF-8", "Windows-1254", ... */
const char *bb_csv_name(const bb_csv *c);
/* Input bytes consumed so far (compressed bytes for gzip) and the input's size (-1 when unknown, as
 * for a pipe), for progress. */
int64_t bb_csv_bytes_read(const bb_csv *c);
int64_t bb_csv_bytes_total(const bb_csv *c);

/* ---- Writing ---- */

/* Writes one field, quoted when it holds the delimiter, a quote, CR or LF, starts or ends with a space
 * (so trimming readers keep it) or starts with U+FEFF (not to pass for a BOM); quotes doubled. s may
 * be NULL (empty). n: bytes of s. */
int bb_csv_write_field(FILE *f, const char *s, size_t n, char delim) BB_MUST_USE;
/* Writes n fields separated by delim and a "\n" (a row of one empty field as "" so it does not read
 * as a blank line). lens may be NULL (strlen); a NULL field is empty. BB_EIO when writing fails. */
int bb_csv_write_row(FILE *f, char delim, const char *const *fields, const size_t *lens,
                     size_t n) BB_MUST_USE;

#endif
