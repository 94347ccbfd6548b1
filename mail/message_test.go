package mail_test

import (
	"bytes"
	"errors"
	"mime"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/mail/smtptest"
)

// parse reads b back as smtptest's server would have received it.
func parse(t testing.TB, b []byte) *smtptest.Parsed {
	t.Helper()
	p, err := smtptest.Received{Data: b}.Parse()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, b)
	}
	return p
}

func TestBytesGolden(t *testing.T) {
	m := &mail.Message{
		From:    "privacy@example.jp",
		To:      "yamada@example.jp",
		Subject: "Your code",
		Text:    "123456\n",
	}
	got, err := m.Bytes(sent, "abc@example.jp")
	if err != nil {
		t.Fatal(err)
	}
	want := "Date: Wed, 01 Apr 2026 09:30:00 +0900\r\n" +
		"From: privacy@example.jp\r\n" +
		"To: yamada@example.jp\r\n" +
		"Subject: Your code\r\n" +
		"Message-ID: <abc@example.jp>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=UTF-8\r\n" +
		"Content-Transfer-Encoding: base64\r\n" +
		"\r\n" +
		"MTIzNDU2DQo=\r\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	again, _ := m.Bytes(sent, "abc@example.jp")
	if !bytes.Equal(got, again) {
		t.Error("Bytes is not deterministic")
	}
}

func TestDateZone(t *testing.T) {
	m := japaneseMessage()
	utc := time.Date(2026, 4, 1, 0, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{sent, "Wed, 01 Apr 2026 09:30:00 +0900"},
		{utc, "Wed, 01 Apr 2026 00:30:00 +0000"},
	} {
		b, err := m.Bytes(c.t, "x@example.jp")
		if err != nil {
			t.Fatal(err)
		}
		if got := parse(t, b).Header.Get("Date"); got != c.want {
			t.Errorf("Date %q, want %q", got, c.want)
		}
	}
	if tz, err := time.LoadLocation("Asia/Tokyo"); err == nil {
		b, _ := m.Bytes(utc.In(tz), "x@example.jp")
		if got := parse(t, b).Header.Get("Date"); got != "Wed, 01 Apr 2026 09:30:00 +0900" {
			t.Errorf("Asia/Tokyo: Date %q", got)
		}
	}
	if _, err := m.Bytes(time.Time{}, "x@example.jp"); err == nil {
		t.Error("zero time accepted")
	}
}

func TestLongSubject(t *testing.T) {
	m := japaneseMessage()
	m.Subject = strings.Repeat("個人情報の開示請求に対する回答書を送付いたします。", 5) // 125 characters
	b, err := m.Bytes(sent, "x@example.jp")
	if err != nil {
		t.Fatal(err)
	}
	h, _, _ := bytes.Cut(b, []byte("\r\n\r\n"))
	_, subject, _ := strings.Cut(string(h), "\r\nSubject:")
	subject, _, _ = strings.Cut(subject, "\r\nMessage-ID:")
	lines := strings.Split(subject, "\r\n")
	if len(lines) < 5 {
		t.Errorf("subject on %d lines, want several", len(lines))
	}
	var words []string
	for i, line := range lines {
		if len(line) > 76-len("Subject:") && i == 0 || len(line) > 76 {
			t.Errorf("line %d is %d long", i, len(line))
		}
		if !strings.HasPrefix(line, " ") {
			t.Errorf("line %d does not continue the header: %q", i, line)
		}
		words = append(words, strings.Fields(line)...)
	}
	dec := new(mime.WordDecoder)
	for _, w := range words {
		if len(w) > 75 || !strings.HasPrefix(w, "=?UTF-8?B?") || !strings.HasSuffix(w, "?=") {
			t.Errorf("word %q", w)
		}
		// Each word decodes on its own: no character is split between two.
		if _, err := dec.Decode(w); err != nil {
			t.Errorf("word %q: %v", w, err)
		}
	}
	if got := parse(t, b).Subject; got != m.Subject {
		t.Errorf("Subject %q, want %q", got, m.Subject)
	}
}

func TestBodyLines(t *testing.T) {
	m := japaneseMessage()
	m.Text = strings.Repeat("本人からの開示等の請求に応じ、保有個人データを遅滞なく開示します。", 40) + "\n" +
		strings.Repeat("a", 500) + "\n"
	m.Attachments = append(m.Attachments, mail.Attachment{Name: "data.csv", ContentType: "text/csv; charset=UTF-8", Data: bytes.Repeat([]byte("氏名,住所\r\n"), 200)})
	b, err := m.Bytes(sent, "x@example.jp")
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, b, 78)
	p := parse(t, b)
	if p.Text != m.Text {
		t.Error("text does not round-trip")
	}
	if len(p.Attachments) != 2 || p.Attachments[1].ContentType != "text/csv; charset=UTF-8" || !bytes.Equal(p.Attachments[1].Data, m.Attachments[1].Data) {
		t.Error("CSV attachment does not round-trip")
	}
}

func TestTextLineEndings(t *testing.T) {
	m := japaneseMessage()
	m.Text = "一行目\r\n二行目\n三行目"
	b, err := m.Bytes(sent, "x@example.jp")
	if err != nil {
		t.Fatal(err)
	}
	if got := parse(t, b).Text; got != "一行目\n二行目\n三行目" {
		t.Errorf("Text %q", got)
	}
	m.Text = "一行目\r二行目"
	var fe *mail.FieldError
	if _, err := m.Bytes(sent, "x@example.jp"); !errors.As(err, &fe) || fe.Field != "Text" {
		t.Errorf("lone CR: err = %v", err)
	}
	m.Text = "\xff"
	if _, err := m.Bytes(sent, "x@example.jp"); !errors.As(err, &fe) || fe.Field != "Text" {
		t.Errorf("invalid UTF-8: err = %v", err)
	}
}

func TestAttachmentNames(t *testing.T) {
	for _, name := range []string{
		"回答書.pdf",
		"answer.pdf",
		`a "quoted" name\.pdf`,
		"100% done; really.txt",
		strings.Repeat("保有個人データ開示回答書", 6) + ".pdf",
		strings.Repeat("long-ascii-name-", 8) + ".pdf",
		"😀 emoji.png",
	} {
		m := japaneseMessage()
		m.Attachments[0].Name = name
		b, err := m.Bytes(sent, "x@example.jp")
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		checkLines(t, b, 78)
		p := parse(t, b)
		if len(p.Attachments) != 1 || p.Attachments[0].Name != name {
			t.Errorf("%q: got %+v", name, p.Attachments)
		}
	}
}

func TestFromName(t *testing.T) {
	for _, name := range []string{
		"",
		"Hinode Privacy",
		"株式会社ひので人材サービス 個人情報窓口",
		`"Quoted" <name>, with; specials`,
		" leading and trailing ",
		strings.Repeat("個人情報保護管理者", 10),
	} {
		m := japaneseMessage()
		m.FromName = name
		b, err := m.Bytes(sent, "x@example.jp")
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		checkLines(t, b, 78)
		p := parse(t, b)
		if p.FromName != name || p.From != m.From {
			t.Errorf("%q: got %q <%s>", name, p.FromName, p.From)
		}
	}
}

func TestAttachmentChecks(t *testing.T) {
	for _, c := range []struct {
		field string
		a     mail.Attachment
	}{
		{"Attachments[0].Name", mail.Attachment{Name: "", ContentType: "application/pdf"}},
		{"Attachments[0].Name", mail.Attachment{Name: "a\x00.pdf"}},
		{"Attachments[0].ContentType", mail.Attachment{Name: "a.pdf", ContentType: "not a type"}},
		{"Attachments[0].ContentType", mail.Attachment{Name: "a.eml", ContentType: "message/rfc822"}},
		{"Attachments[0].ContentType", mail.Attachment{Name: "a", ContentType: "multipart/mixed; boundary=x"}},
	} {
		m := japaneseMessage()
		m.Attachments = []mail.Attachment{c.a}
		_, err := m.Bytes(sent, "x@example.jp")
		var fe *mail.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: err = %v, want a FieldError for %s", c.a, err, c.field)
		}
	}
	m := japaneseMessage()
	m.Attachments[0].ContentType = ""
	b, err := m.Bytes(sent, "x@example.jp")
	if err != nil {
		t.Fatal(err)
	}
	if ct := parse(t, b).Attachments[0].ContentType; ct != "application/octet-stream" {
		t.Errorf("default ContentType %q", ct)
	}
}

func TestMessageIDChecked(t *testing.T) {
	m := japaneseMessage()
	for _, id := range []string{"", "x", "<x@example.jp>", "x@", "x y@example.jp", "x@example.jp\r\nBcc: a@example.jp"} {
		var fe *mail.FieldError
		if _, err := m.Bytes(sent, id); !errors.As(err, &fe) || fe.Field != "Message-ID" {
			t.Errorf("%q: err = %v", id, err)
		}
	}
}
