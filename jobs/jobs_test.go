package jobs_test

import (
	"context"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/jobs"
	"hogo.example.jp/hogo/sqlite"
)

func TestPeriodKey(t *testing.T) {
	at := time.Date(2026, 11, 24, 2, 45, 0, 0, hogo.Tokyo)
	for _, c := range []struct {
		every time.Duration
		t     time.Time
		want  string
	}{
		{24 * time.Hour, at, "k@2026-11-24"},
		{time.Hour, at, "k@2026-11-24T02:00"},
		{15 * time.Minute, at, "k@2026-11-24T02:45"},
		// Periods are Tokyo's: 16:30 UTC is 01:30 the next day there.
		{24 * time.Hour, time.Date(2026, 11, 23, 16, 30, 0, 0, time.UTC), "k@2026-11-24"},
	} {
		if got := jobs.PeriodKey("k", c.every, c.t); got != c.want {
			t.Errorf("PeriodKey(%v, %v) = %s, want %s", c.every, c.t, got, c.want)
		}
	}
	if jobs.Backoff(1) != 10*time.Second || jobs.Backoff(100) != time.Hour {
		t.Errorf("back-off: %v %v", jobs.Backoff(1), jobs.Backoff(100))
	}
}

// TestWorker: a panicking handler fails its attempt without taking the
// worker down; a worker stopped mid-job hands the job back at once, for
// another node to resume; a kind without a handler is refused.
func TestWorker(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	w := jobs.NewWorker(db, "node-1")
	w.Handle("test.panic", 1, func(context.Context, *hogo.Job) (string, error) { panic("boom") })
	j, err := w.Enqueue(ctx, "test.panic", nil, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ran, err := w.RunOne(ctx); !ran || err != nil {
		t.Fatal(ran, err)
	}
	if x, _ := db.GetJob(ctx, j.ID); x.State != hogo.JobFailed || x.LastError == "" {
		t.Fatalf("after a panic: %+v", x)
	}

	started := make(chan struct{})
	w.Handle("test.long", 3, func(ctx context.Context, _ *hogo.Job) (string, error) {
		close(started)
		<-ctx.Done()
		return "", ctx.Err()
	})
	j, _ = w.Enqueue(ctx, "test.long", nil, time.Time{})
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.RunOne(rctx); close(done) }()
	<-started
	cancel()
	<-done
	x, _ := db.GetJob(ctx, j.ID)
	if x.State != hogo.JobAvailable || x.LastError != "the node stopped" || x.RunAt.After(time.Now()) {
		t.Fatalf("a job of a stopped worker: %+v", x)
	}
	other := jobs.NewWorker(db, "node-2")
	other.Handle("test.long", 3, func(context.Context, *hogo.Job) (string, error) { return "resumed", nil })
	if ran, err := other.RunOne(ctx); !ran || err != nil {
		t.Fatal(ran, err)
	}
	if x, _ := db.GetJob(ctx, j.ID); x.State != hogo.JobDone || x.Result != "resumed" || x.Node != "node-2" {
		t.Fatalf("resumed: %+v", x)
	}
	// Finished jobs older than Keep go with the daily prune; newer ones
	// and unfinished ones stay.
	later := jobs.NewWorker(db, "node-3")
	later.Now = func() time.Time { return time.Now().Add(jobs.Keep + time.Hour) }
	if err := later.RegisterPrune(); err != nil {
		t.Fatal(err)
	}
	pending, _ := w.Enqueue(ctx, "test.long", nil, time.Now().Add(time.Hour))
	if err := later.Schedule(ctx); err != nil {
		t.Fatal(err)
	}
	if ran, err := later.RunOne(ctx); !ran || err != nil {
		t.Fatal(ran, err)
	}
	left, _ := db.ListJobs(ctx, "", 100)
	kinds := map[string]int{}
	for _, x := range left {
		kinds[x.Kind+"/"+x.State]++
	}
	if len(left) != 2 || kinds["test.long/available"] != 1 || kinds[jobs.KindPrune+"/done"] != 1 || pending == nil {
		t.Errorf("after the prune: %v", kinds)
	}
	if _, err := w.Enqueue(ctx, "test.unknown", nil, time.Time{}); err == nil {
		t.Error("a kind without a handler was enqueued")
	}
	if err := w.Every("test.unknown", time.Hour, nil); err == nil {
		t.Error("a kind without a handler was scheduled")
	}
}
