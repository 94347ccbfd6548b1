package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/sqlstore"
)

func benchEntry(i int) *hogo.AuditEntry {
	return &hogo.AuditEntry{Time: time.Unix(1763856000, int64(i)), Actor: "tanaka", ActorID: 3, Role: hogo.RoleStaff,
		Action: "principal.read", Principal: fmt.Sprintf("p_%08d", i), Category: "job_seeker", Purpose: "job_matching",
		Remote: "192.0.2.10", Detail: map[string]string{"items": "name,email,phone"}}
}

// benchLog opens a real SQLite store in a temporary directory with a log
// over it, closed when the benchmark ends.
func benchLog(b *testing.B) (*sqlstore.DB, *audit.Log, *audit.Key) {
	db, err := sqlite.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	key, _ := audit.GenerateKey()
	l := audit.NewLog(db, key)
	b.Cleanup(func() { l.Close() })
	return db, l, key
}

// BenchmarkAppendSQLite measures batched appends to a real SQLite store from
// many concurrent writers (group commit), with synchronous=FULL.
func BenchmarkAppendSQLite(b *testing.B) {
	_, l, _ := benchLog(b)
	b.SetParallelism(128)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if err := l.Append(context.Background(), benchEntry(i)); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	_, batches := l.Stats()
	b.ReportMetric(float64(b.N)/float64(max(1, batches)), "entries/batch")
}

// BenchmarkVerifySQLite measures verification of a stored chain.
func BenchmarkVerifySQLite(b *testing.B) {
	db, _, key := benchLog(b)
	const n = 200000
	batch := make([]*hogo.AuditEntry, 0, 5000)
	for i := 0; i < n; i++ {
		batch = append(batch, benchEntry(i))
		if len(batch) == cap(batch) {
			if err := db.AppendAudit(context.Background(), []*hogo.AuditWrite{{Entries: batch}}, func(h hogo.AuditHead, batch []*hogo.AuditEntry) (hogo.AuditHead, error) {
				nh := audit.Seal(h, batch)
				nh.Signature = key.SignHead(nh)
				return nh, nil
			}); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := audit.Verify(context.Background(), db, key.Public(), nil)
		if err != nil || !res.OK() || res.Count != n {
			b.Fatal(err, res.Problem)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkHashKernel measures the chain hash alone over encoded entries.
func BenchmarkHashKernel(b *testing.B) {
	bodies := make([][]byte, 1024)
	for i := range bodies {
		e := benchEntry(i)
		e.Seq = int64(i + 1)
		bodies[i] = audit.Encode(nil, e)
	}
	var c audit.Chain
	prev := audit.ZeroHash
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		prev = c.Hash(prev, bodies[i%len(bodies)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkEncode measures the canonical encoding of one entry.
func BenchmarkEncode(b *testing.B) {
	e := benchEntry(1)
	buf := make([]byte, 0, 512)
	for i := 0; i < b.N; i++ {
		buf = audit.Encode(buf[:0], e)
	}
}

// BenchmarkAppendSQLiteBatch measures appends of 1,000 entries per call
// from four writers: bulk work such as an import audits this way.
func BenchmarkAppendSQLiteBatch(b *testing.B) {
	_, l, _ := benchLog(b)
	const per = 1000
	b.SetParallelism(2)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		es := make([]*hogo.AuditEntry, per)
		for pb.Next() {
			for i := range es {
				es[i] = benchEntry(i)
			}
			if err := l.Append(context.Background(), es...); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N*per)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkBaselineInsertSQLite is the baseline for BenchmarkAppendSQLiteBatch:
// the same rows, as the store packs them (blocks of sqlstore.BlockSize
// entries), inserted 1,000 entries per transaction with a prepared statement,
// with no encoding, chaining, signing or group commit.
func BenchmarkBaselineInsertSQLite(b *testing.B) {
	db, err := sqlite.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	es := make([]*hogo.AuditEntry, 1000)
	for i := range es {
		es[i] = benchEntry(i)
	}
	audit.Seal(hogo.AuditHead{}, es)
	type blk struct{ bodies, hashes []byte }
	var blocks []blk
	for s := 0; s < len(es); s += sqlstore.BlockSize {
		var bl blk
		for _, e := range es[s:min(s+sqlstore.BlockSize, len(es))] {
			bl.bodies = append(append(bl.bodies, e.Body...), '\n')
			bl.hashes = append(bl.hashes, e.Hash...)
		}
		blocks = append(blocks, bl)
	}
	seq := int64(1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx, err := db.Write.Begin()
		if err != nil {
			b.Fatal(err)
		}
		st, _ := tx.Prepare(`INSERT INTO audit_log (seq, n, at, bodies, hashes) VALUES ($1, $2, $3, $4, $5)`)
		for _, bl := range blocks {
			n := len(bl.hashes) / 32
			if _, err := st.Exec(seq, n, int64(0), bl.bodies, bl.hashes); err != nil {
				b.Fatal(err)
			}
			seq += int64(n)
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkBaselineScanSQLite is the baseline for BenchmarkVerifySQLite:
// reading the same 200,000 rows in order with no hashing.
func BenchmarkBaselineScanSQLite(b *testing.B) {
	db, _, key := benchLog(b)
	const n = 200000
	for start := 0; start < n; start += 5000 {
		batch := make([]*hogo.AuditEntry, 5000)
		for i := range batch {
			batch[i] = benchEntry(start + i)
		}
		if err := db.AppendAudit(context.Background(), []*hogo.AuditWrite{{Entries: batch}}, func(h hogo.AuditHead, batch []*hogo.AuditEntry) (hogo.AuditHead, error) {
			nh := audit.Seal(h, batch)
			nh.Signature = key.SignHead(nh)
			return nh, nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows := 0
		if err := db.ScanAudit(context.Background(), 0, 0, func(seq int64, body, hash []byte) error {
			rows++
			return nil
		}); err != nil || rows != n {
			b.Fatal(err, rows)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
