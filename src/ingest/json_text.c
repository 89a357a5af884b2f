/* json_text.c: JSON string escaping (json_text.h). */
#include "ingest/json_text.h"

int bb__json_str(bb_buf *b, const char *s)
{
    int rc = bb_buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
        if (*p == '"' || *p == '\\')
            rc = bb_buf_addc(b, '\\') || bb_buf_addc(b, (char)*p);
        else if (*p < 0x20)
            rc = bb_buf_addf(b, "\\u%04x", *p);
        else
            rc = bb_buf_addc(b, (char)*p);
    }
    return rc ? rc : bb_buf_addc(b, '"');
}
