package anonymize

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"
)

// Metric names the utility measure the search minimises.
type Metric string

const (
	// Loss is the generalisation loss (Iyengar's LM): per cell, the share
	// of the column's distinct values its generalised value covers; a
	// suppressed cell loses 1. 0 is the table itself, 1 all suppressed.
	Loss Metric = "loss"
	// Entropy is the non-uniform entropy (Gionis and Tassa): the bits lost
	// per cell by replacing a value with its generalisation.
	Entropy Metric = "entropy"
)

// Config says what to make: the quasi-identifiers with their hierarchies,
// the sensitive attributes and the privacy models.
type Config struct {
	QI          []string
	Sensitive   []string
	Hierarchies map[string]*Hierarchy
	// K: every class of quasi-identifier values holds at least K rows.
	K int
	// L > 0: every class holds at least L "well-represented" values of each
	// sensitive attribute: distinct values, or with LEntropy an entropy of
	// at least log(L).
	L        float64
	LEntropy bool
	// T > 0: each class's distribution of each sensitive attribute is
	// within T of the whole table's (earth mover's distance: equal
	// distances, or ordered for numbers).
	T float64
	// Suppress is the share of rows (0–1) that may be left out to meet the
	// models.
	Suppress float64
	Metric   Metric
	// Exhaustive checks every node of the lattice instead of searching.
	Exhaustive bool
	// Workers evaluates nodes in parallel (default GOMAXPROCS).
	Workers int
	// Progress, when set, is told how many nodes are settled of the total.
	Progress func(done, total int)
}

// Node is one generalisation: a level per quasi-identifier.
type Node []int

// Result is an anonymisation: the chosen generalisation, the rows kept
// and what they risk and lose.
type Result struct {
	QI            []string
	Levels        Node // per quasi-identifier
	Suppressed    int  // rows left out
	Rows          int  // rows in
	Nodes         int  // the lattice's size
	Evaluated     int  // nodes whose classes were computed
	Search        time.Duration
	Metric        Metric
	Score         float64 // the metric of the chosen node
	Before, After Risk
	Utility       Utility
	Exhaustive    bool
	Anonymous     int // nodes found to satisfy the models (exhaustive mode only)
	// Unusual counts, per quasi-identifier, the rows whose value alone is
	// shared by fewer than k rows (特異な記述, 則34(4)): each is generalised
	// into a larger group or suppressed in the result.
	Unusual map[string]int
	enc     *encoded
	cfg     *Config
	final   *classes
	ok      []bool // per class of final: kept
}

// Risk is the re-identification risk of a released table under the
// prosecutor model (the attacker knows the person is in it).
type Risk struct {
	Highest      float64 `json:"highest"`      // 1 / smallest class
	Average      float64 `json:"average"`      // classes / rows
	Unique       float64 `json:"unique_share"` // rows alone in their class / rows
	SmallestSize int     `json:"smallest_class"`
	AverageSize  float64 `json:"average_class"`
	Classes      int     `json:"classes"`
}

// Utility is what the generalisation and suppression cost.
type Utility struct {
	Loss           float64 `json:"loss"`
	Entropy        float64 `json:"non_uniform_entropy"` // bits per cell
	Discernibility float64 `json:"discernibility"`
}

// Errors before any work.
var (
	ErrNoQI = errors.New("give at least one quasi-identifier (--qi)")
)

func (cfg *Config) check(rows int) error {
	if len(cfg.QI) == 0 {
		return ErrNoQI
	}
	seen := map[string]bool{}
	for _, q := range cfg.QI {
		if seen[q] {
			return fmt.Errorf("the quasi-identifier %q is given twice", q)
		}
		seen[q] = true
	}
	if cfg.K < 1 {
		return fmt.Errorf("k must be 1 or more (got %d)", cfg.K)
	}
	if cfg.K > rows {
		return fmt.Errorf("k (%d) is larger than the table (%d rows): no class could hold k rows", cfg.K, rows)
	}
	if cfg.Suppress < 0 || cfg.Suppress > 1 || math.IsNaN(cfg.Suppress) {
		return fmt.Errorf("the suppression limit must be between 0 and 100 %% (got %v %%)", cfg.Suppress*100)
	}
	if (cfg.L > 0 || cfg.T > 0) && len(cfg.Sensitive) == 0 {
		return errors.New("l-diversity and t-closeness need a sensitive attribute (--sensitive)")
	}
	if cfg.L < 0 || math.IsNaN(cfg.L) {
		return fmt.Errorf("l must be 0 (off) or more (got %v)", cfg.L)
	}
	if cfg.T < 0 || cfg.T > 1 || math.IsNaN(cfg.T) {
		return fmt.Errorf("t must be between 0 (off) and 1 (got %v)", cfg.T)
	}
	switch cfg.Metric {
	case "":
		cfg.Metric = Loss
	case Loss, Entropy:
	default:
		return fmt.Errorf("unknown metric %q: use loss or entropy", cfg.Metric)
	}
	return nil
}

// Anonymize finds the generalisation of t that satisfies the models with
// the least loss under the metric, and returns it; Apply makes the table.
// Every error (a missing column or hierarchy, a value no hierarchy holds,
// k larger than the table) comes before any search.
func Anonymize(t *Table, cfg Config) (*Result, error) {
	if err := cfg.check(len(t.Rows)); err != nil {
		return nil, err
	}
	e, err := encode(t, &cfg)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	s := newSearch(e, &cfg)
	var best *eval
	if cfg.Exhaustive {
		best = s.exhaustive()
	} else {
		best = s.optimal()
	}
	res := &Result{QI: cfg.QI, Rows: e.rows, Nodes: s.size, Evaluated: int(s.evaluated.Load()), Search: time.Since(start),
		Metric: cfg.Metric, Exhaustive: cfg.Exhaustive, Anonymous: s.anonymousCount, enc: e, cfg: &cfg}
	res.Before = e.risk(e.bottom, nil)
	res.Unusual = e.unusual(cfg.QI, cfg.K)
	if best == nil {
		return res, ErrNoSolution
	}
	res.Levels = Node(best.levels)
	res.Suppressed = best.suppressed
	res.Score = best.score
	res.final = best.cls
	res.ok = best.ok
	res.After = e.risk(best.cls, best.ok)
	res.Utility = e.utility(best.cls, best.ok)
	return res, nil
}

// ErrNoSolution: not even the most general node meets the models within
// the suppression limit.
var ErrNoSolution = errors.New("no generalisation meets the privacy models within the suppression limit: allow more suppression, or lower k, l or t")

// eval is a node's evaluation.
type eval struct {
	levels     []int
	cls        *classes
	ok         []bool
	suppressed int
	anonymous  bool
	score      float64
}

// search holds the lattice: nodes numbered in mixed radix of the levels.
type search struct {
	e         *encoded
	cfg       *Config
	size      int
	radix     []int
	maxSupp   int
	evaluated atomicInt
	// tags: 0 unknown, 1 anonymous, 2 not.
	tags           []uint8
	anonymousCount int
	done           int

	lv     []int     // lv[id*q+d]: the level of d at node id
	sums   []int     // total level per node
	bounds []float64 // bound per node
}

func newSearch(e *encoded, cfg *Config) *search {
	s := &search{e: e, cfg: cfg, size: 1, radix: make([]int, e.q)}
	for d := e.q - 1; d >= 0; d-- {
		s.radix[d] = s.size
		s.size *= e.height[d]
	}
	s.maxSupp = int(math.Floor(cfg.Suppress*float64(e.rows) + 1e-9))
	s.tags = make([]uint8, s.size)
	s.lv = make([]int, s.size*e.q)
	s.sums = make([]int, s.size)
	s.bounds = make([]float64, s.size)
	for id := range s.size {
		lv := s.lv[id*e.q : (id+1)*e.q]
		for d := range e.q {
			lv[d] = id / s.radix[d] % e.height[d]
			s.sums[id] += lv[d]
		}
		s.bounds[id] = s.bound(lv)
	}
	return s
}

func (s *search) id(levels []int) int {
	n := 0
	for d, l := range levels {
		n += l * s.radix[d]
	}
	return n
}

// levels returns the levels of node id (shared: do not change).
func (s *search) levels(id int) []int {
	return s.lv[id*s.e.q : (id+1)*s.e.q]
}

// bound is a lower bound of the metric at a node that needs no data: the
// generalisation's cost with nothing suppressed (a suppressed row costs at
// least as much). With nothing suppressed it is the metric itself.
func (s *search) bound(levels []int) float64 {
	e := s.e
	var sum float64
	for d, l := range levels {
		if s.cfg.Metric == Entropy {
			sum += e.entSum[d][l]
		} else {
			sum += e.lossSum[d][l]
		}
	}
	if s.cfg.Metric == Entropy {
		return (sum - e.ent0) / float64(e.rows*e.q)
	}
	return sum / float64(e.rows*e.q)
}

// check evaluates a node from the classes of a node below it.
func (s *search) check(from *classes, levels []int, withScore bool) *eval {
	s.evaluated.Add(1)
	e := s.e
	c := e.rollup(from, levels)
	ev := &eval{levels: slices.Clone(levels), cls: c, ok: make([]bool, c.n())}
	for i := range c.n() {
		if e.classOK(s.cfg, c, i) {
			ev.ok[i] = true
		} else {
			ev.suppressed += int(c.count[i])
		}
	}
	ev.anonymous = ev.suppressed <= s.maxSupp
	if withScore && ev.anonymous {
		ev.score = e.score(s.cfg.Metric, c, ev.ok)
	}
	return ev
}

// tagUp marks id and every node above it anonymous; tagDown marks id and
// every node below it not anonymous (the models are monotone: generalising
// only merges classes).
func (s *search) tagUp(id int) {
	stack := []int{id}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.tags[n] == 1 {
			continue
		}
		s.tags[n] = 1
		s.done++
		for d := range s.e.q {
			if n/s.radix[d]%s.e.height[d]+1 < s.e.height[d] {
				stack = append(stack, n+s.radix[d])
			}
		}
	}
}

func (s *search) tagDown(id int) {
	stack := []int{id}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.tags[n] == 2 {
			continue
		}
		s.tags[n] = 2
		s.done++
		for d := range s.e.q {
			if n/s.radix[d]%s.e.height[d] > 0 {
				stack = append(stack, n-s.radix[d])
			}
		}
	}
}

// snapshots keeps the classes of recently evaluated nodes, to roll a new
// node up from the closest one below it rather than from the bottom.
type snapshots struct {
	list []*classes
	max  int
}

func (sn *snapshots) best(bottom *classes, levels []int) *classes {
	best := bottom
	for _, c := range sn.list {
		if c.n() < best.n() && below(c.levels, levels) {
			best = c
		}
	}
	return best
}

func (sn *snapshots) add(c *classes) {
	if len(sn.list) == sn.max {
		copy(sn.list, sn.list[1:])
		sn.list = sn.list[:sn.max-1]
	}
	sn.list = append(sn.list, c)
}

func below(a, b []int) bool {
	for d := range a {
		if a[d] > b[d] {
			return false
		}
	}
	return true
}

// optimal finds the best node without checking them all: first the
// boundary between anonymous and not, by binary search along paths up the
// lattice with predictive tagging (as ARX's Flash does), then, among the
// anonymous nodes in order of their metric's bound, exact metrics until the
// bound passes the best found.
func (s *search) optimal() *eval {
	e := s.e
	// Below the lowest level at which each quasi-identifier alone can meet
	// the models, nothing can: settle that region at once, and roll every
	// node up from the node of those lowest levels instead of the bottom.
	low := s.lowestLevels()
	for id := range s.size {
		lv := s.levels(id)
		for d := range e.q {
			if lv[d] < low[d] {
				s.tags[id] = 2
				s.done++
				break
			}
		}
	}
	base := e.rollup(e.bottom, low)
	snaps := &snapshots{max: 32}
	cache := map[int]*eval{}
	evalNode := func(id int) *eval {
		if ev, ok := cache[id]; ok {
			return ev
		}
		lv := s.levels(id)
		ev := s.check(snaps.best(base, lv), lv, false)
		snaps.add(ev.cls)
		cache[id] = ev
		if ev.anonymous {
			s.tagUp(id)
		} else {
			s.tagDown(id)
		}
		s.progress()
		return ev
	}
	// Entropy l-diversity and t-closeness are monotone only without
	// suppression: merging a passing class with a failing one can fail
	// both, so a node above an anonymous one may suppress more. Then no
	// node is tagged by another's result, and phase 2 checks them all in
	// order of their bound.
	monotone := s.maxSupp == 0 || (s.cfg.T <= 0 && !(s.cfg.L > 0 && s.cfg.LEntropy))
	if !monotone {
		return s.byBound(base, snaps, func(id int) bool { return s.tags[id] == 0 }, nil)
	}
	// Phase 1: settle every node, walking up from the lowest unsettled.
	order := make([]int, s.size)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return s.sums[order[a]] < s.sums[order[b]] })
	for _, start := range order {
		if s.tags[start] != 0 {
			continue
		}
		// A path up from start through unsettled nodes, each step raising
		// the quasi-identifier whose next level costs least.
		path := []int{start}
		for n := start; ; {
			next, nb := -1, math.Inf(1)
			lv := s.levels(n)
			for d := range e.q {
				if m := n + s.radix[d]; lv[d]+1 < e.height[d] && s.tags[m] == 0 && s.bounds[m] < nb {
					next, nb = m, s.bounds[m]
				}
			}
			if next < 0 {
				break
			}
			path = append(path, next)
			n = next
		}
		// Binary search for the lowest anonymous node on the path.
		lo, hi := 0, len(path)-1
		for lo <= hi {
			mid := (lo + hi) / 2
			if s.tags[path[mid]] == 0 {
				evalNode(path[mid])
			}
			if s.tags[path[mid]] == 1 {
				hi = mid - 1
			} else {
				lo = mid + 1
			}
		}
	}
	// Phase 2: the anonymous nodes by bound; exact metric until the bound
	// cannot beat the best.
	return s.byBound(base, snaps, func(id int) bool { return s.tags[id] == 1 }, cache)
}

// byBound evaluates the candidate nodes in order of their metric's bound
// and returns the best anonymous one, stopping when the bound passes the
// best score found. cache holds evaluations already made.
func (s *search) byBound(base *classes, snaps *snapshots, candidate func(id int) bool, cache map[int]*eval) *eval {
	e := s.e
	var cands []int
	for id := range s.size {
		if candidate(id) {
			cands = append(cands, id)
		}
	}
	bounds := s.bounds
	sort.SliceStable(cands, func(a, b int) bool { return lessNode(bounds[cands[a]], cands[a], bounds[cands[b]], cands[b], s) })
	var best *eval
	for _, id := range cands {
		if best != nil && bounds[id] > best.score+1e-12 {
			break
		}
		ev := cache[id]
		lv := s.levels(id)
		if ev == nil {
			ev = s.check(snaps.best(base, lv), lv, true)
			snaps.add(ev.cls)
			s.done++
			s.progress()
		} else if ev.anonymous {
			ev.score = e.score(s.cfg.Metric, ev.cls, ev.ok)
		}
		if ev.anonymous && (best == nil || better(ev, best, s)) {
			best = ev
		}
	}
	return best
}

// better orders results: lower score, then fewer levels in all, then the
// lower node number, so that every mode picks the same node on a tie.
func better(a, b *eval, s *search) bool {
	if math.Abs(a.score-b.score) > 1e-12 {
		return a.score < b.score
	}
	return lessNode(0, s.id(a.levels), 0, s.id(b.levels), s)
}

func lessNode(ba float64, a int, bb float64, b int, s *search) bool {
	if math.Abs(ba-bb) > 1e-12 {
		return ba < bb
	}
	if sa, sb := s.sums[a], s.sums[b]; sa != sb {
		return sa < sb
	}
	return a < b
}

// exhaustive checks every node, in parallel: the lattice is cut into
// blocks by the levels of the first quasi-identifiers, and inside a block
// each node is rolled up from the node one level below it in the last
// quasi-identifier that changed (an odometer over the levels), so that no
// node is computed from far below.
func (s *search) exhaustive() *eval {
	e := s.e
	workers := s.cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Blocks: the prefixes of the first p quasi-identifiers, enough for
	// every worker to have several.
	p, blocks := 0, 1
	for p < e.q-1 && blocks < 4*workers {
		blocks *= e.height[p]
		p++
	}
	var mu sync.Mutex
	var best *eval
	next := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local *eval
			anon, settled := 0, 0
			var visit func(d int, lv []int, cls *classes)
			visit = func(d int, lv []int, cls *classes) {
				for l := range e.height[d] {
					lv[d] = l
					if l > 0 {
						cls = e.rollup(cls, lv)
					}
					if d+1 < e.q {
						visit(d+1, lv, cls)
						continue
					}
					ev := s.check(cls, lv, true)
					settled++
					if ev.anonymous {
						anon++
						if local == nil || better(ev, local, s) {
							local = ev
						}
					}
				}
				lv[d] = 0
			}
			for {
				mu.Lock()
				b := next
				next++
				s.done += settled
				settled = 0
				s.progressLocked()
				mu.Unlock()
				if b >= blocks {
					break
				}
				lv := make([]int, e.q)
				for d, rest := p-1, b; d >= 0; d-- {
					lv[d] = rest % e.height[d]
					rest /= e.height[d]
				}
				cls := e.rollup(e.bottom, lv)
				visit(p, lv, cls)
			}
			mu.Lock()
			s.anonymousCount += anon
			if local != nil && (best == nil || better(local, best, s)) {
				best = local
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return best
}

func (s *search) progress() { s.progressLocked() }

func (s *search) progressLocked() {
	if s.cfg.Progress != nil {
		s.cfg.Progress(min(s.done, s.size), s.size)
	}
}

// lowestLevels finds, per quasi-identifier, the lowest level at which the
// rows in groups too small for k (or with fewer than l distinct sensitive
// values) fit within the suppression limit. A class lies inside one group
// of each quasi-identifier, so in a failing group every class fails, and a
// node below these levels cannot meet the models.
func (s *search) lowestLevels() []int {
	e := s.e
	b := e.bottom
	out := make([]int, e.q)
	distinctL := s.cfg.L > 0 && !s.cfg.LEntropy
	for d := range e.q {
		for l := range e.height[d] {
			count := make([]int, e.dom[d][l])
			var hist [][]int32
			if distinctL {
				hist = make([][]int32, e.dom[d][l])
			}
			for c := range b.n() {
				g := e.gen[d][l][b.codes[c*e.q+d]]
				count[g] += int(b.count[c])
				if distinctL {
					if hist[g] == nil {
						hist[g] = make([]int32, e.sw)
					}
					for j, v := range b.sens[c*e.sw : (c+1)*e.sw] {
						hist[g][j] += v
					}
				}
			}
			failing := 0
			for g, n := range count {
				bad := n > 0 && n < s.cfg.K
				if !bad && distinctL && n > 0 {
					for si, sa := range e.sens {
						if !diverse(hist[g][e.sOff[si]:e.sOff[si]+len(sa.values)], n, s.cfg.L, false) {
							bad = true
							break
						}
					}
				}
				if bad {
					failing += n
				}
			}
			out[d] = l
			if failing <= s.maxSupp {
				break
			}
		}
	}
	return out
}

// unusual counts the rows whose value of one quasi-identifier is held by
// fewer than k rows.
func (e *encoded) unusual(qi []string, k int) map[string]int {
	out := make(map[string]int, e.q)
	b := e.bottom
	for d, name := range qi {
		count := make([]int, e.dom[d][0])
		for c := range b.n() {
			count[b.codes[c*e.q+d]] += int(b.count[c])
		}
		n := 0
		for _, v := range count {
			if v > 0 && v < k {
				n += v
			}
		}
		out[name] = n
	}
	return out
}
