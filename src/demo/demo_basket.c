/* demo_basket.c: how a demo basket forms around a value drawn from the spend model: an anchor product
 * in the customer's category of the moment, the anchor's planted complement more often than not, then
 * products of the same or the affine category (or any) that fit what is left, the big ones first. */
#include "demo/demo_internal.h"

#define COMPLEMENT_CHANCE 0.6 /* the planted pairs: P(B in basket | A in basket) is at least this */
#define AFFINE_CHANCE 0.40    /* a further line from the anchor's affine category */
#define SAME_CHANCE 0.25      /* ... from the anchor's own category; else any category */

/* Adds qty of product p, merging with a line that has it already. Returns the new line count. */
static int add_line(bb__line *lines, int n, int p, int qty)
{
    for (int i = 0; i < n; i++) {
        if (lines[i].product == p) {
            lines[i].qty += qty;
            return n;
        }
    }
    lines[n].product = p;
    lines[n].qty = qty;
    return n + 1;
}

/* Weight of a candidate that fits: popular products, and those that fill much of what is left. */
static double fit_weight(const bb__product *p, int64_t rem)
{
    return p->popularity * ((double)p->price_minor / (double)rem);
}

/* A product of category k priced at most rem, or -1. */
static int pick_in_category(const bb__catalog *c, bb_rng *g, int k, int64_t rem)
{
    const bb__category *cat = &c->categories[k];
    double w[64], total = 0.0;
    int idx[64], n = 0;
    for (int i = cat->first; i < cat->first + cat->count && n < 64; i++) {
        if (c->products[i].price_minor <= rem) {
            idx[n] = i;
            w[n] = fit_weight(&c->products[i], rem);
            total += w[n];
            n++;
        }
    }
    if (n == 0 || total <= 0.0)
        return -1;
    return idx[bb_rng_pick(g, w, (size_t)n)];
}

/* The cheapest product of category k. */
static int cheapest_in_category(const bb__catalog *c, int k)
{
    const bb__category *cat = &c->categories[k];
    int best = cat->first;
    for (int i = cat->first; i < cat->first + cat->count; i++)
        if (c->products[i].price_minor < c->products[best].price_minor)
            best = i;
    return best;
}

/* The product of category k whose price is nearest rem, if adding it brings the basket nearer its
 * target (|price - rem| < rem); else -1. */
static int nearest_in_category(const bb__catalog *c, int k, int64_t rem, int64_t *gap_out)
{
    const bb__category *cat = &c->categories[k];
    int best = -1;
    int64_t best_gap = rem;
    for (int i = cat->first; i < cat->first + cat->count; i++) {
        int64_t gap = c->products[i].price_minor - rem;
        gap = gap < 0 ? -gap : gap;
        if (gap < best_gap) {
            best_gap = gap;
            best = i;
        }
    }
    *gap_out = best_gap;
    return best;
}

/* Adds product p (qty) and, more often than not, its planted complement. */
static int add_with_complement(const bb__catalog *c, bb_rng *g, bb__line *lines, int n, int p, int qty,
                               int64_t *rem)
{
    int q = c->products[p].complement;
    n = add_line(lines, n, p, qty);
    *rem -= c->products[p].price_minor * qty;
    if (q >= 0 && n < BB__MAX_LINES && bb_rng_chance(g, COMPLEMENT_CHANCE)) {
        n = add_line(lines, n, q, 1);
        *rem -= c->products[q].price_minor;
    }
    return n;
}

int bb__basket_fill(const bb__catalog *c, bb_rng *g, int anchor, int64_t target, bb__line *lines)
{
    int64_t rem = target, stop = target * 3 / 100 > 3000 ? target * 3 / 100 : 3000;
    int affine = c->categories[anchor].affine;
    int n = 0, p;

    p = pick_in_category(c, g, anchor, rem);
    if (p < 0)
        p = cheapest_in_category(c, anchor);
    n = add_with_complement(c, g, lines, n, p, 1, &rem);
    while (n < BB__MAX_LINES - 2 && rem > stop) {
        double u = bb_rng_uniform(g);
        int k = u < AFFINE_CHANCE                 ? affine
                : u < AFFINE_CHANCE + SAME_CHANCE ? anchor
                                                  : (int)bb_rng_pick_cumulative(g, c->category_cum,
                                                                                (size_t)c->n_categories);
        int qty = 1;
        int64_t price;
        /* What does not fit from the category drawn comes from the anchor's pair of categories. */
        p = pick_in_category(c, g, k, rem);
        if (p < 0)
            p = pick_in_category(c, g, affine, rem);
        if (p < 0)
            p = pick_in_category(c, g, anchor, rem);
        if (p < 0)
            break;
        price = c->products[p].price_minor;
        /* Cheap things are often bought two or three at a time. */
        if (price * 3 <= rem && bb_rng_chance(g, 0.25))
            qty = 2 + (int)bb_rng_below(g, 2);
        n = add_with_complement(c, g, lines, n, p, qty, &rem);
    }
    /* Close the gap with the nearest-priced product of the two categories, when that helps. */
    if (rem > 0 && n < BB__MAX_LINES) {
        int64_t gap_a, gap_b;
        int pa = nearest_in_category(c, anchor, rem, &gap_a), pb = nearest_in_category(c, affine, rem, &gap_b);
        p = pa < 0 ? pb : pb < 0 ? pa : gap_b < gap_a ? pb : pa;
        if (p >= 0)
            n = add_line(lines, n, p, 1);
    }
    return n;
}
