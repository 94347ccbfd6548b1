package ledger_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"hogo.example.jp/hogo/ledger"
)

const exportFile = "testdata/export.yaml"

// loadExport parses testdata/export.yaml, which must have no problems at all.
func loadExport(t *testing.T) *ledger.Ledger {
	t.Helper()
	data, err := os.ReadFile(exportFile)
	if err != nil {
		t.Fatal(err)
	}
	l, ps := ledger.ParseAndValidate(exportFile, data)
	if len(ps) > 0 || l == nil {
		t.Fatalf("%s is not a clean ledger:\n%v", exportFile, ps)
	}
	return l
}

// rowOf returns the row of category cat, item item: rows follow ledger
// order.
func rowOf(t *testing.T, l *ledger.Ledger, rows [][]string, cat, item string) []string {
	t.Helper()
	i := 0
	for _, c := range l.Categories {
		for _, it := range c.Items {
			if c.ID == cat && it.ID == item {
				return rows[i]
			}
			i++
		}
	}
	t.Fatalf("no row for %s/%s", cat, item)
	return nil
}

func TestExportRows(t *testing.T) {
	l := loadExport(t)
	items := 0
	for _, c := range l.Categories {
		items += len(c.Items)
	}

	for _, lang := range []string{"ja", "en"} {
		header, rows := ledger.ExportRows(l, lang)
		if len(rows) != items {
			t.Errorf("%s: %d rows, want one per category × item: %d", lang, len(rows), items)
		}
		if diff := cmp.Diff(ledger.Header(lang), header); diff != "" {
			t.Errorf("%s: header differs from Header (-want +got):\n%s", lang, diff)
		}
		for i, row := range rows {
			if len(row) != len(header) {
				t.Errorf("%s: row %d has %d cells, want %d", lang, i, len(row), len(header))
			}
		}
	}

	wantJa := []string{"種別", "項目", "型", "識別子", "要配慮", "個人番号", "取得方法", "利用目的", "同意要否", "開示対象",
		"保管場所", "保管方法", "媒体", "アクセス権者", "保存期間", "委託先", "提供先", "件数"}
	if diff := cmp.Diff(wantJa, ledger.Header("ja")); diff != "" {
		t.Errorf("ja header (-want +got):\n%s", diff)
	}
	if got := ledger.Header("en")[7]; got != "Purposes" {
		t.Errorf("en header[7] = %q, want Purposes", got)
	}

	tests := []struct {
		name      string
		lang      string
		cat, item string
		column    string // header in lang
		want      string
	}{
		{"category id and name", "ja", "job_seeker", "name", "種別", "求職者 (job_seeker)"},
		{"item id and name", "ja", "job_seeker", "email", "項目", "メールアドレス (email)"},
		{"type", "ja", "employee", "mynumber", "型", "個人番号"},
		{"identifier flag", "ja", "job_seeker", "email", "識別子", "はい"},
		{"not identifier", "ja", "job_seeker", "career", "識別子", "いいえ"},
		{"sensitive flag", "ja", "job_seeker", "disability", "要配慮", "はい"},
		{"not sensitive", "ja", "job_seeker", "name", "要配慮", "いいえ"},
		{"mynumber flag", "ja", "employee", "mynumber", "個人番号", "はい"},
		{"not mynumber", "ja", "employee", "name", "個人番号", "いいえ"},
		{"sources joined", "ja", "job_seeker", "name", "取得方法", "Webフォーム、面談"},
		{"category purposes", "ja", "job_seeker", "name", "利用目的",
			"求人のご紹介およびご連絡のため\n面談日程のご連絡のため\n就業上の配慮のため"},
		{"purposes narrowed by item", "ja", "job_seeker", "career", "利用目的", "求人のご紹介およびご連絡のため"},
		{"mynumber narrowed to tax", "ja", "employee", "mynumber", "利用目的", "源泉徴収票の作成のため"},
		{"consent via category purpose", "ja", "job_seeker", "name", "同意要否", "要"},
		{"no consent once narrowed", "ja", "job_seeker", "career", "同意要否", "不要"},
		{"consent of narrowed purpose", "ja", "job_seeker", "disability", "同意要否", "要"},
		{"disclosable", "ja", "employee", "name", "開示対象", "対象"},
		{"not disclosable with reason", "ja", "entrusted", "name", "開示対象", "対象外（委託元から預かった個人情報のため）"},
		{"storage place", "ja", "employee", "name", "保管場所", "人事部の施錠キャビネット"},
		{"storage method", "ja", "employee", "name", "保管方法", "施錠保管"},
		{"medium", "ja", "employee", "name", "媒体", "電子・紙"},
		{"access: all rules", "ja", "job_seeker", "name", "アクセス権者", "staff: job_matching, contact\ndesk: contact"},
		{"access: item-limited rule left out", "ja", "job_seeker", "career", "アクセス権者", "staff: job_matching"},
		{"access: rule listing the item", "ja", "job_seeker", "disability", "アクセス権者", "manager: health_care"},
		{"access: narrowed to mynumber purposes", "ja", "employee", "mynumber", "アクセス権者", "manager: tax_withholding"},
		{"retention after event", "ja", "job_seeker", "name", "保存期間", "応募終了から6か月"},
		{"retention with legal basis", "ja", "employee", "name", "保存期間", "退職から5年（根拠：労働基準法第109条）"},
		{"retention after acquisition", "ja", "entrusted", "name", "保存期間", "取得から1年"},
		{"processors with foreign", "ja", "employee", "mynumber", "委託先", "給与計算代行会社、米国クラウド事業者（外国：米国）"},
		{"foreign recipient", "ja", "job_seeker", "career", "提供先", "求人企業、シンガポール親会社（外国：シンガポール）"},
		{"no recipients", "ja", "employee", "name", "提供先", ""},
		{"record count", "ja", "job_seeker", "email", "件数", "1200"},
		{"unset record count is blank", "ja", "entrusted", "name", "件数", ""},

		{"en category", "en", "job_seeker", "name", "Category", "Job seekers (job_seeker)"},
		{"en flag", "en", "employee", "mynumber", "Individual number", "yes"},
		{"en consent", "en", "job_seeker", "career", "Consent", "not required"},
		{"en not disclosable", "en", "entrusted", "name", "Disclosable", "no (held on behalf of clients)"},
		{"en retention", "en", "employee", "name", "Retention",
			"5 years after the end of employment (legal basis: Labour Standards Act Art. 109)"},
		{"en built-in event", "en", "entrusted", "name", "Retention", "1 year after acquisition"},
		{"en foreign recipient", "en", "job_seeker", "name", "Recipients",
			"Hiring companies; Singapore parent company (foreign: Singapore)"},
		{"en purposes", "en", "job_seeker", "career", "Purposes", "To introduce job offers and contact you"},
		{"en type", "en", "employee", "mynumber", "Type", "individual number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header, rows := ledger.ExportRows(l, tt.lang)
			col := slices.Index(header, tt.column)
			if col < 0 {
				t.Fatalf("no column %q in %q", tt.column, header)
			}
			got := rowOf(t, l, rows, tt.cat, tt.item)[col]
			if got != tt.want {
				t.Errorf("%s/%s %s = %q, want %q", tt.cat, tt.item, tt.column, got, tt.want)
			}
		})
	}
}

func TestExportRowsNil(t *testing.T) {
	header, rows := ledger.ExportRows(nil, "ja")
	if len(header) == 0 || rows != nil {
		t.Errorf("ExportRows(nil) = %d headers, %d rows; want the header and no rows", len(header), len(rows))
	}
}

// readCSV reads CSV text back into its records.
func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("read back CSV: %v", err)
	}
	return recs
}

func TestWriteCSV(t *testing.T) {
	l := loadExport(t)
	tests := []struct {
		lang   string
		enc    ledger.Encoding
		decode func(t *testing.T, b []byte) string
	}{
		{"ja", ledger.EncodingUTF8, func(t *testing.T, b []byte) string {
			if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
				t.Errorf("UTF-8 CSV does not start with a BOM: % x", b[:min(len(b), 8)])
			}
			return string(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))
		}},
		{"en", ledger.EncodingUTF8, func(t *testing.T, b []byte) string {
			return string(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))
		}},
		{"ja", ledger.EncodingSJIS, func(t *testing.T, b []byte) string {
			if bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
				t.Error("Shift_JIS CSV starts with a UTF-8 BOM")
			}
			s, err := japanese.ShiftJIS.NewDecoder().Bytes(b)
			if err != nil {
				t.Fatalf("decode Shift_JIS: %v", err)
			}
			return string(s)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.enc.String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := ledger.WriteCSV(&buf, l, tt.lang, tt.enc); err != nil {
				t.Fatal(err)
			}
			text := tt.decode(t, buf.Bytes())
			if !strings.Contains(text, "\r\n") {
				t.Error("CSV lines do not end in CRLF")
			}
			header, rows := ledger.ExportRows(l, tt.lang)
			want := append([][]string{header}, rows...)
			if diff := cmp.Diff(want, readCSV(t, text)); diff != "" {
				t.Errorf("CSV read back differs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteCSVSJISErrors(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(l *ledger.Ledger)
		wantRow  int
		wantCol  string
		wantCat  string
		wantItem string
		wantRune rune
	}{
		{"surrogate-pair kanji in an item name", func(l *ledger.Ledger) {
			l.Categories[0].Items[2].Name.Ja = "𠮷田式職歴"
		}, 4, "項目", "job_seeker", "career", '𠮷'},
		{"emoji in a category's storage place", func(l *ledger.Ledger) {
			l.Categories[1].Storage.Place.Ja = "人事部😀"
		}, 6, "保管場所", "employee", "name", '😀'},
		{"accented letter in a recipient name", func(l *ledger.Ledger) {
			l.Recipient("parent_sg").Name.Ja = "Café Pte. Ltd."
		}, 2, "提供先", "job_seeker", "name", 'é'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := loadExport(t)
			tt.edit(l)
			var buf bytes.Buffer
			err := ledger.WriteCSV(&buf, l, "ja", ledger.EncodingSJIS)
			var ee *ledger.EncodingError
			if !errors.As(err, &ee) {
				t.Fatalf("WriteCSV = %v, want an *EncodingError", err)
			}
			got := ledger.EncodingError{Encoding: ee.Encoding, Row: ee.Row, Column: ee.Column, Category: ee.Category, Item: ee.Item, Rune: ee.Rune}
			want := ledger.EncodingError{Encoding: ledger.EncodingSJIS, Row: tt.wantRow, Column: tt.wantCol, Category: tt.wantCat, Item: tt.wantItem, Rune: tt.wantRune}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error fields (-want +got):\n%s", diff)
			}
			for _, s := range []string{"row", tt.wantCol, "Shift_JIS", "UTF-8"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if buf.Len() != 0 {
				t.Errorf("WriteCSV wrote %d bytes before failing; want nothing", buf.Len())
			}
			// The same ledger exports as UTF-8.
			if err := ledger.WriteCSV(&buf, l, "ja", ledger.EncodingUTF8); err != nil {
				t.Errorf("UTF-8 export: %v", err)
			}
		})
	}
}

// TestWriteCSVSJISVariants: characters that Unicode spells two ways for one
// JIS code (〜 WAVE DASH and ～ FULLWIDTH TILDE) both export.
func TestWriteCSVSJISVariants(t *testing.T) {
	l := loadExport(t)
	l.Categories[0].Storage.Method.Ja = "9:00〜17:00のみ閲覧−持出禁止"
	var buf bytes.Buffer
	if err := ledger.WriteCSV(&buf, l, "ja", ledger.EncodingSJIS); err != nil {
		t.Fatal(err)
	}
	s, err := japanese.ShiftJIS.NewDecoder().Bytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, string(s))
	if got, want := recs[1][11], "9:00～17:00のみ閲覧－持出禁止"; got != want {
		t.Errorf("保管方法 = %q, want %q", got, want)
	}
}

func TestWriteCSVUnknownEncoding(t *testing.T) {
	if err := ledger.WriteCSV(&bytes.Buffer{}, loadExport(t), "ja", ledger.Encoding(9)); err == nil {
		t.Error("WriteCSV with an unknown encoding succeeded")
	}
}

func TestWriteXLSX(t *testing.T) {
	l := loadExport(t)
	now := time.Date(2026, 4, 1, 15, 30, 0, 0, time.UTC) // 2026-04-02 00:30 in Tokyo
	tests := []struct {
		lang          string
		sheet, info   string
		wantInfo      [][]string
		wantCountCell string // a cell holding 件数, written as a number
	}{
		{"ja", "台帳", "出力情報", [][]string{
			{"事業者", "株式会社ほご人材"},
			{"台帳の改訂", "2026-04"},
			{"施行日", "2026-04-01"},
			{"出力日時", "2026-04-02 00:30:00 JST"},
			{"行数", "7"},
		}, "R2"},
		{"en", "Ledger", "Export", [][]string{
			{"Organization", "Hogo Staffing K.K."},
			{"Ledger revision", "2026-04"},
			{"Effective date", "2026-04-01"},
			{"Exported at", "2026-04-02 00:30:00 JST"},
			{"Rows", "7"},
		}, "R2"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := ledger.WriteXLSX(&buf, l, tt.lang, now); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatalf("read back XLSX: %v", err)
			}
			defer f.Close()

			if diff := cmp.Diff([]string{tt.sheet, tt.info}, f.GetSheetList()); diff != "" {
				t.Errorf("sheets (-want +got):\n%s", diff)
			}
			got, err := f.GetRows(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			header, rows := ledger.ExportRows(l, tt.lang)
			want := append([][]string{header}, rows...)
			// GetRows drops trailing empty cells; pad to compare.
			for i := range got {
				for len(got[i]) < len(header) {
					got[i] = append(got[i], "")
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("sheet %s (-want +got):\n%s", tt.sheet, diff)
			}

			panes, err := f.GetPanes(tt.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
				t.Errorf("panes = %+v, want the header row frozen (YSplit 1, TopLeftCell A2)", panes)
			}

			styleID, err := f.GetCellStyle(tt.sheet, "C1")
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(styleID)
			if err != nil {
				t.Fatal(err)
			}
			if st.Font == nil || !st.Font.Bold {
				t.Errorf("header cell C1 is not bold: %+v", st.Font)
			}
			styleID, _ = f.GetCellStyle(tt.sheet, "H2")
			if st, _ := f.GetStyle(styleID); st == nil || st.Alignment == nil || !st.Alignment.WrapText {
				t.Errorf("body cell H2 does not wrap text")
			}

			filtered := false
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm._FilterDatabase" && dn.Scope == tt.sheet {
					filtered = strings.HasSuffix(dn.RefersTo, "!$A$1:$R$8")
				}
			}
			if !filtered {
				t.Errorf("no autofilter over A1:R8 on %s: %+v", tt.sheet, f.GetDefinedName())
			}

			wA, _ := f.GetColWidth(tt.sheet, "A")
			wH, _ := f.GetColWidth(tt.sheet, "H") // 利用目的, long sentences
			wC, _ := f.GetColWidth(tt.sheet, "C")
			if wH <= wC || wA < 8 || wH > 60 {
				t.Errorf("column widths A=%v C=%v H=%v: want sized to contents within bounds", wA, wC, wH)
			}

			typ, err := f.GetCellType(tt.sheet, tt.wantCountCell)
			if err != nil {
				t.Fatal(err)
			}
			if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("record count %s is stored as text; want a number", tt.wantCountCell)
			}

			info, err := f.GetRows(tt.info)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantInfo, info); diff != "" {
				t.Errorf("sheet %s (-want +got):\n%s", tt.info, diff)
			}
		})
	}
}

func TestWriteJSON(t *testing.T) {
	l := loadExport(t)
	type col struct {
		Key   string `json:"key"`
		Label string `json:"label"`
	}
	type doc struct {
		Organization  string              `json:"organization"`
		Revision      string              `json:"revision"`
		EffectiveDate string              `json:"effective_date"`
		Columns       []col               `json:"columns"`
		Rows          []map[string]string `json:"rows"`
	}
	tests := []struct {
		lang    string
		wantOrg string
	}{
		{"ja", "株式会社ほご人材"},
		{"en", "Hogo Staffing K.K."},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := ledger.WriteJSON(&buf, l, tt.lang); err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			_ = ledger.WriteJSON(&again, l, tt.lang)
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Error("two exports of one ledger differ")
			}

			dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
			dec.DisallowUnknownFields()
			var got doc
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("decode: %v\n%s", err, buf.Bytes())
			}

			header, rows := ledger.ExportRows(l, tt.lang)
			if len(got.Columns) != len(header) {
				t.Fatalf("%d columns, want %d", len(got.Columns), len(header))
			}
			want := doc{Organization: tt.wantOrg, Revision: "2026-04", EffectiveDate: "2026-04-01"}
			var keys []string
			for i, h := range header {
				key := got.Columns[i].Key
				keys = append(keys, key)
				want.Columns = append(want.Columns, col{Key: key, Label: h})
			}
			for _, r := range rows {
				m := map[string]string{}
				for i, k := range keys {
					m[k] = r[i]
				}
				want.Rows = append(want.Rows, m)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("JSON (-want +got):\n%s", diff)
			}

			// Keys are the same in every language.
			wantKeys := []string{"category", "item", "type", "identifier", "sensitive", "mynumber", "sources", "purposes",
				"consent", "disclosable", "storage_place", "storage_method", "medium", "access", "retention",
				"processors", "recipients", "record_count"}
			if diff := cmp.Diff(wantKeys, keys); diff != "" {
				t.Errorf("column keys (-want +got):\n%s", diff)
			}
			// Row keys come in column order.
			s := buf.String()
			if i, j := strings.Index(s, `"category": "`), strings.Index(s, `"record_count": "`); i < 0 || j < i {
				t.Errorf("row keys are not in column order:\n%s", s)
			}
		})
	}
}
