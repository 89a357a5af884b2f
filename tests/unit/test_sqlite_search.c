/* test_sqlite_search.c: Turkish-aware search, Turkish collation order, paging by cursor. */
#include "store_fixture.h"

#include <sqlite3.h>

static const char *LAST[] = {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk",
                             "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara",
                             "Koç", "Kurt", "Özkan", "Şimşek", "Polat"};
static const char *FIRST[] = {"Mehmet", "Ayşe", "Mustafa", "Fatma", "Ahmet", "Emine", "Ali", "Hatice",
                              "Hüseyin", "Zeynep", "İbrahim", "Elif", "Çağrı", "Gül", "Ömer"};
static const char *CITY[] = {"İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Konya"};
/* The same, folded by hand (the expectations do not use the code under test). */
static const char *LAST_F[] = {"yilmaz", "kaya", "demir", "sahin", "celik", "yildiz", "ozturk",
                               "aydin", "ozdemir", "arslan", "dogan", "kilic", "aslan", "cetin", "kara",
                               "koc", "kurt", "ozkan", "simsek", "polat"};
static const char *FIRST_F[] = {"mehmet", "ayse", "mustafa", "fatma", "ahmet", "emine", "ali", "hatice",
                                "huseyin", "zeynep", "ibrahim", "elif", "cagri", "gul", "omer"};
static const char *CITY_F[] = {"istanbul", "ankara", "izmir", "bursa", "antalya", "konya"};

/* How many of the n generated customers contain the folded word in first, last name, city or id. */
static int expected(int n, const char *word)
{
    int k = 0;
    char id[16];
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "g%d g%d@example.org", i, i);
        k += strstr(FIRST_F[i % 15], word) || strstr(LAST_F[i % 20], word) ||
             strstr(CITY_F[i % 6], word) || strstr(id, word);
    }
    return k;
}

static void people(fx *f, int n)
{
    char id[16], email[64];
    fx_begin(f);
    bb_customer_rec a = {.customer_id = "A", .first_name = "Ayşe", .last_name = "IŞIK",
                         .email = "ayse@example.com", .phone = "0532 123 45 67", .city = "İSTANBUL"};
    bb_customer_rec b = {.customer_id = "B", .first_name = "Can", .last_name = "Öztürk",
                         .email = "can@example.com", .city = "İzmir"};
    fx_put_customer(f, &a, NULL);
    fx_put_customer(f, &b, NULL);
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "G%d", i);
        snprintf(email, sizeof email, "g%d@example.org", i);
        bb_customer_rec c = {.customer_id = id, .first_name = FIRST[i % 15], .last_name = LAST[i % 20],
                             .email = email, .city = CITY[i % 6]};
        fx_put_customer(f, &c, NULL);
    }
    fx_commit(f);
}

typedef struct found {
    int n;
    char ids[64][16];
    char last[64][32];
} found;

static int on_hit(void *ctx, const bb_customer_hit *h)
{
    found *x = ctx;
    if (x->n < 64) {
        snprintf(x->ids[x->n], sizeof x->ids[0], "%s", h->external_id);
        snprintf(x->last[x->n], sizeof x->last[0], "%s", h->last_name ? h->last_name : "");
    }
    x->n++;
    return 0;
}

static found search(fx *f, const char *query, size_t limit, const char *cursor, char *next)
{
    found x = {0};
    char own[BB_STORE_CURSOR_MAX];
    bb_error err = {0};
    if (bb_store_search(f->s, query, limit, cursor, on_hit, &x, next ? next : own, &err) != 0)
        fail_msg("search %s: %s", query, err.msg);
    return x;
}

static int has(const found *x, const char *id)
{
    for (int i = 0; i < x->n && i < 64; i++)
        if (strcmp(x->ids[i], id) == 0)
            return 1;
    return 0;
}

static void turkish_folding(void **state)
{
    fx *f = *state;
    people(f, 300);
    const char *isik[] = {"ışık", "isik", "ISIK", "Işık", "IŞIK"};
    for (size_t i = 0; i < 5; i++) {
        found x = search(f, isik[i], 50, NULL, NULL);
        assert_int_equal(x.n, 1);
        assert_string_equal(x.ids[0], "A");
    }
    assert_true(has((found[]){search(f, "istanbul", 60, NULL, NULL)}, "A"));
    found iz = search(f, "IZMIR", 60, NULL, NULL);
    assert_true(has(&iz, "B"));
    assert_int_equal(iz.n, 51); /* B and the 50 generated customers of İzmir */
    assert_true(has((found[]){search(f, "izmir", 60, NULL, NULL)}, "B"));
    assert_true(has((found[]){search(f, "öztürk can", 60, NULL, NULL)}, "B"));
    assert_true(has((found[]){search(f, "ayse isik", 60, NULL, NULL)}, "A"));
    assert_int_equal(search(f, "ayse izmir", 60, NULL, NULL).n, 0);
    /* contacts: email, phone as people type it, external id */
    assert_string_equal(search(f, "AYSE@example.com", 5, NULL, NULL).ids[0], "A");
    assert_string_equal(search(f, "0532 123 45 67", 5, NULL, NULL).ids[0], "A");
    assert_string_equal(search(f, "5321234567", 5, NULL, NULL).ids[0], "A");
    assert_string_equal(search(f, "+90 532 123 4567", 5, NULL, NULL).ids[0], "A");
    assert_int_equal(search(f, "g299@", 5, NULL, NULL).n, 1);
    /* short words scan */
    assert_true(has((found[]){search(f, "ış", 500, NULL, NULL)}, "A"));
    assert_int_equal(search(f, "zz", 5, NULL, NULL).n, 0);
    /* a quote in the query is text, not syntax */
    assert_int_equal(search(f, "a\"b OR c", 5, NULL, NULL).n, 0);
}

static void collation_order(void **state)
{
    fx *f = *state;
    const char *names[] = {"Ünal", "Işık", "Çelik", "Yılmaz", "İnce", "Aksoy", "Şahin", "Demir",
                           "Öztürk", "Cem", "Sarı", "Ozan"};
    const char *want[] = {"Aksoy", "Cem", "Çelik", "Demir", "Işık", "İnce", "Ozan", "Öztürk", "Sarı",
                          "Şahin", "Ünal", "Yılmaz"};
    char id[8];
    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "%d", i);
        bb_customer_rec c = {.customer_id = id, .first_name = "X", .last_name = names[i]};
        fx_put_customer(f, &c, NULL);
    }
    bb_customer_rec nameless = {.customer_id = "zz"};
    fx_put_customer(f, &nameless, NULL);
    found x = search(f, "", 20, NULL, NULL);
    assert_int_equal(x.n, 13);
    for (int i = 0; i < 12; i++)
        assert_string_equal(x.last[i], want[i]);
    assert_string_equal(x.ids[12], "zz"); /* the nameless come last */
}

/* Pages through a query with a small page size; every matching customer is seen exactly once. */
static void page_through(fx *f, const char *query, size_t limit, int expect)
{
    char cursor[BB_STORE_CURSOR_MAX] = "", next[BB_STORE_CURSOR_MAX];
    char *seen = calloc(2000, 1);
    int total = 0, pages = 0;
    assert_non_null(seen);
    do {
        found x = {0};
        bb_error err = {0};
        x.n = 0;
        assert_int_equal(bb_store_search(f->s, query, limit, cursor[0] ? cursor : NULL, on_hit, &x,
                                         next, &err), 0);
        assert_true((size_t)x.n <= limit);
        for (int i = 0; i < x.n; i++) {
            int k = x.ids[i][0] == 'G' ? (int)strtol(x.ids[i] + 1, NULL, 10) : 1990 + x.ids[i][0] - 'A';
            assert_int_equal(seen[k], 0);
            seen[k] = 1;
        }
        total += x.n;
        pages++;
        memcpy(cursor, next, sizeof cursor);
    } while (cursor[0]);
    assert_int_equal(total, expect);
    assert_true(pages >= expect / (int)limit);
    free(seen);
}

static void paging(void **state)
{
    fx *f = *state;
    people(f, 1800);
    page_through(f, "", 37, 1802);     /* everyone */
    page_through(f, "yılmaz", 11, expected(1800, "yilmaz")); /* common: the bounded walk */
    page_through(f, "g17", 7, expected(1800, "g17"));        /* rare: the trigram index */
    page_through(f, "ka", 13, expected(1800, "ka"));         /* short: a scan */
    page_through(f, "ç", 50, expected(1800, "c") + 2);       /* A and B have a c (Can, example.com) */
}

static void bad_arguments(void **state)
{
    fx *f = *state;
    found x = {0};
    char next[BB_STORE_CURSOR_MAX];
    bb_error err = {0};
    assert_int_equal(bb_store_search(f->s, "a", 0, NULL, on_hit, &x, next, &err), BB_EINVAL);
    assert_int_equal(bb_store_search(f->s, "a", 10, "nonsense", on_hit, &x, next, &err), BB_EINVAL);
    assert_non_null(strstr(err.msg, "cursor"));
    assert_int_equal(bb_store_search(f->s, "a", 10, "zz.1", on_hit, &x, next, &err), BB_EINVAL);
    assert_int_equal(bb_store_search(f->s, "a b c d e f g h i j k l m n o p q", 10, NULL, on_hit, &x,
                                     next, &err), BB_EINVAL);
}

/* ---- the sorted list ---- */

typedef struct listed {
    size_t n, cap;
    char (*ids)[16];
    int64_t *clv;
    int full_pages_broken; /* a page before the last held fewer than the limit */
} listed;

static int on_listed(void *ctx, const bb_customer_hit *h)
{
    listed *x = ctx;
    if (x->n == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 256;
        x->ids = realloc(x->ids, x->cap * sizeof *x->ids);
        x->clv = realloc(x->clv, x->cap * sizeof *x->clv);
        assert_non_null(x->ids);
        assert_non_null(x->clv);
    }
    snprintf(x->ids[x->n], sizeof x->ids[x->n], "%s", h->external_id);
    x->clv[x->n++] = h->has_clv ? h->clv_minor : INT64_MIN;
    return 0;
}

/* Walks a list to its end, page by page. */
static void list_all(fx *f, bb_customer_query q, listed *x)
{
    char next[BB_STORE_CURSOR_MAX] = "", cur[BB_STORE_CURSOR_MAX];
    bb_error err = {0};
    for (int pages = 0;; pages++) {
        size_t before = x->n;
        q.cursor = pages ? cur : NULL;
        assert_int_equal(bb_store_customer_list(f->s, &q, on_listed, x, next, &err), 0);
        if (!next[0])
            break;
        if (x->n - before != q.limit)
            x->full_pages_broken = 1;
        snprintf(cur, sizeof cur, "%s", next);
        assert_true(pages < 100000);
    }
}

/* Customer i of the crowd: all named Deniz (more than the list takes all of at once), CLV (i * 7919) %
 * 1000 (so many share one), none for every seventh, segment "a" for every third, else "b". */
enum { CROWD = 5300 };
static int64_t crowd_clv(int i)
{
    return i % 7 == 0 ? INT64_MIN : (int64_t)((i * 7919) % 1000);
}

static void crowd(fx *f)
{
    char id[16], sql[256];
    fx_begin(f);
    for (int i = 0; i < CROWD; i++) {
        snprintf(id, sizeof id, "D%05d", i);
        bb_customer_rec c = {.customer_id = id, .first_name = "Ada", .last_name = "Deniz"};
        fx_put_customer(f, &c, NULL);
    }
    fx_commit(f);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 0; i < CROWD; i++) {
        if (crowd_clv(i) == INT64_MIN && i % 14 == 0)
            continue; /* no score row at all */
        char clv[24];
        snprintf(clv, sizeof clv, "%lld", (long long)crowd_clv(i));
        snprintf(sql, sizeof sql,
                 "INSERT INTO customer_score (customer_id, rfm_segment, clv_minor, updated_at) SELECT id, '%s', %s, 0"
                 " FROM customer WHERE external_id = 'D%05d'",
                 i % 3 == 0 ? "a" : "b", crowd_clv(i) == INT64_MIN ? "NULL" : clv, i);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* The crowd's expected order by CLV: highest first, ties by the later customer (ids grow with i), then
 * those without a CLV by name (all the same name: by id). */
static int by_clv_desc(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    int64_t ka = crowd_clv(a), kb = crowd_clv(b);
    if ((ka == INT64_MIN) != (kb == INT64_MIN))
        return ka == INT64_MIN ? 1 : -1;
    if (ka == INT64_MIN)
        return a < b ? -1 : a > b;
    if (ka != kb)
        return ka > kb ? -1 : 1;
    return a > b ? -1 : a < b;
}

static void check_crowd(fx *f, const char *q, const char *segment, size_t limit)
{
    int *want = malloc(CROWD * sizeof *want), n = 0;
    listed x = {0};
    assert_non_null(want);
    for (int i = 0; i < CROWD; i++) {
        int seg_a = i % 3 == 0, scored = !(crowd_clv(i) == INT64_MIN && i % 14 == 0);
        if (!segment || (scored && (strcmp(segment, "a") == 0) == seg_a))
            want[n++] = i;
    }
    qsort(want, (size_t)n, sizeof *want, by_clv_desc);
    list_all(f, (bb_customer_query){.q = q, .segment = segment, .sort = BB_SORT_CLV, .limit = limit}, &x);
    assert_false(x.full_pages_broken);
    assert_int_equal(x.n, n);
    for (int k = 0; k < n; k++) {
        char id[16];
        snprintf(id, sizeof id, "D%05d", want[k]);
        assert_string_equal(x.ids[k], id);
        assert_true(x.clv[k] == crowd_clv(want[k]));
    }
    free(x.ids);
    free(x.clv);
    free(want);
}

/* By CLV through a crowd: a word all of them hold (more hits than are taken at once: the CLV index is
 * walked), the same with a segment, and everyone; pages full, the order exact. */
static void sorted_crowd(void **state)
{
    fx *f = *state;
    crowd(f);
    check_crowd(f, "deniz", NULL, 333);
    check_crowd(f, "deniz", "a", 250);
    check_crowd(f, "", "b", 1000);
    check_crowd(f, "de", NULL, 500);
}

/* A few customers with a word of their own: the hits are taken at once and ordered here, in the same
 * order as the walk; by latest purchase, returns are no purchases. */
static void sorted_few(void **state)
{
    fx *f = *state;
    static const struct {
        const char *id, *last;
        int64_t t[2], amount[2];
    } c[] = {
        {"P1", "Zerdali", {100, 500}, {1000, -200}}, /* last purchase 100: the 500 is a return */
        {"P2", "Zerdali", {300, 0}, {500, 0}},
        {"P3", "Zerdali", {300, 0}, {700, 0}},       /* the same time as P2's: the later order first */
        {"P4", "Zerdali", {0, 0}, {0, 0}},           /* never bought */
        {"P5", "Zerdalioglu", {50, 400}, {-10, 20}},
        {"P6", "Other", {900, 0}, {100, 0}},
    };
    static const char *const want[] = {"P5", "P3", "P2", "P1", "P4"};
    char oid[16];
    fx_begin(f);
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        bb_customer_rec r = {.customer_id = c[i].id, .first_name = "X", .last_name = c[i].last};
        fx_put_customer(f, &r, NULL);
    }
    for (size_t i = 0; i < sizeof c / sizeof *c; i++)
        for (int k = 0; k < 2 && c[i].t[k]; k++) {
            snprintf(oid, sizeof oid, "%s-%d", c[i].id, k);
            bb_order_rec o = {.order_id = oid, .customer_ref = c[i].id, .ordered_at = 1700000000 + c[i].t[k],
                              .amount_minor = c[i].amount[k], .has_amount = 1, .currency = "TRY"};
            fx_put_order(f, &o, NULL);
        }
    fx_commit(f);
    for (size_t limit = 1; limit <= 6; limit++) {
        for (int plan = 0; plan < 2; plan++) { /* a long word (taken at once) and a short one (walked) */
            listed x = {0};
            list_all(f, (bb_customer_query){.q = plan ? "zer" : "ze", .sort = BB_SORT_LAST_ORDER, .limit = limit}, &x);
            assert_false(x.full_pages_broken);
            assert_int_equal(x.n, 5);
            for (size_t k = 0; k < 5; k++)
                assert_string_equal(x.ids[k], want[k]);
            free(x.ids);
            free(x.clv);
        }
    }
}

/* A segment bunched at the far end of the order: 200,000 scored customers (made with SQL), the 40 of
 * segment "low" among those of least CLV. A walk from the top would pass them all for each page, so the
 * members are taken from the segment's index: the pages are still full and in order. */
static void bunched_segment(void **state)
{
    fx *f = *state;
    sqlite3 *db;
    listed x = {0};
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db,
                                  "BEGIN;"
                                  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)"
                                  " INSERT INTO customer (id, external_id, search_text, sort_key, search_rank, created_at,"
                                  " updated_at) SELECT i, printf('K%06d', i), printf('k%06d', i), printf('k%06d', i),"
                                  " i * 4096, 0, 0 FROM n;"
                                  "INSERT INTO customer_score (customer_id, rfm_segment, clv_minor, updated_at)"
                                  " SELECT id, CASE WHEN id % 5000 = 7 THEN 'low' ELSE 'rest' END,"
                                  " CASE WHEN id % 5000 = 7 THEN id / 5000 ELSE 1000 + id END, 0 FROM customer;"
                                  "COMMIT;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    list_all(f, (bb_customer_query){.segment = "low", .sort = BB_SORT_CLV, .limit = 7}, &x);
    assert_false(x.full_pages_broken);
    assert_int_equal(x.n, 40);
    for (size_t k = 0; k < 40; k++) { /* member id 5000 j + 7 has CLV j: highest first */
        char id[16];
        snprintf(id, sizeof id, "K%06d", (int)(5000 * (39 - k) + 7));
        assert_string_equal(x.ids[k], id);
        assert_true(x.clv[k] == (int64_t)(39 - k));
    }
    free(x.ids);
    free(x.clv);
    /* With a word too ("k0": ids below 100,000), tested on the members the pages need. */
    memset(&x, 0, sizeof x);
    list_all(f, (bb_customer_query){.q = "k0", .segment = "low", .sort = BB_SORT_CLV, .limit = 6}, &x);
    assert_false(x.full_pages_broken);
    assert_int_equal(x.n, 20);
    for (size_t k = 0; k < 20; k++) {
        char id[16];
        snprintf(id, sizeof id, "K%06d", (int)(5000 * (19 - k) + 7));
        assert_string_equal(x.ids[k], id);
    }
    free(x.ids);
    free(x.clv);
}

static void sort_cursors(void **state)
{
    fx *f = *state;
    listed x = {0};
    char next[BB_STORE_CURSOR_MAX];
    bb_error err = {0};
    people(f, 30);
    bb_customer_query q = {.sort = BB_SORT_CLV, .limit = 5};
    assert_int_equal(bb_store_customer_list(f->s, &q, on_listed, &x, next, &err), 0);
    assert_int_equal(strncmp(next, "clv.2.", 6), 0); /* nobody is scored: all in the tail, by name */
    char cur[BB_STORE_CURSOR_MAX];
    snprintf(cur, sizeof cur, "%s", next);
    q.sort = BB_SORT_NAME;
    q.cursor = cur;
    assert_int_equal(bb_store_customer_list(f->s, &q, on_listed, &x, next, &err), BB_EINVAL);
    assert_string_equal(err.where, "cursor");
    assert_non_null(strstr(err.msg, "sorted by clv"));
    static const char *const bad[] = {"clv", "clv.", "clv.3.1.1", "clv.1.x.1", "clv.1.5.0", "clv.1.5.5.", "clvx.1.5.5",
                                      "12.5"};
    q.sort = BB_SORT_CLV;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&err, 0, sizeof err);
        q.cursor = bad[i];
        assert_int_equal(bb_store_customer_list(f->s, &q, on_listed, &x, next, &err), BB_EINVAL);
        assert_string_equal(err.where, "cursor");
    }
    q.sort = BB_SORT_COUNT;
    q.cursor = NULL;
    assert_int_equal(bb_store_customer_list(f->s, &q, on_listed, &x, next, &err), BB_EINVAL);
    free(x.ids);
    free(x.clv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(turkish_folding, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(collation_order, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(paging, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_arguments, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sorted_crowd, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sorted_few, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sort_cursors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bunched_segment, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
