package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
)

// InsertRequest implements hogo.RequestWriter.
func (t *txStore) InsertRequest(ctx context.Context, r *hogo.RightsRequest) error {
	if r.Version == 0 {
		r.Version = 1
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO requests (id, receipt_number, secret_hash, types, channel, requester_kind, requester,
		status, missing, received_on, due_on, created_at, updated_at, version, principal_id, fee_due, fee_paid, verified, paused_on,
		closed_on, case_file) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
		r.ID, r.ReceiptNumber, r.SecretHash, strings.Join(r.Types, " "), r.Channel, r.RequesterKind, r.Requester,
		r.Status, strings.Join(r.Missing, " "), r.ReceivedOn, r.DueOn, nanos(r.CreatedAt), nanos(r.UpdatedAt),
		r.Version, r.PrincipalID, r.FeeDue, r.FeePaid, boolInt(r.Verified), r.PausedOn, r.ClosedOn, r.Case)
	if t.db.Dialect.IsUnique(err) {
		return hogo.NewError(hogo.ECONFLICT, "receipt_number", "受付番号が重複しました。もう一度送ってください。", "the receipt number is taken; send the request again")
	}
	return err
}

const requestCols = `id, receipt_number, secret_hash, types, channel, requester_kind, requester, status, missing, received_on, due_on,
	created_at, updated_at, version, principal_id, fee_due, fee_paid, verified, paused_on, closed_on, case_file`

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func scanRequest(sc interface{ Scan(...any) error }) (*hogo.RightsRequest, error) {
	r := &hogo.RightsRequest{}
	var types, missing string
	var c, u, verified int64
	if err := sc.Scan(&r.ID, &r.ReceiptNumber, &r.SecretHash, &types, &r.Channel, &r.RequesterKind, &r.Requester,
		&r.Status, &missing, &r.ReceivedOn, &r.DueOn, &c, &u, &r.Version, &r.PrincipalID, &r.FeeDue, &r.FeePaid, &verified,
		&r.PausedOn, &r.ClosedOn, &r.Case); err != nil {
		return nil, err
	}
	r.Verified = verified != 0
	r.Types, r.Missing, r.CreatedAt, r.UpdatedAt = splitPurposes(types), splitPurposes(missing), fromNanos(c), fromNanos(u)
	return r, nil
}

// ListRequests implements hogo.RequestService.
func (db *DB) ListRequests(ctx context.Context, status string, limit int) ([]*hogo.RightsRequest, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := db.Read.QueryContext(ctx, `SELECT `+requestCols+` FROM requests
		WHERE ($1 = '' OR ($1 = 'open' AND closed_on = '') OR ($1 = 'closed' AND closed_on <> '') OR status = $1)
		ORDER BY due_on, receipt_number LIMIT $2`, status, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.RightsRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetRequest implements hogo.RequestService.
func (db *DB) GetRequest(ctx context.Context, id string) (*hogo.RightsRequest, error) {
	r, err := scanRequest(db.Read.QueryRowContext(ctx, `SELECT `+requestCols+` FROM requests WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "id", "請求が見つかりません。", "no such request")
	}
	return r, err
}

// FindRequestByReceipt implements hogo.RequestService.
func (db *DB) FindRequestByReceipt(ctx context.Context, receipt string) (*hogo.RightsRequest, error) {
	r, err := scanRequest(db.Read.QueryRowContext(ctx, `SELECT `+requestCols+` FROM requests WHERE receipt_number = $1`, receipt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "receipt_number", "請求が見つかりません。", "no such request")
	}
	return r, err
}

// UpdateRequest implements hogo.RequestWriter.
func (t *txStore) UpdateRequest(ctx context.Context, r *hogo.RightsRequest) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE requests SET types = $1, requester = $2, status = $3, missing = $4, due_on = $5,
		updated_at = $6, version = $7, principal_id = $8, fee_due = $9, fee_paid = $10, verified = $11, paused_on = $12,
		closed_on = $13, case_file = $14 WHERE id = $15 AND version = $16`,
		strings.Join(r.Types, " "), r.Requester, r.Status, strings.Join(r.Missing, " "), r.DueOn, nanos(r.UpdatedAt), r.Version,
		r.PrincipalID, r.FeeDue, r.FeePaid, boolInt(r.Verified), r.PausedOn, r.ClosedOn, r.Case, r.ID, r.Version-1)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return hogo.NewError(hogo.ECONFLICT, "version", "請求は他の操作で更新されています。画面を読み直してからもう一度行ってください。",
			"the request was changed by someone else; reload it and try again")
	}
	return nil
}

// InsertRequestFile implements hogo.RequestWriter.
func (t *txStore) InsertRequestFile(ctx context.Context, f *hogo.RequestFile) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO request_files (id, request_id, kind, content_type, size, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.ID, f.RequestID, f.Kind, f.ContentType, f.Size, f.Data, nanos(f.CreatedAt))
	return err
}

// DeleteRequestFiles implements hogo.RequestWriter.
func (t *txStore) DeleteRequestFiles(ctx context.Context, ids []string) (int, error) {
	n := 0
	for _, id := range ids {
		res, err := t.tx.ExecContext(ctx, `DELETE FROM request_files WHERE id = $1`, id)
		if err != nil {
			return n, err
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

const fileCols = `id, request_id, kind, content_type, size, created_at`

func scanFiles(rows *sql.Rows) ([]*hogo.RequestFile, error) {
	defer rows.Close()
	var out []*hogo.RequestFile
	for rows.Next() {
		f := &hogo.RequestFile{}
		var c int64
		if err := rows.Scan(&f.ID, &f.RequestID, &f.Kind, &f.ContentType, &f.Size, &c); err != nil {
			return nil, err
		}
		f.CreatedAt = fromNanos(c)
		out = append(out, f)
	}
	return out, rows.Err()
}

// ListRequestFiles implements hogo.RequestService.
func (db *DB) ListRequestFiles(ctx context.Context, requestID string) ([]*hogo.RequestFile, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT `+fileCols+` FROM request_files WHERE request_id = $1 ORDER BY created_at, id`, requestID)
	if err != nil {
		return nil, err
	}
	return scanFiles(rows)
}

// GetRequestFile implements hogo.RequestService.
func (db *DB) GetRequestFile(ctx context.Context, id string) (*hogo.RequestFile, error) {
	f := &hogo.RequestFile{}
	var c int64
	err := db.Read.QueryRowContext(ctx, `SELECT `+fileCols+`, data FROM request_files WHERE id = $1`, id).Scan(
		&f.ID, &f.RequestID, &f.Kind, &f.ContentType, &f.Size, &c, &f.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "file", "ファイルが見つかりません（保存期間を過ぎて削除された可能性があります）。",
			"no such file (it may have been deleted at the end of its retention)")
	}
	f.CreatedAt = fromNanos(c)
	return f, err
}

// ExpiredRequestFiles implements hogo.RequestService.
func (db *DB) ExpiredRequestFiles(ctx context.Context, kinds []string, closedBy string, limit int) ([]*hogo.RequestFile, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	args := []any{closedBy}
	for _, k := range kinds {
		args = append(args, k)
	}
	args = append(args, limit)
	q := `SELECT f.id, f.request_id, f.kind, f.content_type, f.size, f.created_at FROM request_files f JOIN requests r ON r.id = f.request_id
		WHERE r.closed_on <> '' AND r.closed_on <= $1 AND f.kind IN (` + inList(len(kinds), 2, false) + `) ORDER BY f.id LIMIT $` + strconv.Itoa(len(kinds)+2)
	rows, err := db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return scanFiles(rows)
}
