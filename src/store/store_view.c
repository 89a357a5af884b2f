/* store_view.c: the public functions of store_view.h: arguments checked, then the backend's table
 * (bb__store_ops.view). */
#include <string.h>

#include "store/store_view_impl.h"

#define OPS(s) ((s)->ops->view)

int bb_store_view_get(bb_store *s, int64_t customer_id, bb_buf *body, char currency[4], bb_error *err)
{
    currency[0] = '\0';
    return OPS(s)->get(s, customer_id, body, currency, err);
}

int bb_store_view_put(bb_store *s, int64_t customer_id, const char *currency, const char *body, size_t len,
                      bb_error *err)
{
    if (customer_id <= 0)
        return bb_error_set(err, BB_EINVAL, "a stored view needs a customer");
    if (!currency || strlen(currency) > 3)
        return bb_error_set(err, BB_EINVAL, "a stored view's currency is \"\" or an ISO 4217 code");
    if (!body || len == 0 || body[0] != '{')
        return bb_error_set(err, BB_EINVAL, "a stored view is the start of a JSON object");
    return OPS(s)->put(s, customer_id, currency, body, len, err);
}

int bb_store_views_missing(bb_store *s, int64_t after, size_t limit, int64_t *ids, size_t *n, bb_error *err)
{
    *n = 0;
    return limit ? OPS(s)->missing(s, after, limit, ids, n, err) : 0;
}

int bb_store_views_scan(bb_store *s, int64_t after, size_t look, int64_t *ids, size_t *n, int64_t *last,
                        bb_error *err)
{
    *n = 0;
    *last = after;
    return look ? OPS(s)->scan(s, after, look, ids, n, last, err) : 0;
}

int bb_store_views_count(bb_store *s, int64_t *views, int64_t *customers, bb_error *err)
{
    *views = *customers = 0;
    return OPS(s)->count(s, views, customers, err);
}
