/* api_admin.c: GET /api/v1/health (no authentication) and GET /api/v1/audit (admins: who did what,
 * when, newest first, paged by cursor). */
#include <stdio.h>
#include <stdlib.h>

#include "api/api_fields.h"
#include "api/api_impl.h"
#include "birebir/datetime.h"

void bb__h_health(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    bb__jw j;
    bb__jw_open(&j);
    bb__jw_text(&j, "status", "ok");
    bb__jw_text(&j, "version", api->cfg.version ? api->cfg.version : "");
    bb_jsonw_key(&j.w, "schema_version");
    bb_jsonw_int(&j.w, bb_store_schema_version(store));
    bb__jw_text(&j, "time", bb__time_text(req->now));
    bb__jw_reply(reply, 200, &j);
}

typedef struct audit_page {
    json_t *entries;
    int64_t last_id;
} audit_page;

static int add_entry(void *ctx, const bb_store_audit *a)
{
    audit_page *p = ctx;
    char at[32];
    json_t *detail = NULL, *e;
    if (a->detail)
        detail = json_loads(a->detail, 0, NULL);
    bb_time_format_iso(a->at, at, sizeof at);
    e = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:o?}", "id", (json_int_t)a->id, "at", at, "actor", a->actor,
                  "action", a->action, "target", a->target, "detail", detail);
    if (!e || json_array_append_new(p->entries, e) != 0)
        return BB_ENOMEM;
    p->last_id = a->id;
    return 0;
}

void bb__h_audit(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    audit_page page = {.entries = json_array()};
    int64_t limit, cursor;
    bb_error err = {0};
    char next[32];
    int rc;
    static const char *const known[] = {"limit", "cursor", "actor", "action", NULL};
    if (bb__args_check(req, reply, known) != 0 || bb__arg_int(req, reply, "limit", 100, 1, 1000, &limit) != 0 ||
        bb__arg_int(req, reply, "cursor", 0, 0, INT64_MAX, &cursor) != 0)
        goto done;
    if (!page.entries) {
        bb__reply_error(reply, 500, "internal", NULL, "out of memory");
        goto done;
    }
    rc = bb_store_audit_list(store, cursor, (int)limit, bb__request_arg(req, "actor"),
                             bb__request_arg(req, "action"), add_entry, &page, &err);
    if (rc == BB_ENOMEM)
        bb_error_set(&err, rc, "out of memory");
    if (rc != 0) {
        bb__reply_from_error(reply, &err, api->log);
        goto done;
    }
    snprintf(next, sizeof next, "%lld", (long long)page.last_id);
    bb__reply_json(reply, 200,
                   json_pack("{s:O, s:s?}", "entries", page.entries, "next_cursor",
                             json_array_size(page.entries) == (size_t)limit ? next : NULL));
done:
    json_decref(page.entries);
}
