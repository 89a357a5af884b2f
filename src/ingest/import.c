/* import.c: the import run (bb_import_file): read the header, map it, then row by row validate,
 * write through the store's idempotent puts in batched transactions, send bad rows to the rejects
 * file, keep the counts; --strict and --dry-run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "birebir/buf.h"
#include "birebir/import.h"
#include "birebir/strmap.h"
#include "ingest/import_pipe.h"

#define DEFAULT_BATCH 1000000
#define MAX_ORDERS_REMEMBERED ((size_t)100 * 1000 * 1000)

typedef struct run {
    bb_store *s;
    const bb_import_options *o;
    bb_import_summary *sum;
    bb_csv *csv;
    bb_import_mapper *m;
    const char *path;
    char **header; /* the file's header, for the rejects file */
    size_t n_header;
    FILE *rejects;
    bb_strmap lines; /* order id -> lines seen so far in this file */
    char last_order[64]; /* the order of the previous line, and its count in lines (the lines of */
    int64_t *last_n;     /* an order mostly come one after another); last_n NULL when none */
    bb_put_stats stats;
    int64_t *touched; /* customers whose orders this batch wrote (for o->on_batch) */
    size_t n_touched, cap_touched;
} run;

static void set_where(bb_error *e, const char *name, int64_t line)
{
    snprintf(e->where, sizeof e->where, "%s:%lld", name, (long long)line);
}

static int open_rejects(run *r, bb_error *err)
{
    const bb_import_options *o = r->o;
    bb_import_summary *sum = r->sum;
    char delim = bb_csv_delimiter(r->csv);
    int rc;
    if (o->rejects_path)
        snprintf(sum->rejects_path, sizeof sum->rejects_path, "%s", o->rejects_path);
    else
        snprintf(sum->rejects_path, sizeof sum->rejects_path, "%s.rejects.csv",
                 strcmp(r->path, "-") == 0 ? "stdin" : r->path);
    r->rejects = fopen(sum->rejects_path, "w");
    if (!r->rejects)
        return bb_error_set(err, BB_EIO, "%s: cannot write the rejects file: %s", sum->rejects_path,
                            strerror(errno));
    for (size_t i = 0; i < r->n_header; i++)
        if ((rc = bb_csv_write_field(r->rejects, r->header[i], strlen(r->header[i]), delim)) != 0 ||
            fputc(delim, r->rejects) == EOF)
            return bb_error_set(err, BB_EIO, "%s: cannot write: %s", sum->rejects_path, strerror(errno));
    if (fputs("reason\n", r->rejects) == EOF)
        return bb_error_set(err, BB_EIO, "%s: cannot write: %s", sum->rejects_path, strerror(errno));
    return 0;
}

/* A bad row: count it, tell, and (unless strict or dry run) write it to the rejects file.
 * Returns 0 to go on, or an error that ends the run. */
static int reject(run *r, const bb_csv_row *row, const bb_error *why, bb_error *err)
{
    char reason[1200];
    char delim = bb_csv_delimiter(r->csv);
    r->sum->rejected++;
    if (r->o->on_reject)
        r->o->on_reject(r->o->ctx, why);
    if (r->o->strict) {
        *err = *why;
        return BB_EINVAL;
    }
    if (r->o->dry_run)
        return 0;
    if (!r->rejects) {
        int rc = open_rejects(r, err);
        if (rc)
            return rc;
    }
    snprintf(reason, sizeof reason, "line %lld: %s", (long long)row->line, why->msg);
    for (size_t i = 0; i < row->n; i++)
        if (bb_csv_write_field(r->rejects, row->field[i], row->len[i], delim) != 0 ||
            fputc(delim, r->rejects) == EOF)
            return bb_error_set(err, BB_EIO, "%s: cannot write: %s", r->sum->rejects_path, strerror(errno));
    /* a short row is padded so the reason stays in its column */
    for (size_t i = row->n; i < r->n_header; i++)
        if (fputc(delim, r->rejects) == EOF)
            return bb_error_set(err, BB_EIO, "%s: cannot write: %s", r->sum->rejects_path, strerror(errno));
    if (bb_csv_write_field(r->rejects, reason, strlen(reason), delim) != 0 || fputc('\n', r->rejects) == EOF)
        return bb_error_set(err, BB_EIO, "%s: cannot write: %s", r->sum->rejects_path, strerror(errno));
    return 0;
}

static int put(run *r, const bb_import_rec *rec, bb_put_result *res, bb_error *err)
{
    bb_store *s = r->s;
    bb_put_stats *st = &r->stats;
    switch (rec->kind) {
    case BB_IMPORT_CUSTOMERS:
        return bb_store_put_customer(s, &rec->u.customer, res, st, err);
    case BB_IMPORT_PRODUCTS:
        return bb_store_put_product(s, &rec->u.product, res, st, err);
    case BB_IMPORT_ORDERS:
        return bb_store_put_order(s, &rec->u.order, res, st, err);
    case BB_IMPORT_ORDER_LINES:
        return bb_store_put_order_line(s, &rec->u.line, res, st, err);
    case BB_IMPORT_INTERACTIONS:
        return bb_store_put_interaction(s, &rec->u.interaction, res, st, err);
    case BB_IMPORT_CONSENTS:
        return bb_store_put_consent(s, &rec->u.consent, res, st, err);
    case BB_IMPORT_SURVEYS:
        return bb_store_put_survey(s, &rec->u.survey, res, st, err);
    default:
        return bb_error_set(err, BB_EINTERNAL, "unknown kind");
    }
}

/* Remembers the customer of an order or order line just written, for o->on_batch. */
static int touch(run *r, const bb_import_rec *rec, bb_error *err)
{
    const char *ref = rec->kind == BB_IMPORT_ORDERS ? rec->u.order.customer_ref : rec->u.line.customer_ref;
    const char *kind = rec->kind == BB_IMPORT_ORDERS ? rec->u.order.id_kind : rec->u.line.id_kind;
    int64_t id;
    int rc;
    if (rec->kind != BB_IMPORT_ORDERS && rec->kind != BB_IMPORT_ORDER_LINES)
        return 0;
    if ((rc = bb_store_resolve(r->s, ref, kind, &id, err)) != 0)
        return rc;
    if (r->n_touched == r->cap_touched) {
        size_t c = r->cap_touched ? r->cap_touched * 2 : 1024;
        int64_t *t = realloc(r->touched, c * sizeof *t);
        if (!t)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        r->touched = t;
        r->cap_touched = c;
    }
    r->touched[r->n_touched++] = id;
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* After a commit: hands the batch's customers (each once) to o->on_batch. */
static int after_batch(run *r, bb_error *err)
{
    size_t n = 0;
    if (!r->o->on_batch || r->n_touched == 0)
        return 0;
    qsort(r->touched, r->n_touched, sizeof *r->touched, cmp_id);
    for (size_t i = 0; i < r->n_touched; i++)
        if (i == 0 || r->touched[i] != r->touched[i - 1])
            r->touched[n++] = r->touched[i];
    r->n_touched = 0;
    return r->o->on_batch(r->o->batch_ctx, r->s, r->touched, n, err);
}

/* Order lines without a line_no column are numbered by their position within their order in this
 * file, so the same file always gives the same numbers (re-imports stay idempotent). */
static int number_line(void *ctx, bb_import_rec *rec, bb_error *err)
{
    run *r = ctx;
    int64_t *n;
    const char *id = rec->u.line.order_id;
    int rc;
    size_t len;
    if (rec->kind != BB_IMPORT_ORDER_LINES || rec->has_line_no)
        return 0;
    /* the map's value pointers stay valid until the next add, and an add makes a new last order */
    if (r->last_n && strcmp(r->last_order, id) == 0) {
        rec->u.line.line_no = (int)++*r->last_n;
        return 0;
    }
    len = strlen(id);
    rc = bb_strmap_upsert(&r->lines, id, len, &n, NULL);
    if (rc == BB_ELIMIT)
        return bb_error_set(err, rc, "more than %zu orders in one file; give a line_no column",
                            MAX_ORDERS_REMEMBERED);
    if (rc)
        return bb_error_set(err, rc, "out of memory");
    rec->u.line.line_no = (int)++*n;
    r->last_n = len < sizeof r->last_order ? n : NULL;
    if (r->last_n)
        memcpy(r->last_order, id, len + 1);
    return 0;
}

static int read_header(run *r, bb_error *err)
{
    bb_csv_row row;
    int rc = bb_csv_next(r->csv, &row, err);
    if (rc == 0)
        return bb_error_setw(err, BB_EINVAL, bb_csv_name(r->csv), "is empty (no header line)");
    if (rc < 0)
        return bb_error_prefix(err, "the header");
    r->header = calloc(row.n, sizeof *r->header);
    if (!r->header)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    r->n_header = row.n;
    for (size_t i = 0; i < row.n; i++)
        if (!(r->header[i] = bb_strdup(row.field[i])))
            return bb_error_set(err, BB_ENOMEM, "out of memory");
    rc = bb_import_mapper_new(r->o, (const char *const *)r->header, r->n_header, &r->m, err);
    if (rc && err && !err->where[0])
        set_where(err, bb_csv_name(r->csv), row.line);
    return rc;
}

/* The record loop; in_tx tracks the open transaction for the caller's cleanup. */
static int rows(run *r, int *in_tx, bb_error *err)
{
    const bb_import_options *o = r->o;
    bb_import_summary *sum = r->sum;
    int64_t batch = o->strict ? INT64_MAX : o->batch_rows > 0 ? o->batch_rows : DEFAULT_BATCH;
    int64_t pending = 0, bytes_read = 0;
    bb_progress prog;
    bb__pipe *pipe = NULL;
    bb_error why = {0};
    int rc = 0;
    bb_progress_init(&prog, stderr, o->progress, bb_csv_name(r->csv), bb_csv_bytes_total(r->csv));
    /* Reading, validating and numbering run on a thread of their own, ahead of the writes
     * (import_pipe.h); rows come out in file order, so everything below is as if read here. */
    if ((rc = bb__pipe_start(r->csv, r->m, number_line, r, &pipe, err)) != 0)
        goto done;
    for (;;) {
        bb_put_result res;
        const bb__pipe_item *it;
        const bb_csv_row *row;
        bb_import_rec rec;
        if ((rc = bb__pipe_next(pipe, &it, &bytes_read, err)) <= 0)
            goto done; /* 0: the end; or reading failed */
        row = &it->row;
        sum->rows_read++;
        if (it->rc != 0) {
            why = *it->why;
            set_where(&why, bb_csv_name(r->csv), row->line);
            if ((rc = reject(r, row, &why, err)) != 0)
                goto done;
            continue;
        }
        rec = it->rec;
        sum->valid++;
        if (!o->dry_run && rec.kind == BB_IMPORT_ORDER_LINES) {
            /* the store starts fetching what the next line will need while it writes this one */
            const bb__pipe_item *next = bb__pipe_peek(pipe);
            if (next && next->rc == 0 && next->rec.u.line.order_id && rec.u.line.order_id &&
                strcmp(next->rec.u.line.order_id, rec.u.line.order_id) != 0)
                bb_store_hint_order_line(r->s, &next->rec.u.line);
        }
        if (!o->dry_run) {
            rc = put(r, &rec, &res, &why);
            if (rc == BB_EINVAL || rc == BB_ECONFLICT || rc == BB_ENOTFOUND) {
                /* the store refused this row (e.g. an order id already used by another customer) */
                sum->valid--;
                set_where(&why, bb_csv_name(r->csv), row->line);
                if ((rc = reject(r, row, &why, err)) != 0)
                    goto done;
                continue;
            }
            if (rc) {
                *err = why;
                bb_error_prefix(err, "%s:%lld", bb_csv_name(r->csv), (long long)row->line);
                goto done;
            }
            sum->inserted += res == BB_PUT_INSERTED;
            sum->updated += res == BB_PUT_UPDATED;
            sum->unchanged += res == BB_PUT_UNCHANGED;
            if (o->on_batch && (rc = touch(r, &rec, err)) != 0)
                goto done;
            if (++pending >= batch) {
                *in_tx = 0;
                if ((rc = bb_store_commit(r->s, err)) != 0 || (rc = after_batch(r, err)) != 0 ||
                    (rc = bb_store_begin(r->s, err)) != 0)
                    goto done;
                *in_tx = 1;
                pending = 0;
            }
        }
        if (prog.active && (sum->rows_read & 63) == 0)
            bb_progress_update(&prog, sum->rows_read, bytes_read);
    }
done:
    bb__pipe_stop(pipe); /* the reader lets go of the file and the mapper */
    bb_progress_release(&prog);
    return rc;
}

int bb_import_file(bb_store *s, const char *path, const bb_import_options *o, bb_import_summary *sum,
                   bb_error *err)
{
    run r = {.s = s, .o = o, .sum = sum, .path = path};
    double t0 = bb_progress_now();
    int rc, in_tx = 0, bulk = 0;
    memset(sum, 0, sizeof *sum);
    bb_strmap_init(&r.lines, MAX_ORDERS_REMEMBERED);
    if (!o->dry_run && !s) {
        rc = bb_error_set(err, BB_EINTERNAL, "import without a store");
        goto done;
    }
    if ((rc = bb_csv_open(path, &o->csv, &r.csv, err)) != 0 || (rc = read_header(&r, err)) != 0)
        goto done;
    sum->delimiter = bb_csv_delimiter(r.csv);
    snprintf(sum->ignored, sizeof sum->ignored, "%s", bb_import_mapper_ignored(r.m));
    if (!o->dry_run) {
        /* a load unless on_batch reads between batches (re-scoring reads orders by customer) */
        if ((rc = bb_store_bulk(s, o->on_batch ? 1 : BB_STORE_BULK_LOAD, err)) != 0)
            goto done;
        bulk = 1;
        if ((rc = bb_store_begin(s, err)) != 0)
            goto done;
        in_tx = 1;
    }
    if ((rc = rows(&r, &in_tx, err)) != 0)
        goto done;
    if (in_tx) {
        in_tx = 0;
        if ((rc = bb_store_commit(s, err)) != 0 || (rc = after_batch(&r, err)) != 0)
            goto done;
    }
done:
    if (in_tx)
        bb_store_rollback(s);
    if (bulk && bb_store_bulk(s, 0, rc ? NULL : err) != 0 && rc == 0)
        rc = err ? err->code : BB_EDB;
    if (rc && o->strict) /* nothing was written */
        sum->inserted = sum->updated = sum->unchanged = 0;
    else {
        sum->customers_created = r.stats.customers_created;
        sum->products_created = r.stats.products_created;
        sum->orders_created = r.stats.orders_created;
    }
    if (r.csv)
        sum->encoding = bb_csv_encoding_detected(r.csv);
    if (r.rejects && fclose(r.rejects) != 0 && rc == 0)
        rc = bb_error_set(err, BB_EIO, "%s: cannot write: %s", sum->rejects_path, strerror(errno));
    if (!r.rejects)
        sum->rejects_path[0] = '\0';
    for (size_t i = 0; i < r.n_header; i++)
        free(r.header[i]);
    free(r.header);
    bb_strmap_release(&r.lines);
    free(r.touched);
    bb_import_mapper_free(r.m);
    bb_csv_close(r.csv);
    sum->seconds = bb_progress_now() - t0;
    return rc;
}
