-- hogo schema 12: the audit log's own retention. Entries older than the
-- ledger's retention_policy.audit_log are removed from the start of the
-- chain; each removal leaves a signed anchor (the last removed entry's
-- number and hash), from which verification starts. Nothing else may be
-- deleted: the guard allows deleting only blocks an anchor covers.

CREATE TABLE audit_prunes (
	seq       INTEGER PRIMARY KEY, -- the last entry removed
	hash      BLOB NOT NULL,       -- its hash: the next entry links to it
	at        INTEGER NOT NULL,
	key_id    TEXT NOT NULL,
	signature BLOB NOT NULL,
	removed   INTEGER NOT NULL,    -- entries removed by this prune
	before    INTEGER NOT NULL     -- the cut-off: entries older than it went
);

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.seq + OLD.n - 1 > (SELECT COALESCE(MAX(seq), 0) FROM audit_prunes)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
