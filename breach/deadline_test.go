package breach_test

import (
	"testing"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/breach"
	"hogo.example.jp/hogo/calendar"
)

func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCompute: the day known is day 1; 30 days, or 60 with an unjust
// purpose; a deadline on a weekend, a national holiday or 12/29–1/3 moves
// to the next working day.
func TestCompute(t *testing.T) {
	for _, tc := range []struct {
		known    string
		triggers []string
		pre      int
		wantPre  string
		wantFin  string
		days     int
	}{
		// Tue 2026-11-24: +4 is Sat 11-28 → Mon 11-30; +29 is Wed 12-23.
		{"2026-11-24", []string{"over_1000"}, 0, "2026-11-30", "2026-12-23", 30},
		// An unjust purpose: 60 days, +59 is Fri 2027-01-22.
		{"2026-11-24", []string{"unjust_purpose"}, 0, "2026-11-30", "2027-01-22", 60},
		// Joined with another trigger: still 60.
		{"2026-11-24", []string{"special_care", "unjust_purpose"}, 0, "2026-11-30", "2027-01-22", 60},
		// +29 is Wed 12-30, in the year-end closure → Mon 2027-01-04.
		{"2026-12-01", []string{"financial_damage"}, 0, "2026-12-07", "2027-01-04", 30},
		// 3-day target: +2 is Thu 11-26.
		{"2026-11-24", []string{"special_care"}, 3, "2026-11-26", "2026-12-23", 30},
		// Known on a holiday (文化の日, Tue 2026-11-03): +29 is Wed 12-02.
		{"2026-11-03", []string{"over_1000"}, 0, "2026-11-09", "2026-12-02", 30},
		// +29 lands on 海の日 (Mon 2026-07-20) → Tue 07-21.
		{"2026-06-21", []string{"over_1000"}, 0, "2026-06-25", "2026-07-21", 30},
		// My Number: more than 100 principals, 30 days.
		{"2026-11-24", []string{"mynumber_over_100"}, 0, "2026-11-30", "2026-12-23", 30},
		{"2026-11-24", []string{"mynumber_unjust"}, 0, "2026-11-30", "2027-01-22", 60},
	} {
		d, err := breach.Compute(date(t, tc.known), tc.triggers, tc.pre)
		if err != nil {
			t.Fatalf("%s %v: %v", tc.known, tc.triggers, err)
		}
		if !d.Reportable || d.PreliminaryDue != tc.wantPre || d.FinalDue != tc.wantFin || d.FinalDays != tc.days {
			t.Errorf("%s %v: preliminary %s final %s (%d days), want %s %s (%d)", tc.known, tc.triggers, d.PreliminaryDue, d.FinalDue,
				d.FinalDays, tc.wantPre, tc.wantFin, tc.days)
		}
	}
}

// TestComputeProperties: over every day of 2026–2030 and each trigger,
// the deadlines are working days, never earlier than the plain count,
// no working day skipped between the plain count and the deadline, which
// is at most 9 days later (a year end running into a weekend, as in
// 2030–31).
func TestComputeProperties(t *testing.T) {
	cal := calendar.Administrative()
	start, end := date(t, "2026-01-01"), date(t, "2030-12-31")
	for d := start; !d.After(end); d = d.AddDays(1) {
		for _, tr := range breach.Triggers {
			got, err := breach.Compute(d, []string{tr}, 0)
			if err != nil {
				t.Fatal(err)
			}
			days := 30
			if tr == breach.TriggerUnjustPurpose || tr == breach.TriggerMyNumberUnjust {
				days = 60
			}
			plain := d.AddDays(days - 1)
			fin := date(t, got.FinalDue)
			if !cal.IsBusinessDay(fin) || fin.Before(plain) || fin.Sub(plain) > 9 {
				t.Fatalf("%s %s: final %s (plain %s)", d, tr, fin, plain)
			}
			for x := plain; x.Before(fin); x = x.AddDays(1) {
				if cal.IsBusinessDay(x) {
					t.Fatalf("%s %s: final %s skips working day %s", d, tr, fin, x)
				}
			}
			pre := date(t, got.PreliminaryDue)
			if !cal.IsBusinessDay(pre) || pre.Before(d.AddDays(4)) || !pre.Before(fin) {
				t.Fatalf("%s %s: preliminary %s", d, tr, pre)
			}
		}
	}
}

// TestComputeBadInput: unknown triggers and targets are refused naming the
// field; no trigger means nothing to report.
func TestComputeBadInput(t *testing.T) {
	if _, err := breach.Compute(date(t, "2026-11-24"), []string{"over_9000"}, 0); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Errorf("unknown trigger: %v", err)
	}
	if _, err := breach.Compute(date(t, "2026-11-24"), []string{"over_1000"}, 30); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Errorf("a 30-day preliminary target: %v", err)
	}
	if _, err := breach.Compute(calendar.Date{}, []string{"over_1000"}, 0); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Errorf("no date: %v", err)
	}
	d, err := breach.Compute(date(t, "2026-11-24"), nil, 0)
	if err != nil || d.Reportable || d.FinalDue != "" {
		t.Errorf("no trigger: %+v %v", d, err)
	}
}
