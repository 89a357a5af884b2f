/* test_api_static.c: the embedded web UI: "/" is index.html with its content type, an ETag, no-cache
 * and a Content-Security-Policy; If-None-Match gives 304; other methods 405; unknown files 404 JSON. */
#include "api_fixture.h"

static void index_page(void **state)
{
    (void)state;
    fixture *f = fx_new(0);
    char etag[96];
    assert_int_equal(fx_request(f, "GET", "/", -1, NULL), 200);
    assert_string_equal(f->reply.content_type, "text/html; charset=utf-8");
    assert_non_null(strstr(f->reply.body, "<html"));
    assert_string_equal(fx_header(f, "Cache-Control"), "no-cache");
    assert_non_null(strstr(fx_header(f, "Content-Security-Policy"), "default-src 'self'"));
    snprintf(etag, sizeof etag, "If-None-Match: %s", fx_header(f, "ETag"));
    assert_int_equal(strlen(etag), strlen("If-None-Match: ") + 18);
    assert_int_equal(fx_request(f, "GET", "/index.html", -1, NULL), 200);
    const char *const inm[] = {etag, NULL};
    assert_int_equal(fx_request_h(f, "GET", "/", NULL, NULL, inm), 304);
    assert_int_equal(f->reply.len, 0);
    const char *const other[] = {"If-None-Match: \"0000\"", NULL};
    assert_int_equal(fx_request_h(f, "GET", "/", NULL, NULL, other), 200);
    assert_int_equal(fx_request(f, "POST", "/", -1, "x"), 405);
    assert_string_equal(fx_header(f, "Allow"), "GET, HEAD");
    assert_int_equal(fx_request(f, "GET", "/../CMakeLists.txt", -1, NULL), 404);
    assert_string_equal(fx_str(f, "error.code"), "not_found");
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(index_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
