/* test_sqlite_rank.c: search ranks keep the Turkish collation order (sort_key, id) through inserts in
 * any order, runs of equal names and of names each before the last (which use up the gaps and make
 * the store spread ranks again), renames and merges; and every search, paged, gives exactly what the
 * plain definition gives: the customers whose search_text holds every word, ordered by (sort_key,
 * id), read by SQL straight from the database. */
#include "store_fixture.h"

static const char *LAST[] = {"Yılmaz",  "Kaya",   "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın",
                             "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin",  "Kara",   "Koç"};
static const char *FIRST[] = {"Mehmet", "Ayşe", "Mustafa", "Fatma", "Ahmet", "Emine", "Ali", "Zeynep"};

/* Queries already folded (lowercase ASCII), so the oracle needs no folding of its own. */
static const char *QUERIES[] = {"",    "kaya", "mehmet kaya", "ay",  "a",         "yilmaz",     "example",
                                "532", "ayni", "kisi",        "z0",  "z05",       "celik ayse", "ozd",
                                "ah",  "o",    "nobody",      "99@", "ayni kisi", "renamed"};

typedef struct page_acc {
    char (*ids)[16];
    int n, cap;
} page_acc;

static int on_hit(void *ctx, const bb_customer_hit *h)
{
    page_acc *a = ctx;
    assert_true(a->n < a->cap);
    snprintf(a->ids[a->n++], 16, "%s", h->external_id);
    return 0;
}

/* Every result of query, through pages of 7. */
static int search_all(fx *f, const char *query, char (*ids)[16], int cap)
{
    page_acc a = {ids, 0, cap};
    char cursor[BB_STORE_CURSOR_MAX] = "", next[BB_STORE_CURSOR_MAX];
    bb_error err = {0};
    for (;;) {
        if (bb_store_search(f->s, query, 7, cursor[0] ? cursor : NULL, on_hit, &a, next, &err) != 0)
            fail_msg("search \"%s\": %s", query, err.msg);
        if (!next[0])
            return a.n;
        snprintf(cursor, sizeof cursor, "%s", next);
    }
}

/* The definition, in SQL on a connection of its own. */
static int oracle(fx *f, const char *query, char (*ids)[16], int cap)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char sql[1024] = "SELECT external_id FROM customer WHERE merged_into IS NULL", words[256];
    int n = 0, k = 0;
    snprintf(words, sizeof words, "%s", query);
    for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
        snprintf(sql + strlen(sql), sizeof sql - strlen(sql), " AND instr(search_text, ?%d) > 0", ++k);
    snprintf(sql + strlen(sql), sizeof sql - strlen(sql), " ORDER BY sort_key, id");
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    snprintf(words, sizeof words, "%s", query);
    k = 0;
    for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
        sqlite3_bind_text(st, ++k, w, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_true(n < cap);
        snprintf(ids[n++], 16, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void check_all(fx *f)
{
    enum { CAP = 2000 };
    char(*got)[16] = calloc(CAP, 16), (*want)[16] = calloc(CAP, 16);
    assert_non_null(got);
    assert_non_null(want);
    /* Ranks: present, distinct, in (sort_key, id) order; none on merged-away customers. */
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM customer WHERE merged_into IS NULL AND search_rank IS NULL"), 0);
    assert_int_equal(fx_int(f, "SELECT count(*) FROM customer WHERE merged_into IS NOT NULL"
                               " AND search_rank IS NOT NULL"),
                     0);
    assert_int_equal(
        fx_int(f, "SELECT count(*) FROM (SELECT search_rank r, lag(search_rank) OVER"
                  " (ORDER BY sort_key, id) p FROM customer WHERE merged_into IS NULL) WHERE r <= p"),
        0);
    for (size_t i = 0; i < sizeof QUERIES / sizeof *QUERIES; i++) {
        int n = search_all(f, QUERIES[i], got, CAP), m = oracle(f, QUERIES[i], want, CAP);
        if (n != m)
            fail_msg("\"%s\": %d hits, the definition gives %d", QUERIES[i], n, m);
        for (int k = 0; k < n; k++)
            if (strcmp(got[k], want[k]) != 0)
                fail_msg("\"%s\": hit %d is %s, the definition gives %s", QUERIES[i], k, got[k], want[k]);
    }
    free(got);
    free(want);
}

static void put(fx *f, const char *id, const char *first, const char *last, int i)
{
    char email[64], phone[32];
    snprintf(email, sizeof email, "%s%d@example.com", id, i);
    snprintf(phone, sizeof phone, "0532 %03d %02d %02d", i % 1000, i % 100, (i / 7) % 100);
    bb_customer_rec c = {.customer_id = id,
                         .first_name = first,
                         .last_name = last,
                         .email = email,
                         .phone = phone,
                         .city = i % 3 ? "İstanbul" : "Ankara"};
    fx_put_customer(f, &c, NULL);
}

static void order_kept(void **state)
{
    fx *f = *state;
    char id[16], last[16];
    uint64_t x = 88172645463325252u;
    fx_begin(f);
    for (int i = 0; i < 700; i++) { /* pseudo-random names in a pseudo-random order */
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        snprintf(id, sizeof id, "r%d", i);
        put(f, id, FIRST[x % 8], LAST[(x >> 8) % 16], i);
    }
    fx_commit(f);
    check_all(f);
    /* 120 equal names in a row (each goes after the last), then 100 names each before the one put
     * just before it: both halve one gap until it is gone. */
    for (int i = 0; i < 120; i++) {
        snprintf(id, sizeof id, "s%d", i);
        put(f, id, "Aynı", "Kişi", i);
    }
    for (int i = 99; i >= 0; i--) {
        snprintf(id, sizeof id, "z%d", i);
        snprintf(last, sizeof last, "Z%03d", i);
        put(f, id, "Zed", last, i);
    }
    check_all(f);
    /* Renames move customers in the order; merges take the merged-away out. */
    fx_begin(f);
    for (int i = 0; i < 700; i += 9) {
        snprintf(id, sizeof id, "r%d", i);
        bb_customer_rec c = {.customer_id = id, .first_name = "Renamed", .last_name = i % 2 ? "Aaa" : "Zzz"};
        fx_put_customer(f, &c, NULL);
    }
    fx_commit(f);
    for (int i = 1; i < 700; i += 31) {
        char keep[16];
        bb_merge_report rep;
        bb_error err = {0};
        snprintf(keep, sizeof keep, "r%d", i);
        snprintf(id, sizeof id, "s%d", i % 120);
        if (bb_store_merge(f->s, keep, id, "test", &rep, &err) != 0)
            fail_msg("merge: %s", err.msg);
    }
    check_all(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(order_kept, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
