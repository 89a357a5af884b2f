/* profile_scores.c: the "scores" section of the customer 360 view (profile.h): the customer's stored
 * value scores, each with one line saying what it means, and the segment's names from the current
 * run's grid. null when the customer has no scores (no order yet, or `analyze` has not run). Written
 * with bb_jsonw, not a jansson tree: it is spliced into every stored view that is served. */
#include <string.h>

#include "birebir/datetime.h"
#include "birebir/score.h"
#include "birebir/store_score.h"
#include "engage/profile_impl.h"

/* The segment's names and the CLV horizon from the current scoring run, read by the one parser of its
 * params (score.h). Names stay NULL and the horizon 0 before the first analyze or if the run is unreadable. */
static void run_facts(bb_store *s, const char *key, bb_score_params *p, const char **en, const char **tr,
                      int *horizon)
{
    bb_error ignore = {0};
    if (bb_score_params_load(s, p, &ignore) != 0)
        return;
    *horizon = p->clv.horizon_months;
    for (size_t i = 0; i < p->grid.n; i++)
        if (strcmp(p->grid.seg[i].key, key) == 0) {
            *en = p->grid.seg[i].en;
            *tr = p->grid.seg[i].tr;
        }
}

static void kstr(bb_jsonw *w, const char *key, const char *v)
{
    bb_jsonw_key(w, key);
    bb_jsonw_str(w, v);
}

/* "meaning": the score's meaning line, as JSON text made once per thread and key: a dozen lines of
 * fixed text looked up and escaped for every view were a third of writing its scores. Keyed by the
 * key's address (the literals below). */
static void meaning(bb_jsonw *w, const char *key)
{
    enum { SLOTS = 16, TEXT = 240 };
    static _Thread_local struct {
        const char *key;
        size_t len;
        char text[TEXT];
    } memo[SLOTS];
    size_t i = 0;
    bb_jsonw_key(w, "meaning");
    while (i < SLOTS && memo[i].key && memo[i].key != key)
        i++;
    if (i < SLOTS && memo[i].key) {
        bb_jsonw_raw(w, memo[i].text, memo[i].len);
        return;
    }
    bb_buf q;
    bb_jsonw one;
    bb_buf_init(&q, TEXT - 1);
    bb_jsonw_init(&one, &q, 17);
    bb_jsonw_str(&one, bb_score_meaning(key));
    if (bb_jsonw_finish(&one) == 0 && i < SLOTS) {
        memcpy(memo[i].text, q.data, q.len);
        memo[i].len = q.len;
        memo[i].key = key;
    }
    bb_jsonw_str(w, bb_score_meaning(key));
    bb_buf_release(&q);
}

/* "key": {"value": v, "meaning": "..."}, v written by the caller between item_open and item_close. */
static void item_open(bb_jsonw *w, const char *key)
{
    bb_jsonw_key(w, key);
    bb_jsonw_obj(w);
    bb_jsonw_key(w, "value");
}

static void item_int(bb_jsonw *w, const char *key, int64_t v)
{
    item_open(w, key);
    bb_jsonw_int(w, v);
    meaning(w, key);
    bb_jsonw_obj_end(w);
}

static void item_real(bb_jsonw *w, const char *key, const char *meaning_key, int has, double v)
{
    item_open(w, key);
    if (has)
        bb_jsonw_real(w, v);
    else
        bb_jsonw_null(w);
    meaning(w, meaning_key);
    bb_jsonw_obj_end(w);
}

int bb__profile_scores(bb_store *s, int64_t customer_id, const char *currency, bb_jsonw *w, bb_error *err)
{
    bb_score sc;
    bb_score_params params;
    const char *en = NULL, *tr = NULL;
    int horizon = 0;
    char tier[2] = {0}, updated[40];
    int rc = bb_store_score_get(s, customer_id, &sc, err);
    if (rc == BB_ENOTFOUND) {
        bb_jsonw_null(w);
        return 0;
    }
    if (rc)
        return rc;
    run_facts(s, sc.segment, &params, &en, &tr, &horizon);
    bb_time_format_iso(sc.updated_at, updated, sizeof updated);
    bb_jsonw_obj(w);
    bb_jsonw_key(w, "run_id");
    bb_jsonw_int(w, sc.run_id);
    kstr(w, "updated_at", updated);
    kstr(w, "currency", currency ? currency : "");
    bb_jsonw_key(w, "rfm");
    bb_jsonw_obj(w);
    item_int(w, "recency_days", sc.recency_days);
    item_int(w, "frequency", sc.frequency);
    item_int(w, "monetary_minor", sc.monetary_minor);
    item_int(w, "r_score", sc.r_score);
    item_int(w, "f_score", sc.f_score);
    item_int(w, "m_score", sc.m_score);
    bb_jsonw_key(w, "segment");
    bb_jsonw_obj(w);
    kstr(w, "key", sc.segment);
    kstr(w, "en", en);
    kstr(w, "tr", tr);
    meaning(w, "segment");
    bb_jsonw_obj_end(w);
    bb_jsonw_obj_end(w);
    if (sc.has_model) {
        const char *risk = sc.churn_risk[0] == 'h' ? "high" : sc.churn_risk[0] == 'm' ? "medium" : "low";
        bb_churn_risk r = risk[0] == 'h' ? BB_CHURN_HIGH : risk[0] == 'm' ? BB_CHURN_MEDIUM : BB_CHURN_LOW;
        item_real(w, "p_alive", "p_alive", 1, sc.p_alive);
        item_open(w, "expected_purchases");
        bb_jsonw_real(w, sc.expected_purchases);
        meaning(w, "expected_purchases");
        if (horizon > 0) {
            bb_jsonw_key(w, "horizon_months");
            bb_jsonw_int(w, horizon);
        }
        bb_jsonw_obj_end(w);
        item_real(w, "expected_value_minor", "expected_value", sc.has_value, sc.expected_value);
        bb_jsonw_key(w, "clv");
        bb_jsonw_obj(w);
        bb_jsonw_key(w, "value_minor");
        bb_jsonw_int(w, sc.clv_minor);
        meaning(w, "clv");
        bb_jsonw_obj_end(w);
        tier[0] = sc.tier;
        item_open(w, "tier");
        bb_jsonw_str(w, sc.tier ? tier : NULL);
        meaning(w, "tier");
        bb_jsonw_obj_end(w);
        bb_jsonw_key(w, "churn_risk");
        bb_jsonw_obj(w);
        kstr(w, "value", risk);
        kstr(w, "tr", bb_churn_name(r, "tr"));
        meaning(w, "churn_risk");
        bb_jsonw_obj_end(w);
    } else {
        item_real(w, "p_alive", "p_alive", 0, 0);
        bb_jsonw_key(w, "clv");
        bb_jsonw_obj(w);
        bb_jsonw_key(w, "value_minor");
        bb_jsonw_null(w);
        meaning(w, "clv");
        bb_jsonw_obj_end(w);
    }
    bb_jsonw_obj_end(w);
    return 0;
}
