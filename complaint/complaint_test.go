package complaint_test

import (
	"context"
	"encoding/json"
	"errors"
	"hogo.example.jp/hogo/testenv"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/complaint"
	"hogo.example.jp/hogo/sqlstore"
)

type fixture struct {
	svc   *complaint.Service
	db    *sqlstore.DB
	clock *testenv.Clock
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := testenv.New(t)
	c := &testenv.Clock{}
	c.At("2026-12-01 10:00")
	svc := complaint.New(e.DB, e.Log, e.Vault, e.LedgerFunc())
	svc.Now = c.Now
	return &fixture{svc: svc, db: e.DB, clock: c, ctx: e.Ctx}
}

var (
	desk    = hogo.Actor{UserID: 3, Name: "desk1", Role: hogo.RoleDesk}
	manager = hogo.Actor{UserID: 2, Name: "manager1", Role: hogo.RoleManager}
	staff   = hogo.Actor{UserID: 4, Name: "staff1", Role: hogo.RoleStaff}
	auditor = hogo.Actor{UserID: 5, Name: "auditor1", Role: hogo.RoleAuditor}
	admin   = hogo.Actor{UserID: 1, Name: "admin1", Role: hogo.RoleAdmin}
)

func phoneCall() complaint.Intake {
	return complaint.Intake{Channel: "phone", Category: "marketing", Complainant: complaint.Complainant{Name: "道下 鈴", Phone: "090-1234-5678"},
		Statement: "退会したのに求人案内のメールが届き続けている"}
}

func (f *fixture) receive(t *testing.T, in complaint.Intake) *complaint.View {
	t.Helper()
	v, err := f.svc.Receive(f.ctx, desk, in)
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	return v
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if hogo.ErrorCode(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	var e *hogo.Error
	if field != "" && (!errors.As(err, &e) || e.Field != field) {
		t.Fatalf("error %v, want it on field %s", err, field)
	}
}

// TestTargets: the acknowledgement (1 business day) and the answer (10)
// count from the day the desk handles a complaint: after the desk closes
// (17:00 in the ledger), on a weekend, a holiday or over the year end,
// from the next business day.
func TestTargets(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ at, ack, answer string }{
		{"2026-12-04 16:59", "2026-12-07", "2026-12-18"}, // Friday before closing
		{"2026-12-04 17:00", "2026-12-08", "2026-12-21"}, // Friday at closing: from Monday
		{"2026-12-05 10:00", "2026-12-08", "2026-12-21"}, // Saturday
		{"2026-12-28 10:00", "2027-01-04", "2027-01-18"}, // last day before the year end; 成人の日 2027-01-11
		{"2026-12-28 18:00", "2027-01-05", "2027-01-19"}, // after closing: from 2027-01-04
		{"2026-12-31 09:00", "2027-01-05", "2027-01-19"}, // during the year end
		{"2027-01-11 09:00", "2027-01-13", "2027-01-26"}, // 成人の日
	} {
		f.clock.At(c.at)
		v := f.receive(t, phoneCall())
		if v.AckDue != c.ack || v.AnswerDue != c.answer || v.DueOn != c.ack {
			t.Errorf("received %s: ack %s answer %s, want %s %s", c.at, v.AckDue, v.AnswerDue, c.ack, c.answer)
		}
	}
	// A letter opened on Monday that arrived on Friday afternoon counts
	// from Friday.
	f.clock.At("2026-12-07 11:00")
	in := phoneCall()
	in.Channel, in.ReceivedAt = "post", "2026-12-04T15:00"
	if v := f.receive(t, in); v.ReceivedOn != "2026-12-04" || v.AckDue != "2026-12-07" {
		t.Errorf("letter: %+v", v)
	}
	// The targets are the service's to set.
	f.svc.AckDays, f.svc.AnswerDays = 2, 5
	ack, answer, err := f.svc.Targets(f.clock.At("2026-12-04 18:00"))
	if err != nil || ack.String() != "2026-12-09" || answer.String() != "2026-12-14" {
		t.Errorf("2 and 5 days: %v %v %v", ack, answer, err)
	}
}

// TestHandling walks a complaint from intake to closing with the overdue
// flags on a fake clock, and the steps refused.
func TestHandling(t *testing.T) {
	f := newFixture(t)
	f.clock.At("2026-12-04 18:00") // Friday after closing
	v := f.receive(t, phoneCall())
	if v.Status != hogo.ComplaintReceived || !strings.HasPrefix(v.ReceiptNumber, "C-20261204-") || v.File == nil ||
		v.File.Complainant.Name != "道下 鈴" {
		t.Fatalf("received: %+v", v)
	}
	f.clock.At("2026-12-08 16:00")
	if g, _ := f.svc.Get(f.ctx, desk, v.ID); g.Flag != "" || g.AckOverdue || g.DaysLeft != 0 {
		t.Errorf("on the target day: %+v", g)
	}
	f.clock.At("2026-12-09 09:30")
	q, err := f.svc.Queue(f.ctx, manager, complaint.ViewOverdue)
	if err != nil || len(q) != 1 || !q[0].AckOverdue || q[0].Flag != "overdue" || q[0].File != nil || q[0].DaysLeft != -1 {
		t.Fatalf("overdue queue: %v %+v", err, q)
	}
	// Found by receipt number too.
	if g, err := f.svc.Get(f.ctx, auditor, strings.ToLower(v.ReceiptNumber)); err != nil || g.ID != v.ID {
		t.Fatalf("by receipt: %v", err)
	}
	v, err = f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepAcknowledge, Note: "折り返し電話で受領を伝えた"})
	if err != nil || v.Status != hogo.ComplaintAcknowledged || !v.AckLate || v.AckOverdue || v.DueOn != "2026-12-21" || v.Flag != "" {
		t.Fatalf("acknowledge: %v %+v", err, v)
	}
	_, err = f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepAcknowledge})
	wantCode(t, err, hogo.ECONFLICT, "status")
	_, err = f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepAnswer})
	wantCode(t, err, hogo.EINVALID, "note")
	_, err = f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepEscalate, Note: "配信停止の仕組みに不備", Version: v.Version - 1})
	wantCode(t, err, hogo.ECONFLICT, "version")
	v, err = f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepEscalate, Note: "配信停止の仕組みに不備", Version: v.Version})
	if err != nil || !v.Escalated || v.EscalatedBy != "desk1" || v.File.EscalationReason != "配信停止の仕組みに不備" {
		t.Fatalf("escalate: %v %+v", err, v)
	}
	_, err = f.svc.Step(f.ctx, manager, v.ID, complaint.StepInput{Step: complaint.StepEscalate, Note: "again"})
	wantCode(t, err, hogo.ECONFLICT, "step")
	_, err = f.svc.Step(f.ctx, manager, v.ID, complaint.StepInput{Step: complaint.StepLink, Request: "20261204-ZZZZ-ZZZZ"})
	wantCode(t, err, hogo.EINVALID, "request")
	_, err = f.svc.Step(f.ctx, manager, v.ID, complaint.StepInput{Step: complaint.StepLink, Incident: "0123456789abcdefghijklmnop"})
	wantCode(t, err, hogo.EINVALID, "incident")
	_, err = f.svc.Step(f.ctx, manager, v.ID, complaint.StepInput{Step: complaint.StepLink})
	wantCode(t, err, hogo.EINVALID, "request")
	_, err = f.svc.Step(f.ctx, manager, v.ID, complaint.StepInput{Step: "reopen"})
	wantCode(t, err, hogo.EINVALID, "step")
	f.clock.At("2026-12-21 16:00")
	v, err = f.svc.Step(f.ctx, manager, v.ID, complaint.StepInput{Step: complaint.StepAnswer, Note: "配信を停止し、お詫びの書面を送付した"})
	if err != nil || v.Status != hogo.ComplaintAnswered || v.AnswerLate || v.DueOn != "" || len(v.File.Notes) != 3 {
		t.Fatalf("answer: %v %+v", err, v)
	}
	if n := v.File.Notes[2]; n.By != "manager1" || n.Step != complaint.StepAnswer || !n.At.Equal(f.clock.T) {
		t.Errorf("the answer's note: %+v", n)
	}
	v, err = f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepClose})
	if err != nil || v.Status != hogo.ComplaintClosed || v.ClosedAt.IsZero() {
		t.Fatalf("close: %v %+v", err, v)
	}
	_, err = f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepClose})
	wantCode(t, err, hogo.ECONFLICT, "status")
	if q, _ := f.svc.Queue(f.ctx, desk, complaint.ViewClosed); len(q) != 1 {
		t.Errorf("closed queue: %+v", q)
	}
	if q, _ := f.svc.Queue(f.ctx, desk, complaint.ViewOpen); len(q) != 0 {
		t.Errorf("open queue: %+v", q)
	}

	// Closing without an answer needs the reason; an answer acknowledges.
	w := f.receive(t, phoneCall())
	_, err = f.svc.Step(f.ctx, desk, w.ID, complaint.StepInput{Step: complaint.StepClose})
	wantCode(t, err, hogo.EINVALID, "note")
	w, err = f.svc.Step(f.ctx, desk, w.ID, complaint.StepInput{Step: complaint.StepAnswer, Note: "その場で説明し了承を得た"})
	if err != nil || w.AcknowledgedAt.IsZero() || w.AckLate {
		t.Fatalf("answer at once: %v %+v", err, w)
	}
}

// TestRoles: staff record (a phone call) but read nothing; the auditor
// reads but handles nothing; the admin does neither.
func TestRoles(t *testing.T) {
	f := newFixture(t)
	v, err := f.svc.Receive(f.ctx, staff, phoneCall())
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		func() error { _, err := f.svc.Get(f.ctx, staff, v.ID); return err }(),
		func() error { _, err := f.svc.Queue(f.ctx, staff, ""); return err }(),
		func() error { _, err := f.svc.Stats(f.ctx, staff, ""); return err }(),
		func() error {
			_, err := f.svc.Step(f.ctx, auditor, v.ID, complaint.StepInput{Step: complaint.StepNote, Note: "x"})
			return err
		}(),
		func() error { _, err := f.svc.Receive(f.ctx, admin, phoneCall()); return err }(),
		func() error { _, err := f.svc.Receive(f.ctx, auditor, phoneCall()); return err }(),
	} {
		wantCode(t, err, hogo.EFORBIDDEN, "role")
	}
}

// TestIntake: what is refused, with the field at fault; anonymous
// complaints keep no name.
func TestIntake(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		edit  func(*complaint.Intake)
		field string
	}{
		{func(in *complaint.Intake) { in.Channel = "fax" }, "channel"},
		{func(in *complaint.Intake) { in.Channel = "portal" }, "channel"},
		{func(in *complaint.Intake) { in.Category = "weather" }, "category"},
		{func(in *complaint.Intake) { in.Complainant.Name = " " }, "complainant.name"},
		{func(in *complaint.Intake) { in.Complainant.Email = "suzu at example.jp" }, "complainant.email"},
		{func(in *complaint.Intake) { in.Complainant.Phone = "call me" }, "complainant.phone"},
		{func(in *complaint.Intake) { in.Statement = "" }, "statement"},
		{func(in *complaint.Intake) { in.Statement = strings.Repeat("あ", complaint.MaxStatement+1) }, "statement"},
		{func(in *complaint.Intake) { in.ReceivedAt = "2026-12-02T10:00" }, "received_at"},
		{func(in *complaint.Intake) { in.ReceivedAt = "yesterday" }, "received_at"},
	} {
		in := phoneCall()
		c.edit(&in)
		_, err := f.svc.Receive(f.ctx, desk, in)
		wantCode(t, err, hogo.EINVALID, c.field)
	}
	in := phoneCall()
	in.Anonymous, in.Complainant.Phone = true, ""
	v := f.receive(t, in)
	if !v.Anonymous || v.File.Complainant.Name != "" {
		t.Errorf("anonymous: %+v", v.File)
	}
	// From the portal: the channel is the portal's, the time is now.
	in = phoneCall()
	in.Channel, in.Category, in.ReceivedAt = "phone", "", "2026-11-01T10:00"
	p, err := f.svc.ReceiveFromPortal(f.ctx, "192.0.2.1", in)
	if err != nil || p.Channel != "portal" || p.Category != "other" || p.ReceivedOn != "2026-12-01" {
		t.Fatalf("portal: %v %+v", err, p)
	}
}

// TestStats: a month's figures in Tokyo, by category and channel, on-time
// rates counting only what is due, escalations.
func TestStats(t *testing.T) {
	f := newFixture(t)
	// 2026-11-30 23:30 in Tokyo is November; 2026-12-01 00:10 December.
	f.clock.At("2026-11-30 23:30")
	f.receive(t, phoneCall())
	f.clock.At("2026-12-01 00:10")
	a := f.receive(t, phoneCall()) // ack due 12-02, answer 12-15
	f.clock.At("2026-12-01 10:00")
	in := phoneCall()
	in.Channel, in.Category = "email", "leak"
	b := f.receive(t, in) // ack due 12-02
	c := f.receive(t, phoneCall())
	f.clock.At("2026-12-02 10:00")
	f.svc.Step(f.ctx, desk, a.ID, complaint.StepInput{Step: complaint.StepAnswer, Note: "回答した"})
	f.svc.Step(f.ctx, desk, c.ID, complaint.StepInput{Step: complaint.StepEscalate, Note: "理由"})
	f.clock.At("2026-12-03 10:00")
	f.svc.Step(f.ctx, desk, b.ID, complaint.StepInput{Step: complaint.StepAcknowledge}) // a day late
	// c is neither acknowledged nor answered: its acknowledgement is
	// overdue, its answer not yet due.
	st, err := f.svc.Stats(f.ctx, auditor, "2026-12")
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(st)
	if st.Total != 3 || st.ByCategory["marketing"] != 2 || st.ByCategory["leak"] != 1 || st.ByCategory["consent"] != 0 ||
		st.ByChannel["phone"] != 2 || st.ByChannel["email"] != 1 || st.Escalated != 1 || st.Open != 3 {
		t.Errorf("December: %s", b2)
	}
	if st.Acknowledged.Due != 3 || st.Acknowledged.OnTime != 1 || *st.Acknowledged.Percent != 33.3 {
		t.Errorf("acknowledged: %+v", st.Acknowledged)
	}
	if st.Answered.Due != 1 || st.Answered.OnTime != 1 || *st.Answered.Percent != 100 {
		t.Errorf("answered: %+v", st.Answered)
	}
	nov, err := f.svc.Stats(f.ctx, manager, "2026-11")
	if err != nil || nov.Total != 1 || nov.Month != "2026-11" {
		t.Errorf("November: %v %+v", err, nov)
	}
	if jan, _ := f.svc.Stats(f.ctx, manager, "2027-01"); jan.Total != 0 || jan.Answered.Percent != nil {
		t.Errorf("January: %+v", jan)
	}
	_, err = f.svc.Stats(f.ctx, manager, "2026-13")
	wantCode(t, err, hogo.EINVALID, "month")
}

// TestSealed: who complains and what they say is sealed at rest and never
// in the audit log.
func TestSealed(t *testing.T) {
	f := newFixture(t)
	v := f.receive(t, phoneCall())
	f.svc.Step(f.ctx, desk, v.ID, complaint.StepInput{Step: complaint.StepEscalate, Note: "上申理由の本文"})
	var sealed []byte
	if err := f.db.Read.QueryRow(`SELECT sealed FROM complaints WHERE id = $1`, v.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	es, err := f.db.ListAudit(f.ctx, hogo.AuditFilter{Limit: 100})
	if err != nil || len(es) < 2 {
		t.Fatalf("audit: %v %d", err, len(es))
	}
	b, _ := json.Marshal(es)
	for _, s := range []string{"道下", "090-1234-5678", "求人案内", "上申理由"} {
		if strings.Contains(string(sealed), s) || strings.Contains(string(b), s) {
			t.Errorf("%q is in the clear", s)
		}
	}
	if !strings.Contains(string(b), v.ReceiptNumber) || !strings.Contains(string(b), "complaint.escalate") {
		t.Errorf("the audit log lacks the complaint: %s", b)
	}
}
