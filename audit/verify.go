package audit

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
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
	Count       int64
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

type row struct {
	seq        int64
	body, hash []byte
}

// Verify checks the whole chain in store: every entry's hash covers its body
// and the previous hash, numbers run without gaps, the signed head matches
// the end of the chain, and every checkpoint (stored ones and extra ones
// brought from elsewhere) is signed by pub and matches the chain. It reports
// the first entry that was changed, removed, inserted or reordered.
func Verify(ctx context.Context, store hogo.AuditService, pub ed25519.PublicKey, extra []*hogo.AuditCheckpoint) (*Result, error) {
	head, err := store.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	cps, err := store.ListCheckpoints(ctx)
	if err != nil {
		return nil, err
	}
	cps = append(cps, extra...)
	sort.Slice(cps, func(i, j int) bool { return cps[i].Seq < cps[j].Seq })
	res := &Result{Head: head, Checkpoints: len(cps)}
	for _, c := range cps {
		if !VerifyCheckpoint(pub, c) {
			res.Problem = &Problem{Seq: c.Seq, Kind: KindCheckpoint,
				Message: fmt.Sprintf("the checkpoint at entry %d has an invalid signature (key %s): it was altered or made with another key", c.Seq, c.KeyID)}
			return res, nil
		}
	}

	// Structural checks run on the scanning goroutine; hashing, which
	// needs only the stored previous hash, runs on the other cores.
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	type chunk struct {
		rows []row
		prev []byte
	}
	jobs := make(chan *chunk, workers*2)
	var (
		mu        sync.Mutex
		firstHash int64 = -1
		wg        sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c Chain
			for ch := range jobs {
				prev := ch.prev
				for _, r := range ch.rows {
					if !bytes.Equal(c.Hash(prev, r.body), r.hash) {
						mu.Lock()
						if firstHash < 0 || r.seq < firstHash {
							firstHash = r.seq
						}
						mu.Unlock()
						break
					}
					prev = r.hash
				}
			}
		}()
	}

	const chunkSize = 4096
	var (
		expect    int64 = 1
		prev            = ZeroHash
		cur             = &chunk{prev: ZeroHash}
		structErr *Problem
		cpi       int
		errStop   = errors.New("stop")
	)
	for cpi < len(cps) && cps[cpi].Seq <= 0 {
		cpi++
	}
	scanErr := store.ScanAudit(ctx, 0, func(seq int64, body, hash []byte) error {
		if seq != expect {
			if seq > expect {
				structErr = &Problem{Seq: expect, Kind: KindRemoved, Message: removedMsg(expect, seq-1)}
			} else {
				structErr = &Problem{Seq: seq, Kind: KindReordered, Message: fmt.Sprintf("entry %d is out of order", seq)}
			}
			return errStop
		}
		if bs, ok := bodySeq(body); !ok || bs != seq {
			structErr = movedProblem(seq, bs, ok)
			return errStop
		}
		for cpi < len(cps) && cps[cpi].Seq == seq {
			if !bytes.Equal(cps[cpi].Hash, hash) {
				structErr = &Problem{Seq: seq, Kind: KindChanged,
					Message: fmt.Sprintf("entry %d does not match the signed checkpoint taken at it: the chain up to entry %d was rewritten", seq, seq)}
				return errStop
			}
			cpi++
		}
		cur.rows = append(cur.rows, row{seq, body, hash})
		if len(cur.rows) == chunkSize {
			jobs <- cur
			cur = &chunk{prev: hash}
		}
		prev = hash
		expect++
		return nil
	})
	if len(cur.rows) > 0 {
		jobs <- cur
	}
	close(jobs)
	wg.Wait()
	if scanErr != nil && !errors.Is(scanErr, errStop) {
		return nil, scanErr
	}
	count := expect - 1
	res.Count = count

	// The first problem in chain order wins.
	if firstHash >= 0 && (structErr == nil || firstHash < structErr.Seq) {
		res.Problem = &Problem{Seq: firstHash, Kind: KindChanged,
			Message: fmt.Sprintf("entry %d was changed: its content or its link to entry %d does not match its hash", firstHash, firstHash-1)}
		return res, nil
	}
	if structErr != nil {
		res.Problem = structErr
		return res, nil
	}
	switch {
	case head.Seq > count:
		res.Problem = &Problem{Seq: count + 1, Kind: KindRemoved, Message: removedMsg(count+1, head.Seq)}
	case head.Seq < count:
		res.Problem = &Problem{Seq: head.Seq + 1, Kind: KindInserted,
			Message: fmt.Sprintf("entry %d and after were inserted: the signed head of the chain ends at entry %d", head.Seq+1, head.Seq)}
	case !bytes.Equal(head.Hash, prev) && count > 0:
		res.Problem = &Problem{Seq: count, Kind: KindChanged,
			Message: fmt.Sprintf("entry %d does not match the signed head of the chain: it was replaced", count)}
	case count > 0 && !VerifyHead(pub, head):
		res.Problem = &Problem{Seq: head.Seq, Kind: KindHead,
			Message: fmt.Sprintf("the head of the chain (entry %d) has no valid signature: entries at the end were added or removed without the signing key", head.Seq)}
	case cpi < len(cps):
		c := cps[cpi]
		res.Problem = &Problem{Seq: count + 1, Kind: KindRemoved,
			Message: fmt.Sprintf("a signed checkpoint covers entry %d but the chain ends at entry %d: entries %d–%d were removed", c.Seq, count, count+1, c.Seq)}
	}
	return res, nil
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

// HashBody exposes the chain hash for tools that verify an exported log.
func HashBody(prev, body []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(body)
	return h.Sum(nil)
}
