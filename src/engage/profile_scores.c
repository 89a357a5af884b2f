/* profile_scores.c: the "scores" section of the customer 360 view (profile.h): the customer's stored
 * value scores, each with one line saying what it means, and the segment's names from the current
 * run's grid. null when the customer has no scores (no order yet, or `analyze` has not run). */
#include <string.h>

#include "birebir/datetime.h"
#include "birebir/score.h"
#include "birebir/store_score.h"
#include "engage/profile_impl.h"

/* {"value": v, "meaning": "..."} */
static json_t *item(json_t *v, const char *key)
{
    return json_pack("{s:o, s:s}", "value", v ? v : json_null(), "meaning", bb_score_meaning(key));
}

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

int bb__profile_scores(bb_store *s, int64_t customer_id, const char *currency, json_t **out, bb_error *err)
{
    bb_score sc;
    bb_score_params params;
    const char *en = NULL, *tr = NULL;
    int horizon = 0;
    char tier[2] = {0}, updated[40];
    int rc = bb_store_score_get(s, customer_id, &sc, err);
    *out = NULL;
    if (rc == BB_ENOTFOUND) {
        *out = json_null();
        return 0;
    }
    if (rc)
        return rc;
    run_facts(s, sc.segment, &params, &en, &tr, &horizon);
    tier[0] = sc.tier;
    bb_time_format_iso(sc.updated_at, updated, sizeof updated);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:{s:o, s:o, s:o, s:o, s:o, s:o, s:{s:s, s:s?, s:s?, s:s}}}", "run_id", (json_int_t)sc.run_id,
        "updated_at", updated, "currency", currency ? currency : "", "rfm", "recency_days",
        item(json_integer(sc.recency_days), "recency_days"), "frequency", item(json_integer(sc.frequency), "frequency"),
        "monetary_minor", item(json_integer(sc.monetary_minor), "monetary_minor"), "r_score",
        item(json_integer(sc.r_score), "r_score"), "f_score", item(json_integer(sc.f_score), "f_score"), "m_score",
        item(json_integer(sc.m_score), "m_score"), "segment", "key", sc.segment, "en", en, "tr", tr, "meaning",
        bb_score_meaning("segment"));
    if (!o)
        return bb_error_set(err, BB_ENOMEM, "out of memory building the customer view");
    if (sc.has_model) {
        const char *risk = sc.churn_risk[0] == 'h' ? "high" : sc.churn_risk[0] == 'm' ? "medium" : "low";
        json_object_set_new(o, "p_alive", item(json_real(sc.p_alive), "p_alive"));
        json_object_set_new(o, "expected_purchases", item(json_real(sc.expected_purchases), "expected_purchases"));
        if (horizon > 0)
            json_object_set_new(json_object_get(o, "expected_purchases"), "horizon_months", json_integer(horizon));
        json_object_set_new(o, "expected_value_minor",
                            item(sc.has_value ? json_real(sc.expected_value) : json_null(), "expected_value"));
        json_object_set_new(o, "clv", json_pack("{s:I, s:s}", "value_minor", (json_int_t)sc.clv_minor, "meaning",
                                                bb_score_meaning("clv")));
        json_object_set_new(o, "tier", item(sc.tier ? json_string(tier) : json_null(), "tier"));
        json_object_set_new(o, "churn_risk",
                            json_pack("{s:s, s:s, s:s}", "value", risk, "tr",
                                      bb_churn_name(risk[0] == 'h' ? BB_CHURN_HIGH : risk[0] == 'm' ? BB_CHURN_MEDIUM
                                                                                                    : BB_CHURN_LOW,
                                                    "tr"),
                                      "meaning", bb_score_meaning("churn_risk")));
    } else {
        json_object_set_new(o, "p_alive", item(NULL, "p_alive"));
        json_object_set_new(o, "clv", json_pack("{s:n, s:s}", "value_minor", "meaning", bb_score_meaning("clv")));
    }
    *out = o;
    return 0;
}
