/* rfm.c: RFM quintile scores and the segment grid (parsed from JSON with jansson). */
#include "birebir/rfm.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char default_grid[] =
    "{\"segments\": [\n"
    "  {\"key\": \"champions\", \"en\": \"Champions\", \"tr\": \"Şampiyonlar\", \"r\": [5, 5], \"f\": [4, 5]},\n"
    "  {\"key\": \"loyal\", \"en\": \"Loyal Customers\", \"tr\": \"Sadık Müşteriler\", \"r\": [3, 4], \"f\": [4, 5]},\n"
    "  {\"key\": \"potential_loyalists\", \"en\": \"Potential Loyalists\", \"tr\": \"Potansiyel Sadıklar\",\n"
    "   \"r\": [4, 5], \"f\": [2, 3]},\n"
    "  {\"key\": \"new\", \"en\": \"New Customers\", \"tr\": \"Yeni Müşteriler\", \"r\": [5, 5], \"f\": [1, 1]},\n"
    "  {\"key\": \"promising\", \"en\": \"Promising\", \"tr\": \"Umut Vaat Edenler\", \"r\": [4, 4], \"f\": [1, 1]},\n"
    "  {\"key\": \"need_attention\", \"en\": \"Need Attention\", \"tr\": \"İlgi Bekleyenler\", \"r\": [3, 3],\n"
    "   \"f\": [3, 3]},\n"
    "  {\"key\": \"about_to_sleep\", \"en\": \"About to Sleep\", \"tr\": \"Uykuya Dalmak Üzere\", \"r\": [3, 3],\n"
    "   \"f\": [1, 2]},\n"
    "  {\"key\": \"at_risk\", \"en\": \"At Risk\", \"tr\": \"Risk Altındakiler\", \"r\": [1, 2], \"f\": [3, 4]},\n"
    "  {\"key\": \"cant_lose\", \"en\": \"Can't Lose Them\", \"tr\": \"Kaybedilmemesi Gerekenler\", \"r\": [1, 2],\n"
    "   \"f\": [5, 5]},\n"
    "  {\"key\": \"hibernating\", \"en\": \"Hibernating\", \"tr\": \"Uykudakiler\", \"r\": [1, 2], \"f\": [1, 2]}\n"
    "]}\n";

const char *bb_rfm_grid_default_json(void)
{
    return default_grid;
}

json_t *bb_rfm_grid_json(const bb_rfm_grid *g)
{
    json_t *segs = json_array();
    for (size_t i = 0; segs && i < g->n; i++) {
        const bb_rfm_segment *s = &g->seg[i];
        json_array_append_new(segs, json_pack("{s:s, s:s, s:s, s:[i,i], s:[i,i]}", "key", s->key, "en", s->en, "tr",
                                              s->tr, "r", s->r_lo, s->r_hi, "f", s->f_lo, s->f_hi));
    }
    return json_pack("{s:o}", "segments", segs);
}

static int get_range(json_t *seg, const char *name, int *lo, int *hi)
{
    json_t *a = json_object_get(seg, name);
    if (!json_is_array(a) || json_array_size(a) != 2 || !json_is_integer(json_array_get(a, 0)) ||
        !json_is_integer(json_array_get(a, 1)))
        return -1;
    *lo = (int)json_integer_value(json_array_get(a, 0));
    *hi = (int)json_integer_value(json_array_get(a, 1));
    return *lo >= 1 && *lo <= *hi && *hi <= 5 ? 0 : -1;
}

static int get_text(json_t *seg, const char *name, char *dst, size_t cap)
{
    const char *s = json_string_value(json_object_get(seg, name));
    if (!s || !*s || strlen(s) >= cap)
        return -1;
    memcpy(dst, s, strlen(s) + 1);
    return 0;
}

int bb_rfm_grid_parse(const char *json, bb_rfm_grid *g, bb_error *err)
{
    json_error_t je;
    json_t *root = json_loads(json, 0, &je), *segs;
    int rc = BB_EINVAL;

    memset(g, 0, sizeof *g);
    memset(g->cell, -1, sizeof g->cell);
    if (!root)
        return bb_error_set(err, BB_EINVAL, "rfm grid: line %d: %s", je.line, je.text);
    segs = json_object_get(root, "segments");
    if (!json_is_array(segs) || json_array_size(segs) == 0 || json_array_size(segs) > BB_RFM_MAX_SEGMENTS) {
        bb_error_set(err, BB_EINVAL, "rfm grid: \"segments\" must be an array of 1 to %d segments",
                     BB_RFM_MAX_SEGMENTS);
        goto done;
    }
    for (size_t i = 0; i < json_array_size(segs); i++) {
        json_t *s = json_array_get(segs, i);
        bb_rfm_segment *d = &g->seg[i];
        if (!json_is_object(s) || get_text(s, "key", d->key, sizeof d->key) ||
            get_text(s, "en", d->en, sizeof d->en) || get_text(s, "tr", d->tr, sizeof d->tr)) {
            bb_error_set(err, BB_EINVAL, "rfm grid: segment %zu needs \"key\" (< 32 bytes), \"en\" and \"tr\" names",
                         i + 1);
            goto done;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(g->seg[j].key, d->key) == 0) {
                bb_error_set(err, BB_EINVAL, "rfm grid: segments %zu and %zu have the same key \"%s\" (keys name "
                             "segments, so each must be different)", j + 1, i + 1, d->key);
                goto done;
            }
        if (get_range(s, "r", &d->r_lo, &d->r_hi) || get_range(s, "f", &d->f_lo, &d->f_hi)) {
            bb_error_set(err, BB_EINVAL, "rfm grid: segment \"%s\": \"r\" and \"f\" must be [lo, hi] with 1 <= lo <= hi <= 5",
                         d->key);
            goto done;
        }
        for (int r = d->r_lo; r <= d->r_hi; r++)
            for (int f = d->f_lo; f <= d->f_hi; f++) {
                if (g->cell[r - 1][f - 1] >= 0) {
                    bb_error_set(err, BB_EINVAL, "rfm grid: cell R%d F%d is in both \"%s\" and \"%s\"", r, f,
                                 g->seg[(int)g->cell[r - 1][f - 1]].key, d->key);
                    goto done;
                }
                g->cell[r - 1][f - 1] = (signed char)i;
            }
        g->n = i + 1;
    }
    for (int r = 1; r <= 5; r++)
        for (int f = 1; f <= 5; f++)
            if (g->cell[r - 1][f - 1] < 0) {
                bb_error_set(err, BB_EINVAL, "rfm grid: cell R%d F%d belongs to no segment", r, f);
                goto done;
            }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

int bb_rfm_segment_of(const bb_rfm_grid *g, int r, int f)
{
    if (r < 1 || r > 5 || f < 1 || f > 5)
        return -1;
    return g->cell[r - 1][f - 1];
}

typedef struct key3 {
    double k[3]; /* larger is better, compared in order */
    size_t i;
} key3;

static int better_first(const void *p, const void *q)
{
    const key3 *a = p, *b = q;
    for (int j = 0; j < 3; j++)
        if (a->k[j] != b->k[j])
            return a->k[j] < b->k[j] ? 1 : -1;
    return (a->i > b->i) - (a->i < b->i);
}

int bb_rfm_score(const double *recency_days, const double *frequency, const double *monetary, size_t n,
                 uint8_t *r, uint8_t *f, uint8_t *m, bb_error *err)
{
    key3 *k = malloc((n ? n : 1) * sizeof *k);
    uint8_t *out[3] = {r, f, m};
    if (!k)
        return bb_error_set(err, BB_ENOMEM, "rfm: out of memory for %zu customers", n);
    for (int which = 0; which < 3; which++) {
        for (size_t i = 0; i < n; i++) {
            double R = -recency_days[i], F = frequency[i], M = monetary[i];
            k[i].i = i;
            /* the measure itself, then the other two as tie-breakers */
            k[i].k[0] = which == 0 ? R : which == 1 ? F : M;
            k[i].k[1] = which == 0 ? F : which == 1 ? R : F;
            k[i].k[2] = which == 0 ? M : which == 1 ? M : R;
        }
        qsort(k, n, sizeof *k, better_first);
        for (size_t rank = 0; rank < n; rank++)
            out[which][k[rank].i] = (uint8_t)(5 - (5 * rank) / n);
    }
    free(k);
    return 0;
}
