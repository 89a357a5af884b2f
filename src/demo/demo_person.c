/* demo_person.c: one demo person: who they are (names, contacts, city, birth date, attributes), when
 * they joined, their purchases by the planted BG/NBD process with Gamma-Gamma order values and
 * baskets, their returns, and for a few a second registration at a store till. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/datetime.h"
#include "demo/demo_internal.h"

#define NEVER_BUYS 0.06     /* share of people who register and never order */
#define DUP_SHARE 0.021     /* share of people registered a second time at a till */
#define SECOND_NAME 0.07    /* share with a second given name ("Mehmet Ali") */
#define MAX_ORDERS 20000    /* a safety bound per person; the process stays far below it */
#define PHONE_PREFIXES 24

static const char *const phone_prefixes[PHONE_PREFIXES] = {
    "530", "531", "532", "533", "534", "535", "536", "537", "538", "539", "541", "542",
    "543", "544", "545", "546", "505", "506", "507", "551", "552", "553", "554", "555",
};

/* ---- bb__vec ---- */

void bb__vec_init(bb__vec *v, size_t item_size)
{
    v->data = NULL;
    v->len = v->cap = 0;
    v->size = item_size;
}

void bb__vec_release(bb__vec *v)
{
    if (!v)
        return;
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

void *bb__vec_push(bb__vec *v)
{
    char *item;
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void *p = realloc(v->data, cap * v->size);
        if (!p)
            return NULL;
        v->data = p;
        v->cap = cap;
    }
    item = (char *)v->data + v->len * v->size;
    memset(item, 0, v->size);
    v->len++;
    return item;
}

void bb__person_init(bb__person *p)
{
    memset(p, 0, sizeof *p);
    bb__vec_init(&p->orders, sizeof(bb__order));
    bb__vec_init(&p->lines, sizeof(bb__line));
    bb__vec_init(&p->interactions, sizeof(bb__interaction));
    bb__vec_init(&p->consents, sizeof(bb__consent));
    bb__vec_init(&p->surveys, sizeof(bb__survey));
}

void bb__person_release(bb__person *p)
{
    if (!p)
        return;
    bb__vec_release(&p->orders);
    bb__vec_release(&p->lines);
    bb__vec_release(&p->interactions);
    bb__vec_release(&p->consents);
    bb__vec_release(&p->surveys);
}

/* Empties the person for reuse, keeping the vectors' memory. */
static void person_reset(bb__person *p)
{
    bb__vec keep[5] = {p->orders, p->lines, p->interactions, p->consents, p->surveys};
    memset(p, 0, sizeof *p);
    p->orders = keep[0], p->lines = keep[1], p->interactions = keep[2];
    p->consents = keep[3], p->surveys = keep[4];
    p->orders.len = p->lines.len = p->interactions.len = p->consents.len = p->surveys.len = 0;
}

/* ---- who they are ---- */

static void pick_name(const bb__name_table *t, bb_rng *g, char *out, size_t size, const char *other)
{
    const char *s;
    do
        s = t->names[bb_rng_pick_cumulative(g, t->cum, t->n)];
    while (other && strcmp(s, other) == 0);
    snprintf(out, size, "%s", s);
}

/* A keyed bijection of [0, mod) onto itself, so that numbers made from consecutive person numbers
 * look unrelated yet never collide: a four-round Feistel network over the smallest even number of bits
 * that covers mod, walking the cycle until the value falls inside [0, mod). */
static uint64_t permute(uint64_t x, uint64_t mod, uint64_t key)
{
    int bits = 2;
    while (bits < 64 && (1ULL << bits) < mod)
        bits += 2;
    {
        int half = bits / 2;
        uint64_t mask = (1ULL << half) - 1;
        do {
            uint64_t l = x >> half, r = x & mask;
            for (uint64_t round = 0; round < 4; round++) {
                uint64_t st = key ^ (r * 0x9e3779b97f4a7c15ULL) ^ round, f = bb_rng_splitmix64(&st) & mask;
                uint64_t t = l ^ f;
                l = r;
                r = t;
            }
            x = (l << half) | r;
        } while (x >= mod);
    }
    return x;
}

static void make_email(const bb__demo_ctx *ctx, bb_rng *g, const bb__person *p, char *out, size_t size)
{
    char first[64], last[64], given[80];
    const char *space;
    uint64_t num = permute(p->index % ctx->email_mod, ctx->email_mod, 0xe3a11ULL);
    const char *domain = ctx->names.domains[bb_rng_pick_cumulative(g, ctx->names.domain_cum,
                                                                    ctx->names.n_domains)];
    static const double pattern_w[] = {35, 25, 10, 10, 10, 10};
    /* Only the first given name goes into the address. */
    snprintf(given, sizeof given, "%s", p->rec[0].first);
    space = strchr(given, ' ');
    if (space)
        given[space - given] = '\0';
    bb__fold_ascii_lower(given, first, sizeof first);
    bb__fold_ascii_lower(p->rec[0].last, last, sizeof last);
    switch (bb_rng_pick(g, pattern_w, 6)) {
    case 0: snprintf(out, size, "%s.%s%llu@%s", first, last, (unsigned long long)num, domain); break;
    case 1: snprintf(out, size, "%s%s%llu@%s", first, last, (unsigned long long)num, domain); break;
    case 2: snprintf(out, size, "%s_%s%llu@%s", first, last, (unsigned long long)num, domain); break;
    case 3: snprintf(out, size, "%c.%s%llu@%s", first[0], last, (unsigned long long)num, domain); break;
    case 4: snprintf(out, size, "%s.%s%llu@%s", last, first, (unsigned long long)num, domain); break;
    default: snprintf(out, size, "%s%llu@%s", first, (unsigned long long)num, domain); break;
    }
}

/* Unique per person: the operator prefix and the subscriber number come from one bijection. */
static void make_phone(const bb__person *p, char *out, size_t size)
{
    uint64_t v = permute(p->index % (PHONE_PREFIXES * 10000000ULL), PHONE_PREFIXES * 10000000ULL, 0x9403eULL);
    snprintf(out, size, "+90%s%07llu", phone_prefixes[v / 10000000ULL], (unsigned long long)(v % 10000000ULL));
}

/* "+905321234567" as a till writes it: "0532 123 45 67". */
static void phone_local(const char *e164, char *out, size_t size)
{
    const char *d = e164 + 3;
    snprintf(out, size, "0%.3s %.3s %.2s %.2s", d, d + 3, d + 6, d + 8);
}

static void make_card(uint64_t index, int which, char *out, size_t size)
{
    uint64_t v = permute((index * 2 + (uint64_t)which) % 1000000000000ULL, 1000000000000ULL, 0xca4dULL);
    snprintf(out, size, "6034%012llu", (unsigned long long)v);
}

/* How people shop, with and without one of our shops in their city. */
static const double mix_shop[BB__N_CHANNELS] = {0.45, 0.30, 0.25};
static const double mix_none[BB__N_CHANNELS] = {0.55, 0.42, 0.03};

static const char *const acquisition[] = {"Google Ads", "Instagram", "Organik arama", "Arkadaş tavsiyesi",
                                          "TikTok", "Facebook", "E-posta bülteni"};
static const double acquisition_w[] = {30, 22, 18, 10, 8, 6, 6};

static void profile(const bb__demo_ctx *ctx, bb_rng *g, bb__person *p)
{
    const bb__demo_names *t = &ctx->names;
    bb__record *r = &p->rec[0];
    char given[40], second[40];
    double age;
    int64_t y, birth_day;
    int m, d;
    p->female = bb_rng_chance(g, 0.52);
    pick_name(p->female ? &t->female : &t->male, g, given, sizeof given, NULL);
    if (bb_rng_chance(g, SECOND_NAME)) {
        pick_name(p->female ? &t->female : &t->male, g, second, sizeof second, given);
        snprintf(r->first, sizeof r->first, "%s %s", given, second);
    } else {
        snprintf(r->first, sizeof r->first, "%s", given);
    }
    pick_name(&t->last, g, r->last, sizeof r->last, NULL);
    r->gender = bb_rng_chance(g, 0.02) ? NULL : p->female ? "F" : "M";
    p->city = (int)bb_rng_pick_cumulative(g, t->city_cum, t->n_cities);
    r->city = bb_rng_chance(g, 0.02) ? NULL : t->cities[p->city].name;
    p->shop = bb__demo_shop_in_city(t, p->city, g);
    /* Adults, most of them between 25 and 45. */
    age = 18.0 + bb_rng_gamma(g, 2.2, 1.0 / 8.0);
    if (age > 85.0)
        age = 85.0;
    birth_day = ctx->end / BB__DAY - (int64_t)(age * 365.25);
    bb_civil_from_days(birth_day, &y, &m, &d);
    if (!bb_rng_chance(g, 0.10))
        snprintf(r->birth, sizeof r->birth, "%04lld-%02d-%02d", (long long)y, m, d);
    make_email(ctx, g, p, r->email, sizeof r->email);
    if (bb_rng_chance(g, 0.05))
        r->email[0] = '\0';
    make_phone(p, r->phone, sizeof r->phone);
    if (bb_rng_chance(g, 0.03) && r->email[0]) /* everyone leaves at least one contact */
        r->phone[0] = '\0';
    p->pref_channel = (int)bb_rng_pick(g, p->shop >= 0 ? mix_shop : mix_none, BB__N_CHANNELS);
    p->fav[0] = (int)bb_rng_pick_cumulative(g, ctx->catalog.category_cum, (size_t)ctx->catalog.n_categories);
    do
        p->fav[1] = (int)bb_rng_pick_cumulative(g, ctx->catalog.category_cum, (size_t)ctx->catalog.n_categories);
    while (p->fav[1] == p->fav[0]);
}

static int pick_channel(const bb__person *p, bb_rng *g)
{
    if (bb_rng_chance(g, 0.7))
        return p->pref_channel;
    return (int)bb_rng_pick(g, p->shop >= 0 ? mix_shop : mix_none, BB__N_CHANNELS);
}

/* When the person joins: the business grows (twice the joiners at the end as at the start) and
 * November and December bring more. Not later than two weeks before the end. */
static int64_t join_time(const bb__demo_ctx *ctx, bb_rng *g)
{
    int64_t span = ctx->end - 14 * BB__DAY - ctx->start;
    for (;;) {
        double u = bb_rng_uniform(g);
        int64_t t = ctx->start + (int64_t)(u * (double)span);
        int64_t y;
        int m, d;
        double dens;
        bb_civil_from_days(t / BB__DAY, &y, &m, &d);
        dens = (1.0 + u) * (m == 11 ? 1.5 : m == 12 ? 1.3 : 1.0);
        if (bb_rng_uniform(g) * 3.0 < dens)
            return t;
    }
}

/* ---- purchases ---- */

static int anchor_category(const bb__demo_ctx *ctx, const bb__person *p, bb_rng *g)
{
    double u = bb_rng_uniform(g);
    if (u < 0.45)
        return p->fav[0];
    if (u < 0.65)
        return p->fav[1];
    return (int)bb_rng_pick_cumulative(g, ctx->catalog.category_cum, (size_t)ctx->catalog.n_categories);
}

/* Adds a purchase at `at` with a basket worth about a Gamma(p, nu) draw. */
static int add_purchase(const bb__demo_ctx *ctx, bb__person *p, bb_rng *g, int64_t at, int channel)
{
    bb__line basket[BB__MAX_LINES];
    bb__order *o;
    double z = bb_rng_gamma(g, BB_DEMO_GG_P, p->nu); /* TRY */
    int64_t target = (int64_t)llround(z * 100.0);
    int n;
    if (target < 1000)
        target = 1000;
    n = bb__basket_fill(&ctx->catalog, g, anchor_category(ctx, p, g), target, basket);
    o = bb__vec_push(&p->orders);
    if (!o)
        return BB_ENOMEM;
    o->at = at;
    o->channel = channel;
    o->return_of = -1;
    o->target_minor = target;
    o->first_line = (uint32_t)p->lines.len;
    o->n_lines = (uint32_t)n;
    for (int i = 0; i < n; i++) {
        bb__line *l = bb__vec_push(&p->lines);
        const bb__product *pr = &ctx->catalog.products[basket[i].product];
        if (!l)
            return BB_ENOMEM;
        *l = basket[i];
        o->amount_minor += pr->price_minor * l->qty;
        o->cost_minor += pr->cost_minor * l->qty;
    }
    return 0;
}

static int cmp_order_time(const void *a, const void *b)
{
    const bb__order *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The planted process: the first purchase at t0, then while alive, purchases at rate lambda per week,
 * and after each the person drops out with probability p. */
static int purchases(const bb__demo_ctx *ctx, bb__person *p, bb_rng *g, int64_t join)
{
    int ch0 = pick_channel(p, g);
    int64_t t0 = bb__time_on_day(g, join, ch0);
    double T = (double)(ctx->end - t0) / BB__WEEK, t = 0.0;
    int rc = add_purchase(ctx, p, g, t0, ch0);
    if (rc)
        return rc;
    for (;;) {
        int64_t at;
        int ch;
        t += bb_rng_exponential(g, p->lambda);
        if (t >= T || p->orders.len >= MAX_ORDERS)
            break;
        ch = pick_channel(p, g);
        at = bb__time_on_day(g, t0 + (int64_t)(t * BB__WEEK), ch);
        if ((rc = add_purchase(ctx, p, g, at, ch)) != 0)
            return rc;
        p->repeat++;
        if (bb_rng_chance(g, p->p))
            break;
    }
    /* Same-day purchases may have swapped places when given their times of day. Lines stay put:
     * each order keeps its first_line. */
    qsort(p->orders.data, p->orders.len, sizeof(bb__order), cmp_order_time);
    p->first_order = ((bb__order *)p->orders.data)[0].at;
    return 0;
}

/* Some purchases come back: one line, all of it, two to three weeks later. */
static int returns(const bb__demo_ctx *ctx, bb__person *p, bb_rng *g)
{
    size_t n = p->orders.len;
    for (size_t i = 0; i < n; i++) {
        bb__order *o = (bb__order *)p->orders.data + i, *r;
        const bb__line *ls = (const bb__line *)p->lines.data + o->first_line;
        double keep = 1.0, best = -1.0;
        int which = 0;
        int64_t at;
        for (uint32_t k = 0; k < o->n_lines; k++) {
            double rate = ctx->catalog.categories[ctx->catalog.products[ls[k].product].category].return_rate;
            keep *= 1.0 - rate;
            if (rate > best)
                best = rate, which = (int)k;
        }
        if (!bb_rng_chance(g, 1.0 - keep))
            continue;
        at = o->at + (2 + (int64_t)bb_rng_below(g, 19)) * BB__DAY;
        if (at >= ctx->end)
            continue;
        {
            int ch = bb_rng_chance(g, 0.5) && p->shop >= 0 ? BB__CH_STORE : o->channel;
            const bb__line src = ls[which];
            const bb__product *pr = &ctx->catalog.products[src.product];
            bb__line *l;
            int owner = o->owner, of = (int)i;
            at = bb__time_on_day(g, at, ch);
            r = bb__vec_push(&p->orders); /* may move the array: o is not used after this */
            l = r ? bb__vec_push(&p->lines) : NULL;
            if (!l)
                return BB_ENOMEM;
            r->at = at;
            r->channel = ch;
            r->owner = owner;
            r->return_of = of;
            r->first_line = (uint32_t)(p->lines.len - 1);
            r->n_lines = 1;
            l->product = src.product;
            l->qty = -src.qty;
            r->amount_minor = -pr->price_minor * src.qty;
            r->cost_minor = -pr->cost_minor * src.qty;
        }
    }
    return 0;
}

/* The second registration: at a till, at one of the person's store purchases after the first (or on
 * a visit), with the same phone or email written differently and the name spelt differently. Later
 * store purchases often go on the till's record. */
static void duplicate(const bb__demo_ctx *ctx, bb__person *p, bb_rng *g, uint64_t dup_no)
{
    bb__record *a = &p->rec[0], *b = &p->rec[1];
    bb__order *os = p->orders.data;
    int64_t reg = 0;
    size_t reg_order = (size_t)-1;
    char tmp[160];
    double u = bb_rng_uniform(g);

    p->has_dup = 1;
    snprintf(b->id, sizeof b->id, "M%07llu", (unsigned long long)dup_no);
    for (size_t i = 1; i < p->orders.len; i++) {
        if (os[i].channel == BB__CH_STORE && os[i].return_of < 0) {
            reg_order = i;
            reg = os[i].at - 60 - (int64_t)bb_rng_below(g, 540);
            break;
        }
    }
    if (reg_order == (size_t)-1) {
        int64_t from = a->signup + BB__DAY;
        reg = from >= ctx->end ? a->signup + 60 : from + (int64_t)bb_rng_below(g, (uint64_t)(ctx->end - from));
        reg = bb__time_on_day(g, reg, BB__CH_STORE);
        if (reg <= a->signup)
            reg = a->signup + 60;
        if (reg >= ctx->end)
            reg = ctx->end - 1;
    }
    b->signup = reg;
    /* The name as the till clerk typed it. */
    switch (bb_rng_below(g, 4)) {
    case 0: /* without Turkish letters */
        bb__fold_ascii(a->first, b->first, sizeof b->first);
        bb__fold_ascii(a->last, b->last, sizeof b->last);
        break;
    case 1: /* in capitals */
        bb__upper_tr(a->first, b->first, sizeof b->first);
        bb__upper_tr(a->last, b->last, sizeof b->last);
        break;
    case 2: /* only the first given name, or a letter missing from the family name */
        snprintf(tmp, sizeof tmp, "%s", a->first);
        if (strchr(tmp, ' ')) {
            *strchr(tmp, ' ') = '\0';
            snprintf(b->last, sizeof b->last, "%s", a->last);
        } else {
            size_t n = strlen(a->last);
            /* a typo: the next-to-last letter missing ("Yılmaz" -> "Yılmz"), when it is ASCII */
            snprintf(b->last, sizeof b->last, "%s", a->last);
            if (n > 3 && (unsigned char)b->last[n - 2] < 0x80 && (unsigned char)b->last[n - 3] < 0x80)
                memmove(b->last + n - 2, b->last + n - 1, 2);
        }
        snprintf(b->first, sizeof b->first, "%s", tmp);
        break;
    default: /* all in lower case, Turkish letters dropped */
        bb__fold_ascii_lower(a->first, b->first, sizeof b->first);
        bb__fold_ascii_lower(a->last, b->last, sizeof b->last);
        break;
    }
    /* The contact that links them. */
    if ((u < 0.5 && a->phone[0]) || !a->email[0]) { /* the main record has one or the other */
        phone_local(a->phone, b->phone, sizeof b->phone);
    } else if (u < 0.8 || !a->phone[0]) {
        bb__upper_tr(a->email, tmp, sizeof tmp); /* "AYSE.YILMAZ1234@GMAIL.COM" */
        bb__fold_ascii(tmp, b->email, sizeof b->email);
    } else {
        phone_local(a->phone, b->phone, sizeof b->phone);
        snprintf(b->email, sizeof b->email, "%s", a->email);
    }
    b->city = a->city;
    b->gender = bb_rng_chance(g, 0.5) ? a->gender : NULL;
    if (bb_rng_chance(g, 0.5))
        snprintf(b->birth, sizeof b->birth, "%s", a->birth);
    if (bb_rng_chance(g, 0.5))
        make_card(p->index, 1, b->card, sizeof b->card);
    snprintf(b->attributes, sizeof b->attributes, "{\"preferred_store\":\"%s\",\"acquisition_channel\":\"Mağaza\"}",
             ctx->names.shops[p->shop >= 0 ? p->shop : (int)bb_rng_below(g, ctx->names.n_shops)].name);
    for (size_t i = 0; i < p->orders.len; i++) { /* purchases only: returns come later */
        if (os[i].channel != BB__CH_STORE || os[i].at < reg)
            continue;
        if (i == reg_order || bb_rng_chance(g, 0.75))
            os[i].owner = 1;
    }
}

int bb__person_make(const bb__demo_ctx *ctx, uint64_t index, int want_dup, uint64_t *next_order_no,
                    uint64_t *next_dup_no, bb__person *p, bb_error *err)
{
    bb_rng g;
    bb__record *r;
    int64_t join;
    int dup, rc = 0;

    person_reset(p);
    p->index = index;
    r = &p->rec[0];
    bb_rng_seed_stream(&g, ctx->seed, index + 1);
    snprintf(r->id, sizeof r->id, "C%07llu", (unsigned long long)(index + 1));
    profile(ctx, &g, p);
    p->lambda = bb_rng_gamma(&g, BB_DEMO_BGNBD_R, BB_DEMO_BGNBD_ALPHA);
    p->p = bb_rng_beta(&g, BB_DEMO_BGNBD_A, BB_DEMO_BGNBD_B);
    p->nu = bb_rng_gamma(&g, BB_DEMO_GG_Q, BB_DEMO_GG_GAMMA);
    p->buyer = !bb_rng_chance(&g, NEVER_BUYS);
    dup = bb_rng_chance(&g, DUP_SHARE) && want_dup;
    join = join_time(ctx, &g);
    if (p->buyer) {
        const bb__order *first;
        int64_t lead;
        if ((rc = purchases(ctx, p, &g, join)) != 0)
            goto done;
        first = p->orders.data;
        /* Most register at their first checkout; some signed up earlier for the newsletter. */
        if (first->channel == BB__CH_STORE)
            lead = 60 + (int64_t)bb_rng_below(&g, 540);
        else if (bb_rng_chance(&g, 0.8))
            lead = 120 + (int64_t)bb_rng_below(&g, 1680);
        else
            lead = (int64_t)(bb_rng_exponential(&g, 1.0 / 40.0) * BB__DAY) + 600;
        r->signup = first->at - lead < ctx->start ? ctx->start : first->at - lead;
    } else {
        r->signup = bb__time_on_day(&g, join, p->pref_channel);
    }
    if (dup)
        duplicate(ctx, p, &g, (*next_dup_no)++);
    if ((rc = returns(ctx, p, &g)) != 0)
        goto done;
    {
        int ch = p->buyer ? ((const bb__order *)p->orders.data)[0].channel : p->pref_channel;
        const char *acq = ch == BB__CH_STORE ? "Mağaza" : acquisition[bb_rng_pick(&g, acquisition_w, 7)];
        if (p->shop >= 0)
            snprintf(r->attributes, sizeof r->attributes,
                     "{\"preferred_store\":\"%s\",\"acquisition_channel\":\"%s\"}", ctx->names.shops[p->shop].name,
                     acq);
        else
            snprintf(r->attributes, sizeof r->attributes, "{\"acquisition_channel\":\"%s\"}", acq);
    }
    if (bb_rng_chance(&g, p->pref_channel == BB__CH_STORE ? 0.8 : 0.25))
        make_card(index, 0, r->card, sizeof r->card);
    /* Number the purchases in time order; a return takes its purchase's number. */
    for (size_t i = 0; i < p->orders.len; i++) {
        bb__order *o = (bb__order *)p->orders.data + i;
        o->number = o->return_of < 0 ? (*next_order_no)++ : ((bb__order *)p->orders.data)[o->return_of].number;
    }
done:
    if (rc)
        bb_error_set(err, rc, "out of memory making demo customer %llu", (unsigned long long)index + 1);
    return rc;
}
