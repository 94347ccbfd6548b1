package mail_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/mail/smtptest"
)

var tokyo = time.FixedZone("JST", 9*60*60)

// sent is the fixed time the tests' senders put in Date.
var sent = time.Date(2026, 4, 1, 9, 30, 0, 0, tokyo)

func japaneseMessage() *mail.Message {
	return &mail.Message{
		From:     "privacy@example.jp",
		FromName: "株式会社ひので人材サービス 個人情報窓口",
		To:       "yamada.hanako@example.jp",
		Subject:  "【ひので人材】開示請求への回答のご案内（受付番号 R-2026-0042）",
		Text: "山田 花子 様\n\n" +
			"ご請求いただいた保有個人データの開示について、回答書を添付いたします。\n" +
			"ダウンロード用リンク: https://privacy.example.jp/answers/3f9c2a7e\n" +
			"確認コード: 482913（有効期限 2026年4月8日）\n\n" +
			"株式会社ひので人材サービス 個人情報窓口\n",
		Attachments: []mail.Attachment{{
			Name:        "回答書.pdf",
			ContentType: "application/pdf",
			Data:        append([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), bytes.Repeat([]byte{0, 1, 2, 0xff, '\r', '\n', '.', '\n'}, 300)...),
		}},
	}
}

func sender(srv *smtptest.Server) *mail.Sender {
	return &mail.Sender{Addr: srv.Addr(), Now: func() time.Time { return sent }, Timeout: 10 * time.Second}
}

func waitOne(t *testing.T, srv *smtptest.Server) smtptest.Received {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msgs, err := srv.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	return msgs[0]
}

func TestSendRoundTrip(t *testing.T) {
	srv := smtptest.Start(t)
	m := japaneseMessage()
	id, err := sender(srv).Send(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}@example\.jp$`).MatchString(id) {
		t.Errorf("Message-ID %q, want 32 hex digits @example.jp", id)
	}

	r := waitOne(t, srv)
	if r.From != m.From || len(r.To) != 1 || r.To[0] != m.To {
		t.Errorf("envelope %s -> %v", r.From, r.To)
	}
	if r.TLS {
		t.Error("TLS on a server without STARTTLS")
	}
	p, err := r.Parse()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ field, got, want string }{
		{"From", p.From, m.From},
		{"FromName", p.FromName, m.FromName},
		{"To", p.To, m.To},
		{"Subject", p.Subject, m.Subject},
		{"Text", p.Text, m.Text},
		{"Date", p.Header.Get("Date"), "Wed, 01 Apr 2026 09:30:00 +0900"},
		{"Message-ID", p.Header.Get("Message-Id"), "<" + id + ">"},
		{"MIME-Version", p.Header.Get("Mime-Version"), "1.0"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/mixed;") {
		t.Errorf("Content-Type %q", ct)
	}
	if len(p.Attachments) != 1 {
		t.Fatalf("%d attachments", len(p.Attachments))
	}
	a := p.Attachments[0]
	want := m.Attachments[0]
	if a.Name != want.Name || a.ContentType != want.ContentType || !bytes.Equal(a.Data, want.Data) {
		t.Errorf("attachment %q %q %d bytes, want %q %q %d bytes", a.Name, a.ContentType, len(a.Data), want.Name, want.ContentType, len(want.Data))
	}
	date, err := p.Header.Date()
	if err != nil || !date.Equal(sent) {
		t.Errorf("Date %v %v, want %v", date, err, sent)
	}

	raw := string(r.Data)
	for _, s := range []string{
		"Content-Transfer-Encoding: base64\r\n",
		"Content-Type: text/plain; charset=UTF-8\r\n",
		`filename="attachment.pdf"`,
		`filename*=UTF-8''%E5%9B%9E%E7%AD%94%E6%9B%B8.pdf`,
	} {
		if !strings.Contains(raw, s) {
			t.Errorf("raw message lacks %q", s)
		}
	}
	checkLines(t, r.Data, 76)
}

// checkLines checks that every line ends in CRLF and is at most max long.
func checkLines(t *testing.T, data []byte, max int) {
	t.Helper()
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Error("message does not end in CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF", i+1)
		}
		if len(line) > max {
			t.Errorf("line %d is %d long: %q", i+1, len(line), line)
		}
	}
}

func TestSendPlainTextOnly(t *testing.T) {
	srv := smtptest.Start(t)
	m := japaneseMessage()
	m.Attachments = nil
	if _, err := sender(srv).Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	p, err := waitOne(t, srv).Parse()
	if err != nil {
		t.Fatal(err)
	}
	if ct := p.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if p.Text != m.Text || p.Subject != m.Subject || len(p.Attachments) != 0 {
		t.Errorf("got %q %q %d attachments", p.Subject, p.Text, len(p.Attachments))
	}
}

func TestRejectedRecipient(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RejectRecipient("nobody@example.jp")
	m := japaneseMessage()
	m.To = "nobody@example.jp"
	_, err := sender(srv).Send(t.Context(), m)
	if !errors.Is(err, mail.ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
	var e *mail.Error
	if !errors.As(err, &e) || e.Step != "RCPT" || e.Code != 550 || e.EnhancedCode != "5.1.1" {
		t.Errorf("err = %#v, want RCPT 550 5.1.1", e)
	}
	// The relay's reply quotes the address; the error must not.
	for _, s := range []string{"nobody", "example.jp", "privacy"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains %q", err, s)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}

func TestHeaderInjection(t *testing.T) {
	const injected = "\r\nBcc: leak@example.jp"
	for _, c := range []struct {
		field string
		edit  func(*mail.Message)
	}{
		{"From", func(m *mail.Message) { m.From += injected }},
		{"To", func(m *mail.Message) { m.To += injected }},
		{"Subject", func(m *mail.Message) { m.Subject += injected }},
		{"FromName", func(m *mail.Message) { m.FromName += "\nBcc: leak@example.jp" }},
		{"Subject", func(m *mail.Message) { m.Subject += "\rBcc: leak@example.jp" }},
		{"Attachments[0].Name", func(m *mail.Message) { m.Attachments[0].Name = "回答書.pdf" + injected }},
		{"Attachments[0].ContentType", func(m *mail.Message) { m.Attachments[0].ContentType += injected }},
	} {
		srv := smtptest.Start(t)
		m := japaneseMessage()
		c.edit(m)
		_, errBytes := m.Bytes(sent, "x@example.jp")
		_, errSend := sender(srv).Send(t.Context(), m)
		for _, err := range []error{errBytes, errSend} {
			var fe *mail.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Errorf("%s: err = %v, want a FieldError for %s", c.field, err, c.field)
				continue
			}
			if !strings.Contains(err.Error(), c.field) || strings.Contains(err.Error(), "leak") || strings.Contains(err.Error(), "yamada") {
				t.Errorf("%s: error %q", c.field, err)
			}
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("%s: %d messages delivered", c.field, n)
		}
	}
}

func TestInvalidAddress(t *testing.T) {
	for _, addr := range []string{
		"",
		"yamada",
		"yamada@",
		"@example.jp",
		"山田 <yamada@example.jp>",
		"Yamada <yamada@example.jp>",
		"yamada@example.jp, suzuki@example.jp",
		"yamada@example.jp (comment)",
		"やまだ@example.jp",
		"yamada @example.jp",
	} {
		for _, field := range []string{"From", "To"} {
			m := japaneseMessage()
			if field == "From" {
				m.From = addr
			} else {
				m.To = addr
			}
			_, err := m.Bytes(sent, "x@example.jp")
			var fe *mail.FieldError
			if !errors.As(err, &fe) || fe.Field != field {
				t.Errorf("%s %q: err = %v, want a FieldError for %s", field, addr, err, field)
				continue
			}
			if strings.Contains(err.Error(), "yamada") || strings.Contains(err.Error(), "example") {
				t.Errorf("%s %q: error %q quotes the address", field, addr, err)
			}
		}
	}
}

func TestDialError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	s := &mail.Sender{Addr: addr, Timeout: 10 * time.Second}
	start := time.Now()
	_, err = s.Send(t.Context(), japaneseMessage())
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	var e *mail.Error
	if !errors.As(err, &e) || e.Step != "dial" {
		t.Fatalf("err = %v, want a dial error", err)
	}
	if errors.Is(err, mail.ErrRejected) {
		t.Error("a dial error is not a rejection")
	}
	if strings.Contains(err.Error(), "yamada") {
		t.Errorf("error %q", err)
	}
}

// silentServer accepts connections and never says anything, like a relay
// that hangs.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().String()
}

func TestContextCancel(t *testing.T) {
	addr := silentServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	s := &mail.Sender{Addr: addr, Timeout: 20 * time.Second}
	start := time.Now()
	_, err := s.Send(ctx, japaneseMessage())
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v after cancel", d)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var e *mail.Error
	if !errors.As(err, &e) || e.Step != "greeting" {
		t.Errorf("err = %v, want a greeting error", err)
	}

	// Cancelled before it starts: nothing is dialled.
	_, err = s.Send(ctx, japaneseMessage())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestTimeout(t *testing.T) {
	s := &mail.Sender{Addr: silentServer(t), Timeout: 200 * time.Millisecond}
	start := time.Now()
	_, err := s.Send(t.Context(), japaneseMessage())
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v with a 200ms timeout", d)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestSTARTTLS(t *testing.T) {
	srv := smtptest.StartTLS(t)
	s := sender(srv)
	s.TLSConfig = srv.TLSConfig()
	for _, mode := range []string{"", "starttls", "starttls-required"} {
		s.TLS = mode
		if _, err := s.Send(t.Context(), japaneseMessage()); err != nil {
			t.Fatalf("TLS %q: %v", mode, err)
		}
	}
	msgs := srv.Messages()
	if len(msgs) != 3 {
		t.Fatalf("%d messages", len(msgs))
	}
	for _, r := range msgs {
		if !r.TLS {
			t.Error("message came without TLS")
		}
		p, err := r.Parse()
		if err != nil || p.Subject != japaneseMessage().Subject {
			t.Errorf("parse: %v", err)
		}
	}

	// An untrusted certificate stops the send before anything is said.
	s.TLS = ""
	s.TLSConfig = nil
	_, err := s.Send(t.Context(), japaneseMessage())
	var e *mail.Error
	if !errors.As(err, &e) || e.Step != "starttls" {
		t.Errorf("untrusted certificate: err = %v, want a starttls error", err)
	}

	// "none" never upgrades.
	s.TLS = "none"
	if _, err := s.Send(t.Context(), japaneseMessage()); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(); len(msgs) != 4 || msgs[3].TLS {
		t.Error(`TLS "none" used TLS`)
	}
}

func TestSTARTTLSRequired(t *testing.T) {
	srv := smtptest.Start(t)
	s := sender(srv)
	s.TLS = "starttls-required"
	_, err := s.Send(t.Context(), japaneseMessage())
	var e *mail.Error
	if !errors.As(err, &e) || e.Step != "starttls" {
		t.Errorf("err = %v, want a starttls error", err)
	}
	if len(srv.Messages()) != 0 {
		t.Error("sent without TLS")
	}
}

func TestImplicitTLSToPlainServer(t *testing.T) {
	srv := smtptest.Start(t)
	s := sender(srv)
	s.TLS = "tls"
	_, err := s.Send(t.Context(), japaneseMessage())
	var e *mail.Error
	if !errors.As(err, &e) || e.Step != "tls" {
		t.Errorf("err = %v, want a tls error", err)
	}
}

func TestBadTLSMode(t *testing.T) {
	s := &mail.Sender{Addr: "127.0.0.1:25", TLS: "yes"}
	if _, err := s.Send(t.Context(), japaneseMessage()); err == nil {
		t.Error("no error")
	}
}

func TestAuth(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RequireAuth("hogo", "s3cret")
	s := sender(srv)

	_, err := s.Send(t.Context(), japaneseMessage())
	var e *mail.Error
	if !errors.As(err, &e) || e.Step != "MAIL" || e.Code != 530 {
		t.Errorf("without credentials: err = %v, want MAIL 530", err)
	}

	s.Username, s.Password = "hogo", "wrong"
	_, err = s.Send(t.Context(), japaneseMessage())
	if !errors.As(err, &e) || e.Step != "auth" || e.Code != 535 {
		t.Errorf("wrong password: err = %v, want auth 535", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error %q holds the password", err)
	}

	s.Password = "s3cret"
	if _, err := s.Send(t.Context(), japaneseMessage()); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || msgs[0].Username != "hogo" {
		t.Errorf("messages %+v", msgs)
	}
}

func TestAuthOverSTARTTLS(t *testing.T) {
	srv := smtptest.StartTLS(t)
	srv.RequireAuth("hogo", "s3cret")
	s := sender(srv)
	s.TLSConfig = srv.TLSConfig()
	s.Username, s.Password = "hogo", "s3cret"
	if _, err := s.Send(t.Context(), japaneseMessage()); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || !msgs[0].TLS || msgs[0].Username != "hogo" {
		t.Errorf("messages %+v", msgs)
	}
}

func TestWaitContext(t *testing.T) {
	srv := smtptest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := srv.Wait(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}
