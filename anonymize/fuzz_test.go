package anonymize

import (
	"bytes"
	"slices"
	"testing"
	"unicode/utf8"
)

// FuzzHierarchy: ReadHierarchy on any bytes returns a hierarchy or an
// error, never panics; a hierarchy it returns is rectangular, its values
// unique, non-empty and UTF-8, each generalised value with one parent, and
// every value generalises to itself at level 0.
func FuzzHierarchy(f *testing.F) {
	for _, s := range []string{
		zipH,
		"\ufeff" + zipH,
		"a,x,*\nb,x,*\n",
		"a\tx\t*\nb\ty\t*\n",
		"東京都;関東;*\n大阪府;近畿;*\n",
		"a;x;*\nb;*\n",
		"a;x;*\na;y;*\n",
		"a;x;P;*\nb;x;Q;*\n",
		";x;*\n",
		"a;;*\n",
		"\n \n\n",
		"a;\"x\ny\";*\nb;z;*\n",
		"a;\"x;*\n",
		"\x82\xa0;x;*\n",
		"a;x;*\r\nb;x;*\r\n",
		"a;*\n\nb;*\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadHierarchy(bytes.NewReader(data), "fuzz.csv", "c")
		if err != nil {
			if h != nil {
				t.Fatalf("a hierarchy with the error %v", err)
			}
			if _, ok := err.(*HierarchyError); !ok {
				t.Fatalf("error %v is a %T, want *HierarchyError", err, err)
			}
			return
		}
		H := h.Height()
		if H < 1 || len(h.Rows) == 0 || h.Column != "c" {
			t.Fatalf("height %d, %d rows, column %q", H, len(h.Rows), h.Column)
		}
		seen := map[string]bool{}
		for i, r := range h.Rows {
			if len(r) != H {
				t.Fatalf("row %d has %d fields, height %d", i, len(r), H)
			}
			if r[0] == "" || seen[r[0]] {
				t.Fatalf("row %d: value %q empty or repeated", i, r[0])
			}
			seen[r[0]] = true
			for _, v := range r {
				if !utf8.ValidString(v) {
					t.Fatalf("row %d: %q is not UTF-8", i, v)
				}
			}
			if g, ok := h.Generalise(r[0], 0); !ok || g != r[0] {
				t.Fatalf("Generalise(%q, 0) = %q, %v", r[0], g, ok)
			}
			if g, ok := h.Generalise(r[0], H-1); !ok || g != r[H-1] {
				t.Fatalf("Generalise(%q, %d) = %q, %v", r[0], H-1, g, ok)
			}
		}
		for l := 1; l+1 < H; l++ {
			parent := map[string]string{}
			for _, r := range h.Rows {
				if p, ok := parent[r[l]]; ok && p != r[l+1] {
					t.Fatalf("%q at level %d has parents %q and %q", r[l], l, p, r[l+1])
				}
				parent[r[l]] = r[l+1]
			}
		}
		if err := h.Check(); err != nil {
			t.Fatalf("Check of a hierarchy ReadHierarchy returned: %v", err)
		}
	})
}

// FuzzTable: ReadTable on any bytes returns a table or an error, never
// panics; a table it returns has a header of unique non-empty names, at
// least one row, every row as wide as the header, and a delimiter it can
// write with.
func FuzzTable(f *testing.F) {
	for _, s := range []string{
		members,
		"\ufeff" + members,
		"id,name\n1,x\n",
		"id\tname\n1\tx\n",
		"id;name\n1;x\n2;y;z\n",
		"id;id\n1;2\n",
		"id;;x\n1;2;3\n",
		"a;b;c\n",
		"",
		"\ufeff",
		"id,memo\n1,\"a\nb\"\n",
		"id;name\n1;x\"y\n",
		"id;name\n1;\"xy\n",
		"\x89\xef\x88\xf5,\x8e\x81\x96\xbc\n1,\x8eR\x93c\n", // Shift_JIS 会員,氏名 / 山田
		"id,kana\n1,\xb1\xb2\xb3",
		"code\nA\n\"\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ReadTable(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if tab != nil {
				t.Fatalf("a table with the error %v", err)
			}
			return
		}
		if len(tab.Header) == 0 || len(tab.Rows) == 0 {
			t.Fatalf("header %q, %d rows", tab.Header, len(tab.Rows))
		}
		if !slices.Contains([]rune{';', ',', '\t'}, tab.Comma) {
			t.Fatalf("delimiter %q", tab.Comma)
		}
		seen := map[string]bool{}
		for _, h := range tab.Header {
			if h == "" || seen[h] {
				t.Fatalf("header %q: a name empty or repeated", tab.Header)
			}
			seen[h] = true
		}
		for i, r := range tab.Rows {
			if len(r) != len(tab.Header) {
				t.Fatalf("row %d has %d fields, the header %d", i+2, len(r), len(tab.Header))
			}
		}
		var buf bytes.Buffer
		if err := tab.Write(&buf); err != nil {
			t.Fatalf("Write: %v", err)
		}
	})
}
