package hogo

import (
	"context"
	"slices"
	"time"
)

// Consent is a principal's consent (同意) to purposes of use and to
// provision to recipients, with what ISO/IEC TS 27560 and the Kantara
// consent receipt keep: the notice shown, how it was given, when, who
// recorded it, when it lapses and whether it was withdrawn.
type Consent struct {
	ID          string
	PrincipalID string
	// Purposes are ledger purpose IDs; Recipients are ledger recipient
	// IDs (consent to third-party provision, APPI Art. 27(1), and to
	// provision abroad, Art. 28(1)).
	Purposes   []string
	Recipients []string
	// Terms fingerprints the wording of each purpose and recipient as the
	// principal saw it ("purpose:ID" or "recipient:ID" to a digest): a
	// consent covers a purpose only while its wording is unchanged.
	Terms map[string]string
	// NoticeVersion is the version of the privacy notice shown (the ledger
	// digest).
	NoticeVersion string
	// Method is how consent was given: web_form, paper, verbal, email,
	// portal; Witness names who heard a verbal consent.
	Method  string
	Witness string
	GivenAt time.Time
	// RecordedBy is the member of staff (or "portal") who recorded it.
	RecordedBy string
	// ExpiresAt is when the consent lapses; zero for never.
	ExpiresAt time.Time
	// WithdrawnAt is when it was withdrawn (zero while it stands), by whom
	// and through which channel (desk, portal, api).
	WithdrawnAt  time.Time
	WithdrawnBy  string
	WithdrawnVia string
}

// Consent methods.
const (
	ConsentWebForm = "web_form"
	ConsentPaper   = "paper"
	ConsentVerbal  = "verbal"
	ConsentEmail   = "email"
	ConsentPortal  = "portal"
)

// ConsentMethods lists the ways consent is given.
var ConsentMethods = []string{ConsentWebForm, ConsentPaper, ConsentVerbal, ConsentEmail, ConsentPortal}

// Live reports whether c stands at t: not withdrawn, not expired.
func (c *Consent) Live(t time.Time) bool {
	return c.WithdrawnAt.IsZero() && (c.ExpiresAt.IsZero() || t.Before(c.ExpiresAt))
}

// Covers reports whether c, standing at t, covers the term key ("purpose:ID"
// or "recipient:ID") whose current wording fingerprints as digest.
func (c *Consent) Covers(key, digest string, t time.Time) bool {
	if !c.Live(t) || c.Terms[key] != digest {
		return false
	}
	kind, id, _ := cutKey(key)
	if kind == "purpose" {
		return slices.Contains(c.Purposes, id)
	}
	return slices.Contains(c.Recipients, id)
}

func cutKey(key string) (kind, id string, ok bool) {
	for i := 0; i < len(key); i++ {
		if key[i] == ':' {
			return key[:i], key[i+1:], true
		}
	}
	return "", key, false
}

// ConsentService is the storage side of consents.
type ConsentService interface {
	// ListConsents returns a principal's consents, oldest first.
	ListConsents(ctx context.Context, principalID string) ([]*Consent, error)
	// ConsentsOf returns the standing (not withdrawn) consents of several
	// principals, by principal.
	ConsentsOf(ctx context.Context, principalIDs []string) (map[string][]*Consent, error)
	// ScanLiveConsents calls fn for consents not withdrawn, in ID order
	// after afterID, at most limit.
	ScanLiveConsents(ctx context.Context, afterID string, limit int, fn func(c *Consent) error) error
}

// ConsentWriter is the consents' part of a Tx.
type ConsentWriter interface {
	// InsertConsent stores a consent of an existing principal.
	InsertConsent(ctx context.Context, c *Consent) error
	// WithdrawConsent marks a consent withdrawn; one already withdrawn is
	// a conflict, one of another principal not_found.
	WithdrawConsent(ctx context.Context, principalID, id string, at time.Time, by, via string) error
}
