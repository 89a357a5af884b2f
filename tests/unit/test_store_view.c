/* test_store_view.c: the stored 360 views (store_view.h): stored and read back, the customers without
 * one, and the rule that a row exists only while it is current: every kind of write that changes what a
 * customer's view shows deletes that customer's row in its transaction, and no other row; writes that
 * change nothing shown leave it; a rolled-back write leaves it. Rows are counted through a separate
 * connection (fx_int), not through the store's reads. Bodies are stored LZ4-compressed and read back
 * as the same text; rows stored plain (before compression) are still read; a damaged compressed body is
 * an internal error saying so. */
#include <lz4.h>

#include "birebir/store_event.h"
#include "birebir/store_view.h"
#include "store_fixture.h"

#define T0 1735689600 /* 2025-01-01T00:00:00Z */

static const char BODY[] = "{\"customer\":{\"id\":\"x\"}";

static void put_view(fx *f, int64_t id)
{
    bb_error e = {0};
    fx_begin(f);
    if (bb_store_view_put(f->s, id, "TRY", BODY, sizeof BODY - 1, &e) != 0)
        fail_msg("view_put: %s", e.msg);
    fx_commit(f);
}

static int64_t has_view(fx *f, int64_t id)
{
    char sql[100];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM customer_view WHERE customer_id = %lld", (long long)id);
    return fx_int(f, sql);
}

/* Runs sql through a separate read-write connection (rows the store did not write). */
static void raw_exec(fx *f, const char *sql, const void *blob, int n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open(f->path, &db) != SQLITE_OK || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
        (blob && sqlite3_bind_blob(st, 1, blob, n, SQLITE_TRANSIENT) != SQLITE_OK) || sqlite3_step(st) != SQLITE_DONE)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static int64_t customer(fx *f, const char *ext)
{
    bb_customer_rec c = {.customer_id = ext, .first_name = "Ada", .email = NULL};
    fx_put_customer(f, &c, NULL);
    return fx_resolve(f, ext, NULL);
}

static void put_get_missing(void **state)
{
    fx *f = *state;
    bb_error e = {0};
    bb_buf body;
    char cur[4] = "?";
    int64_t a = customer(f, "a"), b = customer(f, "b"), c = customer(f, "c"), ids[8], views, custs;
    size_t n;
    bb_buf_init(&body, 0);
    /* only inside a write transaction */
    assert_int_equal(bb_store_view_put(f->s, a, "TRY", BODY, sizeof BODY - 1, &e), BB_EINTERNAL);
    assert_int_equal(bb_store_view_get(f->s, a, &body, cur, &e), BB_ENOTFOUND);
    assert_int_equal(body.len, 0);
    put_view(f, b);
    assert_int_equal(bb_store_view_get(f->s, b, &body, cur, &e), 0);
    assert_int_equal(body.len, sizeof BODY - 1);
    assert_memory_equal(body.data, BODY, sizeof BODY - 1);
    assert_string_equal(cur, "TRY");
    /* the missing ones, ascending, from after */
    assert_int_equal(bb_store_views_missing(f->s, 0, 8, ids, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], a);
    assert_int_equal(ids[1], c);
    assert_int_equal(bb_store_views_missing(f->s, a, 8, ids, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], c);
    assert_int_equal(bb_store_views_missing(f->s, 0, 1, ids, &n, &e), 0);
    assert_int_equal(n, 1);
    /* a scan looks at a bounded number of customers: a and b, then c, then the end (last == after) */
    int64_t last;
    assert_int_equal(bb_store_views_scan(f->s, 0, 2, ids, &n, &last, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], a);
    assert_int_equal(last, b);
    assert_int_equal(bb_store_views_scan(f->s, last, 2, ids, &n, &last, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], c);
    assert_int_equal(last, c);
    assert_int_equal(bb_store_views_scan(f->s, last, 2, ids, &n, &last, &e), 0);
    assert_int_equal(n, 0);
    assert_int_equal(last, c);
    assert_int_equal(bb_store_views_count(f->s, &views, &custs, &e), 0);
    assert_int_equal(views, 1);
    assert_int_equal(custs, 3);
    /* a body that is not the start of an object is refused */
    fx_begin(f);
    assert_int_equal(bb_store_view_put(f->s, a, "TRY", "[1]", 3, &e), BB_EINVAL);
    fx_commit(f);
    bb_buf_release(&body);
}

/* A view is stored as a blob: 0xB4, the text's length (4 bytes, little-endian), then the LZ4 block,
 * which LZ4 itself (not our reader) decompresses to the text; it reads back as the text. */
static void compressed(void **state)
{
    fx *f = *state;
    bb_error e = {0};
    bb_buf body;
    char cur[4], big[4096], hex[16], want[16], out[sizeof big];
    int64_t a = customer(f, "a");
    size_t n = 0;
    n += (size_t)snprintf(big, sizeof big, "{\"orders\":[");
    for (int i = 0; n + 64 < sizeof big; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "%s{\"id\":\"O%d\",\"total\":%d}", i ? "," : "", i, 100 * i);
    fx_begin(f);
    assert_int_equal(bb_store_view_put(f->s, a, "TRY", big, n, &e), 0);
    fx_commit(f);
    assert_int_equal(fx_int(f, "SELECT typeof(body) = 'blob' FROM customer_view"), 1);
    snprintf(want, sizeof want, "B4%02X%02X0000", (unsigned)(n & 0xff), (unsigned)(n >> 8));
    assert_string_equal(fx_text(f, "SELECT hex(substr(body, 1, 5)) FROM customer_view", hex, sizeof hex), want);
    assert_true(fx_int(f, "SELECT length(body) FROM customer_view") < (int64_t)n / 3);
    {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT body FROM customer_view", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        const char *p = sqlite3_column_blob(st, 0);
        int len = sqlite3_column_bytes(st, 0);
        assert_int_equal(LZ4_decompress_safe(p + 5, out, len - 5, (int)sizeof out), (int)n);
        assert_memory_equal(out, big, n);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    bb_buf_init(&body, 0);
    assert_int_equal(bb_store_view_get(f->s, a, &body, cur, &e), 0);
    assert_int_equal(body.len, n);
    assert_memory_equal(body.data, big, n);
    assert_int_equal(body.data[n], '\0');
    assert_string_equal(cur, "TRY");
    bb_buf_release(&body);
}

/* A row stored plain (text, as before views were compressed) is read as it is. */
static void plain_row(void **state)
{
    fx *f = *state;
    bb_error e = {0};
    bb_buf body;
    char cur[4], sql[200];
    int64_t a = customer(f, "a");
    snprintf(sql, sizeof sql, "INSERT INTO customer_view (customer_id, currency, body) VALUES (%lld, 'EUR', '%s')",
             (long long)a, BODY);
    raw_exec(f, sql, NULL, 0);
    bb_buf_init(&body, 0);
    assert_int_equal(bb_store_view_get(f->s, a, &body, cur, &e), 0);
    assert_string_equal(bb_buf_str(&body), BODY);
    assert_string_equal(cur, "EUR");
    bb_buf_release(&body);
}

/* Damaged compressed bodies: each is BB_EINTERNAL naming the customer and the damage, and nothing is
 * appended to the buffer. */
static void damaged(void **state)
{
    fx *f = *state;
    int64_t a = customer(f, "a");
    char good[600], sql[200], who[40];
    int n = snprintf(good, sizeof good, "{\"customer\":{\"id\":\"a\",\"note\":\"%0500d\"}", 7);
    unsigned char packed[700] = {0xB4, (unsigned char)n, (unsigned char)(n >> 8), 0, 0};
    int c = LZ4_compress_default(good, (char *)packed + 5, n, (int)sizeof packed - 5);
    assert_true(c > 0);
    struct {
        const char *what;
        size_t len;
        void (*spoil)(unsigned char *);
    } cases[] = {{"only a header byte", 3, NULL}, {"cut short", (size_t)c + 5 - 4, NULL},
                 {"a wrong length", (size_t)c + 5, NULL}, {"garbage", (size_t)c + 5, NULL},
                 {"a huge length", (size_t)c + 5, NULL}};
    snprintf(who, sizeof who, "customer %lld's", (long long)a);
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO customer_view (customer_id, currency, body) VALUES (%lld, '', ?1)",
             (long long)a);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        unsigned char bad[700];
        bb_error e = {0};
        bb_buf body;
        char cur[4];
        memcpy(bad, packed, sizeof bad);
        if (k == 2)
            bad[1] = (unsigned char)(n + 1); /* one byte more than it holds */
        if (k == 3)
            for (int i = 5; i < c + 5; i++)
                bad[i] = (unsigned char)(i * 37 + 11);
        if (k == 4)
            bad[4] = 0x7f;
        raw_exec(f, sql, bad, (int)cases[k].len);
        bb_buf_init(&body, 0);
        if (bb_store_view_get(f->s, a, &body, cur, &e) != BB_EINTERNAL)
            fail_msg("%s: not an internal error", cases[k].what);
        if (!strstr(e.msg, "stored view is damaged") || !strstr(e.msg, who))
            fail_msg("%s: %s", cases[k].what, e.msg);
        assert_int_equal(body.len, 0);
        bb_buf_release(&body);
    }
    /* and the undamaged bytes read back */
    raw_exec(f, sql, packed, c + 5);
    {
        bb_error e = {0};
        bb_buf body;
        char cur[4];
        bb_buf_init(&body, 0);
        assert_int_equal(bb_store_view_get(f->s, a, &body, cur, &e), 0);
        assert_string_equal(bb_buf_str(&body), good);
        bb_buf_release(&body);
    }
}

/* The i-th of a run of distinct views, about 4 KB, in buf; its length. */
/* A view's text (30 orders, about 3.4 KB); with scrubbed, the text the dictionary's sample must hold for
 * it: every string value emptied but codes and times ("currency", "ordered_at" here), the internal id
 * written 0, keys kept. */
static size_t view_text_(char *buf, size_t size, int run, int i, int scrubbed)
{
    char id[32] = "";
    const char *name = scrubbed ? "" : "Ay\\u015fe \\\"Ali\\\"", *oid = scrubbed ? "" : "R-ord",
               *line = scrubbed ? "" : "x";
    size_t n;
    if (!scrubbed)
        snprintf(id, sizeof id, "R%dC%d", run, i);
    n = (size_t)snprintf(buf, size, "{\"customer\":{\"id\":\"%s\",\"internal_id\":%d,\"first_name\": \"%s\"},\"orders\":[",
                         id, scrubbed ? 0 : 1000 + i, name);
    for (int k = 0; k < 30; k++)
        n += (size_t)snprintf(buf + n, size - n,
                              "%s{\"order_id\":\"%s\",\"ordered_at\":\"2026-01-%02dT00:00:00Z\",\"amount_minor\":%d,"
                              "\"currency\":\"TRY\",\"lines\":[\"%s\"]}",
                              k ? "," : "", oid, 1 + k % 28, (run + 1) * (i * 977 + k * 131) % 100000, line);
    assert_true(n + 1 < size);
    return n;
}

static int holds(const char *p, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (memcmp(p + i, word, w) == 0)
            return 1;
    return 0;
}

static size_t view_text(char *buf, size_t size, int run, int i)
{
    return view_text_(buf, size, run, i, 0);
}

/* Views stored with a separate connection's LZ4 (not our reader) checked: in a run of 16 views, the first
 * ones are stored alone (0xB4) until their scrubbed text fills the 32 KB sample, which is stored as the
 * dictionary (meta 'view_dict_1': exactly the first 32768 bytes of their texts with personal string
 * values emptied, so no name or id of theirs is in it); the later ones are 0xB5, 1, the length, and LZ4
 * against that dictionary. Every view reads back. A run rolled back leaves no dictionary, and the next
 * run's dictionary is made of its own views (the rolled-back one is not used). */
static void dictionary(void **state)
{
    fx *f = *state;
    bb_error e = {0};
    char texts[16][4096], joined[16 * 4096];
    size_t lens[16], slens[16], joined_len = 0;
    int64_t ids[16];
    for (int i = 0; i < 16; i++) {
        char ext[8];
        snprintf(ext, sizeof ext, "d%d", i);
        ids[i] = customer(f, ext);
    }
    for (int run = 0; run < 2; run++) {
        joined_len = 0;
        fx_begin(f);
        for (int i = 0; i < 16; i++) {
            lens[i] = view_text(texts[i], sizeof texts[i], run, i);
            slens[i] = view_text_(joined + joined_len, sizeof joined - joined_len, run, i, 1);
            joined_len += slens[i];
            assert_int_equal(bb_store_view_put(f->s, ids[i], "TRY", texts[i], lens[i], &e), 0);
        }
        if (run == 0) {
            bb_store_rollback(f->s);
            assert_int_equal(fx_int(f, "SELECT count(*) FROM meta WHERE key = 'view_dict_1'"), 0);
            assert_int_equal(fx_int(f, "SELECT count(*) FROM customer_view"), 0);
        } else {
            fx_commit(f);
        }
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char dict[32768], out[4096];
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'view_dict_1'", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_bytes(st, 0), (int)sizeof dict);
    memcpy(dict, sqlite3_column_blob(st, 0), sizeof dict);
    assert_memory_equal(dict, joined, sizeof dict);
    assert_false(holds(dict, sizeof dict, "Ali")); /* no personal value went in */
    assert_false(holds(dict, sizeof dict, "R1C"));
    assert_false(holds(dict, sizeof dict, "\"internal_id\":10"));
    assert_true(holds(dict, sizeof dict, "\"ordered_at\":\"2026-01-0"));
    assert_true(holds(dict, sizeof dict, "\"currency\":\"TRY\"")); /* a code did */
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT body FROM customer_view WHERE customer_id = ?1", -1, &st, NULL),
                     SQLITE_OK);
    size_t before = 0;
    int alone = 0, against = 0;
    for (int i = 0; i < 16; i++) {
        bb_buf body;
        char cur[4];
        sqlite3_bind_int64(st, 1, ids[i]);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        const unsigned char *p = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        uint32_t len = p[0] == 0xB5 ? (uint32_t)p[2] | (uint32_t)p[3] << 8 : (uint32_t)p[1] | (uint32_t)p[2] << 8;
        assert_int_equal(len, lens[i]);
        if (before + slens[i] <= sizeof dict) { /* its text went into the sample whole, before it was full */
            assert_int_equal(p[0], 0xB4);
            assert_int_equal(LZ4_decompress_safe((const char *)p + 5, out, n - 5, (int)sizeof out), (int)lens[i]);
            alone++;
        } else if (before >= sizeof dict) {
            assert_int_equal(p[0], 0xB5);
            assert_int_equal(p[1], 1);
            assert_int_equal(LZ4_decompress_safe_usingDict((const char *)p + 6, out, n - 6, (int)sizeof out, dict,
                                                           (int)sizeof dict),
                             (int)lens[i]);
            against++;
        } else { /* the one that filled it: stored alone */
            assert_int_equal(p[0], 0xB4);
            assert_int_equal(LZ4_decompress_safe((const char *)p + 5, out, n - 5, (int)sizeof out), (int)lens[i]);
        }
        assert_memory_equal(out, texts[i], lens[i]);
        before += slens[i];
        sqlite3_reset(st);
        bb_buf_init(&body, 0);
        assert_int_equal(bb_store_view_get(f->s, ids[i], &body, cur, &e), 0);
        assert_int_equal(body.len, lens[i]);
        assert_memory_equal(body.data, texts[i], lens[i]);
        bb_buf_release(&body);
    }
    assert_true(alone >= 7 && against >= 3);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* a new connection reads them too (it loads the dictionary) */
    bb_store *other = NULL;
    assert_int_equal(bb_store_open(f->path, 0, &other, &e), 0);
    for (int i = 0; i < 16; i++) {
        bb_buf body;
        char cur[4];
        bb_buf_init(&body, 0);
        assert_int_equal(bb_store_view_get(other, ids[i], &body, cur, &e), 0);
        assert_memory_equal(body.data, texts[i], lens[i]);
        bb_buf_release(&body);
    }
    /* against a dictionary of another number, or none stored: damaged */
    bb_buf body;
    char cur[4], sql[160];
    bb_buf_init(&body, 0);
    snprintf(sql, sizeof sql, "UPDATE customer_view SET body = X'B50264000000AABB' WHERE customer_id = %lld",
             (long long)ids[11]);
    raw_exec(f, sql, NULL, 0);
    assert_int_equal(bb_store_view_get(other, ids[11], &body, cur, &e), BB_EINTERNAL);
    assert_non_null(strstr(e.msg, "names dictionary 2"));
    bb_store_close(other);
    raw_exec(f, "DELETE FROM meta WHERE key = 'view_dict_1'", NULL, 0);
    assert_int_equal(bb_store_open(f->path, 0, &other, &e), 0);
    assert_int_equal(bb_store_view_get(other, ids[15], &body, cur, &e), BB_EINTERNAL);
    assert_non_null(strstr(e.msg, "dictionary, which is not in the database"));
    assert_int_equal(body.len, 0);
    bb_store_close(other);
    bb_buf_release(&body);
}

/* A write, then which of a's and b's views are left. */
typedef void (*write_fn)(fx *f);

static void check(fx *f, int64_t a, int64_t b, write_fn w, int a_left, int b_left, const char *what)
{
    put_view(f, a);
    put_view(f, b);
    w(f);
    if (has_view(f, a) != a_left || has_view(f, b) != b_left)
        fail_msg("%s: a's view %s, b's %s", what, has_view(f, a) ? "left" : "gone", has_view(f, b) ? "left" : "gone");
}

static void w_name(fx *f)
{
    bb_customer_rec c = {.customer_id = "a", .first_name = "Grace"};
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UPDATED);
}
static void w_same_name(fx *f)
{
    bb_customer_rec c = {.customer_id = "a", .first_name = "Grace"};
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UNCHANGED);
}
static void w_email(fx *f)
{
    bb_customer_rec c = {.customer_id = "a", .email = "a@example.com"};
    assert_int_equal(fx_put_customer(f, &c, NULL), BB_PUT_UPDATED);
}
static void w_order(fx *f)
{
    bb_order_rec o = {.order_id = "O1", .customer_ref = "a", .ordered_at = T0, .amount_minor = 500, .has_amount = 1};
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_INSERTED);
}
static void w_same_order(fx *f)
{
    bb_order_rec o = {.order_id = "O1", .customer_ref = "a", .ordered_at = T0, .amount_minor = 500, .has_amount = 1};
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_UNCHANGED);
}
static void w_order_amount(fx *f)
{
    bb_order_rec o = {.order_id = "O1", .customer_ref = "a", .ordered_at = T0, .amount_minor = 700, .has_amount = 1};
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_UPDATED);
}
static void w_order_to_b(fx *f)
{
    bb_order_rec o = {.order_id = "O1", .customer_ref = "b", .ordered_at = T0, .amount_minor = 700, .has_amount = 1};
    assert_int_equal(fx_put_order(f, &o, NULL), BB_PUT_UPDATED);
}
static void w_line(fx *f)
{
    bb_order_line_rec l = {.order_id = "O2", .customer_ref = "a", .ordered_at = T0, .sku = "TEA", .quantity = 1,
                           .unit_price_minor = 250, .line_no = 1};
    assert_int_equal(fx_put_order_line(f, &l, NULL), BB_PUT_INSERTED);
}
static void w_line_change(fx *f)
{
    bb_order_line_rec l = {.order_id = "O2", .customer_ref = "a", .ordered_at = T0, .sku = "TEA", .quantity = 3,
                           .unit_price_minor = 250, .line_no = 1};
    assert_int_equal(fx_put_order_line(f, &l, NULL), BB_PUT_UPDATED);
}
static void w_product_name(fx *f)
{
    bb_product_rec p = {.sku = "TEA", .name = "Çay"};
    assert_int_equal(fx_put_product(f, &p, NULL), BB_PUT_UPDATED);
}
static void w_product_price(fx *f)
{
    bb_product_rec p = {.sku = "TEA", .price_minor = 999, .has_price = 1};
    assert_int_equal(fx_put_product(f, &p, NULL), BB_PUT_UPDATED);
}
static void w_product_cost(fx *f)
{
    bb_product_rec p = {.sku = "TEA", .cost_minor = 100, .has_cost = 1};
    assert_int_equal(fx_put_product(f, &p, NULL), BB_PUT_UPDATED);
}
static void w_interaction(fx *f)
{
    bb_interaction_rec i = {.customer_ref = "a", .occurred_at = T0, .channel = "sms", .direction = "out",
                            .kind = "message"};
    fx_put_interaction(f, &i, NULL);
}
static void w_consent(fx *f)
{
    bb_consent_rec k = {.customer_ref = "a", .channel = "email", .status = "granted", .recorded_at = T0};
    fx_put_consent(f, &k, NULL);
}
static void w_survey(fx *f)
{
    bb_survey_rec v = {.customer_ref = "a", .survey = "nps", .score = 9, .responded_at = T0};
    fx_put_survey(f, &v, NULL);
}
static void w_merge(fx *f)
{
    bb_error e = {0};
    assert_int_equal(bb_store_merge(f->s, "a", "b", "test", NULL, &e), 0);
}

static void each_write(void **state)
{
    fx *f = *state;
    int64_t a = customer(f, "a"), b = customer(f, "b");
    check(f, a, b, w_name, 0, 1, "profile changed");
    check(f, a, b, w_same_name, 1, 1, "same profile");
    check(f, a, b, w_email, 0, 1, "identifier added");
    check(f, a, b, w_order, 0, 1, "new order");
    check(f, a, b, w_same_order, 1, 1, "same order again");
    check(f, a, b, w_order_amount, 0, 1, "order amount changed");
    check(f, a, b, w_order_to_b, 0, 0, "order moved to b");
    check(f, a, b, w_line, 0, 1, "new order line");
    check(f, a, b, w_line_change, 0, 1, "order line changed");
    check(f, a, b, w_product_price, 1, 1, "product price (not shown)");
    check(f, a, b, w_product_name, 0, 0, "product renamed");
    check(f, a, b, w_product_cost, 0, 0, "product cost (margins)");
    check(f, a, b, w_interaction, 0, 1, "interaction");
    check(f, a, b, w_interaction, 1, 1, "the same interaction again");
    check(f, a, b, w_consent, 0, 1, "consent");
    check(f, a, b, w_survey, 0, 1, "survey answer");
    check(f, a, b, w_merge, 0, 0, "merge");
}

static void rolled_back(void **state)
{
    fx *f = *state;
    bb_error e = {0};
    int64_t a = customer(f, "a");
    w_line(f); /* product TEA, without a name */
    put_view(f, a);
    fx_begin(f);
    w_interaction(f);
    bb_store_rollback(f->s);
    assert_int_equal(has_view(f, a), 1);
    /* a savepoint rolled back undoes its write and its deletion; the transaction goes on and a later
     * write in it still deletes the view */
    fx_begin(f);
    assert_int_equal(bb_store_savepoint(f->s, &e), 0);
    w_product_name(f); /* every view goes */
    int64_t views, custs;
    assert_int_equal(bb_store_views_count(f->s, &views, &custs, &e), 0); /* a read: the deletion is done */
    assert_int_equal(views, 0);
    bb_store_savepoint_rollback(f->s);
    w_survey(f);
    fx_commit(f);
    assert_int_equal(has_view(f, a), 0);
}

/* The table is looked at once per write transaction: found empty, then a view stored in the same
 * transaction, then a write to that customer: the view must go. */
static void stored_then_written(void **state)
{
    fx *f = *state;
    bb_error e = {0};
    int64_t a = customer(f, "a");
    fx_begin(f);
    w_consent(f); /* the table is empty here */
    assert_int_equal(bb_store_view_put(f->s, a, "TRY", BODY, sizeof BODY - 1, &e), 0);
    w_survey(f);
    fx_commit(f);
    assert_int_equal(has_view(f, a), 0);
    /* and stored last, it stays */
    fx_begin(f);
    w_interaction(f);
    assert_int_equal(bb_store_view_put(f->s, a, "TRY", BODY, sizeof BODY - 1, &e), 0);
    fx_commit(f);
    assert_int_equal(has_view(f, a), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(put_get_missing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(compressed, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(plain_row, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(damaged, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(dictionary, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(each_write, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rolled_back, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(stored_then_written, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
