-- hogo schema 12: the audit log's own retention. Entries older than the
-- ledger's retention_policy.audit_log are removed from the start of the
-- chain; each removal leaves a signed anchor (the last removed entry's
-- number and hash), from which verification starts. Nothing else may be
-- deleted: the guard allows deleting only blocks an anchor covers.

CREATE TABLE audit_prunes (
	seq       BIGINT PRIMARY KEY, -- the last entry removed
	hash      BYTEA NOT NULL,     -- its hash: the next entry links to it
	at        BIGINT NOT NULL,
	key_id    TEXT NOT NULL,
	signature BYTEA NOT NULL,
	removed   BIGINT NOT NULL,    -- entries removed by this prune
	before    BIGINT NOT NULL     -- the cut-off: entries older than it went
);

CREATE OR REPLACE FUNCTION hogo_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' AND OLD.seq + OLD.n - 1 <= (SELECT COALESCE(MAX(seq), 0) FROM audit_prunes) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'the audit log is append-only';
END $$;
