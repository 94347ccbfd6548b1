package calendar

import (
	"math/bits"
	"regexp"
	"strconv"
	"sync"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
)

// Config describes which days a business is closed.
type Config struct {
	// ClosedWeekdays are the weekly closing days (定休日).
	ClosedWeekdays []time.Weekday
	// YearEnd is the year-end closure (年末年始) as MM-DD..MM-DD, e.g.
	// 12-29..01-03; it may wrap around the new year. Empty: none.
	YearEnd string
	// NationalHolidays closes on every holiday returned by Holidays.
	NationalHolidays bool
	// ClosingDays are further closing dates.
	ClosingDays []Date
}

// Calendar answers business-day questions for one business. It is immutable
// and safe for concurrent use. Within MinYear..MaxYear it works from a
// precomputed bitmap; outside it, national holidays are unknown and only the
// weekly, year-end and extra closing days apply.
type Calendar struct {
	closedWeekday [7]bool
	yearEnd       bool
	yeFrom, yeTo  int // month*100 + day
	holidays      bool
	extra         map[int64]bool

	// open has bit i set when day first+i is a business day.
	open []uint64
	// rank[w] is the number of business days in open[:w].
	rank []int64
}

// The day numbers (days since 1970-01-01) covered by the bitmap.
var (
	firstDay = daysFromCivil(MinYear, time.January, 1)
	endDay   = daysFromCivil(MaxYear+1, time.January, 1) // exclusive
)

var yearEndRE = regexp.MustCompile(`^(\d\d)-(\d\d)\.\.(\d\d)-(\d\d)$`)

// New builds the business calendar from the ledger's calendar section:
// closed on Saturdays and Sundays, on national holidays unless
// national_holidays is false, during year_end, and on closing_days. A nil c
// gives Saturdays, Sundays and national holidays.
func New(c *ledger.Calendar) (*Calendar, error) {
	cfg := Config{
		ClosedWeekdays:   []time.Weekday{time.Saturday, time.Sunday},
		NationalHolidays: true,
	}
	if c != nil {
		cfg.YearEnd = c.YearEnd
		if c.NationalHolidays != nil {
			cfg.NationalHolidays = *c.NationalHolidays
		}
		for _, d := range c.ClosingDays {
			if !d.IsZero() {
				cfg.ClosingDays = append(cfg.ClosingDays, FromLedger(d))
			}
		}
	}
	return Build(cfg)
}

// Administrative returns the calendar of 行政機関の休日 (Act No. 91 of 1988):
// Saturdays, Sundays, national holidays and 12-29..01-03. A statutory
// deadline that falls on one of these moves to the next day that is not,
// e.g. the 確報 to the Personal Information Protection Commission.
// The result is shared and, like every Calendar, immutable.
func Administrative() *Calendar { return administrative() }

var administrative = sync.OnceValue(func() *Calendar {
	c, err := Build(Config{
		ClosedWeekdays:   []time.Weekday{time.Saturday, time.Sunday},
		YearEnd:          "12-29..01-03",
		NationalHolidays: true,
	})
	if err != nil {
		panic(err) // the configuration above is fixed and valid
	}
	return c
})

// Build builds a calendar from cfg.
func Build(cfg Config) (*Calendar, error) {
	c := &Calendar{holidays: cfg.NationalHolidays, extra: map[int64]bool{}}
	for _, w := range cfg.ClosedWeekdays {
		if w < time.Sunday || w > time.Saturday {
			return nil, hogo.NewError(hogo.EINVALID, "calendar.closed_weekdays",
				"曜日 %d は 0（日曜）から 6（土曜）の範囲で指定してください。",
				"weekday %d must be 0 (Sunday) to 6 (Saturday)", int(w))
		}
		c.closedWeekday[w] = true
	}
	if cfg.YearEnd != "" {
		from, to, ok := parseYearEnd(cfg.YearEnd)
		if !ok {
			return nil, hogo.NewError(hogo.EINVALID, "calendar.year_end",
				"「calendar.year_end」の「%s」は MM-DD..MM-DD の形式で、実在する月日を書いてください（例: 12-29..01-03）。",
				"calendar.year_end %q must be MM-DD..MM-DD with real dates, e.g. 12-29..01-03", cfg.YearEnd)
		}
		c.yearEnd, c.yeFrom, c.yeTo = true, from, to
	}
	for _, d := range cfg.ClosingDays {
		if !d.Valid() {
			return nil, hogo.NewError(hogo.EINVALID, "calendar.closing_days",
				"休業日「%s」は実在する日付ではありません。",
				"closing day %s is not a real date", d)
		}
		c.extra[d.days()] = true
	}

	n := endDay - firstDay
	c.open = make([]uint64, (n+63)/64)
	for i := int64(0); i < n; i++ {
		if c.openSlow(firstDay + i) {
			c.open[i/64] |= 1 << (i % 64)
		}
	}
	if c.holidays {
		for y := MinYear; y <= MaxYear; y++ {
			for _, h := range holidayTable()[y-MinYear] {
				i := h.Date.days() - firstDay
				c.open[i/64] &^= 1 << (i % 64)
			}
		}
	}
	c.rank = make([]int64, len(c.open)+1)
	for w, x := range c.open {
		c.rank[w+1] = c.rank[w] + int64(bits.OnesCount64(x))
	}
	return c, nil
}

func parseYearEnd(s string) (from, to int, ok bool) {
	m := yearEndRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	var v [4]int
	for i := range v {
		v[i], _ = strconv.Atoi(m[i+1])
	}
	// 2000 is a leap year, so 02-29 is accepted.
	if !(Date{2000, time.Month(v[0]), v[1]}).Valid() || !(Date{2000, time.Month(v[2]), v[3]}).Valid() {
		return 0, 0, false
	}
	return v[0]*100 + v[1], v[2]*100 + v[3], true
}

// openSlow decides a day from the rules, without national holidays.
func (c *Calendar) openSlow(day int64) bool {
	d := fromDays(day)
	if c.closedWeekday[d.Weekday()] || c.extra[day] {
		return false
	}
	if c.yearEnd {
		md := int(d.Month)*100 + d.Day
		in := c.yeFrom <= md && md <= c.yeTo
		if c.yeFrom > c.yeTo {
			in = md >= c.yeFrom || md <= c.yeTo
		}
		if in {
			return false
		}
	}
	return true
}

// isOpen reports whether day is a business day.
func (c *Calendar) isOpen(day int64) bool {
	if day >= firstDay && day < endDay {
		i := day - firstDay
		return c.open[i/64]>>(i%64)&1 != 0
	}
	return c.openSlow(day)
}

// IsBusinessDay reports whether d is a business day (営業日).
func (c *Calendar) IsBusinessDay(d Date) bool { return c.isOpen(d.days()) }

// rankOf returns the number of business days in [firstDay, day], for day in
// [firstDay-1, endDay).
func (c *Calendar) rankOf(day int64) int64 {
	i := day - firstDay + 1 // days counted
	w, b := i/64, i%64
	r := c.rank[w]
	if b != 0 {
		r += int64(bits.OnesCount64(c.open[w] & (1<<b - 1)))
	}
	return r
}

// selectRank returns the day with rank k (the k-th business day from
// firstDay, k ≥ 1), searching forward from word w0; ok is false past the
// bitmap.
func (c *Calendar) selectRank(k int64, w0 int64) (int64, bool) {
	w := w0
	for w < int64(len(c.open)) && c.rank[w+1] < k {
		w++
	}
	if w >= int64(len(c.open)) {
		return 0, false
	}
	x := c.open[w]
	for j := k - c.rank[w] - 1; j > 0; j-- {
		x &= x - 1
	}
	return firstDay + w*64 + int64(bits.TrailingZeros64(x)), true
}

// selectRankBack is selectRank searching backward from word w0.
func (c *Calendar) selectRankBack(k int64, w0 int64) (int64, bool) {
	if k < 1 {
		return 0, false
	}
	w := w0
	for w >= 0 && c.rank[w] >= k {
		w--
	}
	if w < 0 {
		return 0, false
	}
	return c.selectRank(k, w)
}

// AddBusinessDays returns the n-th business day after d; d itself does not
// count, so AddBusinessDays(d, 1) is the first business day after d. A
// negative n counts back: AddBusinessDays(d, -1) is the last business day
// before d. AddBusinessDays(d, 0) is d.
func (c *Calendar) AddBusinessDays(d Date, n int) Date {
	if n == 0 {
		return d
	}
	day := d.days()
	if day >= firstDay-1 && day < endDay {
		if n > 0 {
			if r, ok := c.selectRank(c.rankOf(day)+int64(n), (day-firstDay+1)/64); ok {
				return fromDays(r)
			}
		} else if day >= firstDay {
			if r, ok := c.selectRankBack(c.rankOf(day-1)+int64(n)+1, (day-firstDay)/64); ok {
				return fromDays(r)
			}
		}
	}
	step := int64(1)
	if n < 0 {
		step, n = -1, -n
	}
	for ; n > 0; n-- {
		day += step
		for !c.isOpen(day) {
			day += step
		}
	}
	return fromDays(day)
}

// NextBusinessDay returns the first business day after d.
func (c *Calendar) NextBusinessDay(d Date) Date { return c.AddBusinessDays(d, 1) }

// PrevBusinessDay returns the last business day before d.
func (c *Calendar) PrevBusinessDay(d Date) Date { return c.AddBusinessDays(d, -1) }

// OnOrAfter returns d when it is a business day, else the next one: the rule
// for a deadline that falls on a closing day.
func (c *Calendar) OnOrAfter(d Date) Date {
	if c.IsBusinessDay(d) {
		return d
	}
	return c.NextBusinessDay(d)
}

// BusinessDaysBetween returns the number of business days after a up to and
// including b, so that BusinessDaysBetween(a, AddBusinessDays(a, n)) == n.
// It is negative when b is before a.
func (c *Calendar) BusinessDaysBetween(a, b Date) int {
	x, y := a.days(), b.days()
	if y < x {
		return -c.countOpen(y, x)
	}
	return c.countOpen(x, y)
}

// countOpen counts business days in (x, y], x ≤ y.
func (c *Calendar) countOpen(x, y int64) int {
	n := 0
	// Below the bitmap.
	for x < y && x < firstDay-1 {
		x++
		if c.openSlow(x) {
			n++
		}
	}
	// Within the bitmap.
	if x < y && x < endDay-1 {
		top := min(y, endDay-1)
		n += int(c.rankOf(top) - c.rankOf(x))
		x = top
	}
	// Above it.
	for x < y {
		x++
		if c.openSlow(x) {
			n++
		}
	}
	return n
}

// DeadlineDays returns the deadline of a period of days counted with the
// first day as day 1 (so a 30-day period from 2026-04-01 ends 2026-04-30),
// moved to the next business day when it falls on a closing day.
func (c *Calendar) DeadlineDays(first Date, days int) Date {
	return c.OnOrAfter(first.AddDays(days - 1))
}

// ReceptionDay returns the business day from which something that arrived
// at t is handled: the day itself when it is a business day and t is
// before the desk closes (close, minutes after midnight in Tokyo; a
// negative close means the desk does not close early), else the next
// business day. A request posted on the portal on a Saturday night is
// handled from Monday (or the first business day after).
func (c *Calendar) ReceptionDay(t time.Time, close int) Date {
	tt := t.In(hogo.Tokyo)
	d := DateOf(tt)
	if !c.IsBusinessDay(d) {
		return c.NextBusinessDay(d)
	}
	if close >= 0 && tt.Hour()*60+tt.Minute() >= close {
		return c.NextBusinessDay(d)
	}
	return d
}
