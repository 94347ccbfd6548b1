// Package calendar knows the Japanese calendar as the hogo system needs it:
// national holidays under 国民の祝日に関する法律 for 1970–2099, the company's
// business days (営業日) built from the ledger's calendar, and dates written
// in the Japanese era (和暦).
//
// Dates here are civil dates with no time and no zone. Convert an instant
// with DateOf, which reads it in hogo.Tokyo.
package calendar

import (
	"fmt"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// Date is a civil date: a year, a month and a day, with no time or zone.
// Its zero value is not a valid date (IsZero reports it).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalised the way time.Date normalises
// (2026-02-30 becomes 2026-03-02).
func NewDate(y int, m time.Month, d int) Date {
	if m >= time.January && m <= time.December && d >= 1 && d <= 28 {
		return Date{y, m, d}
	}
	return fromDays(Date{y, m, d}.days())
}

// DateOf returns the date of t as read in Tokyo.
func DateOf(t time.Time) Date {
	y, m, d := t.In(hogo.Tokyo).Date()
	return Date{y, m, d}
}

// FromLedger converts a ledger date.
func FromLedger(d ledger.Date) Date { return Date{d.Year, d.Month, d.Day} }

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, hogo.NewError(hogo.EINVALID, "",
			"「%s」は日付として読めません。YYYY-MM-DD の形式で書いてください（例: 2026-04-01）。",
			"%q is not a date: write it as YYYY-MM-DD, e.g. 2026-04-01", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Valid reports whether d names a real day of the proleptic Gregorian calendar.
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// Time returns midnight at the start of d in loc (hogo.Tokyo when loc is nil).
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = hogo.Tokyo
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (d.days() + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return fromDays(d.days() + int64(n)) }

// Sub returns the number of days from e to d (d − e).
func (d Date) Sub(e Date) int { return int(d.days() - e.days()) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp(int(d.Month), int(e.Month))
	default:
		return cmp(d.Day, e.Day)
	}
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// days returns the number of days from 1970-01-01 to d. Out-of-range days and
// months are carried over, so Date{2026, 1, 32}.days() is 2026-02-01's.
func (d Date) days() int64 {
	y, m := d.Year, d.Month
	if m < time.January || m > time.December {
		// Carry whole years so the civil algorithm sees 1..12.
		mm := int(m) - 1
		y += floorDiv(mm, 12)
		m = time.Month(mm - floorDiv(mm, 12)*12 + 1)
	}
	return daysFromCivil(y, m, 1) + int64(d.Day) - 1
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (Howard Hinnant's algorithm).
func daysFromCivil(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= time.February {
		yy--
	}
	era := yy
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := yy - era*400 // [0, 399]
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1 // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// fromDays is the inverse of daysFromCivil.
func fromDays(z int64) Date {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{int(y), time.Month(m), int(d)}
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
