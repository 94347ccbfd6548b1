package hogo

import (
	"context"
	"time"
)

// Job is a unit of background work kept in the store, so that it outlives
// the process that enqueued it and runs once on whichever node claims it
// first (package jobs runs them).
type Job struct {
	ID   string
	Kind string
	// Key, when set, is unique among jobs: a periodic job's key names its
	// period ("retention.daily@2026-11-24"), so that several nodes
	// scheduling it insert it once; a singleton's key is freed when it
	// finishes, so that one may be enqueued again.
	Key string
	// Args is the job's arguments as JSON; never personal data.
	Args []byte
	// State is available, running, done or failed.
	State string
	RunAt time.Time
	// Attempts counts the claims; MaxAttempts bounds them.
	Attempts, MaxAttempts int
	// Node is the node that holds (or last held) the job, LockedUntil the
	// end of its lease; a running job whose lease ran out (its node died)
	// is claimed again.
	Node        string
	LockedUntil time.Time
	// Token identifies one claim: only its holder may extend or finish it.
	Token      string
	LastError  string
	Result     string
	CreatedAt  time.Time
	FinishedAt time.Time
}

// Job states.
const (
	JobAvailable = "available"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
)

// JobService is the storage side of background jobs.
type JobService interface {
	// EnqueueJob inserts j; when j.Key is taken it inserts nothing and
	// returns false.
	EnqueueJob(ctx context.Context, j *Job) (bool, error)
	// ClaimJob takes the next job of the kinds that is available and due
	// at now, or running with a lapsed lease, for node with a lease until
	// until and a fresh token; nil when there is none. Two nodes never
	// hold the same job.
	ClaimJob(ctx context.Context, kinds []string, node, token string, now, until time.Time) (*Job, error)
	// ExtendJob renews the lease of the claim token; a claim lost to
	// another node is a conflict.
	ExtendJob(ctx context.Context, id, token string, until time.Time) error
	// FinishJob ends the claim token: state done or failed, or available
	// again at retryAt; releaseKey frees a singleton's key. A claim lost to
	// another node is a conflict.
	FinishJob(ctx context.Context, id, token, state string, at, retryAt time.Time, lastError, result string, releaseKey bool) error
	GetJob(ctx context.Context, id string) (*Job, error)
	// ListJobs returns the newest jobs first, of one kind when kind is set.
	ListJobs(ctx context.Context, kind string, limit int) ([]*Job, error)
	// PruneJobs deletes the jobs that finished (done or failed) before t
	// and returns how many went.
	PruneJobs(ctx context.Context, before time.Time) (int, error)
}
