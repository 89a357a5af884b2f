/* locale.c: naming the locales of locale.h. */
#include "birebir/locale.h"

#include <strings.h>

int bb_locale_parse(const char *name, bb_locale *out, bb_error *err)
{
    if (name && (name[0] == 't' || name[0] == 'T') && (name[1] == 'r' || name[1] == 'R') &&
        (name[2] == '\0' || name[2] == '_' || name[2] == '-' || name[2] == '.')) {
        *out = BB_LOCALE_TR;
        return 0;
    }
    if (name && (name[0] == 'e' || name[0] == 'E') && (name[1] == 'n' || name[1] == 'N') &&
        (name[2] == '\0' || name[2] == '_' || name[2] == '-' || name[2] == '.')) {
        *out = BB_LOCALE_EN;
        return 0;
    }
    if (name && (strcasecmp(name, "C") == 0 || strcasecmp(name, "POSIX") == 0)) {
        *out = BB_LOCALE_EN;
        return 0;
    }
    return bb_error_set(err, BB_EINVAL, "unknown locale \"%s\" (use tr or en)", name ? name : "");
}

const char *bb_locale_name(bb_locale loc)
{
    return loc == BB_LOCALE_TR ? "tr" : "en";
}
