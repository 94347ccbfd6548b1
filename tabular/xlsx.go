package tabular

import (
	"bufio"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"hogo.example.jp/hogo"
)

// xlsxOptions read dates and other formatted numbers as Japanese Excel
// shows them (e.g. the built-in short date as 2025/4/1).
var xlsxOptions = excelize.Options{CultureInfo: excelize.CultureNameJaJP, ShortDatePattern: "yyyy/m/d"}

// openXLSX reads the workbook and opens the sheet's row iterator.
func (rd *Reader) openXLSX(br *bufio.Reader) (err error) {
	defer rd.recoverExcel(&err, false)
	if head, _ := br.Peek(len(oleMagic)); string(head) == oleMagic {
		return errOldExcel(rd.name)
	}
	f, err := excelize.OpenReader(br, xlsxOptions)
	rd.size = rd.src.n.Load()
	if err != nil {
		if f != nil {
			f.Close()
		}
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || errors.Is(err, excelize.ErrWorkbookPassword) {
			return errOldExcel(rd.name)
		}
		return rd.errBadWorkbook(err, 0)
	}
	rd.xf = f
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return rd.errBadWorkbook(nil, 0)
	}
	rd.sheet = sheets[0]
	if rd.opt.Sheet != "" {
		rd.sheet = ""
		for _, s := range sheets {
			if s == rd.opt.Sheet {
				rd.sheet = s
				break
			}
		}
		for _, s := range sheets {
			if rd.sheet == "" && strings.EqualFold(s, rd.opt.Sheet) {
				rd.sheet = s
			}
		}
		if rd.sheet == "" {
			return hogo.NewError(hogo.EINVALID, "sheet",
				"%[1]s にシート「%[2]s」がありません。シート名は次のとおりです: %[3]s",
				"%[1]s has no sheet %[2]q; its sheets are: %[3]s", rd.name, rd.opt.Sheet, strings.Join(sheets, ", "))
		}
	}
	if dim, err := f.GetSheetDimension(rd.sheet); err == nil && dim != "" {
		_, last, _ := strings.Cut(dim, ":")
		if last == "" {
			last = dim
		}
		if _, row, err := excelize.CellNameToCoordinates(last); err == nil && row > 1 {
			rd.lastRow = row
		}
	}
	rows, err := f.Rows(rd.sheet)
	if err != nil {
		return rd.errBadWorkbook(err, 0)
	}
	rd.rows = rows
	return nil
}

// xlsxRecord returns the next row's cells as displayed, and the row number.
func (rd *Reader) xlsxRecord() (rec []string, line int, err error) {
	if rd.rows == nil {
		return nil, 0, io.EOF
	}
	defer rd.recoverExcel(&err, true)
	if !rd.rows.Next() {
		if err := rd.rows.Error(); err != nil {
			return nil, 0, rd.errBadWorkbook(err, rd.rowNum+1)
		}
		rd.done.Store(true)
		return nil, 0, io.EOF
	}
	rd.rowNum++
	rd.xrow.Store(int64(rd.rowNum))
	rec, err = rd.rows.Columns()
	if err != nil {
		return nil, 0, rd.errBadWorkbook(err, rd.rowNum)
	}
	return rec, rd.rowNum, nil
}

// errBadWorkbook reports a workbook that cannot be read; row is 0 when the
// workbook as a whole is at fault. The cause is kept for errors.Is but not
// shown: a parser's message may quote the file's content.
func (rd *Reader) errBadWorkbook(cause error, row int) error {
	var e *hogo.Error
	if row > 0 {
		e = hogo.NewError(hogo.EINVALID, "",
			"%[1]s:%[2]d: シート「%[3]s」の%[2]d行目を読めません。Excel で開いて保存し直すか、「CSV UTF-8」で保存してください。",
			"%[1]s:%[2]d: row %[2]d of sheet %[3]q cannot be read; open the file in Excel and save it again, or save it as \"CSV UTF-8\".",
			rd.name, row, rd.sheet)
	} else {
		e = hogo.NewError(hogo.EINVALID, "",
			"%[1]s を Excel ブック（.xlsx）として読めません。ファイルが壊れていないか、形式が正しいかを確かめ、Excel で保存し直すか「CSV UTF-8」で保存してください。",
			"%[1]s cannot be read as an Excel workbook (.xlsx); check that the file is complete and of the right format, and save it again from Excel or as \"CSV UTF-8\".",
			rd.name)
	}
	e.Err = cause
	return e
}

// recoverExcel turns a panic in the spreadsheet library, on a malformed
// workbook, into an error.
func (rd *Reader) recoverExcel(err *error, inRow bool) {
	if r := recover(); r != nil {
		row := 0
		if inRow {
			row = max(rd.rowNum, 1)
		}
		*err = rd.errBadWorkbook(nil, row)
	}
}
