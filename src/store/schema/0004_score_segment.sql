-- 0004: the segment summary (`birebir rfm`, GET /api/v1/segments/rfm) reads only this index: each
-- score's segment with the revenue and CLV it sums, instead of every row of customer_score.
DROP INDEX IF EXISTS customer_score_segment;
CREATE INDEX customer_score_segment ON customer_score(rfm_segment, monetary_minor, clv_minor);
