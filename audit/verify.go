package audit

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"hogo.example.jp/hogo"
)

// Problem kinds found by Verify.
const (
	KindChanged    = "changed"
	KindRemoved    = "removed"
	KindInserted   = "inserted"
	KindReordered  = "reordered"
	KindHead       = "head"
	KindCheckpoint = "checkpoint"
)

// Problem is the first place where the stored chain is not what was written.
type Problem struct {
	Seq     int64
	Kind    string
	Message string
}

func (p *Problem) Error() string { return p.Message }

// Result is the outcome of a verification.
type Result struct {
	// Count is how many entries were checked; Pruned how many were
	// removed under the audit log's retention before them (the chain is
	// checked from the signed anchor of the last removal).
	Count       int64
	Pruned      int64
	Head        hogo.AuditHead
	Checkpoints int
	Problem     *Problem // nil when the chain verifies
}

// OK reports whether the chain verified.
func (r *Result) OK() bool { return r.Problem == nil }

// bodySeq reads the seq that a canonical body starts with.
func bodySeq(body []byte) (int64, bool) {
	const prefix = `{"seq":`
	if !bytes.HasPrefix(body, []byte(prefix)) {
		return 0, false
	}
	var n int64
	i := len(prefix)
	for ; i < len(body) && body[i] >= '0' && body[i] <= '9'; i++ {
		n = n*10 + int64(body[i]-'0')
	}
	return n, i > len(prefix)
}

// MinPartSize is the fewest entries worth a parallel scan of their own.
// Tests lower it to exercise the ranges' boundaries on small chains.
var MinPartSize int64 = 50000

// Verify checks the whole chain in store: every entry's hash covers its body
// and the previous hash, numbers run without gaps, the signed head matches
// the end of the chain, and every checkpoint (stored ones and extra ones
// brought from elsewhere) is signed by pub and matches the chain. It reports
// the first entry that was changed, removed, inserted or reordered.
//
// Each entry's hash needs only the stored hash before it, so the chain is
// cut into ranges scanned and hashed in parallel, one per core.
func Verify(ctx context.Context, store hogo.AuditService, pub ed25519.PublicKey, extra []*hogo.AuditCheckpoint) (*Result, error) {
	// The order of these reads matters on a live chain: checkpoints, then
	// the newest stored entry, then the head. Entries and the head move in
	// one transaction, so a head read last covers every entry and
	// checkpoint read before it; an entry past it was not written by hogo.
	cps, err := store.ListCheckpoints(ctx)
	if err != nil {
		return nil, err
	}
	newest, err := store.ListAudit(ctx, hogo.AuditFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	head, err := store.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	prunes, err := store.AuditPrunes(ctx)
	if err != nil {
		return nil, err
	}
	cps = append(cps, extra...)
	sort.Slice(cps, func(i, j int) bool { return cps[i].Seq < cps[j].Seq })
	res := &Result{Head: head, Checkpoints: len(cps)}
	atCheckpoint := map[int64][]*hogo.AuditCheckpoint{}
	for _, c := range cps {
		if !VerifyCheckpoint(pub, c) {
			res.Problem = &Problem{Seq: c.Seq, Kind: KindCheckpoint,
				Message: fmt.Sprintf("the checkpoint at entry %d has an invalid signature (key %s): it was altered or made with another key", c.Seq, c.KeyID)}
			return res, nil
		}
		atCheckpoint[c.Seq] = append(atCheckpoint[c.Seq], c)
	}
	// Old entries removed under the retention rule leave signed anchors;
	// the chain is checked from the last one.
	base, baseHash := int64(0), ZeroHash
	for _, p := range prunes {
		if !VerifyPrune(pub, p) {
			res.Problem = &Problem{Seq: p.Seq, Kind: KindCheckpoint,
				Message: fmt.Sprintf("the removal of old entries up to entry %d has an invalid signature: entries were cut from the chain without the signing key", p.Seq)}
			return res, nil
		}
		base, baseHash = p.Seq, p.Hash
	}
	res.Pruned = base

	// The chain is expected to run 1…end; entries stored past the signed
	// head are part of what is checked.
	end := head.Seq
	if len(newest) > 0 && newest[0].Seq > end {
		end = newest[0].Seq
	}
	if base > 0 && end <= base {
		res.Problem = &Problem{Seq: base + 1, Kind: KindRemoved,
			Message: fmt.Sprintf("the chain ends at entry %d, inside the entries removed under the retention rule (up to %d): the newest entries were removed", end, base)}
		return res, nil
	}
	if end == 0 {
		if len(cps) > 0 {
			res.Problem = &Problem{Seq: 1, Kind: KindRemoved,
				Message: fmt.Sprintf("the audit log is empty but a signed checkpoint covers entry %d: every entry was removed", cps[len(cps)-1].Seq)}
		}
		return res, nil
	}
	span := end - base
	n := int64(max(1, runtime.GOMAXPROCS(0)))
	if span/n < MinPartSize {
		n = max(1, span/MinPartSize)
	}
	parts := make([]*part, n)
	var wg sync.WaitGroup
	for i := range parts {
		lo := base + span*int64(i)/n + 1
		hi := base + span*int64(i+1)/n
		p := &part{lo: lo, hi: hi, base: base, baseHash: baseHash, atCheckpoint: atCheckpoint}
		parts[i] = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.err = p.scan(ctx, store)
		}()
	}
	wg.Wait()
	var last []byte = ZeroHash
	for _, p := range parts {
		if p.err != nil {
			return nil, p.err
		}
		res.Count += p.count
		if p.problem != nil {
			// Ranges are in chain order: the first problem wins.
			res.Problem = p.problem
			return res, nil
		}
		if p.count > 0 {
			last = p.last
		}
	}

	count := base + res.Count
	var lastCP *hogo.AuditCheckpoint
	if len(cps) > 0 {
		lastCP = cps[len(cps)-1]
	}
	switch {
	case head.Seq < count:
		res.Problem = &Problem{Seq: head.Seq + 1, Kind: KindInserted,
			Message: fmt.Sprintf("entry %d and after were inserted: the signed head of the chain ends at entry %d", head.Seq+1, head.Seq)}
	case !bytes.Equal(head.Hash, last) && res.Count > 0:
		res.Problem = &Problem{Seq: count, Kind: KindChanged,
			Message: fmt.Sprintf("entry %d does not match the signed head of the chain: it was replaced", count)}
	case res.Count > 0 && !VerifyHead(pub, head):
		res.Problem = &Problem{Seq: head.Seq, Kind: KindHead,
			Message: fmt.Sprintf("the head of the chain (entry %d) has no valid signature: entries at the end were added or removed without the signing key", head.Seq)}
	case lastCP != nil && lastCP.Seq > count:
		res.Problem = &Problem{Seq: count + 1, Kind: KindRemoved,
			Message: fmt.Sprintf("a signed checkpoint covers entry %d but the chain ends at entry %d: entries %d–%d were removed", lastCP.Seq, count, count+1, lastCP.Seq)}
	}
	return res, nil
}

// VerifyStore is Verify plus what only the whole store knows: every staff
// account's creation is audited, so an empty chain in a store with users
// was wiped.
func VerifyStore(ctx context.Context, store hogo.Store, pub ed25519.PublicKey, extra []*hogo.AuditCheckpoint) (*Result, error) {
	res, err := Verify(ctx, store, pub, extra)
	if err != nil || !res.OK() || res.Count > 0 || res.Pruned > 0 {
		return res, err
	}
	n, err := store.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		res.Problem = &Problem{Seq: 1, Kind: KindRemoved,
			Message: fmt.Sprintf("the audit log is empty although %d staff accounts exist, whose creation was audited: every entry was removed", n)}
	}
	return res, nil
}

// part is one range lo…hi of the chain, scanned on its own.
type part struct {
	lo, hi       int64
	base         int64
	baseHash     []byte
	atCheckpoint map[int64][]*hogo.AuditCheckpoint

	count   int64
	last    []byte
	problem *Problem
	err     error
}

var errStop = errors.New("stop")

func (p *part) scan(ctx context.Context, store hogo.AuditService) error {
	prev := p.baseHash
	if p.lo > p.base+1 {
		// The link into this range is the stored hash before it; if that
		// entry is missing, the range before reports it.
		prev = nil
		err := store.ScanAudit(ctx, p.lo-2, p.lo-1, func(_ int64, _, hash []byte) error {
			prev = bytes.Clone(hash)
			return nil
		})
		if err != nil {
			return err
		}
	}
	if p.lo > p.base+1 && prev == nil {
		// The entry linking into this range is missing. The range before
		// may not see it (a forged empty block can hide it from the
		// scan), so it is reported here.
		p.problem = &Problem{Seq: p.lo - 1, Kind: KindRemoved, Message: removedMsg(p.lo-1, p.lo-1)}
		return nil
	}
	var c Chain
	// prev and last are copied into buffers of their own: the store's
	// slices are valid only during the callback.
	prevBuf, lastBuf := make([]byte, 0, HashSize), make([]byte, 0, HashSize)
	if prev != nil {
		prev = append(prevBuf, prev...)
	}
	expect := p.lo
	err := store.ScanAudit(ctx, p.lo-1, p.hi, func(seq int64, body, hash []byte) error {
		if seq != expect {
			p.problem = &Problem{Seq: expect, Kind: KindRemoved, Message: removedMsg(expect, seq-1)}
			return errStop
		}
		if bs, ok := bodySeq(body); !ok || bs != seq {
			p.problem = movedProblem(seq, bs, ok)
			return errStop
		}
		if prev != nil && !bytes.Equal(c.Hash(prev, body), hash) {
			p.problem = &Problem{Seq: seq, Kind: KindChanged,
				Message: fmt.Sprintf("entry %d was changed: its content or its link to entry %d does not match its hash", seq, seq-1)}
			return errStop
		}
		for _, cp := range p.atCheckpoint[seq] {
			if !bytes.Equal(cp.Hash, hash) {
				p.problem = &Problem{Seq: seq, Kind: KindChanged,
					Message: fmt.Sprintf("entry %d does not match the signed checkpoint taken at it: the chain up to entry %d was rewritten", seq, seq)}
				return errStop
			}
		}
		prev = append(prevBuf[:0], hash...)
		p.count++
		expect++
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return err
	}
	if p.count > 0 {
		p.last = append(lastBuf, prev...)
	}
	if p.problem == nil && expect <= p.hi {
		p.problem = &Problem{Seq: expect, Kind: KindRemoved, Message: removedMsg(expect, p.hi)}
	}
	return nil
}

func removedMsg(from, to int64) string {
	if from == to {
		return fmt.Sprintf("entry %d is missing: it was removed", from)
	}
	return fmt.Sprintf("entries %d–%d are missing: they were removed", from, to)
}

func movedProblem(seq, bs int64, ok bool) *Problem {
	switch {
	case !ok:
		return &Problem{Seq: seq, Kind: KindChanged, Message: fmt.Sprintf("entry %d was changed: its content is not a valid audit entry", seq)}
	case bs > seq:
		return &Problem{Seq: seq, Kind: KindReordered,
			Message: fmt.Sprintf("position %d holds entry %d: entries were removed or reordered here", seq, bs)}
	default:
		return &Problem{Seq: seq, Kind: KindInserted,
			Message: fmt.Sprintf("position %d holds entry %d: an entry was inserted or entries reordered here", seq, bs)}
	}
}

// HashBody returns SHA-256(prev || body), the hash of an entry whose body
// and predecessor's hash are known: for tools that check an exported log.
func HashBody(prev, body []byte) []byte {
	var c Chain
	return c.Hash(prev, body)
}
