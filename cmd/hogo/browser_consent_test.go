package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"hogo.example.jp/hogo/letter/pdftext"
	"hogo.example.jp/hogo/mail/smtptest"
)

// consentWalkTimeout bounds TestBrowserConsentProvision's browser: the
// walk loads some twenty-five pages, as a recruiter, the principal and the
// recruiter again.
const consentWalkTimeout = 90 * time.Second

var portalCodeRE = regexp.MustCompile(`確認コード: (\d{6})`)

// browserGet fetches a path of the server with Go's client and the
// browser's cookies (the signed-in session), for downloads that headless
// Chromium makes awkward to catch. It returns the response (body closed)
// and the body.
func browserGet(t *testing.T, ctx context.Context, m *Main, path string) (*http.Response, []byte) {
	t.Helper()
	getCookies := chromedp.Action[[]*network.Cookie](func(ctx context.Context, tg *chromedp.Target) ([]*network.Cookie, error) {
		res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{m.URL + path}})
		return res.Cookies, err
	})
	cookies, err := chromedp.Run(ctx, getCookies)
	if err != nil {
		t.Fatalf("the browser's cookies: %v", err)
	}
	if len(cookies) == 0 {
		t.Fatalf("the browser holds no cookie for %s", m.URL+path)
	}
	req, err := http.NewRequest(http.MethodGet, m.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp, body
}

// checked reports whether the checkbox with the id is ticked.
func checked(t *testing.T, ctx context.Context, id string) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("`+id+`").checked`))
	if err != nil {
		t.Fatalf("is #%s ticked: %v", id, err)
	}
	return ok
}

// countOf is the number of elements that sel (CSS) finds.
func countOf(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(sel)+`).length`))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// previewProvision fills in the provision wizard, to client_company on the
// principal's consent, name and e-mail of the principal, and asks for
// the decision, which it waits for.
func previewProvision(t *testing.T, ctx context.Context, m *Main, pid string) {
	t.Helper()
	if st := openPage(t, ctx, m, "/console/provisions"); st != http.StatusOK {
		t.Fatalf("GET /console/provisions: status %d: %s", st, pageText(ctx))
	}
	waitFor(t, ctx, "provision wizard", "#provision-form")
	runSteps(t, ctx, "fill in the provision wizard",
		chromedp.SetValue(chromedp.ID("pv-recipient"), "client_company"),
		chromedp.SetValue(chromedp.ID("pv-basis"), "consent"),
		chromedp.Click(chromedp.ID("pv-item-name")),
		chromedp.Click(chromedp.ID("pv-item-email")),
		chromedp.SendKeys(chromedp.ID("pv-principals"), pid),
	)
	for _, id := range []string{"pv-item-name", "pv-item-email"} {
		if !checked(t, ctx, id) {
			t.Fatalf("#%s is not ticked", id)
		}
	}
	for _, id := range []string{"pv-item-phone", "pv-item-name_kana"} {
		if hasElement(t, ctx, "#"+id) && checked(t, ctx, id) {
			t.Fatalf("#%s is ticked though nobody ticked it", id)
		}
	}
	if resp := clickAndWait(t, ctx, "#provision-preview"); resp.Status != http.StatusOK {
		t.Fatalf("provision preview: status %d: %s", resp.Status, pageText(ctx))
	}
	if hasElement(t, ctx, "#error") {
		t.Fatalf("provision preview: an error: %s", pageText(ctx))
	}
	waitFor(t, ctx, "provision decision", "#provision-decision")
	// The wizard keeps the principals for another try.
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("pv-principals"))); err != nil || strings.TrimSpace(v) != pid {
		t.Errorf("after the preview #pv-principals holds %q (%v), want %s", v, err, pid)
	}
}

// checkRefused checks that the wizard's decision refuses the principal
// for want of consent, and offers no confirmation.
func checkRefused(t *testing.T, ctx context.Context, what, pid string) {
	t.Helper()
	if !hasElement(t, ctx, "#decision-refused") || hasElement(t, ctx, "#decision-ok") {
		t.Fatalf("%s: the decision is not a refusal; the page says:\n%s", what, pageText(ctx))
	}
	if got := textOf(t, ctx, "#decision-refused"); !strings.Contains(got, "提供できません") {
		t.Errorf("%s: #decision-refused says %q", what, got)
	}
	if !hasElement(t, ctx, "#refusals") {
		t.Fatalf("%s: no refusals table; the page says:\n%s", what, pageText(ctx))
	}
	refusals := textOf(t, ctx, "#refusals tbody")
	if !strings.Contains(refusals, pid) || !strings.Contains(refusals, "有効な同意がない") {
		t.Errorf("%s: the refusals table reads %q, want %s refused for 有効な同意がない", what, refusals, pid)
	}
	if n := countOf(t, ctx, "#refusals tbody tr"); n != 1 {
		t.Errorf("%s: %d refusals, want 1:\n%s", what, n, refusals)
	}
	if hasElement(t, ctx, "#provision-confirm") || hasElement(t, ctx, "#provision-submit") {
		t.Errorf("%s: a refused provision can be confirmed; the page says:\n%s", what, pageText(ctx))
	}
	if hasElement(t, ctx, "#provision-done") {
		t.Errorf("%s: #provision-done is shown after a refusal", what)
	}
}

// TestBrowserConsentProvision walks consent and third-party provision: a
// recruiter registers a job seeker, may not provide her name and address
// to a client company without her consent, records her consent with its
// receipt, then provides; she withdraws the consent on the portal with a
// code sent to her address, and the recruiter may no longer provide.
func TestBrowserConsentProvision(t *testing.T) {
	relay := smtptest.Start(t)
	m, logs := startServerWith(t, func(c *Config) {
		c.SMTP = relay.Addr()
		c.SMTPTLS = "none"
	})
	ctx := newBrowserWithin(t, consentWalkTimeout)
	start := time.Now()
	const (
		name  = "佐藤 美咲"
		kana  = "サトウ ミサキ"
		email = "misaki@example.jp"
		phone = "090-3141-5926"
	)
	recruiter := demoPassword(t, m, "recruiter")

	// 1. The recruiter registers the job seeker.
	login(t, ctx, m, "recruiter", recruiter)
	page := registerSeeker(t, ctx, m, map[string]string{"name": name, "name_kana": kana, "email": email, "phone": phone})
	pid := strings.TrimPrefix(page, "/console/principals/")
	if pid == "" || strings.Contains(pid, "/") {
		t.Fatalf("principal page %q names no principal", page)
	}
	t.Logf("principal %s registered", pid)

	// 2. Without consent the wizard refuses.
	previewProvision(t, ctx, m, pid)
	checkRefused(t, ctx, "before consent", pid)

	// 3. The recruiter records her consent, on a web form.
	consents := "/console/principals/" + pid + "/consents"
	if st := openPage(t, ctx, m, consents); st != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", consents, st, pageText(ctx))
	}
	waitFor(t, ctx, "consent form", "#consent-form")
	if hasElement(t, ctx, "#consent-list") {
		t.Errorf("a new principal has a consent history:\n%s", textOf(t, ctx, "#consent-list"))
	}
	runSteps(t, ctx, "fill in the consent form",
		chromedp.Click(chromedp.ID("cp-marketing")),
		chromedp.Click(chromedp.ID("cr-client_company")),
		chromedp.SetValue(chromedp.ID("consent-method"), "web_form"),
	)
	for _, id := range []string{"cp-marketing", "cr-client_company"} {
		if !checked(t, ctx, id) {
			t.Fatalf("#%s is not ticked", id)
		}
	}
	if resp := clickAndWait(t, ctx, "#consent-submit"); resp.Status != http.StatusOK {
		t.Fatalf("record the consent: status %d: %s", resp.Status, pageText(ctx))
	}
	if hasElement(t, ctx, "#error") {
		t.Fatalf("record the consent: an error: %s", pageText(ctx))
	}
	if p := pagePath(t, ctx); p != consents {
		t.Errorf("after recording the consent: on %s, want %s", p, consents)
	}
	waitFor(t, ctx, "consent recorded", "#flash")
	if got := textOf(t, ctx, "#flash"); !strings.Contains(got, "同意を記録しました") {
		t.Errorf("#flash after recording says %q, want 同意を記録しました", got)
	}
	waitFor(t, ctx, "consent history", "#consent-list")
	if n := countOf(t, ctx, "#consent-list tr.consent"); n != 1 {
		t.Fatalf("%d consents in the history, want 1:\n%s", n, pageText(ctx))
	}
	if got := attrOf(t, ctx, "#consent-list tr.consent", "data-status"); got != "live" {
		t.Fatalf("the consent's data-status is %q, want live:\n%s", got, textOf(t, ctx, "#consent-list"))
	}
	row := textOf(t, ctx, "#consent-list tr.consent")
	for _, want := range []string{"当社からの情報提供", "派遣先・紹介先の企業", "有効", "recruiter"} {
		if !strings.Contains(row, want) {
			t.Errorf("the consent row lacks %q: %q", want, row)
		}
	}
	if !hasElement(t, ctx, "#consent-list tr.consent button.withdraw") {
		t.Errorf("a live consent offers the recruiter no withdraw button:\n%s", row)
	}
	cid := attrOf(t, ctx, "#consent-list tr.consent", "data-id")
	href := attrOf(t, ctx, "#consent-list tr.consent a.receipt-link", "href")
	if want := consents + "/" + cid + "/receipt"; cid == "" || href != want {
		t.Fatalf("the receipt link is %q, want %q", href, want)
	}
	// The receipt, downloaded in the recruiter's session.
	resp, pdf := browserGet(t, ctx, m, href)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("receipt: status %d: %.500s", resp.StatusCode, pdf)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("receipt Content-Type %q, want application/pdf", ct)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("the receipt is not a PDF: %.200q", pdf)
	}
	text, err := pdftext.Text(pdf)
	if err != nil {
		t.Fatalf("receipt PDF: %v", err)
	}
	for _, want := range []string{"同意の記録", "当社からの情報提供", "派遣先・紹介先の企業", "有効"} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt PDF lacks %q; it reads:\n%s", want, text)
		}
	}

	// 4. With her consent the provision goes out: name and e-mail only.
	previewProvision(t, ctx, m, pid)
	if !hasElement(t, ctx, "#decision-ok") || hasElement(t, ctx, "#decision-refused") {
		t.Fatalf("with consent: the decision is not lawful; the page says:\n%s", pageText(ctx))
	}
	if got := textOf(t, ctx, "#decision-ok"); !strings.Contains(got, "根拠があります") {
		t.Errorf("#decision-ok says %q", got)
	}
	waitFor(t, ctx, "provision confirmation", "#provision-confirm")
	if got := textOf(t, ctx, "#provision-submit"); !strings.Contains(got, "(1)") {
		t.Errorf("#provision-submit reads %q, want a count of 1", got)
	}
	if resp := clickAndWait(t, ctx, "#provision-submit"); resp.Status != http.StatusOK {
		t.Fatalf("provide: status %d: %s", resp.Status, pageText(ctx))
	}
	if hasElement(t, ctx, "#error") {
		t.Fatalf("provide: an error: %s", pageText(ctx))
	}
	waitFor(t, ctx, "provision done", "#provision-done")
	if got := textOf(t, ctx, "#flash"); !strings.Contains(got, "提供を記録しました") {
		t.Errorf("#flash after providing says %q", got)
	}
	done := textOf(t, ctx, "#provision-done")
	for _, want := range []string{"派遣先・紹介先の企業", "同意"} {
		if !strings.Contains(done, want) {
			t.Errorf("#provision-done lacks %q: %q", want, done)
		}
	}
	export := attrOf(t, ctx, "#export-link", "href")
	if !regexp.MustCompile(`^/console/provisions/[^/]+/export$`).MatchString(export) {
		t.Fatalf("#export-link points at %q", export)
	}
	resp, data := browserGet(t, ctx, m, export)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: status %d: %.500s", resp.StatusCode, data)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("export Content-Type %q, want text/csv", ct)
	}
	if !strings.Contains(string(data), name) || !strings.Contains(string(data), email) {
		t.Errorf("the export lacks the name or the e-mail:\n%s", data)
	}
	for _, leak := range []string{phone, "09031415926", kana} {
		if strings.Contains(string(data), leak) {
			t.Errorf("the export holds %q, an item not chosen:\n%s", leak, data)
		}
	}
	logout(t, ctx)

	// 5. She withdraws on the portal, with a code sent to her address.
	if st := openPage(t, ctx, m, "/consents"); st != http.StatusOK {
		t.Fatalf("GET /consents: status %d: %s", st, pageText(ctx))
	}
	waitFor(t, ctx, "portal consent page", "#portal-consent-email")
	before := len(relay.Messages())
	runSteps(t, ctx, "give the address", chromedp.SendKeys(chromedp.ID("portal-consent-email"), email))
	if resp := clickAndWait(t, ctx, "#portal-consent-submit"); resp.Status != http.StatusOK {
		t.Fatalf("ask for the code: status %d: %s", resp.Status, pageText(ctx))
	}
	waitFor(t, ctx, "code form", "#portal-consent-code")
	mctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := relay.Wait(mctx, before+1)
	if err != nil {
		t.Fatalf("no code mail: %v", err)
	}
	if len(msgs) != before+1 {
		t.Errorf("%d mails after asking for the code, want %d", len(msgs), before+1)
	}
	mail, err := msgs[len(msgs)-1].Parse()
	if err != nil {
		t.Fatalf("parse the code mail: %v", err)
	}
	if mail.To != email {
		t.Errorf("code mail to %q, want %s", mail.To, email)
	}
	if !strings.Contains(mail.Subject, "確認コード") {
		t.Errorf("code mail subject %q", mail.Subject)
	}
	match := portalCodeRE.FindStringSubmatch(mail.Text)
	if match == nil {
		t.Fatalf("no code in the mail:\n%s", mail.Text)
	}
	code := match[1]
	runSteps(t, ctx, "enter the code", chromedp.SendKeys(chromedp.ID("portal-consent-code"), code))
	if resp := clickAndWait(t, ctx, "#portal-consent-verify-submit"); resp.Status != http.StatusOK {
		t.Fatalf("verify the code: status %d: %s", resp.Status, pageText(ctx))
	}
	waitFor(t, ctx, "portal consent list", "#portal-consent-list")
	if n := countOf(t, ctx, "#portal-consent-list tr.consent"); n != 1 {
		t.Fatalf("%d consents on the portal, want 1:\n%s", n, pageText(ctx))
	}
	if got := attrOf(t, ctx, "#portal-consent-list tr.consent", "data-status"); got != "live" {
		t.Fatalf("on the portal the consent is %q, want live:\n%s", got, pageText(ctx))
	}
	if got := textOf(t, ctx, "#portal-consent-list tr.consent"); !strings.Contains(got, "当社からの情報提供") || !strings.Contains(got, "派遣先・紹介先の企業") {
		t.Errorf("the portal's consent row reads %q", got)
	}
	if resp := clickAndWait(t, ctx, "#portal-consent-list button.portal-withdraw"); resp.Status != http.StatusOK {
		t.Fatalf("withdraw on the portal: status %d: %s", resp.Status, pageText(ctx))
	}
	if hasElement(t, ctx, "#error") {
		t.Fatalf("withdraw on the portal: an error: %s", pageText(ctx))
	}
	waitFor(t, ctx, "withdrawn", "#flash")
	if got := textOf(t, ctx, "#flash"); !strings.Contains(got, "同意を撤回しました") {
		t.Errorf("#flash after withdrawing says %q", got)
	}
	waitFor(t, ctx, "portal consent list after withdrawing", "#portal-consent-list")
	if got := attrOf(t, ctx, "#portal-consent-list tr.consent", "data-status"); got != "withdrawn" {
		t.Fatalf("after withdrawing the consent is %q, want withdrawn:\n%s", got, pageText(ctx))
	}
	if got := textOf(t, ctx, "#portal-consent-list tr.consent"); !strings.Contains(got, "撤回済み") {
		t.Errorf("the withdrawn row reads %q, want 撤回済み", got)
	}
	if hasElement(t, ctx, "#portal-consent-list button.portal-withdraw") {
		t.Error("a withdrawn consent can be withdrawn again")
	}

	// 6. The recruiter may no longer provide.
	login(t, ctx, m, "recruiter", recruiter)
	if st := openPage(t, ctx, m, consents); st != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", consents, st, pageText(ctx))
	}
	waitFor(t, ctx, "consent history after the withdrawal", "#consent-list")
	if got := attrOf(t, ctx, "#consent-list tr.consent", "data-status"); got != "withdrawn" {
		t.Errorf("the console shows the consent %q, want withdrawn:\n%s", got, pageText(ctx))
	}
	if hasElement(t, ctx, "#consent-list button.withdraw") {
		t.Error("the console offers to withdraw a withdrawn consent")
	}
	previewProvision(t, ctx, m, pid)
	checkRefused(t, ctx, "after the withdrawal", pid)

	// Nothing personal, nor the code, in the server's log.
	log := logs.String()
	for _, leak := range []string{name, "佐藤", email, phone, "確認コード: " + code, "code=" + code} {
		if strings.Contains(log, leak) {
			t.Errorf("the server log holds %q", leak)
		}
	}
	t.Logf("consent and provision walked in %v", time.Since(start).Round(time.Millisecond))
}
