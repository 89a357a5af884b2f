/* error.c: bb_error and the BB_E* codes. */
#include "birebir/error.h"

#include <stdio.h>
#include <string.h>

const char *bb_strerror(int code)
{
    switch (code) {
    case BB_OK: return "ok";
    case BB_EINVAL: return "bad input";
    case BB_ENOMEM: return "out of memory";
    case BB_EIO: return "input/output error";
    case BB_ENOTFOUND: return "not found";
    case BB_ECONFLICT: return "conflict";
    case BB_EDB: return "database error";
    case BB_EUSAGE: return "usage error";
    case BB_ESCHEMA: return "schema mismatch";
    case BB_ELIMIT: return "limit exceeded";
    case BB_ENUMERIC: return "numerical failure";
    case BB_EINTERNAL: return "internal error";
    case BB_EPERM: return "permission denied";
    case BB_EAUTH: return "not authenticated";
    default: return "unknown error";
    }
}

void bb_error_clear(bb_error *err)
{
    if (!err)
        return;
    err->code = 0;
    err->where[0] = '\0';
    err->msg[0] = '\0';
}

int bb_error_setv(bb_error *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    err->where[0] = '\0';
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    return code;
}

int bb_error_set(bb_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bb_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int bb_error_setw(bb_error *err, int code, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bb_error_setv(err, code, fmt, ap);
    va_end(ap);
    if (err && where)
        snprintf(err->where, sizeof err->where, "%s", where);
    return code;
}

int bb_error_prefix(bb_error *err, const char *fmt, ...)
{
    char pre[256], old[sizeof err->msg];
    va_list ap;
    if (!err)
        return 0;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", pre, old);
    return err->code;
}

const char *bb_error_format(const bb_error *err, char *buf, unsigned long size)
{
    if (!err || !err->msg[0])
        snprintf(buf, size, "%s", err ? bb_strerror(err->code) : "no error");
    else if (err->where[0])
        snprintf(buf, size, "%s: %s", err->where, err->msg);
    else
        snprintf(buf, size, "%s", err->msg);
    return buf;
}

int bb_error_exit_status(int code)
{
    switch (code) {
    case BB_OK: return 0;
    case BB_EINVAL:
    case BB_ENOTFOUND:
    case BB_ECONFLICT:
    case BB_ELIMIT:
    case BB_ESCHEMA:
    case BB_ENUMERIC:
    case BB_EIO:
    case BB_EPERM:
    case BB_EAUTH: return 1;
    case BB_EUSAGE: return 2;
    default: return 3;
    }
}
