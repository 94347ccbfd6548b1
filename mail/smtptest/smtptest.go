// Package smtptest runs a real SMTP server on loopback for tests: it speaks
// the protocol as a relay does (github.com/emersion/go-smtp), keeps what it
// receives, and can refuse recipients, offer STARTTLS with a certificate made
// at start, and require AUTH PLAIN. Received.Parse reads a received message
// back with the standard library only, so a test checks the bytes a mail
// client would get, not the sender's own idea of them. It is for tests only:
// nothing that ships imports it.
package smtptest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message as the server got it.
type Received struct {
	// From is the envelope sender (MAIL FROM).
	From string
	// To are the envelope recipients (RCPT TO) that were accepted.
	To []string
	// Data is the message as sent after DATA, CRLF line endings and all.
	Data []byte
	// TLS reports whether the message came over TLS (after STARTTLS).
	TLS bool
	// Username is who logged in with AUTH, if anyone did.
	Username string
}

// Server is a running SMTP server on 127.0.0.1. Its methods are safe for
// concurrent use.
type Server struct {
	srv       *smtp.Server
	addr      string
	clientTLS *tls.Config

	mu       sync.Mutex
	msgs     []Received
	arrived  chan struct{} // closed and replaced when a message arrives
	rejected map[string]bool
	username string
	password string
	closed   bool
}

// Start starts a server without TLS and without AUTH, and closes it when the
// test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, false)
}

// StartTLS starts a server that offers STARTTLS with a self-signed
// certificate for 127.0.0.1 and localhost made at start; a client trusts it
// through TLSConfig. It closes when the test ends.
func StartTLS(t testing.TB) *Server {
	t.Helper()
	return start(t, true)
}

func start(t testing.TB, withTLS bool) *Server {
	t.Helper()
	s := &Server{arrived: make(chan struct{}), rejected: map[string]bool{}}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{server: s, conn: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	s.srv.MaxMessageBytes = 32 << 20
	s.srv.ErrorLog = &testLogger{t: t, s: s}
	if withTLS {
		serverConfig, clientConfig, err := selfSigned()
		if err != nil {
			t.Fatalf("smtptest: certificate: %v", err)
		}
		s.srv.TLSConfig = serverConfig
		s.clientTLS = clientConfig
	} else {
		// Loopback only: a client's password never leaves the machine, and
		// tests of AUTH need not set up TLS.
		s.srv.AllowInsecureAuth = true
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.addr = ln.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.srv.Serve(ln)
	}()
	t.Cleanup(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.srv.Close()
		// Close misses a listener that Serve has not registered yet, as
		// when a test ends before the goroutine ran: close it here too.
		ln.Close()
		<-done
	})
	return s
}

// Addr is the server's host:port on 127.0.0.1.
func (s *Server) Addr() string { return s.addr }

// TLSConfig is a client configuration that trusts the server's certificate,
// for a server from StartTLS; nil for one from Start.
func (s *Server) TLSConfig() *tls.Config {
	if s.clientTLS == nil {
		return nil
	}
	return s.clientTLS.Clone()
}

// RequireAuth makes the server require AUTH PLAIN with these credentials
// before MAIL FROM, from then on.
func (s *Server) RequireAuth(username, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.username, s.password = username, password
}

// RejectRecipient makes a later RCPT TO addr (compared case-insensitively)
// get a permanent 550 5.1.1 whose text quotes the address, as real relays
// do, so that tests can check the address does not leak into errors.
func (s *Server) RejectRecipient(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected[strings.ToLower(addr)] = true
}

// Messages returns copies of the messages received so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copyLocked()
}

func (s *Server) copyLocked() []Received {
	out := make([]Received, len(s.msgs))
	for i, m := range s.msgs {
		m.To = append([]string(nil), m.To...)
		m.Data = append([]byte(nil), m.Data...)
		out[i] = m
	}
	return out
}

// Wait waits until at least n messages have arrived and returns copies of
// all of them, or ctx's error if ctx ends first.
func (s *Server) Wait(ctx context.Context, n int) ([]Received, error) {
	for {
		s.mu.Lock()
		if len(s.msgs) >= n {
			out := s.copyLocked()
			s.mu.Unlock()
			return out, nil
		}
		arrived := s.arrived
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-ctx.Done():
			return nil, fmt.Errorf("smtptest: %d of %d messages: %w", len(s.Messages()), n, ctx.Err())
		}
	}
}

func (s *Server) deliver(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, r)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// session is one SMTP connection's state.
type session struct {
	server   *Server
	conn     *smtp.Conn
	username string
	from     string
	to       []string
}

var (
	errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	errNoRecipients = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "No valid recipients"}
)

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		ss.server.mu.Lock()
		want, wantPassword := ss.server.username, ss.server.password
		ss.server.mu.Unlock()
		if want == "" || username != want || password != wantPassword || (identity != "" && identity != username) {
			return smtp.ErrAuthFailed
		}
		ss.username = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.server.mu.Lock()
	needAuth := ss.server.username != ""
	ss.server.mu.Unlock()
	if needAuth && ss.username == "" {
		return errAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.server.mu.Lock()
	rejected := ss.server.rejected[strings.ToLower(to)]
	ss.server.mu.Unlock()
	if rejected {
		return &smtp.SMTPError{
			Code:         550,
			EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message:      "<" + to + ">: Recipient address rejected: User unknown",
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(ss.to) == 0 {
		return errNoRecipients
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.server.deliver(Received{
		From:     ss.from,
		To:       append([]string(nil), ss.to...),
		Data:     data,
		TLS:      isTLS,
		Username: ss.username,
	})
	return nil
}

func (ss *session) Reset() {
	ss.from = ""
	ss.to = nil
}

func (ss *session) Logout() error { return nil }

// testLogger sends the server's errors to the test log until the server
// closes: a connection's goroutine may still log after that, when the test
// may be over and t.Logf would panic.
type testLogger struct {
	t testing.TB
	s *Server
}

func (l *testLogger) Printf(format string, v ...any) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if !l.s.closed {
		l.t.Logf("smtptest: "+format, v...)
	}
}

func (l *testLogger) Println(v ...any) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if !l.s.closed {
		l.t.Log(append([]any{"smtptest:"}, v...)...)
	}
}

// selfSigned makes a certificate for 127.0.0.1, ::1 and localhost, valid for
// a day, and the server and client configurations that use it.
func selfSigned() (server, client *tls.Config, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}
	client = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return server, client, nil
}
