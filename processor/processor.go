// Package processor keeps the processor register (委託先管理台帳): for each
// processor of the ledger, the supervision the company owes it under APPI
// Art. 25 (監督) and JIS Q 15001 A.7.3.4: the contract and the
// non-disclosure agreement, the evaluation of its security measures, the
// periodic reviews (at least yearly), the sub-entrustments approved, and
// the items entrusted to it. Every record is audited; reviews due within
// 30 days, overdue, or never made are listed as reminders.
package processor

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Store is what the register needs of a store.
type Store interface {
	hogo.ProcessorService
}

// Service keeps the register.
type Service struct {
	store  Store
	audit  vault.Auditor
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// New returns the register's service.
func New(store Store, auditor vault.Auditor, ledgerFn func() (*ledger.Ledger, string)) *Service {
	return &Service{store: store, audit: auditor, ledger: ledgerFn, Now: time.Now}
}

// RecordRoles record the supervision: the protection manager (個人情報保護
// 管理者), who answers for it (APPI Art. 25).
var RecordRoles = []hogo.Role{hogo.RoleManager}

// ReadRoles read the register: the protection manager, the auditor
// (内部監査) and the administrator.
var ReadRoles = []hogo.Role{hogo.RoleManager, hogo.RoleAuditor, hogo.RoleAdmin}

const (
	// DefaultIntervalMonths is the review interval when none is given:
	// JIS Q 15001 asks for a review of processors at least once a year.
	DefaultIntervalMonths = 12
	// MaxIntervalMonths bounds the interval for the same reason.
	MaxIntervalMonths = 12
	// DueWithinDays: a review due within this many days is a reminder.
	DueWithinDays = 30
)

// Statuses of a processor's supervision.
const (
	StatusOK      = "ok"      // the next review is more than DueWithinDays away
	StatusDue     = "due"     // due within DueWithinDays, or never evaluated
	StatusOverdue = "overdue" // the next review's date has passed
)

// Statuses lists the statuses, for filters.
var Statuses = []string{StatusOverdue, StatusDue, StatusOK}

// Issues a processor's file may have besides its review date.
const (
	IssueNotEvaluated   = "not_evaluated"   // no graded evaluation of its security measures yet
	IssueLowGrade       = "low_grade"       // the latest evaluation was C or fail
	IssueNoContract     = "no_contract"     // no entrustment contract recorded (Art. 25; JIS Q 15001 A.7.3.4)
	IssueContractEnded  = "contract_ended"  // the contract in force has ended
	IssueContractEnding = "contract_ending" // it ends within DueWithinDays
	IssueNoNDA          = "no_nda"          // no non-disclosure agreement
)

// Issues lists the issues.
var Issues = []string{IssueNotEvaluated, IssueLowGrade, IssueNoContract, IssueContractEnded, IssueContractEnding, IssueNoNDA}

// Review kinds.
const (
	KindEvaluation = "evaluation" // an evaluation of the security measures, graded
	KindReview     = "review"     // a periodic review of how the data is handled
)

// Kinds lists the review kinds.
var Kinds = []string{KindEvaluation, KindReview}

// Grades of an evaluation: A/B/C, or pass/fail.
var Grades = []string{"A", "B", "C", "pass", "fail"}

// lowGrade reports whether a grade calls for improvement before more data
// is entrusted.
func lowGrade(g string) bool { return g == "C" || g == "fail" }

// Text limits, in characters.
const (
	maxName = 200
	maxNote = 2000
)

// Entrusted is a category of the ledger whose data the processor handles,
// with the category's items.
type Entrusted struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	NameEn  string   `json:"name_en,omitempty"`
	ItemIDs []string `json:"item_ids"`
	Items   []string `json:"items"`
	ItemsEn []string `json:"items_en,omitempty"`
}

// Contract is a contract as shown.
type Contract struct {
	ID         string    `json:"id"`
	SignedOn   string    `json:"signed_on"`
	SignedJa   string    `json:"signed_ja"`
	Reference  string    `json:"reference,omitempty"`
	EndsOn     string    `json:"ends_on,omitempty"`
	EndsJa     string    `json:"ends_ja,omitempty"`
	NDA        bool      `json:"nda"`
	NDAOn      string    `json:"nda_on,omitempty"`
	NDAJa      string    `json:"nda_ja,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
	RecordedBy string    `json:"recorded_by"`
}

// Review is a review or evaluation as shown.
type Review struct {
	ID             string    `json:"id"`
	Kind           string    `json:"kind"`
	ReviewedOn     string    `json:"reviewed_on"`
	ReviewedJa     string    `json:"reviewed_ja"`
	Grade          string    `json:"grade,omitempty"`
	Evaluator      string    `json:"evaluator,omitempty"`
	Note           string    `json:"note,omitempty"`
	IntervalMonths int       `json:"interval_months"`
	RecordedAt     time.Time `json:"recorded_at"`
	RecordedBy     string    `json:"recorded_by"`
}

// SubEntrustment is an approved sub-entrustment as shown.
type SubEntrustment struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Scope      string    `json:"scope"`
	ApprovedOn string    `json:"approved_on"`
	ApprovedJa string    `json:"approved_ja"`
	ApprovedBy string    `json:"approved_by"`
	RecordedAt time.Time `json:"recorded_at"`
	RecordedBy string    `json:"recorded_by"`
}

// View is one processor of the register: the ledger's description and
// what was recorded, with the state of its supervision. Dates are
// YYYY-MM-DD, and in the Japanese era in the *Ja fields.
type View struct {
	ID             string      `json:"id"`
	Name           string      `json:"name"`
	NameEn         string      `json:"name_en,omitempty"`
	Address        string      `json:"address,omitempty"`
	Tasks          string      `json:"tasks"`
	TasksEn        string      `json:"tasks_en,omitempty"`
	ItemsText      string      `json:"items_text"`
	ForeignCountry string      `json:"foreign_country,omitempty"`
	Categories     []Entrusted `json:"categories"`
	// Contract is the contract in force (the newest recorded).
	Contract *Contract `json:"contract"`
	// Evaluation is the latest graded evaluation.
	Evaluation     *Review `json:"evaluation"`
	LastReviewOn   string  `json:"last_review_on,omitempty"`
	LastReviewJa   string  `json:"last_review_ja,omitempty"`
	IntervalMonths int     `json:"interval_months"`
	NextReviewOn   string  `json:"next_review_on,omitempty"`
	NextReviewJa   string  `json:"next_review_ja,omitempty"`
	// DaysLeft is the number of days to the next review (negative when
	// overdue); absent when no review was ever made.
	DaysLeft        *int             `json:"days_left,omitempty"`
	Status          string           `json:"status"`
	Issues          []string         `json:"issues"`
	SubEntrustments []SubEntrustment `json:"subentrustments"`
	// Reviews and Contracts are the history, newest first; only in Get.
	Reviews   []Review   `json:"reviews,omitempty"`
	Contracts []Contract `json:"contracts,omitempty"`
}

// NameIn returns the processor's name in lang, falling back to Japanese.
func (v View) NameIn(lang string) string { return in(lang, v.Name, v.NameEn) }

// TasksIn returns the tasks entrusted in lang, falling back to Japanese.
func (v View) TasksIn(lang string) string { return in(lang, v.Tasks, v.TasksEn) }

// NameIn returns the category's name in lang.
func (e Entrusted) NameIn(lang string) string { return in(lang, e.Name, e.NameEn) }

// ItemsIn returns the category's item names in lang.
func (e Entrusted) ItemsIn(lang string) []string {
	if lang == "en" && len(e.ItemsEn) == len(e.Items) {
		return e.ItemsEn
	}
	return e.Items
}

func in(lang, ja, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return ja
}

// Assessment is the state of a processor's supervision on a day.
type Assessment struct {
	Contract       *hogo.ProcessorContract
	Evaluation     *hogo.ProcessorReview
	LastReview     *hogo.ProcessorReview
	IntervalMonths int
	// NextReview is the zero Date when no review was ever made.
	NextReview calendar.Date
	DaysLeft   int
	Status     string
	Issues     []string
}

// Assess says where a processor's supervision stands on today: the
// contract in force, the latest evaluation and review, when the next
// review is due and whether it is due (within DueWithinDays, or never
// evaluated) or overdue, and what else needs attention.
func Assess(f *hogo.ProcessorFile, today calendar.Date) Assessment {
	a := Assessment{IntervalMonths: DefaultIntervalMonths}
	if n := len(f.Contracts); n > 0 {
		a.Contract = f.Contracts[n-1]
	}
	// The latest review by its date, the later recorded on a tie (reviews
	// may be recorded after the fact and out of order).
	for _, r := range f.Reviews {
		if a.LastReview == nil || r.ReviewedOn >= a.LastReview.ReviewedOn {
			a.LastReview = r
		}
		if r.Grade != "" && (a.Evaluation == nil || r.ReviewedOn >= a.Evaluation.ReviewedOn) {
			a.Evaluation = r
		}
	}
	a.Status = StatusDue
	if a.LastReview != nil {
		if a.LastReview.IntervalMonths > 0 {
			a.IntervalMonths = a.LastReview.IntervalMonths
		}
		last, _ := calendar.ParseDate(a.LastReview.ReviewedOn)
		a.NextReview = AddMonths(last, a.IntervalMonths)
		a.DaysLeft = a.NextReview.Sub(today)
		switch {
		case a.DaysLeft < 0:
			a.Status = StatusOverdue
		case a.DaysLeft > DueWithinDays && a.Evaluation != nil:
			a.Status = StatusOK
		}
	}
	if a.Evaluation == nil {
		a.Issues = append(a.Issues, IssueNotEvaluated)
	} else if lowGrade(a.Evaluation.Grade) {
		a.Issues = append(a.Issues, IssueLowGrade)
	}
	switch c := a.Contract; {
	case c == nil:
		a.Issues = append(a.Issues, IssueNoContract)
	case c.EndsOn != "":
		if end, err := calendar.ParseDate(c.EndsOn); err == nil {
			if end.Before(today) {
				a.Issues = append(a.Issues, IssueContractEnded)
			} else if end.Sub(today) <= DueWithinDays {
				a.Issues = append(a.Issues, IssueContractEnding)
			}
		}
	}
	if a.Contract != nil && !a.Contract.NDA {
		a.Issues = append(a.Issues, IssueNoNDA)
	}
	return a
}

// AddMonths adds n months to d; a day the target month lacks becomes its
// last day (2026-01-31 plus one month is 2026-02-28).
func AddMonths(d calendar.Date, n int) calendar.Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	if m %= 12; m < 0 {
		m += 12
		y--
	}
	month := time.Month(m + 1)
	last := time.Date(y, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return calendar.NewDate(y, month, min(d.Day, last))
}

func ja(iso string) string {
	if iso == "" {
		return ""
	}
	d, err := calendar.ParseDate(iso)
	if err != nil {
		return iso
	}
	return calendar.FormatJapanese(d)
}

func contractView(c *hogo.ProcessorContract) Contract {
	return Contract{ID: c.ID, SignedOn: c.SignedOn, SignedJa: ja(c.SignedOn), Reference: c.Reference, EndsOn: c.EndsOn, EndsJa: ja(c.EndsOn),
		NDA: c.NDA, NDAOn: c.NDAOn, NDAJa: ja(c.NDAOn), RecordedAt: c.RecordedAt.In(hogo.Tokyo), RecordedBy: c.RecordedBy}
}

func reviewView(r *hogo.ProcessorReview) Review {
	return Review{ID: r.ID, Kind: r.Kind, ReviewedOn: r.ReviewedOn, ReviewedJa: ja(r.ReviewedOn), Grade: r.Grade, Evaluator: r.Evaluator,
		Note: r.Note, IntervalMonths: r.IntervalMonths, RecordedAt: r.RecordedAt.In(hogo.Tokyo), RecordedBy: r.RecordedBy}
}

// view builds the register's entry for ledger processor p.
func view(l *ledger.Ledger, p *ledger.Processor, f *hogo.ProcessorFile, today calendar.Date, history bool) View {
	if f == nil {
		f = &hogo.ProcessorFile{Processor: p.ID}
	}
	v := View{ID: p.ID, Name: p.Name.Ja, NameEn: p.Name.En, Address: p.Address.Ja, Tasks: p.Tasks.Ja, TasksEn: p.Tasks.En,
		ItemsText: p.Items.Ja, Categories: []Entrusted{}, Issues: []string{}, SubEntrustments: []SubEntrustment{}}
	if p.Foreign != nil {
		v.ForeignCountry = p.Foreign.Country.Ja
	}
	for _, c := range l.Categories {
		if !slices.ContainsFunc(c.Processors, func(r ledger.Ref) bool { return r.ID == p.ID }) {
			continue
		}
		e := Entrusted{ID: c.ID, Name: c.Name.Ja, NameEn: c.Name.En}
		for _, it := range c.Items {
			e.ItemIDs = append(e.ItemIDs, it.ID)
			e.Items = append(e.Items, it.Name.Ja)
			e.ItemsEn = append(e.ItemsEn, it.Name.In("en"))
		}
		v.Categories = append(v.Categories, e)
	}
	a := Assess(f, today)
	if a.Contract != nil {
		c := contractView(a.Contract)
		v.Contract = &c
	}
	if a.Evaluation != nil {
		r := reviewView(a.Evaluation)
		v.Evaluation = &r
	}
	if a.LastReview != nil {
		v.LastReviewOn, v.LastReviewJa = a.LastReview.ReviewedOn, ja(a.LastReview.ReviewedOn)
		v.NextReviewOn, v.NextReviewJa = a.NextReview.String(), calendar.FormatJapanese(a.NextReview)
		days := a.DaysLeft
		v.DaysLeft = &days
	}
	v.IntervalMonths, v.Status = a.IntervalMonths, a.Status
	v.Issues = append(v.Issues, a.Issues...)
	for _, s := range f.SubEntrustments {
		v.SubEntrustments = append(v.SubEntrustments, SubEntrustment{ID: s.ID, Name: s.Name, Scope: s.Scope, ApprovedOn: s.ApprovedOn,
			ApprovedJa: ja(s.ApprovedOn), ApprovedBy: s.ApprovedBy, RecordedAt: s.RecordedAt.In(hogo.Tokyo), RecordedBy: s.RecordedBy})
	}
	if history {
		for i := len(f.Reviews) - 1; i >= 0; i-- {
			v.Reviews = append(v.Reviews, reviewView(f.Reviews[i]))
		}
		// By date, newest first; recorded order breaks ties.
		slices.SortStableFunc(v.Reviews, func(x, y Review) int { return strings.Compare(y.ReviewedOn, x.ReviewedOn) })
		for i := len(f.Contracts) - 1; i >= 0; i-- {
			v.Contracts = append(v.Contracts, contractView(f.Contracts[i]))
		}
	}
	return v
}

func (s *Service) loaded() (*ledger.Ledger, error) {
	l, _ := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	return l, nil
}

func mayRead(a hogo.Actor) error {
	if !slices.Contains(ReadRoles, a.Role) {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "委託先管理台帳は個人情報保護管理者・監査担当・管理者が見られます。",
			"the processor register is for the protection manager, the auditor and the administrator")
	}
	return nil
}

// List returns the register: every processor of the ledger, in ledger
// order, with the state of its supervision; status ("" for all) keeps
// only processors in that state.
func (s *Service) List(ctx context.Context, a hogo.Actor, status string) ([]View, error) {
	if err := mayRead(a); err != nil {
		return nil, err
	}
	if status != "" && !slices.Contains(Statuses, status) {
		return nil, hogo.NewError(hogo.EINVALID, "status", "status は次のいずれかです: %s", "status must be one of: %s", strings.Join(Statuses, ", "))
	}
	l, err := s.loaded()
	if err != nil {
		return nil, err
	}
	files, err := s.store.ProcessorFiles(ctx)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.Now())
	out := []View{}
	for _, p := range l.Processors {
		v := view(l, p, files[p.ID], today, false)
		if status == "" || v.Status == status {
			out = append(out, v)
		}
	}
	return out, nil
}

// Reminders returns the processors whose review is overdue, due within
// DueWithinDays, or never made: overdue first, then the earliest due;
// never reviewed ones before the others due.
func Reminders(list []View) []View {
	out := []View{}
	for _, v := range list {
		if v.Status != StatusOK {
			out = append(out, v)
		}
	}
	rank := func(v View) int {
		if v.Status == StatusOverdue {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(out, func(x, y View) int {
		if c := cmp.Compare(rank(x), rank(y)); c != 0 {
			return c
		}
		return strings.Compare(x.NextReviewOn, y.NextReviewOn)
	})
	return out
}

// Get returns one processor with its history.
func (s *Service) Get(ctx context.Context, a hogo.Actor, id string) (*View, error) {
	if err := mayRead(a); err != nil {
		return nil, err
	}
	l, p, err := s.processor(id)
	if err != nil {
		return nil, err
	}
	f, err := s.store.ProcessorFile(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	v := view(l, p, f, calendar.DateOf(s.Now()), true)
	return &v, nil
}

func (s *Service) processor(id string) (*ledger.Ledger, *ledger.Processor, error) {
	l, err := s.loaded()
	if err != nil {
		return nil, nil, err
	}
	p := l.Processor(id)
	if p == nil {
		return nil, nil, hogo.NewError(hogo.ENOTFOUND, "id", "委託先「%s」は台帳の委託先（processors）にありません。",
			"processor %q is not among the ledger's processors", id)
	}
	return l, p, nil
}

// ContractInput is a contract as recorded.
type ContractInput struct {
	SignedOn  string `json:"signed_on"`
	Reference string `json:"reference"`
	EndsOn    string `json:"ends_on"`
	NDA       bool   `json:"nda"`
	NDAOn     string `json:"nda_on"`
}

// ReviewInput is a review or evaluation as recorded. Kind defaults to
// evaluation when a grade is given, review otherwise; Evaluator to the
// one recording; IntervalMonths to DefaultIntervalMonths.
type ReviewInput struct {
	Kind           string `json:"kind"`
	ReviewedOn     string `json:"reviewed_on"`
	Grade          string `json:"grade"`
	Evaluator      string `json:"evaluator"`
	Note           string `json:"note"`
	IntervalMonths int    `json:"interval_months"`
}

// SubEntrustmentInput is an approval of a sub-entrustment as recorded;
// ApprovedBy defaults to the one recording.
type SubEntrustmentInput struct {
	Name       string `json:"name"`
	Scope      string `json:"scope"`
	ApprovedOn string `json:"approved_on"`
	ApprovedBy string `json:"approved_by"`
}

func mayRecord(a hogo.Actor) error {
	if !slices.Contains(RecordRoles, a.Role) {
		return hogo.NewError(hogo.EFORBIDDEN, "role", "委託先の監督の記録は個人情報保護管理者（manager）が行います。",
			"the supervision of processors is recorded by the protection manager")
	}
	return nil
}

// labels name the input fields in Japanese, for messages.
var labels = map[string]string{
	"signed_on": "契約締結日", "ends_on": "契約終了日", "nda_on": "秘密保持契約の締結日", "reference": "契約番号等",
	"reviewed_on": "実施日", "evaluator": "評価者", "note": "所見", "name": "再委託先の名称", "scope": "再委託の範囲",
	"approved_on": "承認日", "approved_by": "承認者",
}

// date checks a date field: required or not, and not after today when
// past is set.
func date(field, s string, required, past bool, today calendar.Date) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", hogo.NewError(hogo.EINVALID, field, "%[1]s（%[2]s）を入力してください。", "%[2]s: a date is required", labels[field], field)
		}
		return "", nil
	}
	d, err := calendar.ParseDate(s)
	if err != nil || !d.Valid() {
		return "", hogo.NewError(hogo.EINVALID, field, "%[1]s（%[2]s）は YYYY-MM-DD の形で書いてください（例: 2026-04-01）。",
			"%[2]s: write the date as YYYY-MM-DD, e.g. 2026-04-01", labels[field], field)
	}
	if past && d.After(today) {
		return "", hogo.NewError(hogo.EINVALID, field, "%[1]s（%[2]s）が未来の日付です。", "%[2]s: the date is in the future", labels[field], field)
	}
	return d.String(), nil
}

// text checks a free-text field.
func text(field, s string, required bool, limit int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" && required {
		return "", hogo.NewError(hogo.EINVALID, field, "%[1]s（%[2]s）を入力してください。", "%[2]s is required", labels[field], field)
	}
	if utf8.RuneCountInString(s) > limit {
		return "", hogo.NewError(hogo.EINVALID, field, "%[1]s（%[2]s）は%[3]d文字以内にしてください。", "%[2]s: at most %[3]d characters", labels[field], field, limit)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f }) {
		return "", hogo.NewError(hogo.EINVALID, field, "%[1]s（%[2]s）に制御文字が含まれています。", "%[2]s contains control characters", labels[field], field)
	}
	return s, nil
}

// write records one change with its audit entry and returns the
// processor as it now stands.
func (s *Service) write(ctx context.Context, p *ledger.Processor, l *ledger.Ledger, e *hogo.AuditEntry,
	apply func(context.Context, hogo.Tx) error) (*View, error) {
	e.Target = p.ID
	if err := s.audit.Write(ctx, apply, e); err != nil {
		return nil, err
	}
	f, err := s.store.ProcessorFile(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	v := view(l, p, f, calendar.DateOf(s.Now()), true)
	return &v, nil
}

// RecordContract records the entrustment contract with a processor and
// its non-disclosure agreement (APPI Art. 25; JIS Q 15001 A.7.3.4); the
// newest recorded is in force.
func (s *Service) RecordContract(ctx context.Context, a hogo.Actor, id string, in ContractInput) (*View, error) {
	if err := mayRecord(a); err != nil {
		return nil, err
	}
	l, p, err := s.processor(id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	today := calendar.DateOf(now)
	c := &hogo.ProcessorContract{ID: vault.NewID(now), Processor: p.ID, NDA: in.NDA, RecordedAt: now, RecordedBy: a.Name}
	if c.SignedOn, err = date("signed_on", in.SignedOn, true, true, today); err != nil {
		return nil, err
	}
	if c.EndsOn, err = date("ends_on", in.EndsOn, false, false, today); err != nil {
		return nil, err
	}
	if c.EndsOn != "" && c.EndsOn < c.SignedOn {
		return nil, hogo.NewError(hogo.EINVALID, "ends_on", "契約の終了日（ends_on）が締結日より前です。", "ends_on is before signed_on")
	}
	if c.NDAOn, err = date("nda_on", in.NDAOn, false, true, today); err != nil {
		return nil, err
	}
	if c.NDAOn != "" && !c.NDA {
		return nil, hogo.NewError(hogo.EINVALID, "nda", "秘密保持契約の締結日（nda_on）があるのに、秘密保持契約（nda）が「なし」です。",
			"nda_on is given but nda is false")
	}
	if c.Reference, err = text("reference", in.Reference, false, maxName); err != nil {
		return nil, err
	}
	e := a.Entry("processor.contract")
	e.Detail = map[string]string{"id": c.ID, "signed_on": c.SignedOn, "nda": strconv.FormatBool(c.NDA)}
	if c.EndsOn != "" {
		e.Detail["ends_on"] = c.EndsOn
	}
	return s.write(ctx, p, l, e, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertProcessorContract(ctx, c) })
}

// RecordReview records an evaluation of a processor's security measures
// or a periodic review (APPI Art. 25: 委託先の監督; JIS Q 15001: at least
// yearly), which sets the next review's date.
func (s *Service) RecordReview(ctx context.Context, a hogo.Actor, id string, in ReviewInput) (*View, error) {
	if err := mayRecord(a); err != nil {
		return nil, err
	}
	l, p, err := s.processor(id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	r := &hogo.ProcessorReview{ID: vault.NewID(now), Processor: p.ID, Kind: in.Kind, Grade: strings.TrimSpace(in.Grade),
		IntervalMonths: in.IntervalMonths, RecordedAt: now, RecordedBy: a.Name}
	if r.Kind == "" {
		r.Kind = KindReview
		if r.Grade != "" {
			r.Kind = KindEvaluation
		}
	}
	if !slices.Contains(Kinds, r.Kind) {
		return nil, hogo.NewError(hogo.EINVALID, "kind", "種類（kind）は evaluation（評価）か review（定期確認）です。", "kind is evaluation or review")
	}
	if r.Grade != "" && !slices.Contains(Grades, r.Grade) {
		return nil, hogo.NewError(hogo.EINVALID, "grade", "評価（grade）は次のいずれかです: %s", "grade must be one of: %s", strings.Join(Grades, ", "))
	}
	if r.Kind == KindEvaluation && r.Grade == "" {
		return nil, hogo.NewError(hogo.EINVALID, "grade", "安全管理措置の評価には評価結果（grade: %s）が必要です。",
			"an evaluation needs its grade (%s)", strings.Join(Grades, ", "))
	}
	if r.ReviewedOn, err = date("reviewed_on", in.ReviewedOn, true, true, calendar.DateOf(now)); err != nil {
		return nil, err
	}
	if r.IntervalMonths == 0 {
		r.IntervalMonths = DefaultIntervalMonths
	}
	if r.IntervalMonths < 1 || r.IntervalMonths > MaxIntervalMonths {
		return nil, hogo.NewError(hogo.EINVALID, "interval_months", "見直しの間隔（interval_months）は1〜%dか月です（少なくとも年1回）。",
			"interval_months is 1 to %d: processors are reviewed at least once a year", MaxIntervalMonths)
	}
	if r.Evaluator, err = text("evaluator", in.Evaluator, false, maxName); err != nil {
		return nil, err
	}
	if r.Evaluator == "" {
		r.Evaluator = a.Name
	}
	if r.Note, err = text("note", in.Note, false, maxNote); err != nil {
		return nil, err
	}
	e := a.Entry("processor.review")
	e.Detail = map[string]string{"id": r.ID, "kind": r.Kind, "reviewed_on": r.ReviewedOn, "interval_months": strconv.Itoa(r.IntervalMonths)}
	if r.Grade != "" {
		e.Detail["grade"] = r.Grade
	}
	return s.write(ctx, p, l, e, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertProcessorReview(ctx, r) })
}

// ApproveSubEntrustment records the approval of a sub-entrustment by a
// processor (再委託の承認; the supervision of APPI Art. 25 reaches the
// sub-processor).
func (s *Service) ApproveSubEntrustment(ctx context.Context, a hogo.Actor, id string, in SubEntrustmentInput) (*View, error) {
	if err := mayRecord(a); err != nil {
		return nil, err
	}
	l, p, err := s.processor(id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	x := &hogo.SubEntrustment{ID: vault.NewID(now), Processor: p.ID, RecordedAt: now, RecordedBy: a.Name}
	if x.Name, err = text("name", in.Name, true, maxName); err != nil {
		return nil, err
	}
	if x.Scope, err = text("scope", in.Scope, true, maxNote); err != nil {
		return nil, err
	}
	if x.ApprovedOn, err = date("approved_on", in.ApprovedOn, true, true, calendar.DateOf(now)); err != nil {
		return nil, err
	}
	if x.ApprovedBy, err = text("approved_by", in.ApprovedBy, false, maxName); err != nil {
		return nil, err
	}
	if x.ApprovedBy == "" {
		x.ApprovedBy = a.Name
	}
	e := a.Entry("processor.subentrustment")
	e.Detail = map[string]string{"id": x.ID, "approved_on": x.ApprovedOn}
	return s.write(ctx, p, l, e, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertSubEntrustment(ctx, x) })
}
