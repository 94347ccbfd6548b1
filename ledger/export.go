package ledger

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/width"
)

// This file exports the ledger as the table a Privacy Mark auditor expects
// (JIS Q 15001 A.3.3.1, 個人情報管理台帳): one row per
// category × item, with the item's purposes, acquisition methods, storage,
// access, retention, processors, recipients and record count.

// column is one column of the export: a stable key for JSON and the headers
// in Japanese and English.
type column struct {
	key, ja, en string
}

// columns are the export's columns, in order.
var columns = []column{
	{"category", "種別", "Category"},
	{"item", "項目", "Item"},
	{"type", "型", "Type"},
	{"identifier", "識別子", "Identifier"},
	{"sensitive", "要配慮", "Special care"},
	{"mynumber", "個人番号", "Individual number"},
	{"sources", "取得方法", "Acquisition methods"},
	{"purposes", "利用目的", "Purposes"},
	{"consent", "同意要否", "Consent"},
	{"disclosable", "開示対象", "Disclosable"},
	{"storage_place", "保管場所", "Storage place"},
	{"storage_method", "保管方法", "Storage method"},
	{"medium", "媒体", "Medium"},
	{"access", "アクセス権者", "Access"},
	{"retention", "保存期間", "Retention"},
	{"processors", "委託先", "Processors"},
	{"recipients", "提供先", "Recipients"},
	{"record_count", "件数", "Records"},
}

// colRecordCount is the index of the 件数 column, written as a number in
// XLSX so that auditors can sum it.
var colRecordCount = slices.IndexFunc(columns, func(c column) bool { return c.key == "record_count" })

// words are the fixed words of the export, by language.
type words struct {
	yes, no               string
	consentYes, consentNo string
	disclosable, notDiscl string
	listSep               string // between names
	open, close           string // around a note: reason, basis, country
	basis, foreign        string
	retention             func(period, event string) string
	medium                map[string]string
	types                 map[ItemType]string
	sheet, infoSheet      string
	infoLabels            [5]string // organisation, revision, effective date, export time, rows
}

var wordsJa = words{
	yes: "はい", no: "いいえ",
	consentYes: "要", consentNo: "不要",
	disclosable: "対象", notDiscl: "対象外",
	listSep: "、",
	open:    "（", close: "）",
	basis: "根拠：", foreign: "外国：",
	retention: func(period, event string) string { return event + "から" + period },
	medium:    map[string]string{"electronic": "電子", "paper": "紙", "both": "電子・紙"},
	types: map[ItemType]string{
		TypeText: "文字列", TypeKana: "カナ", TypeDate: "日付", TypePhone: "電話番号", TypePostalCode: "郵便番号",
		TypeAddress: "住所", TypeEmail: "メールアドレス", TypeMyNumber: "個人番号", TypeNumber: "数値",
		TypeCode: "個人識別符号", TypeURL: "URL", TypeFile: "ファイル", TypeBool: "真偽値",
	},
	sheet: "台帳", infoSheet: "出力情報",
	infoLabels: [5]string{"事業者", "台帳の改訂", "施行日", "出力日時", "行数"},
}

var wordsEn = words{
	yes: "yes", no: "no",
	consentYes: "required", consentNo: "not required",
	disclosable: "yes", notDiscl: "no",
	listSep: "; ",
	open:    " (", close: ")",
	basis: "legal basis: ", foreign: "foreign: ",
	retention: func(period, event string) string { return period + " after " + event },
	medium:    map[string]string{"electronic": "electronic", "paper": "paper", "both": "electronic and paper"},
	types: map[ItemType]string{
		TypeText: "text", TypeKana: "kana", TypeDate: "date", TypePhone: "phone", TypePostalCode: "postal code",
		TypeAddress: "address", TypeEmail: "email", TypeMyNumber: "individual number", TypeNumber: "number",
		TypeCode: "identification code", TypeURL: "URL", TypeFile: "file", TypeBool: "yes/no",
	},
	sheet: "Ledger", infoSheet: "Export",
	infoLabels: [5]string{"Organization", "Ledger revision", "Effective date", "Exported at", "Rows"},
}

// wordsFor returns the words for lang; like Text.In, anything but "en" is
// Japanese.
func wordsFor(lang string) *words {
	if lang == "en" {
		return &wordsEn
	}
	return &wordsJa
}

// Header returns the export's column headers in lang ("ja" or "en"; any
// other value gives Japanese, as Text.In does).
func Header(lang string) []string {
	h := make([]string, len(columns))
	for i, c := range columns {
		if lang == "en" {
			h[i] = c.en
		} else {
			h[i] = c.ja
		}
	}
	return h
}

// ExportRows returns the header and one row per category × item, in ledger
// order: the ledger as JIS Q 15001 A.3.3.1 (個人情報管理台帳) lays it out.
//
// Category-level facts (sources, storage, retention, processors,
// recipients, record count) repeat on each item's row. Item-level facts are
// narrowed to the item: its purposes are Item.Purposes when set, else the
// category's; the consent column says whether any of those purposes needs
// consent; and the access column lists only the rules that cover the item
// (no items listed, or the item among them), each with only the purposes
// the item may serve, dropping a rule left with none.
//
// Lists of names are joined with 、 (ja) or "; " (en); purposes and access
// rules, which are longer, one per line. Flags read はい/いいえ (yes/no). An
// unset record count (0) is left blank rather than claiming zero records.
func ExportRows(l *Ledger, lang string) (header []string, rows [][]string) {
	header = Header(lang)
	if l == nil {
		return header, nil
	}
	w := wordsFor(lang)
	for _, c := range l.Categories {
		if c == nil {
			continue
		}
		catCells := categoryCells(l, c, lang, w)
		for _, it := range c.Items {
			if it == nil {
				continue
			}
			rows = append(rows, itemRow(l, c, it, lang, w, catCells))
		}
	}
	return header, rows
}

// catCells are the cells a category contributes to each of its rows.
type catCells struct {
	category, sources, disclosable, place, method, medium, retention, processors, recipients, count string
}

func categoryCells(l *Ledger, c *Category, lang string, w *words) catCells {
	cc := catCells{
		category: nameWithID(c.Name.In(lang), c.ID),
		place:    c.Storage.Place.In(lang),
		method:   c.Storage.Method.In(lang),
		medium:   c.Storage.Medium,
	}
	if m, ok := w.medium[c.Storage.Medium]; ok {
		cc.medium = m
	}

	var names []string
	for _, r := range c.Sources {
		if s := l.Source(r.ID); s != nil {
			names = append(names, orID(s.Name.In(lang), r.ID))
		} else {
			names = append(names, r.ID)
		}
	}
	cc.sources = strings.Join(names, w.listSep)

	if c.Disclosable != nil {
		if *c.Disclosable {
			cc.disclosable = w.disclosable
		} else {
			cc.disclosable = w.notDiscl + note(w, c.NonDisclosableReason.In(lang))
		}
	}

	if r := c.Retention; r != nil && !r.Period.IsZero() {
		cc.retention = w.retention(r.Period.Describe(lang), l.EventName(r.After.ID, lang))
		if b := r.LegalBasis.In(lang); b != "" {
			cc.retention += note(w, w.basis+b)
		}
		if d := r.Description.In(lang); d != "" {
			cc.retention += "\n" + d
		}
	}

	names = names[:0]
	for _, r := range c.Processors {
		if p := l.Processor(r.ID); p != nil {
			names = append(names, orID(p.Name.In(lang), r.ID)+foreignNote(w, p.Foreign, lang))
		} else {
			names = append(names, r.ID)
		}
	}
	cc.processors = strings.Join(names, w.listSep)

	names = names[:0]
	for _, r := range c.Recipients {
		if rec := l.Recipient(r.ID); rec != nil {
			names = append(names, orID(rec.Name.In(lang), r.ID)+foreignNote(w, rec.Foreign, lang))
		} else {
			names = append(names, r.ID)
		}
	}
	cc.recipients = strings.Join(names, w.listSep)

	if c.RecordCount != 0 {
		cc.count = strconv.Itoa(c.RecordCount)
	}
	return cc
}

func itemRow(l *Ledger, c *Category, it *Item, lang string, w *words, cc catCells) []string {
	purposeRefs := it.Purposes
	if len(purposeRefs) == 0 {
		purposeRefs = c.Purposes
	}
	itemPurposes := IDs(purposeRefs)
	var descs []string
	consent := false
	for _, id := range itemPurposes {
		p := l.Purpose(id)
		if p == nil {
			descs = append(descs, id)
			continue
		}
		descs = append(descs, orID(firstNonEmpty(p.Description.In(lang), p.Name.In(lang)), id))
		consent = consent || p.ConsentRequired
	}

	var access []string
	for _, a := range c.Access {
		if a == nil || (len(a.Items) > 0 && !slices.Contains(IDs(a.Items), it.ID)) {
			continue
		}
		// A role may use the item only for purposes the item serves.
		var ps []string
		for _, p := range a.Purposes {
			if slices.Contains(itemPurposes, p.ID) {
				ps = append(ps, p.ID)
			}
		}
		if len(ps) > 0 {
			access = append(access, a.Role+": "+strings.Join(ps, ", "))
		}
	}

	typ := string(it.Type)
	if t, ok := w.types[it.Type]; ok {
		typ = t
	}
	row := []string{
		cc.category,
		nameWithID(it.Name.In(lang), it.ID),
		typ,
		flag(w, it.Identifier),
		flag(w, it.Sensitive),
		flag(w, it.MyNumber()),
		cc.sources,
		strings.Join(descs, "\n"),
		pick(consent, w.consentYes, w.consentNo),
		cc.disclosable,
		cc.place,
		cc.method,
		cc.medium,
		strings.Join(access, "\n"),
		cc.retention,
		cc.processors,
		cc.recipients,
		cc.count,
	}
	return row
}

func nameWithID(name, id string) string {
	if name == "" {
		return id
	}
	return name + " (" + id + ")"
}

func orID(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func note(w *words, s string) string {
	if s == "" {
		return ""
	}
	return w.open + s + w.close
}

func foreignNote(w *words, f *Foreign, lang string) string {
	if f == nil {
		return ""
	}
	return note(w, w.foreign+f.Country.In(lang))
}

func flag(w *words, b bool) string { return pick(b, w.yes, w.no) }

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// Encoding is the character encoding of a CSV export.
type Encoding int

// The CSV encodings: UTF-8 with a byte-order mark (so that Excel detects
// it), or Shift_JIS (Windows-31J, as older Excel and many Japanese systems
// expect).
const (
	EncodingUTF8 Encoding = iota
	EncodingSJIS
)

// String names the encoding.
func (e Encoding) String() string {
	switch e {
	case EncodingUTF8:
		return "UTF-8"
	case EncodingSJIS:
		return "Shift_JIS"
	}
	return "Encoding(" + strconv.Itoa(int(e)) + ")"
}

// EncodingError reports a character of the ledger that the chosen CSV
// encoding cannot hold. Row is the CSV line (the header is row 1), as a
// spreadsheet shows it.
type EncodingError struct {
	Encoding Encoding
	Row      int
	Column   string // the column's header
	Category string // category ID of the row
	Item     string // item ID of the row
	Rune     rune
}

// Error says where the character is and what to do about it.
func (e *EncodingError) Error() string {
	return fmt.Sprintf("ledger export: row %d (category %q, item %q), column %s: the character %q (U+%04X) cannot be written in %s; replace it in the ledger with a character Shift_JIS has, or export as UTF-8",
		e.Row, e.Category, e.Item, e.Column, e.Rune, e.Rune, e.Encoding)
}

// sjisVariants maps characters that JIS X 0208 and Windows-31J assign to
// the same code but Unicode converters spell differently (the well-known
// WAVE DASH problem) to the spelling the Windows-31J encoder accepts, so
// that e.g. 9:00〜17:00 typed on a Mac still exports: the bytes are the same
// character to every Shift_JIS reader. The one exception is ¥, which
// Windows-31J shows as a backslash at 0x5C; the full-width ￥ keeps its
// meaning.
var sjisVariants = strings.NewReplacer(
	"\u301C", "\uFF5E", // 〜 WAVE DASH → ～
	"\u2212", "\uFF0D", // − MINUS SIGN → －
	"\u2014", "\u2015", // — EM DASH → ―
	"\u2016", "\u2225", // ‖ DOUBLE VERTICAL LINE → ∥
	"\u00A2", "\uFFE0", // ¢
	"\u00A3", "\uFFE1", // £
	"\u00AC", "\uFFE2", // ¬
	"\u00A5", "\uFFE5", // ¥ (0x5C shows as a backslash in Windows-31J)
)

// WriteCSV writes the export (header and rows of ExportRows) as CSV with
// CRLF line ends: UTF-8 with a byte-order mark, or Shift_JIS when enc is
// EncodingSJIS. A character Shift_JIS cannot hold (e.g. 𠮷 or an emoji) is an
// *EncodingError naming the row and column, never a silent '?'; nothing is
// written then.
func WriteCSV(w io.Writer, l *Ledger, lang string, enc Encoding) error {
	header, rows := ExportRows(l, lang)
	var buf bytes.Buffer
	switch enc {
	case EncodingUTF8:
		buf.WriteString("\uFEFF")
	case EncodingSJIS:
		var err error
		if header, rows, err = toSJIS(l, header, rows); err != nil {
			return err
		}
	default:
		return fmt.Errorf("ledger export: unknown CSV encoding %v; use EncodingUTF8 or EncodingSJIS", enc)
	}
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write(header)
	_ = cw.WriteAll(rows) // writes to a bytes.Buffer cannot fail
	if err := cw.Error(); err != nil {
		return fmt.Errorf("ledger export: write CSV: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("ledger export: write CSV: %w", err)
	}
	return nil
}

// toSJIS encodes every cell to Shift_JIS bytes (held in strings, which the
// CSV writer copies through unchanged: Shift_JIS never uses bytes below 0x40
// in a trail byte for ',', '"', CR or LF).
func toSJIS(l *Ledger, header []string, rows [][]string) ([]string, [][]string, error) {
	out := make([][]string, 0, len(rows))
	// ExportRows makes rows in ledger order; walk the ledger alongside to
	// name the category and item of a failing row.
	type ref struct{ cat, item string }
	var refs []ref
	for _, c := range l.Categories {
		if c == nil {
			continue
		}
		for _, it := range c.Items {
			if it != nil {
				refs = append(refs, ref{c.ID, it.ID})
			}
		}
	}
	enc := japanese.ShiftJIS.NewEncoder()
	encode := func(s string) (string, rune) {
		s = sjisVariants.Replace(s)
		b, err := enc.String(s)
		if err == nil {
			return b, 0
		}
		for _, r := range s {
			if _, err := enc.String(string(r)); err != nil {
				return "", r
			}
		}
		return "", utf8.RuneError
	}
	h := make([]string, len(header))
	for j, cell := range header {
		b, r := encode(cell)
		if r != 0 {
			return nil, nil, &EncodingError{Encoding: EncodingSJIS, Row: 1, Column: header[j], Rune: r}
		}
		h[j] = b
	}
	for i, row := range rows {
		cells := make([]string, len(row))
		for j, cell := range row {
			b, r := encode(cell)
			if r != 0 {
				e := &EncodingError{Encoding: EncodingSJIS, Row: i + 2, Column: header[j], Rune: r}
				if i < len(refs) {
					e.Category, e.Item = refs[i].cat, refs[i].item
				}
				return nil, nil, e
			}
			cells[j] = b
		}
		out = append(out, cells)
	}
	return h, out, nil
}

// jst is Japan Standard Time. Japan has no daylight saving time, so a fixed
// zone is exact and needs no tzdata on the host.
var jst = time.FixedZone("JST", 9*60*60)

// WriteXLSX writes the export as an Excel workbook. The first sheet, "台帳"
// ("Ledger" in en), holds the header and rows: the header row bold, frozen
// and filtered, columns sized to their contents, text wrapped, printed
// landscape one page wide with the header on every page. The second sheet,
// "出力情報" ("Export"), gives the organisation, the ledger revision, its
// effective date, the export time now in Japan time (Asia/Tokyo) and the
// number of rows, so that a printout says what it is.
func WriteXLSX(w io.Writer, l *Ledger, lang string, now time.Time) error {
	header, rows := ExportRows(l, lang)
	wd := wordsFor(lang)
	f := excelize.NewFile()
	defer f.Close()
	if err := buildXLSX(f, l, lang, wd, header, rows, now); err != nil {
		return fmt.Errorf("ledger export: build XLSX: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("ledger export: write XLSX: %w", err)
	}
	return nil
}

func buildXLSX(f *excelize.File, l *Ledger, lang string, wd *words, header []string, rows [][]string, now time.Time) error {
	sheet := wd.sheet
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	border := []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1},
	}
	headStyle, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    border,
	})
	if err != nil {
		return err
	}
	bodyStyle, err := f.NewStyle(&excelize.Style{
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    border,
	})
	if err != nil {
		return err
	}

	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		if n, err := strconv.Atoi(row[colRecordCount]); err == nil {
			cells[colRecordCount] = n
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return err
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(len(header))
	lastRow := len(rows) + 1
	if err := f.SetCellStyle(sheet, "A1", lastCol+"1", headStyle); err != nil {
		return err
	}
	if len(rows) > 0 {
		if err := f.SetCellStyle(sheet, "A2", lastCol+strconv.Itoa(lastRow), bodyStyle); err != nil {
			return err
		}
	}
	for j := range header {
		col, _ := excelize.ColumnNumberToName(j + 1)
		wide := displayWidth(header[j])
		for _, row := range rows {
			wide = max(wide, displayWidth(row[j]))
		}
		if err := f.SetColWidth(sheet, col, col, float64(min(max(wide, 6), 50)+2)); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, "A1:"+lastCol+strconv.Itoa(lastRow), nil); err != nil {
		return err
	}
	landscape, one, zero := "landscape", 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$1", Scope: sheet,
	}); err != nil {
		return err
	}

	info := wd.infoSheet
	if _, err := f.NewSheet(info); err != nil {
		return err
	}
	var org, rev, eff string
	if l != nil {
		org, rev, eff = l.Organization.Name.In(lang), l.Revision, l.EffectiveDate.String()
	}
	values := []any{org, rev, eff, now.In(jst).Format("2006-01-02 15:04:05 MST"), len(rows)}
	for i, label := range wd.infoLabels {
		if err := f.SetSheetRow(info, "A"+strconv.Itoa(i+1), &[]any{label, values[i]}); err != nil {
			return err
		}
	}
	labelStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(info, "A1", "A"+strconv.Itoa(len(wd.infoLabels)), labelStyle); err != nil {
		return err
	}
	if err := f.SetColWidth(info, "A", "A", 16); err != nil {
		return err
	}
	if err := f.SetColWidth(info, "B", "B", float64(min(max(displayWidth(org), 24), 80)+2)); err != nil {
		return err
	}
	f.SetActiveSheet(0)

	title := "個人情報管理台帳"
	if lang == "en" {
		title = "Personal information ledger"
	}
	return f.SetDocProps(&excelize.DocProperties{
		Title:          title,
		Creator:        "hogo",
		Created:        now.UTC().Format(time.RFC3339),
		Modified:       now.UTC().Format(time.RFC3339),
		Identifier:     rev,
		Language:       lang,
		LastModifiedBy: "hogo",
	})
}

// displayWidth is the width of the longest line of s in half-width
// characters: East Asian wide and full-width characters count two.
func displayWidth(s string) int {
	best := 0
	for line := range strings.SplitSeq(s, "\n") {
		n := 0
		for _, r := range line {
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

// WriteJSON writes the export as one JSON object:
//
//	{"organization": …, "revision": …, "effective_date": "YYYY-MM-DD",
//	 "columns": [{"key": "category", "label": "種別"}, …],
//	 "rows": [{"category": …, "item": …, …}, …]}
//
// Row keys are the columns' stable keys, the same in every language, so
// programs need not know the headers; labels carry the headers in lang.
// Keys appear in column order and the output is the same for the same
// ledger.
func WriteJSON(w io.Writer, l *Ledger, lang string) error {
	header, rows := ExportRows(l, lang)
	var org, rev, eff string
	if l != nil {
		org, rev, eff = l.Organization.Name.In(lang), l.Revision, l.EffectiveDate.String()
	}
	var b bytes.Buffer
	b.WriteString(`{"organization":`)
	writeJSONString(&b, org)
	b.WriteString(`,"revision":`)
	writeJSONString(&b, rev)
	b.WriteString(`,"effective_date":`)
	writeJSONString(&b, eff)
	b.WriteString(`,"columns":[`)
	for i, c := range columns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"key":`)
		writeJSONString(&b, c.key)
		b.WriteString(`,"label":`)
		writeJSONString(&b, header[i])
		b.WriteByte('}')
	}
	b.WriteString(`],"rows":[`)
	for i, row := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for j, c := range columns {
			if j > 0 {
				b.WriteByte(',')
			}
			writeJSONString(&b, c.key)
			b.WriteByte(':')
			writeJSONString(&b, row[j])
		}
		b.WriteByte('}')
	}
	b.WriteString("]}")
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return fmt.Errorf("ledger export: JSON: %w", err)
	}
	out.WriteByte('\n')
	if _, err := w.Write(out.Bytes()); err != nil {
		return fmt.Errorf("ledger export: write JSON: %w", err)
	}
	return nil
}

// writeJSONString writes s as a JSON string, leaving <, > and & as they are
// (the output is a document, not HTML).
func writeJSONString(b *bytes.Buffer, s string) {
	e := json.NewEncoder(b)
	e.SetEscapeHTML(false)
	_ = e.Encode(s)         // a string always encodes
	b.Truncate(b.Len() - 1) // Encode's newline
}
