/* api_static.c: the web UI, embedded in the binary at build time (cmake/embed.cmake makes
 * bb__web_assets from web/): "/" is index.html; each file goes out with its content type, an ETag and
 * caching headers (HTML is revalidated every time, other files are kept a few minutes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/hash.h"
#include "api/api_impl.h"

/* The generated table (web_assets.c); the same shape as cmake/embed.cmake writes. */
typedef struct bb__embedded {
    const char *name;
    const unsigned char *data;
    size_t len;
} bb__embedded;
extern const bb__embedded bb__web_assets[];

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},      {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},  {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},              {".svg", "image/svg+xml"},
    {".png", "image/png"},                      {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},                   {".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

int bb__static_etags(char (**out)[24], bb_error *err)
{
    size_t n = 0;
    unsigned char hash[BB_STORE_HASH_LEN];
    while (bb__web_assets[n].name)
        n++;
    if (!(*out = calloc(n + 1, sizeof **out)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        bb_sha256_digest(bb__web_assets[i].data, bb__web_assets[i].len, hash);
        snprintf((*out)[i], sizeof **out, "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", hash[0], hash[1], hash[2], hash[3],
                 hash[4], hash[5], hash[6], hash[7]);
    }
    return 0;
}

int bb__static_serve(const bb__api *api, const bb_http_request *req, bb_http_reply *reply)
{
    const char *name = strcmp(req->path, "/") == 0 ? "index.html" : req->path + 1;
    const bb__embedded *a = bb__web_assets;
    const char *etag;
    int html;
    while (a->name && strcmp(a->name, name) != 0)
        a++;
    if (!a->name)
        return 0;
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        bb__reply_error(reply, 405, "method_not_allowed", req->path, "%s is not allowed here; use GET",
                        req->method);
        bb__reply_header(reply, "Allow", "GET, HEAD");
        return 1;
    }
    etag = api->etags[a - bb__web_assets];
    html = strcmp(type_of(a->name), "text/html; charset=utf-8") == 0;
    bb__reply_header(reply, "ETag", "%s", etag);
    bb__reply_header(reply, "Cache-Control", "%s", html ? "no-cache" : "public, max-age=300");
    if (html) {
        bb__reply_header(reply, "Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                         "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        bb__reply_header(reply, "X-Frame-Options", "DENY");
    }
    reply->content_type = type_of(a->name);
    reply->body_static = 1;
    if (req->if_none_match && strstr(req->if_none_match, etag)) {
        reply->status = 304;
        reply->body = NULL;
        reply->len = 0;
        return 1;
    }
    reply->status = 200;
    reply->body = (char *)a->data;
    reply->len = a->len;
    return 1;
}
