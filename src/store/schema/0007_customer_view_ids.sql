-- 0007: the ids of the stored 360 views in an index of their own. A view row spans a page or two, so
-- counting the views or finding the customers without one (`birebir views build`) read every row's
-- page through the table (6 GB at 1M customers); the index holds the ids densely (about 20 MB).
CREATE INDEX customer_view_ids ON customer_view(customer_id);
