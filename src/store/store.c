/* store.c: bb_store's public functions, dispatched to the backend's table of functions. */
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

int bb_store_schema_version(bb_store *s) { return s->ops->schema_version(s); }
int bb_store_begin(bb_store *s, bb_error *err) { return s->ops->begin(s, err); }
int bb_store_commit(bb_store *s, bb_error *err) { return s->ops->commit(s, err); }
void bb_store_rollback(bb_store *s) { s->ops->rollback(s); }

int bb_store_status_get(bb_store *s, bb_store_status *out, bb_error *err)
{
    return s->ops->status(s, out, err);
}

#define BB__PUT(fn, rec_t)                                                                          \
    int bb_store_##fn(bb_store *s, const rec_t *r, bb_put_result *res, bb_put_stats *st,            \
                      bb_error *err)                                                                \
    {                                                                                               \
        return s->ops->fn(s, r, res, st, err);                                                      \
    }
BB__PUT(put_customer, bb_customer_rec)
BB__PUT(put_product, bb_product_rec)
BB__PUT(put_order, bb_order_rec)
BB__PUT(put_order_line, bb_order_line_rec)
BB__PUT(put_interaction, bb_interaction_rec)
BB__PUT(put_consent, bb_consent_rec)
BB__PUT(put_survey, bb_survey_rec)
#undef BB__PUT

int bb_store_resolve(bb_store *s, const char *ref, const char *id_kind, int64_t *id, bb_error *err)
{
    return s->ops->resolve(s, ref, id_kind, id, err);
}

int bb_store_merge(bb_store *s, const char *keep_ref, const char *other_ref, const char *who,
                   bb_merge_report *report, bb_error *err)
{
    return s->ops->merge(s, keep_ref, other_ref, who, report, err);
}
