package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/japanese"

	"hogo.example.jp/hogo"
)

// demoPassword is the password printed for a demo user.
func demoPassword(t *testing.T, m *Main, name string) string {
	t.Helper()
	for _, u := range m.DemoUsers {
		if u.Name == name {
			return u.Password
		}
	}
	t.Fatalf("no demo user %q", name)
	return ""
}

// registerSeeker registers a job seeker through the console form as the
// signed-in user, and returns the principal's page path.
func registerSeeker(t *testing.T, ctx context.Context, m *Main, items map[string]string) string {
	t.Helper()
	if st := openPage(t, ctx, m, "/console/principals/new?category=job_seeker"); st != 200 {
		t.Fatalf("new principal page: %d", st)
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.ID("new-source"), "web_form"),
		chromedp.SetValue(chromedp.ID("new-purpose"), "job_matching"),
	}
	for id, v := range items {
		steps = append(steps, chromedp.SendKeys(chromedp.ID("item-"+id), v))
	}
	runSteps(t, ctx, "fill in the registration form", steps...)
	resp := clickAndWait(t, ctx, "#create")
	if resp.Status != 200 {
		t.Fatalf("register: status %d: %s", resp.Status, textOf(t, ctx, "main"))
	}
	p := pagePath(t, ctx)
	if !strings.HasPrefix(p, "/console/principals/") {
		t.Fatalf("after registering: on %s", p)
	}
	return p
}

// TestBrowserVaultFind registers a job seeker, finds them by a telephone
// number typed in full width, and sees their record by category with the
// purposes it may serve.
func TestBrowserVaultFind(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)
	login(t, ctx, m, "manager", demoPassword(t, m, "manager"))
	registerSeeker(t, ctx, m, map[string]string{"name": "青木 栞", "name_kana": "アオキ シオリ",
		"email": "shiori@example.jp", "phone": "080-2222-3333"})
	if got := textOf(t, ctx, "#flash"); !strings.Contains(got, "登録しました") {
		t.Errorf("flash after registering: %q", got)
	}
	if got := textOf(t, ctx, ".item-email"); got != "shiori@example.jp" {
		t.Errorf("e-mail on the principal's page: %q", got)
	}

	openPage(t, ctx, m, "/console/principals")
	runSteps(t, ctx, "search by telephone",
		chromedp.SetValue(chromedp.ID("search-by"), "phone"),
		chromedp.SendKeys(chromedp.ID("search-value"), "０８０－２２２２－３３３３"),
		chromedp.SetValue(chromedp.ID("search-purpose"), "job_matching"),
	)
	clickAndWait(t, ctx, "#search")
	if !hasElement(t, ctx, "#hits a.hit") {
		t.Fatalf("no hit for the full-width number: %s", textOf(t, ctx, "main"))
	}
	if got := textOf(t, ctx, "#hits"); strings.Contains(got, "08022223333") == false || !strings.Contains(got, "青木 栞") {
		t.Errorf("hit shows %q", got)
	}
	clickAndWait(t, ctx, "#hits a.hit")
	rec := textOf(t, ctx, "section.record")
	for _, want := range []string{"求職者", "Webフォームによる取得", "お仕事の紹介・契約", "労務管理"} {
		if !strings.Contains(rec, want) {
			t.Errorf("record section lacks %q: %q", want, rec)
		}
	}
	// The record may serve marketing only with consent: not usable.
	if got := textOf(t, ctx, "section.record dd.usable"); strings.Contains(got, "当社からの情報提供") {
		t.Errorf("usable purposes include marketing without consent: %q", got)
	}

	// Another purpose, one the ledger does not declare for job seekers.
	openPage(t, ctx, m, pagePath(t, ctx)+"?purpose=sales")
	if got := textOf(t, ctx, "#error"); !strings.Contains(got, "宣言されていません") {
		t.Errorf("undeclared purpose: error %q", got)
	}
	if hasElement(t, ctx, "section.record") {
		t.Error("a record is shown for an undeclared purpose")
	}
}

// TestBrowserVaultExceptionReview: a recruiter reads a principal under a
// legal exception with a justification; the protection manager sees it in
// the review queue and approves it.
func TestBrowserVaultExceptionReview(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)
	login(t, ctx, m, "manager", demoPassword(t, m, "manager"))
	page := registerSeeker(t, ctx, m, map[string]string{"name": "石井 大地", "name_kana": "イシイ ダイチ",
		"email": "daichi@example.jp", "phone": "090-4444-5555"})
	logout(t, ctx)

	login(t, ctx, m, "recruiter", demoPassword(t, m, "recruiter"))
	openPage(t, ctx, m, page)
	runSteps(t, ctx, "open the exception form", chromedp.Click(chromedp.CSS("#exception-read summary")))
	runSteps(t, ctx, "fill in the exception form",
		chromedp.SetValue(chromedp.ID("exception-kind"), "law"),
		chromedp.SendKeys(chromedp.ID("justification"), "裁判所からの文書送付嘱託（令和8年（ワ）第123号）への回答のため"),
	)
	clickAndWait(t, ctx, "#exception-submit")
	if got := textOf(t, ctx, "#exception-note"); !strings.Contains(got, "審査") {
		t.Errorf("exception note: %q", got)
	}
	// The recruiter may not see the queue.
	if st := openPage(t, ctx, m, "/console/reviews"); st != 403 {
		t.Errorf("recruiter opening the review queue: %d, want 403", st)
	}
	logout(t, ctx)

	login(t, ctx, m, "manager", demoPassword(t, m, "manager"))
	openPage(t, ctx, m, "/console/reviews")
	if got := textOf(t, ctx, "#reviews"); !strings.Contains(got, "文書送付嘱託") || !strings.Contains(got, "recruiter") {
		t.Fatalf("review queue: %q", got)
	}
	clickAndWait(t, ctx, "#reviews button[value=approve]")
	if got := textOf(t, ctx, "#flash"); !strings.Contains(got, "記録しました") {
		t.Errorf("flash after approving: %q", got)
	}
	openPage(t, ctx, m, "/console/reviews?status=all")
	if got := textOf(t, ctx, "#reviews td.status"); !strings.Contains(got, "承認済み") {
		t.Errorf("status after approving: %q", got)
	}
}

// TestBrowserVaultImportErase imports a Shift_JIS CSV through the console
// with a preview of the mapping and the first rows, finds an imported
// principal, and erases them.
func TestBrowserVaultImportErase(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)
	login(t, ctx, m, "manager", demoPassword(t, m, "manager"))

	csv := "氏名,フリガナ,メールアドレス,電話番号,備考\r\n" +
		"上田 蓮,ウエダ レン,ren@example.jp,070-1111-2222,①\r\n" +
		"森 結衣,モリ ユイ,yui@example.jp,070-3333-4444,\r\n" +
		"原田 湊,ハラダ ミナト,minato@example.jp,070-5555-6666,\r\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "seekers.csv")
	if err := os.WriteFile(file, []byte(sjis), 0o600); err != nil {
		t.Fatal(err)
	}
	openPage(t, ctx, m, "/console/import")
	runSteps(t, ctx, "fill in the import form",
		chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}),
		chromedp.SetValue(chromedp.ID("import-category"), "job_seeker"),
		chromedp.SetValue(chromedp.ID("import-source"), "paper_form"),
		chromedp.SetValue(chromedp.ID("import-purpose"), "job_matching"),
		chromedp.SendKeys(chromedp.ID("import-map"), "フリガナ=name_kana\n備考=-"),
	)
	clickAndWait(t, ctx, "#import-preview")
	mapping := textOf(t, ctx, "#mapping")
	for _, want := range []string{"フリガナ", "氏名（フリガナ）", "備考", "取り込まない"} {
		if !strings.Contains(mapping, want) {
			t.Errorf("mapping lacks %q: %q", want, mapping)
		}
	}
	if got := textOf(t, ctx, "#preview-rows"); !strings.Contains(got, "上田 蓮") || !strings.Contains(got, "070-5555-6666") {
		t.Errorf("preview rows: %q", got)
	}
	if got := textOf(t, ctx, "#import-count"); !strings.Contains(got, "3") {
		t.Errorf("row count: %q", got)
	}
	clickAndWait(t, ctx, "#import-run")
	if got := textOf(t, ctx, "#flash"); !strings.Contains(got, "3 人") {
		t.Fatalf("after import: %q %s", got, textOf(t, ctx, "main"))
	}

	openPage(t, ctx, m, "/console/principals")
	runSteps(t, ctx, "search by kana",
		chromedp.SetValue(chromedp.ID("search-by"), "name_kana"),
		chromedp.SendKeys(chromedp.ID("search-value"), "もり ゆい"),
		chromedp.SetValue(chromedp.ID("search-purpose"), "job_matching"),
	)
	clickAndWait(t, ctx, "#search")
	if !hasElement(t, ctx, "#hits a.hit") {
		t.Fatalf("hiragana search found no one: %s", textOf(t, ctx, "main"))
	}
	clickAndWait(t, ctx, "#hits a.hit")
	page := pagePath(t, ctx)
	id := strings.TrimPrefix(page, "/console/principals/")
	runSteps(t, ctx, "open the erase form", chromedp.Click(chromedp.CSS("#erase summary")))
	runSteps(t, ctx, "give a reason", chromedp.SendKeys(chromedp.ID("erase-reason"), "本人からの削除請求"))
	clickAndWait(t, ctx, "#erase-submit")
	if got := textOf(t, ctx, "#flash"); !strings.Contains(got, "消去しました") {
		t.Errorf("after erasing: %q", got)
	}
	if st := openPage(t, ctx, m, page+"?purpose=job_matching"); st != 404 {
		t.Errorf("erased principal's page: %d, want 404", st)
	}
	if _, err := m.db.GetPrincipal(context.Background(), id); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("erased principal in the store: %v", err)
	}
}
