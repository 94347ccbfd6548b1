package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hogo.example.jp/hogo"
)

// txStore is the write side of a store inside an audited write.
type txStore struct {
	db *DB
	tx *sql.Tx
}

var _ hogo.Tx = (*txStore)(nil)

func errNoPrincipal() error {
	return hogo.NewError(hogo.ENOTFOUND, "id", "本人が見つかりません。", "no such principal")
}

// placeholders returns "($k,$k+1,…),(…)" for rows of cols columns from
// $start, or "(?,?,…),…" when anon.
func placeholders(rows, cols, start int, anon bool) string {
	if anon {
		row := "(" + strings.Repeat("?,", cols-1) + "?)"
		return strings.Repeat(row+",", rows-1) + row
	}
	var b strings.Builder
	p := start
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := 0; j < cols; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "$%d", p)
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// inserter batches rows into multi-row INSERTs.
type inserter struct {
	t      *txStore
	prefix string
	cols   int
	per    int
	args   []any
	rows   int
	stmts  map[int]*sql.Stmt
}

func (t *txStore) inserter(prefix string, cols int) *inserter {
	per := max(1, min(t.db.Dialect.MaxParams/cols, t.db.Dialect.InsertRows))
	return &inserter{t: t, prefix: prefix, cols: cols, per: per, stmts: map[int]*sql.Stmt{}}
}

func (in *inserter) add(ctx context.Context, vals ...any) error {
	in.args = append(in.args, vals...)
	in.rows++
	if in.rows == in.per {
		return in.flush(ctx)
	}
	return nil
}

func (in *inserter) flush(ctx context.Context) error {
	if in.rows == 0 {
		return nil
	}
	st := in.stmts[in.rows]
	if st == nil {
		var err error
		st, err = in.t.tx.PrepareContext(ctx, in.prefix+placeholders(in.rows, in.cols, 1, in.t.db.Dialect.Anonymous))
		if err != nil {
			return err
		}
		in.stmts[in.rows] = st
	}
	_, err := st.ExecContext(ctx, in.args...)
	in.args, in.rows = in.args[:0], 0
	return err
}

func (in *inserter) close() {
	for _, st := range in.stmts {
		st.Close()
	}
}

func joinPurposes(ps []string) string { return strings.Join(ps, " ") }

func splitPurposes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, " ")
}

// InsertPrincipals implements hogo.VaultWriter.
func (t *txStore) InsertPrincipals(ctx context.Context, ps []*hogo.Principal) error {
	pi := t.inserter(`INSERT INTO principals (id, wrapped_key, created_at, updated_at) VALUES `, 4)
	defer pi.close()
	ri := t.inserter(`INSERT INTO records (principal_id, id, category, source, acquired_at, purposes, notice_version, sealed, lookups, version, created_at, updated_at) VALUES `, 12)
	defer ri.close()
	li := t.inserter(`INSERT INTO lookups (hash, principal_id, record_id) VALUES `, 3)
	defer li.close()
	for _, p := range ps {
		if err := pi.add(ctx, p.ID, p.WrappedKey, nanos(p.CreatedAt), nanos(p.UpdatedAt)); err != nil {
			return t.dup(err)
		}
	}
	if err := pi.flush(ctx); err != nil {
		return t.dup(err)
	}
	for _, p := range ps {
		for _, r := range p.Records {
			r.Lookups = dedupe(r.Lookups)
			if err := ri.add(ctx, p.ID, r.ID, r.Category, r.Source, nanos(r.AcquiredAt), joinPurposes(r.Purposes),
				r.NoticeVersion, r.Sealed, bytes.Join(r.Lookups, nil), max(r.Version, 1), nanos(r.CreatedAt), nanos(r.UpdatedAt)); err != nil {
				return t.dup(err)
			}
		}
	}
	if err := ri.flush(ctx); err != nil {
		return t.dup(err)
	}
	// Blind indexes are random: inserted in key order, each B-tree page
	// is visited once per batch instead of once per row.
	type lk struct {
		h         []byte
		p, record string
	}
	var all []lk
	for _, p := range ps {
		for _, r := range p.Records {
			for _, h := range r.Lookups {
				all = append(all, lk{h, p.ID, r.ID})
			}
		}
	}
	slices.SortFunc(all, func(a, b lk) int { return bytes.Compare(a.h, b.h) })
	for _, x := range all {
		if err := li.add(ctx, x.h, x.p, x.record); err != nil {
			return err
		}
	}
	return li.flush(ctx)
}

// dedupe drops repeated lookups of one record (two identifiers with the same
// blind index, e.g. the same value twice).
func dedupe(hs [][]byte) [][]byte {
	out := hs[:0:0]
outer:
	for _, h := range hs {
		if len(h) != lookupSize {
			continue // never made by the vault; dropped rather than stored
		}
		for _, o := range out {
			if string(o) == string(h) {
				continue outer
			}
		}
		out = append(out, h)
	}
	return out
}

// lookupSize is the size of a blind index.
const lookupSize = 16

// splitLookups splits a record's lookups column into blind indexes.
func splitLookups(b []byte) [][]byte {
	out := make([][]byte, 0, len(b)/lookupSize)
	for len(b) >= lookupSize {
		out, b = append(out, b[:lookupSize]), b[lookupSize:]
	}
	return out
}

func (t *txStore) dup(err error) error {
	if t.db.Dialect.IsUnique(err) {
		return hogo.NewError(hogo.ECONFLICT, "id", "同じ ID が既にあります。", "the ID is already taken")
	}
	return err
}

func (t *txStore) principalExists(ctx context.Context, id string) error {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT 1 FROM principals WHERE id = $1`, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoPrincipal()
	}
	return err
}

// InsertRecord implements hogo.VaultWriter.
func (t *txStore) InsertRecord(ctx context.Context, r *hogo.Record) error {
	if err := t.principalExists(ctx, r.PrincipalID); err != nil {
		return err
	}
	r.Lookups = dedupe(r.Lookups)
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO records (principal_id, id, category, source, acquired_at, purposes, notice_version, sealed, lookups, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, r.PrincipalID, r.ID, r.Category, r.Source, nanos(r.AcquiredAt),
		joinPurposes(r.Purposes), r.NoticeVersion, r.Sealed, bytes.Join(r.Lookups, nil), max(r.Version, 1), nanos(r.CreatedAt), nanos(r.UpdatedAt)); err != nil {
		return t.dup(err)
	}
	if err := t.putLookups(ctx, r); err != nil {
		return err
	}
	_, err := t.tx.ExecContext(ctx, `UPDATE principals SET updated_at = $1 WHERE id = $2`, nanos(r.UpdatedAt), r.PrincipalID)
	return err
}

func (t *txStore) putLookups(ctx context.Context, r *hogo.Record) error {
	li := t.inserter(`INSERT INTO lookups (hash, principal_id, record_id) VALUES `, 3)
	defer li.close()
	for _, h := range r.Lookups {
		if err := li.add(ctx, h, r.PrincipalID, r.ID); err != nil {
			return err
		}
	}
	return li.flush(ctx)
}

// UpdateRecord implements hogo.VaultWriter.
func (t *txStore) UpdateRecord(ctx context.Context, r *hogo.Record) error {
	var v int64
	var old []byte
	err := t.tx.QueryRowContext(ctx, `SELECT version, lookups FROM records WHERE principal_id = $1 AND id = $2`, r.PrincipalID, r.ID).Scan(&v, &old)
	if errors.Is(err, sql.ErrNoRows) {
		return hogo.NewError(hogo.ENOTFOUND, "rid", "記録が見つかりません。", "no such record")
	}
	if err != nil {
		return err
	}
	if v != r.Version-1 {
		return hogo.NewError(hogo.ECONFLICT, "version",
			"記録は他の操作で更新されています（現在の版 %d）。最新の内容を読み直してから訂正してください。",
			"the record was changed by someone else (now version %d); read it again and retry", v)
	}
	r.Lookups = dedupe(r.Lookups)
	if _, err := t.tx.ExecContext(ctx, `UPDATE records SET sealed = $1, lookups = $2, version = $3, updated_at = $4
		WHERE principal_id = $5 AND id = $6`, r.Sealed, bytes.Join(r.Lookups, nil), r.Version, nanos(r.UpdatedAt), r.PrincipalID, r.ID); err != nil {
		return err
	}
	if err := t.deleteLookups(ctx, []lookupKey{{old, r.PrincipalID, r.ID}}); err != nil {
		return err
	}
	if err := t.putLookups(ctx, r); err != nil {
		return err
	}
	_, err = t.tx.ExecContext(ctx, `UPDATE principals SET updated_at = $1 WHERE id = $2`, nanos(r.UpdatedAt), r.PrincipalID)
	return err
}

// lookupKey is a record's lookups column with the record's key.
type lookupKey struct {
	lookups             []byte
	principal, recordID string
}

// deleteLookups removes the lookups rows of records by their exact keys, in
// key order (blind indexes are random: sorted, each page is visited once).
func (t *txStore) deleteLookups(ctx context.Context, keys []lookupKey) error {
	type row struct {
		h                   []byte
		principal, recordID string
	}
	var rows []row
	for _, k := range keys {
		for _, h := range splitLookups(k.lookups) {
			rows = append(rows, row{h, k.principal, k.recordID})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	slices.SortFunc(rows, func(a, b row) int { return bytes.Compare(a.h, b.h) })
	st, err := t.tx.PrepareContext(ctx, `DELETE FROM lookups WHERE hash = $1 AND principal_id = $2 AND record_id = $3`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, r.h, r.principal, r.recordID); err != nil {
			return err
		}
	}
	return nil
}

// inList returns "$k,$k+1,…" for n values from $start ("?,?,…" when anon).
func inList(n, start int, anon bool) string {
	if anon {
		return strings.Repeat("?,", n-1) + "?"
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", start+i)
	}
	return b.String()
}

// ErasePrincipals implements hogo.VaultWriter. The wrapped key goes with
// the principal's row: once the transaction commits, nothing can open the
// principal's records, in this database or in any copy of it.
func (t *txStore) ErasePrincipals(ctx context.Context, ids []string, at time.Time, actor string, reason []byte, allowed []string) ([]int, error) {
	counts := make([]int, len(ids))
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, dup := pos[id]; dup {
			return nil, hogo.NewError(hogo.EINVALID, "id", "同じ本人が二度指定されています。", "a principal is named twice")
		}
		pos[id] = i
	}
	per := min(t.db.Dialect.MaxParams-1, 5000)
	tomb := t.inserter(`INSERT INTO erasures (principal_id, erased_at, actor, records, reason) VALUES `, 5)
	defer tomb.close()
	for start := 0; start < len(ids); start += per {
		chunk := ids[start:min(start+per, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		list := inList(len(chunk), 1, t.db.Dialect.Anonymous)
		rows, err := t.tx.QueryContext(ctx, `SELECT principal_id, id, lookups, category FROM records WHERE principal_id IN (`+list+`)`, args...)
		if err != nil {
			return nil, err
		}
		var keys []lookupKey
		for rows.Next() {
			var k lookupKey
			var cat string
			if err := rows.Scan(&k.principal, &k.recordID, &k.lookups, &cat); err != nil {
				rows.Close()
				return nil, err
			}
			if allowed != nil && !slices.Contains(allowed, cat) {
				// Checked inside the transaction: a record added since
				// the caller looked is not erased by a role without
				// access to its category.
				rows.Close()
				return nil, hogo.NewError(hogo.EPURPOSENOTPERMITTED, "role", "本人の記録に、この役割がアクセス権限を持たない種別「%s」が含まれるため消去できません。個人情報保護管理者に依頼してください。",
					"the principal has a record in category %q, which this role has no access rule on; ask the protection manager", cat)
			}
			counts[pos[k.principal]]++
			keys = append(keys, k)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
		if err := t.deleteLookups(ctx, keys); err != nil {
			return nil, err
		}
		for _, q := range []string{`DELETE FROM suspensions WHERE principal_id IN (`, `DELETE FROM consents WHERE principal_id IN (`,
			`DELETE FROM records WHERE principal_id IN (`} {
			if _, err := t.tx.ExecContext(ctx, q+list+`)`, args...); err != nil {
				return nil, err
			}
		}
		res, err := t.tx.ExecContext(ctx, `DELETE FROM principals WHERE id IN (`+list+`)`, args...)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
			return nil, errNoPrincipal()
		}
		for _, id := range chunk {
			if err := tomb.add(ctx, id, nanos(at), actor, counts[pos[id]], reason); err != nil {
				return nil, err
			}
		}
	}
	return counts, tomb.flush(ctx)
}

// SetSuspension implements hogo.VaultWriter.
func (t *txStore) SetSuspension(ctx context.Context, principalID, purpose string, on bool, at time.Time) error {
	if err := t.principalExists(ctx, principalID); err != nil {
		return err
	}
	var err error
	if on {
		_, err = t.tx.ExecContext(ctx, `INSERT INTO suspensions (principal_id, purpose, since) VALUES ($1, $2, $3)
			ON CONFLICT (principal_id, purpose) DO NOTHING`, principalID, purpose, nanos(at))
	} else {
		_, err = t.tx.ExecContext(ctx, `DELETE FROM suspensions WHERE principal_id = $1 AND purpose = $2`, principalID, purpose)
	}
	if err != nil {
		return err
	}
	// The count on the principal spares every read a look at suspensions.
	_, err = t.tx.ExecContext(ctx, `UPDATE principals SET suspensions = (SELECT COUNT(*) FROM suspensions WHERE principal_id = $1) WHERE id = $1`, principalID)
	return err
}

// RewrapKey implements hogo.VaultWriter.
func (t *txStore) RewrapKey(ctx context.Context, id string, old, wrapped []byte) (bool, error) {
	res, err := t.tx.ExecContext(ctx, `UPDATE principals SET wrapped_key = $1 WHERE id = $2 AND wrapped_key = $3`, wrapped, id, old)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// InsertExceptionUse implements hogo.VaultWriter.
func (t *txStore) InsertExceptionUse(ctx context.Context, u *hogo.ExceptionUse) error {
	return t.tx.QueryRowContext(ctx, `INSERT INTO exception_uses (at, actor_id, actor, role, principal_id, category, purpose, op, exception, justification)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		nanos(u.At), u.ActorID, u.Actor, string(u.Role), u.PrincipalID, u.Category, u.Purpose, u.Op, u.Exception, u.Justification).Scan(&u.ID)
}

// ReviewExceptionUse implements hogo.VaultWriter.
func (t *txStore) ReviewExceptionUse(ctx context.Context, id int64, status, reviewer string, note []byte, at time.Time) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE exception_uses SET status = $1, reviewer = $2, note = $3, reviewed_at = $4
		WHERE id = $5 AND status = 'pending'`, status, reviewer, note, nanos(at), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var s string
		err := t.tx.QueryRowContext(ctx, `SELECT status FROM exception_uses WHERE id = $1`, id).Scan(&s)
		if errors.Is(err, sql.ErrNoRows) {
			return hogo.NewError(hogo.ENOTFOUND, "id", "審査対象の利用が見つかりません。", "no such use under review")
		}
		if err != nil {
			return err
		}
		return hogo.NewError(hogo.ECONFLICT, "status", "この利用は既に審査済みです。", "this use has already been reviewed")
	}
	return nil
}

const getPrincipalSQL = `SELECT p.wrapped_key, p.created_at, p.updated_at, p.suspensions, p.consents,
		r.id, r.category, r.source, r.acquired_at, r.purposes, r.notice_version, r.sealed, r.version, r.created_at, r.updated_at
	FROM principals p LEFT JOIN records r ON r.principal_id = p.id
	WHERE p.id = $1 ORDER BY r.id`

// GetPrincipal implements hogo.VaultService: one query for the principal
// and their records, a second only when they have suspended a use.
func (db *DB) GetPrincipal(ctx context.Context, id string) (*hogo.Principal, error) {
	st, err := db.prepared(ctx, getPrincipalSQL)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	var p *hogo.Principal
	suspended, consents := 0, ""
	for rows.Next() {
		var created, updated int64
		var rid, cat, src, purposes, notice sql.NullString
		var acq, c, u, ver sql.NullInt64
		var key, sealed []byte
		if err := rows.Scan(&key, &created, &updated, &suspended, &consents, &rid, &cat, &src, &acq, &purposes, &notice, &sealed, &ver, &c, &u); err != nil {
			rows.Close()
			return nil, err
		}
		if p == nil {
			p = &hogo.Principal{ID: id, WrappedKey: key, CreatedAt: fromNanos(created), UpdatedAt: fromNanos(updated)}
		}
		if rid.Valid {
			p.Records = append(p.Records, &hogo.Record{ID: rid.String, PrincipalID: id, Category: cat.String, Source: src.String,
				AcquiredAt: fromNanos(acq.Int64), Purposes: splitPurposes(purposes.String), NoticeVersion: notice.String,
				Sealed: sealed, Version: ver.Int64, CreatedAt: fromNanos(c.Int64), UpdatedAt: fromNanos(u.Int64)})
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	if p == nil {
		var e hogo.Erasure
		var at int64
		if err := db.Read.QueryRowContext(ctx, `SELECT erased_at, actor, records, reason FROM erasures WHERE principal_id = $1`, id).
			Scan(&at, &e.Actor, &e.Records, &e.Reason); err == nil {
			e.PrincipalID, e.At = id, fromNanos(at)
			ne := hogo.NewError(hogo.ENOTFOUND, "id", "この本人の個人情報は消去されています。", "this principal's personal data was erased")
			ne.Err = &e
			return nil, ne
		}
		return nil, errNoPrincipal()
	}
	if suspended > 0 {
		if p.Suspended, err = db.suspensions(ctx, id); err != nil {
			return nil, err
		}
	}
	p.Consents = decodeConsents(id, consents)
	return p, nil
}

func (db *DB) suspensions(ctx context.Context, id string) ([]string, error) {
	return db.strings(ctx, `SELECT purpose FROM suspensions WHERE principal_id = $1 ORDER BY purpose`, id)
}

// strings runs a query of one text column on the read pool.
func (db *DB) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.Read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// FindPrincipals implements hogo.VaultService.
func (db *DB) FindPrincipals(ctx context.Context, lookup []byte, limit int) ([]string, error) {
	st, err := db.prepared(ctx, `SELECT DISTINCT principal_id FROM lookups WHERE hash = $1 ORDER BY principal_id LIMIT $2`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, lookup, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ScanRecords implements hogo.VaultService.
func (db *DB) ScanRecords(ctx context.Context, category string, after hogo.RecordKey, limit int, fn func(*hogo.Record, *hogo.Principal) error) error {
	rows, err := db.Read.QueryContext(ctx, `SELECT r.id, r.principal_id, r.source, r.acquired_at, r.purposes, r.notice_version, r.sealed, r.version,
			r.created_at, r.updated_at, r.events, p.wrapped_key,
			p.suspensions, p.consents
		FROM records r JOIN principals p ON p.id = r.principal_id
		WHERE (r.principal_id, r.id) > ($2, $3) AND r.category = $1 ORDER BY r.principal_id, r.id LIMIT $4`, category, after.PrincipalID, after.ID, limit)
	if err != nil {
		return err
	}
	type row struct {
		r        *hogo.Record
		key      []byte
		susp     int
		consents string
	}
	var got []row
	for rows.Next() {
		r := &hogo.Record{Category: category}
		var acq, c, u int64
		var purposes string
		var x row
		var events string
		if err := rows.Scan(&r.ID, &r.PrincipalID, &r.Source, &acq, &purposes, &r.NoticeVersion, &r.Sealed, &r.Version, &c, &u, &events, &x.key, &x.susp, &x.consents); err != nil {
			rows.Close()
			return err
		}
		r.AcquiredAt, r.CreatedAt, r.UpdatedAt, r.Purposes = fromNanos(acq), fromNanos(c), fromNanos(u), splitPurposes(purposes)
		if events != "" {
			r.Events = splitTerms(events)
		}
		x.r = r
		got = append(got, x)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, x := range got {
		var susp []string
		if x.susp > 0 {
			if susp, err = db.suspensions(ctx, x.r.PrincipalID); err != nil {
				return err
			}
		}
		p := &hogo.Principal{ID: x.r.PrincipalID, WrappedKey: x.key, Suspended: susp, Consents: decodeConsents(x.r.PrincipalID, x.consents)}
		if err := fn(x.r, p); err != nil {
			return err
		}
	}
	return nil
}

// CountPrincipals implements hogo.VaultService.
func (db *DB) CountPrincipals(ctx context.Context) (int64, error) {
	var n int64
	err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM principals`).Scan(&n)
	return n, err
}

// PrincipalKeys implements hogo.VaultService.
func (db *DB) PrincipalKeys(ctx context.Context, afterID string, limit int) ([]hogo.PrincipalKey, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT id, wrapped_key FROM principals WHERE id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hogo.PrincipalKey
	for rows.Next() {
		var k hogo.PrincipalKey
		if err := rows.Scan(&k.ID, &k.WrappedKey); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

const exceptionCols = `id, at, actor_id, actor, role, principal_id, category, purpose, op, exception, justification, status, reviewer, reviewed_at, note`

func scanException(sc interface{ Scan(...any) error }) (*hogo.ExceptionUse, error) {
	u := &hogo.ExceptionUse{}
	var at, rev int64
	var role string
	if err := sc.Scan(&u.ID, &at, &u.ActorID, &u.Actor, &role, &u.PrincipalID, &u.Category, &u.Purpose, &u.Op, &u.Exception,
		&u.Justification, &u.Status, &u.Reviewer, &rev, &u.Note); err != nil {
		return nil, err
	}
	u.At, u.ReviewedAt, u.Role = fromNanos(at), fromNanos(rev), hogo.Role(role)
	return u, nil
}

// ListExceptionUses implements hogo.VaultService.
func (db *DB) ListExceptionUses(ctx context.Context, status string, limit int) ([]*hogo.ExceptionUse, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.Read.QueryContext(ctx, `SELECT `+exceptionCols+` FROM exception_uses WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT $2`, status, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.ExceptionUse
	for rows.Next() {
		u, err := scanException(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// GetExceptionUse implements hogo.VaultService.
func (db *DB) GetExceptionUse(ctx context.Context, id int64) (*hogo.ExceptionUse, error) {
	u, err := scanException(db.Read.QueryRowContext(ctx, `SELECT `+exceptionCols+` FROM exception_uses WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "id", "審査対象の利用が見つかりません。", "no such use under review")
	}
	return u, err
}

// DeleteRecords implements hogo.VaultWriter.
func (t *txStore) DeleteRecords(ctx context.Context, principalID string, recordIDs []string) (int, error) {
	if err := t.principalExists(ctx, principalID); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range recordIDs {
		k := lookupKey{principal: principalID, recordID: id}
		err := t.tx.QueryRowContext(ctx, `SELECT lookups FROM records WHERE principal_id = $1 AND id = $2`, principalID, id).Scan(&k.lookups)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, err
		}
		if err := t.deleteLookups(ctx, []lookupKey{k}); err != nil {
			return 0, err
		}
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM records WHERE principal_id = $1 AND id = $2`, principalID, id); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}
