package hogo

import (
	"context"
	"time"
)

// Hold is a legal hold (保存の指示): while it stands, no retention sweep
// erases the data it covers, whatever its period.
type Hold struct {
	ID string
	// Kind is principal, category or incident; Target the ID held.
	Kind, Target string
	Reason       []byte // sealed: it may name the matter
	PlacedBy     string
	PlacedAt     time.Time
	LiftedAt     time.Time
	LiftedBy     string
}

// Hold kinds.
const (
	HoldPrincipal = "principal"
	HoldCategory  = "category"
	HoldIncident  = "incident"
)

// Disposal is the disposal record (廃棄記録) of one retention sweep: when,
// who ran and approved it, and how many records of each category went.
type Disposal struct {
	ID         string
	At         time.Time
	Actor      string
	ApprovedBy string
	// Counts maps a category to the records erased.
	Counts map[string]int
	// Principals is how many principals were erased whole (their key
	// destroyed); Records how many of the vault's records went. Counts
	// also carries the provision and receipt records erased under their
	// own retention (RegisterProvisions, RegisterReceipts).
	Principals, Records int
	// Done is false while the sweep runs (or after it was killed: the
	// next sweep resumes it).
	Done bool
}

// RetentionService is the storage side of retention.
type RetentionService interface {
	// ListHolds returns the holds, standing ones only unless all.
	ListHolds(ctx context.Context, all bool) ([]*Hold, error)
	ListDisposals(ctx context.Context, limit int) ([]*Disposal, error)
	// ListExpiredRegister returns the records of a register
	// (RegisterProvisions or RegisterReceipts) kept until a day before
	// today (YYYY-MM-DD), each with the principals it names.
	ListExpiredRegister(ctx context.Context, register, today string) (map[string][]string, error)
	// ScanRetention passes, in key order after after and at most limit,
	// the records of a category that may be due: with eventBased, those
	// with any ledger event recorded; otherwise those acquired before
	// acquiredBefore. Only the keys, AcquiredAt and Events are filled.
	ScanRetention(ctx context.Context, category string, eventBased bool, acquiredBefore time.Time, after RetentionKey, limit int, fn func(*Record) error) error
	// CountRecords returns how many records each principal has.
	CountRecords(ctx context.Context, principals []string) (map[string]int, error)
	// CountCategory returns how many records a category has.
	CountCategory(ctx context.Context, category string) (int, error)
}

// RetentionKey is where a retention scan resumes: the last record passed
// (AcquiredAt matters only for acquisition-based rules).
type RetentionKey struct {
	AcquiredAt      time.Time
	PrincipalID, ID string
}

// The registers whose records have a retention of their own (則21, 則25).
const (
	RegisterProvisions = "provision_records"
	RegisterReceipts   = "receipt_records"
)

// RetentionWriter is retention's part of a Tx.
type RetentionWriter interface {
	InsertHold(ctx context.Context, h *Hold) error
	// LiftHold ends a standing hold; one already lifted is a conflict.
	LiftHold(ctx context.Context, id string, at time.Time, by string) error
	InsertDisposal(ctx context.Context, d *Disposal) error
	// AddToDisposal adds a batch's counts to a running disposal record;
	// FinishDisposal marks it done.
	AddToDisposal(ctx context.Context, id string, counts map[string]int, principals, records int) error
	FinishDisposal(ctx context.Context, id string, at time.Time) error
	// SetRecordEvent records that an event of the ledger (e.g.
	// application_closed) happened for a record on a day (YYYY-MM-DD);
	// its retention counts from it.
	SetRecordEvent(ctx context.Context, principalID, recordID, event, on string) error
	// DeleteRegisterRecords deletes records of a register by ID, with
	// their links to principals; it returns how many went.
	DeleteRegisterRecords(ctx context.Context, register string, ids []string) (int, error)
}
