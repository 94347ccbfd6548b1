package notice_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/letter/pdftext"
	"hogo.example.jp/hogo/notice"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// exampleYAML reads the five example ledgers, which keep the structure of
// the five real policies the project was built from.
func exampleYAML(tb testing.TB) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(examples.Ledgers, "ledgers", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := examples.Ledgers.ReadFile(p)
		out[filepath.Base(p)] = data
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(out) != 5 {
		tb.Fatalf("%d example ledgers, want 5", len(out))
	}
	return out
}

// exampleLedgers loads the five example ledgers.
func exampleLedgers(tb testing.TB) map[string]*ledger.Ledger {
	tb.Helper()
	out := map[string]*ledger.Ledger{}
	for name, data := range exampleYAML(tb) {
		l, ps := ledger.ParseAndValidate(name, data)
		if l == nil {
			tb.Fatalf("%s: %s", name, ps)
		}
		out[name] = l
	}
	return out
}

func markdown(t testing.TB, l *ledger.Ledger, lang string) string {
	t.Helper()
	var b bytes.Buffer
	if err := notice.Markdown(&b, notice.Build(l, lang)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestGolden renders the five examples in both languages and compares the
// Markdown with testdata/golden (go test ./notice -run TestGolden -update
// rewrites them; read the diff before committing it).
func TestGolden(t *testing.T) {
	for name, l := range exampleLedgers(t) {
		for _, lang := range []string{"ja", "en"} {
			got := markdown(t, l, lang)
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".yaml")+"."+lang+".md")
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./notice -run TestGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s: the rendered notice differs from %s; if the change is intended, run go test ./notice -run TestGolden -update and read the diff", name, path)
			}
		}
	}
}

// TestLedgerTextsAppear: what the ledger says for the public appears in
// the notice, in both languages: the business, every purpose, every
// recipient, every joint use's five items, every external transmission,
// the desk, the retention and breach statements, the history.
func TestLedgerTextsAppear(t *testing.T) {
	for name, l := range exampleLedgers(t) {
		for _, lang := range []string{"ja", "en"} {
			md := markdown(t, l, lang)
			flat := strings.Join(strings.Fields(strings.NewReplacer(`\`, "").Replace(md)), " ")
			want := func(what string, txt ledger.Text) {
				t.Helper()
				s := strings.Join(strings.Fields(txt.In(lang)), " ")
				if s != "" && !strings.Contains(flat, s) {
					t.Errorf("%s (%s): %s %q is not in the notice", name, lang, what, s)
				}
			}
			o := l.Organization
			want("organisation name", o.Name)
			want("address", o.Address)
			want("representative", o.Representative)
			for _, c := range l.Categories {
				want("category", c.Name)
			}
			for _, p := range l.Purposes {
				want("purpose", p.Description)
			}
			for _, r := range l.Recipients {
				want("recipient", r.Name)
			}
			for _, j := range l.JointUses {
				want("joint use items", j.Items)
				want("joint users", j.Users)
				want("joint purposes", j.Purposes)
				if j.Responsible != nil {
					want("joint use responsible party", j.Responsible.Name)
				}
			}
			for _, x := range l.ExternalTransmissions {
				want("external transmission recipient", x.Recipient)
				want("external transmission information", x.Information)
				want("external transmission purpose", x.Purpose)
			}
			want("complaint desk", l.ComplaintDesk.Name)
			for _, p := range l.ComplaintDesk.Phone {
				if !strings.Contains(flat, p) {
					t.Errorf("%s (%s): the desk's phone %s is not in the notice", name, lang, p)
				}
			}
			if a := l.AccreditedOrganization; a != nil {
				want("accredited organisation", a.Name)
			}
			want("retention statement", l.RetentionPolicy.Statement)
			want("breach response", l.BreachResponse)
		}
	}
}

// TestSeedPromises pins, per example, the promises its seed stresses
// (../shared/seeds/README.md) as they must read in the Japanese notice.
func TestSeedPromises(t *testing.T) {
	ls := exampleLedgers(t)
	promises := map[string][]string{
		"staffing.yaml":        {"委託", "開示", "利用停止", "第三者提供", "個人番号"},
		"online-service.yaml":  {"Cookie", "IPアドレス", "運転免許証"},
		"bpo.yaml":             {"1,000円", "FAX", "電子メール", "代理人"},
		"recruitment.yaml":     {"共同利用", "匿名加工情報", "仮名加工情報", "個人関連情報", "外国"},
		"dental-staffing.yaml": {"外部送信", "統計", "認定個人情報保護団体", "10:00"},
	}
	for name, words := range promises {
		md := markdown(t, ls[name], "ja")
		for _, w := range words {
			if !strings.Contains(md, w) {
				t.Errorf("%s: the notice does not say %q", name, w)
			}
		}
	}
}

// TestRenderFormats: HTML is a whole, accessible page (lang, one h1,
// sections with anchors, tables with header cells); the PDF reads back
// with the company's name and the section headings.
func TestRenderFormats(t *testing.T) {
	l := exampleLedgers(t)["staffing.yaml"]
	for _, lang := range []string{"ja", "en"} {
		d := notice.Build(l, lang)
		var b bytes.Buffer
		if err := notice.HTML(&b, d); err != nil {
			t.Fatal(err)
		}
		h := b.String()
		for _, s := range []string{`<html lang="` + lang + `">`, `<h1 id="notice-title">`, `<nav class="toc"`, "@media print"} {
			if !strings.Contains(h, s) {
				t.Errorf("%s HTML lacks %q", lang, s)
			}
		}
		if strings.Count(h, "<h1") != 1 {
			t.Errorf("%s HTML has %d h1", lang, strings.Count(h, "<h1"))
		}
		for _, s := range d.Sections {
			if !strings.Contains(h, `id="`+s.ID+`"`) || !strings.Contains(h, `href="#`+s.ID+`"`) {
				t.Errorf("%s HTML: section %s has no anchor or no entry in the contents", lang, s.ID)
			}
		}
		pdf, err := notice.PDF(d)
		if err != nil {
			t.Fatal(err)
		}
		text, err := pdftext.Text(pdf)
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(text), "")
		if !strings.Contains(flat, strings.Join(strings.Fields(d.Org), "")) {
			t.Errorf("%s PDF lacks the company's name", lang)
		}
		for _, s := range d.Sections {
			if !strings.Contains(flat, strings.Join(strings.Fields(s.Heading), "")) {
				t.Errorf("%s PDF lacks the heading %q", lang, s.Heading)
			}
		}
	}
}
