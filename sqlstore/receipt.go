package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"hogo.example.jp/hogo"
)

// InsertReceipt implements hogo.ReceiptWriter: the record, and one row per
// principal named so that a principal's receipts are found at once.
func (t *txStore) InsertReceipt(ctx context.Context, r *hogo.Receipt) error {
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO receipts (id, provider_name, provider_address, provider_corporation,
		provider_representative, acquisition, source, received_on, category, items, principals, basis, optout_published,
		consent_confirmed, cross_border, foreign_info_given, record_method, recorded_at, actor, retain_until)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		r.ID, r.ProviderName, r.ProviderAddress, boolInt(r.ProviderCorporation), r.ProviderRepresentative, r.Acquisition, r.Source,
		r.ReceivedOn, r.Category, strings.Join(r.Items, " "), r.Count, r.Basis, boolInt(r.OptOutPublished), boolInt(r.ConsentConfirmed),
		boolInt(r.CrossBorder), boolInt(r.ForeignInfoGiven), r.RecordMethod, nanos(r.RecordedAt), r.Actor, r.RetainUntil); err != nil {
		return t.dup(err)
	}
	ins := t.inserter(`INSERT INTO receipt_principals (principal_id, receipt_id) VALUES `, 2)
	defer ins.close()
	for _, id := range r.Principals {
		if err := ins.add(ctx, id, r.ID); err != nil {
			return err
		}
	}
	return ins.flush(ctx)
}

const receiptCols = `r.id, r.provider_name, r.provider_address, r.provider_corporation, r.provider_representative, r.acquisition,
	r.source, r.received_on, r.category, r.items, r.principals, r.basis, r.optout_published, r.consent_confirmed, r.cross_border,
	r.foreign_info_given, r.record_method, r.recorded_at, r.actor, r.retain_until`

func scanReceipt(sc interface{ Scan(...any) error }) (*hogo.Receipt, error) {
	r := &hogo.Receipt{}
	var items string
	var corp, published, consent, cross, info, at int64
	if err := sc.Scan(&r.ID, &r.ProviderName, &r.ProviderAddress, &corp, &r.ProviderRepresentative, &r.Acquisition, &r.Source,
		&r.ReceivedOn, &r.Category, &items, &r.Count, &r.Basis, &published, &consent, &cross, &info, &r.RecordMethod, &at,
		&r.Actor, &r.RetainUntil); err != nil {
		return nil, err
	}
	r.Items, r.RecordedAt = strings.Fields(items), fromNanos(at)
	r.ProviderCorporation, r.OptOutPublished, r.ConsentConfirmed = corp != 0, published != 0, consent != 0
	r.CrossBorder, r.ForeignInfoGiven = cross != 0, info != 0
	return r, nil
}

// ListReceipts implements hogo.ReceiptService.
func (db *DB) ListReceipts(ctx context.Context, principalID string, limit int) ([]*hogo.Receipt, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var rows *sql.Rows
	var err error
	if principalID == "" {
		rows, err = db.Read.QueryContext(ctx, `SELECT `+receiptCols+` FROM receipts r ORDER BY r.id DESC LIMIT $1`, limit)
	} else {
		rows, err = db.Read.QueryContext(ctx, `SELECT `+receiptCols+` FROM receipts r JOIN receipt_principals rp ON rp.receipt_id = r.id
			WHERE rp.principal_id = $1 ORDER BY r.id DESC LIMIT $2`, principalID, limit)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.Receipt
	for rows.Next() {
		r, err := scanReceipt(rows)
		if err != nil {
			return nil, err
		}
		if principalID != "" {
			r.Principals = []string{principalID}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetReceipt implements hogo.ReceiptService.
func (db *DB) GetReceipt(ctx context.Context, id string) (*hogo.Receipt, error) {
	r, err := scanReceipt(db.Read.QueryRowContext(ctx, `SELECT `+receiptCols+` FROM receipts r WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "id", "受領記録が見つかりません。", "no such receipt record")
	}
	if err != nil {
		return nil, err
	}
	err = db.scanRows(ctx, `SELECT principal_id FROM receipt_principals WHERE receipt_id = $1 ORDER BY principal_id`, id, func(rows *sql.Rows) error {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		r.Principals = append(r.Principals, p)
		return nil
	})
	return r, err
}

// UnknownPrincipals implements hogo.ReceiptService.
func (db *DB) UnknownPrincipals(ctx context.Context, ids []string) ([]string, error) {
	known := make(map[string]bool, len(ids))
	per := min(db.Dialect.MaxParams, 1000)
	for start := 0; start < len(ids); start += per {
		chunk := ids[start:min(start+per, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.Read.QueryContext(ctx, `SELECT id FROM principals WHERE id IN (`+inList(len(chunk), 1, db.Dialect.Anonymous)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			known[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	var out []string
	for _, id := range ids {
		if !known[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

var _ hogo.ReceiptService = (*DB)(nil)
