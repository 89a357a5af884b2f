/* sqlite_identity.c: customer identity in the SQLite backend: identifiers (kind, normalised value),
 * resolving references (external id, "kind:value", an id kind, a registered email or phone), bare
 * customers for unknown references, and the customer upsert with its derived search text, Turkish
 * sort key and duplicate-blocking key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/sqlite_db.h"

enum { IDENT_MAX = 256 };

/* A customer's stored fields, as the upsert sees them. Strings are borrowed. */
typedef struct cust {
    const char *ext, *first, *last, *email, *phone, *city, *birth, *gender;
    const char *attrs; /* compact JSON object */
    int64_t created_at;
} cust;

static int valid_kind(const char *k)
{
    if (!k || !*k || strlen(k) > 32)
        return 0;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_' || *k == '-'))
            return 0;
    return 1;
}

/* The normal form of an identifier of a kind: emails lowercased, phones in E.164, others trimmed. */
static int ident_norm(const char *kind, const char *value, char *out, size_t size, bb_error *err)
{
    size_t n;
    if (strcmp(kind, "email") == 0)
        return bb_text_email_norm(value, out, size, err);
    if (strcmp(kind, "phone") == 0)
        return bb_text_phone_norm(value, out, size, err);
    while (*value == ' ' || *value == '\t')
        value++;
    n = strlen(value);
    while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
        n--;
    if (n == 0)
        return bb_error_set(err, BB_EINVAL, "%s identifier is empty", kind);
    if (n >= size)
        return bb_error_set(err, BB_EINVAL, "%s identifier \"%.40s...\" is longer than %zu bytes", kind,
                            value, size - 1);
    memcpy(out, value, n);
    out[n] = '\0';
    return 0;
}

/* "kind\x1fvalue" in buf (for the Bloom filter of identifiers); its length, 0 when it does not fit. */
static size_t ident_key(const char *kind, const char *value, char *buf, size_t size)
{
    size_t k = strlen(kind), v = strlen(value);
    if (k + v + 2 > size)
        return 0;
    memcpy(buf, kind, k);
    buf[k] = '\x1f';
    memcpy(buf + k + 1, value, v + 1);
    return k + 1 + v;
}

/* Looks an identifier up: *id is the survivor of merges (0 when unknown); *alias (may be NULL: then
 * the lookup reads the identifier alone) is set when the identifier's own customer is not the survivor
 * or its external id is not this value. */
static int ident_get(bb__sqlite *q, const char *kind, const char *value, int64_t *id, int *alias,
                     bb_error *err)
{
    sqlite3_stmt *st;
    char key[IDENT_MAX + 64];
    size_t klen = ident_key(kind, value, key, sizeof key);
    int rc;
    *id = 0;
    if (alias)
        *alias = 0;
    /* a waiting bare customer's identifier: written first, so the lookup below finds it */
    if (q->n_bare_ids && (!klen || bb__sqlite_bare_has(q, key, klen)) && (rc = bb__sqlite_bare_flush(q, err)) != 0)
        return rc;
    if (klen && !bb__sqlite_bloom_maybe(q, &q->ident_keys, BB__SQ_IDENT_ANY, key, klen))
        return 0; /* never registered */
    if (!(st = bb__sqlite_stmt(q, alias ? BB__SQ_IDENT_GET : BB__SQ_IDENT_ID, err)))
        return BB_EDB;
    bb__sqlite_bind_text(st, 1, kind);
    bb__sqlite_bind_text(st, 2, value);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        if (alias) {
            const char *ext = (const char *)sqlite3_column_text(st, 1);
            *alias = sqlite3_column_int(st, 2) || !ext || strcmp(ext, value) != 0;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "looking up a customer");
}

/* Registers an identifier for a customer unless some customer has it already; *added says whether
 * it was new. */
static int ident_add(bb__sqlite *q, const char *kind, const char *value, int64_t id, int64_t now,
                     int *added, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_IDENT_ADD, err);
    char key[IDENT_MAX + 64];
    size_t klen = ident_key(kind, value, key, sizeof key);
    int rc;
    if (!st)
        return BB_EDB;
    if (klen)
        bb__bloom_add(&q->ident_keys, key, klen);
    else if (q->ident_keys.state == 1)
        q->ident_keys.state = -1; /* a key it cannot hold: it no longer holds them all */
    bb__sqlite_bind_text(st, 1, kind);
    bb__sqlite_bind_text(st, 2, value);
    sqlite3_bind_int64(st, 3, id);
    sqlite3_bind_null(st, 4);
    sqlite3_bind_int64(st, 5, now);
    rc = bb__sqlite_run(q, st, err, "registering an identifier");
    if (rc == 0 && added)
        *added = sqlite3_changes(q->db) > 0;
    return rc;
}

/* ---- the reference cache ---- */

static const char *cache_key(bb__sqlite *q, const char *kind, const char *ref, size_t *len)
{
    bb_buf_reset(&q->scratch);
    if (bb_buf_adds(&q->scratch, kind ? kind : "") || bb_buf_addc(&q->scratch, '\x1f') ||
        bb_buf_adds(&q->scratch, ref))
        return NULL;
    *len = q->scratch.len;
    return q->scratch.data;
}

static int64_t cache_get(bb__sqlite *q, const char *kind, const char *ref)
{
    size_t n;
    const char *k = cache_key(q, kind, ref, &n);
    int64_t *v = k ? bb__smap_get(&q->customers, k, n) : NULL;
    return v ? *v : 0;
}

void bb__sqlite_resolve_prefetch(bb__sqlite *q, const char *ref, const char *id_kind)
{
    size_t n;
    const char *k = ref ? cache_key(q, id_kind, ref, &n) : NULL;
    if (k)
        bb__smap_prefetch(&q->customers, k, n);
}

static void cache_put(bb__sqlite *q, const char *kind, const char *ref, int64_t id)
{
    size_t n;
    const char *k = cache_key(q, kind, ref, &n);
    int64_t *v;
    if (!k)
        return;
    if ((v = bb__smap_get(&q->customers, k, n)) != NULL) {
        *v = id;
        return;
    }
    if (bb__smap_full(&q->customers))
        bb__smap_clear(&q->customers);
    v = bb__smap_add(&q->customers, k, n);
    if (v) /* a cache: failing to remember is not an error */
        *v = id;
}

/* ---- resolving ---- */

static int phone_like(const char *ref)
{
    if (ref[0] == '0' || ref[0] == '+')
        return 1;
    for (const char *p = ref; *p; p++)
        if (*p == ' ' || *p == '(' || *p == '-')
            return 1;
    return 0;
}

/* Splits "kind:value"; 0 when ref is not of that form. */
static int split_qualified(const char *ref, char *kind, size_t ksize, const char **value)
{
    const char *colon = strchr(ref, ':');
    size_t n;
    if (!colon || colon == ref || !colon[1])
        return 0;
    n = (size_t)(colon - ref);
    if (n >= ksize)
        return 0;
    memcpy(kind, ref, n);
    kind[n] = '\0';
    *value = colon + 1;
    return valid_kind(kind);
}

static int lookup(bb__sqlite *q, const char *ref, const char *id_kind, int64_t *id, bb_error *err)
{
    char v[IDENT_MAX], kind[40];
    const char *value;
    int rc;
    *id = 0;
    if (id_kind && strcmp(id_kind, "id") != 0) {
        if ((rc = ident_norm(id_kind, ref, v, sizeof v, err)) != 0)
            return rc;
        return ident_get(q, id_kind, v, id, NULL, err);
    }
    if ((rc = ident_norm("id", ref, v, sizeof v, err)) != 0)
        return rc;
    if ((rc = ident_get(q, "id", v, id, NULL, err)) != 0 || *id || id_kind)
        return rc;
    if (split_qualified(ref, kind, sizeof kind, &value) &&
        ident_norm(kind, value, v, sizeof v, NULL) == 0 &&
        ((rc = ident_get(q, kind, v, id, NULL, err)) != 0 || *id))
        return rc;
    if (strchr(ref, '@') && bb_text_email_norm(ref, v, sizeof v, NULL) == 0 &&
        ((rc = ident_get(q, "email", v, id, NULL, err)) != 0 || *id))
        return rc;
    if (phone_like(ref) && bb_text_phone_norm(ref, v, sizeof v, NULL) == 0)
        return ident_get(q, "phone", v, id, NULL, err);
    return 0;
}

int bb__sqlite_resolve(bb__sqlite *q, const char *ref, const char *id_kind, int64_t *id,
                       bb_error *err)
{
    int rc;
    *id = 0;
    if (!ref || !*ref)
        return bb_error_set(err, BB_EINVAL, "no customer given");
    if (id_kind && !valid_kind(id_kind))
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not an identifier kind (a-z, 0-9, _ and -)",
                            id_kind);
    if ((*id = cache_get(q, id_kind, ref)) != 0)
        return 0;
    if ((rc = lookup(q, ref, id_kind, id, err)) != 0)
        return rc;
    if (*id)
        cache_put(q, id_kind, ref, *id);
    return 0;
}

int bb__sq_resolve(bb_store *s, const char *ref, const char *id_kind, int64_t *id, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    /* Identity is never held in the orders' write-behind (only bare customers of bulk mode wait, and
     * a lookup of one of their identifiers writes them first), so resolving needs no flush: an import
     * that resolves every row's customer for its on_batch hook keeps its lines batched. */
    int rc = bb__sqlite_resolve(q, ref, id_kind, id, err);
    if (rc == 0 && *id == 0)
        rc = bb_error_set(err, BB_ENOTFOUND, "no customer \"%s\"%s%s", ref, id_kind ? " of kind " : "",
                          id_kind ? id_kind : "");
    return rc;
}

/* ---- derived columns ---- */

static int add_folded(bb_buf *b, const char *s)
{
    int rc;
    if (!s)
        return 0;
    if (b->len && (rc = bb_buf_addc(b, ' ')) != 0)
        return rc;
    return bb_text_fold(s, (size_t)-1, b);
}

/* search_text, sort_key and name_key of a customer. */
static int derive(bb__sqlite *q, const cust *c, bb_buf *search, bb_buf *sortkey, bb_buf *namekey,
                  bb_error *err)
{
    bb_text_collator *coll;
    int rc = 0;
    bb_buf_reset(search);
    bb_buf_reset(sortkey);
    bb_buf_reset(namekey);
    if (!rc) rc = add_folded(search, c->first);
    if (!rc) rc = add_folded(search, c->last);
    if (!rc) rc = add_folded(search, c->email);
    if (!rc) rc = add_folded(search, c->phone);
    if (!rc && c->phone && strncmp(c->phone, "+90", 3) == 0 && (rc = bb_buf_adds(search, " 0")) == 0)
        rc = bb_buf_adds(search, c->phone + 3); /* the national form people type */
    if (!rc) rc = add_folded(search, c->city);
    if (!rc) rc = add_folded(search, c->ext);
    if (rc)
        return bb_error_set(err, rc, "folding the search text of customer %s", c->ext);
    if ((rc = bb__sqlite_collator(q, &coll, err)) != 0)
        return rc;
    if (c->first || c->last) {
        const char *parts[2] = {c->last, c->first};
        rc = bb_text_sort_key(coll, parts, 2, sortkey);
    } else { /* nameless customers sort after the named, by external id */
        if ((rc = bb_buf_addc(sortkey, (char)0xff)) == 0)
            rc = bb_buf_adds(sortkey, c->ext);
    }
    if (rc)
        return bb_error_set(err, rc, "making the sort key of customer %s", c->ext);
    if (c->last) {
        if ((rc = bb_text_fold(c->last, (size_t)-1, namekey)) == 0 && c->first) {
            bb_buf f;
            bb_buf_init(&f, 0);
            if ((rc = bb_text_fold(c->first, (size_t)-1, &f)) == 0 && f.len) {
                size_t n = 1;
                while (n < f.len && ((unsigned char)f.data[n] & 0xc0) == 0x80)
                    n++;
                if ((rc = bb_buf_addc(namekey, ' ')) == 0)
                    rc = bb_buf_add(namekey, f.data, n);
            }
            bb_buf_release(&f);
        }
        if (rc)
            return bb_error_set(err, rc, "folding the name of customer %s", c->ext);
    }
    return 0;
}

/* Writes the search texts of new customers into the full-text index. They wait in memory because FTS5
 * writes its pending terms to disk whenever a later statement of the transaction opens a savepoint (any
 * multi-row write does): interleaved with a bulk load, that is a new index segment per customer. */
static int by_rank(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int bb__sqlite_search_flush(bb__sqlite *q, bb_error *err)
{
    sqlite3_stmt *st;
    int rc = 0;
    /* In rank order: FTS5 writes its pending terms out whenever a rowid is lower than the last. */
    if (q->n_search > 1)
        qsort(q->search, q->n_search, sizeof *q->search, by_rank);
    for (size_t i = 0; i < q->n_search && rc == 0; i++) {
        if (!(st = bb__sqlite_stmt(q, BB__SQ_SEARCH_ADD, err)))
            return BB_EDB;
        sqlite3_bind_int64(st, 1, q->search[i].rank);
        bb__sqlite_bind_text(st, 2, q->search_text.data + q->search[i].off);
        rc = bb__sqlite_run(q, st, err, "updating the search index");
    }
    q->n_search = 0;
    bb_buf_reset(&q->search_text);
    return rc;
}

int bb__sqlite_search_index(bb__sqlite *q, int64_t old_rank, const char *old_text, int64_t new_rank,
                            const char *new_text, bb_error *err)
{
    sqlite3_stmt *st;
    int rc;
    old_text = old_text && *old_text ? old_text : NULL;
    new_text = new_text && *new_text ? new_text : NULL;
    if (bb__same(old_text, new_text) && (!old_text || old_rank == new_rank))
        return 0;
    if (!old_text) { /* a new customer: later, with the others */
        void *grown = bb_grow(q->search, &q->cap_search, q->n_search, sizeof *q->search, 256);
        if (!grown)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        q->search = grown;
        q->search[q->n_search].rank = new_rank;
        q->search[q->n_search].off = q->search_text.len;
        if (bb_buf_add(&q->search_text, new_text, strlen(new_text) + 1) != 0)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        q->n_search++;
        return q->n_search >= BB__SEARCH_BUF ? bb__sqlite_search_flush(q, err) : 0;
    }
    if ((rc = bb__sqlite_search_flush(q, err)) != 0)
        return rc;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_SEARCH_DEL, err)))
        return BB_EDB;
    sqlite3_bind_int64(st, 1, old_rank);
    bb__sqlite_bind_text(st, 2, old_text);
    if ((rc = bb__sqlite_run(q, st, err, "updating the search index")) != 0)
        return rc;
    if (new_text) {
        if (!(st = bb__sqlite_stmt(q, BB__SQ_SEARCH_ADD, err)))
            return BB_EDB;
        sqlite3_bind_int64(st, 1, new_rank);
        bb__sqlite_bind_text(st, 2, new_text);
        if ((rc = bb__sqlite_run(q, st, err, "updating the search index")) != 0)
            return rc;
    }
    return 0;
}

typedef struct derived {
    bb_buf search, sortkey, namekey;
} derived;

static void derived_init(derived *d)
{
    bb_buf_init(&d->search, 0);
    bb_buf_init(&d->sortkey, 0);
    bb_buf_init(&d->namekey, 0);
}

static void derived_release(derived *d)
{
    bb_buf_release(&d->search);
    bb_buf_release(&d->sortkey);
    bb_buf_release(&d->namekey);
}

/* Binds the fields shared by insert (?1 = external id) and update (?1 = id): ?2..?14. */
static void bind_cust(sqlite3_stmt *st, const cust *c, const derived *d, int64_t now)
{
    bb__sqlite_bind_text(st, 2, c->first);
    bb__sqlite_bind_text(st, 3, c->last);
    bb__sqlite_bind_text(st, 4, c->email);
    bb__sqlite_bind_text(st, 5, c->phone);
    bb__sqlite_bind_text(st, 6, c->city);
    bb__sqlite_bind_text(st, 7, c->birth);
    bb__sqlite_bind_text(st, 8, c->gender);
    bb__sqlite_bind_text(st, 9, c->attrs ? c->attrs : "{}");
    bb__sqlite_bind_text(st, 10, bb_buf_str(&d->search));
    sqlite3_bind_blob(st, 11, d->sortkey.data ? d->sortkey.data : "", (int)d->sortkey.len,
                      SQLITE_STATIC);
    if (d->namekey.len)
        bb__sqlite_bind_text(st, 12, d->namekey.data);
    else
        sqlite3_bind_null(st, 12);
    sqlite3_bind_int64(st, 13, c->created_at ? c->created_at : now);
    sqlite3_bind_int64(st, 14, now);
}

static int cust_insert(bb__sqlite *q, const cust *c, int64_t now, int64_t *id, bb_error *err)
{
    derived d;
    sqlite3_stmt *st;
    int64_t rank = 0;
    int rc;
    derived_init(&d);
    if ((rc = derive(q, c, &d.search, &d.sortkey, &d.namekey, err)) != 0)
        goto done;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_CUST_INSERT, err))) {
        rc = BB_EDB;
        goto done;
    }
    if ((rc = bb__sqlite_rank_for(q, d.sortkey.data, d.sortkey.len, INT64_MAX, &rank, err)) != 0)
        goto done;
    bb__sqlite_bind_text(st, 1, c->ext);
    bind_cust(st, c, &d, now);
    sqlite3_bind_int64(st, 15, rank);
    if ((rc = bb__sqlite_run(q, st, err, "adding a customer")) == 0) {
        *id = sqlite3_last_insert_rowid(q->db);
        rc = bb__sqlite_search_index(q, 0, NULL, rank, bb_buf_str(&d.search), err);
    }
    if (rc == BB_ECONFLICT)
        bb_error_prefix(err, "customer %s", c->ext);
done:
    derived_release(&d);
    return rc;
}

/* The stored search text, rank and sort key of a customer about to be updated. */
typedef struct was {
    const char *search;
    int64_t rank;
    const void *key;
    size_t key_len;
} was;

static int cust_update(bb__sqlite *q, int64_t id, const cust *c, const was *old, int64_t now, bb_error *err)
{
    derived d;
    sqlite3_stmt *st;
    int64_t rank = old->rank;
    int rc;
    derived_init(&d);
    if ((rc = derive(q, c, &d.search, &d.sortkey, &d.namekey, err)) != 0)
        goto done;
    /* A new place in the order only when the sort key changed (the rank statements are cached too). */
    if ((d.sortkey.len != old->key_len || (old->key_len && memcmp(d.sortkey.data, old->key, old->key_len) != 0)) &&
        (rc = bb__sqlite_rank_for(q, d.sortkey.data, d.sortkey.len, id, &rank, err)) != 0)
        goto done;
    if (!(st = bb__sqlite_stmt(q, BB__SQ_CUST_UPDATE, err))) {
        rc = BB_EDB;
        goto done;
    }
    sqlite3_bind_int64(st, 1, id);
    bind_cust(st, c, &d, now);
    sqlite3_bind_int64(st, 15, rank);
    if ((rc = bb__sqlite_run(q, st, err, "updating a customer")) == 0)
        rc = bb__sqlite_search_index(q, old->rank, old->search, rank, bb_buf_str(&d.search), err);
done:
    derived_release(&d);
    return rc;
}

/* ---- bare customers ---- */

/* In bulk mode a bare customer waits in memory (sqlite_bare.c): its place in the search order is
 * found with the others' at the flush. ext_checked: the reference did not look up the external id
 * itself (another kind's id), so it is looked up here: a stored one is a conflict, as the insert's
 * would be. */
static int bare_insert(bb__sqlite *q, const cust *c, int ext_checked, int64_t *id, bb_error *err)
{
    derived d;
    int64_t other = 0;
    int rc;
    if (ext_checked && (rc = ident_get(q, "id", c->ext, &other, NULL, err)) != 0)
        return rc;
    if (other)
        return bb_error_set(err, BB_ECONFLICT, "customer %s: a customer has this external id already",
                            c->ext);
    derived_init(&d);
    if ((rc = derive(q, c, &d.search, &d.sortkey, &d.namekey, err)) == 0)
        rc = bb__sqlite_bare_add(q, c->ext, c->email, c->phone, bb_buf_str(&d.search), d.sortkey.data,
                                 d.sortkey.len, id, err);
    derived_release(&d);
    return rc;
}

/* An identifier of a new bare customer: waiting with it in bulk mode, else written now. */
static int bare_or_ident_add(bb__sqlite *q, const char *kind, const char *value, int64_t id, int64_t now,
                             bb_error *err)
{
    if (q->bulk)
        return bb__sqlite_bare_ident(q, kind, value, id, err);
    return ident_add(q, kind, value, id, now, NULL, err);
}

int bb__sqlite_resolve_or_create(bb__sqlite *q, const char *ref, const char *id_kind, int64_t now,
                                 int64_t *id, bb_put_stats *stats, bb_error *err)
{
    char v[IDENT_MAX], kind[40], email[IDENT_MAX], ext[IDENT_MAX + 40];
    const char *value, *ikind = "id";
    cust c = {0};
    int rc;
    if ((rc = bb__sqlite_resolve(q, ref, id_kind, id, err)) != 0 || *id)
        return rc;
    if (id_kind && strcmp(id_kind, "id") != 0) {
        if ((rc = ident_norm(id_kind, ref, v, sizeof v, err)) != 0)
            return rc;
        snprintf(ext, sizeof ext, "%s:%s", id_kind, v);
        ikind = id_kind;
    } else {
        if ((rc = ident_norm("id", ref, v, sizeof v, err)) != 0)
            return rc;
        snprintf(ext, sizeof ext, "%s", v);
    }
    c.ext = ext;
    if (strcmp(ikind, "email") == 0 || (strcmp(ikind, "id") == 0 && strchr(v, '@') &&
                                        bb_text_email_norm(v, email, sizeof email, NULL) == 0))
        c.email = strcmp(ikind, "email") == 0 ? v : email;
    if (strcmp(ikind, "phone") == 0)
        c.phone = v;
    if ((rc = q->bulk ? bare_insert(q, &c, strcmp(ikind, "id") != 0, id, err) : cust_insert(q, &c, now, id, err)) != 0)
        return rc;
    if ((rc = bare_or_ident_add(q, "id", ext, *id, now, err)) != 0)
        return rc;
    if (strcmp(ikind, "id") != 0 && (rc = bare_or_ident_add(q, ikind, v, *id, now, err)) != 0)
        return rc;
    if (!id_kind && split_qualified(v, kind, sizeof kind, &value) &&
        ident_norm(kind, value, email, sizeof email, NULL) == 0 &&
        (rc = bare_or_ident_add(q, kind, email, *id, now, err)) != 0)
        return rc;
    if (c.email && (rc = bare_or_ident_add(q, "email", c.email, *id, now, err)) != 0)
        return rc;
    if (stats)
        stats->customers_created++;
    cache_put(q, id_kind, ref, *id);
    return 0;
}

/* ---- the customer upsert ---- */

/* The record's normalised values and extra identifiers, checked before anything is written. */
typedef struct prepared {
    char email[IDENT_MAX], phone[32], key[IDENT_MAX];
    const char *ikind; /* "id" or the record's id kind */
    json_t *attrs;     /* NULL when the record has none */
    char (*idents)[IDENT_MAX];
} prepared;

static int prepare(const bb_customer_rec *r, prepared *p, bb_error *err)
{
    int rc;
    if (!r->customer_id || !*r->customer_id)
        return bb_error_set(err, BB_EINVAL, "customer_id is missing");
    p->ikind = r->id_kind && *r->id_kind ? r->id_kind : "id";
    if (!valid_kind(p->ikind))
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not an identifier kind (a-z, 0-9, _ and -)",
                            p->ikind);
    if ((rc = ident_norm(p->ikind, r->customer_id, p->key, sizeof p->key, err)) != 0)
        return bb_error_prefix(err, "customer_id");
    p->email[0] = p->phone[0] = '\0';
    if (bb__nz(r->email) && (rc = bb_text_email_norm(r->email, p->email, sizeof p->email, err)) != 0)
        return bb_error_prefix(err, "email");
    if (bb__nz(r->phone) && (rc = bb_text_phone_norm(r->phone, p->phone, sizeof p->phone, err)) != 0)
        return bb_error_prefix(err, "phone");
    if (bb__nz(r->attributes_json)) {
        json_error_t je;
        p->attrs = json_loads(r->attributes_json, JSON_REJECT_DUPLICATES, &je);
        if (!p->attrs || !json_is_object(p->attrs))
            return bb_error_set(err, BB_EINVAL, "attributes: not a JSON object%s%s",
                                p->attrs ? "" : ": ", p->attrs ? "" : je.text);
    }
    if (r->n_idents) {
        p->idents = calloc(r->n_idents, sizeof *p->idents);
        if (!p->idents)
            return bb_error_set(err, BB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->n_idents; i++) {
        const bb_ident *id = &r->idents[i];
        if (!id->kind || !valid_kind(id->kind))
            return bb_error_set(err, BB_EINVAL, "\"%s\" is not an identifier kind (a-z, 0-9, _ and -)",
                                id->kind ? id->kind : "");
        if ((rc = ident_norm(id->kind, id->value ? id->value : "", p->idents[i], IDENT_MAX, err)) != 0)
            return bb_error_prefix(err, "identifier %s", id->kind);
    }
    return 0;
}

/* Attributes merged into the stored object: the record's values win (overwrite) or fill gaps.
 * Returns a new string (free it), NULL when out of memory; *n counts the keys added or changed. */
static char *merge_attrs(const char *stored, json_t *rec, int overwrite, int *n)
{
    json_t *obj = json_loads(stored ? stored : "{}", 0, NULL), *v;
    const char *key;
    char *out = NULL;
    *n = 0;
    if (!obj || !json_is_object(obj)) {
        json_decref(obj);
        obj = json_object();
    }
    if (!obj)
        return NULL;
    json_object_foreach(rec, key, v) {
        json_t *old = json_object_get(obj, key);
        if (old && (!overwrite || json_equal(old, v)))
            continue;
        if (json_object_set(obj, key, v) != 0)
            goto done;
        (*n)++;
    }
    out = json_dumps(obj, JSON_COMPACT);
done:
    json_decref(obj);
    return out;
}

static int register_all(bb__sqlite *q, const bb_customer_rec *r, const prepared *p, int64_t id,
                        int64_t now, int *added, bb_error *err)
{
    int rc, a;
    *added = 0;
    if ((rc = ident_add(q, p->ikind, p->key, id, now, &a, err)) != 0)
        return rc;
    *added += a;
    if (p->email[0] && (rc = ident_add(q, "email", p->email, id, now, &a, err)) != 0)
        return rc;
    *added += p->email[0] ? a : 0;
    if (p->phone[0] && (rc = ident_add(q, "phone", p->phone, id, now, &a, err)) != 0)
        return rc;
    *added += p->phone[0] ? a : 0;
    for (size_t i = 0; i < r->n_idents; i++) {
        if ((rc = ident_add(q, r->idents[i].kind, p->idents[i], id, now, &a, err)) != 0)
            return rc;
        *added += a;
    }
    return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    return bb_strdup(col(st, i));
}

/* Updates customer id with the record: its values replace the stored ones (overwrite) or fill the
 * gaps; force writes the row even when nothing else changed. *changed counts the fields and attribute
 * keys that changed (at least 1 when forced). */
static int upsert_existing(bb__sqlite *q, int64_t id, const bb_customer_rec *r, const prepared *p,
                           int overwrite, int force, int64_t now, int *changed, bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_CUST_GET, err);
    char *old[10] = {0}, *attrs = NULL;
    const char *want[8];
    int64_t old_created, old_rank;
    void *old_key = NULL;
    size_t old_key_len = 0;
    cust c = {0};
    int rc = 0, diff = 0, n_attrs = 0;
    *changed = 0;
    if (!st)
        return BB_EDB;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = bb__sqlite_err(q, err, "reading a customer");
        sqlite3_reset(st);
        return rc ? rc : BB_EINTERNAL;
    }
    for (int i = 0; i < 10; i++)
        if (col(st, i) && !(old[i] = dup_col(st, i)))
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    old_created = sqlite3_column_int64(st, 10);
    old_rank = sqlite3_column_int64(st, 11);
    old_key_len = (size_t)sqlite3_column_bytes(st, 12);
    if (old_key_len && !(old_key = malloc(old_key_len)))
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    else if (old_key_len)
        memcpy(old_key, sqlite3_column_blob(st, 12), old_key_len);
    sqlite3_reset(st);
    if (rc)
        goto done;
    want[0] = bb__nz(r->first_name), want[1] = bb__nz(r->last_name);
    want[2] = p->email[0] ? p->email : NULL, want[3] = p->phone[0] ? p->phone : NULL;
    want[4] = bb__nz(r->city), want[5] = bb__nz(r->birth_date), want[6] = bb__nz(r->gender);
    c.ext = old[0];
    const char **fields[7] = {&c.first, &c.last, &c.email, &c.phone, &c.city, &c.birth, &c.gender};
    for (int i = 0; i < 7; i++) {
        const char *o = old[i + 1];
        *fields[i] = want[i] && (overwrite || !o) ? want[i] : o;
        diff += !bb__same(*fields[i], o);
    }
    if (!(attrs = merge_attrs(old[8], p->attrs, overwrite, &n_attrs))) {
        rc = bb_error_set(err, BB_ENOMEM, "out of memory");
        goto done;
    }
    c.attrs = attrs;
    diff += n_attrs;
    if (!n_attrs && !bb__same(attrs, old[8]))
        diff++; /* the stored text was not in our form */
    c.created_at = overwrite && r->created_at ? r->created_at : old_created;
    diff += c.created_at != old_created;
    was w = {old[9], old_rank, old_key, old_key_len};
    if ((diff || force) && (rc = cust_update(q, id, &c, &w, now, err)) == 0)
        *changed = diff ? diff : 1;
done:
    free(old_key);
    for (int i = 0; i < 10; i++)
        free(old[i]);
    free(attrs);
    return rc;
}

int bb__sqlite_customer_absorb(bb__sqlite *q, int64_t keep, int64_t other, int64_t now, int64_t *filled,
                               bb_error *err)
{
    sqlite3_stmt *st = bb__sqlite_stmt(q, BB__SQ_CUST_GET, err);
    char *f[9] = {0};
    prepared p = {0};
    int rc = 0, n = 0;
    *filled = 0;
    if (!st)
        return BB_EDB;
    sqlite3_bind_int64(st, 1, other);
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = bb__sqlite_err(q, err, "reading a customer");
    for (int i = 0; rc == 0 && i < 9; i++)
        if (col(st, i) && !(f[i] = dup_col(st, i)))
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
    sqlite3_reset(st);
    if (rc)
        goto done;
    /* stored email and phone are normal already */
    snprintf(p.email, sizeof p.email, "%s", f[3] ? f[3] : "");
    snprintf(p.phone, sizeof p.phone, "%s", f[4] ? f[4] : "");
    p.attrs = json_loads(f[8] ? f[8] : "{}", 0, NULL);
    bb_customer_rec r = {.customer_id = f[0], .first_name = f[1], .last_name = f[2], .city = f[5],
                         .birth_date = f[6], .gender = f[7]};
    if ((rc = upsert_existing(q, keep, &r, &p, 0, 0, now, &n, err)) == 0)
        *filled = n;
done:
    json_decref(p.attrs);
    for (int i = 0; i < 9; i++)
        free(f[i]);
    return rc;
}

int bb__sq_put_customer(bb_store *s, const bb_customer_rec *r, bb_put_result *res, bb_put_stats *st,
                        bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    prepared p = {0};
    int64_t id = 0, now = bb__now();
    int rc, own = 0, alias = 0, changed = 0, added = 0, wrote = 0;
    char ext[IDENT_MAX + 40];
    (void)st;
    *res = BB_PUT_UNCHANGED;
    if ((rc = prepare(r, &p, err)) != 0)
        goto done;
    if ((rc = bb__sqlite_tx_enter(q, &own, err)) != 0)
        goto done;
    /* waiting bare customers first: this one's id and rank are found among the stored */
    if ((rc = bb__sqlite_bare_flush(q, err)) != 0 || (rc = ident_get(q, p.ikind, p.key, &id, &alias, err)) != 0)
        goto leave;
    if (strcmp(p.ikind, "id") != 0) {
        /* Another system's id: found by it, or by the email or phone the record carries; such a
         * record fills gaps only (the profile belongs to the system of the external id). */
        alias = 1;
        if (!id && p.email[0] && (rc = ident_get(q, "email", p.email, &id, NULL, err)) != 0)
            goto leave;
        if (!id && p.phone[0] && (rc = ident_get(q, "phone", p.phone, &id, NULL, err)) != 0)
            goto leave;
    }
    wrote = 1;
    if (!id) {
        cust c = {0};
        int n_attrs;
        char *attrs = merge_attrs(NULL, p.attrs, 1, &n_attrs);
        if (!attrs) {
            rc = bb_error_set(err, BB_ENOMEM, "out of memory");
            goto leave;
        }
        if (strcmp(p.ikind, "id") == 0)
            snprintf(ext, sizeof ext, "%s", p.key);
        else
            snprintf(ext, sizeof ext, "%s:%s", p.ikind, p.key);
        c.ext = ext, c.first = bb__nz(r->first_name), c.last = bb__nz(r->last_name);
        c.email = p.email[0] ? p.email : NULL, c.phone = p.phone[0] ? p.phone : NULL;
        c.city = bb__nz(r->city), c.birth = bb__nz(r->birth_date), c.gender = bb__nz(r->gender);
        c.attrs = attrs, c.created_at = r->created_at;
        /* A reference cached as this external id named someone else (by email or phone). */
        if (cache_get(q, NULL, ext) || cache_get(q, "id", ext))
            bb__smap_clear(&q->customers);
        rc = cust_insert(q, &c, now, &id, err);
        free(attrs);
        if (rc == 0 && strcmp(p.ikind, "id") != 0)
            rc = ident_add(q, "id", ext, id, now, NULL, err);
        if (rc == 0)
            rc = register_all(q, r, &p, id, now, &added, err);
        if (rc == 0)
            *res = BB_PUT_INSERTED;
        goto leave;
    }
    if ((rc = register_all(q, r, &p, id, now, &added, err)) != 0)
        goto leave;
    if ((rc = upsert_existing(q, id, r, &p, !alias, added > 0, now, &changed, err)) != 0)
        goto leave;
    if (changed)
        *res = BB_PUT_UPDATED;
    if (changed) /* what its stored view shows */
        bb__sqlite_view_stale(q, id);
leave:
    if (rc == 0)
        cache_put(q, r->id_kind && *r->id_kind ? r->id_kind : NULL, r->customer_id, id);
    rc = bb__sqlite_tx_leave(q, own, rc, wrote, err);
done:
    json_decref(p.attrs);
    free(p.idents);
    return rc;
}
