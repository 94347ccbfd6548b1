-- hogo schema 10: following a complaint on the portal, and its receipt mail.
-- The complainant is given a secret at intake; only its SHA-256 is kept.
-- ack_mail is what became of the automatic receipt mail (受付のお知らせ):
-- '' when none was due, pending, sent, failed, or off (no mail relay).

ALTER TABLE complaints ADD COLUMN secret_hash BYTEA NOT NULL DEFAULT ''::bytea;
ALTER TABLE complaints ADD COLUMN ack_mail TEXT NOT NULL DEFAULT ''
	CHECK (ack_mail IN ('', 'pending', 'sent', 'failed', 'off'));
ALTER TABLE complaints ADD COLUMN ack_mail_at BIGINT NOT NULL DEFAULT 0;
