package anonymize

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

func readT(t *testing.T, s string) *Table {
	t.Helper()
	tab, err := ReadTable(strings.NewReader(s), "t.csv")
	if err != nil {
		t.Fatalf("ReadTable(%q): %v", s, err)
	}
	return tab
}

func sjis(t *testing.T, s string) []byte {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q as Shift_JIS: %v", s, err)
	}
	return b
}

// A fictional member list.
const members = "会員番号;氏名;郵便番号;住所\n" +
	"A-001;山田 花子;100-0001;東京都千代田区丸の内1-1\n" +
	"A-002;佐藤 一郎;530-0001;大阪府大阪市北区梅田1-2-3\n" +
	"A-003;ｻﾄｳ ｼﾞﾛｳ;060-0001;北海道札幌市中央区北1条西2\n"

func wantMembers(t *testing.T, tab *Table, comma rune) {
	t.Helper()
	if !slices.Equal(tab.Header, []string{"会員番号", "氏名", "郵便番号", "住所"}) {
		t.Errorf("header %q", tab.Header)
	}
	if len(tab.Rows) != 3 || !slices.Equal(tab.Rows[1], []string{"A-002", "佐藤 一郎", "530-0001", "大阪府大阪市北区梅田1-2-3"}) {
		t.Errorf("rows %q", tab.Rows)
	}
	if tab.Rows[2][1] != "ｻﾄｳ ｼﾞﾛｳ" {
		t.Errorf("half-width kana: %q", tab.Rows[2][1])
	}
	if tab.Comma != comma {
		t.Errorf("delimiter %q, want %q", tab.Comma, comma)
	}
}

func TestReadTableEncodingsAndDelimiters(t *testing.T) {
	comma := strings.ReplaceAll(members, ";", ",")
	tab := strings.ReplaceAll(members, ";", "\t")
	for name, c := range map[string]struct {
		data  []byte
		comma rune
	}{
		"UTF-8 ;":           {[]byte(members), ';'},
		"UTF-8 ,":           {[]byte(comma), ','},
		"UTF-8 tab":         {[]byte(tab), '\t'},
		"BOM ;":             {[]byte("\ufeff" + members), ';'},
		"BOM ,":             {[]byte("\ufeff" + comma), ','},
		"CRLF":              {[]byte(strings.ReplaceAll(comma, "\n", "\r\n")), ','},
		"Shift_JIS ;":       {sjis(t, members), ';'},
		"Shift_JIS ,":       {sjis(t, comma), ','},
		"Shift_JIS tab":     {sjis(t, tab), '\t'},
		"Shift_JIS CRLF":    {sjis(t, strings.ReplaceAll(comma, "\n", "\r\n")), ','},
		"no final newline":  {[]byte(strings.TrimSuffix(members, "\n")), ';'},
		"blank lines":       {[]byte(strings.Replace(members, "\n", "\n\n", 2)), ';'},
		"spaces to trim":    {[]byte(strings.ReplaceAll(members, ";", " ; ")), ';'},
		"quoted":            {[]byte(strings.Replace(comma, "A-002,佐藤 一郎", `"A-002","佐藤 一郎"`, 1)), ','},
		"Shift_JIS, no BOM": {sjis(t, strings.ReplaceAll(members, "\n", "\r\n")), ';'},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ReadTable(bytes.NewReader(c.data), "members.csv")
			if err != nil {
				t.Fatal(err)
			}
			wantMembers(t, got, c.comma)
			for _, r := range got.Rows {
				for _, v := range r {
					if !utf8.ValidString(v) {
						t.Errorf("cell %q is not UTF-8", v)
					}
				}
			}
		})
	}
	// A quoted cell may hold the delimiter and a newline.
	got := readT(t, "id,memo\n1,\"a, b\nc\"\n2,d\n")
	if len(got.Rows) != 2 || got.Rows[0][1] != "a, b\nc" {
		t.Errorf("quoted: %q", got.Rows)
	}
	// The delimiter is guessed from the header: a comma in a ;-table's cell
	// is part of the cell.
	got = readT(t, "id;amount\n1;1,000\n2;2,500\n")
	if got.Comma != ';' || got.Rows[0][1] != "1,000" {
		t.Errorf("delimiter %q rows %q", got.Comma, got.Rows)
	}
	// One column.
	got = readT(t, "code\nA\nB\n")
	if len(got.Header) != 1 || len(got.Rows) != 2 {
		t.Errorf("one column: %q %q", got.Header, got.Rows)
	}
}

// A Shift_JIS file larger than the reader's first look: the Japanese is
// found wherever it is.
func TestReadTableShiftJISLarge(t *testing.T) {
	var b strings.Builder
	b.WriteString("氏名,番号\n")
	for i := range 10000 {
		b.WriteString("山田 花子," + itoa5(i) + "\n")
	}
	tab, err := ReadTable(bytes.NewReader(sjis(t, b.String())), "big.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 10000 || tab.Rows[9999][0] != "山田 花子" || tab.Rows[9999][1] != "09999" {
		t.Errorf("%d rows, last %q", len(tab.Rows), tab.Rows[len(tab.Rows)-1])
	}
}

// Shift_JIS whose first Japanese comes late, after 64 KiB of plain ASCII
// (an English header, numeric rows first): read as Shift_JIS all the same,
// or refused, but never cells that are not UTF-8.
func TestReadTableShiftJISAfterASCII(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name\n")
	for b.Len() < 70000 {
		b.WriteString("1,abc\n")
	}
	b.WriteString("2,山田 花子\n")
	tab, err := ReadTable(bytes.NewReader(sjis(t, b.String())), "late.csv")
	if err != nil {
		return // refusing is fine
	}
	last := tab.Rows[len(tab.Rows)-1]
	if last[1] != "山田 花子" {
		t.Errorf("the last row reads %q (UTF-8: %v), want 山田 花子", last, utf8.ValidString(last[1]))
	}
}

// Shift_JIS whose only non-ASCII bytes are half-width katakana at the very
// end of a file without a final newline.
func TestReadTableShiftJISHalfWidthAtEnd(t *testing.T) {
	tab, err := ReadTable(bytes.NewReader(sjis(t, "id,kana\n1,ｱｲｳ")), "kana.csv")
	if err != nil {
		return // refusing is fine
	}
	if tab.Rows[0][1] != "ｱｲｳ" {
		t.Errorf("read %q (UTF-8: %v), want ｱｲｳ", tab.Rows[0][1], utf8.ValidString(tab.Rows[0][1]))
	}
}

func TestReadTableErrors(t *testing.T) {
	for name, c := range map[string]struct {
		data string
		want string // the message begins so
		also string // and says
	}{
		"empty":                     {"", "t.csv: ", "empty"},
		"BOM only":                  {"\ufeff", "t.csv: ", "empty"},
		"blank lines only":          {"\n\n\r\n", "t.csv: ", "empty"},
		"header only":               {"a;b;c\n", "t.csv: ", "no data rows"},
		"header only, no newline":   {"a;b;c", "t.csv: ", "no data rows"},
		"duplicate header":          {"id;name;id\n1;x;2\n", "t.csv:1: ", `"id" appears twice`},
		"duplicate after trimming":  {"id; name ;name\n1;x;y\n", "t.csv:1: ", `"name" appears twice`},
		"empty header name":         {"id;;name\n1;2;3\n", "t.csv:1: ", "column 2 has no name"},
		"ragged row":                {"id;name\n1;x\n2;y;z\n3;w\n", "t.csv:3: ", "different number of fields"},
		"short row":                 {"id;name;zip\n1;x;100\n2;y\n", "t.csv:3: ", "different number of fields"},
		"ragged after blank":        {"id;name\n1;x\n\n\n2\n", "t.csv:5: ", "different number of fields"},
		"ragged after quoted lines": {"id,memo\n1,\"a\nb\nc\"\n2,y,z\n", "t.csv:5: ", "different number of fields"},
		"bare quote":                {"id;name\n1;x\"y\n", "t.csv:2: ", "bad CSV"},
		"open quote":                {"id;name\n1;\"xy\n", "t.csv:", "bad CSV"},
	} {
		t.Run(name, func(t *testing.T) {
			tab, err := ReadTable(strings.NewReader(c.data), "t.csv")
			if err == nil {
				t.Fatalf("no error: %q %q", tab.Header, tab.Rows)
			}
			if !strings.HasPrefix(err.Error(), c.want) || !strings.Contains(err.Error(), c.also) {
				t.Errorf("error %q, want %q…%q", err, c.want, c.also)
			}
		})
	}
	// Errors about rows never repeat a cell.
	_, err := ReadTable(strings.NewReader("id;name\n1;山田 花子\n2;佐藤 一郎;090-1234-5678\n"), "t.csv")
	if err == nil || strings.Contains(err.Error(), "佐藤") || strings.Contains(err.Error(), "090") {
		t.Errorf("error %v", err)
	}
	_, err = ReadTable(strings.NewReader("id;name\n1;山田\"花子\n"), "t.csv")
	if err == nil || strings.Contains(err.Error(), "山田") {
		t.Errorf("error %v", err)
	}
	// A reader that fails.
	_, err = ReadTable(io.MultiReader(strings.NewReader("id;name\n1;x\n"), errReader{}), "t.csv")
	if err == nil || !errors.Is(err, errBroken) {
		t.Errorf("failing reader: %v", err)
	}
}

var errBroken = errors.New("disk on fire")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBroken }

func TestTableWriteRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"semicolon", []byte(members)},
		{"comma", []byte(strings.ReplaceAll(members, ";", ","))},
		{"tab", []byte(strings.ReplaceAll(members, ";", "\t"))},
		{"Shift_JIS", sjis(t, strings.ReplaceAll(members, ";", ","))},
		{"awkward cells", []byte("id;memo;note\n1;\"a;b\";\"say \"\"hi\"\"\"\n2;\"line\nbreak\";x,y\n3;\\.;\t\n")},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, err := ReadTable(bytes.NewReader(c.data), "in.csv")
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := in.Write(&buf); err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(buf.String(), "\n")
			if want := strings.Join(in.Header, string(in.Comma)); first != want {
				t.Errorf("header line %q, want %q", first, want)
			}
			if !utf8.Valid(buf.Bytes()) {
				t.Errorf("written table is not UTF-8")
			}
			back, err := ReadTable(bytes.NewReader(buf.Bytes()), "out.csv")
			if err != nil {
				t.Fatal(err)
			}
			if back.Comma != in.Comma || !slices.Equal(back.Header, in.Header) || !slices.EqualFunc(back.Rows, in.Rows, slices.Equal) {
				t.Errorf("round trip:\n%q %q %q\n%q %q %q", in.Comma, in.Header, in.Rows, back.Comma, back.Header, back.Rows)
			}
		})
	}
	// A table made in code without a delimiter writes commas.
	var buf bytes.Buffer
	(&Table{Header: []string{"a", "b"}, Rows: [][]string{{"1", "2"}}}).Write(&buf)
	if buf.String() != "a,b\n1,2\n" {
		t.Errorf("no delimiter: %q", buf.String())
	}
	// An anonymised table keeps the delimiter through Apply and Write.
	src := readT(t, "id\tarea\tsex\n1\tA\tf\n2\tA\tf\n3\tB\tm\n4\tB\tm\n")
	res, out := ckAnonymize(t, src, Config{QI: []string{"area", "sex"}, Hierarchies: ckFlat(src, "area", "sex"), K: 2})
	buf.Reset()
	if err := out.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "id\tarea\tsex\n1\tA\tf\n2\tA\tf\n3\tB\tm\n4\tB\tm\n" || res.Score != 0 {
		t.Errorf("anonymised and written: %q", buf.String())
	}
}

// A one-column table whose cell is empty: the written row must read back.
func TestTableWriteEmptySingleCell(t *testing.T) {
	in := &Table{Header: []string{"note"}, Rows: [][]string{{"a"}, {""}, {"b"}}, Comma: ','}
	var buf bytes.Buffer
	if err := in.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTable(&buf, "out.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Rows) != 3 {
		t.Errorf("%d rows read back of 3 written: %q (the empty cell was written as a blank line)", len(back.Rows), back.Rows)
	}
}

func TestTableColumn(t *testing.T) {
	tab := readT(t, members)
	if got := tab.Column("郵便番号"); !slices.Equal(got, []string{"100-0001", "530-0001", "060-0001"}) {
		t.Errorf("Column: %q", got)
	}
	if tab.Column("電話番号") != nil {
		t.Errorf("a missing column is not nil")
	}
}

func itoa5(i int) string {
	b := []byte("00000")
	for p := 4; p >= 0 && i > 0; p-- {
		b[p] = byte('0' + i%10)
		i /= 10
	}
	return string(b)
}
