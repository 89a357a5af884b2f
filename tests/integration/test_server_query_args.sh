#!/bin/bash
# The read routes' query arguments and docs/openapi.yaml agree: for each GET route with query parameters
# in the spec (and /segments/rfm, which has none), an argument the spec does not name is answered 422 with
# where = that argument and "accepted" = exactly the spec's parameters; each of the spec's parameters is
# accepted as one (a bad value of it may be refused, but never as an unknown argument); one given twice
# is a 422 too. A NUL byte in an argument (%00, which C text would cut short) and more than 32 arguments
# are 422s on every route, never read as something else.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/server_lib.sh"
spec=${BB_SOURCE_DIR:?}/docs/openapi.yaml
python3 -c 'import yaml' 2>/dev/null || skip "python3 yaml is needed"
"$BB" --db "$DB" init >/dev/null || fail "init exited $?"
admin=$(tok admin)
srv_start --rate-limit 0
python3 - "$spec" "$U" "$admin" <<'PY' || fail "the routes' query arguments and the spec differ"
import json, sys, urllib.error, urllib.parse, urllib.request, yaml
spec, base, token = yaml.safe_load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def get(path, args):
    req = urllib.request.Request(base.rsplit("/api/v1", 1)[0] + path + "?" + urllib.parse.urlencode(args),
                                 headers={"Authorization": "Bearer " + token})
    try:
        with opener.open(req) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)

checked = 0
for path, ops in spec["paths"].items():
    op = ops.get("get")
    if not op or "{" in path:
        continue
    params = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
    if not params and path != "/api/v1/segments/rfm":
        continue
    code, body = get(path, {"zz_not_one": "1"})
    err = body.get("error", {}) if isinstance(body, dict) else {}
    if code != 422 or err.get("where") != "zz_not_one":
        sys.exit(f"GET {path}?zz_not_one=1: {code} {body}")
    if sorted(err.get("accepted", [])) != sorted(params):
        sys.exit(f"GET {path}: the server accepts {err.get('accepted')}, the spec names {params}")
    for p in params:
        code, body = get(path, {p: "1"})
        if code == 422 and "not a query parameter" in body["error"]["message"]:
            sys.exit(f"GET {path}?{p}=1: refused as unknown")
    if params:
        code, body = get(path, [(params[0], "1"), (params[0], "2")])
        if code != 422 or body["error"]["where"] != params[0]:
            sys.exit(f"GET {path} with {params[0]} twice: {code} {body}")
    checked += 1
if checked < 6:
    sys.exit(f"only {checked} routes checked")

def raw(query):
    req = urllib.request.Request(base + "/customers?" + query, headers={"Authorization": "Bearer " + token})
    try:
        with opener.open(req) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)

for query, where in (("q=%00abc", "q"), ("q=ab%00c", "q"), ("q%00x=abc", "q"), ("limit=5&q=x%00", "q")):
    code, body = raw(query)
    if code != 422 or body["error"]["where"] != where or "NUL" not in body["error"]["message"]:
        sys.exit(f"GET /customers?{query}: {code} {body}")
code, body = raw("&".join(f"a{i}=1" for i in range(33)))
if code != 422 or "more than 32" not in body["error"]["message"]:
    sys.exit(f"33 arguments: {code} {body}")
code, body = raw("q=abc")
if code != 200:
    sys.exit(f"GET /customers?q=abc: {code} {body}")
PY
srv_stop
pass
