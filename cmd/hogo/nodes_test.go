package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/jobs"
	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/retention"
	"hogo.example.jp/hogo/vault"
)

// TestPostgresThreeNodes runs three hogo nodes on one PostgreSQL schema.
// Each schedules the periodic jobs, yet each period's job exists once;
// all three ask for a sweep at once, yet one sweep runs, on one node, and
// erases each due principal once.
func TestPostgresThreeNodes(t *testing.T) {
	base := os.Getenv("HOGO_TEST_POSTGRES")
	if base == "" {
		t.Skip("HOGO_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test)")
	}
	ctx := context.Background()
	url, drop, err := postgres.CreateSchema(ctx, base, fmt.Sprintf("hogo_nodes_%d", time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	dir := t.TempDir()
	key, keys := filepath.Join(dir, "audit.key"), filepath.Join(dir, "vault-keys.json")
	for _, args := range [][]string{{"audit", "keygen", "-o", key}, {"keys", "init", "-o", keys}, {"migrate", "--db", url}} {
		if code, _, errs := hogoRun(t, "", args...); code != 0 {
			t.Fatal(args, errs)
		}
	}
	var nodes []*Main
	for i := range 3 {
		m := &Main{Config: Config{DB: url, AuditKey: key, Keys: keys, Addr: "127.0.0.1:0", Demo: i == 0, CheckpointEvery: time.Hour}}
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		m.Server.Jobs.Poll = 20 * time.Millisecond
		nodes = append(nodes, m)
	}
	mgr := hogo.Actor{UserID: 2, Name: "manager", Role: hogo.RoleManager}
	var due []string
	for i := range 30 {
		id, rid, err := nodes[i%3].Server.Vault.Create(ctx, mgr, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"},
			Source: "web_form", Items: map[string]string{"name": "北村 葵", "name_kana": "キタムラ アオイ", "email": fmt.Sprintf("n%d@example.jp", i), "phone": "090-8888-7777"}})
		if err != nil {
			t.Fatal(err)
		}
		if i%3 != 2 {
			if err := nodes[0].Server.Retention.SetEvent(ctx, mgr, id, rid, "application_closed", "2020-01-10"); err != nil {
				t.Fatal(err)
			}
			due = append(due, id)
		}
	}
	// All three ask at once: one sweep.
	ids := make(chan string, 3)
	for _, m := range nodes {
		go func() {
			j, err := m.Server.Retention.RequestSweep(ctx, mgr, "代表取締役 日野 出")
			if err != nil {
				t.Error(err)
				ids <- ""
				return
			}
			ids <- j.ID
		}()
	}
	first := <-ids
	for range 2 {
		if id := <-ids; id != first {
			t.Fatalf("two sweeps were enqueued: %s and %s", first, id)
		}
	}
	db := nodes[1].db
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	j, err := jobs.Wait(wctx, db, first, 50*time.Millisecond)
	if err != nil || j.State != hogo.JobDone {
		t.Fatalf("the sweep: %+v %v", j, err)
	}
	ds, err := db.ListDisposals(ctx, 10)
	if err != nil || len(ds) != 1 || ds[0].Principals != len(due) {
		t.Fatalf("disposal records: %+v %v", ds, err)
	}
	for _, id := range due {
		es, err := db.ListAudit(ctx, hogo.AuditFilter{Principal: id, Action: "principal.erase", Limit: 10})
		if err != nil || len(es) != 1 {
			t.Fatalf("principal erased %d times: %v", len(es), err)
		}
	}
	// Every node scheduled the periodic jobs; each period has one.
	for _, kind := range []string{retention.KindDaily, "requests.id_copy_sweep"} {
		js, err := db.ListJobs(ctx, kind, 10)
		if err != nil || len(js) != 1 {
			t.Errorf("%s: %d jobs, want 1 (%v)", kind, len(js), err)
		}
	}
	names := map[string]bool{}
	for _, m := range nodes {
		names[m.Server.Jobs.Node] = true
	}
	if len(names) != 3 || !names[j.Node] {
		t.Errorf("node names %v; the sweep ran on %q", names, j.Node)
	}
}
