/* sqlite_merge.c: folding a duplicate customer into another in the SQLite backend. In one
 * transaction everything the other customer owns moves to the keeper: orders and their lines,
 * interactions, consents, survey answers (rows whose identical content the keeper has already are
 * dropped: nothing is lost), identifiers, segment and campaign membership, loyalty, scores; the
 * keeper's empty profile fields and missing attributes are filled from the other's. The other stays as
 * a tombstone (merged_into) so its references resolve to the keeper, and customer_merge records who
 * merged, when, and what moved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/sqlite_read.h"

/* Runs sql with ?1 = keep and ?2 = other (and ?3 = now when it has one); *changes gets the rows
 * changed (may be NULL). */
static int run2(bb__sqlite *q, const char *sql, int64_t keep, int64_t other, int64_t now,
                int64_t *changes, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
        return bb__sqlite_err(q, err, "preparing a merge step");
    sqlite3_bind_int64(st, 1, keep);
    sqlite3_bind_int64(st, 2, other);
    if (sqlite3_bind_parameter_count(st) >= 3)
        sqlite3_bind_int64(st, 3, now);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return bb__sqlite_err(q, err, "merging");
    if (changes)
        *changes = sqlite3_changes(q->db);
    return 0;
}

/* Moves rows that are unique per customer and content: those the keeper has already are identical
 * and go. *moved counts those that moved, *dropped those that went. */
static int move_unique(bb__sqlite *q, const char *table, int64_t keep, int64_t other, int64_t *moved,
                       int64_t *dropped, bb_error *err)
{
    char sql[160];
    int rc;
    snprintf(sql, sizeof sql, "UPDATE OR IGNORE %s SET customer_id = ?1 WHERE customer_id = ?2", table);
    if ((rc = run2(q, sql, keep, other, 0, moved, err)) != 0)
        return rc;
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE customer_id = ?2", table);
    return run2(q, sql, keep, other, 0, dropped, err);
}

/* The external ids of the orders that move, for the record. */
static int moved_orders(bb__sqlite *q, int64_t other, json_t *ids, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int step;
    if (sqlite3_prepare_v2(q->db, "SELECT external_id FROM orders WHERE customer_id = ?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return bb__sqlite_err(q, err, "preparing a merge step");
    sqlite3_bind_int64(st, 1, other);
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (json_array_append_new(ids, json_string((const char *)sqlite3_column_text(st, 0))) != 0) {
            sqlite3_finalize(st);
            return bb_error_set(err, BB_ENOMEM, "out of memory");
        }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "merging");
}

static int text_of(bb__sqlite *q, const char *sql, int64_t id, char *out, size_t size, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    int step;
    out[0] = '\0';
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
        return bb__sqlite_err(q, err, "preparing a merge step");
    sqlite3_bind_int64(st, 1, id);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "merging");
}

static int record(bb__sqlite *q, int64_t keep, int64_t other, const char *other_ext, const char *who,
                  int64_t now, json_t *moved, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    char *text = json_dumps(moved, JSON_COMPACT);
    int rc;
    if (!text)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    if (sqlite3_prepare_v2(q->db, "INSERT INTO customer_merge (kept_customer_id, merged_customer_id,"
                                  " merged_external_id, actor, merged_at, moved)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL) != SQLITE_OK) {
        free(text);
        return bb__sqlite_err(q, err, "preparing a merge step");
    }
    sqlite3_bind_int64(st, 1, keep);
    sqlite3_bind_int64(st, 2, other);
    bb__sqlite_bind_text(st, 3, other_ext);
    bb__sqlite_bind_text(st, 4, who && *who ? who : "unknown");
    sqlite3_bind_int64(st, 5, now);
    bb__sqlite_bind_text(st, 6, text);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : bb__sqlite_err(q, err, "recording the merge");
    sqlite3_finalize(st);
    free(text);
    return rc;
}

static int fold(bb__sqlite *q, int64_t keep, int64_t other, const char *who, int64_t now,
                bb_merge_report *rep, json_t *moved, bb_error *err)
{
    int64_t lines = 0, dup_i = 0, dup_c = 0, dup_s = 0, seg = 0, camp = 0, camp_dropped = 0,
            loyalty = 0, entries = 0, scores = 0, x = 0;
    char other_ext[512], old_search[4096], old_rank[32];
    json_t *ids = json_array();
    int rc;
    if (!ids)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    json_object_set_new(moved, "order_ids", ids);
    if ((rc = text_of(q, "SELECT external_id FROM customer WHERE id = ?1", other, other_ext,
                      sizeof other_ext, err)) ||
        (rc = text_of(q, "SELECT search_text FROM customer WHERE id = ?1", other, old_search,
                      sizeof old_search, err)) ||
        (rc = text_of(q, "SELECT search_rank FROM customer WHERE id = ?1", other, old_rank, sizeof old_rank,
                      err)) ||
        (rc = moved_orders(q, other, ids, err)) ||
        (rc = run2(q, "UPDATE order_line SET customer_id = ?1 WHERE order_id IN"
                      " (SELECT id FROM orders WHERE customer_id = ?2)", keep, other, 0, &lines, err)) ||
        (rc = run2(q, "UPDATE orders SET customer_id = ?1, updated_at = ?3 WHERE customer_id = ?2",
                   keep, other, now, &rep->orders, err)) ||
        (rc = move_unique(q, "interaction", keep, other, &rep->interactions, &dup_i, err)) ||
        (rc = move_unique(q, "consent", keep, other, &rep->consents, &dup_c, err)) ||
        (rc = move_unique(q, "survey_response", keep, other, &rep->survey_responses, &dup_s, err)) ||
        (rc = run2(q, "UPDATE customer_identifier SET customer_id = ?1 WHERE customer_id = ?2", keep,
                   other, 0, &rep->identifiers, err)) ||
        (rc = move_unique(q, "segment_member", keep, other, &seg, &x, err)) ||
        (rc = move_unique(q, "campaign_member", keep, other, &camp, &camp_dropped, err)) ||
        /* loyalty: the keeper's account takes the other's points, or the other's account moves */
        (rc = run2(q, "UPDATE loyalty_account SET points = points + (SELECT points FROM loyalty_account"
                      " WHERE customer_id = ?2), joined_at = min(joined_at, (SELECT joined_at FROM"
                      " loyalty_account WHERE customer_id = ?2)), updated_at = ?3"
                      " WHERE customer_id = ?1 AND EXISTS (SELECT 1 FROM loyalty_account"
                      " WHERE customer_id = ?2)", keep, other, now, &loyalty, err)) ||
        (rc = move_unique(q, "loyalty_account", keep, other, &x, NULL, err)) ||
        (rc = run2(q, "UPDATE loyalty_entry SET customer_id = ?1 WHERE customer_id = ?2", keep, other,
                   0, &entries, err)) ||
        /* scores: the keeper's stay (they are recomputed), or the other's move */
        (rc = move_unique(q, "customer_score", keep, other, &scores, NULL, err)) ||
        (rc = bb__sqlite_customer_absorb(q, keep, other, now, &rep->attributes, err)) ||
        (rc = run2(q, "UPDATE customer SET created_at = min(created_at, (SELECT created_at FROM customer"
                      " WHERE id = ?2)) WHERE id = ?1", keep, other, 0, NULL, err)) ||
        /* the tombstone, and those merged into it before */
        (rc = bb__sqlite_search_index(q, strtoll(old_rank, NULL, 10), old_search, 0, NULL, err)) ||
        (rc = run2(q, "UPDATE customer SET merged_into = ?1, search_text = '', sort_key = x'', search_rank = NULL,"
                      " name_key = NULL, updated_at = ?3 WHERE id = ?2 OR merged_into = ?2", keep, other,
                   now, NULL, err)))
        return rc;
    if (json_object_set_new(moved, "orders", json_integer(rep->orders)) ||
        json_object_set_new(moved, "order_lines", json_integer(lines)) ||
        json_object_set_new(moved, "interactions", json_integer(rep->interactions)) ||
        json_object_set_new(moved, "interactions_identical", json_integer(dup_i)) ||
        json_object_set_new(moved, "consents", json_integer(rep->consents)) ||
        json_object_set_new(moved, "consents_identical", json_integer(dup_c)) ||
        json_object_set_new(moved, "survey_responses", json_integer(rep->survey_responses)) ||
        json_object_set_new(moved, "survey_responses_identical", json_integer(dup_s)) ||
        json_object_set_new(moved, "identifiers", json_integer(rep->identifiers)) ||
        json_object_set_new(moved, "profile_fields_and_attributes", json_integer(rep->attributes)) ||
        json_object_set_new(moved, "segments", json_integer(seg)) ||
        json_object_set_new(moved, "campaigns", json_integer(camp)) ||
        json_object_set_new(moved, "campaigns_already_in", json_integer(camp_dropped)) ||
        json_object_set_new(moved, "loyalty_points_added", json_integer(loyalty)) ||
        json_object_set_new(moved, "loyalty_entries", json_integer(entries)) ||
        json_object_set_new(moved, "scores", json_integer(scores)))
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    return record(q, keep, other, other_ext, who, now, moved, err);
}

int bb__sq_merge(bb_store *s, const char *keep_ref, const char *other_ref, const char *who,
                 bb_merge_report *report, bb_error *err)
{
    bb__sqlite *q = (bb__sqlite *)s;
    bb_merge_report rep = {0};
    int64_t keep = 0, other = 0, now = bb__now();
    json_t *moved = json_object();
    int rc, own = 0, wrote = 0;
    if (!moved)
        return bb_error_set(err, BB_ENOMEM, "out of memory");
    if ((rc = bb__sqlite_tx_enter(q, &own, err)) != 0)
        goto done;
    if ((rc = bb__sqlite_flush(q, err)) != 0 ||
        (rc = bb__sq_resolve(s, keep_ref, NULL, &keep, err)) != 0 ||
        (rc = bb__sq_resolve(s, other_ref, NULL, &other, err)) != 0)
        goto leave;
    if (keep == other) {
        rc = bb_error_set(err, BB_EINVAL, "\"%s\" and \"%s\" are the same customer already", keep_ref,
                          other_ref);
        goto leave;
    }
    wrote = 1;
    rc = fold(q, keep, other, who, now, &rep, moved, err);
    /* every cached reference and order may name the other customer */
    bb__sqlite_caches_clear(q);
    bb__sqlite_view_stale(q, keep);
    bb__sqlite_view_stale(q, other);
    bb__sqlite_last_recheck(q, keep);
    bb__sqlite_last_recheck(q, other);
leave:
    rc = bb__sqlite_tx_leave(q, own, rc, wrote, err);
done:
    json_decref(moved);
    if (rc == 0 && report)
        *report = rep;
    return rc;
}
