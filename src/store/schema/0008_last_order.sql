-- 0008: each customer's latest purchase, stored: the greatest (ordered_at, id) of its orders that are
-- not returns (amount >= 0), NULL for none. The customer list sorted by latest purchase walks
-- customer_last (and customer_no_order for the customers without one, by name) instead of looking at
-- every customer's orders; with a segment, customer_score carries a copy and the segment's indexes walk
-- it, as they walk CLV and revenue. The store keeps both true at every flush (sqlite_last.c): new orders
-- are folded in once per customer, and a write that can lower a latest purchase (an order moved,
-- re-dated or turned into a return, a merge) recomputes that customer's.
ALTER TABLE customer ADD COLUMN last_order_at INTEGER;
ALTER TABLE customer ADD COLUMN last_order_id INTEGER;
ALTER TABLE customer_score ADD COLUMN last_order_at INTEGER;
ALTER TABLE customer_score ADD COLUMN last_order_id INTEGER;
UPDATE customer SET last_order_at = l.ordered_at, last_order_id = l.id
  FROM (SELECT customer_id, ordered_at, id FROM (SELECT customer_id, ordered_at, id, row_number() OVER
         (PARTITION BY customer_id ORDER BY ordered_at DESC, id DESC) AS k FROM orders WHERE amount_minor >= 0)
        WHERE k = 1) AS l
 WHERE customer.id = l.customer_id;
UPDATE customer_score SET last_order_at = c.last_order_at, last_order_id = c.last_order_id
  FROM customer c WHERE c.id = customer_score.customer_id AND c.last_order_at IS NOT NULL;
CREATE INDEX customer_last ON customer(last_order_at, last_order_id)
  WHERE merged_into IS NULL AND last_order_at IS NOT NULL;
CREATE INDEX customer_no_order ON customer(search_rank) WHERE merged_into IS NULL AND last_order_at IS NULL;
-- A segment's members in each order of the list (the customer id is the tie-break).
CREATE INDEX customer_score_seg_last ON customer_score(rfm_segment, last_order_at, last_order_id);
CREATE INDEX customer_score_seg_clv ON customer_score(rfm_segment, clv_minor);
CREATE INDEX customer_score_seg_revenue ON customer_score(rfm_segment, monetary_minor);
