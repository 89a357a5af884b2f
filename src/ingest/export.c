/* export.c: every row of a kind as CSV or JSON in the canonical columns (export.h), from the store's
 * export iterators. Customers take two passes in CSV: the first finds the attribute names and
 * identifier kinds that make the header. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "birebir/datetime.h"
#include "birebir/export.h"
#include "birebir/money.h"
#include "birebir/strmap.h"
#include "ingest/json_text.h"

#define MAX_COLS 12 /* canonical columns of the widest kind */

typedef struct ex {
    FILE *out;
    bb_export_format fmt;
    bb_import_kind kind;
    const char *const *cols;
    size_t ncols;
    const char *val[MAX_COLS]; /* this row's values, NULL when absent */
    int num[MAX_COLS];         /* 1: a JSON number */
    char text[MAX_COLS][48];   /* formatted numbers and times */
    bb_buf line;               /* the JSON object being written */
    int pairs;                 /* keys written into it so far */
    int64_t rows;
    int pass; /* customers in CSV: 1 collects the header, 2 writes */
    bb_error *err;
    /* customers: attribute names and identifier kinds, each with its column after the canonical ones */
    bb_strmap attr_ix, kind_ix;
    char **attrs, **kinds;
    size_t n_attrs, n_kinds;
    const char **extra; /* values of those columns for this row */
    const char **rowv;  /* the whole row, canonical then extra */
    const char *json_attrs;
    const bb_ident *idents;
    size_t n_idents;
} ex;

int bb_export_format_parse(const char *s, bb_export_format *out, bb_error *err)
{
    if (strcmp(s, "csv") == 0)
        *out = BB_EXPORT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = BB_EXPORT_JSON;
    else
        return bb_error_set(err, BB_EUSAGE, "unknown format \"%s\" (csv or json)", s);
    return 0;
}

/* ---- values ---- */

static const char *time_text(ex *x, int c, int64_t t)
{
    return t ? bb_time_format_iso(t, x->text[c], sizeof x->text[c]) : NULL;
}

static const char *money_text(ex *x, int c, int64_t minor, const char *currency)
{
    int d = bb_money_digits(currency);
    bb_money_format_plain(minor, d < 0 ? 2 : d, x->text[c], sizeof x->text[c]);
    x->num[c] = 1;
    return x->text[c];
}

static const char *int_text(ex *x, int c, int64_t v)
{
    snprintf(x->text[c], sizeof x->text[c], "%lld", (long long)v);
    x->num[c] = 1;
    return x->text[c];
}

/* The shortest decimal that reads back as exactly v (6, 1.5, 0.1; never 0.10000000000000001). */
static const char *double_text(ex *x, int c, double v)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(x->text[c], sizeof x->text[c], "%.*g", prec, v);
        if (strtod(x->text[c], NULL) == v)
            break;
    }
    x->num[c] = 1;
    return x->text[c];
}

static const char *cur_text(const char *currency)
{
    return currency && currency[0] ? currency : NULL;
}

/* ---- writing one row ---- */

static int io_error(ex *x)
{
    return bb_error_set(x->err, BB_EIO, "cannot write the export: %s", strerror(errno));
}

static int add_pair(ex *x, const char *key, const char *v, int num)
{
    int rc = bb_buf_adds(&x->line, x->pairs++ ? ", " : " ");
    if (!rc)
        rc = bb__json_str(&x->line, key);
    if (!rc)
        rc = bb_buf_adds(&x->line, ": ");
    if (!rc)
        rc = num ? bb_buf_adds(&x->line, v) : bb__json_str(&x->line, v);
    return rc;
}

static int emit_json(ex *x)
{
    int rc;
    bb_buf_reset(&x->line);
    x->pairs = 0;
    rc = bb_buf_adds(&x->line, x->rows ? ",\n{" : "{");
    for (size_t i = 0; i < x->ncols && !rc; i++)
        if (x->val[i])
            rc = add_pair(x, x->cols[i], x->val[i], x->num[i]);
    if (!rc && x->json_attrs && strcmp(x->json_attrs, "{}") != 0)
        rc = add_pair(x, "attributes", x->json_attrs, 1);
    for (size_t i = 0; i < x->n_idents && !rc; i++) {
        rc = i == 0 ? add_pair(x, "identifiers", "[", 1) : bb_buf_adds(&x->line, ", ");
        if (!rc)
            rc = bb_buf_adds(&x->line, "{\"kind\": ") || bb__json_str(&x->line, x->idents[i].kind) ||
                 bb_buf_adds(&x->line, ", \"value\": ") || bb__json_str(&x->line, x->idents[i].value) ||
                 bb_buf_addc(&x->line, '}');
        if (!rc && i + 1 == x->n_idents)
            rc = bb_buf_addc(&x->line, ']');
    }
    if (!rc)
        rc = bb_buf_adds(&x->line, x->pairs ? " }" : "}");
    if (rc)
        return bb_error_set(x->err, BB_ENOMEM, "out of memory");
    if (fwrite(x->line.data, 1, x->line.len, x->out) != x->line.len)
        return io_error(x);
    return 0;
}

static int emit_csv(ex *x)
{
    size_t n = x->ncols;
    if (!x->extra)
        return bb_csv_write_row(x->out, ',', x->val, NULL, n) ? io_error(x) : 0;
    /* customers: the canonical values, then the attribute and identifier columns */
    memcpy(x->rowv, x->val, n * sizeof *x->rowv);
    memcpy(x->rowv + n, x->extra, (x->n_attrs + x->n_kinds) * sizeof *x->rowv);
    return bb_csv_write_row(x->out, ',', x->rowv, NULL, n + x->n_attrs + x->n_kinds) ? io_error(x) : 0;
}

static int emit(ex *x)
{
    int rc = x->fmt == BB_EXPORT_JSON ? emit_json(x) : emit_csv(x);
    if (rc == 0)
        x->rows++;
    memset(x->val, 0, sizeof x->val);
    memset(x->num, 0, sizeof x->num);
    return rc;
}

/* ---- one callback per kind ---- */

static int product_cb(void *ctx, const bb_product_rec *r)
{
    ex *x = ctx;
    x->val[0] = r->sku;
    x->val[1] = r->name;
    x->val[2] = r->category;
    x->val[3] = r->has_price ? money_text(x, 3, r->price_minor, r->currency) : NULL;
    x->val[4] = r->has_cost ? money_text(x, 4, r->cost_minor, r->currency) : NULL;
    x->val[5] = cur_text(r->currency);
    return emit(x);
}

static int order_cb(void *ctx, const bb_order_rec *r)
{
    ex *x = ctx;
    x->val[0] = r->order_id;
    x->val[1] = r->customer_ref;
    x->val[2] = time_text(x, 2, r->ordered_at);
    x->val[3] = r->has_amount ? money_text(x, 3, r->amount_minor, r->currency) : NULL;
    x->val[4] = cur_text(r->currency);
    x->val[5] = r->channel;
    return emit(x);
}

static int line_cb(void *ctx, const bb_order_line_rec *r)
{
    ex *x = ctx;
    x->val[0] = r->order_id;
    x->val[1] = r->customer_ref;
    x->val[2] = time_text(x, 2, r->ordered_at);
    x->val[3] = r->sku;
    x->val[4] = double_text(x, 4, r->quantity);
    x->val[5] = money_text(x, 5, r->unit_price_minor, r->currency);
    x->val[6] = cur_text(r->currency);
    x->val[7] = int_text(x, 7, r->line_no);
    return emit(x);
}

static int interaction_cb(void *ctx, const bb_interaction_rec *r)
{
    ex *x = ctx;
    x->val[0] = r->customer_ref;
    x->val[1] = time_text(x, 1, r->occurred_at);
    x->val[2] = r->channel;
    x->val[3] = r->direction;
    x->val[4] = r->kind;
    x->val[5] = r->subject;
    x->val[6] = r->body;
    return emit(x);
}

static int consent_cb(void *ctx, const bb_consent_rec *r)
{
    ex *x = ctx;
    x->val[0] = r->customer_ref;
    x->val[1] = r->channel;
    x->val[2] = r->status;
    x->val[3] = r->source;
    x->val[4] = time_text(x, 4, r->recorded_at);
    return emit(x);
}

static int survey_cb(void *ctx, const bb_survey_rec *r)
{
    ex *x = ctx;
    x->val[0] = r->customer_ref;
    x->val[1] = r->survey;
    x->val[2] = int_text(x, 2, r->score);
    x->val[3] = r->comment;
    x->val[4] = time_text(x, 4, r->responded_at);
    return emit(x);
}

/* ---- customers ---- */

/* Finds name in the index, adding it (and a copy into *names) when new; -1 on failure. */
static long column_of(bb_strmap *ix, char ***names, size_t *n, const char *name, int add)
{
    int64_t *v;
    int added;
    if (!add) {
        v = bb_strmap_get(ix, name, strlen(name));
        return v ? (long)*v : -1;
    }
    if (bb_strmap_upsert(ix, name, strlen(name), &v, &added) != 0)
        return -1;
    if (added) {
        char **nn = realloc(*names, (*n + 1) * sizeof *nn);
        if (!nn)
            return -1;
        *names = nn;
        if (!(nn[*n] = bb_strdup(name)))
            return -1;
        *v = (int64_t)(*n)++;
    }
    return (long)*v;
}

/* The text of an attribute value: strings as they are, anything else as compact JSON. Caller frees
 * with free() when *owned. */
static const char *attr_text(json_t *v, char **owned)
{
    *owned = NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_null(v))
        return NULL;
    *owned = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    return *owned;
}

static int customer_cb(void *ctx, const bb_customer_rec *r)
{
    ex *x = ctx;
    json_t *attrs = NULL;
    char **owned = NULL, *used = NULL;
    size_t n_owned = 0;
    int rc = 0;
    if (x->fmt == BB_EXPORT_CSV && r->attributes_json && strcmp(r->attributes_json, "{}") != 0) {
        attrs = json_loads(r->attributes_json, 0, NULL);
        if (!json_is_object(attrs)) {
            json_decref(attrs);
            return bb_error_set(x->err, BB_EINTERNAL, "customer %s: attributes are not a JSON object",
                                r->customer_id);
        }
    }
    if (x->pass == 1) { /* the header: attribute names and identifier kinds */
        const char *key;
        json_t *v;
        json_object_foreach(attrs, key, v) if (column_of(&x->attr_ix, &x->attrs, &x->n_attrs, key, 1) < 0)
            rc = bb_error_set(x->err, BB_ENOMEM, "out of memory");
        for (size_t i = 0; i < r->n_idents && !rc; i++)
            if (column_of(&x->kind_ix, &x->kinds, &x->n_kinds, r->idents[i].kind, 1) < 0)
                rc = bb_error_set(x->err, BB_ENOMEM, "out of memory");
        json_decref(attrs);
        return rc;
    }
    x->val[0] = r->customer_id;
    x->val[1] = r->first_name;
    x->val[2] = r->last_name;
    x->val[3] = r->email;
    x->val[4] = r->phone;
    x->val[5] = r->city;
    x->val[6] = r->birth_date;
    x->val[7] = r->gender;
    x->val[8] = time_text(x, 8, r->created_at);
    if (x->fmt == BB_EXPORT_JSON) {
        x->json_attrs = r->attributes_json;
        x->idents = r->idents;
        x->n_idents = r->n_idents;
        return emit(x);
    }
    memset(x->extra, 0, (x->n_attrs + x->n_kinds) * sizeof *x->extra);
    if (attrs) {
        const char *key;
        json_t *v;
        owned = calloc(json_object_size(attrs) + 1, sizeof *owned);
        if (!owned)
            rc = bb_error_set(x->err, BB_ENOMEM, "out of memory");
        json_object_foreach(attrs, key, v)
        {
            long c = column_of(&x->attr_ix, &x->attrs, &x->n_attrs, key, 0);
            if (c >= 0 && owned)
                x->extra[c] = attr_text(v, &owned[n_owned++]);
        }
    }
    /* the first identifier of each kind goes on the customer's row; more of one kind go on rows of
     * their own that carry only the id (importing them adds the identifiers, changes nothing else) */
    if (!rc && r->n_idents && !(used = calloc(r->n_idents, 1)))
        rc = bb_error_set(x->err, BB_ENOMEM, "out of memory");
    for (size_t left = r->n_idents, first = 1; !rc && (first || left); first = 0) {
        for (size_t i = 0; i < r->n_idents; i++) {
            long c = column_of(&x->kind_ix, &x->kinds, &x->n_kinds, r->idents[i].kind, 0);
            const char **slot = c >= 0 ? &x->extra[x->n_attrs + (size_t)c] : NULL;
            if (!used[i] && slot && !*slot) {
                *slot = r->idents[i].value;
                used[i] = 1;
                left--;
            }
        }
        x->val[0] = r->customer_id;
        if ((rc = emit(x)) != 0)
            break;
        x->rows -= !first; /* a customer counts once */
        memset(x->extra, 0, (x->n_attrs + x->n_kinds) * sizeof *x->extra);
    }
    free(used);
    for (size_t i = 0; i < n_owned; i++)
        free(owned[i]);
    free(owned);
    json_decref(attrs);
    return rc;
}

/* ---- the run ---- */

static int header(ex *x)
{
    if (x->fmt == BB_EXPORT_JSON)
        return fputs("[\n", x->out) == EOF ? io_error(x) : 0;
    return bb_csv_write_row(x->out, ',', (const char *const *)x->cols, NULL, x->ncols) ? io_error(x) : 0;
}

/* Customers' header: the canonical columns, the attributes, then id:<kind> columns. */
static int customer_header(ex *x)
{
    int rc = 0;
    for (size_t i = 0; i < x->ncols && !rc; i++)
        rc = (i && fputc(',', x->out) == EOF) ||
             bb_csv_write_field(x->out, x->cols[i], strlen(x->cols[i]), ',');
    for (size_t i = 0; i < x->n_attrs && !rc; i++)
        rc = fputc(',', x->out) == EOF || bb_csv_write_field(x->out, x->attrs[i], strlen(x->attrs[i]), ',');
    for (size_t i = 0; i < x->n_kinds && !rc; i++)
        rc = fprintf(x->out, ",id:") < 0 || bb_csv_write_field(x->out, x->kinds[i], strlen(x->kinds[i]), ',');
    if (rc || fputc('\n', x->out) == EOF)
        return io_error(x);
    return 0;
}

static int customers(bb_store *s, ex *x)
{
    int rc;
    if (x->fmt == BB_EXPORT_JSON)
        return (rc = header(x)) != 0 ? rc : bb_store_export_customers(s, customer_cb, x, x->err);
    x->pass = 1;
    if ((rc = bb_store_export_customers(s, customer_cb, x, x->err)) != 0)
        return rc;
    if (!(x->extra = calloc(x->n_attrs + x->n_kinds + 1, sizeof *x->extra)) ||
        !(x->rowv = calloc(x->ncols + x->n_attrs + x->n_kinds, sizeof *x->rowv)))
        return bb_error_set(x->err, BB_ENOMEM, "out of memory");
    x->pass = 2;
    if ((rc = customer_header(x)) != 0)
        return rc;
    return bb_store_export_customers(s, customer_cb, x, x->err);
}

int bb_export_write(bb_store *s, bb_import_kind kind, bb_export_format fmt, FILE *out, int64_t *rows,
                    bb_error *err)
{
    ex x = {.out = out, .fmt = fmt, .kind = kind, .err = err};
    int rc;
    x.cols = bb_import_columns(kind, NULL);
    while (x.cols[x.ncols])
        x.ncols++;
    bb_buf_init(&x.line, 0);
    bb_strmap_init(&x.attr_ix, 0);
    bb_strmap_init(&x.kind_ix, 0);
    if (kind == BB_IMPORT_CUSTOMERS) {
        rc = customers(s, &x);
    } else if ((rc = header(&x)) == 0) {
        switch (kind) {
        case BB_IMPORT_PRODUCTS:
            rc = bb_store_export_products(s, product_cb, &x, err);
            break;
        case BB_IMPORT_ORDERS:
            rc = bb_store_export_orders(s, order_cb, &x, err);
            break;
        case BB_IMPORT_ORDER_LINES:
            rc = bb_store_export_order_lines(s, line_cb, &x, err);
            break;
        case BB_IMPORT_INTERACTIONS:
            rc = bb_store_export_interactions(s, interaction_cb, &x, err);
            break;
        case BB_IMPORT_CONSENTS:
            rc = bb_store_export_consents(s, consent_cb, &x, err);
            break;
        case BB_IMPORT_SURVEYS:
            rc = bb_store_export_surveys(s, survey_cb, &x, err);
            break;
        default:
            rc = bb_error_set(err, BB_EINTERNAL, "unknown kind");
        }
    }
    if (rc == 0 && fmt == BB_EXPORT_JSON && fputs(x.rows ? "\n]\n" : "]\n", out) == EOF)
        rc = io_error(&x);
    if (rc == 0 && fflush(out) != 0)
        rc = io_error(&x);
    if (rows)
        *rows = x.rows;
    for (size_t i = 0; i < x.n_attrs; i++)
        free(x.attrs[i]);
    for (size_t i = 0; i < x.n_kinds; i++)
        free(x.kinds[i]);
    free(x.attrs);
    free(x.kinds);
    free(x.extra);
    free(x.rowv);
    bb_strmap_release(&x.attr_ix);
    bb_strmap_release(&x.kind_ix);
    bb_buf_release(&x.line);
    return rc;
}
