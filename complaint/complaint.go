// Package complaint is the complaint desk (苦情・相談窓口): a business handling
// personal information must deal with complaints about it appropriately
// and promptly and keep the arrangements needed to do so (APPI Art. 40);
// JIS Q 15001 A.3.6 asks for a procedure with a responsible person.
//
// A complaint is received from the portal, the phone, e-mail, post or the
// desk, under a category, and numbered with a random receipt number. Its
// acknowledgement and its answer have targets in business days (1 and 10
// by default) counted from the day the desk handles it: something arriving
// after the desk's closing time (the ledger's complaint_desk) or on a
// closing day counts from the next business day. It is then acknowledged,
// answered and closed, may be escalated to the protection manager, and may
// be linked to a rights request or an incident. Who complains, what they
// say, the notes and the answers are sealed with the vault's notes key and
// bound to the complaint's ID; audit entries carry codes and dates only.
//
// The complainant is given a secret with the receipt number, shown once
// and kept only as a hash, to follow the complaint on the portal (Lookup);
// one who gave an e-mail address on the portal, or asked the desk for a
// reply by e-mail, is sent a receipt mail (受付のお知らせ) once the
// complaint is kept (portal.go).
package complaint

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Store is what the complaint desk needs of a store: its table, and the
// requests and incidents a complaint may be linked to.
type Store interface {
	hogo.ComplaintService
	GetRequest(ctx context.Context, id string) (*hogo.RightsRequest, error)
	FindRequestByReceipt(ctx context.Context, receipt string) (*hogo.RightsRequest, error)
	GetIncident(ctx context.Context, id string) (*hogo.Incident, error)
}

// Default targets, in business days from the day the desk handles a
// complaint.
const (
	DefaultAckDays    = 1
	DefaultAnswerDays = 10
)

// Service keeps the complaints (苦情・相談, APPI Art. 40).
type Service struct {
	store  Store
	audit  vault.Auditor
	vault  *vault.Service
	ledger func() (*ledger.Ledger, string)
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// AckDays is the acknowledgement's target in business days (0: the
	// default, DefaultAckDays).
	AckDays int
	// AnswerDays is the answer's target in business days (0: the default,
	// DefaultAnswerDays).
	AnswerDays int
	// Mailer sends the receipt mails; nil when no mail relay is
	// configured (none is then sent, and the complaint says so).
	Mailer Mailer
	// MailFrom is the sender address; empty uses the complaint desk's.
	MailFrom string
	// BaseURL is the portal's public address, for the status page's
	// address in mails.
	BaseURL string

	mu     sync.Mutex
	digest string
	cal    *calendar.Calendar
}

// New returns the complaint desk.
func New(store Store, auditor vault.Auditor, v *vault.Service, ledgerFn func() (*ledger.Ledger, string)) *Service {
	return &Service{store: store, audit: auditor, vault: v, ledger: ledgerFn, Now: time.Now}
}

// Channels are the ways a complaint arrives.
var Channels = []string{"portal", "phone", "email", "post", "desk"}

// Categories are what a complaint is about: the handling of personal
// information in general, a disclosure or other request (APPI Art.
// 32–35), consent, a leak (Art. 26), marketing (direct mail, calls), the
// conduct of staff, or anything else.
var Categories = []string{"handling", "disclosure_request", "consent", "leak", "marketing", "staff_conduct", "other"}

// Steps of handling a complaint.
const (
	StepAcknowledge = "acknowledge"
	StepAnswer      = "answer"
	StepClose       = "close"
	StepEscalate    = "escalate"
	StepLink        = "link"
	StepNote        = "note"
)

// Steps lists the steps.
var Steps = []string{StepAcknowledge, StepAnswer, StepClose, StepEscalate, StepLink, StepNote}

// Queue views.
const (
	ViewOpen    = "open"    // not closed
	ViewOverdue = "overdue" // the next target day has passed
	ViewClosed  = "closed"
)

// Views lists the queue views.
var Views = []string{ViewOpen, ViewOverdue, ViewClosed}

// Who does what: the desk and the protection manager handle complaints;
// any member of staff may record one taken on the phone (or by post, at
// the desk) but sees only what they recorded; the auditor reads.
var (
	IntakeRoles = []hogo.Role{hogo.RoleStaff, hogo.RoleDesk, hogo.RoleManager}
	HandleRoles = []hogo.Role{hogo.RoleDesk, hogo.RoleManager}
	ReadRoles   = []hogo.Role{hogo.RoleDesk, hogo.RoleManager, hogo.RoleAuditor}
)

// Bounds of what is written, in characters.
const (
	MaxName      = 100
	MaxContact   = 300
	MaxStatement = 8000
	MaxNote      = 8000
)

// Complainant is who complains; every field may be empty for an anonymous
// complaint.
type Complainant struct {
	Name    string `json:"name,omitempty"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
}

// Intake is a complaint as received.
type Intake struct {
	Channel  string `json:"channel"`
	Category string `json:"category"`
	// Anonymous: the complainant gives no name (a name given is dropped);
	// a contact may still be given for the answer.
	Anonymous   bool        `json:"anonymous"`
	Complainant Complainant `json:"complainant"`
	// Statement is what the complainant says.
	Statement string `json:"statement"`
	// ReplyByEmail: the complainant asks to be answered by e-mail, at
	// Complainant.Email, and is sent a receipt mail. Always so for a
	// portal complaint that gives an address.
	ReplyByEmail bool `json:"reply_by_email,omitempty"`
	// ReceivedAt is when it arrived (RFC 3339, or 2026-12-01T10:30 in
	// Tokyo); empty for now. A letter opened today may have arrived
	// earlier.
	ReceivedAt string `json:"received_at,omitempty"`
}

// Note is a note or an answer in the case file, with who wrote it and
// when.
type Note struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Step string    `json:"step"`
	Text string    `json:"text"`
}

// File is the case file, sealed: the complainant, the statement, the
// escalation's reason and the notes, oldest first.
type File struct {
	Complainant      Complainant `json:"complainant"`
	Statement        string      `json:"statement"`
	EscalationReason string      `json:"escalation_reason,omitempty"`
	Notes            []Note      `json:"notes"`
	// ReplyByEmail: the complainant asked to be answered by e-mail.
	ReplyByEmail bool `json:"reply_by_email,omitempty"`
}

// StepInput is one step of handling.
type StepInput struct {
	Step string `json:"step"`
	// Note is the note: the answer given, the reason of an escalation or
	// of closing without an answer, how it was acknowledged.
	Note string `json:"note,omitempty"`
	// Request links a rights request by receipt number or ID; Incident
	// links an incident by ID (step link).
	Request  string `json:"request,omitempty"`
	Incident string `json:"incident,omitempty"`
	// Version, when given, must be the complaint's current version.
	Version int64 `json:"version,omitempty"`
}

// View is a complaint as the console and the API show it. File is filled
// only when a complaint is read one at a time (or by whoever recorded it).
type View struct {
	ID            string    `json:"id"`
	ReceiptNumber string    `json:"receipt_number"`
	Channel       string    `json:"channel"`
	Category      string    `json:"category"`
	Status        string    `json:"status"`
	Anonymous     bool      `json:"anonymous"`
	ReceivedAt    time.Time `json:"received_at"`
	ReceivedOn    string    `json:"received_on"`
	// The targets, with the Japanese dates.
	AckDue      string `json:"ack_due"`
	AckDueJa    string `json:"ack_due_ja"`
	AnswerDue   string `json:"answer_due"`
	AnswerDueJa string `json:"answer_due_ja"`
	// DueOn is the next target; DaysLeft the business days to it
	// (negative when past).
	DueOn    string `json:"due_on,omitempty"`
	DaysLeft int    `json:"days_left"`
	// Flag is "overdue" when the next target has passed.
	Flag string `json:"flag,omitempty"`
	// AckOverdue and AnswerOverdue: the target passed and the step is not
	// taken; AckLate and AnswerLate: it was taken after the target.
	AckOverdue     bool      `json:"ack_overdue"`
	AnswerOverdue  bool      `json:"answer_overdue"`
	AckLate        bool      `json:"ack_late"`
	AnswerLate     bool      `json:"answer_late"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	AnsweredAt     time.Time `json:"answered_at,omitzero"`
	ClosedAt       time.Time `json:"closed_at,omitzero"`
	Escalated      bool      `json:"escalated"`
	EscalatedAt    time.Time `json:"escalated_at,omitzero"`
	EscalatedBy    string    `json:"escalated_by,omitempty"`
	RequestID      string    `json:"request_id,omitempty"`
	RequestReceipt string    `json:"request_receipt,omitempty"`
	IncidentID     string    `json:"incident_id,omitempty"`
	// AckMail is what became of the receipt mail (受付のお知らせ): "" when
	// none was due, pending (being sent, or its outcome is unknown),
	// sent, failed, or off (no mail relay configured); AckMailAt is when
	// it was sent or failed.
	AckMail   string    `json:"ack_mail,omitempty"`
	AckMailAt time.Time `json:"ack_mail_at,omitzero"`
	// ManualAck: the receipt mail did not go (failed, or its outcome is
	// unknown) and the complaint is not acknowledged yet, so the desk
	// must tell the complainant it was received by other means.
	ManualAck bool `json:"manual_ack,omitempty"`
	// Secret is the secret to follow the complaint on the portal, given
	// only by the intake (shown once; only its hash is kept).
	Secret  string `json:"secret,omitempty"`
	File    *File  `json:"file,omitempty"`
	Version int64  `json:"version"`
}

func fileAD(id string) string { return "complaint file\x00" + id }

// receiptEncoding is Crockford's base32: no I, L, O or U, so that a
// number read out on the phone is not misheard.
var receiptEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// newReceipt returns a receipt number: C, the day and 40 random bits, e.g.
// C-20261201-7KQ2-MX9A, so that numbers cannot be guessed from one another.
func newReceipt(on calendar.Date) string {
	var b [5]byte
	rand.Read(b[:])
	r := receiptEncoding.EncodeToString(b[:])
	return "C-" + strings.ReplaceAll(on.String(), "-", "") + "-" + r[:4] + "-" + r[4:8]
}

// PortalActor is the complainant using the public portal, from remote.
func PortalActor(remote string) hogo.Actor {
	return hogo.Actor{Name: "portal", Remote: remote}
}

func (s *Service) env() (*ledger.Ledger, *calendar.Calendar, error) {
	l, digest := s.ledger()
	if l == nil {
		return nil, nil, hogo.NewError(hogo.EINTERNAL, "", "台帳が読み込まれていません。", "no ledger is loaded")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cal != nil && s.digest == digest {
		return l, s.cal, nil
	}
	c, err := calendar.New(&l.Calendar)
	if err != nil {
		return nil, nil, err
	}
	s.cal, s.digest = c, digest
	return l, c, nil
}

func (s *Service) ackDays() int {
	if s.AckDays > 0 {
		return s.AckDays
	}
	return DefaultAckDays
}

func (s *Service) answerDays() int {
	if s.AnswerDays > 0 {
		return s.AnswerDays
	}
	return DefaultAnswerDays
}

// Targets returns the acknowledgement's and the answer's target days for
// something that arrived at t: counted in business days from the day the
// desk handles it, which is the next business day when t is after the
// desk's closing time or on a closing day (the day of arrival itself is
// not counted).
func (s *Service) Targets(t time.Time) (ack, answer calendar.Date, err error) {
	l, cal, err := s.env()
	if err != nil {
		return ack, answer, err
	}
	return s.targets(l, cal, t)
}

func (s *Service) targets(l *ledger.Ledger, cal *calendar.Calendar, t time.Time) (ack, answer calendar.Date, err error) {
	closeAt := -1
	if h := l.ComplaintDesk.Hours; h.Close.Set {
		closeAt = h.Close.Minutes
	}
	day := cal.ReceptionDay(t, closeAt)
	return cal.AddBusinessDays(day, s.ackDays()), cal.AddBusinessDays(day, s.answerDays()), nil
}

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// parseWhen reads a time given as RFC 3339 or as a Tokyo wall-clock time.
func parseWhen(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, hogo.Tokyo); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>,;")
}

func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			digits++
		case strings.ContainsRune("-‐－ー()（） +＋", r):
		default:
			return false
		}
	}
	return digits >= 5
}

// check validates an intake, trims what is kept, and returns when it
// arrived.
func check(in *Intake, now time.Time) (time.Time, error) {
	if !slices.Contains(Channels, in.Channel) {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "channel", "受付方法（channel）は次のいずれかです: %s",
			"channel must be one of: %s", strings.Join(Channels, ", "))
	}
	if !slices.Contains(Categories, in.Category) {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "category", "分類（category）は次のいずれかです: %s",
			"category must be one of: %s", strings.Join(Categories, ", "))
	}
	c := &in.Complainant
	c.Name, c.Email, c.Phone, c.Address = strings.TrimSpace(c.Name), strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone),
		strings.TrimSpace(c.Address)
	if in.Anonymous {
		c.Name = ""
	} else if c.Name == "" {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "complainant.name", "お名前を記入してください（匿名の場合はその旨を指定してください）。",
			"give the complainant's name (or mark the complaint anonymous)")
	}
	if tooLong(c.Name, MaxName) {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "complainant.name", "お名前は%d文字までです。", "the name is at most %d characters", MaxName)
	}
	if c.Email != "" && (!validEmail(c.Email) || tooLong(c.Email, 254)) {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "complainant.email", "メールアドレスの形が正しくありません。", "the e-mail address is not well formed")
	}
	if c.Phone != "" && (!validPhone(c.Phone) || tooLong(c.Phone, 30)) {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "complainant.phone", "電話番号の形が正しくありません。", "the phone number is not well formed")
	}
	if tooLong(c.Address, MaxContact) {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "complainant.address", "住所は%d文字までです。", "the address is at most %d characters", MaxContact)
	}
	if in.ReplyByEmail && c.Email == "" {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "complainant.email", "メールでの回答を希望する場合は、メールアドレスを記入してください。",
			"a reply by e-mail needs the complainant's e-mail address")
	}
	in.Statement = strings.TrimSpace(in.Statement)
	if in.Statement == "" {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "statement", "苦情・相談の内容（statement）を記入してください。", "write what the complaint is (statement)")
	}
	if tooLong(in.Statement, MaxStatement) {
		return time.Time{}, hogo.NewError(hogo.EINVALID, "statement", "内容は%d文字までです。", "the statement is at most %d characters", MaxStatement)
	}
	at := now
	if strings.TrimSpace(in.ReceivedAt) != "" {
		t, ok := parseWhen(in.ReceivedAt)
		if !ok {
			return time.Time{}, hogo.NewError(hogo.EINVALID, "received_at", "受付日時は 2026-12-01T10:30 の形で指定してください。",
				"give received_at as 2026-12-01T10:30 (Tokyo) or in RFC 3339")
		}
		if t.After(now.Add(5 * time.Minute)) {
			return time.Time{}, hogo.NewError(hogo.EINVALID, "received_at", "受付日時が未来になっています。", "received_at is in the future")
		}
		if t.Before(now.AddDate(-1, 0, 0)) {
			return time.Time{}, hogo.NewError(hogo.EINVALID, "received_at", "受付日時が1年以上前になっています。", "received_at is more than a year ago")
		}
		at = t
	}
	return at, nil
}

// Receive records a complaint taken by staff (on the phone, from a mail
// or a letter, at the desk). Portal complaints come only through the
// portal's form.
func (s *Service) Receive(ctx context.Context, a hogo.Actor, in Intake) (*View, error) {
	if !slices.Contains(IntakeRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "苦情・相談を記録できません。", "you may not record complaints")
	}
	if in.Channel == "portal" {
		return nil, hogo.NewError(hogo.EINVALID, "channel", "公開ページからの苦情・相談はそのフォームで受け付けます。受付方法は phone・email・post・desk のいずれかです。",
			"portal complaints come through the portal's form; channel is phone, email, post or desk")
	}
	return s.receive(ctx, a, in)
}

// ReceiveFromPortal records a complaint the complainant sent through the
// public portal's form.
func (s *Service) ReceiveFromPortal(ctx context.Context, remote string, in Intake) (*View, error) {
	in.Channel, in.ReceivedAt = "portal", ""
	if in.Category == "" {
		in.Category = "other"
	}
	// Whoever leaves an address on the portal is told by mail that the
	// complaint arrived.
	in.ReplyByEmail = strings.TrimSpace(in.Complainant.Email) != ""
	return s.receive(ctx, PortalActor(remote), in)
}

func (s *Service) receive(ctx context.Context, a hogo.Actor, in Intake) (*View, error) {
	l, cal, err := s.env()
	if err != nil {
		return nil, err
	}
	now := s.Now()
	at, err := check(&in, now)
	if err != nil {
		return nil, err
	}
	ack, answer, err := s.targets(l, cal, at)
	if err != nil {
		return nil, err
	}
	received := calendar.DateOf(at)
	c := &hogo.Complaint{ID: vault.NewID(now), ReceiptNumber: newReceipt(received), Channel: in.Channel, Category: in.Category,
		Status: hogo.ComplaintReceived, Anonymous: in.Anonymous, ReceivedAt: at, ReceivedOn: received.String(), AckDue: ack.String(),
		AnswerDue: answer.String(), DueOn: ack.String(), CreatedAt: now, UpdatedAt: now}
	secret, hash := newSecret()
	c.SecretHash = hash
	if in.ReplyByEmail {
		c.AckMail = MailPending
		if s.Mailer == nil {
			c.AckMail = MailOff
		}
	}
	f := &File{Complainant: in.Complainant, Statement: in.Statement, Notes: []Note{}, ReplyByEmail: in.ReplyByEmail}
	if err := s.seal(ctx, c, f); err != nil {
		return nil, err
	}
	e := a.Entry("complaint.receive")
	e.Target = c.ReceiptNumber
	e.Detail = map[string]string{"id": c.ID, "channel": c.Channel, "category": c.Category, "anonymous": strconv.FormatBool(c.Anonymous),
		"received_on": c.ReceivedOn, "ack_due": c.AckDue, "answer_due": c.AnswerDue}
	if c.AckMail != "" {
		e.Detail["ack_mail"] = c.AckMail
	}
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.InsertComplaint(ctx, c) }, e); err != nil {
		return nil, err
	}
	// The complaint is kept before the mail goes: a mail that fails
	// loses nothing, and the desk sees that it must acknowledge by hand.
	if c.AckMail == MailPending {
		c = s.sendAck(ctx, a, l, c, f)
	}
	v := s.view(cal, c, f, calendar.DateOf(now))
	v.Secret = secret
	return v, nil
}

func (s *Service) seal(ctx context.Context, c *hogo.Complaint, f *File) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	c.Sealed, err = s.vault.SealNote(ctx, string(b), fileAD(c.ID))
	return err
}

func (s *Service) open(ctx context.Context, c *hogo.Complaint) (*File, error) {
	text, err := s.vault.OpenNote(ctx, c.Sealed, fileAD(c.ID))
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal([]byte(text), &f); err != nil {
		return nil, err
	}
	if f.Notes == nil {
		f.Notes = []Note{}
	}
	return &f, nil
}

// find returns a complaint by ID or receipt number.
func (s *Service) find(ctx context.Context, id string) (*hogo.Complaint, error) {
	id = strings.TrimSpace(id)
	switch {
	case vault.ValidID(id):
		return s.store.GetComplaint(ctx, id)
	case len(id) > 2 && strings.EqualFold(id[:2], "C-") && len(id) <= 32:
		return s.store.FindComplaintByReceipt(ctx, strings.ToUpper(id))
	}
	return nil, hogo.NewError(hogo.ENOTFOUND, "id", "苦情・相談が見つかりません。", "no such complaint")
}

// late reports whether a step taken at done missed its target day due;
// a step not taken is late once today is past the target.
func late(done time.Time, due string, today calendar.Date) bool {
	d, err := calendar.ParseDate(due)
	if err != nil {
		return false
	}
	if done.IsZero() {
		return today.After(d)
	}
	return calendar.DateOf(done).After(d)
}

func (s *Service) view(cal *calendar.Calendar, c *hogo.Complaint, f *File, today calendar.Date) *View {
	v := &View{ID: c.ID, ReceiptNumber: c.ReceiptNumber, Channel: c.Channel, Category: c.Category, Status: c.Status, Anonymous: c.Anonymous,
		ReceivedAt: c.ReceivedAt.In(hogo.Tokyo), ReceivedOn: c.ReceivedOn, AckDue: c.AckDue, AnswerDue: c.AnswerDue, DueOn: c.DueOn,
		Escalated: !c.EscalatedAt.IsZero(), EscalatedBy: c.EscalatedBy, RequestID: c.RequestID, RequestReceipt: c.RequestReceipt,
		IncidentID: c.IncidentID, AckMail: c.AckMail, File: f, Version: c.Version}
	if !c.AckMailAt.IsZero() {
		v.AckMailAt = c.AckMailAt.In(hogo.Tokyo)
	}
	// A mail still pending long after the intake never reported back (the
	// server stopped while sending): its outcome is unknown.
	stale := c.AckMail == MailPending && s.Now().Sub(c.CreatedAt) > 2*MailTimeout
	v.ManualAck = (c.AckMail == MailFailed || stale) && c.Status == hogo.ComplaintReceived
	for _, x := range []struct {
		t   time.Time
		dst *time.Time
	}{{c.AcknowledgedAt, &v.AcknowledgedAt}, {c.AnsweredAt, &v.AnsweredAt}, {c.ClosedAt, &v.ClosedAt}, {c.EscalatedAt, &v.EscalatedAt}} {
		if !x.t.IsZero() {
			*x.dst = x.t.In(hogo.Tokyo)
		}
	}
	if d, err := calendar.ParseDate(c.AckDue); err == nil {
		v.AckDueJa = calendar.FormatJapaneseWithWeekday(d)
	}
	if d, err := calendar.ParseDate(c.AnswerDue); err == nil {
		v.AnswerDueJa = calendar.FormatJapaneseWithWeekday(d)
	}
	closed := c.Status == hogo.ComplaintClosed
	if c.AcknowledgedAt.IsZero() {
		v.AckOverdue = !closed && late(c.AcknowledgedAt, c.AckDue, today)
	} else {
		v.AckLate = late(c.AcknowledgedAt, c.AckDue, today)
	}
	if c.AnsweredAt.IsZero() {
		v.AnswerOverdue = !closed && late(c.AnsweredAt, c.AnswerDue, today)
	} else {
		v.AnswerLate = late(c.AnsweredAt, c.AnswerDue, today)
	}
	if d, err := calendar.ParseDate(c.DueOn); err == nil && !closed {
		v.DaysLeft = cal.BusinessDaysBetween(today, d)
		if today.After(d) {
			v.Flag = "overdue"
		}
	}
	return v
}

// Get returns a complaint with its case file, by ID or receipt number;
// the read is audited.
func (s *Service) Get(ctx context.Context, a hogo.Actor, id string) (*View, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "苦情・相談は窓口・個人情報保護管理者・監査担当が見られます。",
			"complaints are for the desk, the protection manager and the auditor")
	}
	_, cal, err := s.env()
	if err != nil {
		return nil, err
	}
	c, err := s.find(ctx, id)
	if err != nil {
		return nil, err
	}
	f, err := s.open(ctx, c)
	if err != nil {
		return nil, err
	}
	e := a.Entry("complaint.read")
	e.Target = c.ReceiptNumber
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return s.view(cal, c, f, calendar.DateOf(s.Now())), nil
}

// Queue returns the complaints of a view ("" for all) by their next
// target day, without their case files; the listing is audited.
func (s *Service) Queue(ctx context.Context, a hogo.Actor, view string) ([]*View, error) {
	if view != "" && !slices.Contains(Views, view) {
		return nil, hogo.NewError(hogo.EINVALID, "view", "一覧の種類は次のいずれかです: %s", "view must be one of: %s", strings.Join(Views, ", "))
	}
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "苦情・相談は窓口・個人情報保護管理者・監査担当が見られます。",
			"complaints are for the desk, the protection manager and the auditor")
	}
	_, cal, err := s.env()
	if err != nil {
		return nil, err
	}
	which := ""
	switch view {
	case ViewOpen, ViewOverdue:
		which = "open"
	case ViewClosed:
		which = "closed"
	}
	cs, err := s.store.ListComplaints(ctx, which, 2000)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.Now())
	out := make([]*View, 0, len(cs))
	for _, c := range cs {
		v := s.view(cal, c, nil, today)
		if view == ViewOverdue && v.Flag != "overdue" {
			continue
		}
		out = append(out, v)
	}
	e := a.Entry("complaint.list")
	e.Detail = map[string]string{"count": strconv.Itoa(len(out)), "view": view}
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return out, nil
}

// Step takes one step of a complaint's handling (the desk or the
// protection manager): acknowledge it, answer it (the note is the answer
// or its summary), close it (with a note when unanswered), escalate it to
// the protection manager (the note is the reason), link a rights request
// or an incident, or add a note. Each step is audited with the change.
func (s *Service) Step(ctx context.Context, a hogo.Actor, id string, in StepInput) (*View, error) {
	if !slices.Contains(HandleRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "苦情・相談の対応は窓口か個人情報保護管理者が行います。",
			"complaints are handled by the desk or the protection manager")
	}
	if !slices.Contains(Steps, in.Step) {
		return nil, hogo.NewError(hogo.EINVALID, "step", "対応（step）は次のいずれかです: %s", "step must be one of: %s", strings.Join(Steps, ", "))
	}
	in.Note = strings.TrimSpace(in.Note)
	if tooLong(in.Note, MaxNote) {
		return nil, hogo.NewError(hogo.EINVALID, "note", "メモは%d文字までです。", "the note is at most %d characters", MaxNote)
	}
	_, cal, err := s.env()
	if err != nil {
		return nil, err
	}
	c, err := s.find(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.Version != 0 && in.Version != c.Version {
		return nil, hogo.NewError(hogo.ECONFLICT, "version", "この苦情・相談は他の操作で更新されています。読み直してからもう一度行ってください。",
			"the complaint was changed by someone else; reload it and try again")
	}
	f, err := s.open(ctx, c)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	detail := map[string]string{}
	needNote := func(err error) error {
		if in.Note == "" {
			return err
		}
		return nil
	}
	notClosed := func() error {
		if c.Status == hogo.ComplaintClosed {
			return hogo.NewError(hogo.ECONFLICT, "status", "この苦情・相談は完了しています。", "the complaint is closed")
		}
		return nil
	}
	switch in.Step {
	case StepAcknowledge:
		if c.Status != hogo.ComplaintReceived {
			return nil, hogo.NewError(hogo.ECONFLICT, "status", "受付済みの苦情・相談だけを受領確認できます（現在: %s）。",
				"only a complaint just received can be acknowledged (it is %s)", c.Status)
		}
		c.Status, c.AcknowledgedAt, c.DueOn = hogo.ComplaintAcknowledged, now, c.AnswerDue
		detail["late"] = strconv.FormatBool(late(now, c.AckDue, calendar.Date{}))
	case StepAnswer:
		if c.Status != hogo.ComplaintReceived && c.Status != hogo.ComplaintAcknowledged {
			return nil, hogo.NewError(hogo.ECONFLICT, "status", "この苦情・相談には回答済みか、完了しています（現在: %s）。",
				"the complaint is already answered or closed (it is %s)", c.Status)
		}
		if err := needNote(hogo.NewError(hogo.EINVALID, "note", "回答の内容（またはその要旨）を記入してください。", "write the answer (or its summary) in the note")); err != nil {
			return nil, err
		}
		if c.AcknowledgedAt.IsZero() {
			// An answer acknowledges too.
			c.AcknowledgedAt = now
			detail["ack_late"] = strconv.FormatBool(late(now, c.AckDue, calendar.Date{}))
		}
		c.Status, c.AnsweredAt, c.DueOn = hogo.ComplaintAnswered, now, ""
		detail["late"] = strconv.FormatBool(late(now, c.AnswerDue, calendar.Date{}))
	case StepClose:
		if err := notClosed(); err != nil {
			return nil, err
		}
		if c.AnsweredAt.IsZero() {
			if err := needNote(hogo.NewError(hogo.EINVALID, "note", "回答せずに完了するときは、その理由を記入してください。", "closing without an answer needs the reason in the note")); err != nil {
				return nil, err
			}
			detail["unanswered"] = "true"
		}
		c.Status, c.ClosedAt, c.DueOn = hogo.ComplaintClosed, now, ""
	case StepEscalate:
		if err := notClosed(); err != nil {
			return nil, err
		}
		if !c.EscalatedAt.IsZero() {
			return nil, hogo.NewError(hogo.ECONFLICT, "step", "すでに個人情報保護管理者に上申されています。", "the complaint is already escalated")
		}
		if err := needNote(hogo.NewError(hogo.EINVALID, "note", "上申の理由を記入してください。", "write the reason for escalating in the note")); err != nil {
			return nil, err
		}
		c.EscalatedAt, c.EscalatedBy, f.EscalationReason = now, a.Name, in.Note
	case StepLink:
		if strings.TrimSpace(in.Request) == "" && strings.TrimSpace(in.Incident) == "" {
			return nil, hogo.NewError(hogo.EINVALID, "request", "関連づける請求（受付番号かID）か事案のIDを指定してください。",
				"give the rights request (receipt number or ID) or the incident ID to link")
		}
		if rq := strings.TrimSpace(in.Request); rq != "" {
			var r *hogo.RightsRequest
			if vault.ValidID(rq) {
				r, err = s.store.GetRequest(ctx, rq)
			} else if len(rq) <= 32 {
				r, err = s.store.FindRequestByReceipt(ctx, strings.ToUpper(rq))
			} else {
				err = hogo.NewError(hogo.ENOTFOUND, "request", "", "")
			}
			if hogo.ErrorCode(err) == hogo.ENOTFOUND {
				return nil, hogo.NewError(hogo.EINVALID, "request", "その請求は見つかりません。", "no such rights request")
			}
			if err != nil {
				return nil, err
			}
			c.RequestID, c.RequestReceipt = r.ID, r.ReceiptNumber
			detail["request"] = r.ReceiptNumber
		}
		if inc := strings.TrimSpace(in.Incident); inc != "" {
			var i *hogo.Incident
			if vault.ValidID(inc) {
				i, err = s.store.GetIncident(ctx, inc)
			} else {
				err = hogo.NewError(hogo.ENOTFOUND, "incident", "", "")
			}
			if hogo.ErrorCode(err) == hogo.ENOTFOUND {
				return nil, hogo.NewError(hogo.EINVALID, "incident", "その事案は見つかりません。", "no such incident")
			}
			if err != nil {
				return nil, err
			}
			c.IncidentID = i.ID
			detail["incident"] = i.ID
		}
	case StepNote:
		if err := needNote(hogo.NewError(hogo.EINVALID, "note", "メモを記入してください。", "write the note")); err != nil {
			return nil, err
		}
	}
	if in.Note != "" {
		f.Notes = append(f.Notes, Note{At: now, By: a.Name, Step: in.Step, Text: in.Note})
	}
	detail["status"] = c.Status
	detail["note"] = strconv.FormatBool(in.Note != "")
	c.Version++
	c.UpdatedAt = now
	if err := s.seal(ctx, c, f); err != nil {
		return nil, err
	}
	e := a.Entry("complaint." + in.Step)
	e.Target = c.ReceiptNumber
	e.Detail = detail
	if err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateComplaint(ctx, c) }, e); err != nil {
		return nil, err
	}
	return s.view(cal, c, f, calendar.DateOf(now)), nil
}

// Rate is how many steps met their target among those due: the step was
// taken, or its target day has passed.
type Rate struct {
	Due    int `json:"due"`
	OnTime int `json:"on_time"`
	// Percent is OnTime of Due, to one decimal; null when none is due.
	Percent *float64 `json:"percent"`
}

func (r *Rate) add(done time.Time, due string, today calendar.Date) {
	d, err := calendar.ParseDate(due)
	if err != nil {
		return
	}
	if done.IsZero() && !today.After(d) {
		return // not taken, not yet due
	}
	r.Due++
	if !done.IsZero() && !calendar.DateOf(done).After(d) {
		r.OnTime++
	}
}

func (r *Rate) finish() {
	if r.Due > 0 {
		p := math.Round(float64(r.OnTime)*1000/float64(r.Due)) / 10
		r.Percent = &p
	}
}

// Stats are a month's figures: the complaints that arrived in the month
// (in Tokyo), by category and channel, how many were acknowledged and
// answered on time, how many were escalated and how many are still open.
type Stats struct {
	Month        string         `json:"month"`
	Total        int            `json:"total"`
	ByCategory   map[string]int `json:"by_category"`
	ByChannel    map[string]int `json:"by_channel"`
	Acknowledged Rate           `json:"acknowledged"`
	Answered     Rate           `json:"answered"`
	Escalated    int            `json:"escalated"`
	Open         int            `json:"open"`
}

// Stats returns the figures of a month (YYYY-MM; "" for this month). They
// hold no personal data and no case file is opened.
func (s *Service) Stats(ctx context.Context, a hogo.Actor, month string) (*Stats, error) {
	if !slices.Contains(ReadRoles, a.Role) {
		return nil, hogo.NewError(hogo.EFORBIDDEN, "role", "苦情・相談の統計は窓口・個人情報保護管理者・監査担当が見られます。",
			"complaint statistics are for the desk, the protection manager and the auditor")
	}
	now := s.Now().In(hogo.Tokyo)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, hogo.Tokyo)
	if month != "" {
		t, err := time.ParseInLocation("2006-01", month, hogo.Tokyo)
		if err != nil || t.Year() < 2000 {
			return nil, hogo.NewError(hogo.EINVALID, "month", "月は 2026-12 の形で指定してください。", "give the month as 2026-12")
		}
		from = t
	}
	to := from.AddDate(0, 1, 0)
	cs, err := s.store.ComplaintsReceived(ctx, from, to)
	if err != nil {
		return nil, err
	}
	st := &Stats{Month: from.Format("2006-01"), ByCategory: map[string]int{}, ByChannel: map[string]int{}}
	for _, c := range Categories {
		st.ByCategory[c] = 0
	}
	for _, c := range Channels {
		st.ByChannel[c] = 0
	}
	today := calendar.DateOf(now)
	for _, c := range cs {
		st.Total++
		st.ByCategory[c.Category]++
		st.ByChannel[c.Channel]++
		if !c.EscalatedAt.IsZero() {
			st.Escalated++
		}
		if c.Status != hogo.ComplaintClosed {
			st.Open++
		}
		closed := c.Status == hogo.ComplaintClosed
		// A complaint closed without a step is not counted for it.
		if !(closed && c.AcknowledgedAt.IsZero()) {
			st.Acknowledged.add(c.AcknowledgedAt, c.AckDue, today)
		}
		if !(closed && c.AnsweredAt.IsZero()) {
			st.Answered.add(c.AnsweredAt, c.AnswerDue, today)
		}
	}
	st.Acknowledged.finish()
	st.Answered.finish()
	return st, nil
}
