package smtptest_test

import (
	"context"
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo/mail/smtptest"
)

// A message as another mail client might write it: quoted-printable text
// inside multipart/alternative, an attachment named only in Content-Type, and
// one with an RFC 2231 name in continuations.
const foreign = "From: =?UTF-8?Q?=E7=AA=93=E5=8F=A3?= <privacy@example.jp>\r\n" +
	"To: \"Yamada\" <yamada@example.jp>\r\n" +
	"Subject: =?UTF-8?B?5Zue562U?= and =?UTF-8?Q?=E6=9B=B8?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=outer\r\n" +
	"\r\n" +
	"preamble\r\n" +
	"--outer\r\n" +
	"Content-Type: multipart/alternative; boundary=inner\r\n" +
	"\r\n" +
	"--inner\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"=E6=9C=AC=E6=96=87 soft=\r\n" +
	"break\r\n" +
	"--inner--\r\n" +
	"--outer\r\n" +
	"Content-Type: application/pdf; name=\"a.pdf\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"JVBE\r\n" +
	"Rg==\r\n" +
	"--outer\r\n" +
	"Content-Type: text/csv\r\n" +
	"Content-Disposition: attachment;\r\n" +
	" filename*0*=UTF-8''%E5%9B%9E;\r\n" +
	" filename*1*=%E7%AD%94.csv\r\n" +
	"\r\n" +
	"a,b\r\n" +
	"--outer--\r\n"

func TestParseForeign(t *testing.T) {
	p, err := smtptest.Received{Data: []byte(foreign)}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if p.From != "privacy@example.jp" || p.FromName != "窓口" || p.To != "yamada@example.jp" {
		t.Errorf("addresses %q <%s> %s", p.FromName, p.From, p.To)
	}
	if p.Subject != "回答 and 書" {
		t.Errorf("Subject %q", p.Subject)
	}
	if p.Text != "本文 softbreak" { // the CRLF before a boundary belongs to it
		t.Errorf("Text %q", p.Text)
	}
	if len(p.Attachments) != 2 {
		t.Fatalf("%d attachments", len(p.Attachments))
	}
	if a := p.Attachments[0]; a.Name != "a.pdf" || a.ContentType != "application/pdf" || string(a.Data) != "%PDF" {
		t.Errorf("attachment 0: %+v", a)
	}
	if a := p.Attachments[1]; a.Name != "回答.csv" || a.ContentType != "text/csv" || string(a.Data) != "a,b" {
		t.Errorf("attachment 1: %+v", a)
	}
}

func TestParseRefuses(t *testing.T) {
	for name, data := range map[string]string{
		"no From":  "To: a@example.jp\r\n\r\nx",
		"charset":  "From: a@example.jp\r\nTo: b@example.jp\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\nx",
		"base64":   "From: a@example.jp\r\nTo: b@example.jp\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n",
		"encoding": "From: a@example.jp\r\nTo: b@example.jp\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nx",
	} {
		if _, err := (smtptest.Received{Data: []byte(data)}).Parse(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestServer drives the server with net/smtp directly, so that it is tested
// apart from the package it serves.
func TestServer(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RejectRecipient("Gone@Example.jp")
	c, err := smtp.Dial(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("privacy@example.jp"); err != nil {
		t.Fatal(err)
	}
	var tp *textproto.Error
	if err := c.Rcpt("gone@example.jp"); !errors.As(err, &tp) || tp.Code != 550 {
		t.Errorf("rejected recipient: %v", err)
	}
	if err := c.Rcpt("yamada@example.jp"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	const data = "From: privacy@example.jp\r\nTo: yamada@example.jp\r\nSubject: hi\r\n\r\n.leading dot\r\n"
	if _, err := w.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c.Quit()

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	msgs, err := srv.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := msgs[0]
	if r.From != "privacy@example.jp" || strings.Join(r.To, ",") != "yamada@example.jp" || string(r.Data) != data || r.TLS {
		t.Errorf("received %+v", r)
	}
	// Messages hands out copies.
	r.Data[0] = 'X'
	r.To[0] = "x"
	if m := srv.Messages()[0]; m.Data[0] != 'F' || m.To[0] != "yamada@example.jp" {
		t.Error("Messages shares its slices")
	}
	if srv.TLSConfig() != nil {
		t.Error("TLSConfig of a server without TLS")
	}
}

func TestWaitMany(t *testing.T) {
	srv := smtptest.Start(t)
	go func() {
		for range 3 {
			smtp.SendMail(srv.Addr(), nil, "privacy@example.jp", []string{"yamada@example.jp"}, []byte("Subject: x\r\n\r\nx\r\n"))
		}
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	msgs, err := srv.Wait(ctx, 3)
	if err != nil || len(msgs) != 3 {
		t.Fatalf("%d messages, %v", len(msgs), err)
	}
}
