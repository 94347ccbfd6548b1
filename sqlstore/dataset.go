package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"hogo.example.jp/hogo"
)

// InsertDataset implements hogo.DatasetWriter: the record, its sealed
// method information and its table, in three tables.
func (t *txStore) InsertDataset(ctx context.Context, d *hogo.Dataset) error {
	items, err := json.Marshal(d.Items)
	if err != nil {
		return err
	}
	steps, err := json.Marshal(d.Steps)
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO datasets (id, kind, title, category, purpose, items, steps, report, rows_out,
		suppressed, created_at, actor, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		d.ID, d.Kind, d.Title, d.Category, d.Purpose, string(items), string(steps), string(d.Report), d.Rows, d.Suppressed,
		nanos(d.CreatedAt), d.Actor, nanos(d.PublishedAt)); err != nil {
		return t.dup(err)
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO dataset_methods (dataset_id, method_key, method) VALUES ($1, $2, $3)`,
		d.ID, d.MethodKey, d.Method); err != nil {
		return err
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO dataset_data (dataset_id, data) VALUES ($1, $2)`, d.ID, d.Data)
	return err
}

const datasetCols = `id, kind, title, category, purpose, items, steps, report, rows_out, suppressed, created_at, actor, published_at`

func scanDataset(sc interface{ Scan(...any) error }) (*hogo.Dataset, error) {
	d := &hogo.Dataset{}
	var items, steps, report string
	var created, published int64
	if err := sc.Scan(&d.ID, &d.Kind, &d.Title, &d.Category, &d.Purpose, &items, &steps, &report, &d.Rows, &d.Suppressed,
		&created, &d.Actor, &published); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(items), &d.Items); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(steps), &d.Steps); err != nil {
		return nil, err
	}
	d.Report = []byte(report)
	d.CreatedAt, d.PublishedAt = fromNanos(created), fromNanos(published)
	return d, nil
}

func errNoDataset() error {
	return hogo.NewError(hogo.ENOTFOUND, "id", "匿名加工情報の作成記録が見つかりません。", "no such anonymised dataset")
}

// ListDatasets implements hogo.DatasetService, newest first.
func (db *DB) ListDatasets(ctx context.Context) ([]*hogo.Dataset, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT `+datasetCols+` FROM datasets ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.Dataset
	for rows.Next() {
		d, err := scanDataset(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// GetDataset implements hogo.DatasetService.
func (db *DB) GetDataset(ctx context.Context, id string) (*hogo.Dataset, error) {
	d, err := scanDataset(db.Read.QueryRowContext(ctx, `SELECT `+datasetCols+` FROM datasets WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoDataset()
	}
	return d, err
}

// DatasetData implements hogo.DatasetService.
func (db *DB) DatasetData(ctx context.Context, id string) ([]byte, error) {
	var b []byte
	err := db.Read.QueryRowContext(ctx, `SELECT data FROM dataset_data WHERE dataset_id = $1`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoDataset()
	}
	return b, err
}

// DatasetMethod implements hogo.DatasetService.
func (db *DB) DatasetMethod(ctx context.Context, id string) (sealed, key []byte, err error) {
	err = db.Read.QueryRowContext(ctx, `SELECT method, method_key FROM dataset_methods WHERE dataset_id = $1`, id).Scan(&sealed, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errNoDataset()
	}
	return sealed, key, err
}

// InsertDatasetProvision implements hogo.DatasetWriter.
func (t *txStore) InsertDatasetProvision(ctx context.Context, p *hogo.DatasetProvision) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO dataset_provisions (id, dataset_id, recipient, recipient_address, method, provided_on,
		created_at, actor, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.DatasetID, p.Recipient, p.RecipientAddress, p.Method, p.ProvidedOn, nanos(p.CreatedAt), p.Actor, nanos(p.PublishedAt))
	return t.dup(err)
}

// ListDatasetProvisions implements hogo.DatasetService.
func (db *DB) ListDatasetProvisions(ctx context.Context, datasetID string) ([]*hogo.DatasetProvision, error) {
	q := `SELECT id, dataset_id, recipient, recipient_address, method, provided_on, created_at, actor, published_at FROM dataset_provisions`
	var args []any
	if datasetID != "" {
		q += ` WHERE dataset_id = $1`
		args = append(args, datasetID)
	}
	rows, err := db.Read.QueryContext(ctx, q+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.DatasetProvision
	for rows.Next() {
		p := &hogo.DatasetProvision{}
		var created, published int64
		if err := rows.Scan(&p.ID, &p.DatasetID, &p.Recipient, &p.RecipientAddress, &p.Method, &p.ProvidedOn, &created, &p.Actor, &published); err != nil {
			return nil, err
		}
		p.CreatedAt, p.PublishedAt = fromNanos(created), fromNanos(published)
		out = append(out, p)
	}
	return out, rows.Err()
}

// UpdateDatasetReport implements hogo.DatasetWriter.
func (t *txStore) UpdateDatasetReport(ctx context.Context, id, kind string, report []byte) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE datasets SET report = $1 WHERE id = $2 AND kind = $3`, string(report), id, kind)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(err, errNoDataset())
	}
	return nil
}
