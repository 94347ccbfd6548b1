package web

// Words of the published privacy notice on the portal: the notice in
// force, its downloads, its versions and what changed between them.
func init() {
	for k, v := range map[string][2]string{
		"notice.title":                 {"個人情報保護方針", "Privacy notice"},
		"vault.notice":                 {"取得時の公表事項", "Notice in force when acquired"},
		"notice.link":                  {"個人情報保護方針・個人情報の取扱いについて（全文）", "Privacy policy and how we handle personal information (full text)"},
		"notice.links":                 {"この方針の版とダウンロード", "Version and downloads of this notice"},
		"notice.version_n":             {"第%d版", "Version %d"},
		"notice.download.pdf":          {"PDFでダウンロード", "Download as PDF"},
		"notice.download.md":           {"テキスト（Markdown）でダウンロード", "Download as text (Markdown)"},
		"notice.versions.link":         {"改定履歴", "Earlier versions"},
		"notice.versions.title":        {"個人情報保護方針の改定履歴", "Privacy notice: versions"},
		"notice.versions.caption":      {"公表した版（新しい順）", "Versions published, newest first"},
		"notice.versions.number":       {"版", "Version"},
		"notice.versions.effective":    {"施行日", "Effective"},
		"notice.versions.revision":     {"台帳の改訂番号", "Ledger revision"},
		"notice.versions.published":    {"公表日", "Published"},
		"notice.versions.current":      {"現行", "In force"},
		"notice.versions.empty":        {"記録された版はまだありません。", "No version has been recorded yet."},
		"notice.version.title":         {"個人情報保護方針（%s）", "Privacy notice (%s)"},
		"notice.version.text":          {"この版の本文", "The text of this version"},
		"notice.version.changes":       {"%sからの変更", "Changes from %s"},
		"notice.version.changes_first": {"変更点", "Changes"},
		"notice.version.first":         {"最初に公表した版です。", "This is the first version published."},
		"notice.version.nochange":      {"この言語の本文に変更はありません。", "The text in this language did not change."},
		"notice.version.notfound":      {"その版の個人情報保護方針はありません。", "There is no such version of the privacy notice."},
		"notice.diff.legend":           {"変更された行とその前後を示します。「追加」は新たに加わった行、「削除」は削られた行です。", "Changed lines are shown with the lines around them: “Added” marks a new line, “Removed” a line taken out."},
		"notice.diff.added":            {"追加", "Added"},
		"notice.diff.removed":          {"削除", "Removed"},
		"notice.back":                  {"現行の個人情報保護方針", "The notice in force"},
		"notice.all_versions":          {"改定履歴の一覧", "All versions"},
	} {
		messages[k] = v
	}
}
