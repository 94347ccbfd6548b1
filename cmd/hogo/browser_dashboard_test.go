package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDashboard: the protection manager's home page draws the
// dashboard, its chart included, in Chromium without a console error.
func TestBrowserDashboard(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)
	login(t, ctx, m, "manager", demoPassword(t, m, "manager"))
	if st := openPage(t, ctx, m, "/console/"); st != 200 {
		t.Fatalf("home: %d", st)
	}
	if !hasElement(t, ctx, "#dashboard") {
		t.Fatalf("no dashboard: %s", textOf(t, ctx, "main"))
	}
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#dash-chart rect").length`))
	if err != nil {
		t.Fatal(err)
	}
	if bars != 12 {
		t.Errorf("%d bars in the chart, want 12", bars)
	}
	for _, id := range []string{"#dash-requests", "#dash-incidents", "#dash-processors", "#dash-reviews"} {
		if !hasElement(t, ctx, id) {
			t.Errorf("the dashboard lacks %s", id)
		}
	}
	if text := textOf(t, ctx, "#dash-requests"); !strings.Contains(text, "開示等の請求") {
		t.Errorf("requests section: %q", text)
	}
}
