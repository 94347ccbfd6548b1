package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/anonymize"
	"hogo.example.jp/hogo/datasets"
	"hogo.example.jp/hogo/jobs"
	"hogo.example.jp/hogo/mail"
	"hogo.example.jp/hogo/requests"
	"hogo.example.jp/hogo/vault"
)

// "hogo bench import|erase|disclosure|sweep" time one piece of work on the
// synthetic organisation, each beside a baseline measured in the same run,
// as the Go benchmarks that call the same functions define it:
//
//   - import (BenchmarkVaultImportSJIS): "hogo import" of N job seekers from
//     a Shift_JIS CSV, against rawImport, the plain INSERT of the same rows;
//   - erase (BenchmarkVaultErase100k): erasing principals through the vault,
//     against a raw DELETE of as many other principals' rows;
//   - disclosure (BenchmarkRequestDisclosure): answering a disclosure
//     request of a principal holding many records, against reading the
//     same principal's rows from the store;
//   - sweep (BenchmarkRetentionSweep10M): a retention sweep while reads go
//     on, against the same reads' latency while idle;
//   - anonymize: creating anonymised information of every job seeker over
//     the API (the audited read and decryption of the quasi-identifiers,
//     the search, the table and the method sealed and stored), against the
//     anonymisation alone of the same table in memory.

func cmdBenchImport(ctx context.Context, e *env, args []string) error {
	return cmdBenchJob(ctx, e, "import", args)
}

func cmdBenchErase(ctx context.Context, e *env, args []string) error {
	return cmdBenchJob(ctx, e, "erase", args)
}

func cmdBenchDisclosure(ctx context.Context, e *env, args []string) error {
	return cmdBenchJob(ctx, e, "disclosure", args)
}

func cmdBenchSweep(ctx context.Context, e *env, args []string) error {
	return cmdBenchJob(ctx, e, "sweep", args)
}

func cmdBenchAnonymize(ctx context.Context, e *env, args []string) error {
	return cmdBenchJob(ctx, e, "anonymize", args)
}

// benchManager is the demo organisation's protection manager.
var benchManager = hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}

// benchEraseBatch is how many principals one erasure (and one baseline
// transaction) takes.
const benchEraseBatch = 10_000

// benchErase erases the first half of ids through the vault (data keys,
// records, blind indexes, tombstones and an audit entry each), batch a
// call, then, as the baseline, DELETEs the record and principal rows of as
// many others of ids, batch a transaction, with no decision, tombstone or
// audit. It returns the two times.
func benchErase(ctx context.Context, s *served, ids []string, batch int) (api, base time.Duration, err error) {
	half := len(ids) / 2
	if half < 1 {
		return 0, 0, errors.New("too few principals to erase")
	}
	v := s.m.Server.Vault
	start := time.Now()
	for i := 0; i < half; i += batch {
		if err := v.Erase(ctx, benchManager, ids[i:min(i+batch, half)], "benchmark"); err != nil {
			return 0, 0, err
		}
	}
	api = time.Since(start)
	// The erased are gone for good.
	if _, err := s.m.db.GetPrincipal(ctx, ids[0]); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		return 0, 0, fmt.Errorf("an erased principal is still readable: %v", err)
	}
	raw := ids[half : 2*half]
	db := s.m.db
	start = time.Now()
	for i := 0; i < len(raw); i += batch {
		if err := func() error {
			tx, err := db.Write.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			for _, id := range raw[i:min(i+batch, len(raw))] {
				if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE principal_id = $1`, id); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM principals WHERE id = $1`, id); err != nil {
					return err
				}
			}
			return tx.Commit()
		}(); err != nil {
			return 0, 0, err
		}
	}
	return api, time.Since(start), nil
}

// readyRequest records a request for principal and takes it to the point
// of answering: verified, paid, matched, every type granted.
func readyRequest(ctx context.Context, rs *requests.Service, desk hogo.Actor, principal string, types []string) (string, error) {
	rc, err := rs.Receive(ctx, desk, requests.Intake{Types: types, Channel: "post", ResponseMethod: "email",
		Requester: requests.Requester{Kind: "principal", Name: "山田 太郎", Email: "taro@example.jp"}})
	if err != nil {
		return "", err
	}
	if err := rs.RecordCheck(ctx, desk, rc.ID, requests.Check{Method: requests.CheckDocument, Documents: []string{"driver_licence"}, Passed: true}); err != nil {
		return "", err
	}
	d, err := rs.Get(ctx, desk, rc.ID)
	if err != nil {
		return "", err
	}
	if d.FeeDue > 0 {
		if err := rs.RecordPayment(ctx, desk, rc.ID, requests.Payment{Method: "bank_transfer", Amount: d.FeeDue}); err != nil {
			return "", err
		}
	}
	if err := rs.Match(ctx, desk, rc.ID, principal); err != nil {
		return "", err
	}
	for _, t := range types {
		if err := rs.Decide(ctx, desk, rc.ID, requests.DecisionInput{Type: t, Outcome: requests.Granted}); err != nil {
			return "", err
		}
	}
	return rc.ID, nil
}

// deskOf is the demo organisation's complaint desk.
func deskOf(ctx context.Context, m *Main) (hogo.Actor, error) {
	u, err := m.db.FindUserByName(ctx, "desk")
	if err != nil {
		return hogo.Actor{}, err
	}
	return hogo.Actor{UserID: u.ID, Name: u.Name, Role: hogo.RoleDesk}, nil
}

// disclosureResult is what benchDisclosure measured.
type disclosureResult struct {
	// Records is how many records the principal held.
	Records int
	// Archive is the answer archive's size in bytes.
	Archive int64
	// Took are the answers' times, Base the baseline reads', sorted.
	Took, Base []time.Duration
}

// benchDisclosure gives the principal in the middle of s.ids records
// records (adding job_seeker records through the vault from several
// goroutines, so that the audit log groups their commits), then answers
// answers disclosure requests of it by e-mail through mailer: every record
// read and decrypted, the use log gathered, the letter (PDF) rendered, the
// archive (JSON, CSV, PDF, signed manifest) built, sealed and stored, and
// the download link mailed. The baseline, after each answer, is reading
// the same principal's sealed rows from the store alone.
func benchDisclosure(ctx context.Context, s *served, mailer requests.Mailer, records, answers int) (disclosureResult, error) {
	var res disclosureResult
	rs := s.m.Server.Requests
	rs.Mailer = mailer
	desk, err := deskOf(ctx, s.m)
	if err != nil {
		return res, err
	}
	if len(s.ids) == 0 {
		return res, errors.New("the organisation has no principals")
	}
	pid := s.ids[len(s.ids)/2]
	p, err := s.m.db.GetPrincipal(ctx, pid)
	if err != nil {
		return res, err
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	missing := records - len(p.Records)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < missing; i += 8 {
				_, err := s.m.Server.Vault.AddRecord(ctx, benchManager, pid, vault.NewRecord{Use: vault.Use{Purpose: "job_matching"}, Category: "job_seeker",
					Source: "paper_form", Items: map[string]string{"name": "山田 太郎", "name_kana": "ヤマダ タロウ",
						"email": fmt.Sprintf("taro%d.%d@example.jp", g, i), "phone": "090-1234-5678", "qualifications": "普通自動車第一種運転免許"}})
				if err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return res, err
	}
	if p, err = s.m.db.GetPrincipal(ctx, pid); err != nil {
		return res, err
	}
	res.Records = len(p.Records)
	for range answers {
		id, err := readyRequest(ctx, rs, desk, pid, []string{"disclose"})
		if err != nil {
			return res, err
		}
		t0 := time.Now()
		if err := rs.Respond(ctx, desk, id); err != nil {
			return res, err
		}
		res.Took = append(res.Took, time.Since(t0))
		d, err := rs.Get(ctx, desk, id)
		if err != nil {
			return res, err
		}
		if d.Status != hogo.RequestAnswered {
			return res, fmt.Errorf("request %s not answered: %s", id, d.Status)
		}
		for _, f := range d.Files {
			if f.Kind == hogo.FileAnswerArchive {
				res.Archive = f.Size
			}
		}
		t0 = time.Now()
		if _, err := s.m.db.GetPrincipal(ctx, pid); err != nil {
			return res, err
		}
		res.Base = append(res.Base, time.Since(t0))
	}
	slices.Sort(res.Took)
	slices.Sort(res.Base)
	return res, nil
}

// sweepResult is what benchSweep measured.
type sweepResult struct {
	Took time.Duration
	// Idle and During are the reads' latencies, sorted.
	Idle, During []time.Duration
	Disposal     *hogo.Disposal
}

// benchSweep reads the imported principals of s (not the synthetic ones,
// whose IDs begin with "zz") by clients goroutines pacing themselves at
// pace, idle for idle, then while a retention sweep runs as a job on the
// server, timed from the request to the job's end.
func benchSweep(ctx context.Context, s *served, idle time.Duration, clients int, pace time.Duration) (sweepResult, error) {
	var res sweepResult
	var real []string
	for _, id := range s.ids {
		if !strings.HasPrefix(id, "zz") {
			real = append(real, id)
		}
	}
	if len(real) == 0 {
		return res, errors.New("the organisation has no principals to read")
	}
	stop := make(chan struct{})
	t := time.AfterFunc(idle, func() { close(stop) })
	defer t.Stop()
	var err error
	if res.Idle, err = pacedReads(ctx, s, real, clients, pace, stop); err != nil {
		return res, err
	}
	stop = make(chan struct{})
	var rerr error
	done := make(chan struct{})
	go func() { res.During, rerr = pacedReads(ctx, s, real, clients, pace, stop); close(done) }()
	start := time.Now()
	j, err := s.m.Server.Retention.RequestSweep(ctx, benchManager, "代表取締役 日野 出")
	if err == nil {
		j, err = jobs.Wait(ctx, s.m.db, j.ID, 20*time.Millisecond)
	}
	res.Took = time.Since(start)
	close(stop)
	<-done
	if err != nil {
		return res, err
	}
	if j.State != hogo.JobDone {
		return res, fmt.Errorf("the sweep job ended %s: %s", j.State, j.LastError)
	}
	if rerr != nil {
		return res, rerr
	}
	ds, err := s.m.db.ListDisposals(ctx, 1)
	if err != nil {
		return res, err
	}
	if len(ds) != 1 {
		return res, errors.New("the sweep left no disposal record")
	}
	res.Disposal = ds[0]
	return res, nil
}

// startMailSink serves SMTP on a loopback port, taking every message and
// discarding it, for "hogo bench disclosure"'s answers. It returns the
// address and the function that stops it.
func startMailSink() (string, func(), error) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return sinkSession{}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 64 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go srv.Serve(ln)
	return ln.Addr().String(), func() { srv.Close() }, nil
}

type sinkSession struct{}

func (sinkSession) Reset()                               {}
func (sinkSession) Logout() error                        { return nil }
func (sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (sinkSession) Data(r io.Reader) error               { _, err := io.Copy(io.Discard, r); return err }

// benchJobReport is the JSON of "hogo bench import|erase|disclosure|sweep
// --json". Times are in seconds ("seconds", "baseline_seconds"), rates per
// second ("throughput": rows or principals), latencies in ms; "ratio" is
// hogo's speed over the baseline's, as with the loads, and "p99_ratio" the
// reads' p99 during the sweep over their p99 idle.
type benchJobReport struct {
	Workload         string  `json:"workload"`
	Store            string  `json:"store"`
	Principals       int     `json:"principals"`
	SetupS           float64 `json:"setup_s"`
	GOMAXPROCS       int     `json:"gomaxprocs"`
	Seconds          float64 `json:"seconds"`
	Throughput       float64 `json:"throughput,omitempty"`
	P50ms            float64 `json:"p50_ms,omitempty"`
	P99ms            float64 `json:"p99_ms,omitempty"`
	BaseSeconds      float64 `json:"baseline_seconds,omitempty"`
	BaseThroughput   float64 `json:"baseline_throughput,omitempty"`
	BaseP50ms        float64 `json:"baseline_p50_ms,omitempty"`
	BaseP99ms        float64 `json:"baseline_p99_ms,omitempty"`
	Ratio            float64 `json:"ratio,omitempty"`
	P99Ratio         float64 `json:"p99_ratio,omitempty"`
	Rows             int     `json:"rows,omitempty"`
	Erased           int     `json:"erased,omitempty"`
	Records          int     `json:"records,omitempty"`
	Answers          int     `json:"answers,omitempty"`
	ArchiveBytes     int64   `json:"archive_bytes,omitempty"`
	ErasedRecords    int     `json:"erased_records,omitempty"`
	ErasedPrincipals int     `json:"erased_principals,omitempty"`
	Reads            int     `json:"reads,omitempty"`
	// anonymize: the rows left out, the generalisation chosen and the
	// search's own time.
	Suppressed     *int           `json:"suppressed,omitempty"`
	Generalization map[string]int `json:"generalization,omitempty"`
	SearchMS       float64        `json:"search_ms,omitempty"`
}

// benchAnswers is how many disclosure requests "hogo bench disclosure"
// answers (the median is reported), as the benchmark's least.
const benchAnswers = 3

func cmdBenchJob(ctx context.Context, e *env, workload string, args []string) error {
	usage := "hogo bench " + workload + " [--principals N]"
	switch workload {
	case "disclosure":
		usage += " [--records N]"
	case "sweep":
		usage += " [--records N] [--duration 10s]"
	}
	if workload != "sweep" {
		usage += " [--db URL]"
	}
	if workload == "anonymize" {
		usage += " [--cpuprofile FILE]"
	}
	usage += " [--json]"
	fs := e.newFlags("bench "+workload,
		"使い方: "+usage+"\n"+
			"合成の組織（デモ組織と求職者 N 人。Shift_JIS の CSV から hogo import で登録）で"+benchJobJa[workload]+
			"を測り、同じ実行で測った基準と並べて表示します。一時ディレクトリの SQLite"+map[bool]string{true: "", false: "（--db では PostgreSQL の専用スキーマ）"}[workload == "sweep"]+" を使い、終了後に削除します。",
		"Usage: "+usage+"\n"+
			"Builds a synthetic organisation (the demo organisation and N job seekers imported from a Shift_JIS CSV through hogo import) "+
			"and measures "+benchJobEn[workload]+", beside a baseline measured in the same run. On SQLite in a temporary directory"+
			map[bool]string{true: "", false: " (with --db, a schema of its own on PostgreSQL)"}[workload == "sweep"]+", removed after.")
	defPrincipals := 100000
	if workload == "sweep" {
		defPrincipals = 2000
	}
	principals := fs.Int("principals", defPrincipals, "job seekers in the synthetic organisation")
	var records *int
	duration := new(time.Duration)
	switch workload {
	case "disclosure":
		records = fs.Int("records", 1000, "records the principal holds when the disclosure requests are answered")
	case "sweep":
		records = fs.Int("records", 100000, "records written straight into the store for the sweep, one principal in twenty of them due")
		duration = fs.Duration("duration", 10*time.Second, "how long the reads are measured idle, before the sweep")
	}
	dbURL := new(string)
	if workload != "sweep" {
		dbURL = fs.String("db", "", "PostgreSQL URL, postgres://USER@HOST:5432/DB: run on a schema of its own there, dropped after")
	}
	asJSON := fs.Bool("json", false, "print the result as JSON")
	var cpuProfile *string
	if workload == "anonymize" {
		cpuProfile = fs.String("cpuprofile", "", "write a CPU profile of the creation (not of the baseline) to FILE for go tool pprof")
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *principals < 1 || (records != nil && *records < 5) || (workload == "sweep" && *duration <= 0) ||
		(workload == "erase" && *principals < 2) {
		fs.Usage()
		return fail(2, "%s", e.p.msg("bench.job.flags"))
	}

	start := time.Now()
	store := "sqlite"
	if *dbURL != "" {
		store = "postgres"
	}
	fmt.Fprintln(e.io.err, e.p.msg("bench.setup", benchCommas(*principals), benchStoreName(store)))
	rep := benchJobReport{Workload: workload, Store: store, Principals: *principals, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	var line string
	if workload == "import" {
		tmp, err := os.MkdirTemp("", "hogo-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		cfg := Config{Data: filepath.Join(tmp, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}
		if *dbURL != "" {
			c, drop, err := pgBenchConfig(ctx, *dbURL, tmp)
			if err != nil {
				return err
			}
			defer drop()
			cfg = c
		}
		imp, err := makeOrg(ctx, cfg, tmp, 0, *principals)
		if err != nil {
			return err
		}
		base, err := rawImport(ctx, cfg, tmp, 0, *principals)
		if err != nil {
			return err
		}
		n := float64(*principals)
		rep.SetupS = benchRound((time.Since(start) - imp - base).Seconds(), 2)
		rep.Rows, rep.Seconds, rep.Throughput = *principals, benchRound(imp.Seconds(), 3), benchRound(n/imp.Seconds(), 1)
		rep.BaseSeconds, rep.BaseThroughput = benchRound(base.Seconds(), 3), benchRound(n/base.Seconds(), 1)
		rep.Ratio = benchRound(base.Seconds()/imp.Seconds(), 3)
		line = e.p.msg("bench.import.line", benchCommas(rep.Rows), rep.Seconds, benchCommas(int(math.Round(rep.Throughput))),
			rep.BaseSeconds, benchCommas(int(math.Round(rep.BaseThroughput))), rep.Ratio)
	} else {
		cfg, _, cleanup, err := benchSetup(ctx, *dbURL, "", *principals)
		if cleanup != nil {
			defer cleanup()
		}
		if err != nil {
			return err
		}
		if workload == "sweep" {
			if _, err := synthesise(ctx, cfg.Data, *records); err != nil {
				return err
			}
		}
		s, err := serveBench(ctx, cfg)
		if err != nil {
			return err
		}
		defer s.m.Close()
		var count int
		if err := s.m.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM principals`).Scan(&count); err != nil {
			return err
		}
		rep.Principals = count
		switch workload {
		case "erase":
			ids, err := principalIDs(ctx, s.m, count)
			if err != nil {
				return err
			}
			rep.SetupS = benchRound(time.Since(start).Seconds(), 2)
			api, base, err := benchErase(ctx, s, ids, benchEraseBatch)
			if err != nil {
				return err
			}
			n := float64(len(ids) / 2)
			rep.Erased, rep.Seconds, rep.Throughput = len(ids)/2, benchRound(api.Seconds(), 3), benchRound(n/api.Seconds(), 1)
			rep.BaseSeconds, rep.BaseThroughput = benchRound(base.Seconds(), 3), benchRound(n/base.Seconds(), 1)
			rep.Ratio = benchRound(base.Seconds()/api.Seconds(), 3)
			line = e.p.msg("bench.erase.line", benchCommas(rep.Erased), rep.Seconds, benchCommas(int(math.Round(rep.Throughput))),
				rep.BaseSeconds, benchCommas(int(math.Round(rep.BaseThroughput))), rep.Ratio)
		case "disclosure":
			addr, stop, err := startMailSink()
			if err != nil {
				return err
			}
			defer stop()
			res, err := benchDisclosure(ctx, s, &mail.Sender{Addr: addr, TLS: "none"}, *records, benchAnswers)
			if err != nil {
				return err
			}
			var answering time.Duration
			for _, d := range res.Took {
				answering += d
			}
			rep.SetupS = benchRound((time.Since(start) - answering).Seconds(), 2)
			took, base := res.Took[len(res.Took)/2], res.Base[len(res.Base)/2]
			rep.Records, rep.Answers, rep.ArchiveBytes = res.Records, len(res.Took), res.Archive
			rep.Seconds, rep.BaseSeconds = benchRound(took.Seconds(), 3), benchRound(base.Seconds(), 4)
			rep.Ratio = benchRound(base.Seconds()/took.Seconds(), 4)
			line = e.p.msg("bench.disclosure.line", benchCommas(rep.Records), rep.Seconds, rep.Answers, float64(rep.ArchiveBytes)/1e6,
				rep.BaseSeconds, rep.Ratio)
		case "anonymize":
			rep.SetupS = benchRound(time.Since(start).Seconds(), 2)
			profiling, err := startCPUProfile(*cpuProfile)
			if err != nil {
				return err
			}
			if profiling != nil {
				defer profiling()
			}
			res, err := benchAnonymize(ctx, s, profiling)
			if err != nil {
				return err
			}
			n := float64(res.Rows)
			rep.Rows, rep.Suppressed, rep.Generalization, rep.SearchMS = res.Rows, &res.Suppressed, res.Generalization, res.SearchMS
			rep.Seconds, rep.Throughput = benchRound(res.Took.Seconds(), 3), benchRound(n/res.Took.Seconds(), 1)
			rep.BaseSeconds, rep.BaseThroughput = benchRound(res.Base.Seconds(), 3), benchRound(n/res.Base.Seconds(), 1)
			rep.Ratio = benchRound(res.Base.Seconds()/res.Took.Seconds(), 3)
			line = e.p.msg("bench.anonymize.line", benchCommas(rep.Rows), rep.Seconds, benchCommas(int(math.Round(rep.Throughput))), res.Suppressed,
				rep.BaseSeconds, benchCommas(int(math.Round(rep.BaseThroughput))), rep.Ratio)
		case "sweep":
			rep.SetupS = benchRound(time.Since(start).Seconds(), 2)
			res, err := benchSweep(ctx, s, *duration, 4, 5*time.Millisecond)
			if err != nil {
				return err
			}
			rep.Records = *records / 5 * 5
			rep.Seconds = benchRound(res.Took.Seconds(), 3)
			rep.ErasedRecords, rep.ErasedPrincipals = res.Disposal.Records, res.Disposal.Principals
			rep.Reads = len(res.During)
			rep.Throughput = benchRound(float64(len(res.During))/res.Took.Seconds(), 1)
			rep.P50ms, rep.P99ms = benchMS(pct(res.During, 0.5)), benchMS(pct(res.During, 0.99))
			rep.BaseP50ms, rep.BaseP99ms = benchMS(pct(res.Idle, 0.5)), benchMS(pct(res.Idle, 0.99))
			if rep.BaseP99ms > 0 {
				rep.P99Ratio = benchRound(rep.P99ms/rep.BaseP99ms, 2)
			}
			line = e.p.msg("bench.sweep.line", benchCommas(rep.Records), rep.Seconds, benchCommas(rep.ErasedRecords), benchCommas(rep.ErasedPrincipals),
				rep.P50ms, rep.P99ms, rep.BaseP50ms, rep.BaseP99ms, rep.P99Ratio)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.io.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintln(e.io.out, e.p.msg("bench.job.head", workload, benchStoreName(store), benchCommas(rep.Principals), rep.SetupS))
	fmt.Fprintln(e.io.out, line)
	fmt.Fprintln(e.io.out, e.p.msg("bench.base."+workload))
	return nil
}

var benchJobJa = map[string]string{
	"import":     "hogo import による求職者 N 人の取り込み（検査・本人ごとのデータ鍵・暗号化・ブラインドインデックス・監査）",
	"erase":      "本人の半数の消去（データ鍵の破棄・記録・ブラインドインデックス・消去記録・監査。1 回 10,000 人）",
	"disclosure": "本人 1 人への開示請求への回答（全記録の復号・利用記録・通知書 PDF・封印したアーカイブ・メール送信。中央値）",
	"sweep":      "保存期間の消去（スイープ）の時間と、その間の監査付き読み取りの p50・p99",
	"anonymize":  "API による求職者全員の匿名加工情報の作成（準識別子の監査付き読み取りと復号、探索、表と加工方法等情報の封印・保存、公表）",
}

var benchJobEn = map[string]string{
	"import":     "importing the N job seekers through hogo import (checks, a data key per principal, encryption, blind indexes, audit)",
	"erase":      "erasing half the principals (data keys destroyed, records, blind indexes, tombstones, audit; 10,000 a call)",
	"disclosure": "answering disclosure requests of one principal (every record decrypted, the use log, the letter as PDF, the sealed archive, the mail; the median)",
	"sweep":      "a retention sweep's time and the p50 and p99 of audited reads while it runs",
	"anonymize":  "creating anonymised information of every job seeker over the API (the quasi-identifiers read audited and decrypted, the search, the table and the method sealed and stored, the publication)",
}

// benchAnonymizeSpec is the anonymised information "hogo bench anonymize"
// creates: every job seeker's birth date, postal code and address, 5
// anonymous with at most 1 % of the rows left out.
const benchAnonymizeSpec = `{"title":"求職者の年代・地域の分布","category":"job_seeker","purpose":"statistics",` +
	`"qi":["birth_date","postal_code","address"],"k":5,"suppress_pct":1}`

// anonymizeResult is what benchAnonymize measured.
type anonymizeResult struct {
	Rows, Suppressed int
	Generalization   map[string]int
	SearchMS         float64
	// Took is the creation over the API; Base the anonymisation of the
	// same table in memory (search, apply and write).
	Took, Base time.Duration
}

// benchAnonymize creates the anonymised information over the API with the
// manager's token, then, as the baseline, anonymises the same table (read
// by a preview, which stores nothing) with the same hierarchies in memory
// and writes it out, checking that both chose the same generalisation.
func benchAnonymize(ctx context.Context, s *served, profiling func()) (anonymizeResult, error) {
	var res anonymizeResult
	req, err := http.NewRequestWithContext(ctx, "POST", s.m.URL+"/api/v1/datasets", strings.NewReader(benchAnonymizeSpec))
	if err != nil {
		return res, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return res, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	res.Took = time.Since(start)
	if profiling != nil {
		profiling()
	}
	if err != nil {
		return res, err
	}
	if resp.StatusCode != http.StatusCreated {
		return res, fmt.Errorf("creating the anonymised information: %s", resp.Status)
	}
	var created struct {
		Rows       int `json:"rows"`
		Suppressed int `json:"suppressed"`
		Report     struct {
			Generalization map[string]int `json:"generalization"`
			SearchMS       float64        `json:"search_ms"`
		} `json:"report"`
	}
	if err := json.Unmarshal(body, &created); err != nil {
		return res, err
	}
	res.Rows, res.Suppressed = created.Rows+created.Suppressed, created.Suppressed
	res.Generalization, res.SearchMS = created.Report.Generalization, created.Report.SearchMS

	var sp datasets.Spec
	if err := json.Unmarshal([]byte(benchAnonymizeSpec), &sp); err != nil {
		return res, err
	}
	run, err := s.m.Server.Datasets.Preview(ctx, benchManager, sp)
	if err != nil {
		return res, err
	}
	cfg := anonymize.Config{QI: sp.QI, K: sp.K, Suppress: sp.SuppressPct / 100, Hierarchies: run.Methods}
	start = time.Now()
	r, err := anonymize.Anonymize(run.Table, cfg)
	if err != nil {
		return res, err
	}
	if _, err := r.Write(io.Discard, run.Table); err != nil {
		return res, err
	}
	res.Base = time.Since(start)
	if !maps.Equal(r.Generalization(), res.Generalization) || r.Suppressed != res.Suppressed {
		return res, fmt.Errorf("the baseline chose %v (%d left out), the API %v (%d)", r.Generalization(), r.Suppressed, res.Generalization, res.Suppressed)
	}
	return res, nil
}
