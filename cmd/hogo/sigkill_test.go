package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hogo.example.jp/hogo"
)

// TestMain lets a test run this package's binary as the hogo command in a
// process of its own (HOGO_TEST_AS_HOGO=1), so that it can be killed.
func TestMain(m *testing.M) {
	if os.Getenv("HOGO_TEST_AS_HOGO") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// hogoProcess starts "hogo args…" as a process of its own.
func hogoProcess(t *testing.T, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "HOGO_TEST_AS_HOGO=1", "HOGO_LANG=en")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// TestRetentionSweepSIGKILL kills "hogo retention run" with SIGKILL at
// several points of a sweep — before it erased anything, and after a
// fifth, two fifths and three fifths of the due records went — and runs it
// again each time. In the end every due principal has been erased exactly
// once (one principal.erase audit entry each), nobody else has, one
// disposal record counts them all, and the audit chain verifies.
func TestRetentionSweepSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	vcEnglish(t)
	data := vcDemoData(t)
	const n = 1500
	csvPath := vcWrite(t, filepath.Join(t.TempDir(), "s.csv"), vcCSV(t, vcHeader, vcRows(vcSeekers(n))))
	if code, out, errs := vcImport(t, data, csvPath); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	// Two in three applications closed in 2020: their records are due.
	db := vcStore(t, data)
	defer db.Close()
	ctx := context.Background()
	var ids []string
	rows, err := db.Read.QueryContext(ctx, `SELECT principal_id FROM records ORDER BY principal_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	due := map[string]bool{}
	for i, id := range ids {
		if i%3 != 2 {
			due[id] = true
			if _, err := db.Write.ExecContext(ctx, `UPDATE records SET events = 'application_closed=2020-01-10' WHERE principal_id = $1`, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	erased := func() int {
		var x int
		db.Read.QueryRowContext(ctx, `SELECT COALESCE(SUM(records), 0) FROM disposals`).Scan(&x)
		return x
	}
	args := []string{"retention", "run", "--data", data, "--approved-by", "代表取締役 日野 出", "--batch", "10", "--lease", "300ms"}
	kills := 0
	for _, fifth := range []int{0, 1, 2, 3} {
		cmd, out := hogoProcess(t, args...)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		want := fifth * len(due) / 5
		deadline := time.Now().Add(2 * time.Minute)
		for {
			if fifth == 0 {
				time.Sleep(30 * time.Millisecond) // still starting
				break
			}
			if erased() >= want || time.Now().After(deadline) {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		if err := <-exited; err == nil {
			t.Fatalf("the sweep finished before the kill at %d/5: %s", fifth, out)
		}
		kills++
		t.Logf("killed at %d/5: %d of %d records erased", fifth, erased(), len(due))
	}
	cmd, out := hogoProcess(t, args...)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the resumed sweep: %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("erased %d records", len(due))) {
		t.Errorf("the resumed sweep reported:\n%s", out)
	}
	// Every due principal erased once, nobody else.
	counts := map[string]int{}
	for before := int64(0); ; {
		es, err := db.ListAudit(ctx, hogo.AuditFilter{Action: "principal.erase", BeforeSeq: before, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			counts[e.Principal]++
		}
		if len(es) < 1000 {
			break
		}
		before = es[len(es)-1].Seq
	}
	for id := range due {
		if counts[id] != 1 {
			t.Fatalf("principal erased %d times, want once", counts[id])
		}
	}
	if len(counts) != len(due) {
		t.Fatalf("%d principals erased, want %d", len(counts), len(due))
	}
	var left int
	db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM principals`).Scan(&left)
	if left != n-len(due) {
		t.Errorf("%d principals left, want %d", left, n-len(due))
	}
	ds, err := db.ListDisposals(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || !ds[0].Done || ds[0].Records != len(due) || ds[0].Principals != len(due) || ds[0].Counts["job_seeker"] != len(due) {
		t.Fatalf("disposal records after %d kills: %+v", kills, ds)
	}
	js, _ := db.ListJobs(ctx, "retention.sweep", 10)
	if len(js) != 1 || js[0].State != hogo.JobDone || js[0].Attempts < 2 {
		t.Errorf("sweep jobs: %d, first %+v", len(js), js[0])
	}
	if code, out, errs := hogoRun(t, "", "audit", "verify", "--data", data); code != 0 {
		t.Errorf("audit verify: %d %s %s", code, out, errs)
	}
}
