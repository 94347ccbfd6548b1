package ledger_test

import (
	"os"
	"path/filepath"
	"testing"

	"hogo.example.jp/hogo/ledger"
)

// FuzzParse feeds arbitrary bytes to ParseAndValidate, starting from the
// example ledgers and the test ledgers. Whatever the input, it must not
// panic, every problem must point into the file (line and column from 1),
// and a ledger comes back exactly when there are no errors. Crashers found
// are kept under testdata/fuzz/FuzzParse as regressions.
func FuzzParse(f *testing.F) {
	var seeds []string
	for _, name := range exampleFiles {
		seeds = append(seeds, filepath.Join(examplesDir, name))
	}
	more, err := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	seeds = append(seeds, filepath.Join("testdata", "minimal.yaml"))
	seeds = append(seeds, more...)
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, ps := ledger.ParseAndValidate("fuzz.yaml", data)
		for _, p := range ps {
			if p.Pos.Line < 1 || p.Pos.Col < 1 {
				t.Errorf("problem at %s, outside the file: %s", p.Pos, p.Message)
			}
			if p.File != "fuzz.yaml" {
				t.Errorf("problem names file %q: %s", p.File, p.Message)
			}
			if p.Message == "" {
				t.Errorf("problem at %s has no message", p.Pos)
			}
			if p.Ja == "" {
				t.Errorf("problem at %s has no Japanese message: %s", p.Pos, p.Message)
			}
		}
		if hasErrors := len(ps.Errors()) > 0; hasErrors == (l != nil) {
			t.Errorf("ledger returned = %v with %d errors; want a ledger exactly when there are none:\n%s", l != nil, len(ps.Errors()), ps)
		}
		for i := 1; i < len(ps); i++ {
			a, b := ps[i-1].Pos, ps[i].Pos
			if a.Line > b.Line || (a.Line == b.Line && a.Col > b.Col) {
				t.Errorf("problems are not sorted by position: %s before %s", a, b)
			}
		}
	})
}
