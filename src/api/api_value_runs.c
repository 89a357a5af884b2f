/* api_value_runs.c: GET /api/v1/model-runs: the value models' runs (model, status, data window,
 * customers, parameters and fit statistics), newest first, and the JSON form of a run that the
 * dashboard also shows. */
#include <string.h>

#include "api/api_impl.h"
#include "birebir/datetime.h"
#include "birebir/store_score.h"

static json_t *time_or_null(int64_t t)
{
    char buf[32];
    return t ? json_string(bb_time_format_iso(t, buf, sizeof buf)) : json_null();
}

/* A stored JSON object as a value; an unreadable one as null. */
static json_t *object_or_null(const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    return v ? v : json_null();
}

json_t *bb__model_run_json(const bb_model_run *r, int with_details)
{
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:b, s:o, s:o, s:o, s:I, s:o, s:o}", "id", (json_int_t)r->id, "model",
                  r->model ? r->model : "", "status", r->status ? r->status : "", "is_current", r->is_current,
                  "as_of", time_or_null(r->as_of), "window_from", time_or_null(r->window_from), "window_to",
                  time_or_null(r->window_to), "customers", (json_int_t)r->customers, "started_at",
                  time_or_null(r->started_at), "finished_at", time_or_null(r->finished_at));
    if (o && with_details) {
        json_object_set_new(o, "params", object_or_null(r->params_json));
        json_object_set_new(o, "fit", object_or_null(r->fit_json));
    }
    return o;
}

static int add_run(void *ctx, const bb_model_run *r)
{
    json_t *o = bb__model_run_json(r, 1);
    return o && json_array_append_new(ctx, o) == 0 ? 0 : BB_ENOMEM;
}

/* The models whose runs `analyze` records (bb_model_run_rec.model). */
static const char *const models[] = {"bgnbd", "pnbd", "cohorts", NULL};

void bb__h_model_runs(bb__api *api, bb_store *store, bb_http_request *req, bb_http_reply *reply)
{
    static const char *const known[] = {"model", "limit", NULL};
    const char *model = NULL;
    json_t *arr = json_array();
    bb_error err = {0};
    int64_t limit;
    int rc;
    if (bb__args_check(req, reply, known) != 0 || bb__arg_choice(req, reply, "model", models, &model) != 0 ||
        bb__arg_int(req, reply, "limit", 50, 1, 1000, &limit) != 0)
        goto done;
    if (!arr) {
        bb__reply_error(reply, 500, "internal", NULL, "out of memory");
        goto done;
    }
    rc = bb_store_model_runs(store, model, (size_t)limit, add_run, arr, &err);
    if (rc == BB_ENOMEM && !err.msg[0])
        bb_error_set(&err, BB_ENOMEM, "out of memory listing the model runs");
    if (rc != 0) {
        bb__reply_from_error(reply, &err, api->log);
        goto done;
    }
    bb__reply_json(reply, 200, json_pack("{s:O}", "runs", arr));
done:
    json_decref(arr);
}
