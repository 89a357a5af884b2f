/* test_demo_person.c: one demo person at a time. The purchase counts follow the planted BG/NBD: the
 * sum over buyers of (repeat purchases - E[X(T)]) is within sampling error, E[X(T)] from the closed
 * form of Fader, Hardie and Lee (2005, eq. 9) with its Gauss hypergeometric series summed here; the
 * share with no repeat purchase matches P(X(T) = 0) = (alpha / (alpha + T))^r. Order values follow
 * the planted Gamma-Gamma mean. Times, amounts, returns, duplicates and contacts are consistent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "demo_fixture.h"

#define N_PERSONS 30000

/* 2F1(a, b; c; z) for 0 <= z < 1 by its power series, summed until the terms vanish. */
static double hyp2f1(double a, double b, double c, double z)
{
    double term = 1.0, sum = 1.0;
    for (int k = 0; k < 1000000; k++) {
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if (fabs(term) < 1e-15 * fabs(sum))
            break;
    }
    return sum;
}

/* BG/NBD expected repeat purchases in (0, t]. */
static double bgnbd_ex(double t, double r, double alpha, double a, double b)
{
    double z = t / (alpha + t);
    return (a + b - 1.0) / (a - 1.0) * (1.0 - pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1.0, z));
}

static int setup(void **state)
{
    return fixture_setup(state, 7, N_PERSONS);
}

static int teardown(void **state)
{
    return fixture_teardown(state);
}

static size_t purchases_of(const bb__person *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->orders.len; i++)
        n += ((const bb__order *)p->orders.data)[i].return_of < 0;
    return n;
}

static void series_sanity(void **state)
{
    (void)state;
    /* 2F1(1, 1; 2; z) = -ln(1 - z) / z. */
    assert_true(fabs(hyp2f1(1, 1, 2, 0.9) - (-log(0.1) / 0.9)) < 1e-10);
    /* Fader, Hardie and Lee (2005), CDNOW: E[X(39)] at their estimates is about 1.44 ... checked
     * here against the limit instead: E[X(t)] -> 0 as t -> 0 and grows with t. */
    assert_true(bgnbd_ex(1e-6, 0.243, 4.414, 0.793, 2.426) < 1e-6);
    assert_true(bgnbd_ex(52, 0.9, 6, 0.7, 3.5) > bgnbd_ex(26, 0.9, 6, 0.7, 3.5));
}

static void purchases_follow_bgnbd(void **state)
{
    fixture *f = *state;
    double d = 0.0, d2 = 0.0, z = 0.0, zvar = 0.0, total = 0.0, expected = 0.0;
    int buyers = 0;
    for (uint64_t i = 0; i < N_PERSONS; i++) {
        uint64_t order_no = 1, dup_no = 1;
        assert_int_equal(bb__person_make(&f->ctx, i, 1, &order_no, &dup_no, &f->p, NULL), 0);
        if (!f->p.buyer)
            continue;
        buyers++;
        {
            const bb__order *first = f->p.orders.data;
            double T = (double)(f->ctx.end - first->at) / BB__WEEK;
            double x = (double)purchases_of(&f->p) - 1.0;
            double ex = bgnbd_ex(T, BB_DEMO_BGNBD_R, BB_DEMO_BGNBD_ALPHA, BB_DEMO_BGNBD_A, BB_DEMO_BGNBD_B);
            double p0 = pow(BB_DEMO_BGNBD_ALPHA / (BB_DEMO_BGNBD_ALPHA + T), BB_DEMO_BGNBD_R);
            d += x - ex;
            d2 += (x - ex) * (x - ex);
            total += x;
            expected += ex;
            z += (x == 0.0) - p0;
            zvar += p0 * (1.0 - p0);
        }
    }
    /* About 6% never buy. */
    assert_true(buyers > N_PERSONS * 0.92 && buyers < N_PERSONS * 0.96);
    /* Independent customers: the sum of deviations has standard error sqrt(sum of squares). */
    if (fabs(d) > 4.0 * sqrt(d2))
        fail_msg("repeat purchases %.0f, BG/NBD expects %.1f (difference %.1f, 4 se = %.1f)", total, expected, d,
                 4.0 * sqrt(d2));
    if (fabs(z) > 4.0 * sqrt(zvar))
        fail_msg("buyers with no repeat purchase: %.1f more than BG/NBD expects (4 se = %.1f)", z, 4.0 * sqrt(zvar));
    /* 4 to 8 orders per customer on average. */
    assert_true((total + buyers) / N_PERSONS > 4.0 && (total + buyers) / N_PERSONS < 8.0);
}

static void values_follow_gamma_gamma(void **state)
{
    fixture *f = *state;
    double s = 0.0, s2 = 0.0, amount = 0.0, expected = 0.0;
    int n = 0;
    const double mean = BB_DEMO_GG_P * BB_DEMO_GG_GAMMA / (BB_DEMO_GG_Q - 1.0); /* 1,400 TRY */
    for (uint64_t i = 0; i < N_PERSONS; i++) {
        uint64_t order_no = 1, dup_no = 1;
        const bb__order *os;
        assert_int_equal(bb__person_make(&f->ctx, i, 1, &order_no, &dup_no, &f->p, NULL), 0);
        if (!f->p.buyer)
            continue;
        os = f->p.orders.data;
        /* First orders: one per customer, independent across customers. */
        s += (double)os[0].amount_minor / 100.0;
        s2 += ((double)os[0].amount_minor / 100.0) * ((double)os[0].amount_minor / 100.0);
        n++;
        /* Every purchase against the customer's own mean p / nu. */
        for (size_t k = 0; k < f->p.orders.len; k++) {
            if (os[k].return_of >= 0)
                continue;
            amount += (double)os[k].amount_minor / 100.0;
            expected += BB_DEMO_GG_P / f->p.nu;
        }
    }
    {
        double m = s / n, se = sqrt((s2 / n - m * m) / n);
        if (fabs(m - mean) > 4.0 * se + 0.01 * mean)
            fail_msg("mean first order %.1f TRY, planted %.1f (4 se = %.1f)", m, mean, 4.0 * se);
    }
    assert_true(fabs(amount / expected - 1.0) < 0.02);
}

static void records_are_consistent(void **state)
{
    fixture *f = *state;
    int dups = 0;
    uint64_t order_no = 1, dup_no = 1;
    for (uint64_t i = 0; i < 5000; i++) {
        const bb__person *p = &f->p;
        const bb__order *os;
        const bb__line *ls;
        uint64_t before = order_no;
        assert_int_equal(bb__person_make(&f->ctx, i, 1, &order_no, &dup_no, &f->p, NULL), 0);
        os = p->orders.data;
        ls = p->lines.data;
        assert_true(p->rec[0].signup >= f->ctx.start && p->rec[0].signup < f->ctx.end);
        assert_true(order_no - before == purchases_of(p));
        for (size_t k = 0; k < p->orders.len; k++) {
            const bb__order *o = &os[k];
            int64_t sum = 0;
            assert_true(o->at >= p->rec[o->owner].signup && o->at < f->ctx.end);
            assert_true(o->owner == 0 || (p->has_dup && o->channel == BB__CH_STORE) || o->return_of >= 0);
            assert_true(o->n_lines >= 1);
            for (uint32_t j = 0; j < o->n_lines; j++)
                sum += f->ctx.catalog.products[ls[o->first_line + j].product].price_minor * ls[o->first_line + j].qty;
            assert_true(sum == o->amount_minor);
            if (o->return_of >= 0) {
                const bb__order *orig = &os[o->return_of];
                assert_true(o->amount_minor < 0 && o->at > orig->at && o->number == orig->number);
                assert_int_equal(o->owner, orig->owner);
                assert_int_equal(o->n_lines, 1);
            } else {
                assert_true(o->amount_minor > 0);
                if (k > 0 && os[k - 1].return_of < 0)
                    assert_true(os[k - 1].at <= o->at); /* purchases in time order */
            }
        }
        if (p->has_dup) {
            const bb__record *a = &p->rec[0], *b = &p->rec[1];
            char fa[80], fb[80];
            dups++;
            assert_true(b->id[0] == 'M' && a->id[0] == 'C');
            assert_true(b->signup > a->signup);
            /* Linked by a contact: the same phone's digits, or the same email in another case. */
            if (b->phone[0]) {
                char da[16] = "", db[16] = "";
                size_t na = 0, nb = 0;
                for (const char *c = a->phone; *c; c++)
                    if (*c >= '0' && *c <= '9' && na < 15)
                        da[na++] = *c;
                for (const char *c = b->phone; *c; c++)
                    if (*c >= '0' && *c <= '9' && nb < 15)
                        db[nb++] = *c;
                da[na] = db[nb] = '\0';
                assert_true(na >= 10 && nb >= 10);
                assert_string_equal(da + na - 10, db + nb - 10);
            } else {
                assert_true(b->email[0] && strcasecmp(a->email, b->email) == 0);
            }
            /* Spelt differently, but the same person: the folded first given names agree. */
            bb__fold_ascii_lower(a->first, fa, sizeof fa);
            bb__fold_ascii_lower(b->first, fb, sizeof fb);
            assert_memory_equal(fa, fb, strcspn(fb, " "));
        }
    }
    assert_true(dups > 50 && dups < 170); /* about 2.1% of 5,000 */
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void contacts_are_unique(void **state)
{
    fixture *f = *state;
    enum { N = 20000, W = 160 };
    char *emails = calloc(N, W), *phones = calloc(N, W), *cards = calloc(2 * N, W);
    size_t ne = 0, np = 0, nc = 0;
    assert_true(emails && phones && cards);
    for (uint64_t i = 0; i < N; i++) {
        uint64_t order_no = 1, dup_no = 1;
        assert_int_equal(bb__person_make(&f->ctx, i, 1, &order_no, &dup_no, &f->p, NULL), 0);
        if (f->p.rec[0].email[0])
            memcpy(emails + W * ne++, f->p.rec[0].email, strlen(f->p.rec[0].email) + 1);
        if (f->p.rec[0].phone[0]) {
            assert_true(strncmp(f->p.rec[0].phone, "+905", 4) == 0 && strlen(f->p.rec[0].phone) == 13);
            memcpy(phones + W * np++, f->p.rec[0].phone, 14);
        }
        for (int k = 0; k <= f->p.has_dup; k++)
            if (f->p.rec[k].card[0])
                memcpy(cards + W * nc++, f->p.rec[k].card, strlen(f->p.rec[k].card) + 1);
        assert_non_null(strchr(f->p.rec[0].email[0] ? f->p.rec[0].email : "@", '@'));
    }
    assert_true(ne > N * 0.9 && np > N * 0.9 && nc > N * 0.2);
    qsort(emails, ne, W, cmp_str);
    qsort(phones, np, W, cmp_str);
    qsort(cards, nc, W, cmp_str);
    for (size_t i = 1; i < ne; i++)
        assert_string_not_equal(emails + W * (i - 1), emails + W * i);
    for (size_t i = 1; i < np; i++)
        assert_string_not_equal(phones + W * (i - 1), phones + W * i);
    for (size_t i = 1; i < nc; i++)
        assert_string_not_equal(cards + W * (i - 1), cards + W * i);
    free(emails);
    free(phones);
    free(cards);
}

static void deterministic(void **state)
{
    fixture *f = *state;
    bb__person q;
    bb__demo_ctx other;
    bb_demo_options o;
    uint64_t a = 1, b = 1, da = 1, db = 1;
    bb__person_init(&q);
    assert_int_equal(bb__person_make(&f->ctx, 123, 1, &a, &da, &f->p, NULL), 0);
    assert_int_equal(bb__person_make(&f->ctx, 123, 1, &b, &db, &q, NULL), 0);
    assert_true(a == b && f->p.orders.len == q.orders.len && f->p.lines.len == q.lines.len);
    assert_memory_equal(f->p.orders.data, q.orders.data, f->p.orders.len * sizeof(bb__order));
    assert_memory_equal(f->p.lines.data, q.lines.data, f->p.lines.len * sizeof(bb__line));
    assert_memory_equal(&f->p.rec, &q.rec, sizeof q.rec);
    /* Another seed: another person. */
    bb_demo_options_init(&o);
    o.seed = 8;
    assert_int_equal(bb__demo_ctx_init(&other, &o, NULL), 0);
    assert_int_equal(bb__person_make(&other, 123, 1, &b, &db, &q, NULL), 0);
    assert_true(strcmp(f->p.rec[0].email, q.rec[0].email) != 0 || f->p.rec[0].signup != q.rec[0].signup);
    bb__demo_ctx_release(&other);
    bb__person_release(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(series_sanity),
        cmocka_unit_test(purchases_follow_bgnbd),
        cmocka_unit_test(values_follow_gamma_gamma),
        cmocka_unit_test(records_are_consistent),
        cmocka_unit_test(contacts_are_unique),
        cmocka_unit_test(deterministic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
