/* demo_engage.c: the demo business talking with its customers: the campaign calendar, consents per
 * channel (granted, revoked, granted again, never given), campaign messages only where consent stood
 * at the time, replies, complaints and their follow-ups, service calls, store visits, and survey
 * answers: NPS that rises with frequency, recency and spend and falls after a complaint; CSAT after
 * complaints and service calls. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/datetime.h"
#include "demo/demo_internal.h"

/* ---- the campaign calendar ---- */

static const char *const month_names[12] = {"Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran",
                                            "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"};

typedef struct event {
    int month, day;
    const char *subject, *body;
    const char *channels; /* e = email, s = sms, p = push */
} event;

static const event events[] = {
    {2, 7, "Sevgililer Günü'ne özel hediyeler", "Sevdiklerinize özel seçkimizde %20 indirim.", "ep"},
    {3, 6, "Kadınlar Günü kampanyası", "8 Mart'a özel kozmetik ve aksesuarda fırsatlar.", "es"},
    {5, 3, "Anneler Günü hediye rehberi", "Annenize en güzel hediye için seçkimize göz atın.", "esp"},
    {6, 12, "Babalar Günü fırsatları", "Babalar Günü'ne özel elektronik ve giyimde indirim.", "es"},
    {7, 1, "Yaz indirimi başladı", "Sezon sonu indiriminde %50'ye varan fırsatlar.", "esp"},
    {8, 25, "Okula dönüş alışverişi", "Kırtasiye ve çantada okula dönüş fırsatları.", "ep"},
    {11, 11, "11.11 indirim günü", "Yalnızca bugün: seçili ürünlerde ek %11 indirim.", "ep"},
    {11, 20, "Efsane Kasım başladı", "Yılın en büyük indirimleri: %70'e varan fırsatlar.", "esp"},
    {12, 15, "Yılbaşı hediyeleri", "Yeni yıl hediyeleriniz için ücretsiz kargo ve indirim.", "esp"},
};
#define N_EVENTS (sizeof(events) / sizeof(events[0]))

static const char *const newsletter_body = "Yeni sezon ürünleri, size özel öneriler ve haftanın fırsatları.";

static int add_campaign(bb__campaign *cs, int *n, int cap, int64_t at, const char *channel,
                        const char *subject, const char *body, double reach)
{
    if (*n >= cap)
        return -1;
    cs[*n].at = at;
    cs[*n].channel = channel;
    snprintf(cs[*n].subject, sizeof cs[*n].subject, "%s", subject);
    cs[*n].body = body;
    cs[*n].reach = reach;
    (*n)++;
    return 0;
}

int bb__campaigns_build(int64_t start, int64_t end, bb__campaign **out, int *n_out, bb_error *err)
{
    int64_t y0, y1;
    int m0, d0, m1, d1, n = 0, cap;
    bb__campaign *cs;
    *out = NULL;
    *n_out = 0;
    bb_civil_from_days(start / BB__DAY, &y0, &m0, &d0);
    bb_civil_from_days(end / BB__DAY, &y1, &m1, &d1);
    cap = (int)(y1 - y0 + 2) * 12 * (int)(1 + N_EVENTS * 3);
    cs = calloc((size_t)cap, sizeof *cs);
    if (!cs)
        return bb_error_set(err, BB_ENOMEM, "out of memory building the demo campaigns");
    for (int64_t y = y0; y <= y1; y++) {
        for (int m = 1; m <= 12; m++) {
            char subject[96];
            /* The monthly newsletter, on the 5th at 10:00 Turkish time. */
            int64_t at = bb_days_from_civil(y, m, 5) * BB__DAY + 10 * 3600 - BB__TR_UTC_OFFSET;
            if (at > start && at < end) {
                snprintf(subject, sizeof subject, "%s %lld bülteni", month_names[m - 1], (long long)y);
                add_campaign(cs, &n, cap, at, "email", subject, newsletter_body, 0.2);
            }
            for (size_t e = 0; e < N_EVENTS; e++) {
                if (events[e].month != m)
                    continue;
                at = bb_days_from_civil(y, m, events[e].day) * BB__DAY + 11 * 3600 - BB__TR_UTC_OFFSET;
                if (at <= start || at >= end)
                    continue;
                for (const char *c = events[e].channels; *c; c++) {
                    const char *ch = *c == 'e' ? "email" : *c == 's' ? "sms" : "push";
                    double reach = *c == 'e' ? 0.35 : *c == 's' ? 0.3 : 0.4;
                    add_campaign(cs, &n, cap, at + (*c == 's' ? 2 * 3600 : 0), ch, events[e].subject,
                                 events[e].body, reach);
                }
            }
        }
    }
    *out = cs;
    *n_out = n;
    return 0;
}

/* ---- helpers ---- */

static int push_interaction(bb__person *p, int64_t at, int owner, const char *channel, const char *direction,
                            const char *kind, const char *subject, const char *body)
{
    bb__interaction *x = bb__vec_push(&p->interactions);
    if (!x)
        return BB_ENOMEM;
    *x = (bb__interaction){at, owner, channel, direction, kind, subject, body};
    return 0;
}

static int push_consent(bb__person *p, int64_t at, int owner, const char *channel, const char *status,
                        const char *source)
{
    bb__consent *c = bb__vec_push(&p->consents);
    if (!c)
        return BB_ENOMEM;
    *c = (bb__consent){at, owner, channel, status, source};
    return 0;
}

static int push_survey(bb__person *p, int64_t at, int owner, const char *survey, int score, const char *comment)
{
    bb__survey *s = bb__vec_push(&p->surveys);
    if (!s)
        return BB_ENOMEM;
    *s = (bb__survey){at, owner, survey, score, comment};
    return 0;
}

/* A time uniformly in [from, to), or `to` when the span is empty. */
static int64_t between(bb_rng *g, int64_t from, int64_t to)
{
    if (to <= from)
        return to;
    return from + (int64_t)bb_rng_below(g, (uint64_t)(to - from));
}

/* Was consent on channel granted for record `owner` at time t (the latest entry before t)? */
static int consent_at(const bb__person *p, int owner, const char *channel, int64_t t)
{
    const bb__consent *cs = p->consents.data;
    int64_t best = -1;
    int granted = 0;
    for (size_t i = 0; i < p->consents.len; i++) {
        if (cs[i].owner == owner && strcmp(cs[i].channel, channel) == 0 && cs[i].at <= t && cs[i].at >= best) {
            best = cs[i].at;
            granted = strcmp(cs[i].status, "granted") == 0;
        }
    }
    return granted;
}

static const char *const signup_source[BB__N_CHANNELS] = {"web_form", "mobile_app", "store"};

/* ---- consents ---- */

/* One record's consent history on one channel. */
static int consent_story(const bb__demo_ctx *ctx, bb__person *p, bb_rng *g, int owner, const char *channel,
                         double p_grant, double p_revoke, const char *source)
{
    int64_t signup = p->rec[owner].signup, at;
    int rc;
    static const char *const later_sources[] = {"call_centre", "store", "web_form"};
    static const double later_w[] = {40, 30, 30};
    if (bb_rng_chance(g, p_grant)) {
        at = signup + 5 + (int64_t)bb_rng_below(g, 60);
    } else if (bb_rng_chance(g, 0.12)) {
        at = between(g, signup + BB__DAY, ctx->end);
        source = later_sources[bb_rng_pick(g, later_w, 3)];
    } else {
        return 0; /* never given */
    }
    if (at >= ctx->end)
        return 0;
    if ((rc = push_consent(p, at, owner, channel, "granted", source)) != 0)
        return rc;
    if (!bb_rng_chance(g, p_revoke))
        return 0;
    at = between(g, at + BB__DAY, ctx->end);
    if (at >= ctx->end)
        return 0;
    source = strcmp(channel, "email") == 0 ? (bb_rng_chance(g, 0.7) ? "web_form" : "call_centre")
             : strcmp(channel, "sms") == 0 ? (bb_rng_chance(g, 0.5) ? "call_centre" : "web_form")
                                           : "call_centre";
    if ((rc = push_consent(p, at, owner, channel, "revoked", source)) != 0)
        return rc;
    if (bb_rng_chance(g, 0.1)) { /* changed their mind */
        at = between(g, at + BB__DAY, ctx->end);
        if (at < ctx->end)
            rc = push_consent(p, at, owner, channel, "granted", bb_rng_chance(g, 0.5) ? "store" : "web_form");
    }
    return rc;
}

static int consents(const bb__demo_ctx *ctx, bb__person *p, bb_rng *g)
{
    const bb__order *os = p->orders.data;
    int ch = p->buyer ? os[0].channel : p->pref_channel;
    const bb__record *r = &p->rec[0];
    int rc = 0;
    if (r->email[0])
        rc = consent_story(ctx, p, g, 0, "email", 0.62, 0.18, signup_source[ch]);
    if (!rc && r->phone[0])
        rc = consent_story(ctx, p, g, 0, "sms", 0.48, 0.22, signup_source[ch]);
    if (!rc && r->phone[0])
        rc = consent_story(ctx, p, g, 0, "call", 0.18, 0.25, signup_source[ch]);
    if (!rc && p->has_dup && p->rec[1].phone[0])
        rc = consent_story(ctx, p, g, 1, "sms", 0.5, 0.15, "store");
    if (!rc && p->has_dup && p->rec[1].email[0])
        rc = consent_story(ctx, p, g, 1, "email", 0.3, 0.15, "store");
    return rc;
}

/* ---- campaigns and service ---- */

static const char *const complaint_online[] = {"Kargo gecikmesi", "Hasarlı ürün teslim edildi", "Eksik ürün",
                                               "Yanlış ürün gönderildi", "İade ücreti iadesi"};
static const char *const complaint_store[] = {"Mağazada ilgisizlik", "Kasada uzun bekleme", "Fiyat etiketi hatası",
                                              "Beden değişimi yapılmadı"};
static const char *const complaint_return[] = {"İade süreci çok uzun", "İade tutarı yatmadı",
                                               "Ürün beklentiyi karşılamadı"};
static const char *const service_subjects[] = {"Sipariş durumu", "Kargo takibi", "Beden değişimi",
                                               "Fatura talebi", "Kampanya kodu çalışmıyor"};
static const char *const complaint_channels[] = {"call", "email", "web"};
static const double complaint_channel_w[] = {50, 30, 20};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(g, a) ((a)[bb_rng_below((g), N_OF(a))])

static int uses_app(const bb__person *p)
{
    const bb__order *os = p->orders.data;
    if (p->pref_channel == BB__CH_APP)
        return 1;
    for (size_t i = 0; i < p->orders.len; i++)
        if (os[i].channel == BB__CH_APP)
            return 1;
    return 0;
}

static int campaigns(const bb__demo_ctx *ctx, bb__person *p, bb_rng *g)
{
    int app = uses_app(p), rc = 0;
    for (int i = 0; i < ctx->n_campaigns && !rc; i++) {
        const bb__campaign *c = &ctx->campaigns[i];
        int owner = 0;
        if (c->at < p->rec[0].signup)
            continue;
        if (strcmp(c->channel, "push") == 0) {
            if (!app)
                continue;
        } else if (!consent_at(p, 0, c->channel, c->at)) {
            if (!p->has_dup || c->at < p->rec[1].signup || !consent_at(p, 1, c->channel, c->at))
                continue;
            owner = 1;
        }
        if (!bb_rng_chance(g, c->reach))
            continue;
        rc = push_interaction(p, c->at, owner, c->channel, "out", "campaign", c->subject, c->body);
        if (!rc && strcmp(c->channel, "email") == 0 && bb_rng_chance(g, 0.01)) {
            int64_t at = c->at + 3600 + (int64_t)bb_rng_below(g, 2 * BB__DAY);
            if (at < ctx->end)
                rc = push_interaction(p, at, owner, "email", "in", "reply", c->subject,
                                      bb_rng_chance(g, 0.5) ? "Bu kampanya mağazalarda da geçerli mi?"
                                                            : "Lütfen bana daha az e-posta gönderin.");
        }
    }
    return rc;
}

/* Complaints (after some orders, most after returns), their follow-ups, service calls, visits. */
static int service(const bb__demo_ctx *ctx, bb__person *p, bb_rng *g)
{
    size_t n = p->orders.len;
    int rc = 0;
    int64_t last = p->rec[0].signup;
    size_t store_orders = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const bb__order *o = (const bb__order *)p->orders.data + i;
        int is_return = o->return_of >= 0;
        int64_t at = o->at + (1 + (int64_t)bb_rng_below(g, 5)) * BB__DAY + (int64_t)bb_rng_below(g, 36000);
        if (o->at > last)
            last = o->at;
        if (!is_return && o->channel == BB__CH_STORE)
            store_orders++;
        if (bb_rng_chance(g, is_return ? 0.35 : 0.012) && at < ctx->end) {
            const char *subject = is_return                    ? PICK(g, complaint_return)
                                  : o->channel == BB__CH_STORE ? PICK(g, complaint_store)
                                                               : PICK(g, complaint_online);
            const char *ch = complaint_channels[bb_rng_pick(g, complaint_channel_w, 3)];
            int64_t follow = at + 3600 * (4 + (int64_t)bb_rng_below(g, 44));
            p->complained = 1;
            rc = push_interaction(p, at, o->owner, ch, "in", "complaint", subject,
                                  "Siparişimle ilgili yaşadığım sorunun çözülmesini istiyorum.");
            if (!rc && follow < ctx->end)
                rc = push_interaction(p, follow, o->owner, "call", "out", "complaint_followup",
                                      "Şikâyetiniz hakkında", "Müşteri hizmetleri arayarak çözüm sundu.");
            if (!rc && follow < ctx->end && bb_rng_chance(g, 0.45)) {
                static const double w[] = {30, 25, 25, 15, 5};
                int64_t s_at = follow + BB__DAY;
                if (s_at < ctx->end)
                    rc = push_survey(p, s_at, o->owner, "csat", 1 + (int)bb_rng_pick(g, w, 5),
                                     bb_rng_chance(g, 0.3) ? "Sorunum geç çözüldü." : NULL);
            }
        } else if (!is_return && bb_rng_chance(g, 0.03) && at < ctx->end) {
            rc = push_interaction(p, at, o->owner, "call", "in", "service", PICK(g, service_subjects), NULL);
            if (!rc && bb_rng_chance(g, 0.3) && at + BB__DAY < ctx->end) {
                static const double w[] = {5, 5, 20, 35, 35};
                rc = push_survey(p, at + BB__DAY, o->owner, "csat", 1 + (int)bb_rng_pick(g, w, 5),
                                 bb_rng_chance(g, 0.25) ? "Temsilci çok yardımcı oldu." : NULL);
            }
        }
    }
    /* Shop visits without a purchase, around the time they shop in store. */
    if (!rc && store_orders > 0) {
        uint64_t visits = bb_rng_poisson(g, 0.4 * (double)store_orders);
        int64_t to = last + 60 * BB__DAY < ctx->end ? last + 60 * BB__DAY : ctx->end;
        const char *shop = p->shop >= 0 ? ctx->names.shops[p->shop].name : "Mağaza";
        for (uint64_t v = 0; v < visits && !rc; v++) {
            int64_t at = between(g, p->rec[0].signup, to);
            int owner = p->has_dup && at > p->rec[1].signup && bb_rng_chance(g, 0.5);
            if (at < ctx->end)
                rc = push_interaction(p, at, owner, "store", "in", "visit", "Mağaza ziyareti", shop);
        }
    }
    return rc;
}

/* ---- NPS ---- */

static const char *const promoter_comments[] = {"Hızlı kargo, teşekkürler!", "Ürün kalitesi çok iyi.",
                                                "Mağaza çalışanları çok ilgili.", "Her zaman buradan alışveriş yapıyorum."};
static const char *const passive_comments[] = {"Fiyatlar biraz yüksek.", "Ürün çeşitliliği artabilir.",
                                               "Fena değil, kargo biraz gecikti."};
static const char *const detractor_comments[] = {"Kargo çok geç geldi.", "İade süreci çok uzun sürdü.",
                                                 "Müşteri hizmetlerine ulaşamadım.", "Ürün açıklamayla uyuşmuyordu."};

/* The answer of a customer surveyed after purchase i: latent satisfaction from how often they have
 * bought so far, whether the purchase came soon after the one before, how much they spend, and whether
 * they have complained; plus noise; rounded into 0..10. */
static int nps_score(const bb__person *p, bb_rng *g, size_t i, int64_t at)
{
    const bb__order *os = p->orders.data;
    const bb__interaction *xs = p->interactions.data;
    double n = 0.0, spend = 0.0, lat;
    int complained = 0, soon = 0;
    int64_t prev = -1;
    for (size_t k = 0; k < p->orders.len; k++) {
        if (os[k].return_of >= 0 || os[k].at > os[i].at)
            continue;
        n += 1.0;
        spend += (double)os[k].amount_minor / 100.0;
        if (k != i && os[k].at > prev)
            prev = os[k].at;
    }
    if (prev >= 0 && os[i].at - prev < 45 * BB__DAY)
        soon = 1;
    for (size_t k = 0; k < p->interactions.len; k++)
        if (strcmp(xs[k].kind, "complaint") == 0 && xs[k].at < at)
            complained = 1;
    lat = 7.0 + 1.15 * log(n) + 0.7 * soon + 0.5 * log(spend / n / 1400.0) - 3.0 * complained +
          1.7 * bb_rng_normal(g);
    lat = floor(lat + 0.5);
    return lat < 0 ? 0 : lat > 10 ? 10 : (int)lat;
}

static int surveys(const bb__demo_ctx *ctx, bb__person *p, bb_rng *g)
{
    size_t n = 0, idx[2];
    int asked = 0, rc = 0;
    const bb__order *os = p->orders.data;
    for (size_t k = 0; k < p->orders.len; k++)
        n += os[k].return_of < 0;
    if (n == 0 || !bb_rng_chance(g, 0.25))
        return 0;
    idx[0] = bb_rng_below(g, n); /* purchases come first in the array, in time order */
    idx[1] = idx[0] + 1 + bb_rng_below(g, n);
    asked = idx[1] < n && bb_rng_chance(g, 0.2) ? 2 : 1;
    for (int j = 0; j < asked && !rc; j++) {
        const bb__order *o = &os[idx[j]];
        int64_t at = bb__time_on_day(g, o->at + (1 + (int64_t)bb_rng_below(g, 6)) * BB__DAY, BB__CH_WEB);
        int score;
        const char *comment = NULL;
        if (at >= ctx->end)
            continue;
        score = nps_score(p, g, idx[j], at);
        if (bb_rng_chance(g, 0.3))
            comment = score >= 9 ? PICK(g, promoter_comments) : score >= 7 ? PICK(g, passive_comments)
                                                                           : PICK(g, detractor_comments);
        rc = push_survey(p, at, o->owner, "nps", score, comment);
    }
    return rc;
}

int bb__person_engage(const bb__demo_ctx *ctx, bb__person *p, bb_error *err)
{
    bb_rng g;
    int rc;
    /* Its own stream, so that changes here leave the purchases alone. */
    bb_rng_seed_stream(&g, ctx->seed ^ 0x5eed5eed5eedULL, p->index + 1);
    rc = consents(ctx, p, &g);
    if (!rc)
        rc = service(ctx, p, &g);
    if (!rc)
        rc = campaigns(ctx, p, &g);
    if (!rc)
        rc = surveys(ctx, p, &g);
    if (rc)
        return bb_error_set(err, rc, "out of memory making demo customer %llu's interactions",
                            (unsigned long long)p->index + 1);
    return 0;
}
