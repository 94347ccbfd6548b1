package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"hogo.example.jp/hogo"
)

// BlockSize is the most entries one audit_log row holds. An append of many
// entries writes one row per BlockSize of them; a single entry is a row of
// its own.
const BlockSize = 64

const hashSize = 32

const blockCols = 5 // seq, n, at, bodies, hashes

// insertSQL returns a multi-row INSERT of n blocks.
func insertSQL(n int, anon bool) string {
	return `INSERT INTO audit_log (seq, n, at, bodies, hashes) VALUES ` + placeholders(n, blockCols, 1, anon)
}

// block is one row of audit_log.
type block struct {
	seq            int64
	n              int
	at             int64
	bodies, hashes []byte
}

// makeBlocks packs sealed entries into rows.
func makeBlocks(entries []*hogo.AuditEntry) []block {
	blocks := make([]block, 0, (len(entries)+BlockSize-1)/BlockSize)
	for start := 0; start < len(entries); start += BlockSize {
		chunk := entries[start:min(start+BlockSize, len(entries))]
		size := 0
		for _, e := range chunk {
			size += len(e.Body) + 1
		}
		b := block{seq: chunk[0].Seq, n: len(chunk), at: chunk[0].Time.UnixNano(),
			bodies: make([]byte, 0, size), hashes: make([]byte, 0, len(chunk)*hashSize)}
		for _, e := range chunk {
			b.bodies = append(append(b.bodies, e.Body...), '\n')
			b.hashes = append(b.hashes, e.Hash...)
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// entries calls fn for each entry of a stored block, numbered from its
// first seq. A block whose parts do not add up (it was altered) still yields
// n entries, with what is there: verification then names the entry.
func (b *block) entries(fn func(seq int64, body, hash []byte) error) error {
	if b.n <= 0 || b.n > BlockSize {
		// hogo never writes such a block: yield one entry that cannot
		// verify, so the block is named, and never loop over a forged n.
		return fn(b.seq, nil, nil)
	}
	rest := b.bodies
	for i := 0; i < b.n; i++ {
		var body []byte
		if j := bytes.IndexByte(rest, '\n'); j >= 0 {
			body, rest = rest[:j], rest[j+1:]
		} else {
			body, rest = rest, nil
		}
		var hash []byte
		if (i+1)*hashSize <= len(b.hashes) {
			hash = b.hashes[i*hashSize : (i+1)*hashSize]
		}
		if i == b.n-1 && (len(rest) > 0 || len(b.hashes) != b.n*hashSize) {
			// More bodies or hashes than entries: the block was altered.
			hash = nil
		}
		if err := fn(b.seq+int64(i), body, hash); err != nil {
			return err
		}
	}
	return nil
}

const (
	lastBlockSQL = `SELECT seq, n, hashes FROM audit_log ORDER BY seq DESC LIMIT 1`
	moveHeadSQL  = `UPDATE audit_head SET seq = $1, hash = $2, signature = $3 WHERE id = 1`
)

var errChainEnd = &hogo.Error{Code: hogo.EINTERNAL,
	Message: "the newest audit entry is not the one the chain's head names: the audit log was changed; run hogo audit verify"}

// AppendAudit implements hogo.AuditService: one transaction per batch, the
// head read under the write lock, each write's change in a savepoint of its
// own (when the batch holds several), entries packed into blocks of
// BlockSize.
func (db *DB) AppendAudit(ctx context.Context, writes []*hogo.AuditWrite, seal func(hogo.AuditHead, []*hogo.AuditEntry) (hogo.AuditHead, error)) error {
	// The statements every append runs, prepared once (before the
	// transaction, which holds SQLite's one writer connection).
	headSQL := `SELECT seq, hash, signature FROM audit_head WHERE id = 1` + db.Dialect.LockHead
	for _, q := range []string{headSQL, lastBlockSQL, moveHeadSQL, insertSQL(1, db.Dialect.Anonymous)} {
		if _, err := db.writeStmt(ctx, q); err != nil {
			return err
		}
	}
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var head hogo.AuditHead
	if err := db.txStmt(ctx, tx, headSQL).QueryRowContext(ctx).Scan(&head.Seq, &head.Hash, &head.Signature); err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	// The newest stored entry must be the one the head names; otherwise
	// the end of the chain was changed and nothing is appended to it.
	var last block
	err = db.txStmt(ctx, tx, lastBlockSQL).QueryRowContext(ctx).Scan(&last.seq, &last.n, &last.hashes)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if head.Seq != 0 {
			return errChainEnd
		}
	case err != nil:
		return fmt.Errorf("read audit chain end: %w", err)
	case last.seq+int64(last.n)-1 != head.Seq || len(last.hashes) < hashSize ||
		!bytes.Equal(last.hashes[len(last.hashes)-hashSize:], head.Hash):
		return errChainEnd
	}
	entries, err := db.applyWrites(ctx, tx, writes)
	if err != nil || len(entries) == 0 {
		return err // nothing to commit when every change failed
	}
	newHead, err := seal(head, entries)
	if err != nil {
		return err
	}
	blocks := makeBlocks(entries)
	per := max(1, min(db.Dialect.MaxParams/blockCols, db.Dialect.InsertRows))
	args := make([]any, 0, min(per, len(blocks))*blockCols)
	for start := 0; start < len(blocks); start += per {
		chunk := blocks[start:min(start+per, len(blocks))]
		args = args[:0]
		for _, b := range chunk {
			args = append(args, b.seq, b.n, b.at, b.bodies, b.hashes)
		}
		q := insertSQL(len(chunk), db.Dialect.Anonymous)
		if ins := db.txStmt(ctx, tx, q); ins != nil {
			_, err = ins.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, q, args...)
		}
		if err != nil {
			return fmt.Errorf("insert audit entries: %w", err)
		}
	}
	if _, err := db.txStmt(ctx, tx, moveHeadSQL).ExecContext(ctx, newHead.Seq, newHead.Hash, newHead.Signature); err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return tx.Commit()
}

// applyWrites runs the writes' changes inside tx and returns the entries of
// those that stand. A change that fails is rolled back to its savepoint and
// its write's Err set; an error returned means the transaction is unusable.
func (db *DB) applyWrites(ctx context.Context, tx *sql.Tx, writes []*hogo.AuditWrite) ([]*hogo.AuditEntry, error) {
	n := 0
	for _, w := range writes {
		n += len(w.Entries)
	}
	entries := make([]*hogo.AuditEntry, 0, n)
	t := &txStore{db: db, tx: tx}
	for _, w := range writes {
		w.Err = nil
		if w.Apply == nil {
			entries = append(entries, w.Entries...)
			continue
		}
		if len(writes) == 1 {
			// Alone in the batch: a failed change rolls back the whole
			// transaction, with no savepoint to pay for.
			if w.Err = w.Apply(ctx, t); w.Err != nil {
				return nil, nil
			}
			entries = append(entries, w.Entries...)
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT audited_write`); err != nil {
			return nil, fmt.Errorf("savepoint: %w", err)
		}
		if w.Err = w.Apply(ctx, t); w.Err != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT audited_write`); err != nil {
				return nil, fmt.Errorf("roll back a failed write: %w", err)
			}
		} else {
			entries = append(entries, w.Entries...)
		}
		if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT audited_write`); err != nil {
			return nil, fmt.Errorf("release savepoint: %w", err)
		}
	}
	return entries, nil
}

// AuditHead returns the stored head.
func (db *DB) AuditHead(ctx context.Context) (hogo.AuditHead, error) {
	var h hogo.AuditHead
	err := db.Read.QueryRowContext(ctx, `SELECT seq, hash, signature FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.Signature)
	return h, err
}

// scanBlocks calls fn for the blocks holding entries after < seq <= until,
// in the order given ("ASC" or "DESC"), in pages so that no transaction
// stays open for long.
func (db *DB) scanBlocks(ctx context.Context, after, until int64, order string, fn func(*block) error) error {
	const page = 2000
	first := true
	for {
		var q string
		var args []any
		switch {
		case order == "ASC" && first:
			// A block that starts at or before `after` may still hold
			// later entries: the newest such block is included.
			q = `SELECT seq, n, at, bodies, hashes FROM audit_log
				WHERE seq >= COALESCE((SELECT MAX(seq) FROM audit_log WHERE seq <= $1), 0) AND seq <= $2
				ORDER BY seq LIMIT $3`
			args = []any{after, until, page}
		case order == "ASC":
			q = `SELECT seq, n, at, bodies, hashes FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`
			args = []any{after, until, page}
		default:
			q = `SELECT seq, n, at, bodies, hashes FROM audit_log WHERE seq <= $1 AND seq > $2 ORDER BY seq DESC LIMIT $3`
			args = []any{until, after, page}
		}
		rows, err := db.Read.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n := 0
		var b block
		for rows.Next() {
			var bodies, hashes sql.RawBytes
			if err := rows.Scan(&b.seq, &b.n, &b.at, &bodies, &hashes); err != nil {
				rows.Close()
				return err
			}
			b.bodies, b.hashes = bodies, hashes
			n++
			if order == "ASC" {
				after = b.seq // later pages start after this block
			} else {
				until = b.seq - 1
			}
			if err := fn(&b); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		if n < page {
			return nil
		}
		first = false
	}
}

// ScanAudit calls fn for every entry with after < seq <= until, in order.
// body and hash are valid only during fn.
func (db *DB) ScanAudit(ctx context.Context, after, until int64, fn func(seq int64, body, hash []byte) error) error {
	if until <= 0 {
		until = 1<<63 - 1
	}
	return db.scanBlocks(ctx, after, until, "ASC", func(b *block) error {
		return b.entries(func(seq int64, body, hash []byte) error {
			if seq <= after || seq > until {
				return nil
			}
			return fn(seq, body, hash)
		})
	})
}

// ListAudit returns entries newest first. Filters apply to the decoded
// bodies (the table has no secondary index, to keep appends fast); it reads
// backwards and stops after scanning maxScan entries.
func (db *DB) ListAudit(ctx context.Context, f hogo.AuditFilter) ([]*hogo.AuditEntry, error) {
	const maxScan = 500000
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	before := f.BeforeSeq
	if before <= 0 {
		before = 1<<63 - 1
	}
	var out []*hogo.AuditEntry
	scanned := 0
	errDone := fmt.Errorf("done")
	// A block that starts before `before` may hold entries past it; the
	// block filter below keeps those out.
	err := db.scanBlocks(ctx, -1, before-1, "DESC", func(b *block) error {
		var in []*hogo.AuditEntry
		b.entries(func(seq int64, body, hash []byte) error {
			if seq >= before {
				return nil
			}
			var e hogo.AuditEntry
			if err := json.Unmarshal(body, &e); err != nil {
				// A damaged body is listed as such; verification names it.
				e = hogo.AuditEntry{Action: "(unreadable)"}
			}
			e.Seq, e.Body, e.Hash = seq, bytes.Clone(body), bytes.Clone(hash)
			in = append(in, &e)
			return nil
		})
		for i := len(in) - 1; i >= 0 && len(out) < limit; i-- {
			if matches(in[i], f) {
				out = append(out, in[i])
			}
		}
		scanned += b.n
		if len(out) >= limit || scanned >= maxScan {
			return errDone
		}
		return nil
	})
	if err != nil && err != errDone {
		return nil, err
	}
	return out, nil
}

func matches(e *hogo.AuditEntry, f hogo.AuditFilter) bool {
	return (f.Actor == "" || e.Actor == f.Actor) &&
		(f.Action == "" || strings.HasPrefix(e.Action, f.Action)) &&
		(f.Principal == "" || e.Principal == f.Principal) &&
		(f.Target == "" || e.Target == f.Target)
}

// CountAudit returns the number of stored entries.
func (db *DB) CountAudit(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	err := db.Read.QueryRowContext(ctx, `SELECT SUM(n) FROM audit_log`).Scan(&n)
	return n.Int64, err
}

// PutCheckpoint stores a checkpoint.
func (db *DB) PutCheckpoint(ctx context.Context, c *hogo.AuditCheckpoint) error {
	_, err := db.Write.ExecContext(ctx, `INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (seq) DO NOTHING`, c.Seq, c.Hash, c.Time.UnixNano(), c.KeyID, c.Signature)
	return err
}

// ListCheckpoints returns every checkpoint in chain order.
func (db *DB) ListCheckpoints(ctx context.Context) ([]*hogo.AuditCheckpoint, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT seq, hash, at, key_id, signature FROM audit_checkpoints ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.AuditCheckpoint
	for rows.Next() {
		var c hogo.AuditCheckpoint
		var at int64
		if err := rows.Scan(&c.Seq, &c.Hash, &at, &c.KeyID, &c.Signature); err != nil {
			return nil, err
		}
		c.Time = fromNanos(at)
		out = append(out, &c)
	}
	return out, rows.Err()
}

// LastAuditBefore implements hogo.AuditService.
func (db *DB) LastAuditBefore(ctx context.Context, t time.Time) (int64, error) {
	var seq int64
	err := db.Read.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq + n - 1), 0) FROM audit_log
		WHERE at < $1 AND seq < (SELECT COALESCE(MAX(seq), 0) FROM audit_log)`, t.UnixNano()).Scan(&seq)
	return seq, err
}

// PruneAudit implements hogo.AuditService. A block straddling the anchor
// is kept whole: the anchor must fall on a block's end.
func (db *DB) PruneAudit(ctx context.Context, p *hogo.AuditPrune) (int64, error) {
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var straddles int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE seq <= $1 AND seq + n - 1 > $1`, p.Seq).Scan(&straddles); err != nil {
		return 0, err
	}
	if straddles > 0 {
		return 0, hogo.Errorf(hogo.EINVALID, "a prune must end at the end of a block (entry %d does not)", p.Seq)
	}
	var removed int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM audit_log WHERE seq <= $1`, p.Seq).Scan(&removed); err != nil {
		return 0, err
	}
	p.Removed = removed
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_prunes (seq, hash, at, key_id, signature, removed, before) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		p.Seq, p.Hash, p.Time.UnixNano(), p.KeyID, p.Signature, removed, p.Before.UnixNano()); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_log WHERE seq <= $1`, p.Seq); err != nil {
		return 0, err
	}
	return removed, tx.Commit()
}

// AuditPrunes implements hogo.AuditService.
func (db *DB) AuditPrunes(ctx context.Context) ([]*hogo.AuditPrune, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT seq, hash, at, key_id, signature, removed, before FROM audit_prunes ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.AuditPrune
	for rows.Next() {
		var p hogo.AuditPrune
		var at, before int64
		if err := rows.Scan(&p.Seq, &p.Hash, &at, &p.KeyID, &p.Signature, &p.Removed, &before); err != nil {
			return nil, err
		}
		p.Time, p.Before = fromNanos(at), fromNanos(before)
		out = append(out, &p)
	}
	return out, rows.Err()
}
