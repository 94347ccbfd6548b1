package breach

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/letter"
	"hogo.example.jp/hogo/vault"
)

// Store is what the incident register needs of a store: its table, and
// the audit log for an incident's timeline.
type Store interface {
	hogo.IncidentService
	ListAudit(ctx context.Context, f hogo.AuditFilter) ([]*hogo.AuditEntry, error)
}

// Service keeps the incident register (漏えい等の事案).
type Service struct {
	store  Store
	audit  vault.Auditor
	vault  *vault.Service
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// PreliminaryDays is the preliminary report's target (0: the default).
	PreliminaryDays int
}

// New returns the incident register.
func New(store Store, auditor vault.Auditor, v *vault.Service, ledgerFn func() (*ledger.Ledger, string)) *Service {
	return &Service{store: store, audit: auditor, vault: v, ledger: ledgerFn, Now: time.Now}
}

// Scope is how the principals affected are counted: by category (and an
// acquisition date range), by a list of principals, or an estimate when
// the data is not in the vault (paper, a processor's system).
type Scope struct {
	Categories []string `json:"categories,omitempty"`
	From       string   `json:"from,omitempty"` // YYYY-MM-DD, acquired on or after
	To         string   `json:"to,omitempty"`   // YYYY-MM-DD, acquired before
	Principals []string `json:"principals,omitempty"`
	Estimate   int      `json:"estimate,omitempty"`
}

// Facts are what is known of an incident: the items of the report (則8(1))
// and what decides the triggers. They are sealed.
type Facts struct {
	Title        string    `json:"title"`
	DiscoveredAt time.Time `json:"discovered_at"`
	DiscoveredBy string    `json:"discovered_by"`
	// The nine report items (則8(1)(i)–(ix)).
	Summary           string `json:"summary"`            // 概要
	Items             string `json:"items"`              // 漏えい等が発生し、又は発生したおそれがある個人データの項目
	Cause             string `json:"cause"`              // 原因
	SecondaryDamage   string `json:"secondary_damage"`   // 二次被害又はそのおそれの有無及びその内容
	PrincipalResponse string `json:"principal_response"` // 本人への対応の実施状況
	Publication       string `json:"publication"`        // 公表の実施状況
	Prevention        string `json:"prevention"`         // 再発防止のための措置
	Other             string `json:"other"`              // その他参考となる事項
	// The scope and the medium.
	Scope  Scope  `json:"scope"`
	Medium string `json:"medium"` // electronic, paper, device, other
	// What decides the triggers beyond the data itself.
	ItemIDs       []string `json:"item_ids,omitempty"` // ledger item IDs concerned
	Encrypted     bool     `json:"encrypted"`          // highly encrypted: no special-care trigger (則7(1))
	FinancialRisk bool     `json:"financial_risk"`     // misuse may cause financial damage (則7(2))
	UnjustPurpose bool     `json:"unjust_purpose"`     // an act for an unjust purpose (則7(3))
	// Entrustee: the data was entrusted to us; notifying the entrustor
	// promptly stands in for the report and the notices (則9 但書).
	Entrustee bool   `json:"entrustee"`
	Entrustor string `json:"entrustor,omitempty"`
	// Notices are the notices to the principals (本人への通知, APPI Art.
	// 26(2), 則10) and the substitute measures when they cannot be
	// reached.
	Notices []Notice `json:"notices,omitempty"`
	// Tasks are the actions of handling the incident (対応タスク), seeded
	// when it is recorded and kept by the protection manager. Like the
	// notices they change only through their own audited steps: an update
	// of the facts keeps them.
	Tasks []Task `json:"tasks,omitempty"`
}

// Notice is one round of notices to principals, or a substitute measure.
type Notice struct {
	Method string    `json:"method"` // NoticeMethods
	Count  int       `json:"count"`
	On     string    `json:"on"`
	Note   string    `json:"note,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Notice methods: to the principals by e-mail or letter; or, when they
// cannot be reached, the substitute measures of 則10 但書: publication, or
// an inquiry desk.
var NoticeMethods = []string{"email", "letter", "publication", "inquiry_desk"}

// Media of an incident.
var Media = []string{"electronic", "paper", "device", "other"}

// Input is an incident as recorded or updated.
type Input struct {
	KnownOn string `json:"known_on"` // YYYY-MM-DD; default today
	Facts
}

// View is an incident as the console and the API show it.
type View struct {
	ID       string    `json:"id"`
	Status   string    `json:"status"`
	KnownOn  string    `json:"known_on"`
	Affected int       `json:"affected"`
	Triggers []Trigger `json:"triggers"`
	// Missing lists the facts a report still needs.
	Missing         []string  `json:"missing"`
	Deadlines       Deadlines `json:"deadlines"`
	PreliminarySent string    `json:"preliminary_sent,omitempty"`
	FinalSent       string    `json:"final_sent,omitempty"`
	PreliminaryLeft int       `json:"preliminary_days_left"`
	FinalLeft       int       `json:"final_days_left"`
	NotifyEntrustor bool      `json:"notify_entrustor"`
	// TasksOpen and TasksOverdue count the tasks not done, and those of
	// them past their due day.
	TasksOpen    int       `json:"tasks_open"`
	TasksOverdue int       `json:"tasks_overdue"`
	Facts        *Facts    `json:"facts,omitempty"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// RecordRoles may record a discovery: everyone who may find one.
var RecordRoles = hogo.Roles

// ManageRoles update incidents and mark reports sent: the protection
// manager. The auditor reads.
var ManageRoles = []hogo.Role{hogo.RoleManager}

// ReadRoles read the register.
var ReadRoles = []hogo.Role{hogo.RoleManager, hogo.RoleAuditor}

func factsAD(id string) string { return "incident facts\x00" + id }

// missingOf lists what a report still needs (則8(1)).
func missingOf(f *Facts) []string {
	var m []string
	for _, x := range []struct {
		name, v string
	}{{"summary", f.Summary}, {"items", f.Items}, {"cause", f.Cause}, {"secondary_damage", f.SecondaryDamage},
		{"principal_response", f.PrincipalResponse}, {"publication", f.Publication}, {"prevention", f.Prevention}, {"medium", f.Medium}} {
		if strings.TrimSpace(x.v) == "" {
			m = append(m, x.name)
		}
	}
	if len(f.Scope.Categories) == 0 && len(f.Scope.Principals) == 0 && f.Scope.Estimate == 0 {
		m = append(m, "scope")
	}
	return m
}

// Decide returns the triggers an incident meets, from its facts and the
// number of principals affected.
func Decide(l *ledger.Ledger, f *Facts, affected int) []string {
	var out []string
	sensitive, mynumber := false, false
	for _, c := range l.Categories {
		if len(f.Scope.Categories) > 0 && !slices.Contains(f.Scope.Categories, c.ID) {
			continue
		}
		for _, it := range c.Items {
			if !slices.Contains(f.ItemIDs, it.ID) {
				continue
			}
			sensitive = sensitive || it.Sensitive
			mynumber = mynumber || it.MyNumber()
		}
	}
	if sensitive && !f.Encrypted {
		out = append(out, TriggerSpecialCare)
	}
	if f.FinancialRisk {
		out = append(out, TriggerFinancialDamage)
	}
	if f.UnjustPurpose {
		out = append(out, TriggerUnjustPurpose)
	}
	if affected > 1000 {
		out = append(out, TriggerOver1000)
	}
	if mynumber && !f.Encrypted {
		if f.UnjustPurpose {
			out = append(out, TriggerMyNumberUnjust)
		}
		if affected > 100 {
			out = append(out, TriggerMyNumberOver100)
		}
	}
	return out
}

func (s *Service) env() (*ledger.Ledger, error) {
	l, _ := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	return l, nil
}

// count counts the principals in scope from the vault (or takes the
// estimate).
func (s *Service) count(ctx context.Context, sc Scope) (int, error) {
	if len(sc.Categories) == 0 && len(sc.Principals) == 0 {
		return sc.Estimate, nil
	}
	var from, to time.Time
	for _, x := range []struct {
		v   string
		dst *time.Time
		f   string
	}{{sc.From, &from, "scope.from"}, {sc.To, &to, "scope.to"}} {
		if x.v == "" {
			continue
		}
		d, err := calendar.ParseDate(x.v)
		if err != nil {
			return 0, hogo.NewError(hogo.EINVALID, x.f, "日付は 2026-11-24 の形で指定してください。", "give the date as 2026-11-24")
		}
		*x.dst = d.Time(hogo.Tokyo)
	}
	n, err := s.store.CountAffected(ctx, sc.Categories, from, to, sc.Principals)
	return max(n, sc.Estimate), err
}

// check validates an input against the ledger.
func check(l *ledger.Ledger, in *Input, today calendar.Date) error {
	if in.KnownOn == "" {
		in.KnownOn = today.String()
	}
	d, err := calendar.ParseDate(in.KnownOn)
	if err != nil {
		return hogo.NewError(hogo.EINVALID, "known_on", "知った日（known_on）は 2026-11-24 の形で指定してください。", "give known_on as 2026-11-24")
	}
	if d.After(today) {
		return hogo.NewError(hogo.EINVALID, "known_on", "知った日が未来になっています。", "known_on is in the future")
	}
	if strings.TrimSpace(in.Title) == "" {
		return hogo.NewError(hogo.EINVALID, "title", "事案の件名（title）を記入してください（例: 求職者名簿の誤送信）。", "give the incident a title (e.g. job seekers' list mailed to the wrong address)")
	}
	for _, c := range in.Scope.Categories {
		if l.Category(c) == nil {
			return hogo.NewError(hogo.EINVALID, "scope.categories", "種別「%s」は台帳にありません。", "category %q is not in the ledger", c)
		}
	}
	for _, p := range in.Scope.Principals {
		if !vault.ValidID(p) {
			return hogo.NewError(hogo.EINVALID, "scope.principals", "本人IDの形が正しくありません。", "a principal ID is not well formed")
		}
	}
	if in.Scope.Estimate < 0 {
		return hogo.NewError(hogo.EINVALID, "scope.estimate", "本人の数の見込みは0以上にしてください。", "the estimate is 0 or more")
	}
	if in.Medium != "" && !slices.Contains(Media, in.Medium) {
		return hogo.NewError(hogo.EINVALID, "medium", "媒体（medium）は次のいずれかです: %s", "medium must be one of: %s", strings.Join(Media, ", "))
	}
	for _, it := range in.ItemIDs {
		found := false
		for _, c := range l.Categories {
			found = found || l.Item(c.ID, it) != nil
		}
		if !found {
			return hogo.NewError(hogo.EINVALID, "item_ids", "項目「%s」は台帳にありません。", "item %q is not in the ledger", it)
		}
	}
	if in.Entrustee && strings.TrimSpace(in.Entrustor) == "" {
		return hogo.NewError(hogo.EINVALID, "entrustor", "受託した個人データの事案では、通知する委託元（entrustor）を記入してください。",
			"for data entrusted to us, name the entrustor to notify")
	}
	return nil
}

// apply decides triggers, deadlines and status for i from in, plans the
// tasks that follow from them and seals the facts. It returns the IDs of
// the tasks it added.
func (s *Service) apply(ctx context.Context, l *ledger.Ledger, i *hogo.Incident, in *Input, a hogo.Actor, now time.Time, record bool) ([]string, error) {
	n, err := s.count(ctx, in.Scope)
	if err != nil {
		return nil, err
	}
	i.KnownOn, i.Affected = in.KnownOn, n
	i.Triggers = Decide(l, &in.Facts, n)
	i.PreliminaryDue, i.FinalDue = "", ""
	if len(i.Triggers) > 0 && !in.Entrustee {
		known, _ := calendar.ParseDate(in.KnownOn)
		d, err := Compute(known, i.Triggers, s.PreliminaryDays)
		if err != nil {
			return nil, err
		}
		i.PreliminaryDue, i.FinalDue = d.PreliminaryDue, d.FinalDue
	}
	if i.Status == "" || i.Status == hogo.IncidentDraft || i.Status == hogo.IncidentOpen {
		i.Status = hogo.IncidentOpen
		if len(missingOf(&in.Facts)) > 0 {
			// Kept as a draft; its clock runs all the same.
			i.Status = hogo.IncidentDraft
		}
	}
	added := s.planTasks(&in.Facts, i, a, now, record)
	return added, s.seal(ctx, i, &in.Facts)
}

// seal stores f in i, sealed. What is computed for showing (a task's
// overdue flag) is not stored.
func (s *Service) seal(ctx context.Context, i *hogo.Incident, f *Facts) error {
	c := *f
	c.Tasks = slices.Clone(f.Tasks)
	for k := range c.Tasks {
		c.Tasks[k].Overdue = false
	}
	b, err := json.Marshal(&c)
	if err != nil {
		return err
	}
	i.Facts, err = s.vault.SealNote(ctx, string(b), factsAD(i.ID))
	return err
}

// Record registers a discovery. An incident whose facts are incomplete is
// kept as a draft; the clock runs from the day known all the same.
func (s *Service) Record(ctx context.Context, a hogo.Actor, in Input) (*View, error) {
	if !slices.Contains(RecordRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "事案を記録できません。", "you may not record incidents")
	}
	l, err := s.env()
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if err := check(l, &in, calendar.DateOf(now)); err != nil {
		return nil, err
	}
	if in.DiscoveredAt.IsZero() {
		in.DiscoveredAt = now
	}
	if in.DiscoveredBy == "" {
		in.DiscoveredBy = a.Name
	}
	// The tasks are the register's own: seeded here, then kept through
	// AddTask and SetTask.
	in.Tasks = nil
	i := &hogo.Incident{ID: vault.NewID(now), CreatedAt: now, UpdatedAt: now}
	added, err := s.apply(ctx, l, i, &in, a, now, true)
	if err != nil {
		return nil, err
	}
	e := a.Entry("incident.record")
	e.Target = i.ID
	e.Detail = map[string]string{"status": i.Status, "known_on": i.KnownOn, "affected": strconv.Itoa(i.Affected),
		"triggers": strings.Join(i.Triggers, ","), "final_due": i.FinalDue, "tasks": strconv.Itoa(len(added))}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertIncident(ctx, i) }, e); err != nil {
		return nil, err
	}
	return s.view(i, &in.Facts, calendar.DateOf(now)), nil
}

// Update replaces an incident's facts (the protection manager), recounts
// the principals and decides the triggers and deadlines again.
func (s *Service) Update(ctx context.Context, a hogo.Actor, id string, in Input) (*View, error) {
	if !slices.Contains(ManageRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "事案の更新は個人情報保護管理者が行います。", "incidents are updated by the protection manager")
	}
	l, err := s.env()
	if err != nil {
		return nil, err
	}
	i, old, err := s.open(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if err := check(l, &in, calendar.DateOf(now)); err != nil {
		return nil, err
	}
	// The notices and the tasks have audited steps of their own, and the
	// discovery is history: an update of the facts keeps them.
	in.Notices, in.Tasks = old.Notices, old.Tasks
	if in.DiscoveredAt.IsZero() {
		in.DiscoveredAt = old.DiscoveredAt
	}
	if in.DiscoveredBy == "" {
		in.DiscoveredBy = old.DiscoveredBy
	}
	added, err := s.apply(ctx, l, i, &in, a, now, false)
	if err != nil {
		return nil, err
	}
	i.Version++
	i.UpdatedAt = now
	e := a.Entry("incident.update")
	e.Target = i.ID
	e.Detail = map[string]string{"status": i.Status, "affected": strconv.Itoa(i.Affected), "triggers": strings.Join(i.Triggers, ","),
		"final_due": i.FinalDue, "tasks": strconv.Itoa(len(added))}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateIncident(ctx, i) }, e); err != nil {
		return nil, err
	}
	return s.view(i, &in.Facts, calendar.DateOf(now)), nil
}

// MarkSent records that a report went to the PPC on a day: preliminary or
// final. The final report closes the clock.
func (s *Service) MarkSent(ctx context.Context, a hogo.Actor, id, which, on string) (*View, error) {
	if !slices.Contains(ManageRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "報告の記録は個人情報保護管理者が行います。", "reports are recorded by the protection manager")
	}
	i, f, err := s.open(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if on == "" {
		on = calendar.DateOf(now).String()
	}
	if _, err := calendar.ParseDate(on); err != nil {
		return nil, hogo.NewError(hogo.EINVALID, "on", "日付は 2026-11-24 の形で指定してください。", "give the date as 2026-11-24")
	}
	switch which {
	case "preliminary":
		i.PreliminarySent = on
	case "final":
		if m := missingOf(f); len(m) > 0 {
			return nil, hogo.NewError(hogo.ECONFLICT, "facts", "確報には報告事項がすべて必要です。不足: %s", "a final report needs every report item; missing: %s", strings.Join(m, ", "))
		}
		i.FinalSent, i.Status = on, hogo.IncidentReported
	default:
		return nil, hogo.NewError(hogo.EINVALID, "which", "preliminary（速報）か final（確報）を指定してください。", "which is preliminary or final")
	}
	e := a.Entry("incident.report_sent")
	e.Target = i.ID
	e.Detail = map[string]string{"which": which, "on": on}
	// The report's task is done with it (TaskPreliminary, TaskFinal).
	if t := openTask(f, which); t != nil {
		t.Done, t.DoneAt, t.DoneBy = true, now, a.Name
		e.Detail["task_done"] = t.ID
		if err := s.seal(ctx, i, f); err != nil {
			return nil, err
		}
	}
	i.Version++
	i.UpdatedAt = now
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateIncident(ctx, i) }, e); err != nil {
		return nil, err
	}
	return s.view(i, f, calendar.DateOf(now)), nil
}

func (s *Service) open(ctx context.Context, id string) (*hogo.Incident, *Facts, error) {
	if !vault.ValidID(id) {
		return nil, nil, hogo.NewError(hogo.ENOTFOUND, "id", "事案が見つかりません。", "no such incident")
	}
	i, err := s.store.GetIncident(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	text, err := s.vault.OpenNote(ctx, i.Facts, factsAD(i.ID))
	if err != nil {
		return nil, nil, err
	}
	var f Facts
	if err := json.Unmarshal([]byte(text), &f); err != nil {
		return nil, nil, err
	}
	return i, &f, nil
}

func (s *Service) view(i *hogo.Incident, f *Facts, today calendar.Date) *View {
	v := &View{ID: i.ID, Status: i.Status, KnownOn: i.KnownOn, Affected: i.Affected, Triggers: []Trigger{}, Missing: missingOf(f),
		PreliminarySent: i.PreliminarySent, FinalSent: i.FinalSent, NotifyEntrustor: f.Entrustee, Facts: f, Version: i.Version,
		CreatedAt: i.CreatedAt.In(hogo.Tokyo), UpdatedAt: i.UpdatedAt.In(hogo.Tokyo)}
	if v.Missing == nil {
		v.Missing = []string{}
	}
	for k := range f.Tasks {
		t := &f.Tasks[k]
		t.Overdue = t.overdue(today)
		if !t.Done {
			v.TasksOpen++
		}
		if t.Overdue {
			v.TasksOverdue++
		}
	}
	for _, t := range i.Triggers {
		if x, ok := triggerText[t]; ok {
			v.Triggers = append(v.Triggers, x)
		}
	}
	if known, err := calendar.ParseDate(i.KnownOn); err == nil && !f.Entrustee {
		if d, err := Compute(known, i.Triggers, s.PreliminaryDays); err == nil {
			v.Deadlines = *d
		}
	}
	if d, err := calendar.ParseDate(i.PreliminaryDue); err == nil {
		v.PreliminaryLeft = d.Sub(today)
	}
	if d, err := calendar.ParseDate(i.FinalDue); err == nil {
		v.FinalLeft = d.Sub(today)
	}
	return v
}

// RecordNotice records a round of notices to the principals or a
// substitute measure (the protection manager).
func (s *Service) RecordNotice(ctx context.Context, a hogo.Actor, id string, n Notice) (*View, error) {
	if !slices.Contains(ManageRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "本人への通知の記録は個人情報保護管理者が行います。", "notices are recorded by the protection manager")
	}
	if !slices.Contains(NoticeMethods, n.Method) {
		return nil, hogo.NewError(hogo.EINVALID, "method", "通知の方法は次のいずれかです: %s", "method must be one of: %s", strings.Join(NoticeMethods, ", "))
	}
	if n.Count < 0 {
		return nil, hogo.NewError(hogo.EINVALID, "count", "通知した人数は0以上にしてください。", "count is 0 or more")
	}
	now := s.Now()
	if n.On == "" {
		n.On = calendar.DateOf(now).String()
	}
	if _, err := calendar.ParseDate(n.On); err != nil {
		return nil, hogo.NewError(hogo.EINVALID, "on", "日付は 2026-11-24 の形で指定してください。", "give the date as 2026-11-24")
	}
	i, f, err := s.open(ctx, id)
	if err != nil {
		return nil, err
	}
	n.By, n.At = a.Name, now
	f.Notices = append(f.Notices, n)
	if err := s.seal(ctx, i, f); err != nil {
		return nil, err
	}
	i.Version++
	i.UpdatedAt = now
	e := a.Entry("incident.notice")
	e.Target = i.ID
	e.Detail = map[string]string{"method": n.Method, "count": strconv.Itoa(n.Count), "on": n.On}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateIncident(ctx, i) }, e); err != nil {
		return nil, err
	}
	return s.view(i, f, calendar.DateOf(now)), nil
}

// NoticePDF renders the notice to the principals (則10: summary, items,
// cause, secondary damage, other), addressed to each principal by the
// mail merge of whoever prints it.
func (s *Service) NoticePDF(ctx context.Context, a hogo.Actor, id string) ([]byte, error) {
	v, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	l, err := s.env()
	if err != nil {
		return nil, err
	}
	f := v.Facts
	or := func(x string) string {
		if strings.TrimSpace(x) == "" {
			return "（確認中）"
		}
		return x
	}
	tb := &letter.Table{Header: []string{"お知らせする事項（規則第10条）", "内容"}, Widths: []float64{1, 2.4}}
	tb.Rows = [][]string{
		{"概要", or(f.Summary)},
		{"漏えい等が発生し、又は発生したおそれがある個人データの項目", or(f.Items)},
		{"原因", or(f.Cause)},
		{"二次被害又はそのおそれの有無及びその内容", or(f.SecondaryDamage)},
		{"その他参考となる事項", or(f.Other)},
	}
	desk := []string{l.ComplaintDesk.Name.Ja}
	if len(l.ComplaintDesk.Phone) > 0 {
		desk = append(desk, "電話 "+strings.Join(l.ComplaintDesk.Phone, " / "))
	}
	if l.ComplaintDesk.Email != "" {
		desk = append(desk, "メール "+l.ComplaintDesk.Email)
	}
	lt := &letter.Letter{
		Title:     "個人情報の漏えい等に関するお知らせとお詫び",
		Date:      calendar.FormatJapanese(calendar.DateOf(s.Now())),
		Reference: []string{"事案番号 " + v.ID},
		Addressee: []string{"お客様各位"},
		Sender:    []string{l.Organization.Name.Ja, l.Organization.Address.Ja},
		Opening: []string{"このたび、当社がお預かりしているお客様の個人情報について、漏えい等が発生し、又は発生したおそれがあることが判明いたしました。" +
			"お客様に多大なるご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。個人情報の保護に関する法律第26条第2項に基づき、次のとおりお知らせいたします。"},
		Sections: []letter.Section{{Heading: "お知らせする事項", Table: tb}, {Heading: "お問い合わせ窓口", Paragraphs: desk}},
		Closing:  []string{"以上"},
		Footer:   l.Organization.Name.Ja + "　事案番号 " + v.ID,
	}
	return letter.Render(lt, letter.Options{Substitute: '〓'})
}

// Get returns an incident with its facts, audited.
func (s *Service) Get(ctx context.Context, a hogo.Actor, id string) (*View, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "事案は個人情報保護管理者と監査担当が見られます。", "incidents are for the protection manager and the auditor")
	}
	i, f, err := s.open(ctx, id)
	if err != nil {
		return nil, err
	}
	e := a.Entry("incident.read")
	e.Target = i.ID
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return s.view(i, f, calendar.DateOf(s.Now())), nil
}

// List returns the register, newest first, with titles.
func (s *Service) List(ctx context.Context, a hogo.Actor) ([]*View, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "事案は個人情報保護管理者と監査担当が見られます。", "incidents are for the protection manager and the auditor")
	}
	is, err := s.store.ListIncidents(ctx, 200)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.Now())
	out := make([]*View, 0, len(is))
	for _, i := range is {
		text, err := s.vault.OpenNote(ctx, i.Facts, factsAD(i.ID))
		if err != nil {
			return nil, err
		}
		var f Facts
		if err := json.Unmarshal([]byte(text), &f); err != nil {
			return nil, err
		}
		out = append(out, s.view(i, &f, today))
	}
	e := a.Entry("incident.list")
	e.Detail = map[string]string{"count": strconv.Itoa(len(out))}
	return out, s.audit.Append(ctx, e)
}

// ReportPDF renders the report draft with the items of 則8(1), for the
// PPC's form; missing items are marked so.
func (s *Service) ReportPDF(ctx context.Context, a hogo.Actor, id string) ([]byte, error) {
	v, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	l, err := s.env()
	if err != nil {
		return nil, err
	}
	f := v.Facts
	none := "（未記入）"
	or := func(x string) string {
		if strings.TrimSpace(x) == "" {
			return none
		}
		return x
	}
	known, _ := calendar.ParseDate(v.KnownOn)
	var trig []string
	for _, t := range v.Triggers {
		trig = append(trig, t.Ja+"（"+t.Article+"）")
	}
	if len(trig) == 0 {
		trig = []string{"該当なし（報告義務の対象外。記録として保存します）"}
	}
	items := &letter.Table{Header: []string{"報告事項（規則第8条第1項）", "内容"}, Widths: []float64{1, 2.4}}
	items.Rows = [][]string{
		{"一 概要", or(f.Summary)},
		{"二 漏えい等が発生し、又は発生したおそれがある個人データの項目", or(f.Items)},
		{"三 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数", strconv.Itoa(v.Affected) + "人"},
		{"四 原因", or(f.Cause)},
		{"五 二次被害又はそのおそれの有無及びその内容", or(f.SecondaryDamage)},
		{"六 本人への対応の実施状況", or(f.PrincipalResponse)},
		{"七 公表の実施状況", or(f.Publication)},
		{"八 再発防止のための措置", or(f.Prevention)},
		{"九 その他参考となる事項", or(f.Other)},
	}
	clock := &letter.Table{Header: []string{"項目", "日付"}, Widths: []float64{1, 2}}
	clock.Rows = append(clock.Rows, []string{"漏えい等を知った日", calendar.FormatJapaneseWithWeekday(known)})
	if v.Deadlines.Reportable {
		clock.Rows = append(clock.Rows, []string{"速報の期限（目安）", v.Deadlines.PreliminaryDueJa}, []string{"確報の期限", v.Deadlines.FinalDueJa})
	}
	lt := &letter.Letter{
		Title:     "個人データの漏えい等事案の報告（案）",
		Date:      calendar.FormatJapanese(calendar.DateOf(s.Now())),
		Reference: []string{"事案番号 " + v.ID},
		Addressee: []string{"個人情報保護委員会 御中"},
		Sender:    []string{l.Organization.Name.Ja, l.Organization.Address.Ja, "代表者 " + l.Organization.Representative.Ja},
		Opening:   []string{"個人情報の保護に関する法律第26条第1項に基づき、次のとおり報告します。（" + f.Title + "）"},
		Sections: []letter.Section{
			{Heading: "報告対象事態", Paragraphs: trig},
			{Heading: "報告事項", Table: items},
			{Heading: "期限", Table: clock, Paragraphs: []string{v.Deadlines.RuleJa}},
		},
		Closing: []string{"以上"},
		Footer:  l.Organization.Name.Ja + "　事案番号 " + v.ID,
	}
	if f.Entrustee {
		lt.Title = "個人データの漏えい等事案に関する委託元への通知（案）"
		lt.Addressee = []string{f.Entrustor + " 御中"}
		lt.Opening = []string{"受託している個人データについて漏えい等が発生したおそれがあるため、個人情報保護法施行規則第9条に基づき、次のとおり通知します。（" + f.Title + "）"}
	}
	return letter.Render(lt, letter.Options{Substitute: '〓'})
}
