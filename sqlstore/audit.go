package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"hogo.example.jp/hogo"
)

const auditInsertCols = 4 // seq, at, body, hash

// insertSQL returns a multi-row INSERT of n entries.
func insertSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO audit_log (seq, at, body, hash) VALUES `)
	p := 1
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := 0; j < auditInsertCols; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "$%d", p)
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// AppendAudit implements hogo.AuditService: one transaction per batch, the
// head read under the write lock, rows inserted in multi-row statements.
func (db *DB) AppendAudit(ctx context.Context, entries []*hogo.AuditEntry, seal func(hogo.AuditHead) (hogo.AuditHead, error)) error {
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var head hogo.AuditHead
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash, signature FROM audit_head WHERE id = 1`+db.Dialect.LockHead).
		Scan(&head.Seq, &head.Hash, &head.Signature); err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	newHead, err := seal(head)
	if err != nil {
		return err
	}
	// Rows go in multi-row INSERTs of a fixed size, prepared once per batch;
	// the rest in one smaller statement.
	per := max(1, min(db.Dialect.MaxParams/auditInsertCols, db.Dialect.InsertRows))
	args := make([]any, 0, per*auditInsertCols)
	var full *sql.Stmt
	for start := 0; start < len(entries); start += per {
		chunk := entries[start:min(start+per, len(entries))]
		args = args[:0]
		for _, e := range chunk {
			args = append(args, e.Seq, e.Time.UnixNano(), e.Body, e.Hash)
		}
		var err error
		if len(chunk) == per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, insertSQL(per)); err != nil {
					return fmt.Errorf("prepare audit insert: %w", err)
				}
				defer full.Close()
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertSQL(len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("insert audit entries: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2, signature = $3 WHERE id = 1`,
		newHead.Seq, newHead.Hash, newHead.Signature); err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return tx.Commit()
}

// AuditHead returns the stored head.
func (db *DB) AuditHead(ctx context.Context) (hogo.AuditHead, error) {
	var h hogo.AuditHead
	err := db.Read.QueryRowContext(ctx, `SELECT seq, hash, signature FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.Signature)
	return h, err
}

// ScanAudit calls fn for every entry after seq `after`, in order. Rows are
// read in pages so that no transaction stays open for the whole scan.
func (db *DB) ScanAudit(ctx context.Context, after, until int64, fn func(seq int64, body, hash []byte) error) error {
	const page = 50000
	if until <= 0 {
		until = 1<<63 - 1
	}
	for {
		rows, err := db.Read.QueryContext(ctx, `SELECT seq, body, hash FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, after, until, page)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var seq int64
			var body, hash sql.RawBytes
			if err := rows.Scan(&seq, &body, &hash); err != nil {
				rows.Close()
				return err
			}
			n++
			after = seq
			if err := fn(seq, body, hash); err != nil {
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
	}
}

// ListAudit returns entries newest first. Filters apply to the decoded
// bodies (the table has no secondary index, to keep appends fast); it reads
// backwards in pages and stops after scanning maxScan entries.
func (db *DB) ListAudit(ctx context.Context, f hogo.AuditFilter) ([]*hogo.AuditEntry, error) {
	const page, maxScan = 2000, 500000
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	before := f.BeforeSeq
	if before <= 0 {
		before = 1<<63 - 1
	}
	var out []*hogo.AuditEntry
	for scanned := 0; scanned < maxScan && len(out) < limit; {
		rows, err := db.Read.QueryContext(ctx, `SELECT seq, body, hash FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT $2`, before, page)
		if err != nil {
			return nil, err
		}
		n := 0
		for rows.Next() && len(out) < limit {
			var seq int64
			var body, hash []byte
			if err := rows.Scan(&seq, &body, &hash); err != nil {
				rows.Close()
				return nil, err
			}
			n++
			before = seq
			var e hogo.AuditEntry
			if err := json.Unmarshal(body, &e); err != nil {
				// A damaged body is listed as such; verification names it.
				e = hogo.AuditEntry{Action: "(unreadable)"}
			}
			e.Seq, e.Body, e.Hash = seq, body, hash
			if matches(&e, f) {
				out = append(out, &e)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
		scanned += n
		if n < page {
			break
		}
	}
	return out, nil
}

func matches(e *hogo.AuditEntry, f hogo.AuditFilter) bool {
	return (f.Actor == "" || e.Actor == f.Actor) &&
		(f.Action == "" || strings.HasPrefix(e.Action, f.Action)) &&
		(f.Principal == "" || e.Principal == f.Principal)
}

// CountAudit returns the number of stored entries.
func (db *DB) CountAudit(ctx context.Context) (int64, error) {
	var n int64
	err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n)
	return n, err
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
