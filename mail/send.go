package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"regexp"
	"strings"
	"time"
)

// ErrRejected is matched (errors.Is) by a send error when the relay refused
// the message for good: a 5xx reply to MAIL, RCPT or DATA. Sending it again
// will fail again, so callers should not retry; Error.Step tells whether it
// was the recipient (RCPT) that was refused.
var ErrRejected = errors.New("mail: rejected permanently by the relay")

// Error is a failed send. Its text says which step failed and, for an SMTP
// reply, the reply code; it never holds an address, and it leaves out the
// reply's text too, because relays often quote the address there.
type Error struct {
	// Step is the step that failed: "dial", "tls" (implicit TLS handshake),
	// "greeting", "EHLO", "starttls", "auth", "MAIL", "RCPT" or "DATA".
	Step string
	// Code is the SMTP reply code, or 0 when the failure was not a reply
	// (a network error, a timeout, a refusal on this side).
	Code int
	// EnhancedCode is the reply's enhanced status code (RFC 3463) such as
	// "5.1.1", when the relay sent one.
	EnhancedCode string

	err error // the cause when Code is 0
}

// Error gives the step and the reply code or cause, e.g. "mail: RCPT: relay
// replied 550 (5.1.1)".
func (e *Error) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("mail: %s: %v", e.Step, e.err)
	}
	s := fmt.Sprintf("mail: %s: relay replied %d", e.Step, e.Code)
	if e.EnhancedCode != "" {
		s += " (" + e.EnhancedCode + ")"
	}
	return s
}

// Unwrap gives ErrRejected for a permanent refusal of the message, and the
// cause (a net.Error, context.Canceled, context.DeadlineExceeded…) otherwise.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Code >= 500 && e.Code < 600 && (e.Step == "MAIL" || e.Step == "RCPT" || e.Step == "DATA") {
		errs = append(errs, ErrRejected)
	}
	if e.err != nil {
		errs = append(errs, e.err)
	}
	return errs
}

// Sender sends messages through an SMTP relay, one connection per message:
// messages here are few (a code, a link), and a fresh connection leaves no
// state to go stale between them.
type Sender struct {
	// Addr is the relay's host:port.
	Addr string
	// Hello is the name given in EHLO; empty means "localhost".
	Hello string
	// Username and Password, when Username is set, log in with AUTH PLAIN.
	// net/smtp sends them only over TLS or to a loopback host, so a relay
	// that does not offer STARTTLS gets an auth error, not the password.
	Username, Password string
	// TLS is how the connection is protected:
	//   - "" or "starttls": STARTTLS when the relay offers it, plain otherwise
	//     (what relays commonly expect on port 25 and 587);
	//   - "starttls-required": STARTTLS, and fail if the relay does not offer it;
	//   - "tls": TLS from the start (implicit TLS, port 465);
	//   - "none": never TLS.
	TLS string
	// TLSConfig, when set, is used for TLS (tests give their own RootCAs);
	// its ServerName defaults to Addr's host.
	TLSConfig *tls.Config
	// Timeout bounds the whole send, dial to QUIT; 0 means 30 seconds.
	Timeout time.Duration
	// Now gives the Date of messages; nil means time.Now.
	Now func() time.Time
}

// Send sends m and returns its Message-ID (without angle brackets): random hex
// at the From domain, for matching bounces and the relay's logs. Errors are a
// *FieldError for a message that cannot be sent, an *Error naming the step
// that failed, or a plain error for a Sender set up wrong (Addr, TLS); ctx
// and Timeout both bound the send.
func (s *Sender) Send(ctx context.Context, m *Message) (messageID string, err error) {
	if err := m.validate(); err != nil {
		return "", err
	}
	var buf [16]byte
	rand.Read(buf[:]) // never fails (crypto/rand)
	messageID = hex.EncodeToString(buf[:]) + "@" + domainOf(m.From)
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	data, err := m.Bytes(now(), messageID)
	if err != nil {
		return "", err
	}

	mode := s.TLS
	switch mode {
	case "", "starttls", "starttls-required", "tls", "none":
	default:
		return "", errors.New("mail: Sender.TLS must be none, starttls, starttls-required or tls")
	}
	hello := s.Hello
	if hello == "" {
		hello = "localhost"
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return "", errors.New("mail: Sender.Addr must be host:port")
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return "", stepError(ctx, "dial", err)
	}
	defer conn.Close()
	// net/smtp knows nothing of contexts: the deadline bounds every read and
	// write, and a cancellation moves it to the past, which wakes whatever
	// read or write is blocked.
	raw := conn
	deadline, _ := ctx.Deadline()
	raw.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { raw.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	tlsConfig := s.tlsConfig(host)
	if mode == "tls" {
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return "", stepError(ctx, "tls", err)
		}
		conn = tc
	}
	// NewClient reads the greeting; given a *tls.Conn it knows the
	// connection is encrypted, which PlainAuth checks.
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return "", stepError(ctx, "greeting", err)
	}
	defer c.Close()
	if err := c.Hello(hello); err != nil {
		return "", stepError(ctx, "EHLO", err)
	}
	if mode == "" || mode == "starttls" || mode == "starttls-required" {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return "", stepError(ctx, "starttls", err)
			}
		} else if mode == "starttls-required" {
			return "", &Error{Step: "starttls", err: errors.New("relay does not offer STARTTLS")}
		}
	}
	if s.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return "", &Error{Step: "auth", err: errors.New("relay does not offer AUTH")}
		}
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return "", stepError(ctx, "auth", err)
		}
	}
	if err := c.Mail(m.From); err != nil {
		return "", stepError(ctx, "MAIL", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return "", stepError(ctx, "RCPT", err)
	}
	w, err := c.Data()
	if err != nil {
		return "", stepError(ctx, "DATA", err)
	}
	if _, err := w.Write(data); err != nil {
		return "", stepError(ctx, "DATA", err)
	}
	// Close ends the data and reads the relay's verdict on the message.
	if err := w.Close(); err != nil {
		return "", stepError(ctx, "DATA", err)
	}
	// The relay has taken the message: a failed QUIT changes nothing, and
	// reporting it would invite a retry that sends the message twice. Nor
	// is it worth waiting long for.
	if quitBy := time.Now().Add(5 * time.Second); quitBy.Before(deadline) {
		raw.SetDeadline(quitBy)
	}
	c.Quit()
	return messageID, nil
}

func (s *Sender) tlsConfig(host string) *tls.Config {
	var c *tls.Config
	if s.TLSConfig != nil {
		c = s.TLSConfig.Clone()
	} else {
		c = &tls.Config{}
	}
	if c.ServerName == "" {
		c.ServerName = host
	}
	return c
}

// enhancedCode finds an RFC 3463 status code at the start of a reply's text.
var enhancedCode = regexp.MustCompile(`^[245]\.[0-9]{1,3}\.[0-9]{1,3}\b`)

// stepError turns what net/smtp returned into an *Error. A reply keeps only
// its codes. When ctx has ended, the cause is ctx's, whatever the connection
// reported when its deadline cut it off.
func stepError(ctx context.Context, step string, err error) error {
	if tp, ok := errors.AsType[*textproto.Error](err); ok {
		e := &Error{Step: step, Code: tp.Code}
		if ec := enhancedCode.FindString(strings.TrimSpace(tp.Msg)); ec != "" {
			e.EnhancedCode = ec
		}
		return e
	}
	if _, ok := errors.AsType[textproto.ProtocolError](err); ok {
		// Its text is the relay's line as it came, which may quote an
		// address.
		return &Error{Step: step, err: errors.New("malformed reply")}
	}
	if ctx.Err() != nil {
		return &Error{Step: step, err: context.Cause(ctx)}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		// The connection's deadline is ctx's and may pass a moment before
		// ctx itself reports it.
		return &Error{Step: step, err: fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)}
	}
	return &Error{Step: step, err: err}
}
