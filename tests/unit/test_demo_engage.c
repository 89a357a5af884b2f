/* test_demo_engage.c: consents form valid histories (granted first, then alternating, dated after
 * registration and before the end, with a contact point to consent for); campaign messages on email and
 * SMS go only to records whose consent stood at the time; NPS answers go with behaviour: promoters
 * buy more often than detractors, and those who complained are more often detractors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "demo_fixture.h"

#define N_PERSONS 30000

static int setup(void **state)
{
    return fixture_setup(state, 3, N_PERSONS);
}

static int teardown(void **state)
{
    return fixture_teardown(state);
}

static void make(fixture *f, uint64_t i)
{
    uint64_t order_no = 1, dup_no = 1;
    assert_int_equal(bb__person_make(&f->ctx, i, 1, &order_no, &dup_no, &f->p, NULL), 0);
    assert_int_equal(bb__person_engage(&f->ctx, &f->p, NULL), 0);
}

static int one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

/* Independently of the generator: the status of the latest consent entry at or before t. */
static int granted_at(const bb__person *p, int owner, const char *channel, int64_t t)
{
    const bb__consent *cs = p->consents.data;
    const bb__consent *latest = NULL;
    for (size_t i = 0; i < p->consents.len; i++)
        if (cs[i].owner == owner && strcmp(cs[i].channel, channel) == 0 && cs[i].at <= t &&
            (!latest || cs[i].at >= latest->at))
            latest = &cs[i];
    return latest && strcmp(latest->status, "granted") == 0;
}

static void consents_are_valid(void **state)
{
    fixture *f = *state;
    static const char *const channels[] = {"email", "sms", "call", NULL};
    static const char *const sources[] = {"web_form", "mobile_app", "store", "call_centre", NULL};
    int64_t granted = 0, revoked = 0, never = 0, records = 0;
    for (uint64_t i = 0; i < N_PERSONS; i++) {
        const bb__consent *cs;
        make(f, i);
        cs = f->p.consents.data;
        for (int owner = 0; owner <= f->p.has_dup; owner++) {
            const bb__record *r = &f->p.rec[owner];
            records++;
            for (int c = 0; channels[c]; c++) {
                int64_t last = -1;
                int expect_granted = 1, entries = 0;
                /* Entries of one channel are made in time order; check that too. */
                for (size_t k = 0; k < f->p.consents.len; k++) {
                    if (cs[k].owner != owner || strcmp(cs[k].channel, channels[c]) != 0)
                        continue;
                    entries++;
                    assert_true(cs[k].at > last);
                    assert_true(cs[k].at >= r->signup && cs[k].at < f->ctx.end);
                    assert_true(one_of(cs[k].source, sources));
                    assert_string_equal(cs[k].status, expect_granted ? "granted" : "revoked");
                    granted += expect_granted;
                    revoked += !expect_granted;
                    expect_granted = !expect_granted;
                    last = cs[k].at;
                }
                if (entries && c == 0)
                    assert_true(r->email[0] != '\0');
                if (entries && c > 0)
                    assert_true(r->phone[0] != '\0');
                never += entries == 0;
            }
        }
        for (size_t k = 0; k < f->p.consents.len; k++)
            assert_true(one_of(cs[k].channel, channels));
    }
    /* Some granted, some revoked later, some never given. */
    assert_true(granted > records && revoked > records / 10 && never > records);
}

static void messages_respect_consent(void **state)
{
    fixture *f = *state;
    static const char *const kinds[] = {"campaign", "reply", "complaint", "complaint_followup", "service", "visit", NULL};
    int64_t campaign = 0, in = 0, out = 0;
    for (uint64_t i = 0; i < 10000; i++) {
        const bb__interaction *xs;
        make(f, i);
        xs = f->p.interactions.data;
        for (size_t k = 0; k < f->p.interactions.len; k++) {
            const bb__interaction *x = &xs[k];
            assert_true(x->at >= f->p.rec[x->owner].signup && x->at < f->ctx.end);
            assert_true(one_of(x->kind, kinds));
            assert_true(strcmp(x->direction, "in") == 0 || strcmp(x->direction, "out") == 0);
            in += x->direction[0] == 'i';
            out += x->direction[0] == 'o';
            if (strcmp(x->kind, "campaign") != 0)
                continue;
            campaign++;
            assert_string_equal(x->direction, "out");
            if (strcmp(x->channel, "push") != 0 && !granted_at(&f->p, x->owner, x->channel, x->at))
                fail_msg("%s sent a %s campaign at %lld without consent", f->p.rec[x->owner].id, x->channel,
                         (long long)x->at);
        }
    }
    assert_true(campaign > 10000 && in > 5000 && out > in);
}

static void nps_goes_with_behaviour(void **state)
{
    fixture *f = *state;
    double sp = 0, sp2 = 0, sd = 0, sd2 = 0;
    int64_t np = 0, nd = 0, n_all = 0, compl_n = 0, compl_det = 0, other_n = 0, other_det = 0, csat = 0;
    for (uint64_t i = 0; i < N_PERSONS; i++) {
        const bb__survey *ss;
        double freq = 0.0;
        int complained = 0;
        make(f, i);
        for (size_t k = 0; k < f->p.orders.len; k++)
            freq += ((const bb__order *)f->p.orders.data)[k].return_of < 0;
        for (size_t k = 0; k < f->p.interactions.len; k++)
            complained |= strcmp(((const bb__interaction *)f->p.interactions.data)[k].kind, "complaint") == 0;
        ss = f->p.surveys.data;
        for (size_t k = 0; k < f->p.surveys.len; k++) {
            assert_true(ss[k].at < f->ctx.end && ss[k].at >= f->p.rec[ss[k].owner].signup);
            if (strcmp(ss[k].survey, "csat") == 0) {
                assert_true(ss[k].score >= 1 && ss[k].score <= 5);
                csat++;
                continue;
            }
            assert_string_equal(ss[k].survey, "nps");
            assert_true(ss[k].score >= 0 && ss[k].score <= 10);
            n_all++;
            if (ss[k].score >= 9) {
                np++, sp += freq, sp2 += freq * freq;
            } else if (ss[k].score <= 6) {
                nd++, sd += freq, sd2 += freq * freq;
            }
            if (complained) {
                compl_n++;
                compl_det += ss[k].score <= 6;
            } else {
                other_n++;
                other_det += ss[k].score <= 6;
            }
        }
    }
    assert_true(np > n_all / 5 && nd > n_all / 10 && csat > 100);
    {
        /* Welch's t on mean purchase counts, promoters vs detractors. */
        double mp = sp / np, md = sd / nd, vp = sp2 / np - mp * mp, vd = sd2 / nd - md * md;
        double t = (mp - md) / sqrt(vp / np + vd / nd);
        if (t < 4.0)
            fail_msg("promoters buy %.2f times, detractors %.2f (t = %.1f)", mp, md, t);
    }
    {
        /* Two proportions: detractors among those who complained vs the rest. */
        double p1 = (double)compl_det / compl_n, p2 = (double)other_det / other_n;
        double pp = (double)(compl_det + other_det) / (compl_n + other_n);
        double z = (p1 - p2) / sqrt(pp * (1 - pp) * (1.0 / compl_n + 1.0 / other_n));
        assert_true(compl_n > 100);
        if (z < 4.0)
            fail_msg("detractors: %.2f among complainers, %.2f among the rest (z = %.1f)", p1, p2, z);
    }
}

static void campaign_calendar(void **state)
{
    fixture *f = *state;
    int email = 0, sms = 0, push = 0;
    for (int i = 0; i < f->ctx.n_campaigns; i++) {
        const bb__campaign *c = &f->ctx.campaigns[i];
        assert_true(c->at > f->ctx.start && c->at < f->ctx.end);
        assert_true(c->reach > 0.0 && c->reach <= 1.0);
        email += strcmp(c->channel, "email") == 0;
        sms += strcmp(c->channel, "sms") == 0;
        push += strcmp(c->channel, "push") == 0;
        if (i > 0 && strcmp(c->subject, f->ctx.campaigns[i - 1].subject) != 0)
            assert_true(c->at >= f->ctx.campaigns[i - 1].at - 31 * BB__DAY);
    }
    /* Three years: a newsletter a month and the seasonal campaigns. */
    assert_true(email >= 50 && sms >= 15 && push >= 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(consents_are_valid),
        cmocka_unit_test(messages_respect_consent),
        cmocka_unit_test(nps_goes_with_behaviour),
        cmocka_unit_test(campaign_calendar),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
