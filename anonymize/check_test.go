package anonymize

// An independent checker of anonymisations, and the tests of Anonymize that
// use it. The checker reads only what a user of the package sees: the input
// table, the configuration, the hierarchies' rows and the Result with the
// table Result.Apply makes. It recomputes the classes, the privacy models
// (k, distinct and entropy l-diversity, t-closeness by equal and ordered
// earth mover's distance against the input table's distribution), the
// suppression, the risk and the utility with its own code, never with the
// package's internals.

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// ---------------------------------------------------------------------------
// The checker.

// ckSens is a sensitive attribute as the checker sees it: its distinct
// values in order (numerically when every value is a number), and the
// input table's distribution over them.
type ckSens struct {
	name    string
	col     int
	pos     map[string]int
	global  []float64
	ordered bool
}

func ckSensitive(tb testing.TB, in *Table, names []string) []ckSens {
	tb.Helper()
	var out []ckSens
	for _, name := range names {
		col := slices.Index(in.Header, name)
		if col < 0 {
			tb.Fatalf("checker: no sensitive column %q", name)
		}
		count := map[string]int{}
		for _, r := range in.Rows {
			count[r[col]]++
		}
		vals := make([]string, 0, len(count))
		for v := range count {
			vals = append(vals, v)
		}
		nums := map[string]float64{}
		ordered := true
		for _, v := range vals {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				ordered = false
				break
			}
			nums[v] = f
		}
		if ordered {
			sort.Slice(vals, func(a, b int) bool {
				if nums[vals[a]] != nums[vals[b]] {
					return nums[vals[a]] < nums[vals[b]]
				}
				return vals[a] < vals[b]
			})
		} else {
			sort.Strings(vals)
		}
		s := ckSens{name: name, col: col, pos: map[string]int{}, global: make([]float64, len(vals)), ordered: ordered}
		for i, v := range vals {
			s.pos[v] = i
			s.global[i] = float64(count[v]) / float64(len(in.Rows))
		}
		out = append(out, s)
	}
	return out
}

// ckEMDEqual is the earth mover's distance with equal ground distances:
// half the L1 distance of the distributions.
func ckEMDEqual(hist []int, n int, global []float64) float64 {
	var d float64
	for i, c := range hist {
		d += math.Abs(float64(c)/float64(n) - global[i])
	}
	return d / 2
}

// ckEMDOrdered is the earth mover's distance between distributions over
// m ordered values, neighbours 1/(m-1) apart: the sum of the absolute
// cumulative differences over m-1.
func ckEMDOrdered(hist []int, n int, global []float64) float64 {
	if len(hist) < 2 {
		return 0
	}
	var cum, d float64
	for i, c := range hist {
		cum += float64(c)/float64(n) - global[i]
		d += math.Abs(cum)
	}
	return d / float64(len(hist)-1)
}

// ckModel is the privacy models of a configuration, as the checker applies
// them to one class.
type ckModel struct {
	k    int
	l    float64
	lent bool
	t    float64
	sens []ckSens
}

func ckModelOf(tb testing.TB, in *Table, cfg Config) *ckModel {
	return &ckModel{k: cfg.K, l: cfg.L, lent: cfg.LEntropy, t: cfg.T, sens: ckSensitive(tb, in, cfg.Sensitive)}
}

// ok says whether a class of n rows whose sensitive values are counted in
// hist (per attribute, in ckSens order) meets the models. slack loosens
// (> 0) or tightens (< 0) the l and t thresholds.
func (m *ckModel) ok(n int, hist [][]int, slack float64) bool {
	if n < m.k {
		return false
	}
	for s, sa := range m.sens {
		h := hist[s]
		if m.l > 0 {
			if m.lent {
				var e float64
				for _, c := range h {
					if c > 0 {
						p := float64(c) / float64(n)
						e -= p * math.Log(p)
					}
				}
				if e < math.Log(m.l)-slack {
					return false
				}
			} else {
				distinct := 0
				for _, c := range h {
					if c > 0 {
						distinct++
					}
				}
				if float64(distinct) < m.l {
					return false
				}
			}
		}
		if m.t > 0 {
			var d float64
			if sa.ordered {
				d = ckEMDOrdered(h, n, sa.global)
			} else {
				d = ckEMDEqual(h, n, sa.global)
			}
			if d > m.t+slack {
				return false
			}
		}
	}
	return true
}

// ckGeneraliser maps each value of a hierarchy to its row, read straight
// from the hierarchy's rows.
func ckGeneraliser(tb testing.TB, h *Hierarchy) map[string][]string {
	tb.Helper()
	m := make(map[string][]string, len(h.Rows))
	for _, r := range h.Rows {
		if _, dup := m[r[0]]; dup {
			tb.Fatalf("checker: value %q twice in the hierarchy of %s", r[0], h.Column)
		}
		m[r[0]] = r
	}
	return m
}

func ckNear(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// ckClass is a class of rows with the same quasi-identifier values.
type ckClass struct {
	n    int
	hist [][]int
}

// ckVerify checks res (from Anonymize(in, cfg)) and the table it applies
// to, and returns that table.
func ckVerify(tb testing.TB, in *Table, cfg Config, res *Result) *Table {
	tb.Helper()
	out := res.Apply(in)
	ckVerifyOutput(tb, in, cfg, res, out)
	// Result.Write streams the same table as Apply makes.
	var streamed, applied bytes.Buffer
	n, err := res.Write(&streamed, in)
	if err != nil || n != len(out.Rows) {
		tb.Fatalf("Result.Write: %d rows, %v; Apply made %d", n, err, len(out.Rows))
	}
	if err := out.Write(&applied); err != nil {
		tb.Fatal(err)
	}
	if !bytes.Equal(streamed.Bytes(), applied.Bytes()) {
		tb.Fatalf("Result.Write and Apply then Table.Write differ:\n%.300q\n%.300q", streamed.String(), applied.String())
	}
	// Unusual: per quasi-identifier, the rows whose value alone fewer than
	// k rows share.
	for _, name := range cfg.QI {
		count := map[string]int{}
		for _, v := range in.Column(name) {
			count[v]++
		}
		want := 0
		for _, c := range count {
			if c < cfg.K {
				want += c
			}
		}
		if res.Unusual[name] != want {
			tb.Fatalf("Unusual[%q] = %d, recomputed %d", name, res.Unusual[name], want)
		}
	}
	return out
}

// ckVerifyOutput checks res and out, the table res.Apply(in) made.
func ckVerifyOutput(tb testing.TB, in *Table, cfg Config, res *Result, out *Table) {
	tb.Helper()
	rows := len(in.Rows)
	q := len(cfg.QI)
	fail := func(format string, args ...any) {
		tb.Helper()
		tb.Fatalf("checker (k=%d l=%v entropy=%v t=%v suppress=%v metric=%q exhaustive=%v, levels %v): %s",
			cfg.K, cfg.L, cfg.LEntropy, cfg.T, cfg.Suppress, cfg.Metric, cfg.Exhaustive, res.Levels, fmt.Sprintf(format, args...))
	}
	if !slices.Equal(out.Header, in.Header) {
		fail("output header %q, input header %q", out.Header, in.Header)
	}
	if out.Comma != in.Comma {
		fail("output delimiter %q, input %q", out.Comma, in.Comma)
	}
	if res.Rows != rows {
		fail("Result.Rows = %d, the input has %d", res.Rows, rows)
	}
	if !slices.Equal(res.QI, cfg.QI) {
		fail("Result.QI = %q, want %q", res.QI, cfg.QI)
	}
	if len(res.Levels) != q {
		fail("%d levels for %d quasi-identifiers", len(res.Levels), q)
	}
	maxSupp := int(math.Floor(cfg.Suppress*float64(rows) + 1e-9))
	if res.Suppressed < 0 || res.Suppressed > maxSupp {
		fail("%d rows suppressed, the limit is floor(%v × %d) = %d", res.Suppressed, cfg.Suppress, rows, maxSupp)
	}
	if len(out.Rows) != rows-res.Suppressed {
		fail("%d output rows, want %d input rows − %d suppressed = %d", len(out.Rows), rows, res.Suppressed, rows-res.Suppressed)
	}

	// The expected generalisation of every input row.
	qiCol := make([]int, q)
	gens := make([]map[string][]string, q)
	for d, name := range cfg.QI {
		qiCol[d] = slices.Index(in.Header, name)
		if qiCol[d] < 0 {
			fail("no column %q", name)
		}
		h := cfg.Hierarchies[name]
		if res.Levels[d] < 0 || res.Levels[d] >= h.Height() {
			fail("level %d of %q outside its hierarchy's %d levels", res.Levels[d], name, h.Height())
		}
		gens[d] = ckGeneraliser(tb, h)
	}
	key := func(r []string) string {
		var b strings.Builder
		for d := range q {
			b.WriteString(r[qiCol[d]])
			b.WriteByte(0)
		}
		return b.String()
	}
	expect := make([][]string, rows)
	for i, r := range in.Rows {
		g := slices.Clone(r)
		for d := range q {
			hr, ok := gens[d][r[qiCol[d]]]
			if !ok {
				fail("input row %d: value of %q not in its hierarchy", i+2, cfg.QI[d])
			}
			g[qiCol[d]] = hr[res.Levels[d]]
		}
		expect[i] = g
	}
	// The output, in order, is the generalised input less some rows.
	kept := make([]bool, rows)
	j := 0
	for i := range in.Rows {
		if j < len(out.Rows) && slices.Equal(out.Rows[j], expect[i]) {
			kept[i] = true
			j++
		}
	}
	if j != len(out.Rows) {
		fail("output row %d (%q) is not the generalisation at %v of the next input rows in order", j+1, out.Rows[j], res.Levels)
	}

	m := ckModelOf(tb, in, cfg)
	newClass := func() *ckClass {
		c := &ckClass{hist: make([][]int, len(m.sens))}
		for s := range m.sens {
			c.hist[s] = make([]int, len(m.sens[s].global))
		}
		return c
	}
	addRow := func(c *ckClass, r []string) {
		c.n++
		for s, sa := range m.sens {
			c.hist[s][sa.pos[r[sa.col]]]++
		}
	}
	// Classes of the output, and of the whole generalised input.
	outCls, inCls := map[string]*ckClass{}, map[string]*ckClass{}
	for _, r := range out.Rows {
		k := key(r)
		if outCls[k] == nil {
			outCls[k] = newClass()
		}
		addRow(outCls[k], r)
	}
	for _, r := range expect {
		k := key(r)
		if inCls[k] == nil {
			inCls[k] = newClass()
		}
		addRow(inCls[k], r)
	}
	for k, c := range outCls {
		if !m.ok(c.n, c.hist, 1e-9) {
			fail("an output class of %d rows (%q) fails the models", c.n, strings.Split(strings.TrimSuffix(k, "\x00"), "\x00"))
		}
		if c.n != inCls[k].n {
			fail("a class is cut: %d of its %d rows kept", c.n, inCls[k].n)
		}
	}
	for k, c := range inCls {
		if outCls[k] == nil && m.ok(c.n, c.hist, -1e-9) {
			fail("a class of %d rows (%q) that meets the models was suppressed", c.n, strings.Split(strings.TrimSuffix(k, "\x00"), "\x00"))
		}
	}

	// Risk before (the input's own classes) and after (the output's).
	risk := func(sizes []int) Risk {
		var r Risk
		n, uniq := 0, 0
		for _, s := range sizes {
			n += s
			if s == 1 {
				uniq++
			}
			if r.SmallestSize == 0 || s < r.SmallestSize {
				r.SmallestSize = s
			}
		}
		if n == 0 {
			return Risk{}
		}
		r.Classes = len(sizes)
		r.Highest = 1 / float64(r.SmallestSize)
		r.Average = float64(r.Classes) / float64(n)
		r.Unique = float64(uniq) / float64(n)
		r.AverageSize = float64(n) / float64(r.Classes)
		return r
	}
	sameRisk := func(what string, got, want Risk) {
		tb.Helper()
		if got.Classes != want.Classes || got.SmallestSize != want.SmallestSize || !ckNear(got.Highest, want.Highest) ||
			!ckNear(got.Average, want.Average) || !ckNear(got.Unique, want.Unique) || !ckNear(got.AverageSize, want.AverageSize) {
			fail("risk %s = %+v, recomputed %+v", what, got, want)
		}
	}
	before := map[string]int{}
	for _, r := range in.Rows {
		before[key(r)]++
	}
	var sizes []int
	for _, s := range before {
		sizes = append(sizes, s)
	}
	sameRisk("before", res.Before, risk(sizes))
	sizes = sizes[:0]
	for _, c := range outCls {
		sizes = append(sizes, c.n)
	}
	sameRisk("after", res.After, risk(sizes))

	// Utility: loss, non-uniform entropy and discernibility.
	u := ckUtility(in, cfg, res.Levels, kept)
	var disc float64
	for _, c := range outCls {
		disc += float64(c.n) * float64(c.n)
	}
	disc += float64(res.Suppressed) * float64(rows)
	u.Discernibility = disc
	if !ckNear(res.Utility.Loss, u.Loss) || !ckNear(res.Utility.Entropy, u.Entropy) || !ckNear(res.Utility.Discernibility, u.Discernibility) {
		fail("utility %+v, recomputed %+v", res.Utility, u)
	}
	want := u.Loss
	if cfg.Metric == Entropy {
		want = u.Entropy
	}
	if !ckNear(res.Score, want) {
		fail("score %v, recomputed %s %v", res.Score, cfg.Metric, want)
	}
}

// ckUtility recomputes the loss and the non-uniform entropy of the rows
// kept at levels: a cell's loss is (leaves under its generalised value − 1)
// / (distinct values in the column − 1), leaves and distinct values counted
// in the data; its entropy cost log2 of the rows under the generalised
// value over the rows with the value. A suppressed row loses 1 per cell and
// log2(rows / rows with the value) bits.
func ckUtility(in *Table, cfg Config, levels []int, kept []bool) Utility {
	q := len(cfg.QI)
	rows := float64(len(in.Rows))
	var loss, ent float64
	for d, name := range cfg.QI {
		col := slices.Index(in.Header, name)
		gen := map[string]string{}
		for _, r := range cfg.Hierarchies[name].Rows {
			gen[r[0]] = r[levels[d]]
		}
		freq0 := map[string]int{}
		for _, r := range in.Rows {
			freq0[r[col]]++
		}
		leaves, freqL := map[string]int{}, map[string]int{}
		for v, f := range freq0 {
			leaves[gen[v]]++
			freqL[gen[v]] += f
		}
		present := len(freq0)
		for i, r := range in.Rows {
			v := r[col]
			if !kept[i] {
				loss++
				ent += math.Log2(rows) - math.Log2(float64(freq0[v]))
				continue
			}
			g := gen[v]
			if present > 1 {
				loss += float64(leaves[g]-1) / float64(present-1)
			}
			ent += math.Log2(float64(freqL[g])) - math.Log2(float64(freq0[v]))
		}
	}
	cells := rows * float64(q)
	return Utility{Loss: loss / cells, Entropy: ent / cells}
}

// ckAnonymize runs Anonymize and the checker, and returns both.
func ckAnonymize(tb testing.TB, in *Table, cfg Config) (*Result, *Table) {
	tb.Helper()
	res, err := Anonymize(in, cfg)
	if err != nil {
		tb.Fatalf("Anonymize(k=%d l=%v t=%v suppress=%v exhaustive=%v): %v", cfg.K, cfg.L, cfg.T, cfg.Suppress, cfg.Exhaustive, err)
	}
	return res, ckVerify(tb, in, cfg, res)
}

// ckCatch is a testing.TB whose Fatal stops only the check at hand, for
// testing the checker itself.
type ckCatch struct {
	testing.TB
	msg string
}

func (c *ckCatch) Helper()                   {}
func (c *ckCatch) Fatalf(f string, a ...any) { c.msg = fmt.Sprintf(f, a...); panic(c) }
func (c *ckCatch) Fatal(a ...any)            { c.msg = fmt.Sprint(a...); panic(c) }

// ckCaught runs check and returns the message it failed with, or "".
func ckCaught(tb testing.TB, check func(tb testing.TB)) (msg string) {
	c := &ckCatch{TB: tb}
	defer func() {
		if p := recover(); p != nil {
			if p != c {
				panic(p)
			}
			msg = c.msg
		}
	}()
	check(c)
	return ""
}

// ---------------------------------------------------------------------------
// An independent search: every node of the lattice, with the checker's
// models and metrics.

type ckBrute struct {
	levels []int
	score  float64
	supp   int
	found  bool
	nodes  int
	anon   int
}

// ckBruteForce finds the node with the least score that meets the models
// within the suppression limit; ties go to the fewest levels in all, then
// to the lowest levels in the order of the quasi-identifiers (the order the
// package documents for every mode).
func ckBruteForce(tb testing.TB, in *Table, cfg Config) ckBrute {
	tb.Helper()
	q := len(cfg.QI)
	rows := len(in.Rows)
	m := ckModelOf(tb, in, cfg)
	maxSupp := int(math.Floor(cfg.Suppress*float64(rows) + 1e-9))
	// Rows alike in every quasi-identifier and sensitive value are one
	// unit: they fall in the same class at every node and cost the same.
	var cols []int
	for _, name := range cfg.QI {
		cols = append(cols, slices.Index(in.Header, name))
	}
	for _, s := range m.sens {
		cols = append(cols, s.col)
	}
	unitOf := map[string]int{}
	var first, count []int // per unit: a row, and the rows
	for i, r := range in.Rows {
		var b strings.Builder
		for _, c := range cols {
			b.WriteString(r[c])
			b.WriteByte(0)
		}
		u, ok := unitOf[b.String()]
		if !ok {
			u = len(first)
			unitOf[b.String()] = u
			first = append(first, i)
			count = append(count, 0)
		}
		count[u]++
	}
	units := len(first)
	// Per quasi-identifier and level, each unit's code and cost.
	heights := make([]int, q)
	codes := make([][][]int32, q)
	doms := make([][]int, q)
	cost := make([][][]float64, q)
	suppCost := make([]float64, units)
	for d, name := range cfg.QI {
		h := cfg.Hierarchies[name]
		heights[d] = h.Height()
		codes[d] = make([][]int32, h.Height())
		doms[d] = make([]int, h.Height())
		cost[d] = make([][]float64, h.Height())
		for l := range h.Height() {
			gen := map[string]string{}
			for _, r := range h.Rows {
				gen[r[0]] = r[l]
			}
			idx := map[string]int32{}
			codes[d][l] = make([]int32, units)
			for u, i := range first {
				g := gen[in.Rows[i][cols[d]]]
				c, ok := idx[g]
				if !ok {
					c = int32(len(idx))
					idx[g] = c
				}
				codes[d][l][u] = c
			}
			doms[d][l] = len(idx)
			rc := ckRowCosts(in, cfg, name, l)
			cost[d][l] = make([]float64, units)
			for u, i := range first {
				cost[d][l][u] = rc[i] * float64(count[u])
			}
		}
		rc := ckRowCosts(in, cfg, name, -1)
		for u, i := range first {
			suppCost[u] += rc[i] * float64(count[u])
		}
	}
	// Sensitive values: per unit, the slot in a class's histogram.
	width := 0
	off := make([]int, len(m.sens))
	for s, sa := range m.sens {
		off[s] = width
		width += len(sa.global)
	}
	slot := make([][]int, len(m.sens))
	for s, sa := range m.sens {
		slot[s] = make([]int, units)
		for u, i := range first {
			slot[s][u] = off[s] + sa.pos[in.Rows[i][sa.col]]
		}
	}

	best := ckBrute{}
	lv := make([]int, q)
	key := make([]uint64, units)
	clsOf := make([]int, units)
	idx := make(map[uint64]int, units)
	var size []int
	var hist []int
	var okCls []bool
	view := make([][]int, len(m.sens))
	var visit func(d int)
	visit = func(d int) {
		if d < q {
			for l := range heights[d] {
				lv[d] = l
				visit(d + 1)
			}
			return
		}
		best.nodes++
		clear(key)
		mul := uint64(1)
		for d := q - 1; d >= 0; d-- {
			for u, c := range codes[d][lv[d]] {
				key[u] += uint64(c) * mul
			}
			mul *= uint64(doms[d][lv[d]])
		}
		clear(idx)
		size, hist = size[:0], hist[:0]
		for u, k := range key {
			c, ok := idx[k]
			if !ok {
				c = len(size)
				idx[k] = c
				size = append(size, 0)
				for range width {
					hist = append(hist, 0)
				}
			}
			clsOf[u] = c
			size[c] += count[u]
			for s := range m.sens {
				hist[c*width+slot[s][u]] += count[u]
			}
		}
		okCls = okCls[:0]
		supp := 0
		for c, n := range size {
			for s, sa := range m.sens {
				view[s] = hist[c*width+off[s] : c*width+off[s]+len(sa.global)]
			}
			ok := m.ok(n, view, 1e-12)
			okCls = append(okCls, ok)
			if !ok {
				supp += n
			}
		}
		if supp > maxSupp {
			return
		}
		best.anon++
		var score float64
		for u := range units {
			if !okCls[clsOf[u]] {
				score += suppCost[u]
				continue
			}
			for d := range q {
				score += cost[d][lv[d]][u]
			}
		}
		score /= float64(rows * q)
		better := !best.found || score < best.score-1e-9
		if !better && math.Abs(score-best.score) <= 1e-9 {
			sa, sb := 0, 0
			for d := range q {
				sa += lv[d]
				sb += best.levels[d]
			}
			better = sa < sb || (sa == sb && slices.Compare(lv, best.levels) < 0)
		}
		if better {
			best.levels, best.score, best.supp, best.found = slices.Clone(lv), score, supp, true
		}
	}
	visit(0)
	return best
}

// ckRowCosts is, per row, the cost under cfg's metric of generalising the
// column to level l (l < 0: suppressing it).
func ckRowCosts(in *Table, cfg Config, name string, l int) []float64 {
	col := slices.Index(in.Header, name)
	h := cfg.Hierarchies[name]
	gen := map[string]string{}
	for _, r := range h.Rows {
		if l >= 0 {
			gen[r[0]] = r[l]
		}
	}
	freq0 := map[string]int{}
	for _, r := range in.Rows {
		freq0[r[col]]++
	}
	leaves, freqL := map[string]int{}, map[string]int{}
	for v, f := range freq0 {
		leaves[gen[v]]++
		freqL[gen[v]] += f
	}
	out := make([]float64, len(in.Rows))
	rows := float64(len(in.Rows))
	for i, r := range in.Rows {
		v := r[col]
		switch {
		case cfg.Metric == Entropy && l < 0:
			out[i] = math.Log2(rows) - math.Log2(float64(freq0[v]))
		case cfg.Metric == Entropy:
			out[i] = math.Log2(float64(freqL[gen[v]])) - math.Log2(float64(freq0[v]))
		case l < 0:
			out[i] = 1
		case len(freq0) > 1:
			out[i] = float64(leaves[gen[v]]-1) / float64(len(freq0)-1)
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// Data.

var ckSubsetCache struct {
	sync.Mutex
	tab *Table
	hs  map[string]*Hierarchy
	err error
}

// ckSubset reads adult_subset.csv (about 3,000 rows of Adult) and the
// Adult hierarchies, or skips.
func ckSubset(tb testing.TB) (*Table, map[string]*Hierarchy) {
	tb.Helper()
	c := &ckSubsetCache
	c.Lock()
	defer c.Unlock()
	if c.tab == nil && c.err == nil {
		c.tab, c.hs, c.err = ckReadSubset()
	}
	if errors.Is(c.err, os.ErrNotExist) {
		tb.Skipf("the Adult subset is not here: %v", c.err)
	}
	if c.err != nil {
		tb.Fatal(c.err)
	}
	return c.tab, c.hs
}

func ckReadSubset() (*Table, map[string]*Hierarchy, error) {
	f, err := os.Open(filepath.Join(adultDir, "adult_subset.csv"))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	t, err := ReadTable(f, "adult_subset.csv")
	if err != nil {
		return nil, nil, err
	}
	hs := map[string]*Hierarchy{}
	files, _ := filepath.Glob(filepath.Join(adultDir, "adult_hierarchy_*.csv"))
	for _, p := range files {
		h, err := ReadHierarchyFile(p)
		if err != nil {
			return nil, nil, err
		}
		hs[h.Column] = h
	}
	return t, hs, nil
}

// ckTiny builds a table from rows of strings, the first being the header.
func ckTiny(rows ...string) *Table {
	t := &Table{Comma: ';'}
	for i, r := range rows {
		f := strings.Split(r, ";")
		if i == 0 {
			t.Header = f
		} else {
			t.Rows = append(t.Rows, f)
		}
	}
	return t
}

// ckFlat gives every column of t a two-level hierarchy.
func ckFlat(t *Table, cols ...string) map[string]*Hierarchy {
	hs := map[string]*Hierarchy{}
	for _, c := range cols {
		hs[c] = Flat(c, Distinct(t.Column(c)))
	}
	return hs
}

// ---------------------------------------------------------------------------
// Tests.

func ckSame(t *testing.T, what string, a, b *Result) {
	t.Helper()
	if !slices.Equal(a.Levels, b.Levels) || !ckNear(a.Score, b.Score) || a.Suppressed != b.Suppressed {
		t.Errorf("%s: optimal levels %v score %.9f suppressed %d; exhaustive levels %v score %.9f suppressed %d",
			what, a.Levels, a.Score, a.Suppressed, b.Levels, b.Score, b.Suppressed)
	}
}

// Adult, 8 quasi-identifiers, 5-anonymity without suppression: the optimal
// search finds the exhaustive search's node, for both metrics.
func TestCheckAdultOptimalEqualsExhaustive(t *testing.T) {
	tab, hs := adult(t)
	for _, metric := range []Metric{Loss, Entropy} {
		cfg := Config{QI: adultQI, Hierarchies: hs, K: 5, Metric: metric}
		opt, _ := ckAnonymize(t, tab, cfg)
		cfg.Exhaustive = true
		ex, _ := ckAnonymize(t, tab, cfg)
		ckSame(t, string(metric), opt, ex)
		if ex.Evaluated != ex.Nodes || ex.Nodes != 2*5*2*3*4*3*3*3 {
			t.Errorf("%s: exhaustive evaluated %d of %d nodes, want all 6480", metric, ex.Evaluated, ex.Nodes)
		}
		if opt.Evaluated >= opt.Nodes/4 {
			t.Errorf("%s: the optimal search evaluated %d of %d nodes: no pruning?", metric, opt.Evaluated, opt.Nodes)
		}
		if ex.Anonymous < 1 || ex.Anonymous > ex.Nodes {
			t.Errorf("%s: exhaustive reports %d anonymous nodes of %d", metric, ex.Anonymous, ex.Nodes)
		}
		if opt.Suppressed != 0 || opt.After.SmallestSize < 5 {
			t.Errorf("%s: suppressed %d, smallest class %d", metric, opt.Suppressed, opt.After.SmallestSize)
		}
	}
}

type ckCase struct {
	k      int
	supp   float64
	l      float64
	lent   bool
	t      float64
	metric Metric
	sens   string
	qi     []string
}

func (c ckCase) String() string {
	s := fmt.Sprintf("k%d_s%v_%s", c.k, c.supp, c.metric)
	switch {
	case c.l > 0 && c.lent:
		s += fmt.Sprintf("_lent%v", c.l)
	case c.l > 0:
		s += fmt.Sprintf("_l%v", c.l)
	}
	if c.t > 0 {
		s += fmt.Sprintf("_t%v", c.t)
	}
	if c.sens != "" {
		s += "_" + c.sens
	}
	return s
}

func (c ckCase) config(hs map[string]*Hierarchy) Config {
	cfg := Config{QI: adultQI, Hierarchies: hs, K: c.k, Suppress: c.supp, L: c.l, LEntropy: c.lent, T: c.t, Metric: c.metric}
	if c.qi != nil {
		cfg.QI = c.qi
	}
	if c.sens != "" {
		cfg.Sensitive = []string{c.sens}
	}
	return cfg
}

// adultQI without age, for age as an ordered (numeric) sensitive attribute.
var ckQINoAge = []string{"sex", "race", "marital-status", "education", "native-country", "workclass", "occupation"}

// The table of configurations on the Adult subset: optimal and exhaustive
// give the same node and score, and both outputs pass the checker. Every
// k of {2, 5, 10}, suppression of {0, 2 %, 10 %} and model (k alone,
// distinct 2-diversity, entropy 1.5-diversity, 0.2-closeness by equal and
// by ordered distance) is there; TestCheckBruteForceMinimal adds k=5 with
// 2 % and entropy 1.5-diversity with k=2 and 10 % on all eight
// quasi-identifiers, against an independent search.
func TestCheckSubsetOptimalEqualsExhaustive(t *testing.T) {
	tab, hs := ckSubset(t)
	const sc = "salary-class"
	cases := []ckCase{
		{k: 2, supp: 0, metric: Loss},
		{k: 10, supp: 0.02, metric: Loss},
		{k: 5, supp: 0.1, metric: Entropy},
		{k: 10, supp: 0.1, metric: Loss},
		// Distinct 2-diversity of the salary class.
		{k: 2, supp: 0.02, l: 2, sens: sc, metric: Loss},
		{k: 10, supp: 0.1, l: 2, sens: sc, metric: Entropy},
		// Entropy 1.5-diversity.
		{k: 5, supp: 0, l: 1.5, lent: true, sens: sc, metric: Loss},
		{k: 10, supp: 0.02, l: 1.5, lent: true, sens: sc, metric: Entropy},
		// 0.2-closeness, equal distance (the salary class is not a number).
		{k: 5, supp: 0, t: 0.2, sens: sc, metric: Loss},
		{k: 10, supp: 0.02, t: 0.2, sens: sc, metric: Loss},
		{k: 2, supp: 0.1, t: 0.2, sens: sc, metric: Entropy},
		// 0.2-closeness of age, ordered distance.
		{k: 5, supp: 0.02, t: 0.2, sens: "age", qi: ckQINoAge, metric: Entropy},
	}
	for _, c := range cases {
		t.Run(c.String(), func(t *testing.T) {
			cfg := c.config(hs)
			opt, err := Anonymize(tab, cfg)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Exhaustive = true
			ex, err := Anonymize(tab, cfg)
			if err != nil {
				t.Fatal(err)
			}
			ckSame(t, c.String(), opt, ex)
			ckVerify(t, tab, cfg, ex)
			cfg.Exhaustive = false
			ckVerify(t, tab, cfg, opt)
		})
	}
}

// The exhaustive mode's node is the least by an independent search over
// every node, which also recomputes the score: on five quasi-identifiers
// of the subset over a range of models, and on all eight for two.
func TestCheckBruteForceMinimal(t *testing.T) {
	tab, hs := ckSubset(t)
	qi5 := []string{"sex", "age", "race", "marital-status", "education"}
	const sc = "salary-class"
	cases := []ckCase{
		{k: 2, qi: qi5, metric: Loss},
		{k: 5, qi: qi5, metric: Entropy},
		{k: 10, supp: 0.02, qi: qi5, metric: Loss},
		{k: 5, supp: 0.1, qi: qi5, metric: Entropy},
		{k: 3, supp: 0.05, l: 2, sens: sc, qi: qi5, metric: Loss},
		{k: 2, supp: 0.1, l: 1.5, lent: true, sens: sc, qi: qi5, metric: Loss},
		{k: 2, supp: 0.1, l: 1.5, lent: true, sens: sc, qi: qi5, metric: Entropy},
		{k: 2, supp: 0.02, t: 0.15, sens: sc, qi: qi5, metric: Loss},
		{k: 2, supp: 0.1, t: 0.2, sens: sc, qi: qi5, metric: Entropy},
		{k: 4, supp: 0.05, t: 0.1, sens: "age", qi: []string{"sex", "race", "marital-status", "education", "workclass"}, metric: Loss},
		// All eight quasi-identifiers.
		{k: 5, supp: 0.02, metric: Loss},
		{k: 2, supp: 0.1, l: 1.5, lent: true, sens: sc, metric: Loss},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%dqi_%v", len(c.config(hs).QI), c), func(t *testing.T) {
			cfg := c.config(hs)
			want := ckBruteForce(t, tab, cfg)
			if !want.found {
				t.Fatalf("no node meets the models: a bad test case")
			}
			cfg.Exhaustive = true
			ex, _ := ckAnonymize(t, tab, cfg)
			if ex.Anonymous != want.anon {
				t.Errorf("exhaustive counts %d anonymous nodes, the independent search %d", ex.Anonymous, want.anon)
			}
			if ex.Nodes != want.nodes {
				t.Errorf("exhaustive lattice %d nodes, independent %d", ex.Nodes, want.nodes)
			}
			if !slices.Equal(ex.Levels, want.levels) || !ckNear(ex.Score, want.score) || ex.Suppressed != want.supp {
				t.Errorf("exhaustive %v score %.9f suppressed %d; independent %v score %.9f suppressed %d",
					ex.Levels, ex.Score, ex.Suppressed, want.levels, want.score, want.supp)
			}
			cfg.Exhaustive = false
			opt, _ := ckAnonymize(t, tab, cfg)
			if !slices.Equal(opt.Levels, want.levels) || !ckNear(opt.Score, want.score) {
				t.Errorf("optimal %v score %.9f; independent %v score %.9f", opt.Levels, opt.Score, want.levels, want.score)
			}
		})
	}
}

// The checker catches outputs and results that are wrong.
func TestCheckCheckerCatches(t *testing.T) {
	tab := ckTiny("id;area;band;note",
		"1;A;20s;x", "2;A;20s;y", "3;B;30s;z", "4;A;20s;w", "5;B;30s;v", "6;C;30s;u")
	hs := map[string]*Hierarchy{
		"area": {Column: "area", Rows: [][]string{{"A", "AB", "*"}, {"B", "AB", "*"}, {"C", "C", "*"}}},
		"band": Flat("band", []string{"20s", "30s"}),
	}
	cfg := Config{QI: []string{"area", "band"}, Hierarchies: hs, K: 2, Suppress: 0.2}
	res, err := Anonymize(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	good := res.Apply(tab)
	if msg := ckCaught(t, func(tb testing.TB) { ckVerifyOutput(tb, tab, cfg, res, good) }); msg != "" {
		t.Fatalf("the checker refuses a good result: %s", msg)
	}
	tamper := func(f func(out *Table)) *Table {
		out := &Table{Header: slices.Clone(good.Header), Comma: good.Comma}
		for _, r := range good.Rows {
			out.Rows = append(out.Rows, slices.Clone(r))
		}
		f(out)
		return out
	}
	for name, c := range map[string]struct {
		cfg Config
		out *Table
	}{
		"rows out of order":      {cfg, tamper(func(o *Table) { o.Rows[0], o.Rows[2] = o.Rows[2], o.Rows[0] })},
		"a QI value changed":     {cfg, tamper(func(o *Table) { o.Rows[0][1] = "B" })},
		"a QI value generalised": {cfg, tamper(func(o *Table) { o.Rows[0][1] = "AB" })},
		"another cell changed":   {cfg, tamper(func(o *Table) { o.Rows[1][3] = "q" })},
		"a row dropped":          {cfg, tamper(func(o *Table) { o.Rows = o.Rows[:4] })},
		"a row added":            {cfg, tamper(func(o *Table) { o.Rows = append(o.Rows, []string{"6", "C", "30s", "u"}) })},
		"a column renamed":       {cfg, tamper(func(o *Table) { o.Header[3] = "memo" })},
		"another delimiter":      {cfg, tamper(func(o *Table) { o.Comma = ',' })},
		"k not met":              {Config{QI: cfg.QI, Hierarchies: hs, K: 3, Suppress: 0.2}, good},
		"over the limit":         {Config{QI: cfg.QI, Hierarchies: hs, K: 2, Suppress: 0.1}, good},
		"l not met":              {Config{QI: cfg.QI, Hierarchies: hs, K: 2, Suppress: 0.2, L: 3, Sensitive: []string{"note"}}, good},
		"t not met":              {Config{QI: cfg.QI, Hierarchies: hs, K: 2, Suppress: 0.2, T: 0.2, Sensitive: []string{"note"}}, good},
		"another metric's score": {Config{QI: cfg.QI, Hierarchies: hs, K: 2, Suppress: 0.2, Metric: Entropy}, good},
		"needless suppression":   {Config{QI: cfg.QI, Hierarchies: hs, K: 1, Suppress: 0.2}, good},
	} {
		if msg := ckCaught(t, func(tb testing.TB) { ckVerifyOutput(tb, tab, c.cfg, res, c.out) }); msg == "" {
			t.Errorf("%s: not caught", name)
		} else {
			t.Logf("%s: %s", name, msg)
		}
	}
}

// A table whose output is known: three people in area A, two in B, one in
// C (fictional data).
func TestCheckApplyByHand(t *testing.T) {
	tab := ckTiny("id;area;band;note",
		"1;A;20s;x", "2;A;20s;y", "3;B;30s;z", "4;A;20s;w", "5;B;30s;v", "6;C;30s;u")
	hs := map[string]*Hierarchy{
		"area": {Column: "area", Rows: [][]string{{"A", "AB", "*"}, {"B", "AB", "*"}, {"C", "C", "*"}}},
		"band": Flat("band", []string{"20s", "30s"}),
	}
	// 2-anonymity without suppression: C must go up; area to AB/C leaves
	// C alone, so area to * ({*,20s}×3, {*,30s}×3) or band to * with
	// area at AB ({AB,*}×5, {C,*}×1: fails). The least loss: area *.
	res, out := ckAnonymize(t, tab, Config{QI: []string{"area", "band"}, Hierarchies: hs, K: 2})
	if !slices.Equal(res.Levels, Node{2, 0}) {
		t.Fatalf("levels %v, want [2 0]", res.Levels)
	}
	want := ckTiny("id;area;band;note",
		"1;*;20s;x", "2;*;20s;y", "3;*;30s;z", "4;*;20s;w", "5;*;30s;v", "6;*;30s;u")
	if !slices.EqualFunc(out.Rows, want.Rows, slices.Equal) {
		t.Errorf("output %q, want %q", out.Rows, want.Rows)
	}
	if g := res.Generalization(); g["area"] != 2 || g["band"] != 0 || len(g) != 2 {
		t.Errorf("Generalization() = %v", g)
	}
	// With one row's suppression allowed, the table itself with C left out.
	res, out = ckAnonymize(t, tab, Config{QI: []string{"area", "band"}, Hierarchies: hs, K: 2, Suppress: 0.2})
	if !slices.Equal(res.Levels, Node{0, 0}) || res.Suppressed != 1 {
		t.Fatalf("levels %v suppressed %d, want [0 0] and 1", res.Levels, res.Suppressed)
	}
	if len(out.Rows) != 5 || out.Rows[4][0] != "5" {
		t.Errorf("output %q: want rows 1–5 unchanged", out.Rows)
	}
	// 1/6 of the cells suppressed: loss 2 cells / 12.
	if !ckNear(res.Utility.Loss, 2.0/12) || !ckNear(res.Score, 2.0/12) {
		t.Errorf("loss %v, score %v, want 1/6", res.Utility.Loss, res.Score)
	}
	// Discernibility: classes of 3 and 2, and one suppressed row × 6.
	if res.Utility.Discernibility != 9+4+6 {
		t.Errorf("discernibility %v, want 19", res.Utility.Discernibility)
	}
}

// Risk before and after, worked out by hand.
func TestCheckRiskByHand(t *testing.T) {
	tab := ckTiny("area;sex",
		"A;f", "A;f", "A;f", // a class of 3
		"B;m", "B;m", // of 2
		"C;f") // alone
	hs := ckFlat(tab, "area", "sex")
	// Before: 3 classes of 6 rows; smallest 1.
	before := Risk{Highest: 1, Average: 3.0 / 6, Unique: 1.0 / 6, SmallestSize: 1, AverageSize: 2, Classes: 3}
	// k=2 with one row to suppress: C goes; 2 classes of 5 rows, smallest 2.
	after := Risk{Highest: 0.5, Average: 2.0 / 5, Unique: 0, SmallestSize: 2, AverageSize: 2.5, Classes: 2}
	res, _ := ckAnonymize(t, tab, Config{QI: []string{"area", "sex"}, Hierarchies: hs, K: 2, Suppress: 1.0 / 6})
	ckRisk(t, "before", res.Before, before)
	ckRisk(t, "after", res.After, after)
	// k=1: nothing changes, the risk after is the risk before.
	res, out := ckAnonymize(t, tab, Config{QI: []string{"area", "sex"}, Hierarchies: hs, K: 1})
	ckRisk(t, "k=1 after", res.After, before)
	if !slices.Equal(res.Levels, Node{0, 0}) || res.Score != 0 || len(out.Rows) != 6 {
		t.Errorf("k=1: levels %v score %v rows %d", res.Levels, res.Score, len(out.Rows))
	}
	// k=3 without suppression: only the root of both holds 3 (area → *
	// gives {*,f}×4 and {*,m}×2). One class of 6.
	res, _ = ckAnonymize(t, tab, Config{QI: []string{"area", "sex"}, Hierarchies: hs, K: 3})
	ckRisk(t, "k=3 after", res.After, Risk{Highest: 1.0 / 6, Average: 1.0 / 6, Unique: 0, SmallestSize: 6, AverageSize: 6, Classes: 1})
	if res.Score != 1 {
		t.Errorf("k=3: everything at the root should lose 1, got %v", res.Score)
	}
}

func ckRisk(t *testing.T, what string, got, want Risk) {
	t.Helper()
	if got.Classes != want.Classes || got.SmallestSize != want.SmallestSize || !ckNear(got.Highest, want.Highest) ||
		!ckNear(got.Average, want.Average) || !ckNear(got.Unique, want.Unique) || !ckNear(got.AverageSize, want.AverageSize) {
		t.Errorf("risk %s = %+v, want %+v", what, got, want)
	}
}

// l-diversity and t-closeness by hand: equal against ordered distance, and
// numbers ordered as numbers, not as strings.
func TestCheckClosenessByHand(t *testing.T) {
	// Group A holds 1, 1, 10; group B 9, 9, 10. The table: each value a
	// third. A's distribution (2/3, 0, 1/3) over (1, 9, 10): ordered EMD
	// (|1/3| + |0| + 0)/2 = 1/6, equal-distance EMD 1/3. Were the values
	// sorted as strings (1, 10, 9), A would be (2/3, 1/3, 0): ordered 1/3.
	num := ckTiny("g;s", "A;1", "A;1", "A;10", "B;9", "B;9", "B;10")
	txt := ckTiny("g;s", "A;x1", "A;x1", "A;x3", "B;x2", "B;x2", "B;x3")
	hs := ckFlat(num, "g")
	for _, c := range []struct {
		tab  *Table
		t    float64
		want int // level of g
	}{
		{num, 0.2, 0}, // 1/6 ≤ 0.2
		{num, 0.16, 1},
		{txt, 0.2, 1},  // 1/3 > 0.2
		{txt, 0.34, 0}, // 1/3 ≤ 0.34
	} {
		res, _ := ckAnonymize(t, c.tab, Config{QI: []string{"g"}, Sensitive: []string{"s"}, Hierarchies: hs, K: 1, T: c.t})
		if res.Levels[0] != c.want {
			t.Errorf("%q t=%v: level %d, want %d", c.tab.Column("s"), c.t, res.Levels[0], c.want)
		}
	}
	// Distinct l: A has 2 distinct values, B 2. Entropy: A's
	// -(2/3 ln 2/3 + 1/3 ln 1/3) = 0.6365 = ln 1.8899.
	for _, c := range []struct {
		l    float64
		lent bool
		want int
	}{
		{2, false, 0}, {2.5, false, 1}, {1.88, true, 0}, {1.9, true, 1},
	} {
		res, _ := ckAnonymize(t, num, Config{QI: []string{"g"}, Sensitive: []string{"s"}, Hierarchies: hs, K: 1, L: c.l, LEntropy: c.lent})
		if res.Levels[0] != c.want {
			t.Errorf("l=%v entropy=%v: level %d, want %d", c.l, c.lent, res.Levels[0], c.want)
		}
	}
}

// Every error before any work: nothing is searched (Progress never
// called), and the message says what is wrong.
func TestCheckErrors(t *testing.T) {
	tab := ckTiny("zip;age;disease",
		"100-0001;30;flu", "100-0002;31;cold", "100-0003;32;flu", "100-0004;33;cold")
	hs := map[string]*Hierarchy{
		"zip": {Column: "zip", Rows: [][]string{
			{"100-0001", "100-****", "*"}, {"100-0002", "100-****", "*"}, {"100-0003", "100-****", "*"}, {"100-0004", "100-****", "*"}}},
		"age": Flat("age", []string{"30", "31", "32", "33"}),
	}
	base := func() Config {
		return Config{QI: []string{"zip", "age"}, Hierarchies: hs, K: 2}
	}
	for _, c := range []struct {
		name string
		tab  *Table
		mod  func(*Config)
		want string // in the message
	}{
		{"no QI", tab, func(c *Config) { c.QI = nil }, "quasi-identifier"},
		{"QI twice", tab, func(c *Config) { c.QI = []string{"zip", "zip"} }, "twice"},
		{"missing QI column", tab, func(c *Config) { c.QI = []string{"zip", "height"} }, `"height"`},
		{"missing hierarchy", tab, func(c *Config) { c.Hierarchies = map[string]*Hierarchy{"zip": hs["zip"]} }, `"age"`},
		{"one-level hierarchy", tab, func(c *Config) {
			c.Hierarchies = map[string]*Hierarchy{"zip": hs["zip"], "age": {Column: "age", Rows: [][]string{{"30"}, {"31"}, {"32"}, {"33"}}}}
		}, "one level"},
		{"k larger than the table", tab, func(c *Config) { c.K = 5 }, "larger than the table"},
		{"k zero", tab, func(c *Config) { c.K = 0 }, "k must be"},
		{"k negative", tab, func(c *Config) { c.K = -3 }, "k must be"},
		{"suppress negative", tab, func(c *Config) { c.Suppress = -0.01 }, "suppression"},
		{"suppress above 1", tab, func(c *Config) { c.Suppress = 1.5 }, "suppression"},
		{"suppress NaN", tab, func(c *Config) { c.Suppress = math.NaN() }, "suppression"},
		{"l without sensitive", tab, func(c *Config) { c.L = 2 }, "sensitive"},
		{"t without sensitive", tab, func(c *Config) { c.T = 0.3 }, "sensitive"},
		{"l negative", tab, func(c *Config) { c.L = -1; c.Sensitive = []string{"disease"} }, "l must"},
		{"t above 1", tab, func(c *Config) { c.T = 1.5; c.Sensitive = []string{"disease"} }, "t must"},
		{"missing sensitive column", tab, func(c *Config) { c.L = 2; c.Sensitive = []string{"income"} }, `"income"`},
		{"QI and sensitive", tab, func(c *Config) { c.L = 2; c.Sensitive = []string{"age"} }, "both"},
		{"unknown metric", tab, func(c *Config) { c.Metric = "precision" }, `"precision"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := base()
			c.mod(&cfg)
			called := false
			cfg.Progress = func(int, int) { called = true }
			res, err := Anonymize(c.tab, cfg)
			if err == nil {
				t.Fatalf("no error")
			}
			if res != nil {
				t.Errorf("a result with the error %v", err)
			}
			if called {
				t.Errorf("the search ran before the error %v", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			if errors.Is(err, ErrNoSolution) {
				t.Errorf("%v is not ErrNoSolution", err)
			}
		})
	}

	// A value no hierarchy holds: which row (the header is row 1) and
	// column, and never the value itself.
	bad := ckTiny("zip;age;disease",
		"100-0001;30;flu", "100-0002;31;cold", "999-8765;32;flu", "100-0004;33;cold")
	cfg := base()
	called := false
	cfg.Progress = func(int, int) { called = true }
	_, err := Anonymize(bad, cfg)
	var re *RowError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T), want a *RowError", err, err)
	}
	if re.Row != 4 || re.Column != "zip" {
		t.Errorf("RowError row %d column %q, want row 4 (header row 1) column zip", re.Row, re.Column)
	}
	if strings.Contains(err.Error(), "999") || strings.Contains(err.Error(), "8765") {
		t.Errorf("the error repeats the cell's value: %q", err)
	}
	if !strings.Contains(err.Error(), "row 4") || called {
		t.Errorf("error %q (search ran: %v)", err, called)
	}
	// In the second quasi-identifier, on the last row.
	bad = ckTiny("zip;age;disease",
		"100-0001;30;flu", "100-0002;31;cold", "100-0003;32;flu", "100-0004;77;cold")
	_, err = Anonymize(bad, base())
	if !errors.As(err, &re) || re.Row != 5 || re.Column != "age" || strings.Contains(err.Error(), "77") {
		t.Errorf("error %v, want row 5 column age without the value", err)
	}

	// Nothing fits: 3 distinct diseases asked of a column with 2.
	cfg = base()
	cfg.L, cfg.Sensitive = 3, []string{"disease"}
	if _, err := Anonymize(tab, cfg); !errors.Is(err, ErrNoSolution) {
		t.Errorf("l=3 of 2 values: %v, want ErrNoSolution", err)
	}
	// Nor 0.1-closeness of a table whose two halves differ, when both
	// halves must be told apart (k=1 but no generalisation possible).
	split := ckTiny("g;s", "A;x", "A;x", "B;y", "B;y")
	hsSplit := map[string]*Hierarchy{"g": {Column: "g", Rows: [][]string{{"A", "A"}, {"B", "B"}}}}
	if _, err := Anonymize(split, Config{QI: []string{"g"}, Sensitive: []string{"s"}, Hierarchies: hsSplit, K: 1, T: 0.1}); !errors.Is(err, ErrNoSolution) {
		t.Errorf("t=0.1 with no way to merge: %v, want ErrNoSolution", err)
	}
	// The same, with the two rows' worth of suppression that is not enough.
	if _, err := Anonymize(split, Config{QI: []string{"g"}, Sensitive: []string{"s"}, Hierarchies: hsSplit, K: 1, T: 0.1, Suppress: 0.25}); !errors.Is(err, ErrNoSolution) {
		t.Errorf("t=0.1, 25%% suppression: %v, want ErrNoSolution", err)
	}
}

// A hierarchy made in code with rows of different lengths is an error like
// any other, not a crash.
func TestCheckRaggedHierarchyInCode(t *testing.T) {
	tab := ckTiny("a;b", "x;1", "y;1", "x;2", "y;2")
	hs := map[string]*Hierarchy{
		"a": {Column: "a", Rows: [][]string{{"x", "xy", "*"}, {"y", "*"}}},
		"b": Flat("b", []string{"1", "2"}),
	}
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
				t.Errorf("Anonymize with a ragged hierarchy made in code panics (%v): want an error before any work", p)
			}
		}()
		_, err = Anonymize(tab, Config{QI: []string{"a", "b"}, Hierarchies: hs, K: 2})
	}()
	if err == nil {
		t.Errorf("Anonymize accepts a hierarchy whose rows differ in length")
	}
}

// Suppression only where it is needed, and every share of it within the
// limit: floor(share × rows).
func TestCheckSuppressionLimit(t *testing.T) {
	// 10 rows: 7 in one class, 3 alone.
	tab := ckTiny("g;h", "A;1", "A;1", "A;1", "A;1", "A;1", "A;1", "A;1", "B;1", "C;1", "D;1")
	hs := ckFlat(tab, "g", "h")
	for _, c := range []struct {
		supp float64
		want Node
		sup  int
	}{
		{0, Node{1, 0}, 0},
		{0.29, Node{1, 0}, 0}, // floor(2.9) = 2 < 3
		{0.3, Node{0, 0}, 3},
		{1, Node{0, 0}, 3},
	} {
		res, _ := ckAnonymize(t, tab, Config{QI: []string{"g", "h"}, Hierarchies: hs, K: 2, Suppress: c.supp})
		if !slices.Equal(res.Levels, c.want) || res.Suppressed != c.sup {
			t.Errorf("suppress %v: levels %v suppressed %d, want %v and %d", c.supp, res.Levels, res.Suppressed, c.want, c.sup)
		}
	}
}

// Exhaustive mode with more workers than cores, on a table small enough to
// run many times: the same node as the optimal search. (Run with -race.)
func TestCheckExhaustiveWorkers(t *testing.T) {
	tab := &Table{Header: []string{"a", "b", "c", "s"}, Comma: ','}
	for i := range 240 {
		tab.Rows = append(tab.Rows, []string{strconv.Itoa(i % 5), strconv.Itoa(i % 3), strconv.Itoa(i % 7 * 10), strconv.Itoa(i % 4)})
	}
	ages, err := Intervals("c", Distinct(tab.Column("c")), 10, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := ckFlat(tab, "a", "b")
	hs["c"] = ages
	for _, workers := range []int{1, 3, 8} {
		for _, k := range []int{3, 9, 25} {
			cfg := Config{QI: []string{"a", "b", "c"}, Sensitive: []string{"s"}, L: 2, Hierarchies: hs, K: k, Suppress: 0.05, Workers: workers}
			opt, _ := ckAnonymize(t, tab, cfg)
			cfg.Exhaustive = true
			ex, _ := ckAnonymize(t, tab, cfg)
			ckSame(t, fmt.Sprintf("workers %d k %d", workers, k), opt, ex)
		}
	}
}
