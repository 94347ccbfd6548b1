// Package tabular reads and writes the spreadsheets people bring to and take
// from hogo: CSV files (UTF-8 or Shift_JIS, as Excel on Japanese Windows
// saves them) and Excel workbooks (.xlsx).
//
// A Reader streams the rows of a file, binds its columns to the items of a
// ledger category and checks every cell with vault.CheckValue, so that a
// caller gets each row as canonical values or as a list of problems that
// name the file, line, column and item. A RejectWriter writes the rows that
// had problems back out, with the reason, for the sender to fix and send
// again. A Writer exports rows as CSV or xlsx. Progress draws a progress bar
// on a terminal.
//
// Personal data never appears in an error, a problem or a log line of this
// package: messages name the file, line or row, column number, column
// header and item, never a cell's value. Files written by RejectWriter and
// Writer do hold personal data and must be handled as such.
package tabular

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// Formats.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Encodings, as Reader.Encoding reports them.
const (
	EncodingUTF8     = "utf-8"
	EncodingShiftJIS = "shift_jis"
)

// Ignore is the item ID that, in Options.Map, says a column is not imported.
const Ignore = "-"

// sampleSize is how much of a CSV file is looked at to tell UTF-8 from
// Shift_JIS.
const sampleSize = 64 << 10

// maxRecordBytes bounds one CSV record, so that a quote that is never closed
// cannot make the reader hold the rest of a large file in memory.
const maxRecordBytes = 16 << 20

// Options say how to read a file. The zero value detects everything.
type Options struct {
	// Format is "csv", "xlsx" or empty to decide by the file name's
	// extension and, failing that, by the content.
	Format string
	// Encoding of a CSV file: "utf-8", "shift_jis" (also "sjis", "cp932",
	// "windows-31j", "ms932") or empty to detect it. Ignored for xlsx.
	Encoding string
	// Sheet is the xlsx worksheet to read; empty means the first one.
	Sheet string
	// Map maps a column header to an item ID; Ignore ("-") skips the
	// column. Headers are matched after trimming, NFKC and case folding.
	// Columns not in Map are matched to items automatically (see Bind).
	Map map[string]string
}

// Reader streams the rows of a CSV or xlsx file. Open reads the header; Bind
// maps the columns to the items of a category; Next returns the rows.
// A Reader is not safe for concurrent use, except Offset, which a progress
// goroutine may call while another goroutine reads.
type Reader struct {
	name     string
	format   string
	encoding atomic.Value // string; detection may settle it while reading
	opt      Options

	src *countReader

	// CSV
	cr    *csv.Reader
	guard *guardReader
	sjis  *sjisDecoder // nil unless decoding Shift_JIS

	// xlsx
	xf      *excelize.File
	rows    *excelize.Rows
	sheet   string
	rowNum  int          // current xlsx row number
	xrow    atomic.Int64 // rowNum, for Offset
	lastRow int          // last row number from the sheet's dimension, 0 if unknown
	size    int64        // bytes of the workbook
	done    atomic.Bool

	header     []string
	headerLine int
	cols       []column
	items      int // number of columns bound to an item
	bound      bool
	err        error // sticky error from Next
}

// column is one column's binding.
type column struct {
	item     *ledger.Item // nil: not imported
	noHeader bool         // the header cell is empty
	// memo caches vault.CheckValue's accepted results for item types with
	// few distinct values (dates, postal codes, yes/no), which repeat
	// across a large file; nil for other types.
	memo map[string]string
}

// maxMemo bounds a column's memo; it is emptied when full.
const maxMemo = 1 << 15

// memoized reports item types whose values repeat enough to cache.
func memoized(t ledger.ItemType) bool {
	return t == ledger.TypeDate || t == ledger.TypePostalCode || t == ledger.TypeBool
}

// Row is one data row.
type Row struct {
	// Line is the 1-based line of the file where the record starts (CSV)
	// or the row number (xlsx).
	Line int
	// Items maps item ID to the canonical value vault.CheckValue returned.
	// Empty cells and cells with a problem are left out. Each Row has its
	// own map, which the caller may keep.
	Items map[string]string
	// Raw is a copy of the record's cells as read (decoded to UTF-8), for
	// RejectWriter.
	Raw []string
	// Problems lists what is wrong with the row, in column order. A row
	// with problems should not be imported as it is.
	Problems []Problem
}

// OK reports whether the row has no problems.
func (r *Row) OK() bool { return len(r.Problems) == 0 }

// Problem is something wrong with one cell or one row. It never holds the
// cell's value.
type Problem struct {
	File string
	// Line is the row's Line.
	Line int
	// Column is the 1-based column number; 0 means the row as a whole.
	Column int
	// Header is the column's header text ("" for none).
	Header string
	// Item is the ID of the column's item ("" for none).
	Item string
	// Ja and En say what is wrong and how to fix it.
	Ja, En string
}

// In formats the problem in lang ("ja" or "en"), e.g.
// members.csv:12 列3「メール」(email): … or
// members.csv:12 column 3 "メール" (email): ….
func (p Problem) In(lang string) string {
	return fmt.Sprintf("%s:%d %s", p.File, p.Line, p.Where(lang))
}

// Where formats the problem in lang without the file and line, for a file
// that already shows the line, as RejectWriter does.
func (p Problem) Where(lang string) string {
	var b strings.Builder
	en := lang == "en"
	if p.Column > 0 {
		if en {
			fmt.Fprintf(&b, "column %d", p.Column)
			if p.Header != "" {
				fmt.Fprintf(&b, " %q", p.Header)
			}
		} else {
			fmt.Fprintf(&b, "列%d", p.Column)
			if p.Header != "" {
				fmt.Fprintf(&b, "「%s」", p.Header)
			}
		}
		if p.Item != "" {
			if en {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, "(%s)", p.Item)
		}
		b.WriteString(": ")
	}
	if en {
		b.WriteString(p.En)
	} else {
		b.WriteString(p.Ja)
	}
	return b.String()
}

// String formats the problem in English.
func (p Problem) String() string { return p.In("en") }

// Open starts reading r, a file called name (used to detect the format and
// in messages), and reads up to its header: the first row that is not
// empty. It does not close r.
//
// A CSV file is streamed (a .tsv file is read as tab-separated); an xlsx
// workbook is read into memory whole (the
// format needs random access) and its sheet is then streamed row by row.
// Errors are *hogo.Error; the caller should call Close when done.
func Open(r io.Reader, name string, opt Options) (*Reader, error) {
	rd := &Reader{name: name, opt: opt, src: &countReader{r: r}}
	format, err := normFormat(opt.Format)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(rd.src, sampleSize)
	if format == "" {
		format, err = rd.detectFormat(br)
		if err != nil {
			return nil, err
		}
	}
	rd.format = format
	switch format {
	case FormatXLSX:
		err = rd.openXLSX(br)
	default:
		err = rd.openCSV(br)
	}
	if err != nil {
		rd.Close()
		return nil, err
	}
	if err := rd.readHeader(); err != nil {
		rd.Close()
		return nil, err
	}
	return rd, nil
}

func normFormat(f string) (string, error) {
	switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f), ".")) {
	case "":
		return "", nil
	case "csv":
		return FormatCSV, nil
	case "xlsx", "xlsm":
		return FormatXLSX, nil
	}
	return "", hogo.NewError(hogo.EINVALID, "format",
		"ファイル形式「%[1]s」には対応していません。csv または xlsx を指定してください。",
		"File format %[1]q is not supported; use csv or xlsx.", f)
}

// detectFormat decides by the extension .xlsx, then by the content: a zip
// archive is a workbook, an OLE2 file an old .xls or encrypted workbook
// (refused), anything else CSV. Other extensions are not trusted: a
// workbook may have been renamed .csv, and some systems export CSV or HTML
// under .xls.
func (rd *Reader) detectFormat(br *bufio.Reader) (string, error) {
	switch strings.ToLower(filepath.Ext(rd.name)) {
	case ".xlsx", ".xlsm":
		return FormatXLSX, nil
	}
	head, _ := br.Peek(8)
	switch {
	case len(head) >= 4 && string(head[:4]) == "PK\x03\x04":
		return FormatXLSX, nil
	case len(head) >= 8 && string(head) == oleMagic:
		return "", errOldExcel(rd.name)
	}
	return FormatCSV, nil
}

// oleMagic starts an OLE2 compound file: an .xls workbook or an encrypted
// .xlsx.
const oleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"

func errOldExcel(name string) error {
	return hogo.NewError(hogo.EINVALID, "format",
		"%[1]s は旧形式（.xls）またはパスワード付きの Excel ファイルのため読めません。Excel で開き、パスワードを外して「Excel ブック (*.xlsx)」か「CSV UTF-8」で保存し直してください。",
		"%[1]s is an old-format (.xls) or password-protected Excel file, which cannot be read; open it in Excel, remove the password and save it as \"Excel Workbook (*.xlsx)\" or \"CSV UTF-8\".", name)
}

// Name returns the file name given to Open.
func (rd *Reader) Name() string { return rd.name }

// Format returns "csv" or "xlsx".
func (rd *Reader) Format() string { return rd.format }

// Encoding returns the encoding of a CSV file: "utf-8" or "shift_jis"; ""
// for xlsx. While detecting, a file that has been ASCII so far reports
// "utf-8"; the answer is final once the first non-ASCII byte has been read,
// which for a Japanese header is at Open.
func (rd *Reader) Encoding() string {
	s, _ := rd.encoding.Load().(string)
	return s
}

// Header returns the header row's cells, trimmed of surrounding white space.
func (rd *Reader) Header() []string { return slices.Clone(rd.header) }

// HeaderLine returns the line (CSV) or row (xlsx) of the header.
func (rd *Reader) HeaderLine() int { return rd.headerLine }

// Binding returns, per column, the ID of the item it is bound to, or Ignore;
// nil before Bind.
func (rd *Reader) Binding() []string {
	if !rd.bound {
		return nil
	}
	out := make([]string, len(rd.cols))
	for i, c := range rd.cols {
		out[i] = Ignore
		if c.item != nil {
			out[i] = c.item.ID
		}
	}
	return out
}

// Offset returns how many bytes of the input have been consumed, for a
// progress bar against the input's size. For CSV it counts the bytes read
// from the input, including up to some tens of KiB read ahead. An xlsx
// workbook is read whole at Open, so for xlsx Offset is an estimate: the
// workbook's size times the share of the sheet's rows read so far, when the
// sheet states its extent, or the whole size once the sheet is read.
func (rd *Reader) Offset() int64 {
	if rd.format != FormatXLSX {
		return rd.src.n.Load()
	}
	if rd.done.Load() {
		return rd.size
	}
	if rd.lastRow <= 0 {
		return 0
	}
	return rd.size * min(rd.xrow.Load(), int64(rd.lastRow)) / int64(rd.lastRow)
}

// Close releases the workbook's temporary files. It does not close the
// io.Reader given to Open.
func (rd *Reader) Close() error {
	var err error
	if rd.rows != nil {
		err = rd.rows.Close()
		rd.rows = nil
	}
	if rd.xf != nil {
		if e := rd.xf.Close(); err == nil {
			err = e
		}
		rd.xf = nil
	}
	return err
}

// readHeader reads records up to the first that is not empty.
func (rd *Reader) readHeader() error {
	for {
		rec, line, err := rd.record()
		if err == io.EOF {
			return hogo.NewError(hogo.EINVALID, "header",
				"%[1]s に見出し行がありません。1行目に列名（氏名、メールアドレスなど）を入れてください。",
				"%[1]s has no header row; put the column names (name, e-mail address…) in the first row.", rd.name)
		}
		if err != nil {
			return err
		}
		if blank(rec) {
			continue
		}
		rd.header = make([]string, len(rec))
		for i, h := range rec {
			h = strings.TrimSpace(h)
			if i == 0 {
				h = strings.TrimPrefix(h, "\uFEFF") // a BOM in an xlsx cell or a doubled one
			}
			rd.header[i] = h
		}
		rd.headerLine = line
		return nil
	}
}

// record returns the next record and its line; io.EOF at the end. The
// record is valid until the next call.
func (rd *Reader) record() ([]string, int, error) {
	if rd.format == FormatXLSX {
		return rd.xlsxRecord()
	}
	rd.guard.reset()
	rec, err := rd.cr.Read()
	if err != nil {
		return nil, 0, rd.csvError(err)
	}
	if len(rec) == 0 { // encoding/csv returns at least one field
		return rec, rd.guard.line, nil
	}
	line, _ := rd.cr.FieldPos(0)
	last := len(rec) - 1
	end, _ := rd.cr.FieldPos(last)
	rd.guard.line = end + strings.Count(rec[last], "\n") + 1
	return rec, line, nil
}

// csvError turns an error of encoding/csv into a *hogo.Error naming the file
// and line.
func (rd *Reader) csvError(err error) error {
	if err == io.EOF {
		return err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote):
			return hogo.NewError(hogo.EINVALID, "",
				"%[1]s:%[2]d: %[2]d行目から始まる行の引用符「\"」の対応が取れていません（%[3]d行目で検出）。引用符で囲んだ値は「\"」で閉じ、値の中の「\"」は「\"\"」と2つ重ねてください。",
				"%[1]s:%[2]d: the record starting on line %[2]d has unbalanced quotes (found on line %[3]d); close a quoted value with \" and double any \" inside it (\"\").",
				rd.name, pe.StartLine, pe.Line)
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return hogo.NewError(hogo.EINVALID, "",
				"%[1]s:%[2]d: 引用符で囲まれていない値の中に「\"」があります。その値全体を「\"」で囲み、値の中の「\"」は「\"\"」と2つ重ねてください。",
				"%[1]s:%[2]d: a value that is not quoted contains \"; quote the whole value and double the \" inside it (\"\").",
				rd.name, pe.Line)
		}
		return hogo.NewError(hogo.EINVALID, "",
			"%[1]s:%[2]d: CSV の形式が正しくありません。この行を確かめてください。",
			"%[1]s:%[2]d: the CSV is malformed; check this line.", rd.name, pe.Line)
	}
	line := rd.guard.line
	if errors.Is(err, errRecordTooLong) {
		return hogo.NewError(hogo.EINVALID, "",
			"%[1]s:%[2]d: %[2]d行目から始まる行が16MiBを超えています。引用符「\"」が閉じられていない可能性があります。",
			"%[1]s:%[2]d: the record starting on line %[2]d is longer than 16 MiB; a quote is probably not closed.", rd.name, line)
	}
	return rd.ioError(err, line)
}

// ioError wraps a read error of the underlying input.
func (rd *Reader) ioError(err error, line int) error {
	return &hogo.Error{Code: hogo.EINTERNAL,
		Message: fmt.Sprintf("%s:%d: reading the file failed: %v", rd.name, line, err),
		Ja:      fmt.Sprintf("%s:%d: ファイルを読み込めませんでした: %v", rd.name, line, err),
		Err:     err}
}

// blank reports whether every cell is empty or white space.
func blank(rec []string) bool {
	for _, c := range rec {
		if !blankCell(c) {
			return false
		}
	}
	return true
}

func blankCell(c string) bool {
	if c == "" {
		return true
	}
	if r, _ := utf8.DecodeRuneInString(c); !unicode.IsSpace(r) {
		return false
	}
	return strings.TrimSpace(c) == ""
}

// Next returns the next row that is not empty, or io.EOF after the last. A
// row's problems are in Row.Problems; Next's error is for a file that
// cannot be read further (malformed CSV, a read failure), and names the file
// and line. Bind must be called first.
func (rd *Reader) Next() (*Row, error) {
	if rd.err != nil {
		return nil, rd.err
	}
	if !rd.bound {
		return nil, hogo.Errorf(hogo.EINTERNAL, "tabular: Next called before Bind")
	}
	for {
		rec, line, err := rd.record()
		if err != nil {
			rd.err = err
			return nil, err
		}
		if blank(rec) {
			continue
		}
		return rd.row(rec, line), nil
	}
}

// row checks one record against the binding.
func (rd *Reader) row(rec []string, line int) *Row {
	row := &Row{Line: line, Raw: slices.Clone(rec), Items: make(map[string]string, rd.items)}
	// Bytes that are not Shift_JIS became U+FFFD; look for it only once
	// the decoder has met any.
	undecodable := rd.sjis != nil && rd.sjis.bad > 0
	for i, cell := range rec {
		if i >= len(rd.cols) {
			rd.extraCells(row, rec)
			break
		}
		c := &rd.cols[i]
		if c.item == nil {
			if c.noHeader && !blankCell(cell) {
				row.Problems = append(row.Problems, rd.problem(line, i, nil,
					"見出しのない列に値があります。見出しを付けて項目を割り当てるか、値を消してください。",
					"there is a value in a column without a header; give the column a header and map it, or remove the value."))
			}
			continue
		}
		if undecodable && strings.ContainsRune(cell, utf8.RuneError) {
			row.Problems = append(row.Problems, rd.problem(line, i, c.item,
				"Shift_JIS として読めないバイトがあります。ファイルの文字コードを確かめ、UTF-8 の CSV で保存し直してください（--encoding でも指定できます）。",
				"contains bytes that are not Shift_JIS; check the file's encoding and save it again as UTF-8 CSV (or name the encoding with --encoding)."))
			continue
		}
		if blankCell(cell) && !c.item.Required {
			continue
		}
		v, ok := c.memo[cell]
		if !ok {
			var err error
			v, err = vault.CheckValue(c.item, cell)
			if err != nil {
				row.Problems = append(row.Problems, rd.valueProblem(line, i, c.item, err))
				continue
			}
			if c.memo != nil {
				if len(c.memo) >= maxMemo {
					clear(c.memo)
				}
				// A copy: the cell shares its memory with the whole record.
				c.memo[strings.Clone(cell)] = v
			}
		}
		if v != "" {
			row.Items[c.item.ID] = v
		}
	}
	// A short row: the missing cells are empty.
	for i := len(rec); i < len(rd.cols); i++ {
		if it := rd.cols[i].item; it != nil && it.Required {
			_, err := vault.CheckValue(it, "")
			row.Problems = append(row.Problems, rd.valueProblem(line, i, it, err))
		}
	}
	return row
}

// extraCells reports a row with more cells than the header.
func (rd *Reader) extraCells(row *Row, rec []string) {
	n := len(rd.cols)
	row.Problems = append(row.Problems, Problem{File: rd.name, Line: row.Line, Column: n + 1,
		Ja: fmt.Sprintf("この行は%d列ありますが、見出しは%d列です。区切りの「,」が多すぎないか、カンマを含む値が「\"」で囲まれているかを確かめてください。", len(rec), n),
		En: fmt.Sprintf("the row has %d cells but the header has %d; check for extra commas, and quote values that contain a comma.", len(rec), n)})
}

func (rd *Reader) problem(line, col int, it *ledger.Item, ja, en string) Problem {
	p := Problem{File: rd.name, Line: line, Column: col + 1, Ja: ja, En: en}
	if col < len(rd.header) {
		p.Header = rd.header[col]
	}
	if it != nil {
		p.Item = it.ID
	}
	return p
}

// valueProblem turns an error of vault.CheckValue (which never holds the
// value) into a problem.
func (rd *Reader) valueProblem(line, col int, it *ledger.Item, err error) Problem {
	var he *hogo.Error
	if errors.As(err, &he) {
		return rd.problem(line, col, it, he.In("ja"), he.In("en"))
	}
	return rd.problem(line, col, it, "値を確かめられませんでした。", "the value could not be checked.")
}
