package anonymize

import (
	"encoding/csv"
	"io"
	"math"
	"sync/atomic"
)

type atomicInt = atomic.Int64

// classOK says whether class i of c meets the models: k rows, l
// well-represented sensitive values, and a distribution within t of the
// table's.
func (e *encoded) classOK(cfg *Config, c *classes, i int) bool {
	n := int(c.count[i])
	if n < cfg.K {
		return false
	}
	if e.sw == 0 || (cfg.L <= 0 && cfg.T <= 0) {
		return true
	}
	for s, sa := range e.sens {
		hist := c.sens[i*e.sw+e.sOff[s] : i*e.sw+e.sOff[s]+len(sa.values)]
		if cfg.L > 0 && !diverse(hist, n, cfg.L, cfg.LEntropy) {
			return false
		}
		if cfg.T > 0 && emd(hist, n, e.global[s], sa.ordered) > cfg.T+1e-12 {
			return false
		}
	}
	return true
}

// diverse: at least l distinct values, or an entropy of at least log(l).
func diverse(hist []int32, n int, l float64, entropy bool) bool {
	if !entropy {
		distinct := 0
		for _, v := range hist {
			if v > 0 {
				distinct++
			}
		}
		return float64(distinct) >= l
	}
	var h float64
	for _, v := range hist {
		if v > 0 {
			p := float64(v) / float64(n)
			h -= p * math.Log(p)
		}
	}
	return h >= math.Log(l)-1e-12
}

// emd is the earth mover's distance between a class's distribution and
// the table's: with equal ground distances half the L1 distance, with
// ordered values the mean of the cumulative differences.
func emd(hist []int32, n int, global []float64, ordered bool) float64 {
	var d float64
	if ordered && len(hist) > 1 {
		var cum float64
		for j, v := range hist {
			cum += float64(v)/float64(n) - global[j]
			d += math.Abs(cum)
		}
		return d / float64(len(hist)-1)
	}
	for j, v := range hist {
		d += math.Abs(float64(v)/float64(n) - global[j])
	}
	return d / 2
}

// score is the metric of a node's result, suppressed rows counting as
// generalised to the root.
func (e *encoded) score(m Metric, c *classes, ok []bool) float64 {
	u := e.utility(c, ok)
	if m == Entropy {
		return u.Entropy
	}
	return u.Loss
}

func (e *encoded) utility(c *classes, ok []bool) Utility {
	var loss, ent, disc float64
	n := float64(e.rows)
	logN := math.Log2(n)
	for i := range c.n() {
		cnt := float64(c.count[i])
		if !ok[i] {
			loss += cnt * float64(e.q)
			ent += cnt * float64(e.q) * logN
			disc += cnt * n
			continue
		}
		for d := range e.q {
			code := c.codes[i*e.q+d]
			l := c.levels[d]
			loss += cnt * e.lossv[d][l][code]
			ent += cnt * e.logf[d][l][code]
		}
		disc += cnt * cnt
	}
	cells := n * float64(e.q)
	return Utility{Loss: loss / cells, Entropy: (ent - e.ent0) / cells, Discernibility: disc}
}

// risk is the prosecutor risk of the rows kept (ok nil: every class kept).
func (e *encoded) risk(c *classes, ok []bool) Risk {
	var r Risk
	rows, uniq := 0, 0
	r.SmallestSize = math.MaxInt
	for i := range c.n() {
		if ok != nil && !ok[i] {
			continue
		}
		cnt := int(c.count[i])
		r.Classes++
		rows += cnt
		if cnt == 1 {
			uniq++
		}
		r.SmallestSize = min(r.SmallestSize, cnt)
	}
	if rows == 0 {
		return Risk{}
	}
	r.Highest = 1 / float64(r.SmallestSize)
	r.Average = float64(r.Classes) / float64(rows)
	r.Unique = float64(uniq) / float64(rows)
	r.AverageSize = float64(rows) / float64(r.Classes)
	return r
}

// Generalization names the chosen level of each quasi-identifier.
func (r *Result) Generalization() map[string]int {
	out := make(map[string]int, len(r.QI))
	for d, q := range r.QI {
		out[q] = r.Levels[d]
	}
	return out
}

// Apply makes the anonymised table: t's header and delimiter, each
// quasi-identifier replaced by its generalisation at the chosen level,
// suppressed rows left out. t must be the table the result was made from.
func (r *Result) Apply(t *Table) *Table {
	out := &Table{Header: append([]string(nil), t.Header...), Comma: t.Comma, Rows: make([][]string, 0, r.Rows-r.Suppressed)}
	r.each(t, func(row []string) error {
		out.Rows = append(out.Rows, append([]string(nil), row...))
		return nil
	})
	return out
}

// Write writes the anonymised table as CSV (t's header and delimiter),
// row by row without building it, and returns the rows written.
func (r *Result) Write(w io.Writer, t *Table) (int, error) {
	cw := csv.NewWriter(w)
	if t.Comma != 0 {
		cw.Comma = t.Comma
	}
	if err := cw.Write(t.Header); err != nil {
		return 0, err
	}
	n := 0
	err := r.each(t, func(row []string) error {
		n++
		return writeRow(w, cw, row)
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}

// each hands every kept row of t, generalised, to fn in order; the slice
// is reused between calls.
func (r *Result) each(t *Table, fn func(row []string) error) error {
	e := r.enc
	col := map[string]int{}
	for i, h := range t.Header {
		col[h] = i
	}
	qiCols := make([]int, e.q)
	for d, q := range r.QI {
		qiCols[d] = col[q]
	}
	// Bottom class → class of the final node.
	finalOf := make([]int32, e.bottom.n())
	tb := newTable(e.q, r.final.n())
	idx := &classes{}
	for i := range r.final.n() {
		tb.find(idx, r.final.codes[i*e.q:(i+1)*e.q])
	}
	tuple := make([]int32, e.q)
	for b := range e.bottom.n() {
		for d := range e.q {
			tuple[d] = e.gen[d][r.Levels[d]][e.bottom.codes[b*e.q+d]]
		}
		i, _ := tb.find(idx, tuple)
		finalOf[b] = int32(i)
	}
	buf := make([]string, len(t.Header))
	for ri, row := range t.Rows {
		fc := finalOf[e.rowCls[ri]]
		if !r.ok[fc] {
			continue
		}
		copy(buf, row)
		for d := range e.q {
			buf[qiCols[d]] = e.labels[d][r.Levels[d]][r.final.codes[int(fc)*e.q+d]]
		}
		if err := fn(buf); err != nil {
			return err
		}
	}
	return nil
}
