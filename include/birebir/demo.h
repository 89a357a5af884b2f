/* demo.h: the demo business. Owns the generator of a realistic sample retailer (Turkish customers,
 * a catalogue, three years of orders with baskets, interactions, consents and survey answers) and its
 * two outlets: a sink of callbacks (for tests and any other consumer) and the store.
 *
 * What is planted, so that later analysis has something true to find:
 * - Purchases follow BG/NBD (Fader, Hardie and Lee 2005), time in weeks: each buyer draws a purchase
 *   rate lambda ~ Gamma(r, alpha) (shape r, rate alpha) and a dropout probability p ~ Beta(a, b).
 *   The first order is the customer's birth; while alive, repeat orders come as a Poisson process of
 *   rate lambda, and after each repeat order the customer becomes inactive with probability p.
 *   Defaults r = 0.9, alpha = 6.0, a = 0.7, b = 3.5 (BB_DEMO_BGNBD_*); with time in days alpha is 42.
 * - Order values follow Gamma-Gamma (Fader, Hardie and Lee 2005b; Colombo and Jiang 1999), in TRY:
 *   nu ~ Gamma(q, gamma) per customer, each order's target value ~ Gamma(p, nu), so the customer's mean
 *   spend is p / nu and the population mean p gamma / (q - 1) = 1,400 TRY. Defaults p = 6, q = 4,
 *   gamma = 700. The basket is then filled with catalogue products until it reaches the target (the
 *   last product may overshoot), so an order's amount is exactly the sum of its lines and is the
 *   target without bias, give or take about 8%.
 * - Spend is independent of frequency (Gamma-Gamma's assumption).
 * - Product pairs (a phone and its case, a coffee machine and its coffee, ...) and category pairs
 *   (baby and toys, cosmetics and personal care, ...) are bought together far more often than chance.
 * - NPS answers rise with frequency, recency and spend and fall after a complaint.
 * - About 2% of customer records are a second registration of the same person (made at a store till:
 *   external id "M...", the same email or phone written differently, the name spelt differently);
 *   about 6% of customers register and never order.
 * What is not part of the purchase process: returns are separate orders with a negative amount (order
 * id "<original>-R"), and the store-till duplicate takes some of its person's later store orders.
 *
 * The calendar is fixed: the business opens three years before `end` (default 2026-11-01 00:00 UTC)
 * and every record is dated before `end`, so a seed gives the same data on any day. The same options
 * give byte-identical records: each customer draws from its own stream of (seed, customer number). */
#ifndef BIREBIR_DEMO_H
#define BIREBIR_DEMO_H

#include <stdint.h>

#include "birebir/error.h"
#include "birebir/store.h"

#define BB_DEMO_DEFAULT_CUSTOMERS 10000
#define BB_DEMO_DEFAULT_END 1793491200 /* 2026-11-01T00:00:00Z */
#define BB_DEMO_MAX_CUSTOMERS 100000000
#define BB_DEMO_END_FIRST_YEAR 1975
#define BB_DEMO_END_LAST_YEAR 2200

/* The planted parameters (see above). */
#define BB_DEMO_BGNBD_R 0.9
#define BB_DEMO_BGNBD_ALPHA 6.0
#define BB_DEMO_BGNBD_A 0.7
#define BB_DEMO_BGNBD_B 3.5
#define BB_DEMO_GG_P 6.0
#define BB_DEMO_GG_Q 4.0
#define BB_DEMO_GG_GAMMA 700.0

typedef struct bb_demo_planted {
    double r, alpha, a, b; /* BG/NBD, time unit one week */
    double p, q, gamma;    /* Gamma-Gamma, money unit one TRY (not minor units) */
} bb_demo_planted;

typedef struct bb_demo_options {
    uint64_t customers; /* customer records to make, duplicates included (default 10,000) */
    uint64_t seed;      /* default 1 */
    int64_t end;        /* UTC seconds at a midnight; nothing is dated at or after it */
    /* Called every few dozen customer records with the number made so far (may be NULL). */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
} bb_demo_options;

/* Fills the defaults (10,000 customers, seed 1, end 2026-11-01). */
void bb_demo_options_init(bb_demo_options *o);

/* The planted parameters the generator uses. */
void bb_demo_planted_get(bb_demo_planted *out);

/* Where records go. Every callback may be NULL (those records are dropped); a callback returns 0 or a
 * negative BB_E* code with err filled, which stops the generation. The records and their strings are
 * borrowed: valid only during the call. Order of calls: every product first; then, customer record by
 * customer record: the customer, its consents, its orders each followed by its lines (a return is an
 * order of its own, after the order it returns), its interactions, its survey answers; then
 * end_customer. */
typedef struct bb_demo_sink {
    void *ctx;
    int (*product)(void *ctx, const bb_product_rec *r, bb_error *err);
    int (*customer)(void *ctx, const bb_customer_rec *r, bb_error *err);
    int (*consent)(void *ctx, const bb_consent_rec *r, bb_error *err);
    int (*order)(void *ctx, const bb_order_rec *r, bb_error *err);
    int (*order_line)(void *ctx, const bb_order_line_rec *r, bb_error *err);
    int (*interaction)(void *ctx, const bb_interaction_rec *r, bb_error *err);
    int (*survey)(void *ctx, const bb_survey_rec *r, bb_error *err);
    int (*end_customer)(void *ctx, bb_error *err); /* a consistent point: a batch may end here */
} bb_demo_sink;

/* What was made. Money in TRY minor units (kuruş). */
typedef struct bb_demo_summary {
    uint64_t seed;
    int64_t start, end; /* the calendar: opening day and the end (exclusive), UTC seconds */
    int64_t customers, duplicates, buyers;
    int64_t products, categories;
    int64_t orders, returns, order_lines; /* orders include the returns */
    int64_t first_order_at, last_order_at;
    int64_t revenue_minor;      /* sum of the positive orders */
    int64_t returns_minor;      /* sum of the returns (negative) */
    int64_t margin_minor;       /* revenue less cost, returns included */
    int64_t interactions, interactions_in, interactions_out;
    int64_t consents, consents_granted, consents_revoked;
    int64_t survey_responses, nps_responses, csat_responses;
    bb_demo_planted planted;
} bb_demo_summary;

/* Generates the business into the sink and fills *summary (may be NULL). Memory is bounded by the
 * catalogue and the largest single customer, not by the number of customers. */
int bb_demo_generate(const bb_demo_options *o, const bb_demo_sink *sink, bb_demo_summary *summary,
                     bb_error *err) BB_MUST_USE;

/* Generates the business into the store, in transactions of a few thousand customers. Refuses
 * (BB_ECONFLICT) a store that already holds customers. */
int bb_demo_to_store(bb_store *s, const bb_demo_options *o, bb_demo_summary *summary,
                     bb_error *err) BB_MUST_USE;

/* Checks the options: 1 to BB_DEMO_MAX_CUSTOMERS customers, an end at a midnight (UTC) between
 * BB_DEMO_END_FIRST_YEAR-01-01 and BB_DEMO_END_LAST_YEAR-12-31. BB_EINVAL with a message otherwise.
 * bb_demo_generate checks them too; front doors call it first to answer with a usage error. */
int bb_demo_options_check(const bb_demo_options *o, bb_error *err) BB_MUST_USE;

#endif
