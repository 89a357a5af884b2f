/* csv_write.c: writing CSV fields and rows, quoted as needed (csv.h). */
#include <string.h>

#include "birebir/csv.h"

int bb_csv_write_field(FILE *f, const char *s, size_t n, char delim)
{
    int quote = 0;
    if (!s)
        n = 0;
    if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        quote = 1;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        quote = 1; /* U+FEFF first in a file would read as a byte order mark */
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote)
        return n && fwrite(s, 1, n, f) != n ? BB_EIO : 0;
    if (fputc('"', f) == EOF)
        return BB_EIO;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' && fputc('"', f) == EOF)
            return BB_EIO;
        if (fputc(s[i], f) == EOF)
            return BB_EIO;
    }
    return fputc('"', f) == EOF ? BB_EIO : 0;
}

int bb_csv_write_row(FILE *f, char delim, const char *const *fields, const size_t *lens, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *s = fields[i];
        size_t len = lens ? lens[i] : s ? strlen(s) : 0;
        if (i && fputc(delim, f) == EOF)
            return BB_EIO;
        if (n == 1 && len == 0) { /* alone and empty: quoted, or it would read as a blank line */
            if (fputs("\"\"", f) == EOF)
                return BB_EIO;
        } else if (bb_csv_write_field(f, s, len, delim) != 0) {
            return BB_EIO;
        }
    }
    return fputc('\n', f) == EOF ? BB_EIO : 0;
}
