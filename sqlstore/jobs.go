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

const jobColumns = `id, kind, COALESCE(ukey, done_ukey), args, state, run_at, attempts, max_attempts, node, token, locked_until, last_error, result, created_at, finished_at`

func scanJob(row interface{ Scan(...any) error }) (*hogo.Job, error) {
	j := &hogo.Job{}
	var args string
	var runAt, until, created, finished int64
	if err := row.Scan(&j.ID, &j.Kind, &j.Key, &args, &j.State, &runAt, &j.Attempts, &j.MaxAttempts, &j.Node, &j.Token, &until,
		&j.LastError, &j.Result, &created, &finished); err != nil {
		return nil, err
	}
	j.Args = []byte(args)
	j.RunAt, j.LockedUntil, j.CreatedAt = fromNanos(runAt), fromNanos(until), fromNanos(created)
	if finished != 0 {
		j.FinishedAt = fromNanos(finished)
	}
	return j, nil
}

// EnqueueJob implements hogo.JobService.
func (db *DB) EnqueueJob(ctx context.Context, j *hogo.Job) (bool, error) {
	var key any
	if j.Key != "" {
		key = j.Key
	}
	args := string(j.Args)
	if args == "" {
		args = "{}"
	}
	_, err := db.Write.ExecContext(ctx, `INSERT INTO jobs (id, kind, ukey, args, state, run_at, max_attempts, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		j.ID, j.Kind, key, args, hogo.JobAvailable, nanos(j.RunAt), j.MaxAttempts, nanos(j.CreatedAt))
	if err != nil && j.Key != "" && db.Dialect.IsUnique(err) {
		return false, nil
	}
	return err == nil, err
}

// ClaimJob implements hogo.JobService. On PostgreSQL the candidate row is
// locked with SKIP LOCKED, so nodes claiming at once take different jobs;
// on SQLite the one writer connection serialises claims. Either way the
// outer UPDATE checks the state again, so a job is held by one claim.
func (db *DB) ClaimJob(ctx context.Context, kinds []string, node, token string, now, until time.Time) (*hogo.Job, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	args := []any{node, token, nanos(until), nanos(now)}
	ph := make([]string, len(kinds))
	for i, k := range kinds {
		args = append(args, k)
		ph[i] = "$" + strconv.Itoa(len(args))
	}
	skip := ""
	if db.Dialect.Name == "postgres" {
		skip = " FOR UPDATE SKIP LOCKED"
	}
	due := `((state = 'available' AND run_at <= $4) OR (state = 'running' AND locked_until < $4))`
	q := `UPDATE jobs SET state = 'running', node = $1, token = $2, locked_until = $3, attempts = attempts + 1
		WHERE id = (SELECT id FROM jobs WHERE kind IN (` + strings.Join(ph, ", ") + `) AND ` + due + ` ORDER BY run_at, id LIMIT 1` + skip + `)
		AND ` + due + ` RETURNING ` + jobColumns
	j, err := scanJob(db.Write.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return j, err
}

var errLostClaim = hogo.NewError(hogo.ECONFLICT, "job", "この処理は別のノードが引き継ぎました。", "another node took this job over")

// ExtendJob implements hogo.JobService.
func (db *DB) ExtendJob(ctx context.Context, id, token string, until time.Time) error {
	res, err := db.Write.ExecContext(ctx, `UPDATE jobs SET locked_until = $1 WHERE id = $2 AND token = $3 AND state = 'running'`, nanos(until), id, token)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errLostClaim
	}
	return nil
}

// FinishJob implements hogo.JobService.
func (db *DB) FinishJob(ctx context.Context, id, token, state string, at, retryAt time.Time, lastError, result string, releaseKey bool) error {
	var res sql.Result
	var err error
	switch {
	case state == hogo.JobAvailable:
		res, err = db.Write.ExecContext(ctx, `UPDATE jobs SET state = 'available', run_at = $1, locked_until = 0, last_error = $2 WHERE id = $3 AND token = $4 AND state = 'running'`,
			nanos(retryAt), lastError, id, token)
	case releaseKey:
		res, err = db.Write.ExecContext(ctx, `UPDATE jobs SET state = $1, finished_at = $2, locked_until = 0, last_error = $3, result = $4, done_ukey = COALESCE(ukey, ''), ukey = NULL
			WHERE id = $5 AND token = $6 AND state = 'running'`, state, nanos(at), lastError, result, id, token)
	default:
		res, err = db.Write.ExecContext(ctx, `UPDATE jobs SET state = $1, finished_at = $2, locked_until = 0, last_error = $3, result = $4
			WHERE id = $5 AND token = $6 AND state = 'running'`, state, nanos(at), lastError, result, id, token)
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errLostClaim
	}
	return nil
}

// GetJob implements hogo.JobService.
func (db *DB) GetJob(ctx context.Context, id string) (*hogo.Job, error) {
	j, err := scanJob(db.Read.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "id", "処理が見つかりません。", "no such job")
	}
	return j, err
}

// ListJobs implements hogo.JobService.
func (db *DB) ListJobs(ctx context.Context, kind string, limit int) ([]*hogo.Job, error) {
	q, args := `SELECT `+jobColumns+` FROM jobs ORDER BY created_at DESC, id DESC LIMIT $1`, []any{limit}
	if kind != "" {
		q, args = `SELECT `+jobColumns+` FROM jobs WHERE kind = $2 ORDER BY created_at DESC, id DESC LIMIT $1`, []any{limit, kind}
	}
	rows, err := db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// PruneJobs implements hogo.JobService. A periodic job's key names a past
// period, which is never scheduled again, so its row may go too.
func (db *DB) PruneJobs(ctx context.Context, before time.Time) (int, error) {
	res, err := db.Write.ExecContext(ctx, `DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at > 0 AND finished_at < $1`, nanos(before))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
