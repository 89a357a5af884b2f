-- 0003_search_rank: the customer search keyed by rank. Each unmerged customer has a search_rank, an
-- integer increasing in Turkish collation order (sort_key, id) with gaps between neighbours, kept by
-- the store (sqlite_rank.c). The trigram index is keyed by it, so the hits of a word come back in the
-- order a search shows them and the first page ends the scan; the rank index carries search_text, so a
-- walk in order tests each customer without reading its row.
ALTER TABLE customer ADD COLUMN search_rank INTEGER;
UPDATE customer SET search_rank = r.n * 4294967296
  FROM (SELECT id, row_number() OVER (ORDER BY sort_key, id) AS n FROM customer WHERE merged_into IS NULL) AS r
 WHERE customer.id = r.id;
DROP INDEX customer_sort;
CREATE INDEX customer_sort ON customer(sort_key, id, search_rank, merged_into) WHERE merged_into IS NULL;
CREATE INDEX customer_rank ON customer(search_rank, search_text, merged_into) WHERE merged_into IS NULL;
DROP TABLE customer_search;
CREATE VIRTUAL TABLE customer_search USING fts5(search_text, content='', tokenize='trigram');
INSERT INTO customer_search (rowid, search_text)
  SELECT search_rank, search_text FROM customer WHERE merged_into IS NULL AND search_text <> '';
