/* test_api_reply.c: the one error shape, the status each error code means, internal errors answered
 * without their details (which go to the log), query integers, and request bodies that are not JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_impl.h"

static json_t *body_of(const bb_http_reply *r)
{
    json_t *v = json_loadb(r->body, r->len, 0, NULL);
    assert_non_null(v);
    return v;
}

static void statuses(void **state)
{
    (void)state;
    assert_int_equal(bb__status_of(0), 200);
    assert_int_equal(bb__status_of(BB_EINVAL), 422);
    assert_int_equal(bb__status_of(BB_EUSAGE), 400);
    assert_int_equal(bb__status_of(BB_ENOTFOUND), 404);
    assert_int_equal(bb__status_of(BB_ECONFLICT), 409);
    assert_int_equal(bb__status_of(BB_ELIMIT), 413);
    assert_int_equal(bb__status_of(BB_EPERM), 403);
    assert_int_equal(bb__status_of(BB_EAUTH), 401);
    assert_int_equal(bb__status_of(BB_EDB), 500);
    assert_int_equal(bb__status_of(BB_ENOMEM), 500);
    assert_string_equal(bb__error_code_of(400), "malformed");
    assert_string_equal(bb__error_code_of(422), "invalid");
    assert_string_equal(bb__error_code_of(429), "rate_limited");
    assert_string_equal(bb__error_code_of(500), "internal");
}

static void error_shape(void **state)
{
    (void)state;
    bb_http_reply r = {0};
    json_t *v, *e;
    bb__reply_error(&r, 422, "invalid", NULL, "amount %s", "is wrong");
    assert_int_equal(r.status, 422);
    assert_string_equal(r.content_type, "application/json");
    v = body_of(&r);
    e = json_object_get(v, "error");
    assert_int_equal(json_object_size(v), 1);
    assert_int_equal(json_object_size(e), 3);
    assert_string_equal(json_string_value(json_object_get(e, "code")), "invalid");
    assert_string_equal(json_string_value(json_object_get(e, "message")), "amount is wrong");
    assert_string_equal(json_string_value(json_object_get(e, "where")), ""); /* always there */
    json_decref(v);
    bb__reply_header(&r, "Retry-After", "%d", 7);
    assert_string_equal(r.headers[0].value, "7");
    bb__reply_release(&r);
}

/* Text that is not UTF-8 (a percent-decoded path may hold any byte) still makes valid JSON: each
 * offending byte becomes U+FFFD; valid Turkish text is kept as it is. */
static void error_text_not_utf8(void **state)
{
    (void)state;
    bb_http_reply r = {0};
    json_t *v, *e;
    /* 0xFF never starts a sequence; C3 alone is cut short; E0 80 80 is overlong; ED A0 80 a surrogate. */
    bb__reply_error(&r, 404, "not_found", "/api/v1/x\xFFy\xC3", "no \xC3\xA7i\xC4\x9F \xE0\x80\x80|\xED\xA0\x80");
    assert_int_equal(r.status, 404);
    v = body_of(&r);
    e = json_object_get(v, "error");
    assert_string_equal(json_string_value(json_object_get(e, "where")), "/api/v1/x\xEF\xBF\xBDy\xEF\xBF\xBD");
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "no \xC3\xA7i\xC4\x9F \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    json_decref(v);
    /* Four-byte sequences: U+1F600 is kept, F4 90 80 80 (past U+10FFFF) is not. */
    bb__reply_error(&r, 404, "not_found", "\xF0\x9F\x98\x80\xF4\x90\x80\x80", "\"quoted\"\n");
    v = body_of(&r);
    e = json_object_get(v, "error");
    assert_string_equal(json_string_value(json_object_get(e, "where")),
                        "\xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(json_string_value(json_object_get(e, "message")), "\"quoted\"\n");
    json_decref(v);
    bb__reply_release(&r);
}

/* The per-thread time text: right for each second asked, not stuck on the first. */
static void time_text(void **state)
{
    (void)state;
    assert_string_equal(bb__time_text(1700000000), "2023-11-14T22:13:20Z"); /* date -u -d @1700000000 */
    assert_string_equal(bb__time_text(1700000000), "2023-11-14T22:13:20Z");
    assert_string_equal(bb__time_text(1700000001), "2023-11-14T22:13:21Z");
    assert_string_equal(bb__time_text(0), "1970-01-01T00:00:00Z");
}

static void from_error(void **state)
{
    (void)state;
    bb_http_reply r = {0};
    bb_error err = {0};
    char *logged = NULL;
    size_t n = 0;
    FILE *log = open_memstream(&logged, &n);
    json_t *v;
    bb_error_setw(&err, BB_ECONFLICT, "$.order_id", "order A1 belongs to another customer");
    bb__reply_from_error(&r, &err, log);
    assert_int_equal(r.status, 409);
    v = body_of(&r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "error"), "where")), "$.order_id");
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "error"), "code")), "conflict");
    json_decref(v);
    bb_error_set(&err, BB_EDB, "disk I/O error in /secret/path.db");
    bb__reply_from_error(&r, &err, log);
    assert_int_equal(r.status, 500);
    assert_null(strstr(r.body, "/secret/path.db")); /* details stay in the log */
    fclose(log);
    assert_non_null(strstr(logged, "/secret/path.db"));
    free(logged);
    bb__reply_release(&r);
}

static void query_integers(void **state)
{
    (void)state;
    bb_http_request req;
    bb_http_reply r = {0};
    int64_t v;
    bb__request_init(&req, 0);
    req.args[0].key = bb_strdup("limit");
    req.args[0].value = bb_strdup("25");
    req.args[1].key = bb_strdup("cursor");
    req.args[1].value = bb_strdup("12x");
    req.n_args = 2;
    assert_int_equal(bb__arg_int(&req, &r, "limit", 100, 1, 1000, &v), 0);
    assert_int_equal(v, 25);
    assert_int_equal(bb__arg_int(&req, &r, "absent", 100, 1, 1000, &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(bb__arg_int(&req, &r, "limit", 100, 30, 1000, &v), -1);
    assert_int_equal(r.status, 422);
    assert_int_equal(bb__arg_int(&req, &r, "cursor", 0, 0, 1000, &v), -1);
    assert_non_null(strstr(r.body, "\"where\":\"cursor\""));
    assert_string_equal(bb__request_arg(&req, "limit"), "25");
    assert_null(bb__request_arg(&req, "nope"));
    bb__reply_release(&r);
    bb__request_release(&req);
}

static void bodies(void **state)
{
    (void)state;
    bb_http_request req;
    bb_http_reply r = {0};
    json_t *o;
    bb__request_init(&req, 0);
    assert_int_equal(bb_buf_adds(&req.body, "{\"a\": 1, "), 0);
    assert_null(bb__body_object(&req, &r));
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "\"code\":\"malformed\""));
    assert_non_null(strstr(r.body, "\"where\":\"byte 9\""));
    bb_buf_reset(&req.body);
    assert_int_equal(bb_buf_adds(&req.body, "[1]"), 0);
    assert_null(bb__body_object(&req, &r));
    assert_int_equal(r.status, 422);
    bb_buf_reset(&req.body);
    assert_int_equal(bb_buf_adds(&req.body, "{\"a\": 1, \"a\": 2}"), 0); /* duplicate keys are refused */
    assert_null(bb__body_object(&req, &r));
    assert_int_equal(r.status, 400);
    bb_buf_reset(&req.body);
    assert_int_equal(bb_buf_adds(&req.body, "{\"a\": \"x\\u0000y\"}"), 0);
    assert_non_null(o = bb__body_object(&req, &r)); /* NUL is checked per field, with its path */
    json_decref(o);
    bb__reply_release(&r);
    bb__request_release(&req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statuses),       cmocka_unit_test(error_shape), cmocka_unit_test(error_text_not_utf8),
        cmocka_unit_test(time_text),
        cmocka_unit_test(from_error),
        cmocka_unit_test(query_integers), cmocka_unit_test(bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
