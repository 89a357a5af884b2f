"""customer_list_expected.py: the customer list (GET /api/v1/customers, `customers search --sort`) as it
must be, computed from the database with SQL and Python alone (not by the code under test): the words
matched with instr()-like `in` on search_text, name order from sort_key (the Turkish collation key), CLV
and revenue from customer_score, the latest purchase from the orders table (the greatest
(ordered_at, id) among amounts >= 0), those without the key after, by name. Used by the integration
tests that walk the list."""


def expected_lists(db):
    """A function (sort, q, segment) -> the external ids in list order, for database connection db."""
    rows = db.execute("""
      SELECT c.id, c.external_id, c.sort_key, c.search_text, s.rfm_segment, s.clv_minor, s.monetary_minor,
             (SELECT o.ordered_at FROM orders o WHERE o.customer_id = c.id AND o.amount_minor >= 0
               ORDER BY o.ordered_at DESC, o.id DESC LIMIT 1),
             (SELECT o.id FROM orders o WHERE o.customer_id = c.id AND o.amount_minor >= 0
               ORDER BY o.ordered_at DESC, o.id DESC LIMIT 1)
      FROM customer c LEFT JOIN customer_score s ON s.customer_id = c.id WHERE c.merged_into IS NULL""").fetchall()
    name_pos = {r[0]: i for i, r in enumerate(sorted(rows, key=lambda r: (r[2], r[0])))}
    keys = {"clv": lambda r: None if r[5] is None else (r[5], r[0]),
            "revenue": lambda r: None if r[6] is None else (r[6], r[0]),
            "last_order": lambda r: None if r[7] is None else (r[7], r[8])}

    def expected(sort, q="", segment=""):
        keep = [r for r in rows if all(w in (r[3] or "") for w in q.split()) and (not segment or r[4] == segment)]
        if sort == "name":
            return [r[1] for r in sorted(keep, key=lambda r: name_pos[r[0]])]
        key = keys[sort]
        head = sorted((r for r in keep if key(r) is not None), key=key, reverse=True)
        tail = sorted((r for r in keep if key(r) is None), key=lambda r: name_pos[r[0]])
        return [r[1] for r in head + tail]
    return expected
