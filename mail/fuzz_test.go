package mail_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/mail/smtptest"
)

// FuzzBytes checks that any message is either refused with a FieldError or
// written so that a standard-library reader gets back what was given.
func FuzzBytes(f *testing.F) {
	m := japaneseMessage()
	f.Add(m.From, m.FromName, m.To, m.Subject, m.Text, m.Attachments[0].Name, m.Attachments[0].Data)
	f.Add("privacy@example.jp", "", "yamada@example.jp", "", "", "", []byte(nil))
	f.Add("a@example.jp", "A B", "b.c+d@example.jp", "=?UTF-8?B?5pel?=", "line\r\n.\r\n", "a.txt", []byte("."))
	f.Add("a@example.jp", " x ", "b@example.jp", "  two  spaces  ", "\n\n", "%41.pdf", []byte{0})
	f.Add("a@[127.0.0.1]", "\"q\"", "b@example.jp", strings.Repeat("あ", 200), strings.Repeat("い", 100), strings.Repeat("う", 100), []byte("x"))
	f.Add("a@example.jp", "名前", "b@example.jp\nBcc: c@example.jp", "件名", "本文", "名前.pdf", []byte("x"))
	f.Fuzz(func(t *testing.T, from, fromName, to, subject, text, attName string, attData []byte) {
		m := &mail.Message{From: from, FromName: fromName, To: to, Subject: subject, Text: text}
		if attName != "" || attData != nil {
			m.Attachments = []mail.Attachment{{Name: attName, ContentType: "application/pdf", Data: attData}}
		}
		checkRoundTrip(t, m)
		// Random addresses are seldom valid, which would leave the rest
		// untried: try it again with addresses that are.
		m.From, m.To = "privacy@example.jp", "yamada@example.jp"
		checkRoundTrip(t, m)
	})
}

func checkRoundTrip(t *testing.T, m *mail.Message) {
	b, err := m.Bytes(sent, "fuzz@example.jp")
	if err != nil {
		var fe *mail.FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("error %v is not a FieldError", err)
		}
		return
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF", i+1)
		}
		if len(line) > 998 {
			t.Fatalf("line %d is %d long", i+1, len(line))
		}
	}
	_, body, _ := bytes.Cut(b, []byte("\r\n\r\n"))
	for i, line := range strings.Split(string(body), "\r\n") {
		if len(line) > 78 {
			t.Fatalf("body line %d is %d long", i+1, len(line))
		}
	}
	p, err := smtptest.Received{Data: b}.Parse()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, b)
	}
	if p.Subject != m.Subject {
		t.Errorf("Subject %q, want %q", p.Subject, m.Subject)
	}
	if want := strings.ReplaceAll(m.Text, "\r\n", "\n"); p.Text != want {
		t.Errorf("Text %q, want %q", p.Text, want)
	}
	if p.To != m.To || p.From != m.From || p.FromName != m.FromName {
		t.Errorf("From %q <%s>, To %s; want %q <%s>, %s", p.FromName, p.From, p.To, m.FromName, m.From, m.To)
	}
	if len(p.Attachments) != len(m.Attachments) {
		t.Fatalf("%d attachments, want %d", len(p.Attachments), len(m.Attachments))
	}
	for i, a := range m.Attachments {
		if p.Attachments[i].Name != a.Name || !bytes.Equal(p.Attachments[i].Data, a.Data) {
			t.Errorf("attachment %q, want %q", p.Attachments[i].Name, a.Name)
		}
	}
}
