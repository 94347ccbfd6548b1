package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// "hogo bench" builds a synthetic organisation (the demo organisation and
// N job seekers imported through the real import), serves it with the real
// server, and loads it over HTTP with closed-loop keep-alive clients: first
// hogo's audited API, then a baseline doing the same database work on a
// bare handler with no token, decision, encryption or audit, in the same
// run. The whole-system benchmarks (vault_bench_test.go) use the same code.

func cmdBenchRead(ctx context.Context, e *env, args []string) error {
	return cmdBench(ctx, e, "read", args)
}

func cmdBenchWrite(ctx context.Context, e *env, args []string) error {
	return cmdBench(ctx, e, "write", args)
}

func cmdBenchLookup(ctx context.Context, e *env, args []string) error {
	return cmdBench(ctx, e, "lookup", args)
}

// benchWorkloads are the loads of "hogo bench": hogo's, then the baseline.
var benchWorkloads = map[string]func(ctx context.Context, s *served, w benchLoad) (api, base loadResult, err error){
	"read":   benchReadLoads,
	"write":  benchWriteLoads,
	"lookup": benchLookupLoads,
}

// benchLoad is how to load a served organisation.
type benchLoad struct {
	clients int
	d       time.Duration
	// seekers is how many job seekers were imported: user0@example.jp
	// to user{seekers-1}@example.jp exist.
	seekers int
	// profiling, when set, stops the CPU profile once hogo's load is
	// over, so that the baseline is not in it.
	profiling func()
}

// apiDone ends what only hogo's load needed.
func (w benchLoad) apiDone() {
	if w.profiling != nil {
		w.profiling()
	}
}

// benchReport is the JSON of "hogo bench … --json".
type benchReport struct {
	Workload       string  `json:"workload"`
	Store          string  `json:"store"`
	Nodes          int     `json:"nodes"`
	Principals     int     `json:"principals"`
	Clients        int     `json:"clients"`
	DurationS      float64 `json:"duration_s"`
	SetupS         float64 `json:"setup_s"`
	GOMAXPROCS     int     `json:"gomaxprocs"`
	Throughput     float64 `json:"throughput"`
	P50ms          float64 `json:"p50_ms"`
	P99ms          float64 `json:"p99_ms"`
	Requests       int64   `json:"requests"`
	BaseThroughput float64 `json:"baseline_throughput"`
	BaseP50ms      float64 `json:"baseline_p50_ms"`
	BaseP99ms      float64 `json:"baseline_p99_ms"`
	BaseRequests   int64   `json:"baseline_requests"`
	Ratio          float64 `json:"ratio"`
	AuditPerCommit float64 `json:"audit_entries_per_commit"`
}

// benchMarker is the file in a kept --data directory saying how many job
// seekers it holds.
const benchMarker = "hogo-bench.json"

func cmdBench(ctx context.Context, e *env, workload string, args []string) error {
	fs := e.newFlags("bench "+workload,
		"使い方: hogo bench "+workload+" [--principals N] [--duration 10s] [--clients N] [--db URL [--nodes N] | --data DIR] [--json]\n"+
			"合成の組織（デモ組織と求職者 N 人。Shift_JIS の CSV から hogo import で登録）を作ってサーバで提供し、"+
			benchWhatJa[workload]+"の毎秒件数と p50・p99 を、同じ実行で測った素のデータベース処理（基準）と並べて表示します。"+
			"既定では一時ディレクトリの SQLite を使い、終了後に削除します。--nodes N（--db と共に）は同じスキーマでサーバを N 台起動し、負荷を順に振り分けます。",
		"Usage: hogo bench "+workload+" [--principals N] [--duration 10s] [--clients N] [--db URL [--nodes N] | --data DIR] [--json]\n"+
			"Builds a synthetic organisation (the demo organisation and N job seekers imported from a Shift_JIS CSV through hogo import), "+
			"serves it and measures "+benchWhatEn[workload]+": requests per second, p50 and p99, beside the bare database work (the baseline) "+
			"measured in the same run. By default on SQLite in a temporary directory, removed after. --nodes N (with --db) starts N server nodes "+
			"on the same schema and spreads the load over them round-robin.")
	principals := fs.Int("principals", 100000, "job seekers in the synthetic organisation")
	duration := fs.Duration("duration", 10*time.Second, "how long each load runs (hogo's, then the baseline's)")
	clients := fs.Int("clients", defaultBenchClients, "concurrent HTTP clients, each sending its next request when the last is answered")
	dbURL := fs.String("db", "", "PostgreSQL URL, postgres://USER@HOST:5432/DB: run on a schema of its own there, dropped after")
	data := fs.String("data", "", "keep the SQLite data set in DIR and reuse it next time (default: a temporary directory, removed after)")
	nodes := fs.Int("nodes", 1, "server nodes to start on the same PostgreSQL schema (with --db), the load spread over them round-robin")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of hogo's load (server and clients, one process) to FILE for go tool pprof")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *principals < 1 || *duration <= 0 || *clients < 1 || (*dbURL != "" && *data != "") {
		fs.Usage()
		return fail(2, "%s", e.p.msg("bench.flags"))
	}
	if *nodes < 1 || (*nodes > 1 && *dbURL == "") {
		fs.Usage()
		return fail(2, "%s", e.p.msg("bench.nodes"))
	}

	start := time.Now()
	store := "sqlite"
	if *dbURL != "" {
		store = "postgres"
	}
	fmt.Fprintln(e.io.err, e.p.msg("bench.setup", benchCommas(*principals), benchStoreName(store)))
	cfg, seekers, cleanup, err := benchSetup(ctx, *dbURL, *data, *principals)
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		return err
	}
	s, err := serveBench(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.m.Close()
	if *nodes > 1 {
		stop, err := serveNodes(ctx, s, cfg, *nodes)
		if err != nil {
			return err
		}
		defer stop()
	}
	var count int
	if err := s.m.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM principals`).Scan(&count); err != nil {
		return err
	}
	setup := time.Since(start)

	fmt.Fprintln(e.io.err, e.p.msg("bench.loading", duration.String()))
	e0, b0 := s.auditStats()
	load := benchLoad{clients: *clients, d: *duration, seekers: seekers}
	if load.profiling, err = startCPUProfile(*cpuProfile); err != nil {
		return err
	}
	if load.profiling != nil {
		defer load.profiling()
	}
	api, base, err := benchWorkloads[workload](ctx, s, load)
	if err != nil {
		return err
	}
	e1, b1 := s.auditStats()
	rep := benchReport{Workload: workload, Store: store, Nodes: *nodes, Principals: count, Clients: *clients, DurationS: duration.Seconds(),
		SetupS: benchRound(setup.Seconds(), 2), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Throughput: benchRound(api.RPS, 1), P50ms: benchMS(api.P50), P99ms: benchMS(api.P99), Requests: api.Requests,
		BaseThroughput: benchRound(base.RPS, 1), BaseP50ms: benchMS(base.P50), BaseP99ms: benchMS(base.P99), BaseRequests: base.Requests,
		Ratio: benchRound(api.RPS/base.RPS, 3)}
	if b1 > b0 {
		rep.AuditPerCommit = benchRound(float64(e1-e0)/float64(b1-b0), 1)
	}
	if *asJSON {
		enc := json.NewEncoder(e.io.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintln(e.io.out, e.p.msg("bench.head", workload, benchStoreName(store), benchCommas(count), rep.Clients, duration.Seconds(), rep.SetupS))
	if *nodes > 1 {
		fmt.Fprintln(e.io.out, e.p.msg("bench.nodes.line", *nodes))
	}
	fmt.Fprintln(e.io.out, e.p.msg("bench.line", e.p.msg("bench."+workload), benchCommas(int(math.Round(api.RPS))), rep.P50ms, rep.P99ms,
		benchCommas(int(math.Round(base.RPS))), rep.BaseP50ms, rep.BaseP99ms, rep.Ratio))
	fmt.Fprintln(e.io.out, e.p.msg("bench.base."+workload))
	return nil
}

var benchWhatJa = map[string]string{
	"read":   "監査付き読み取り（GET /api/v1/principals/{id}?purpose=job_matching、管理者のトークン）",
	"write":  "API による本人の登録（POST /api/v1/principals）",
	"lookup": "メールアドレスによる本人の検索（POST /api/v1/principals/search）",
}

var benchWhatEn = map[string]string{
	"read":   "audited reads (GET /api/v1/principals/{id}?purpose=job_matching with a manager's token)",
	"write":  "creating principals through the API (POST /api/v1/principals)",
	"lookup": "finding principals by e-mail through the API (POST /api/v1/principals/search)",
}

func benchStoreName(store string) string {
	if store == "postgres" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// benchSetup makes or finds the synthetic organisation and returns the
// configuration to serve it, how many job seekers it holds, and what to do
// when done.
func benchSetup(ctx context.Context, dbURL, data string, n int) (Config, int, func(), error) {
	if data != "" {
		return benchKept(ctx, data, n)
	}
	tmp, err := os.MkdirTemp("", "hogo-bench-")
	if err != nil {
		return Config{}, 0, nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	cfg := Config{Data: filepath.Join(tmp, "data"), Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}
	if dbURL != "" {
		c, drop, err := pgBenchConfig(ctx, dbURL, tmp)
		if err != nil {
			return Config{}, 0, cleanup, err
		}
		cfg, cleanup = c, func() { drop(); os.RemoveAll(tmp) }
	}
	if _, err := makeOrg(ctx, cfg, tmp, 0, n); err != nil {
		return Config{}, 0, cleanup, err
	}
	return cfg, n, cleanup, nil
}

// benchKept makes or reuses the data set in dir: a SQLite store and a
// marker file saying how many job seekers it holds; more are imported when
// n is larger. A directory holding anything else is refused.
func benchKept(ctx context.Context, dir string, n int) (Config, int, func(), error) {
	cfg := Config{Data: dir, Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}
	mark := filepath.Join(dir, benchMarker)
	var kept struct {
		JobSeekers int `json:"job_seekers"`
	}
	b, err := os.ReadFile(mark)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &kept); err != nil {
			return cfg, 0, nil, fmt.Errorf("%s: %w", mark, err)
		}
	case errors.Is(err, os.ErrNotExist):
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			return cfg, 0, nil, fmt.Errorf("%s is not empty and holds no data set of hogo bench (no %s): give a new or empty directory", dir, benchMarker)
		}
	default:
		return cfg, 0, nil, err
	}
	if kept.JobSeekers >= n {
		return cfg, kept.JobSeekers, nil, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return cfg, 0, nil, err
	}
	save := func() error {
		b, _ := json.Marshal(kept)
		return os.WriteFile(mark, b, 0o600)
	}
	// The marker first, so that the directory is known as hogo bench's.
	if err := save(); err != nil {
		return cfg, 0, nil, err
	}
	if _, err := makeOrg(ctx, cfg, dir, kept.JobSeekers, n-kept.JobSeekers); err != nil {
		return cfg, 0, nil, err
	}
	kept.JobSeekers = n
	return cfg, n, nil, save()
}

// benchReadLoads loads audited reads of one principal over HTTP (purpose
// checked, decrypted, audited), then the baseline: a bare handler reading
// the same sealed row from the database.
func benchReadLoads(ctx context.Context, s *served, w benchLoad) (api, base loadResult, err error) {
	if len(s.ids) == 0 {
		return api, base, errors.New("the organisation has no principals")
	}
	api, err = runLoad(ctx, w.clients, w.d, func(rnd *rand.Rand) *http.Request {
		r, _ := http.NewRequest("GET", s.url()+"/api/v1/principals/"+s.ids[rnd.IntN(len(s.ids))]+"?purpose=job_matching", nil)
		r.Header.Set("Authorization", "Bearer "+s.token)
		return r
	})
	if err != nil {
		return api, base, err
	}
	w.apiDone()
	db := s.m.db
	mux := http.NewServeMux()
	mux.HandleFunc("GET /raw/{id}", func(w http.ResponseWriter, r *http.Request) {
		var id, cat string
		var sealed []byte
		err := db.Read.QueryRowContext(r.Context(), `SELECT id, category, sealed FROM records WHERE principal_id = $1`, r.PathValue("id")).Scan(&id, &cat, &sealed)
		if err != nil {
			http.Error(w, "not found", 404)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": r.PathValue("id"), "records": []any{map[string]any{"id": id, "category": cat, "sealed": sealed}}})
	})
	url, stop, err := serveRaw(mux)
	if err != nil {
		return api, base, err
	}
	defer stop()
	base, err = runLoad(ctx, w.clients, w.d, func(rnd *rand.Rand) *http.Request {
		r, _ := http.NewRequest("GET", url+"/raw/"+s.ids[rnd.IntN(len(s.ids))], nil)
		return r
	})
	return api, base, err
}

// rawPrefix begins the IDs of the rows the write baseline inserts: after
// every ID hogo makes, and removed when the baseline ends.
const rawPrefix = "~bench-"

// benchWriteLoads loads the creation of job seekers through the API (one
// principal and record each: checked, a data key, sealed, four blind
// indexes, an audit entry), then the baseline: a bare handler decoding the
// same body and inserting a principal row and a record row holding the
// items as plain JSON, in a transaction of their own.
func benchWriteLoads(ctx context.Context, s *served, w benchLoad) (api, base loadResult, err error) {
	run := time.Now().UnixNano()
	var seq atomic.Int64
	body := func() []byte {
		i := int(seq.Add(1))
		p := seeker(w.seekers + i)
		items := map[string]string{}
		for j, id := range seekerItems {
			items[id] = p[j]
		}
		items["email"] = fmt.Sprintf("bench%d.%d@example.jp", run, i)
		b, _ := json.Marshal(map[string]any{"category": "job_seeker", "purpose": "job_matching", "source": "paper_form", "items": items})
		return b
	}
	api, err = runLoad(ctx, w.clients, w.d, func(rnd *rand.Rand) *http.Request {
		r, _ := http.NewRequest("POST", s.url()+"/api/v1/principals", bytes.NewReader(body()))
		r.Header.Set("Authorization", "Bearer "+s.token)
		r.Header.Set("Content-Type", "application/json")
		return r
	})
	if err != nil {
		return api, base, err
	}
	w.apiDone()
	db := s.m.db
	key := make([]byte, 80) // about a wrapped data key's size
	mux := http.NewServeMux()
	mux.HandleFunc("POST /raw/principals", func(w http.ResponseWriter, r *http.Request) {
		var in vault.NewRecord
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, "bad body", 400)
			return
		}
		items, _ := json.Marshal(in.Items)
		pid := rawPrefix + strconv.FormatInt(run, 36) + "-" + strconv.FormatInt(seq.Add(1), 10)
		rid := pid + "-r"
		now := time.Now().UnixNano()
		err := func() error {
			tx, err := db.Write.BeginTx(r.Context(), nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(r.Context(), `INSERT INTO principals (id, wrapped_key, created_at, updated_at) VALUES ($1, $2, $3, $4)`,
				pid, key, now, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(r.Context(), `INSERT INTO records (principal_id, id, category, source, acquired_at, purposes, notice_version, sealed, lookups, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				pid, rid, in.Category, in.Source, now, in.Purpose, "", items, []byte{}, 1, now, now); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			http.Error(w, "insert failed", 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]string{"id": pid, "record_id": rid})
	})
	url, stop, err := serveRaw(mux)
	if err != nil {
		return api, base, err
	}
	defer stop()
	base, err = runLoad(ctx, w.clients, w.d, func(rnd *rand.Rand) *http.Request {
		r, _ := http.NewRequest("POST", url+"/raw/principals", bytes.NewReader(body()))
		r.Header.Set("Content-Type", "application/json")
		return r
	})
	// The baseline's rows are not hogo's: remove them, also after a failure.
	for _, q := range []string{`DELETE FROM records WHERE principal_id >= $1 AND principal_id < $2`, `DELETE FROM principals WHERE id >= $1 AND id < $2`} {
		if _, derr := db.Write.ExecContext(context.WithoutCancel(ctx), q, rawPrefix, rawPrefix[:len(rawPrefix)-1]+"."); derr != nil && err == nil {
			err = derr
		}
	}
	return api, base, err
}

// benchLookupLoads loads finding a job seeker by e-mail (typed in upper
// case) through the API (blind index, the principal read, decision,
// decryption, audit), then the baseline: a bare handler computing the same
// blind index, probing the index and reading the sealed rows.
func benchLookupLoads(ctx context.Context, s *served, w benchLoad) (api, base loadResult, err error) {
	if w.seekers < 1 {
		return api, base, errors.New("the organisation has no job seekers to look up")
	}
	body := func(rnd *rand.Rand) []byte {
		b, _ := json.Marshal(map[string]string{"by": "email", "value": fmt.Sprintf("USER%d@example.jp", rnd.IntN(w.seekers)), "purpose": "job_matching"})
		return b
	}
	apiReq := func(rnd *rand.Rand) *http.Request {
		r, _ := http.NewRequest("POST", s.url()+"/api/v1/principals/search", bytes.NewReader(body(rnd)))
		r.Header.Set("Authorization", "Bearer "+s.token)
		r.Header.Set("Content-Type", "application/json")
		return r
	}
	// One lookup first, to see that it finds its job seeker.
	resp, err := http.DefaultClient.Do(apiReq(rand.New(rand.NewPCG(1, 1))).WithContext(ctx))
	if err != nil {
		return api, base, err
	}
	var found struct {
		Principals []json.RawMessage `json:"principals"`
	}
	err = json.NewDecoder(resp.Body).Decode(&found)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(found.Principals) != 1 {
		return api, base, fmt.Errorf("a lookup by e-mail found %d principals (status %d, %v); want 1", len(found.Principals), resp.StatusCode, err)
	}
	api, err = runLoad(ctx, w.clients, w.d, apiReq)
	if err != nil {
		return api, base, err
	}
	w.apiDone()
	db, keys := s.m.db, s.m.Server.Vault.Keys()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /raw/search", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			By      string `json:"by"`
			Value   string `json:"value"`
			Purpose string `json:"purpose"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, "bad body", 400)
			return
		}
		ids, err := db.FindPrincipals(r.Context(), keys.BlindIndex(ledger.TypeEmail, in.Value), vault.MaxMatches)
		if err != nil || len(ids) == 0 {
			http.Error(w, "not found", 404)
			return
		}
		var out []any
		for _, id := range ids {
			p, err := db.GetPrincipal(r.Context(), id)
			if err != nil {
				http.Error(w, "not found", 404)
				return
			}
			var recs []any
			for _, rec := range p.Records {
				recs = append(recs, map[string]any{"id": rec.ID, "category": rec.Category, "sealed": rec.Sealed})
			}
			out = append(out, map[string]any{"id": id, "records": recs})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"principals": out})
	})
	url, stop, err := serveRaw(mux)
	if err != nil {
		return api, base, err
	}
	defer stop()
	base, err = runLoad(ctx, w.clients, w.d, func(rnd *rand.Rand) *http.Request {
		r, _ := http.NewRequest("POST", url+"/raw/search", bytes.NewReader(body(rnd)))
		r.Header.Set("Content-Type", "application/json")
		return r
	})
	return api, base, err
}

// commas writes n with thousands separators: 12,345.
func benchCommas(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + benchCommas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func benchRound(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// ms is d in milliseconds, to the microsecond.
func benchMS(d time.Duration) float64 { return benchRound(float64(d.Microseconds())/1000, 3) }

// startCPUProfile starts a CPU profile written to path, and returns what
// stops it and closes the file, which may be called more than once (nil
// when path is empty).
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			f.Close()
		})
	}, nil
}
