/* demo_internal.h: the pieces of the demo generator (include/birebir/demo.h) shared between its files:
 * name and place tables (demo_names.c), the catalogue and baskets (demo_catalog.c), one person's
 * purchases (demo_person.c), their interactions, consents and survey answers (demo_engage.c), the
 * calendar (demo_time.c). Internal to src/demo/ and its tests. */
#ifndef BB_DEMO_INTERNAL_H
#define BB_DEMO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/demo.h"
#include "birebir/rng.h"

#define BB__DAY 86400
#define BB__WEEK 604800
#define BB__TR_UTC_OFFSET (3 * 3600) /* Turkey has been UTC+3 all year since 2016 */

/* ---- demo_time.c ---- */
/* The calendar start: the same day of the year, three years before end. */
int64_t bb__demo_start(int64_t end);
/* A UTC time on the UTC day of t (so before any midnight end that t is before), at a Turkish local
 * time of day typical of the channel (BB__CH_*): evenings online, afternoons in the shops. */
int64_t bb__time_on_day(bb_rng *g, int64_t t, int channel);

/* ---- demo_names.c: who the customers are ---- */
typedef struct bb__name_table {
    const char *const *names;
    size_t n;
    const double *cum; /* cumulative popularity weights, n entries */
} bb__name_table;

typedef struct bb__city {
    const char *name;
    double population; /* thousands */
} bb__city;

typedef struct bb__shop {
    int city; /* index into the city table */
    const char *name;
} bb__shop;

/* Tables built once (cumulative weights); small and read-only afterwards. */
typedef struct bb__demo_names {
    bb__name_table female, male, last;
    double female_cum[256], male_cum[256], last_cum[320], city_cum[96], domain_cum[16];
    const bb__city *cities;
    size_t n_cities;
    const bb__shop *shops;
    size_t n_shops;
    const char *const *domains;
    size_t n_domains;
} bb__demo_names;

void bb__demo_names_init(bb__demo_names *t);
/* The shop in a city (index into t->shops), or -1 when the city has none; with several, a draw. */
int bb__demo_shop_in_city(const bb__demo_names *t, int city, bb_rng *g);

/* Text helpers for Turkish names (UTF-8). Each writes a NUL-terminated result into out (size bytes,
 * truncated at a character boundary when too long) and returns the length written. */
/* Lower-case ASCII for an email's local part: "Şükrü Çelik" -> "sukru celik". */
size_t bb__fold_ascii_lower(const char *in, char *out, size_t size);
/* The same letters without Turkish marks, case kept: "Şükrü" -> "Sukru". */
size_t bb__fold_ascii(const char *in, char *out, size_t size);
/* Upper case by Turkish rules: "ayşe ılgın" -> "AYŞE ILGIN", "i" -> "İ". */
size_t bb__upper_tr(const char *in, char *out, size_t size);

/* ---- demo_catalog.c: what the shop sells and how baskets form ---- */
enum { BB__CH_WEB = 0, BB__CH_APP = 1, BB__CH_STORE = 2, BB__N_CHANNELS = 3 };
extern const char *const bb__channel_names[BB__N_CHANNELS]; /* "web", "mobile_app", "store" */

typedef struct bb__category {
    const char *name, *code;
    double weight;      /* share of baskets anchored here */
    double margin;      /* (price - cost) / price, on average */
    double return_rate; /* chance that a line of this category is returned */
    int affine;         /* the category most bought with this one */
    int first, count;   /* its products: catalogue indexes [first, first + count) */
} bb__category;

typedef struct bb__product {
    char sku[16];
    char name[96];
    int category;
    int complement; /* the product most bought with this one, or -1 */
    int64_t price_minor, cost_minor;
    double popularity;
} bb__product;

typedef struct bb__catalog {
    bb__category *categories;
    int n_categories;
    bb__product *products;
    int n_products;
    int *by_price; /* product indexes sorted by price (then index) */
    double category_cum[32];
} bb__catalog;

/* Builds the catalogue (prices vary a little with the seed). Release with bb__catalog_release. */
int bb__catalog_build(bb__catalog *c, uint64_t seed, bb_error *err) BB_MUST_USE;
void bb__catalog_release(bb__catalog *c);

typedef struct bb__line {
    int product;
    int qty; /* negative on a return */
} bb__line;

#define BB__MAX_LINES 16
/* Fills a basket worth about target_minor: an anchor in category `anchor`, its complement now and
 * then, then products of the anchor's category, its affine category or any, until the target is
 * reached. Writes up to BB__MAX_LINES lines; returns how many (at least 1). */
int bb__basket_fill(const bb__catalog *c, bb_rng *g, int anchor, int64_t target_minor, bb__line *lines);

/* ---- demo_person.c: one person, their records and purchases ---- */
typedef struct bb__order {
    int64_t at;
    int channel;
    int owner;        /* 0: the person's main record; 1: the till duplicate */
    int return_of;    /* -1, or the index of the order this one returns */
    uint32_t first_line, n_lines;
    int64_t amount_minor, cost_minor;
    int64_t target_minor; /* the Gamma-Gamma draw (0 on a return) */
    uint64_t number;      /* the order's number, in its id */
} bb__order;

typedef struct bb__interaction {
    int64_t at;
    int owner;
    const char *channel, *direction, *kind, *subject, *body;
} bb__interaction;

typedef struct bb__consent {
    int64_t at;
    int owner;
    const char *channel, *status, *source;
} bb__consent;

typedef struct bb__survey {
    int64_t at;
    int owner;
    const char *survey;
    int score;
    const char *comment;
} bb__survey;

/* A growable array of fixed-size items, reused from person to person. */
typedef struct bb__vec {
    void *data;
    size_t len, cap, size;
} bb__vec;
void bb__vec_init(bb__vec *v, size_t item_size);
void bb__vec_release(bb__vec *v);
/* Appends one zeroed item and returns it, or NULL when out of memory. */
void *bb__vec_push(bb__vec *v);

typedef struct bb__record {
    char id[16];
    char first[80], last[64], email[160], phone[32];
    const char *city; /* NULL: not given */
    char birth[12];   /* "" when not given */
    const char *gender;
    int64_t signup;
    char attributes[256];
    char card[20]; /* loyalty card number, "" when none */
} bb__record;

typedef struct bb__person {
    uint64_t index; /* 0-based person number */
    bb__record rec[2];
    int has_dup;
    int city, shop, female;
    int fav[2];           /* favourite categories */
    int pref_channel;     /* channel used most */
    double lambda, p, nu; /* the planted draws (lambda per week; nu per TRY) */
    int buyer;            /* 0: registered and never ordered */
    int64_t first_order;  /* the first purchase (the process's origin), 0 when none */
    int repeat;           /* repeat purchases made before the end */
    int complained;
    bb__vec orders, lines, interactions, consents, surveys;
} bb__person;

/* The whole run's read-only context. */
typedef struct bb__demo_ctx {
    uint64_t seed;
    int64_t start, end;
    uint64_t email_mod; /* email numbers are a bijection of person numbers onto [0, email_mod) */
    bb__demo_names names;
    bb__catalog catalog;
    struct bb__campaign *campaigns;
    int n_campaigns;
} bb__demo_ctx;

/* Builds the run's context for the options (demo.c); release with bb__demo_ctx_release. */
int bb__demo_ctx_init(bb__demo_ctx *ctx, const bb_demo_options *o, bb_error *err) BB_MUST_USE;
void bb__demo_ctx_release(bb__demo_ctx *ctx);

void bb__person_init(bb__person *p);
void bb__person_release(bb__person *p);
/* Makes person `index`: profile, records (main and maybe a till duplicate), orders with lines and
 * returns. Order numbers start at *next_order_no and till numbers at *next_dup_no; both are advanced.
 * want_dup: whether the person may get a duplicate record (the draw is made either way). */
int bb__person_make(const bb__demo_ctx *ctx, uint64_t index, int want_dup, uint64_t *next_order_no,
                    uint64_t *next_dup_no, bb__person *p, bb_error *err) BB_MUST_USE;

/* ---- demo_engage.c: consents, campaigns and other interactions, survey answers ---- */
typedef struct bb__campaign {
    int64_t at;
    const char *channel; /* email, sms, push */
    char subject[96];
    const char *body;
    double reach; /* share of the eligible customers it goes to */
} bb__campaign;

/* Builds the campaign calendar between start and end. Free with free(). */
int bb__campaigns_build(int64_t start, int64_t end, struct bb__campaign **out, int *n,
                        bb_error *err) BB_MUST_USE;
/* Adds the person's consents, interactions and survey answers (after bb__person_make). */
int bb__person_engage(const bb__demo_ctx *ctx, bb__person *p, bb_error *err) BB_MUST_USE;

#endif
