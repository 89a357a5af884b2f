/* jsonw.h: a JSON text writer into a bb_buf: objects, arrays, keys and values written in order, with
 * commas and string escapes taken care of, no tree built. For answers built often (the 360 view),
 * where making a jansson tree and printing it cost more than reading the data. Output matches
 * jansson's compact form (json_dumps with JSON_COMPACT and JSON_REAL_PRECISION(precision)). */
#ifndef BIREBIR_JSONW_H
#define BIREBIR_JSONW_H

#include <stdint.h>

#include "birebir/buf.h"

enum { BB_JSONW_DEPTH = 32 };

typedef struct bb_jsonw {
    bb_buf *out;
    int precision; /* significant digits of reals */
    int depth, after_key, failed;
    unsigned char more[BB_JSONW_DEPTH]; /* the container at each depth has a member already */
} bb_jsonw;

/* Writes into out (appending); precision: significant digits of reals (1..17). */
void bb_jsonw_init(bb_jsonw *w, bb_buf *out, int precision);
void bb_jsonw_obj(bb_jsonw *w);
void bb_jsonw_obj_end(bb_jsonw *w);
void bb_jsonw_arr(bb_jsonw *w);
void bb_jsonw_arr_end(bb_jsonw *w);
void bb_jsonw_key(bb_jsonw *w, const char *key);
void bb_jsonw_str(bb_jsonw *w, const char *s); /* NULL writes null */
void bb_jsonw_int(bb_jsonw *w, int64_t v);
void bb_jsonw_real(bb_jsonw *w, double v);
void bb_jsonw_bool(bb_jsonw *w, int v);
void bb_jsonw_null(bb_jsonw *w);
void bb_jsonw_raw(bb_jsonw *w, const char *json, size_t len); /* a value that is JSON text already */
/* 0, or BB_ENOMEM when the buffer could not grow, or BB_EINTERNAL when the calls did not nest. */
int bb_jsonw_finish(const bb_jsonw *w);

#endif
