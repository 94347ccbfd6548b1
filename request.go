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

	// Version counts the request's changes; a change is stored only over
	// the version it was made from.
	Version int64
	// PrincipalID is the vault principal the request was matched to, if
	// any.
	PrincipalID string
	// FeeDue and FeePaid are in yen (APPI Art. 38).
	FeeDue, FeePaid int
	// Verified is set once the requester's identity (and an agent's
	// authority) has been checked (APPI Art. 37(1), 令12).
	Verified bool
	// PausedOn is the date the clock stopped, waiting for the requester;
	// empty while it runs.
	PausedOn string
	// ClosedOn is the date the request was answered or withdrawn.
	ClosedOn string
	// Case is the request's case file (checks, payments, decisions,
	// answer), sealed by the vault.
	Case []byte
}

// Open reports whether the request is still to be answered.
func (r *RightsRequest) Open() bool { return r.ClosedOn == "" }

// RequestFile is a file kept with a request: a copy of an identity
// document or of an agent's evidence, or an answer. Its data is sealed;
// its name is not kept, since names of such files often name the person.
type RequestFile struct {
	ID          string
	RequestID   string
	Kind        string // RequestFile kinds
	ContentType string
	Size        int64
	// Data is the sealed content; not loaded by listings.
	Data      []byte
	CreatedAt time.Time
}

// Kinds of request files.
const (
	FileIDCopy        = "id_copy"        // identity document (本人確認書類)
	FileAgentEvidence = "agent_evidence" // 委任状, 戸籍謄本…
	FileAnswerLetter  = "answer_letter"  // 回答書 (PDF)
	FileAnswerArchive = "answer_archive" // electronic disclosure (signed ZIP)
)

// Request statuses.
const (
	RequestReceived   = "received"    // complete, to be verified and answered
	RequestIncomplete = "incomplete"  // kept; the requester was told what is missing
	RequestWaiting    = "waiting"     // the clock stopped, waiting for the requester
	RequestInProgress = "in_progress" // verified, being answered
	RequestAnswered   = "answered"    // closed with an answer
	RequestWithdrawn  = "withdrawn"   // closed, withdrawn by the requester
)

// RequestService is the storage side of rights requests.
type RequestService interface {
	// ListRequests returns requests by due date (then receipt), with the
	// given status, or "open" or "closed" ("" for all).
	ListRequests(ctx context.Context, status string, limit int) ([]*RightsRequest, error)
	GetRequest(ctx context.Context, id string) (*RightsRequest, error)
	// FindRequestByReceipt returns the request with that receipt number.
	FindRequestByReceipt(ctx context.Context, receipt string) (*RightsRequest, error)
	// ListRequestFiles returns a request's files without their data,
	// oldest first.
	ListRequestFiles(ctx context.Context, requestID string) ([]*RequestFile, error)
	// GetRequestFile returns a file with its data.
	GetRequestFile(ctx context.Context, id string) (*RequestFile, error)
	// ExpiredRequestFiles returns, without data, files of the given kinds
	// of requests closed on or before closedBy (YYYY-MM-DD), at most limit.
	ExpiredRequestFiles(ctx context.Context, kinds []string, closedBy string, limit int) ([]*RequestFile, error)
}

// RequestWriter is the requests' part of a Tx.
type RequestWriter interface {
	InsertRequest(ctx context.Context, r *RightsRequest) error
	// UpdateRequest stores r if the stored version is still r.Version-1;
	// otherwise a conflict error.
	UpdateRequest(ctx context.Context, r *RightsRequest) error
	InsertRequestFile(ctx context.Context, f *RequestFile) error
	// DeleteRequestFiles deletes files and returns how many were deleted.
	DeleteRequestFiles(ctx context.Context, ids []string) (int, error)
}
