// Package requests handles rights requests (開示等の請求, APPI Art. 32–35)
// from intake to answer, on the company's business days. This file is the
// intake: a request is received, numbered, given its due date and kept,
// complete or not.
package requests

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/provision"
	"hogo.example.jp/hogo/receipt"
	"hogo.example.jp/hogo/vault"
)

// Store is what the requests need of a store: their table, and the audit
// log for a request's timeline.
type Store interface {
	hogo.RequestService
	hogo.AuditService
}

// Service receives and keeps rights requests.
type Service struct {
	store  Store
	audit  vault.Auditor
	vault  *vault.Service
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Mailer sends one-time codes and answers; nil when no mail relay is
	// configured (answers by e-mail are then refused with a clear error).
	Mailer Mailer
	// MailFrom is the sender address; empty uses the complaint desk's.
	MailFrom string
	// BaseURL is the portal's public address, for links in mails.
	BaseURL string
	// Signer signs electronic disclosures; nil leaves them unsigned.
	Signer Signer
	// Provisions gives the provision records of a principal, for the
	// disclosure of provision records (APPI Art. 33(5)) and the
	// disclosure package.
	Provisions *provision.Service
	// Receipts gives the records of data received from other businesses
	// about a principal (APPI Art. 30), disclosed likewise.
	Receipts *receipt.Service

	mu     sync.Mutex
	digest string
	cal    *calendar.Calendar
}

// Mailer sends mail (package mail's Sender).
type Mailer interface {
	Send(ctx context.Context, m *mail.Message) (string, error)
}

// Signer signs documents the company issues (package audit's Key).
type Signer interface {
	ID() string
	SignDocument(data []byte) []byte
	PublicPEM() []byte
}

// New returns the requests service.
func New(store Store, auditor vault.Auditor, v *vault.Service, ledgerFn func() (*ledger.Ledger, string)) *Service {
	return &Service{store: store, audit: auditor, vault: v, ledger: ledgerFn, Now: time.Now}
}

// Requester is who asks: the principal, or an agent for them.
type Requester struct {
	Kind     string `json:"kind"` // principal or agent
	Name     string `json:"name"`
	NameKana string `json:"name_kana,omitempty"`
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Postal   string `json:"postal_code,omitempty"`
	Address  string `json:"address,omitempty"`
	// AgentKind is the kind of agent (ledger agents), for an agent.
	AgentKind string `json:"agent_kind,omitempty"`
	// PrincipalName is the principal an agent acts for.
	PrincipalName string `json:"principal_name,omitempty"`
}

// Intake is a request as received.
type Intake struct {
	Types     []string  `json:"types"`
	Channel   string    `json:"channel"`
	Requester Requester `json:"requester"`
	// ResponseMethod is how the answer is to go (ledger response
	// methods); empty leaves it to be asked.
	ResponseMethod string `json:"response_method,omitempty"`
}

// Receipt is what the requester is given: the receipt number, the secret
// to follow the request with (shown once), the due date, and what is
// missing.
type Receipt struct {
	ID            string   `json:"id"`
	ReceiptNumber string   `json:"receipt_number"`
	Secret        string   `json:"secret"`
	Status        string   `json:"status"`
	ReceivedOn    string   `json:"received_on"`
	DueOn         string   `json:"due_on"`
	DueOnJa       string   `json:"due_on_ja"`
	Missing       []string `json:"missing,omitempty"`
}

// IntakeRoles may record requests: the desk, and the protection manager.
var IntakeRoles = []hogo.Role{hogo.RoleDesk, hogo.RoleManager}

// calendarFor returns the company's calendar for the ledger in force.
func (s *Service) calendarFor(l *ledger.Ledger, digest string) (*calendar.Calendar, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cal != nil && s.digest == digest {
		return s.cal, nil
	}
	c, err := calendar.New(&l.Calendar)
	if err != nil {
		return nil, err
	}
	s.cal, s.digest = c, digest
	return c, nil
}

// receiptEncoding is Crockford's base32: no I, L, O or U, so that a number
// read out on the phone is not misheard.
var receiptEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// newReceipt returns a receipt number: the date and 40 random bits, e.g.
// 20261123-7KQ2-MX9A, so that numbers cannot be guessed from one another.
func newReceipt(on calendar.Date) string {
	var b [5]byte
	rand.Read(b[:])
	r := receiptEncoding.EncodeToString(b[:])
	return strings.ReplaceAll(on.String(), "-", "") + "-" + r[:4] + "-" + r[4:8]
}

func newSecret() (string, []byte) {
	var b [20]byte
	rand.Read(b[:])
	secret := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
	h := sha256.Sum256([]byte(secret))
	return secret, h[:]
}

func requesterAD(id string) string { return "request requester\x00" + id }

// Receive records a request. A malformed one (an unknown type or channel,
// no requester) is refused with the field at fault; one that lacks what
// can be asked for later (a way to reach the requester, the kind of agent)
// is kept as incomplete, with what is missing, and never lost.
func (s *Service) Receive(ctx context.Context, a hogo.Actor, in Intake) (*Receipt, error) {
	if !slices.Contains(IntakeRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "請求の受付は窓口（desk）か個人情報保護管理者（manager）が行います。",
			"requests are recorded by the desk or the protection manager")
	}
	return s.receive(ctx, a, in)
}

func (s *Service) receive(ctx context.Context, a hogo.Actor, in Intake) (*Receipt, error) {
	l, digest := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	if len(in.Types) == 0 {
		return nil, hogo.NewError(hogo.EINVALID, "types", "請求の種類（types）を1つ以上指定してください: %s",
			"name at least one request type: %s", strings.Join(ledger.RequestTypes, ", "))
	}
	seen := map[string]bool{}
	for _, t := range in.Types {
		if !slices.Contains(ledger.RequestTypes, t) {
			return nil, hogo.NewError(hogo.EINVALID, "types", "請求の種類「%s」はありません。次のいずれかを指定してください: %s",
				"request type %q is not known; use one of: %s", t, strings.Join(ledger.RequestTypes, ", "))
		}
		if seen[t] {
			return nil, hogo.NewError(hogo.EINVALID, "types", "請求の種類「%s」が二度指定されています。", "request type %q is named twice", t)
		}
		seen[t] = true
	}
	if !slices.Contains(ledger.Channels, in.Channel) {
		return nil, hogo.NewError(hogo.EINVALID, "channel", "受付方法（channel）は次のいずれかです: %s",
			"channel must be one of: %s", strings.Join(ledger.Channels, ", "))
	}
	rq := in.Requester
	rq.Name = strings.TrimSpace(rq.Name)
	if err := checkRequester(rq); err != nil {
		return nil, err
	}
	if in.ResponseMethod != "" && !slices.Contains(ledger.ResponseMethods, in.ResponseMethod) {
		return nil, hogo.NewError(hogo.EINVALID, "response_method", "回答方法は次のいずれかです: %s",
			"response_method must be one of: %s", strings.Join(ledger.ResponseMethods, ", "))
	}
	missing := missingOf(rq)
	cal, err := s.calendarFor(l, digest)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	received := calendar.DateOf(now)
	days := l.Requests.TargetDays
	if days == 0 {
		days = ledger.DefaultTargetDays
	}
	// Counting starts on the day the desk handles the request: a request
	// that arrives after closing or on a closing day counts from the next
	// business day (and the day of arrival itself is not counted).
	closeAt := -1
	if h := l.ComplaintDesk.Hours; h.Close.Set {
		closeAt = h.Close.Minutes
	}
	due := cal.AddBusinessDays(cal.ReceptionDay(now, closeAt), days)
	r := &hogo.RightsRequest{ID: vault.NewID(now), ReceiptNumber: newReceipt(received), Types: in.Types, Channel: in.Channel,
		RequesterKind: rq.Kind, Status: hogo.RequestReceived, Missing: missing, ReceivedOn: received.String(), DueOn: due.String(),
		CreatedAt: now, UpdatedAt: now}
	if len(missing) > 0 {
		r.Status = hogo.RequestIncomplete
	}
	for _, t := range in.Types {
		if f := l.Requests.Fees[t]; f != nil && ledger.FeeAllowed(t) {
			r.FeeDue += f.Amount
		}
	}
	secret, hash := newSecret()
	r.SecretHash = hash
	if r.Requester, err = s.sealRequester(ctx, r.ID, rq, in.ResponseMethod); err != nil {
		return nil, err
	}
	ev := &env{l: l, cal: cal, today: received, now: now}
	c := &Case{Decisions: map[string]*Decision{}}
	s.settle(r, c, ev)
	if err := s.seal(ctx, r, c); err != nil {
		return nil, err
	}
	e := a.Entry("request.receive")
	e.Target = r.ReceiptNumber
	e.Detail = map[string]string{"types": strings.Join(in.Types, ","), "channel": in.Channel, "requester": rq.Kind,
		"status": r.Status, "due_on": r.DueOn, "missing": strconv.Itoa(len(missing)), "fee": strconv.Itoa(r.FeeDue)}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertRequest(ctx, r) }, e); err != nil {
		return nil, err
	}
	return &Receipt{ID: r.ID, ReceiptNumber: r.ReceiptNumber, Secret: secret, Status: r.Status, ReceivedOn: r.ReceivedOn,
		DueOn: r.DueOn, DueOnJa: calendar.FormatJapaneseWithWeekday(due), Missing: missing}, nil
}

// PortalActor is the requester using the public portal, from remote.
func PortalActor(remote string) hogo.Actor {
	return hogo.Actor{Name: "portal", Remote: remote}
}

// ReceiveFromPortal records a request the requester sent through the
// public portal.
func (s *Service) ReceiveFromPortal(ctx context.Context, remote string, in Intake) (*Receipt, error) {
	in.Channel = "portal"
	return s.receive(ctx, PortalActor(remote), in)
}

// Status is what the requester sees of their request.
type Status struct {
	ReceiptNumber string
	Types         []string
	Status        string
	Missing       []string
	ReceivedOnJa  string
	DueOnJa       string
	Verified      bool
	FeeDue        int
	FeePaid       int
	// CodePending: a one-time code was sent and may be entered.
	CodePending bool
	// Waiting: the clock is stopped, waiting for the requester, for
	// WaitReason.
	Waiting    bool
	WaitReason string
	Answered   bool
	// HasLetter and HasArchive: the answer can be downloaded.
	HasLetter, HasArchive bool
}

// ErrNoSuchRequest is the one answer to a wrong receipt number or secret,
// so that neither can be guessed apart.
var ErrNoSuchRequest = hogo.NewError(hogo.ENOTFOUND, "receipt_number",
	"受付番号または暗証番号が正しくありません。受付時にお知らせした番号をご確認ください。",
	"the receipt number or the secret is wrong; check the ones given when the request was received")

// authenticate returns the request the receipt number and secret prove,
// auditing the attempt; a wrong number or secret gets one answer.
func (s *Service) authenticate(ctx context.Context, remote, receipt, secret string) (*hogo.RightsRequest, error) {
	r, err := s.store.FindRequestByReceipt(ctx, strings.ToUpper(strings.TrimSpace(receipt)))
	if hogo.ErrorCode(err) == hogo.ENOTFOUND {
		// Audited like a wrong secret, which also makes both answers take
		// as long.
		e := PortalActor(remote).Entry("request.lookup")
		e.Outcome = hogo.OutcomeDenied
		if err := s.audit.Append(ctx, e); err != nil {
			return nil, err
		}
		return nil, ErrNoSuchRequest
	}
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(secret))))
	if subtle.ConstantTimeCompare(h[:], r.SecretHash) != 1 {
		e := PortalActor(remote).Entry("request.lookup")
		e.Outcome, e.Target = hogo.OutcomeDenied, r.ReceiptNumber
		if err := s.audit.Append(ctx, e); err != nil {
			return nil, err
		}
		return nil, ErrNoSuchRequest
	}
	return r, nil
}

// Lookup returns a request's status for its requester, who proves it with
// the secret; the look-up is audited.
func (s *Service) Lookup(ctx context.Context, remote, receipt, secret string) (*Status, error) {
	r, err := s.authenticate(ctx, remote, receipt, secret)
	if err != nil {
		return nil, err
	}
	e := PortalActor(remote).Entry("request.lookup")
	e.Target = r.ReceiptNumber
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	c, err := s.caseOf(ctx, r)
	if err != nil {
		return nil, err
	}
	st := &Status{ReceiptNumber: r.ReceiptNumber, Types: r.Types, Status: r.Status, Missing: r.Missing, Verified: r.Verified,
		FeeDue: r.FeeDue, FeePaid: r.FeePaid, CodePending: c.Code != nil && s.Now().Before(c.Code.Expires),
		Waiting: r.PausedOn != "", Answered: c.Answer != nil && !c.Answer.SentAt.IsZero() || r.Status == hogo.RequestAnswered}
	if c.Answer != nil {
		st.HasLetter, st.HasArchive = c.Answer.LetterID != "", c.Answer.ArchiveID != ""
	}
	if p := c.openPause(); p != nil {
		st.WaitReason = p.Reason
	} else if r.PausedOn != "" && r.Status == hogo.RequestWaiting {
		st.WaitReason = WaitFee
	}
	if d, err := calendar.ParseDate(r.ReceivedOn); err == nil {
		st.ReceivedOnJa = calendar.FormatJapaneseWithWeekday(d)
	}
	if d, err := calendar.ParseDate(r.DueOn); err == nil {
		st.DueOnJa = calendar.FormatJapaneseWithWeekday(d)
	}
	return st, nil
}

// Entry is a request in the queue: nothing of the requester's details.
type Entry struct {
	ID            string   `json:"id"`
	ReceiptNumber string   `json:"receipt_number"`
	Types         []string `json:"types"`
	Channel       string   `json:"channel"`
	Requester     string   `json:"requester_kind"`
	Status        string   `json:"status"`
	Missing       []string `json:"missing,omitempty"`
	ReceivedOn    string   `json:"received_on"`
	DueOn         string   `json:"due_on"`
	DueOnJa       string   `json:"due_on_ja"`
	// BusinessDaysLeft is negative once the request is overdue.
	BusinessDaysLeft int `json:"business_days_left"`
	// Paused: the clock is stopped, waiting for the requester.
	Paused   bool   `json:"paused"`
	PausedOn string `json:"paused_on,omitempty"`
	Verified bool   `json:"verified"`
	FeeDue   int    `json:"fee_due"`
	FeePaid  int    `json:"fee_paid"`
	ClosedOn string `json:"closed_on,omitempty"`
	// Art39On is the day the two weeks of APPI Art. 39(1) run out: after
	// it the principal may sue over the request.
	Art39On   string `json:"art39_on"`
	Art39OnJa string `json:"art39_on_ja"`
	// Flag is overdue or due_soon for open requests whose clock runs.
	Flag string `json:"flag,omitempty"`
}

// entry is a request as the queue shows it on day today.
func (s *Service) entry(cal *calendar.Calendar, r *hogo.RightsRequest, today calendar.Date) Entry {
	e := Entry{ID: r.ID, ReceiptNumber: r.ReceiptNumber, Types: r.Types, Channel: r.Channel, Requester: r.RequesterKind,
		Status: r.Status, Missing: r.Missing, ReceivedOn: r.ReceivedOn, DueOn: r.DueOn, Paused: r.PausedOn != "", PausedOn: r.PausedOn,
		Verified: r.Verified, FeeDue: r.FeeDue, FeePaid: r.FeePaid, ClosedOn: r.ClosedOn}
	if rec, err := calendar.ParseDate(r.ReceivedOn); err == nil {
		a39 := rec.AddDays(Art39Days)
		e.Art39On, e.Art39OnJa = a39.String(), calendar.FormatJapaneseWithWeekday(a39)
	}
	if due, err := calendar.ParseDate(r.DueOn); err == nil {
		e.DueOnJa = calendar.FormatJapaneseWithWeekday(due)
		e.BusinessDaysLeft = cal.BusinessDaysBetween(today, due)
		if due.Before(today) {
			e.BusinessDaysLeft = -cal.BusinessDaysBetween(due, today)
		}
		if r.Open() && !e.Paused {
			switch {
			case due.Before(today):
				e.Flag = "overdue"
			case e.BusinessDaysLeft <= DueSoonDays:
				e.Flag = "due_soon"
			}
		}
	}
	return e
}

// QueueRoles see the queue: the desk, the protection manager, the auditor.
var QueueRoles = []hogo.Role{hogo.RoleDesk, hogo.RoleManager, hogo.RoleAuditor}

// Queue views.
const (
	ViewOpen    = "open"     // every open request
	ViewDueSoon = "due_soon" // open, the clock running, due within DueSoonDays business days
	ViewOverdue = "overdue"  // open, the clock running, past due
	ViewWaiting = "waiting"  // open, the clock stopped
	ViewClosed  = "closed"   // answered or withdrawn
)

// Views lists the queue views.
var Views = []string{ViewOpen, ViewDueSoon, ViewOverdue, ViewWaiting, ViewClosed}

// Queue returns the requests of a view ("" for all) by due date, with the
// business days left.
func (s *Service) Queue(ctx context.Context, a hogo.Actor, view string) ([]Entry, error) {
	if view != "" && !slices.Contains(Views, view) {
		return nil, hogo.NewError(hogo.EINVALID, "view", "一覧の種類は次のいずれかです: %s", "view must be one of: %s", strings.Join(Views, ", "))
	}
	if !slices.Contains(QueueRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "請求の一覧は窓口・個人情報保護管理者・監査担当が見られます。",
			"the request queue is for the desk, the protection manager and the auditor")
	}
	l, digest := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	cal, err := s.calendarFor(l, digest)
	if err != nil {
		return nil, err
	}
	which := ""
	switch view {
	case ViewOpen, ViewDueSoon, ViewOverdue, ViewWaiting:
		which = "open"
	case ViewClosed:
		which = "closed"
	}
	rs, err := s.store.ListRequests(ctx, which, 2000)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.Now())
	out := make([]Entry, 0, len(rs))
	for _, r := range rs {
		e := s.entry(cal, r, today)
		keep := false
		switch view {
		case "":
			keep = true
		case ViewOpen:
			keep = r.Open()
		case ViewClosed:
			keep = !r.Open()
		case ViewWaiting:
			keep = r.Open() && e.Paused
		case ViewDueSoon:
			keep = e.Flag == "due_soon"
		case ViewOverdue:
			keep = e.Flag == "overdue"
		}
		if keep {
			out = append(out, e)
		}
	}
	e := a.Entry("request.list")
	e.Detail = map[string]string{"count": strconv.Itoa(len(out)), "view": view}
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return out, nil
}

// Event is one step of a request's timeline, from the audit log.
type Event struct {
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Outcome string    `json:"outcome"`
	// Detail is the entry's detail: never personal data.
	Detail map[string]string `json:"detail,omitempty"`
}

// Detail is a request with its requester's details and its timeline.
type Detail struct {
	Entry
	Requester      Requester `json:"requester"`
	ResponseMethod string    `json:"response_method,omitempty"`
	PrincipalID    string    `json:"principal_id,omitempty"`
	Case           *Case     `json:"case"`
	Files          []File    `json:"files"`
	// Blocking lists what stops the answer (not_verified, undecided:TYPE,
	// fee_unpaid, incomplete); empty when it can go.
	Blocking []string `json:"blocking"`
	Timeline []Event  `json:"timeline"`
}

// File is a file kept with a request, without its content.
type File struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
}

// Get returns a request with the requester's details (opened and audited)
// and its timeline, oldest first.
func (s *Service) Get(ctx context.Context, a hogo.Actor, id string) (*Detail, error) {
	if !slices.Contains(QueueRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "請求の内容は窓口・個人情報保護管理者・監査担当が見られます。",
			"requests are for the desk, the protection manager and the auditor")
	}
	if !vault.ValidID(id) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "id", "請求が見つかりません。", "no such request")
	}
	r, err := s.store.GetRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	sealed, err := s.requesterOf(ctx, r)
	if err != nil {
		return nil, err
	}
	c, err := s.caseOf(ctx, r)
	if err != nil {
		return nil, err
	}
	files, err := s.store.ListRequestFiles(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	l, digest := s.ledger()
	if l == nil {
		return nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	cal, err := s.calendarFor(l, digest)
	if err != nil {
		return nil, err
	}
	e := a.Entry("request.read")
	e.Target = r.ReceiptNumber
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	entries, err := s.store.ListAudit(ctx, hogo.AuditFilter{Target: r.ReceiptNumber, Limit: 200})
	if err != nil {
		return nil, err
	}
	d := &Detail{Entry: s.entry(cal, r, calendar.DateOf(s.Now())), Requester: sealed.Requester, ResponseMethod: sealed.ResponseMethod,
		PrincipalID: r.PrincipalID, Case: c, Files: []File{}, Blocking: []string{}}
	if r.Open() {
		d.Blocking = append(d.Blocking, s.ready(r, c, l)...)
	}
	for _, f := range files {
		d.Files = append(d.Files, File{ID: f.ID, Kind: f.Kind, ContentType: f.ContentType, Size: f.Size, CreatedAt: f.CreatedAt.In(hogo.Tokyo)})
	}
	for i := len(entries) - 1; i >= 0; i-- {
		x := entries[i]
		d.Timeline = append(d.Timeline, Event{At: x.Time.In(hogo.Tokyo), Actor: x.Actor, Action: x.Action, Outcome: x.Outcome, Detail: x.Detail})
	}
	return d, nil
}
