package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
)

func joinTerms(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k + "=" + m[k])
	}
	return b.String()
}

func splitTerms(s string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(s) {
		if k, v, ok := strings.Cut(f, "="); ok {
			m[k] = v
		}
	}
	return m
}

func optNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func optTime(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return fromNanos(n)
}

// InsertConsent implements hogo.ConsentWriter.
func (t *txStore) InsertConsent(ctx context.Context, c *hogo.Consent) error {
	if err := t.principalExists(ctx, c.PrincipalID); err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO consents (id, principal_id, purposes, recipients, terms, notice_version, method,
		witness, given_at, recorded_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		c.ID, c.PrincipalID, strings.Join(c.Purposes, " "), strings.Join(c.Recipients, " "), joinTerms(c.Terms), c.NoticeVersion,
		c.Method, c.Witness, nanos(c.GivenAt), c.RecordedBy, optNanos(c.ExpiresAt)); err != nil {
		return err
	}
	return t.summarizeConsents(ctx, c.PrincipalID)
}

// summarizeConsents writes the principal's standing consents onto the
// principal's row, where every read finds them with no second query.
func (t *txStore) summarizeConsents(ctx context.Context, principalID string) error {
	rows, err := t.tx.QueryContext(ctx, `SELECT `+consentCols+` FROM consents WHERE principal_id = $1 AND withdrawn_at = 0 ORDER BY id`, principalID)
	if err != nil {
		return err
	}
	cs, err := scanConsents(rows)
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(ctx, `UPDATE principals SET consents = $1 WHERE id = $2`, encodeConsents(cs), principalID)
	return err
}

// encodeConsents writes consents one per line: id, purposes, recipients,
// terms, expiry (nanoseconds), given (nanoseconds), separated by tabs.
func encodeConsents(cs []*hogo.Consent) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.ID)
		b.WriteByte('\t')
		b.WriteString(strings.Join(c.Purposes, " "))
		b.WriteByte('\t')
		b.WriteString(strings.Join(c.Recipients, " "))
		b.WriteByte('\t')
		b.WriteString(joinTerms(c.Terms))
		b.WriteByte('\t')
		b.WriteString(strconv.FormatInt(optNanos(c.ExpiresAt), 10))
		b.WriteByte('\t')
		b.WriteString(strconv.FormatInt(nanos(c.GivenAt), 10))
		b.WriteByte('\n')
	}
	return b.String()
}

// decodeConsents reads what encodeConsents wrote; a malformed line is
// skipped (it then covers nothing).
func decodeConsents(principalID, s string) []*hogo.Consent {
	if s == "" {
		return nil
	}
	var out []*hogo.Consent
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			continue
		}
		exp, err1 := strconv.ParseInt(f[4], 10, 64)
		given, err2 := strconv.ParseInt(f[5], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, &hogo.Consent{ID: f[0], PrincipalID: principalID, Purposes: strings.Fields(f[1]), Recipients: strings.Fields(f[2]),
			Terms: splitTerms(f[3]), ExpiresAt: optTime(exp), GivenAt: fromNanos(given)})
	}
	return out
}

// WithdrawConsent implements hogo.ConsentWriter.
func (t *txStore) WithdrawConsent(ctx context.Context, principalID, id string, at time.Time, by, via string) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE consents SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_via = $3
		WHERE id = $4 AND principal_id = $5 AND withdrawn_at = 0`, nanos(at), by, via, id, principalID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return t.summarizeConsents(ctx, principalID)
	}
	var w int64
	err = t.tx.QueryRowContext(ctx, `SELECT withdrawn_at FROM consents WHERE id = $1 AND principal_id = $2`, id, principalID).Scan(&w)
	if errors.Is(err, sql.ErrNoRows) {
		return hogo.NewError(hogo.ENOTFOUND, "cid", "同意の記録が見つかりません。", "no such consent")
	}
	if err != nil {
		return err
	}
	return hogo.NewError(hogo.ECONFLICT, "cid", "この同意は既に撤回されています。", "this consent was already withdrawn")
}

const consentCols = `id, principal_id, purposes, recipients, terms, notice_version, method, witness, given_at, recorded_by,
	expires_at, withdrawn_at, withdrawn_by, withdrawn_via`

func scanConsents(rows *sql.Rows) ([]*hogo.Consent, error) {
	defer rows.Close()
	var out []*hogo.Consent
	for rows.Next() {
		c := &hogo.Consent{}
		var purposes, recipients, terms string
		var given, expires, withdrawn int64
		if err := rows.Scan(&c.ID, &c.PrincipalID, &purposes, &recipients, &terms, &c.NoticeVersion, &c.Method, &c.Witness, &given,
			&c.RecordedBy, &expires, &withdrawn, &c.WithdrawnBy, &c.WithdrawnVia); err != nil {
			return nil, err
		}
		c.Purposes, c.Recipients, c.Terms = strings.Fields(purposes), strings.Fields(recipients), splitTerms(terms)
		c.GivenAt, c.ExpiresAt, c.WithdrawnAt = fromNanos(given), optTime(expires), optTime(withdrawn)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListConsents implements hogo.ConsentService.
func (db *DB) ListConsents(ctx context.Context, principalID string) ([]*hogo.Consent, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT `+consentCols+` FROM consents WHERE principal_id = $1 ORDER BY id`, principalID)
	if err != nil {
		return nil, err
	}
	return scanConsents(rows)
}

// ConsentsOf implements hogo.ConsentService: the standing consents of
// each principal, from the summary on the principal's row.
func (db *DB) ConsentsOf(ctx context.Context, ids []string) (map[string][]*hogo.Consent, error) {
	out := map[string][]*hogo.Consent{}
	per := min(db.Dialect.MaxParams, 5000)
	for start := 0; start < len(ids); start += per {
		chunk := ids[start:min(start+per, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.Read.QueryContext(ctx, `SELECT id, consents FROM principals WHERE consents <> '' AND id IN (`+
			inList(len(chunk), 1, db.Dialect.Anonymous)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, text string
			if err := rows.Scan(&id, &text); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = decodeConsents(id, text)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ScanLiveConsents implements hogo.ConsentService.
func (db *DB) ScanLiveConsents(ctx context.Context, afterID string, limit int, fn func(c *hogo.Consent) error) error {
	rows, err := db.Read.QueryContext(ctx, `SELECT `+consentCols+` FROM consents WHERE withdrawn_at = 0 AND id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return err
	}
	cs, err := scanConsents(rows)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}
