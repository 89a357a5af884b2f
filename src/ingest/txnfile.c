/* txnfile.c: analysts' transactions and summary files into arrays for the value models (txnfile.h). */
#include "birebir/txnfile.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "birebir/buf.h"
#include "birebir/csv.h"
#include "birebir/datetime.h"
#include "birebir/num.h"
#include "birebir/strmap.h"

#define MAX_ROWS ((size_t)500 * 1000 * 1000)

static char *trim(char *s)
{
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static void ids_release(bb_txn_ids *ids)
{
    for (size_t i = 0; i < ids->n; i++)
        free(ids->id[i]);
    free(ids->id);
    memset(ids, 0, sizeof *ids);
}

/* Grows an array of elem-byte items to hold at least need. */
static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 1024;
    void *q;
    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    if (!(q = realloc(*p, c * elem)))
        return BB_ENOMEM;
    *p = q;
    *cap = c;
    return 0;
}

/* Resizes *p to n elements of elem bytes, keeping *p on failure. */
static int resize(void **p, size_t n, size_t elem)
{
    void *q = realloc(*p, n * elem);
    if (!q)
        return BB_ENOMEM;
    *p = q;
    return 0;
}

/* An open file with its header read and the wanted columns found. */
typedef struct reader {
    bb_csv *csv;
    bb_csv_row row;
    const char *name;
    bb_locale locale;
} reader;

static int reader_open(reader *r, const char *path, char delimiter, bb_error *err)
{
    bb_csv_options co = {.delimiter = delimiter};
    int rc;
    memset(r, 0, sizeof *r);
    if ((rc = bb_csv_open(path, &co, &r->csv, err)) != 0)
        return rc;
    r->name = bb_csv_name(r->csv);
    rc = bb_csv_next(r->csv, &r->row, err);
    if (rc == 0)
        return bb_error_set(err, BB_EINVAL, "%s: is empty (expected a header line)", r->name);
    return rc < 0 ? rc : 0;
}

/* The index of the header column named name (case-insensitive), or -1. */
static long column(const reader *r, const char *name)
{
    for (size_t i = 0; i < r->row.n; i++) {
        char *h = trim(r->row.field[i]);
        if (strcasecmp(h, name) == 0)
            return (long)i;
    }
    return -1;
}

static int need_column(const reader *r, const char *name, const char *option, long *idx, bb_error *err)
{
    if ((*idx = column(r, name)) >= 0)
        return 0;
    return bb_error_setw(err, BB_EINVAL, r->name, "no column \"%s\" in the header (name it with %s)", name,
                         option);
}

/* The trimmed value of column c of the current row ("" when the row is short). */
static char *field(reader *r, long c)
{
    return (size_t)c < r->row.n ? trim(r->row.field[c]) : (char *)"";
}

static int bad(reader *r, bb_error *err, const char *col, const char *what)
{
    char where[300];
    snprintf(where, sizeof where, "%s:%lld", r->name, (long long)r->row.line);
    return bb_error_setw(err, BB_EINVAL, where, "column \"%s\": %s", col, what);
}

/* Adds the customer id s to ids (through map) and returns its index in *idx. */
static int customer_index(bb_strmap *map, bb_txn_ids *ids, size_t *cap, const char *s, int64_t *idx)
{
    int64_t *slot;
    int added = 0, rc;
    size_t n = strlen(s);
    if ((rc = bb_strmap_upsert(map, s, n, &slot, &added)) != 0)
        return rc;
    if (added) {
        if ((rc = grow((void **)&ids->id, cap, ids->n + 1, sizeof *ids->id)) != 0)
            return rc;
        if (!(ids->id[ids->n] = bb_strndup(s, n)))
            return BB_ENOMEM;
        *slot = (int64_t)ids->n++;
    }
    *idx = *slot;
    return 0;
}

static int next_row(reader *r, size_t rows, bb_error *err)
{
    int rc = bb_csv_next(r->csv, &r->row, err);
    if (rc > 0 && rows >= MAX_ROWS)
        return bb_error_set(err, BB_ELIMIT, "%s: more than %zu rows", r->name, MAX_ROWS);
    return rc;
}

void bb_txns_release(bb_txns *t)
{
    if (!t)
        return;
    free(t->cust);
    free(t->t);
    free(t->amount);
    ids_release(&t->ids);
    memset(t, 0, sizeof *t);
}

int bb_txns_read(const char *path, const bb_txn_opts *o, bb_txns *out, bb_error *err)
{
    const char *ccol = o && o->customer_col ? o->customer_col : "customer_id";
    const char *dcol = o && o->date_col ? o->date_col : "date";
    const char *acol = o && o->amount_col ? o->amount_col : "amount";
    const char *fmt = o ? o->date_format : NULL;
    reader r;
    bb_strmap map;
    size_t cap = 0, idcap = 0;
    long ci, di, ai = -1;
    int rc;

    memset(out, 0, sizeof *out);
    bb_strmap_init(&map, 0);
    if ((rc = reader_open(&r, path, o ? o->delimiter : 0, err)) != 0)
        goto done;
    r.locale = o ? o->locale : BB_LOCALE_EN;
    if ((rc = need_column(&r, ccol, "--customer-col", &ci, err)) != 0 ||
        (rc = need_column(&r, dcol, "--date-col", &di, err)) != 0)
        goto done;
    if (o && o->need_amount) {
        if ((rc = need_column(&r, acol, "--amount-col", &ai, err)) != 0)
            goto done;
    } else {
        ai = column(&r, acol);
    }
    out->has_amount = ai >= 0;
    out->date_only = 1;
    while ((rc = next_row(&r, out->n, err)) > 0) {
        char *c = field(&r, ci), *d = field(&r, di);
        int64_t t, idx, amount = 0;
        bb_error e = {0};
        if (!*c) {
            rc = bad(&r, err, ccol, "is empty (expected a customer id)");
            goto done;
        }
        if (fmt ? bb_time_parse_fmt(d, fmt, 0, &t, &e) : bb_time_parse(d, r.locale, 0, &t, &e)) {
            rc = bad(&r, err, dcol, e.msg);
            goto done;
        }
        if (ai >= 0 && bb_num_parse_scaled(field(&r, ai), r.locale, 4, &amount, &e) != 0) {
            rc = bad(&r, err, acol, e.msg);
            goto done;
        }
        if (amount < 0) { /* a return: not a purchase occasion (as in analyze) */
            out->returns++;
            continue;
        }
        if (out->n == cap) { /* the other arrays follow cust's capacity */
            if (grow((void **)&out->cust, &cap, out->n + 1, sizeof *out->cust) != 0 ||
                resize((void **)&out->t, cap, sizeof *out->t) != 0 ||
                resize((void **)&out->amount, cap, sizeof *out->amount) != 0)
                goto nomem;
        }
        if ((rc = customer_index(&map, &out->ids, &idcap, c, &idx)) != 0)
            goto nomem;
        if (t % BB_SECONDS_PER_DAY != 0)
            out->date_only = 0;
        if (out->n == 0 || t < out->t_min)
            out->t_min = t;
        if (out->n == 0 || t > out->t_max)
            out->t_max = t;
        out->cust[out->n] = idx;
        out->t[out->n] = t;
        out->amount[out->n] = amount;
        out->n++;
    }
    if (rc < 0)
        goto done;
    if (out->n)
        rc = 0;
    else if (out->returns)
        rc = bb_error_set(err, BB_EINVAL, "%s: has no purchases, only %zu return%s (rows with a negative amount)",
                          r.name, out->returns, out->returns == 1 ? "" : "s");
    else
        rc = bb_error_set(err, BB_EINVAL, "%s: has no transactions (only a header)", r.name);
    goto done;
nomem:
    rc = bb_error_set(err, BB_ENOMEM, "out of memory reading %s", r.name);
done:
    bb_strmap_release(&map);
    bb_csv_close(r.csv);
    return rc;
}

void bb_txn_summary_release(bb_txn_summary *s)
{
    if (!s)
        return;
    free(s->x);
    free(s->t_x);
    free(s->T);
    free(s->mean_value);
    ids_release(&s->ids);
    memset(s, 0, sizeof *s);
}

/* Scientific notation ([+-]d[.d]e[+-]d), as pandas writes small and large floats (1e-05) in the files of
 * the lifetimes library: 1 and *v when s is one, 0 when s is not written that way. */
static int sci_number(const char *s, double *v)
{
    const char *p = s;
    char *end;
    int digits = 0;
    p += *p == '+' || *p == '-';
    for (; isdigit((unsigned char)*p); p++)
        digits++;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            digits++;
    if (!digits || (*p != 'e' && *p != 'E'))
        return 0;
    p++;
    p += *p == '+' || *p == '-';
    if (!isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p)
        return 0;
    *v = strtod(s, &end); /* the C locale's '.': the CLI never calls setlocale */
    return 1;
}

static int read_double(reader *r, long c, const char *col, double *v, bb_error *err)
{
    bb_error e = {0};
    const char *s = field(r, c);
    if (bb_num_parse_double(s, r->locale, v, &e) == 0)
        return 0;
    if (sci_number(s, v))
        return isfinite(*v) ? 0 : bad(r, err, col, "is out of range");
    return bad(r, err, col, e.msg);
}

int bb_txn_summary_read(const char *path, const bb_txn_opts *o, bb_txn_summary *out, bb_error *err)
{
    const char *ccol = o && o->customer_col ? o->customer_col : "customer_id";
    reader r;
    bb_strmap map;
    size_t cap = 0, idcap = 0;
    long ci, fi, ri, ti, mi;
    int rc;

    memset(out, 0, sizeof *out);
    bb_strmap_init(&map, 0);
    if ((rc = reader_open(&r, path, o ? o->delimiter : 0, err)) != 0)
        goto done;
    r.locale = o ? o->locale : BB_LOCALE_EN;
    if ((rc = need_column(&r, ccol, "--customer-col", &ci, err)) != 0 ||
        (rc = need_column(&r, "frequency", "a header named frequency", &fi, err)) != 0 ||
        (rc = need_column(&r, "recency", "a header named recency", &ri, err)) != 0 ||
        (rc = need_column(&r, "T", "a header named T", &ti, err)) != 0)
        goto done;
    mi = column(&r, "monetary_value");
    out->has_monetary = mi >= 0;
    while ((rc = next_row(&r, out->n, err)) > 0) {
        char *c = field(&r, ci);
        double f, rec, T, m = 0;
        int64_t idx;
        if (!*c) {
            rc = bad(&r, err, ccol, "is empty (expected a customer id)");
            goto done;
        }
        if ((rc = read_double(&r, fi, "frequency", &f, err)) != 0 ||
            (rc = read_double(&r, ri, "recency", &rec, err)) != 0 ||
            (rc = read_double(&r, ti, "T", &T, err)) != 0 ||
            (mi >= 0 && (rc = read_double(&r, mi, "monetary_value", &m, err)) != 0))
            goto done;
        if (!(f >= 0 && f <= 1e8) || f != floor(f)) { /* range first: casting a larger f to int is undefined */
            rc = bad(&r, err, "frequency", "is not a whole number from 0 to 100000000");
            goto done;
        }
        if (T < 0 || rec < 0 || rec > T) {
            rc = bad(&r, err, "recency", "must be between 0 and T");
            goto done;
        }
        if (f == 0 && rec != 0) {
            rc = bad(&r, err, "recency", "must be 0 when frequency is 0");
            goto done;
        }
        if (m < 0) {
            rc = bad(&r, err, "monetary_value", "must be >= 0");
            goto done;
        }
        if (out->n == cap &&
            (grow((void **)&out->x, &cap, out->n + 1, sizeof *out->x) != 0 ||
             resize((void **)&out->t_x, cap, sizeof *out->t_x) != 0 ||
             resize((void **)&out->T, cap, sizeof *out->T) != 0 ||
             resize((void **)&out->mean_value, cap, sizeof *out->mean_value) != 0))
            goto nomem;
        if ((rc = customer_index(&map, &out->ids, &idcap, c, &idx)) != 0)
            goto nomem;
        if ((size_t)idx != out->n) {
            rc = bad(&r, err, ccol, "names a customer a second time (a summary has one row per customer)");
            goto done;
        }
        out->x[out->n] = (int32_t)f;
        out->t_x[out->n] = rec;
        out->T[out->n] = T;
        out->mean_value[out->n] = m;
        out->n++;
    }
    if (rc < 0)
        goto done;
    rc = out->n ? 0 : bb_error_set(err, BB_EINVAL, "%s: has no customers (only a header)", r.name);
    goto done;
nomem:
    rc = bb_error_set(err, BB_ENOMEM, "out of memory reading %s", r.name);
done:
    bb_strmap_release(&map);
    bb_csv_close(r.csv);
    return rc;
}
