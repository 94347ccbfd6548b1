package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hogo.example.jp/hogo/mail/smtptest"
)

// complaintPathTimeout bounds TestBrowserComplaintPath's browser: some
// fifteen pages, on a loaded two-core machine.
const complaintPathTimeout = 60 * time.Second

// keepScreenshot saves the page as name in HOGO_SCREENSHOTS, when set, for
// review.
func keepScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("HOGO_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserComplaintPath walks a complaint as people make it: a person
// complains on the portal and is given a receipt number and a secret, the
// receipt mail arrives over real SMTP without what was written or the
// secret, the desk acknowledges and answers in the console, and the person
// reads the answer on the portal's status page; a wrong secret gets the
// one answer for any miss.
func TestBrowserComplaintPath(t *testing.T) {
	relay := smtptest.Start(t)
	m, _ := startServerWith(t, func(c *Config) {
		c.SMTP = relay.Addr()
		c.SMTPTLS = "none"
	})
	ctx := newBrowserWithin(t, complaintPathTimeout)
	const (
		name      = "道下 鈴"
		email     = "suzu.michishita@example.jp"
		statement = "退会したのに求人案内のメールが届き続けています。"
		answer    = "配信を停止いたしました。ご迷惑をおかけし申し訳ございません。"
	)

	// The person complains on the portal, without an account.
	if st := openPage(t, ctx, m, "/complaints/new"); st != http.StatusOK {
		t.Fatalf("GET /complaints/new: status %d: %s", st, pageText(ctx))
	}
	waitFor(t, ctx, "complaint form", "#portal-complaint-form")
	runSteps(t, ctx, "fill in the complaint form",
		chromedp.SetValue(chromedp.ID("pc-category"), "marketing"),
		chromedp.SendKeys(chromedp.ID("pc-statement"), statement),
		chromedp.SendKeys(chromedp.ID("pc-name"), name),
		chromedp.SendKeys(chromedp.ID("pc-email"), email),
	)
	if resp := clickAndWait(t, ctx, "#portal-complaint-submit"); resp.Status != http.StatusOK {
		t.Fatalf("send the complaint: status %d: %s", resp.Status, pageText(ctx))
	}
	waitFor(t, ctx, "complaint sent", "#portal-complaint-number")
	if hasElement(t, ctx, "#error") {
		t.Fatalf("the complaint was taken with an error: %s", pageText(ctx))
	}
	receipt := strings.TrimSpace(textOf(t, ctx, "#portal-complaint-number"))
	secret := strings.TrimSpace(textOf(t, ctx, "#portal-complaint-secret"))
	if !strings.HasPrefix(receipt, "C-") || len(secret) != 26 {
		t.Fatalf("receipt %q, secret %q: the page says:\n%s", receipt, secret, pageText(ctx))
	}
	if got := attrOf(t, ctx, "#portal-complaint-mail", "data-mail"); got != "sent" {
		t.Errorf("the page says the receipt mail is %q, want sent: %s", got, pageText(ctx))
	}
	if got := textOf(t, ctx, "#portal-complaint-ack"); !strings.Contains(got, "令和") {
		t.Errorf("the acknowledgement's target reads %q, want a 和暦 date", got)
	}
	keepScreenshot(t, ctx, "complaint-portal-receipt.png")
	t.Logf("complaint %s received", receipt)

	// The receipt mail, as the person's mail client reads it.
	mctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := relay.Wait(mctx, 1)
	if err != nil {
		t.Fatalf("no receipt mail: %v", err)
	}
	mail, err := msgs[0].Parse()
	if err != nil {
		t.Fatalf("parse the mail: %v", err)
	}
	if mail.To != email || len(msgs[0].To) != 1 || msgs[0].To[0] != email {
		t.Errorf("mail to %q (envelope %v), want %s", mail.To, msgs[0].To, email)
	}
	if !strings.Contains(mail.Subject, receipt) || !strings.Contains(mail.Subject, "受付のお知らせ") {
		t.Errorf("mail subject %q lacks the receipt number %s", mail.Subject, receipt)
	}
	for _, want := range []string{name + " 様", receipt, "令和", m.URL + "/complaints/status"} {
		if !strings.Contains(mail.Text, want) {
			t.Errorf("the mail lacks %q:\n%s", want, mail.Text)
		}
	}
	for _, not := range []string{secret, "求人案内"} {
		if strings.Contains(mail.Text, not) {
			t.Errorf("the mail carries %q:\n%s", not, mail.Text)
		}
	}

	// The desk acknowledges and answers it.
	login(t, ctx, m, "desk", demoPassword(t, m, "desk"))
	if st := openPage(t, ctx, m, "/console/complaints"); st != http.StatusOK {
		t.Fatalf("GET /console/complaints: status %d: %s", st, pageText(ctx))
	}
	waitFor(t, ctx, "complaint queue", "#complaint-queue")
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const a = [...document.querySelectorAll("#complaint-queue a.complaint-link")].find(a => a.textContent.trim() === `+strconv.Quote(receipt)+`);
		return a ? a.getAttribute("href") : "";
	})()`))
	if err != nil || href == "" {
		t.Fatalf("the queue has no link to %s (%v):\n%s", receipt, err, pageText(ctx))
	}
	if resp := clickAndWait(t, ctx, `#complaint-queue a.complaint-link[href="`+href+`"]`); resp.Status != http.StatusOK {
		t.Fatalf("open the complaint: status %d: %s", resp.Status, pageText(ctx))
	}
	waitFor(t, ctx, "complaint page", "#complaint-receipt")
	if got := strings.TrimSpace(textOf(t, ctx, "#complaint-receipt")); got != receipt {
		t.Errorf("the complaint page shows %q, want %s", got, receipt)
	}
	if got := attrOf(t, ctx, "#complaint-mail", "data-mail"); got != "sent" {
		t.Errorf("the console says the receipt mail is %q, want sent", got)
	}
	if hasElement(t, ctx, "#complaint-manual-ack") {
		t.Error("the console asks for a manual acknowledgement of a complaint whose mail went")
	}
	if got := textOf(t, ctx, "#complaint-statement"); !strings.Contains(got, "求人案内") {
		t.Errorf("the statement reads %q", got)
	}
	runSteps(t, ctx, "choose acknowledge",
		chromedp.SetValue(chromedp.ID("complaint-step"), "acknowledge"),
		chromedp.SendKeys(chromedp.ID("complaint-note"), "受付のお知らせのメールを確認し、担当を決めた"),
	)
	submitStep(t, ctx, "acknowledge", "#complaint-step-submit", "受領の連絡を記録しました")
	if got := attrOf(t, ctx, "#complaint-status", "data-status"); got != "acknowledged" {
		t.Fatalf("after acknowledging: status %q; the page says:\n%s", got, pageText(ctx))
	}
	runSteps(t, ctx, "write the answer",
		chromedp.SetValue(chromedp.ID("complaint-step"), "answer"),
		chromedp.SendKeys(chromedp.ID("complaint-note"), answer),
	)
	submitStep(t, ctx, "answer", "#complaint-step-submit", "回答を記録しました")
	if got := attrOf(t, ctx, "#complaint-status", "data-status"); got != "answered" {
		t.Fatalf("after answering: status %q; the page says:\n%s", got, pageText(ctx))
	}
	keepScreenshot(t, ctx, "complaint-console-answered.png")
	logout(t, ctx)

	// The person reads the answer on the status page.
	check := func(secret string) *int64 {
		t.Helper()
		if st := openPage(t, ctx, m, "/complaints/status"); st != http.StatusOK {
			t.Fatalf("GET /complaints/status: status %d: %s", st, pageText(ctx))
		}
		waitFor(t, ctx, "status form", "#portal-complaint-status-form")
		runSteps(t, ctx, "fill in the status form",
			chromedp.SendKeys(chromedp.ID("pcs-receipt-input"), receipt),
			chromedp.SendKeys(chromedp.ID("pcs-secret"), secret),
		)
		resp := clickAndWait(t, ctx, "#pcs-submit")
		return &resp.Status
	}
	if st := check(secret); *st != http.StatusOK {
		t.Fatalf("the status page: status %d: %s", *st, pageText(ctx))
	}
	waitFor(t, ctx, "status", "#pcs-status")
	if got := attrOf(t, ctx, "#pcs-status", "data-status"); got != "answered" {
		t.Errorf("the status page says %q, want answered", got)
	}
	if got := textOf(t, ctx, "#pcs-status"); !strings.Contains(got, "回答済") {
		t.Errorf("the status reads %q, want 回答済", got)
	}
	if got := textOf(t, ctx, "#pcs-answer-text"); !strings.Contains(got, answer) {
		t.Errorf("the answer reads %q, want %q", got, answer)
	}
	if got := textOf(t, ctx, "main"); strings.Contains(got, "担当を決めた") || strings.Contains(got, "求人案内") {
		t.Errorf("the status page shows more than the answer:\n%s", got)
	}
	keepScreenshot(t, ctx, "complaint-portal-status.png")

	// A wrong secret: the one answer for any miss.
	if st := check("abcdefghijklmnopqrstuvwxyz"); *st != http.StatusNotFound {
		t.Errorf("a wrong secret: status %d: %s", *st, pageText(ctx))
	}
	waitFor(t, ctx, "the miss", "#error")
	if got := textOf(t, ctx, "#error"); !strings.Contains(got, "受付番号または暗証番号が正しくありません") {
		t.Errorf("a wrong secret reads %q", got)
	}
	if hasElement(t, ctx, "#pcs-status") {
		t.Error("a wrong secret shows the status")
	}
	if n := len(relay.Messages()); n != 1 {
		t.Errorf("%d mails, want the one receipt", n)
	}
}
