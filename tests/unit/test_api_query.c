/* test_api_query.c: the query-string checks of the read routes: unknown and repeated arguments, and an
 * argument holding a value outside its fixed set, each answered 422 with where and what is accepted. */
#include "api_fixture.h"

static void request(bb_http_request *req, const char *const *kv)
{
    bb__request_init(req, 0);
    for (size_t i = 0; kv[i]; i += 2) {
        req->args[req->n_args].key = bb_strdup(kv[i]);
        req->args[req->n_args++].value = bb_strdup(kv[i + 1]);
    }
}

/* The reply's error object. */
static json_t *error_of(bb_http_reply *reply, json_t **doc)
{
    *doc = json_loadb(reply->body, reply->len, 0, NULL);
    assert_non_null(*doc);
    return json_object_get(*doc, "error");
}

static void known_arguments(void **state)
{
    (void)state;
    static const char *const known[] = {"q", "limit", NULL};
    static const char *const ok[] = {"limit", "5", "q", "ali", NULL}, *const typo[] = {"q", "x", "lmit", "5", NULL},
                             *const twice[] = {"q", "a", "q", "b", NULL}, *const none[] = {NULL};
    bb_http_request req;
    bb_http_reply reply = {0};
    json_t *doc, *e;
    request(&req, ok);
    assert_int_equal(bb__args_check(&req, &reply, known), 0);
    assert_int_equal(reply.status, 0);
    bb__request_release(&req);
    request(&req, none);
    assert_int_equal(bb__args_check(&req, &reply, known), 0);
    bb__request_release(&req);

    request(&req, typo);
    assert_int_equal(bb__args_check(&req, &reply, known), -1);
    assert_int_equal(reply.status, 422);
    e = error_of(&reply, &doc);
    assert_string_equal(json_string_value(json_object_get(e, "code")), "invalid");
    assert_string_equal(json_string_value(json_object_get(e, "where")), "lmit");
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "\"lmit\""));
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "q, limit"));
    assert_int_equal(json_array_size(json_object_get(e, "accepted")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(e, "accepted"), 1)), "limit");
    json_decref(doc);
    bb__reply_release(&reply);
    bb__request_release(&req);

    request(&req, twice);
    assert_int_equal(bb__args_check(&req, &reply, known), -1);
    assert_int_equal(reply.status, 422);
    e = error_of(&reply, &doc);
    assert_string_equal(json_string_value(json_object_get(e, "where")), "q");
    json_decref(doc);
    bb__reply_release(&reply);
    bb__request_release(&req);
}

/* Bytes that are not UTF-8, in a value or a name: a 422 naming it, never a 500 for the answer that cannot
 * be written. */
static void not_utf8(void **state)
{
    (void)state;
    static const char *const known[] = {"segment", NULL}, *const segs[] = {"new", NULL};
    static const char *const value[] = {"segment", "\xff\xfe", NULL}, *const name[] = {"seg\xc3", "new", NULL};
    bb_http_request req;
    bb_http_reply reply = {0};
    const char *v;
    json_t *doc, *e;
    request(&req, value);
    assert_int_equal(bb__args_check(&req, &reply, known), -1);
    assert_int_equal(reply.status, 422);
    e = error_of(&reply, &doc);
    assert_string_equal(json_string_value(json_object_get(e, "where")), "segment");
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "UTF-8"));
    json_decref(doc);
    bb__reply_release(&reply);
    /* the choice alone, given such a value, still answers in JSON */
    assert_int_equal(bb__arg_choice(&req, &reply, "segment", segs, &v), -1);
    assert_int_equal(reply.status, 422);
    e = error_of(&reply, &doc);
    assert_string_equal(json_string_value(json_object_get(e, "where")), "segment");
    json_decref(doc);
    bb__reply_release(&reply);
    bb__request_release(&req);
    request(&req, name);
    assert_int_equal(bb__args_check(&req, &reply, known), -1);
    assert_int_equal(reply.status, 422);
    e = error_of(&reply, &doc);
    assert_string_equal(json_string_value(json_object_get(e, "where")), "query");
    json_decref(doc);
    bb__reply_release(&reply);
    bb__request_release(&req);
}

static void choices(void **state)
{
    (void)state;
    static const char *const sorts[] = {"name", "clv", NULL};
    static const char *const good[] = {"sort", "clv", NULL}, *const empty[] = {"sort", "", NULL},
                             *const bad[] = {"sort", "CLV", NULL}, *const none[] = {NULL};
    bb_http_request req;
    bb_http_reply reply = {0};
    const char *v = "unset";
    json_t *doc, *e;
    request(&req, good);
    assert_int_equal(bb__arg_choice(&req, &reply, "sort", sorts, &v), 0);
    assert_string_equal(v, "clv");
    bb__request_release(&req);
    request(&req, empty); /* empty is absent */
    assert_int_equal(bb__arg_choice(&req, &reply, "sort", sorts, &v), 0);
    assert_null(v);
    bb__request_release(&req);
    request(&req, none);
    assert_int_equal(bb__arg_choice(&req, &reply, "sort", sorts, &v), 0);
    assert_null(v);
    assert_int_equal(reply.status, 0);
    bb__request_release(&req);
    request(&req, bad); /* values are exact */
    assert_int_equal(bb__arg_choice(&req, &reply, "sort", sorts, &v), -1);
    assert_int_equal(reply.status, 422);
    e = error_of(&reply, &doc);
    assert_string_equal(json_string_value(json_object_get(e, "where")), "sort");
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "sort \"CLV\" is not known (accepted: name, clv)");
    assert_int_equal(json_array_size(json_object_get(e, "accepted")), 2);
    json_decref(doc);
    bb__reply_release(&reply);
    bb__request_release(&req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_arguments),
        cmocka_unit_test(choices),
        cmocka_unit_test(not_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
