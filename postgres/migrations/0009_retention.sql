-- hogo schema 9: retention — the ledger events of each record, legal holds,
-- and the disposal record (廃棄記録) of every sweep.

ALTER TABLE records ADD COLUMN events TEXT NOT NULL DEFAULT ''; -- event=YYYY-MM-DD, space-separated

CREATE TABLE holds (
	id        TEXT PRIMARY KEY,
	kind      TEXT NOT NULL CHECK (kind IN ('principal', 'category', 'incident')),
	target    TEXT NOT NULL,
	reason    BYTEA NOT NULL, -- sealed
	placed_by TEXT NOT NULL,
	placed_at BIGINT NOT NULL,
	lifted_at BIGINT NOT NULL DEFAULT 0,
	lifted_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE disposals (
	id          TEXT PRIMARY KEY,
	at          BIGINT NOT NULL,
	actor       TEXT NOT NULL,
	approved_by TEXT NOT NULL,
	counts      TEXT NOT NULL, -- category=n, space-separated
	principals  BIGINT NOT NULL,
	records     BIGINT NOT NULL,
	done        BIGINT NOT NULL DEFAULT 0 -- 0 while the sweep runs; a killed sweep is resumed
);
