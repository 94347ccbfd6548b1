package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/calendar"
)

// cmdBreachDeadlines prints an incident's reporting deadlines to the
// Personal Information Protection Commission (APPI Art. 26, 則7–8).
func cmdBreachDeadlines(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("breach deadlines", "使い方: hogo breach deadlines --known YYYY-MM-DD --trigger T[,T…] [--preliminary-days N] [--json]\n"+
		"漏えい等を知った日と報告対象事態から、個人情報保護委員会への速報・確報の期限を表示します。知った日を1日目として数え、期限が土日・祝日・年末年始に当たるときは翌開庁日です。\n"+
		"T: "+strings.Join(breach.Triggers, ", "),
		"Usage: hogo breach deadlines --known YYYY-MM-DD --trigger T[,T…] [--preliminary-days N] [--json]\n"+
			"Prints the deadlines of the preliminary and final reports to the Personal Information Protection Commission, from the day the incident became known and its triggers. The day known is day 1; a deadline on a weekend, national holiday or 12/29–1/3 moves to the next working day.\n"+
			"T: "+strings.Join(breach.Triggers, ", "))
	known := fs.String("known", "", "the day the incident became known, YYYY-MM-DD (day 1)")
	triggers := fs.String("trigger", "", "report triggers, joined by commas (e.g. special_care,unjust_purpose)")
	pre := fs.Int("preliminary-days", breach.DefaultPreliminaryDays, "target of the preliminary report in days (guidelines: about 3 to 5)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		fs.Usage()
		return fail(2, "")
	}
	if *known == "" {
		return fail(2, "%s", e.p.msg("breach.known"))
	}
	day, err := calendar.ParseDate(*known)
	if err != nil {
		return fail(2, "%s", e.p.msg("breach.date", *known))
	}
	if strings.TrimSpace(*triggers) == "" {
		return fail(2, "%s", e.p.msg("breach.trigger", strings.Join(breach.Triggers, ", ")))
	}
	d, err := breach.Compute(day, strings.Split(*triggers, ","), *pre)
	if err != nil {
		return fail(2, "%s", hogo.ErrorMessageIn(err, e.lang))
	}
	if *asJSON {
		enc := json.NewEncoder(e.io.out)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	for _, t := range d.Triggers {
		if e.lang == "ja" {
			fmt.Fprintf(e.io.out, "・%s（%s）\n", t.Ja, t.Article)
		} else {
			fmt.Fprintf(e.io.out, "- %s (%s)\n", t.En, t.Article)
		}
	}
	fmt.Fprintln(e.io.out, e.p.msg("breach.preliminary", d.PreliminaryDue, d.PreliminaryDueJa, d.PreliminaryDays))
	fmt.Fprintln(e.io.out, e.p.msg("breach.final", d.FinalDue, d.FinalDueJa, d.FinalDays))
	if e.lang == "ja" {
		fmt.Fprintln(e.io.out, d.RuleJa)
	} else {
		fmt.Fprintln(e.io.out, d.Rule)
	}
	return nil
}
