// Package anonymize makes anonymised information (匿名加工情報, APPI Art. 2(6),
// 43; 則34) out of a table: k-anonymity by full-domain generalisation over
// value hierarchies, with a record-suppression limit, l-diversity and
// t-closeness for sensitive attributes, an optimal search of the
// generalisation lattice with pruning and a checked exhaustive mode, and the
// re-identification risk and utility of the result.
//
// The package is pure computation over strings: it reads tables and
// hierarchies, never the store. The callers (cmd/hogo, web) bring the rows,
// whether from a file or from the vault for a declared purpose.
package anonymize

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Root is the most general value of every hierarchy this package makes.
const Root = "*"

// Hierarchy generalises the values of one column. Each row is a value
// followed by its generalisations, most general last (the format of the
// ARX tool's hierarchy files); every row has the same length, so level 0 is
// the values themselves and level Height()-1 the most general.
type Hierarchy struct {
	Column string
	Rows   [][]string

	index map[string]int // value → row
	lines []int          // the file line of each row, when read from a file
}

// Height is the number of levels, the values themselves included.
func (h *Hierarchy) Height() int {
	if len(h.Rows) == 0 {
		return 0
	}
	return len(h.Rows[0])
}

// Generalise returns v at level l, and false when v is not in the hierarchy.
func (h *Hierarchy) Generalise(v string, l int) (string, bool) {
	i, ok := h.lookup(v)
	if !ok {
		return "", false
	}
	return h.Rows[i][l], true
}

func (h *Hierarchy) lookup(v string) (int, bool) {
	if h.index == nil {
		h.index = make(map[string]int, len(h.Rows))
		for i, r := range h.Rows {
			h.index[r[0]] = i
		}
	}
	i, ok := h.index[v]
	return i, ok
}

// HierarchyError says what is wrong with a hierarchy and where: the file
// and line (1-based; 0 when the whole hierarchy is meant).
type HierarchyError struct {
	File string
	Line int
	Msg  string
}

func (e *HierarchyError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ReadHierarchyFile reads a hierarchy from a CSV file. The column is named
// after the file: "adult_hierarchy_age.csv" and "age.csv" both give "age".
func ReadHierarchyFile(path string) (*Hierarchy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadHierarchy(f, path, ColumnOfFile(path))
}

// ColumnOfFile is the column a hierarchy file is for: its base name without
// the extension and without anything up to "_hierarchy_".
func ColumnOfFile(path string) string {
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if i := strings.LastIndex(name, "_hierarchy_"); i >= 0 {
		name = name[i+len("_hierarchy_"):]
	}
	return name
}

// ReadHierarchy reads a hierarchy of column from r: one row per value, the
// value then its generalisations, separated by ';', ',' or tabs (guessed
// from the first line). file names r in errors. It checks that every row
// has the same number of fields, that no value appears twice, and that
// each generalisation has one parent (the same value at level l may not
// generalise to two values at level l+1).
func ReadHierarchy(r io.Reader, file, column string) (*Hierarchy, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(4096)
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		head = head[3:]
	}
	if !utf8.Valid(trimPartial(head)) {
		return nil, &HierarchyError{File: file, Line: 1, Msg: "not UTF-8 text: save the hierarchy as UTF-8 CSV"}
	}
	cr := csv.NewReader(br)
	cr.Comma = guessDelimiter(head)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	h := &Hierarchy{Column: column}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &HierarchyError{File: file, Line: pe.Line, Msg: "bad CSV: " + pe.Err.Error()}
			}
			return nil, &HierarchyError{File: file, Msg: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
			if !utf8.ValidString(rec[i]) {
				return nil, &HierarchyError{File: file, Line: line, Msg: fmt.Sprintf("field %d is not UTF-8 text", i+1)}
			}
		}
		if len(h.Rows) > 0 && len(rec) != len(h.Rows[0]) {
			return nil, &HierarchyError{File: file, Line: line, Msg: fmt.Sprintf(
				"%d fields where the first row has %d: every value needs the same number of generalisations", len(rec), len(h.Rows[0]))}
		}
		if rec[0] == "" {
			return nil, &HierarchyError{File: file, Line: line, Msg: "the value (first field) is empty"}
		}
		h.Rows = append(h.Rows, rec)
		h.lines = append(h.lines, line)
	}
	if len(h.Rows) == 0 {
		return nil, &HierarchyError{File: file, Msg: "no values: each line should hold a value and its generalisations"}
	}
	if err := h.check(file); err != nil {
		return nil, err
	}
	return h, nil
}

// Check checks a hierarchy made in code as ReadHierarchy checks a file.
func (h *Hierarchy) Check() error {
	if len(h.Rows) == 0 {
		return &HierarchyError{File: h.Column, Msg: "no values"}
	}
	for i, r := range h.Rows {
		if len(r) != len(h.Rows[0]) {
			return &HierarchyError{File: h.Column, Line: i + 1, Msg: "rows of different lengths"}
		}
	}
	return h.check(h.Column)
}

func (h *Hierarchy) check(file string) error {
	line := func(i int) int {
		if i < len(h.lines) {
			return h.lines[i]
		}
		return i + 1
	}
	seen := make(map[string]int, len(h.Rows))
	for i, r := range h.Rows {
		if j, dup := seen[r[0]]; dup {
			return &HierarchyError{File: file, Line: line(i), Msg: fmt.Sprintf("the value on this line is also on line %d: give each value once", line(j))}
		}
		seen[r[0]] = i
		for l := 1; l < len(r); l++ {
			if r[l] == "" {
				return &HierarchyError{File: file, Line: line(i), Msg: fmt.Sprintf("field %d is empty: every value needs each of its generalisations", l+1)}
			}
		}
	}
	// One parent per generalised value, level by level.
	for l := 1; l+1 < h.Height(); l++ {
		parent := map[string]int{}
		for i, r := range h.Rows {
			if j, ok := parent[r[l]]; ok && h.Rows[j][l+1] != r[l+1] {
				// Generalised values are categories, not anyone's data: named.
				return &HierarchyError{File: file, Line: line(i), Msg: fmt.Sprintf(
					"%q generalises to %q here and to %q on line %d: a generalised value needs one parent", r[l], r[l+1], h.Rows[j][l+1], line(j))}
			}
			parent[r[l]] = i
		}
	}
	h.index = seen
	return nil
}

func guessDelimiter(head []byte) rune {
	line := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		line = head[:i]
	}
	best, n := ';', -1
	for _, d := range []rune{';', ',', '\t'} {
		if c := bytes.Count(line, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

// trimPartial drops a rune cut at the end of a peeked buffer.
func trimPartial(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		r, size := utf8.DecodeLastRune(b)
		if r != utf8.RuneError || size != 1 {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}
