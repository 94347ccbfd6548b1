// Package jobs runs hogo's background work: retention sweeps, the
// deletion of identity documents, and whatever else must happen on a
// schedule or outlive a request. Jobs are rows in the store (table jobs),
// so they survive restarts; every node runs a Worker, and a job is claimed
// by one node at a time under a lease that the node renews while it works.
// A node that dies (even by SIGKILL) stops renewing; when the lease lapses
// another node claims the job again, and the job, written to be resumed,
// carries on where the dead node's last commit left it.
//
// Periodic jobs are enqueued by every node with a key naming their period
// (kind@2026-11-24 for a daily job): the store's unique key lets one
// insert win, so a period's job runs once however many nodes there are.
// Singletons (one retention sweep at a time) hold their key only until
// they finish.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"hogo.example.jp/hogo"
)

// Handler does one job. It returns the result to keep (a short summary,
// never personal data) or an error; the job is retried with a back-off
// until its attempts run out. The context is cancelled when the node
// loses the job's lease.
type Handler func(ctx context.Context, j *hogo.Job) (result string, err error)

type kind struct {
	handle      Handler
	maxAttempts int
	singleton   bool
}

type periodic struct {
	kind  string
	every time.Duration
	args  []byte
}

// Worker claims and runs jobs on one node.
type Worker struct {
	Store hogo.JobService
	// Node names this node in the jobs it holds (host:pid by default).
	Node string
	// Lease is how long a claim lasts unless renewed; the worker renews it
	// every Lease/3 while the job runs.
	Lease time.Duration
	// Poll is how often an idle worker looks for work.
	Poll time.Duration
	// Logger gets the outcome of every job (kind, ID, duration; never
	// arguments).
	Logger *slog.Logger
	// Now returns the current time; tests replace it.
	Now func() time.Time

	mu       sync.Mutex
	kinds    map[string]kind
	periodic []periodic
	wake     chan struct{}
}

// NewWorker returns a worker for node over store.
func NewWorker(store hogo.JobService, node string) *Worker {
	return &Worker{Store: store, Node: node, Lease: time.Minute, Poll: time.Second, Logger: slog.New(slog.DiscardHandler),
		Now: time.Now, kinds: map[string]kind{}, wake: make(chan struct{}, 1)}
}

// Handle registers the handler of a kind, tried at most maxAttempts times
// (claims lost to a dead node count).
func (w *Worker) Handle(k string, maxAttempts int, h Handler) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.kinds[k] = kind{handle: h, maxAttempts: max(maxAttempts, 1)}
}

// HandleSingleton registers a kind of which at most one job is
// unfinished at a time: Enqueue returns the unfinished one instead of a
// second.
func (w *Worker) HandleSingleton(k string, maxAttempts int, h Handler) {
	w.Handle(k, maxAttempts, h)
	w.mu.Lock()
	defer w.mu.Unlock()
	x := w.kinds[k]
	x.singleton = true
	w.kinds[k] = x
}

// Every schedules a registered kind once per period of every (a day, an
// hour…), counted in Asia/Tokyo from midnight, across all nodes.
func (w *Worker) Every(k string, every time.Duration, args any) error {
	b, err := json.Marshal(args)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.kinds[k]; !ok {
		return fmt.Errorf("jobs: kind %q has no handler", k)
	}
	w.periodic = append(w.periodic, periodic{k, every, b})
	return nil
}

// PeriodKey is the key of kind's job for the period of every that holds t.
func PeriodKey(k string, every time.Duration, t time.Time) string {
	t = t.In(hogo.Tokyo)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, hogo.Tokyo)
	start := day.Add(t.Sub(day).Truncate(every))
	if every >= 24*time.Hour {
		return k + "@" + day.Format("2006-01-02")
	}
	return k + "@" + start.Format("2006-01-02T15:04")
}

// NewID returns a job ID: time-ordered and random.
func NewID(now time.Time) string {
	var b [8]byte
	rand.Read(b[:])
	return fmt.Sprintf("%013x%s", now.UnixMilli(), hex.EncodeToString(b[:]))
}

func token() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Enqueue adds a job of a registered kind to run at runAt (now when
// zero). For a singleton kind it returns the unfinished job when there
// is one.
func (w *Worker) Enqueue(ctx context.Context, k string, args any, runAt time.Time) (*hogo.Job, error) {
	w.mu.Lock()
	x, ok := w.kinds[k]
	w.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("jobs: kind %q has no handler", k)
	}
	key := ""
	if x.singleton {
		key = k
	}
	j, err := w.enqueue(ctx, k, key, args, runAt, x.maxAttempts)
	if err != nil {
		return nil, err
	}
	w.Wake()
	return j, nil
}

func (w *Worker) enqueue(ctx context.Context, k, key string, args any, runAt time.Time, maxAttempts int) (*hogo.Job, error) {
	var b []byte
	switch a := args.(type) {
	case []byte:
		b = a
	default:
		var err error
		if b, err = json.Marshal(args); err != nil {
			return nil, err
		}
	}
	now := w.Now()
	if runAt.IsZero() {
		runAt = now
	}
	j := &hogo.Job{ID: NewID(now), Kind: k, Key: key, Args: b, State: hogo.JobAvailable, RunAt: runAt, MaxAttempts: maxAttempts, CreatedAt: now}
	for range 3 {
		ok, err := w.Store.EnqueueJob(ctx, j)
		if err != nil || ok {
			return j, err
		}
		// The key is taken: the period's job exists, or the singleton
		// is unfinished (unless it finished meanwhile: try again).
		js, err := w.Store.ListJobs(ctx, k, 50)
		if err != nil {
			return nil, err
		}
		for _, x := range js {
			if x.Key == key && (x.State == hogo.JobAvailable || x.State == hogo.JobRunning || key != k) {
				return x, nil
			}
		}
	}
	return nil, hogo.NewError(hogo.ECONFLICT, "job", "同じ処理が既に登録されています。", "the same job is already enqueued")
}

// Wake makes an idle worker look for work now.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Schedule enqueues the periodic jobs of the current periods.
func (w *Worker) Schedule(ctx context.Context) error {
	w.mu.Lock()
	ps := append([]periodic(nil), w.periodic...)
	w.mu.Unlock()
	now := w.Now()
	for _, p := range ps {
		w.mu.Lock()
		x := w.kinds[p.kind]
		w.mu.Unlock()
		if _, err := w.enqueue(ctx, p.kind, PeriodKey(p.kind, p.every, now), p.args, now, x.maxAttempts); err != nil {
			return err
		}
	}
	return nil
}

func (w *Worker) kindNames() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.kinds))
	for k := range w.kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// RunOne claims one job and runs it; it reports whether there was one.
func (w *Worker) RunOne(ctx context.Context) (bool, error) {
	now := w.Now()
	tok := token()
	j, err := w.Store.ClaimJob(ctx, w.kindNames(), w.Node, tok, now, now.Add(w.Lease))
	if err != nil || j == nil {
		return false, err
	}
	w.mu.Lock()
	x := w.kinds[j.Kind]
	w.mu.Unlock()
	if j.Attempts > j.MaxAttempts {
		// Its nodes kept dying: stop trying and say so.
		return true, w.Store.FinishJob(ctx, j.ID, tok, hogo.JobFailed, w.Now(), time.Time{}, "attempts exhausted (the nodes running it stopped)", "", x.singleton)
	}
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	beat := make(chan struct{})
	go func() {
		defer close(beat)
		t := time.NewTicker(max(w.Lease/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-jctx.Done():
				return
			case <-t.C:
				if err := w.Store.ExtendJob(jctx, j.ID, tok, w.Now().Add(w.Lease)); err != nil && jctx.Err() == nil {
					var he *hogo.Error
					if errors.As(err, &he) && he.Code == hogo.ECONFLICT {
						cancel() // another node has it: stop working
						return
					}
					w.Logger.Warn("job lease renewal failed", "kind", j.Kind, "job", j.ID)
				}
			}
		}
	}()
	start := time.Now()
	result, herr := runSafely(jctx, x.handle, j)
	cancel()
	<-beat
	if ctx.Err() != nil {
		// Shutting down: hand the job back at once, so another node (or
		// this one, restarted) resumes it without waiting for the lease.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer rcancel()
		w.Store.FinishJob(rctx, j.ID, tok, hogo.JobAvailable, w.Now(), w.Now(), "the node stopped", "", false)
		return true, ctx.Err()
	}
	at := w.Now()
	if herr == nil {
		w.Logger.Info("job done", "kind", j.Kind, "job", j.ID, "ms", time.Since(start).Milliseconds())
		return true, w.Store.FinishJob(ctx, j.ID, tok, hogo.JobDone, at, time.Time{}, "", result, x.singleton)
	}
	msg := errorText(herr)
	if j.Attempts >= j.MaxAttempts {
		w.Logger.Error("job failed", "kind", j.Kind, "job", j.ID, "attempts", j.Attempts, "err", msg)
		return true, w.Store.FinishJob(ctx, j.ID, tok, hogo.JobFailed, at, time.Time{}, msg, result, x.singleton)
	}
	w.Logger.Warn("job will be retried", "kind", j.Kind, "job", j.ID, "attempts", j.Attempts, "err", msg)
	return true, w.Store.FinishJob(ctx, j.ID, tok, hogo.JobAvailable, at, at.Add(Backoff(j.Attempts)), msg, "", false)
}

// errorText is what a failed job keeps of its error: hogo errors carry
// their English message, which names no personal data; others only their
// kind.
func errorText(err error) string {
	var he *hogo.Error
	if errors.As(err, &he) {
		return he.Code + ": " + he.Error()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err.Error()
	}
	return fmt.Sprintf("%T", err)
}

func runSafely(ctx context.Context, h Handler, j *hogo.Job) (result string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("job panicked")
		}
	}()
	return h(ctx, j)
}

// Backoff is the wait before the next attempt after n failed ones.
func Backoff(n int) time.Duration {
	d := time.Duration(n*n) * 10 * time.Second
	return min(d, time.Hour)
}

// Run schedules and runs jobs until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	lastSchedule := time.Time{}
	for {
		if time.Since(lastSchedule) >= time.Minute || lastSchedule.IsZero() {
			if err := w.Schedule(ctx); err != nil && ctx.Err() == nil {
				w.Logger.Error("job scheduling failed", "err", errorText(err))
			}
			lastSchedule = time.Now()
		}
		for ctx.Err() == nil {
			ran, err := w.RunOne(ctx)
			if err != nil && ctx.Err() == nil {
				w.Logger.Error("job claim failed", "err", errorText(err))
			}
			if !ran || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// Wait waits until job id is finished (done or failed), polling the
// store, and returns it.
func Wait(ctx context.Context, store hogo.JobService, id string, poll time.Duration) (*hogo.Job, error) {
	for {
		j, err := store.GetJob(ctx, id)
		if err != nil {
			return nil, err
		}
		if j.State == hogo.JobDone || j.State == hogo.JobFailed {
			return j, nil
		}
		select {
		case <-ctx.Done():
			return j, ctx.Err()
		case <-time.After(poll):
		}
	}
}

// KindPrune is the daily job that deletes finished jobs older than Keep.
const KindPrune = "jobs.prune"

// Keep is how long finished jobs stay listed (sweeps show in the console
// with their disposal records, which stay for good).
var Keep = 90 * 24 * time.Hour

// RegisterPrune makes w delete, once a day across the nodes, the jobs that
// finished more than Keep ago.
func (w *Worker) RegisterPrune() error {
	w.Handle(KindPrune, 3, func(ctx context.Context, _ *hogo.Job) (string, error) {
		n, err := w.Store.PruneJobs(ctx, w.Now().Add(-Keep))
		return fmt.Sprintf("%d jobs", n), err
	})
	return w.Every(KindPrune, 24*time.Hour, nil)
}
