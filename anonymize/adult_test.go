package anonymize

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

const adultDir = "../../shared/data/adult"

var adultQI = []string{"sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation"}

// adult reads the Adult table and its hierarchies, or skips.
func adult(tb testing.TB) (*Table, map[string]*Hierarchy) {
	tb.Helper()
	f, err := os.Open(filepath.Join(adultDir, "adult.csv"))
	if err != nil {
		tb.Skipf("the Adult data set is not here: %v", err)
	}
	defer f.Close()
	t, err := ReadTable(f, "adult.csv")
	if err != nil {
		tb.Fatal(err)
	}
	hs := map[string]*Hierarchy{}
	files, _ := filepath.Glob(filepath.Join(adultDir, "adult_hierarchy_*.csv"))
	for _, p := range files {
		h, err := ReadHierarchyFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		hs[h.Column] = h
	}
	return t, hs
}

// BenchmarkAdultOptimal is the figure of ARX's benchmark: Adult, 8
// quasi-identifiers, 5-anonymity, no suppression, the optimal search
// (ms/search: the search alone; ns/op adds encoding the table).
func BenchmarkAdultOptimal(b *testing.B) {
	tab, hs := adult(b)
	var search time.Duration
	for b.Loop() {
		r, err := Anonymize(tab, Config{QI: adultQI, Hierarchies: hs, K: 5})
		if err != nil {
			b.Fatal(err)
		}
		search += r.Search
	}
	b.ReportMetric(float64(search.Microseconds())/1000/float64(b.N), "ms/search")
}

// BenchmarkAdultExhaustive checks every node of the same lattice.
func BenchmarkAdultExhaustive(b *testing.B) {
	tab, hs := adult(b)
	var search time.Duration
	for b.Loop() {
		r, err := Anonymize(tab, Config{QI: adultQI, Hierarchies: hs, K: 5, Exhaustive: true})
		if err != nil {
			b.Fatal(err)
		}
		search += r.Search
	}
	b.ReportMetric(float64(search.Microseconds())/1000/float64(b.N), "ms/search")
}

// resampled grows Adult to n rows by drawing its rows at random (a fixed
// seed): the table of the 1.2M-row figure.
func resampled(tab *Table, n int) *Table {
	rnd := rand.New(rand.NewPCG(1, 2))
	out := &Table{Header: tab.Header, Comma: tab.Comma, Rows: make([][]string, n)}
	for i := range out.Rows {
		out.Rows[i] = tab.Rows[rnd.IntN(len(tab.Rows))]
	}
	return out
}

// BenchmarkAdult1M2 anonymises Adult grown to 1.2M rows (k=5, 8
// quasi-identifiers, no suppression): the whole of Anonymize (encoding
// and search) and Apply, with the search alone and the peak of live heap
// beyond the input table, against the encoded table (rows × QIs × 4 bytes).
func BenchmarkAdult1M2(b *testing.B) {
	tab, hs := adult(b)
	big := resampled(tab, 1_200_000)
	encodedBytes := float64(len(big.Rows) * len(adultQI) * 4)
	for b.Loop() {
		runtime.GC()
		base := liveHeap()
		stop := make(chan struct{})
		peak := make(chan uint64)
		go func() {
			var p uint64
			t := time.NewTicker(time.Millisecond)
			defer t.Stop()
			for {
				if h := liveHeap(); h > p {
					p = h
				}
				select {
				case <-stop:
					peak <- p
					return
				case <-t.C:
				}
			}
		}()
		start := time.Now()
		r, err := Anonymize(big, Config{QI: adultQI, Hierarchies: hs, K: 5})
		if err != nil {
			b.Fatal(err)
		}
		out := r.Apply(big)
		whole := time.Since(start)
		close(stop)
		p := <-peak
		if len(out.Rows) != len(big.Rows)-r.Suppressed {
			b.Fatalf("%d rows out of %d, %d suppressed", len(out.Rows), len(big.Rows), r.Suppressed)
		}
		b.ReportMetric(float64(whole.Milliseconds()), "ms/whole")
		b.ReportMetric(float64(r.Search.Microseconds())/1000, "ms/search")
		b.ReportMetric(float64(p-base)/encodedBytes, "heap/encoded")
	}
}

func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
