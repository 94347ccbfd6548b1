// Package retention erases personal data once its retention period ends
// (APPI Art. 22; JIS Q 15001 A.3.4.3.2): each record's due date from its
// category's rule and the ledger event it counts from; a preview of what
// will go and when; legal holds that always win; sweeps that erase and
// leave a disposal record (廃棄記録).
package retention

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/jobs"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Store is what retention needs of a store.
type Store interface {
	hogo.VaultService
	hogo.RetentionService
	hogo.JobService
	hogo.SettingService
	hogo.AuditService
}

// Service runs retention.
type Service struct {
	store  Store
	audit  vault.Auditor
	vault  *vault.Service
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// jobs runs sweeps in the background (Register).
	jobs *jobs.Worker
	// Incidents resolves holds on incidents; without it such a hold stops
	// every sweep rather than let held data go.
	Incidents IncidentScopes
	// AuditLog removes audit entries past the ledger's
	// retention_policy.audit_log (package audit's Log); nil keeps them.
	AuditLog AuditPruner
}

// AuditPruner removes the audit entries written before a cut-off,
// leaving a signed anchor (audit.Log.Prune).
type AuditPruner interface {
	Prune(ctx context.Context, before time.Time) (*hogo.AuditPrune, error)
}

// RegisterAudit names the audit log's entries in previews and disposal
// records.
const RegisterAudit = "audit_entries"

// auditCutoff is the day before which audit entries go under the
// ledger's rule, and false when the ledger keeps them for ever.
func auditCutoff(l *ledger.Ledger, today calendar.Date) (time.Time, bool) {
	p := l.RetentionPolicy.AuditLog
	if p.IsZero() {
		return time.Time{}, false
	}
	p.N = -p.N
	return p.AddTo(today.Time(hogo.Tokyo)), true
}

// auditDue counts the audit entries a sweep on horizon would remove.
func (s *Service) auditDue(ctx context.Context, l *ledger.Ledger, horizon calendar.Date) (*CategoryPreview, error) {
	cut, ok := auditCutoff(l, horizon)
	if !ok {
		return nil, nil
	}
	seq, err := s.store.LastAuditBefore(ctx, cut)
	if err != nil {
		return nil, err
	}
	ps, err := s.store.AuditPrunes(ctx)
	if err != nil {
		return nil, err
	}
	base := int64(0)
	if len(ps) > 0 {
		base = ps[len(ps)-1].Seq
	}
	cp := &CategoryPreview{Category: RegisterAudit, Name: "監査ログ", Rule: l.RetentionPolicy.AuditLog.Describe("ja") + "（記録から）"}
	if seq > base {
		cp.Due = int(seq - base)
		cp.Earliest = calendar.DateOf(cut).String()
	}
	return cp, nil
}

// New returns the retention service.
func New(store Store, auditor vault.Auditor, v *vault.Service, ledgerFn func() (*ledger.Ledger, string)) *Service {
	return &Service{store: store, audit: auditor, vault: v, ledger: ledgerFn, Now: time.Now}
}

// Roles: the protection manager runs sweeps and places holds; the auditor
// reads the preview and the disposal records.
var (
	RunRoles  = []hogo.Role{hogo.RoleManager}
	ReadRoles = []hogo.Role{hogo.RoleManager, hogo.RoleAuditor}
)

// EventAcquired is the event every record has: its acquisition.
const EventAcquired = "acquired"

// Due returns a record's due date under its category's rule, and false
// when it has none: no rule, or the event it counts from has not happened.
func Due(c *ledger.Category, r *hogo.Record) (calendar.Date, bool) {
	if c == nil || c.Retention == nil || c.Retention.Period.IsZero() {
		return calendar.Date{}, false
	}
	base := calendar.DateOf(r.AcquiredAt)
	if ev := c.Retention.After.ID; ev != "" && ev != EventAcquired {
		on, ok := r.Events[ev]
		if !ok {
			return calendar.Date{}, false
		}
		d, err := calendar.ParseDate(on)
		if err != nil {
			return calendar.Date{}, false
		}
		base = d
	}
	return calendar.DateOf(c.Retention.Period.AddTo(base.Time(hogo.Tokyo))), true
}

// holds is the standing holds: principals and categories held, and the
// scopes of the incidents held.
type holds struct {
	principals, categories map[string]bool
	incidents              []incidentScope
}

// incidentScope is what a hold on an incident keeps: the principals it
// lists, and the records of its categories acquired in [from, to).
type incidentScope struct {
	principals, categories map[string]bool
	from, to               time.Time
}

// IncidentScopes resolves a hold on an incident to the incident's scope
// (package breach).
type IncidentScopes interface {
	HoldScope(ctx context.Context, id string) (*breach.Scope, error)
}

// covers reports whether the holds keep record r of category c.
func (h *holds) covers(c string, r *hogo.Record) bool {
	if h.principals[r.PrincipalID] || h.categories[c] {
		return true
	}
	for _, x := range h.incidents {
		if x.principals[r.PrincipalID] {
			return true
		}
		if x.categories[c] && (x.from.IsZero() || !r.AcquiredAt.Before(x.from)) && (x.to.IsZero() || r.AcquiredAt.Before(x.to)) {
			return true
		}
	}
	return false
}

// coversPrincipal reports whether the holds keep what names principal id.
func (h *holds) coversPrincipal(id string) bool {
	if h.principals[id] {
		return true
	}
	for _, x := range h.incidents {
		if x.principals[id] {
			return true
		}
	}
	return false
}

func (s *Service) holds(ctx context.Context) (*holds, error) {
	hs, err := s.store.ListHolds(ctx, false)
	if err != nil {
		return nil, err
	}
	out := &holds{principals: map[string]bool{}, categories: map[string]bool{}}
	for _, h := range hs {
		switch h.Kind {
		case hogo.HoldPrincipal:
			out.principals[h.Target] = true
		case hogo.HoldCategory:
			out.categories[h.Target] = true
		case hogo.HoldIncident:
			if s.Incidents == nil {
				return nil, hogo.NewError(hogo.EINTERNAL, "", "事案による保存の指示を解決できません。", "holds on incidents cannot be resolved: no incident register")
			}
			sc, err := s.Incidents.HoldScope(ctx, h.Target)
			if err != nil {
				// A hold that cannot be resolved must not let data go.
				return nil, err
			}
			x := incidentScope{principals: map[string]bool{}, categories: map[string]bool{}}
			for _, p := range sc.Principals {
				x.principals[p] = true
			}
			for _, c := range sc.Categories {
				x.categories[c] = true
			}
			if d, err := calendar.ParseDate(sc.From); err == nil {
				x.from = d.Time(hogo.Tokyo)
			}
			if d, err := calendar.ParseDate(sc.To); err == nil {
				x.to = d.Time(hogo.Tokyo)
			}
			out.incidents = append(out.incidents, x)
		}
	}
	return out, nil
}

// CategoryPreview is what a sweep would do in one category.
type CategoryPreview struct {
	Category string `json:"category"`
	Name     string `json:"name"`
	Rule     string `json:"rule"`
	// Due is how many records are due by the horizon; Held how many of
	// them a hold keeps; Waiting how many wait for their event.
	Due      int    `json:"due"`
	Held     int    `json:"held"`
	Waiting  int    `json:"waiting_for_event"`
	Earliest string `json:"earliest_due,omitempty"`
}

// Preview is what a sweep run on Horizon would erase.
type Preview struct {
	Horizon    string            `json:"horizon"`
	Categories []CategoryPreview `json:"categories"`
	Due        int               `json:"due"`
	Held       int               `json:"held"`
	// Items are the items with a retention of their own (individual
	// numbers), by category.item, erased from records that stay.
	Items []CategoryPreview `json:"items"`
	// Registers are the provision and receipt records whose own retention
	// (則21, 則25) ends by the horizon.
	Registers []CategoryPreview `json:"registers"`
}

// registerNames name the registers in the preview.
var registerNames = map[string][2]string{
	hogo.RegisterProvisions: {"第三者提供の記録", "作成から1年（契約書等による場合）または3年（規則21条）"},
	hogo.RegisterReceipts:   {"第三者提供を受けた際の確認記録", "作成から1年（契約書等による場合）または3年（規則25条）"},
}

type registerDue struct {
	CategoryPreview
	ids []string
}

// expiredRegisters finds the provision and receipt records kept until
// before horizon; a record naming a held principal stays.
func (s *Service) expiredRegisters(ctx context.Context, horizon calendar.Date, hs *holds) ([]registerDue, error) {
	var out []registerDue
	for _, reg := range []string{hogo.RegisterProvisions, hogo.RegisterReceipts} {
		found, err := s.store.ListExpiredRegister(ctx, reg, horizon.String())
		if err != nil {
			return nil, err
		}
		rd := registerDue{CategoryPreview: CategoryPreview{Category: reg, Name: registerNames[reg][0], Rule: registerNames[reg][1]}}
		for id, ps := range found {
			if slices.ContainsFunc(ps, hs.coversPrincipal) {
				rd.Held++
				continue
			}
			rd.Due++
			rd.ids = append(rd.ids, id)
		}
		sort.Strings(rd.ids)
		out = append(out, rd)
	}
	return out, nil
}

// scanItems finds the items whose own retention (an individual number's,
// 番号法 Art. 20) ended by horizon, in records that are not erased whole:
// per category.item a preview, and by principal and record the items due
// that no hold keeps. An item already erased (marked on its record) is
// not looked at again.
func (s *Service) scanItems(ctx context.Context, l *ledger.Ledger, horizon calendar.Date, hs *holds) ([]CategoryPreview, map[string]map[string][]string, error) {
	var previews []CategoryPreview
	due := map[string]map[string][]string{}
	for _, c := range l.Categories {
		for _, it := range c.Items {
			if it.Retention == nil || it.Retention.Period.IsZero() {
				continue
			}
			rule := *c
			rule.Retention = it.Retention
			ev := it.Retention.After.ID
			eventBased := ev != "" && ev != EventAcquired
			cp := CategoryPreview{Category: c.ID + "." + it.ID, Name: c.Name.Ja + "：" + it.Name.Ja, Rule: it.Retention.Period.Describe("ja")}
			if eventBased {
				cp.Rule += "（" + ev + " から）"
			}
			var before time.Time
			if !eventBased {
				p := it.Retention.Period
				p.N = -p.N
				before = p.AddTo(horizon.Time(hogo.Tokyo)).AddDate(0, 0, 5)
			}
			var after hogo.RetentionKey
			for {
				n := 0
				err := s.store.ScanRetention(ctx, c.ID, eventBased, before, after, scanPage, func(r *hogo.Record) error {
					n++
					after = hogo.RetentionKey{AcquiredAt: r.AcquiredAt, PrincipalID: r.PrincipalID, ID: r.ID}
					if r.Events[vault.ErasedPrefix+it.ID] != "" {
						return nil
					}
					d, ok := Due(&rule, r)
					if !ok || d.After(horizon) {
						return nil
					}
					// The whole record due first goes whole.
					if whole, ok := Due(c, r); ok && !whole.After(horizon) {
						return nil
					}
					if hs.covers(c.ID, r) {
						cp.Held++
						return nil
					}
					cp.Due++
					if cp.Earliest == "" || d.String() < cp.Earliest {
						cp.Earliest = d.String()
					}
					if due[r.PrincipalID] == nil {
						due[r.PrincipalID] = map[string][]string{}
					}
					due[r.PrincipalID][r.ID] = append(due[r.PrincipalID][r.ID], it.ID)
					return nil
				})
				if err != nil {
					return nil, nil, err
				}
				if n < scanPage {
					break
				}
			}
			previews = append(previews, cp)
		}
	}
	return previews, due, nil
}

// scanPage is how many records one read of a scan returns.
const scanPage = 20000

// scan finds, in each category with a rule, the records due by horizon,
// and reports each with whether a hold keeps it. It reads only what can
// be due: for a rule counted from an event, the records with an event
// recorded (an index holds just those); for one counted from acquisition,
// the records acquired early enough.
func (s *Service) scan(ctx context.Context, l *ledger.Ledger, horizon calendar.Date, hs *holds, fn func(c *ledger.Category, r *hogo.Record, due calendar.Date, held bool) error) (map[string]*CategoryPreview, error) {
	out := map[string]*CategoryPreview{}
	for _, c := range l.Categories {
		if c.Retention == nil || c.Retention.Period.IsZero() {
			continue
		}
		cp := &CategoryPreview{Category: c.ID, Name: c.Name.Ja, Rule: c.Retention.Period.Describe("ja")}
		ev := c.Retention.After.ID
		eventBased := ev != "" && ev != EventAcquired
		if eventBased {
			cp.Rule += "（" + ev + " から）"
		}
		out[c.ID] = cp
		// A record acquired before horizon less the period (and a few days
		// more, since months are not all alike) can be due; Due decides.
		var before time.Time
		if !eventBased {
			p := c.Retention.Period
			p.N = -p.N
			before = p.AddTo(horizon.Time(hogo.Tokyo)).AddDate(0, 0, 5)
		}
		withEvent := 0
		var after hogo.RetentionKey
		for {
			n := 0
			err := s.store.ScanRetention(ctx, c.ID, eventBased, before, after, scanPage, func(r *hogo.Record) error {
				n++
				after = hogo.RetentionKey{AcquiredAt: r.AcquiredAt, PrincipalID: r.PrincipalID, ID: r.ID}
				due, ok := Due(c, r)
				if !ok {
					return nil
				}
				withEvent++
				if due.After(horizon) {
					return nil
				}
				held := hs.covers(c.ID, r)
				if held {
					cp.Held++
				} else {
					cp.Due++
					if cp.Earliest == "" || due.String() < cp.Earliest {
						cp.Earliest = due.String()
					}
				}
				return fn(c, r, due, held)
			})
			if err != nil {
				return nil, err
			}
			if n < scanPage {
				break
			}
		}
		if eventBased {
			total, err := s.store.CountCategory(ctx, c.ID)
			if err != nil {
				return nil, err
			}
			cp.Waiting = total - withEvent
		}
	}
	return out, nil
}

func (s *Service) env() (*ledger.Ledger, error) {
	l, _ := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	return l, nil
}

// Preview says what a sweep run on horizon would erase, by category,
// without erasing anything.
func (s *Service) Preview(ctx context.Context, a hogo.Actor, horizon calendar.Date) (*Preview, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "保存期間の確認は個人情報保護管理者と監査担当が行えます。", "retention is for the protection manager and the auditor")
	}
	l, err := s.env()
	if err != nil {
		return nil, err
	}
	hs, err := s.holds(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.scan(ctx, l, horizon, hs, func(*ledger.Category, *hogo.Record, calendar.Date, bool) error { return nil })
	if err != nil {
		return nil, err
	}
	pv := &Preview{Horizon: horizon.String(), Categories: []CategoryPreview{}}
	for _, c := range l.Categories {
		if cp := cats[c.ID]; cp != nil {
			pv.Categories = append(pv.Categories, *cp)
			pv.Due += cp.Due
			pv.Held += cp.Held
		}
	}
	if pv.Items, _, err = s.scanItems(ctx, l, horizon, hs); err != nil {
		return nil, err
	}
	regs, err := s.expiredRegisters(ctx, horizon, hs)
	if err != nil {
		return nil, err
	}
	for _, r := range regs {
		pv.Registers = append(pv.Registers, r.CategoryPreview)
	}
	if cp, err := s.auditDue(ctx, l, horizon); err != nil {
		return nil, err
	} else if cp != nil {
		pv.Registers = append(pv.Registers, *cp)
	}
	e := a.Entry("retention.preview")
	e.Detail = map[string]string{"horizon": pv.Horizon, "due": strconv.Itoa(pv.Due), "held": strconv.Itoa(pv.Held)}
	return pv, s.audit.Append(ctx, e)
}

// BatchSize is the most principals one sweep transaction erases.
var BatchSize = 2000

// BatchTarget is how long one sweep transaction should hold the store's
// writer: batches grow or shrink towards it, so that the service's own
// writes (every read of personal data appends to the audit log) never
// wait long behind a sweep.
var BatchTarget = 10 * time.Millisecond

// Yield is the pause after each batch, as a share of the batch's time,
// left to the service's own work; 0 sweeps flat out.
var Yield = 0.5

// pacer sizes the batches of a sweep and paces them.
type pacer struct{ size int }

func newPacer() *pacer { return &pacer{size: min(BatchSize, 50)} }

// next returns the size of the next batch, at most left.
func (p *pacer) next(left int) int { return max(1, min(p.size, left)) }

// done adjusts the size to how long a batch of n took, and pauses.
func (p *pacer) done(ctx context.Context, n int, took time.Duration) {
	if took > 0 && n == p.size {
		want := int(float64(n) * float64(BatchTarget) / float64(took))
		p.size = min(BatchSize, max(10, min(want, 2*n)))
	}
	if Yield > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(float64(took) * Yield)):
		}
	}
}

// Run erases every record due today that no hold keeps, and writes the
// disposal record with the counts per category and who approved it. Each
// batch commits its erasures together with its counts on the disposal
// record, so a sweep killed at any point (even SIGKILL) has recorded
// exactly what it erased; the next Run resumes that disposal record, and
// since erased records are gone and due ones are found afresh, nothing is
// erased twice and nothing is skipped.
func (s *Service) Run(ctx context.Context, a hogo.Actor, approvedBy string) (*hogo.Disposal, error) {
	if !slices.Contains(RunRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "消去の実行は個人情報保護管理者が行います。", "sweeps are run by the protection manager")
	}
	if approvedBy == "" {
		return nil, hogo.NewError(hogo.EINVALID, "approved_by", "消去を承認した者（approved_by）を記録してください。", "record who approved the disposal (approved_by)")
	}
	l, err := s.env()
	if err != nil {
		return nil, err
	}
	hs, err := s.holds(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	today := calendar.DateOf(now)
	type due struct{ id, category string }
	found := map[string][]due{}
	if _, err := s.scan(ctx, l, today, hs, func(c *ledger.Category, r *hogo.Record, _ calendar.Date, held bool) error {
		if !held {
			found[r.PrincipalID] = append(found[r.PrincipalID], due{r.ID, c.ID})
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// A sweep killed before it finished is resumed.
	var d *hogo.Disposal
	ds, err := s.store.ListDisposals(ctx, 20)
	if err != nil {
		return nil, err
	}
	for _, x := range ds {
		if !x.Done {
			d = x
			break
		}
	}
	resumed := d != nil
	if d == nil {
		d = &hogo.Disposal{ID: vault.NewID(now), At: now, Actor: a.Name, ApprovedBy: approvedBy, Counts: map[string]int{}}
		e := a.Entry("retention.disposal_start")
		e.Target = d.ID
		e.Detail = map[string]string{"approved_by": approvedBy}
		if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertDisposal(ctx, d) }, e); err != nil {
			return nil, err
		}
	}
	ids := make([]string, 0, len(found))
	for id := range found {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var whole []string
	some := map[string][]string{}
	held, err := s.store.CountRecords(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if held[id] == len(found[id]) {
			whole = append(whole, id)
		} else {
			for _, x := range found[id] {
				some[id] = append(some[id], x.id)
			}
		}
	}
	progress := func(ids []string, wholeBatch bool) func(context.Context, hogo.Tx) error {
		counts := map[string]int{}
		records := 0
		for _, id := range ids {
			for _, x := range found[id] {
				counts[x.category]++
				records++
			}
		}
		principals := 0
		if wholeBatch {
			principals = len(ids)
		}
		for k, v := range counts {
			d.Counts[k] += v
		}
		d.Records += records
		d.Principals += principals
		return func(ctx context.Context, tx hogo.Tx) error {
			return tx.AddToDisposal(ctx, d.ID, counts, principals, records)
		}
	}
	pace := newPacer()
	for start := 0; start < len(whole); {
		batch := whole[start : start+pace.next(len(whole)-start)]
		t0 := time.Now()
		if err := s.vault.RetentionErase(ctx, a, d.ID, batch, nil, progress(batch, true)); err != nil {
			return nil, err
		}
		pace.done(ctx, len(batch), time.Since(t0))
		start += len(batch)
	}
	partIDs := make([]string, 0, len(some))
	for id := range some {
		partIDs = append(partIDs, id)
	}
	sort.Strings(partIDs)
	for start := 0; start < len(partIDs); {
		batch := partIDs[start : start+pace.next(len(partIDs)-start)]
		part := make(map[string][]string, len(batch))
		for _, id := range batch {
			part[id] = some[id]
		}
		t0 := time.Now()
		if err := s.vault.RetentionErase(ctx, a, d.ID, nil, part, progress(batch, false)); err != nil {
			return nil, err
		}
		pace.done(ctx, len(batch), time.Since(t0))
		start += len(batch)
	}
	// Items with a retention of their own, in the records that stay.
	_, items, err := s.scanItems(ctx, l, today, hs)
	if err != nil {
		return nil, err
	}
	itemIDs := make([]string, 0, len(items))
	for id := range items {
		itemIDs = append(itemIDs, id)
	}
	sort.Strings(itemIDs)
	for start := 0; start < len(itemIDs); {
		batch := itemIDs[start : start+pace.next(len(itemIDs)-start)]
		part := make(map[string]map[string][]string, len(batch))
		for _, id := range batch {
			part[id] = items[id]
		}
		t0 := time.Now()
		counts, err := s.vault.RetentionEraseItems(ctx, a, d.ID, part, func(counts map[string]int) func(context.Context, hogo.Tx) error {
			return func(ctx context.Context, tx hogo.Tx) error { return tx.AddToDisposal(ctx, d.ID, counts, 0, 0) }
		})
		if err != nil {
			return nil, err
		}
		for k, v := range counts {
			d.Counts[k] += v
		}
		pace.done(ctx, len(batch), time.Since(t0))
		start += len(batch)
	}
	// The registers' records whose own retention ended (則21, 則25).
	regs, err := s.expiredRegisters(ctx, today, hs)
	if err != nil {
		return nil, err
	}
	for _, r := range regs {
		for start := 0; start < len(r.ids); start += BatchSize {
			batch := r.ids[start:min(start+BatchSize, len(r.ids))]
			e := a.Entry("register.dispose")
			e.Target = d.ID
			e.Detail = map[string]string{"register": r.Category, "records": strconv.Itoa(len(batch)), "ids": strings.Join(batch, ",")}
			if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
				n, err := tx.DeleteRegisterRecords(ctx, r.Category, batch)
				if err != nil {
					return err
				}
				return tx.AddToDisposal(ctx, d.ID, map[string]int{r.Category: n}, 0, 0)
			}, e); err != nil {
				return nil, err
			}
			d.Counts[r.Category] += len(batch)
		}
	}
	// The audit log's own retention: old entries go from the start of the
	// chain, leaving a signed anchor (the prune is one transaction; its
	// count joins the disposal record after it).
	if cut, ok := auditCutoff(l, today); ok && s.AuditLog != nil {
		p, err := s.AuditLog.Prune(ctx, cut)
		if err != nil {
			return nil, err
		}
		if p != nil {
			e := a.Entry("audit.prune")
			e.Target = d.ID
			e.Detail = map[string]string{"through": strconv.FormatInt(p.Seq, 10), "removed": strconv.FormatInt(p.Removed, 10), "before": calendar.DateOf(cut).String()}
			if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
				return tx.AddToDisposal(ctx, d.ID, map[string]int{RegisterAudit: int(p.Removed)}, 0, 0)
			}, e); err != nil {
				return nil, err
			}
			d.Counts[RegisterAudit] += int(p.Removed)
		}
	}
	e := a.Entry("retention.disposal")
	e.Target = d.ID
	e.Detail = map[string]string{"records": strconv.Itoa(d.Records), "principals": strconv.Itoa(d.Principals), "approved_by": d.ApprovedBy,
		"resumed": strconv.FormatBool(resumed)}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.FinishDisposal(ctx, d.ID, s.Now()) }, e); err != nil {
		return nil, err
	}
	d.Done = true
	return d, nil
}

// Hold places a legal hold on a principal, a category or an incident's
// data; sweeps leave what it covers until it is lifted.
func (s *Service) Hold(ctx context.Context, a hogo.Actor, kind, target, reason string) (*hogo.Hold, error) {
	if !slices.Contains(RunRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "保存の指示は個人情報保護管理者が行います。", "holds are placed by the protection manager")
	}
	l, err := s.env()
	if err != nil {
		return nil, err
	}
	switch kind {
	case hogo.HoldPrincipal:
		if !vault.ValidID(target) {
			return nil, hogo.NewError(hogo.EINVALID, "target", "本人IDの形が正しくありません。", "the principal ID is not well formed")
		}
	case hogo.HoldCategory:
		if l.Category(target) == nil {
			return nil, hogo.NewError(hogo.EINVALID, "target", "種別「%s」は台帳にありません。", "category %q is not in the ledger", target)
		}
	case hogo.HoldIncident:
		if !vault.ValidID(target) {
			return nil, hogo.NewError(hogo.EINVALID, "target", "事案IDの形が正しくありません。", "the incident ID is not well formed")
		}
		if s.Incidents == nil {
			return nil, hogo.NewError(hogo.EINTERNAL, "", "事案による保存の指示を解決できません。", "holds on incidents cannot be resolved: no incident register")
		}
		if _, err := s.Incidents.HoldScope(ctx, target); err != nil {
			return nil, err
		}
	default:
		return nil, hogo.NewError(hogo.EINVALID, "kind", "保存の指示の対象は principal、category、incident のいずれかです。", "kind is principal, category or incident")
	}
	if reason == "" {
		return nil, hogo.NewError(hogo.EINVALID, "reason", "保存の理由を記入してください（例: 訴訟対応）。", "give the reason for the hold (e.g. litigation)")
	}
	now := s.Now()
	h := &hogo.Hold{ID: vault.NewID(now), Kind: kind, Target: target, PlacedBy: a.Name, PlacedAt: now}
	if h.Reason, err = s.vault.SealNote(ctx, reason, "hold reason\x00"+h.ID); err != nil {
		return nil, err
	}
	e := a.Entry("retention.hold")
	e.Target = h.ID
	e.Detail = map[string]string{"kind": kind}
	if kind == hogo.HoldPrincipal {
		e.Principal = target
	} else {
		e.Detail["target"] = target
	}
	return h, s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertHold(ctx, h) }, e)
}

// Lift ends a hold.
func (s *Service) Lift(ctx context.Context, a hogo.Actor, id string) error {
	if !slices.Contains(RunRoles, a.Role) {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "保存の指示の解除は個人情報保護管理者が行います。", "holds are lifted by the protection manager")
	}
	e := a.Entry("retention.lift")
	e.Target = id
	now := s.Now()
	return s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.LiftHold(ctx, id, now, a.Name) }, e)
}

// SetEvent records that a ledger event happened for a record on a day
// (e.g. application_closed), from which its retention counts.
func (s *Service) SetEvent(ctx context.Context, a hogo.Actor, principal, record, event, on string) error {
	if a.Role != hogo.RoleManager && a.Role != hogo.RoleStaff && a.Role != hogo.RoleDesk {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "出来事の記録は業務担当・窓口・個人情報保護管理者が行います。", "events are recorded by staff, the desk or the protection manager")
	}
	l, err := s.env()
	if err != nil {
		return err
	}
	known := false
	for _, ev := range l.Events {
		known = known || ev.ID == event
	}
	if !known {
		return hogo.NewError(hogo.EINVALID, "event", "出来事「%s」は台帳にありません。", "event %q is not in the ledger", event)
	}
	if _, err := calendar.ParseDate(on); err != nil {
		return hogo.NewError(hogo.EINVALID, "on", "日付は 2026-11-24 の形で指定してください。", "give the date as 2026-11-24")
	}
	e := a.Entry("record.event")
	e.Principal, e.Target = principal, record
	e.Detail = map[string]string{"event": event, "on": on}
	return s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error {
		return tx.SetRecordEvent(ctx, principal, record, event, on)
	}, e)
}
