package web

// The words of a record's ledger events (出来事) and the retention they
// start, on the principal page; Japanese first.
func init() {
	for k, v := range map[string][2]string{
		"events.title":         {"保存期間と出来事", "Retention and events"},
		"events.rule":          {"保存期間", "Retention"},
		"events.rule_text":     {"%[1]sから%[2]s", "%[2]s after %[1]s"},
		"events.recorded":      {"記録された出来事", "Events recorded"},
		"events.none":          {"まだ記録されていません。", "None recorded yet."},
		"events.due":           {"保存期限", "Retention ends"},
		"events.waiting":       {"出来事（%s）の記録待ち", "waiting for the event (%s) to be recorded"},
		"events.no_rule":       {"台帳に保存期間の定めがありません", "the ledger sets no retention period"},
		"events.form":          {"出来事を記録", "Record an event"},
		"events.event":         {"出来事", "Event"},
		"events.on":            {"日付", "Day"},
		"events.submit":        {"記録する", "Record"},
		"events.hint":          {"求職申込みの終了や退職など、保存期間の起算となる出来事が起きた日を記録します。保存期限はその日から数えます。記録は監査ログに残ります。", "Record the day an event that starts a retention period happened, such as the end of a job application or of employment; the retention is counted from it. Each record is audited."},
		"vault.event_recorded": {"出来事を記録しました。保存期限は下のとおりです。", "The event is recorded; the retention end is shown below."},
	} {
		messages[k] = v
	}
}
