// Package breach handles leaks and other incidents (漏えい等, APPI Art. 26;
// 番号法 Art. 29-4) on the Personal Information Protection Commission's
// clock. This file decides whether an incident must be reported and when:
// the triggers of 則7 and of the My Number rules, the preliminary report
// (速報) and the final report (確報).
package breach

import (
	"slices"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
)

// Report triggers (報告対象事態). Each applies when the incident happened
// or may have happened (発生し、又は発生したおそれがある事態).
const (
	// APPI 則7.
	TriggerSpecialCare     = "special_care"     // (1) special-care personal data (unless highly encrypted)
	TriggerFinancialDamage = "financial_damage" // (2) data whose misuse may cause financial damage
	TriggerUnjustPurpose   = "unjust_purpose"   // (3) caused by an act for an unjust purpose (e.g. an attack)
	TriggerOver1000        = "over_1000"        // (4) more than 1,000 principals
	// 特定個人情報の漏えい等に関する報告等に関する規則 Art. 2 (individual numbers).
	TriggerMyNumberSystem  = "mynumber_system"   // (1) from the information-provision network or systems connected to it
	TriggerMyNumberUnjust  = "mynumber_unjust"   // (2) caused by an act for an unjust purpose
	TriggerMyNumberPublic  = "mynumber_public"   // (3) made viewable by an unspecified number of people
	TriggerMyNumberOver100 = "mynumber_over_100" // (4) more than 100 principals
)

// Triggers lists every trigger, APPI's first.
var Triggers = []string{TriggerSpecialCare, TriggerFinancialDamage, TriggerUnjustPurpose, TriggerOver1000,
	TriggerMyNumberSystem, TriggerMyNumberUnjust, TriggerMyNumberPublic, TriggerMyNumberOver100}

// Trigger is a trigger with the provision it comes from and what it means.
type Trigger struct {
	ID      string `json:"id"`
	Article string `json:"article"`
	Ja      string `json:"ja"`
	En      string `json:"en"`
}

var triggerText = map[string]Trigger{
	TriggerSpecialCare: {TriggerSpecialCare, "個人情報保護法施行規則第7条第1号",
		"要配慮個人情報が含まれる個人データ（高度な暗号化等の措置を講じたものを除く）の漏えい等",
		"special-care personal data (unless highly encrypted) leaked, lost or damaged"},
	TriggerFinancialDamage: {TriggerFinancialDamage, "個人情報保護法施行規則第7条第2号",
		"不正に利用されることにより財産的被害が生じるおそれがある個人データの漏えい等",
		"personal data whose misuse may cause financial damage"},
	TriggerUnjustPurpose: {TriggerUnjustPurpose, "個人情報保護法施行規則第7条第3号",
		"不正の目的をもって行われたおそれがある個人データの漏えい等（取得しようとしている個人情報を含む）",
		"a leak that may have been caused by an act for an unjust purpose (including information being acquired)"},
	TriggerOver1000: {TriggerOver1000, "個人情報保護法施行規則第7条第4号",
		"個人データに係る本人の数が1,000人を超える漏えい等",
		"more than 1,000 principals"},
	TriggerMyNumberSystem: {TriggerMyNumberSystem, "特定個人情報の漏えい等に関する報告等に関する規則第2条第1号",
		"情報提供ネットワークシステム等に記録された特定個人情報の漏えい等",
		"specific personal information recorded in the information-provision network or connected systems"},
	TriggerMyNumberUnjust: {TriggerMyNumberUnjust, "特定個人情報の漏えい等に関する報告等に関する規則第2条第2号",
		"不正の目的をもって行われたおそれがある特定個人情報の漏えい等",
		"a leak of specific personal information that may have been caused by an act for an unjust purpose"},
	TriggerMyNumberPublic: {TriggerMyNumberPublic, "特定個人情報の漏えい等に関する報告等に関する規則第2条第3号",
		"特定個人情報が電磁的方法により不特定多数の者に閲覧されたおそれがある事態",
		"specific personal information that may have been viewed by an unspecified number of people"},
	TriggerMyNumberOver100: {TriggerMyNumberOver100, "特定個人情報の漏えい等に関する報告等に関する規則第2条第4号",
		"特定個人情報に係る本人の数が100人を超える漏えい等",
		"more than 100 principals of specific personal information"},
}

// TriggerOf returns a trigger's text.
func TriggerOf(id string) (Trigger, bool) {
	t, ok := triggerText[id]
	return t, ok
}

// Report periods.
const (
	// DefaultPreliminaryDays is the target for the preliminary report
	// (速報): "promptly", by the PPC guidelines about 3 to 5 days from
	// when the business knew; the upper end unless configured.
	DefaultPreliminaryDays = 5
	// FinalDays is the period for the final report (確報), 則8(2):
	// 30 days, or 60 for an act for an unjust purpose (also when combined
	// with another trigger).
	FinalDays       = 30
	FinalDaysUnjust = 60
)

// Deadlines are an incident's reporting deadlines.
type Deadlines struct {
	Known    string    `json:"known"`
	Triggers []Trigger `json:"triggers"`
	// Reportable is false when no trigger applies: no report is due.
	Reportable       bool   `json:"reportable"`
	PreliminaryDays  int    `json:"preliminary_days,omitempty"`
	PreliminaryDue   string `json:"preliminary_due,omitempty"`
	PreliminaryDueJa string `json:"preliminary_due_ja,omitempty"`
	FinalDays        int    `json:"final_days,omitempty"`
	FinalDue         string `json:"final_due,omitempty"`
	FinalDueJa       string `json:"final_due_ja,omitempty"`
	// Rule says how the days were counted.
	Rule   string `json:"rule"`
	RuleJa string `json:"rule_ja"`
}

// Compute returns the deadlines of an incident the business knew of on
// known, with the given triggers. Days are counted with the day known as
// day 1; a deadline on a Saturday, Sunday, national holiday or 12-29..01-03
// moves to the next day that is none of these (行政機関の休日, as for the
// PPC's own deadlines). preliminaryDays 0 means DefaultPreliminaryDays.
func Compute(known calendar.Date, triggers []string, preliminaryDays int) (*Deadlines, error) {
	if !known.Valid() {
		return nil, hogo.NewError(hogo.EINVALID, "known", "知った日（known）を 2026-11-24 の形で指定してください。",
			"give the day the incident became known (known) as 2026-11-24")
	}
	if preliminaryDays == 0 {
		preliminaryDays = DefaultPreliminaryDays
	}
	if preliminaryDays < 1 || preliminaryDays > 10 {
		return nil, hogo.NewError(hogo.EINVALID, "preliminary_days", "速報の目標日数は1〜10日にしてください（ガイドラインの目安は3〜5日）。",
			"the preliminary report's target is 1 to 10 days (the guidelines say about 3 to 5)")
	}
	d := &Deadlines{Known: known.String(), Triggers: []Trigger{},
		Rule:   "days counted with the day known as day 1; a deadline on a Saturday, Sunday, national holiday or 12/29-1/3 moves to the next working day",
		RuleJa: "知った日を1日目として数え、期限が土日・祝日・年末年始（12月29日〜1月3日）に当たるときは翌開庁日とする"}
	seen := map[string]bool{}
	for _, raw := range triggers {
		id := strings.TrimSpace(raw)
		if id == "" || seen[id] {
			continue
		}
		t, ok := triggerText[id]
		if !ok {
			return nil, hogo.NewError(hogo.EINVALID, "trigger", "報告対象事態「%s」はありません。次のいずれかです: %s",
				"trigger %q is not known; use one of: %s", id, strings.Join(Triggers, ", "))
		}
		seen[id] = true
		d.Triggers = append(d.Triggers, t)
	}
	slices.SortFunc(d.Triggers, func(a, b Trigger) int { return slices.Index(Triggers, a.ID) - slices.Index(Triggers, b.ID) })
	if len(d.Triggers) == 0 {
		return d, nil
	}
	cal := calendar.Administrative()
	d.Reportable = true
	d.PreliminaryDays = preliminaryDays
	pre := cal.DeadlineDays(known, preliminaryDays)
	d.PreliminaryDue, d.PreliminaryDueJa = pre.String(), calendar.FormatJapaneseWithWeekday(pre)
	d.FinalDays = FinalDays
	if seen[TriggerUnjustPurpose] || seen[TriggerMyNumberUnjust] {
		d.FinalDays = FinalDaysUnjust
	}
	fin := cal.DeadlineDays(known, d.FinalDays)
	d.FinalDue, d.FinalDueJa = fin.String(), calendar.FormatJapaneseWithWeekday(fin)
	return d, nil
}
