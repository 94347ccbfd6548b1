package web

// Words of the consent, provision and incident pages.
func init() {
	for k, v := range map[string][2]string{
		"portal.bad_form":           {"送信された内容をフォームとして読み取れませんでした。お手数ですが、このページのフォームから送信し直してください。", "What was sent could not be read as a form; please send it again from the form on this page."},
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

func init() {
	for k, v := range map[string][2]string{
		"nav.incidents":                      {"漏えい等", "Incidents"},
		"incidents.title":                    {"漏えい等の事案", "Incidents"},
		"incidents.one":                      {"漏えい等の事案", "Incident"},
		"incidents.known":                    {"知った日", "Known on"},
		"incidents.name":                     {"件名", "Title"},
		"incidents.status":                   {"状態", "Status"},
		"incidents.affected":                 {"本人の数", "Principals"},
		"incidents.preliminary":              {"速報", "Preliminary report"},
		"incidents.final":                    {"確報", "Final report"},
		"incidents.new":                      {"漏えい等を記録する", "Record an incident"},
		"incidents.new.hint":                 {"漏えい・滅失・毀損（のおそれ）に気づいたら、分かっていることだけですぐに記録してください。足りない事項があっても下書きとして保存され、知った日から期限の計算が始まります。", "Record a leak, loss or damage (or its possibility) as soon as you notice, with what you know: it is kept as a draft, and the clock runs from the day known."},
		"incidents.summary":                  {"概要", "Summary"},
		"incidents.scope":                    {"対象の本人（種別）", "Principals concerned (categories)"},
		"incidents.estimate":                 {"本人の数の見込み（台帳外のとき）", "Estimated principals (outside the vault)"},
		"incidents.medium":                   {"媒体", "Medium"},
		"incidents.record":                   {"記録する", "Record"},
		"incidents.medium.electronic":        {"電子データ", "Electronic"},
		"incidents.medium.paper":             {"紙", "Paper"},
		"incidents.medium.device":            {"機器・記録媒体", "Device"},
		"incidents.medium.other":             {"その他", "Other"},
		"incidents.status.draft":             {"下書き（事項不足）", "Draft (facts missing)"},
		"incidents.status.open":              {"対応中", "Open"},
		"incidents.status.reported":          {"確報済み", "Reported"},
		"incidents.status.closed":            {"完了", "Closed"},
		"incidents.triggers":                 {"報告対象事態", "Report triggers"},
		"incidents.none":                     {"該当なし", "None"},
		"incidents.entrustor":                {"委託元", "Entrustor"},
		"incidents.entrustor.hint":           {"委託元に速やかに通知すれば、報告・本人通知は委託元が行います（規則第9条）。", "Notify the entrustor promptly; it then reports and notifies (rule 9)."},
		"incidents.sent":                     {"送付済み", "sent"},
		"incidents.left":                     {"残り日数", "days left"},
		"incidents.missing":                  {"報告に足りない事項", "Still missing for the report"},
		"incidents.field.summary":            {"概要", "Summary"},
		"incidents.field.items":              {"個人データの項目", "Items"},
		"incidents.field.cause":              {"原因", "Cause"},
		"incidents.field.secondary_damage":   {"二次被害又はそのおそれ", "Secondary damage"},
		"incidents.field.principal_response": {"本人への対応", "Response to principals"},
		"incidents.field.publication":        {"公表", "Publication"},
		"incidents.field.prevention":         {"再発防止策", "Prevention"},
		"incidents.field.medium":             {"媒体", "Medium"},
		"incidents.field.scope":              {"対象の本人", "Principals concerned"},
		"incidents.report":                   {"報告書案（PDF）", "Report draft (PDF)"},
		"incidents.which":                    {"報告", "Report"},
		"incidents.sent_on":                  {"送付日", "Sent on"},
		"incidents.mark_sent":                {"送付を記録", "Record as sent"},
		"incidents.edit":                     {"事実を更新する", "Update the facts"},
		"incidents.items":                    {"個人データの項目", "Items of personal data"},
		"incidents.item_ids":                 {"台帳の項目ID（空白区切り）", "Ledger item IDs (space-separated)"},
		"incidents.from":                     {"取得日（から）", "Acquired from"},
		"incidents.to":                       {"取得日（まで、含まない）", "Acquired before"},
		"incidents.other":                    {"その他参考となる事項", "Other"},
		"incidents.encrypted":                {"高度な暗号化等の措置を講じていた", "Highly encrypted"},
		"incidents.financial":                {"財産的被害が生じるおそれがある", "Misuse may cause financial damage"},
		"incidents.unjust":                   {"不正の目的によるおそれがある（不正アクセス等）", "May be an act for an unjust purpose"},
		"incidents.entrustee":                {"受託した個人データ（委託元に通知）", "Data entrusted to us (notify the entrustor)"},
		"incidents.save":                     {"保存する", "Save"},
		"incidents.recorded":                 {"記録しました。個人情報保護管理者に通知されます。", "Recorded; the protection manager sees it."},
		"incidents.done.update":              {"更新しました。", "Updated."},
		"incidents.done.sent":                {"送付を記録しました。", "Recorded as sent."},
	} {
		messages[k] = v
	}
}

func init() {
	for k, v := range map[string][2]string{
		"incidents.notice":              {"本人への通知文（PDF）", "Notice to principals (PDF)"},
		"incidents.notices":             {"本人への通知・代替措置", "Notices and substitute measures"},
		"incidents.notices.none":        {"まだ通知していません。", "No notice yet."},
		"incidents.notice.method":       {"方法", "Method"},
		"incidents.notice.email":        {"電子メールで通知", "Notified by e-mail"},
		"incidents.notice.letter":       {"書面で通知", "Notified by letter"},
		"incidents.notice.publication":  {"代替措置: 公表", "Substitute: publication"},
		"incidents.notice.inquiry_desk": {"代替措置: 問合せ窓口の設置", "Substitute: inquiry desk"},
		"incidents.notice.count":        {"人数", "Principals"},
		"incidents.notice.note":         {"メモ", "Note"},
		"incidents.notice.record":       {"記録する", "Record"},
		"incidents.done.notice":         {"通知を記録しました。", "The notice was recorded."},
	} {
		messages[k] = v
	}
}

func init() {
	for k, v := range map[string][2]string{
		"dash.requests":   {"開示等の請求", "Rights requests"},
		"dash.per_month":  {"月別の受付件数（直近12か月）", "Requests received per month (last 12 months)"},
		"dash.incidents":  {"対応中の漏えい等", "Open incidents"},
		"dash.processors": {"見直し時期の委託先", "Processors due for review"},
		"dash.reviews":    {"目的外利用の審査待ち", "Uses under exceptions to review"},
		"dash.reconsent":  {"再同意が必要な本人", "Principals to ask again"},
		"dash.none":       {"ありません。", "None."},
	} {
		messages[k] = v
	}
}

func init() {
	for k, v := range map[string][2]string{
		"dash.complaints":           {"今月の苦情・相談", "Complaints this month"},
		"dash.complaints.total":     {"受付", "Received"},
		"dash.complaints.open":      {"未完了", "Open"},
		"dash.complaints.escalated": {"エスカレーション", "Escalated"},
		"dash.complaints.ontime":    {"期限内の回答", "Answered on time"},
	} {
		messages[k] = v
	}
}
