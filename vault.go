package hogo

import (
	"context"
	"time"
)

// Principal is a person the company holds personal information about (本人,
// APPI Art. 2(4)). What is stored about them is sealed: the principal's own
// data key, wrapped by the organisation's key-encryption key, encrypts every
// record, so that destroying the wrapped key (crypto-shredding) makes every
// copy of their records unreadable, backups included.
type Principal struct {
	// ID is opaque and carries no personal data: it may appear in audit
	// entries, URLs and logs.
	ID string
	// WrappedKey is the principal's data key wrapped by the KEK.
	WrappedKey []byte
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Records are the principal's records, oldest first; filled by
	// GetPrincipal.
	Records []*Record
	// Suspended holds the purposes whose use the principal had stopped
	// (利用停止, APPI Art. 35); "*" stops every use.
	Suspended []string
	// Consents are the principal's consents not withdrawn (some may have
	// expired); filled by GetPrincipal. The whole history is
	// ConsentService.ListConsents.
	Consents []*Consent
}

// Record is what was acquired about a principal in one category of the
// ledger, with how, when and for what it was acquired.
type Record struct {
	ID          string
	PrincipalID string
	Category    string
	// Source is the acquisition method (取得方法), a ledger source ID.
	Source string
	// AcquiredAt is when the information was acquired.
	AcquiredAt time.Time
	// Purposes are the purposes stated (通知・公表) when it was acquired.
	Purposes []string
	// NoticeVersion is the version of the privacy notice shown then (the
	// ledger digest when no versioned notice exists yet).
	NoticeVersion string
	// Sealed is the record's items, encrypted with the principal's data
	// key and bound to the principal and record IDs.
	Sealed []byte
	// Lookups are the keyed blind indexes of the record's identifiers;
	// written with the record, never read back.
	Lookups [][]byte
	// Events are the ledger events that happened for the record (e.g.
	// application_closed) with their day, YYYY-MM-DD; retention counts
	// from them. Filled by ScanRecords.
	Events map[string]string
	// Version counts the record's changes, for optimistic updates.
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RecordKey names a record: its principal and its ID.
type RecordKey struct{ PrincipalID, ID string }

// Erasure is what is left of an erased principal: when, by whom and why,
// and nothing about the person.
type Erasure struct {
	PrincipalID string
	At          time.Time
	Actor       string
	// Records is how many records were destroyed.
	Records int
	// Reason is the reason given, sealed with the notes key (it may name the
	// request it answers); vault.Service.ErasureReason opens it.
	Reason []byte
}

// Review statuses of a use under a legal exception.
const (
	ReviewPending  = "pending"
	ReviewApproved = "approved"
	ReviewRejected = "rejected"
)

// ExceptionUse is a use of personal information beyond its declared purposes
// or without a consent, under a legal exception (APPI Art. 18(3), 27(1)),
// queued for the protection manager's review.
type ExceptionUse struct {
	ID          int64
	At          time.Time
	ActorID     int64
	Actor       string
	Role        Role
	PrincipalID string
	Category    string
	Purpose     string // empty when the use serves no declared purpose
	Op          string
	Exception   string
	// Justification is the written justification, sealed with the notes key
	// (it may describe the principal).
	Justification []byte
	Status        string
	Reviewer      string
	ReviewedAt    time.Time
	// Note is the reviewer's note, sealed like the justification.
	Note []byte
}

// PrincipalKey is a principal's wrapped data key, for re-wrapping after a
// KEK rotation.
type PrincipalKey struct {
	ID         string
	WrappedKey []byte
}

// VaultService is the storage side of the vault: reads, and the writes that
// run inside an audited write (Tx).
type VaultService interface {
	// GetPrincipal returns a principal with records and suspensions. An
	// erased principal is not_found, with the Erasure as the error's Err
	// when the store keeps the tombstone.
	GetPrincipal(ctx context.Context, id string) (*Principal, error)
	// FindPrincipals returns the IDs of principals having a record with
	// this blind index, at most limit.
	FindPrincipals(ctx context.Context, lookup []byte, limit int) ([]string, error)
	// ScanRecords calls fn for at most limit records of a category after
	// the given one, in (principal, record) order, with their principal
	// (wrapped key, suspensions and standing consents; no records).
	ScanRecords(ctx context.Context, category string, after RecordKey, limit int, fn func(r *Record, p *Principal) error) error
	// CountPrincipals returns how many principals are held.
	CountPrincipals(ctx context.Context) (int64, error)
	// PrincipalKeys returns wrapped keys in ID order after afterID.
	PrincipalKeys(ctx context.Context, afterID string, limit int) ([]PrincipalKey, error)
	// ListExceptionUses returns exception uses newest first, with the
	// given status ("" for all).
	ListExceptionUses(ctx context.Context, status string, limit int) ([]*ExceptionUse, error)
	GetExceptionUse(ctx context.Context, id int64) (*ExceptionUse, error)
}

// VaultWriter is the vault's part of a Tx.
type VaultWriter interface {
	// InsertPrincipals stores new principals with their records and
	// lookups.
	InsertPrincipals(ctx context.Context, ps []*Principal) error
	// InsertRecord adds a record to an existing principal.
	InsertRecord(ctx context.Context, r *Record) error
	// UpdateRecord replaces a record's sealed items and lookups if its
	// version is still r.Version-1; otherwise a conflict error.
	UpdateRecord(ctx context.Context, r *Record) error
	// ErasePrincipals deletes principals with their keys, records,
	// lookups and suspensions, leaving tombstones; it returns the number
	// of records destroyed per principal, in order. A principal already
	// gone is not_found; with allowed set, a principal with a record in
	// another category is purpose_not_permitted, and nothing is erased.
	ErasePrincipals(ctx context.Context, ids []string, at time.Time, actor string, sealedReason []byte, allowed []string) ([]int, error)
	// DeleteRecords deletes some of a principal's records with their
	// lookups, keeping the principal and its key; it returns how many were
	// deleted.
	DeleteRecords(ctx context.Context, principalID string, recordIDs []string) (int, error)
	// SetSuspension records (on) or lifts (off) a stop of a purpose.
	SetSuspension(ctx context.Context, principalID, purpose string, on bool, at time.Time) error
	// RewrapKey replaces a principal's wrapped key if it is still old.
	RewrapKey(ctx context.Context, id string, old, wrapped []byte) (bool, error)
	// InsertExceptionUse queues a use under an exception for review and
	// sets its ID.
	InsertExceptionUse(ctx context.Context, u *ExceptionUse) error
	// ReviewExceptionUse records the protection manager's decision on a
	// pending use; a use no longer pending is a conflict.
	ReviewExceptionUse(ctx context.Context, id int64, status, reviewer string, note []byte, at time.Time) error
}

// Tx is the write side of a store inside an audited write: whatever Apply
// does commits together with the write's audit entries, or not at all.
type Tx interface {
	VaultWriter
	RequestWriter
	ConsentWriter
	ProvisionWriter
	ProcessorWriter
	ReceiptWriter
	IncidentWriter
	ComplaintWriter
	RetentionWriter
	DatasetWriter
}

// AuditWrite is a change and the audit entries that record it. The store
// runs Apply and appends Entries in the same transaction: a change is never
// stored unaudited, and an entry never claims a change that did not happen.
type AuditWrite struct {
	Entries []*AuditEntry
	// Apply, if set, makes the change. If it fails, nothing of it is
	// stored, Entries are not appended and Err holds its error; the other
	// writes of the batch go ahead.
	Apply func(ctx context.Context, tx Tx) error
	Err   error
}

// Error lets an Erasure travel as the cause of a not_found error.
func (e *Erasure) Error() string { return "the principal's personal data was erased" }
