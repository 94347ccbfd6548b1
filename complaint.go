package hogo

import (
	"context"
	"time"
)

// Complaint is a complaint or an inquiry about the handling of personal
// information (苦情・相談, APPI Art. 40; JIS Q 15001 A.3.6), from intake to
// closing. Who complains and what they say is sealed in the case file: the
// columns hold only codes, dates, staff names and links.
type Complaint struct {
	ID string
	// ReceiptNumber is the number given to the complainant: random, so
	// that one cannot be guessed from another.
	ReceiptNumber string
	// Channel is how it came: portal, phone, email, post or desk.
	Channel string
	// Category is what it is about (package complaint's categories).
	Category string
	// Status is received, acknowledged, answered or closed.
	Status string
	// Anonymous: the complainant gave no name.
	Anonymous bool
	// ReceivedAt is when it arrived; ReceivedOn its day in Tokyo
	// (YYYY-MM-DD).
	ReceivedAt time.Time
	ReceivedOn string
	// AckDue and AnswerDue are the target days (YYYY-MM-DD) of the
	// acknowledgement and of the answer, counted in business days from
	// the day the desk handles it.
	AckDue, AnswerDue string
	// DueOn is the next target: AckDue until acknowledged, then AnswerDue
	// until answered, then empty. The queue is ordered by it.
	DueOn string
	// AcknowledgedAt, AnsweredAt and ClosedAt are when each step was
	// taken (zero: not yet).
	AcknowledgedAt, AnsweredAt, ClosedAt time.Time
	// EscalatedAt and EscalatedBy record the escalation to the protection
	// manager (zero: not escalated); the reason is in the case file.
	EscalatedAt time.Time
	EscalatedBy string
	// RequestID and RequestReceipt link a rights request; IncidentID an
	// incident.
	RequestID, RequestReceipt string
	IncidentID                string
	// Sealed is the case file (the complainant, the statement, the notes
	// and answers), a JSON document of package complaint sealed with the
	// notes key and bound to the ID.
	Sealed []byte
	// SecretHash is the SHA-256 of the secret the complainant was given
	// at intake to follow the complaint on the portal; only the hash is
	// kept. Empty: the complaint cannot be looked up.
	SecretHash []byte
	// AckMail is what became of the automatic receipt mail (受付のお知らせ):
	// "" when none was due, then pending, sent, failed, or off (no mail
	// relay configured); AckMailAt is when it was sent or failed.
	AckMail   string
	AckMailAt time.Time
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Complaint statuses.
const (
	ComplaintReceived     = "received"
	ComplaintAcknowledged = "acknowledged"
	ComplaintAnswered     = "answered"
	ComplaintClosed       = "closed"
)

// ComplaintStatuses lists the statuses in order.
var ComplaintStatuses = []string{ComplaintReceived, ComplaintAcknowledged, ComplaintAnswered, ComplaintClosed}

// ComplaintService is the storage side of complaints.
type ComplaintService interface {
	// ListComplaints returns complaints "open" (not closed), "closed" or
	// all (""), by their next target day (those with none last), then by
	// arrival; at most limit.
	ListComplaints(ctx context.Context, which string, limit int) ([]*Complaint, error)
	// ComplaintsReceived returns the complaints that arrived in [from,
	// to), oldest first, without their case files.
	ComplaintsReceived(ctx context.Context, from, to time.Time) ([]*Complaint, error)
	GetComplaint(ctx context.Context, id string) (*Complaint, error)
	// FindComplaintByReceipt returns the complaint with that receipt
	// number.
	FindComplaintByReceipt(ctx context.Context, receipt string) (*Complaint, error)
}

// ComplaintWriter is the complaints' part of a Tx.
type ComplaintWriter interface {
	InsertComplaint(ctx context.Context, c *Complaint) error
	// UpdateComplaint stores c over version c.Version-1, else a conflict.
	UpdateComplaint(ctx context.Context, c *Complaint) error
}
