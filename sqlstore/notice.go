package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"hogo.example.jp/hogo"
)

var _ hogo.NoticeWriter = (*txStore)(nil)

const noticeCols = `version, digest, effective, created_at, revision, markdown_ja, markdown_en`

// noticeAttempts bounds how often a version number taken by another node
// at the same moment is tried again with the next one.
const noticeAttempts = 20

func scanNotice(sc interface{ Scan(...any) error }) (*hogo.NoticeVersion, error) {
	v := &hogo.NoticeVersion{}
	var created int64
	if err := sc.Scan(&v.Version, &v.Digest, &v.Effective, &created, &v.Revision, &v.MarkdownJa, &v.MarkdownEn); err != nil {
		return nil, err
	}
	v.CreatedAt = fromNanos(created)
	return v, nil
}

func errNoNotice(n int64) error {
	return hogo.NewError(hogo.ENOTFOUND, "version", "個人情報保護方針の第%d版はありません。", "there is no version %d of the privacy notice", n)
}

func errNoLedgerNotice() error {
	return hogo.NewError(hogo.ENOTFOUND, "ledger_digest", "この台帳の版に対応する個人情報保護方針は記録されていません。",
		"no version of the privacy notice is recorded for this ledger")
}

// recordNotice stores v unless its digest is stored, and maps ledgerDigest,
// inside tx. The insert takes the next number and gives way on any
// conflict (ON CONFLICT DO NOTHING waits for a transaction inserting the
// same key and then yields to it): a conflict on the digest means another
// node stored the text, which is then read back; one on the number, that
// another node took it for another text, and the next is tried. No
// statement fails, so the transaction stays usable (PostgreSQL aborts a
// transaction on a failed statement).
func recordNotice(ctx context.Context, tx *sql.Tx, now int64, v *hogo.NoticeVersion, ledgerDigest string) (bool, error) {
	if v.Digest == "" {
		return false, hogo.Errorf(hogo.EINVALID, "a notice version needs the digest of its text")
	}
	created := false
	for attempt := 0; ; attempt++ {
		got, err := scanNotice(tx.QueryRowContext(ctx, `SELECT `+noticeCols+` FROM notice_versions WHERE digest = $1`, v.Digest))
		if err == nil {
			v.Version, v.CreatedAt = got.Version, got.CreatedAt
			break
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return false, err
		}
		if attempt == noticeAttempts {
			return false, fmt.Errorf("record notice version: no free version number after %d attempts", noticeAttempts)
		}
		// The WHERE keeps SQLite from reading ON CONFLICT as a join's ON.
		res, err := tx.ExecContext(ctx, `INSERT INTO notice_versions (`+noticeCols+`)
			SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3, $4, $5, $6 FROM notice_versions WHERE true
			ON CONFLICT DO NOTHING`, v.Digest, v.Effective, now, v.Revision, v.MarkdownJa, v.MarkdownEn)
		if err != nil {
			return false, fmt.Errorf("record notice version: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			created = true
		}
		// Read back what is stored now: this text's number, whoever
		// stored it; or, if another text took the number, try again.
	}
	if ledgerDigest != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_ledgers (ledger_digest, version) VALUES ($1, $2)
			ON CONFLICT (ledger_digest) DO NOTHING`, ledgerDigest, v.Version); err != nil {
			return false, fmt.Errorf("map ledger to notice version: %w", err)
		}
	}
	return created, nil
}

// RecordNoticeVersion implements hogo.NoticeService, in a transaction of
// its own.
func (db *DB) RecordNoticeVersion(ctx context.Context, v *hogo.NoticeVersion, ledgerDigest string) (bool, error) {
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	created, err := recordNotice(ctx, tx, db.Now().UnixNano(), v, ledgerDigest)
	if err != nil {
		return false, err
	}
	return created, tx.Commit()
}

// RecordNoticeVersion implements hogo.NoticeWriter, inside an audited
// write.
func (t *txStore) RecordNoticeVersion(ctx context.Context, v *hogo.NoticeVersion, ledgerDigest string) (bool, error) {
	return recordNotice(ctx, t.tx, t.db.Now().UnixNano(), v, ledgerDigest)
}

// ListNoticeVersions implements hogo.NoticeService.
func (db *DB) ListNoticeVersions(ctx context.Context) ([]*hogo.NoticeVersion, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT version, digest, effective, created_at, revision, '', '' FROM notice_versions
		ORDER BY version DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.NoticeVersion
	for rows.Next() {
		v, err := scanNotice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// GetNoticeVersion implements hogo.NoticeService.
func (db *DB) GetNoticeVersion(ctx context.Context, n int64) (*hogo.NoticeVersion, error) {
	v, err := scanNotice(db.Read.QueryRowContext(ctx, `SELECT `+noticeCols+` FROM notice_versions WHERE version = $1`, n))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoNotice(n)
	}
	return v, err
}

// NoticeVersionOfLedger implements hogo.NoticeService.
func (db *DB) NoticeVersionOfLedger(ctx context.Context, ledgerDigest string) (*hogo.NoticeVersion, error) {
	v, err := scanNotice(db.Read.QueryRowContext(ctx, `SELECT n.version, n.digest, n.effective, n.created_at, n.revision, n.markdown_ja, n.markdown_en
		FROM notice_ledgers l JOIN notice_versions n ON n.version = l.version WHERE l.ledger_digest = $1`, ledgerDigest))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoLedgerNotice()
	}
	return v, err
}
