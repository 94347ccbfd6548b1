package web

import "net/http"

// messages holds the console's and portal's words, Japanese first.
var messages = map[string][2]string{
	"app.name":            {"hogo 個人情報保護管理", "hogo privacy operations"},
	"nav.home":            {"ホーム", "Home"},
	"nav.ledger":          {"個人情報管理台帳", "Ledger"},
	"nav.users":           {"利用者", "Users"},
	"nav.audit":           {"監査ログ", "Audit log"},
	"nav.logout":          {"ログアウト", "Sign out"},
	"nav.portal":          {"公開ページ", "Public portal"},
	"lang.switch":         {"English", "日本語"},
	"login.title":         {"ログイン", "Sign in"},
	"login.name":          {"利用者名", "User name"},
	"login.password":      {"パスワード", "Password"},
	"login.submit":        {"ログイン", "Sign in"},
	"login.failed":        {"利用者名またはパスワードが正しくありません。", "The user name or password is wrong."},
	"login.locked":        {"ログインの失敗が続いたため、このアカウントは一時的にロックされています。しばらくしてから再度お試しいただくか、管理者にご連絡ください。", "This account is locked after repeated failed sign-ins. Try again later or ask an administrator."},
	"login.ratelimited":   {"ログインの試行が多すぎます。1分ほど待ってから再度お試しください。", "Too many sign-in attempts. Wait a minute and try again."},
	"home.title":          {"ホーム", "Home"},
	"home.welcome":        {"ようこそ", "Welcome"},
	"home.role":           {"役割", "Role"},
	"home.ledger":         {"現在の台帳", "Current ledger"},
	"home.revision":       {"改訂", "Revision"},
	"home.effective":      {"施行日", "Effective"},
	"home.categories":     {"種別の数", "Categories"},
	"home.audit":          {"監査ログの件数", "Audit entries"},
	"ledger.title":        {"個人情報管理台帳", "Personal information ledger"},
	"ledger.export":       {"台帳を出力", "Export ledger"},
	"ledger.category":     {"種別", "Category"},
	"ledger.items":        {"項目", "Items"},
	"ledger.item":         {"項目", "Item"},
	"ledger.type":         {"型", "Type"},
	"ledger.flags":        {"区分", "Flags"},
	"ledger.identifier":   {"識別子", "identifier"},
	"ledger.sensitive":    {"要配慮", "special-care"},
	"ledger.mynumber":     {"個人番号", "individual number"},
	"ledger.sources":      {"取得方法", "Acquisition"},
	"ledger.purposes":     {"利用目的", "Purposes"},
	"ledger.consent":      {"同意が必要", "consent required"},
	"ledger.disclosable":  {"開示対象", "Disclosable"},
	"ledger.yes":          {"対象", "Yes"},
	"ledger.no":           {"対象外", "No"},
	"ledger.retention":    {"保存期間", "Retention"},
	"ledger.storage":      {"保管場所・方法", "Storage"},
	"ledger.access":       {"アクセス権者", "Access"},
	"ledger.processors":   {"委託先", "Processors"},
	"ledger.recipients":   {"提供先", "Recipients"},
	"ledger.after":        {"から", "after"},
	"ledger.none":         {"なし", "none"},
	"users.title":         {"利用者", "Users"},
	"users.name":          {"利用者名", "User name"},
	"users.display":       {"表示名", "Display name"},
	"users.role":          {"役割", "Role"},
	"users.status":        {"状態", "Status"},
	"users.active":        {"有効", "Active"},
	"users.disabled":      {"無効", "Disabled"},
	"users.locked":        {"ロック中", "Locked"},
	"users.lastlogin":     {"最終ログイン", "Last sign-in"},
	"users.add":           {"利用者を追加", "Add a user"},
	"users.password":      {"パスワード（空欄で自動生成）", "Password (blank: generate one)"},
	"users.created":       {"利用者を作成しました。次のパスワードは一度だけ表示されます。", "The user was created. This password is shown only once."},
	"users.disable":       {"無効にする", "Disable"},
	"users.enable":        {"有効にする", "Enable"},
	"users.token":         {"APIトークン発行", "New API token"},
	"users.tokencreated":  {"APIトークンを発行しました。一度だけ表示されます。安全な場所に保管してください。", "The API token was created. It is shown only once: keep it somewhere safe."},
	"users.actions":       {"操作", "Actions"},
	"users.setrole":       {"役割を変更", "Change role"},
	"users.roleset":       {"役割を変更しました。", "The role was changed."},
	"users.resetpw":       {"パスワード再設定", "Reset password"},
	"users.pwreset":       {"パスワードを再設定しました。ログイン中のセッションは終了しました。新しいパスワードは一度だけ表示されます。", "The password was reset and the user's sessions ended. The new password is shown only once."},
	"users.tokens":        {"APIトークン", "API tokens"},
	"users.tokenname":     {"ラベル", "Label"},
	"users.tokenprefix":   {"先頭", "Starts with"},
	"users.created_at":    {"発行日時", "Created"},
	"users.lastused":      {"最終使用", "Last used"},
	"users.revoke":        {"失効させる", "Revoke"},
	"users.revoked":       {"APIトークンを失効させました。", "The API token was revoked."},
	"users.revokedstate":  {"失効", "Revoked"},
	"role.admin":          {"システム管理者", "Administrator"},
	"role.manager":        {"個人情報保護管理者", "Protection manager"},
	"role.desk":           {"窓口担当", "Desk"},
	"role.staff":          {"業務担当", "Staff"},
	"role.auditor":        {"監査担当（閲覧のみ）", "Auditor (read-only)"},
	"audit.title":         {"監査ログ", "Audit log"},
	"audit.verify":        {"改ざん検証を実行", "Verify the chain"},
	"audit.ok":            {"監査ログの連鎖は正常です。", "The audit chain verifies."},
	"audit.bad":           {"監査ログの改ざんを検出しました。", "Tampering with the audit log was detected."},
	"audit.count":         {"件数", "Entries"},
	"audit.checkpoints":   {"署名付きチェックポイント", "Signed checkpoints"},
	"audit.seq":           {"番号", "No."},
	"audit.time":          {"日時", "Time"},
	"audit.actor":         {"実行者", "Actor"},
	"audit.action":        {"操作", "Action"},
	"audit.outcome":       {"結果", "Outcome"},
	"audit.subject":       {"対象", "Subject"},
	"audit.remote":        {"接続元", "From"},
	"audit.filter":        {"絞り込み", "Filter"},
	"audit.older":         {"さらに古いログ", "Older entries"},
	"audit.empty":         {"該当するログはありません。", "No entries match."},
	"form.submit":         {"送信", "Submit"},
	"form.save":           {"保存", "Save"},
	"error.title":         {"エラー", "Error"},
	"error.forbidden":     {"この操作を行う権限がありません。", "You do not have permission to do this."},
	"error.notfound":      {"ページが見つかりません。", "The page was not found."},
	"error.csrf":          {"フォームの有効期限が切れました。ページを再読み込みしてからやり直してください。", "The form has expired. Reload the page and try again."},
	"portal.title":        {"個人情報の取扱いについて", "Handling of personal information"},
	"portal.desk":         {"個人情報に関するお問い合わせ窓口", "Contact desk for personal information"},
	"portal.hours":        {"受付時間", "Hours"},
	"portal.closed":       {"休業日", "Closed"},
	"portal.phone":        {"電話", "Phone"},
	"portal.fax":          {"FAX", "Fax"},
	"portal.email":        {"メール", "E-mail"},
	"portal.address":      {"所在地", "Address"},
	"portal.org":          {"事業者", "Business"},
	"portal.rep":          {"代表者", "Representative"},
	"portal.manager":      {"個人情報保護管理者", "Protection manager"},
	"portal.accredited":   {"認定個人情報保護団体", "Accredited personal information protection organisation"},
	"portal.accredited.d": {"苦情の解決の申出先", "Where to bring complaints"},
	"portal.purposes":     {"利用目的", "Purposes of use"},
	"portal.staff":        {"従業者向けログイン", "Staff sign-in"},
	"portal.noledger":     {"この事業者の台帳はまだ登録されていません。", "This business has not registered its ledger yet."},
}

// weekday names for hours, Sunday first as time.Weekday.
var weekdayNames = map[string][2]string{
	"sun": {"日", "Sun"}, "mon": {"月", "Mon"}, "tue": {"火", "Tue"}, "wed": {"水", "Wed"},
	"thu": {"木", "Thu"}, "fri": {"金", "Fri"}, "sat": {"土", "Sat"},
}

// T translates key into lang; an unknown key reads as itself so that a gap
// shows instead of an empty page.
func T(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return m[1]
	}
	return m[0]
}

// langCookie keeps a visitor's choice of language.
const langCookie = "hogo_lang"

// requestLang picks the language: ?lang=, then the cookie. Japanese is
// the default whatever the browser says: the people this serves read
// Japanese first, and English is one click away.
func requestLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "ja" || l == "en" {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "ja" || c.Value == "en") {
		return c.Value
	}
	return "ja"
}
