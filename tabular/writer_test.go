package tabular

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hogo.example.jp/hogo"
)

// exportRows is a header and rows with the characters an export meets:
// CP932 extensions (①, ㈱, 髙), a WAVE DASH and a MINUS SIGN (JIS forms
// that CP932 spells differently), leading zeros, a comma, a quote and a
// newline.
var exportRows = [][]string{
	{"name", "name_kana", "email", "phone", "birth_date", "postal_code", "address", "qualifications"},
	{"髙橋 花子", "タカハシ　ハナコ", "hanako@example.jp", "09000000001", "1990-04-01", "542-0000", "大阪府大阪市中央区南船場九丁目9番9号\nひのでビル5階", "①普通自動車免許, \"英検\"2級"},
	{"㈱ひので商事 担当", "ヒノ", "hino@example.jp", "0660007051", "1985-12-31", "", "大阪府大阪市1−2−3", "9時〜17時"},
}

func writeAll(t *testing.T, format, enc string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, format, enc, "求職者")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range exportRows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Rows() != len(exportRows) {
		t.Errorf("Rows %d", w.Rows())
	}
	return buf.Bytes()
}

// cp932Form is what a Shift_JIS round trip makes of a cell.
var cp932Form = strings.NewReplacer("〜", "～", "−", "－")

func TestWriterRoundTrip(t *testing.T) {
	cases := []struct {
		format, enc, name string
		sjis              bool
	}{
		{"csv", "utf-8", "out.csv", false},
		{"csv", "", "out.csv", false},
		{"csv", "shift_jis", "out.csv", true},
		{"xlsx", "", "out.xlsx", false},
	}
	for _, c := range cases {
		data := writeAll(t, c.format, c.enc)
		switch {
		case c.format == "csv" && !c.sjis:
			if !bytes.HasPrefix(data, []byte(bom)) {
				t.Errorf("%s/%s: no BOM", c.format, c.enc)
			}
		case c.sjis:
			if !bytes.Contains(data, sjis(t, "①")) || !bytes.Contains(data, []byte("\r\n")) {
				t.Errorf("shift_jis: not CP932 with CRLF")
			}
		}
		rd, rows := readAll(t, data, c.name, Options{})
		if c.sjis && rd.Encoding() != EncodingShiftJIS {
			t.Errorf("encoding %q", rd.Encoding())
		}
		if !equalStrings(rd.Header(), exportRows[0]) {
			t.Errorf("%s/%s: header %q", c.format, c.enc, rd.Header())
		}
		if len(rows) != 2 {
			t.Fatalf("%s/%s: %d rows", c.format, c.enc, len(rows))
		}
		for i, row := range rows {
			want := exportRows[i+1]
			for j := range want {
				w := want[j]
				if c.sjis {
					w = cp932Form.Replace(w)
				}
				got := ""
				if j < len(row.Raw) {
					got = row.Raw[j]
				}
				if got != w {
					t.Errorf("%s/%s: row %d cell %d: %q, want %q", c.format, c.enc, i+1, j+1, got, w)
				}
			}
			if !row.OK() {
				t.Errorf("%s/%s: row %d: %v", c.format, c.enc, i+1, row.Problems)
			}
		}
		if rows[1].Line != 4 && c.format == "csv" { // the address of row 1 spans two lines
			t.Errorf("csv line %d", rows[1].Line)
		}
	}
}

func TestWriterXLSXWithExcelize(t *testing.T) {
	data := writeAll(t, "xlsx", "")
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.GetSheetName(0) != "求職者" {
		t.Errorf("sheet %q", f.GetSheetName(0))
	}
	got, err := f.GetRows("求職者")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range exportRows {
		for j, c := range r {
			if j >= len(got[i]) && c == "" {
				continue
			}
			if got[i][j] != c {
				t.Errorf("row %d cell %d: %q, want %q", i+1, j+1, got[i][j], c)
			}
		}
	}
	// Leading zeros survive: the cells are text.
	if typ, _ := f.GetCellType("求職者", "D2"); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("phone cell type %v", typ)
	}
}

func TestWriterShiftJISUnencodable(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "csv", "sjis", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRow([]string{"name", "career"}); err != nil {
		t.Fatal(err)
	}
	err = w.WriteRow([]string{"𠮷田 花子", "ok"}) // 𠮷 is outside Shift_JIS
	he := herr(t, err)
	if he.Code != hogo.EINVALID || !strings.Contains(he.Ja, "2行目の1列目") || !strings.Contains(he.Message, "Row 2, column 1") {
		t.Errorf("error %v / %s", he, he.Ja)
	}
	if strings.Contains(he.Ja+he.Message, "𠮷") || strings.Contains(he.Ja+he.Message, "花子") {
		t.Errorf("error shows the value: %v", he)
	}
}

func TestWriterOptions(t *testing.T) {
	if _, err := NewWriter(io.Discard, "ods", "", ""); herr(t, err).Field != "format" {
		t.Errorf("format: %v", err)
	}
	if _, err := NewWriter(io.Discard, "csv", "euc-jp", ""); herr(t, err).Field != "encoding" {
		t.Errorf("encoding: %v", err)
	}
	if _, err := NewWriter(io.Discard, "xlsx", "", "a/b"); herr(t, err).Field != "sheet" {
		t.Errorf("sheet: %v", err)
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, "xlsx", "", "")
	if err := w.WriteRow([]string{strings.Repeat("あ", maxCellUTF16+1)}); err == nil || !strings.Contains(err.Error(), "Row 1, column 1") {
		t.Errorf("long cell: %v", err)
	}
	w.Close()
	if err := w.WriteRow([]string{"x"}); err == nil {
		t.Error("WriteRow after Close succeeded")
	}
}

func TestRejectRoundTrip(t *testing.T) {
	data := strings.Join(benchHeader, ",") + "\n" +
		"日野 花子,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01,,,\n" +
		"朝倉 直子,アサクラ ナオコ,naoko@@example.jp,06-6000-7051,2000-02-30,542-0000,\"大阪府大阪市\n中央区\",営業\n" +
		"日野 一郎,ヒノ イチロウ,ichiro@example.jp\n"
	rd, rows := readAll(t, []byte(data), "members.csv", Options{})
	var out bytes.Buffer
	rw := NewRejectWriter(&out, rd.Header())
	for _, row := range rows {
		if !row.OK() {
			if err := rw.Write(row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	if rw.Rows() != 2 {
		t.Fatalf("rejected %d rows", rw.Rows())
	}
	if !bytes.HasPrefix(out.Bytes(), []byte(bom+LineHeader+","+ReasonHeader+",氏名,")) {
		t.Errorf("rejects start %q", out.String()[:40])
	}
	// Read the rejects file back: the added columns are skipped, the cells
	// are as they were, and the line and reasons are there.
	rd2, err := Open(bytes.NewReader(out.Bytes()), "rejects.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rd2.Bind(testCat()); err != nil {
		t.Fatal(err)
	}
	r1, err := rd2.Next()
	if err != nil {
		t.Fatal(err)
	}
	if r1.Raw[0] != "3" || !equalStrings(r1.Raw[2:], rows[1].Raw) {
		t.Errorf("rejected row %q", r1.Raw)
	}
	want := "列3「メールアドレス」(email): メールアドレスを"
	if !strings.HasPrefix(r1.Raw[1], want) || !strings.Contains(r1.Raw[1], "\n列5「生年月日」(birth_date): ") {
		t.Errorf("reason %q", r1.Raw[1])
	}
	if len(r1.Problems) != 2 || r1.Problems[0].Column != 5 { // the email is column 5 in the rejects file
		t.Errorf("problems on reading back %v", r1.Problems)
	}
	r2, err := rd2.Next()
	if err != nil {
		t.Fatal(err)
	}
	// The short row is padded to the header's width.
	if r2.Raw[0] != "5" || len(r2.Raw) != len(benchHeader)+2 || r2.Raw[4] != "ichiro@example.jp" {
		t.Errorf("short row %q", r2.Raw)
	}
	if _, err := rd2.Next(); err != io.EOF {
		t.Errorf("after the last: %v", err)
	}
}

func TestRejectEmpty(t *testing.T) {
	var out bytes.Buffer
	rw := NewRejectWriter(&out, []string{"氏名"})
	rw.Lang = "en"
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	if out.String() != bom+LineHeader+","+ReasonHeader+",氏名\r\n" {
		t.Errorf("empty rejects %q", out.String())
	}
}

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	p := NewProgress(&buf, 1000, true, "ja")
	p.now = func() time.Time { return clock }
	p.Update(0, 0)
	for i := 1; i <= 50; i++ { // 50 updates within 490 ms: at most 5 more drawings
		clock = clock.Add(10 * time.Millisecond)
		p.Update(int64(i*10), i*100)
	}
	if n := strings.Count(buf.String(), "\r"); n < 5 || n > 6 {
		t.Errorf("%d drawings", n)
	}
	clock = clock.Add(time.Second)
	p.Finish()
	out := buf.String()
	last := out[strings.LastIndex(out, "\r"):]
	if !strings.Contains(last, "100%") || !strings.Contains(last, "5,000行") || !strings.Contains(last, "行/秒") || !strings.HasSuffix(out, "\n") {
		t.Errorf("final line %q", last)
	}
	p.Finish()
	p.Update(1, 1)
	if buf.String() != out {
		t.Error("drew after Finish")
	}

	buf.Reset()
	q := NewProgress(&buf, 0, false, "en")
	q.Update(10, 10)
	q.Finish()
	if buf.Len() != 0 {
		t.Errorf("drew on a non-terminal: %q", buf.String())
	}

	buf.Reset()
	e := NewProgress(&buf, 0, true, "en")
	e.Update(10, 1234567)
	if !strings.Contains(buf.String(), "1,234,567 rows") || strings.Contains(buf.String(), "%") {
		t.Errorf("unknown size: %q", buf.String())
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) || IsTerminal(nil) {
		t.Error("a regular file is not a terminal")
	}
}

func TestOffsetGrows(t *testing.T) {
	data := sjis(t, personCSV(20000))
	rd, err := Open(bytes.NewReader(data), "big.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rd.Bind(testCat()); err != nil {
		t.Fatal(err)
	}
	var prev int64
	grew := 0
	for {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !row.OK() {
			t.Fatalf("line %d: %v", row.Line, row.Problems)
		}
		if off := rd.Offset(); off > prev {
			grew++
			prev = off
		} else if off < prev {
			t.Fatal("Offset went back")
		}
	}
	if grew < 10 || prev != int64(len(data)) {
		t.Errorf("Offset grew %d times to %d of %d", grew, prev, len(data))
	}
}
