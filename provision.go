package hogo

import (
	"context"
	"time"
)

// Provision is a provision of personal data to a third party (第三者提供)
// and its record (提供記録, APPI Art. 29, 則19–21): to whom, on what
// basis, which items of which principals, when, by whom, how long the
// record is kept, and the export that went out.
type Provision struct {
	ID string
	// Recipient is the ledger recipient ID.
	Recipient string
	// Basis is the legal basis decided: consent, exception (Art. 27(1),
	// with Exception and a sealed Justification), opt_out, entrustment,
	// joint_use or succession (the last three: not a third party, Art.
	// 27(5)).
	Basis         string
	Exception     string
	Justification []byte
	// Foreign is the ground for a recipient abroad (Art. 28): eu_uk,
	// equivalent_system or consent; empty at home.
	Foreign  string
	Category string
	Items    []string
	// Principals are the principals whose data went out (in a listing by
	// principal, only that one); Count is how many there were in all.
	Principals []string
	Count      int
	// Identities is, sealed, each principal's name as provided (則20(1):
	// what identifies the principal), so that the record outlives an
	// erasure for its retention.
	Identities   []byte
	RecordMethod string
	ProvidedAt   time.Time
	Actor        string
	// RetainUntil is the last day the record is kept (則21), YYYY-MM-DD.
	RetainUntil string
	// ExportFormat (csv, xlsx, json), ExportSHA256 and the sealed Export
	// are what actually went out.
	ExportFormat string
	ExportSHA256 string
	Export       []byte
}

// Provision bases decided by hogo.
const (
	ProvisionConsent     = "consent"
	ProvisionException   = "exception"
	ProvisionOptOut      = "opt_out"
	ProvisionEntrustment = "entrustment"
	ProvisionJointUse    = "joint_use"
	ProvisionSuccession  = "succession"
)

// ProvisionBases lists the bases a provision may name.
var ProvisionBases = []string{ProvisionConsent, ProvisionException, ProvisionOptOut, ProvisionEntrustment, ProvisionJointUse, ProvisionSuccession}

// ProvisionService is the storage side of provision records.
type ProvisionService interface {
	// ListProvisions returns the provisions (without export) that
	// included principalID ("" for all), newest first, at most limit.
	ListProvisions(ctx context.Context, principalID string, limit int) ([]*Provision, error)
	// GetProvision returns a provision with its export.
	GetProvision(ctx context.Context, id string) (*Provision, error)
}

// ProvisionWriter is the provisions' part of a Tx.
type ProvisionWriter interface {
	InsertProvision(ctx context.Context, p *Provision) error
}
