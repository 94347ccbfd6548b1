package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/vault"
)

// TestCrashSafety runs mixed load against a real "hogo serve" process —
// principals created, records added and corrected, principals erased and
// read, from several clients at once — and kills it with SIGKILL at a
// random moment while requests are in flight, 50 times, restarting it each
// time. The test keeps a model of what the server acknowledged (a 2xx
// answer read in full): each client owns its principals, so a principal's
// state is known exactly but for the one request a client had in flight
// at the kill. After each restart those uncertain writes are looked up:
// each must be there whole or not at all, and what is there is adopted
// into the model. In the end, after a clean start, every principal the
// model holds is there with exactly its records, items and versions, every
// acknowledged erasure is gone with its tombstone, no principal is there
// that the model does not hold, every change has its audit entry (and no
// entry claims a change that is not there), and "hogo audit verify"
// passes.
//
// HOGO_CRASH_SEED replays the same choices of operations (the moments of
// the kills differ); HOGO_CRASH_ROUNDS changes the number of kills.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills 50 server processes")
	}
	vcEnglish(t)
	start := time.Now()
	data := vcDemoData(t)
	code, out, errs := hogoRun(t, "", "token", "create", "manager", "--data", data)
	if code != 0 {
		t.Fatalf("token create: %d %s %s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if !strings.HasPrefix(token, "hogo_") {
		t.Fatalf("token create printed %q", out)
	}
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("HOGO_CRASH_SEED"), 10, 64); err == nil {
		seed = s
	}
	rounds := 50
	if n, err := strconv.Atoi(os.Getenv("HOGO_CRASH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	t.Logf("seed %d (HOGO_CRASH_SEED=%d replays the operations)", seed, seed)
	c := &crash{t: t, data: data, token: token, byID: map[string]*crashPrincipal{}, acked: map[string]int{}}
	rnd := rand.New(rand.NewPCG(seed, 1))
	for r := range rounds {
		s := c.start()
		c.resolve(s.url, r)
		c.round(s, r, rnd)
		if t.Failed() {
			t.Fatalf("stopping after round %d", r)
		}
	}

	// A clean start after the last kill: resolve that round's uncertain
	// writes, then check everything.
	m := &Main{Config: Config{Data: data, Addr: "127.0.0.1:0", CheckpointEvery: time.Hour}}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatalf("the clean start after %d kills: %v", rounds, err)
	}
	c.resolve(m.URL, rounds)
	c.verify(m)
	if err := m.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	code, out, errs = hogoRun(t, "", "audit", "verify", "--data", data)
	if code != 0 {
		t.Errorf("hogo audit verify after %d kills: exit %d\n%s%s", rounds, code, out, errs)
	} else {
		t.Logf("hogo audit verify: %s", strings.TrimSpace(out))
	}
	acked := c.acked["create"] + c.acked["add"] + c.acked["update"] + c.acked["erase"]
	t.Logf("%d kills (%d requests in flight at the kills), %d acknowledged writes (%d principals created, %d records added, %d corrected, %d erased), %d reads checked, %d lost",
		c.kills, c.inFlight, acked, c.acked["create"], c.acked["add"], c.acked["update"], c.acked["erase"], c.acked["read"], c.lost)
	t.Logf("%d writes unacknowledged at a kill: %d found whole and adopted, %d absent, %d half there; %d principals held (%d erased), %d records; %s",
		c.uncertain, c.adopted, c.uncertain-c.adopted-c.half, c.half, len(c.order), c.erased(), c.records(), time.Since(start).Round(time.Second))
}

// crash is the test's state: the model of what the server holds.
type crash struct {
	t           *testing.T
	data, token string
	order       []*crashPrincipal // in order of creation
	byID        map[string]*crashPrincipal
	pending     []*crashPending // writes in flight at the last kill
	acked       map[string]int
	kills       int
	inFlight    int64
	uncertain   int
	adopted     int
	half        int // uncertain writes found in part
	lost        int
}

// crashPrincipal is a principal as the model holds them.
type crashPrincipal struct {
	id      string
	records map[string]*crashRecord
	order   []string // record IDs, the first made with the principal
	erased  bool
}

type crashRecord struct {
	items   map[string]string
	version int64
}

// crashPending is a write whose answer did not arrive: it may or may not
// have been stored, but never in part.
type crashPending struct {
	kind    string // create, add, update, erase
	p       *crashPrincipal
	record  string            // update: the record corrected
	items   map[string]string // create, add: the items sent; update: the items after the correction
	version int64             // update: the version after the correction
}

func (c *crash) erased() (n int) {
	for _, p := range c.order {
		if p.erased {
			n++
		}
	}
	return n
}

func (c *crash) records() (n int) {
	for _, p := range c.order {
		if !p.erased {
			n += len(p.records)
		}
	}
	return n
}

func (c *crash) add(p *crashPrincipal) {
	c.order = append(c.order, p)
	c.byID[p.id] = p
}

// crashServer is a "hogo serve" process.
type crashServer struct {
	cmd    *exec.Cmd
	out    *crashOutput
	exited chan error // holds the result of Wait once it returned
	url    string
}

// crashOutput is a process's output, safe to read while it is written.
type crashOutput struct {
	mu sync.Mutex
	b  strings.Builder
}

func (o *crashOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *crashOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

var crashURL = regexp.MustCompile(`running at (http://127\.0\.0\.1:[0-9]+)`)

// start starts "hogo serve" on a port of its choosing (no port can be
// taken in between), reads the URL it prints, and waits until /healthz
// answers.
func (c *crash) start() *crashServer {
	t := c.t
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--data", c.data, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "HOGO_TEST_AS_HOGO=1", "HOGO_LANG=en")
	s := &crashServer{cmd: cmd, out: &crashOutput{}, exited: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case err := <-s.exited:
			s.exited <- err
		default:
			cmd.Process.Kill()
			s.exited <- <-s.exited
		}
	})
	client := &http.Client{Timeout: time.Second}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-s.exited:
			s.exited <- err
			t.Fatalf("hogo serve exited before it served (%v):\n%s", err, s.out)
		default:
		}
		if s.url == "" {
			if m := crashURL.FindStringSubmatch(s.out.String()); m != nil {
				s.url = m[1]
			}
		}
		if s.url != "" {
			if resp, err := client.Get(s.url + "/healthz"); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return s
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("hogo serve did not answer /healthz within 30 s:\n%s", s.out)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// crashAPI calls the server's API with the manager's token.
type crashAPI struct {
	base, token string
	client      *http.Client
	inFlight    *atomic.Int64
}

// call sends a request and returns the status and the whole body; err is
// set when no complete answer arrived.
func (a *crashAPI) call(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.inFlight != nil {
		a.inFlight.Add(1)
		defer a.inFlight.Add(-1)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// get reads a principal for job matching, which sees every item the test
// writes; it returns the status (0 when no complete answer came) and, on
// 200, the view.
func (a *crashAPI) get(id string) (int, *vault.View, error) {
	st, b, err := a.call("GET", "/api/v1/principals/"+id+"?purpose=job_matching", nil)
	if err != nil {
		return 0, nil, err // no complete answer
	}
	if st != http.StatusOK {
		if st != http.StatusNotFound {
			err = fmt.Errorf("status %d: %s", st, b)
		}
		return st, nil, err
	}
	var v vault.View
	if err := json.Unmarshal(b, &v); err != nil {
		return st, nil, fmt.Errorf("a read answered %s: %v", b, err)
	}
	return st, &v, nil
}

// crashItems are a job seeker's items, in the form the vault stores them
// (so that what is read back equals what was sent); the e-mail address
// tells each write apart. All fictional.
func crashItems(round, g, n int, kind string) map[string]string {
	family := [][2]string{{"山田", "ヤマダ"}, {"髙橋", "タカハシ"}, {"佐藤", "サトウ"}, {"鈴木", "スズキ"}, {"中村", "ナカムラ"}}
	given := [][2]string{{"太郎", "タロウ"}, {"花子", "ハナコ"}, {"健一", "ケンイチ"}, {"美咲", "ミサキ"}}
	k := round*100000 + g*10000 + n
	f, gv := family[k%len(family)], given[(k/len(family))%len(given)]
	return map[string]string{
		"name":           f[0] + " " + gv[0],
		"name_kana":      f[1] + "　" + gv[1],
		"email":          fmt.Sprintf("crash-%d-%d-%d%s@example.jp", round, g, n, kind),
		"phone":          fmt.Sprintf("090%08d", k),
		"birth_date":     fmt.Sprintf("19%02d-%02d-%02d", 60+k%40, 1+k%12, 1+k%28),
		"postal_code":    fmt.Sprintf("100-%04d", k%10000),
		"address":        fmt.Sprintf("東京都千代田区千代田%d-%d", 1+k%9, 1+k%20),
		"qualifications": "普通自動車第一種運転免許",
		"career":         fmt.Sprintf("事務職 %d年", 1+k%15),
	}
}

// diffItems describes how got differs from want, item by item.
func diffItems(want, got map[string]string) string {
	var d []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[k]; !ok {
			d = append(d, fmt.Sprintf("item %s missing (want %q)", k, want[k]))
		} else if g != want[k] {
			d = append(d, fmt.Sprintf("item %s is %q, want %q", k, g, want[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			d = append(d, fmt.Sprintf("item %s is %q, not written", k, got[k]))
		}
	}
	return strings.Join(d, "; ")
}

// diffView describes how a principal as read differs from the model; ""
// when they are equal.
func diffView(p *crashPrincipal, v *vault.View) string {
	var d []string
	if v.ID != p.id {
		d = append(d, fmt.Sprintf("read as %s", v.ID))
	}
	seen := map[string]bool{}
	for _, r := range v.Records {
		seen[r.ID] = true
		m := p.records[r.ID]
		switch {
		case m == nil:
			d = append(d, fmt.Sprintf("record %s (version %d) is there but was never acknowledged", r.ID, r.Version))
		case r.Version != m.version:
			d = append(d, fmt.Sprintf("record %s is at version %d, want %d", r.ID, r.Version, m.version))
		}
		if m != nil {
			if x := diffItems(m.items, r.Items); x != "" {
				d = append(d, fmt.Sprintf("record %s: %s", r.ID, x))
			}
		}
	}
	for _, rid := range p.order {
		if !seen[rid] {
			d = append(d, fmt.Sprintf("acknowledged record %s (version %d) is missing", rid, p.records[rid].version))
		}
	}
	return strings.Join(d, "; ")
}

// crashWorker is one client of a round: it works on the principals it
// owns and those it creates, so that their state is known exactly.
type crashWorker struct {
	api      *crashAPI
	t        *testing.T
	g, round int
	rnd      *rand.Rand
	owned    []*crashPrincipal
	created  []*crashPrincipal
	pending  *crashPending
	stopped  bool
	acked    map[string]int
	n        int
}

func (w *crashWorker) run() {
	for !w.stopped {
		var live []*crashPrincipal
		for _, p := range w.owned {
			if !p.erased {
				live = append(live, p)
			}
		}
		x := w.rnd.IntN(100)
		if x < 35 || len(live) == 0 {
			w.create()
			continue
		}
		p := live[w.rnd.IntN(len(live))]
		switch {
		case x < 50:
			w.addRecord(p)
		case x < 65:
			w.update(p)
		case x < 72:
			w.erase(p)
		default:
			w.read(p)
		}
	}
}

// fail stops the worker after a request with no acknowledgement; an
// answer that came whole but was not a success is an error of its own.
func (w *crashWorker) fail(what string, st int, body []byte, err error, pd *crashPending) {
	w.stopped, w.pending = true, pd
	if err == nil {
		w.t.Errorf("round %d: %s answered %d while serving: %s", w.round, what, st, body)
	}
}

func (w *crashWorker) create() {
	w.n++
	items := crashItems(w.round, w.g, w.n, "")
	st, b, err := w.api.call("POST", "/api/v1/principals", map[string]any{"category": "job_seeker", "purpose": "job_matching",
		"source": "web_form", "items": items})
	var res struct {
		ID       string `json:"id"`
		RecordID string `json:"record_id"`
	}
	if err == nil && st == http.StatusCreated {
		if err := json.Unmarshal(b, &res); err == nil && vault.ValidID(res.ID) && vault.ValidID(res.RecordID) {
			p := &crashPrincipal{id: res.ID, records: map[string]*crashRecord{res.RecordID: {items: items, version: 1}}, order: []string{res.RecordID}}
			w.created = append(w.created, p)
			w.owned = append(w.owned, p)
			w.acked["create"]++
			return
		}
	}
	w.fail("creating a principal", st, b, err, &crashPending{kind: "create", items: items})
}

func (w *crashWorker) addRecord(p *crashPrincipal) {
	w.n++
	items := crashItems(w.round, w.g, w.n, "-add")
	st, b, err := w.api.call("POST", "/api/v1/principals/"+p.id+"/records", map[string]any{"category": "job_seeker",
		"purpose": "job_matching", "source": "interview", "items": items})
	var res struct {
		ID string `json:"id"`
	}
	if err == nil && st == http.StatusCreated {
		if err := json.Unmarshal(b, &res); err == nil && vault.ValidID(res.ID) {
			p.records[res.ID] = &crashRecord{items: items, version: 1}
			p.order = append(p.order, res.ID)
			w.acked["add"]++
			return
		}
	}
	w.fail("adding a record to principal "+p.id, st, b, err, &crashPending{kind: "add", p: p, items: items})
}

func (w *crashWorker) update(p *crashPrincipal) {
	w.n++
	rid := p.order[w.rnd.IntN(len(p.order))]
	r := p.records[rid]
	q := fmt.Sprintf("第二種電気工事士（%d-%d-%d）", w.round, w.g, w.n)
	change := map[string]*string{"qualifications": &q}
	after := maps.Clone(r.items)
	after["qualifications"] = q
	if _, ok := r.items["career"]; ok {
		change["career"] = nil // deleted
		delete(after, "career")
	} else {
		c := fmt.Sprintf("営業職 %d年", 1+w.n%20)
		change["career"], after["career"] = &c, c
	}
	st, b, err := w.api.call("PATCH", "/api/v1/principals/"+p.id+"/records/"+rid, map[string]any{"purpose": "job_matching",
		"items": change, "version": r.version})
	var res struct {
		Version int64 `json:"version"`
	}
	if err == nil && st == http.StatusOK {
		if err := json.Unmarshal(b, &res); err == nil && res.Version == r.version+1 {
			r.items, r.version = after, res.Version
			w.acked["update"]++
			return
		}
	}
	w.fail("correcting record "+rid+" of principal "+p.id, st, b, err,
		&crashPending{kind: "update", p: p, record: rid, items: after, version: r.version + 1})
}

func (w *crashWorker) erase(p *crashPrincipal) {
	st, b, err := w.api.call("DELETE", "/api/v1/principals/"+p.id, map[string]string{"reason": "本人からの消去請求（クラッシュ試験）"})
	var res struct {
		Erased bool `json:"erased"`
	}
	if err == nil && st == http.StatusOK {
		if err := json.Unmarshal(b, &res); err == nil && res.Erased {
			p.erased = true
			w.acked["erase"]++
			return
		}
	}
	w.fail("erasing principal "+p.id, st, b, err, &crashPending{kind: "erase", p: p})
}

func (w *crashWorker) read(p *crashPrincipal) {
	st, v, err := w.api.get(p.id)
	if err != nil && st == 0 {
		w.stopped = true // the kill
		return
	}
	if err != nil || st != http.StatusOK {
		w.stopped = true
		w.t.Errorf("round %d: reading principal %s while serving: %d %v", w.round, p.id, st, err)
		return
	}
	if d := diffView(p, v); d != "" {
		w.t.Errorf("round %d: principal %s as read while serving differs from what was acknowledged: %s", w.round, p.id, d)
	}
	w.acked["read"]++
}

// round starts the clients on the live principals, kills the server at a
// random moment between 50 and 400 ms later, and takes what was
// acknowledged into the model.
func (c *crash) round(s *crashServer, r int, rnd *rand.Rand) {
	t := c.t
	const clients = 6
	owned := make([][]*crashPrincipal, clients)
	i := 0
	for _, p := range c.order {
		if !p.erased {
			owned[i%clients] = append(owned[i%clients], p)
			i++
		}
	}
	tr := &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	var inFlight atomic.Int64
	api := &crashAPI{base: s.url, token: c.token, client: &http.Client{Transport: tr, Timeout: 20 * time.Second}, inFlight: &inFlight}
	workers := make([]*crashWorker, clients)
	var wg sync.WaitGroup
	for g := range workers {
		w := &crashWorker{api: api, t: t, g: g, round: r, rnd: rand.New(rand.NewPCG(rnd.Uint64(), uint64(g))), owned: owned[g], acked: map[string]int{}}
		workers[g] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run()
		}()
	}
	time.Sleep(time.Duration(50+rnd.IntN(351)) * time.Millisecond)
	flying := inFlight.Load()
	s.cmd.Process.Signal(syscall.SIGKILL) // an error if it ended already: see below
	err := <-s.exited
	s.exited <- err
	wg.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("round %d: hogo serve ended on its own before the kill (%v):\n%s", r, err, s.out)
	}
	c.kills++
	c.inFlight += flying
	for _, w := range workers {
		for _, p := range w.created {
			c.add(p)
		}
		for k, n := range w.acked {
			c.acked[k] += n
		}
		if w.pending != nil {
			c.pending = append(c.pending, w.pending)
			c.uncertain++
		}
		if !w.stopped {
			t.Errorf("round %d: client %d never saw the kill", r, w.g)
		}
	}
}

// resolve looks up, after a restart, the writes in flight at the last
// kill: each is there whole, and is taken into the model, or not at all.
func (c *crash) resolve(base string, round int) {
	t := c.t
	api := &crashAPI{base: base, token: c.token, client: &http.Client{Timeout: 20 * time.Second}}
	defer api.client.CloseIdleConnections()
	for _, pd := range c.pending {
		switch pd.kind {
		case "create":
			email := pd.items["email"]
			st, b, err := api.call("GET", "/api/v1/principals?purpose=job_matching&email="+url.QueryEscape(email), nil)
			var res struct {
				Principals []*vault.View `json:"principals"`
			}
			if err != nil || st != http.StatusOK || json.Unmarshal(b, &res) != nil {
				t.Fatalf("after kill %d: looking up an unacknowledged creation: %d %v %s", round, st, err, b)
			}
			switch len(res.Principals) {
			case 0: // not stored
			case 1:
				v := res.Principals[0]
				if len(v.Records) != 1 {
					t.Errorf("after kill %d: unacknowledged principal %s came back with %d records, want 1", round, v.ID, len(v.Records))
					c.half++
					continue
				}
				rv := v.Records[0]
				if d := diffItems(pd.items, rv.Items); d != "" || rv.Version != 1 {
					t.Errorf("after kill %d: unacknowledged principal %s is half there: version %d; %s", round, v.ID, rv.Version, d)
					c.half++
					continue
				}
				c.add(&crashPrincipal{id: v.ID, records: map[string]*crashRecord{rv.ID: {items: pd.items, version: 1}}, order: []string{rv.ID}})
				c.adopted++
			default:
				t.Errorf("after kill %d: one unacknowledged creation came back as %d principals", round, len(res.Principals))
				c.half++
			}
		case "add", "update", "erase":
			p := pd.p
			st, v, err := api.get(p.id)
			if pd.kind == "erase" && st == http.StatusNotFound {
				p.erased = true
				c.adopted++
				continue
			}
			if err != nil || st != http.StatusOK {
				t.Errorf("after kill %d: principal %s, unacknowledged %s in flight: read %d %v", round, p.id, pd.kind, st, err)
				continue
			}
			switch pd.kind {
			case "add":
				var extra []*vault.RecordView
				for _, r := range v.Records {
					if p.records[r.ID] == nil {
						extra = append(extra, r)
					}
				}
				if len(extra) == 1 && extra[0].Version == 1 && diffItems(pd.items, extra[0].Items) == "" {
					p.records[extra[0].ID] = &crashRecord{items: pd.items, version: 1}
					p.order = append(p.order, extra[0].ID)
					c.adopted++
				} else if len(extra) > 0 {
					t.Errorf("after kill %d: principal %s: the record added unacknowledged is not there whole: %s", round, p.id, diffView(p, v))
					c.half++
					continue
				}
			case "update":
				r := p.records[pd.record]
				for _, rv := range v.Records {
					if rv.ID == pd.record && rv.Version == pd.version && diffItems(pd.items, rv.Items) == "" {
						r.items, r.version = pd.items, pd.version
						c.adopted++
					}
				}
			}
			if d := diffView(p, v); d != "" {
				t.Errorf("after kill %d: principal %s (unacknowledged %s in flight) differs from both states it may be in: %s", round, p.id, pd.kind, d)
				c.half++
			}
		}
	}
	c.pending = nil
}

// verify checks the store after the clean start: through the API, every
// principal of the model as the model holds them; in the store, no other
// principal, tombstones for the erased, and the audit entries of every
// change.
func (c *crash) verify(m *Main) {
	t := c.t
	ctx := context.Background()
	db := m.db

	// Every principal the store holds.
	inStore := map[string]bool{}
	for after := ""; ; {
		keys, err := db.PrincipalKeys(ctx, after, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			break
		}
		for _, k := range keys {
			inStore[k.ID] = true
		}
		after = keys[len(keys)-1].ID
	}
	for id := range inStore {
		if p := c.byID[id]; p == nil {
			t.Errorf("principal %s is in the store but was never acknowledged nor found whole after a kill", id)
		} else if p.erased {
			t.Errorf("principal %s was erased (acknowledged) but is in the store again", id)
		}
	}

	// Each principal read back through the API, eight at a time.
	api := &crashAPI{base: m.URL, token: c.token, client: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 8}}}
	defer api.client.CloseIdleConnections()
	var mu sync.Mutex
	var lost int
	ch := make(chan *crashPrincipal)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range ch {
				if p.erased {
					_, err := db.GetPrincipal(ctx, p.id)
					var e *hogo.Erasure
					if hogo.ErrorCode(err) != hogo.ENOTFOUND || !errors.As(err, &e) {
						t.Errorf("erased principal %s: no tombstone (read: %v)", p.id, err)
					} else if e.Records != len(p.records) {
						t.Errorf("erased principal %s: the tombstone counts %d records, want %d", p.id, e.Records, len(p.records))
					}
					continue
				}
				st, v, err := api.get(p.id)
				d := ""
				switch {
				case st == http.StatusNotFound:
					d = "missing"
				case err != nil:
					d = "unreadable: " + err.Error()
				default:
					d = diffView(p, v)
				}
				if d != "" {
					t.Errorf("acknowledged principal %s: %s", p.id, d)
					mu.Lock()
					lost++
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range c.order {
		ch <- p
	}
	close(ch)
	wg.Wait()
	c.lost = lost

	// The records in the store, and the audit entries of every change.
	rows, err := db.Read.QueryContext(ctx, `SELECT principal_id, id, version FROM records`)
	if err != nil {
		t.Fatal(err)
	}
	stored := 0
	for rows.Next() {
		var pid, rid string
		var v int64
		if err := rows.Scan(&pid, &rid, &v); err != nil {
			t.Fatal(err)
		}
		stored++
		if p := c.byID[pid]; p == nil || p.erased || p.records[rid] == nil || p.records[rid].version != v {
			t.Errorf("record %s (version %d) of principal %s is in the store but not in the model", rid, v, pid)
		}
	}
	rows.Close()
	if stored != c.records() {
		t.Errorf("the store holds %d records, the model %d", stored, c.records())
	}
	audited := func(action string) []*hogo.AuditEntry {
		var out []*hogo.AuditEntry
		for before := int64(0); ; {
			es, err := db.ListAudit(ctx, hogo.AuditFilter{Action: action, BeforeSeq: before, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				if e.Action == action && (e.Outcome == "" || e.Outcome == hogo.OutcomeOK) {
					out = append(out, e)
				}
			}
			if len(es) < 1000 {
				return out
			}
			before = es[len(es)-1].Seq
		}
	}
	creates := map[string][]*hogo.AuditEntry{} // principal → principal.create
	for _, e := range audited("principal.create") {
		creates[e.Principal] = append(creates[e.Principal], e)
	}
	adds := map[string][]*hogo.AuditEntry{} // record → record.create
	for _, e := range audited("record.create") {
		adds[e.Target] = append(adds[e.Target], e)
	}
	updates := map[string][]string{} // record → versions from record.update
	for _, e := range audited("record.update") {
		updates[e.Target] = append(updates[e.Target], e.Detail["version"])
	}
	erasures := map[string]int{}
	for _, e := range audited("principal.erase") {
		erasures[e.Principal]++
	}
	for _, p := range c.order {
		if es := creates[p.id]; len(es) != 1 || es[0].Target != p.order[0] {
			t.Errorf("principal %s is stored without its audit entry: %d principal.create entries, want one for record %s", p.id, len(es), p.order[0])
		}
		for i, rid := range p.order {
			if i > 0 {
				if es := adds[rid]; len(es) != 1 || es[0].Principal != p.id {
					t.Errorf("principal %s: record %s is stored with %d record.create audit entries, want one", p.id, rid, len(es))
				}
			}
			var want []string
			for v := int64(2); v <= p.records[rid].version; v++ {
				want = append(want, strconv.FormatInt(v, 10))
			}
			got := updates[rid]
			sort.Slice(got, func(i, j int) bool { a, _ := strconv.Atoi(got[i]); b, _ := strconv.Atoi(got[j]); return a < b })
			if !slices.Equal(got, want) {
				t.Errorf("principal %s: record %s at version %d has record.update audit entries for versions %v, want %v",
					p.id, rid, p.records[rid].version, got, want)
			}
		}
		if want := map[bool]int{true: 1}[p.erased]; erasures[p.id] != want {
			t.Errorf("principal %s: %d principal.erase audit entries, want %d", p.id, erasures[p.id], want)
		}
	}
	// No audit entry claims a change the model does not hold.
	for id := range creates {
		if c.byID[id] == nil {
			t.Errorf("a principal.create audit entry names principal %s, which is not there and was never acknowledged", id)
		}
	}
	records := map[string]bool{}
	for _, p := range c.order {
		for rid := range p.records {
			records[rid] = true
		}
	}
	for rid := range adds {
		if !records[rid] {
			t.Errorf("a record.create audit entry names record %s, which is not there and was never acknowledged", rid)
		}
	}
	for rid := range updates {
		if !records[rid] {
			t.Errorf("record.update audit entries name record %s, which is not there and was never acknowledged", rid)
		}
	}
	for id := range erasures {
		if p := c.byID[id]; p == nil || !p.erased {
			t.Errorf("a principal.erase audit entry names principal %s, which the model holds as not erased", id)
		}
	}
}
