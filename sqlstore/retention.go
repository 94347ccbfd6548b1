package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"hogo.example.jp/hogo"
)

// InsertHold implements hogo.RetentionWriter.
func (t *txStore) InsertHold(ctx context.Context, h *hogo.Hold) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO holds (id, kind, target, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		h.ID, h.Kind, h.Target, h.Reason, h.PlacedBy, nanos(h.PlacedAt))
	return err
}

// LiftHold implements hogo.RetentionWriter.
func (t *txStore) LiftHold(ctx context.Context, id string, at time.Time, by string) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE holds SET lifted_at = $1, lifted_by = $2 WHERE id = $3 AND lifted_at = 0`, nanos(at), by, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var x int64
	if err := t.tx.QueryRowContext(ctx, `SELECT lifted_at FROM holds WHERE id = $1`, id).Scan(&x); errors.Is(err, sql.ErrNoRows) {
		return hogo.NewError(hogo.ENOTFOUND, "id", "保存の指示が見つかりません。", "no such hold")
	}
	return hogo.NewError(hogo.ECONFLICT, "id", "この保存の指示は既に解除されています。", "this hold was already lifted")
}

// InsertDisposal implements hogo.RetentionWriter.
func (t *txStore) InsertDisposal(ctx context.Context, d *hogo.Disposal) error {
	counts := map[string]string{}
	for k, v := range d.Counts {
		counts[k] = strconv.Itoa(v)
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO disposals (id, at, actor, approved_by, counts, principals, records, done) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		d.ID, nanos(d.At), d.Actor, d.ApprovedBy, joinTerms(counts), d.Principals, d.Records, boolInt(d.Done))
	return err
}

// AddToDisposal implements hogo.RetentionWriter.
func (t *txStore) AddToDisposal(ctx context.Context, id string, add map[string]int, principals, records int) error {
	var text string
	if err := t.tx.QueryRowContext(ctx, `SELECT counts FROM disposals WHERE id = $1 AND done = 0`, id).Scan(&text); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return hogo.NewError(hogo.ECONFLICT, "disposal", "廃棄記録が実行中ではありません。", "the disposal record is not running")
		}
		return err
	}
	counts := splitTerms(text)
	for k, v := range add {
		n, _ := strconv.Atoi(counts[k])
		counts[k] = strconv.Itoa(n + v)
	}
	_, err := t.tx.ExecContext(ctx, `UPDATE disposals SET counts = $1, principals = principals + $2, records = records + $3 WHERE id = $4`,
		joinTerms(counts), principals, records, id)
	return err
}

// FinishDisposal implements hogo.RetentionWriter.
func (t *txStore) FinishDisposal(ctx context.Context, id string, at time.Time) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE disposals SET done = 1, at = $1 WHERE id = $2`, nanos(at), id)
	return err
}

// SetRecordEvent implements hogo.RetentionWriter.
func (t *txStore) SetRecordEvent(ctx context.Context, principalID, recordID, event, on string) error {
	var events string
	err := t.tx.QueryRowContext(ctx, `SELECT events FROM records WHERE principal_id = $1 AND id = $2`, principalID, recordID).Scan(&events)
	if errors.Is(err, sql.ErrNoRows) {
		return hogo.NewError(hogo.ENOTFOUND, "record", "記録が見つかりません。", "no such record")
	}
	if err != nil {
		return err
	}
	m := splitTerms(events)
	m[event] = on
	_, err = t.tx.ExecContext(ctx, `UPDATE records SET events = $1 WHERE principal_id = $2 AND id = $3`, joinTerms(m), principalID, recordID)
	return err
}

// ListHolds implements hogo.RetentionService.
func (db *DB) ListHolds(ctx context.Context, all bool) ([]*hogo.Hold, error) {
	q := `SELECT id, kind, target, reason, placed_by, placed_at, lifted_at, lifted_by FROM holds`
	if !all {
		q += ` WHERE lifted_at = 0`
	}
	rows, err := db.Read.QueryContext(ctx, q+` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.Hold
	for rows.Next() {
		h := &hogo.Hold{}
		var placed, lifted int64
		if err := rows.Scan(&h.ID, &h.Kind, &h.Target, &h.Reason, &h.PlacedBy, &placed, &lifted, &h.LiftedBy); err != nil {
			return nil, err
		}
		h.PlacedAt, h.LiftedAt = fromNanos(placed), optTime(lifted)
		out = append(out, h)
	}
	return out, rows.Err()
}

// ListDisposals implements hogo.RetentionService.
func (db *DB) ListDisposals(ctx context.Context, limit int) ([]*hogo.Disposal, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := db.Read.QueryContext(ctx, `SELECT id, at, actor, approved_by, counts, principals, records, done FROM disposals ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.Disposal
	for rows.Next() {
		d := &hogo.Disposal{Counts: map[string]int{}}
		var at int64
		var counts string
		var done int
		if err := rows.Scan(&d.ID, &at, &d.Actor, &d.ApprovedBy, &counts, &d.Principals, &d.Records, &done); err != nil {
			return nil, err
		}
		d.At, d.Done = fromNanos(at), done != 0
		for k, v := range splitTerms(counts) {
			n, _ := strconv.Atoi(v)
			d.Counts[k] = n
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// registerTables maps a register to its table and principal links.
var registerTables = map[string][3]string{
	hogo.RegisterProvisions: {"provisions", "provision_principals", "provision_id"},
	hogo.RegisterReceipts:   {"receipts", "receipt_principals", "receipt_id"},
}

// ListExpiredRegister implements hogo.RetentionService.
func (db *DB) ListExpiredRegister(ctx context.Context, register, today string) (map[string][]string, error) {
	t, ok := registerTables[register]
	if !ok {
		return nil, hogo.Errorf(hogo.EINVALID, "unknown register %q", register)
	}
	rows, err := db.Read.QueryContext(ctx, `SELECT r.id, COALESCE(l.principal_id, '') FROM `+t[0]+` r LEFT JOIN `+t[1]+` l ON l.`+t[2]+` = r.id
		WHERE r.retain_until < $1 ORDER BY r.id`, today)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		if p == "" {
			out[id] = append(out[id], []string{}...)
			continue
		}
		out[id] = append(out[id], p)
	}
	return out, rows.Err()
}

// DeleteRegisterRecords implements hogo.RetentionWriter.
func (t *txStore) DeleteRegisterRecords(ctx context.Context, register string, ids []string) (int, error) {
	tb, ok := registerTables[register]
	if !ok {
		return 0, hogo.Errorf(hogo.EINVALID, "unknown register %q", register)
	}
	n := 0
	for _, id := range ids {
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM `+tb[1]+` WHERE `+tb[2]+` = $1`, id); err != nil {
			return n, err
		}
		res, err := t.tx.ExecContext(ctx, `DELETE FROM `+tb[0]+` WHERE id = $1`, id)
		if err != nil {
			return n, err
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// ScanRetention implements hogo.RetentionService. Event-based rules read
// the partial index records_events; acquisition-based ones the index
// records_category, in acquisition order.
func (db *DB) ScanRetention(ctx context.Context, category string, eventBased bool, acquiredBefore time.Time, after hogo.RetentionKey, limit int, fn func(*hogo.Record) error) error {
	var rows *sql.Rows
	var err error
	if eventBased {
		rows, err = db.Read.QueryContext(ctx, `SELECT principal_id, id, acquired_at, events FROM records
			WHERE category = $1 AND events != '' AND (principal_id, id) > ($2, $3) ORDER BY category, principal_id, id LIMIT $4`,
			category, after.PrincipalID, after.ID, limit)
	} else {
		rows, err = db.Read.QueryContext(ctx, `SELECT principal_id, id, acquired_at, events FROM records
			WHERE category = $1 AND acquired_at < $2 AND (acquired_at, principal_id, id) > ($3, $4, $5) ORDER BY category, acquired_at, principal_id, id LIMIT $6`,
			category, nanos(acquiredBefore), nanos(after.AcquiredAt), after.PrincipalID, after.ID, limit)
	}
	if err != nil {
		return err
	}
	var got []*hogo.Record
	for rows.Next() {
		r := &hogo.Record{Category: category}
		var acq int64
		var events string
		if err := rows.Scan(&r.PrincipalID, &r.ID, &acq, &events); err != nil {
			rows.Close()
			return err
		}
		r.AcquiredAt = fromNanos(acq)
		if events != "" {
			r.Events = splitTerms(events)
		}
		got = append(got, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, r := range got {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// CountRecords implements hogo.RetentionService.
func (db *DB) CountRecords(ctx context.Context, principals []string) (map[string]int, error) {
	out := make(map[string]int, len(principals))
	const chunk = 500
	for start := 0; start < len(principals); start += chunk {
		ids := principals[start:min(start+chunk, len(principals))]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		ph := placeholders(len(ids), 1, 1, db.Dialect.Anonymous)
		rows, err := db.Read.QueryContext(ctx, `SELECT principal_id, COUNT(*) FROM records WHERE principal_id IN (`+ph+`) GROUP BY principal_id`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = n
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CountCategory implements hogo.RetentionService.
func (db *DB) CountCategory(ctx context.Context, category string) (int, error) {
	var n int
	err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM records WHERE category = $1`, category).Scan(&n)
	return n, err
}
