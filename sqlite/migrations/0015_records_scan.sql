-- hogo schema 15: the records of a category in (principal, record) order.
-- Exports, anonymised and pseudonymised information and statistics read a
-- category page by page after the last (principal_id, id) seen; without
-- this index the planner took records_category and sorted the whole
-- category for every page, so a read of N records cost N²/page.
CREATE INDEX records_scan ON records (category, principal_id, id);
