package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
)

var (
	demoOnce sync.Once
	demoCat  *ledger.Category
	demoErr  error
)

// jobSeeker returns the demo ledger's job_seeker category.
func jobSeeker(tb testing.TB) *ledger.Category {
	tb.Helper()
	demoOnce.Do(func() {
		data, err := examples.Ledgers.ReadFile(examples.Demo)
		if err != nil {
			demoErr = err
			return
		}
		l, ps := ledger.ParseAndValidate(examples.Demo, data)
		if l == nil {
			demoErr = ps.Errors()
			return
		}
		demoCat = l.Category("job_seeker")
		if demoCat == nil {
			demoErr = errors.New("no job_seeker category")
		}
	})
	if demoErr != nil {
		tb.Fatal(demoErr)
	}
	return demoCat
}

// testCat is a category like the demo's job_seeker, defined here so that
// the tests do not change with the demo ledger.
func testCat() *ledger.Category {
	item := func(id, ja, en string, typ ledger.ItemType, required bool) *ledger.Item {
		return &ledger.Item{ID: id, Name: ledger.Text{Ja: ja, En: en}, Type: typ, Required: required}
	}
	return &ledger.Category{ID: "job_seeker", Name: ledger.Text{Ja: "求職者", En: "Job seekers"}, Items: []*ledger.Item{
		item("name", "氏名", "Name", ledger.TypeText, true),
		item("name_kana", "氏名（フリガナ）", "Name (kana)", ledger.TypeKana, true),
		item("email", "メールアドレス", "E-mail address", ledger.TypeEmail, true),
		item("phone", "電話番号", "Telephone number", ledger.TypePhone, true),
		item("birth_date", "生年月日", "Date of birth", ledger.TypeDate, true),
		item("postal_code", "郵便番号", "Postal code", ledger.TypePostalCode, false),
		item("address", "住所", "Address", ledger.TypeAddress, false),
		item("career", "職歴", "Work history", ledger.TypeText, false),
		item("qualifications", "保有資格", "Qualifications", ledger.TypeText, false),
		item("emergency_contact", "緊急連絡先", "Emergency contact", ledger.TypePhone, false),
	}}
}

// sjis encodes s as Shift_JIS (CP932).
func sjis(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatalf("encode Shift_JIS: %v", err)
	}
	return b
}

// readAll opens data, binds it to testCat and reads every row.
func readAll(tb testing.TB, data []byte, name string, opt Options) (*Reader, []*Row) {
	tb.Helper()
	return readAllCat(tb, testCat(), data, name, opt)
}

// readAllCat opens data, binds it to cat and reads every row.
func readAllCat(tb testing.TB, cat *ledger.Category, data []byte, name string, opt Options) (*Reader, []*Row) {
	tb.Helper()
	rd, err := Open(bytes.NewReader(data), name, opt)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { rd.Close() })
	if err := rd.Bind(cat); err != nil {
		tb.Fatalf("Bind: %v", err)
	}
	var rows []*Row
	for {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("Next: %v", err)
		}
		rows = append(rows, row)
	}
	return rd, rows
}

// herr returns err as a *hogo.Error, failing the test when it is not one.
func herr(tb testing.TB, err error) *hogo.Error {
	tb.Helper()
	var he *hogo.Error
	if !errors.As(err, &he) {
		tb.Fatalf("error %v (%T) is not a *hogo.Error", err, err)
	}
	return he
}

// Fictional people for generated files.
var (
	surnames = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村"}
	surKana  = []string{"サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ"}
	givens   = []string{"花子", "太郎", "一郎", "陽菜", "蓮", "結衣", "大翔", "美咲"}
	givKana  = []string{"ハナコ", "タロウ", "イチロウ", "ヒナ", "レン", "ユイ", "ヒロト", "ミサキ"}
)

// benchHeader is the header of generated files: eight job_seeker items.
var benchHeader = []string{"氏名", "氏名（フリガナ）", "メールアドレス", "電話番号", "生年月日", "郵便番号", "住所", "職歴"}

// careers are typical work-history entries.
var careers = []string{"株式会社ひので商事にて営業事務（3年）", "", "製造ライン作業（2年）、検品（1年）", "コールセンター業務",
	"経理補助（5年）\n日商簿記2級", "", "倉庫内ピッキング", "一般事務・データ入力（4年）"}

// personRow returns the cells of a fictional job seeker: names repeat as
// common names do, e-mail addresses and phone numbers are unique, birth
// dates spread over 40 years.
func personRow(i int) []string {
	s, g := i%len(surnames), (i/len(surnames)+i/7)%len(givens)
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*7919)%14600)
	return []string{
		surnames[s] + "　" + givens[g],
		surKana[s] + " " + givKana[g],
		fmt.Sprintf("seeker%d@example.jp", i),
		fmt.Sprintf("090-%04d-%04d", i/10000%10000, i%10000),
		fmt.Sprintf("%d/%d/%d", birth.Year(), birth.Month(), birth.Day()),
		fmt.Sprintf("542-%04d", (i*37)%1000),
		fmt.Sprintf("大阪府大阪市中央区南船場九丁目%d番%d号 ひのでハイツ%d号室", 1+i%20, 1+i/20%30, 101+i%1000),
		careers[i%len(careers)],
	}
}

// personCSV returns a CSV file (CRLF, quoted where needed) of benchHeader
// and n fictional job seekers.
func personCSV(n int) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(benchHeader)
	for i := 0; i < n; i++ {
		w.Write(personRow(i))
	}
	w.Flush()
	return b.String()
}
