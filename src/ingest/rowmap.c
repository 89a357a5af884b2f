/* rowmap.c: one row into one record (bb_import_mapper_row): trimming, required values, numbers,
 * money, dates and times in the locale, enumerations (direction, consent channel and status), email
 * and phone checks, custom attributes as a JSON object. Pure: no I/O, no store. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "birebir/datetime.h"
#include "birebir/money.h"
#include "birebir/num.h"
#include "ingest/mapper_impl.h"

#define MAX_ID 256 /* bytes of an identifier (customer_id, order_id, sku) */

typedef struct row {
    bb_import_mapper *m;
    const char *const *f;
    bb_error *err;
} row;

/* The trimmed value of canonical column c, or NULL when the column is absent or the value empty.
 * Trimmed copies live in m->scratch (sized for the row beforehand). */
static const char *val_at(row *r, int hcol)
{
    const char *s, *e;
    char *out;
    if (hcol < 0)
        return NULL;
    s = r->f[hcol];
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (e == s)
        return NULL;
    if (*e == '\0')
        return s; /* nothing to cut at the end: the field itself */
    out = r->m->scratch + r->m->scratch_len;
    memcpy(out, s, (size_t)(e - s));
    out[e - s] = '\0';
    r->m->scratch_len += (size_t)(e - s) + 1;
    return out;
}

static const char *val(row *r, int c)
{
    return val_at(r, r->m->col[c]);
}

/* Prefixes the message in r->err with the column's label; returns BB_EINVAL. */
static int bad(row *r, int c)
{
    bb_error_prefix(r->err, "%s", r->m->label[c]);
    return BB_EINVAL;
}

static int bad_msg(row *r, int c, const char *fmt, const char *v)
{
    bb_error_set(r->err, BB_EINVAL, fmt, v);
    return bad(r, c);
}

static int need(row *r, int c, const char **out)
{
    *out = val(r, c);
    if (*out)
        return 0;
    bb_error_set(r->err, BB_EINVAL, "is empty (required)");
    return bad(r, c);
}

static int need_id(row *r, int c, const char **out)
{
    int rc = need(r, c, out);
    if (rc == 0 && strlen(*out) > MAX_ID)
        return bad_msg(r, c, "is longer than %s bytes", "256");
    return rc;
}

static int time_of(row *r, int c, int required, int64_t *out)
{
    const bb_import_mapper *m = r->m;
    const char *v = val(r, c);
    int rc;
    *out = 0;
    if (!v)
        return required ? need(r, c, &v) : 0;
    rc = m->o.date_format ? bb_time_parse_fmt(v, m->o.date_format, m->o.utc_offset, out, r->err)
                          : bb_time_parse(v, m->o.locale, m->o.utc_offset, out, r->err);
    return rc ? bad(r, c) : 0;
}

static int currency_of(row *r, int c, char out[4])
{
    const char *v = val(r, c);
    if (!v) {
        memcpy(out, r->m->currency, 4);
        return 0;
    }
    return bb_money_code_parse(v, out, r->err) ? bad(r, c) : 0;
}

static int money_of(row *r, int c, const char *cur, int required, int64_t *out, int *has)
{
    const char *v = val(r, c);
    *out = 0;
    if (has)
        *has = v != NULL;
    if (!v)
        return required ? need(r, c, &v) : 0;
    return bb_money_parse(v, r->m->o.locale, cur, out, r->err) ? bad(r, c) : 0;
}

/* Finds v (case-insensitive) among the synonyms; returns the canonical word or NULL. */
static const char *one_of(const char *v, const char *const (*table)[2])
{
    for (size_t i = 0; table[i][0]; i++)
        if (strcasecmp(v, table[i][0]) == 0)
            return table[i][1];
    return NULL;
}

static const char *const directions[][2] = {
    {"in", "in"}, {"inbound", "in"}, {"incoming", "in"}, {"gelen", "in"},
    {"out", "out"}, {"outbound", "out"}, {"outgoing", "out"}, {"giden", "out"}, {NULL, NULL}};
/* consent channels, with the words İYS (Turkey's consent registry) uses */
static const char *const consent_channels[][2] = {
    {"email", "email"}, {"e-mail", "email"}, {"eposta", "email"}, {"e-posta", "email"},
    {"sms", "sms"}, {"mesaj", "sms"}, {"call", "call"}, {"arama", "call"}, {"phone", "call"},
    {"push", "push"}, {"whatsapp", "whatsapp"}, {NULL, NULL}};
static const char *const consent_status[][2] = {
    {"granted", "granted"}, {"onay", "granted"}, {"yes", "granted"}, {"true", "granted"},
    {"1", "granted"}, {"opt-in", "granted"}, {"evet", "granted"},
    {"revoked", "revoked"}, {"ret", "revoked"}, {"no", "revoked"}, {"false", "revoked"},
    {"0", "revoked"}, {"opt-out", "revoked"}, {"hayır", "revoked"}, {NULL, NULL}};

static int enum_of(row *r, int c, const char *const (*table)[2], const char *expected, const char **out)
{
    const char *v;
    int rc = need(r, c, &v);
    if (rc)
        return rc;
    *out = one_of(v, table);
    if (*out)
        return 0;
    bb_error_set(r->err, BB_EINVAL, "\"%s\" is not one of %s", v, expected);
    return bad(r, c);
}

static int email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' ||
        s[strlen(s) - 1] == '.')
        return 0;
    for (const char *p = s; *p; p++)
        if (*p == ' ' || *p == ',' || *p == ';' || *p == '<' || *p == '>')
            return 0;
    return 1;
}

static int phone_ok(const char *s)
{
    int digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" +-().", *p) || (*p == '+' && p != s))
            return 0;
    }
    return digits >= 7 && digits <= 15;
}

/* Appends s to b as a JSON string. */
static int json_str(bb_buf *b, const char *s)
{
    int rc = bb_buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
        if (*p == '"' || *p == '\\')
            rc = bb_buf_addc(b, '\\') || bb_buf_addc(b, (char)*p);
        else if (*p < 0x20)
            rc = bb_buf_addf(b, "\\u%04x", *p);
        else
            rc = bb_buf_addc(b, (char)*p);
    }
    return rc ? rc : bb_buf_addc(b, '"');
}

static int customer(row *r, bb_customer_rec *c)
{
    bb_import_mapper *m = r->m;
    const char *v;
    size_t ni = 0;
    int rc;
    if ((rc = need_id(r, C_ID, &c->customer_id)) != 0)
        return rc;
    c->id_kind = m->o.id_kind;
    c->first_name = val(r, C_FIRST);
    c->last_name = val(r, C_LAST);
    c->email = val(r, C_EMAIL);
    if (c->email && !email_ok(c->email))
        return bad_msg(r, C_EMAIL, "\"%s\" is not an email address", c->email);
    c->phone = val(r, C_PHONE);
    if (c->phone && !phone_ok(c->phone))
        return bad_msg(r, C_PHONE, "\"%s\" is not a phone number (7 to 15 digits; + ( ) - . and spaces allowed)",
                       c->phone);
    c->city = val(r, C_CITY);
    if ((v = val(r, C_BIRTH)) != NULL) {
        int64_t days, t;
        if (m->o.date_format) {
            if (bb_time_parse_fmt(v, m->o.date_format, 0, &t, r->err) != 0)
                return bad(r, C_BIRTH);
            days = t / BB_SECONDS_PER_DAY - (t % BB_SECONDS_PER_DAY < 0);
        } else if (bb_date_parse(v, m->o.locale, &days, r->err) != 0) {
            return bad(r, C_BIRTH);
        }
        c->birth_date = bb_date_format_iso(days, m->birth, sizeof m->birth);
    }
    c->gender = val(r, C_GENDER);
    if ((rc = time_of(r, C_CREATED, 0, &c->created_at)) != 0)
        return rc;
    bb_buf_reset(&m->attrs);
    for (size_t i = 0; i < m->n_attrs; i++) {
        const char *a = val_at(r, m->attr_col[i]);
        if (!a)
            continue;
        if (bb_buf_addc(&m->attrs, m->attrs.len ? ',' : '{') || json_str(&m->attrs, m->attr_name[i]) ||
            bb_buf_addc(&m->attrs, ':') || json_str(&m->attrs, a))
            return bb_error_set(r->err, BB_ENOMEM, "out of memory");
    }
    if (m->attrs.len && bb_buf_addc(&m->attrs, '}'))
        return bb_error_set(r->err, BB_ENOMEM, "out of memory");
    c->attributes_json = m->attrs.len ? m->attrs.data : NULL;
    for (size_t i = 0; i < m->n_idents; i++) {
        const char *id = val_at(r, m->ident_col[i]);
        if (!id)
            continue;
        m->idents[ni].kind = m->ident_kind[i];
        m->idents[ni++].value = id;
    }
    c->idents = ni ? m->idents : NULL;
    c->n_idents = ni;
    return 0;
}

static int product(row *r, bb_product_rec *p)
{
    int rc;
    if ((rc = need_id(r, P_SKU, &p->sku)) != 0 || (rc = currency_of(r, P_CURRENCY, p->currency)) != 0)
        return rc;
    p->name = val(r, P_NAME);
    p->category = val(r, P_CATEGORY);
    if ((rc = money_of(r, P_PRICE, p->currency, 0, &p->price_minor, &p->has_price)) != 0)
        return rc;
    return money_of(r, P_COST, p->currency, 0, &p->cost_minor, &p->has_cost);
}

static int order(row *r, bb_order_rec *o)
{
    int rc;
    if ((rc = need_id(r, O_ID, &o->order_id)) != 0 || (rc = need_id(r, O_CUST, &o->customer_ref)) != 0 ||
        (rc = time_of(r, O_AT, 1, &o->ordered_at)) != 0 ||
        (rc = currency_of(r, O_CURRENCY, o->currency)) != 0)
        return rc;
    o->id_kind = r->m->o.id_kind;
    o->channel = val(r, O_CHANNEL);
    return money_of(r, O_AMOUNT, o->currency, 0, &o->amount_minor, &o->has_amount);
}

static int order_line(row *r, bb_import_rec *rec)
{
    bb_order_line_rec *l = &rec->u.line;
    const char *v;
    int rc;
    if ((rc = need_id(r, L_ORDER, &l->order_id)) != 0 || (rc = need_id(r, L_CUST, &l->customer_ref)) != 0 ||
        (rc = time_of(r, L_AT, 1, &l->ordered_at)) != 0 || (rc = need_id(r, L_SKU, &l->sku)) != 0 ||
        (rc = currency_of(r, L_CURRENCY, l->currency)) != 0 ||
        (rc = need(r, L_QTY, &v)) != 0)
        return rc;
    l->id_kind = r->m->o.id_kind;
    if (bb_num_parse_double(v, r->m->o.locale, &l->quantity, r->err) != 0)
        return bad(r, L_QTY);
    if ((rc = money_of(r, L_PRICE, l->currency, 1, &l->unit_price_minor, NULL)) != 0)
        return rc;
    if ((v = val(r, L_LINE_NO)) != NULL) {
        int64_t n;
        if (bb_num_parse_int(v, r->m->o.locale, &n, r->err) != 0)
            return bad(r, L_LINE_NO);
        if (n < 1 || n > 1000000)
            return bad_msg(r, L_LINE_NO, "\"%s\" is not a line number (1 or more)", v);
        l->line_no = (int)n;
        rec->has_line_no = 1;
    }
    return 0;
}

static int interaction(row *r, bb_interaction_rec *x)
{
    int rc;
    if ((rc = need_id(r, I_CUST, &x->customer_ref)) != 0 || (rc = time_of(r, I_AT, 1, &x->occurred_at)) != 0 ||
        (rc = need(r, I_CHANNEL, &x->channel)) != 0 ||
        (rc = enum_of(r, I_DIR, directions, "in, out", &x->direction)) != 0)
        return rc;
    x->id_kind = r->m->o.id_kind;
    x->kind = val(r, I_KIND);
    if (!x->kind)
        x->kind = "message";
    x->subject = val(r, I_SUBJECT);
    x->body = val(r, I_BODY);
    return 0;
}

static int consent(row *r, bb_consent_rec *k)
{
    int rc;
    if ((rc = need_id(r, K_CUST, &k->customer_ref)) != 0 ||
        (rc = enum_of(r, K_CHANNEL, consent_channels, "email, sms, call, push, whatsapp", &k->channel)) != 0 ||
        (rc = enum_of(r, K_STATUS, consent_status, "granted, revoked", &k->status)) != 0 ||
        (rc = time_of(r, K_AT, 1, &k->recorded_at)) != 0)
        return rc;
    k->id_kind = r->m->o.id_kind;
    k->source = val(r, K_SOURCE);
    if (!k->source)
        k->source = "import";
    return 0;
}

static int survey(row *r, bb_survey_rec *s)
{
    const char *v;
    int64_t score;
    int rc;
    if ((rc = need_id(r, S_CUST, &s->customer_ref)) != 0 || (rc = need(r, S_SURVEY, &s->survey)) != 0 ||
        (rc = need(r, S_SCORE, &v)) != 0)
        return rc;
    if (bb_num_parse_int(v, r->m->o.locale, &score, r->err) != 0)
        return bad(r, S_SCORE);
    if (strcasecmp(s->survey, "nps") == 0 ? score < 0 || score > 10 : score < -1000000 || score > 1000000)
        return bad_msg(r, S_SCORE, strcasecmp(s->survey, "nps") == 0 ? "\"%s\" is not an NPS score (0 to 10)"
                                                                    : "\"%s\" is out of range", v);
    s->score = (int)score;
    s->id_kind = r->m->o.id_kind;
    s->comment = val(r, S_COMMENT);
    return time_of(r, S_AT, 1, &s->responded_at);
}

int bb_import_mapper_row(bb_import_mapper *m, const char *const *fields, size_t n, bb_import_rec *rec,
                         bb_error *err)
{
    row r = {m, fields, err};
    size_t total = 0;
    if (n != m->width)
        return bb_error_set(err, BB_EINVAL, "expected %zu fields as in the header, found %zu", m->width, n);
    for (size_t i = 0; i < n; i++)
        total += strlen(fields[i]) + 1;
    if (total > m->scratch_cap) {
        char *s = realloc(m->scratch, total);
        if (!s)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        m->scratch = s;
        m->scratch_cap = total;
    }
    m->scratch_len = 0;
    memset(rec, 0, sizeof *rec);
    rec->kind = m->o.kind;
    switch (m->o.kind) {
    case BB_IMPORT_CUSTOMERS: return customer(&r, &rec->u.customer);
    case BB_IMPORT_PRODUCTS: return product(&r, &rec->u.product);
    case BB_IMPORT_ORDERS: return order(&r, &rec->u.order);
    case BB_IMPORT_ORDER_LINES: return order_line(&r, rec);
    case BB_IMPORT_INTERACTIONS: return interaction(&r, &rec->u.interaction);
    case BB_IMPORT_CONSENTS: return consent(&r, &rec->u.consent);
    case BB_IMPORT_SURVEYS: return survey(&r, &rec->u.survey);
    default: return bb_error_set(err, BB_EINTERNAL, "unknown kind");
    }
}
