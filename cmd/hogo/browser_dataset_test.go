package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/vault"
)

// TestBrowserDatasets walks the manager's making of anonymised information
// in the console: the form, the risk previewed, the creation, the record
// with its steps, and the portal's publication of the items.
func TestBrowserDatasets(t *testing.T) {
	m := startServer(t)
	mgr := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	wards := []string{"東京都千代田区丸の内1-", "大阪府大阪市北区梅田3-", "神奈川県横浜市中区本町6-"}
	for i := range 45 {
		if _, _, err := m.Server.Vault.Create(t.Context(), mgr, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"},
			Source: "web_form", Items: map[string]string{"name": fmt.Sprintf("架空 三郎%d", i), "name_kana": "カクウ サブロウ",
				"email": fmt.Sprintf("saburo%d@example.jp", i), "phone": "090-3000-0000", "birth_date": fmt.Sprintf("%d-05-%02d", 1975+i%15, 1+i%28),
				"address": fmt.Sprintf("%s%d", wards[i%3], i)}}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newBrowser(t)
	login(t, ctx, m, "manager", demoPassword(t, m, "manager"))
	if st := openPage(t, ctx, m, "/console/datasets"); st != 200 {
		t.Fatalf("datasets: %d", st)
	}
	if !hasElement(t, ctx, "#dataset-form") {
		t.Fatalf("no form: %s", textOf(t, ctx, "main"))
	}
	runSteps(t, ctx, "fill in the form",
		chromedp.SetValue(chromedp.ID("dataset-category"), "job_seeker"),
		chromedp.SetValue(chromedp.ID("dataset-purpose"), "statistics"),
		chromedp.Click(chromedp.CSS(`input[name="qi_job_seeker"][value="birth_date"]`)),
		chromedp.Click(chromedp.CSS(`input[name="qi_job_seeker"][value="address"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="k"]`), "5"),
		chromedp.SetValue(chromedp.CSS(`input[name="title"]`), "求職者の年代と地域"),
	)
	if r := clickAndWait(t, ctx, "#dataset-preview-submit"); r.Status != 200 || !hasElement(t, ctx, "#dataset-preview") {
		t.Fatalf("preview: %d %s", r.Status, textOf(t, ctx, "main"))
	}
	if risk := textOf(t, ctx, "#preview-risk"); !strings.Contains(risk, "%") {
		t.Errorf("the preview shows no risk: %q", risk)
	}
	if steps := textOf(t, ctx, "#preview-steps"); !strings.Contains(steps, "氏名") {
		t.Errorf("the preview's steps: %q", steps)
	}
	// The form keeps what was chosen; create.
	if r := clickAndWait(t, ctx, "#dataset-create-submit"); r.Status != 200 || !strings.HasPrefix(pagePath(t, ctx), "/console/datasets/") {
		t.Fatalf("create: %d %s %s", r.Status, pagePath(t, ctx), textOf(t, ctx, "main"))
	}
	if title := textOf(t, ctx, "#dataset-title"); title != "求職者の年代と地域" {
		t.Errorf("title %q", title)
	}
	items := textOf(t, ctx, "#dataset-items")
	if !strings.Contains(items, "生年月日") || !strings.Contains(items, "住所") {
		t.Errorf("items: %q", items)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#dataset-steps li").length`)); err != nil || n != 5 {
		t.Errorf("%d steps (%v), want 5", n, err)
	}
	main := textOf(t, ctx, "main")
	if strings.Contains(main, "丸の内1-") || strings.Contains(main, "@example.jp") {
		t.Error("personal data on the record's page")
	}
	// The portal publishes the items.
	if st := openPage(t, ctx, m, "/anonymized"); st != 200 {
		t.Fatalf("portal: %d", st)
	}
	pub := textOf(t, ctx, "main")
	if !strings.Contains(pub, "求職者の年代と地域") || !strings.Contains(pub, "生年月日") || strings.Contains(pub, "丸の内1-") {
		t.Errorf("portal: %q", pub)
	}
	// And so does the privacy notice, in its section on anonymised
	// information.
	if st := openPage(t, ctx, m, "/notice"); st != 200 {
		t.Fatalf("notice: %d", st)
	}
	sec := textOf(t, ctx, `section[aria-labelledby="anonymized"]`)
	if !strings.Contains(sec, "これまでに作成した匿名加工情報") || !strings.Contains(sec, "求職者の年代と地域") || !strings.Contains(sec, "生年月日") {
		t.Errorf("the notice's section on anonymised information: %q", sec)
	}
}
