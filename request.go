package hogo

import (
	"context"
	"time"
)

// RightsRequest is a request from a principal or their agent (開示等の請求,
// APPI Art. 32–35): to be told the purposes, to see, correct, stop or erase
// the data, to stop its provision, or to see the provision records. The
// requester's details are personal data and are kept sealed.
type RightsRequest struct {
	ID string
	// ReceiptNumber is what the requester quotes; it is random, so that
	// receipt numbers cannot be enumerated.
	ReceiptNumber string
	// SecretHash is the SHA-256 of the secret the requester follows the
	// request with on the portal.
	SecretHash []byte
	Types      []string // ledger request types
	Channel    string   // how it arrived (ledger channels)
	// RequesterKind is principal (本人) or agent (代理人).
	RequesterKind string
	// Requester is the requester's details (name, contact, agent kind),
	// sealed by the vault.
	Requester []byte
	Status    string
	// Missing lists what the request lacks while it is incomplete.
	Missing []string
	// ReceivedOn and DueOn are dates in Tokyo, YYYY-MM-DD; DueOn is a
	// business day of the company's calendar.
	ReceivedOn, DueOn    string
	CreatedAt, UpdatedAt time.Time
}

// Request statuses.
const (
	RequestReceived   = "received"   // complete, to be verified and answered
	RequestIncomplete = "incomplete" // kept; the requester was told what is missing
)

// RequestService is the storage side of rights requests.
type RequestService interface {
	// ListRequests returns requests by due date (then receipt), with the
	// given status ("" for all).
	ListRequests(ctx context.Context, status string, limit int) ([]*RightsRequest, error)
	GetRequest(ctx context.Context, id string) (*RightsRequest, error)
	// FindRequestByReceipt returns the request with that receipt number.
	FindRequestByReceipt(ctx context.Context, receipt string) (*RightsRequest, error)
}

// RequestWriter is the requests' part of a Tx.
type RequestWriter interface {
	InsertRequest(ctx context.Context, r *RightsRequest) error
}
