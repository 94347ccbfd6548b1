package anonymize

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// encoded is a table ready for the search: each quasi-identifier's values
// as codes at level 0, the code tables to every level, and the rows grouped
// into the classes of the most specific node (with their sensitive
// values' counts).
type encoded struct {
	q      int          // quasi-identifiers
	height []int        // levels per quasi-identifier
	gen    [][][]int32  // gen[d][l][code0] = code at level l
	dom    [][]int      // dom[d][l] = distinct codes at level l
	labels [][][]string // labels[d][l][code] = the value shown
	rows   int
	rowCls []int32 // row → bottom class
	bottom *classes

	// Sensitive attributes: sw counts per class, attribute s at sOff[s].
	sens   []*sensitive
	sOff   []int
	sw     int
	global [][]float64 // per attribute, the whole table's distribution

	// Per quasi-identifier and level, summed over the rows: the loss and
	// the log2 frequency of the generalised values (bounds of the metrics).
	lossSum [][]float64
	entSum  [][]float64
	lossv   [][][]float64 // lossv[d][l][code]
	logf    [][][]float64 // logf[d][l][code] = log2 of the rows holding it
	ent0    float64       // Σ over rows and attributes of log2 freq at level 0

	pool  sync.Pool     // *scratchBuf
	steps [][][][]int32 // steps[d][a][b]: code at level a → code at level b
}

type sensitive struct {
	column  string
	values  []string
	ordered bool // numbers: t-closeness by ordered distance
}

// classes are the equivalence classes of one node: n tuples of q codes, the
// rows in each, and each class's counts of sensitive values.
type classes struct {
	levels []int
	codes  []int32
	count  []int32
	sens   []int32
}

func (c *classes) n() int { return len(c.count) }

// table is an open-addressing hash of code tuples to class indexes.
type table struct {
	slots []int32 // class index+1, 0 = empty
	mask  uint64
	q     int
}

func newTable(q, expect int) *table {
	size := 16
	for size < expect*2 {
		size <<= 1
	}
	return &table{slots: make([]int32, size), mask: uint64(size - 1), q: q}
}

func hashTuple(t []int32) uint64 {
	h := uint64(14695981039346656037)
	for _, v := range t {
		h ^= uint64(uint32(v))
		h *= 1099511628211
		h ^= h >> 29
	}
	return h
}

// find returns the class of tuple t in c, adding it when new.
func (tb *table) find(c *classes, t []int32) (int, bool) {
	if c.n()*2 >= len(tb.slots) {
		tb.grow(c)
	}
	q := tb.q
	for i := hashTuple(t) & tb.mask; ; i = (i + 1) & tb.mask {
		s := tb.slots[i]
		if s == 0 {
			idx := c.n()
			c.codes = append(c.codes, t...)
			c.count = append(c.count, 0)
			tb.slots[i] = int32(idx + 1)
			return idx, true
		}
		if slices.Equal(c.codes[int(s-1)*q:int(s)*q], t) {
			return int(s - 1), false
		}
	}
}

func (tb *table) grow(c *classes) {
	size := len(tb.slots) * 2
	tb.slots, tb.mask = make([]int32, size), uint64(size-1)
	q := tb.q
	for idx := range c.n() {
		t := c.codes[idx*q : (idx+1)*q]
		for i := hashTuple(t) & tb.mask; ; i = (i + 1) & tb.mask {
			if tb.slots[i] == 0 {
				tb.slots[i] = int32(idx + 1)
				break
			}
		}
	}
}

// encode checks the configuration against the table and encodes it. Every
// problem is found here, before any search.
func encode(t *Table, cfg *Config) (*encoded, error) {
	col := map[string]int{}
	for i, h := range t.Header {
		col[h] = i
	}
	e := &encoded{q: len(cfg.QI), rows: len(t.Rows)}
	qiCols := make([]int, len(cfg.QI))
	for d, name := range cfg.QI {
		i, ok := col[name]
		if !ok {
			return nil, fmt.Errorf("the quasi-identifier %q is not a column of the table (columns: %v)", name, t.Header)
		}
		qiCols[d] = i
		h := cfg.Hierarchies[name]
		if h == nil {
			return nil, fmt.Errorf("no hierarchy for the quasi-identifier %q: give %s.csv in the hierarchy directory", name, name)
		}
		if h.Height() < 2 {
			return nil, fmt.Errorf("the hierarchy of %q has one level: it needs at least the values and %q", name, Root)
		}
		if err := h.Check(); err != nil {
			return nil, fmt.Errorf("the hierarchy of %q: %w", name, err)
		}
	}
	// Codes per level, in the hierarchy's order.
	e.height = make([]int, e.q)
	e.gen = make([][][]int32, e.q)
	e.dom = make([][]int, e.q)
	e.labels = make([][][]string, e.q)
	for d, name := range cfg.QI {
		h := cfg.Hierarchies[name]
		e.height[d] = h.Height()
		e.gen[d] = make([][]int32, h.Height())
		e.dom[d] = make([]int, h.Height())
		e.labels[d] = make([][]string, h.Height())
		for l := range h.Height() {
			idx := map[string]int32{}
			g := make([]int32, len(h.Rows))
			for i, r := range h.Rows {
				c, ok := idx[r[l]]
				if !ok {
					c = int32(len(idx))
					idx[r[l]] = c
					e.labels[d][l] = append(e.labels[d][l], r[l])
				}
				g[i] = c
			}
			e.gen[d][l] = g
			e.dom[d][l] = len(idx)
		}
	}
	codes := make([]int32, e.q*len(t.Rows))
	for r, row := range t.Rows {
		for d, name := range cfg.QI {
			v := row[qiCols[d]]
			i, ok := cfg.Hierarchies[name].lookup(v)
			if !ok {
				// The value itself is not repeated: it may be personal data.
				return nil, &RowError{Row: r + 2, Column: name, Msg: fmt.Sprintf(
					"the value in this cell is not in the hierarchy of %q: add a line for it to the hierarchy file", name)}
			}
			codes[r*e.q+d] = int32(i)
		}
	}
	// Sensitive attributes.
	sCols := make([]int, len(cfg.Sensitive))
	for s, name := range cfg.Sensitive {
		i, ok := col[name]
		if !ok {
			return nil, fmt.Errorf("the sensitive attribute %q is not a column of the table (columns: %v)", name, t.Header)
		}
		if slices.Contains(cfg.QI, name) {
			return nil, fmt.Errorf("%q is given both as a quasi-identifier and as a sensitive attribute", name)
		}
		sCols[s] = i
		vals := make([]string, len(t.Rows))
		for r, row := range t.Rows {
			vals[r] = row[i]
		}
		sa := &sensitive{column: name, values: Distinct(vals), ordered: true}
		nums := make([]float64, len(sa.values))
		for j, v := range sa.values {
			f, err := parseNumber(v)
			if err != nil {
				sa.ordered = false
				break
			}
			nums[j] = f
		}
		if sa.ordered {
			slices.SortFunc(sa.values, func(a, b string) int {
				fa, _ := parseNumber(a)
				fb, _ := parseNumber(b)
				return cmpFloat(fa, fb)
			})
		}
		e.sens = append(e.sens, sa)
		e.sOff = append(e.sOff, e.sw)
		e.sw += len(sa.values)
	}
	sIdx := make([]map[string]int32, len(e.sens))
	for s, sa := range e.sens {
		sIdx[s] = make(map[string]int32, len(sa.values))
		for j, v := range sa.values {
			sIdx[s][v] = int32(j)
		}
		e.global = append(e.global, make([]float64, len(sa.values)))
	}

	// The bottom node's classes.
	b := &classes{levels: make([]int, e.q)}
	tb := newTable(e.q, 1024)
	e.rowCls = make([]int32, len(t.Rows))
	tuple := make([]int32, e.q)
	for r, row := range t.Rows {
		copy(tuple, codes[r*e.q:(r+1)*e.q])
		for d := range e.q {
			tuple[d] = e.gen[d][0][tuple[d]]
		}
		c, isNew := tb.find(b, tuple)
		if isNew && e.sw > 0 {
			b.sens = append(b.sens, make([]int32, e.sw)...)
		}
		b.count[c]++
		e.rowCls[r] = int32(c)
		for s := range e.sens {
			j := sIdx[s][row[sCols[s]]]
			b.sens[c*e.sw+e.sOff[s]+int(j)]++
			e.global[s][j]++
		}
	}
	for s := range e.global {
		for j := range e.global[s] {
			e.global[s][j] /= float64(len(t.Rows))
		}
	}
	// Bottom codes are hierarchy row indexes mapped to level-0 codes; keep
	// per-level tables indexed by level-0 code from here on.
	for d := range e.q {
		g0 := e.gen[d][0]
		for l := range e.height[d] {
			m := make([]int32, e.dom[d][0])
			for i, c0 := range g0 {
				m[c0] = e.gen[d][l][i]
			}
			e.gen[d][l] = m
		}
	}
	e.bottom = b
	e.prepareSteps()
	e.prepareMetrics()
	return e, nil
}

// prepareMetrics counts, per quasi-identifier and level, the rows under
// each generalised value and the leaves (distinct values in the data)
// under it, for the loss and entropy metrics and their bounds.
func (e *encoded) prepareMetrics() {
	b := e.bottom
	e.lossv = make([][][]float64, e.q)
	e.logf = make([][][]float64, e.q)
	e.lossSum = make([][]float64, e.q)
	e.entSum = make([][]float64, e.q)
	for d := range e.q {
		freq0 := make([]float64, e.dom[d][0])
		for c := range b.n() {
			freq0[b.codes[c*e.q+d]] += float64(b.count[c])
		}
		present := 0
		for _, f := range freq0 {
			if f > 0 {
				present++
			}
		}
		e.lossv[d] = make([][]float64, e.height[d])
		e.logf[d] = make([][]float64, e.height[d])
		e.lossSum[d] = make([]float64, e.height[d])
		e.entSum[d] = make([]float64, e.height[d])
		for l := range e.height[d] {
			leaves := make([]float64, e.dom[d][l])
			freq := make([]float64, e.dom[d][l])
			for c0, f := range freq0 {
				g := e.gen[d][l][c0]
				freq[g] += f
				if f > 0 {
					leaves[g]++
				}
			}
			lv := make([]float64, e.dom[d][l])
			lf := make([]float64, e.dom[d][l])
			for g := range lv {
				if present > 1 && leaves[g] > 0 {
					lv[g] = (leaves[g] - 1) / float64(present-1)
				}
				if freq[g] > 0 {
					lf[g] = math.Log2(freq[g])
				}
			}
			e.lossv[d][l], e.logf[d][l] = lv, lf
			for c0, f := range freq0 {
				if f > 0 {
					g := e.gen[d][l][c0]
					e.lossSum[d][l] += f * lv[g]
					e.entSum[d][l] += f * lf[g]
				}
			}
		}
		e.ent0 += e.entSum[d][0]
	}
}

// rollup generalises the classes of node from to node to (to ≥ from in
// every quasi-identifier).

func (e *encoded) rollup(from *classes, to []int) *classes {
	maps := make([][]int32, e.q)
	same := true
	for d := range e.q {
		if from.levels[d] != to[d] {
			same = false
			maps[d] = e.step(d, from.levels[d], to[d])
		}
	}
	if same {
		return from
	}
	out := &classes{levels: slices.Clone(to)}
	// Tuples packed in mixed radix when the domains allow: one word to
	// hash and compare.
	mul := make([]uint64, e.q)
	packed := true
	var m uint64 = 1
	for d := e.q - 1; d >= 0; d-- {
		mul[d] = m
		dom := uint64(e.dom[d][to[d]])
		if m > math.MaxUint64/dom {
			packed = false
			break
		}
		m *= dom
	}
	tuple := make([]int32, e.q)
	gen := func(c int) {
		src := from.codes[c*e.q : (c+1)*e.q]
		for d := range e.q {
			if maps[d] != nil {
				tuple[d] = maps[d][src[d]]
			} else {
				tuple[d] = src[d]
			}
		}
	}
	add := func(c, i int, isNew bool) {
		out.count[i] += from.count[c]
		if e.sw > 0 {
			if isNew {
				out.sens = append(out.sens, from.sens[c*e.sw:(c+1)*e.sw]...)
			} else {
				dst := out.sens[i*e.sw : (i+1)*e.sw]
				for j, v := range from.sens[c*e.sw : (c+1)*e.sw] {
					dst[j] += v
				}
			}
		}
	}
	if !packed {
		tb := newTable(e.q, max(16, from.n()/2))
		for c := range from.n() {
			gen(c)
			i, isNew := tb.find(out, tuple)
			add(c, i, isNew)
		}
		return out
	}
	size := 16
	for size < from.n()*2 {
		size <<= 1
	}
	keys, slots := e.scratch(size)
	defer e.release(keys, slots)
	mask := uint64(size - 1)
	out.codes = make([]int32, 0, from.n()*e.q/2)
	out.count = make([]int32, 0, from.n()/2)
	q := e.q
	for c := range from.n() {
		src := from.codes[c*q : (c+1)*q]
		var k uint64
		for d, v := range src {
			if m := maps[d]; m != nil {
				v = m[v]
			}
			tuple[d] = v
			k += uint64(v) * mul[d]
		}
		h := (k * 0x9E3779B97F4A7C15) >> 7
		for j := h & mask; ; j = (j + 1) & mask {
			s := slots[j]
			if s == 0 {
				i := len(out.count)
				out.codes = append(out.codes, tuple...)
				out.count = append(out.count, from.count[c])
				if e.sw > 0 {
					out.sens = append(out.sens, from.sens[c*e.sw:(c+1)*e.sw]...)
				}
				keys[j], slots[j] = k, int32(i+1)
				break
			}
			if keys[j] == k {
				i := int(s - 1)
				out.count[i] += from.count[c]
				if e.sw > 0 {
					dst := out.sens[i*e.sw : (i+1)*e.sw]
					for j, v := range from.sens[c*e.sw : (c+1)*e.sw] {
						dst[j] += v
					}
				}
				break
			}
		}
	}
	return out
}

// scratch lends a cleared hash table of size slots; release returns it.
func (e *encoded) scratch(size int) ([]uint64, []int32) {
	if v := e.pool.Get(); v != nil {
		b := v.(*scratchBuf)
		if cap(b.keys) >= size {
			keys, slots := b.keys[:size], b.slots[:size]
			clear(slots)
			return keys, slots
		}
	}
	return make([]uint64, size), make([]int32, size)
}

type scratchBuf struct {
	keys  []uint64
	slots []int32
}

func (e *encoded) release(keys []uint64, slots []int32) {
	e.pool.Put(&scratchBuf{keys: keys, slots: slots})
}

// step maps codes of quasi-identifier d at level a to level b.
func (e *encoded) step(d, a, b int) []int32 { return e.steps[d][a][b] }

// prepareSteps makes the tables of step, once, before any worker starts.
func (e *encoded) prepareSteps() {
	e.steps = make([][][][]int32, e.q)
	for d := range e.q {
		e.steps[d] = make([][][]int32, e.height[d])
		for a := range e.height[d] {
			e.steps[d][a] = make([][]int32, e.height[d])
			for b := a; b < e.height[d]; b++ {
				m := make([]int32, e.dom[d][a])
				for c0 := range e.dom[d][0] {
					m[e.gen[d][a][c0]] = e.gen[d][b][c0]
				}
				e.steps[d][a][b] = m
			}
		}
	}
}

// parseNumber reads a number for ordered sensitive values.
func parseNumber(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a number")
	}
	return f, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// RowError points at a cell of the input table: the row (counting the
// header as row 1, as a spreadsheet does) and the column.
type RowError struct {
	Row    int
	Column string
	Msg    string
}

func (e *RowError) Error() string {
	return fmt.Sprintf("row %d, column %q: %s", e.Row, e.Column, e.Msg)
}
