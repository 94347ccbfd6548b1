package anonymize

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// Table is a table of strings with a header row.
type Table struct {
	Header []string
	Rows   [][]string
	// Comma is the delimiter the table was read with, kept for writing.
	Comma rune
}

// ReadTable reads a CSV table: UTF-8 (with or without a byte-order mark)
// or Shift_JIS, delimited by ';', ',' or tabs (guessed from the header). name
// is used in errors, which give the line and never a cell's value.
func ReadTable(r io.Reader, name string) (*Table, error) {
	// The whole input, so that the encoding is judged on all of it: a
	// Shift_JIS file may begin with pages of ASCII.
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := japanese.ShiftJIS.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(dec) {
			return nil, fmt.Errorf("%s: the file is neither UTF-8 nor Shift_JIS text: save it as UTF-8 CSV", name)
		}
		data = dec
	}
	head := data[:min(len(data), 64<<10)]
	src := bytes.NewReader(data)
	cr := csv.NewReader(src)
	cr.Comma = guessDelimiter(head)
	cr.ReuseRecord = false
	t := &Table{Comma: cr.Comma}
	hdr, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: the file is empty: it needs a header row and data rows", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	seen := map[string]bool{}
	for i, h := range hdr {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, fmt.Errorf("%s:1: column %d has no name in the header", name, i+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("%s:1: the column %q appears twice in the header", name, h)
		}
		seen[h] = true
		hdr[i] = h
	}
	t.Header = hdr
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		t.Rows = append(t.Rows, rec)
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", name)
	}
	return t, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return fmt.Errorf("%s:%d: this row has a different number of fields from the header: check the delimiters and quotes", name, pe.Line)
		}
		return fmt.Errorf("%s:%d: bad CSV: %v", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Write writes t as CSV with its delimiter.
func (t *Table) Write(w io.Writer) error {
	cw := csv.NewWriter(w)
	if t.Comma != 0 {
		cw.Comma = t.Comma
	}
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, row := range t.Rows {
		if err := writeRow(w, cw, row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeRow writes a record; one empty field is written as "" so that it
// is not read back as a blank line (which readers skip).
func writeRow(w io.Writer, cw *csv.Writer, row []string) error {
	if len(row) == 1 && row[0] == "" {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\"\"\n")
		return err
	}
	return cw.Write(row)
}

// Column returns the values of the named column, or nil.
func (t *Table) Column(name string) []string {
	for i, h := range t.Header {
		if h == name {
			out := make([]string, len(t.Rows))
			for r, row := range t.Rows {
				out[r] = row[i]
			}
			return out
		}
	}
	return nil
}
