package hogo

import (
	"context"
	"time"
)

// NoticeVersion is one published version of the privacy notice
// (個人情報保護方針・個人情報の取扱いについて, package notice): every ledger
// change that alters the notice's text makes a new one. Versions are
// numbered from 1 in the order they were first published; a text is one
// version however often it is published again.
type NoticeVersion struct {
	Version int64 `json:"version"`
	// Digest is the hex SHA-256 of the Japanese Markdown: the version's
	// identity.
	Digest string `json:"digest"`
	// Effective is the ledger's effective_date (YYYY-MM-DD), or empty
	// when the ledger gives none.
	Effective string    `json:"effective"`
	CreatedAt time.Time `json:"created_at"`
	// Revision is the ledger's revision.
	Revision string `json:"revision"`
	// MarkdownJa and MarkdownEn are the notice's text as published.
	MarkdownJa string `json:"markdown_ja,omitempty"`
	MarkdownEn string `json:"markdown_en,omitempty"`
}

// NoticeService is the storage side of the notice's versions. Records and
// consents keep the digest of the ledger in force (their NoticeVersion);
// the store maps each ledger digest to the notice version it showed.
type NoticeService interface {
	// RecordNoticeVersion stores v unless a version with its Digest is
	// stored, and maps ledgerDigest to it (a ledger digest keeps the
	// first version it was mapped to). It sets v's Version and CreatedAt
	// (those stored, when the text was stored before) and reports whether
	// it made a new version. Several nodes may record at once: one text
	// becomes one version, and numbers are not reused.
	RecordNoticeVersion(ctx context.Context, v *NoticeVersion, ledgerDigest string) (created bool, err error)
	// ListNoticeVersions returns the versions newest first, without their
	// texts.
	ListNoticeVersions(ctx context.Context) ([]*NoticeVersion, error)
	// GetNoticeVersion returns version n with its texts, or not_found.
	GetNoticeVersion(ctx context.Context, n int64) (*NoticeVersion, error)
	// NoticeVersionOfLedger returns the version (with its texts) the
	// ledger of that digest showed, or not_found.
	NoticeVersionOfLedger(ctx context.Context, ledgerDigest string) (*NoticeVersion, error)
}

// NoticeWriter is the notice's part of a store's Tx: recording a version
// in the same transaction as the audit entry that announces it. The
// stores' Tx implements it (asserted where it is used, since Tx is
// composed of the writers every store must have).
type NoticeWriter interface {
	RecordNoticeVersion(ctx context.Context, v *NoticeVersion, ledgerDigest string) (created bool, err error)
}
