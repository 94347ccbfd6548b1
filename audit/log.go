package audit

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"hogo.example.jp/hogo"
)

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("audit log is closed")

// Log appends entries to the chain with group commit: concurrent Appends
// that arrive while a batch is being written are written together in the next
// transaction, so auditing costs one commit per batch, not per entry. Append
// returns only once its entries are durable.
type Log struct {
	store hogo.AuditService
	key   *Key
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// MaxBatch caps the entries written in one transaction.
	MaxBatch int
	// Linger is how long the writer waits for more entries before a
	// commit while callers are concurrent (0: never).
	Linger time.Duration

	in      chan *request
	quit    chan struct{}
	done    chan struct{}
	closing sync.Once
	closeMu sync.RWMutex
	closed  bool

	appended atomic.Int64
	batches  atomic.Int64

	// signed is the last head this log wrote (only the writer goroutine
	// and Checkpoint use it, under signedMu): a stored head equal to it
	// needs no signature check.
	signedMu sync.Mutex
	signed   hogo.AuditHead
}

type request struct {
	write hogo.AuditWrite
	tails [][]byte
	done  chan error
}

func (r *request) encode() {
	r.tails = make([][]byte, len(r.write.Entries))
	for i, e := range r.write.Entries {
		r.tails[i] = appendTail(make([]byte, 0, 256), e)
	}
}

// NewLog starts a log over store, signing heads with key. Its goroutine
// exits when Close is called, after writing everything queued.
func NewLog(store hogo.AuditService, key *Key) *Log {
	l := &Log{
		store:    store,
		key:      key,
		Now:      time.Now,
		MaxBatch: 8192,
		Linger:   200 * time.Microsecond,
		in:       make(chan *request, 4096),
		quit:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	go l.run()
	return l
}

// Key returns the signing key.
func (l *Log) Key() *Key { return l.key }

// Append writes entries to the chain and returns once they are durable. The
// entries' Seq, Body and Hash are set. Entries without a time get the
// current time.
func (l *Log) Append(ctx context.Context, entries ...*hogo.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return l.Write(ctx, nil, entries...)
}

// Write makes a change and appends the entries that record it in one
// transaction (hogo.AuditWrite), batched with other appends: it returns
// once both are durable, or apply's error when the change failed, in which
// case neither was stored. A nil apply makes it Append.
func (l *Log) Write(ctx context.Context, apply func(context.Context, hogo.Tx) error, entries ...*hogo.AuditEntry) error {
	now := l.Now()
	r := &request{write: hogo.AuditWrite{Entries: entries, Apply: apply}, done: make(chan error, 1)}
	for _, e := range entries {
		if e.Time.IsZero() {
			e.Time = now
		}
		if e.Outcome == "" {
			e.Outcome = hogo.OutcomeOK
		}
	}
	if apply == nil {
		// Encoded here, in the caller's goroutine, so that callers encode
		// in parallel. A change's entries are encoded once it has been
		// made, since it may fill in their details (e.g. counts).
		r.encode()
	}
	// The read lock keeps Close from closing the log between the check
	// and the send: an entry is either queued before Close, and written,
	// or refused.
	l.closeMu.RLock()
	if l.closed {
		l.closeMu.RUnlock()
		return ErrClosed
	}
	select {
	case l.in <- r:
		l.closeMu.RUnlock()
	case <-ctx.Done():
		l.closeMu.RUnlock()
		return ctx.Err()
	}
	// Once queued, the entries will be written even if ctx ends: wait for
	// the outcome so the caller never acknowledges an unwritten entry.
	if err := <-r.done; err != nil {
		return err
	}
	return r.write.Err
}

func (l *Log) run() {
	defer close(l.done)
	var batch []*request
	n := 0
	shared := false
	for {
		var first *request
		select {
		case first = <-l.in:
		case <-l.quit:
			// Drain what was queued before Close.
			for {
				select {
				case r := <-l.in:
					l.write([]*request{r})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
		n = len(first.write.Entries)
		// Under concurrent load (the last batch was shared), wait a moment
		// for more callers before committing: a commit costs the same for
		// one entry as for a hundred, so fewer, fuller batches serve more
		// callers. A lone caller is written at once.
		var linger <-chan time.Time
		if shared && l.Linger > 0 {
			linger = time.After(l.Linger)
		}
	fill:
		for n < l.MaxBatch {
			select {
			case r := <-l.in:
				batch = append(batch, r)
				n += len(r.write.Entries)
				continue
			default:
			}
			if linger == nil {
				break
			}
			select {
			case r := <-l.in:
				batch = append(batch, r)
				n += len(r.write.Entries)
			case <-linger:
				break fill
			}
		}
		shared = len(batch) > 1
		l.write(batch)
	}
}

func (l *Log) write(batch []*request) {
	// A batch must not be lost because one caller gave up: use a context of
	// our own with a generous deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	writes := make([]*hogo.AuditWrite, len(batch))
	for i, r := range batch {
		writes[i] = &r.write
	}
	var sealed int
	var newHead hogo.AuditHead
	err := l.store.AppendAudit(ctx, writes, func(head hogo.AuditHead, entries []*hogo.AuditEntry) (hogo.AuditHead, error) {
		if err := l.checkHead(head); err != nil {
			return hogo.AuditHead{}, err
		}
		// The entries are those of the writes that stand, in order.
		tails := make([][]byte, 0, len(entries))
		for _, r := range batch {
			if r.write.Err == nil {
				if r.tails == nil {
					r.encode()
				}
				tails = append(tails, r.tails...)
			}
		}
		h := sealTails(head, entries, tails)
		h.Signature = l.key.SignHead(h)
		sealed = len(entries)
		newHead = h
		return h, nil
	})
	cancel()
	if err == nil && sealed > 0 {
		l.signedMu.Lock()
		l.signed = newHead
		l.signedMu.Unlock()
		l.appended.Add(int64(sealed))
		l.batches.Add(1)
	}
	for _, r := range batch {
		r.done <- err
	}
}

// ErrForgedHead is returned by Append and Checkpoint when the stored head of
// the chain does not carry this key's signature: someone changed the end of
// the chain. hogo stops auditing, and so stops acknowledging writes, rather
// than sign over the change; "hogo audit verify" says what was changed.
var ErrForgedHead = errors.New("the audit chain's head is not signed by this server's key: the end of the audit log was changed; run hogo audit verify")

func (l *Log) checkHead(head hogo.AuditHead) error {
	if head.Seq == 0 && len(head.Signature) == 0 {
		return nil // the empty chain of a new store
	}
	l.signedMu.Lock()
	mine := head.Seq == l.signed.Seq && bytes.Equal(head.Hash, l.signed.Hash) && bytes.Equal(head.Signature, l.signed.Signature)
	l.signedMu.Unlock()
	if mine {
		// The head this log signed and stored last: the store holds it
		// unchanged, so its signature is the one checked when made.
		return nil
	}
	if !VerifyHead(l.key.Public(), head) {
		return &hogo.Error{Code: hogo.EINTERNAL, Message: ErrForgedHead.Error(), Err: ErrForgedHead}
	}
	return nil
}

// Stats returns the number of entries and batches written by this process.
func (l *Log) Stats() (entries, batches int64) { return l.appended.Load(), l.batches.Load() }

// Close stops accepting entries, writes what is queued and waits.
func (l *Log) Close() error {
	l.closing.Do(func() {
		l.closeMu.Lock()
		l.closed = true
		l.closeMu.Unlock()
		close(l.quit)
	})
	<-l.done
	return nil
}

// Checkpoint signs the current head and stores it as a checkpoint, unless
// the newest checkpoint already covers it. It returns the checkpoint (nil
// when nothing changed).
func (l *Log) Checkpoint(ctx context.Context) (*hogo.AuditCheckpoint, error) {
	head, err := l.store.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	if head.Seq == 0 {
		return nil, nil
	}
	if err := l.checkHead(head); err != nil {
		return nil, err
	}
	cps, err := l.store.ListCheckpoints(ctx)
	if err != nil {
		return nil, err
	}
	if n := len(cps); n > 0 && cps[n-1].Seq >= head.Seq {
		return nil, nil
	}
	cp := l.key.SignCheckpoint(head, l.Now())
	if err := l.store.PutCheckpoint(ctx, cp); err != nil {
		return nil, err
	}
	return cp, nil
}

// Prune removes the entries written before the cut-off, from the start of
// the chain (the audit log's own retention), and leaves a signed anchor at
// the last entry removed, from which Verify then starts. The newest block
// always stays, so the chain's head is never removed. It returns the
// anchor, or nil when nothing is old enough.
func (l *Log) Prune(ctx context.Context, before time.Time) (*hogo.AuditPrune, error) {
	seq, err := l.store.LastAuditBefore(ctx, before)
	if err != nil || seq == 0 {
		return nil, err
	}
	prunes, err := l.store.AuditPrunes(ctx)
	if err != nil {
		return nil, err
	}
	if n := len(prunes); n > 0 && prunes[n-1].Seq >= seq {
		return nil, nil
	}
	var hash []byte
	if err := l.store.ScanAudit(ctx, seq-1, seq, func(_ int64, _, h []byte) error {
		hash = bytes.Clone(h)
		return nil
	}); err != nil {
		return nil, err
	}
	if len(hash) != HashSize {
		return nil, hogo.Errorf(hogo.EINTERNAL, "audit entry %d is missing: run hogo audit verify", seq)
	}
	p := l.key.SignPrune(seq, hash, l.Now(), before)
	if p.Removed, err = l.store.PruneAudit(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// RunCheckpoints writes a checkpoint every interval until ctx ends, and a
// last one then. Errors go to onErr.
func (l *Log) RunCheckpoints(ctx context.Context, every time.Duration, onErr func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if _, err := l.Checkpoint(c); err != nil && onErr != nil {
				onErr(err)
			}
			cancel()
			return
		case <-t.C:
			if _, err := l.Checkpoint(ctx); err != nil && onErr != nil && ctx.Err() == nil {
				onErr(err)
			}
		}
	}
}
