package calendar

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// officialRow is one line of the Cabinet Office's syukujitsu.csv.
type officialRow struct {
	d    Date
	name string
}

// loadOfficial reads testdata/syukujitsu.csv: the rows for 1970–2027 of
// 内閣府「国民の祝日について」syukujitsu.csv
// (https://www8.cao.go.jp/chosei/shukujitsu/syukujitsu.csv, the edition
// listing 1955–2027), converted from Shift_JIS to UTF-8 with the official
// header and names kept as they are.
func loadOfficial(t *testing.T) []officialRow {
	t.Helper()
	f, err := os.Open("testdata/syukujitsu.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []officialRow
	sc := bufio.NewScanner(f)
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue // header
		}
		date, name, ok := strings.Cut(strings.TrimSpace(sc.Text()), ",")
		if !ok {
			t.Fatalf("line %d: %q", line+1, sc.Text())
		}
		p := strings.Split(date, "/")
		if len(p) != 3 {
			t.Fatalf("line %d: bad date %q", line+1, date)
		}
		y, _ := strconv.Atoi(p[0])
		m, _ := strconv.Atoi(p[1])
		d, _ := strconv.Atoi(p[2])
		rows = append(rows, officialRow{Date{y, time.Month(m), d}, name})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// officialName maps a computed holiday to the name the Cabinet Office's CSV
// uses for it.
func officialName(h Holiday) string {
	switch {
	case h.Kind == Substitute || h.Kind == Citizens:
		return "休日"
	case h.Date == Date{2019, time.May, 1} || h.Date == Date{2019, time.October, 22}:
		return "休日（祝日扱い）"
	case h.Date == Date{2019, time.October, 14}:
		return "体育の日（スポーツの日）"
	case h.Name == "昭和天皇の大喪の礼":
		return "大喪の礼"
	case h.Name == "皇太子徳仁親王の結婚の儀":
		return "結婚の儀"
	}
	return h.Name
}

const officialFirst, officialLast = 1970, 2027

func TestOfficialList(t *testing.T) {
	rows := loadOfficial(t)
	if len(rows) < 900 {
		t.Fatalf("only %d official rows", len(rows))
	}
	official := map[Date]string{}
	for _, r := range rows {
		if r.d.Year < officialFirst || r.d.Year > officialLast {
			t.Errorf("row %s outside %d–%d", r.d, officialFirst, officialLast)
		}
		official[r.d] = r.name
		// Every official holiday is computed, under the same name.
		h, ok := HolidayOf(r.d)
		if !ok {
			t.Errorf("%s %s: official, not computed", r.d, r.name)
			continue
		}
		if got := officialName(h); got != r.name {
			t.Errorf("%s: computed %s (%s), official %s", r.d, h.Name, got, r.name)
		}
	}
	// Every computed holiday in those years is official.
	for y := officialFirst; y <= officialLast; y++ {
		for _, h := range Holidays(y) {
			if _, ok := official[h.Date]; !ok {
				t.Errorf("%s %s: computed, not official", h.Date, h.Name)
			}
		}
	}
}

func TestHolidayProperties(t *testing.T) {
	for y := MinYear; y <= MaxYear; y++ {
		hs := Holidays(y)
		seen := map[Date]bool{}
		for i, h := range hs {
			if h.Date.Year != y || !h.Date.Valid() {
				t.Errorf("%d: bad date %s", y, h.Date)
			}
			if seen[h.Date] {
				t.Errorf("%s: holiday twice", h.Date)
			}
			seen[h.Date] = true
			if i > 0 && !hs[i-1].Date.Before(h.Date) {
				t.Errorf("%d: not in date order at %s", y, h.Date)
			}
			if h.Name == "" || h.NameEn == "" {
				t.Errorf("%s: missing name", h.Date)
			}
			if name, ok := HolidayName(h.Date); !ok || name != h.Name {
				t.Errorf("HolidayName(%s) = %q, %v", h.Date, name, ok)
			}
		}
		if len(hs) < 12 || hs[0].Date != (Date{y, time.January, 1}) || hs[0].Name != "元日" {
			t.Errorf("%d: first holiday %v", y, hs[0])
		}
		isNational := func(d Date) bool {
			h, ok := HolidayOf(d)
			return ok && (h.Kind == National || h.Kind == Special)
		}
		for _, h := range hs {
			switch h.Kind {
			case Substitute:
				// The run of national holidays just before it starts on a Sunday.
				d := h.Date.AddDays(-1)
				for isNational(d) && d.Weekday() != time.Sunday {
					d = d.AddDays(-1)
				}
				if !isNational(d) || d.Weekday() != time.Sunday {
					t.Errorf("%s 振替休日 follows no Sunday holiday", h.Date)
				}
				if h.Date.Before(substituteDay) {
					t.Errorf("%s 振替休日 before the rule", h.Date)
				}
			case Citizens:
				if !isNational(h.Date.AddDays(-1)) || !isNational(h.Date.AddDays(1)) {
					t.Errorf("%s 国民の休日 not between two holidays", h.Date)
				}
			}
			if h.Kind == National && h.Date.Weekday() == time.Sunday && !h.Date.Before(substituteDay) {
				// It must be followed, within the run, by a 振替休日.
				d := h.Date.AddDays(1)
				for isNational(d) {
					d = d.AddDays(1)
				}
				if sub, ok := HolidayOf(d); !ok || sub.Kind != Substitute {
					if y >= rule2007 || d == h.Date.AddDays(1) {
						t.Errorf("%s Sunday holiday without 振替休日", h.Date)
					}
				}
			}
		}
		if v := VernalEquinox(y); v < 19 || v > 22 {
			t.Errorf("%d: 春分の日 March %d", y, v)
		}
		if a := AutumnalEquinox(y); a < 21 || a > 24 {
			t.Errorf("%d: 秋分の日 September %d", y, a)
		}
		// No two consecutive weekdays between holidays go unnoticed: a
		// weekday with national holidays on both sides is itself a holiday
		// (from 1986).
		if y >= 1986 {
			for d := (Date{y, time.January, 2}); d.Year == y && d.Month < time.December; d = d.AddDays(1) {
				if isNational(d.AddDays(-1)) && isNational(d.AddDays(1)) && !IsHoliday(d) && d.Weekday() != time.Sunday {
					t.Errorf("%s: between two holidays but not a holiday", d)
				}
			}
		}
	}
	if Holidays(MinYear-1) != nil || Holidays(MaxYear+1) != nil {
		t.Error("Holidays outside the range should be nil")
	}
	if _, ok := HolidayName(Date{1959, time.April, 10}); ok {
		t.Error("1959-04-10 is outside the computed range")
	}
}

// TestKnownHolidays pins the history of the law on individual days.
func TestKnownHolidays(t *testing.T) {
	tests := []struct {
		d    string
		name string // "" = not a holiday
	}{
		{"1970-01-15", "成人の日"},
		{"1973-02-12", ""}, // 2/11 was a Sunday, before 振替休日 existed
		{"1973-04-30", "振替休日"},
		{"1986-05-04", ""}, // Sunday, excluded from 国民の休日 then
		{"1988-05-04", "国民の休日"},
		{"1988-04-29", "天皇誕生日"},
		{"1989-04-29", "みどりの日"},
		{"1989-12-23", "天皇誕生日"},
		{"1989-02-24", "昭和天皇の大喪の礼"},
		{"1990-11-12", "即位礼正殿の儀"},
		{"1993-06-09", "皇太子徳仁親王の結婚の儀"},
		{"1995-07-20", ""},
		{"1996-07-20", "海の日"},
		{"1999-01-15", "成人の日"},
		{"2000-01-10", "成人の日"},
		{"2000-10-09", "体育の日"},
		{"2002-09-15", "敬老の日"},
		{"2003-09-15", "敬老の日"},
		{"2003-07-21", "海の日"},
		{"2006-05-04", "国民の休日"},
		{"2007-04-29", "昭和の日"},
		{"2007-05-04", "みどりの日"},
		{"2008-05-06", "振替休日"}, // 5/4 Sunday: next non-holiday day
		{"2009-09-22", "国民の休日"},
		{"2015-08-11", ""},
		{"2016-08-11", "山の日"},
		{"2018-12-23", "天皇誕生日"},
		{"2019-12-23", ""},
		{"2019-04-30", "国民の休日"},
		{"2019-05-01", "天皇の即位の日"},
		{"2019-05-02", "国民の休日"},
		{"2019-05-06", "振替休日"},
		{"2019-10-22", "即位礼正殿の儀"},
		{"2020-02-23", "天皇誕生日"},
		{"2020-02-24", "振替休日"},
		{"2020-07-20", ""},
		{"2020-07-23", "海の日"},
		{"2020-07-24", "スポーツの日"},
		{"2020-08-10", "山の日"},
		{"2020-10-12", ""},
		{"2021-07-22", "海の日"},
		{"2021-07-23", "スポーツの日"},
		{"2021-08-08", "山の日"},
		{"2021-08-09", "振替休日"},
		{"2021-10-11", ""},
		{"2026-09-22", "国民の休日"},
		{"2026-11-23", "勤労感謝の日"},
		{"2032-09-21", "国民の休日"}, // 敬老の日 9/20, 秋分の日 9/22
		{"2099-03-20", "春分の日"},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.d)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := HolidayName(d)
		if got != tt.name {
			t.Errorf("HolidayName(%s) = %q, want %q", tt.d, got, tt.name)
		}
	}
}

// TestHandWrittenYears checks whole years against lists written out by hand,
// independent of the CSV (2028 is beyond it).
func TestHandWrittenYears(t *testing.T) {
	lists := map[int]string{
		2019: "01-01 01-14 02-11 03-21 04-29 04-30 05-01 05-02 05-03 05-04 05-05 05-06 07-15 08-11 08-12 09-16 09-23 10-14 10-22 11-03 11-04 11-23",
		2020: "01-01 01-13 02-11 02-23 02-24 03-20 04-29 05-03 05-04 05-05 05-06 07-23 07-24 08-10 09-21 09-22 11-03 11-23",
		2021: "01-01 01-11 02-11 02-23 03-20 04-29 05-03 05-04 05-05 07-22 07-23 08-08 08-09 09-20 09-23 11-03 11-23",
		2025: "01-01 01-13 02-11 02-23 02-24 03-20 04-29 05-03 05-04 05-05 05-06 07-21 08-11 09-15 09-23 10-13 11-03 11-23 11-24",
		2026: "01-01 01-12 02-11 02-23 03-20 04-29 05-03 05-04 05-05 05-06 07-20 08-11 09-21 09-22 09-23 10-12 11-03 11-23",
		2027: "01-01 01-11 02-11 02-23 03-21 03-22 04-29 05-03 05-04 05-05 07-19 08-11 09-20 09-23 10-11 11-03 11-23",
		2028: "01-01 01-10 02-11 02-23 03-20 04-29 05-03 05-04 05-05 07-17 08-11 09-18 09-22 10-09 11-03 11-23",
	}
	for y, want := range lists {
		var got []string
		for _, h := range Holidays(y) {
			got = append(got, h.Date.String()[5:])
		}
		if g := strings.Join(got, " "); g != want {
			t.Errorf("%d:\n got  %s\n want %s", y, g, want)
		}
	}
}
