/* store.c: bb_store's public functions, dispatched to the backend's table of functions. */
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

int bb_store_open(const char *url, int flags, bb_store **out, bb_error *err)
{
    *out = NULL;
    if (!url || !*url)
        return bb_error_set(err, BB_EUSAGE, "no database given");
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return bb_error_set(err, BB_EUSAGE,
                            "%s: the PostgreSQL backend is not built yet; use a SQLite file path", url);
    return bb__sqlite_open(url, flags, out, err);
}

void bb_store_close(bb_store *s)
{
    if (s)
        s->ops->close(s);
}

int bb_store_schema_version_supported(void)
{
    int n = 0;
    while (bb__migrations[n].name)
        n++;
    return n;
}

int bb_store_schema_version(bb_store *s)
{
    return s->ops->schema_version(s);
}
int bb_store_begin(bb_store *s, bb_error *err)
{
    return s->ops->begin(s, err);
}
int bb_store_commit(bb_store *s, bb_error *err)
{
    return s->ops->commit(s, err);
}
void bb_store_rollback(bb_store *s)
{
    s->ops->rollback(s);
}
int bb_store_read_begin(bb_store *s, bb_error *err)
{
    return s->ops->read_begin(s, err);
}
void bb_store_read_end(bb_store *s)
{
    s->ops->read_end(s);
}
void bb_store_read_hold(bb_store *s, int max_ms)
{
    s->ops->read_hold(s, max_ms);
}
void bb_store_read_settle(bb_store *s)
{
    s->ops->read_settle(s, 0);
}
void bb_store_read_release(bb_store *s)
{
    s->ops->read_settle(s, 1);
}
int bb_store_bulk(bb_store *s, int on, bb_error *err)
{
    return s->ops->bulk(s, on, err);
}

int bb_store_status_get(bb_store *s, bb_store_status *out, bb_error *err)
{
    return s->ops->status(s, out, err);
}

#define BB__PUT(fn, rec_t)                                                                                   \
    int bb_store_##fn(bb_store *s, const rec_t *r, bb_put_result *res, bb_put_stats *st, bb_error *err)      \
    {                                                                                                        \
        return s->ops->fn(s, r, res, st, err);                                                               \
    }
BB__PUT(put_customer, bb_customer_rec)
BB__PUT(put_product, bb_product_rec)
BB__PUT(put_order, bb_order_rec)
BB__PUT(put_order_line, bb_order_line_rec)
BB__PUT(put_interaction, bb_interaction_rec)
BB__PUT(put_consent, bb_consent_rec)
BB__PUT(put_survey, bb_survey_rec)
#undef BB__PUT

void bb_store_hint_order_line(bb_store *s, const bb_order_line_rec *r)
{
    if (s->ops->hint_order_line)
        s->ops->hint_order_line(s, r);
}

int bb_store_resolve(bb_store *s, const char *ref, const char *id_kind, int64_t *id, bb_error *err)
{
    return s->ops->resolve(s, ref, id_kind, id, err);
}

int bb_store_merge(bb_store *s, const char *keep_ref, const char *other_ref, const char *who,
                   bb_merge_report *report, bb_error *err)
{
    return s->ops->merge(s, keep_ref, other_ref, who, report, err);
}

int bb_store_duplicates(bb_store *s, size_t limit, bb_store_duplicate_fn fn, void *ctx, bb_error *err)
{
    return s->ops->duplicates(s, limit, fn, ctx, err);
}

/* ---- reads ---- */

void bb_customer_release(bb_customer *c)
{
    if (!c)
        return;
    free(c->external_id);
    free(c->first_name);
    free(c->last_name);
    free(c->email);
    free(c->phone);
    free(c->city);
    free(c->birth_date);
    free(c->gender);
    free(c->attributes_json);
    for (size_t i = 0; i < c->n_idents; i++) {
        free((char *)c->idents[i].kind);
        free((char *)c->idents[i].value);
    }
    free(c->idents);
    for (size_t i = 0; i < c->n_merged_from; i++)
        free(c->merged_from[i]);
    free(c->merged_from);
    memset(c, 0, sizeof *c);
}

int bb_store_customer_get_id(bb_store *s, int64_t customer_id, bb_customer *out, bb_error *err)
{
    memset(out, 0, sizeof *out);
    return s->ops->customer_get_id(s, customer_id, out, err);
}

int bb_store_customer_get(bb_store *s, const char *ref, const char *id_kind, bb_customer *out, bb_error *err)
{
    int64_t id = 0;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = bb_store_resolve(s, ref, id_kind, &id, err)) != 0)
        return rc;
    return s->ops->customer_get_id(s, id, out, err);
}

int bb_store_order_summary(bb_store *s, int64_t customer_id, bb_order_summary *out, bb_error *err)
{
    memset(out, 0, sizeof *out);
    return s->ops->order_summary(s, customer_id, out, err);
}

int bb_store_customer_orders(bb_store *s, int64_t customer_id, size_t limit, int with_lines,
                             bb_store_order_fn fn, void *ctx, bb_error *err)
{
    return s->ops->customer_orders(s, customer_id, limit, with_lines, fn, ctx, err);
}

int bb_store_customer_consents(bb_store *s, int64_t customer_id, int current_only, bb_store_consent_fn fn,
                               void *ctx, bb_error *err)
{
    return s->ops->customer_consents(s, customer_id, current_only, fn, ctx, err);
}

int bb_store_customer_interactions(bb_store *s, int64_t customer_id, size_t limit, bb_store_interaction_fn fn,
                                   void *ctx, bb_error *err)
{
    return s->ops->customer_interactions(s, customer_id, limit, fn, ctx, err);
}

int bb_store_customer_surveys(bb_store *s, int64_t customer_id, size_t limit, bb_store_survey_fn fn,
                              void *ctx, bb_error *err)
{
    return s->ops->customer_surveys(s, customer_id, limit, fn, ctx, err);
}

int bb_store_customer_list(bb_store *s, const bb_customer_query *query, bb_store_hit_fn fn, void *ctx,
                           char *next_cursor, bb_error *err)
{
    bb_customer_query q = *query;
    next_cursor[0] = '\0';
    if (q.limit < 1 || q.limit > 10000)
        return bb_error_set(err, BB_EINVAL, "search limit %zu is not between 1 and 10000", q.limit);
    if ((unsigned)q.sort >= BB_SORT_COUNT)
        return bb_error_set(err, BB_EINVAL, "no customer order %d", (int)q.sort);
    q.q = q.q ? q.q : "";
    q.segment = q.segment && *q.segment ? q.segment : NULL;
    q.cursor = q.cursor && *q.cursor ? q.cursor : NULL;
    return s->ops->search(s, &q, fn, ctx, next_cursor, err);
}

int bb_store_search(bb_store *s, const char *query, size_t limit, const char *cursor, bb_store_hit_fn fn,
                    void *ctx, char *next_cursor, bb_error *err)
{
    bb_customer_query q = {.q = query, .sort = BB_SORT_NAME, .limit = limit, .cursor = cursor};
    return bb_store_customer_list(s, &q, fn, ctx, next_cursor, err);
}

const char *bb_customer_sort_name(bb_customer_sort sort)
{
    static const char *const names[BB_SORT_COUNT] = {"name", "clv", "revenue", "last_order"};
    return (unsigned)sort < BB_SORT_COUNT ? names[sort] : NULL;
}

int bb_store_order_values(bb_store *s, int64_t customer_id, bb_order_value_fn fn, void *ctx, bb_error *err)
{
    return s->ops->order_values(s, customer_id, fn, ctx, err);
}

/* ---- export ---- */

#define BB__EXPORT(what, fn_t)                                                                               \
    int bb_store_export_##what(bb_store *s, fn_t fn, void *ctx, bb_error *err)                               \
    {                                                                                                        \
        return s->ops->export_##what(s, fn, ctx, err);                                                       \
    }
BB__EXPORT(customers, bb_export_customer_fn)
BB__EXPORT(products, bb_export_product_fn)
BB__EXPORT(orders, bb_export_order_fn)
BB__EXPORT(order_lines, bb_export_order_line_fn)
BB__EXPORT(interactions, bb_export_interaction_fn)
BB__EXPORT(consents, bb_export_consent_fn)
BB__EXPORT(surveys, bb_export_survey_fn)
#undef BB__EXPORT
