package main

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hogo.example.jp/hogo/letter/pdftext"
	"hogo.example.jp/hogo/mail/smtptest"
)

// startServerWith is startServer with a chance to change the
// configuration (a mail relay, a public address) before the server runs.
// It returns the server and its log.
func startServerWith(t *testing.T, configure func(*Config)) (*Main, *syncBuffer) {
	t.Helper()
	var logs syncBuffer
	m := &Main{
		Config: Config{Data: t.TempDir(), Addr: "127.0.0.1:0", Demo: true, CheckpointEvery: time.Hour},
		Out:    &logs,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
	if configure != nil {
		configure(&m.Config)
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
	return m, &logs
}

// requestPathTimeout bounds TestBrowserRequestPath's browser. The path
// loads some forty pages; browserTimeout (20 s), meant for short tests,
// was seen to run out on a loaded two-core machine, where the walk took
// up to 16 s after a start of up to 6 s.
const requestPathTimeout = 90 * time.Second

// elementWait bounds the wait for one element of a page already loaded.
const elementWait = 5 * time.Second

// pageText is the visible text of the page's main element, for failure
// messages; it never fails the test itself.
func pageText(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("main") || document.body || {innerText: ""}).innerText`))
	if err != nil {
		return "(page text not readable: " + err.Error() + ")"
	}
	return s
}

// waitFor waits until sel (CSS) is visible in the current page, and fails
// the test with the page's text if it does not appear.
func waitFor(t *testing.T, ctx context.Context, what, sel string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, elementWait)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatalf("%s: %s does not appear on %s (%v); the page says:\n%s", what, sel, pagePath(t, ctx), err, pageText(ctx))
	}
}

// attrOf is an attribute of the first element that sel (CSS) finds.
func attrOf(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, elementWait)
	defer cancel()
	v, err := chromedp.Run(wctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		t.Fatalf("attribute %s of %s: %v; the page says:\n%s", name, sel, err, pageText(ctx))
	}
	return v.Value
}

// submitStep clicks a form's submit button on a request page and checks
// that the console shows the request again with the flash message of the
// step, not an error.
func submitStep(t *testing.T, ctx context.Context, what, button, flash string) {
	t.Helper()
	resp := clickAndWait(t, ctx, button)
	if resp.Status != http.StatusOK || hasElement(t, ctx, "#error") {
		t.Fatalf("%s: status %d on %s; the page says:\n%s", what, resp.Status, pagePath(t, ctx), pageText(ctx))
	}
	waitFor(t, ctx, what, "#flash")
	if got := textOf(t, ctx, "#flash"); !strings.Contains(got, flash) {
		t.Fatalf("%s: #flash says %q, want %q; the page says:\n%s", what, got, flash, pageText(ctx))
	}
}

// requestStatus is the request page's status (data-status of
// #request-status).
func requestStatus(t *testing.T, ctx context.Context) string {
	t.Helper()
	return attrOf(t, ctx, "#request-status", "data-status")
}

// scanPNG writes a small PNG, a scanned identity document, and returns
// its path.
func scanPNG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 32, 20))
	for y := range 20 {
		for x := range 32 {
			img.Set(x, y, color.RGBA{uint8(8 * x), uint8(12 * y), 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "menkyosho.png")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

var answerLinkRE = regexp.MustCompile(`https?://[^\s]+/requests/answer/[^\s]+`)

// TestBrowserRequestPath walks a rights request as people make it: the
// requester asks on the portal with a scan of a driver's licence, the desk
// verifies, takes the fee, matches the principal, decides and answers, the
// answer's one-time link arrives by mail over real SMTP, and the requester
// downloads the disclosure once and follows the request on the portal.
func TestBrowserRequestPath(t *testing.T) {
	relay := smtptest.Start(t)
	m, logs := startServerWith(t, func(c *Config) {
		c.SMTP = relay.Addr()
		c.SMTPTLS = "none"
	})
	ctx := newBrowserWithin(t, requestPathTimeout)
	start := time.Now()
	const (
		name  = "山田 花子"
		email = "hanako@example.jp"
	)

	// The job seeker is on file.
	login(t, ctx, m, "manager", demoPassword(t, m, "manager"))
	page := registerSeeker(t, ctx, m, map[string]string{"name": name, "name_kana": "ヤマダ ハナコ",
		"email": email, "phone": "090-8765-4321"})
	pid := strings.TrimPrefix(page, "/console/principals/")
	if pid == "" || strings.Contains(pid, "/") {
		t.Fatalf("principal page %q names no principal", page)
	}
	logout(t, ctx)

	// The requester asks on the portal, without an account.
	if st := openPage(t, ctx, m, "/requests/new"); st != http.StatusOK {
		t.Fatalf("GET /requests/new: status %d: %s", st, pageText(ctx))
	}
	waitFor(t, ctx, "request form", "#portal-request-form")
	runSteps(t, ctx, "fill in the request form",
		chromedp.Click(chromedp.ID("ptype-disclose")),
		chromedp.Click(chromedp.ID("ptype-notify_purpose")),
		chromedp.SendKeys(chromedp.ID("pname"), name),
		chromedp.SendKeys(chromedp.ID("pkana"), "ヤマダ ハナコ"),
		chromedp.SendKeys(chromedp.ID("pemail"), email),
		chromedp.SendKeys(chromedp.ID("pphone"), "090-8765-4321"),
		chromedp.SendKeys(chromedp.ID("paddress"), "東京都千代田区丸の内1-1-1"),
		chromedp.SetValue(chromedp.ID("pmethod"), "email"),
		chromedp.SetUploadFiles(chromedp.ID("pid-copy"), []string{scanPNG(t)}),
	)
	for _, id := range []string{"ptype-disclose", "ptype-notify_purpose"} {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("`+id+`").checked`)); err != nil || !ok {
			t.Fatalf("#%s is not ticked (%v)", id, err)
		}
	}
	if resp := clickAndWait(t, ctx, "#portal-request-submit"); resp.Status != http.StatusOK {
		t.Fatalf("send the request: status %d: %s", resp.Status, pageText(ctx))
	}
	waitFor(t, ctx, "request sent", "#portal-receipt-number")
	if hasElement(t, ctx, "#portal-receipt .error") || hasElement(t, ctx, "#error") {
		t.Fatalf("the request was taken with an error: %s", pageText(ctx))
	}
	receipt := strings.TrimSpace(textOf(t, ctx, "#portal-receipt-number"))
	secret := strings.TrimSpace(textOf(t, ctx, "#portal-secret"))
	if receipt == "" || len(secret) < 8 {
		t.Fatalf("receipt %q, secret %q: the page says:\n%s", receipt, secret, pageText(ctx))
	}
	if hasElement(t, ctx, "#portal-missing") {
		t.Errorf("the request lacks something: %s", textOf(t, ctx, "#portal-missing"))
	}
	t.Logf("request %s received", receipt)

	// The desk handles it.
	login(t, ctx, m, "desk", demoPassword(t, m, "desk"))
	if st := openPage(t, ctx, m, "/console/requests"); st != http.StatusOK {
		t.Fatalf("GET /console/requests: status %d: %s", st, pageText(ctx))
	}
	waitFor(t, ctx, "request queue", "#request-queue")
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const a = [...document.querySelectorAll("#request-queue a.request-link")].find(a => a.textContent.trim() === `+strconv.Quote(receipt)+`);
		return a ? a.getAttribute("href") : "";
	})()`))
	if err != nil || href == "" {
		t.Fatalf("the queue has no link to %s (%v):\n%s", receipt, err, pageText(ctx))
	}
	if resp := clickAndWait(t, ctx, `#request-queue a.request-link[href="`+href+`"]`); resp.Status != http.StatusOK {
		t.Fatalf("open the request: status %d: %s", resp.Status, pageText(ctx))
	}
	if p := pagePath(t, ctx); p != href {
		t.Fatalf("after clicking the request: on %s, want %s", p, href)
	}
	waitFor(t, ctx, "request page", "#request-receipt")
	if got := strings.TrimSpace(textOf(t, ctx, "#request-receipt")); got != receipt {
		t.Errorf("request page shows receipt %q, want %q", got, receipt)
	}
	if got := textOf(t, ctx, "#requester-name"); got != name {
		t.Errorf("requester name %q, want %q", got, name)
	}
	if got := requestStatus(t, ctx); got == "answered" || got == "withdrawn" {
		t.Fatalf("a new request is %s", got)
	}
	// The uploaded licence is kept with the request.
	if !hasElement(t, ctx, `#files #file-list a.file-link[data-kind="id_copy"]`) {
		t.Fatalf("the uploaded document is not listed under #files:\n%s", textOf(t, ctx, "#files"))
	}
	if got := textOf(t, ctx, "#file-list"); !strings.Contains(got, "image/png") {
		t.Errorf("the document is not listed as a PNG: %q", got)
	}

	// Identity: the driver's licence, a photo document, is enough.
	runSteps(t, ctx, "fill in the check",
		chromedp.SetValue(chromedp.ID("check-method"), "document"),
		chromedp.Click(chromedp.ID("doc-driver_licence")),
		chromedp.SendKeys(chromedp.ID("check-note"), "運転免許証の写しで確認"),
	)
	submitStep(t, ctx, "record the check", "#check-submit", "確認を記録しました")
	if got := textOf(t, ctx, "#request-verified"); !strings.Contains(got, "済") {
		t.Errorf("after the check, #request-verified says %q", got)
	}
	if got := textOf(t, ctx, "#checks"); !strings.Contains(got, "運転免許証") {
		t.Errorf("the checks table lacks the licence: %q", got)
	}
	// The fee holds the answer: the request waits for the requester.
	if got := requestStatus(t, ctx); got != "waiting" {
		t.Fatalf("after the check: status %q, want waiting; the page says:\n%s", got, pageText(ctx))
	}

	// The fee: 2 × 1,000 yen by bank transfer.
	waitFor(t, ctx, "fee form", "#payment-form")
	amount, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("payment-amount")))
	if err != nil || amount != "2000" {
		t.Errorf("#payment-amount is %q (%v), want 2000", amount, err)
	}
	runSteps(t, ctx, "choose the payment method", chromedp.SetValue(chromedp.ID("payment-method"), "bank_transfer"))
	submitStep(t, ctx, "record the payment", "#payment-submit", "入金を記録しました")
	if got := requestStatus(t, ctx); got != "in_progress" {
		t.Fatalf("after the payment: status %q, want in_progress; the page says:\n%s", got, pageText(ctx))
	}
	if got := textOf(t, ctx, "#request-fee"); !strings.Contains(got, "2000 / 2000") {
		t.Errorf("#request-fee says %q, want 2000 / 2000", got)
	}

	// The requester is the registered job seeker.
	runSteps(t, ctx, "name the principal", chromedp.SetValue(chromedp.ID("match-principal"), pid))
	submitStep(t, ctx, "match the principal", "#match-submit", "本人と照合しました")
	if got := textOf(t, ctx, "#request-principal"); !strings.Contains(got, pid) {
		t.Errorf("#request-principal says %q, want %s", got, pid)
	}

	// Both types are granted.
	for _, typ := range []string{"notify_purpose", "disclose"} {
		waitFor(t, ctx, "decide "+typ, "#decide-"+typ)
		runSteps(t, ctx, "choose the outcome for "+typ, chromedp.SetValue(chromedp.ID("outcome-"+typ), "granted"))
		submitStep(t, ctx, "decide "+typ, "#decide-submit-"+typ, "決定を記録し")
		sel := `#decisions .decision[data-type="` + typ + `"] .outcome`
		if !hasElement(t, ctx, sel) {
			t.Fatalf("no decision shown for %s:\n%s", typ, textOf(t, ctx, "#decisions"))
		}
		if hasElement(t, ctx, "#decide-"+typ) {
			t.Errorf("the decision form for %s is still offered", typ)
		}
	}
	if hasElement(t, ctx, "#request-blocking") {
		t.Fatalf("the request is still blocked: %s", textOf(t, ctx, "#request-blocking"))
	}

	// The answer: the letter and the archive, the link by mail.
	submitStep(t, ctx, "answer", "#answer-submit", "回答書を作成し、送付しました")
	if got := textOf(t, ctx, "#answer-state"); !strings.Contains(got, "送付済み") {
		t.Errorf("#answer-state says %q, want 送付済み", got)
	}
	if got := requestStatus(t, ctx); got != "answered" {
		t.Fatalf("after the answer: status %q, want answered; the page says:\n%s", got, pageText(ctx))
	}
	for _, kind := range []string{"answer_letter", "answer_archive"} {
		if !hasElement(t, ctx, `#answer a.answer-link[data-kind="`+kind+`"]`) {
			t.Errorf("the answer section has no %s link:\n%s", kind, textOf(t, ctx, "#answer"))
		}
	}
	if hasElement(t, ctx, "#answer-form") {
		t.Error("the answer form is still offered after the answer")
	}
	logout(t, ctx)

	// The mail, as the requester's mail client reads it.
	mctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := relay.Wait(mctx, 1)
	if err != nil {
		t.Fatalf("no answer mail: %v", err)
	}
	if len(msgs) != 1 {
		t.Errorf("%d mails, want 1", len(msgs))
	}
	mail, err := msgs[0].Parse()
	if err != nil {
		t.Fatalf("parse the mail: %v", err)
	}
	if mail.To != email || len(msgs[0].To) != 1 || msgs[0].To[0] != email {
		t.Errorf("mail to %q (envelope %v), want %s", mail.To, msgs[0].To, email)
	}
	if !strings.Contains(mail.Subject, receipt) {
		t.Errorf("mail subject %q lacks the receipt number %s", mail.Subject, receipt)
	}
	if !strings.Contains(mail.Text, name+" 様") {
		t.Errorf("mail text lacks %q:\n%s", name+" 様", mail.Text)
	}
	if strings.Contains(mail.Text, secret) {
		t.Error("the mail carries the request's secret")
	}
	link := answerLinkRE.FindString(mail.Text)
	if link == "" {
		t.Fatalf("no one-time link in the mail:\n%s", mail.Text)
	}
	if !strings.HasPrefix(link, m.URL+"/requests/answer/") {
		t.Fatalf("the link %q does not point at the server %s", link, m.URL)
	}

	// The link's page, in the browser: a button, and the link not yet used.
	linkPath := strings.TrimPrefix(link, m.URL)
	for range 2 { // a mail scanner opening it first does not use it up
		if st := openPage(t, ctx, m, linkPath); st != http.StatusOK {
			t.Fatalf("open the link: status %d: %s", st, pageText(ctx))
		}
	}
	waitFor(t, ctx, "link page", "#link-download")
	if got := textOf(t, ctx, "#portal-link"); !strings.Contains(got, receipt) {
		t.Errorf("the link page names %q, want the receipt number %s", got, receipt)
	}
	if got := textOf(t, ctx, "#link-download"); !strings.Contains(got, "ZIP") {
		t.Errorf("the link's button reads %q, want the disclosure (ZIP)", got)
	}
	if got := attrOf(t, ctx, `#portal-link form`, "action"); got != linkPath {
		t.Errorf("the button posts to %q, want %q", got, linkPath)
	}

	// The button's download, with Go's client (a download in headless
	// Chromium is awkward to catch).
	resp, err := http.Post(link, "", nil)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	zipped, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("download: status %d (%v): %.300s", resp.StatusCode, err, zipped)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/zip" {
		t.Errorf("download Content-Type %q, want application/zip", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, receipt) {
		t.Errorf("download Content-Disposition %q does not name the receipt number", cd)
	}
	checkDisclosureZip(t, zipped, receipt, email)

	// The link works once.
	resp, err = http.Post(link, "", nil)
	if err != nil {
		t.Fatalf("second download: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("second use of the link: status %d, want 404", resp.StatusCode)
	}
	// Its page now says so. (Fetched with Go's client: the browser would
	// log the 404 of a path with a dot, which newBrowser takes for a
	// broken resource.)
	resp, err = http.Get(link)
	if err != nil {
		t.Fatalf("the used link's page: %v", err)
	}
	used, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || bytes.Contains(used, []byte(`id="link-download"`)) || !bytes.Contains(used, []byte(`id="error"`)) {
		t.Errorf("the used link's page: status %d, want 404 with an error and no download button:\n%.1000s", resp.StatusCode, used)
	}

	// The requester follows the request on the portal.
	if st := openPage(t, ctx, m, "/requests/status"); st != http.StatusOK {
		t.Fatalf("GET /requests/status: status %d: %s", st, pageText(ctx))
	}
	waitFor(t, ctx, "status form", "#portal-status-form")
	runSteps(t, ctx, "fill in the status form",
		chromedp.SendKeys(chromedp.ID("status-receipt"), receipt),
		chromedp.SendKeys(chromedp.ID("status-secret"), secret),
	)
	if resp := clickAndWait(t, ctx, "#status-submit"); resp.Status != http.StatusOK {
		t.Fatalf("look up the request: status %d: %s", resp.Status, pageText(ctx))
	}
	waitFor(t, ctx, "request status", "#portal-status-value")
	if got := attrOf(t, ctx, "#portal-status-value", "data-status"); got != "answered" {
		t.Errorf("portal status %q, want answered; the page says:\n%s", got, pageText(ctx))
	}
	if got := textOf(t, ctx, "#portal-status-value"); !strings.Contains(got, "回答済み") {
		t.Errorf("portal status reads %q, want 回答済み", got)
	}
	waitFor(t, ctx, "answer on the portal", "#download-letter")
	if !hasElement(t, ctx, "#download-archive") {
		t.Errorf("the portal offers no archive download:\n%s", pageText(ctx))
	}
	if hasElement(t, ctx, "#portal-files-form") {
		t.Error("the portal still asks for documents after the answer")
	}

	// Nothing personal, and neither the secret nor the link, in the
	// server's log.
	token := link[strings.LastIndex(link, "/")+1:]
	log := logs.String()
	for _, leak := range []string{name, "山田", email, "090-8765-4321", "丸の内", secret, token} {
		if strings.Contains(log, leak) {
			t.Errorf("the server log holds %q", leak)
		}
	}
	t.Logf("request path walked in %v", time.Since(start).Round(time.Millisecond))
}

// checkDisclosureZip checks the disclosure archive: the data in
// disclosure.json and the answer letter as kaitousho.pdf.
func checkDisclosureZip(t *testing.T, zipped []byte, receipt, email string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatalf("the download is not a ZIP (%d bytes): %v", len(zipped), err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s in the ZIP: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s in the ZIP: %v", f.Name, err)
		}
		files[f.Name] = data
	}
	js, ok := files["disclosure.json"]
	if !ok {
		t.Fatalf("the ZIP has no disclosure.json; it holds %v", zipNames(files))
	}
	if !bytes.Contains(js, []byte(email)) || !bytes.Contains(js, []byte(receipt)) {
		t.Errorf("disclosure.json lacks %s or %s:\n%.2000s", email, receipt, js)
	}
	pdf, ok := files["kaitousho.pdf"]
	if !ok {
		t.Fatalf("the ZIP has no kaitousho.pdf; it holds %v", zipNames(files))
	}
	text, err := pdftext.Text(pdf)
	if err != nil {
		t.Fatalf("kaitousho.pdf: %v", err)
	}
	for _, want := range []string{"回答書", receipt, "山田 花子 様", "利用目的の通知", "2,000円"} {
		if !strings.Contains(text, want) {
			t.Errorf("kaitousho.pdf lacks %q; it reads:\n%s", want, text)
		}
	}
}

// zipNames lists the names of the files in an archive, sorted.
func zipNames(m map[string][]byte) []string {
	return slices.Sorted(maps.Keys(m))
}
