package notice

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// Versions: every ledger change that alters the notice's text makes a new
// version of the notice (hogo.NoticeVersion), kept with its Markdown in
// both languages; Diff shows what changed between two.

// Snapshot renders the notice of l as Markdown in Japanese and English; the
// digest (hex SHA-256 of the Japanese text) identifies the version. A
// ledger change that does not reach the notice (an access rule, a
// retention event) leaves the digest as it was.
func Snapshot(l *ledger.Ledger) (digest, mdJa, mdEn string) {
	var ja, en bytes.Buffer
	// Markdown writes to a buffer, which does not fail.
	Markdown(&ja, Build(l, "ja"))
	Markdown(&en, Build(l, "en"))
	sum := sha256.Sum256(ja.Bytes())
	return hex.EncodeToString(sum[:]), ja.String(), en.String()
}

// Auditor appends audit entries in the transaction of a change; *audit.Log
// is one.
type Auditor interface {
	Write(ctx context.Context, apply func(context.Context, hogo.Tx) error, entries ...*hogo.AuditEntry) error
}

// errSeen ends an audited write whose version was stored before: nothing
// is audited, and the mapping of the ledger is made outside it.
var errSeen = errors.New("notice version already recorded")

// Record records the notice of the ledger l (whose YAML has digest
// ledgerDigest) as a version, when its text is new, with the audit entry
// notice.version in the same transaction; and maps the ledger's digest to
// the version, so that records and consents, which keep the ledger digest,
// keep the version they were shown. It returns the version and whether it
// is new. Nodes starting at once with the same ledger make one version
// and one audit entry.
func Record(ctx context.Context, store hogo.NoticeService, auditor Auditor, a hogo.Actor, l *ledger.Ledger, ledgerDigest string) (*hogo.NoticeVersion, bool, error) {
	digest, ja, en := Snapshot(l)
	if v, err := store.NoticeVersionOfLedger(ctx, ledgerDigest); err == nil {
		// This ledger was recorded: its notice is the same unless this
		// binary renders it differently.
		if v.Digest == digest {
			return v, false, nil
		}
	} else if hogo.ErrorCode(err) != hogo.ENOTFOUND {
		return nil, false, err
	}
	v := &hogo.NoticeVersion{Digest: digest, Revision: l.Revision, MarkdownJa: ja, MarkdownEn: en}
	if !l.EffectiveDate.IsZero() {
		v.Effective = l.EffectiveDate.String()
	}
	e := a.Entry("notice.version")
	err := auditor.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		w, ok := tx.(hogo.NoticeWriter)
		if !ok {
			return hogo.Errorf(hogo.EINTERNAL, "the store does not record notice versions")
		}
		created, err := w.RecordNoticeVersion(ctx, v, ledgerDigest)
		if err != nil {
			return err
		}
		if !created {
			return errSeen
		}
		// The entry is sealed after the change: it can carry the number.
		e.Target = strconv.FormatInt(v.Version, 10)
		e.Detail = map[string]string{"version": e.Target, "digest": v.Digest, "effective": v.Effective,
			"revision": v.Revision, "ledger_digest": ledgerDigest}
		return nil
	}, e)
	switch {
	case errors.Is(err, errSeen):
		// Another start (or node) published this text: map this ledger
		// to it, outside the write that was rolled back.
		if _, err := store.RecordNoticeVersion(ctx, v, ledgerDigest); err != nil {
			return nil, false, err
		}
		return v, false, nil
	case err != nil:
		return nil, false, err
	}
	return v, true, nil
}

// Diff kinds.
const (
	DiffSame    = "same"
	DiffAdded   = "added"
	DiffRemoved = "removed"
)

// DiffLine is one line of a diff: in both texts (same), only in the new
// one (added) or only in the old one (removed). Old and New are its line
// numbers (from 1) in the texts it is in, else 0.
type DiffLine struct {
	Kind     string
	Text     string
	Old, New int
}

// Diff compares two texts line by line (Myers' algorithm: a shortest edit
// script, with removals before additions where a line was replaced) and
// returns every line of both, in order.
func Diff(old, new string) []DiffLine {
	a, b := splitLines(old), splitLines(new)
	// The common start and end are the same lines; the algorithm runs on
	// what is between.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out := make([]DiffLine, 0, max(len(a), len(b))+8)
	for i := 0; i < pre; i++ {
		out = append(out, DiffLine{Kind: DiffSame, Text: a[i], Old: i + 1, New: i + 1})
	}
	for _, d := range myers(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		if d.Old > 0 {
			d.Old += pre
		}
		if d.New > 0 {
			d.New += pre
		}
		out = append(out, d)
	}
	for i := 0; i < suf; i++ {
		oi, ni := len(a)-suf+i, len(b)-suf+i
		out = append(out, DiffLine{Kind: DiffSame, Text: a[oi], Old: oi + 1, New: ni + 1})
	}
	return out
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// myers returns the diff of a and b by Myers' O((N+M)D) algorithm, keeping
// for each number of edits d the furthest reaching x on diagonals -d…d,
// then walking back from the end.
func myers(a, b []string) []DiffLine {
	n, m := len(a), len(b)
	if n == 0 && m == 0 {
		return nil
	}
	limit := n + m
	off := limit + 1
	v := make([]int, 2*limit+3)
	// trace[d] holds v[-d…d] as it was before step d.
	var trace [][]int
	found := false
	for d := 0; d <= limit && !found; d++ {
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: a line of b added
			} else {
				x = v[off+k-1] + 1 // right: a line of a removed
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = true
				break
			}
		}
	}
	// Walk back from (n, m), collecting lines last first.
	var rev []DiffLine
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		vd := trace[d] // vd[k+d] is v[k] before step d
		at := func(k int) int { return vd[k+d] }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(pk)
		py := px - pk
		for x > px && y > py {
			rev = append(rev, DiffLine{Kind: DiffSame, Text: a[x-1], Old: x, New: y})
			x, y = x-1, y-1
		}
		if x == px {
			rev = append(rev, DiffLine{Kind: DiffAdded, Text: b[y-1], New: y})
			y--
		} else {
			rev = append(rev, DiffLine{Kind: DiffRemoved, Text: a[x-1], Old: x})
			x--
		}
	}
	for x > 0 && y > 0 {
		rev = append(rev, DiffLine{Kind: DiffSame, Text: a[x-1], Old: x, New: y})
		x, y = x-1, y-1
	}
	out := make([]DiffLine, len(rev))
	for i, d := range rev {
		out[len(rev)-1-i] = d
	}
	return reorder(out)
}

// reorder puts, within each run of changes, the removed lines before the
// added ones, so that a replaced passage reads old then new.
func reorder(ls []DiffLine) []DiffLine {
	for i := 0; i < len(ls); {
		if ls[i].Kind == DiffSame {
			i++
			continue
		}
		j := i
		for j < len(ls) && ls[j].Kind != DiffSame {
			j++
		}
		run := make([]DiffLine, 0, j-i)
		for _, d := range ls[i:j] {
			if d.Kind == DiffRemoved {
				run = append(run, d)
			}
		}
		for _, d := range ls[i:j] {
			if d.Kind == DiffAdded {
				run = append(run, d)
			}
		}
		copy(ls[i:j], run)
		i = j
	}
	return ls
}

// Hunk is a run of changed lines with the unchanged lines around them.
type Hunk struct {
	Lines []DiffLine
}

// Hunks keeps of a diff only the changed lines, each with up to context
// unchanged lines before and after; changes closer than that share a hunk.
// Lines that are blank and unchanged do not count as context, and are not
// shown at a hunk's edges. Two equal texts have no hunks.
func Hunks(diff []DiffLine, context int) []Hunk {
	var out []Hunk
	keep := make([]bool, len(diff))
	for i, d := range diff {
		if d.Kind == DiffSame {
			continue
		}
		keep[i] = true
		for j, n := i-1, 0; j >= 0 && n < context; j-- {
			keep[j] = true
			if strings.TrimSpace(diff[j].Text) != "" {
				n++
			}
		}
		for j, n := i+1, 0; j < len(diff) && n < context; j++ {
			keep[j] = true
			if strings.TrimSpace(diff[j].Text) != "" {
				n++
			}
		}
	}
	for i := 0; i < len(diff); {
		if !keep[i] {
			i++
			continue
		}
		j := i
		for j < len(diff) && keep[j] {
			j++
		}
		lines := diff[i:j]
		for len(lines) > 0 && lines[0].Kind == DiffSame && strings.TrimSpace(lines[0].Text) == "" {
			lines = lines[1:]
		}
		for len(lines) > 0 && lines[len(lines)-1].Kind == DiffSame && strings.TrimSpace(lines[len(lines)-1].Text) == "" {
			lines = lines[:len(lines)-1]
		}
		out = append(out, Hunk{Lines: lines})
		i = j
	}
	return out
}
