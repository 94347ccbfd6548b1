package web

// Words of the consent and provision pages.
func init() {
	for k, v := range map[string][2]string{
		"consents.title":            {"同意の記録", "Consents"},
		"consents.back":             {"本人のページへ", "Back to the principal"},
		"consents.history":          {"同意の履歴", "Consent history"},
		"consents.given":            {"同意の日時", "Given"},
		"consents.what":             {"同意の内容", "Consented to"},
		"consents.method":           {"取得方法", "Method"},
		"consents.status":           {"状態", "Status"},
		"consents.witness":          {"立会者（口頭の場合）", "Witness (verbal)"},
		"consents.to":               {"提供先:", "Provision to:"},
		"consents.outdated":         {"同意後に文言が変わりました。改めて同意を得てください。", "Reworded since: ask again."},
		"consents.expires":          {"有効期限", "Expires"},
		"consents.expires_on":       {"有効期限（任意）", "Expires on (optional)"},
		"consents.receipt":          {"控え（PDF）", "Receipt (PDF)"},
		"consents.withdraw":         {"撤回を記録", "Record withdrawal"},
		"consents.none":             {"同意の記録はありません。", "No consents recorded."},
		"consents.record":           {"同意を記録", "Record a consent"},
		"consents.purposes":         {"利用目的", "Purposes"},
		"consents.recipients":       {"第三者提供", "Third-party provision"},
		"consents.needed":           {"同意が必要", "needs consent"},
		"consents.foreign_informed": {"外国の提供先について、国名・制度・提供先の措置を本人に伝えた（法第28条第2項）", "For a recipient abroad, the principal was told the country, its regime and the recipient's measures (Art. 28(2))"},
		"consents.submit":           {"記録する", "Record"},
		"consents.bad_date":         {"有効期限は 2027-03-31 の形で入力してください。", "Give the expiry as 2027-03-31."},
		"consents.done.give":        {"同意を記録しました。", "The consent was recorded."},
		"consents.done.withdraw":    {"撤回を記録しました。以後、この同意による利用はできません。", "The withdrawal was recorded; the consent no longer allows any use."},
		"consents.method.web_form":  {"ウェブフォーム", "Web form"},
		"consents.method.paper":     {"書面", "Paper"},
		"consents.method.verbal":    {"口頭", "Verbal"},
		"consents.method.email":     {"電子メール", "E-mail"},
		"consents.method.portal":    {"本人用ページ", "Portal"},
		"consents.status.live":      {"有効", "Standing"},
		"consents.status.withdrawn": {"撤回済み", "Withdrawn"},
		"consents.status.expired":   {"期限切れ", "Expired"},
		"consents.reconsent":        {"再同意が必要な本人", "Principals to ask again"},
		"consents.reconsent.intro":  {"同意を得た後に台帳で利用目的または提供先の文言が変わったため、その同意では利用できなくなった本人です。改めて同意を得てください。", "The ledger reworded a purpose or recipient these principals consented to: their consent no longer covers it. Ask them again."},
		"consents.reconsent.terms":  {"変わった項目", "Changed"},
		"consents.reconsent.none":   {"再同意が必要な本人はいません。", "Nobody needs to be asked again."},
		"consents.principal":        {"本人", "Principal"},
		"consents.link":             {"同意の記録", "Consents"},
	} {
		messages[k] = v
	}
}

func init() {
	for k, v := range map[string][2]string{
		"provisions.title":                     {"第三者提供", "Third-party provision"},
		"provisions.of":                        {"提供記録", "Provision records"},
		"provisions.recipient":                 {"提供先", "Recipient"},
		"provisions.processor":                 {"委託先", "processor"},
		"provisions.basis":                     {"根拠", "Basis"},
		"provisions.basis.consent":             {"本人の同意", "The principal's consent"},
		"provisions.basis.exception":           {"法令上の例外（法第27条第1項各号）", "A legal exception (Art. 27(1))"},
		"provisions.basis.opt_out":             {"オプトアウト（法第27条第2項）", "Opt-out (Art. 27(2))"},
		"provisions.basis.entrustment":         {"委託（第三者に当たらない）", "Entrustment (not a third party)"},
		"provisions.basis.joint_use":           {"共同利用（第三者に当たらない）", "Joint use (not a third party)"},
		"provisions.basis.succession":          {"事業の承継（第三者に当たらない）", "Business succession (not a third party)"},
		"provisions.items":                     {"提供する項目", "Items"},
		"provisions.principals":                {"本人ID（1行に1人）", "Principal IDs (one per line)"},
		"provisions.exception":                 {"例外による場合", "Under an exception"},
		"provisions.exception.code":            {"例外", "Exception"},
		"provisions.justification":             {"理由（例外・事業承継の場合）", "Justification (exception, succession)"},
		"provisions.format":                    {"提供データの形式", "Export format"},
		"provisions.preview":                   {"法的根拠を確認", "Check the lawful basis"},
		"provisions.decision":                  {"法的根拠の判定", "Lawful-basis decision"},
		"provisions.lawful":                    {"全員について提供の根拠があります:", "Every principal has a lawful basis:"},
		"provisions.refused":                   {"提供できません。誰の個人データも提供されていません", "Nothing can be provided; nothing went out"},
		"provisions.reason":                    {"理由", "Reason"},
		"provisions.reason.no_consent":         {"この提供先への有効な同意がない", "No standing consent to this recipient"},
		"provisions.reason.provision_stopped":  {"本人の請求により第三者提供を停止中", "Provision stopped at the principal's request"},
		"provisions.reason.suspended":          {"本人の請求によりすべての利用を停止中", "All use stopped at the principal's request"},
		"provisions.reason.not_held":           {"この種別の記録がない", "No record of the category"},
		"provisions.reason.opt_out_not_lawful": {"要配慮個人情報はオプトアウトで提供できない", "Special-care data cannot go by opt-out"},
		"provisions.foreign":                   {"外国への提供の根拠", "Ground abroad"},
		"provisions.confirm":                   {"提供して記録する", "Provide and record"},
		"provisions.done":                      {"提供を記録しました。提供データをダウンロードして送付してください。", "The provision was recorded; download the export and send it."},
		"provisions.count":                     {"本人の数", "Principals"},
		"provisions.retain":                    {"記録の保存期限", "Record kept until"},
		"provisions.export":                    {"提供データをダウンロード", "Download the export"},
		"provisions.new":                       {"第三者に提供する", "Provide to a third party"},
		"provisions.records":                   {"提供記録（法第29条）", "Provision records (Art. 29)"},
		"provisions.on":                        {"提供日", "Date"},
		"nav.provisions":                       {"第三者提供", "Provision"},
		"nav.reconsent":                        {"再同意", "Re-consent"},
	} {
		messages[k] = v
	}
}

func init() {
	for k, v := range map[string][2]string{
		"portal.consents.title":       {"同意の確認・撤回", "Your consents"},
		"portal.consents.intro":       {"当社に登録されたメールアドレスを入力してください。確認コードをお送りします。コードを入力すると、あなたの同意の一覧を確認し、いつでも撤回できます。", "Enter the e-mail address you registered with us; we send a code to it. With the code you can see your consents and withdraw any of them."},
		"portal.consents.send":        {"確認コードを送る", "Send the code"},
		"portal.consents.sent":        {"ご登録のアドレスであれば、確認コードをお送りしました。15分以内に入力してください。", "If the address is registered with us, we have sent a code to it. Enter it within 15 minutes."},
		"portal.consents.badcode":     {"確認コードが正しくないか、有効期限が切れています。最初からやり直してください。", "The code is wrong or has expired; start again."},
		"portal.consents.expired":     {"ページの有効期限が切れました。最初からやり直してください。", "This page has expired; start again."},
		"portal.consents.withdraw":    {"同意を撤回する", "Withdraw"},
		"portal.consents.withdrawn":   {"同意を撤回しました。以後、この同意による利用・提供は行いません。", "Your consent is withdrawn; we no longer use or provide your data on its basis."},
		"portal.consents.unavailable": {"現在この機能はご利用いただけません。窓口にお問い合わせください。", "This page is not available now; please contact our desk."},
		"portal.consents.link":        {"同意の確認・撤回", "Your consents"},
	} {
		messages[k] = v
	}
}

func init() {
	for k, v := range map[string][2]string{
		"portal.provision":         {"第三者提供", "Provision to third parties"},
		"portal.provision.items":   {"提供する項目", "Items provided"},
		"portal.provision.purpose": {"提供先の利用目的", "The recipient's purpose"},
		"portal.provision.method":  {"提供の方法", "How"},
		"portal.foreign.country":   {"提供先の国", "Country"},
		"portal.foreign.regime":    {"その国の個人情報保護制度", "That country's protection regime"},
		"portal.foreign.measures":  {"提供先が講ずる措置", "The recipient's measures"},
		"portal.joint":             {"共同利用", "Joint use"},
		"portal.joint.items":       {"共同して利用する項目", "Items used jointly"},
		"portal.joint.users":       {"共同して利用する者の範囲", "Who uses them"},
		"portal.joint.purposes":    {"利用する者の利用目的", "Their purposes"},
		"portal.joint.responsible": {"管理について責任を有する者", "Responsible party"},
		"portal.entrust":           {"個人情報の取扱いの委託", "Entrustment"},
	} {
		messages[k] = v
	}
}
