package complaint

// The complainant's side: the receipt mail (受付のお知らせ) and the status
// page. A complaint is kept first; its receipt mail goes after, and what
// became of it is recorded on the complaint with an audit entry, so that
// a mail that fails loses nothing and the desk knows to acknowledge the
// complaint by other means. The mail carries the receipt number, the
// target days and the way to the status page, never what the complainant
// wrote nor the secret.

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/staff"
)

// Mailer sends mail (package mail's Sender).
type Mailer interface {
	Send(ctx context.Context, m *mail.Message) (string, error)
}

// What became of a complaint's receipt mail (hogo.Complaint.AckMail).
const (
	MailPending = "pending" // kept, being sent (or the server stopped while sending)
	MailSent    = "sent"
	MailFailed  = "failed"
	MailOff     = "off" // no mail relay is configured: nothing was sent
)

// MailTimeout bounds the sending of a receipt mail.
const MailTimeout = 30 * time.Second

// newSecret returns a complainant's secret and the hash that is kept of
// it: 128 random bits as 26 letters and digits (crypto/rand.Text), in
// lower case like a rights request's, hashed as staff's secrets are.
func newSecret() (string, []byte) {
	secret := strings.ToLower(rand.Text())
	return secret, staff.HashSecret(secret)
}

// secretOf is a secret as typed: case, spaces and hyphens do not matter.
func secretOf(typed string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "\u3000", "", "-", "", "\t", "").Replace(strings.TrimSpace(typed)))
}

// sendAck sends the receipt mail of a complaint just kept and records what
// became of it; it returns the complaint as it then stands. A step the
// desk took meanwhile is kept: the outcome is recorded over it.
func (s *Service) sendAck(ctx context.Context, a hogo.Actor, l *ledger.Ledger, c *hogo.Complaint, f *File) *hogo.Complaint {
	// The intake's caller may go away (a browser closed): the mail and its
	// record still complete, within MailTimeout.
	ctx = context.WithoutCancel(ctx)
	mctx, cancel := context.WithTimeout(ctx, MailTimeout)
	_, err := s.Mailer.Send(mctx, s.ackMessage(l, c, f))
	cancel()
	result, detail := MailSent, map[string]string{"result": MailSent}
	if err != nil {
		result, detail["result"], detail["step"] = MailFailed, MailFailed, mailStep(err)
		if me := (*mail.Error)(nil); errors.As(err, &me) && me.Code != 0 {
			detail["code"] = strconv.Itoa(me.Code)
		}
	}
	at := s.Now()
	for range 3 {
		next := *c
		next.AckMail, next.AckMailAt, next.Version, next.UpdatedAt = result, at, c.Version+1, at
		e := a.Entry("complaint.ack_mail")
		e.Target, e.Detail = c.ReceiptNumber, detail
		if result == MailFailed {
			e.Outcome = hogo.OutcomeError
		}
		err := s.audit.Write(ctx, func(ctx context.Context, tx hogo.Tx) error { return tx.UpdateComplaint(ctx, &next) }, e)
		if err == nil {
			return &next
		}
		if hogo.ErrorCode(err) != hogo.ECONFLICT {
			return c // left pending: the console shows its outcome as unknown
		}
		cur, err := s.store.GetComplaint(ctx, c.ID)
		if err != nil {
			return c
		}
		c = cur
	}
	return c
}

// mailStep names where sending failed (package mail's steps: dial, RCPT…),
// never with the address or the relay's words, which may quote it.
func mailStep(err error) string {
	var me *mail.Error
	var fe *mail.FieldError
	switch {
	case errors.As(err, &me) && me.Step != "":
		return me.Step
	case errors.As(err, &fe):
		return "message"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	return "send"
}

// ackMessage is the receipt mail: who it is for, the receipt number, when
// it was received, the target days in 和暦, and the status page.
func (s *Service) ackMessage(l *ledger.Ledger, c *hogo.Complaint, f *File) *mail.Message {
	org, desk := l.Organization.Name.Ja, l.ComplaintDesk.Name.Ja
	from := s.MailFrom
	if from == "" {
		from = l.ComplaintDesk.Email
	}
	to := "お客様"
	if n := f.Complainant.Name; n != "" && !c.Anonymous {
		to = n + " 様"
	}
	recv := c.ReceivedAt.In(hogo.Tokyo)
	text := to + "\n\n" +
		"このたびは、当社の個人情報の取扱いについてご連絡をいただき、ありがとうございます。\n" +
		"苦情・ご相談を次のとおり受け付けましたので、お知らせします。\n\n" +
		"    受付番号: " + c.ReceiptNumber + "\n" +
		"    受付日時: " + calendar.FormatJapaneseWithWeekday(calendar.DateOf(recv)) + " " + recv.Format("15:04") + "\n" +
		"    受領のご連絡の目安: " + japaneseDate(c.AckDue) + "\n" +
		"    回答の目安: " + japaneseDate(c.AnswerDue) + "\n\n" +
		"目安の日は当社の営業日で数えています（受付時間外や休業日に届いたものは、翌営業日から数えます）。\n\n" +
		"対応の状況と回答は、次のページで受付番号と暗証番号を入力するとご確認いただけます。\n" +
		s.portalURL("/complaints/status") + "\n" +
		"暗証番号は、受付の際に画面でお知らせしたもの（お電話などでお受けした場合は、担当者がお伝えしたもの）です。\n" +
		"安全のため、暗証番号とお寄せいただいた内容は、このメールには記載していません。\n\n" +
		"このメールにお心当たりのない場合は、お手数ですが破棄してください。\n\n" + signature(l)
	return &mail.Message{From: from, FromName: strings.TrimSpace(org + " " + desk), To: f.Complainant.Email,
		Subject: "【" + org + "】苦情・ご相談の受付のお知らせ（受付番号 " + c.ReceiptNumber + "）", Text: text}
}

func japaneseDate(s string) string {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return s
	}
	return calendar.FormatJapaneseWithWeekday(d)
}

// signature closes a mail with the complaint desk's name and contacts.
func signature(l *ledger.Ledger) string {
	lines := []string{"――――――――――――――――", l.Organization.Name.Ja, l.ComplaintDesk.Name.Ja}
	if a := l.ComplaintDesk.Address.Ja; a != "" {
		lines = append(lines, a)
	}
	if len(l.ComplaintDesk.Phone) > 0 {
		lines = append(lines, "電話 "+strings.Join(l.ComplaintDesk.Phone, " / "))
	}
	if e := l.ComplaintDesk.Email; e != "" {
		lines = append(lines, "メール "+e)
	}
	return strings.Join(lines, "\n") + "\n"
}

func (s *Service) portalURL(path string) string {
	return strings.TrimRight(s.BaseURL, "/") + path
}

// Status is what the complainant sees of a complaint on the portal: where
// it stands, its target days and, once answered, the answer.
type Status struct {
	ReceiptNumber string
	Category      string
	// Status is received, acknowledged, answered or closed (受付済・対応中・
	// 回答済・完了 on the portal).
	Status       string
	ReceivedOnJa string
	AckDueJa     string
	AnswerDueJa  string
	// AnsweredOnJa and ClosedOnJa are the days of the answer and of the
	// closing, when they came.
	AnsweredOnJa string
	ClosedOnJa   string
	// Answer is the answer's text, line by line; empty until answered
	// (and for a complaint closed without an answer).
	Answer []string
}

// ErrNoSuchComplaint is the one answer to a wrong receipt number or
// secret, so that neither can be told apart.
var ErrNoSuchComplaint = hogo.NewError(hogo.ENOTFOUND, "receipt_number",
	"受付番号または暗証番号が正しくありません。受付時にお知らせした番号をご確認ください。",
	"the receipt number or the secret is wrong; check the ones given when the complaint was received")

// authenticate returns the complaint that the receipt number and secret
// prove. A number that is not one, an unknown number and a wrong secret
// all cost one look-up, one hash and one audit entry, and get one answer.
func (s *Service) authenticate(ctx context.Context, remote, receipt, secret string) (*hogo.Complaint, error) {
	receipt = strings.ToUpper(strings.TrimSpace(receipt))
	var c *hogo.Complaint
	var err error
	if len(receipt) > 2 && len(receipt) <= 32 && strings.HasPrefix(receipt, "C-") {
		c, err = s.store.FindComplaintByReceipt(ctx, receipt)
	} else {
		_, err = s.store.FindComplaintByReceipt(ctx, "C-00000000-0000-0000")
	}
	if err != nil && hogo.ErrorCode(err) != hogo.ENOTFOUND {
		return nil, err
	}
	h := staff.HashSecret(secretOf(secret))
	known := c != nil && len(c.SecretHash) == len(h)
	var stored []byte
	if known {
		stored = c.SecretHash
	} else {
		stored = make([]byte, len(h))
	}
	if subtle.ConstantTimeCompare(h, stored) != 1 || !known {
		e := PortalActor(remote).Entry("complaint.lookup")
		e.Outcome = hogo.OutcomeDenied
		if c != nil {
			// A wrong secret for a real number; the number typed is not
			// recorded otherwise, as it may be anything.
			e.Target = c.ReceiptNumber
		}
		if err := s.audit.Append(ctx, e); err != nil {
			return nil, err
		}
		return nil, ErrNoSuchComplaint
	}
	return c, nil
}

// Lookup returns a complaint's status for its complainant, who proves it
// with the receipt number and the secret; the look-up is audited. Only the
// answer is read from the case file: never the notes, the escalation's
// reason or what the complainant wrote.
func (s *Service) Lookup(ctx context.Context, remote, receipt, secret string) (*Status, error) {
	c, err := s.authenticate(ctx, remote, receipt, secret)
	if err != nil {
		return nil, err
	}
	st := &Status{ReceiptNumber: c.ReceiptNumber, Category: c.Category, Status: c.Status, AckDueJa: japaneseDate(c.AckDue),
		AnswerDueJa: japaneseDate(c.AnswerDue), ReceivedOnJa: japaneseDate(c.ReceivedOn)}
	if !c.AnsweredAt.IsZero() {
		st.AnsweredOnJa = calendar.FormatJapaneseWithWeekday(calendar.DateOf(c.AnsweredAt))
		f, err := s.open(ctx, c)
		if err != nil {
			return nil, err
		}
		for _, n := range f.Notes {
			if n.Step == StepAnswer {
				st.Answer = strings.Split(strings.ReplaceAll(n.Text, "\r\n", "\n"), "\n")
			}
		}
	}
	if !c.ClosedAt.IsZero() {
		st.ClosedOnJa = calendar.FormatJapaneseWithWeekday(calendar.DateOf(c.ClosedAt))
	}
	e := PortalActor(remote).Entry("complaint.lookup")
	e.Target = c.ReceiptNumber
	e.Detail = map[string]string{"status": c.Status}
	if err := s.audit.Append(ctx, e); err != nil {
		return nil, err
	}
	return st, nil
}
