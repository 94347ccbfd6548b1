package calendar

import (
	"testing"
	"time"
)

func TestFormatJapanese(t *testing.T) {
	tests := []struct{ d, want string }{
		{"2026-11-23", "令和8年11月23日"},
		{"2019-05-01", "令和元年5月1日"},
		{"2019-04-30", "平成31年4月30日"},
		{"1989-01-07", "昭和64年1月7日"},
		{"1989-01-08", "平成元年1月8日"},
		{"1926-12-24", "大正15年12月24日"},
		{"1926-12-25", "昭和元年12月25日"},
		{"1912-07-29", "明治45年7月29日"},
		{"1912-07-30", "大正元年7月30日"},
		{"1873-01-01", "明治6年1月1日"},
		{"1872-12-31", "1872年12月31日"},
		{"2020-01-01", "令和2年1月1日"},
	}
	for _, tt := range tests {
		if got := FormatJapanese(d(tt.d)); got != tt.want {
			t.Errorf("FormatJapanese(%s) = %s, want %s", tt.d, got, tt.want)
		}
	}
	if got := FormatJapaneseWithWeekday(d("2026-11-23")); got != "令和8年11月23日（月）" {
		t.Errorf("FormatJapaneseWithWeekday = %s", got)
	}
	if got := FormatJapaneseWithWeekday(d("2019-05-01")); got != "令和元年5月1日（水）" {
		t.Errorf("FormatJapaneseWithWeekday = %s", got)
	}
	if WeekdayJa(time.Saturday) != "土" {
		t.Error("WeekdayJa")
	}
}

func TestEraOf(t *testing.T) {
	e, y, ok := EraOf(d("2026-01-01"))
	if !ok || e.Name != "令和" || e.NameEn != "Reiwa" || y != 8 {
		t.Errorf("EraOf = %v %d %v", e, y, ok)
	}
	if _, _, ok := EraOf(d("1800-01-01")); ok {
		t.Error("1800 has an era")
	}
}
