package calendar

import (
	"strconv"
	"time"
)

// Era is a Japanese era (元号).
type Era struct {
	Name   string // 令和
	NameEn string // Reiwa
	Start  Date   // first day of the era
}

// Eras lists the eras from 明治, oldest first. 明治 starts on its first day
// under the Gregorian calendar (明治6年1月1日, 1873-01-01); earlier dates
// were reckoned in the lunisolar calendar and are not converted.
var Eras = []Era{
	{"明治", "Meiji", Date{1873, time.January, 1}},
	{"大正", "Taisho", Date{1912, time.July, 30}},
	{"昭和", "Showa", Date{1926, time.December, 25}},
	{"平成", "Heisei", Date{1989, time.January, 8}},
	{"令和", "Reiwa", Date{2019, time.May, 1}},
}

// meijiFirstYear is the Gregorian year of 明治元年 (1873 was 明治6年).
const meijiFirstYear = 1868

// EraOf returns the era of d and the year within it (1 for 元年). ok is false
// before 1873-01-01.
func EraOf(d Date) (era Era, year int, ok bool) {
	for i := len(Eras) - 1; i >= 0; i-- {
		e := Eras[i]
		if !d.Before(e.Start) {
			first := e.Start.Year
			if i == 0 {
				first = meijiFirstYear
			}
			return e, d.Year - first + 1, true
		}
	}
	return Era{}, 0, false
}

// FormatJapanese writes d in the Japanese era: 令和8年11月23日, with the
// first year of an era as 元年 (令和元年5月1日). Dates before 1873 are
// written as 西暦 (e.g. 1868年1月1日).
func FormatJapanese(d Date) string {
	e, y, ok := EraOf(d)
	var b []byte
	if ok {
		b = append(b, e.Name...)
		if y == 1 {
			b = append(b, "元"...)
		} else {
			b = strconv.AppendInt(b, int64(y), 10)
		}
	} else {
		b = strconv.AppendInt(b, int64(d.Year), 10)
	}
	b = append(b, "年"...)
	b = strconv.AppendInt(b, int64(d.Month), 10)
	b = append(b, "月"...)
	b = strconv.AppendInt(b, int64(d.Day), 10)
	b = append(b, "日"...)
	return string(b)
}

var weekdayJa = [7]string{"日", "月", "火", "水", "木", "金", "土"}

// WeekdayJa returns the one-character Japanese name of w (月 for Monday).
func WeekdayJa(w time.Weekday) string { return weekdayJa[w%7] }

// FormatJapaneseWithWeekday is FormatJapanese followed by the weekday in
// full-width parentheses: 令和8年11月23日（月）.
func FormatJapaneseWithWeekday(d Date) string {
	return FormatJapanese(d) + "（" + weekdayJa[d.Weekday()] + "）"
}
