package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
)

const incidentCols = `id, status, known_on, triggers, affected, preliminary_due, final_due, preliminary_sent, final_sent, facts,
	version, created_at, updated_at`

func scanIncident(sc interface{ Scan(...any) error }) (*hogo.Incident, error) {
	i := &hogo.Incident{}
	var triggers string
	var c, u int64
	if err := sc.Scan(&i.ID, &i.Status, &i.KnownOn, &triggers, &i.Affected, &i.PreliminaryDue, &i.FinalDue, &i.PreliminarySent,
		&i.FinalSent, &i.Facts, &i.Version, &c, &u); err != nil {
		return nil, err
	}
	i.Triggers, i.CreatedAt, i.UpdatedAt = strings.Fields(triggers), fromNanos(c), fromNanos(u)
	return i, nil
}

// InsertIncident implements hogo.IncidentWriter.
func (t *txStore) InsertIncident(ctx context.Context, i *hogo.Incident) error {
	if i.Version == 0 {
		i.Version = 1
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO incidents (`+incidentCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		i.ID, i.Status, i.KnownOn, strings.Join(i.Triggers, " "), i.Affected, i.PreliminaryDue, i.FinalDue, i.PreliminarySent, i.FinalSent,
		i.Facts, i.Version, nanos(i.CreatedAt), nanos(i.UpdatedAt))
	return err
}

// UpdateIncident implements hogo.IncidentWriter.
func (t *txStore) UpdateIncident(ctx context.Context, i *hogo.Incident) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE incidents SET status = $1, known_on = $2, triggers = $3, affected = $4, preliminary_due = $5,
		final_due = $6, preliminary_sent = $7, final_sent = $8, facts = $9, version = $10, updated_at = $11 WHERE id = $12 AND version = $13`,
		i.Status, i.KnownOn, strings.Join(i.Triggers, " "), i.Affected, i.PreliminaryDue, i.FinalDue, i.PreliminarySent, i.FinalSent,
		i.Facts, i.Version, nanos(i.UpdatedAt), i.ID, i.Version-1)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return hogo.NewError(hogo.ECONFLICT, "version", "この事案は他の操作で更新されています。読み直してからもう一度行ってください。",
			"the incident was changed by someone else; reload it and try again")
	}
	return nil
}

// ListIncidents implements hogo.IncidentService.
func (db *DB) ListIncidents(ctx context.Context, limit int) ([]*hogo.Incident, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := db.Read.QueryContext(ctx, `SELECT `+incidentCols+` FROM incidents ORDER BY known_on DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.Incident
	for rows.Next() {
		i, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// GetIncident implements hogo.IncidentService.
func (db *DB) GetIncident(ctx context.Context, id string) (*hogo.Incident, error) {
	i, err := scanIncident(db.Read.QueryRowContext(ctx, `SELECT `+incidentCols+` FROM incidents WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "id", "事案が見つかりません。", "no such incident")
	}
	return i, err
}

// CountAffected implements hogo.IncidentService.
func (db *DB) CountAffected(ctx context.Context, categories []string, from, to time.Time, principals []string) (int, error) {
	if len(principals) > 0 {
		n := 0
		per := min(db.Dialect.MaxParams, 5000)
		for start := 0; start < len(principals); start += per {
			chunk := principals[start:min(start+per, len(principals))]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			var k int
			if err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM principals WHERE id IN (`+inList(len(chunk), 1, db.Dialect.Anonymous)+`)`,
				args...).Scan(&k); err != nil {
				return 0, err
			}
			n += k
		}
		return n, nil
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(categories) > 0 {
		var ps []string
		for _, c := range categories {
			ps = append(ps, arg(c))
		}
		where = append(where, "category IN ("+strings.Join(ps, ", ")+")")
	}
	if !from.IsZero() {
		where = append(where, "acquired_at >= "+arg(from.UnixNano()))
	}
	if !to.IsZero() {
		where = append(where, "acquired_at < "+arg(to.UnixNano()))
	}
	q := `SELECT COUNT(DISTINCT principal_id) FROM records`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	var n int
	err := db.Read.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}
