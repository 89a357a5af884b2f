/* import_pipe.c: the import's reading thread (import_pipe.h): chunks of rows (fields and records
 * copied into the chunk's own blocks of memory) go from the reader to the writer through a bounded
 * queue guarded by one mutex; a chunk comes back to the reader once the writer is done with it. */
#include "ingest/import_pipe.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

enum { NCHUNKS = 4, CHUNK_ROWS = 2048, BLOCK = 256 * 1024 };

/* Memory of a chunk: blocks bumped through, freed (but the first) when the chunk is reused. */
typedef struct block {
    struct block *next;
    size_t size, used;
    alignas(max_align_t) char data[];
} block;

typedef struct chunk {
    bb__pipe_item item[CHUNK_ROWS];
    size_t n;
    int end;          /* the file ends after these rows */
    int rc;           /* ... or reading failed there (then err) */
    bb_error err;
    int64_t bytes_read;
    block *blocks;    /* the current block first */
} chunk;

struct bb__pipe {
    bb_csv *csv;
    bb_import_mapper *m;
    bb__pipe_number_fn number;
    void *ctx;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv;   /* a chunk was filled, or given back, or stop */
    int stop;
    chunk *chunks[NCHUNKS];
    size_t head, filled; /* chunks[head .. head + filled) are full (mod NCHUNKS); the writer reads head */
    size_t pos;          /* the writer's next item in chunks[head] */
    int holding;         /* the writer holds chunks[head] */
};

static void *chunk_alloc(chunk *c, size_t n)
{
    block *b = c->blocks;
    n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK ? n : BLOCK;
        block *nb = malloc(sizeof *nb + size);
        if (!nb)
            return NULL;
        nb->size = size;
        nb->used = 0;
        nb->next = b;
        c->blocks = b = nb;
    }
    b->used += n;
    return b->data + b->used - n;
}

static void chunk_reset(chunk *c)
{
    block *b = c->blocks;
    while (b && b->next) { /* keep the oldest block only */
        block *next = b->next;
        free(b);
        b = next;
    }
    if (b)
        b->used = 0;
    c->blocks = b;
    c->n = 0;
    c->end = 0;
    c->rc = 0;
}

static void chunk_free(chunk *c)
{
    if (!c)
        return;
    while (c->blocks) {
        block *next = c->blocks->next;
        free(c->blocks);
        c->blocks = next;
    }
    free(c);
}

static int copy_str(chunk *c, const char **s)
{
    size_t n;
    char *d;
    if (!*s)
        return 0;
    n = strlen(*s) + 1;
    if (!(d = chunk_alloc(c, n)))
        return -1;
    memcpy(d, *s, n);
    *s = d;
    return 0;
}

/* The record's strings into the chunk (they point into the reader and the mapper). */
static int copy_rec(chunk *c, bb_import_rec *r)
{
    const char **s[10];
    size_t n = 0;
    switch (r->kind) {
    case BB_IMPORT_CUSTOMERS: {
        bb_customer_rec *x = &r->u.customer;
        const char **f[] = {&x->customer_id, &x->id_kind, &x->first_name, &x->last_name,
                            &x->email, &x->phone, &x->city, &x->birth_date, &x->gender,
                            &x->attributes_json};
        memcpy(s, f, sizeof f), n = 10;
        if (x->n_idents) {
            bb_ident *id = chunk_alloc(c, x->n_idents * sizeof *id);
            if (!id)
                return -1;
            for (size_t i = 0; i < x->n_idents; i++) {
                id[i] = x->idents[i];
                if (copy_str(c, &id[i].kind) || copy_str(c, &id[i].value))
                    return -1;
            }
            x->idents = id;
        }
        break;
    }
    case BB_IMPORT_PRODUCTS: {
        bb_product_rec *x = &r->u.product;
        const char **f[] = {&x->sku, &x->name, &x->category};
        memcpy(s, f, sizeof f), n = 3;
        break;
    }
    case BB_IMPORT_ORDERS: {
        bb_order_rec *x = &r->u.order;
        const char **f[] = {&x->order_id, &x->customer_ref, &x->id_kind, &x->channel};
        memcpy(s, f, sizeof f), n = 4;
        break;
    }
    case BB_IMPORT_ORDER_LINES: {
        bb_order_line_rec *x = &r->u.line;
        const char **f[] = {&x->order_id, &x->customer_ref, &x->id_kind, &x->sku};
        memcpy(s, f, sizeof f), n = 4;
        break;
    }
    case BB_IMPORT_INTERACTIONS: {
        bb_interaction_rec *x = &r->u.interaction;
        const char **f[] = {&x->customer_ref, &x->id_kind, &x->channel, &x->direction,
                            &x->kind, &x->subject, &x->body};
        memcpy(s, f, sizeof f), n = 7;
        break;
    }
    case BB_IMPORT_CONSENTS: {
        bb_consent_rec *x = &r->u.consent;
        const char **f[] = {&x->customer_ref, &x->id_kind, &x->channel, &x->status, &x->source};
        memcpy(s, f, sizeof f), n = 5;
        break;
    }
    case BB_IMPORT_SURVEYS: {
        bb_survey_rec *x = &r->u.survey;
        const char **f[] = {&x->customer_ref, &x->id_kind, &x->survey, &x->comment};
        memcpy(s, f, sizeof f), n = 4;
        break;
    }
    default:
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (copy_str(c, s[i]))
            return -1;
    return 0;
}

/* The row's fields into the chunk. */
static int copy_row(chunk *c, const bb_csv_row *from, bb_csv_row *to)
{
    size_t total = 0;
    char *p;
    for (size_t i = 0; i < from->n; i++)
        total += from->len[i] + 1;
    to->n = from->n;
    to->line = from->line;
    to->field = chunk_alloc(c, from->n * sizeof *to->field + 1);
    to->len = chunk_alloc(c, from->n * sizeof *to->len + 1);
    p = chunk_alloc(c, total + 1);
    if (!to->field || !to->len || !p)
        return -1;
    for (size_t i = 0; i < from->n; i++) {
        memcpy(p, from->field[i], from->len[i]);
        p[from->len[i]] = '\0';
        to->field[i] = p;
        to->len[i] = from->len[i];
        p += from->len[i] + 1;
    }
    return 0;
}

/* Fills c; sets c->end (and c->rc, c->err) when the file ends or reading fails. */
static void fill(bb__pipe *p, chunk *c)
{
    bb_error why = {0};
    while (c->n < CHUNK_ROWS) {
        bb__pipe_item *it = &c->item[c->n];
        bb_csv_row row;
        int rc = bb_csv_next(p->csv, &row, &why);
        if (rc == 0) {
            c->end = 1;
            break;
        }
        if (rc == BB_EIO || rc == BB_ENOMEM) {
            c->end = 1, c->rc = rc, c->err = why;
            break;
        }
        if (copy_row(c, &row, &it->row) != 0)
            goto nomem;
        if (rc > 0) /* a record (else a broken one, for the rejects file) */
            rc = bb_import_mapper_row(p->m, (const char *const *)row.field, row.n, &it->rec, &why);
        if (rc == BB_ENOMEM) {
            c->end = 1, c->rc = rc, c->err = why;
            break;
        }
        if (rc == 0 && p->number && (rc = p->number(p->ctx, &it->rec, &c->err)) != 0) {
            c->end = 1, c->rc = rc;
            break;
        }
        if (rc == 0 && copy_rec(c, &it->rec) != 0)
            goto nomem;
        it->rc = rc;
        it->why = NULL;
        if (rc != 0) {
            bb_error *w = chunk_alloc(c, sizeof *w);
            if (!w)
                goto nomem;
            *w = why;
            it->why = w;
        }
        c->n++;
    }
    c->bytes_read = bb_csv_bytes_read(p->csv);
    return;
nomem:
    c->end = 1;
    c->rc = bb_error_set(&c->err, BB_ENOMEM, "out of memory");
}

static void *reader(void *arg)
{
    bb__pipe *p = arg;
    size_t next = 0; /* the chunk filled next: chunks are filled and read in a ring */
    for (;;) {
        chunk *c;
        int end;
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->filled + (size_t)p->holding >= NCHUNKS)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        pthread_mutex_unlock(&p->mu);
        c = p->chunks[next];
        chunk_reset(c);
        fill(p, c);
        end = c->end;
        pthread_mutex_lock(&p->mu);
        p->filled++;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        next = (next + 1) % NCHUNKS;
        if (end)
            return NULL;
    }
}

int bb__pipe_start(bb_csv *csv, bb_import_mapper *m, bb__pipe_number_fn number, void *ctx,
                   bb__pipe **out, bb_error *err)
{
    bb__pipe *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    p->csv = csv, p->m = m, p->number = number, p->ctx = ctx;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (int i = 0; i < NCHUNKS; i++)
        if (!(p->chunks[i] = calloc(1, sizeof *p->chunks[i]))) {
            bb__pipe_stop(p);
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        }
    if (pthread_create(&p->thread, NULL, reader, p) != 0) {
        bb__pipe_stop(p);
        return bb_error_set(err, BB_EINTERNAL, "cannot start the reading thread");
    }
    p->started = 1;
    *out = p;
    return 0;
}

int bb__pipe_next(bb__pipe *p, const bb__pipe_item **item, int64_t *bytes_read, bb_error *err)
{
    for (;;) {
        chunk *c;
        if (!p->holding) {
            pthread_mutex_lock(&p->mu);
            while (p->filled == 0)
                pthread_cond_wait(&p->cv, &p->mu);
            p->filled--;
            p->holding = 1;
            pthread_mutex_unlock(&p->mu);
            p->pos = 0;
        }
        c = p->chunks[p->head];
        if (p->pos < c->n) {
            *item = &c->item[p->pos++];
            *bytes_read = c->bytes_read;
            return 1;
        }
        if (c->end) { /* stays held: nothing follows */
            if (c->rc && err)
                *err = c->err;
            return c->rc ? c->rc : 0;
        }
        pthread_mutex_lock(&p->mu); /* give it back */
        p->holding = 0;
        p->head = (p->head + 1) % NCHUNKS;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

const bb__pipe_item *bb__pipe_peek(const bb__pipe *p)
{
    const chunk *c;
    if (!p->holding)
        return NULL;
    c = p->chunks[p->head];
    return p->pos < c->n ? &c->item[p->pos] : NULL;
}

void bb__pipe_stop(bb__pipe *p)
{
    if (!p)
        return;
    if (p->started) {
        pthread_mutex_lock(&p->mu);
        p->stop = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
    }
    for (int i = 0; i < NCHUNKS; i++)
        chunk_free(p->chunks[i]);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
