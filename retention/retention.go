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
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Store is what retention needs of a store.
type Store interface {
	hogo.VaultService
	hogo.RetentionService
}

// Service runs retention.
type Service struct {
	store  Store
	audit  vault.Auditor
	vault  *vault.Service
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time
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

// holds is the standing holds, by kind.
type holds map[string]map[string]bool

func (s *Service) holds(ctx context.Context) (holds, error) {
	hs, err := s.store.ListHolds(ctx, false)
	if err != nil {
		return nil, err
	}
	out := holds{}
	for _, h := range hs {
		if out[h.Kind] == nil {
			out[h.Kind] = map[string]bool{}
		}
		out[h.Kind][h.Target] = true
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
}

// scan walks every record of the categories with a rule and reports the
// due ones (by horizon) that no hold keeps.
func (s *Service) scan(ctx context.Context, l *ledger.Ledger, horizon calendar.Date, hs holds, fn func(c *ledger.Category, r *hogo.Record, due calendar.Date, held bool) error) (map[string]*CategoryPreview, error) {
	out := map[string]*CategoryPreview{}
	for _, c := range l.Categories {
		if c.Retention == nil || c.Retention.Period.IsZero() {
			continue
		}
		cp := &CategoryPreview{Category: c.ID, Name: c.Name.Ja, Rule: c.Retention.Period.Describe("ja")}
		if ev := c.Retention.After.ID; ev != "" {
			cp.Rule += "（" + ev + " から）"
		}
		out[c.ID] = cp
		var after hogo.RecordKey
		for {
			n := 0
			err := s.store.ScanRecords(ctx, c.ID, after, 5000, func(r *hogo.Record, p *hogo.Principal) error {
				n++
				after = hogo.RecordKey{PrincipalID: r.PrincipalID, ID: r.ID}
				due, ok := Due(c, r)
				if !ok {
					if c.Retention.After.ID != "" && c.Retention.After.ID != EventAcquired {
						cp.Waiting++
					}
					return nil
				}
				if due.After(horizon) {
					return nil
				}
				held := hs[hogo.HoldPrincipal][r.PrincipalID] || hs[hogo.HoldCategory][c.ID]
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
			if n < 5000 {
				break
			}
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
	e := a.Entry("retention.preview")
	e.Detail = map[string]string{"horizon": pv.Horizon, "due": strconv.Itoa(pv.Due), "held": strconv.Itoa(pv.Held)}
	return pv, s.audit.Append(ctx, e)
}

// BatchSize is how many principals one sweep transaction erases.
var BatchSize = 2000

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
	for _, id := range ids {
		p, err := s.store.GetPrincipal(ctx, id)
		if err != nil {
			return nil, err
		}
		if len(p.Records) == len(found[id]) {
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
	for start := 0; start < len(whole); start += BatchSize {
		batch := whole[start:min(start+BatchSize, len(whole))]
		if err := s.vault.RetentionErase(ctx, a, d.ID, batch, nil, progress(batch, true)); err != nil {
			return nil, err
		}
	}
	partIDs := make([]string, 0, len(some))
	for id := range some {
		partIDs = append(partIDs, id)
	}
	sort.Strings(partIDs)
	for start := 0; start < len(partIDs); start += BatchSize {
		batch := partIDs[start:min(start+BatchSize, len(partIDs))]
		part := make(map[string][]string, len(batch))
		for _, id := range batch {
			part[id] = some[id]
		}
		if err := s.vault.RetentionErase(ctx, a, d.ID, nil, part, progress(batch, false)); err != nil {
			return nil, err
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
