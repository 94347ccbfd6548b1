package letter_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"hogo.example.jp/hogo/letter"
	"hogo.example.jp/hogo/letter/pdftext"
)

const (
	title     = "保有個人データ開示請求に対する回答書"
	date      = "令和8年11月24日"
	reference = "受付番号 20261124-7KQ2-MX9A"
	name      = "山田 太郎 様"
	address   = "東京都千代田区千代田1-1 ほげハイツ101号室"
	footer    = "株式会社ほげ商事　個人情報保護相談窓口　受付番号 20261124-7KQ2-MX9A"
	greeting  = "拝啓　時下ますますご清祥のこととお慶び申し上げます。"
	// mixed wraps over several lines, in Japanese and in English.
	mixed = "　令和8年11月10日付けでお受けしたご請求（保有個人データの開示請求）について、" +
		"個人情報の保護に関する法律第33条に基づき、下記のとおり回答いたします。" +
		"This reply also contains English sentences about accountability and internationalization, " +
		"which should wrap at spaces so that no word is split across two lines."
	tableHeader = "項目 内容 取得日"
	purpose     = "商品の発送、ご請求、およびお問い合わせへの回答のため（Order fulfilment and support）。"
)

var sender = []string{
	"株式会社ほげ商事",
	"〒150-0002 東京都渋谷区渋谷2-2-2",
	"個人情報保護相談窓口",
	"電話 03-1234-5678",
	"privacy@hoge.example.jp",
}

// sample returns a letter whose only table has rows rows.
func sample(rows int) *letter.Letter {
	l := &letter.Letter{
		Title:     title,
		Date:      date,
		Reference: []string{reference},
		Addressee: []string{name, "〒100-0001", address},
		Sender:    sender,
		Opening:   []string{greeting, mixed},
		Sections: []letter.Section{
			{
				Heading:    "1. 開示する保有個人データ",
				Paragraphs: []string{"当社が保有するあなたの個人データは、次のとおりです。"},
				Table: &letter.Table{
					Header: []string{"項目", "内容", "取得日"},
					Widths: []float64{1, 3, 1.2},
				},
			},
			{
				Heading:    "2. 利用目的",
				Paragraphs: []string{purpose},
			},
		},
		Closing: []string{"ご不明な点は、上記の窓口までお問い合わせください。", "以上"},
		Footer:  footer,
	}
	for i := range rows {
		l.Sections[0].Table.Rows = append(l.Sections[0].Table.Rows, []string{
			fmt.Sprintf("項目%d", i+1),
			fmt.Sprintf("値%d：東京都千代田区千代田%d丁目、「ほげ」様方。説明が長い場合はセルの中で折り返します。", i+1, i%7+1),
			fmt.Sprintf("令和%d年%d月%d日", 7+i%2, i%12+1, i%28+1),
		})
	}
	return l
}

func render(t testing.TB, l *letter.Letter, o letter.Options) []byte {
	t.Helper()
	pdf, err := letter.Render(l, o)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return pdf
}

func pages(t testing.TB, pdf []byte) []string {
	t.Helper()
	ps, err := pdftext.Pages(pdf)
	if err != nil {
		t.Fatalf("pdftext.Pages: %v", err)
	}
	return ps
}

// squash drops all white space, so that text can be compared across the
// line breaks that wrapping put in.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func lines(s string) []string {
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\f", ""), "\n"), "\n")
}

func hasLine(ls []string, want string) bool {
	for _, l := range ls {
		if l == want {
			return true
		}
	}
	return false
}

func TestRenderReadBack(t *testing.T) {
	const rows = 200
	pdf := render(t, sample(rows), letter.Options{})
	ps := pages(t, pdf)
	n, err := pdftext.PageCount(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(ps) || n < 2 {
		t.Fatalf("PageCount = %d, Pages gave %d; want the same and > 1 for a %d-row table", n, len(ps), rows)
	}
	all := strings.Join(ps, "")
	ls := lines(all)

	for _, want := range append([]string{title, date, reference, name, address, greeting, tableHeader}, sender...) {
		if !hasLine(ls, want) {
			t.Errorf("no line %q in the text", want)
		}
	}
	if !strings.Contains(squash(all), squash(mixed)) {
		t.Errorf("the wrapped paragraph does not read back")
	}
	for _, w := range strings.Fields("accountability internationalization sentences") {
		if !strings.Contains(all, w) {
			t.Errorf("word %q was split across lines", w)
		}
	}
	if !hasLine(ls, "以上") || !strings.Contains(squash(all), squash(purpose)) {
		t.Errorf("closing or second section missing")
	}

	// The first cell and the last cell of the first and the last row sit
	// on one line, in column order.
	first := regexp.MustCompile(`(?m)^項目1 値1：.* 令和7年1月1日$`)
	last := regexp.MustCompile(fmt.Sprintf(`(?m)^項目%d 値%d：.* 令和%d年%d月%d日$`, rows, rows, 7+(rows-1)%2, (rows-1)%12+1, (rows-1)%28+1))
	if !first.MatchString(all) {
		t.Errorf("first table row not found")
	}
	if !last.MatchString(all) {
		t.Errorf("last table row not found")
	}

	// Every page has the footer and its page number, and every page the
	// table continues on repeats the header row.
	for i, p := range ps {
		pl := lines(p)
		want := fmt.Sprintf("%s %d / %d", footer, i+1, n)
		if pl[len(pl)-1] != want {
			t.Errorf("page %d ends with %q, want %q", i+1, pl[len(pl)-1], want)
		}
		if i > 0 && strings.Contains(p, "\n項目") && pl[0] != tableHeader {
			t.Errorf("page %d continues the table without its header; first line %q", i+1, pl[0])
		}
	}
	if t.Failed() {
		t.Logf("text:\n%s", all)
	}
}

var length1 = regexp.MustCompile(`/Length1 (\d+)`)

func TestFontEmbeddedAsSubset(t *testing.T) {
	pdf := render(t, sample(200), letter.Options{})
	if !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Fatal("no embedded TrueType font (/FontFile2)")
	}
	if !regexp.MustCompile(`/BaseFont /[A-Z]{6}\+IPAexGothic\b`).Match(pdf) {
		t.Error("font is not named as a subset (XXXXXX+IPAexGothic)")
	}
	// The whole font is 6 MB; the subset holds the glyphs this letter
	// uses.
	m := length1.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no /Length1 on the font file")
	}
	if n, _ := strconv.Atoi(string(m[1])); n > 1<<20 {
		t.Errorf("embedded font program is %d bytes; not a subset", n)
	}
	if len(pdf) > 200_000 {
		t.Errorf("letter with a 200-row table is %d bytes, want < 200 KB", len(pdf))
	}
	// Copying text needs the ToUnicode map, with a code space that
	// covers every two-byte code.
	if !bytes.Contains(pdf, []byte("/ToUnicode")) || !bytes.Contains(pdf, []byte("<0000><FFFF>\nendcodespacerange")) {
		t.Error("ToUnicode CMap missing or with a narrow code space")
	}
	t.Logf("%d bytes", len(pdf))
}

// Lines must not start with closing punctuation or end with an opening
// bracket (kinsoku).
func TestKinsoku(t *testing.T) {
	// At 10.5 pt a line holds 45 full-width characters, so these
	// segments put punctuation and brackets exactly where a plain
	// character-count break would leave them at the start or end of a
	// line.
	var b strings.Builder
	b.WriteString(strings.Repeat("あ", 45) + "、")
	b.WriteString(strings.Repeat("い", 44) + "」。")
	b.WriteString(strings.Repeat("う", 44) + "「え」")
	b.WriteString(strings.Repeat("お", 43) + "（か）、")
	b.WriteString(strings.Repeat("き", 44) + "ー")
	b.WriteString(strings.Repeat("く", 44) + "ッ")
	for i := range 40 {
		b.WriteString(strings.Repeat("文", i%9+1) + "、")
		b.WriteString(strings.Repeat("字", i%5+2) + "。")
		b.WriteString("「" + strings.Repeat("引", i%4+1) + "」")
		b.WriteString("（" + strings.Repeat("括", i%3+1) + "）・")
	}
	para := b.String()
	l := &letter.Letter{Title: "禁則", Opening: []string{para}}
	all, err := pdftext.Text(render(t, l, letter.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(squash(all), para) {
		t.Fatal("paragraph does not read back whole")
	}
	ls := lines(all)
	if len(ls) < 20 {
		t.Fatalf("only %d lines; the paragraph did not wrap", len(ls))
	}
	for i, l := range ls {
		if r, _ := utf8.DecodeRuneInString(l); strings.ContainsRune("、。」）ーッ・", r) {
			t.Errorf("line %d starts with a forbidden character: %q", i+1, l)
		}
		if strings.HasSuffix(l, "「") || strings.HasSuffix(l, "（") {
			t.Errorf("line %d ends with an opening bracket: %q", i+1, l)
		}
	}
}

func TestEmptyTitle(t *testing.T) {
	l := sample(1)
	l.Title = ""
	if _, err := letter.Render(l, letter.Options{}); !errors.Is(err, letter.ErrEmptyTitle) {
		t.Fatalf("Render with no title: %v, want ErrEmptyTitle", err)
	}
	if _, err := letter.Render(nil, letter.Options{}); err == nil {
		t.Fatal("Render(nil) succeeded")
	}
}

func TestMissingGlyph(t *testing.T) {
	tests := []struct {
		field string
		edit  func(l *letter.Letter)
	}{
		// 𠮷 is outside the BMP and not in IPAex; Thai and Hangul are
		// not in it either.
		{"Addressee[0]", func(l *letter.Letter) { l.Addressee[0] = "𠮷田 花子 様" }},
		{"Sections[0].Table.Rows[3][1]", func(l *letter.Letter) {
			l.Sections[0].Table.Rows[3][1] = "ข้อมูลส่วนบุคคล"
		}},
		{"Sections[1].Paragraphs[0]", func(l *letter.Letter) { l.Sections[1].Paragraphs[0] = "개인정보" }},
		{"Footer", func(l *letter.Letter) { l.Footer = "窓口 ☎\U0001F4DE" }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			l := sample(5)
			tt.edit(l)
			_, err := letter.Render(l, letter.Options{})
			var fe *letter.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, letter.ErrMissingGlyph) {
				t.Fatalf("Render: %v, want a FieldError wrapping ErrMissingGlyph", err)
			}
			if fe.Field != tt.field {
				t.Errorf("Field = %q, want %q", fe.Field, tt.field)
			}
			// The letter's text is personal data: never in errors.
			for _, frag := range []string{"田", "花子", "ข", "개", "窓口"} {
				if strings.Contains(err.Error(), frag) {
					t.Errorf("error %q quotes the letter", err)
				}
			}
		})
	}

	l := sample(1)
	l.Addressee[0] = "𠮷田 花子 様"
	pdf := render(t, l, letter.Options{Substitute: '〓'})
	if all := strings.Join(pages(t, pdf), ""); !hasLine(lines(all), "〓田 花子 様") {
		t.Errorf("substituted name not found in:\n%s", all)
	}
	if _, err := letter.Render(l, letter.Options{Substitute: '한'}); err == nil || !strings.Contains(err.Error(), "Options.Substitute") {
		t.Errorf("Render with a substitute the font lacks: %v", err)
	}
}

func TestInvisibleCharactersDropped(t *testing.T) {
	l := sample(0)
	// A variation selector (as in 葛󠄀), a zero-width space and a tab.
	l.Addressee[0] = "葛\U000E0100城\u200b 一郎\t様"
	all := strings.Join(pages(t, render(t, l, letter.Options{})), "")
	if !hasLine(lines(all), "葛城 一郎 様") {
		t.Errorf("name not found in:\n%s", all)
	}
}

func TestBadTable(t *testing.T) {
	l := sample(3)
	l.Sections[0].Table.Widths = []float64{1, 2}
	_, err := letter.Render(l, letter.Options{})
	var fe *letter.FieldError
	if !errors.As(err, &fe) || fe.Field != "Sections[0].Table.Widths" {
		t.Errorf("Render with 2 widths for 3 columns: %v", err)
	}
	l.Sections[0].Table.Widths = []float64{1, 0, 1}
	if _, err := letter.Render(l, letter.Options{}); err == nil {
		t.Error("Render with a zero width succeeded")
	}

	// Rows shorter than the header leave cells empty; a cell taller than
	// a page is split across pages. (The tall cell is alone in its row so
	// that its lines read back without other cells between them.)
	l = sample(0)
	l.Sections[0].Table.Widths = nil
	l.Sections[0].Table.Rows = [][]string{{"短い行"}, {"", strings.Repeat("とても長いセルの内容です。", 400)}, {"最終行", "", "end"}}
	pdf := render(t, l, letter.Options{})
	all := strings.Join(pages(t, pdf), "")
	var body []string // without the page footers and repeated table headers
	for _, l := range lines(all) {
		if l != tableHeader && !strings.HasPrefix(l, footer) {
			body = append(body, l)
		}
	}
	if !strings.Contains(squash(strings.Join(body, "")), squash(strings.Repeat("とても長いセルの内容です。", 400))) {
		t.Errorf("long cell does not read back whole:\n%s", all)
	}
	if !hasLine(lines(all), "最終行 end") || !hasLine(lines(all), "短い行") {
		t.Errorf("short rows missing in:\n%s", all)
	}
	if n, _ := pdftext.PageCount(pdf); n < 3 {
		t.Errorf("page count %d, want the tall cell to span pages", n)
	}
}

func TestFooterTooLong(t *testing.T) {
	l := sample(0)
	l.Footer = strings.Repeat("長い脚注", 100)
	_, err := letter.Render(l, letter.Options{})
	if !errors.Is(err, letter.ErrTooLong) {
		t.Errorf("Render with a long footer: %v, want ErrTooLong", err)
	}
}

func TestFontPath(t *testing.T) {
	_, err := letter.Render(sample(0), letter.Options{FontPath: "/nonexistent/font.ttf"})
	if err == nil || !strings.Contains(err.Error(), "FontPath") {
		t.Errorf("Render with a missing font file: %v", err)
	}
	// The font file a user would give: the embedded one, unpacked.
	gz, err := os.ReadFile("fonts/ipaexg.ttf.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	ttf, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ipaexg.ttf")
	if err := os.WriteFile(path, ttf, 0o600); err != nil {
		t.Fatal(err)
	}
	pdf := render(t, sample(3), letter.Options{FontPath: path})
	if !regexp.MustCompile(`/BaseFont /[A-Z]{6}\+ipaexg\b`).Match(pdf) {
		t.Error("font from FontPath not used")
	}
	if all := strings.Join(pages(t, pdf), ""); !strings.Contains(all, title) {
		t.Error("title missing")
	}
}

// Render's output depends only on its input, so tests may compare PDFs.
func TestDeterministic(t *testing.T) {
	a := render(t, sample(40), letter.Options{})
	b := render(t, sample(40), letter.Options{})
	if diff := cmp.Diff(pages(t, a), pages(t, b)); diff != "" {
		t.Errorf("text differs between renders (-first +second):\n%s", diff)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("PDF bytes differ between renders (%d and %d bytes)", len(a), len(b))
	}
	c := sample(40)
	c.Addressee[0] = "佐藤 花子 様"
	if bytes.Equal(a, render(t, c, letter.Options{})) {
		t.Error("different letters gave the same PDF")
	}
}

func TestConcurrentRender(t *testing.T) {
	want := render(t, sample(30), letter.Options{})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := letter.Render(sample(30), letter.Options{})
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("concurrent render gave different bytes")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkRender renders a two-page letter.
func BenchmarkRender(b *testing.B) {
	l := sample(22)
	pdf := render(b, l, letter.Options{})
	if n, err := pdftext.PageCount(pdf); err != nil || n != 2 {
		b.Fatalf("benchmark letter has %d pages (%v), want 2", n, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := letter.Render(l, letter.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(pdf)), "pdf-bytes")
}
