package tabular

import (
	"encoding/csv"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"

	"hogo.example.jp/hogo"
)

// maxCellUTF16 is the most an Excel cell holds, in UTF-16 code units.
const maxCellUTF16 = excelize.TotalCellChars

// cp932Variants maps characters that JIS-based and Windows (CP932)
// conversions disagree on to the CP932 form of the same JIS X 0208 code:
// the text a Mac or a web form produces (〜 − ‖ ¢ £ ¬ —) would otherwise
// not encode.
var cp932Variants = strings.NewReplacer(
	"\u301C", "\uFF5E", // WAVE DASH → FULLWIDTH TILDE
	"\u2212", "\uFF0D", // MINUS SIGN → FULLWIDTH HYPHEN-MINUS
	"\u2016", "\u2225", // DOUBLE VERTICAL LINE → PARALLEL TO
	"\u00A2", "\uFFE0", // CENT SIGN
	"\u00A3", "\uFFE1", // POUND SIGN
	"\u00AC", "\uFFE2", // NOT SIGN
	"\u2014", "\u2015", // EM DASH → HORIZONTAL BAR
)

// Writer writes rows to a CSV file or an xlsx workbook, for export. Every
// cell is written as text: an xlsx cell keeps leading zeros (phone numbers,
// postal codes) because it is a string cell.
//
// Shift_JIS (CP932) output fails, with an error naming the row and column
// but not the value, at the first character that Shift_JIS cannot
// represent (e.g. 𠮷 or emoji): nothing is replaced silently, because a
// replaced character in a name or address would be wrong data. The
// characters that only differ between JIS and CP932 mappings (〜 − ‖ ¢ £ ¬
// —) are written as their CP932 equivalents. UTF-8 and xlsx represent every
// character.
type Writer struct {
	format string
	sjis   bool
	w      io.Writer
	cw     *csv.Writer
	enc    *encoding.Encoder
	buf    []string
	xf     *excelize.File
	sw     *excelize.StreamWriter
	row    int
	closed bool
}

// NewWriter returns a writer of format "csv" or "xlsx". For CSV, encoding is
// "utf-8" (the default; written with a BOM so that Excel reads it) or
// "shift_jis"; lines end in CRLF. For xlsx, sheet names the worksheet
// ("Sheet1" when empty) and encoding is ignored. Close must be called: an
// xlsx workbook is written only then.
func NewWriter(w io.Writer, format, enc, sheet string) (*Writer, error) {
	f, err := normFormat(format)
	if err != nil {
		return nil, err
	}
	if f == "" {
		f = FormatCSV
	}
	wr := &Writer{format: f, w: w}
	if f == FormatXLSX {
		wr.xf = excelize.NewFile()
		if sheet == "" {
			sheet = "Sheet1"
		}
		if sheet != "Sheet1" {
			if err := wr.xf.SetSheetName("Sheet1", sheet); err != nil {
				wr.xf.Close()
				return nil, hogo.NewError(hogo.EINVALID, "sheet",
					"シート名「%[1]s」は使えません。31文字以内で、: \\ / ? * [ ] を含まない名前にしてください。",
					"Sheet name %[1]q cannot be used; use at most 31 characters and none of : \\ / ? * [ ].", sheet)
			}
			if got := wr.xf.GetSheetName(0); got != sheet {
				wr.xf.Close()
				return nil, hogo.NewError(hogo.EINVALID, "sheet",
					"シート名「%[1]s」は使えません。31文字以内で、: \\ / ? * [ ] を含まない名前にしてください。",
					"Sheet name %[1]q cannot be used; use at most 31 characters and none of : \\ / ? * [ ].", sheet)
			}
		}
		sw, err := wr.xf.NewStreamWriter(sheet)
		if err != nil {
			wr.xf.Close()
			return nil, err
		}
		wr.sw = sw
		return wr, nil
	}
	e, err := normEncoding(enc)
	if err != nil {
		return nil, err
	}
	wr.cw = csv.NewWriter(w)
	wr.cw.UseCRLF = true
	if e == EncodingShiftJIS {
		wr.sjis = true
		wr.enc = japanese.ShiftJIS.NewEncoder()
	} else if _, err := io.WriteString(w, bom); err != nil {
		return nil, err
	}
	return wr, nil
}

// WriteRow writes one row; the first is usually the header.
func (wr *Writer) WriteRow(cells []string) error {
	if wr.closed {
		return hogo.Errorf(hogo.EINTERNAL, "tabular: WriteRow after Close")
	}
	wr.row++
	if wr.format == FormatXLSX {
		return wr.writeXLSX(cells)
	}
	if !wr.sjis {
		return wr.cw.Write(cells)
	}
	wr.buf = wr.buf[:0]
	for i, c := range cells {
		s, err := wr.enc.String(cp932Variants.Replace(c))
		if err != nil {
			return hogo.NewError(hogo.EINVALID, "encoding",
				"%[1]d行目の%[2]d列目に Shift_JIS で表せない文字（一部の異体字や絵文字など）があります。文字コードに UTF-8 を選ぶか、xlsx で出力してください。",
				"Row %[1]d, column %[2]d has a character that Shift_JIS cannot represent (such as a rare kanji or an emoji); export as UTF-8 or xlsx instead.",
				wr.row, i+1)
		}
		// Shift_JIS never uses the bytes of ", comma, CR or LF inside a
		// character, so the CSV writer can quote the encoded bytes.
		wr.buf = append(wr.buf, s)
	}
	return wr.cw.Write(wr.buf)
}

func (wr *Writer) writeXLSX(cells []string) error {
	if wr.row > excelize.TotalRows {
		return hogo.NewError(hogo.EINVALID, "",
			"xlsx の1シートには%[1]d行までしか書けません。CSV で出力するか、条件を絞って分けて出力してください。",
			"An xlsx sheet holds at most %[1]d rows; export as CSV, or export in parts.", excelize.TotalRows)
	}
	vals := make([]any, len(cells))
	for i, c := range cells {
		if utf16Len(c) > maxCellUTF16 {
			return hogo.NewError(hogo.EINVALID, "",
				"%[1]d行目の%[2]d列目が Excel の1セルに入る長さ（%[3]d文字）を超えています。CSV で出力してください。",
				"Row %[1]d, column %[2]d is longer than an Excel cell holds (%[3]d characters); export as CSV instead.",
				wr.row, i+1, maxCellUTF16)
		}
		vals[i] = c
	}
	cell, err := excelize.CoordinatesToCellName(1, wr.row)
	if err != nil {
		return err
	}
	return wr.sw.SetRow(cell, vals)
}

func utf16Len(s string) int {
	if len(s) <= maxCellUTF16 {
		return len(s) // never more units than bytes
	}
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Rows returns the number of rows written.
func (wr *Writer) Rows() int { return wr.row }

// Close flushes the CSV or writes the workbook. It does not close the
// underlying writer.
func (wr *Writer) Close() error {
	if wr.closed {
		return nil
	}
	wr.closed = true
	if wr.format != FormatXLSX {
		wr.cw.Flush()
		return wr.cw.Error()
	}
	defer wr.xf.Close()
	if err := wr.sw.Flush(); err != nil {
		return err
	}
	_, err := wr.xf.WriteTo(wr.w)
	return err
}
