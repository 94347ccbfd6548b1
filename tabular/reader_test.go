package tabular

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hogo.example.jp/hogo"
)

const memberHeader = "氏名,氏名（フリガナ）,メールアドレス,電話番号,生年月日,郵便番号,住所,職歴,備考"

// memberCSV has a header and two valid rows; 備考 is not an item.
const memberCSV = memberHeader + "\n" +
	"髙橋 花子,たかはし はなこ,Hanako.Takahashi@EXAMPLE.JP,090-1234-5678,平成2年4月1日,〒542-0000,大阪府大阪市中央区南船場九丁目9番9号,㈱ひので商事 営業事務,①社内メモ\n" +
	"鈴木 一郎,ｽｽﾞｷ ｲﾁﾛｳ,ichiro@example.jp,06 6000 7051,1985-12-31,,,,\n"

var memberMap = map[string]string{"備考": "-"}

var wantMembers = []map[string]string{
	{"name": "髙橋 花子", "name_kana": "タカハシ　ハナコ", "email": "Hanako.Takahashi@example.jp", "phone": "09012345678",
		"birth_date": "1990-04-01", "postal_code": "542-0000", "address": "大阪府大阪市中央区南船場九丁目9番9号", "career": "㈱ひので商事 営業事務"},
	{"name": "鈴木 一郎", "name_kana": "スズキ　イチロウ", "email": "ichiro@example.jp", "phone": "0660007051", "birth_date": "1985-12-31"},
}

func checkMembers(t *testing.T, rows []*Row, lines ...int) {
	t.Helper()
	if len(rows) != len(wantMembers) {
		t.Fatalf("got %d rows, want %d", len(rows), len(wantMembers))
	}
	for i, row := range rows {
		if !row.OK() {
			t.Errorf("row %d: problems %v", i, row.Problems)
		}
		if !maps.Equal(row.Items, wantMembers[i]) {
			t.Errorf("row %d items:\n got %v\nwant %v", i, row.Items, wantMembers[i])
		}
		if row.Line != lines[i] {
			t.Errorf("row %d: Line %d, want %d", i, row.Line, lines[i])
		}
	}
}

func TestReadUTF8(t *testing.T) {
	rd, rows := readAll(t, []byte(memberCSV), "members.csv", Options{Map: memberMap})
	if rd.Encoding() != EncodingUTF8 || rd.Format() != FormatCSV {
		t.Errorf("encoding %q format %q", rd.Encoding(), rd.Format())
	}
	if got := strings.Join(rd.Header(), ","); got != memberHeader {
		t.Errorf("header %q", got)
	}
	want := []string{"name", "name_kana", "email", "phone", "birth_date", "postal_code", "address", "career", Ignore}
	if got := rd.Binding(); !equalStrings(got, want) {
		t.Errorf("binding %v, want %v", got, want)
	}
	checkMembers(t, rows, 2, 3)
	if rows[1].Raw[8] != "" || rows[0].Raw[8] != "①社内メモ" {
		t.Errorf("raw cells not kept: %q", rows[0].Raw)
	}
	if rd.Offset() != int64(len(memberCSV)) {
		t.Errorf("Offset %d, want %d", rd.Offset(), len(memberCSV))
	}
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

func TestReadUTF8BOM(t *testing.T) {
	data := append([]byte(bom), memberCSV...)
	for _, enc := range []string{"", "utf-8", "UTF8"} {
		rd, rows := readAll(t, data, "members.csv", Options{Map: memberMap, Encoding: enc})
		if rd.Encoding() != EncodingUTF8 {
			t.Errorf("%q: encoding %q", enc, rd.Encoding())
		}
		if rd.Header()[0] != "氏名" {
			t.Errorf("%q: BOM not stripped: %q", enc, rd.Header()[0])
		}
		checkMembers(t, rows, 2, 3)
	}
}

func TestReadShiftJIS(t *testing.T) {
	// CRLF line endings, as Excel on Windows saves; ㈱, ① and 髙 are
	// CP932 extensions.
	data := sjis(t, strings.ReplaceAll(memberCSV, "\n", "\r\n"))
	for _, enc := range []string{"", "shift_jis", "sjis", "cp932", "Windows-31J"} {
		rd, rows := readAll(t, data, "members.csv", Options{Map: memberMap, Encoding: enc})
		if rd.Encoding() != EncodingShiftJIS {
			t.Errorf("%q: encoding %q", enc, rd.Encoding())
		}
		checkMembers(t, rows, 2, 3)
		if rows[0].Raw[8] != "①社内メモ" {
			t.Errorf("%q: raw %q", enc, rows[0].Raw[8])
		}
		if rd.Offset() != int64(len(data)) {
			t.Errorf("Offset %d, want %d", rd.Offset(), len(data))
		}
	}
}

func TestShiftJISAfterLongASCII(t *testing.T) {
	// The first 100 KiB are ASCII (IDs as headers, ASCII-only cells), so
	// the sample at the start says nothing; detection must wait for the
	// first byte that is not ASCII.
	var b strings.Builder
	b.WriteString("name,name_kana,email,phone,birth_date\r\n")
	line := 2
	for b.Len() < 100<<10 {
		b.WriteString("Hanako Sato,ハナコ,hanako@example.jp,090-0000-0001,2000-01-01\r\n")
		line++
	}
	// ハナコ is not ASCII: rewrite the rows above without it.
	ascii := strings.ReplaceAll(b.String(), "ハナコ", "")
	body := ascii + "日野 花子,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01\r\n"
	rd, rows := readAll(t, sjis(t, body), "late.csv", Options{})
	if rd.Encoding() != EncodingShiftJIS {
		t.Fatalf("encoding %q", rd.Encoding())
	}
	last := rows[len(rows)-1]
	if last.Line != line || last.Items["name"] != "日野 花子" || last.Items["name_kana"] != "ヒノ　ハナコ" {
		t.Errorf("last row line %d items %v, want line %d", last.Line, last.Items, line)
	}
	// The ASCII rows lack the required kana.
	if rows[0].OK() || rows[0].Problems[0].Item != "name_kana" {
		t.Errorf("first row problems %v", rows[0].Problems)
	}
}

func TestUTF8SampleCutInsideCharacter(t *testing.T) {
	// The sample starts at the first byte that is not ASCII; a column of
	// three-byte characters makes its end fall inside a character: 65536 =
	// 3×21845 + 1, and with two ASCII bytes inside the run 2 bytes in.
	for _, inner := range []string{"", "xx"} {
		memo := "あ" + inner + strings.Repeat("あ", 30000)
		data := "memo,name,name_kana,email,phone,birth_date\n" +
			memo + ",日野 花子,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01\n"
		rd, rows := readAll(t, []byte(data), "memo.csv", Options{Map: map[string]string{"memo": "-"}})
		if rd.Encoding() != EncodingUTF8 {
			t.Errorf("inner %q: encoding %q", inner, rd.Encoding())
		}
		if len(rows) != 1 || rows[0].Items["name"] != "日野 花子" {
			t.Errorf("inner %q: rows %v", inner, rows)
		}
	}
	if got := trimPartialRune([]byte("aあ")[:3]); string(got) != "a" {
		t.Errorf("trimPartialRune cut %q", got)
	}
	if got := trimPartialRune([]byte("aあ")); string(got) != "aあ" {
		t.Errorf("trimPartialRune kept %q", got)
	}
}

func TestQuotedNewlinesCRLF(t *testing.T) {
	data := "name,name_kana,email,phone,birth_date,address,career\r\n" +
		"日野 花子,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01,\"大阪府大阪市\r\n中央区南船場九丁目9番9号\r\nひのでビル5階\",\"営業,事務\"\r\n" +
		"\r\n" + // an empty line is skipped but counted
		",,,,,,\r\n" + // so is a row of empty cells
		"朝倉 直子,アサクラ ナオコ,naoko@@example.jp,06-6000-7051,1980-02-30,,\r\n"
	_, rows := readAll(t, []byte(data), "multi.csv", Options{})
	if len(rows) != 2 {
		t.Fatalf("rows %d", len(rows))
	}
	if rows[0].Line != 2 || rows[1].Line != 7 {
		t.Errorf("lines %d, %d; want 2, 7", rows[0].Line, rows[1].Line)
	}
	if got := rows[0].Items["address"]; got != "大阪府大阪市\n中央区南船場九丁目9番9号\nひのでビル5階" {
		t.Errorf("address %q", got)
	}
	if rows[0].Items["career"] != "営業,事務" {
		t.Errorf("career %q", rows[0].Items["career"])
	}
	ps := rows[1].Problems
	if len(ps) != 2 || ps[0].Column != 3 || ps[0].Item != "email" || ps[1].Column != 5 || ps[1].Item != "birth_date" {
		t.Fatalf("problems %v", ps)
	}
	for _, p := range ps {
		if p.Line != 7 {
			t.Errorf("problem line %d", p.Line)
		}
	}
}

func TestRowProblems(t *testing.T) {
	data := memberHeader + "\n" +
		"日野 花子,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01,,,,\n" +
		"朝倉 直子,,not-an-address,090-0000-0002,2000-01-01,,,,\n"
	_, rows := readAll(t, []byte(data), "members.csv", Options{Map: memberMap})
	if !rows[0].OK() {
		t.Fatalf("row 1: %v", rows[0].Problems)
	}
	ps := rows[1].Problems
	if len(ps) != 2 {
		t.Fatalf("problems %v", ps)
	}
	want := []Problem{
		{File: "members.csv", Line: 3, Column: 2, Header: "氏名（フリガナ）", Item: "name_kana"},
		{File: "members.csv", Line: 3, Column: 3, Header: "メールアドレス", Item: "email"},
	}
	for i, p := range ps {
		w := want[i]
		if p.File != w.File || p.Line != w.Line || p.Column != w.Column || p.Header != w.Header || p.Item != w.Item {
			t.Errorf("problem %d: %+v, want %+v", i, p, w)
		}
		if p.Ja == "" || p.En == "" {
			t.Errorf("problem %d has no message: %+v", i, p)
		}
	}
	if got := ps[1].In("ja"); !strings.HasPrefix(got, "members.csv:3 列3「メールアドレス」(email): メールアドレスを") {
		t.Errorf("ja: %s", got)
	}
	if got := ps[1].In("en"); !strings.HasPrefix(got, `members.csv:3 column 3 "メールアドレス" (email): E-mail address is not`) {
		t.Errorf("en: %s", got)
	}
	if _, ok := rows[1].Items["email"]; ok || rows[1].Items["phone"] != "09000000002" {
		t.Errorf("items %v", rows[1].Items)
	}
}

func TestRaggedRows(t *testing.T) {
	data := "name,name_kana,email,phone,birth_date\n" +
		"日野 花子,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01,EXTRA-CELL-9081\n" +
		"日野 花子,ヒノ ハナコ,hanako@example.jp\n" +
		"日野 花子,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01\n"
	_, rows := readAll(t, []byte(data), "ragged.csv", Options{})
	if len(rows) != 3 {
		t.Fatalf("rows %d", len(rows))
	}
	if ps := rows[0].Problems; len(ps) != 1 || ps[0].Column != 6 || ps[0].Line != 2 || !strings.Contains(ps[0].En, "6 cells") {
		t.Errorf("long row: %v", ps)
	}
	if ps := rows[1].Problems; len(ps) != 2 || ps[0].Item != "phone" || ps[0].Column != 4 || ps[1].Item != "birth_date" || ps[1].Line != 3 {
		t.Errorf("short row: %v", ps)
	}
	if rows[1].Items["email"] != "hanako@example.jp" {
		t.Errorf("short row items %v", rows[1].Items)
	}
	if !rows[2].OK() {
		t.Errorf("full row: %v", rows[2].Problems)
	}
	for _, p := range rows[0].Problems {
		if strings.Contains(p.In("ja")+p.In("en"), "EXTRA") {
			t.Errorf("problem shows the value: %s", p)
		}
	}
}

func TestNoHeaderColumn(t *testing.T) {
	data := "name,,name_kana,email,phone,birth_date,\n" +
		"日野 花子,,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01,\n" +
		"日野 花子,STRAY-7720,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01,\n"
	_, rows := readAll(t, []byte(data), "gap.csv", Options{})
	if !rows[0].OK() {
		t.Errorf("row 1: %v", rows[0].Problems)
	}
	if ps := rows[1].Problems; len(ps) != 1 || ps[0].Column != 2 || ps[0].Item != "" || ps[0].Line != 3 {
		t.Errorf("row 2: %v", ps)
	} else if strings.Contains(ps[0].In("ja"), "STRAY") || !strings.HasPrefix(ps[0].In("ja"), "gap.csv:3 列2: ") {
		t.Errorf("row 2: %s", ps[0].In("ja"))
	}
}

// TestNoValueInMessages feeds distinctive bad values to every item type and
// checks that no problem text contains any part of them.
func TestNoValueInMessages(t *testing.T) {
	leaks := []string{"LEAKNAME\x01", "LEAKKANA鬱", "leak-4417@@example.jp", "LEAK-03-9921", "2099-13-45", "LEAK5420", "LEAK\u202Eaddr", "x"}
	data := strings.Join(benchHeader, ",") + ",緊急連絡先\n" + strings.Join(leaks, ",") + ",LEAK-0120\n" +
		"日野 花子,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01,,,,,LEAK-EXTRA-1\n"
	_, rows := readAll(t, []byte(data), "x.csv", Options{})
	var all []Problem
	for _, r := range rows {
		all = append(all, r.Problems...)
	}
	if len(all) != 9 {
		t.Errorf("%d problems, want 9: %v", len(all), all)
	}
	for _, p := range all {
		for _, lang := range []string{"ja", "en"} {
			s := p.In(lang)
			for _, bad := range []string{"LEAK", "leak", "4417", "9921", "2099", "5420", "鬱"} {
				if strings.Contains(s, bad) {
					t.Errorf("problem text contains %q: %s", bad, s)
				}
			}
		}
	}
}

func TestEmptyRequiredCell(t *testing.T) {
	data := "name,name_kana,email,phone,birth_date\n \t,ヒノ ハナコ,hanako@example.jp,090-0000-0001,2000-01-01\n"
	_, rows := readAll(t, []byte(data), "e.csv", Options{})
	if ps := rows[0].Problems; len(ps) != 1 || ps[0].Item != "name" || !strings.Contains(ps[0].En, "required") {
		t.Errorf("problems %v", ps)
	}
}

func TestMalformedCSV(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"bare", "name,name_kana,email,phone,birth_date\n日野 花子,ヒノ ハナコ,a@example.jp,090-0000-0001,2000-01-01\n日野 SECRET\"QUOTE,ヒノ,a@example.jp,090-0000-0001,2000-01-01\n", "bare.csv:3:"},
		{"open", "name,name_kana,email,phone,birth_date\n\"日野 花子,ヒノ ハナコ,a@example.jp,090-0000-0001,2000-01-01\nSECRET\n", "open.csv:2:"},
	}
	for _, c := range cases {
		rd, err := Open(strings.NewReader(c.data), c.name+".csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := rd.Bind(testCat()); err != nil {
			t.Fatal(err)
		}
		var nerr error
		for nerr == nil {
			_, nerr = rd.Next()
		}
		he := herr(t, nerr)
		if he.Code != hogo.EINVALID || !strings.HasPrefix(he.Message, c.want) || !strings.HasPrefix(he.Ja, c.want) {
			t.Errorf("%s: %v / %s", c.name, he, he.Ja)
		}
		if strings.Contains(he.Message+he.Ja, "SECRET") {
			t.Errorf("%s: error shows the value: %v", c.name, he)
		}
		if _, again := rd.Next(); again != nerr {
			t.Errorf("%s: error not sticky: %v", c.name, again)
		}
	}
}

func TestInvalidShiftJISBytes(t *testing.T) {
	data := sjis(t, "氏名,氏名（フリガナ）,メールアドレス,電話番号,生年月日\r\n日野 花子,ヒノ ハナコ,a@example.jp,090-0000-0001,2000-01-01\r\n")
	data = append(data, sjis(t, "日野 ")...)
	data = append(data, 0x81, 0x20) // a lead byte followed by a space: not Shift_JIS
	data = append(data, sjis(t, ",ヒノ ハナコ,a@example.jp,090-0000-0001,2000-01-01\r\n")...)
	_, rows := readAll(t, data, "bad.csv", Options{Encoding: "shift_jis"})
	if ps := rows[1].Problems; len(ps) != 1 || ps[0].Item != "name" || !strings.Contains(ps[0].En, "not Shift_JIS") {
		t.Errorf("problems %v", ps)
	}
}

func TestSJISWithBOMRefused(t *testing.T) {
	_, err := Open(strings.NewReader(bom+memberCSV), "members.csv", Options{Encoding: "sjis"})
	if he := herr(t, err); he.Field != "encoding" || !strings.Contains(he.Ja, "members.csv") {
		t.Errorf("error %v", he)
	}
}

func TestRecordTooLong(t *testing.T) {
	// A quote that is never closed would make encoding/csv hold the rest
	// of the file; the reader stops at 16 MiB.
	head := "name,name_kana,email,phone,birth_date\n\"日野"
	r := io.MultiReader(strings.NewReader(head), &repeatReader{b: 'a', n: 20 << 20})
	rd, err := Open(r, "huge.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rd.Bind(testCat()); err != nil {
		t.Fatal(err)
	}
	_, err = rd.Next()
	if he := herr(t, err); !strings.HasPrefix(he.Message, "huge.csv:2:") || !strings.Contains(he.Message, "16 MiB") {
		t.Errorf("error %v", he)
	}
}

type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	n := min(len(p), r.n)
	for i := range p[:n] {
		p[i] = r.b
	}
	r.n -= n
	return n, nil
}

func TestNoHeader(t *testing.T) {
	for _, data := range []string{"", "\n\n", ",,\n , \n"} {
		_, err := Open(strings.NewReader(data), "empty.csv", Options{})
		if he := herr(t, err); he.Field != "header" || !strings.Contains(he.Ja, "empty.csv") {
			t.Errorf("%q: %v", data, he)
		}
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := Open(strings.NewReader(memberCSV), "m.csv", Options{Encoding: "euc-jp"}); herr(t, err).Field != "encoding" {
		t.Errorf("encoding: %v", err)
	}
	if _, err := Open(strings.NewReader(memberCSV), "m.csv", Options{Format: "ods"}); herr(t, err).Field != "format" {
		t.Errorf("format: %v", err)
	}
	if _, err := Open(strings.NewReader(oleMagic+"rest"), "m.xls", Options{}); herr(t, err).Field != "format" {
		t.Errorf("xls: %v", err)
	}
	// Some systems export CSV under .xls: the content decides.
	if rd, err := Open(strings.NewReader(memberCSV), "m.xls", Options{}); err != nil || rd.Format() != FormatCSV {
		t.Errorf("CSV named .xls: %v", err)
	}
	rd, err := Open(strings.NewReader(memberCSV), "m.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rd.Next(); herr(t, err).Code != hogo.EINTERNAL {
		t.Errorf("Next before Bind: %v", err)
	}
}

func TestBindErrors(t *testing.T) {
	cat := testCat()
	cases := []struct {
		name, header string
		m            map[string]string
		field        string
		ja, en       []string
	}{
		{"unknown column", memberHeader, nil, "header",
			[]string{"列9「備考」", "--map '備考=-'", "name（氏名）"},
			[]string{`Column 9 "備考"`, "--map '備考=-'", "name (Name)"}},
		{"two columns one item", "氏名,name,name_kana,email,phone,birth_date", nil, "header",
			[]string{"列1「氏名」と列2「name」", "(name)"},
			[]string{`Columns 1 "氏名" and 2 "name"`}},
		{"unknown map item", "氏名,カナ,email,phone,birth_date", map[string]string{"カナ": "namekana"}, "map",
			[]string{"「カナ=namekana」", "「氏名（フリガナ）」(name_kana) のことでしょうか"},
			[]string{"has no item \"namekana\"", "Did you mean \"Name (kana)\" (name_kana)?"}},
		{"map key not a header", "氏名,name_kana,email,phone,birth_date", map[string]string{"ふりがな": "name_kana"}, "map",
			[]string{"--map の「ふりがな」", "見出し: 氏名, name_kana"},
			[]string{`--map "ふりがな" names no column`}},
		{"required missing", "氏名,name_kana,email,birth_date", nil, "header",
			[]string{"必須項目「電話番号」(phone)", "--map '列名=phone'"},
			[]string{`Required item "Telephone number" (phone)`}},
		{"same header twice", "氏名,name_kana,email,phone,birth_date,氏名", nil, "header",
			[]string{"列1 と列6 の見出しがどちらも「氏名」", "見出しを変えて"},
			[]string{`Columns 1 and 6 are both headed "氏名"`}},
		{"did you mean column", "氏名,フリガナ,email,phone,birth_date", nil, "header",
			[]string{"列2「フリガナ」", "(name_kana) のことでしょうか"},
			[]string{"Did you mean"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rd, err := Open(strings.NewReader(c.header+"\n"), "members.csv", Options{Map: c.m})
			if err != nil {
				t.Fatal(err)
			}
			err = rd.Bind(cat)
			if err == nil {
				t.Fatal("Bind succeeded")
			}
			he := herr(t, err)
			if he.Code != hogo.EINVALID || he.Field != c.field {
				t.Errorf("code %q field %q", he.Code, he.Field)
			}
			for _, w := range c.ja {
				if !strings.Contains(he.Ja, w) {
					t.Errorf("ja lacks %q:\n%s", w, he.Ja)
				}
			}
			for _, w := range c.en {
				if !strings.Contains(he.Message, w) {
					t.Errorf("en lacks %q:\n%s", w, he.Message)
				}
			}
			if _, err := rd.Next(); err == nil || errors.Is(err, io.EOF) {
				t.Errorf("Next after a failed Bind: %v", err)
			}
		})
	}
}

func TestBindAutoAndMap(t *testing.T) {
	// Full-width, case and spaces do not matter; Map may name an item by
	// its name; the columns RejectWriter adds are skipped.
	header := "行/line,理由/reason,ＮＡＭＥ, Name (kana) ,E-Mail Address,Tel,生年月日"
	rd, err := Open(strings.NewReader(header+"\n"), "m.csv", Options{Map: map[string]string{"tel": "電話番号"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := rd.Bind(testCat()); err != nil {
		t.Fatal(err)
	}
	want := []string{Ignore, Ignore, "name", "name_kana", "email", "phone", "birth_date"}
	if got := rd.Binding(); !equalStrings(got, want) {
		t.Errorf("binding %v", got)
	}
}

func writeXLSX(t *testing.T, sheet string, rows map[int][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		f.NewSheet(sheet)
	}
	for r, cells := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	h := strings.Split(memberHeader, ",")
	header := make([]any, len(h))
	for i, s := range h {
		header[i] = s
	}
	data := writeXLSX(t, "名簿", map[int][]any{
		2: header, // row 1 empty: the header is the first row that is not
		3: {"髙橋 花子", "たかはし はなこ", "Hanako.Takahashi@EXAMPLE.JP", "090-1234-5678", "平成2年4月1日", "〒542-0000", "大阪府大阪市中央区南船場九丁目9番9号", "㈱ひので商事 営業事務", "①社内メモ"},
		5: {"鈴木 一郎", "ｽｽﾞｷ ｲﾁﾛｳ", "ichiro@example.jp", "06 6000 7051", "1985-12-31"},
		6: {"日野 花子", "ヒノ ハナコ", "hanako@example.jp", 9000000001, "2000-01-01"}, // a phone typed as a number loses its 0
	})
	for _, name := range []string{"members.xlsx", "members", "members.csv"} { // by extension, by content
		rd, err := Open(bytes.NewReader(data), name, Options{Map: memberMap, Sheet: "名簿"})
		if err != nil {
			t.Fatal(err)
		}
		if rd.Format() != FormatXLSX || rd.Encoding() != "" || rd.HeaderLine() != 2 {
			t.Errorf("format %q encoding %q header line %d", rd.Format(), rd.Encoding(), rd.HeaderLine())
		}
		if err := rd.Bind(testCat()); err != nil {
			t.Fatal(err)
		}
		var rows []*Row
		for {
			row, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row)
		}
		if len(rows) != 3 {
			t.Fatalf("rows %d", len(rows))
		}
		checkMembers(t, rows[:2], 3, 5)
		if ps := rows[2].Problems; len(ps) != 1 || ps[0].Line != 6 || ps[0].Column != 4 || ps[0].Item != "phone" {
			t.Errorf("problems %v", ps)
		}
		if rd.Offset() != int64(len(data)) {
			t.Errorf("Offset %d, want %d", rd.Offset(), len(data))
		}
		rd.Close()
	}
}

func TestXLSXSheets(t *testing.T) {
	data := writeXLSX(t, "Sheet1", map[int][]any{1: {"name", "name_kana", "email", "phone", "birth_date"}})
	if _, err := Open(bytes.NewReader(data), "m.xlsx", Options{Sheet: "名簿"}); herr(t, err).Field != "sheet" ||
		!strings.Contains(herr(t, err).Ja, "Sheet1") {
		t.Errorf("missing sheet: %v", err)
	}
	rd, err := Open(bytes.NewReader(data), "m.xlsx", Options{Sheet: "sheet1"})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if len(rd.Header()) != 5 {
		t.Errorf("header %v", rd.Header())
	}
}

func TestXLSXDateCell(t *testing.T) {
	// A date typed into Japanese Excel has the built-in short date format
	// (14), which shows as 2025/4/1.
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"name", "name_kana", "email", "phone", "birth_date"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"日野 花子", "ヒノ ハナコ", "hanako@example.jp", "090-0000-0001", 36892})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "E2", "E2", style)
	var buf bytes.Buffer
	f.WriteTo(&buf)
	_, rows := readAll(t, buf.Bytes(), "d.xlsx", Options{})
	if len(rows) != 1 || rows[0].Items["birth_date"] != "2001-01-01" {
		t.Errorf("rows %v %v", rows[0].Items, rows[0].Problems)
	}
}

func TestBrokenXLSX(t *testing.T) {
	for _, data := range []string{"PK\x03\x04garbage", "not a zip at all", oleMagic + "rest"} {
		_, err := Open(strings.NewReader(data), "broken.xlsx", Options{})
		he := herr(t, err)
		if he.Code != hogo.EINVALID || !strings.Contains(he.Ja, "broken.xlsx") {
			t.Errorf("%q: %v", data, he)
		}
	}
}

// TestDemoLedger reads a file against the demo ledger's job_seeker
// category: its standard headers bind and its rows check.
func TestDemoLedger(t *testing.T) {
	cat := jobSeeker(t)
	_, rows := readAllCat(t, cat, []byte(memberCSV), "members.csv", Options{Map: memberMap})
	checkMembers(t, rows, 2, 3)
}

// TestHeaderlessFileNotEchoed: a file without a header row has someone's
// data in its first row; the binding error says so without repeating it.
func TestHeaderlessFileNotEchoed(t *testing.T) {
	data := "相沢 瑞穂,アイザワ ミズホ,mizuho@example.jp,090-2468-1357\r\n"
	rd, err := Open(strings.NewReader(data), "nohead.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = rd.Bind(jobSeeker(t))
	if err == nil {
		t.Fatal("a headerless file was bound")
	}
	for _, lang := range []string{"ja", "en"} {
		msg := hogo.ErrorMessageIn(err, lang)
		for _, v := range []string{"相沢", "アイザワ", "mizuho", "2468"} {
			if strings.Contains(msg, v) {
				t.Errorf("%s message repeats %q: %s", lang, v, msg)
			}
		}
		if !strings.Contains(msg, map[string]string{"ja": "データ", "en": "looks like data"}[lang]) {
			t.Errorf("%s message does not say the first row is data: %s", lang, msg)
		}
	}
}
