-- 0005: the materialised customer 360 view (store_view.h). A row holds the view's JSON text up to its
-- scores ('{"customer":...,"survey_responses":[...]', no closing brace) and the order summary's
-- currency; the scores are read from customer_score and spliced in when the view is served, so
-- analyze and re-scoring never touch these rows. A row exists only while it is current: every write
-- that changes what a customer's view shows deletes that customer's row in the same transaction.
-- body is that text (rows stored before views were compressed) or, as stored now, a blob: the byte
-- 0xB4, the text's length (4 bytes, little-endian), and the text compressed as one LZ4 block; or 0xB5,
-- 1, the length, and the text compressed against the views' dictionary, meta 'view_dict_1' (the first
-- 32 KB of view text stored in the database, never changed) (sqlite_view.c). All are read, so no
-- migration changed the table.
CREATE TABLE customer_view (
    customer_id INTEGER PRIMARY KEY,
    currency    TEXT NOT NULL,
    body        TEXT NOT NULL
);
