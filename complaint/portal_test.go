package complaint_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/complaint"
	"hogo.example.jp/hogo/mail"
)

// fakeMailer keeps what it is given; err, when set, is what sending
// returns, and during runs while a mail is being sent.
type fakeMailer struct {
	mu     sync.Mutex
	sent   []*mail.Message
	err    error
	during func(m *mail.Message)
}

func (f *fakeMailer) Send(ctx context.Context, m *mail.Message) (string, error) {
	if f.during != nil {
		f.during(m)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	return "<1@hogo.example.jp>", f.err
}

func portalComplaint() complaint.Intake {
	return complaint.Intake{Category: "marketing", Complainant: complaint.Complainant{Name: "道下 鈴", Email: "suzu.michishita@example.jp",
		Phone: "090-1234-5678"}, Statement: "退会したのに求人案内のメールが届き続けている"}
}

// auditOf returns the audit entries of an action, oldest first.
func (f *fixture) auditOf(t *testing.T, action string) []*hogo.AuditEntry {
	t.Helper()
	es, err := f.db.ListAudit(f.ctx, hogo.AuditFilter{Action: action, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(es)
	return es
}

// TestComplaintReceiptMail: a portal complaint with an address, or one the
// desk takes with a reply by e-mail asked, is kept and then sent a
// receipt mail with the receipt number, the targets in 和暦 and the status
// page, never what was said nor the secret; what became of the mail is
// recorded (sent, failed, off), audited, and a failure asks the desk to
// acknowledge by hand until it does.
func TestComplaintReceiptMail(t *testing.T) {
	f := newFixture(t)
	f.clock.At("2026-12-05 10:00") // Saturday: handled from Monday 12-07
	m := &fakeMailer{}
	f.svc.Mailer, f.svc.BaseURL = m, "https://hogo.example.jp/"

	v, err := f.svc.ReceiveFromPortal(f.ctx, "192.0.2.1", portalComplaint())
	if err != nil {
		t.Fatal(err)
	}
	if v.AckMail != complaint.MailSent || v.ManualAck || !v.AckMailAt.Equal(f.clock.T) || len(v.Secret) != 26 || v.Version != 2 {
		t.Fatalf("portal complaint: %+v", v)
	}
	if len(m.sent) != 1 {
		t.Fatalf("%d mails", len(m.sent))
	}
	msg := m.sent[0]
	if msg.To != "suzu.michishita@example.jp" || !strings.Contains(msg.Subject, v.ReceiptNumber) || !strings.Contains(msg.Subject, "受付のお知らせ") ||
		msg.From == "" || !strings.Contains(msg.FromName, "株式会社") {
		t.Errorf("mail: to %q from %q %q subject %q", msg.To, msg.FromName, msg.From, msg.Subject)
	}
	for _, want := range []string{"道下 鈴 様", v.ReceiptNumber, "令和8年12月5日（土） 10:00", "令和8年12月8日（火）", "令和8年12月21日（月）",
		"https://hogo.example.jp/complaints/status", "暗証番号"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("the mail lacks %q:\n%s", want, msg.Text)
		}
	}
	for _, not := range []string{v.Secret, "求人案内", "090-1234-5678", "marketing", "広告"} {
		if strings.Contains(msg.Text, not) || strings.Contains(msg.Subject, not) {
			t.Errorf("the mail holds %q:\n%s", not, msg.Text)
		}
	}
	c, err := f.db.GetComplaint(f.ctx, v.ID)
	if err != nil || c.AckMail != complaint.MailSent || c.AckMailAt.IsZero() || len(c.SecretHash) != 32 || c.Status != hogo.ComplaintReceived {
		t.Fatalf("stored: %v %+v", err, c)
	}
	if es := f.auditOf(t, "complaint.ack_mail"); len(es) != 1 || es[0].Detail["result"] != "sent" || es[0].Outcome != "" && es[0].Outcome != hogo.OutcomeOK ||
		es[0].Target != v.ReceiptNumber {
		t.Errorf("ack_mail audit: %+v", es)
	}
	if es := f.auditOf(t, "complaint.receive"); es[0].Detail["ack_mail"] != complaint.MailPending {
		t.Errorf("receive audit: %+v", es[0].Detail)
	}

	// Anonymous, with an address: addressed to nobody by name.
	in := portalComplaint()
	in.Anonymous = true
	if _, err := f.svc.ReceiveFromPortal(f.ctx, "192.0.2.1", in); err != nil || len(m.sent) != 2 || !strings.HasPrefix(m.sent[1].Text, "お客様\n") ||
		strings.Contains(m.sent[1].Text, "道下") {
		t.Errorf("anonymous: %v\n%s", err, m.sent[1].Text)
	}
	// No address on the portal, or a call without a reply by e-mail: no
	// mail due.
	in = portalComplaint()
	in.Complainant.Email = ""
	if v, err := f.svc.ReceiveFromPortal(f.ctx, "192.0.2.1", in); err != nil || v.AckMail != "" || v.ManualAck || len(m.sent) != 2 {
		t.Errorf("portal without an address: %v %+v", err, v)
	}
	call := phoneCall()
	call.Complainant.Email = "suzu.michishita@example.jp"
	if v := f.receive(t, call); v.AckMail != "" || len(m.sent) != 2 {
		t.Errorf("a call without a reply by e-mail: %+v", v)
	}
	call.ReplyByEmail = true
	if v := f.receive(t, call); v.AckMail != complaint.MailSent || len(m.sent) != 3 || v.File == nil || !v.File.ReplyByEmail {
		t.Errorf("a call with a reply by e-mail: %+v", v)
	}
	call.Complainant.Email = ""
	_, err = f.svc.Receive(f.ctx, desk, call)
	wantCode(t, err, hogo.EINVALID, "complainant.email")

	// The relay refuses: the complaint is kept, the desk must acknowledge
	// by hand; the relay's words (quoting the address) are not kept.
	m.err = &mail.Error{Step: "RCPT", Code: 550, EnhancedCode: "5.1.1"}
	v, err = f.svc.ReceiveFromPortal(f.ctx, "192.0.2.1", portalComplaint())
	if err != nil || v.AckMail != complaint.MailFailed || !v.ManualAck || v.ReceiptNumber == "" || v.Secret == "" {
		t.Fatalf("failed mail: %v %+v", err, v)
	}
	es := f.auditOf(t, "complaint.ack_mail")
	last := es[len(es)-1]
	if last.Outcome != hogo.OutcomeError || last.Detail["result"] != "failed" || last.Detail["step"] != "RCPT" || last.Detail["code"] != "550" {
		t.Errorf("failed mail audit: %+v", last)
	}
	queue, err := f.svc.Queue(f.ctx, desk, complaint.ViewOpen)
	if err != nil {
		t.Fatal(err)
	}
	manual := 0
	for _, q := range queue {
		if q.ManualAck {
			manual++
		}
	}
	if manual != 1 {
		t.Errorf("%d complaints to acknowledge by hand, want 1", manual)
	}
	v, err = f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepAcknowledge, Note: "電話で受付を伝えた"})
	if err != nil || v.ManualAck || v.AckMail != complaint.MailFailed {
		t.Errorf("acknowledged by hand: %v %+v", err, v)
	}
	// A mail that cannot even be written, or times out, names its step.
	m.err = fmt.Errorf("wrapped: %w", context.DeadlineExceeded)
	if v, _ := f.svc.ReceiveFromPortal(f.ctx, "192.0.2.1", portalComplaint()); v.AckMail != complaint.MailFailed {
		t.Errorf("timeout: %+v", v)
	}
	es = f.auditOf(t, "complaint.ack_mail")
	if es[len(es)-1].Detail["step"] != "timeout" {
		t.Errorf("timeout step: %+v", es[len(es)-1].Detail)
	}
	m.err = nil

	// No relay: nothing is sent, and the complaint says so.
	f.svc.Mailer = nil
	if v, err := f.svc.ReceiveFromPortal(f.ctx, "192.0.2.1", portalComplaint()); err != nil || v.AckMail != complaint.MailOff || v.ManualAck {
		t.Errorf("no relay: %v %+v", err, v)
	}

	// The desk takes a step while the mail goes: the step is kept and the
	// mail's outcome recorded over it. While it goes it is pending; one
	// pending long after the intake has an unknown outcome.
	f.svc.Mailer = m
	var during []*complaint.View
	m.during = func(msg *mail.Message) {
		receipt := regexp.MustCompile(`C-\d{8}-[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(msg.Subject)
		got, err := f.svc.Step(f.ctx, desk, receipt, complaint.StepInput{Step: complaint.StepNote, Note: "送信中のメモ"})
		if err != nil {
			t.Errorf("a step while the mail goes: %v", err)
			return
		}
		during = append(during, got)
		saved := f.clock.T
		f.clock.T = saved.Add(time.Hour)
		got, _ = f.svc.Get(f.ctx, desk, receipt)
		during = append(during, got)
		f.clock.T = saved
	}
	v, err = f.svc.ReceiveFromPortal(f.ctx, "192.0.2.1", portalComplaint())
	m.during = nil
	if err != nil || len(during) != 2 {
		t.Fatalf("mail with a step: %v %d", err, len(during))
	}
	if during[0].AckMail != complaint.MailPending || during[0].ManualAck || !during[1].ManualAck {
		t.Errorf("pending: %+v / %+v", during[0], during[1])
	}
	got, err := f.svc.Get(f.ctx, desk, v.ID)
	if err != nil || got.AckMail != complaint.MailSent || got.Version != 3 || len(got.File.Notes) != 1 || got.File.Notes[0].Text != "送信中のメモ" {
		t.Errorf("after the mail: %v %+v", err, got)
	}

	// Nothing personal in the audit log.
	all, _ := f.db.ListAudit(f.ctx, hogo.AuditFilter{Limit: 1000})
	b, _ := json.Marshal(all)
	for _, s := range []string{"道下", "suzu.michishita", "090-1234-5678", "求人案内", "no such user", "電話で受付"} {
		if strings.Contains(string(b), s) {
			t.Errorf("%q is in the audit log", s)
		}
	}
}

// TestComplaintLookup: the receipt number and the secret show a
// complaint's status, targets and, once answered, the answer only; a
// wrong secret, an unknown or malformed number get one answer and one
// denied audit entry each, and a complaint kept without a secret cannot
// be looked up.
func TestComplaintLookup(t *testing.T) {
	f := newFixture(t)
	f.clock.At("2026-12-05 10:00")
	v, err := f.svc.ReceiveFromPortal(f.ctx, "192.0.2.1", portalComplaint())
	if err != nil {
		t.Fatal(err)
	}
	if v.AckMail != "" && v.AckMail != complaint.MailOff {
		t.Fatalf("no relay, yet %q", v.AckMail)
	}
	st, err := f.svc.Lookup(f.ctx, "192.0.2.1", strings.ToLower(v.ReceiptNumber), " "+strings.ToUpper(v.Secret[:13])+" "+v.Secret[13:])
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != hogo.ComplaintReceived || st.ReceiptNumber != v.ReceiptNumber || st.AckDueJa != "令和8年12月8日（火）" ||
		st.AnswerDueJa != "令和8年12月21日（月）" || st.ReceivedOnJa != "令和8年12月5日（土）" || st.Answer != nil || st.Category != "marketing" {
		t.Errorf("received: %+v", st)
	}
	for _, c := range []struct{ what, receipt, secret string }{
		{"a wrong secret", v.ReceiptNumber, "abcdefghijklmnopqrstuvwxyz"},
		{"no secret", v.ReceiptNumber, ""},
		{"an unknown number", "C-20261205-ZZZZ-ZZZZ", v.Secret},
		{"a malformed number", "20261205-ZZZZ", v.Secret},
		{"no number", "", ""},
	} {
		if _, err := f.svc.Lookup(f.ctx, "192.0.2.1", c.receipt, c.secret); !errors.Is(err, complaint.ErrNoSuchComplaint) {
			t.Errorf("%s: %v", c.what, err)
		}
	}
	es := f.auditOf(t, "complaint.lookup")
	var denied, targeted int
	for _, e := range es {
		if e.Outcome == hogo.OutcomeDenied {
			denied++
			if e.Target != "" {
				targeted++
			}
		}
		if b, _ := json.Marshal(e); strings.Contains(string(b), v.Secret) || strings.Contains(string(b), "ZZZZ") {
			t.Errorf("a look-up entry holds what was typed: %s", b)
		}
	}
	if len(es) != 6 || denied != 5 || targeted != 2 {
		t.Errorf("look-ups audited: %d, %d denied, %d naming the complaint", len(es), denied, targeted)
	}

	look := func() *complaint.Status {
		t.Helper()
		st, err := f.svc.Lookup(f.ctx, "192.0.2.1", v.ReceiptNumber, v.Secret)
		if err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprintf("%+v", st); strings.Contains(s, "内部メモ") || strings.Contains(s, "上申理由") || strings.Contains(s, "求人案内") {
			t.Errorf("the status shows more than the answer: %s", s)
		}
		return st
	}
	f.clock.At("2026-12-07 10:00")
	for _, in := range []complaint.StepInput{{Step: complaint.StepAcknowledge, Note: "内部メモ: 電話した"}, {Step: complaint.StepNote, Note: "内部メモ"},
		{Step: complaint.StepEscalate, Note: "上申理由"}} {
		if _, err := f.svc.Step(f.ctx, desk, v.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	if st := look(); st.Status != hogo.ComplaintAcknowledged || st.Answer != nil || st.AnsweredOnJa != "" {
		t.Errorf("acknowledged: %+v", st)
	}
	f.clock.At("2026-12-09 15:00")
	if _, err := f.svc.Step(f.ctx, manager, v.ID, complaint.StepInput{Step: complaint.StepAnswer, Note: "配信を停止しました。\r\nご迷惑をおかけしました。"}); err != nil {
		t.Fatal(err)
	}
	st = look()
	if st.Status != hogo.ComplaintAnswered || !slices.Equal(st.Answer, []string{"配信を停止しました。", "ご迷惑をおかけしました。"}) ||
		st.AnsweredOnJa != "令和8年12月9日（水）" || st.ClosedOnJa != "" {
		t.Errorf("answered: %+v", st)
	}
	f.clock.At("2026-12-10 09:00")
	if _, err := f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepClose}); err != nil {
		t.Fatal(err)
	}
	if st := look(); st.Status != hogo.ComplaintClosed || len(st.Answer) != 2 || st.ClosedOnJa != "令和8年12月10日（木）" {
		t.Errorf("closed: %+v", st)
	}

	// A complaint kept before secrets existed has none to match.
	if _, err := f.db.Write.Exec(`UPDATE complaints SET secret_hash = X'' WHERE id = $1`, v.ID); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"", v.Secret} {
		if _, err := f.svc.Lookup(f.ctx, "192.0.2.1", v.ReceiptNumber, secret); !errors.Is(err, complaint.ErrNoSuchComplaint) {
			t.Errorf("no secret kept, %q given: %v", secret, err)
		}
	}
}
