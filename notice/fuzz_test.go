package notice_test

import (
	"bytes"
	"strings"
	"testing"

	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/notice"
)

// FuzzNoticeBuild renders the notice of any ledger that ledger.Parse reads
// without errors — validated or not, since a ledger being edited is
// rendered by `hogo notice render` and checked by `hogo notice check` —
// starting from the example ledgers. Whatever the ledger: Build, Markdown,
// HTML and Check never panic nor fail, in both languages; every section has
// an anchor and a heading; and Build gives the same notice twice.
func FuzzNoticeBuild(f *testing.F) {
	for _, data := range exampleYAML(f) {
		f.Add(data)
	}
	f.Add([]byte("version: 1\norganization:\n  name: 株式会社ファズ\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, ps := ledger.Parse("fuzz.yaml", data)
		if l == nil || len(ps.Errors()) > 0 {
			return
		}
		notice.Check(l)
		for _, lang := range []string{"ja", "en"} {
			d := notice.Build(l, lang)
			if d.Lang != lang {
				t.Fatalf("Build(%s) made a notice in %q", lang, d.Lang)
			}
			var walk func(ss []*notice.Section)
			walk = func(ss []*notice.Section) {
				for _, s := range ss {
					if s == nil || s.ID == "" || strings.TrimSpace(s.Heading) == "" {
						t.Fatalf("%s: a section without an anchor or a heading: %+v", lang, s)
					}
					walk(s.Subs)
				}
			}
			walk(d.Sections)
			var md, md2, html bytes.Buffer
			if err := notice.Markdown(&md, d); err != nil {
				t.Fatalf("%s: Markdown: %v", lang, err)
			}
			if err := notice.HTML(&html, d); err != nil {
				t.Fatalf("%s: HTML: %v", lang, err)
			}
			if err := notice.Markdown(&md2, notice.Build(l, lang)); err != nil || md.String() != md2.String() {
				t.Fatalf("%s: Build is not deterministic (%v)", lang, err)
			}
		}
	})
}
