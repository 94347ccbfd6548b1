package anonymize

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readH reads a hierarchy from a string, as the file "h.csv" of column "zip".
func readH(s string) (*Hierarchy, error) {
	return ReadHierarchy(strings.NewReader(s), "h.csv", "zip")
}

// wantHErr checks that err is a *HierarchyError at line of h.csv whose
// message says what.
func wantHErr(t *testing.T, err error, line int, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want h.csv:%d: …%s…", line, what)
	}
	var he *HierarchyError
	if !errors.As(err, &he) {
		t.Fatalf("error %v (%T), want a *HierarchyError", err, err)
	}
	if he.File != "h.csv" || he.Line != line {
		t.Errorf("error at %s:%d, want h.csv:%d (%v)", he.File, he.Line, line, err)
	}
	prefix := "h.csv: "
	if line > 0 {
		prefix = fmt.Sprintf("h.csv:%d: ", line)
	}
	if he.Line == line && !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error %q: want it to begin %q", err, prefix)
	}
	if !strings.Contains(err.Error(), what) {
		t.Errorf("error %q: want it to say %q", err, what)
	}
}

// A small fictional postal-code hierarchy, three levels and the root.
const zipH = "100-0001;100-****;1**-****;*\n" +
	"100-0002;100-****;1**-****;*\n" +
	"150-0001;150-****;1**-****;*\n" +
	"530-0001;530-****;5**-****;*\n"

func TestReadHierarchyGood(t *testing.T) {
	for name, text := range map[string]string{
		"semicolon":                     zipH,
		"comma":                         strings.ReplaceAll(zipH, ";", ","),
		"tab":                           strings.ReplaceAll(zipH, ";", "\t"),
		"BOM":                           "\ufeff" + zipH,
		"BOM comma":                     "\ufeff" + strings.ReplaceAll(zipH, ";", ","),
		"CRLF":                          strings.ReplaceAll(zipH, "\n", "\r\n"),
		"blank lines, no final newline": "\n" + strings.Replace(zipH, "\n", "\n\n   \n", 1)[:len(zipH)+5-1],
		"spaces around fields":          strings.ReplaceAll(zipH, ";", " ; "),
		"quoted fields":                 strings.Replace(zipH, "100-0001;", `"100-0001";`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			h, err := readH(text)
			if err != nil {
				t.Fatal(err)
			}
			if h.Column != "zip" || h.Height() != 4 || len(h.Rows) != 4 {
				t.Fatalf("column %q height %d rows %d: %q", h.Column, h.Height(), len(h.Rows), h.Rows)
			}
			if !slices.Equal(h.Rows[0], []string{"100-0001", "100-****", "1**-****", "*"}) {
				t.Errorf("first row %q", h.Rows[0])
			}
			for l, want := range []string{"530-0001", "530-****", "5**-****", "*"} {
				if g, ok := h.Generalise("530-0001", l); !ok || g != want {
					t.Errorf("Generalise(530-0001, %d) = %q %v, want %q", l, g, ok, want)
				}
			}
			if _, ok := h.Generalise("999-9999", 1); ok {
				t.Errorf("Generalise of a value not in the hierarchy succeeds")
			}
			if err := h.Check(); err != nil {
				t.Errorf("Check of a hierarchy read from a file: %v", err)
			}
		})
	}
	// Japanese values, and a two-level hierarchy.
	h, err := readH("東京都;関東;*\n神奈川県;関東;*\n大阪府;近畿;*\n")
	if err != nil || h.Height() != 3 {
		t.Fatalf("%v %v", h, err)
	}
	if g, _ := h.Generalise("神奈川県", 1); g != "関東" {
		t.Errorf("神奈川県 → %q", g)
	}
	h, err = readH("男;*\n女;*\n")
	if err != nil || h.Height() != 2 {
		t.Fatalf("%v %v", h, err)
	}
}

func TestReadHierarchyFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"adult_hierarchy_zip.csv", "zip.csv"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(zipH), 0o600); err != nil {
			t.Fatal(err)
		}
		h, err := ReadHierarchyFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if h.Column != "zip" || len(h.Rows) != 4 {
			t.Errorf("%s: column %q rows %d", name, h.Column, len(h.Rows))
		}
	}
	// Errors name the file.
	p := filepath.Join(dir, "bad.csv")
	os.WriteFile(p, []byte("a;x;*\nb;*\n"), 0o600)
	_, err := ReadHierarchyFile(p)
	if err == nil || !strings.HasPrefix(err.Error(), p+":2:") {
		t.Errorf("error %v, want %s:2:", err, p)
	}
	if _, err := ReadHierarchyFile(filepath.Join(dir, "missing.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestColumnOfFile(t *testing.T) {
	for path, want := range map[string]string{
		"adult_hierarchy_age.csv":               "age",
		"age.csv":                               "age",
		"/data/h/adult_hierarchy_workclass.csv": "workclass",
		"dir/marital-status.csv":                "marital-status",
		"x_hierarchy_y_hierarchy_zip.csv":       "zip",
		"postal.code.csv":                       "postal.code",
		"noext":                                 "noext",
		"郵便番号.csv":                              "郵便番号",
		"_hierarchy_zip.csv":                    "zip",
	} {
		if got := ColumnOfFile(path); got != want {
			t.Errorf("ColumnOfFile(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestReadHierarchyErrors(t *testing.T) {
	t.Run("ragged", func(t *testing.T) {
		_, err := readH("a;x;*\nb;x;*\nc;*\n")
		wantHErr(t, err, 3, "2 fields where the first row has 3")
	})
	t.Run("ragged after a blank line", func(t *testing.T) {
		_, err := readH("a;x;*\n\nb;x;*\nc;x;y;*\n")
		wantHErr(t, err, 4, "4 fields")
	})
	t.Run("duplicate value", func(t *testing.T) {
		_, err := readH("a;x;*\nb;x;*\na;y;*\n")
		wantHErr(t, err, 3, "also on line 1")
	})
	t.Run("two parents", func(t *testing.T) {
		_, err := readH("a;x;P;*\nb;x;P;*\nc;x;Q;*\n")
		wantHErr(t, err, 3, "one parent")
	})
	t.Run("two parents at the second level", func(t *testing.T) {
		_, err := readH("a;x;P;R;*\nb;y;P;R;*\nc;z;Q;S;*\nd;w;Q;R;*\n")
		wantHErr(t, err, 4, `"Q" generalises to "R" here and to "S"`)
	})
	t.Run("empty value", func(t *testing.T) {
		_, err := readH("a;x;*\n;x;*\n")
		wantHErr(t, err, 2, "empty")
	})
	t.Run("blank value", func(t *testing.T) {
		_, err := readH("a;x;*\n  ;x;*\n")
		wantHErr(t, err, 2, "empty")
	})
	t.Run("empty generalisation", func(t *testing.T) {
		_, err := readH("a;x;*\nb;;*\n")
		wantHErr(t, err, 2, "field 2 is empty")
	})
	t.Run("not UTF-8 at the start", func(t *testing.T) {
		_, err := readH("\x82\xa0;x;*\nb;x;*\n") // Shift_JIS あ
		wantHErr(t, err, 1, "UTF-8")
	})
	t.Run("not UTF-8 further on", func(t *testing.T) {
		var b strings.Builder
		for i := range 600 {
			fmt.Fprintf(&b, "v%04d;x;*\n", i)
		}
		b.WriteString("\x93\x8c\x8b\x9e;x;*\n") // Shift_JIS 東京, past the first 4 KiB
		_, err := readH(b.String())
		wantHErr(t, err, 601, "UTF-8")
	})
	t.Run("empty file", func(t *testing.T) {
		_, err := readH("")
		wantHErr(t, err, 0, "no values")
	})
	t.Run("blank lines only", func(t *testing.T) {
		_, err := readH("\n  \n\n")
		wantHErr(t, err, 0, "no values")
	})
	t.Run("bad quotes", func(t *testing.T) {
		_, err := readH("a;x;*\nb;\"x;*\n")
		if err == nil {
			t.Fatal("no error")
		}
		var he *HierarchyError
		if !errors.As(err, &he) || !strings.Contains(err.Error(), "bad CSV") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("messages in errors.As", func(t *testing.T) {
		_, err := readH("a;x;*\nb;*\n")
		var he *HierarchyError
		if !errors.As(err, &he) || he.Msg == "" {
			t.Errorf("%v", err)
		}
	})
}

// The line of an error is the file's line, also past blank lines (which
// the CSV reader skips) and quoted fields that span lines.
func TestReadHierarchyErrorLinesPastBlankLines(t *testing.T) {
	t.Run("duplicate value", func(t *testing.T) {
		_, err := readH("a;x;*\n\nb;x;*\na;y;*\n")
		wantHErr(t, err, 4, "also on")
	})
	t.Run("two parents", func(t *testing.T) {
		_, err := readH("a;x;P;*\n\n\nb;x;Q;*\n")
		wantHErr(t, err, 4, "one parent")
	})
	t.Run("empty generalisation", func(t *testing.T) {
		_, err := readH("a;x;*\n\nb;;*\n")
		wantHErr(t, err, 3, "field 2 is empty")
	})
}

// The most general field may not be empty either: a row "b;" leaves b's
// generalisation blank.
func TestReadHierarchyEmptyLastField(t *testing.T) {
	_, err := readH("a;*\nb;\n")
	wantHErr(t, err, 2, "field 2 is empty")
	_, err = readH("a;x;*\nb;y;\n")
	wantHErr(t, err, 2, "field 3 is empty")
}

// A quote inside the first field is a CSV error, not a crash.
func TestReadHierarchyBareQuoteInFirstField(t *testing.T) {
	for _, text := range []string{"a\"b;*\n", "a;*\nb\"c;*\n", "x\"\n"} {
		var err error
		panicked := true
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("ReadHierarchy(%q) panics: %v", text, p)
				}
			}()
			_, err = readH(text)
			panicked = false
		}()
		if !panicked && err == nil {
			t.Errorf("ReadHierarchy(%q): no error", text)
		}
	}
}

func TestHierarchyCheck(t *testing.T) {
	good := &Hierarchy{Column: "c", Rows: [][]string{{"a", "x", "*"}, {"b", "x", "*"}}}
	if err := good.Check(); err != nil {
		t.Errorf("good: %v", err)
	}
	for name, h := range map[string]*Hierarchy{
		"empty":       {Column: "c"},
		"ragged":      {Column: "c", Rows: [][]string{{"a", "x", "*"}, {"b", "*"}}},
		"duplicate":   {Column: "c", Rows: [][]string{{"a", "x", "*"}, {"a", "y", "*"}}},
		"two parents": {Column: "c", Rows: [][]string{{"a", "x", "P", "*"}, {"b", "x", "Q", "*"}}},
	} {
		err := h.Check()
		var he *HierarchyError
		if !errors.As(err, &he) {
			t.Errorf("%s: %v", name, err)
		} else if he.File != "c" {
			t.Errorf("%s: error names %q, want the column", name, he.File)
		}
	}
	if (&Hierarchy{}).Height() != 0 {
		t.Errorf("Height of an empty hierarchy")
	}
}

// The Adult hierarchies read and check, and cover the Adult values.
func TestReadHierarchyAdult(t *testing.T) {
	tab, hs := ckSubset(t)
	if len(hs) != 9 {
		t.Errorf("%d hierarchies", len(hs))
	}
	for _, col := range tab.Header {
		h := hs[col]
		if h == nil {
			t.Errorf("no hierarchy for %s", col)
			continue
		}
		for _, r := range h.Rows {
			if r[len(r)-1] != Root {
				t.Errorf("%s: %q does not end at %q", col, r, Root)
				break
			}
		}
		for _, v := range Distinct(tab.Column(col)) {
			if _, ok := h.Generalise(v, h.Height()-1); !ok {
				t.Errorf("%s: %q not in the hierarchy", col, v)
			}
		}
	}
}
