package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/complaint"
	"hogo.example.jp/hogo/datasets"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/jobs"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/notice"
	"hogo.example.jp/hogo/processor"
	"hogo.example.jp/hogo/provision"
	"hogo.example.jp/hogo/receipt"
	"hogo.example.jp/hogo/requests"
	"hogo.example.jp/hogo/retention"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/staff"
	"hogo.example.jp/hogo/vault"
	"hogo.example.jp/hogo/web"
)

// Config is the server's configuration, from flags then the environment.
type Config struct {
	Data, DB, AuditKey string
	Keys               string
	Addr               string
	LedgerFile         string
	Demo, Migrate      bool
	SecureCookies      bool
	// TrustedProxies are the reverse proxies (addresses or CIDRs) whose
	// X-Forwarded-For names the client.
	TrustedProxies  []netip.Prefix
	LogLevel        slog.Level
	CheckpointEvery time.Duration
	// SMTP is the mail relay (host:port) for one-time codes, answers and complaint receipts;
	// empty leaves mail off. SMTPTLS is none, starttls, starttls-required
	// or tls; the login comes from HOGO_SMTP_USER and HOGO_SMTP_PASSWORD.
	SMTP, SMTPTLS, SMTPUser, SMTPPassword string
	// MailFrom is the sender of mails (default: the complaint desk's
	// address in the ledger).
	MailFrom string
	// PublicURL is the portal's address as requesters reach it, for links
	// in mails (default: the address served).
	PublicURL string
}

// Main is the running server: "hogo serve" and the end-to-end tests use it
// alike.
type Main struct {
	Config Config
	Out    io.Writer // where the URL and the demo password go
	Logger *slog.Logger
	p      printer

	db       *sqlstore.DB
	log      *audit.Log
	keys     *vault.Keys
	keysPath string
	// nodeKey is this server's setting reporting the KEK it wraps with.
	nodeKey string
	Server  *web.Server
	http    *http.Server
	ln      net.Listener
	cancel  context.CancelFunc
	bg      chan struct{}
	// URL is where the server listens, once Run has returned.
	URL string
	// DemoPassword is the administrator password made at the first demo
	// start ("" otherwise).
	DemoPassword string
	// DemoUsers are the other demo users made then, one per role.
	DemoUsers []DemoUser
}

// DemoUser is a demo user and the password printed for them.
type DemoUser struct {
	Name     string
	Role     hogo.Role
	Password string
}

// demoUsers are the demo's staff besides the administrator: one per role,
// so that each role's view of the data can be tried.
var demoUsers = []struct {
	name, display string
	role          hogo.Role
}{
	{"manager", "保護 管理子", hogo.RoleManager},
	{"desk", "窓口 受付子", hogo.RoleDesk},
	{"recruiter", "採用 担当太", hogo.RoleStaff},
	{"auditor", "監査 見守", hogo.RoleAuditor},
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("serve", "使い方: hogo serve [--data DIR | --db URL] [--addr 127.0.0.1:8080] [--ledger FILE] [--demo]\nサーバを起動します。--demo は初回起動時にデモ組織（人材会社）と管理者を作り、パスワードを一度だけ表示します。",
		"Usage: hogo serve [--data DIR | --db URL] [--addr 127.0.0.1:8080] [--ledger FILE] [--demo]\nRuns the server. --demo creates, on the first start, a demo organisation (a staffing company) and an administrator whose password is printed once.")
	sf := addStoreFlags(fs)
	addr := fs.String("addr", envOr("HOGO_ADDR", "127.0.0.1:8080"), "address to listen on (env HOGO_ADDR)")
	ledgerFile := fs.String("ledger", envOr("HOGO_LEDGER", ""), "ledger YAML to load (env HOGO_LEDGER); else the one stored")
	demo := fs.Bool("demo", envBool("HOGO_DEMO"), "create a demo organisation on the first start")
	migrate := fs.Bool("migrate", envBool("HOGO_MIGRATE"), "migrate a PostgreSQL schema before serving")
	secure := fs.Bool("secure-cookies", envBool("HOGO_SECURE_COOKIES"), "mark cookies Secure (set behind a TLS proxy)")
	proxies := fs.String("trusted-proxy", envOr("HOGO_TRUSTED_PROXY", ""), "reverse proxies whose X-Forwarded-For names the client: addresses or CIDRs, comma-separated (env HOGO_TRUSTED_PROXY)")
	logLevel := fs.String("log-level", envOr("HOGO_LOG_LEVEL", "info"), "debug, info, warn or error")
	smtpAddr := fs.String("smtp", envOr("HOGO_SMTP", ""), "mail relay host:port for codes, answers and complaint receipts (env HOGO_SMTP; login from HOGO_SMTP_USER, HOGO_SMTP_PASSWORD)")
	smtpTLS := fs.String("smtp-tls", envOr("HOGO_SMTP_TLS", "starttls"), "none, starttls, starttls-required or tls (env HOGO_SMTP_TLS)")
	mailFrom := fs.String("mail-from", envOr("HOGO_MAIL_FROM", ""), "sender address of mails (env HOGO_MAIL_FROM; default the ledger's complaint desk)")
	publicURL := fs.String("public-url", envOr("HOGO_PUBLIC_URL", ""), "the portal's public address, for links in mails (env HOGO_PUBLIC_URL)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*logLevel)); err != nil {
		return fail(2, "--log-level %q is not known; use debug, info, warn or error", *logLevel)
	}
	trusted, err := parseProxies(*proxies)
	if err != nil {
		return err
	}
	url, err := sf.dbURL()
	if err != nil {
		return err
	}
	m := &Main{
		Config: Config{Data: *sf.data, DB: url, AuditKey: *sf.auditKey, Keys: *sf.keys, Addr: *addr, LedgerFile: *ledgerFile,
			Demo: *demo, Migrate: *migrate, SecureCookies: *secure, LogLevel: lvl, CheckpointEvery: time.Minute,
			SMTP: *smtpAddr, SMTPTLS: *smtpTLS, SMTPUser: os.Getenv("HOGO_SMTP_USER"), SMTPPassword: os.Getenv("HOGO_SMTP_PASSWORD"),
			MailFrom: *mailFrom, PublicURL: *publicURL, TrustedProxies: trusted},
		Out: e.io.out, p: e.p,
		Logger: slog.New(slog.NewJSONHandler(e.io.err, &slog.HandlerOptions{Level: lvl})),
	}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	<-ctx.Done()
	fmt.Fprintln(e.io.err, e.p.msg("serve.stopping"))
	return m.Close()
}

func envBool(k string) bool {
	b, _ := strconv.ParseBool(os.Getenv(k))
	return b
}

// Run opens the store, loads the ledger, prepares the demo if asked, and
// starts serving. It returns once the server accepts connections.
func (m *Main) Run(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if m.Out == nil {
		m.Out = io.Discard
	}
	if m.p.lang == "" {
		m.p = printer{"en"}
	}
	if m.Config.CheckpointEvery == 0 {
		m.Config.CheckpointEvery = time.Minute
	}
	sf := storeFlags{data: &m.Config.Data, db: &m.Config.DB, auditKey: &m.Config.AuditKey, keys: &m.Config.Keys}
	db, err := openStore(ctx, sf, m.Config.Migrate)
	if err != nil {
		return err
	}
	m.db = db
	key, err := loadAuditKey(ctx, sf, db)
	if err != nil {
		return err
	}
	m.log = audit.NewLog(db, key)
	st := staff.New(db, m.log)
	m.Server = web.NewServer(db, st, m.log, m.Logger)
	m.Server.SecureCookies = m.Config.SecureCookies
	m.Server.TrustedProxies = m.Config.TrustedProxies
	keys, keysPath, err := loadKeys(ctx, sf, db)
	if err != nil {
		return err
	}
	m.keys, m.keysPath = keys, keysPath
	m.Server.Vault = vault.NewService(db, m.log, keys, m.currentLedger)
	m.Server.Provisions = provision.New(db, m.log, m.Server.Vault, m.currentLedger)
	m.Server.Incidents = breach.New(db, m.log, m.Server.Vault, m.currentLedger)
	m.Server.Complaints = complaint.New(db, m.log, m.Server.Vault, m.currentLedger)
	m.Server.Processors = processor.New(db, m.log, m.currentLedger)
	m.Server.Receipts = receipt.New(db, m.log, m.currentLedger)
	m.Server.Datasets = datasets.New(db, m.Server.Vault, keys, m.log, m.currentLedger)
	m.Server.Requests = requests.New(db, m.log, m.Server.Vault, m.currentLedger)
	m.Server.Requests.Provisions = m.Server.Provisions
	m.Server.Requests.Receipts = m.Server.Receipts
	m.Server.Requests.Signer = key
	m.Server.Requests.MailFrom = m.Config.MailFrom
	host, _ := os.Hostname()
	// The node's name in the jobs it holds: host, process and a random
	// part, so that two nodes in one process (tests) differ too.
	if err := m.registerJobs(db, fmt.Sprintf("%s:%d:%s", host, os.Getpid(), rand.Text()[:6])); err != nil {
		return err
	}
	if m.Config.SMTP != "" {
		switch m.Config.SMTPTLS {
		case "", "none", "starttls", "starttls-required", "tls":
		default:
			return fmt.Errorf("--smtp-tls %q is not known; use none, starttls, starttls-required or tls", m.Config.SMTPTLS)
		}
		m.Server.Requests.Mailer = &mail.Sender{Addr: m.Config.SMTP, TLS: m.Config.SMTPTLS, Username: m.Config.SMTPUser,
			Password: m.Config.SMTPPassword}
		m.Server.Complaints.Mailer = m.Server.Requests.Mailer // the complaints' receipt mails
	}
	m.Server.Complaints.MailFrom = m.Config.MailFrom

	// Listen first: a taken port must fail before the demo administrator
	// is made, or its password, shown only once, would be lost.
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.ln = ln
	m.nodeKey = hogo.SettingVaultNodePrefix + host + " " + ln.Addr().String()
	if err := m.reportKEK(ctx); err != nil {
		return err
	}
	if err := m.loadLedger(ctx); err != nil {
		return err
	}
	if m.Config.Demo {
		if err := m.prepareDemo(ctx, st); err != nil {
			return err
		}
	}
	m.URL = "http://" + ln.Addr().String()
	m.Server.Requests.BaseURL = m.Config.PublicURL
	if m.Server.Requests.BaseURL == "" {
		m.Server.Requests.BaseURL = m.URL
	}
	m.Server.Complaints.BaseURL = m.Server.Requests.BaseURL
	m.http = &http.Server{
		Handler:           m.Server.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	bgCtx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.bg = make(chan struct{})
	go func() {
		// Background work ends when Close cancels bgCtx.
		defer close(m.bg)
		done := make(chan struct{})
		go func() {
			defer close(done)
			m.log.RunCheckpoints(bgCtx, m.Config.CheckpointEvery, func(err error) {
				m.Logger.Error("audit checkpoint failed", "err", err.Error())
			})
		}()
		t := time.NewTicker(10 * time.Minute)
		defer t.Stop()
		kt := time.NewTicker(KeyFileCheck)
		defer kt.Stop()
		ht := time.NewTicker(NodeHeartbeat)
		defer ht.Stop()
		keysSeen := fileStamp(m.keysPath)
		jobsDone := make(chan struct{})
		go func() {
			defer close(jobsDone)
			m.Server.Jobs.Run(bgCtx)
		}()
		for {
			select {
			case <-bgCtx.Done():
				<-done
				<-jobsDone
				return
			case <-kt.C:
				if st := fileStamp(m.keysPath); st != keysSeen {
					keysSeen = st
					m.reloadKeys()
					m.reportKEK(bgCtx)
				}
			case <-ht.C:
				if err := m.reportKEK(bgCtx); err != nil && bgCtx.Err() == nil {
					m.Logger.Error("key report failed", "err", errorKindOf(err))
				}
			case <-t.C:
				if _, err := db.DeleteExpiredSessions(bgCtx, time.Now()); err != nil && bgCtx.Err() == nil {
					m.Logger.Error("session cleanup failed")
				}
			}
		}
	}()
	go func() {
		if err := m.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("http server stopped", "err", err.Error())
		}
	}()
	m.Server.SetReady(true)
	if err := m.log.Append(ctx, hogo.SystemActor.Entry("server.start")); err != nil {
		return err
	}
	m.Logger.Info("serving", "addr", ln.Addr().String(), "store", m.storeKind())
	fmt.Fprintln(m.Out, m.p.msg("serve.listening", m.URL))
	fmt.Fprintln(m.Out, m.p.msg("serve.console", m.URL))
	if m.DemoPassword != "" {
		fmt.Fprintln(m.Out, m.p.msg("serve.demo.admin", demoAdmin, m.DemoPassword))
		for _, u := range m.DemoUsers {
			fmt.Fprintln(m.Out, m.p.msg("serve.demo.user", string(u.Role), u.Name, u.Password))
		}
	} else if m.Config.Demo {
		fmt.Fprintln(m.Out, m.p.msg("serve.demo.again", demoAdmin))
	}
	return nil
}

// parseProxies reads --trusted-proxy: addresses or CIDRs, comma-separated.
func parseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fail(2, "--trusted-proxy: %q is neither an address nor a CIDR; write e.g. 10.0.0.5 or 10.0.0.0/24", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// SweepEvery is how often the cluster deletes identity documents past
// their keeping (requests.id_copy_days after the request closed): a job
// of kind requests.id_copy_sweep, run by one node per period.
var SweepEvery = time.Hour

// registerJobs makes the node's job worker and registers hogo's
// background work: retention sweeps and their daily schedule, and the
// deletion of identity documents.
func (m *Main) registerJobs(db hogo.JobService, node string) error {
	w := jobs.NewWorker(db, node)
	w.Logger = m.Logger
	m.Server.Jobs = w
	m.Server.Retention = retention.New(m.db, m.log, m.Server.Vault, m.currentLedger)
	m.Server.Retention.Incidents = m.Server.Incidents
	m.Server.Retention.AuditLog = m.log
	m.Server.Retention.Register(w)
	w.Handle("requests.id_copy_sweep", 3, func(ctx context.Context, _ *hogo.Job) (string, error) {
		n, err := m.Server.Requests.Sweep(ctx)
		if n > 0 {
			m.Logger.Info("identity documents deleted", "files", n)
		}
		return strconv.Itoa(n) + " files", err
	})
	if err := w.RegisterPrune(); err != nil {
		return err
	}
	return w.Every("requests.id_copy_sweep", SweepEvery, nil)
}

// KeyFileCheck is how often the server looks for a changed key file
// ("hogo keys rotate" on this or another node).
var KeyFileCheck = 2 * time.Second

// NodeHeartbeat is how often a server reports, in the store, the
// key-encryption key it wraps new data keys with; "hogo keys rotate" waits
// for every live server to report the new one, and "hogo keys retire"
// refuses while one reports an old one.
var NodeHeartbeat = 5 * time.Second

// nodeLive is how old a report may be for its server to count as running.
func nodeLive() time.Duration { return 3*NodeHeartbeat + 5*time.Second }

// reportKEK records the KEK this server wraps with, and when.
func (m *Main) reportKEK(ctx context.Context) error {
	return m.db.PutSetting(ctx, m.nodeKey, fmt.Sprintf("%d %d", m.keys.KEKID(), time.Now().Unix()))
}

// liveNodes returns the running servers' reports: node → KEK ID.
func liveNodes(ctx context.Context, store hogo.SettingService) (map[string]uint32, error) {
	all, err := store.ListSettings(ctx, hogo.SettingVaultNodePrefix)
	if err != nil {
		return nil, err
	}
	out := map[string]uint32{}
	now := time.Now()
	for k, v := range all {
		var kek uint32
		var at int64
		if _, err := fmt.Sscanf(v, "%d %d", &kek, &at); err != nil {
			continue // "closed", or not a report
		}
		if now.Sub(time.Unix(at, 0)) <= nodeLive() {
			out[strings.TrimPrefix(k, hogo.SettingVaultNodePrefix)] = kek
		}
	}
	return out, nil
}

func errorKindOf(err error) string { return fmt.Sprintf("%T", err) }

// fileStamp identifies a version of a file by size and modification time.
func fileStamp(path string) string {
	if path == "" {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprint(fi.Size(), fi.ModTime().UnixNano())
}

// reloadKeys adopts the key-encryption keys of a changed key file.
func (m *Main) reloadKeys() {
	data, err := os.ReadFile(m.keysPath)
	if err != nil {
		m.Logger.Error("vault key file unreadable", "path", m.keysPath)
		return
	}
	k, err := vault.ParseKeys(data)
	if err == nil {
		err = m.keys.Adopt(k)
	}
	if err != nil {
		m.Logger.Error("vault key file not adopted", "err", err.Error())
		return
	}
	m.Logger.Info("vault key file reloaded", "kek", m.keys.KEKID())
}

// currentLedger is the active ledger and its digest, for the vault.
func (m *Main) currentLedger() (*ledger.Ledger, string) {
	st := m.Server.Ledger()
	if st == nil {
		return nil, ""
	}
	return st.Ledger, st.Digest
}

func (m *Main) storeKind() string {
	if m.Config.DB != "" {
		return "postgres"
	}
	return "sqlite"
}

// loadLedger makes the --ledger file (or, in a demo, the demo ledger when
// none is stored) the active ledger, storing a changed ledger and auditing
// the change; without either it serves the stored ledger.
func (m *Main) loadLedger(ctx context.Context) error {
	var data []byte
	var name string
	stored, err := m.db.GetSetting(ctx, hogo.SettingLedgerYAML)
	if err != nil && hogo.ErrorCode(err) != hogo.ENOTFOUND {
		return err
	}
	switch {
	case m.Config.LedgerFile != "":
		if data, err = os.ReadFile(m.Config.LedgerFile); err != nil {
			return fmt.Errorf("read ledger: %w", err)
		}
		name = m.Config.LedgerFile
	case stored != "":
		data, name = []byte(stored), "(stored ledger)"
	case m.Config.Demo:
		if data, err = examples.Ledgers.ReadFile(examples.Demo); err != nil {
			return err
		}
		name = "examples/" + examples.Demo
	default:
		m.Logger.Warn("no ledger loaded: start with --ledger FILE")
		return nil
	}
	l, ps := ledger.ParseAndValidate(name, data)
	if l == nil {
		return fail(1, "%s\n%s", ps.Errors().In(m.p.lang), m.p.msg("ledger.invalid", name, len(ps.Errors())))
	}
	digest := ledger.Digest(data)
	if string(data) != stored {
		// Audited before it is stored: a failure leaves the old ledger in
		// place, and the next start audits the change again.
		e := hogo.SystemActor.Entry("ledger.load")
		e.Detail = map[string]string{"digest": digest, "revision": l.Revision}
		if err := m.log.Append(ctx, e); err != nil {
			return err
		}
		if err := m.db.PutSetting(ctx, hogo.SettingLedgerYAML, string(data)); err != nil {
			return err
		}
	}
	// The notice published from this ledger, before the ledger is in
	// force: a new version when its text changed (audited as
	// notice.version), and the ledger's digest mapped to it.
	if _, _, err := notice.Record(ctx, m.db, m.log, hogo.SystemActor, l, digest); err != nil {
		return fmt.Errorf("record the privacy notice's version: %w", err)
	}
	m.Server.SetLedger(&web.LedgerState{Ledger: l, YAML: data, Digest: digest})
	return nil
}

const demoAdmin = "admin"

// prepareDemo creates the demo administrator on the first start.
func (m *Main) prepareDemo(ctx context.Context, st *staff.Service) error {
	n, err := m.db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	_, pw, err := st.AddUser(ctx, hogo.SystemActor, demoAdmin, "デモ管理者", hogo.RoleAdmin, "")
	if err != nil {
		return err
	}
	m.DemoPassword = pw
	for _, u := range demoUsers {
		_, pw, err := st.AddUser(ctx, hogo.SystemActor, u.name, u.display, u.role, "")
		if err != nil {
			return err
		}
		m.DemoUsers = append(m.DemoUsers, DemoUser{Name: u.name, Role: u.role, Password: pw})
	}
	return m.db.PutSetting(ctx, hogo.SettingDemo, "true")
}

// Close stops serving (finishing requests in flight), then the background
// work, then flushes the audit log and closes the store.
func (m *Main) Close() error {
	if m.Server != nil {
		m.Server.SetReady(false)
	}
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		m.http.Shutdown(ctx)
		cancel()
	} else if m.ln != nil {
		m.ln.Close()
	}
	// server.stop goes in before the background work ends, so the last
	// checkpoint, taken as it ends, covers it.
	if m.log != nil && m.http != nil {
		m.log.Append(context.Background(), hogo.SystemActor.Entry("server.stop"))
	}
	if m.cancel != nil {
		m.cancel()
		<-m.bg
	}
	if m.log != nil {
		m.log.Close()
	}
	if m.db != nil {
		if m.nodeKey != "" {
			// No longer running: no longer holds up a retirement.
			m.db.PutSetting(context.Background(), m.nodeKey, "closed")
		}
		return m.db.Close()
	}
	return nil
}
