package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"hogo.example.jp/hogo"
)

// InsertProvision implements hogo.ProvisionWriter: the record, and one
// row per principal so that a principal's provisions are found at once.
func (t *txStore) InsertProvision(ctx context.Context, p *hogo.Provision) error {
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO provisions (id, recipient, basis, exception, justification, foreign_basis, category,
		items, principals, identities, record_method, provided_at, actor, retain_until, export_format, export_sha256, export)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		p.ID, p.Recipient, p.Basis, p.Exception, p.Justification, p.Foreign, p.Category, strings.Join(p.Items, " "), max(p.Count, len(p.Principals)),
		p.Identities, p.RecordMethod, nanos(p.ProvidedAt), p.Actor, p.RetainUntil, p.ExportFormat, p.ExportSHA256, p.Export); err != nil {
		return err
	}
	ins := t.inserter(`INSERT INTO provision_principals (principal_id, provision_id) VALUES `, 2)
	defer ins.close()
	for _, id := range p.Principals {
		if err := ins.add(ctx, id, p.ID); err != nil {
			return err
		}
	}
	return ins.flush(ctx)
}

const provisionCols = `p.id, p.recipient, p.basis, p.exception, p.justification, p.foreign_basis, p.category, p.items, p.identities,
	p.record_method, p.provided_at, p.actor, p.retain_until, p.export_format, p.export_sha256`

func scanProvision(sc interface{ Scan(...any) error }, extra ...any) (*hogo.Provision, error) {
	p := &hogo.Provision{}
	var items string
	var at int64
	dest := append([]any{&p.ID, &p.Recipient, &p.Basis, &p.Exception, &p.Justification, &p.Foreign, &p.Category, &items, &p.Identities,
		&p.RecordMethod, &at, &p.Actor, &p.RetainUntil, &p.ExportFormat, &p.ExportSHA256}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	p.Items, p.ProvidedAt = strings.Fields(items), fromNanos(at)
	return p, nil
}

func (db *DB) provisionPrincipals(ctx context.Context, id string) ([]string, error) {
	return db.strings(ctx, `SELECT principal_id FROM provision_principals WHERE provision_id = $1 ORDER BY principal_id`, id)
}

// ListProvisions implements hogo.ProvisionService. For one principal,
// Principals holds only that principal.
func (db *DB) ListProvisions(ctx context.Context, principalID string, limit int) ([]*hogo.Provision, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var rows *sql.Rows
	var err error
	if principalID == "" {
		rows, err = db.Read.QueryContext(ctx, `SELECT `+provisionCols+`, p.principals FROM provisions p ORDER BY p.id DESC LIMIT $1`, limit)
	} else {
		rows, err = db.Read.QueryContext(ctx, `SELECT `+provisionCols+`, p.principals FROM provisions p JOIN provision_principals pp ON pp.provision_id = p.id
			WHERE pp.principal_id = $1 ORDER BY p.id DESC LIMIT $2`, principalID, limit)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.Provision
	for rows.Next() {
		var n int
		p, err := scanProvision(rows, &n)
		if err != nil {
			return nil, err
		}
		p.Count = n
		if principalID != "" {
			p.Principals = []string{principalID}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// GetProvision implements hogo.ProvisionService.
func (db *DB) GetProvision(ctx context.Context, id string) (*hogo.Provision, error) {
	var export []byte
	p, err := scanProvision(db.Read.QueryRowContext(ctx, `SELECT `+provisionCols+`, p.export FROM provisions p WHERE p.id = $1`, id), &export)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "id", "提供記録が見つかりません。", "no such provision record")
	}
	if err != nil {
		return nil, err
	}
	p.Export = export
	if p.Principals, err = db.provisionPrincipals(ctx, id); err != nil {
		return nil, err
	}
	p.Count = len(p.Principals)
	return p, nil
}
