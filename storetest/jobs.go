package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/jobs"
)

// testJobs runs three nodes (three handles on one database) against one
// job table: every job runs exactly once, a period's job is inserted once
// however many nodes schedule it, a dead node's job is taken over when its
// lease lapses and the dead node can no longer finish it, a singleton is
// never enqueued twice, and a failing job is retried and then given up.
func testJobs(t *testing.T, h Harness) {
	ctx := context.Background()
	db, reopen := h.Open(t)
	stores := []hogo.JobService{db, reopen(t), reopen(t)}

	t.Run("ThreeNodesRunEachJobOnce", func(t *testing.T) {
		const n = 120
		var mu sync.Mutex
		runs := map[string]int{}
		byNode := map[string]int{}
		workers := make([]*jobs.Worker, 3)
		for i, st := range stores {
			w := jobs.NewWorker(st, fmt.Sprintf("node-%d", i+1))
			w.Poll = 5 * time.Millisecond
			node := w.Node
			w.Handle("test.count", 3, func(ctx context.Context, j *hogo.Job) (string, error) {
				time.Sleep(time.Millisecond)
				mu.Lock()
				runs[j.ID]++
				byNode[node]++
				mu.Unlock()
				return "ok", nil
			})
			workers[i] = w
		}
		ids := map[string]bool{}
		for i := range n {
			j, err := workers[i%3].Enqueue(ctx, "test.count", map[string]int{"i": i}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			ids[j.ID] = true
		}
		rctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		for _, w := range workers {
			wg.Add(1)
			go func() { defer wg.Done(); w.Run(rctx) }()
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			// Done means finished in the store, not just run: a job
			// whose node stops between the two is handed back.
			js, err := db.ListJobs(ctx, "test.count", 1000)
			if err != nil {
				t.Fatal(err)
			}
			done := 0
			for _, j := range js {
				if j.State == hogo.JobDone {
					done++
				}
			}
			if done == n || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		if len(runs) != n {
			t.Fatalf("%d of %d jobs ran", len(runs), n)
		}
		for id, c := range runs {
			if !ids[id] || c != 1 {
				t.Fatalf("job %s ran %d times", id, c)
			}
		}
		js, err := db.ListJobs(ctx, "test.count", 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range js {
			if j.State != hogo.JobDone || j.Attempts != 1 || j.Result != "ok" || j.FinishedAt.IsZero() {
				t.Fatalf("job %s: state %s, attempts %d, result %q", j.ID, j.State, j.Attempts, j.Result)
			}
		}
		t.Logf("jobs per node: %v", byNode)
	})

	t.Run("PeriodicOncePerPeriod", func(t *testing.T) {
		at := time.Date(2026, 11, 24, 2, 30, 0, 0, hogo.Tokyo)
		var wg sync.WaitGroup
		for i, st := range stores {
			w := jobs.NewWorker(st, fmt.Sprintf("node-%d", i+1))
			w.Now = func() time.Time { return at }
			w.Handle("test.daily", 1, func(context.Context, *hogo.Job) (string, error) { return "", nil })
			if err := w.Every("test.daily", 24*time.Hour, nil); err != nil {
				t.Fatal(err)
			}
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := w.Schedule(ctx); err != nil {
						t.Error(err)
					}
				}()
			}
		}
		wg.Wait()
		js, err := db.ListJobs(ctx, "test.daily", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(js) != 1 || js[0].Key != "test.daily@2026-11-24" {
			t.Fatalf("got %d daily jobs (%v), want one keyed test.daily@2026-11-24", len(js), js)
		}
		// The next day's period is another job.
		w := jobs.NewWorker(stores[1], "node-2")
		w.Now = func() time.Time { return at.Add(24 * time.Hour) }
		w.Handle("test.daily", 1, func(context.Context, *hogo.Job) (string, error) { return "", nil })
		w.Every("test.daily", 24*time.Hour, nil)
		if err := w.Schedule(ctx); err != nil {
			t.Fatal(err)
		}
		if js, _ := db.ListJobs(ctx, "test.daily", 100); len(js) != 2 {
			t.Fatalf("got %d daily jobs after the next day, want 2", len(js))
		}
	})

	t.Run("DeadNodeIsTakenOver", func(t *testing.T) {
		now := time.Now()
		dead := jobs.NewWorker(stores[0], "node-dead")
		dead.Handle("test.resume", 3, func(context.Context, *hogo.Job) (string, error) { return "", nil })
		j, err := dead.Enqueue(ctx, "test.resume", nil, now.Add(-time.Second))
		if err != nil {
			t.Fatal(err)
		}
		// The dead node claims it and then stops renewing.
		got, err := stores[0].ClaimJob(ctx, []string{"test.resume"}, "node-dead", "dead-token", now, now.Add(time.Minute))
		if err != nil || got == nil || got.ID != j.ID {
			t.Fatalf("claim: %v, %v", got, err)
		}
		// While the lease holds, nobody else gets it.
		if x, err := stores[1].ClaimJob(ctx, []string{"test.resume"}, "node-2", "t2", now.Add(30*time.Second), now.Add(2*time.Minute)); err != nil || x != nil {
			t.Fatalf("claimed a job under another node's lease: %v, %v", x, err)
		}
		var resumedBy string
		alive := jobs.NewWorker(stores[1], "node-2")
		alive.Now = func() time.Time { return now.Add(2 * time.Minute) }
		alive.Handle("test.resume", 3, func(_ context.Context, j *hogo.Job) (string, error) {
			resumedBy = "node-2"
			return "resumed", nil
		})
		if ran, err := alive.RunOne(ctx); !ran || err != nil {
			t.Fatalf("the lapsed job was not taken over: %v, %v", ran, err)
		}
		x, _ := db.GetJob(ctx, j.ID)
		if resumedBy != "node-2" || x.State != hogo.JobDone || x.Attempts != 2 || x.Node != "node-2" {
			t.Fatalf("after take-over: %+v", x)
		}
		// The dead node, come back, cannot finish or renew what it lost.
		var he *hogo.Error
		if err := stores[0].FinishJob(ctx, j.ID, "dead-token", hogo.JobDone, now, time.Time{}, "", "", false); !errors.As(err, &he) || he.Code != hogo.ECONFLICT {
			t.Fatalf("a lost claim finished: %v", err)
		}
		if err := stores[0].ExtendJob(ctx, j.ID, "dead-token", now.Add(time.Hour)); !errors.As(err, &he) || he.Code != hogo.ECONFLICT {
			t.Fatalf("a lost claim was renewed: %v", err)
		}
	})

	t.Run("Singleton", func(t *testing.T) {
		w := jobs.NewWorker(stores[2], "node-3")
		w.HandleSingleton("test.single", 1, func(context.Context, *hogo.Job) (string, error) { return "", nil })
		a, err := w.Enqueue(ctx, "test.single", nil, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		w2 := jobs.NewWorker(stores[0], "node-1")
		w2.HandleSingleton("test.single", 1, func(context.Context, *hogo.Job) (string, error) { return "", nil })
		b, err := w2.Enqueue(ctx, "test.single", nil, time.Time{})
		if err != nil || b.ID != a.ID {
			t.Fatalf("a second singleton was enqueued: %v, %v", b, err)
		}
		if ran, err := w.RunOne(ctx); !ran || err != nil {
			t.Fatal(ran, err)
		}
		c, err := w2.Enqueue(ctx, "test.single", nil, time.Time{})
		if err != nil || c.ID == a.ID {
			t.Fatalf("no new singleton after the first finished: %v, %v", c, err)
		}
	})

	t.Run("RetryThenFail", func(t *testing.T) {
		now := time.Now()
		w := jobs.NewWorker(stores[0], "node-1")
		w.Now = func() time.Time { return now }
		calls := 0
		w.Handle("test.fail", 2, func(context.Context, *hogo.Job) (string, error) {
			calls++
			return "", hogo.NewError(hogo.EINVALID, "x", "失敗", "it failed")
		})
		j, _ := w.Enqueue(ctx, "test.fail", nil, time.Time{})
		w.RunOne(ctx)
		x, _ := db.GetJob(ctx, j.ID)
		if x.State != hogo.JobAvailable || x.RunAt.Before(now.Add(jobs.Backoff(1)-time.Millisecond)) || x.LastError == "" {
			t.Fatalf("after one failure: %+v", x)
		}
		if ran, _ := w.RunOne(ctx); ran {
			t.Fatal("a job ran before its back-off ended")
		}
		now = now.Add(time.Hour)
		w.RunOne(ctx)
		x, _ = db.GetJob(ctx, j.ID)
		if calls != 2 || x.State != hogo.JobFailed || x.Attempts != 2 {
			t.Fatalf("after two failures: calls %d, %+v", calls, x)
		}
	})
}
