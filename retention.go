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
	// destroyed); Records how many records in all.
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
}

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
}
