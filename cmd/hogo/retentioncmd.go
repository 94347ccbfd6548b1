package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/jobs"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/retention"
)

func openRetention(ctx context.Context, sf storeFlags, ledgerFile string) (*withVault, *retention.Service, error) {
	wv, err := openVault(ctx, sf, ledgerFile)
	if err != nil {
		return nil, nil, err
	}
	l := wv.ledger
	lf := func() (*ledger.Ledger, string) { return l, "" }
	r := retention.New(wv.db, wv.log, wv.vault, lf)
	r.Incidents = breach.New(wv.db, wv.log, wv.vault, lf)
	r.AuditLog = wv.log
	return wv, r, nil
}

// managerActor is the command line acting as the protection manager.
func managerActor() hogo.Actor {
	a := cliActor()
	a.Role = hogo.RoleManager
	return a
}

// cmdRetentionPreview prints what a sweep would erase, by category.
func cmdRetentionPreview(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("retention preview", "使い方: hogo retention preview [--horizon YYYY-MM-DD] [--json]\n保存期間が満了し、消去の対象となる記録を種別ごとに表示します（何も消去しません）。保存の指示（ホールド）のある記録は数えて除きます。",
		"Usage: hogo retention preview [--horizon YYYY-MM-DD] [--json]\nShows, by category, the records whose retention ends by the horizon (default today); nothing is erased. Held records are counted apart.")
	sf := addStoreFlags(fs)
	horizon := fs.String("horizon", "", "the day to preview a sweep on (default today)")
	asJSON := fs.Bool("json", false, "print JSON")
	ledgerFile := fs.String("ledger", "", "ledger YAML (default: the one the server stored)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	day := calendar.DateOf(e.now())
	if *horizon != "" {
		d, err := calendar.ParseDate(*horizon)
		if err != nil {
			return fail(2, "--horizon %q is not a date; write it as 2026-12-31", *horizon)
		}
		day = d
	}
	wv, r, err := openRetention(ctx, sf, *ledgerFile)
	if err != nil {
		return err
	}
	defer wv.Close()
	pv, err := r.Preview(ctx, managerActor(), day)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.io.out)
		enc.SetIndent("", "  ")
		return enc.Encode(pv)
	}
	for _, c := range pv.Categories {
		fmt.Fprintln(e.io.out, e.p.msg("retention.line", c.Name, c.Category, c.Due, c.Held, c.Waiting, c.Rule))
	}
	fmt.Fprintln(e.io.out, e.p.msg("retention.total", pv.Horizon, pv.Due, pv.Held))
	return nil
}

// cmdRetentionRun erases what is due today and prints the disposal
// record. The sweep runs as a job (retention.sweep): when a server or
// another command is already sweeping, this one waits for that sweep; when
// a sweep was cut short (its process killed), this one resumes it once its
// lease has lapsed.
func cmdRetentionRun(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("retention run", "使い方: hogo retention run --approved-by NAME [--batch N] [--lease 1m]\n保存期間が満了した記録を消去し（本人のすべての記録が満了したときは鍵を破棄）、廃棄記録を残します。実行中の消去があればその完了を待ち、中断された消去は再開します。",
		"Usage: hogo retention run --approved-by NAME [--batch N] [--lease 1m]\nErases the records whose retention has ended (a principal whose every record is due is crypto-shredded) and leaves a disposal record. A sweep already running is waited for; one cut short is resumed.")
	sf := addStoreFlags(fs)
	approved := fs.String("approved-by", "", "who approved the disposal (recorded in the disposal record)")
	batch := fs.Int("batch", retention.BatchSize, "principals erased per transaction")
	lease := fs.Duration("lease", time.Minute, "how long another process waits before resuming this sweep if this process dies")
	ledgerFile := fs.String("ledger", "", "ledger YAML (default: the one the server stored)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *approved == "" {
		fs.Usage()
		return fail(2, "--approved-by is required: name who approved the disposal")
	}
	if *batch < 1 || *lease < 100*time.Millisecond {
		return fail(2, "--batch must be at least 1 and --lease at least 100ms")
	}
	wv, r, err := openRetention(ctx, sf, *ledgerFile)
	if err != nil {
		return err
	}
	defer wv.Close()
	retention.BatchSize = *batch
	host, _ := os.Hostname()
	w := jobs.NewWorker(wv.db, fmt.Sprintf("cli:%s:%d", host, os.Getpid()))
	w.Lease = *lease
	r.Register(w)
	j, err := r.RequestSweep(ctx, managerActor(), *approved)
	if err != nil {
		return err
	}
	for {
		if _, err := w.RunOne(ctx); err != nil {
			return err
		}
		if j, err = wv.db.GetJob(ctx, j.ID); err != nil {
			return err
		}
		if j.State == hogo.JobDone || j.State == hogo.JobFailed {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(*lease/4, time.Second)):
		}
	}
	if j.State == hogo.JobFailed {
		return fail(1, "the sweep failed after %d attempts: %s", j.Attempts, j.LastError)
	}
	ds, err := wv.db.ListDisposals(ctx, 50)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.ID != j.Result {
			continue
		}
		cats := make([]string, 0, len(d.Counts))
		for c := range d.Counts {
			cats = append(cats, c)
		}
		sort.Strings(cats)
		for _, c := range cats {
			fmt.Fprintf(e.io.out, "%s\t%d\n", c, d.Counts[c])
		}
		fmt.Fprintln(e.io.out, e.p.msg("retention.done", d.Records, d.Principals, d.ID))
		return nil
	}
	return fail(1, "the sweep finished but its disposal record %s was not found", j.Result)
}

// cmdRetentionEvent records that a ledger event happened for a record,
// e.g. that a job application closed; retention counts from it.
func cmdRetentionEvent(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("retention event", "使い方: hogo retention event --principal ID --record RID --event EVENT --on YYYY-MM-DD\n記録について台帳の出来事（求職申込みの終了など）が起きた日を記録します。保存期間はその日から数えます。",
		"Usage: hogo retention event --principal ID --record RID --event EVENT --on YYYY-MM-DD\nRecords the day a ledger event (e.g. the end of a job application) happened for a record; its retention counts from it.")
	sf := addStoreFlags(fs)
	principal := fs.String("principal", "", "principal ID")
	record := fs.String("record", "", "record ID")
	event := fs.String("event", "", "ledger event ID, e.g. application_closed")
	on := fs.String("on", "", "the day it happened, YYYY-MM-DD")
	ledgerFile := fs.String("ledger", "", "ledger YAML (default: the one the server stored)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *principal == "" || *record == "" || *event == "" || *on == "" {
		fs.Usage()
		return fail(2, "--principal, --record, --event and --on are required")
	}
	wv, r, err := openRetention(ctx, sf, *ledgerFile)
	if err != nil {
		return err
	}
	defer wv.Close()
	return r.SetEvent(ctx, managerActor(), *principal, *record, *event, *on)
}
