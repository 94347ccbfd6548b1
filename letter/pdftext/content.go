package pdftext

import (
	"bytes"
	"math"
	"sort"
	"strings"
)

// matrix is a PDF transformation [a b c d e f]; a point (x, y) maps to
// (a·x + c·y + e, b·x + d·y + f).
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n: first m, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func translate(x, y float64) matrix { return matrix{1, 0, 0, 1, x, y} }

// item is one character placed on the page.
type item struct {
	x, y, endX, size float64
	text             string
	spaceBefore      bool // a TJ offset wide enough to be a word space
	seq              int  // drawing order, to keep ties stable
}

type gstate struct {
	ctm                  matrix
	font                 *font
	size                 float64
	tc, tw, th, tl, rise float64
}

// interp runs content streams and collects the characters they show.
type interp struct {
	f     *file
	fonts map[any]*font
	items []item
	depth int
	forms int // form XObjects run for this page
}

// Form XObjects may nest and repeat; these bound the work a malformed
// file can cause.
const (
	maxFormDepth = 8
	maxForms     = 1000
)

func (in *interp) run(data []byte, res dict, gs gstate) {
	var stack []gstate
	var tm, tlm matrix
	var ops []any
	spaceNext := false
	lx := &lexer{b: data}

	show := func(s []byte) {
		if gs.font == nil {
			gs.font = &font{enc: &winAnsi, widths: map[int]float64{}, dw: 0.5}
		}
		for _, g := range gs.font.decode(s) {
			trm := matrix{gs.size * gs.th, 0, 0, gs.size, 0, gs.rise}.mul(tm).mul(gs.ctm)
			size := math.Hypot(trm[2], trm[3])
			tx := g.width*gs.size + gs.tc
			if g.space {
				tx += gs.tw
			}
			tx *= gs.th
			tm = translate(tx, 0).mul(tm)
			end := matrix{1, 0, 0, 1, 0, gs.rise}.mul(tm).mul(gs.ctm)
			in.items = append(in.items, item{
				x: trm[4], y: trm[5], endX: end[4], size: size,
				text: g.text, spaceBefore: spaceNext, seq: len(in.items),
			})
			spaceNext = false
		}
	}
	num := func(i int) float64 {
		if i < 0 || i >= len(ops) {
			return 0
		}
		n, _ := ops[i].(float64)
		return n
	}
	last := func(k int) int { return len(ops) - k } // index of the k-th operand from the end

	for {
		lx.skipSpace()
		if lx.pos >= len(lx.b) {
			return
		}
		start := lx.pos
		v, err := lx.value(0)
		if err != nil {
			if lx.pos == start {
				lx.pos++
			}
			ops = ops[:0]
			continue
		}
		op, ok := v.(keyword)
		if !ok {
			if len(ops) < 1024 {
				ops = append(ops, v)
			}
			continue
		}
		switch op {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, gs)
			}
		case "Q":
			if len(stack) > 0 {
				gs = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(ops) >= 6 {
				i := last(6)
				m := matrix{num(i), num(i + 1), num(i + 2), num(i + 3), num(i + 4), num(i + 5)}
				gs.ctm = m.mul(gs.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(ops) >= 2 {
				if n, ok := ops[last(2)].(name); ok {
					gs.font = in.font(res, n)
				}
				gs.size = num(last(1))
			}
		case "Tc":
			gs.tc = num(last(1))
		case "Tw":
			gs.tw = num(last(1))
		case "Tz":
			gs.th = num(last(1)) / 100
		case "TL":
			gs.tl = num(last(1))
		case "Ts":
			gs.rise = num(last(1))
		case "Td", "TD":
			if len(ops) >= 2 {
				tx, ty := num(last(2)), num(last(1))
				if op == "TD" {
					gs.tl = -ty
				}
				tlm = translate(tx, ty).mul(tlm)
				tm = tlm
			}
		case "Tm":
			if len(ops) >= 6 {
				i := last(6)
				tlm = matrix{num(i), num(i + 1), num(i + 2), num(i + 3), num(i + 4), num(i + 5)}
				tm = tlm
			}
		case "T*":
			tlm = translate(0, -gs.tl).mul(tlm)
			tm = tlm
		case "Tj", "'", "\"":
			if op == "\"" && len(ops) >= 3 {
				gs.tw, gs.tc = num(last(3)), num(last(2))
			}
			if op != "Tj" {
				tlm = translate(0, -gs.tl).mul(tlm)
				tm = tlm
			}
			if len(ops) >= 1 {
				if s, ok := ops[last(1)].([]byte); ok {
					show(s)
				}
			}
		case "TJ":
			if len(ops) >= 1 {
				arr, _ := ops[last(1)].([]any)
				for _, e := range arr {
					switch e := e.(type) {
					case []byte:
						show(e)
					case float64:
						tx := -e / 1000 * gs.size * gs.th
						tm = translate(tx, 0).mul(tm)
						// A gap of a quarter em or more separates words.
						if e < -250 {
							spaceNext = true
						}
					}
				}
			}
		case "Do":
			if len(ops) >= 1 {
				if n, ok := ops[last(1)].(name); ok {
					in.form(res, n, gs)
				}
			}
		case "BI":
			skipInlineImage(lx)
		}
		ops = ops[:0]
	}
}

// skipInlineImage moves past the data of an inline image, which is raw
// bytes up to "EI".
func skipInlineImage(lx *lexer) {
	i := bytes.Index(lx.b[lx.pos:], []byte("ID"))
	if i < 0 {
		lx.pos = len(lx.b)
		return
	}
	p := lx.pos + i + 3
	for p < len(lx.b) {
		j := bytes.Index(lx.b[p:], []byte("EI"))
		if j < 0 {
			break
		}
		e := p + j
		if isSpace(lx.b[e-1]) && (e+2 == len(lx.b) || isSpace(lx.b[e+2])) {
			lx.pos = e + 2
			return
		}
		p = e + 2
	}
	lx.pos = len(lx.b)
}

func (in *interp) font(res dict, n name) *font {
	fonts := in.f.dict(res["Font"])
	v, ok := fonts[n]
	if !ok {
		return nil
	}
	key := any(v)
	if _, isRef := v.(ref); !isRef {
		key = &v // a direct font dictionary: not shared
	}
	if fn, ok := in.fonts[key]; ok {
		return fn
	}
	fn := in.f.loadFont(v)
	in.fonts[key] = fn
	return fn
}

// form runs a form XObject, the way PDF writers reuse drawn content.
func (in *interp) form(res dict, n name, gs gstate) {
	xobjs := in.f.dict(res["XObject"])
	s, ok := in.f.resolve(xobjs[n]).(*stream)
	if !ok || s.dict["Subtype"] != name("Form") || in.depth >= maxFormDepth || in.forms >= maxForms {
		return
	}
	in.forms++
	data, err := in.f.decode(s)
	if err != nil {
		return
	}
	if m := in.f.array(s.dict["Matrix"]); len(m) == 6 {
		var fm matrix
		for i := range fm {
			fm[i] = in.f.number(m[i], 0)
		}
		gs.ctm = fm.mul(gs.ctm)
	}
	if r := in.f.dict(s.dict["Resources"]); r != nil {
		res = r
	}
	in.depth++
	in.run(data, res, gs)
	in.depth--
}

// lines arranges the collected characters into lines of text, top to
// bottom and left to right, the way the page reads. Characters whose
// baselines are close belong to one line.
func lines(items []item) []string {
	its := make([]item, 0, len(items))
	for _, it := range items {
		if it.text != "" {
			its = append(its, it)
		}
	}
	sort.SliceStable(its, func(i, j int) bool { return its[i].y > its[j].y })
	var out []string
	for start := 0; start < len(its); {
		end := start + 1
		for end < len(its) && sameLine(its[start].y, its[start].size, its[end]) {
			end++
		}
		l := its[start:end]
		start = end
		sort.SliceStable(l, func(i, j int) bool {
			a, b := l[i], l[j]
			if a.x != b.x {
				return a.x < b.x
			}
			return a.seq < b.seq
		})
		var b strings.Builder
		for i, it := range l {
			if i > 0 {
				prev := l[i-1]
				gap := it.x - prev.endX
				sep := it.spaceBefore || gap > 0.2*math.Max(it.size, prev.size)
				if sep && prev.text != " " && it.text != " " {
					b.WriteByte(' ')
				}
			}
			b.WriteString(it.text)
		}
		if s := strings.Trim(b.String(), " "); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sameLine reports whether it sits on the line at baseline y: within a
// third of the smaller font size.
func sameLine(y, size float64, it item) bool {
	tol := math.Max(math.Min(size, it.size)/3, 0.5)
	return math.Abs(it.y-y) <= tol
}
