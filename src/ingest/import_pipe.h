/* import_pipe.h: the reading side of an import on a thread of its own. CSV records are read,
 * validated and mapped into records (and order lines numbered) ahead of the store's writes, in
 * chunks handed over through a small bounded queue, so reading and writing share two cores. Items
 * come out in file order, each with copies of its fields (for the rejects file) and of its record's
 * strings. Internal to src/ingest/. */
#ifndef BB_INGEST_IMPORT_PIPE_H
#define BB_INGEST_IMPORT_PIPE_H

#include "birebir/import.h"

/* Numbers an order line (import.c); runs on the reading thread. 0 or a fatal error. */
typedef int (*bb__pipe_number_fn)(void *ctx, bb_import_rec *rec, bb_error *err);

typedef struct bb__pipe_item {
    int rc;             /* 0: rec holds the row's record; else the row is bad and why says so */
    bb_csv_row row;     /* its fields, copied (field[i] NUL-terminated) */
    bb_import_rec rec;  /* when rc == 0; its strings are copies */
    const bb_error *why; /* when rc != 0 (no where: the caller knows file and line) */
} bb__pipe_item;

typedef struct bb__pipe bb__pipe;

/* Starts reading csv (after its header) with mapper m on a new thread. csv and m belong to that
 * thread until bb__pipe_stop. number may be NULL. */
int bb__pipe_start(bb_csv *csv, bb_import_mapper *m, bb__pipe_number_fn number, void *ctx,
                   bb__pipe **out, bb_error *err) BB_MUST_USE;
/* The next row: 1 with *item (valid until the next call), 0 at the end of the file, or a negative
 * code with err filled when reading failed (BB_EIO, BB_ENOMEM, or number's error). *bytes_read is
 * the input consumed up to about this row, for progress. */
int bb__pipe_next(bb__pipe *p, const bb__pipe_item **item, int64_t *bytes_read, bb_error *err) BB_MUST_USE;
/* The row after the one bb__pipe_next gave last, when it is at hand (in the same chunk), else NULL;
 * stays valid until the next bb__pipe_next. */
const bb__pipe_item *bb__pipe_peek(const bb__pipe *p);
/* Stops the reader (wherever it is), waits for it and frees everything; accepts NULL. */
void bb__pipe_stop(bb__pipe *p);

#endif
