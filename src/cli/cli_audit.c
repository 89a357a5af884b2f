/* cli_audit.c: the command line's own entries in the audit log (the server writes its requests'):
 * who ("cli:$USER"), what (an action and a target) and when, for the commands that write or export
 * data, so `GET /api/v1/audit` shows them beside the API's. */
#include <stdlib.h>
#include <string.h>

#include "birebir/store_auth.h"
#include "cli.h"

json_t *bb_cli_json_text(const char *s)
{
    json_t *v = json_string(s);
    char *copy;
    if (v || !s || !(copy = strdup(s)))
        return v;
    for (char *p = copy; *p; p++) /* not UTF-8 (a file name in Latin-1): the bytes past ASCII as '?' */
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    v = json_string(copy);
    free(copy);
    return v;
}

int bb_cli_audit(bb_store *s, const char *action, const char *target, json_t *detail, bb_error *err)
{
    char actor[300];
    char *d = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    bb_store_audit a = {.actor = actor, .action = action, .target = target, .detail = d};
    int rc;
    bb_cli_actor(actor, sizeof actor);
    rc = detail && !d ? bb_error_set(err, BB_ENOMEM, "out of memory") : bb_store_audit_add(s, &a, err);
    free(d);
    json_decref(detail);
    return rc;
}
