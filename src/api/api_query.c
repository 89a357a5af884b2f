/* api_query.c: the checks of a read route's query string: every argument one the route knows, none
 * given twice, and an argument that takes one of a fixed set of values (a model, a segment, a sort)
 * holding one of them; every name and value valid UTF-8. A failed check answers 422 {"error": {"code": "invalid", "where": ARGUMENT,
 * "message", "accepted": [...]}}, so a typo is an error, never a silently different answer. */
#include <stdio.h>
#include <string.h>

#include "api/api_impl.h"

static int in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* The list as "a, b, c" into out. */
static const char *joined(const char *const *list, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; list[i] && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "", list[i]);
    return out;
}

void bb__reply_not_accepted(bb_http_reply *reply, const char *where, const char *const *accepted,
                            const char *what)
{
    char list[768], msg[1024];
    json_t *arr = json_array(), *e;
    for (size_t i = 0; arr && accepted[i]; i++)
        json_array_append_new(arr, json_string(accepted[i]));
    snprintf(msg, sizeof msg, "%s (accepted: %s)", what,
             accepted[0] ? joined(accepted, list, sizeof list) : "none");
    e = json_pack("{s:s, s:s, s:s, s:o}", "code", "invalid", "message", msg, "where", where, "accepted",
                  arr ? arr : json_array());
    bb__reply_json(reply, 422, json_pack("{s:o}", "error", e));
}

/* 1 when s is valid UTF-8 (jansson checks it as it makes a string). */
static int utf8_ok(const char *s)
{
    json_t *t = json_string(s);
    json_decref(t);
    return t != NULL;
}

int bb__args_check(const bb_http_request *req, bb_http_reply *reply, const char *const *known)
{
    for (size_t i = 0; i < req->n_args; i++) {
        const char *key = req->args[i].key;
        if (!utf8_ok(key)) {
            bb__reply_error(reply, 422, "invalid", "query", "a query parameter's name is not valid UTF-8 text");
            return -1;
        }
        if (!utf8_ok(req->args[i].value)) {
            bb__reply_error(reply, 422, "invalid", key, "%s is not valid UTF-8 text", key);
            return -1;
        }
        if (!in_list(key, known)) {
            char what[160];
            snprintf(what, sizeof what, "\"%.60s\" is not a query parameter of this route", key);
            bb__reply_not_accepted(reply, key, known, what);
            return -1;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(req->args[k].key, key) == 0) {
                bb__reply_error(reply, 422, "invalid", key, "%s is given more than once", key);
                return -1;
            }
    }
    return 0;
}

int bb__arg_choice(const bb_http_request *req, bb_http_reply *reply, const char *key,
                   const char *const *accepted, const char **out)
{
    const char *v = bb__request_arg(req, key);
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (!in_list(v, accepted)) {
        char what[200];
        if (utf8_ok(v))
            snprintf(what, sizeof what, "%s \"%.80s\" is not known", key, v);
        else
            snprintf(what, sizeof what, "%s is not valid UTF-8 text", key);
        bb__reply_not_accepted(reply, key, accepted, what);
        return -1;
    }
    *out = v;
    return 0;
}
