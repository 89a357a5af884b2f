/* test_api_value.c: GET /api/v1/dashboard, /api/v1/segments/rfm and /api/v1/cohorts: who may read them
 * (every reading role), the figures against those counted here from the records put, the CLV
 * distribution's buckets counted independently, bad arguments. */
#include "api_fixture.h"

#include <sqlite3.h>

#include "birebir/store_score.h"

#define T0 1735689600 /* 2025-01-01 00:00:00 UTC */
#define DAY 86400

/* Customer i (C0..C9) orders once in month 0, and again in month k for each k in its mask. */
static void fill(fixture *f)
{
    bb_error err = {0};
    bb_put_result r;
    bb_put_stats st = {0};
    assert_int_equal(bb_store_begin(f->store, &err), 0);
    for (int i = 0; i < 10; i++) {
        char id[8], oid[16];
        snprintf(id, sizeof id, "C%d", i);
        bb_customer_rec c = {.customer_id = id, .first_name = id, .created_at = T0};
        assert_int_equal(bb_store_put_customer(f->store, &c, &r, &st, &err), 0);
        /* customers 0-5 first buy in January 2025, 6-8 in February; 9 never */
        if (i == 9)
            continue;
        int64_t first = i < 6 ? T0 + (int64_t)i * DAY : T0 + (31 + i) * (int64_t)DAY;
        snprintf(oid, sizeof oid, "O%d", i);
        bb_order_rec o = {.order_id = oid,
                          .customer_ref = id,
                          .ordered_at = first,
                          .amount_minor = 1000 * (i + 1),
                          .has_amount = 1,
                          .currency = "TRY"};
        assert_int_equal(bb_store_put_order(f->store, &o, &r, &st, &err), 0);
        if (i % 2 == 0) { /* even ones come back 35 days later */
            snprintf(oid, sizeof oid, "P%d", i);
            o.ordered_at = first + 35 * DAY;
            o.amount_minor = 500;
            assert_int_equal(bb_store_put_order(f->store, &o, &r, &st, &err), 0);
        }
    }
    assert_int_equal(bb_store_commit(f->store, &err), 0);
}

static void roles(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    static const char *const paths[] = {"/api/v1/dashboard", "/api/v1/cohorts", "/api/v1/segments/rfm"};
    for (size_t p = 0; p < sizeof paths / sizeof *paths; p++) {
        for (int role = 0; role < 3; role++)
            assert_int_equal(fx_request(f, "GET", paths[p], role, NULL), 200);
        assert_int_equal(fx_request(f, "GET", paths[p], 3, NULL), 403); /* ingest */
        assert_string_equal(fx_str(f, "error.code"), "forbidden");
        assert_int_equal(fx_request(f, "GET", paths[p], -1, NULL), 401);
        assert_int_equal(fx_request(f, "POST", paths[p], 0, "{}"), 405);
    }
    fx_free(f);
}

static void dashboard_empty(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard", 2, NULL), 200);
    assert_int_equal(fx_int(f, "customers"), 0);
    assert_true(json_is_null(json_object_get(f->json, "as_of")));
    assert_true(json_is_null(json_object_get(f->json, "clv")));
    assert_int_equal(json_array_size(json_object_get(f->json, "segments")), 0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/cohorts", 2, NULL), 200);
    assert_int_equal(json_array_size(json_object_get(f->json, "cohorts")), 0); /* before analyze */
    assert_true(json_is_null(json_object_get(f->json, "as_of")));
    fx_free(f);
}

static void dashboard_figures(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    int64_t revenue = 0;
    fill(f);
    for (int i = 0; i < 9; i++)
        revenue += 1000 * (i + 1) + (i % 2 == 0 ? 500 : 0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard?active_days=30", 1, NULL), 200);
    assert_int_equal(fx_int(f, "customers"), 10);
    assert_int_equal(fx_int(f, "buyers"), 9);
    json_t *rev = json_object_get(f->json, "revenue");
    assert_int_equal(json_integer_value(json_object_get(rev, "total_minor")), revenue);
    assert_int_equal(json_integer_value(json_object_get(rev, "orders")), 9 + 5);
    assert_string_equal(json_string_value(json_object_get(rev, "currency")), "TRY");
    /* The last order is C8's return (Feb 9 + 35 days = March 16, 2025); a 30-day window back from it
     * holds C6's and C8's returns (March 14 and 16), and C7's, C8's first orders (Feb 8, 9) do not. */
    json_t *act = json_object_get(f->json, "active");
    assert_int_equal(json_integer_value(json_object_get(act, "customers")), 2);
    assert_int_equal(json_integer_value(json_object_get(act, "days")), 30);
    assert_true(json_real_value(json_object_get(act, "share")) == 0.2);
    assert_string_equal(fx_str(f, "as_of"), "2025-03-16T00:00:01Z");
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard?active_days=0", 1, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "active_days");
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard?active_days=x", 1, NULL), 422);
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard?days=30", 1, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "days");
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(json_object_get(f->json, "error"), "accepted"), 0)),
                        "active_days");
    fx_free(f);
}

/* A return (a negative amount) is no purchase: a customer whose only order in the window is one is not
 * active, and one who only ever returned is no buyer; the revenue still counts both. */
static void dashboard_returns(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb_error err = {0};
    bb_put_result r;
    bb_put_stats st = {0};
    fill(f);
    assert_int_equal(bb_store_begin(f->store, &err), 0);
    bb_customer_rec c = {.customer_id = "R1", .first_name = "R1", .created_at = T0};
    assert_int_equal(bb_store_put_customer(f->store, &c, &r, &st, &err), 0);
    c.customer_id = c.first_name = "R2";
    assert_int_equal(bb_store_put_customer(f->store, &c, &r, &st, &err), 0);
    /* R1 bought on January 3 and returned part of it on March 15, in the 30-day window before the last
     * order (March 16); R2 only returned something, on March 10. */
    bb_order_rec o = {.order_id = "R1a", .customer_ref = "R1", .ordered_at = T0 + 2 * DAY, .amount_minor = 4000,
                      .has_amount = 1, .currency = "TRY"};
    assert_int_equal(bb_store_put_order(f->store, &o, &r, &st, &err), 0);
    o.order_id = "R1b";
    o.ordered_at = T0 + 73 * DAY;
    o.amount_minor = -1500;
    assert_int_equal(bb_store_put_order(f->store, &o, &r, &st, &err), 0);
    o.order_id = "R2a";
    o.customer_ref = "R2";
    o.ordered_at = T0 + 68 * DAY;
    o.amount_minor = -700;
    assert_int_equal(bb_store_put_order(f->store, &o, &r, &st, &err), 0);
    assert_int_equal(bb_store_commit(f->store, &err), 0);
    int64_t revenue = 4000 - 1500 - 700;
    for (int i = 0; i < 9; i++)
        revenue += 1000 * (i + 1) + (i % 2 == 0 ? 500 : 0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard?active_days=30", 1, NULL), 200);
    assert_int_equal(fx_int(f, "customers"), 12);
    assert_int_equal(fx_int(f, "buyers"), 10); /* C0-C8 and R1 */
    json_t *act = json_object_get(f->json, "active");
    assert_int_equal(json_integer_value(json_object_get(act, "customers")), 2); /* C6 and C8, not R1, R2 */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(f->json, "revenue"), "total_minor")),
                     revenue);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(f->json, "revenue"), "orders")), 17);
    fx_free(f);
}

/* The distribution of values against a count made here, bucket by bucket. */
static void check_distribution(const int64_t *v, size_t n)
{
    json_t *d = bb__clv_distribution(v, n, "TRY"), *b = json_object_get(d, "buckets");
    int64_t total = 0, counted = 0, prev_to = 0;
    int64_t sorted_median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    assert_non_null(d);
    for (size_t i = 0; i < n; i++)
        total += v[i];
    assert_int_equal(json_integer_value(json_object_get(d, "customers")), n);
    assert_int_equal(json_integer_value(json_object_get(d, "total_minor")), total);
    assert_int_equal(json_integer_value(json_object_get(d, "mean_minor")), total / (int64_t)n);
    assert_int_equal(json_integer_value(json_object_get(d, "median_minor")), sorted_median);
    for (size_t k = 0; k < json_array_size(b); k++) {
        json_t *e = json_array_get(b, k), *to = json_object_get(e, "to_minor");
        int64_t from = json_integer_value(json_object_get(e, "from_minor")), want = 0;
        if (k > 0)
            assert_int_equal(from, prev_to); /* contiguous */
        for (size_t i = 0; i < n; i++)
            want += v[i] >= from && (json_is_null(to) || v[i] < json_integer_value(to));
        assert_int_equal(json_integer_value(json_object_get(e, "customers")), want);
        counted += want;
        if (!json_is_null(to))
            prev_to = json_integer_value(to);
        else
            assert_int_equal(k, json_array_size(b) - 1); /* only the last is open */
    }
    assert_int_equal(counted, n); /* every value in one bucket */
    json_decref(d);
}

static void clv_distribution(void **state)
{
    (void)state;
    int64_t skewed[1000], small[3] = {10, 20, 30}, neg[5] = {-300, -5, 0, 4000, 125000};
    for (int i = 0; i < 1000; i++) /* 950 values up to 949,000, then a tail of 50 at 10,000,000 */
        skewed[i] = i < 950 ? (int64_t)i * 1000 : 10000000;
    check_distribution(skewed, 1000);
    check_distribution(small, 3);
    check_distribution(neg, 5);
    json_t *d = bb__clv_distribution(skewed, 1000, "TRY"), *b = json_object_get(d, "buckets");
    /* 95th percentile: value 949 (949,000); the round bound above it is 1,000,000: width 100,000, and
     * the tail in one open bucket. */
    assert_int_equal(json_array_size(b), 11);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "to_minor")), 100000);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "customers")), 100);
    assert_true(json_is_null(json_object_get(json_array_get(b, 10), "to_minor")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 10), "customers")), 50);
    json_decref(d);
    d = bb__clv_distribution(neg, 5, "TRY");
    b = json_object_get(d, "buckets");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "from_minor")), -300);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(b, 0), "customers")), 2);
    json_decref(d);
}

static void dashboard_clv_from_scores(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    sqlite3 *db = NULL;
    fill(f);
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO customer_score (customer_id, clv_minor, updated_at) "
                     "SELECT id, CAST(substr(external_id, 2) AS INTEGER) * 10000, 0 FROM customer",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard", 0, NULL), 200);
    json_t *clv = json_object_get(f->json, "clv");
    assert_int_equal(json_integer_value(json_object_get(clv, "customers")), 10);
    assert_int_equal(json_integer_value(json_object_get(clv, "total_minor")),
                     450000); /* 0+1+...+9 x 10,000 */
    assert_int_equal(json_integer_value(json_object_get(clv, "median_minor")), 45000);
    fx_free(f);
}

/* Scores written straight into the table: customer i is in segs[i], with monetary 100 (i + 1) and CLV
 * 1000 i; "custom" is a key the grid does not know. */
static const char *const segs[10] = {"champions",   "champions",   "champions",   "champions",
                                     "hibernating", "hibernating", "hibernating", "hibernating",
                                     "hibernating", "custom"};

static void put_scores(fixture *f)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "INSERT INTO customer_score (customer_id, rfm_segment, monetary_minor, "
                           "clv_minor, updated_at) SELECT id, ?2, ?3, ?4, 0 FROM customer "
                           "WHERE external_id = ?1",
                           -1, &st, NULL),
        SQLITE_OK);
    for (int i = 0; i < 10; i++) {
        char id[8];
        snprintf(id, sizeof id, "C%d", i);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, segs[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, 100 * (i + 1));
        sqlite3_bind_int64(st, 4, 1000 * i);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void check_segments(json_t *arr)
{
    static const char *const keys[] = {"hibernating", "champions", "custom"}; /* largest first */
    assert_int_equal(json_array_size(arr), 3);
    for (size_t k = 0; k < 3; k++) {
        json_t *o = json_array_get(arr, k);
        int64_t n = 0, revenue = 0, clv = 0;
        for (int i = 0; i < 10; i++)
            if (strcmp(segs[i], keys[k]) == 0) {
                n++;
                revenue += 100 * (i + 1);
                clv += 1000 * i;
            }
        assert_string_equal(json_string_value(json_object_get(o, "segment")), keys[k]);
        assert_int_equal(json_integer_value(json_object_get(o, "customers")), n);
        assert_int_equal(json_integer_value(json_object_get(o, "revenue_minor")), revenue);
        assert_int_equal(json_integer_value(json_object_get(o, "clv_minor")), clv);
        assert_int_equal(json_integer_value(json_object_get(o, "mean_clv_minor")), clv / n);
        assert_true(json_real_value(json_object_get(o, "share")) == (double)n / 10);
    }
    json_t *champ = json_array_get(arr, 1), *custom = json_array_get(arr, 2);
    assert_string_equal(json_string_value(json_object_get(champ, "name")), "Champions");
    assert_string_equal(json_string_value(json_object_get(champ, "name_tr")), "Şampiyonlar");
    assert_string_equal(json_string_value(json_object_get(custom, "name")), "custom"); /* unknown: its key */
}

static void segments(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    fill(f);
    assert_int_equal(fx_request(f, "GET", "/api/v1/segments/rfm", 1, NULL), 200);
    assert_int_equal(json_array_size(json_object_get(f->json, "segments")), 0); /* before any scores */
    put_scores(f);
    assert_int_equal(fx_request(f, "GET", "/api/v1/segments/rfm", 1, NULL), 200);
    check_segments(json_object_get(f->json, "segments"));
    assert_int_equal(fx_request(f, "GET", "/api/v1/dashboard", 1, NULL), 200);
    check_segments(json_object_get(f->json, "segments"));
    assert_true(json_is_null(json_object_get(f->json, "model_run"))); /* analyze has not run */
    fx_free(f);
}

/* The matrix as analyze stores it (a "cohorts" run): March 2025 had no first buyer. */
static const char stored[] =
    "{\"cohorts\": [{\"month\": \"2025-01\", \"size\": 6, \"active\": [6, 3, 0, 1], \"share\": [1, 0.5, 0, "
    "0.17]},"
    " {\"month\": \"2025-02\", \"size\": 3, \"active\": [3, 2, 1], \"share\": [1, 0.67, 0.33]},"
    " {\"month\": \"2025-03\", \"size\": 0, \"active\": [0, 0], \"share\": [0, 0]},"
    " {\"month\": \"2025-04\", \"size\": 2, \"active\": [2], \"share\": [1]}]}";

static void cohorts(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    bb_error err = {0};
    int64_t id;
    bb_model_run_rec r = {.model = "cohorts",
                          .params_json = stored,
                          .fit_json = "{}",
                          .as_of = T0 + 100 * DAY,
                          .customers = 11,
                          .started_at = T0 + 101 * DAY,
                          .finished_at = T0 + 101 * DAY,
                          .current = 1};
    assert_int_equal(bb_store_model_run_add(f->store, &r, &id, &err), 0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/cohorts", 2, NULL), 200);
    assert_string_equal(fx_str(f, "as_of"), "2025-04-11T00:00:00Z");
    assert_int_equal(fx_int(f, "run_id"), id);
    json_t *c = json_object_get(f->json, "cohorts");
    assert_int_equal(json_array_size(c), 3); /* March, with nobody, is no row */
    static const char *const months[] = {"2025-01", "2025-02", "2025-04"};
    static const int sizes[] = {6, 3, 2}, lens[] = {4, 3, 1}, second[] = {3, 2, -1};
    for (size_t i = 0; i < 3; i++) {
        json_t *row = json_array_get(c, i), *a = json_object_get(row, "active");
        assert_string_equal(json_string_value(json_object_get(row, "cohort")), months[i]);
        assert_int_equal(json_integer_value(json_object_get(row, "customers")), sizes[i]);
        assert_int_equal(json_array_size(a), lens[i]);
        assert_int_equal(json_integer_value(json_array_get(a, 0)), sizes[i]);
        if (second[i] >= 0)
            assert_int_equal(json_integer_value(json_array_get(a, 1)), second[i]);
    }
    assert_int_equal(fx_request(f, "GET", "/api/v1/cohorts?months=2", 2, NULL), 200);
    c = json_object_get(f->json, "cohorts");
    assert_int_equal(json_array_size(c), 2); /* the latest two with customers: February and April */
    assert_string_equal(json_string_value(json_object_get(json_array_get(c, 0), "cohort")), "2025-02");
    assert_int_equal(fx_request(f, "GET", "/api/v1/cohorts?months=0", 2, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "months");
    assert_int_equal(fx_request(f, "GET", "/api/v1/cohorts?month=2", 2, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "month");
    assert_int_equal(fx_request(f, "GET", "/api/v1/segments/rfm?segment=champions", 2, NULL), 422);
    assert_string_equal(fx_str(f, "error.where"), "segment");
    /* A run whose matrix cannot be read is the server's fault, said without details. */
    r.params_json = "{\"cohorts\": 5}";
    assert_int_equal(bb_store_model_run_add(f->store, &r, &id, &err), 0);
    assert_int_equal(fx_request(f, "GET", "/api/v1/cohorts", 2, NULL), 500);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles),
        cmocka_unit_test(dashboard_empty),
        cmocka_unit_test(dashboard_figures),
        cmocka_unit_test(dashboard_returns),
        cmocka_unit_test(clv_distribution),
        cmocka_unit_test(dashboard_clv_from_scores),
        cmocka_unit_test(cohorts),
        cmocka_unit_test(segments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
