package vault

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/access"
	"hogo.example.jp/hogo/ledger"
)

// ImportSpec is what every row of an import shares: one category, the
// acquisition method, and the use the import serves.
type ImportSpec struct {
	Category string
	Source   string
	Use
	// Items are the items the file's columns map to.
	Items []string
	// Purposes stated at acquisition; defaults to the category's.
	Purposes      []string
	NoticeVersion string
	AcquiredAt    time.Time
}

// ImportRow is one validated row: item IDs to canonical values (as
// CheckValue returns them). Line is where it came from, for messages.
type ImportRow struct {
	Line  int
	Items map[string]string
}

// RowProblem is a row that cannot be imported, by line and item.
type RowProblem struct {
	Line int
	Item string
	Err  error
}

// CheckImport decides whether a can import into spec's category for its
// use, and returns the category. It is what an import checks before it
// reads a single row.
func (s *Service) CheckImport(ctx context.Context, a hogo.Actor, spec *ImportSpec) (*ledger.Category, error) {
	l, _, err := s.current()
	if err != nil {
		return nil, err
	}
	probe := NewRecord{Category: spec.Category, Use: spec.Use, Source: spec.Source, Purposes: spec.Purposes, Items: map[string]string{"": ""}}
	c := l.Category(spec.Category)
	if c == nil {
		_, _, err := checkRecord(l, &probe)
		return nil, err
	}
	d := access.Decide(l, access.Request{Role: a.Role, Category: c.ID, Purpose: spec.Purpose, Op: access.Write,
		Items: spec.Items, Exception: spec.Exception, Justification: spec.Justification}, access.Subject{})
	if !d.Allowed {
		if d.Err.Code == hogo.EINVALID {
			return nil, d.Err
		}
		return nil, s.denied(ctx, a, "principal.import", "", c.ID, spec.Use, d)
	}
	if d.Exception != "" {
		return nil, hogo.NewError(hogo.EPURPOSENOTPERMITTED, "exception",
			"法令上の例外による取り込みはできません。例外による利用は一件ずつ記録し、審査を受けてください。",
			"an import cannot rely on a legal exception: record each use under an exception on its own, for review")
	}
	if err := checkSource(c, spec.Source); err != nil {
		return nil, err
	}
	for _, p := range spec.Purposes {
		if !hasRef(c.Purposes, p) {
			return nil, hogo.NewError(hogo.EINVALID, "purposes", "利用目的「%s」は種別「%s」の利用目的として宣言されていません。",
				"purpose %q is not declared for category %q", p, c.ID)
		}
	}
	return c, nil
}

// checkSource checks that source is an acquisition method of category c.
func checkSource(c *ledger.Category, source string) error {
	if source == "" {
		return hogo.NewError(hogo.EINVALID, "source", "取得方法（source）を指定してください。この種別の取得方法: %s",
			"source (how the data was acquired) is required; this category's sources: %s", refList(c.Sources))
	}
	if !hasRef(c.Sources, source) {
		return hogo.NewError(hogo.EINVALID, "source", "取得方法「%s」は種別「%s」の取得方法として台帳にありません。次のいずれかを指定してください: %s",
			"source %q is not a source of category %q in the ledger; use one of: %s", source, c.ID, refList(c.Sources))
	}
	return nil
}

// CheckRow checks what the ledger requires of a row beyond each value's
// type: its required items.
func CheckRow(c *ledger.Category, row *ImportRow) *RowProblem {
	for _, it := range c.Items {
		if it.Required && row.Items[it.ID] == "" {
			return &RowProblem{Line: row.Line, Item: it.ID, Err: hogo.NewError(hogo.EINVALID, "items."+it.ID,
				"必須項目「%[1]s」（%[2]s）が空です。", "required item %[2]q (%[3]s) is empty", it.Name.Ja, it.ID, it.Name.En)}
		}
	}
	return nil
}

// ImportBatch is the number of rows written in one transaction.
const ImportBatch = 10000

// ImportResult says what an import did.
type ImportResult struct {
	Imported int
	// RolledBack is set when a failure part-way erased what had been
	// written, so that nothing of the import remains.
	RolledBack bool
}

// Import stores one new principal per row from next (io.EOF-style: next
// returns nil, nil at the end), in batches, each batch in one transaction
// with one audit entry per principal. Rows must be valid (the caller runs
// its checks, and CheckRow, first: an import is all or nothing). If a batch
// fails, the batches already written are erased again, and the error
// returned. progress, if set, is called with the count after each batch.
func (s *Service) Import(ctx context.Context, a hogo.Actor, spec ImportSpec, next func() (*ImportRow, error), progress func(int)) (ImportResult, error) {
	var res ImportResult
	c, err := s.CheckImport(ctx, a, &spec)
	if err != nil {
		return res, err
	}
	_, digest, _ := s.current()
	in := NewRecord{Category: c.ID, Use: spec.Use, Source: spec.Source, Purposes: spec.Purposes, NoticeVersion: spec.NoticeVersion, AcquiredAt: spec.AcquiredAt}
	importID := NewID(s.Now())

	// Reading (the caller's parser) runs here; sealing — a data key per
	// principal, encryption, blind indexes — on the other cores; writing
	// on the audit log's goroutine.
	type batch struct {
		rows []*ImportRow
		ps   []*hogo.Principal
		err  error
		done chan struct{}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	todo := make(chan *batch, workers)
	ordered := make(chan *batch, workers*2)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range todo {
				now := s.Now()
				b.ps = make([]*hogo.Principal, 0, len(b.rows))
				for _, r := range b.rows {
					p, err := s.prepare(c, &in, r.Items, digest, now)
					if err != nil {
						b.err = err
						break
					}
					b.ps = append(b.ps, p)
				}
				close(b.done)
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(ordered)
		defer close(todo)
		for {
			b := &batch{done: make(chan struct{})}
			for len(b.rows) < ImportBatch {
				r, err := next()
				if err != nil {
					readErr <- err
					return
				}
				if r == nil {
					break
				}
				b.rows = append(b.rows, r)
			}
			if len(b.rows) == 0 {
				readErr <- nil
				return
			}
			select {
			case todo <- b:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
			select {
			case ordered <- b:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
		}
	}()
	var written []string
	fail := func(err error) (ImportResult, error) {
		cancel()
		for range ordered {
		}
		wg.Wait()
		if len(written) > 0 {
			// Nothing of a failed import remains.
			if rbErr := s.eraseAs(context.Background(), a, written, "import "+importID+" rolled back"); rbErr != nil {
				return res, fmt.Errorf("%w; and rolling back the %d principals already imported failed: %v", err, len(written), rbErr)
			}
			res.RolledBack = true
		}
		res.Imported = 0
		return res, err
	}
	for b := range ordered {
		<-b.done
		if b.err != nil {
			return fail(b.err)
		}
		entries := make([]*hogo.AuditEntry, len(b.ps))
		for i, p := range b.ps {
			e := entry(a, "principal.create", p.ID, c.ID, spec.Use)
			e.Target = p.Records[0].ID
			e.Detail = map[string]string{"source": spec.Source, "import": importID, "line": strconv.Itoa(b.rows[i].Line)}
			entries[i] = e
		}
		ps := b.ps
		if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertPrincipals(ctx, ps) }, entries...); err != nil {
			return fail(err)
		}
		for _, p := range ps {
			written = append(written, p.ID)
		}
		res.Imported += len(ps)
		if progress != nil {
			progress(res.Imported)
		}
	}
	wg.Wait()
	if err := <-readErr; err != nil {
		return fail(err)
	}
	e := a.Entry("import.done")
	e.Category, e.Purpose, e.Target = c.ID, spec.Purpose, importID
	e.Detail = map[string]string{"principals": strconv.Itoa(res.Imported), "source": spec.Source, "items": strings.Join(spec.Items, ",")}
	if err := s.audit.Append(ctx, e); err != nil {
		return fail(err)
	}
	return res, nil
}

// eraseAs erases principals without the role check, for the rollback of a
// failed import by the actor who made it.
func (s *Service) eraseAs(ctx context.Context, a hogo.Actor, ids []string, reason string) error {
	const chunk = 10000
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		if err := s.erase(ctx, a, part, reason, nil); err != nil {
			return err
		}
	}
	return nil
}

// ExportColumns are the items an export for a use carries: those the use
// may read, in ledger order. A refusal is audited.
func (s *Service) ExportColumns(ctx context.Context, a hogo.Actor, category string, u Use) (*ledger.Category, []string, error) {
	l, _, err := s.current()
	if err != nil {
		return nil, nil, err
	}
	if err := checkUse(u); err != nil {
		return nil, nil, err
	}
	// The columns are decided as for a principal who consented, when the
	// purpose needs consent: each principal's consent is checked row by
	// row, and those without one are left out.
	sub := access.Subject{}
	if p := l.Purpose(u.Purpose); p != nil && p.ConsentRequired {
		sub.Consented = map[string]bool{u.Purpose: true}
	}
	d := access.Decide(l, access.Request{Role: a.Role, Category: category, Purpose: u.Purpose, Op: access.Read,
		Exception: u.Exception, Justification: u.Justification}, sub)
	if !d.Allowed {
		if d.Err.Code == hogo.EPURPOSENOTPERMITTED {
			return nil, nil, s.denied(ctx, a, "principal.export", "", category, u, d)
		}
		return nil, nil, d.Err
	}
	if d.Exception != "" {
		return nil, nil, hogo.NewError(hogo.EPURPOSENOTPERMITTED, "exception",
			"法令上の例外による一括書き出しはできません。例外による利用は一件ずつ記録し、審査を受けてください。",
			"an export cannot rely on a legal exception: record each use under an exception on its own, for review")
	}
	return l.Category(category), d.Items, nil
}

// ExportHeader is the header row of an export: the principal's and the
// record's IDs, then the names of the columns' items in lang.
func ExportHeader(c *ledger.Category, cols []string, lang string) []string {
	header := append(make([]string, 0, len(cols)+2), "principal_id", "record_id")
	for _, col := range cols {
		name := col
		for _, it := range c.Items {
			if it.ID == col {
				name = it.Name.In(lang)
			}
		}
		header = append(header, name)
	}
	return header
}

// Export writes every record of a category that a use may read: the
// record's and principal's IDs, then the columns of ExportColumns (an item
// the use may not see for one principal, e.g. after a suspension, leaves
// that principal out). Every exported principal gets an audit entry, in
// batches, before its row is handed to row; it returns the number of rows.
// With limit > 0, an export that would pass it stops before auditing rows
// it will not hand over.
func (s *Service) Export(ctx context.Context, a hogo.Actor, category string, u Use, limit int, row func(cells []string) error) (int, error) {
	l, _, err := s.current()
	if err != nil {
		return 0, err
	}
	c, cols, err := s.ExportColumns(ctx, a, category, u)
	if err != nil {
		return 0, err
	}
	exportID := NewID(s.Now())
	var after hogo.RecordKey
	n := 0
	const page = 2000
	for {
		type out struct {
			principal string
			cells     []string
		}
		// The page's records the use may read, opened after the scan on
		// every core: unwrapping the data keys and decrypting is most of
		// an export's work.
		type sealed struct {
			r   *hogo.Record
			key []byte
		}
		var readable []sealed
		var last hogo.RecordKey
		now := s.Now()
		err := s.store.ScanRecords(ctx, c.ID, after, page, func(r *hogo.Record, p *hogo.Principal) error {
			last = hogo.RecordKey{PrincipalID: r.PrincipalID, ID: r.ID}
			d := access.Decide(l, access.Request{Role: a.Role, Category: c.ID, Purpose: u.Purpose, Op: access.Read, Items: cols}, subjectOf(l, p, now))
			if d.Allowed {
				readable = append(readable, sealed{r, p.WrappedKey})
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		rows := make([]out, len(readable))
		errs := make([]error, len(readable))
		workers := min(runtime.GOMAXPROCS(0), (len(readable)+255)/256)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(readable) {
						return
					}
					r := readable[i].r
					dk, err := s.keys.OpenDataKey(r.PrincipalID, readable[i].key)
					if err != nil {
						errs[i] = err
						continue
					}
					items, err := open(dk, r)
					if err != nil {
						errs[i] = err
						continue
					}
					cells := make([]string, 0, len(cols)+2)
					cells = append(cells, r.PrincipalID, r.ID)
					for _, col := range cols {
						cells = append(cells, items[col])
					}
					rows[i] = out{r.PrincipalID, cells}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return n, err
			}
		}
		if last.ID == "" {
			break
		}
		after = last
		if len(rows) == 0 {
			continue
		}
		if limit > 0 && n+len(rows) > limit {
			return n, hogo.NewError(hogo.EINVALID, "category", "書き出す件数が %d 件を超えます。hogo export コマンドを使ってください。",
				"the export has more than %d rows; use the hogo export command", limit)
		}
		entries := make([]*hogo.AuditEntry, len(rows))
		for i, r := range rows {
			e := entry(a, "principal.export", r.principal, c.ID, u)
			e.Target = exportID
			entries[i] = e
		}
		if err := s.audit.Append(ctx, entries...); err != nil {
			return n, err
		}
		for _, r := range rows {
			if err := row(r.cells); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
