/* test_demo_basket.c: baskets reach the value drawn for them (no bias, a few per cent of noise), and
 * the planted product pairs and affine category pairs are bought together far more often than chance:
 * lift = P(A and B) / (P(A) P(B)), counted over many baskets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "demo/demo_internal.h"

#define N_BASKETS 200000

typedef struct run {
    bb__catalog c;
    int *has;       /* N_BASKETS x n_products: 1 when the product is in the basket */
    int *cat_count; /* baskets holding each category */
    int *cat_pair;  /* baskets holding both categories i and j */
    int *count;     /* baskets holding each product */
    double ratio_sum, ratio_sum2, amount_sum, target_sum;
    int max_lines;
} run;

static run *make_baskets(void)
{
    run *r = calloc(1, sizeof *r);
    bb_rng g;
    assert_non_null(r);
    assert_int_equal(bb__catalog_build(&r->c, 11, NULL), 0);
    r->count = calloc((size_t)r->c.n_products, sizeof *r->count);
    r->has = calloc((size_t)r->c.n_products * (size_t)r->c.n_products, sizeof *r->has); /* pair counts */
    r->cat_count = calloc(32, sizeof *r->cat_count);
    r->cat_pair = calloc(32 * 32, sizeof *r->cat_pair);
    assert_true(r->count && r->has && r->cat_count && r->cat_pair);
    bb_rng_seed(&g, 2024);
    for (int b = 0; b < N_BASKETS; b++) {
        /* Values as the spend model draws them: nu ~ Gamma(q, gamma), z ~ Gamma(p, nu). */
        double nu = bb_rng_gamma(&g, BB_DEMO_GG_Q, BB_DEMO_GG_GAMMA), z = bb_rng_gamma(&g, BB_DEMO_GG_P, nu);
        int64_t target = (int64_t)llround(z * 100.0), amount = 0;
        int anchor = (int)bb_rng_pick_cumulative(&g, r->c.category_cum, (size_t)r->c.n_categories);
        bb__line lines[BB__MAX_LINES];
        int cats[32] = {0};
        if (target < 1000)
            target = 1000;
        int n = bb__basket_fill(&r->c, &g, anchor, target, lines);
        assert_true(n >= 1 && n <= BB__MAX_LINES);
        if (n > r->max_lines)
            r->max_lines = n;
        for (int i = 0; i < n; i++) {
            const bb__product *p = &r->c.products[lines[i].product];
            assert_true(lines[i].qty >= 1);
            for (int j = 0; j < i; j++)
                assert_int_not_equal(lines[i].product, lines[j].product); /* one line per product */
            amount += p->price_minor * lines[i].qty;
            r->count[lines[i].product]++;
            cats[p->category] = 1;
            for (int j = 0; j < n; j++)
                if (j != i)
                    r->has[lines[i].product * r->c.n_products + lines[j].product]++;
        }
        for (int i = 0; i < r->c.n_categories; i++) {
            r->cat_count[i] += cats[i];
            for (int j = 0; j < r->c.n_categories; j++)
                r->cat_pair[i * 32 + j] += cats[i] && cats[j] && i != j;
        }
        r->ratio_sum += (double)amount / (double)target;
        r->ratio_sum2 += ((double)amount / (double)target) * ((double)amount / (double)target);
        r->amount_sum += (double)amount;
        r->target_sum += (double)target;
    }
    return r;
}

static void free_run(run *r)
{
    bb__catalog_release(&r->c);
    free(r->count);
    free(r->has);
    free(r->cat_count);
    free(r->cat_pair);
    free(r);
}

static int setup(void **state)
{
    *state = make_baskets();
    return 0;
}

static int teardown(void **state)
{
    free_run(*state);
    return 0;
}

static void amounts_follow_targets(void **state)
{
    run *r = *state;
    double mean = r->ratio_sum / N_BASKETS, sd = sqrt(r->ratio_sum2 / N_BASKETS - mean * mean);
    /* Unbiased within 1%, a few per cent of noise: the spend model's values survive the basket. */
    assert_true(fabs(mean - 1.0) < 0.01);
    assert_true(fabs(r->amount_sum / r->target_sum - 1.0) < 0.01);
    assert_true(sd < 0.10);
    assert_true(r->max_lines > 3);
}

static double lift(const run *r, int a, int b)
{
    double n = N_BASKETS, both = r->has[a * r->c.n_products + b];
    return both * n / ((double)r->count[a] * (double)r->count[b]);
}

static void planted_pairs_have_lift(void **state)
{
    run *r = *state;
    int tested = 0;
    for (int a = 0; a < r->c.n_products; a++) {
        int b = r->c.products[a].complement;
        if (b < 0)
            continue;
        /* Expensive anchors (a laptop) are rare; judge a pair on enough baskets. */
        if (r->count[a] < 200)
            continue;
        tested++;
        double l = lift(r, a, b), conf = (double)r->has[a * r->c.n_products + b] / r->count[a];
        if (l < 5.0 || conf < 0.5)
            fail_msg("%s -> %s: lift %.1f, confidence %.2f over %d baskets", r->c.products[a].name,
                     r->c.products[b].name, l, conf, r->count[a]);
    }
    assert_true(tested >= 9);
    /* Two products that are not paired (a t-shirt and a nappy pack) sit near chance. */
    {
        int tshirt = -1, nappy = -1;
        for (int i = 0; i < r->c.n_products; i++) {
            if (tshirt < 0 && strncmp(r->c.products[i].name, "Basic Tişört", 13) == 0)
                tshirt = i;
            if (strcmp(r->c.products[i].name, "Bebek Bezi Jumbo Paket") == 0)
                nappy = i;
        }
        assert_true(tshirt >= 0 && nappy >= 0);
        assert_true(lift(r, tshirt, nappy) < 2.0);
    }
}

static int category(const run *r, const char *name)
{
    for (int k = 0; k < r->c.n_categories; k++)
        if (strcmp(r->c.categories[k].name, name) == 0)
            return k;
    fail_msg("no category %s", name);
    return -1;
}

static double cat_lift(const run *r, const char *x, const char *y)
{
    int i = category(r, x), j = category(r, y);
    return (double)r->cat_pair[i * 32 + j] * N_BASKETS / ((double)r->cat_count[i] * (double)r->cat_count[j]);
}

static void affine_categories_have_lift(void **state)
{
    run *r = *state;
    const char *pairs[][2] = {{"Giyim", "Ayakkabı"},     {"Kozmetik", "Kişisel Bakım"},
                              {"Anne & Bebek", "Oyuncak"}, {"Mutfak", "Ev & Yaşam"},
                              {"Spor & Outdoor", "Ayakkabı"}};
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        double l = cat_lift(r, pairs[k][0], pairs[k][1]);
        if (l < 1.5)
            fail_msg("%s with %s: lift %.2f", pairs[k][0], pairs[k][1], l);
    }
    /* Unrelated categories: less than the affine ones. */
    assert_true(cat_lift(r, "Elektronik", "Anne & Bebek") < 1.2);
    assert_true(cat_lift(r, "Kozmetik", "Spor & Outdoor") < cat_lift(r, "Kozmetik", "Kişisel Bakım") / 1.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amounts_follow_targets),
        cmocka_unit_test(planted_pairs_have_lift),
        cmocka_unit_test(affine_categories_have_lift),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
