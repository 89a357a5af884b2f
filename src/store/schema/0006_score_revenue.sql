-- 0006: the customer list sorted by revenue (GET /api/v1/customers?sort=revenue) walks this index from
-- the top, a page at a time, instead of sorting every score for each page. customer_score is written by
-- analyze and re-scoring, never by a plain import.
CREATE INDEX customer_score_monetary ON customer_score(monetary_minor);
