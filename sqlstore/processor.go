package sqlstore

import (
	"context"
	"database/sql"

	"hogo.example.jp/hogo"
)

// InsertProcessorContract implements hogo.ProcessorWriter.
func (t *txStore) InsertProcessorContract(ctx context.Context, c *hogo.ProcessorContract) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO processor_contracts (id, processor_id, signed_on, reference, ends_on, nda, nda_on,
		recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		c.ID, c.Processor, c.SignedOn, c.Reference, c.EndsOn, boolInt(c.NDA), c.NDAOn, nanos(c.RecordedAt), c.RecordedBy)
	return t.dup(err)
}

// InsertProcessorReview implements hogo.ProcessorWriter.
func (t *txStore) InsertProcessorReview(ctx context.Context, r *hogo.ProcessorReview) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO processor_reviews (id, processor_id, kind, reviewed_on, grade, evaluator, note,
		interval_months, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		r.ID, r.Processor, r.Kind, r.ReviewedOn, r.Grade, r.Evaluator, r.Note, r.IntervalMonths, nanos(r.RecordedAt), r.RecordedBy)
	return t.dup(err)
}

// InsertSubEntrustment implements hogo.ProcessorWriter.
func (t *txStore) InsertSubEntrustment(ctx context.Context, s *hogo.SubEntrustment) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO processor_subentrustments (id, processor_id, name, scope, approved_on, approved_by,
		recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.ID, s.Processor, s.Name, s.Scope, s.ApprovedOn, s.ApprovedBy, nanos(s.RecordedAt), s.RecordedBy)
	return t.dup(err)
}

// ProcessorFiles implements hogo.ProcessorService.
func (db *DB) ProcessorFiles(ctx context.Context) (map[string]*hogo.ProcessorFile, error) {
	return db.processorFiles(ctx, "")
}

// ProcessorFile implements hogo.ProcessorService.
func (db *DB) ProcessorFile(ctx context.Context, processor string) (*hogo.ProcessorFile, error) {
	files, err := db.processorFiles(ctx, processor)
	if err != nil {
		return nil, err
	}
	if f := files[processor]; f != nil {
		return f, nil
	}
	return &hogo.ProcessorFile{Processor: processor}, nil
}

// processorFiles reads the register, of one processor or ("") of all, in
// the order recorded (IDs are time-ordered).
func (db *DB) processorFiles(ctx context.Context, processor string) (map[string]*hogo.ProcessorFile, error) {
	files := map[string]*hogo.ProcessorFile{}
	file := func(id string) *hogo.ProcessorFile {
		f := files[id]
		if f == nil {
			f = &hogo.ProcessorFile{Processor: id}
			files[id] = f
		}
		return f
	}
	where := ` WHERE ($1 = '' OR processor_id = $1) ORDER BY id`
	err := db.scanRows(ctx, `SELECT id, processor_id, signed_on, reference, ends_on, nda, nda_on, recorded_at, recorded_by
		FROM processor_contracts`+where, processor, func(rows *sql.Rows) error {
		c := &hogo.ProcessorContract{}
		var nda, at int64
		if err := rows.Scan(&c.ID, &c.Processor, &c.SignedOn, &c.Reference, &c.EndsOn, &nda, &c.NDAOn, &at, &c.RecordedBy); err != nil {
			return err
		}
		c.NDA, c.RecordedAt = nda != 0, fromNanos(at)
		f := file(c.Processor)
		f.Contracts = append(f.Contracts, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.scanRows(ctx, `SELECT id, processor_id, kind, reviewed_on, grade, evaluator, note, interval_months, recorded_at, recorded_by
		FROM processor_reviews`+where, processor, func(rows *sql.Rows) error {
		r := &hogo.ProcessorReview{}
		var at int64
		if err := rows.Scan(&r.ID, &r.Processor, &r.Kind, &r.ReviewedOn, &r.Grade, &r.Evaluator, &r.Note, &r.IntervalMonths, &at, &r.RecordedBy); err != nil {
			return err
		}
		r.RecordedAt = fromNanos(at)
		f := file(r.Processor)
		f.Reviews = append(f.Reviews, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.scanRows(ctx, `SELECT id, processor_id, name, scope, approved_on, approved_by, recorded_at, recorded_by
		FROM processor_subentrustments`+where, processor, func(rows *sql.Rows) error {
		s := &hogo.SubEntrustment{}
		var at int64
		if err := rows.Scan(&s.ID, &s.Processor, &s.Name, &s.Scope, &s.ApprovedOn, &s.ApprovedBy, &at, &s.RecordedBy); err != nil {
			return err
		}
		s.RecordedAt = fromNanos(at)
		f := file(s.Processor)
		f.SubEntrustments = append(f.SubEntrustments, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// scanRows runs a read and calls fn for each row.
func (db *DB) scanRows(ctx context.Context, q string, arg any, fn func(*sql.Rows) error) error {
	rows, err := db.Read.QueryContext(ctx, q, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

var _ hogo.ProcessorService = (*DB)(nil)
