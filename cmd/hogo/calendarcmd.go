package main

import (
	"context"
	"fmt"
	"strconv"

	"hogo.example.jp/hogo/calendar"
)

// cmdCalendarHolidays prints a year's national holidays, one a line:
// "YYYY-MM-DD name".
func cmdCalendarHolidays(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("calendar holidays", "使い方: hogo calendar holidays YEAR\nその年の国民の祝日・休日（振替休日、国民の休日を含む）を「YYYY-MM-DD 名称」の形で一行ずつ表示します（1970〜2099年）。",
		"Usage: hogo calendar holidays YEAR\nPrints the year's national holidays (substitute holidays and citizens' holidays included), one a line as \"YYYY-MM-DD name\" (1970–2099).")
	english := fs.Bool("english", false, "print the English names instead of the official Japanese ones")
	arg, err := parseOne(fs, args)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(arg)
	if err != nil || year < calendar.MinYear || year > calendar.MaxYear {
		return fail(2, "%s", e.p.msg("calendar.year", arg, calendar.MinYear, calendar.MaxYear))
	}
	for _, h := range calendar.Holidays(year) {
		name := h.Name // the official Japanese name, whatever the language of the messages
		if *english {
			name = h.NameEn
		}
		fmt.Fprintf(e.io.out, "%s %s\n", h.Date, name)
	}
	return nil
}
