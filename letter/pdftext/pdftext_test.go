package pdftext_test

import (
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hogo.example.jp/hogo/letter"
	"hogo.example.jp/hogo/letter/pdftext"
)

// build assembles a PDF from object bodies (object i+1 is objs[i], object
// 1 the catalog). With skew, the cross-reference offsets are wrong, as in
// a file edited by hand.
func build(objs []string, trailerExtra string, skew int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o+skew)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailerExtra, xref)
	return b.Bytes()
}

func streamObj(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func flate(s string) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

const toUnicode = `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange
<0000><FFFF>
endcodespacerange
2 beginbfchar
<0001> <65E5>
<0002> <672C>
endbfchar
2 beginbfrange
<0010> <0012> <0041>
<0020> <0021> [<8A9E> <D842DFB7>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`

// samplePDF has two pages: a simple WinAnsi font with Tj, TJ and
// inherited resources on the first, a Type0 font with a ToUnicode CMap in
// a compressed stream on the second.
func samplePDF(skew int) []byte {
	page1 := `BT /F1 12 Tf 72 720 Td (Hello, world) Tj ET
BT /F1 12 Tf 300 720 Td (right) Tj ET
BT /F1 12 Tf 72 700 Td [(Two)-1000(words)] TJ 0 -20 Td (caf\351 \(1\)) Tj ET`
	page2 := `q 1 0 0 1 0 0 cm
BT /F2 10 Tf 1 0 0 1 72 600 Tm <00010002> Tj <0010 0011 0012> Tj
0 -14 TD <00200021> Tj ET Q`
	return build([]string{
		`<< /Type /Catalog /Pages 2 0 R >>`,
		`<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 /Resources << /Font << /F1 7 0 R /F2 8 0 R >> >> >>`,
		`<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>`,
		streamObj("", []byte(page1)),
		`<< /Type /Page /Parent 2 0 R /Contents [6 0 R] >>`,
		streamObj("/Filter /FlateDecode", flate(page2)),
		`<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>`,
		`<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 9 0 R
/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /DW 1000 /W [16 18 600] >>] >>`,
		streamObj("", []byte(toUnicode)),
	}, "", skew)
}

func TestPages(t *testing.T) {
	want := []string{
		"Hello, world right\nTwo words\ncafé (1)\n",
		"日本ABC\n語𠮷\n",
	}
	for _, skew := range []int{0, 7, 1 << 30} {
		got, err := pdftext.Pages(samplePDF(skew))
		if err != nil {
			t.Fatalf("skew %d: %v", skew, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("skew %d: pages (-want +got):\n%s", skew, diff)
		}
	}
	text, err := pdftext.Text(samplePDF(0))
	if err != nil {
		t.Fatal(err)
	}
	if text != strings.Join(want, "\f") {
		t.Errorf("Text = %q", text)
	}
	if n, err := pdftext.PageCount(samplePDF(0)); n != 2 || err != nil {
		t.Errorf("PageCount = %d, %v; want 2", n, err)
	}
}

// modernPDF is laid out as PDF 1.5 writers do: the catalog, page tree and
// page inside an object stream, and a cross-reference stream instead of a
// table. Its page draws text through a scaled form XObject (ASCII85), an
// inline image whose data contains "EI", and a font whose Differences
// rename code 1.
func modernPDF() []byte {
	inner := []string{
		`<< /Type /Catalog /Pages 2 0 R >>`,
		`<< /Type /Pages /Kids [3 0 R] /Count 1 >>`,
		`<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Resources << /Font << /F1 6 0 R >> /XObject << /Fm1 7 0 R >> >> >>`,
	}
	var head, body strings.Builder
	for i, o := range inner {
		fmt.Fprintf(&head, "%d %d ", i+1, body.Len())
		body.WriteString(o + "\n")
	}
	objStm := head.String() + body.String()

	var form bytes.Buffer
	enc := ascii85.NewEncoder(&form)
	enc.Write([]byte("BT /F1 10 Tf 36 300 Td (form) Tj ET"))
	enc.Close()
	form.WriteString("~>")

	page := "q 2 0 0 2 0 0 cm /Fm1 Do Q\nBI /W 2 /H 2 /BPC 8 /CS /G ID \x00EI\xff EI\nBT /F1 10 Tf 72 500 Td (\\001bc) Tj ET"
	objs := []string{
		"", "", "",
		streamObj(fmt.Sprintf("/Type /ObjStm /N 3 /First %d", len(head.String())), []byte(objStm)),
		streamObj("", []byte(page)),
		`<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /A] >> >>`,
		streamObj("/Type /XObject /Subtype /Form /BBox [0 0 200 400] /Matrix [1 0 0 1 10 0] /Filter /ASCII85Decode", form.Bytes()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	for i, o := range objs {
		if o != "" {
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
		}
	}
	xref := b.Len()
	fmt.Fprintf(&b, "8 0 obj\n%s\nendobj\nstartxref\n%d\n%%%%EOF\n", streamObj("/Type /XRef /Size 9 /Root 1 0 R /W [1 2 1]", nil), xref)
	return b.Bytes()
}

func TestModernPDF(t *testing.T) {
	got, err := pdftext.Pages(modernPDF())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"form\nAbc\n"}, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	if _, err := pdftext.Text([]byte("hello")); !errors.Is(err, pdftext.ErrNotPDF) {
		t.Errorf("not a PDF: %v", err)
	}
	enc := build([]string{`<< /Type /Catalog /Pages 2 0 R >>`, `<< /Type /Pages /Kids [] /Count 0 >>`}, "/Encrypt << /Filter /Standard >>", 0)
	if _, err := pdftext.Text(enc); !errors.Is(err, pdftext.ErrEncrypted) {
		t.Errorf("encrypted: %v", err)
	}
	if _, err := pdftext.PageCount([]byte("%PDF-1.7\ngarbage")); err == nil {
		t.Error("PageCount of garbage succeeded")
	}
}

func TestLetter(t *testing.T) {
	l := &letter.Letter{
		Title:     "保有個人データ訂正請求に対する回答書",
		Date:      "令和8年12月1日",
		Addressee: []string{"鈴木 一郎 様"},
		Sections: []letter.Section{{
			Heading: "訂正した内容",
			Table:   &letter.Table{Header: []string{"項目", "訂正前", "訂正後"}},
		}},
		Closing: []string{"以上"},
		Footer:  "ほげ商事",
	}
	for i := range 120 {
		l.Sections[0].Table.Rows = append(l.Sections[0].Table.Rows, []string{fmt.Sprint("住所", i+1), "旧住所", "新住所"})
	}
	pdf, err := letter.Render(l, letter.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := pdftext.Pages(pdf)
	if err != nil {
		t.Fatal(err)
	}
	n, err := pdftext.PageCount(pdf)
	if err != nil || n != len(pages) || n < 2 {
		t.Fatalf("PageCount = %d, %v; Pages gave %d", n, err, len(pages))
	}
	first := strings.Split(pages[0], "\n")
	if diff := cmp.Diff([]string{"令和8年12月1日", "鈴木 一郎 様", l.Title, "訂正した内容", "項目 訂正前 訂正後", "住所1 旧住所 新住所"}, first[:6]); diff != "" {
		t.Errorf("first lines (-want +got):\n%s", diff)
	}
	lastPage := pages[len(pages)-1]
	if !strings.Contains(lastPage, "住所120 旧住所 新住所\n以上\nほげ商事 "+fmt.Sprintf("%d / %d\n", n, n)) {
		t.Errorf("last page:\n%s", lastPage)
	}
	text, _ := pdftext.Text(pdf)
	if strings.Count(text, "\f") != n-1 {
		t.Errorf("%d form feeds for %d pages", strings.Count(text, "\f"), n)
	}
}

// FuzzText checks that malformed input gives an error, never a panic or a
// hang.
func FuzzText(f *testing.F) {
	f.Add(samplePDF(0))
	f.Add(samplePDF(3))
	f.Add(modernPDF())
	pdf, err := letter.Render(&letter.Letter{Title: "回答書", Opening: []string{"本文です。"}}, letter.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pdf)
	f.Add(pdf[:len(pdf)/2])
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj trailer << /Root 1 0 R >>"))
	f.Add([]byte("%PDF-1.7\n1 0 obj [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ endobj"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pdftext.Text(b)
		pdftext.PageCount(b)
	})
}
