package audit_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/sqlite"
)

func TestEncodeIsCanonicalJSON(t *testing.T) {
	e := &hogo.AuditEntry{Seq: 42, Time: time.Date(2026, 11, 23, 9, 30, 0, 123456789, hogo.Tokyo), ActorID: 7,
		Actor: "sato", Role: hogo.RoleDesk, Action: "user.create", Outcome: "ok", Principal: "p_01",
		Category: "job_seeker", Purpose: "job_matching", Target: "user:9", Remote: "192.0.2.1",
		Detail: map[string]string{"z": "最後", "a": "first"}}
	got := string(audit.Encode(nil, e))
	want := `{"seq":42,"time":"2026-11-23T00:30:00.123456789Z","actor_id":7,"actor":"sato","role":"desk","action":"user.create","outcome":"ok","principal":"p_01","category":"job_seeker","purpose":"job_matching","target":"user:9","remote":"192.0.2.1","detail":{"a":"first","z":"最後"}}`
	if got != want {
		t.Fatalf("Encode:\n got %s\nwant %s", got, want)
	}
	// Empty optional fields are left out; actor and action are always there.
	min := string(audit.Encode(nil, &hogo.AuditEntry{Seq: 1, Time: time.Unix(0, 0)}))
	if min != `{"seq":1,"time":"1970-01-01T00:00:00Z","actor":"","action":""}` {
		t.Fatalf("minimal: %s", min)
	}
}

// FuzzEncode checks that any strings encode to JSON that decodes back to
// the same entry, as encoding/json reads it.
func FuzzEncode(f *testing.F) {
	f.Add("sato", "user.create", "k", "値\n\"\\\x00\x7f", int64(3))
	f.Add("\xff\xfe", "<script>", "", "\u2028", int64(1))
	f.Fuzz(func(t *testing.T, actor, action, key, val string, seq int64) {
		e := &hogo.AuditEntry{Seq: seq, Time: time.Unix(1700000000, 5).UTC(), Actor: actor, Action: action,
			Detail: map[string]string{key: val}}
		body := audit.Encode(nil, e)
		if !json.Valid(body) {
			t.Fatalf("not JSON: %q", body)
		}
		back, err := audit.Decode(body)
		if err != nil {
			t.Fatal(err)
		}
		// encoding/json replaces invalid UTF-8 the same way.
		ref, _ := json.Marshal(map[string]string{"a": actor, "b": action, "k": key, "v": val})
		var want map[string]string
		json.Unmarshal(ref, &want)
		if back.Actor != want["a"] || back.Action != want["b"] || back.Detail[want["k"]] != want["v"] || back.Seq != seq {
			t.Fatalf("round trip: %+v from %q", back, body)
		}
		// Encoding is deterministic.
		if again := audit.Encode(nil, e); string(again) != string(body) {
			t.Fatal("two encodings differ")
		}
	})
}

func openLog(t *testing.T) (*audit.Log, hogo.AuditService, *audit.Key) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := audit.GenerateKey()
	l := audit.NewLog(db, key)
	t.Cleanup(func() { l.Close() })
	return l, db, key
}

func TestAppendSetsFieldsAndIsDurable(t *testing.T) {
	l, db, key := openLog(t)
	fixed := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	l.Now = func() time.Time { return fixed }
	e := hogo.SystemActor.Entry("server.start")
	if err := l.Append(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if e.Seq != 1 || len(e.Hash) != audit.HashSize || e.Outcome != hogo.OutcomeOK || !e.Time.Equal(fixed) {
		t.Fatalf("entry after Append: %+v", e)
	}
	// What Append acknowledged is what is stored.
	got, err := db.ListAudit(context.Background(), hogo.AuditFilter{})
	if err != nil || len(got) != 1 {
		t.Fatalf("stored: %v %v", got, err)
	}
	if diff := cmp.Diff(e.Body, got[0].Body); diff != "" {
		t.Fatal(diff)
	}
	head, _ := db.AuditHead(context.Background())
	if !audit.VerifyHead(key.Public(), head) || head.Seq != 1 {
		t.Fatalf("head not signed: %+v", head)
	}
}

func TestGroupCommit(t *testing.T) {
	l, db, key := openLog(t)
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if err := l.Append(context.Background(), benchEntry(i*100+j)); err != nil {
					t.Error(err)
				}
			}
		}(i)
	}
	wg.Wait()
	entries, batches := l.Stats()
	if entries != 64*20 || batches >= entries {
		t.Fatalf("%d entries in %d batches: no grouping", entries, batches)
	}
	res, err := audit.Verify(context.Background(), db, key.Public(), nil)
	if err != nil || !res.OK() || res.Count != 64*20 {
		t.Fatalf("verify: %+v %v", res, err)
	}
}

func TestCloseDrainsAndRefuses(t *testing.T) {
	l, db, _ := openLog(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- l.Append(context.Background(), benchEntry(i))
		}(i)
	}
	wg.Wait()
	l.Close()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		}
	}
	if n, _ := db.CountAudit(context.Background()); n != int64(ok) {
		t.Fatalf("%d acknowledged, %d stored", ok, n)
	}
	if err := l.Append(context.Background(), benchEntry(1)); !errors.Is(err, audit.ErrClosed) {
		t.Fatalf("Append after Close: %v", err)
	}
}

func TestCheckpoints(t *testing.T) {
	l, db, key := openLog(t)
	ctx := context.Background()
	if cp, err := l.Checkpoint(ctx); err != nil || cp != nil {
		t.Fatalf("checkpoint of an empty chain: %v %v", cp, err)
	}
	l.Append(ctx, benchEntry(1), benchEntry(2))
	cp, err := l.Checkpoint(ctx)
	if err != nil || cp == nil || cp.Seq != 2 || !audit.VerifyCheckpoint(key.Public(), cp) {
		t.Fatalf("checkpoint: %+v %v", cp, err)
	}
	if again, _ := l.Checkpoint(ctx); again != nil {
		t.Fatal("a second checkpoint of the same head was written")
	}
	// A checkpoint with a changed time or hash does not verify.
	bad := *cp
	bad.Time = bad.Time.Add(time.Second)
	if audit.VerifyCheckpoint(key.Public(), &bad) {
		t.Fatal("altered checkpoint verified")
	}
	// An exported checkpoint file round-trips through JSON.
	cps, _ := db.ListCheckpoints(ctx)
	data, _ := json.Marshal(audit.CheckpointFile{PublicKey: string(key.PublicPEM()), KeyID: key.ID(), Checkpoints: cps})
	var f audit.CheckpointFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	pub, err := audit.ParsePublicPEM([]byte(f.PublicKey))
	if err != nil || !audit.VerifyCheckpoint(pub, f.Checkpoints[0]) {
		t.Fatalf("exported checkpoint does not verify: %v", err)
	}
	// Periodic checkpoints stop with their context and take a last one.
	ctx2, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { l.RunCheckpoints(ctx2, time.Hour, func(error) {}); close(done) }()
	l.Append(ctx, benchEntry(3))
	cancel()
	<-done
	cps, _ = db.ListCheckpoints(ctx)
	if cps[len(cps)-1].Seq != 3 {
		t.Fatalf("no checkpoint at shutdown: %+v", cps[len(cps)-1])
	}
}

func TestKeyFiles(t *testing.T) {
	path := t.TempDir() + "/k/audit.key"
	k1, created, err := audit.LoadOrCreateKey(path)
	if err != nil || !created {
		t.Fatal(err)
	}
	k2, created, err := audit.LoadOrCreateKey(path)
	if err != nil || created || k1.ID() != k2.ID() {
		t.Fatalf("reload: %v %v", created, err)
	}
	if _, err := audit.ParseKeyPEM([]byte("-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n")); err == nil || !strings.Contains(err.Error(), "keygen") {
		t.Fatalf("wrong PEM accepted or unhelpful: %v", err)
	}
}

// Verifying while the log keeps appending reports no problem: the head and
// checkpoints move under the verifier.
func TestVerifyLiveChain(t *testing.T) {
	l, db, key := openLog(t)
	ctx := context.Background()
	for i := 0; i < 200; i++ {
		l.Append(ctx, benchEntry(i))
	}
	old := audit.MinPartSize
	audit.MinPartSize = 20
	defer func() { audit.MinPartSize = old }()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			l.Append(ctx, benchEntry(i), benchEntry(i+1))
			if i%10 == 0 {
				l.Checkpoint(ctx)
			}
		}
	}()
	for i := 0; i < 50; i++ {
		res, err := audit.Verify(ctx, db, key.Public(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK() {
			close(stop)
			wg.Wait()
			t.Fatalf("live chain reported: %s", res.Problem.Message)
		}
	}
	close(stop)
	wg.Wait()
}
