package hogo

import (
	"context"
	"time"
)

// Incident is a leak, loss or damage of personal data (漏えい等, APPI Art.
// 26), from discovery to the final report. What happened is sealed: it
// can describe people.
type Incident struct {
	ID string
	// Status is draft (facts missing), open, reported or closed.
	Status string
	// KnownOn is the day the business knew (YYYY-MM-DD): day 1 of the
	// clock, which runs even for a draft.
	KnownOn string
	// Triggers are the report triggers decided (package breach).
	Triggers []string
	// Affected is the number of principals counted (or estimated).
	Affected int
	// PreliminaryDue and FinalDue are the report deadlines; empty when no
	// report is due.
	PreliminaryDue, FinalDue string
	// PreliminarySent and FinalSent are the days the reports went.
	PreliminarySent, FinalSent string
	// Facts are the sealed facts (the report items of 則8(1) and the
	// scope), a JSON document of package breach.
	Facts     []byte
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Incident statuses.
const (
	IncidentDraft    = "draft"
	IncidentOpen     = "open"
	IncidentReported = "reported"
	IncidentClosed   = "closed"
)

// IncidentService is the storage side of incidents.
type IncidentService interface {
	ListIncidents(ctx context.Context, limit int) ([]*Incident, error)
	GetIncident(ctx context.Context, id string) (*Incident, error)
	// CountAffected counts the distinct principals holding a record of
	// the categories (all when empty) acquired in [from, to) (zero times
	// for no bound), or, when principals is given, how many of them exist.
	CountAffected(ctx context.Context, categories []string, from, to time.Time, principals []string) (int, error)
}

// IncidentWriter is the incidents' part of a Tx.
type IncidentWriter interface {
	InsertIncident(ctx context.Context, i *Incident) error
	// UpdateIncident stores i over version i.Version-1, else a conflict.
	UpdateIncident(ctx context.Context, i *Incident) error
}
