package pdftext

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// font maps the codes in a text string to Unicode text and advances.
type font struct {
	twoByte bool            // Type0 font: two-byte codes (Identity-H and the like)
	toUni   *cmap           // nil without a ToUnicode CMap
	enc     *[256]rune      // simple fonts without ToUnicode
	widths  map[int]float64 // code → advance in text space units (thousandths of an em / 1000)
	dw      float64         // advance of codes missing from widths
}

// glyph is one decoded character code.
type glyph struct {
	text  string
	width float64 // in text space units per unit font size
	space bool    // single-byte code 32, which word spacing applies to
}

func (fn *font) decode(s []byte) []glyph {
	var out []glyph
	step := 1
	if fn.twoByte {
		step = 2
	}
	for i := 0; i+step <= len(s); i += step {
		code := int(s[i])
		if step == 2 {
			code = code<<8 | int(s[i+1])
		}
		g := glyph{width: fn.dw, space: step == 1 && code == 32}
		if w, ok := fn.widths[code]; ok {
			g.width = w
		}
		switch {
		case fn.toUni != nil:
			if t, ok := fn.toUni.lookup(code, step); ok {
				g.text = t
			} else if step == 1 && fn.enc != nil {
				g.text = string(fn.enc[code])
			} else {
				g.text = "\uFFFD"
			}
		case step == 1 && fn.enc != nil:
			g.text = string(fn.enc[code])
		default:
			g.text = "\uFFFD"
		}
		out = append(out, g)
	}
	return out
}

// loadFont reads a font dictionary.
func (f *file) loadFont(v any) *font {
	d := f.dict(v)
	fn := &font{widths: map[int]float64{}, dw: 0.5}
	if d == nil {
		fn.enc = &winAnsi
		return fn
	}
	if s, ok := f.resolve(d["ToUnicode"]).(*stream); ok {
		if data, err := f.decode(s); err == nil {
			fn.toUni = parseCMap(data)
		}
	}
	if d["Subtype"] == name("Type0") {
		fn.twoByte = true
		fn.dw = 1
		desc := f.array(d["DescendantFonts"])
		if len(desc) > 0 {
			dd := f.dict(desc[0])
			fn.dw = f.number(dd["DW"], 1000) / 1000
			f.cidWidths(fn, f.array(dd["W"]))
		}
		return fn
	}
	first := int(f.number(d["FirstChar"], 0))
	for i, w := range f.array(d["Widths"]) {
		fn.widths[first+i] = f.number(w, 0) / 1000
	}
	fn.enc = f.simpleEncoding(d["Encoding"])
	return fn
}

// cidWidths reads a CIDFont's W array: "c [w1 w2 …]" gives widths from c
// on, "c1 c2 w" one width for a range. Codes are two bytes, so more than
// 65536 entries can only come from a malformed array; reading stops there.
func (f *file) cidWidths(fn *font, w []any) {
	budget := 1 << 16
	for i := 0; i < len(w) && budget > 0; {
		c, ok := f.resolve(w[i]).(float64)
		if !ok || i+1 >= len(w) {
			return
		}
		if a, ok := f.resolve(w[i+1]).([]any); ok {
			for j, x := range a {
				fn.widths[int(c)+j] = f.number(x, 0) / 1000
			}
			budget -= len(a)
			i += 2
			continue
		}
		c2, ok := f.resolve(w[i+1]).(float64)
		if !ok || i+2 >= len(w) || c2 < c || c2-c > 0xFFFF {
			return
		}
		width := f.number(w[i+2], 0) / 1000
		for code := int(c); code <= int(c2) && budget > 0; code++ {
			fn.widths[code] = width
			budget--
		}
		i += 3
	}
}

// simpleEncoding approximates a simple font's encoding: WinAnsi for the
// base (the usual one), with Differences honoured where the glyph names
// say which character they are.
func (f *file) simpleEncoding(v any) *[256]rune {
	enc := winAnsi
	d := f.dict(v)
	if d == nil {
		return &enc
	}
	code := 0
	for _, x := range f.array(d["Differences"]) {
		switch x := f.resolve(x).(type) {
		case float64:
			code = int(x)
		case name:
			if code >= 0 && code < 256 {
				if r, ok := glyphRune(string(x)); ok {
					enc[code] = r
				}
			}
			code++
		}
	}
	return &enc
}

// glyphRune knows the glyph names that spell their character: uniXXXX,
// single letters and digits' names.
func glyphRune(n string) (rune, bool) {
	if len(n) == 7 && strings.HasPrefix(n, "uni") {
		if v, err := strconv.ParseUint(n[3:], 16, 16); err == nil {
			return rune(v), true
		}
	}
	if len(n) == 1 && (n[0] >= 'a' && n[0] <= 'z' || n[0] >= 'A' && n[0] <= 'Z') {
		return rune(n[0]), true
	}
	digits := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	for i, d := range digits {
		if n == d {
			return rune('0' + i), true
		}
	}
	switch n {
	case "space":
		return ' ', true
	case "period":
		return '.', true
	case "comma":
		return ',', true
	case "hyphen":
		return '-', true
	}
	return 0, false
}

// winAnsi is Windows code page 1252, which WinAnsiEncoding is.
var winAnsi = func() [256]rune {
	var t [256]rune
	for i := range t {
		t[i] = rune(i)
	}
	high := []rune("€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ")
	for i, r := range high {
		t[0x80+i] = r
	}
	return t
}()

// cmap is a ToUnicode CMap: character codes of a given byte length to
// text.
type cmap struct {
	single map[cmapKey]string
	ranges []cmapRange // large bfranges, kept unexpanded
}

type cmapKey struct {
	code, n int // n is the code length in bytes
}

type cmapRange struct {
	lo, hi, n int
	dst       []uint16 // UTF-16 of lo's text; the last unit counts up
}

func (m *cmap) lookup(code, n int) (string, bool) {
	if t, ok := m.single[cmapKey{code, n}]; ok {
		return t, true
	}
	for _, r := range m.ranges {
		if r.n == n && code >= r.lo && code <= r.hi {
			u := append([]uint16(nil), r.dst...)
			u[len(u)-1] += uint16(code - r.lo)
			return string(utf16.Decode(u)), true
		}
	}
	return "", false
}

// parseCMap reads the bfchar and bfrange sections of a CMap, which are all
// that a ToUnicode map needs. Anything it cannot read ends the parse with
// what it has so far.
func parseCMap(data []byte) *cmap {
	m := &cmap{single: map[cmapKey]string{}}
	lx := &lexer{b: data}
	var ops []any
	for {
		lx.skipSpace()
		if lx.pos >= len(lx.b) {
			return m
		}
		v, err := lx.value(0)
		if err != nil {
			return m
		}
		switch v {
		case keyword("endbfchar"):
			for i := 0; i+1 < len(ops); i += 2 {
				src, ok1 := ops[i].([]byte)
				dst, ok2 := ops[i+1].([]byte)
				if ok1 && ok2 && len(src) > 0 && len(src) <= 4 {
					m.single[cmapKey{codeOf(src), len(src)}] = utf16Text(dst)
				}
			}
		case keyword("endbfrange"):
			for i := 0; i+2 < len(ops); i += 3 {
				lo, ok1 := ops[i].([]byte)
				hi, ok2 := ops[i+1].([]byte)
				if !ok1 || !ok2 || len(lo) == 0 || len(lo) > 4 || len(hi) != len(lo) {
					continue
				}
				m.addRange(codeOf(lo), codeOf(hi), len(lo), ops[i+2])
			}
		}
		if _, ok := v.(keyword); ok {
			ops = ops[:0]
			continue
		}
		if len(ops) < 1<<16 {
			ops = append(ops, v)
		}
	}
}

func (m *cmap) addRange(lo, hi, n int, dst any) {
	if hi < lo {
		return
	}
	switch d := dst.(type) {
	case []byte:
		u := utf16Units(d)
		if len(u) == 0 {
			return
		}
		if hi-lo >= 256 {
			m.ranges = append(m.ranges, cmapRange{lo: lo, hi: hi, n: n, dst: u})
			return
		}
		for c := lo; c <= hi; c++ {
			v := append([]uint16(nil), u...)
			v[len(v)-1] += uint16(c - lo)
			m.single[cmapKey{c, n}] = string(utf16.Decode(v))
		}
	case []any:
		for i, x := range d {
			if b, ok := x.([]byte); ok && lo+i <= hi {
				m.single[cmapKey{lo + i, n}] = utf16Text(b)
			}
		}
	}
}

func codeOf(b []byte) int {
	c := 0
	for _, x := range b {
		c = c<<8 | int(x)
	}
	return c
}

func utf16Units(b []byte) []uint16 {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return u
}

// utf16Text decodes a CMap destination, which is UTF-16BE text.
func utf16Text(b []byte) string {
	return string(utf16.Decode(utf16Units(b)))
}
