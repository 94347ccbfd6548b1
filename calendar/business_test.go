package calendar

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

func d(s string) Date {
	x, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

// ledgerCalendar is a calendar like examples/ledgers/staffing.yaml's, with
// one extra closing day (2026-08-14, a summer closure).
func ledgerCalendar(t testing.TB) *Calendar {
	t.Helper()
	yes := true
	c, err := New(&ledger.Calendar{
		YearEnd:          "12-29..01-03",
		NationalHolidays: &yes,
		ClosingDays:      []ledger.Date{{Year: 2026, Month: time.August, Day: 14}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIsBusinessDay(t *testing.T) {
	c := ledgerCalendar(t)
	tests := []struct {
		d    string
		want bool
	}{
		{"2026-11-20", true},  // Friday
		{"2026-11-21", false}, // Saturday
		{"2026-11-22", false}, // Sunday
		{"2026-11-23", false}, // 勤労感謝の日
		{"2026-11-24", true},
		{"2026-12-28", true},
		{"2026-12-29", false}, // 年末年始
		{"2026-12-31", false},
		{"2027-01-01", false},
		{"2027-01-03", false},
		{"2027-01-04", true},
		{"2026-08-13", true},
		{"2026-08-14", false}, // extra closing day
		{"2026-09-22", false}, // 国民の休日
		{"2026-05-06", false}, // 振替休日
		{"1969-12-26", true},  // Friday, before the holiday table
		{"1969-12-30", false}, // year-end still applies outside the table
		{"2100-01-04", true},
	}
	for _, tt := range tests {
		if got := c.IsBusinessDay(d(tt.d)); got != tt.want {
			t.Errorf("IsBusinessDay(%s) = %v, want %v", tt.d, got, tt.want)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	c := ledgerCalendar(t)
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-11-20", 0, "2026-11-20"},
		{"2026-11-20", 1, "2026-11-24"}, // over the weekend and 11/23
		{"2026-11-21", 1, "2026-11-24"}, // a closed day: the next open one is day 1
		{"2026-11-24", 1, "2026-11-25"},
		{"2026-12-25", 1, "2026-12-28"},
		{"2026-12-25", 2, "2027-01-04"}, // over 年末年始
		{"2026-12-30", 1, "2027-01-04"},
		{"2026-08-12", 2, "2026-08-17"}, // over 8/14 and the weekend
		{"2026-04-28", 3, "2026-05-07"}, // Golden Week: 4/29, 5/3–5/6
		{"2026-11-24", -1, "2026-11-20"},
		{"2027-01-04", -1, "2026-12-28"},
		{"2026-11-24", -10, "2026-11-09"},
		{"2099-12-30", 3, "2100-01-06"}, // runs off the table
		{"1969-12-26", 2, "1970-01-06"}, // runs onto it (year-end to 1/3, then a Sunday)
	}
	for _, tt := range tests {
		if got := c.AddBusinessDays(d(tt.from), tt.n).String(); got != tt.want {
			t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if got := c.NextBusinessDay(d("2026-12-28")); got != d("2027-01-04") {
		t.Errorf("NextBusinessDay = %s", got)
	}
	if got := c.PrevBusinessDay(d("2026-11-24")); got != d("2026-11-20") {
		t.Errorf("PrevBusinessDay = %s", got)
	}
	if got := c.OnOrAfter(d("2026-12-29")); got != d("2027-01-04") {
		t.Errorf("OnOrAfter = %s", got)
	}
	if got := c.OnOrAfter(d("2026-12-28")); got != d("2026-12-28") {
		t.Errorf("OnOrAfter open day = %s", got)
	}
}

// naive steps one day at a time with IsBusinessDay.
func naiveAdd(c *Calendar, from Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	x := from
	for ; n > 0; n-- {
		x = x.AddDays(step)
		for !c.IsBusinessDay(x) {
			x = x.AddDays(step)
		}
	}
	return x
}

func naiveBetween(c *Calendar, a, b Date) int {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for x := a.AddDays(1); !x.After(b); x = x.AddDays(1) {
		if c.IsBusinessDay(x) {
			n++
		}
	}
	return sign * n
}

// TestAgainstNaive checks the bitmap arithmetic against day-by-day stepping,
// including ranges that cross the ends of the table.
func TestAgainstNaive(t *testing.T) {
	cals := map[string]*Calendar{"ledger": ledgerCalendar(t), "administrative": Administrative()}
	open7, err := Build(Config{})
	if err != nil {
		t.Fatal(err)
	}
	cals["always open"] = open7
	r := rand.New(rand.NewPCG(1, 2))
	lo, hi := daysFromCivil(1968, time.June, 1), daysFromCivil(2101, time.June, 1)
	for name, c := range cals {
		for i := range 20000 {
			from := fromDays(lo + r.Int64N(hi-lo))
			n := r.IntN(400) - 100
			if r.IntN(4) == 0 {
				n = r.IntN(21) - 10
			}
			want := naiveAdd(c, from, n)
			if got := c.AddBusinessDays(from, n); got != want {
				t.Fatalf("%s: AddBusinessDays(%s, %d) = %s, want %s", name, from, n, got, want)
			}
			to := from.AddDays(r.IntN(200) - 100)
			if i%200 == 0 {
				to = fromDays(lo + r.Int64N(hi-lo))
			}
			if got, want := c.BusinessDaysBetween(from, to), naiveBetween(c, from, to); got != want {
				t.Fatalf("%s: BusinessDaysBetween(%s, %s) = %d, want %d", name, from, to, got, want)
			}
			if n > 0 {
				if got := c.BusinessDaysBetween(from, want); got != n {
					t.Fatalf("%s: BusinessDaysBetween(%s, AddBusinessDays(.., %d)) = %d", name, from, n, got)
				}
			}
		}
	}
}

func TestNewDefaultsAndErrors(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.IsBusinessDay(d("2026-11-23")) || !c.IsBusinessDay(d("2026-12-30")) {
		t.Error("nil ledger calendar: want weekends and national holidays only")
	}
	no := false
	c, err = New(&ledger.Calendar{NationalHolidays: &no})
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsBusinessDay(d("2026-11-23")) {
		t.Error("national_holidays: false should open on 勤労感謝の日")
	}
	// A year-end closure that does not wrap.
	c, err = Build(Config{YearEnd: "12-28..12-31"})
	if err != nil {
		t.Fatal(err)
	}
	if c.IsBusinessDay(d("2026-12-28")) || !c.IsBusinessDay(d("2027-01-01")) {
		t.Error("12-28..12-31")
	}
	for _, bad := range []string{"12-29", "12-29..01-32", "13-01..01-03", "12/29..01/03"} {
		_, err := New(&ledger.Calendar{YearEnd: bad})
		var he *hogo.Error
		if !errors.As(err, &he) || he.Code != hogo.EINVALID || he.Ja == "" || he.Message == "" {
			t.Errorf("year_end %q: err = %v", bad, err)
		}
	}
	if _, err := Build(Config{ClosingDays: []Date{{2026, time.February, 30}}}); err == nil {
		t.Error("2026-02-30 accepted")
	}
	if _, err := Build(Config{ClosedWeekdays: []time.Weekday{7}}); err == nil {
		t.Error("weekday 7 accepted")
	}
}

func TestAdministrativeDeadline(t *testing.T) {
	c := Administrative()
	// A breach known on 2026-11-30: day 1 is the 30th; 30 days end on
	// 2026-12-29, within 12-29..01-03: the deadline is 2027-01-04.
	if got := c.DeadlineDays(d("2026-11-30"), 30); got != d("2027-01-04") {
		t.Errorf("DeadlineDays = %s", got)
	}
	// Known 2026-11-27: day 30 is Saturday 2026-12-26, so Monday 12-28.
	if got := c.DeadlineDays(d("2026-11-27"), 30); got != d("2026-12-28") {
		t.Errorf("DeadlineDays = %s", got)
	}
	if got := c.DeadlineDays(d("2026-04-01"), 30); got != d("2026-04-30") {
		t.Errorf("DeadlineDays = %s", got)
	}
}

var sink Date

func BenchmarkAddBusinessDays(b *testing.B) {
	c := ledgerCalendar(b)
	start := daysFromCivil(2000, time.January, 1)
	froms := make([]Date, 1024)
	for i := range froms {
		froms[i] = fromDays(start + int64(i*37%9000))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sink = c.AddBusinessDays(froms[i&1023], 10)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

func BenchmarkAddBusinessDays250(b *testing.B) {
	c := ledgerCalendar(b)
	from := d("2026-04-01")
	for i := 0; i < b.N; i++ {
		sink = c.AddBusinessDays(from, 250)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

func BenchmarkBusinessDaysBetween(b *testing.B) {
	c := ledgerCalendar(b)
	a, z := d("2020-04-01"), d("2026-11-23")
	n := 0
	for i := 0; i < b.N; i++ {
		n += c.BusinessDaysBetween(a, z)
	}
	_ = n
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

func BenchmarkBuild(b *testing.B) {
	holidayTable()
	for i := 0; i < b.N; i++ {
		ledgerCalendar(b)
	}
}

// TestReceptionDay: what arrives after the desk closes, or on a closing
// day, is handled from the next business day.
func TestReceptionDay(t *testing.T) {
	c := Administrative()
	at := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, hogo.Tokyo)
	}
	for _, tc := range []struct {
		t     time.Time
		close int
		want  string
	}{
		{at(2026, 11, 24, 10, 0), 17 * 60, "2026-11-24"},                        // Tuesday, open
		{at(2026, 11, 24, 16, 59), 17 * 60, "2026-11-24"},                       // a minute before closing
		{at(2026, 11, 24, 17, 0), 17 * 60, "2026-11-25"},                        // at closing
		{at(2026, 11, 24, 23, 0), -1, "2026-11-24"},                             // no closing time
		{at(2026, 11, 23, 10, 0), 17 * 60, "2026-11-24"},                        // 勤労感謝の日
		{at(2026, 11, 28, 10, 0), 17 * 60, "2026-11-30"},                        // Saturday
		{at(2026, 12, 28, 18, 0), 17 * 60, "2027-01-04"},                        // after closing before the year end
		{time.Date(2026, 11, 24, 8, 30, 0, 0, time.UTC), 17 * 60, "2026-11-25"}, // 17:30 in Tokyo
	} {
		if got := c.ReceptionDay(tc.t, tc.close).String(); got != tc.want {
			t.Errorf("ReceptionDay(%v, %d) = %s, want %s", tc.t, tc.close, got, tc.want)
		}
	}
}
