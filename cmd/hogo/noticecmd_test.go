package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hogo.example.jp/hogo/letter/pdftext"
)

// TestNoticeCommands: every example renders in both languages and three
// formats to stdout, and passes the check; a ledger without its
// representative fails the check with FILE:LINE naming the ledger path
// and the article; bad flags are refused with exit 2.
func TestNoticeCommands(t *testing.T) {
	for name, f := range exampleFiles(t) {
		for _, lang := range []string{"ja", "en"} {
			code, md, errs := hogoRun(t, "", "notice", "render", "--ledger", f, "--lang", lang, "--format", "md")
			if code != 0 || !strings.HasPrefix(md, "# ") || strings.Count(md, "\n## ") < 5 {
				t.Fatalf("%s %s md: %d %s\n%s", name, lang, code, errs, md)
			}
			code, html, errs := hogoRun(t, "", "notice", "render", "--ledger", f, "--lang", lang, "--format", "html")
			if code != 0 || !strings.Contains(html, `<html lang="`+lang+`">`) {
				t.Fatalf("%s %s html: %d %s", name, lang, code, errs)
			}
			code, pdf, errs := hogoRun(t, "", "notice", "render", "--ledger", f, "--lang", lang, "--format", "pdf")
			if code != 0 || !strings.HasPrefix(pdf, "%PDF") {
				t.Fatalf("%s %s pdf: %d %s", name, lang, code, errs)
			}
			if _, err := pdftext.Text([]byte(pdf)); err != nil {
				t.Errorf("%s %s pdf does not read back: %v", name, lang, err)
			}
		}
		if code, out, errs := hogoRun(t, "", "notice", "check", "--ledger", f); code != 0 {
			t.Errorf("%s check: %d %s %s", name, code, out, errs)
		}
	}
	// Without the representative (APPI Art. 32(1)(i)).
	data, _ := os.ReadFile(exampleFiles(t)["staffing.yaml"])
	bad := strings.Replace(string(data), `  representative: {ja: 代表取締役 日野 太郎, en: "Taro Hino, Representative Director"}`+"\n", "", 1)
	f := filepath.Join(t.TempDir(), "no-rep.yaml")
	os.WriteFile(f, []byte(bad), 0o644)
	code, _, errs := hogoRun(t, "", "notice", "check", "--ledger", f, "--lang", "en")
	if code != 1 || !strings.Contains(errs, f+":") || !strings.Contains(errs, "organization.representative") || !strings.Contains(errs, "32(1)") {
		t.Errorf("check without the representative: %d\n%s", code, errs)
	}
	for _, args := range [][]string{
		{"notice", "render"},
		{"notice", "render", "--ledger", f, "--format", "docx"},
		{"notice", "render", "--ledger", f, "--lang", "fr"},
		{"notice", "check"},
	} {
		if code, _, errs := hogoRun(t, "", args...); code != 2 || errs == "" {
			t.Errorf("%v: %d %q, want exit 2 with a reason", args, code, errs)
		}
	}
}
