package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/retention"
)

// TestPostgresThreeNodesUnderLoad runs three hogo nodes as processes of
// their own on one PostgreSQL schema, the way docs/DEPLOY.md deploys them
// behind a load balancer, and shows what the load balancer may rely on:
//
//   - a console session made on one node is valid on the others (no
//     stickiness), and signing out on one ends it on all;
//   - under concurrent load spread over the nodes, every principal created
//     on one node reads back on another at once, and every acknowledged
//     write is readable from every node afterwards;
//   - a retention sweep asked of every node at the same moment is one job
//     (one ID, one disposal record, each due principal erased once), and
//     each period of the periodic jobs has one job;
//   - the three nodes wrote one audit chain: hogo audit verify passes, its
//     count is the stored count and the head's number, the sequence has no
//     gaps, and there is exactly one create and one read entry per
//     acknowledged create and read.
func TestPostgresThreeNodesUnderLoad(t *testing.T) {
	base := os.Getenv("HOGO_TEST_POSTGRES")
	if base == "" {
		t.Skip("HOGO_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test)")
	}
	vcEnglish(t)
	ctx := context.Background()
	dbURL, drop, err := postgres.CreateSchema(ctx, base, fmt.Sprintf("hogo_load_%d", time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	dir := t.TempDir()
	key, keys := filepath.Join(dir, "audit.key"), filepath.Join(dir, "vault-keys.json")
	for _, args := range [][]string{{"audit", "keygen", "-o", key}, {"keys", "init", "-o", keys}, {"migrate", "--db", dbURL}} {
		if code, _, errs := hogoRun(t, "", args...); code != 0 {
			t.Fatal(args, errs)
		}
	}

	// The first node loads the demo ledger; the others serve the stored one.
	nodes := make([]*loadNode, 3)
	nodes[0] = startLoadNode(t, dbURL, key, keys, "--demo")
	nodes[1] = startLoadNode(t, dbURL, key, keys)
	nodes[2] = startLoadNode(t, dbURL, key, keys)
	for _, n := range nodes[1:] {
		n.waitReady(t)
	}

	// A manager with a password (for the console) and an API token.
	code, out, errs := hogoRun(t, "", "user", "add", "okada", "--role", "manager", "--display-name", "岡田 美咲", "--db", dbURL, "--audit-key", key)
	if code != 0 {
		t.Fatalf("user add: %s %s", out, errs)
	}
	password := lastLine(out)
	code, out, errs = hogoRun(t, "", "token", "create", "okada", "--db", dbURL, "--audit-key", key)
	if code != 0 {
		t.Fatalf("token create: %s %s", out, errs)
	}
	token := lastLine(out)

	// 1. Sessions live in the store: signed in on node 1, valid on 2 and 3.
	noRedirect := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(nodes[0].url+"/console/login", url.Values{"name": {"okada"}, "password": {password}, "next": {"/console/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "hogo_session" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil || session.Value == "" {
		t.Fatalf("sign-in on node 1: %d, cookie %v", resp.StatusCode, session)
	}
	consolePage := func(n *loadNode, path string, withCookie bool) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", n.url+path, nil)
		if withCookie {
			req.AddCookie(session)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	var csrf string
	for i, n := range nodes {
		for _, path := range []string{"/console/", "/console/ledger"} {
			status, body := consolePage(n, path, true)
			if status != http.StatusOK || !strings.Contains(body, "岡田 美咲") {
				t.Fatalf("node %d: GET %s with the session from node 1: %d", i+1, path, status)
			}
			if m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body); m != nil {
				csrf = m[1]
			}
		}
		if status, _ := consolePage(n, "/console/", false); status != http.StatusSeeOther {
			t.Fatalf("node %d: GET /console/ without a session: %d, want the redirect to sign-in", i+1, status)
		}
	}
	if csrf == "" {
		t.Fatal("no form token on the console pages")
	}

	// 2. Load for about five seconds over the three nodes: each principal is
	// created on one node and read at once on the next.
	api := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	call := func(n *loadNode, method, path string, body any, want int, out any) error {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, n.url+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := api.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			return fmt.Errorf("%s %s on %s: %d, want %d: %.300s", method, path, n.url, resp.StatusCode, want, b)
		}
		if out != nil {
			return json.Unmarshal(b, out)
		}
		return nil
	}
	type created struct{ id, rid, email string }
	var (
		mu             sync.Mutex
		written        []created
		creates, reads atomic.Int64
		loadErr        error
	)
	fail := func(err error) {
		mu.Lock()
		if loadErr == nil {
			loadErr = err
		}
		mu.Unlock()
	}
	readBack := func(n *loadNode, c created) error {
		var v struct {
			ID      string `json:"id"`
			Records []struct {
				Items map[string]string `json:"items"`
			} `json:"records"`
		}
		if err := call(n, "GET", "/api/v1/principals/"+c.id+"?purpose=job_matching", nil, http.StatusOK, &v); err != nil {
			return err
		}
		reads.Add(1)
		if v.ID != c.id || len(v.Records) != 1 || v.Records[0].Items["email"] != c.email {
			return fmt.Errorf("principal %s read on %s: %+v", c.id, n.url, v)
		}
		return nil
	}
	const workers = 6
	stop := time.Now().Add(5 * time.Second)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(stop); i++ {
				on, next := nodes[(w+i)%3], nodes[(w+i+1)%3]
				email := fmt.Sprintf("w%d.n%d@example.jp", w, i)
				var res struct {
					ID       string `json:"id"`
					RecordID string `json:"record_id"`
				}
				err := call(on, "POST", "/api/v1/principals", map[string]any{"category": "job_seeker", "purpose": "job_matching", "source": "web_form",
					"items": map[string]string{"name": "北村 葵", "name_kana": "キタムラ アオイ", "email": email, "phone": "090-8888-7777"}}, http.StatusCreated, &res)
				if err != nil {
					fail(err)
					return
				}
				creates.Add(1)
				c := created{res.ID, res.RecordID, email}
				mu.Lock()
				written = append(written, c)
				mu.Unlock()
				if err := readBack(next, c); err != nil {
					fail(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	t.Logf("load: %d principals created and %d read in 5 s over three nodes", creates.Load(), reads.Load())
	if len(written) < 30 {
		t.Fatalf("only %d principals created under load", len(written))
	}

	// Every acknowledged write, from every node.
	work := make(chan func() error)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				if err := f(); err != nil {
					fail(err)
				}
			}
		}()
	}
	for _, c := range written {
		for _, n := range nodes {
			work <- func() error { return readBack(n, c) }
		}
	}
	close(work)
	wg.Wait()
	if loadErr != nil {
		t.Fatal(loadErr)
	}

	// 3. Jobs run once. The applications of ten principals closed in 2020
	// (recorded on different nodes): their records are due.
	due := written[:10]
	for i, c := range due {
		if err := call(nodes[i%3], "POST", "/api/v1/principals/"+c.id+"/records/"+c.rid+"/events",
			map[string]string{"event": "application_closed", "on": "2020-01-10"}, http.StatusNoContent, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Every node is asked for a sweep at the same moment.
	ids := make([]string, 3)
	start := make(chan struct{})
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var j struct {
				ID string `json:"id"`
			}
			if err := call(n, "POST", "/api/v1/retention/sweeps", map[string]string{"approved_by": "代表取締役 日野 出"}, http.StatusAccepted, &j); err != nil {
				fail(err)
			}
			ids[i] = j.ID
		}()
	}
	close(start)
	wg.Wait()
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	if ids[0] == "" || ids[1] != ids[0] || ids[2] != ids[0] {
		t.Fatalf("three nodes asked for a sweep at once got jobs %q", ids)
	}
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var sweeps struct {
			Sweeps []struct {
				ID    string `json:"id"`
				State string `json:"state"`
			} `json:"sweeps"`
		}
		if err := call(nodes[1], "GET", "/api/v1/retention/sweeps", nil, http.StatusOK, &sweeps); err != nil {
			t.Fatal(err)
		}
		if len(sweeps.Sweeps) != 1 || sweeps.Sweeps[0].ID != ids[0] {
			t.Fatalf("sweeps listed: %+v, want the one job %s", sweeps.Sweeps, ids[0])
		}
		if st := sweeps.Sweeps[0].State; st == hogo.JobDone {
			break
		} else if st == hogo.JobFailed || time.Now().After(deadline) {
			t.Fatalf("the sweep: %s", st)
		}
		time.Sleep(100 * time.Millisecond)
	}
	ds, err := db.ListDisposals(ctx, 10)
	if err != nil || len(ds) != 1 || ds[0].Principals != len(due) || ds[0].Records != len(due) {
		t.Fatalf("disposal records: %+v %v", ds, err)
	}
	for _, c := range due {
		es, err := db.ListAudit(ctx, hogo.AuditFilter{Principal: c.id, Action: "principal.erase", Limit: 10})
		if err != nil || len(es) != 1 {
			t.Fatalf("principal erased %d times: %v", len(es), err)
		}
		for _, n := range nodes {
			if err := call(n, "GET", "/api/v1/principals/"+c.id+"?purpose=job_matching", nil, http.StatusNotFound, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Each node scheduled the periodic jobs; each period holds one.
	for _, kind := range []string{retention.KindDaily, "requests.id_copy_sweep"} {
		js, err := db.ListJobs(ctx, kind, 10)
		if err != nil || len(js) == 0 {
			t.Fatalf("%s: %d jobs (%v)", kind, len(js), err)
		}
		periods := map[string]bool{}
		for _, j := range js {
			if j.Key == "" || periods[j.Key] {
				t.Errorf("%s: jobs %+v: one per period expected", kind, js)
			}
			periods[j.Key] = true
		}
		// A period changes at most once during the test (an hour, a day).
		if len(js) > 2 {
			t.Errorf("%s: %d jobs", kind, len(js))
		}
	}

	// Signing out on node 3 ends the session on every node.
	req, _ := http.NewRequest("POST", nodes[2].url+"/console/logout", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(session)
	if resp, err := noRedirect.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out on node 3: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	for i, n := range nodes {
		if status, _ := consolePage(n, "/console/", true); status != http.StatusSeeOther {
			t.Fatalf("node %d: the session signed out on node 3 still opens the console: %d", i+1, status)
		}
	}

	// 4. One audit chain. The nodes stop (each appends server.stop), then
	// hogo audit verify checks what the three wrote.
	for _, n := range nodes {
		n.cmd.Process.Signal(syscall.SIGTERM)
	}
	for i, n := range nodes {
		select {
		case err := <-n.exited:
			n.exited <- err
			if err != nil {
				t.Fatalf("node %d stopped with %v:\n%s", i+1, err, n.out)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("node %d did not stop", i+1)
		}
	}
	verify, vout := hogoProcess(t, "audit", "verify", "--db", dbURL, "--audit-key", key, "--json")
	if err := verify.Wait(); err != nil {
		t.Fatalf("audit verify: %v\n%s", err, vout)
	}
	var res struct {
		OK    bool  `json:"ok"`
		Count int64 `json:"count"`
	}
	if err := json.Unmarshal([]byte(firstJSONLine(vout.String())), &res); err != nil || !res.OK {
		t.Fatalf("audit verify: %v\n%s", err, vout)
	}
	stored, err := db.CountAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, err := db.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var seqs, next int64 = 0, 1
	err = db.ScanAudit(ctx, 0, 0, func(seq int64, _, _ []byte) error {
		if seq != next {
			return fmt.Errorf("entry %d follows %d", seq, next-1)
		}
		next++
		seqs++
		return nil
	})
	if err != nil || res.Count != stored || res.Count != head.Seq || seqs != head.Seq {
		t.Fatalf("audit chain: verified %d, stored %d, head %d, scanned %d (%v)", res.Count, stored, head.Seq, seqs, err)
	}
	count := func(action string) (n int64) {
		for before := int64(0); ; {
			es, err := db.ListAudit(ctx, hogo.AuditFilter{Action: action, BeforeSeq: before, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				if e.Action == action && e.Outcome != hogo.OutcomeDenied {
					n++
				}
			}
			if len(es) < 1000 {
				return n
			}
			before = es[len(es)-1].Seq
		}
	}
	if c := count("principal.create"); c != creates.Load() {
		t.Errorf("%d principal.create entries for %d acknowledged creates", c, creates.Load())
	}
	if c := count("principal.read"); c != reads.Load() {
		t.Errorf("%d principal.read entries for %d acknowledged reads", c, reads.Load())
	}
	if c := count("server.stop"); c != 3 {
		t.Errorf("%d server.stop entries, want 3", c)
	}
	t.Logf("one audit chain of %d entries from three nodes", res.Count)
}

// loadNode is a "hogo serve" process of its own.
type loadNode struct {
	cmd    *exec.Cmd
	out    *strings.Builder
	url    string
	exited chan error
}

// startLoadNode starts "hogo serve" on a free port of the loopback, and
// kills it when the test ends if it still runs.
func startLoadNode(t *testing.T, dbURL, key, keys string, extra ...string) *loadNode {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args := append([]string{"serve", "--db", dbURL, "--audit-key", key, "--keys", keys, "--addr", addr, "--log-level", "warn"}, extra...)
	cmd, out := hogoProcess(t, args...)
	n := &loadNode{cmd: cmd, out: out, url: "http://" + addr, exited: make(chan error, 1)}
	go func() { n.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case err := <-n.exited:
			n.exited <- err
		default:
			cmd.Process.Kill()
			<-n.exited
		}
		if t.Failed() {
			t.Logf("node %s:\n%s", n.url, n.out)
		}
	})
	if len(extra) > 0 {
		n.waitReady(t) // the demo's ledger is stored before the other nodes start
	}
	return n
}

// waitReady waits for /healthz to answer 200.
func (n *loadNode) waitReady(t *testing.T) {
	t.Helper()
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-n.exited:
			n.exited <- err
			t.Fatalf("node %s exited while starting: %v", n.url, err)
		default:
		}
		if resp, err := c.Get(n.url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s not ready after 30 s", n.url)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func firstJSONLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "{") {
			return l
		}
	}
	return ""
}
