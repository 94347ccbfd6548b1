package tabular

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// RejectWriter writes rejected rows as a UTF-8 CSV file with a BOM (which
// Excel opens correctly): the columns LineHeader and ReasonHeader first,
// then the original columns with the cells as they were read. A person can
// fix the cells in Excel and have the file read again: Bind skips the two
// added columns. The file holds personal data: keep it as carefully as the
// original and delete it when done.
type RejectWriter struct {
	// Lang is the language of the reasons, "ja" (the default) or "en".
	Lang string

	w      io.Writer
	cw     *csv.Writer
	width  int
	rec    []string
	header []string
	rows   int
}

// NewRejectWriter returns a writer of rejected rows under header, usually
// Reader.Header(). Nothing is written until the first row (or Close).
func NewRejectWriter(w io.Writer, header []string) *RejectWriter {
	rw := &RejectWriter{Lang: "ja", w: w, cw: csv.NewWriter(w), width: len(header)}
	rw.cw.UseCRLF = true
	rw.header = append([]string{LineHeader, ReasonHeader}, header...)
	return rw
}

func (rw *RejectWriter) start() error {
	if rw.header == nil {
		return nil
	}
	h := rw.header
	rw.header = nil
	if _, err := io.WriteString(rw.w, bom); err != nil {
		return err
	}
	return rw.cw.Write(h)
}

// Write writes one row: its line, its problems (one per line of the cell)
// and its cells.
func (rw *RejectWriter) Write(row *Row) error {
	if err := rw.start(); err != nil {
		return err
	}
	reasons := make([]string, len(row.Problems))
	for i, p := range row.Problems {
		reasons[i] = p.Where(rw.Lang)
	}
	rw.rec = append(rw.rec[:0], strconv.Itoa(row.Line), strings.Join(reasons, "\n"))
	rw.rec = append(rw.rec, row.Raw...)
	for len(rw.rec) < rw.width+2 {
		rw.rec = append(rw.rec, "")
	}
	rw.rows++
	return rw.cw.Write(rw.rec)
}

// Rows returns the number of rows written.
func (rw *RejectWriter) Rows() int { return rw.rows }

// Close writes the header if no row was written, and flushes. It does not
// close the underlying writer.
func (rw *RejectWriter) Close() error {
	if err := rw.start(); err != nil {
		return err
	}
	rw.cw.Flush()
	return rw.cw.Error()
}
