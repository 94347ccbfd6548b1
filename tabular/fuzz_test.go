package tabular

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// FuzzReader feeds arbitrary bytes to the reader, as a CSV file and as a
// file named .xlsx, bound to the demo ledger's job_seeker category with an
// empty Map. It must never panic, every error must be a *hogo.Error, and
// every problem must point at a line.
func FuzzReader(f *testing.F) {
	cat := jobSeeker(f)
	header := "name,name_kana,email,phone,birth_date,postal_code,address,career\n"
	f.Add([]byte(header + strings.Join(personRow(1), ",") + "\n"))
	f.Add([]byte(bom + "氏名,氏名（フリガナ）,メールアドレス,電話番号,生年月日\r\n日野 花子,ヒノ ハナコ,a@example.jp,090-0000-0001,令和元年5月1日\r\n"))
	f.Add(sjis(f, "氏名,氏名（フリガナ）,メールアドレス,電話番号,生年月日,職歴\r\n髙橋 花子,タカハシ,a@@example.jp,0,2000-02-30,㈱①\r\n"))
	f.Add([]byte(header + "\"日野\n花子\",ヒノ,a@example.jp,090-0000-0001,2000-01-01,,,,extra\n,,\n\"open"))
	f.Add([]byte(header + "a\"b,c\n"))
	f.Add([]byte("\xEF\xBB\xBF\n\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte(oleMagic))
	f.Add([]byte("name\n\x81"))
	// A real workbook, so that mutations reach the xlsx reader's insides.
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"name", "name_kana", "email", "phone", "birth_date"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"日野 花子", "ヒノ ハナコ", "a@example.jp", "090-0000-0001", 36892})
	x.SetSheetRow("Sheet1", "A4", &[]any{"", "ヒノ", "bad", 12, "x", "extra"})
	var buf bytes.Buffer
	x.WriteTo(&buf)
	x.Close()
	f.Add(buf.Bytes())

	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"fuzz.csv", "fuzz.xlsx"} {
			fuzzOne(t, cat, data, name)
		}
	})
}

func fuzzOne(t *testing.T, cat *ledger.Category, data []byte, name string) {
	rd, err := Open(bytes.NewReader(data), name, Options{})
	if err != nil {
		checkErr(t, err)
		return
	}
	defer rd.Close()
	if err := rd.Bind(cat); err != nil {
		checkErr(t, err)
		return
	}
	for n := 0; n < 100000; n++ {
		row, err := rd.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			checkErr(t, err)
			return
		}
		if row.Line < 1 || row.Line <= rd.HeaderLine() {
			t.Fatalf("%s: row line %d after header line %d", name, row.Line, rd.HeaderLine())
		}
		for _, p := range row.Problems {
			if p.Line < 1 || p.Line != row.Line || p.Column < 0 || p.Ja == "" || p.En == "" {
				t.Fatalf("%s: bad problem %+v", name, p)
			}
		}
		for id, v := range row.Items {
			if !slices.ContainsFunc(cat.Items, func(it *ledger.Item) bool { return it.ID == id }) || v == "" {
				t.Fatalf("%s: item %q not of the category, or empty", name, id)
			}
		}
	}
}

func checkErr(t *testing.T, err error) {
	var he *hogo.Error
	if !errors.As(err, &he) || he.Message == "" {
		t.Fatalf("error %v (%T) is not a *hogo.Error with a message", err, err)
	}
}
