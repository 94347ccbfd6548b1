package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"hogo.example.jp/hogo"
)

const auditInsertCols = 7 // seq, at, actor, action, principal, body, hash

// insertSQL returns a multi-row INSERT of n entries.
func insertSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO audit_log (seq, at, actor, action, principal, body, hash) VALUES `)
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
	per := max(1, db.Dialect.MaxParams/auditInsertCols)
	args := make([]any, 0, min(per, len(entries))*auditInsertCols)
	for start := 0; start < len(entries); start += per {
		chunk := entries[start:min(start+per, len(entries))]
		args = args[:0]
		for _, e := range chunk {
			args = append(args, e.Seq, e.Time.UnixNano(), e.Actor, e.Action, e.Principal, e.Body, e.Hash)
		}
		if _, err := tx.ExecContext(ctx, insertSQL(len(chunk)), args...); err != nil {
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
func (db *DB) ScanAudit(ctx context.Context, after int64, fn func(seq int64, body, hash []byte) error) error {
	const page = 50000
	for {
		rows, err := db.Read.QueryContext(ctx, `SELECT seq, body, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, after, page)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var seq int64
			var body, hash []byte
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

// ListAudit returns entries newest first, decoded from their bodies (the
// indexed columns only select rows).
func (db *DB) ListAudit(ctx context.Context, f hogo.AuditFilter) ([]*hogo.AuditEntry, error) {
	q := `SELECT seq, body, hash FROM audit_log WHERE 1=1`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.BeforeSeq > 0 {
		add("seq < $%d", f.BeforeSeq)
	}
	if f.Actor != "" {
		add("actor = $%d", f.Actor)
	}
	if f.Action != "" {
		add("action LIKE $%d", strings.NewReplacer("%", "", "_", "").Replace(f.Action)+"%")
	}
	if f.Principal != "" {
		add("principal = $%d", f.Principal)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit)
	q += fmt.Sprintf(" ORDER BY seq DESC LIMIT $%d", len(args))
	rows, err := db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.AuditEntry
	for rows.Next() {
		var seq int64
		var body, hash []byte
		if err := rows.Scan(&seq, &body, &hash); err != nil {
			return nil, err
		}
		var e hogo.AuditEntry
		if err := json.Unmarshal(body, &e); err != nil {
			// A damaged body is shown as such; verification names it.
			e = hogo.AuditEntry{Action: "(unreadable)"}
		}
		e.Seq, e.Body, e.Hash = seq, body, hash
		out = append(out, &e)
	}
	return out, rows.Err()
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
