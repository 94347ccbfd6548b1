package main

// Browser tests: a real Chromium, driven with chromedp, against a real
// server (Main with a fresh SQLite store and the demo organisation).
//
// They run when HOGO_TEST_BROWSER=1 or when /usr/bin/chromium exists (CI
// installs Debian's chromium with apt); HOGO_CHROMIUM names another
// browser binary. HOGO_SCREENSHOTS=DIR keeps the screenshots for review.
//
// The harness is meant for reuse by later tests:
//
//	m := startServer(t)          // server on 127.0.0.1:0, closed at cleanup
//	ctx := newBrowser(t)         // headless tab, bounded by browserTimeout
//	login(t, ctx, m, "admin", m.DemoPassword)
//	openPage(t, ctx, m, "/console/ledger")
//	textOf(t, ctx, "#cat-job_seeker")
//	clickAndWait(t, ctx, "#verify")

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"log/slog"
	"net/url"
	"os"
	pathpkg "path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
)

// browserTimeout bounds each browser test, from the start of Chromium to
// the last action.
const browserTimeout = 20 * time.Second

const defaultChromium = "/usr/bin/chromium"

// chromiumPath is the browser to run, or "" (with the reason) when the
// browser tests should be skipped.
func chromiumPath() (path, skip string) {
	path = os.Getenv("HOGO_CHROMIUM")
	if path == "" {
		path = defaultChromium
	}
	switch os.Getenv("HOGO_TEST_BROWSER") {
	case "1", "true":
		return path, ""
	case "0", "false":
		return "", "HOGO_TEST_BROWSER=0: browser tests are off"
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Sprintf("no browser at %s: install chromium (apt-get install chromium) "+
			"or set HOGO_CHROMIUM=/path/to/chrome, and HOGO_TEST_BROWSER=1 to require the browser tests", path)
	}
	return path, ""
}

// syncBuffer collects the server's log for a failing test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer runs a demo server on a free local port with a fresh store,
// and closes it when the test ends. Its log is shown if the test fails.
func startServer(t *testing.T) *Main {
	t.Helper()
	var logs syncBuffer
	m := &Main{
		Config: Config{Data: t.TempDir(), Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour},
		Out:    &logs,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	if m.DemoPassword == "" {
		t.Fatal("the demo start made no administrator password")
	}
	return m
}

// newBrowser starts a headless Chromium with a fresh profile and returns
// the context of its first tab. Every action on it ends by browserTimeout;
// the browser closes when the test ends. Uncaught exceptions and console
// errors in any page (e.g. a CSP violation) fail the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserWithin(t, browserTimeout)
}

// newBrowserWithin is newBrowser with its own bound on the browser's life,
// for a long walk through many pages.
func newBrowserWithin(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path, skip := chromiumPath()
	if skip != "" {
		t.Skip(skip)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "ja-JP"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	// The deadline is on the allocator, so it bounds the start of the
	// browser as well as every action.
	tctx, tcancel := context.WithTimeout(context.Background(), timeout)
	actx, acancel := chromedp.NewExecAllocator(tctx, opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
	start := time.Now()
	if err := chromedp.Do(ctx); err != nil { // starts the browser and opens the tab
		cancel()
		acancel()
		tcancel()
		t.Fatalf("start %s: %v", path, err)
	}
	t.Logf("browser started in %v", time.Since(start).Round(time.Millisecond))

	var mu sync.Mutex
	var problems []string
	done := make(chan struct{})
	msgs := chromedp.Console(ctx)
	go func() {
		defer close(done)
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				if expectedLoadError(m) {
					continue
				}
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s %s (%s:%d)", m.Type, m, m.URL, m.Line+1))
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		// Close the browser before its profile directory is removed.
		cancel()
		acancel()
		tcancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("browser console: %s", p)
		}
	})
	return ctx
}

// expectedLoadError reports whether m is the browser's note that a page
// (not a style sheet, script or image) came with an error status, such as
// the 401 of a failed sign-in: the tests check those statuses themselves.
func expectedLoadError(m chromedp.ConsoleMessage) bool {
	if m.Source != "network" || !strings.HasPrefix(m.Text, "Failed to load resource") {
		return false
	}
	u, err := url.Parse(m.URL)
	if err != nil {
		return false
	}
	// Answer links (/requests/answer/ID.TOKEN) hold a dot but are pages.
	return u.Path == "/favicon.ico" || pathpkg.Ext(u.Path) == "" || strings.HasPrefix(u.Path, "/requests/answer/")
}

// runSteps runs browser actions, failing the test on an error.
func runSteps(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// openPage loads a page of the server (path like "/console/ledger") and
// returns its HTTP status.
func openPage(t *testing.T, ctx context.Context, m *Main, path string) int64 {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(m.URL+path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// clickAndWait clicks what sel finds (a CSS selector) and waits for the
// page that the click loads; it returns the response of that page.
func clickAndWait(t *testing.T, ctx context.Context, sel string) *network.Response {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	return resp
}

// textOf is the visible text of the first element that sel (CSS) finds.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// hasElement reports whether sel (CSS) finds an element in the current page,
// without waiting.
func hasElement(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf("document.querySelector(%q) !== null", sel)))
	if err != nil {
		t.Fatalf("look for %s: %v", sel, err)
	}
	return ok
}

// pagePath is the path of the page the tab shows.
func pagePath(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("location %q: %v", loc, err)
	}
	return u.Path
}

// submitLogin fills in the sign-in form and submits it, returning the
// response of the page that follows.
func submitLogin(t *testing.T, ctx context.Context, m *Main, user, password string) *network.Response {
	t.Helper()
	if st := openPage(t, ctx, m, "/console/login"); st != 200 {
		t.Fatalf("GET /console/login: status %d", st)
	}
	runSteps(t, ctx, "fill in the sign-in form",
		chromedp.SendKeys(chromedp.ID("login-name"), user),
		chromedp.SendKeys(chromedp.ID("login-password"), password),
	)
	return clickAndWait(t, ctx, "#login-submit")
}

// login signs in through the form and checks that the console's home
// page follows.
func login(t *testing.T, ctx context.Context, m *Main, user, password string) {
	t.Helper()
	resp := submitLogin(t, ctx, m, user, password)
	if resp.Status != 200 {
		t.Fatalf("sign in as %s: status %d, page says %q", user, resp.Status, textOf(t, ctx, "main"))
	}
	if p := pagePath(t, ctx); p != "/console/" {
		t.Fatalf("sign in as %s: landed on %s, want /console/", user, p)
	}
}

// logout signs out with the header's button.
func logout(t *testing.T, ctx context.Context) {
	t.Helper()
	clickAndWait(t, ctx, `form[action="/console/logout"] button`)
	if p := pagePath(t, ctx); p != "/console/login" {
		t.Fatalf("after sign-out: on %s, want /console/login", p)
	}
}

// demoLedger is the demo ledger as the server loads it.
func demoLedger(t *testing.T) *ledger.Ledger {
	t.Helper()
	data, err := examples.Ledgers.ReadFile(examples.Demo)
	if err != nil {
		t.Fatal(err)
	}
	l, ps := ledger.ParseAndValidate(examples.Demo, data)
	if l == nil {
		t.Fatalf("demo ledger: %v", ps.Errors())
	}
	return l
}

func TestBrowserLogin(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)

	// A wrong password: the form again, with the Japanese error.
	resp := submitLogin(t, ctx, m, "admin", m.DemoPassword+"x")
	if resp.Status != 401 {
		t.Errorf("wrong password: status %d, want 401", resp.Status)
	}
	if got, want := textOf(t, ctx, "#error"), "利用者名またはパスワードが正しくありません。"; got != want {
		t.Errorf("wrong password: #error says %q, want %q", got, want)
	}
	if !hasElement(t, ctx, "#login-form") {
		t.Error("wrong password: the sign-in form is not shown again")
	}

	// The right one: the console's home page.
	login(t, ctx, m, "admin", m.DemoPassword)
	if h1 := textOf(t, ctx, "h1"); h1 != "ホーム" {
		t.Errorf("home page heading %q, want ホーム", h1)
	}
	if who := textOf(t, ctx, ".who"); !strings.Contains(who, "システム管理者") {
		t.Errorf("header shows %q, want the administrator role", who)
	}
	if hasElement(t, ctx, "#error") {
		t.Errorf("home page shows an error: %q", textOf(t, ctx, "#error"))
	}
	if n, err := strconv.Atoi(textOf(t, ctx, "#audit-count")); err != nil || n <= 0 {
		t.Errorf("#audit-count = %q, want a positive number", textOf(t, ctx, "#audit-count"))
	}
}

func TestBrowserLedger(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)
	login(t, ctx, m, "admin", m.DemoPassword)

	l := demoLedger(t)
	cat := l.Category("job_seeker")
	if cat == nil || len(cat.Items) == 0 || len(cat.Purposes) == 0 {
		t.Fatal("the demo ledger has no job_seeker category with items and purposes")
	}
	item := cat.Items[0]
	purpose := l.Purpose(cat.Purposes[0].ID)
	if purpose == nil {
		t.Fatalf("purpose %s is not in the demo ledger", cat.Purposes[0].ID)
	}

	if st := openPage(t, ctx, m, "/console/ledger"); st != 200 {
		t.Fatalf("GET /console/ledger: status %d", st)
	}
	if h1 := textOf(t, ctx, "h1"); h1 != "個人情報管理台帳" {
		t.Errorf("ledger heading %q, want 個人情報管理台帳", h1)
	}
	sec := textOf(t, ctx, "#cat-job_seeker")
	for _, want := range []string{cat.Name.Ja, item.Name.Ja, purpose.Description.Ja} {
		if !strings.Contains(sec, want) {
			t.Errorf("#cat-job_seeker lacks %q; it reads:\n%s", want, sec)
		}
	}
	if org := textOf(t, ctx, ".meta"); !strings.Contains(org, l.Organization.Name.Ja) {
		t.Errorf("ledger page names %q, want %q", org, l.Organization.Name.Ja)
	}

	// English, then back to Japanese.
	if lang := textOf(t, ctx, "#lang-switch"); lang != "English" {
		t.Errorf("#lang-switch reads %q, want English", lang)
	}
	if resp := clickAndWait(t, ctx, "#lang-switch"); resp.Status != 200 {
		t.Fatalf("switch to English: status %d", resp.Status)
	}
	if h1 := textOf(t, ctx, "h1"); h1 != "Personal information ledger" {
		t.Errorf("English ledger heading %q, want Personal information ledger", h1)
	}
	sec = textOf(t, ctx, "#cat-job_seeker")
	for _, want := range []string{cat.Name.En, item.Name.En, purpose.Description.En} {
		if !strings.Contains(sec, want) {
			t.Errorf("English #cat-job_seeker lacks %q; it reads:\n%s", want, sec)
		}
	}
	// The choice is remembered across pages.
	openPage(t, ctx, m, "/console/")
	if h1 := textOf(t, ctx, "h1"); h1 != "Home" {
		t.Errorf("after choosing English, home heading %q, want Home", h1)
	}
	openPage(t, ctx, m, "/console/ledger")
	if lang := textOf(t, ctx, "#lang-switch"); lang != "日本語" {
		t.Errorf("English #lang-switch reads %q, want 日本語", lang)
	}
	clickAndWait(t, ctx, "#lang-switch")
	if h1 := textOf(t, ctx, "h1"); h1 != "個人情報管理台帳" {
		t.Errorf("back in Japanese, ledger heading %q, want 個人情報管理台帳", h1)
	}
	if sec := textOf(t, ctx, "#cat-job_seeker"); !strings.Contains(sec, item.Name.Ja) {
		t.Errorf("back in Japanese, #cat-job_seeker lacks %q", item.Name.Ja)
	}
}

func TestBrowserAuditVerify(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)
	login(t, ctx, m, "admin", m.DemoPassword)

	if st := openPage(t, ctx, m, "/console/audit"); st != 200 {
		t.Fatalf("GET /console/audit: status %d", st)
	}
	if hasElement(t, ctx, "#verify-result") {
		t.Error("#verify-result is shown before #verify is clicked")
	}
	if !hasElement(t, ctx, "#audit-entries") {
		t.Error("the audit page lists no entries")
	}
	if resp := clickAndWait(t, ctx, "#verify"); resp.Status != 200 {
		t.Fatalf("verify: status %d", resp.Status)
	}
	if got := textOf(t, ctx, "#verify-result"); !strings.Contains(got, "監査ログの連鎖は正常です") {
		t.Errorf("#verify-result says %q, want 監査ログの連鎖は正常です", got)
	}
	if hasElement(t, ctx, "#verify-problem") {
		t.Errorf("#verify-problem: %q", textOf(t, ctx, "#verify-problem"))
	}
	count := textOf(t, ctx, "#verify-count")
	if n, err := strconv.Atoi(count); err != nil || n <= 0 {
		t.Errorf("#verify-count = %q, want a positive number", count)
	}
}

func TestBrowserAddUser(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)
	login(t, ctx, m, "admin", m.DemoPassword)

	if st := openPage(t, ctx, m, "/console/users"); st != 200 {
		t.Fatalf("GET /console/users: status %d", st)
	}
	runSteps(t, ctx, "fill in the user form",
		chromedp.SendKeys(chromedp.ID("user-display"), "窓口 花子"),
		chromedp.SetValue(chromedp.ID("user-role"), "desk"),
		// The password stays blank: the server makes one.
	)
	// The form refuses a bad user name before sending it.
	runSteps(t, ctx, "type a bad user name", chromedp.SetValue(chromedp.ID("user-name"), "bad name!"))
	if bad, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("user-name").validity.patternMismatch`)); err != nil || !bad {
		t.Errorf("#user-name accepts %q (err %v): its pattern does not work", "bad name!", err)
	}
	runSteps(t, ctx, "type the user name", chromedp.SetValue(chromedp.ID("user-name"), "desk1"))
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("user-name").validity.valid`)); err != nil || !ok {
		t.Errorf("#user-name refuses desk1 (err %v)", err)
	}
	if pw, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#user-form input[name="password"]`))); err != nil || pw != "" {
		t.Fatalf("the password field is %q (%v), want it blank", pw, err)
	}
	if resp := clickAndWait(t, ctx, "#user-submit"); resp.Status != 200 {
		t.Fatalf("add user: status %d, page says %q", resp.Status, textOf(t, ctx, "main"))
	}
	flash := textOf(t, ctx, "#flash")
	match := regexp.MustCompile(`desk1: (\S+)$`).FindStringSubmatch(strings.TrimSpace(flash))
	if match == nil {
		t.Fatalf("#flash shows no generated password for desk1: %q", flash)
	}
	password := match[1]
	if len(password) < 12 {
		t.Fatalf("generated password %q is short", password)
	}
	if users := textOf(t, ctx, "#users"); !strings.Contains(users, "desk1") || !strings.Contains(users, "窓口担当") {
		t.Errorf("the user list lacks desk1 as 窓口担当:\n%s", users)
	}

	logout(t, ctx)
	login(t, ctx, m, "desk1", password)
	if who := textOf(t, ctx, ".who"); !strings.Contains(who, "窓口 花子") || !strings.Contains(who, "窓口担当") {
		t.Errorf("header shows %q, want 窓口 花子（窓口担当）", who)
	}
	// A desk user does not see the users and audit pages in the menu.
	if hasElement(t, ctx, `nav a[href="/console/users"]`) {
		t.Error("the desk user's menu links to the users page")
	}
}

func TestBrowserScreenshots(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)
	dir := t.TempDir()
	keep := os.Getenv("HOGO_SCREENSHOTS")
	if keep != "" {
		if err := os.MkdirAll(keep, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	shot := func(name string, minHeight int) {
		t.Helper()
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, buf, 0o644); err != nil {
			t.Fatal(err)
		}
		if keep != "" {
			if err := os.WriteFile(filepath.Join(keep, name), buf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(buf))
		if err != nil {
			t.Fatalf("%s is not a PNG: %v", name, err)
		}
		if _, err := png.Decode(bytes.NewReader(buf)); err != nil {
			t.Fatalf("%s does not decode: %v", name, err)
		}
		t.Logf("%s: %dx%d, %d bytes", name, cfg.Width, cfg.Height, len(buf))
		if cfg.Width < 800 || cfg.Height < minHeight || len(buf) < 20<<10 || len(buf) > 20<<20 {
			t.Errorf("%s: %dx%d, %d bytes: not a plausible full-page screenshot", name, cfg.Width, cfg.Height, len(buf))
		}
	}

	l := demoLedger(t)
	if st := openPage(t, ctx, m, "/"); st != 200 {
		t.Fatalf("GET /: status %d", st)
	}
	if org := textOf(t, ctx, "#org-name"); org != l.Organization.Name.Ja {
		t.Errorf("portal names %q, want %q", org, l.Organization.Name.Ja)
	}
	shot("portal.png", 900)

	login(t, ctx, m, "admin", m.DemoPassword)
	if st := openPage(t, ctx, m, "/console/ledger"); st != 200 {
		t.Fatalf("GET /console/ledger: status %d", st)
	}
	shot("console-ledger.png", 1500)
}
