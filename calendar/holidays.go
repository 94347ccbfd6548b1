package calendar

import (
	"sort"
	"sync"
	"time"
)

// The years for which national holidays are computed. The equinox formula
// is valid to 2099; before 1970 the law's history is not modelled.
const (
	MinYear = 1970
	MaxYear = 2099
)

// Kind says under which rule a day is a holiday.
type Kind int

// The kinds of holiday.
const (
	// National is a 国民の祝日 named in Art. 2 of the law.
	National Kind = iota + 1
	// Substitute is a 振替休日 (Art. 3(2)).
	Substitute
	// Citizens is a 国民の休日, a day between two national holidays (Art. 3(3)).
	Citizens
	// Special is a one-off holiday set by its own act (大喪の礼, 即位礼正殿の儀 …).
	Special
)

// Holiday is a day off under 国民の祝日に関する法律 or a special act.
type Holiday struct {
	Date   Date
	Name   string // Japanese, as the law names it
	NameEn string
	Kind   Kind
}

// Names of the holidays, Japanese and English.
var (
	hGanjitsu     = [2]string{"元日", "New Year's Day"}
	hSeijin       = [2]string{"成人の日", "Coming of Age Day"}
	hKenkoku      = [2]string{"建国記念の日", "National Foundation Day"}
	hTenno        = [2]string{"天皇誕生日", "The Emperor's Birthday"}
	hShunbun      = [2]string{"春分の日", "Vernal Equinox Day"}
	hShowa        = [2]string{"昭和の日", "Showa Day"}
	hKenpo        = [2]string{"憲法記念日", "Constitution Memorial Day"}
	hMidori       = [2]string{"みどりの日", "Greenery Day"}
	hKodomo       = [2]string{"こどもの日", "Children's Day"}
	hUmi          = [2]string{"海の日", "Marine Day"}
	hYama         = [2]string{"山の日", "Mountain Day"}
	hKeiro        = [2]string{"敬老の日", "Respect for the Aged Day"}
	hShubun       = [2]string{"秋分の日", "Autumnal Equinox Day"}
	hTaiiku       = [2]string{"体育の日", "Health and Sports Day"}
	hSports       = [2]string{"スポーツの日", "Sports Day"}
	hBunka        = [2]string{"文化の日", "Culture Day"}
	hKinro        = [2]string{"勤労感謝の日", "Labour Thanksgiving Day"}
	hFurikae      = [2]string{"振替休日", "Substitute Holiday"}
	hKokumin      = [2]string{"国民の休日", "Citizens' Holiday"}
	hTaiso        = [2]string{"昭和天皇の大喪の礼", "Funeral of Emperor Showa"}
	hSokuiRei     = [2]string{"即位礼正殿の儀", "Enthronement Ceremony"}
	hKekkon       = [2]string{"皇太子徳仁親王の結婚の儀", "Wedding of Crown Prince Naruhito"}
	hSokuiNoHi    = [2]string{"天皇の即位の日", "Enthronement Day"}
	substituteDay = Date{1973, time.April, 12} // 振替休日 from this day on
	citizensDay   = Date{1985, time.December, 27}
	rule2007      = 2007 // 振替休日 to the next non-holiday; 国民の休日 on any day
)

// specials are the one-off holidays set by their own acts. The 2019 ones are
// deemed national holidays (天皇の即位の日及び即位礼正殿の儀の行われる日を休日
// とする法律), so they count for 国民の休日 and 振替休日.
var specials = []struct {
	d    Date
	name [2]string
}{
	{Date{1989, time.February, 24}, hTaiso},
	{Date{1990, time.November, 12}, hSokuiRei},
	{Date{1993, time.June, 9}, hKekkon},
	{Date{2019, time.May, 1}, hSokuiNoHi},
	{Date{2019, time.October, 22}, hSokuiRei},
}

// nthWeekday returns the n-th weekday w of month m in year y.
func nthWeekday(y int, m time.Month, w time.Weekday, n int) Date {
	first := Date{y, m, 1}
	off := (int(w) - int(first.Weekday()) + 7) % 7
	return Date{y, m, 1 + off + 7*(n-1)}
}

// VernalEquinox returns the day of March of 春分の日 in year y, by the
// formula used for the official almanac (valid 1900–2099). The day becomes
// law only when 国立天文台 announces it in February of the year before.
func VernalEquinox(y int) int {
	if y < 1980 {
		return int(20.8357+0.242194*float64(y-1980)) - (y-1983)/4
	}
	return int(20.8431+0.242194*float64(y-1980)) - (y-1980)/4
}

// AutumnalEquinox returns the day of September of 秋分の日 in year y.
func AutumnalEquinox(y int) int {
	if y < 1980 {
		return int(23.2588+0.242194*float64(y-1980)) - (y-1983)/4
	}
	return int(23.2488+0.242194*float64(y-1980)) - (y-1980)/4
}

// nationalHolidays returns the 国民の祝日 (and the specials deemed such) of
// year y, unsorted.
func nationalHolidays(y int) []Holiday {
	var hs []Holiday
	add := func(m time.Month, d int, n [2]string) {
		hs = append(hs, Holiday{Date{y, m, d}, n[0], n[1], National})
	}
	addD := func(d Date, n [2]string) { hs = append(hs, Holiday{d, n[0], n[1], National}) }

	add(time.January, 1, hGanjitsu)
	if y < 2000 {
		add(time.January, 15, hSeijin)
	} else {
		addD(nthWeekday(y, time.January, time.Monday, 2), hSeijin)
	}
	if y >= 1967 {
		add(time.February, 11, hKenkoku)
	}
	switch {
	case y <= 1988:
		add(time.April, 29, hTenno)
	case y <= 2018:
		add(time.December, 23, hTenno)
	case y >= 2020:
		add(time.February, 23, hTenno)
	}
	add(time.March, VernalEquinox(y), hShunbun)
	switch {
	case y >= 2007:
		add(time.April, 29, hShowa)
		add(time.May, 4, hMidori)
	case y >= 1989:
		add(time.April, 29, hMidori)
	}
	add(time.May, 3, hKenpo)
	add(time.May, 5, hKodomo)
	switch {
	case y == 2020:
		add(time.July, 23, hUmi)
	case y == 2021:
		add(time.July, 22, hUmi)
	case y >= 2003:
		addD(nthWeekday(y, time.July, time.Monday, 3), hUmi)
	case y >= 1996:
		add(time.July, 20, hUmi)
	}
	switch {
	case y == 2020:
		add(time.August, 10, hYama)
	case y == 2021:
		add(time.August, 8, hYama)
	case y >= 2016:
		add(time.August, 11, hYama)
	}
	if y >= 2003 {
		addD(nthWeekday(y, time.September, time.Monday, 3), hKeiro)
	} else if y >= 1966 {
		add(time.September, 15, hKeiro)
	}
	add(time.September, AutumnalEquinox(y), hShubun)
	switch {
	case y == 2020:
		add(time.July, 24, hSports)
	case y == 2021:
		add(time.July, 23, hSports)
	case y >= 2020:
		addD(nthWeekday(y, time.October, time.Monday, 2), hSports)
	case y >= 2000:
		addD(nthWeekday(y, time.October, time.Monday, 2), hTaiiku)
	case y >= 1966:
		add(time.October, 10, hTaiiku)
	}
	add(time.November, 3, hBunka)
	add(time.November, 23, hKinro)
	for _, s := range specials {
		if s.d.Year == y {
			hs = append(hs, Holiday{s.d, s.name[0], s.name[1], Special})
		}
	}
	return hs
}

// computeYear applies Art. 3(2) and 3(3) to the national holidays of y.
func computeYear(y int) []Holiday {
	hs := nationalHolidays(y)
	national := make(map[Date]bool, len(hs))
	for _, h := range hs {
		national[h.Date] = true
	}
	off := make(map[Date]bool, len(hs)+4)
	for d := range national {
		off[d] = true
	}

	// 振替休日: a national holiday on a Sunday moves the day off to the next
	// day that is not a national holiday (to the Monday only, before 2007).
	var subs []Holiday
	for _, h := range hs {
		if h.Date.Weekday() != time.Sunday || h.Date.Before(substituteDay) {
			continue
		}
		d := h.Date.AddDays(1)
		if y >= rule2007 {
			for national[d] {
				d = d.AddDays(1)
			}
		} else if national[d] {
			continue
		}
		if !off[d] {
			off[d] = true
			subs = append(subs, Holiday{d, hFurikae[0], hFurikae[1], Substitute})
		}
	}

	// 国民の休日: a day that is not a national holiday, with national
	// holidays on both sides. Before 2007, Sundays and 振替休日 were excluded.
	var cits []Holiday
	for _, h := range hs {
		d := h.Date.AddDays(1)
		if d.Year != y || off[d] || d.Before(citizensDay) || !national[d.AddDays(1)] {
			continue
		}
		if y < rule2007 && d.Weekday() == time.Sunday {
			continue
		}
		off[d] = true
		cits = append(cits, Holiday{d, hKokumin[0], hKokumin[1], Citizens})
	}

	hs = append(append(hs, subs...), cits...)
	sort.Slice(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	return hs
}

var (
	tableOnce sync.Once
	table     [MaxYear - MinYear + 1][]Holiday
)

func holidayTable() *[MaxYear - MinYear + 1][]Holiday {
	tableOnce.Do(func() {
		for y := MinYear; y <= MaxYear; y++ {
			table[y-MinYear] = computeYear(y)
		}
	})
	return &table
}

// Holidays returns the holidays of year, in date order: 国民の祝日, 振替休日,
// 国民の休日 and the one-off holidays set by special acts. It returns nil
// for years outside MinYear..MaxYear. The slice is a fresh copy.
func Holidays(year int) []Holiday {
	if year < MinYear || year > MaxYear {
		return nil
	}
	return append([]Holiday(nil), holidayTable()[year-MinYear]...)
}

// HolidayOf returns the holiday on d, if any.
func HolidayOf(d Date) (Holiday, bool) {
	if d.Year < MinYear || d.Year > MaxYear {
		return Holiday{}, false
	}
	for _, h := range holidayTable()[d.Year-MinYear] {
		if h.Date == d {
			return h, true
		}
	}
	return Holiday{}, false
}

// HolidayName returns the Japanese name of the holiday on d, if any.
func HolidayName(d Date) (string, bool) {
	h, ok := HolidayOf(d)
	return h.Name, ok
}

// IsHoliday reports whether d is a holiday under the law or a special act.
func IsHoliday(d Date) bool {
	_, ok := HolidayOf(d)
	return ok
}
