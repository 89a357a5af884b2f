/* sqlite_stmt.c: the SQL text of the write path's named statements, prepared once per handle and
 * cached, and the small helpers that bind and run them. Parameters are always bound. */
#include "store/sqlite_db.h"

/* Multi-row VALUES lists for the bulk inserts. They are INSERT OR FAIL: a multi-row INSERT whose
 * constraints abort (NOT NULL, UNIQUE) opens a statement journal, a copy of every page it touches so
 * the rows it wrote can be taken back; FAIL keeps them instead, and the write-behind marks the
 * transaction failed on any error (it can only be rolled back), so nothing partial is committed.
 * Import of 250k lines: 3.14 -> 2.79 G instructions on the writing thread. */
#define ORDER_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define ORDER_ROWS4 ORDER_ROW ", " ORDER_ROW ", " ORDER_ROW ", " ORDER_ROW
#define ORDER_ROWS16 ORDER_ROWS4 ", " ORDER_ROWS4 ", " ORDER_ROWS4 ", " ORDER_ROWS4
#define LINE_ROW "(?, ?, ?, ?, ?, ?)"
#define LINE_ROWS4 LINE_ROW ", " LINE_ROW ", " LINE_ROW ", " LINE_ROW
#define LINE_ROWS16 LINE_ROWS4 ", " LINE_ROWS4 ", " LINE_ROWS4 ", " LINE_ROWS4
#define ORDER_ROWS32 ORDER_ROWS16 ", " ORDER_ROWS16
#define LINE_ROWS64 LINE_ROWS16 ", " LINE_ROWS16 ", " LINE_ROWS16 ", " LINE_ROWS16
#define BARE_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define BARE_ROWS4 BARE_ROW ", " BARE_ROW ", " BARE_ROW ", " BARE_ROW
#define BARE_ROWS16 BARE_ROWS4 ", " BARE_ROWS4 ", " BARE_ROWS4 ", " BARE_ROWS4
#define IDENT_ROW "(?, ?, ?, ?)"
#define IDENT_ROWS4 IDENT_ROW ", " IDENT_ROW ", " IDENT_ROW ", " IDENT_ROW
#define IDENT_ROWS16 IDENT_ROWS4 ", " IDENT_ROWS4 ", " IDENT_ROWS4 ", " IDENT_ROWS4
_Static_assert(BB__ORDERS_PER_INSERT == 32 && BB__LINES_PER_INSERT == 64 && BB__BARE_PER_INSERT == 32 &&
                   BB__IDENTS_PER_INSERT == 64,
               "VALUES lists below");

/* The customer list's pieces (sqlite_search.c): ?2, ?3 the cursor, ?4 the segment or NULL. */
#define CURSOR_RANK "coalesce((SELECT search_rank FROM customer WHERE id = ?3 AND merged_into IS NULL), ?2)"
#define SEGMENT_OF(id) " AND (?4 IS NULL OR (SELECT rfm_segment FROM customer_score WHERE customer_id = " id ") = ?4)"
#define LIST_BY_SCORE(col)                                                                                      \
    "SELECT s.customer_id, s." col ", s.customer_id, c.search_text FROM customer_score s JOIN customer c"       \
    " ON c.id = s.customer_id AND c.merged_into IS NULL WHERE s." col " IS NOT NULL AND (s." col                \
    ", s.customer_id) < (?2, ?3) AND (?4 IS NULL OR s.rfm_segment = ?4) ORDER BY s." col " DESC,"              \
    " s.customer_id DESC"
#define TAIL_WITHOUT(exists)                                                                                    \
    "SELECT c.id, c.search_rank, c.id, c.search_text FROM customer c WHERE c.merged_into IS NULL AND"          \
    " c.search_rank > " CURSOR_RANK " AND NOT EXISTS (" exists ")" SEGMENT_OF("c.id") " ORDER BY c.search_rank"
#define COLLECT_SCORE(col)                                                                                      \
    "SELECT c.id, c.search_rank, c.search_text, s." col ", s.customer_id FROM customer_search f JOIN customer c" \
    " ON c.search_rank = f.rowid AND c.merged_into IS NULL LEFT JOIN customer_score s ON s.customer_id = c.id"  \
    " WHERE f.customer_search MATCH ?1 AND (?4 IS NULL OR s.rfm_segment = ?4)"

/* A segment's members by a score, from the segment's index on it; those without it (tested later). */
#define LIST_SEGMENT(k1, k2, idx)                                                                              \
    "SELECT s.customer_id, s." k1 ", s." k2 ", c.search_text FROM customer_score s INDEXED BY " idx " JOIN"     \
    " customer c ON c.id = s.customer_id AND c.merged_into IS NULL WHERE s.rfm_segment = ?4 AND s." k1 " IS NOT" \
    " NULL AND (s." k1 ", s." k2 ") < (?2, ?3) ORDER BY s." k1 " DESC, s." k2 " DESC"
#define SEGMENT_TAIL(col)                                                                                       \
    "SELECT customer_id, NULL, NULL, NULL, customer_id FROM customer_score WHERE rfm_segment = ?4 AND " col    \
    " IS NULL"

static const char *const sql_text[BB__SQ_COUNT] = {
    [BB__SQ_DATA_VERSION] = "PRAGMA data_version",
    [BB__SQ_META_GET] = "SELECT value FROM meta WHERE key = ?1",

    /* The survivor of merges, the identifier's own customer's external id, and whether that
     * customer was merged away. */
    [BB__SQ_IDENT_GET] = "SELECT coalesce(c.merged_into, c.id), c.external_id, c.merged_into IS NOT NULL"
                         " FROM customer_identifier i JOIN customer c ON c.id = i.customer_id"
                         " WHERE i.kind = ?1 AND i.value = ?2",
    /* Resolving only: an identifier always names a survivor (a merge moves the merged customer's
     * identifiers to the keeper, in the transaction that makes the tombstone), so no JOIN to customer:
     * one lookup in the identifier's own B-tree. */
    [BB__SQ_IDENT_ID] = "SELECT customer_id FROM customer_identifier WHERE kind = ?1 AND value = ?2",
    [BB__SQ_IDENT_ADD] = "INSERT INTO customer_identifier (kind, value, customer_id, source, created_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
    [BB__SQ_CUST_GET] =
        "SELECT external_id, first_name, last_name, email, phone, city, birth_date, gender,"
        " attributes, search_text, created_at, search_rank, sort_key FROM customer WHERE id = ?1",
    [BB__SQ_CUST_INSERT] =
        "INSERT INTO customer (external_id, first_name, last_name, email, phone, city, birth_date,"
        " gender, attributes, search_text, sort_key, name_key, created_at, updated_at, search_rank)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [BB__SQ_CUST_UPDATE] =
        "UPDATE customer SET first_name = ?2, last_name = ?3, email = ?4, phone = ?5, city = ?6,"
        " birth_date = ?7, gender = ?8, attributes = ?9, search_text = ?10, sort_key = ?11,"
        " name_key = ?12, created_at = ?13, updated_at = ?14, search_rank = ?15 WHERE id = ?1",
    [BB__SQ_SEARCH_ADD] = "INSERT INTO customer_search (rowid, search_text) VALUES (?1, ?2)",
    [BB__SQ_SEARCH_DEL] =
        "INSERT INTO customer_search (customer_search, rowid, search_text) VALUES ('delete', ?1, ?2)",
    [BB__SQ_RANK_PREV] =
        "SELECT search_rank FROM customer WHERE merged_into IS NULL AND (sort_key, id) < (?1, ?2)"
        " AND id <> ?2 ORDER BY sort_key DESC, id DESC LIMIT 1",
    [BB__SQ_RANK_NEXT] =
        "SELECT search_rank, sort_key, id FROM customer WHERE merged_into IS NULL AND (sort_key, id) > (?1, ?2)"
        " AND id <> ?2 ORDER BY sort_key, id LIMIT 1",
    /* The search and the customer list (sqlite_search.c). Every walk yields (customer id, key, tie-break,
     * search_text) after the cursor (?2, ?3), of segment ?4 when it is not NULL. By name: the rank index
     * walked, or the trigram index (?1) by rank; the cursor's customer, when it still has a rank, names
     * the place. */
    [BB__SQ_SEARCH_WALK] =
        "SELECT c.id, c.search_rank, c.id, c.search_text FROM customer c WHERE c.merged_into IS NULL AND"
        " c.search_rank > " CURSOR_RANK SEGMENT_OF("c.id") " ORDER BY c.search_rank",
    [BB__SQ_SEARCH_FTS] =
        "SELECT c.id, c.search_rank, c.id, c.search_text FROM customer_search f JOIN customer c"
        " ON c.search_rank = f.rowid AND c.merged_into IS NULL WHERE f.customer_search MATCH ?1 AND f.rowid > "
        CURSOR_RANK SEGMENT_OF("c.id") " ORDER BY f.rowid",
    [BB__SQ_SEARCH_ROW] =
        "SELECT c.external_id, c.first_name, c.last_name, c.email, c.phone, c.city, s.rfm_segment, s.clv_minor,"
        " s.monetary_minor, c.last_order_at FROM customer c LEFT JOIN customer_score s ON s.customer_id = c.id"
        " WHERE c.id = ?1",
    /* By a score, highest first (its index walked backwards; the tie-break is the customer id). */
    [BB__SQ_LIST_CLV] = LIST_BY_SCORE("clv_minor"),
    [BB__SQ_LIST_REVENUE] = LIST_BY_SCORE("monetary_minor"),
    /* By the latest purchase, stored (sqlite_last.c): its index walked backwards (the tie-break is the
     * order's id). */
    [BB__SQ_LIST_LAST] =
        "SELECT c.id, c.last_order_at, c.last_order_id, c.search_text FROM customer c INDEXED BY customer_last"
        " WHERE c.merged_into IS NULL AND c.last_order_at IS NOT NULL AND (c.last_order_at, c.last_order_id) <"
        " (?2, ?3) ORDER BY c.last_order_at DESC, c.last_order_id DESC",
    /* The customers without the key, by name. */
    [BB__SQ_TAIL_CLV] = TAIL_WITHOUT("SELECT 1 FROM customer_score s WHERE s.customer_id = c.id AND"
                                     " s.clv_minor IS NOT NULL"),
    [BB__SQ_TAIL_REVENUE] = TAIL_WITHOUT("SELECT 1 FROM customer_score s WHERE s.customer_id = c.id AND"
                                         " s.monetary_minor IS NOT NULL"),
    [BB__SQ_TAIL_LAST] =
        "SELECT c.id, c.search_rank, c.id, c.search_text FROM customer c INDEXED BY customer_no_order WHERE"
        " c.merged_into IS NULL AND c.last_order_at IS NULL AND c.search_rank > " CURSOR_RANK " ORDER BY c.search_rank",
    /* Every hit of the trigram index (?1) with (id, rank, search_text, key, tie-break); key NULL: none. */
    [BB__SQ_COLLECT_CLV] = COLLECT_SCORE("clv_minor"),
    [BB__SQ_COLLECT_REVENUE] = COLLECT_SCORE("monetary_minor"),
    [BB__SQ_COLLECT_LAST] =
        "SELECT c.id, c.search_rank, c.search_text, c.last_order_at, c.last_order_id FROM customer_search f"
        " JOIN customer c ON c.search_rank = f.rowid AND c.merged_into IS NULL WHERE f.customer_search MATCH ?1"
        SEGMENT_OF("c.id"),
    /* A segment ?4: its members walked in the list's order on its own index, then (collected) those
     * without the key. */
    [BB__SQ_LIST_SEG_CLV] = LIST_SEGMENT("clv_minor", "customer_id", "customer_score_seg_clv"),
    [BB__SQ_LIST_SEG_REVENUE] =
        LIST_SEGMENT("monetary_minor", "customer_id", "customer_score_seg_revenue"),
    [BB__SQ_LIST_SEG_LAST] =
        LIST_SEGMENT("last_order_at", "last_order_id", "customer_score_seg_last"),
    [BB__SQ_SEG_TAIL_CLV] = SEGMENT_TAIL("clv_minor"),
    [BB__SQ_SEG_TAIL_REVENUE] = SEGMENT_TAIL("monetary_minor"),
    [BB__SQ_SEG_TAIL_LAST] = SEGMENT_TAIL("last_order_at"),
    [BB__SQ_RANK_TEXT] = "SELECT search_rank, search_text FROM customer WHERE id = ?1 AND merged_into IS NULL",
    /* The trigram index's hits of ?1, counted up to ?2 (no row read). */
    [BB__SQ_FTS_COUNT] = "SELECT count(*) FROM (SELECT 1 FROM customer_search WHERE customer_search MATCH ?1 LIMIT ?2)",
    [BB__SQ_RANK_OF] = "SELECT search_rank FROM customer WHERE id = ?1 AND merged_into IS NULL",

    [BB__SQ_PROD_GET] =
        "SELECT id, name, category, price_minor, cost_minor, currency FROM product WHERE sku = ?1",
    [BB__SQ_PROD_INSERT] =
        "INSERT INTO product (sku, name, category, price_minor, cost_minor, currency, created_at,"
        " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [BB__SQ_PROD_UPDATE] = "UPDATE product SET name = ?2, category = ?3, price_minor = ?4, cost_minor = ?5,"
                           " currency = ?6, updated_at = ?7 WHERE id = ?1",
    [BB__SQ_LINE_PRODUCTS] = "SELECT order_id, product_id FROM order_line",

    [BB__SQ_ORDER_GET] = "SELECT id, customer_id, ordered_at, amount_minor, currency, channel, margin_minor,"
                         " from_lines FROM orders WHERE external_id = ?1",
    [BB__SQ_ORDER_INSERT] =
        "INSERT INTO orders (id, external_id, customer_id, ordered_at, amount_minor, currency, channel,"
        " margin_minor, from_lines, created_at, updated_at) VALUES " ORDER_ROW,
    [BB__SQ_ORDER_INSERT_MANY] =
        "INSERT OR FAIL INTO orders (id, external_id, customer_id, ordered_at, amount_minor, currency, channel,"
        " margin_minor, from_lines, created_at, updated_at) VALUES " ORDER_ROWS32,
    [BB__SQ_ORDER_NEXT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM orders",
    [BB__SQ_ORDER_UPDATE] =
        "UPDATE orders SET customer_id = ?2, ordered_at = ?3, amount_minor = ?4, currency = ?5,"
        " channel = ?6, margin_minor = ?7, from_lines = ?8, updated_at = ?9 WHERE id = ?1",
    [BB__SQ_ORDER_SET_TOTALS] =
        "UPDATE orders SET amount_minor = ?2, margin_minor = ?3, updated_at = ?4 WHERE id = ?1",
    /* ?2: every line's cost is known; ?3: the lines' cost. */
    [BB__SQ_ORDER_SET_MARGIN] =
        "UPDATE orders SET margin_minor = CASE WHEN ?2 THEN amount_minor - ?3 END, updated_at = ?4"
        " WHERE id = ?1 AND margin_minor IS NOT CASE WHEN ?2 THEN amount_minor - ?3 END",
    [BB__SQ_ORDER_TOTALS] = "SELECT l.quantity, l.unit_price_minor, p.cost_minor, l.line_no, l.product_id"
                            " FROM order_line l JOIN product p ON p.id = l.product_id WHERE l.order_id = ?1"
                            " ORDER BY l.line_no",
    [BB__SQ_ORDER_LINES_CUSTOMER] = "UPDATE order_line SET customer_id = ?2 WHERE order_id = ?1",
    [BB__SQ_LINE_INSERT] = "INSERT INTO order_line (order_id, line_no, customer_id, product_id, quantity,"
                           " unit_price_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    [BB__SQ_LINE_INSERT_MANY] =
        "INSERT OR FAIL INTO order_line (order_id, line_no, customer_id, product_id, quantity,"
        " unit_price_minor) VALUES " LINE_ROWS64 " ON CONFLICT DO NOTHING",
    [BB__SQ_LINE_GET] = "SELECT l.product_id, l.quantity, l.unit_price_minor, p.cost_minor"
                        " FROM order_line l JOIN product p ON p.id = l.product_id"
                        " WHERE l.order_id = ?1 AND l.line_no = ?2",
    [BB__SQ_LINE_UPDATE] = "UPDATE order_line SET product_id = ?3, quantity = ?4, unit_price_minor = ?5"
                           " WHERE order_id = ?1 AND line_no = ?2",

    [BB__SQ_INTERACTION_INSERT] =
        "INSERT INTO interaction (customer_id, occurred_at, channel, direction, kind, subject, body,"
        " content_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        " ON CONFLICT DO NOTHING",
    [BB__SQ_CONSENT_INSERT] =
        "INSERT INTO consent (customer_id, channel, status, source, recorded_at, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    [BB__SQ_SURVEY_INSERT] =
        "INSERT INTO survey_response (customer_id, survey, score, comment, responded_at,"
        " content_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",

    [BB__SQ_R_CUSTOMER] =
        "SELECT id, external_id, first_name, last_name, email, phone, city, birth_date, gender,"
        " attributes, created_at, updated_at FROM customer WHERE id = ?1",
    [BB__SQ_R_IDENTS] =
        "SELECT kind, value FROM customer_identifier WHERE customer_id = ?1 ORDER BY kind, value",
    [BB__SQ_R_MERGED_FROM] = "SELECT external_id FROM customer WHERE merged_into = ?1 ORDER BY id",
    [BB__SQ_R_SUMMARY] =
        "SELECT count(*), min(ordered_at), max(ordered_at), sum(amount_minor), sum(margin_minor),"
        " count(margin_minor) FROM orders WHERE customer_id = ?1",
    [BB__SQ_R_ORDERS] =
        "SELECT o.id, o.external_id, o.customer_id, c.external_id, o.ordered_at, o.amount_minor,"
        " o.currency, o.channel, o.margin_minor, o.from_lines"
        " FROM orders o JOIN customer c ON c.id = o.customer_id"
        " WHERE o.customer_id = ?1 ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?2",
    [BB__SQ_R_LINES] = "SELECT l.line_no, p.sku, p.name, p.category, l.quantity, l.unit_price_minor"
                       " FROM order_line l JOIN product p ON p.id = l.product_id WHERE l.order_id = ?1"
                       " ORDER BY l.line_no",
    [BB__SQ_R_CONSENTS] =
        "SELECT id, channel, status, source, recorded_at, recipient_type, iys_status, iys_synced_at"
        " FROM consent WHERE customer_id = ?1 ORDER BY recorded_at DESC, id DESC",
    [BB__SQ_R_CONSENTS_CURRENT] =
        "SELECT id, channel, status, source, recorded_at, recipient_type, iys_status, iys_synced_at"
        " FROM consent c WHERE customer_id = ?1 AND id = (SELECT id FROM consent"
        " WHERE customer_id = ?1 AND channel = c.channel ORDER BY recorded_at DESC, id DESC LIMIT 1)"
        " ORDER BY recorded_at DESC, id DESC",
    [BB__SQ_R_INTERACTIONS] =
        "SELECT id, occurred_at, channel, direction, kind, subject, body, sentiment FROM interaction"
        " WHERE customer_id = ?1 ORDER BY occurred_at DESC, id DESC LIMIT ?2",
    [BB__SQ_R_SURVEYS] = "SELECT id, responded_at, survey, comment, score FROM survey_response"
                         " WHERE customer_id = ?1 ORDER BY responded_at DESC, id DESC LIMIT ?2",
    [BB__SQ_R_VALUES_ALL] =
        "SELECT o.customer_id, c.external_id, o.ordered_at, o.amount_minor, o.margin_minor, o.currency"
        " FROM orders o JOIN customer c ON c.id = o.customer_id"
        " ORDER BY o.customer_id, o.ordered_at, o.id",
    [BB__SQ_R_VALUES_ONE] =
        "SELECT o.customer_id, c.external_id, o.ordered_at, o.amount_minor, o.margin_minor, o.currency"
        " FROM orders o JOIN customer c ON c.id = o.customer_id WHERE o.customer_id = ?1"
        " ORDER BY o.customer_id, o.ordered_at, o.id",
    /* The server's hot paths (sqlite_auth.c). */
    [BB__SQ_EVENT_MARK] = "INSERT INTO event_seen (event_id, type, received_at) VALUES (?1, ?2, ?3)"
                          " ON CONFLICT (event_id) DO NOTHING",
    [BB__SQ_TOKEN_FIND] =
        "SELECT id, name, role, coalesce(rate_limit, 0), created_at, coalesce(last_used_at, 0),"
        " coalesce(revoked_at, 0) FROM api_token WHERE token_hash = ?1 AND revoked_at IS NULL",
    [BB__SQ_RUN_CURRENT_SCORING] = "SELECT " BB__SQL_RUN_COLS " FROM model_run"
                                   " WHERE is_current = 1 AND model IN ('bgnbd', 'pnbd') ORDER BY id DESC LIMIT 1",
    [BB__SQ_RUN_CURRENT] =
        "SELECT " BB__SQL_RUN_COLS " FROM model_run WHERE is_current = 1 AND model = ?1 ORDER BY id DESC LIMIT 1",
    [BB__SQ_SCORE_GET] = "SELECT " BB__SQL_SCORE_COLS " FROM customer_score x WHERE x.customer_id = ?1",
    [BB__SQ_SCORE_PUT] =
        "INSERT OR REPLACE INTO customer_score (customer_id, run_id, recency_days, frequency,"
        " monetary_minor, r_score, f_score, m_score, rfm_segment, x, t_x, t_cal, p_alive,"
        " expected_purchases, expected_value, clv_minor, churn_risk, tier, updated_at, last_order_at,"
        " last_order_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, (SELECT last_order_at FROM customer WHERE id = ?1), (SELECT last_order_id FROM customer WHERE"
        " id = ?1))",
    /* Each customer's latest purchase (sqlite_last.c): the purchases among the orders numbered from ?1. */
    [BB__SQ_LAST_NEW] = "SELECT customer_id, ordered_at, id FROM orders WHERE id >= ?1 AND amount_minor >= 0",
    [BB__SQ_LAST_TOP] = "SELECT ordered_at, id FROM orders WHERE customer_id = ?1 AND amount_minor >= 0"
                        " ORDER BY ordered_at DESC, id DESC LIMIT 1",
    [BB__SQ_LAST_OF] = "SELECT last_order_id FROM customer WHERE id = ?1",
    [BB__SQ_LAST_SET] = "UPDATE OR FAIL customer SET last_order_at = ?2, last_order_id = ?3 WHERE id = ?1 AND"
                        " (last_order_at, last_order_id) IS NOT (?2, ?3)",
    [BB__SQ_LAST_RAISE] = "UPDATE OR FAIL customer SET last_order_at = ?2, last_order_id = ?3 WHERE id = ?1 AND"
                          " (last_order_at IS NULL OR (last_order_at, last_order_id) < (?2, ?3))",
    [BB__SQ_LAST_SCORE_SET] = "UPDATE OR FAIL customer_score SET last_order_at = ?2, last_order_id = ?3 WHERE"
                              " customer_id = ?1 AND (last_order_at, last_order_id) IS NOT (?2, ?3)",
    [BB__SQ_LAST_SCORES_ANY] = "SELECT 1 FROM customer_score LIMIT 1",
    [BB__SQ_ORDER_ANY] = "SELECT 1 FROM orders LIMIT 1",
    [BB__SQ_IDENT_ANY] = "SELECT 1 FROM customer_identifier LIMIT 1",
    [BB__SQ_READ_BEGIN] = "BEGIN",
    [BB__SQ_READ_END] = "COMMIT",
    [BB__SQ_VIEW_ANY] = "SELECT 1 FROM customer_view LIMIT 1",
    [BB__SQ_VIEW_GET] = "SELECT currency, body FROM customer_view WHERE customer_id = ?1",
    [BB__SQ_VIEW_PUT] = "INSERT OR REPLACE INTO customer_view (customer_id, currency, body) VALUES (?1, ?2, ?3)",
    [BB__SQ_VIEW_DEL] = "DELETE FROM customer_view WHERE customer_id = ?1",

    [BB__SQ_CUST_NEXT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM customer",
    [BB__SQ_BARE_INSERT] = "INSERT OR FAIL INTO customer (id, external_id, email, phone, search_text, sort_key,"
                           " created_at, updated_at, search_rank, last_order_at, last_order_id) VALUES " BARE_ROW,
    [BB__SQ_BARE_INSERT_MANY] = "INSERT OR FAIL INTO customer (id, external_id, email, phone, search_text,"
                                " sort_key, created_at, updated_at, search_rank, last_order_at, last_order_id)"
                                " VALUES " BARE_ROWS16 ", " BARE_ROWS16,
    [BB__SQ_IDENT_ADD_ONE] = "INSERT OR FAIL INTO customer_identifier (kind, value, customer_id, created_at)"
                             " VALUES " IDENT_ROW " ON CONFLICT DO NOTHING",
    [BB__SQ_IDENT_ADD_MANY] = "INSERT OR FAIL INTO customer_identifier (kind, value, customer_id, created_at)"
                              " VALUES " IDENT_ROWS16 ", " IDENT_ROWS16 ", " IDENT_ROWS16 ", " IDENT_ROWS16
                              " ON CONFLICT DO NOTHING",
    [BB__SQ_SESSION_FIND] = "SELECT s.id, s.user_id, u.name, u.role, s.csrf_token, s.created_at, s.expires_at"
                            " FROM session s JOIN app_user u ON u.id = s.user_id"
                            " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
};

static sqlite3_stmt *prepare(bb__sqlite *q, enum bb__sq which, unsigned flags, bb_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(q->db, sql_text[which], -1, flags, &st, NULL) != SQLITE_OK) {
        bb__sqlite_err(q, err, "preparing a statement");
        return NULL;
    }
    return st;
}

sqlite3_stmt *bb__sqlite_read_begin(bb__sqlite *q, enum bb__sq which, bb_error *err)
{
    sqlite3_stmt *st;
    if (q->stmt_busy[which])
        return prepare(q, which, 0, err);
    if (!(st = bb__sqlite_stmt(q, which, err)))
        return NULL;
    q->stmt_busy[which] = 1;
    return st;
}

void bb__sqlite_read_end(bb__sqlite *q, enum bb__sq which, sqlite3_stmt *st)
{
    if (!st)
        return;
    if (st == q->stmt[which]) {
        sqlite3_reset(st);
        q->stmt_busy[which] = 0;
    } else {
        sqlite3_finalize(st);
    }
}

sqlite3_stmt *bb__sqlite_stmt(bb__sqlite *q, enum bb__sq which, bb_error *err)
{
    sqlite3_stmt *st = q->stmt[which];
    if (!st) {
        if (!(st = prepare(q, which, SQLITE_PREPARE_PERSISTENT, err)))
            return NULL;
        q->stmt[which] = st;
    } else {
        sqlite3_reset(st);
    }
    if (q->held && !sqlite3_stmt_readonly(st)) /* a write: not inside a held read snapshot */
        bb__sqlite_held_end(q);
    return st;
}

void bb__sqlite_stmts_finalize(bb__sqlite *q)
{
    for (int i = 0; i < BB__SQ_COUNT; i++) {
        sqlite3_finalize(q->stmt[i]);
        q->stmt[i] = NULL;
    }
}

int bb__sqlite_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int bb__sqlite_run(bb__sqlite *q, sqlite3_stmt *st, bb_error *err, const char *context)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rc = bb__sqlite_err(q, err, context);
        sqlite3_reset(st);
        return rc;
    }
    sqlite3_reset(st);
    return 0;
}

int bb__sqlite_next_id(bb__sqlite *q, enum bb__sq which, int64_t *next, int64_t *id, bb_error *err)
{
    if (*next == 0) {
        sqlite3_stmt *st = bb__sqlite_stmt(q, which, err);
        if (!st)
            return BB_EDB;
        if (sqlite3_step(st) == SQLITE_ROW)
            *next = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        if (*next == 0)
            return bb__sqlite_err(q, err, "numbering new rows");
    }
    *id = (*next)++;
    return 0;
}
