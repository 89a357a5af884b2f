/* error.h: the one error type of libbirebir. Owns the BB_E* codes, bb_strerror() and bb_error, a message
 * a user can act on plus where it happened (file:line, JSON path, column). Every fallible function
 * returns 0 or a negative BB_E* code and fills the bb_error it was given (which may be NULL). */
#ifndef BIREBIR_ERROR_H
#define BIREBIR_ERROR_H

#include <stdarg.h>

#define BB_MUST_USE __attribute__((warn_unused_result))
#define BB_PRINTF(f, a) __attribute__((format(printf, f, a)))

enum {
    BB_OK = 0,
    BB_EINVAL = -1,     /* bad input: a value, a row, a request that does not make sense */
    BB_ENOMEM = -2,     /* out of memory */
    BB_EIO = -3,        /* reading or writing a file failed */
    BB_ENOTFOUND = -4,  /* the thing named does not exist */
    BB_ECONFLICT = -5,  /* it exists already, or the change clashes with another */
    BB_EDB = -6,        /* the database refused or failed */
    BB_EUSAGE = -7,     /* the command or call was used wrongly */
    BB_ESCHEMA = -8,    /* the database schema is newer than this program, or damaged */
    BB_ELIMIT = -9,     /* a size limit was exceeded */
    BB_ENUMERIC = -10,  /* a computation did not converge or the data cannot support it */
    BB_EINTERNAL = -11, /* a bug: should not happen */
    BB_EPERM = -12,     /* not allowed */
    BB_EAUTH = -13,     /* not authenticated */
};

typedef struct bb_error {
    int code;        /* 0 or a BB_E* code */
    char where[256]; /* "orders.csv:1842", "$.lines[2].quantity", "" when not known */
    char msg[768];   /* the message, without the where */
} bb_error;

/* The name of a code ("bad input", "out of memory", ...); never NULL. */
const char *bb_strerror(int code);

/* Clears err (may be NULL). */
void bb_error_clear(bb_error *err);

/* Fills err (may be NULL) and returns code, so `return bb_error_set(err, BB_EINVAL, "...")` works. */
int bb_error_set(bb_error *err, int code, const char *fmt, ...) BB_PRINTF(3, 4);
int bb_error_setv(bb_error *err, int code, const char *fmt, va_list ap);
/* As bb_error_set, with a where ("file.csv:12", "$.amount"). */
int bb_error_setw(bb_error *err, int code, const char *where, const char *fmt, ...) BB_PRINTF(4, 5);

/* Prefixes the message with more context: "loading x: <old message>". Returns err->code. */
int bb_error_prefix(bb_error *err, const char *fmt, ...) BB_PRINTF(2, 3);

/* Writes "where: msg" (or "msg") into buf; returns buf. */
const char *bb_error_format(const bb_error *err, char *buf, unsigned long size);

/* Maps a code to the CLI's exit status: 0 ok, 1 bad input, 2 usage, 3 internal error. */
int bb_error_exit_status(int code);

#endif
