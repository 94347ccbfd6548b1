package calendar

import (
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// TestCivilDays checks the day arithmetic against package time.
func TestCivilDays(t *testing.T) {
	base := time.Date(1600, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 600*366; i += 7 {
		tm := base.AddDate(0, 0, i)
		want := Date{tm.Year(), tm.Month(), tm.Day()}
		n := want.days()
		if got := fromDays(n); got != want {
			t.Fatalf("fromDays(%d) = %s, want %s", n, got, want)
		}
		if exp := tm.Unix() / 86400; tm.Unix() >= 0 && n != exp {
			t.Fatalf("%s: days = %d, want %d", want, n, exp)
		}
		if want.Weekday() != tm.Weekday() {
			t.Fatalf("%s: weekday %v, want %v", want, want.Weekday(), tm.Weekday())
		}
		if !want.Valid() {
			t.Fatalf("%s not valid", want)
		}
	}
}

func TestDate(t *testing.T) {
	if got := NewDate(2026, time.February, 30); got != (Date{2026, time.March, 2}) {
		t.Errorf("NewDate = %s", got)
	}
	if got := NewDate(2026, 13, 1); got != (Date{2027, time.January, 1}) {
		t.Errorf("NewDate month 13 = %s", got)
	}
	if got := NewDate(2026, 0, 31); got != (Date{2025, time.December, 31}) {
		t.Errorf("NewDate month 0 = %s", got)
	}
	if s := (Date{2026, time.April, 1}).String(); s != "2026-04-01" {
		t.Errorf("String = %s", s)
	}
	if (Date{2026, time.February, 29}).Valid() || !(Date{2024, time.February, 29}).Valid() {
		t.Error("Valid")
	}
	if got := d("2026-12-31").AddDays(1); got != d("2027-01-01") {
		t.Errorf("AddDays = %s", got)
	}
	if n := d("2027-01-01").Sub(d("2026-01-01")); n != 365 {
		t.Errorf("Sub = %d", n)
	}
	if !d("2026-01-01").Before(d("2026-01-02")) || !d("2026-02-01").After(d("2026-01-31")) || d("2026-01-01").Compare(d("2026-01-01")) != 0 {
		t.Error("Compare")
	}
	// 2026-11-22 15:30 UTC is 2026-11-23 00:30 in Tokyo.
	if got := DateOf(time.Date(2026, 11, 22, 15, 30, 0, 0, time.UTC)); got != d("2026-11-23") {
		t.Errorf("DateOf = %s", got)
	}
	if tm := d("2026-11-23").Time(nil); tm.Location() != hogo.Tokyo || tm.Day() != 23 {
		t.Errorf("Time = %v", tm)
	}
	if got := FromLedger(ledger.Date{Year: 2026, Month: time.May, Day: 6}); got != d("2026-05-06") {
		t.Errorf("FromLedger = %s", got)
	}
	if _, err := ParseDate("2026/05/06"); err == nil {
		t.Error("ParseDate accepted 2026/05/06")
	}
	if !(Date{}).IsZero() {
		t.Error("IsZero")
	}
}
