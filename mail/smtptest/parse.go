package smtptest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"

	"hogo.example.jp/hogo/mail"
)

// Parsed is a received message read back as a mail client would show it.
type Parsed struct {
	// From and FromName are the From header's address and decoded display
	// name.
	From, FromName string
	// To is the To header's address.
	To string
	// Subject is the decoded Subject.
	Subject string
	// Text is the decoded text/plain body with "\n" line endings.
	Text string
	// Header is the whole header as received, encoded-words and all.
	Header netmail.Header
	// Attachments are the parts given as attachments (or with a file name),
	// in order, with their decoded names (RFC 2231 or plain) and contents.
	Attachments []mail.Attachment

	hasText bool
}

// Parse reads the message with the standard library only: net/mail for the
// header and addresses, mime for encoded-words and RFC 2231 parameters,
// mime/multipart for the parts, base64 and quoted-printable for the bodies.
// Only UTF-8 and US-ASCII text is decoded; other charsets are an error.
func (r Received) Parse() (*Parsed, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		return nil, fmt.Errorf("smtptest: header: %w", err)
	}
	p := &Parsed{Header: msg.Header}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		return nil, fmt.Errorf("smtptest: From: want one address (%v)", err)
	}
	p.From, p.FromName = from[0].Address, from[0].Name
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 {
		return nil, fmt.Errorf("smtptest: To: want one address (%v)", err)
	}
	p.To = to[0].Address
	p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return nil, fmt.Errorf("smtptest: Subject: %w", err)
	}
	if err := p.part(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Header.Get("Content-Disposition"), msg.Body); err != nil {
		return nil, err
	}
	return p, nil
}

// part reads one body part, going into multiparts.
func (p *Parsed) part(contentType, cte, disposition string, body io.Reader) error {
	mt, params := "text/plain", map[string]string{"charset": "us-ascii"}
	if contentType != "" {
		var err error
		mt, params, err = mime.ParseMediaType(contentType)
		if err != nil {
			return fmt.Errorf("smtptest: Content-Type: %w", err)
		}
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextRawPart leaves Content-Transfer-Encoding to decodeBody,
			// so that every part is decoded the same way.
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("smtptest: multipart: %w", err)
			}
			h := part.Header
			if err := p.part(h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), h.Get("Content-Disposition"), part); err != nil {
				return err
			}
		}
	}

	data, err := decodeBody(cte, body)
	if err != nil {
		return err
	}
	var name, dispType string
	if disposition != "" {
		var dparams map[string]string
		dispType, dparams, err = mime.ParseMediaType(disposition)
		if err != nil {
			return fmt.Errorf("smtptest: Content-Disposition: %w", err)
		}
		name = dparams["filename"]
	}
	if name == "" {
		name = params["name"]
	}
	if dispType == "attachment" || name != "" || mt != "text/plain" {
		delete(params, "name")
		p.Attachments = append(p.Attachments, mail.Attachment{
			Name:        name,
			ContentType: mime.FormatMediaType(mt, params),
			Data:        data,
		})
		return nil
	}
	if p.hasText {
		return errors.New("smtptest: more than one text part")
	}
	p.hasText = true
	switch cs := strings.ToLower(params["charset"]); cs {
	case "", "utf-8", "us-ascii":
	default:
		return fmt.Errorf("smtptest: text charset %s not supported", cs)
	}
	p.Text = strings.ReplaceAll(string(data), "\r\n", "\n")
	return nil
}

// decodeBody undoes a Content-Transfer-Encoding.
func decodeBody(cte string, body io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("smtptest: body: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit", "8bit", "binary":
		return raw, nil
	case "base64":
		// The decoder skips CR and LF; other white space is not base64.
		data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
		if err != nil {
			return nil, fmt.Errorf("smtptest: base64 body: %w", err)
		}
		return data, nil
	case "quoted-printable":
		data, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return nil, fmt.Errorf("smtptest: quoted-printable body: %w", err)
		}
		return data, nil
	default:
		return nil, fmt.Errorf("smtptest: Content-Transfer-Encoding %s not supported", cte)
	}
}
