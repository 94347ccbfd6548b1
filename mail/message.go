// Package mail writes and sends e-mail: the one-time codes and answer-download
// links sent to people who made a personal-information request.
//
// Messages are plain RFC 5322 + MIME with everything outside printable ASCII
// encoded (RFC 2047 encoded-words in headers, base64 bodies), so they pass
// unchanged through any relay, old or new, whatever it does with 8-bit data.
// Sending uses the standard library's net/smtp.
//
// The addresses of the people mailed are personal data. Nothing this package
// returns as an error, and so nothing a caller logs from it, contains an
// address, a subject or a body: errors name the field or the SMTP step.
package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	netmail "net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is one e-mail to one person.
type Message struct {
	// From is the sender's address only, e.g. privacy@example.jp; its domain
	// also names the Message-ID.
	From string
	// FromName is the sender's display name, e.g. "株式会社ひので人材サービス
	// 個人情報窓口"; empty for none.
	FromName string
	// To is the recipient's address only: one person per message, so that no
	// requester ever sees another's address.
	To string
	// Subject may be Japanese.
	Subject string
	// Text is the plain-text body in UTF-8. Lines may end in "\n" or "\r\n";
	// they are sent as CRLF, the canonical form of text (RFC 2046).
	Text string
	// Attachments follow the text in a multipart/mixed message.
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	// Name is the file name the recipient sees; it may be Japanese.
	Name string
	// ContentType is a MIME type such as application/pdf; empty means
	// application/octet-stream.
	ContentType string
	// Data is the file's content.
	Data []byte
}

// FieldError reports a Message field, or an argument of Bytes, that cannot be
// sent. It names the field and the problem but never holds the value, since
// values are addresses and texts about a person.
type FieldError struct {
	// Field is the field's name, e.g. "To" or "Attachments[0].Name".
	Field string
	// Problem says what is wrong without quoting the value.
	Problem string
}

// Error gives the field and the problem, e.g. "mail: To: not a valid
// address".
func (e *FieldError) Error() string { return "mail: " + e.Field + ": " + e.Problem }

func fieldErr(field, problem string) error { return &FieldError{Field: field, Problem: problem} }

// Line-length limits. RFC 5322 allows 998 octets but asks for 78; RFC 2047
// caps a header line that holds encoded-words at 76, and RFC 2045 caps base64
// lines at 76. Keeping to the smallest keeps old relays and clients happy.
const (
	maxHeaderLine = 76
	base64Line    = 76
)

// Bytes returns the message as it goes over the wire, with CRLF line endings.
// The Date header is now, in now's own zone (so a time in Asia/Tokyo gives
// +0900); messageID is the Message-ID without its angle brackets, e.g.
// "5f0c…@example.jp". The same arguments give the same bytes.
func (m *Message) Bytes(now time.Time, messageID string) ([]byte, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	if now.IsZero() {
		return nil, fieldErr("Date", "no time given")
	}
	if err := checkMessageID(messageID); err != nil {
		return nil, err
	}

	var b bytes.Buffer
	writeHeader(&b, "Date", now.Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	writeFrom(&b, m.FromName, m.From)
	writeHeader(&b, "To", m.To)
	writeText(&b, "Subject", m.Subject)
	writeHeader(&b, "Message-ID", "<"+messageID+">")
	writeHeader(&b, "MIME-Version", "1.0")

	if len(m.Attachments) == 0 {
		writeTextPart(&b, m.Text)
		return b.Bytes(), nil
	}

	// The boundary comes from the Message-ID so that Bytes stays a pure
	// function. It begins with "=_", which base64 never produces, and every
	// part is base64, so it cannot occur inside a part.
	sum := sha256.Sum256([]byte(messageID))
	boundary := "=_" + hex.EncodeToString(sum[:12])
	writeHeader(&b, "Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": boundary}))
	b.WriteString("\r\n")
	b.WriteString("--" + boundary + "\r\n")
	writeTextPart(&b, m.Text)
	for _, a := range m.Attachments {
		b.WriteString("\r\n--" + boundary + "\r\n")
		ct := "application/octet-stream"
		if a.ContentType != "" {
			mt, params, _ := mime.ParseMediaType(a.ContentType) // checked in validate
			ct = mime.FormatMediaType(mt, params)
		}
		writeHeader(&b, "Content-Type", ct)
		writeHeader(&b, "Content-Transfer-Encoding", "base64")
		writeParams(&b, "Content-Disposition", "attachment", filenameParams(a.Name))
		b.WriteString("\r\n")
		writeBase64(&b, a.Data)
	}
	b.WriteString("\r\n--" + boundary + "--\r\n")
	return b.Bytes(), nil
}

// writeTextPart writes the Content-Type and body of the text: base64 rather
// than quoted-printable because Japanese text is mostly non-ASCII, where
// base64 is a third smaller.
func writeTextPart(b *bytes.Buffer, text string) {
	writeHeader(b, "Content-Type", "text/plain; charset=UTF-8")
	writeHeader(b, "Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\n", "\r\n")
	writeBase64(b, []byte(text))
}

func writeBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > base64Line {
		b.WriteString(enc[:base64Line])
		b.WriteString("\r\n")
		enc = enc[base64Line:]
	}
	if enc != "" {
		b.WriteString(enc)
		b.WriteString("\r\n")
	}
}

func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(": ")
	b.WriteString(value)
	b.WriteString("\r\n")
}

// writeFrom writes the From header with the display name, if any, as
// encoded-words, and folds it so that no line is longer than 76.
func writeFrom(b *bytes.Buffer, name, addr string) {
	if name == "" {
		writeHeader(b, "From", addr)
		return
	}
	var tokens []string
	if isPlainPhrase(name) {
		tokens = []string{name}
	} else {
		tokens = encodeWords(name, maxHeaderLine-len("From: "))
	}
	tokens = append(tokens, "<"+addr+">")
	writeFolded(b, "From", tokens)
}

// writeText writes an unstructured header such as Subject: as it is when it is
// short printable ASCII that a reader gives back unchanged, otherwise as
// B-encoded words, folded onto lines of at most 76.
func writeText(b *bytes.Buffer, name, value string) {
	if len(name)+2+len(value) <= maxHeaderLine && isPlainText(value) {
		writeHeader(b, name, value)
		return
	}
	writeFolded(b, name, encodeWords(value, maxHeaderLine-len(name)-2))
}

// writeFolded writes tokens separated by spaces, starting a continuation line
// (CRLF and a space) whenever the next token would make the line longer than
// 76. Readers drop the folding; between encoded-words they drop the space too.
func writeFolded(b *bytes.Buffer, name string, tokens []string) {
	b.WriteString(name)
	b.WriteString(":")
	line := len(name) + 1
	for i, t := range tokens {
		if i > 0 && line+1+len(t) > maxHeaderLine {
			b.WriteString("\r\n")
			line = 0
		}
		b.WriteString(" ")
		b.WriteString(t)
		line += 1 + len(t)
	}
	b.WriteString("\r\n")
}

// encodeWords encodes s as RFC 2047 B-encoded words in UTF-8, the form
// mime.BEncoding writes, but sized so that the first word fits in first
// characters and each later one on a continuation line of its own (75, after
// the leading space). Words end on character boundaries: RFC 2047 forbids
// splitting a character between words, and many readers garble it otherwise.
func encodeWords(s string, first int) []string {
	const prefix, suffix = "=?UTF-8?B?", "?="
	budget := first
	var words []string
	for {
		// The most bytes whose base64 (4 characters per 3 bytes) fits.
		maxBytes := (budget - len(prefix) - len(suffix)) / 4 * 3
		n := 0
		for n < len(s) {
			_, size := utf8.DecodeRuneInString(s[n:])
			if n+size > maxBytes && n > 0 {
				break
			}
			n += size
		}
		words = append(words, prefix+base64.StdEncoding.EncodeToString([]byte(s[:n]))+suffix)
		s = s[n:]
		if s == "" {
			return words
		}
		budget = maxHeaderLine - 1
	}
}

// isPlainText reports whether an unstructured header value survives a reader
// as it is: printable ASCII, no leading, trailing or doubled spaces (readers
// trim and collapse them) and nothing that looks like an encoded-word.
func isPlainText(s string) bool {
	if strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") || strings.Contains(s, "=?") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// isPlainPhrase reports whether a display name can be written without quoting
// or encoding: letters, digits and single inner spaces, short enough for one
// line with the address.
func isPlainPhrase(s string) bool {
	if s == "" || len(s) > 40 || s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  ") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ') {
			return false
		}
	}
	return true
}

// param is one parameter of a structured header such as Content-Disposition.
type param struct{ name, value string }

// filenameParams gives the filename parameters of an attachment. A short
// printable ASCII name is a plain quoted filename. Any other name goes in
// filename* (RFC 2231: UTF-8, percent-encoded, split into numbered
// continuations when long), with a plain ASCII filename beside it for readers
// that do not know RFC 2231: "attachment" and the name's extension.
func filenameParams(name string) []param {
	if q := quote(name); q != "" && len(`filename=`)+len(q) <= maxHeaderLine-1 {
		return []param{{"filename", q}}
	}
	fallback := "attachment"
	if i := strings.LastIndexByte(name, '.'); i >= 0 && isExtension(name[i+1:]) {
		fallback += name[i:]
	}
	ps := []param{{"filename", `"` + fallback + `"`}}

	// Each continuation goes on its own line: " filename*N*=VALUE;".
	const prefix = "UTF-8''"
	budget := maxHeaderLine - len(" filename*10*=;") - len(prefix)
	var pieces []string
	var cur strings.Builder
	for _, r := range name {
		enc := pctEncode(string(r))
		if cur.Len() > 0 && cur.Len()+len(enc) > budget {
			pieces = append(pieces, cur.String())
			cur.Reset()
			budget = maxHeaderLine - len(" filename*10*=;")
		}
		cur.WriteString(enc)
	}
	pieces = append(pieces, cur.String())
	if len(pieces) == 1 {
		return append(ps, param{"filename*", prefix + pieces[0]})
	}
	for i, p := range pieces {
		if i == 0 {
			p = prefix + p
		}
		ps = append(ps, param{fmt.Sprintf("filename*%d*", i), p})
	}
	return ps
}

// quote returns s as a MIME quoted-string, or "" if s is not printable ASCII.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' {
			return ""
		}
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}

func isExtension(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// pctEncode percent-encodes every byte that is not an RFC 2231
// attribute-char.
func pctEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// writeParams writes a structured header with its parameters, each parameter
// on a continuation line of its own when they do not all fit on one line.
func writeParams(b *bytes.Buffer, name, value string, ps []param) {
	n := len(name) + 2 + len(value)
	for _, p := range ps {
		n += 2 + len(p.name) + 1 + len(p.value)
	}
	sep := "; "
	if n > maxHeaderLine {
		sep = ";\r\n "
	}
	b.WriteString(name + ": " + value)
	for _, p := range ps {
		b.WriteString(sep)
		b.WriteString(p.name + "=" + p.value)
	}
	b.WriteString("\r\n")
}

// validate checks every field, so that what Bytes writes is well formed and no
// value can add or end a header (header injection).
func (m *Message) validate() error {
	if m == nil {
		return errors.New("mail: nil message")
	}
	if err := checkAddress("From", m.From); err != nil {
		return err
	}
	if err := checkAddress("To", m.To); err != nil {
		return err
	}
	if err := checkLine("FromName", m.FromName); err != nil {
		return err
	}
	if err := checkLine("Subject", m.Subject); err != nil {
		return err
	}
	if !utf8.ValidString(m.Text) {
		return fieldErr("Text", "not valid UTF-8")
	}
	// A lone CR has no canonical form in text (RFC 2046 4.1.1) and would not
	// come back as it was sent.
	if strings.Contains(strings.ReplaceAll(m.Text, "\r\n", ""), "\r") {
		return fieldErr("Text", "contains a CR that does not end a line")
	}
	for i, a := range m.Attachments {
		field := fmt.Sprintf("Attachments[%d]", i)
		if a.Name == "" {
			return fieldErr(field+".Name", "empty")
		}
		if err := checkLine(field+".Name", a.Name); err != nil {
			return err
		}
		if a.ContentType != "" {
			if strings.ContainsAny(a.ContentType, "\r\n") {
				return fieldErr(field+".ContentType", "contains a line break")
			}
			mt, _, err := mime.ParseMediaType(a.ContentType)
			if err != nil {
				return fieldErr(field+".ContentType", "not a MIME type")
			}
			// Multipart and message parts may not be base64-encoded
			// (RFC 2045 6.4), and every part here is.
			if strings.HasPrefix(mt, "multipart/") || strings.HasPrefix(mt, "message/") {
				return fieldErr(field+".ContentType", "multipart and message types cannot be attached")
			}
		}
	}
	return nil
}

// checkLine checks a value that goes into a header: it must be UTF-8 and hold
// no control character, CR and LF above all.
func checkLine(field, s string) error {
	if strings.ContainsAny(s, "\r\n") {
		return fieldErr(field, "contains a line break")
	}
	if !utf8.ValidString(s) {
		return fieldErr(field, "not valid UTF-8")
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			return fieldErr(field, "contains a control character")
		}
	}
	return nil
}

// checkAddress checks that s is a bare address (no display name, no comment)
// in ASCII: UTF-8 addresses need SMTPUTF8, which relays may not offer, and a
// domain can be given in its ASCII (punycode) form. net/mail's error is not
// passed on because it can quote the address.
func checkAddress(field, s string) error {
	if s == "" {
		return fieldErr(field, "empty")
	}
	if strings.ContainsAny(s, "\r\n") {
		return fieldErr(field, "contains a line break")
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return fieldErr(field, "must be an ASCII address without spaces")
		}
	}
	// RFC 5321's limits (4.5.3.1): longer ones no relay need accept.
	at := strings.LastIndexByte(s, '@')
	if len(s) > 254 || at > 64 {
		return fieldErr(field, "too long for SMTP")
	}
	a, err := netmail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return fieldErr(field, "not a valid address")
	}
	return nil
}

// checkMessageID checks an id-left@id-right Message-ID without angle brackets.
func checkMessageID(id string) error {
	left, right, ok := strings.Cut(id, "@")
	if !ok || left == "" || right == "" || strings.Contains(right, "@") {
		return fieldErr("Message-ID", "must be id-left@id-right without angle brackets")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c > '~' || strings.IndexByte(`<>"\(),:;`, c) >= 0 {
			return fieldErr("Message-ID", "contains a character not allowed in a Message-ID")
		}
	}
	return nil
}

// domainOf returns the domain of a checked address.
func domainOf(addr string) string {
	return addr[strings.LastIndexByte(addr, '@')+1:]
}
