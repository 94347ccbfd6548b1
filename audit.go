package hogo

import (
	"context"
	"time"
)

// AuditEntry is one entry of the tamper-evident audit log. It records who did
// what, to which principal, category and purpose, when and from where, and
// never the personal data itself: Principal is the principal's opaque ID and
// Detail holds codes and counts only.
type AuditEntry struct {
	Seq       int64             `json:"seq"`
	Time      time.Time         `json:"time"`
	ActorID   int64             `json:"actor_id,omitempty"`
	Actor     string            `json:"actor"`
	Role      Role              `json:"role,omitempty"`
	Action    string            `json:"action"`
	Outcome   string            `json:"outcome,omitempty"`
	Principal string            `json:"principal,omitempty"`
	Category  string            `json:"category,omitempty"`
	Purpose   string            `json:"purpose,omitempty"`
	Target    string            `json:"target,omitempty"`
	Remote    string            `json:"remote,omitempty"`
	Detail    map[string]string `json:"detail,omitempty"`

	// Body is the canonical encoding that Hash covers; set when sealed.
	Body []byte `json:"-"`
	// Hash is SHA-256(previous entry's Hash || Body); set when sealed.
	Hash []byte `json:"-"`
}

// Audit outcomes.
const (
	OutcomeOK     = "ok"
	OutcomeDenied = "denied"
	OutcomeError  = "error"
)

// AuditHead is the position of the newest entry in the chain: its sequence
// number and hash. The empty chain has Seq 0 and a hash of 32 zero bytes.
type AuditHead struct {
	Seq  int64
	Hash []byte
	// Signature is the Ed25519 signature of the head by the audit signing
	// key, renewed with every append, so that entries appended or removed
	// at the end of the chain by someone without the key are caught.
	Signature []byte
}

// AuditCheckpoint is a signed statement that the chain had a given head at a
// given time. Checkpoints are exported and kept elsewhere, so that even a
// rewrite of the whole chain by someone holding the database is caught.
type AuditCheckpoint struct {
	Seq       int64     `json:"seq"`
	Hash      []byte    `json:"hash"`
	Time      time.Time `json:"time"`
	KeyID     string    `json:"key_id"`
	Signature []byte    `json:"signature"`
}

// AuditPrune is the anchor a removal of old entries leaves (the audit
// log's own retention): the last entry removed, its hash (to which the next
// entry links), signed so that nobody without the key can cut the chain.
type AuditPrune struct {
	Seq       int64     `json:"seq"`
	Hash      []byte    `json:"hash"`
	Time      time.Time `json:"time"`
	KeyID     string    `json:"key_id"`
	Signature []byte    `json:"signature"`
	// Removed is how many entries this prune removed; Before its cut-off.
	Removed int64     `json:"removed"`
	Before  time.Time `json:"before"`
}

// AuditFilter narrows a listing of the audit log. Zero fields do not filter.
type AuditFilter struct {
	BeforeSeq int64 // entries with Seq < BeforeSeq; 0 means from the newest
	Actor     string
	Action    string // prefix match: "user." matches user.create
	Principal string
	Target    string // exact match, e.g. a request's receipt number
	Limit     int
}

// AuditService is the storage side of the audit log. The chain logic (how
// entries are numbered, hashed and verified) lives in package audit; the store
// guarantees only that AppendAudit is serialised against every other append,
// across processes and nodes.
type AuditService interface {
	// AppendAudit runs writes in one transaction. Inside it, the store
	// reads the chain head under a lock, applies each write's change (a
	// failed change sets the write's Err and drops its entries, the rest go
	// ahead), and calls seal with the entries of the writes that stand, in
	// order; seal numbers and hashes them and returns the new head. The
	// store then inserts them and moves the head. It returns once the
	// transaction is durable; an error means nothing was stored.
	AppendAudit(ctx context.Context, writes []*AuditWrite, seal func(head AuditHead, entries []*AuditEntry) (AuditHead, error)) error
	// AuditHead returns the stored head of the chain.
	AuditHead(ctx context.Context) (AuditHead, error)
	// ScanAudit calls fn for every stored entry with after < Seq <= until
	// (until 0: no upper bound), in ascending Seq order, passing the stored
	// body and hash, which are valid only until fn returns. Several scans
	// may run at once.
	ScanAudit(ctx context.Context, after, until int64, fn func(seq int64, body, hash []byte) error) error
	// ListAudit returns entries newest first.
	ListAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
	CountAudit(ctx context.Context) (int64, error)

	PutCheckpoint(ctx context.Context, c *AuditCheckpoint) error
	// LastAuditBefore returns the number of the last entry of the newest
	// block written before t that is not the chain's newest block (0 when
	// there is none): where a prune for the cut-off t may end.
	LastAuditBefore(ctx context.Context, t time.Time) (int64, error)
	// PruneAudit stores the signed anchor p and removes the blocks it
	// covers (entries up to p.Seq), in one transaction; it returns how
	// many entries went.
	PruneAudit(ctx context.Context, p *AuditPrune) (int64, error)
	// AuditPrunes returns the anchors, oldest first.
	AuditPrunes(ctx context.Context) ([]*AuditPrune, error)
	ListCheckpoints(ctx context.Context) ([]*AuditCheckpoint, error)
}

// Store is everything a storage adapter provides.
type Store interface {
	UserService
	SettingService
	AuditService
	VaultService
	JobService
	RequestService
	NoticeService
	// SchemaVersion returns the applied migration version and the version
	// this binary expects.
	SchemaVersion(ctx context.Context) (have, want int, err error)
	Close() error
}

// Actor is who does something: a signed-in user, a token's user, or the
// system itself. It travels with a request so that every audit entry names
// who, with which role, from where.
type Actor struct {
	UserID int64
	Name   string
	Role   Role
	Remote string
}

// SystemActor is hogo itself (start-up, background jobs).
var SystemActor = Actor{Name: "system"}

// CLIActor returns the actor for a command run on the server's console by
// the operating-system user osUser.
func CLIActor(osUser string) Actor {
	return Actor{Name: "cli:" + osUser, Role: RoleAdmin, Remote: "local"}
}

// Entry returns an audit entry for action done by a.
func (a Actor) Entry(action string) *AuditEntry {
	return &AuditEntry{ActorID: a.UserID, Actor: a.Name, Role: a.Role, Action: action, Remote: a.Remote}
}
