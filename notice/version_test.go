package notice_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"hogo.example.jp/hogo/notice"
)

// render writes a diff compactly: " same", "+added", "-removed".
func render(ds []notice.DiffLine) string {
	var b strings.Builder
	for _, d := range ds {
		switch d.Kind {
		case notice.DiffSame:
			b.WriteString(" ")
		case notice.DiffAdded:
			b.WriteString("+")
		case notice.DiffRemoved:
			b.WriteString("-")
		}
		b.WriteString(d.Text + "\n")
	}
	return b.String()
}

func TestDiffCases(t *testing.T) {
	for _, c := range []struct {
		name, old, new, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", " a\n b\n"},
		{"both empty", "", "", ""},
		{"from nothing", "", "a\nb\n", "+a\n+b\n"},
		{"to nothing", "a\nb", "", "-a\n-b\n"},
		{"last newline does not matter", "a\nb", "a\nb\n", " a\n b\n"},
		{"replaced line reads old then new", "# 方針\n\n利用目的A\n\n窓口\n", "# 方針\n\n利用目的B\n\n窓口\n",
			" # 方針\n \n-利用目的A\n+利用目的B\n \n 窓口\n"},
		{"inserted in the middle", "a\nb\nc\n", "a\nb\nx\nc\n", " a\n b\n+x\n c\n"},
		{"removed at the start", "x\na\nb\n", "a\nb\n", "-x\n a\n b\n"},
		{"added at the end", "a\n", "a\nz\n", " a\n+z\n"},
		{"moved line", "a\nb\nc\n", "b\nc\na\n", "-a\n b\n c\n+a\n"},
		{"several runs", "a\nb\nc\nd\ne\n", "a\nB\nc\nD\ne\nf\n", " a\n-b\n+B\n c\n-d\n+D\n e\n+f\n"},
		{"CRLF equals LF", "a\r\nb\r\n", "a\nb\n", " a\n b\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := render(notice.Diff(c.old, c.new)); got != c.want {
				t.Errorf("Diff(%q, %q) =\n%s\nwant\n%s", c.old, c.new, got, c.want)
			}
		})
	}
}

// TestDiffLineNumbers: every line carries its number in the texts it is
// in.
func TestDiffLineNumbers(t *testing.T) {
	ds := notice.Diff("a\nb\nc\n", "a\nx\nc\nd\n")
	want := []notice.DiffLine{
		{Kind: notice.DiffSame, Text: "a", Old: 1, New: 1},
		{Kind: notice.DiffRemoved, Text: "b", Old: 2},
		{Kind: notice.DiffAdded, Text: "x", New: 2},
		{Kind: notice.DiffSame, Text: "c", Old: 3, New: 3},
		{Kind: notice.DiffAdded, Text: "d", New: 4},
	}
	if fmt.Sprint(ds) != fmt.Sprint(want) {
		t.Errorf("Diff = %v\nwant %v", ds, want)
	}
}

// lcs is the length of the longest common subsequence, by the textbook
// table: the number of same lines a shortest diff keeps.
func lcs(a, b []string) int {
	t := make([][]int, len(a)+1)
	for i := range t {
		t[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	return t[0][0]
}

// TestDiffRandom: on random texts over a small alphabet (many repeats),
// the diff gives back both texts and is a shortest one.
func TestDiffRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 15))
	gen := func() []string {
		out := make([]string, r.IntN(30))
		for i := range out {
			out[i] = string(rune('a' + r.IntN(4)))
		}
		return out
	}
	for i := 0; i < 2000; i++ {
		a, b := gen(), gen()
		if r.IntN(3) == 0 { // often a small edit of a
			b = append([]string(nil), a...)
			for n := r.IntN(3); n >= 0 && len(b) > 0; n-- {
				j := r.IntN(len(b))
				b = append(b[:j], append([]string{"x"}, b[j+1:]...)...)
			}
		}
		ds := notice.Diff(strings.Join(a, "\n"), strings.Join(b, "\n"))
		var gotA, gotB []string
		same := 0
		lastOld, lastNew := 0, 0
		for _, d := range ds {
			if d.Kind != notice.DiffAdded {
				gotA = append(gotA, d.Text)
				if d.Old != lastOld+1 {
					t.Fatalf("%q → %q: old line %d after %d", a, b, d.Old, lastOld)
				}
				lastOld = d.Old
			}
			if d.Kind != notice.DiffRemoved {
				gotB = append(gotB, d.Text)
				if d.New != lastNew+1 {
					t.Fatalf("%q → %q: new line %d after %d", a, b, d.New, lastNew)
				}
				lastNew = d.New
			}
			if d.Kind == notice.DiffSame {
				same++
			}
		}
		if strings.Join(gotA, "\n") != strings.Join(a, "\n") || strings.Join(gotB, "\n") != strings.Join(b, "\n") {
			t.Fatalf("%q → %q: the diff gives %q → %q", a, b, gotA, gotB)
		}
		if want := lcs(a, b); same != want {
			t.Fatalf("%q → %q: %d same lines, a shortest diff keeps %d\n%s", a, b, same, want, render(ds))
		}
	}
}

// TestDiffLong: a long text with a few changes is quick and keeps all but
// the changed lines.
func TestDiffLong(t *testing.T) {
	var a, b []string
	for i := 0; i < 5000; i++ {
		a = append(a, fmt.Sprintf("line %d", i))
		if i%1000 == 500 {
			b = append(b, fmt.Sprintf("changed %d", i))
		} else {
			b = append(b, a[i])
		}
	}
	ds := notice.Diff(strings.Join(a, "\n"), strings.Join(b, "\n"))
	changed := 0
	for _, d := range ds {
		if d.Kind != notice.DiffSame {
			changed++
		}
	}
	if changed != 10 || len(ds) != 5005 {
		t.Errorf("%d changed lines of %d, want 10 of 5005", changed, len(ds))
	}
}

func TestHunks(t *testing.T) {
	var a, b []string
	for i := 1; i <= 20; i++ {
		a = append(a, fmt.Sprint(i))
		b = append(b, fmt.Sprint(i))
	}
	b[4] = "five"  // line 5
	b[6] = "seven" // line 7: shares a hunk with line 5
	b[17] = "18!"  // line 18: a hunk of its own
	hs := notice.Hunks(notice.Diff(strings.Join(a, "\n"), strings.Join(b, "\n")), 2)
	if len(hs) != 2 {
		t.Fatalf("%d hunks, want 2: %v", len(hs), hs)
	}
	if got, want := render(hs[0].Lines), " 3\n 4\n-5\n+five\n 6\n-7\n+seven\n 8\n 9\n"; got != want {
		t.Errorf("first hunk\n%s\nwant\n%s", got, want)
	}
	if got, want := render(hs[1].Lines), " 16\n 17\n-18\n+18!\n 19\n 20\n"; got != want {
		t.Errorf("second hunk\n%s\nwant\n%s", got, want)
	}
	if hs := notice.Hunks(notice.Diff("a\nb\n", "a\nb\n"), 3); len(hs) != 0 {
		t.Errorf("equal texts have %d hunks", len(hs))
	}
	// Blank lines are no context: the heading before a change shows.
	hs = notice.Hunks(notice.Diff("## 1. 利用目的\n\n- A\n\n## 2. 窓口\n", "## 1. 利用目的\n\n- B\n\n## 2. 窓口\n"), 1)
	if got, want := render(hs[0].Lines), " ## 1. 利用目的\n \n-- A\n+- B\n \n ## 2. 窓口\n"; len(hs) != 1 || got != want {
		t.Errorf("hunks %d\n%s\nwant\n%s", len(hs), got, want)
	}
}
