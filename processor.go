package hogo

import (
	"context"
	"time"
)

// ProcessorContract is the entrustment contract with a processor (委託契約,
// APPI Art. 25; JIS Q 15001 A.7.3.4): when it was signed, its reference,
// when it ends, and whether a non-disclosure agreement binds the
// processor. Contracts are kept as recorded, newest last; the newest is in
// force.
type ProcessorContract struct {
	ID string
	// Processor is the ledger processor ID.
	Processor string
	// SignedOn and EndsOn (empty: no fixed end) are dates, YYYY-MM-DD.
	SignedOn  string
	Reference string
	EndsOn    string
	// NDA says a non-disclosure agreement (秘密保持契約) is in place, signed
	// on NDAOn (empty when it is part of the contract).
	NDA        bool
	NDAOn      string
	RecordedAt time.Time
	RecordedBy string
}

// ProcessorReview is one supervision of a processor (委託先の監督, APPI
// Art. 25): a security evaluation with its grade, or a periodic review of
// how the processor handles the data entrusted, and the interval to the
// next one.
type ProcessorReview struct {
	ID        string
	Processor string
	// Kind is evaluation (an evaluation of the processor's security
	// measures, graded) or review (a periodic review).
	Kind string
	// ReviewedOn is the date of the review, YYYY-MM-DD.
	ReviewedOn string
	// Grade is A, B, C, pass or fail; empty for a review without a grade.
	Grade     string
	Evaluator string
	// Note is about the processor's measures; never about a person.
	Note string
	// IntervalMonths is the interval to the next review (at most 12: JIS
	// Q 15001 asks for a review at least once a year).
	IntervalMonths int
	RecordedAt     time.Time
	RecordedBy     string
}

// SubEntrustment is the approval of a sub-entrustment (再委託) by a
// processor: to whom, for what, when and by whom it was approved (APPI
// Art. 25; the supervision reaches the sub-processor).
type SubEntrustment struct {
	ID        string
	Processor string
	// Name is the sub-processor's name (a business).
	Name       string
	Scope      string
	ApprovedOn string
	ApprovedBy string
	RecordedAt time.Time
	RecordedBy string
}

// ProcessorFile is what is stored about one processor's supervision:
// its contracts, reviews and approved sub-entrustments, oldest first.
type ProcessorFile struct {
	Processor       string
	Contracts       []*ProcessorContract
	Reviews         []*ProcessorReview
	SubEntrustments []*SubEntrustment
}

// ProcessorService is the storage side of the processor register
// (委託先管理台帳).
type ProcessorService interface {
	// ProcessorFiles returns the files of every processor having
	// anything recorded, by processor ID.
	ProcessorFiles(ctx context.Context) (map[string]*ProcessorFile, error)
	// ProcessorFile returns one processor's file; a processor with
	// nothing recorded has an empty file.
	ProcessorFile(ctx context.Context, processor string) (*ProcessorFile, error)
}

// ProcessorWriter is the processor register's part of a Tx.
type ProcessorWriter interface {
	InsertProcessorContract(ctx context.Context, c *ProcessorContract) error
	InsertProcessorReview(ctx context.Context, r *ProcessorReview) error
	InsertSubEntrustment(ctx context.Context, s *SubEntrustment) error
}
