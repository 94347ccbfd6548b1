package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserNotice: the portal's privacy notice as a visitor meets it in
// Chromium: reached from the portal's home, one page heading, a table of
// contents whose every entry leads to its section, the version in force
// with its page, and the English notice.
func TestBrowserNotice(t *testing.T) {
	m := startServer(t)
	ctx := newBrowser(t)
	if st := openPage(t, ctx, m, "/"); st != 200 {
		t.Fatalf("portal: %d", st)
	}
	clickAndWait(t, ctx, `a[href="/notice"]`)
	if !hasElement(t, ctx, "#notice-version") {
		t.Fatalf("the notice page shows no version: %s", textOf(t, ctx, "main"))
	}
	h1s, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("h1").length`))
	if err != nil || h1s != 1 {
		t.Errorf("%d page headings (%v), want 1", h1s, err)
	}
	// Every entry of the contents names a section that exists.
	missing, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("nav.toc a")).map(a => a.getAttribute("href")).filter(h => !document.querySelector(h))`))
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("nav.toc a").length`))
	if entries < 10 || len(missing) > 0 {
		t.Errorf("%d entries in the contents; leading nowhere: %v", entries, missing)
	}
	if text := textOf(t, ctx, `section[aria-labelledby="purposes"]`); !strings.Contains(text, "お仕事のご紹介") {
		t.Errorf("the purposes section reads %q", text)
	}
	if _, err := chromedp.Run(ctx, chromedp.Click(chromedp.CSS(`nav.toc a[href="#desk"]`), chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	hash, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`))
	if hash != "#desk" {
		t.Errorf("the contents' entry led to %q", hash)
	}
	clickAndWait(t, ctx, "#notice-version")
	if text := textOf(t, ctx, "main"); !strings.Contains(text, "第1版") {
		t.Errorf("the version's page: %q", text)
	}
	if st := openPage(t, ctx, m, "/notice?lang=en"); st != 200 {
		t.Fatalf("English notice: %d", st)
	}
	if text := textOf(t, ctx, `section[aria-labelledby="purposes"]`); !strings.Contains(text, "We handle personal information only as far as needed") {
		t.Errorf("the English purposes section reads %q", text)
	}
}
