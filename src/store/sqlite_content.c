/* sqlite_content.c: the rows deduplicated on their content in the SQLite backend: interactions and
 * survey answers (a SHA-256 fingerprint of their fields, unique per customer) and consents (unique on
 * customer, channel, time, status and source). Putting the same content twice leaves one row. */
#include <string.h>

#include "birebir/hash.h"
#include "store/sqlite_db.h"

enum { FP_LEN = 16 }; /* bytes of the SHA-256 digest kept as the fingerprint */

/* Fields are hashed with a presence tag and a length, so ("ab", "c") and ("a", "bc") differ. */
static void fp_str(bb_sha256 *c, const char *s)
{
    unsigned char tag = s ? 1 : 0, len[8];
    uint64_t n = s ? strlen(s) : 0;
    bb_sha256_update(c, &tag, 1);
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(n >> (8 * i));
    bb_sha256_update(c, len, 8);
    if (s)
        bb_sha256_update(c, s, n);
}

static void fp_i64(bb_sha256 *c, int64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    bb_sha256_update(c, b, 8);
}

static int is_one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

/* Resolves the customer and runs the prepared insert (parameter 1 is the customer); the result is
 * INSERTED when a row was added, UNCHANGED when the same content was there. */
typedef int (*bind_fn)(sqlite3_stmt *st, const void *rec, int64_t now);

static int put_content(bb__sqlite *q, enum bb__sq which, const char *ref, const char *id_kind,
                       bind_fn bind, const void *rec, bb_put_result *res, bb_put_stats *stats,
                       bb_error *err)
{
    sqlite3_stmt *st;
    int64_t cid, now = bb__now();
    int rc, own = 0;
    *res = BB_PUT_UNCHANGED;
    if ((rc = bb__sqlite_tx_enter(q, &own, err)) != 0)
        return rc;
    if ((rc = bb__sqlite_resolve_or_create(q, ref, id_kind, now, &cid, stats, err)) != 0)
        goto leave;
    if (!(st = bb__sqlite_stmt(q, which, err))) {
        rc = BB_EDB;
        goto leave;
    }
    sqlite3_bind_int64(st, 1, cid);
    bind(st, rec, now);
    if ((rc = bb__sqlite_run(q, st, err, "adding a row")) == 0 && sqlite3_changes(q->db) > 0)
        *res = BB_PUT_INSERTED;
    if (*res == BB_PUT_INSERTED)
        bb__sqlite_view_stale(q, cid);
leave:
    return bb__sqlite_tx_leave(q, own, rc, 1, err);
}

/* ---- interactions ---- */

static int bind_interaction(sqlite3_stmt *st, const void *rec, int64_t now)
{
    const bb_interaction_rec *r = rec;
    unsigned char fp[32];
    bb_sha256 c;
    bb_sha256_init(&c);
    fp_i64(&c, r->occurred_at);
    fp_str(&c, r->channel);
    fp_str(&c, r->direction);
    fp_str(&c, r->kind);
    fp_str(&c, bb__nz(r->subject));
    fp_str(&c, bb__nz(r->body));
    bb_sha256_final(&c, fp);
    sqlite3_bind_int64(st, 2, r->occurred_at);
    bb__sqlite_bind_text(st, 3, r->channel);
    bb__sqlite_bind_text(st, 4, r->direction);
    bb__sqlite_bind_text(st, 5, r->kind);
    bb__sqlite_bind_text(st, 6, bb__nz(r->subject));
    bb__sqlite_bind_text(st, 7, bb__nz(r->body));
    sqlite3_bind_blob(st, 8, fp, FP_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 9, now);
    return 0;
}

int bb__sq_put_interaction(bb_store *s, const bb_interaction_rec *r, bb_put_result *res,
                           bb_put_stats *stats, bb_error *err)
{
    static const char *const dirs[] = {"in", "out", NULL};
    *res = BB_PUT_UNCHANGED;
    if (!bb__nz(r->customer_ref))
        return bb_error_set(err, BB_EINVAL, "customer_id is missing");
    if (r->occurred_at == 0)
        return bb_error_set(err, BB_EINVAL, "occurred_at is missing");
    if (!bb__nz(r->channel))
        return bb_error_set(err, BB_EINVAL, "channel is missing");
    if (!r->direction || !is_one_of(r->direction, dirs))
        return bb_error_set(err, BB_EINVAL, "direction \"%s\" is not in or out",
                            r->direction ? r->direction : "");
    if (!bb__nz(r->kind))
        return bb_error_set(err, BB_EINVAL, "kind is missing");
    return put_content((bb__sqlite *)s, BB__SQ_INTERACTION_INSERT, r->customer_ref, r->id_kind,
                       bind_interaction, r, res, stats, err);
}

/* ---- consents ---- */

static int bind_consent(sqlite3_stmt *st, const void *rec, int64_t now)
{
    const bb_consent_rec *r = rec;
    bb__sqlite_bind_text(st, 2, r->channel);
    bb__sqlite_bind_text(st, 3, r->status);
    bb__sqlite_bind_text(st, 4, r->source ? r->source : "");
    sqlite3_bind_int64(st, 5, r->recorded_at);
    sqlite3_bind_int64(st, 6, now);
    return 0;
}

int bb__sq_put_consent(bb_store *s, const bb_consent_rec *r, bb_put_result *res, bb_put_stats *stats,
                       bb_error *err)
{
    static const char *const channels[] = {"email", "sms", "call", "push", "whatsapp", NULL};
    static const char *const statuses[] = {"granted", "revoked", NULL};
    *res = BB_PUT_UNCHANGED;
    if (!bb__nz(r->customer_ref))
        return bb_error_set(err, BB_EINVAL, "customer_id is missing");
    if (!r->channel || !is_one_of(r->channel, channels))
        return bb_error_set(err, BB_EINVAL,
                            "channel \"%s\" is not one of email, sms, call, push, whatsapp",
                            r->channel ? r->channel : "");
    if (!r->status || !is_one_of(r->status, statuses))
        return bb_error_set(err, BB_EINVAL, "status \"%s\" is not granted or revoked",
                            r->status ? r->status : "");
    if (r->recorded_at == 0)
        return bb_error_set(err, BB_EINVAL, "recorded_at is missing");
    return put_content((bb__sqlite *)s, BB__SQ_CONSENT_INSERT, r->customer_ref, r->id_kind,
                       bind_consent, r, res, stats, err);
}

/* ---- survey answers ---- */

static int bind_survey(sqlite3_stmt *st, const void *rec, int64_t now)
{
    const bb_survey_rec *r = rec;
    unsigned char fp[32];
    bb_sha256 c;
    bb_sha256_init(&c);
    fp_str(&c, r->survey);
    fp_i64(&c, r->score);
    fp_str(&c, bb__nz(r->comment));
    fp_i64(&c, r->responded_at);
    bb_sha256_final(&c, fp);
    bb__sqlite_bind_text(st, 2, r->survey);
    sqlite3_bind_int(st, 3, r->score);
    bb__sqlite_bind_text(st, 4, bb__nz(r->comment));
    sqlite3_bind_int64(st, 5, r->responded_at);
    sqlite3_bind_blob(st, 6, fp, FP_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, now);
    return 0;
}

int bb__sq_put_survey(bb_store *s, const bb_survey_rec *r, bb_put_result *res, bb_put_stats *stats,
                      bb_error *err)
{
    *res = BB_PUT_UNCHANGED;
    if (!bb__nz(r->customer_ref))
        return bb_error_set(err, BB_EINVAL, "customer_id is missing");
    if (!bb__nz(r->survey))
        return bb_error_set(err, BB_EINVAL, "survey is missing");
    if (r->responded_at == 0)
        return bb_error_set(err, BB_EINVAL, "responded_at is missing");
    return put_content((bb__sqlite *)s, BB__SQ_SURVEY_INSERT, r->customer_ref, r->id_kind, bind_survey,
                       r, res, stats, err);
}
