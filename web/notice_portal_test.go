package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/letter/pdftext"
	"hogo.example.jp/hogo/notice"
	"hogo.example.jp/hogo/vault"
	"hogo.example.jp/hogo/web"
)

// loadNoticeLedger makes the YAML the server's ledger and records its
// notice, as the server does when it loads a ledger (cmd/hogo's
// loadLedger).
func (h *harness) loadNoticeLedger(data []byte) (*hogo.NoticeVersion, bool) {
	h.t.Helper()
	l, ps := ledger.ParseAndValidate("staffing.yaml", data)
	if l == nil {
		h.t.Fatalf("ledger does not load: %v", ps.Errors())
	}
	digest := ledger.Digest(data)
	v, created, err := notice.Record(h.t.Context(), h.db, h.log, hogo.SystemActor, l, digest)
	if err != nil {
		h.t.Fatalf("notice.Record: %v", err)
	}
	h.srv.SetLedger(&web.LedgerState{Ledger: l, YAML: data, Digest: digest})
	return v, created
}

// replaceOnce replaces old, which must occur once, in the YAML.
func replaceOnce(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	if n := bytes.Count(data, []byte(old)); n != 1 {
		t.Fatalf("%q occurs %d times in the ledger", old, n)
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

// TestNoticePortal: the notice in force on the portal in Japanese and
// English, with its PDF and Markdown; its versions, a new one only when a
// ledger change alters the text, each audited once; a version's page with
// what changed.
func TestNoticePortal(t *testing.T) {
	h := newHarness(t)
	data, err := examples.Ledgers.ReadFile(ledgerFile)
	if err != nil {
		t.Fatal(err)
	}
	v1, created := h.loadNoticeLedger(data)
	if !created || v1.Version != 1 || v1.Effective != "2026-04-01" || v1.Revision != "2026.1" {
		t.Fatalf("first load: created %v, %+v", created, v1)
	}
	org := h.ledger.Organization.Name.In("ja")
	anon := h.browser()

	// The portal's home links to the notice.
	if r := anon.get("/"); !strings.Contains(r.String(), `href="/notice"`) {
		t.Errorf("the portal's home does not link the notice:\n%s", r.body)
	}

	t.Run("Japanese", func(t *testing.T) {
		h := h.in(t)
		r := h.browser().get("/notice")
		body := r.String()
		if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET /notice: %d %s", r.status, r.header.Get("Content-Type"))
		}
		for _, want := range []string{`<html lang="ja">`, `<article class="notice" lang="ja">`, "個人情報保護方針・個人情報の取扱いについて", org,
			"令和8年4月1日", `id="notice-version">第1版</a>`, `href="/notice.pdf?lang=ja"`, `href="/notice.md?lang=ja"`,
			`href="/notice/versions?lang=ja"`, "お仕事のご紹介やご連絡、契約締結のため"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET /notice lacks %q", want)
			}
		}
		// One heading of the first level: the page's; the fragment leaves
		// the notice's title to it.
		if n := strings.Count(body, "<h1"); n != 1 || strings.Contains(body, `<h1 id="notice-title">`) {
			t.Errorf("%d h1 elements", n)
		}
	})

	t.Run("English", func(t *testing.T) {
		h := h.in(t)
		r := h.browser().get("/notice?lang=en")
		body := r.String()
		for _, want := range []string{`<html lang="en">`, `<article class="notice" lang="en">`, "Privacy policy and how we handle personal information",
			html.EscapeString(h.ledger.Organization.Name.In("en")), "1 April 2026", `>Version 1</a>`, `href="/notice.pdf?lang=en"`,
			"To introduce jobs, contact you about them and conclude contracts"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET /notice?lang=en lacks %q", want)
			}
		}
		if r.status != http.StatusOK || strings.Contains(body, "お仕事のご紹介") {
			t.Errorf("English notice: %d, holds Japanese text", r.status)
		}
	})

	t.Run("PDF", func(t *testing.T) {
		h := h.in(t)
		r := h.browser().get("/notice.pdf")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF")) {
			t.Fatalf("GET /notice.pdf: %d %s %q", r.status, r.header.Get("Content-Type"), r.body[:min(8, len(r.body))])
		}
		if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, `filename="privacy-notice-v1-ja.pdf"`) {
			t.Errorf("Content-Disposition %q", cd)
		}
		text, err := pdftext.Text(r.body)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, org) || !strings.Contains(text, "利用目的") {
			t.Errorf("the PDF's text lacks the company or the purposes:\n%.600s", text)
		}
		en := h.browser().get("/notice.pdf?lang=en")
		text, err = pdftext.Text(en.body)
		if err != nil || !strings.Contains(text, "Hinode Staffing") {
			t.Errorf("English PDF: %v\n%.400s", err, text)
		}
	})

	t.Run("Markdown", func(t *testing.T) {
		h := h.in(t)
		digest, ja, en := notice.Snapshot(h.ledger)
		r := h.browser().get("/notice.md")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/markdown") || r.String() != ja {
			t.Fatalf("GET /notice.md: %d %s\n%.300s", r.status, r.header.Get("Content-Type"), r.body)
		}
		// The download is the version recorded: same text, same digest.
		sum := sha256.Sum256(r.body)
		if hex.EncodeToString(sum[:]) != v1.Digest || digest != v1.Digest {
			t.Errorf("the Markdown downloaded is not version 1's")
		}
		if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, `filename="privacy-notice-v1-ja.md"`) {
			t.Errorf("Content-Disposition %q", cd)
		}
		if r := h.browser().get("/notice.md?lang=en"); r.String() != en || !strings.HasPrefix(r.String(), "# Privacy policy") {
			t.Errorf("GET /notice.md?lang=en:\n%.300s", r.body)
		}
	})

	// A second ledger that changes a purpose makes version 2.
	changed := replaceOnce(t, data, "ja: お仕事のご紹介やご連絡、契約締結のため", "ja: お仕事のご紹介やご連絡、契約締結及び就業後のフォローのため")
	changed = replaceOnce(t, changed, "en: To introduce jobs, contact you about them and conclude contracts",
		"en: To introduce jobs, contact you about them, conclude contracts and follow up after placement")
	changed = replaceOnce(t, changed, `revision: "2026.1"`, `revision: "2026.2"`)
	changed = replaceOnce(t, changed, "effective_date: 2026-04-01", "effective_date: 2026-10-01")
	v2, created := h.loadNoticeLedger(changed)
	if !created || v2.Version != 2 || v2.Effective != "2026-10-01" {
		t.Fatalf("changed purpose: created %v, %+v", created, v2)
	}
	// Loading it again (a restart, another node) makes nothing new.
	if again, created := h.loadNoticeLedger(changed); created || again.Version != 2 {
		t.Fatalf("same ledger again: created %v, version %d", created, again.Version)
	}
	// A change the notice does not show (who may use what) makes no
	// version, and the ledger's digest maps to the version in force.
	access := replaceOnce(t, changed, "      - role: desk\n        purposes: [job_matching, service_provision]\n        items: [name, name_kana, email, phone, postal_code, address]",
		"      - role: desk\n        purposes: [job_matching, service_provision]\n        items: [name, name_kana, email, phone]")
	if v, created := h.loadNoticeLedger(access); created || v.Version != 2 {
		t.Fatalf("access rule change: created %v, version %d", created, v.Version)
	}
	if v, err := h.db.NoticeVersionOfLedger(t.Context(), ledger.Digest(access)); err != nil || v.Version != 2 {
		t.Fatalf("the access change's ledger maps to %+v, %v; want version 2", v, err)
	}
	if v, err := h.db.NoticeVersionOfLedger(t.Context(), ledger.Digest(data)); err != nil || v.Version != 1 {
		t.Fatalf("the first ledger maps to %+v, %v; want version 1", v, err)
	}
	// Each version is audited once, with its number.
	entries, err := h.db.ListAudit(t.Context(), hogo.AuditFilter{Action: "notice.version", Limit: 10})
	if err != nil || len(entries) != 2 || entries[0].Target != "2" || entries[1].Target != "1" ||
		entries[0].Detail["version"] != "2" || entries[0].Detail["ledger_digest"] != ledger.Digest(changed) || entries[0].Detail["revision"] != "2026.2" {
		t.Fatalf("notice.version entries: %v %+v", err, entries)
	}

	t.Run("Versions", func(t *testing.T) {
		h := h.in(t)
		r := h.browser().get("/notice/versions")
		body := r.String()
		if r.status != http.StatusOK {
			t.Fatalf("GET /notice/versions: %d", r.status)
		}
		row := regexp.MustCompile(`(?s)<tr id="notice-version-(\d)"( aria-current="true")?>.*?<td class="effective">([^<]*)</td><td>([^<]*)</td>`)
		ms := row.FindAllStringSubmatch(body, -1)
		if len(ms) != 2 || ms[0][1] != "2" || ms[0][2] == "" || ms[0][3] != "令和8年10月1日" || ms[0][4] != "2026.2" ||
			ms[1][1] != "1" || ms[1][2] != "" || ms[1][3] != "令和8年4月1日" || ms[1][4] != "2026.1" {
			t.Errorf("versions list rows %q\n%s", ms, body)
		}
		if !strings.Contains(body, `href="/notice/versions/2?lang=ja">第2版</a>`) || !strings.Contains(body, "現行") {
			t.Errorf("versions list lacks the link to version 2 or the mark of the version in force")
		}
		en := h.browser().get("/notice/versions?lang=en").String()
		if !strings.Contains(en, "1 October 2026") || !strings.Contains(en, ">Version 2</a>") || !strings.Contains(en, "In force") {
			t.Errorf("English versions list:\n%s", en)
		}
		// The notice in force now says version 2.
		if b := h.browser().get("/notice").String(); !strings.Contains(b, `id="notice-version">第2版</a>`) || !strings.Contains(b, "就業後のフォロー") {
			t.Errorf("the notice in force is not version 2")
		}
	})

	t.Run("VersionDiff", func(t *testing.T) {
		h := h.in(t)
		r := h.browser().get("/notice/versions/2")
		body := r.String()
		if r.status != http.StatusOK {
			t.Fatalf("GET /notice/versions/2: %d", r.status)
		}
		for _, want := range []string{"第1版からの変更",
			`<ins class="line"><span class="mark">追加</span>令和8年10月1日 施行</ins>`,
			`id="notice-text">`, "令和8年10月1日"} {
			if !strings.Contains(body, want) {
				t.Errorf("version 2's page lacks %q", want)
			}
		}
		// The purpose's line, removed then added (a list item, however
		// the list is marked).
		for _, re := range []string{
			`<del class="line"><span class="mark">削除</span>[^<]*お仕事のご紹介やご連絡、契約締結のため</del>`,
			`<ins class="line"><span class="mark">追加</span>[^<]*お仕事のご紹介やご連絡、契約締結及び就業後のフォローのため</ins>`,
		} {
			if !regexp.MustCompile(re).MatchString(body) {
				t.Errorf("version 2's page does not match %s", re)
			}
		}
		// Only the changes and their context: not the whole text twice.
		if n := strings.Count(body, `class="line"`); n > 60 {
			t.Errorf("the diff shows %d lines: more than the changes with a little context", n)
		}
		en := h.browser().get("/notice/versions/2?lang=en").String()
		if !strings.Contains(en, "Changes from Version 1") {
			t.Errorf("version 2's English page does not say what it compares")
		}
		for _, re := range []string{
			`<del class="line"><span class="mark">Removed</span>[^<]*To introduce jobs, contact you about them and conclude contracts</del>`,
			`<ins class="line"><span class="mark">Added</span>[^<]*To introduce jobs, contact you about them, conclude contracts and follow up after placement</ins>`,
		} {
			if !regexp.MustCompile(re).MatchString(en) {
				t.Errorf("version 2's English page does not match %s", re)
			}
		}
		first := h.browser().get("/notice/versions/1").String()
		if !strings.Contains(first, `id="notice-first"`) || !strings.Contains(first, "お仕事のご紹介やご連絡、契約締結のため") ||
			strings.Contains(first, "就業後のフォロー") {
			t.Errorf("version 1's page:\n%.2000s", first)
		}
		for _, path := range []string{"/notice/versions/3", "/notice/versions/0", "/notice/versions/x"} {
			if r := h.browser().get(path); r.status != http.StatusNotFound || !strings.Contains(r.String(), "その版の個人情報保護方針はありません") {
				t.Errorf("GET %s: %d", path, r.status)
			}
		}
	})
}

// TestNoticePortalNoVersions: a server whose ledger's notice was not
// recorded still shows it, without a version; the versions list says there
// are none; without a ledger the notice is not found.
func TestNoticePortalNoVersions(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	r := b.get("/notice")
	if r.status != http.StatusOK || strings.Contains(r.String(), `id="notice-version"`) || !strings.Contains(r.String(), `class="notice"`) {
		t.Errorf("GET /notice without versions: %d", r.status)
	}
	if r := b.get("/notice.pdf"); r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Disposition"), `"privacy-notice-ja.pdf"`) {
		t.Errorf("GET /notice.pdf without versions: %d %q", r.status, r.header.Get("Content-Disposition"))
	}
	if r := b.get("/notice/versions"); r.status != http.StatusOK || !strings.Contains(r.String(), `id="notice-versions-empty"`) {
		t.Errorf("GET /notice/versions without versions: %d", r.status)
	}
	h.srv.SetLedger(nil)
	for _, path := range []string{"/notice", "/notice.pdf", "/notice.md"} {
		if r := b.get(path); r.status != http.StatusNotFound {
			t.Errorf("GET %s without a ledger: %d", path, r.status)
		}
	}
}

// TestRecordKeepsNotice: a record keeps the notice version in force when it
// was acquired; after the ledger changes the notice, its page still names
// (and links) the version that was shown.
func TestRecordKeepsNotice(t *testing.T) {
	h := newHarness(t)
	data, err := examples.Ledgers.ReadFile(ledgerFile)
	if err != nil {
		t.Fatal(err)
	}
	h.loadNoticeLedger(data)
	mgr := hogo.Actor{UserID: 2, Name: userName(hogo.RoleManager), Role: hogo.RoleManager}
	id, rid, err := h.srv.Vault.Create(t.Context(), mgr, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"},
		Source: "web_form", Items: map[string]string{"name": "架空 次郎", "name_kana": "カクウ ジロウ", "email": "jiro@example.jp", "phone": "090-0000-2222"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := h.srv.Vault.GiveConsent(t.Context(), mgr, id, vault.ConsentInput{Purposes: []string{"marketing"}, Method: "web_form"})
	if err != nil {
		t.Fatal(err)
	}
	changed := replaceOnce(t, data, "お仕事のご紹介やご連絡、契約締結のため", "お仕事のご紹介、ご連絡及び契約締結のため")
	if v2, created := h.loadNoticeLedger(changed); !created || v2.Version != 2 {
		t.Fatalf("the changed notice: %+v %v", v2, created)
	}
	b := h.browser()
	b.loginAs(hogo.RoleManager)
	r := b.get("/console/principals/" + id + "?purpose=job_matching")
	page := r.String()
	i := strings.Index(page, `id="record-`+rid+`"`)
	if i < 0 || !strings.Contains(page[i:], `<a href="/notice/versions/1" class="record-notice">第1版</a>`) {
		t.Errorf("the record does not name the notice shown when it was acquired:\n%s", page)
	}
	page = b.get("/console/principals/" + id + "/consents").String()
	i = strings.Index(page, `data-id="`+c.ID+`"`)
	if i < 0 || !strings.Contains(page[i:], `<a href="/notice/versions/1" class="consent-notice">第1版</a>`) {
		t.Errorf("the consent does not name the notice it was given under:\n%s", page)
	}
}
