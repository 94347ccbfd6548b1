package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"hogo.example.jp/hogo"
)

// InsertRequest implements hogo.RequestWriter.
func (t *txStore) InsertRequest(ctx context.Context, r *hogo.RightsRequest) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO requests (id, receipt_number, secret_hash, types, channel, requester_kind, requester,
		status, missing, received_on, due_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		r.ID, r.ReceiptNumber, r.SecretHash, strings.Join(r.Types, " "), r.Channel, r.RequesterKind, r.Requester,
		r.Status, strings.Join(r.Missing, " "), r.ReceivedOn, r.DueOn, nanos(r.CreatedAt), nanos(r.UpdatedAt))
	if t.db.Dialect.IsUnique(err) {
		return hogo.NewError(hogo.ECONFLICT, "receipt_number", "受付番号が重複しました。もう一度送ってください。", "the receipt number is taken; send the request again")
	}
	return err
}

const requestCols = `id, receipt_number, secret_hash, types, channel, requester_kind, requester, status, missing, received_on, due_on, created_at, updated_at`

func scanRequest(sc interface{ Scan(...any) error }) (*hogo.RightsRequest, error) {
	r := &hogo.RightsRequest{}
	var types, missing string
	var c, u int64
	if err := sc.Scan(&r.ID, &r.ReceiptNumber, &r.SecretHash, &types, &r.Channel, &r.RequesterKind, &r.Requester,
		&r.Status, &missing, &r.ReceivedOn, &r.DueOn, &c, &u); err != nil {
		return nil, err
	}
	r.Types, r.Missing, r.CreatedAt, r.UpdatedAt = splitPurposes(types), splitPurposes(missing), fromNanos(c), fromNanos(u)
	return r, nil
}

// ListRequests implements hogo.RequestService.
func (db *DB) ListRequests(ctx context.Context, status string, limit int) ([]*hogo.RightsRequest, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := db.Read.QueryContext(ctx, `SELECT `+requestCols+` FROM requests WHERE ($1 = '' OR status = $1)
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
