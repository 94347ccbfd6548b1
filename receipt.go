package hogo

import (
	"context"
	"time"
)

// Receipt is the record of personal data received from another business
// (確認・記録, APPI Art. 30, 則24): who provided it (name, address and, for
// a corporation, its representative), how the provider obtained it (取得の
// 経緯), when it was received, which items of which category about how many
// principals, on what basis, what was confirmed, and how long the record is
// kept (則25). It names no principal: only their opaque vault IDs, when
// given.
type Receipt struct {
	ID                     string
	ProviderName           string
	ProviderAddress        string
	ProviderCorporation    bool
	ProviderRepresentative string
	// Acquisition is how the provider obtained the data (Art. 30(1)(ii)).
	Acquisition string
	// Source is the ledger source (an acquisition method with a provider),
	// if named.
	Source string
	// ReceivedOn is a date, YYYY-MM-DD.
	ReceivedOn string
	Category   string
	Items      []string
	// Count is the number of principals; Principals their vault IDs, when
	// given.
	Count      int
	Principals []string
	// Basis is consent (Art. 27(1), 28(1)), opt_out (Art. 27(2)) or
	// referable (personally referable information made personal data,
	// Art. 31).
	Basis string
	// OptOutPublished: the PPC's publication of the provider's opt-out
	// notification was checked (Art. 27(4), 則24(1)(i)).
	OptOutPublished bool
	// ConsentConfirmed: the principals' consent was confirmed (則24(1)(ii),
	// (iii); Art. 31(1)(i)).
	ConsentConfirmed bool
	// CrossBorder marks personally referable information provided across
	// a border; ForeignInfoGiven confirms that the principals were given
	// the information of 則17(2) (Art. 31(1)(ii)).
	CrossBorder      bool
	ForeignInfoGiven bool
	// RecordMethod is individual, bulk or contract (則23); with contract
	// the record is kept 1 year, otherwise 3 (則25).
	RecordMethod string
	RecordedAt   time.Time
	Actor        string
	// RetainUntil is the last day the record is kept, YYYY-MM-DD.
	RetainUntil string
}

// Receipt bases.
const (
	ReceiptConsent   = "consent"
	ReceiptOptOut    = "opt_out"
	ReceiptReferable = "referable"
)

// ReceiptBases lists the bases a receipt may name.
var ReceiptBases = []string{ReceiptConsent, ReceiptOptOut, ReceiptReferable}

// ReceiptService is the storage side of receipt records.
type ReceiptService interface {
	// ListReceipts returns the receipts that included principalID ("" for
	// all), newest first, at most limit. For one principal, Principals
	// holds only that principal.
	ListReceipts(ctx context.Context, principalID string, limit int) ([]*Receipt, error)
	// GetReceipt returns a receipt with all its principals.
	GetReceipt(ctx context.Context, id string) (*Receipt, error)
	// UnknownPrincipals returns those of ids that are not principals of
	// the vault (never were, or were erased).
	UnknownPrincipals(ctx context.Context, ids []string) ([]string, error)
}

// ReceiptWriter is the receipts' part of a Tx.
type ReceiptWriter interface {
	InsertReceipt(ctx context.Context, r *Receipt) error
}
