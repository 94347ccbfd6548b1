package tabular

import (
	"bytes"
	"io"
	"runtime"
	"testing"
	"time"
)

// benchCSV builds a CSV file of n fictional job seekers, eight columns,
// CRLF line endings, encoded as Shift_JIS when sjisOut.
func benchCSV(tb testing.TB, n int, sjisOut bool) []byte {
	s := personCSV(n)
	if sjisOut {
		return sjis(tb, s)
	}
	return []byte(s)
}

func benchRead(b *testing.B, data []byte, n int) {
	cat := jobSeeker(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rd, err := Open(bytes.NewReader(data), "bench.csv", Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := rd.Bind(cat); err != nil {
			b.Fatal(err)
		}
		rows := 0
		for {
			row, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if !row.OK() {
				b.Fatalf("line %d: %v", row.Line, row.Problems)
			}
			rows++
		}
		if rows != n {
			b.Fatalf("%d rows, want %d", rows, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadSJIS reads and checks 100,000 rows × 8 columns of Shift_JIS
// CSV against the demo job_seeker category.
func BenchmarkReadSJIS(b *testing.B) {
	const n = 100000
	benchRead(b, benchCSV(b, n, true), n)
}

// BenchmarkReadUTF8 is BenchmarkReadSJIS without the decoding.
func BenchmarkReadUTF8(b *testing.B) {
	const n = 100000
	benchRead(b, benchCSV(b, n, false), n)
}

// blockReader repeats block n times without holding the result.
type blockReader struct {
	block []byte
	off   int
	n     int
}

func (r *blockReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.block[r.off:])
	r.off += k
	if r.off == len(r.block) {
		r.off = 0
		r.n--
	}
	return k, nil
}

// TestMillionRowsStreaming reads a million rows of Shift_JIS CSV (about
// 150 MB) that exist only as a stream, and checks that the heap stays far
// below the file's size.
func TestMillionRowsStreaming(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a million rows")
	}
	const block, repeats = 1000, 1000
	rows := benchCSV(t, block, true)
	header := bytes.IndexByte(rows, '\n') + 1
	r := io.MultiReader(bytes.NewReader(rows[:header]), &blockReader{block: rows[header:], n: repeats})
	size := int64(header + (len(rows)-header)*repeats)

	runtime.GC()
	start := time.Now()
	rd, err := Open(r, "million.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rd.Bind(jobSeeker(t)); err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	var peak uint64
	n := 0
	for {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !row.OK() {
			t.Fatalf("line %d: %v", row.Line, row.Problems)
		}
		n++
		if n%50000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	el := time.Since(start)
	if n != block*repeats {
		t.Fatalf("%d rows", n)
	}
	if rd.Offset() != size {
		t.Errorf("Offset %d, want %d", rd.Offset(), size)
	}
	if peak > 64<<20 {
		t.Errorf("heap reached %d MiB reading a %d MiB file", peak>>20, size>>20)
	}
	t.Logf("%d rows, %d MiB in %v (%.0f rows/s), heap peak %d MiB", n, size>>20, el, float64(n)/el.Seconds(), peak>>20)
}
