package ledger

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseError is a value that cannot be read, e.g. a date that is not one.
// Error gives its message in English; Ja gives it in Japanese. The decoder
// reports both.
type ParseError struct {
	Ja, En string
}

// Error returns the English message.
func (e *ParseError) Error() string { return e.En }

// parseErrorf makes a ParseError formatted from ja and en with the same
// args (see format2).
func parseErrorf(ja, en string, args ...any) *ParseError {
	j, e := format2(ja, en, args)
	return &ParseError{Ja: j, En: e}
}

// Date is a calendar date without a time, written YYYY-MM-DD.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// String formats the date as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time returns midnight of the date in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, parseErrorf("「%s」は日付として読めません。YYYY-MM-DD の形式で書いてください（例: 2026-04-01）。",
			"%q is not a date: write it as YYYY-MM-DD, e.g. 2026-04-01", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

func (d *Date) parseScalar(s string) error {
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Period is a retention period: a count of days, months or years.
type Period struct {
	N    int
	Unit byte // 'd', 'm' or 'y'
}

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p.Unit == 0 }

// String formats the period as e.g. "6m".
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	return strconv.Itoa(p.N) + string(p.Unit)
}

// AddTo returns t plus the period.
func (p Period) AddTo(t time.Time) time.Time {
	switch p.Unit {
	case 'd':
		return t.AddDate(0, 0, p.N)
	case 'm':
		return t.AddDate(0, p.N, 0)
	case 'y':
		return t.AddDate(p.N, 0, 0)
	}
	return t
}

// days is the period's rough length in days, for comparisons.
func (p Period) days() int {
	switch p.Unit {
	case 'm':
		return p.N * 30
	case 'y':
		return p.N * 365
	}
	return p.N
}

// Describe returns the period in words, in lang.
func (p Period) Describe(lang string) string {
	if lang == "en" {
		unit := map[byte]string{'d': "day", 'm': "month", 'y': "year"}[p.Unit]
		if p.N != 1 {
			unit += "s"
		}
		return fmt.Sprintf("%d %s", p.N, unit)
	}
	switch p.Unit {
	case 'd':
		return fmt.Sprintf("%d日", p.N)
	case 'm':
		return fmt.Sprintf("%dか月", p.N)
	case 'y':
		return fmt.Sprintf("%d年", p.N)
	}
	return ""
}

// ParsePeriod parses a period such as "30d", "6m", "5y", "6 months" or "5 years".
func ParsePeriod(s string) (Period, error) {
	orig := s
	s = strings.ToLower(strings.TrimSpace(s))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	bad := parseErrorf("「%s」は期間として読めません。30d、6m、5y のように数と単位（d: 日、m: 月、y: 年）で書いてください。",
		"%q is not a period: write a number and a unit, e.g. 30d, 6m or 5y (days, months, years)", orig)
	if i == 0 || i > 4 {
		return Period{}, bad
	}
	n, _ := strconv.Atoi(s[:i])
	unit := strings.TrimSpace(s[i:])
	var u byte
	switch unit {
	case "d", "day", "days":
		u = 'd'
	case "m", "month", "months":
		u = 'm'
	case "y", "year", "years":
		u = 'y'
	default:
		return Period{}, bad
	}
	if n <= 0 {
		return Period{}, parseErrorf("「%s」では期間が0です。保存期間は0より長くしてください。", "%q: a retention period must be longer than zero", orig)
	}
	return Period{N: n, Unit: u}, nil
}

func (p *Period) parseScalar(s string) error {
	v, err := ParsePeriod(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Clock is a time of day in minutes after midnight, written HH:MM.
type Clock struct {
	Minutes int
	Set     bool
}

// String formats the clock as HH:MM.
func (c Clock) String() string {
	if !c.Set {
		return ""
	}
	return fmt.Sprintf("%02d:%02d", c.Minutes/60, c.Minutes%60)
}

func (c *Clock) parseScalar(s string) error {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return parseErrorf("「%s」は時刻として読めません。HH:MM の形式で書いてください（例: 09:00）。",
			"%q is not a time of day: write it as HH:MM, e.g. 09:00", s)
	}
	*c = Clock{Minutes: t.Hour()*60 + t.Minute(), Set: true}
	return nil
}
