package main

import (
	"fmt"
	"os"
	"strings"
)

// cliMessages are the command's own words, Japanese and English.
var cliMessages = map[string][2]string{
	"usage": {`hogo — 個人情報保護の運用システム

使い方: hogo [--lang ja|en] コマンド [オプション]

コマンド:
  serve            サーバを起動する（コンソール・公開ページ・API）
  ledger check     台帳ファイルを検証する
  ledger export    台帳を Excel・CSV・JSON で出力する
  user add         利用者を追加する
  user list        利用者の一覧
  user set         利用者の役割を変える・無効にする・有効にする
  user password    利用者のパスワードを再設定する
  token create     API トークンを発行する
  token list       API トークンの一覧
  token revoke     API トークンを失効させる
  audit verify     監査ログの改ざんを検証する
  audit checkpoints 署名付きチェックポイントを出力する
  audit keygen     監査ログの署名鍵を作る
  import           CSV・Excel から本人を一括登録する
  export           種別の記録を利用目的に沿って書き出す
  anonymize        表または保管庫の記録を k-匿名化する（匿名加工情報）
  pseudonymize     保管庫の記録から仮名加工情報を作る
  stats            保管庫の記録を集計する（少人数の区分は伏せる）
  keys init        個人情報の保管庫のマスター鍵を作る
  keys status      鍵暗号化鍵とデータ鍵の状態を表示する
  keys rotate      鍵暗号化鍵を更新し、データ鍵を包み直す
  keys retire      使われなくなった古い鍵暗号化鍵を削除する
  calendar holidays その年の国民の祝日・休日を表示する
  breach deadlines  漏えい等の速報・確報の期限を表示する
  retention preview 保存期間が満了する記録を表示する
  retention run     保存期間が満了した記録を消去し、廃棄記録を残す
  retention event   記録の出来事（求職申込みの終了など）の日を記録する
  migrate          データベースのスキーマを更新する
  backup           SQLite ストアの一貫したコピーを作る
  bench read       合成組織で監査付き読み取りの性能を素の DB と比べて測る
  bench write      合成組織で API による登録の性能を素の INSERT と比べて測る
  bench lookup     合成組織でメールアドレス検索の性能を素の索引検索と比べて測る
  bench import     hogo import の速さを同じ行の素の INSERT と比べて測る
  bench erase      本人の消去の速さを素の DELETE と比べて測る
  bench disclosure 開示請求への回答の時間を本人の行の素の読み取りと比べて測る
  bench sweep      保存期間の消去の時間と、その間の読み取りの p99 を平常時と比べて測る
  bench anonymize  匿名加工情報の作成の時間を同じ表のメモリ上の匿名化と比べて測る
  version          バージョンを表示する

各コマンドの詳細: hogo コマンド --help
`, `hogo — personal-information protection, run by software

Usage: hogo [--lang ja|en] COMMAND [options]

Commands:
  serve            run the server (console, portal, API)
  ledger check     validate ledger files
  ledger export    export the ledger as Excel, CSV or JSON
  user add         add a staff user
  user list        list staff users
  user set         change a user's role, disable or enable them
  user password    reset a user's password
  token create     create an API token
  token list       list API tokens
  token revoke     revoke an API token
  audit verify     verify the audit chain
  audit checkpoints export the signed checkpoints
  audit keygen     make an audit signing key
  import           import principals from CSV or Excel
  export           export a category's records for a purpose
  anonymize        k-anonymise a table or the vault's records (anonymised information)
  pseudonymize     make pseudonymised information from the vault's records
  stats            count the vault's records, hiding small cells
  keys init        make the vault's master keys
  keys status      show the key-encryption keys and the data keys on old ones
  keys rotate      add a new key-encryption key and re-wrap the data keys
  keys retire      delete old key-encryption keys no data key uses
  calendar holidays print a year's national holidays
  breach deadlines  print the deadlines of a breach's reports to the PPC
  retention preview show the records whose retention ends
  retention run     erase them and leave a disposal record
  retention event   record the day of a record's ledger event
  migrate          bring the database schema up to date
  backup           make a consistent copy of a SQLite store
  bench read       measure audited reads on a synthetic organisation against the raw database
  bench write      measure creating principals through the API against raw INSERTs
  bench lookup     measure lookups by e-mail against a raw index lookup
  bench import     measure hogo import against raw INSERTs of the same rows
  bench erase      measure erasing principals against raw DELETEs
  bench disclosure measure answering a disclosure request against a raw read of the rows
  bench sweep      measure a retention sweep and the reads' p99 during it against idle
  bench anonymize  measure creating anonymised information against anonymising the same table in memory
  version          print the version

Details: hogo COMMAND --help
`},
	"unknown.command":    {"不明なコマンドです: %s（hogo --help で一覧を表示）", "unknown command %q (hogo --help lists them)"},
	"ledger.ok":          {"%s: 問題はありません（種別 %d、項目 %d）", "%s: valid (%d categories, %d items)"},
	"ledger.invalid":     {"%s: %d 件の問題があります", "%s: %d problems"},
	"ledger.exported":    {"%[1]s に %[2]d 行を出力しました", "wrote %[2]d rows to %[1]s"},
	"user.added":         {"利用者 %s（%s）を追加しました", "added user %s (%s)"},
	"user.password":      {"初期パスワード（この一度だけ表示されます）:", "initial password (shown only this once):"},
	"user.updated":       {"利用者 %s を更新しました", "updated user %s"},
	"user.reset":         {"利用者 %s のパスワードを再設定しました。ログイン中のセッションは終了しました。", "reset the password of %s; their sessions have ended."},
	"token.revoked":      {"API トークン %d を失効させました", "revoked API token %d"},
	"token.created":      {"利用者 %s の API トークンを発行しました。この一度だけ表示されます:", "created an API token for %s; it is shown only this once:"},
	"notice.missing":     {"%s: 公表事項のうち %d 件が台帳にありません", "%s: %d items the notice must publish are missing from the ledger"},
	"notice.complete":    {"%s: 公表事項はすべて台帳にあります", "%s: every item the notice must publish is in the ledger"},
	"audit.pruned":       {"保存期間を過ぎた %d 件は削除済みです（署名付きの起点から検証しました。第 %d 件以降）", "%d entries past their retention were removed (checked from the signed anchor, entry %d on)"},
	"audit.ok":           {"監査ログは正常です: %d 件、チェックポイント %d 件", "audit chain verified: %d entries, %d checkpoints"},
	"audit.bad":          {"監査ログの改ざんを検出しました（エントリ %d、%s）: %s", "audit chain tampered (entry %d, %s): %s"},
	"audit.keygen":       {"署名鍵を %s に作成しました（鍵ID %s）", "wrote a signing key to %s (key id %s)"},
	"audit.cpexported":   {"チェックポイント %d 件を %s に出力しました", "wrote %d checkpoints to %s"},
	"migrate.done":       {"マイグレーションを %d 件適用しました（スキーマ %d）", "applied %d migrations (schema %d)"},
	"retention.line":     {"%s（%s）: 消去対象 %d件、保存の指示 %d件、出来事待ち %d件 — %s", "%s (%s): %d due, %d held, %d waiting for their event — %s"},
	"retention.total":    {"%s 時点: 消去対象 %d件、保存の指示により除外 %d件", "as of %s: %d due, %d held back"},
	"retention.done":     {"%d件の記録を消去しました（本人ごと消去 %d人）。廃棄記録 %s", "erased %d records (%d principals whole); disposal record %s"},
	"breach.known":       {"漏えい等を知った日を --known 2026-11-24 の形で指定してください", "give the day the incident became known as --known 2026-11-24"},
	"breach.date":        {"日付「%s」を読めません。2026-11-24 の形で指定してください", "cannot read the date %q; write it as 2026-11-24"},
	"breach.trigger":     {"報告対象事態を --trigger で指定してください（カンマ区切り）: %s", "give the report triggers with --trigger, joined by commas: %s"},
	"breach.preliminary": {"速報の期限: %s（%s、%d日目）", "preliminary report due: %s (%s, day %d)"},
	"breach.final":       {"確報の期限: %s（%s、%d日目）", "final report due: %s (%s, day %d)"},
	"calendar.year":      {"年「%s」は指定できません。%d〜%d の西暦年を指定してください", "year %q is not one hogo knows; give a year from %d to %d"},
	"keys.init":          {"マスター鍵を %s に作成しました（鍵暗号化鍵 ID %d）。この鍵ファイルを失うと個人情報は復号できません。安全な場所にバックアップしてください。", "wrote the master keys to %s (key-encryption key id %d); without this file the personal data cannot be decrypted: back it up somewhere safe"},
	"keys.status":        {"主鍵 ID %d、古い鍵暗号化鍵 %d 個。本人 %d 人のうち、古い鍵で包まれたデータ鍵 %d 件", "primary key id %d, %d old key-encryption keys; of %d principals, %d data keys are wrapped by an old key"},
	"keys.rotated":       {"%s に新しい鍵暗号化鍵（ID %d）を追加し主鍵にしました。データ鍵を包み直しています…", "added a new key-encryption key (id %[2]d) to %[1]s as primary; re-wrapping the data keys…"},
	"keys.rewrapped":     {"データ鍵 %d 件を包み直しました。", "re-wrapped %d data keys"},
	"keys.behind":        {"次の稼働中のサーバがまだ新しい鍵ファイルを読み込んでいないため、データ鍵の包み直しは行っていません: %s。鍵ファイルを各サーバに届けて読み込まれた（数秒）後、hogo keys rotate --rewrap-only を実行してください", "these running servers have not taken the new key file yet, so no data key was re-wrapped: %s; get the key file to them and, once they have taken it (seconds), run hogo keys rotate --rewrap-only"},
	"keys.retire.behind": {"次の稼働中のサーバがまだ古い鍵暗号化鍵でデータ鍵を包んでいるため、削除できません: %s。サーバが鍵ファイルを読み込む（数秒）か再起動するのを待ち、hogo keys rotate をもう一度実行してから削除してください", "these running servers still wrap data keys with an old key-encryption key: %s; wait for them to take the key file (seconds) or restart them, run hogo keys rotate again, then retire"},
	"keys.retired":       {"古い鍵暗号化鍵 %d 個を削除しました。", "retired %d old key-encryption keys"},
	"import.checked":     {"%s（%s）を確認しました: 取り込める行 %d、不備のある行 %d", "checked %s (%s): %d rows to import, %d bad rows"},
	"import.sep":         {"、", ", "},
	"import.changed":     {"%s は確認の後に変更されました。何も登録していません（途中まで登録した行は消去しました）。もう一度実行してください", "%s changed after it was checked; nothing was imported (rows already written were erased); run the import again"},
	"import.more":        {"ほかに %d 件の不備があります（--skip-invalid で不備のある行をファイルに書き出せます）", "%d more problems not shown (--skip-invalid writes the bad rows to a file)"},
	"import.dry.bad":     {"不備のある行が %d 行あります（--dry-run のため何も登録していません）", "%d rows are bad (nothing imported: --dry-run)"},
	"import.refused":     {"不備のある行が %d 行あるため、何も登録していません。直してからやり直すか、--skip-invalid で正しい行だけを登録してください", "%d rows are bad, so nothing was imported; fix them and run again, or use --skip-invalid to import the rest"},
	"import.rejects":     {"不備のある %d 行を %s に書き出しました（個人情報を含むため、使い終えたら削除してください）", "wrote %d bad rows to %s (it holds personal data: delete it when done)"},
	"import.rolledback":  {"取り込みの途中で失敗したため、登録済みの行をすべて消去しました。", "the import failed part-way, so the rows already imported were erased again"},
	"import.done":        {"%d 人を種別 %s に登録しました", "imported %d principals into category %s"},
	"export.done":        {"%d 件を %s に書き出しました", "exported %d records to %s"},
	"backup.done":        {"バックアップを作成しました: %s", "backup written to %s"},
	"serve.listening":    {"hogo を起動しました: %s", "hogo is running at %s"},
	"serve.console":      {"コンソール: %s/console/", "console: %s/console/"},
	"serve.demo.admin":   {"デモ管理者: 利用者名 %s / パスワード %s （この一度だけ表示されます）", "demo administrator: user %s / password %s (shown only this once)"},
	"serve.demo.user":    {"デモ利用者（%s）: 利用者名 %s / パスワード %s", "demo user (%s): user %s / password %s"},
	"serve.demo.again":   {"デモ組織は作成済みです。管理者 %s のパスワードは初回起動時に表示されました。", "the demo organisation exists; the password of %s was printed at its first start."},
	"serve.stopping":     {"停止しています…", "shutting down…"},
	"error":              {"エラー: %s", "error: %s"},
	"bench.flags":        {"--principals、--duration、--clients は正の値で指定し、--db と --data は同時に指定しないでください", "--principals, --duration and --clients must be positive, and --db and --data cannot be given together"},
	"bench.setup":        {"合成組織を準備しています: デモ組織と求職者 %s 人（%s）…", "preparing the synthetic organisation: the demo organisation and %s job seekers (%s)…"},
	"bench.loading":      {"負荷をかけています: hogo に %[1]s、続いて基準に %[1]s…", "loading: hogo for %[1]s, then the baseline for %[1]s…"},
	"anon.args":          {"余分な引数があります: %s（入力は --input で指定します）", "unexpected arguments: %s (give the input with --input)"},
	"anon.need":          {"%s を指定してください", "%s is required"},
	"anon.k":             {"--k に 1 以上の整数を指定してください（各区分が少なくとも k 行を持つようにします）", "--k needs a whole number of 1 or more (every class will hold at least k rows)"},
	"anon.suppress":      {"--suppress は 0 から 100 までの百分率で指定してください", "--suppress is a percentage from 0 to 100"},
	"anon.both":          {"--input と --category はどちらか一方を指定してください", "give either --input or --category, not both"},
	"anon.vaulthier":     {"--category では一般化の階層は台帳の項目の型から作ります。--hierarchies と --generate は使えません", "with --category the hierarchies come from the ledger's item types: --hierarchies and --generate do not apply"},
	"anon.dataset":       {"作成記録 %s を残し、項目をポータルで公表しました（個人情報保護法第43条第3項）", "recorded the creation as %s and published its item categories on the portal (APPI Art. 43(3))"},
	"pseudo.need":        {"--category、--purpose、--items と -o を指定してください", "--category, --purpose, --items and -o are required"},
	"pseudo.done":        {"仮名加工情報 %s 行を %s に書き、作成記録 %s を残しました（削除情報等は分けて暗号化して保管）", "wrote %s rows of pseudonymised information to %s and recorded the creation as %s (the removed information is sealed apart)"},
	"stats.need":         {"--category、--purpose と --by を指定してください", "--category, --purpose and --by are required"},
	"stats.level":        {"%s: 水準は数字で書いてください（例: birth_date:2）", "%s: write the level as a number (e.g. birth_date:2)"},
	"stats.count":        {"人数", "people"},
	"stats.hidden":       {"（%d人未満のため非表示）", "(hidden: under %d)"},
	"stats.total":        {"合計 %s 人、伏せた区分 %d（%d人未満）", "total %s people, %d cells hidden (under %d)"},
	"anon.head":          {"hogo anonymize — %s、%s 行、準識別子 %d 列、k=%d、抑制の上限 %g%%", "hogo anonymize — %s, %s rows, %d quasi-identifiers, k=%d, suppression up to %g%%"},
	"anon.l":             {"l-多様性: l=%g（%s）、機微な属性 %s", "l-diversity: l=%g (%s), sensitive %s"},
	"anon.t":             {"t-近接性: t=%g、機微な属性 %s", "t-closeness: t=%g, sensitive %s"},
	"anon.gen":           {"選んだ一般化（水準/最上位）: %s", "chosen generalisation (level/top): %s"},
	"anon.unusual":       {"特異な記述（値だけで %d 行未満に絞られる行）: %s — 一般化または抑制で処理済み（規則第34条第4号）", "unusual values (rows whose value alone is shared by fewer than %d): %s — generalised or suppressed (PPC rules Art. 34(iv))"},
	"anon.supp":          {"抑制した行: %s（%s）", "suppressed rows: %s (%s)"},
	"anon.before":        {"処理前のリスク: 最大 %s、平均 %s、一意な行 %s（最小の区分 %s 行、平均 %.1f 行、区分 %s）", "risk before: highest %s, average %s, unique rows %s (smallest class %s, average %.1f, %s classes)"},
	"anon.after":         {"処理後のリスク: 最大 %s、平均 %s、一意な行 %s（最小の区分 %s 行、平均 %.1f 行、区分 %s）", "risk after:  highest %s, average %s, unique rows %s (smallest class %s, average %.1f, %s classes)"},
	"anon.utility":       {"有用性: 情報損失 %.4f、非一様エントロピー %.4f ビット/セル、識別度 %.0f", "utility: loss %.4f, non-uniform entropy %.4f bits/cell, discernibility %.0f"},
	"anon.search":        {"探索: %.1f ms、%s / %s 節点を検査（指標 %s）", "search: %.1f ms, %s of %s nodes checked (metric %s)"},
	"anon.wrote":         {"%s に %s 行を書きました", "wrote %s: %s rows"},
	"bench.head":         {"hogo bench %s — %s、本人 %s 人、クライアント %d、各 %g 秒（準備 %.1f 秒）", "hogo bench %s — %s, %s principals, %d clients, %g s each (setup %.1f s)"},
	"bench.line":         {"%s: %s 件/秒 p50 %.2f ms p99 %.2f ms（基準 %s 件/秒 p50 %.2f ms p99 %.2f ms、比 %.2f）", "%s: %s req/s p50 %.2f ms p99 %.2f ms (baseline %s req/s p50 %.2f ms p99 %.2f ms, ratio %.2f)"},
	"bench.read":         {"監査付き読み取り", "audited read"},
	"bench.write":        {"監査付き登録", "audited create"},
	"bench.lookup":       {"監査付きメールアドレス検索", "audited lookup by e-mail"},
	"bench.base.read":    {"基準: 同じ行を素のハンドラで読む（トークン・利用目的の判定・復号・監査なし）", "baseline: the same row read by a bare handler (no token, purpose decision, decryption or audit)"},
	"bench.base.write":   {"基準: 同じ本文を素のハンドラで受け、本人と記録の行を平文のまま 1 件ずつのトランザクションで INSERT（検査・暗号化・ブラインドインデックス・監査なし）", "baseline: the same body taken by a bare handler and INSERTed as a principal row and a record row in plain JSON, one transaction each (no check, encryption, blind index or audit)"},
	"bench.nodes":        {"--nodes は 1 以上で指定し、2 以上は --db（PostgreSQL）と共に指定してください", "--nodes must be at least 1, and above 1 needs --db (PostgreSQL)"},
	"bench.nodes.line":   {"サーバ %d 台（同じスキーマ）に順に振り分け。基準は素のハンドラ 1 つ", "spread round-robin over %d server nodes on the same schema; the baseline is one bare handler"},
	"bench.job.flags":    {"--principals は正の値（erase は 2 以上）、--records は 5 以上、--duration は正の値で指定してください", "--principals must be positive (at least 2 for erase), --records at least 5 and --duration positive"},
	"bench.job.head":     {"hogo bench %s — %s、本人 %s 人（準備 %.1f 秒）", "hogo bench %s — %s, %s principals (setup %.1f s)"},
	"bench.import.line":  {"hogo import: %s 行を %.2f 秒、%s 行/秒（基準 %.2f 秒、%s 行/秒、比 %.2f）", "hogo import: %s rows in %.2f s, %s rows/s (baseline %.2f s, %s rows/s, ratio %.2f)"},
	"bench.erase.line":   {"監査付き消去: 本人 %s 人を %.2f 秒、%s 人/秒（基準 %.2f 秒、%s 人/秒、比 %.2f）", "audited erasure: %s principals in %.2f s, %s/s (baseline %.2f s, %s/s, ratio %.2f)"},
	"bench.disclosure.line": {"開示請求への回答（記録 %s 件）: %.2f 秒（%d 回の中央値、アーカイブ %.1f MB。基準 %.4f 秒、比 %.4f）",
		"answering a disclosure request (%s records): %.2f s (median of %d, archive %.1f MB; baseline %.4f s, ratio %.4f)"},
	"bench.sweep.line": {"記録 %s 件のスイープ: %.2f 秒、記録 %s 件（本人 %s 人）を消去。その間の読み取り p50 %.2f ms p99 %.2f ms（基準の平常時 p50 %.2f ms p99 %.2f ms、p99 は %.1f 倍）",
		"sweep of %s records: %.2f s, %s records (%s principals) erased; reads during it p50 %.2f ms p99 %.2f ms (idle baseline p50 %.2f ms p99 %.2f ms, p99 %.1f×)"},
	"bench.base.import":     {"基準: 同じ Shift_JIS の CSV を読み、本人と記録の行を平文の JSON のまま同じ件数ずつのトランザクションで INSERT（検査・暗号化・ブラインドインデックス・監査なし）", "baseline: the same Shift_JIS CSV read and INSERTed as principal and record rows in plain JSON, as many rows a transaction (no check, encryption, blind index or audit)"},
	"bench.base.erase":      {"基準: 同じ人数の別の本人の記録と本人の行を 10,000 人ずつのトランザクションで DELETE（判定・鍵の破棄・ブラインドインデックス・消去記録・監査なし）", "baseline: as many other principals' record and principal rows DELETEd, 10,000 a transaction (no decision, key destruction, blind index, tombstone or audit)"},
	"bench.base.disclosure": {"基準: 同じ本人の封印された行をストアから読む（復号・書類作成・監査・メールなし）", "baseline: the same principal's sealed rows read from the store (no decryption, documents, audit or mail)"},
	"bench.anonymize.line":  {"匿名加工情報の作成: %s 行を %.2f 秒、%s 行/秒、%d 行を抑制（基準 %.2f 秒、%s 行/秒、比 %.2f）", "anonymised information created: %s rows in %.2f s, %s rows/s, %d left out (baseline %.2f s, %s rows/s, ratio %.2f)"},
	"bench.base.anonymize":  {"基準: 同じ表を同じ階層で、メモリ上で匿名化して書き出す（API・監査付きの読み取りと復号・封印・保存なし）", "baseline: the same table anonymised in memory with the same hierarchies and written out (no API, audited read and decryption, sealing or storing)"},
	"bench.base.sweep":      {"基準: 同じ読み取り（4 クライアント、5 ms 間隔）をスイープの前に平常時として測る", "baseline: the same reads (4 clients, 5 ms apart) measured idle before the sweep"},
	"bench.base.lookup":     {"基準: 同じブラインドインデックスで索引を引き、封印された行を素のハンドラで読む（トークン・判定・復号・監査なし）", "baseline: the same blind index probed and the sealed rows read by a bare handler (no token, decision, decryption or audit)"},
}

func detectLang(args []string) string {
	for i, a := range args {
		if a == "--lang" && i+1 < len(args) {
			return normLang(args[i+1])
		}
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			return normLang(v)
		}
	}
	if v := os.Getenv("HOGO_LANG"); v != "" {
		return normLang(v)
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return normLang(v)
		}
	}
	return "en"
}

func normLang(v string) string {
	if strings.HasPrefix(strings.ToLower(v), "ja") {
		return "ja"
	}
	return "en"
}

type printer struct{ lang string }

func (p printer) msg(key string, args ...any) string {
	m, ok := cliMessages[key]
	if !ok {
		return key
	}
	f := m[1]
	if p.lang == "ja" {
		f = m[0]
	}
	return fmt.Sprintf(f, args...)
}

// flagHelp is the Japanese for each flag description, keyed by the English.
var flagHelp = map[string]string{
	"items to count by, each with its level after a colon, comma-separated":                                         "集計の軸にする項目（コロンの後に水準。カンマ区切り）",
	"a number item to sum and average in each cell":                                                                 "区分ごとに合計と平均を出す数値の項目",
	"the items to keep, comma-separated":                                                                            "残す項目（カンマ区切り）",
	"the use, by its number in the ledger's purposes of pseudonymised information (1, 2, …)":                        "利用目的（台帳の仮名加工情報の利用目的の番号: 1、2、…）",
	"the pseudonymised table to write (CSV)":                                                                        "書き出す仮名加工情報の表（CSV）",
	"with --category: the title of the record of the creation":                                                      "--category と共に: 作成記録の表題",
	"read the table from the vault instead: the records of this ledger category (needs --purpose)":                  "表の代わりに保管庫から読む: この台帳の種別の記録（--purpose が必要）",
	"with --category: the declared purpose the records are read for (each read is audited)":                         "--category と共に: 記録を読む利用目的（台帳に定めたもの。読み取りは監査ログに記録）",
	"the table to anonymise (CSV)":                                                                                  "匿名加工する表（CSV）",
	"quasi-identifier columns, comma-separated":                                                                     "準識別子の列（カンマ区切り）",
	"sensitive columns for l-diversity and t-closeness, comma-separated":                                            "l-多様性と t-近接性の対象となる機微な属性の列（カンマ区切り）",
	"every class of quasi-identifier values holds at least k rows":                                                  "準識別子の値が同じ区分が少なくとも k 行を持つようにする",
	"l-diversity: at least l distinct sensitive values per class (0: off)":                                          "l-多様性: 区分ごとに機微な属性の異なる値を少なくとも l 個（0: 使わない）",
	"l-diversity by entropy (at least log l) instead of distinct values":                                            "l-多様性を異なる値の数でなくエントロピー（log l 以上）で判定する",
	"t-closeness: each class's sensitive distribution within t of the table's (0: off)":                             "t-近接性: 区分ごとの機微な属性の分布を表全体の分布から t 以内にする（0: 使わない）",
	"rows that may be left out, in percent of the table":                                                            "除いてよい行（表全体に対する百分率）",
	"directory of hierarchy CSVs: COLUMN.csv or *_hierarchy_COLUMN.csv, each line a value then its generalisations": "一般化階層の CSV を置いたディレクトリ（列名.csv または *_hierarchy_列名.csv。各行に値とその一般化を並べる）",
	"hierarchies made from the values: COL=date|postal_code|address|age|number[:WIDTH], comma-separated":            "値から作る一般化階層: 列=date|postal_code|address|age|number[:幅]（カンマ区切り）",
	"the anonymised table to write (CSV)":                                                                           "書き出す匿名加工後の表（CSV）",
	"what the search minimises: loss or entropy":                                                                    "探索で最小にする指標: loss（情報損失）または entropy（エントロピー）",
	"check every generalisation instead of searching (slower; the same result)":                                     "探索の代わりにすべての一般化を検査する（遅いが結果は同じ）",
	"print the report as JSON":                                                                                      "報告を JSON で出力する",
	"print the English names instead of the official Japanese ones":                                                 "公式の日本語名の代わりに英語名を表示する",
	"ledger category of the rows":                                                                                   "取り込む行の種別（台帳の種別 ID）",
	"acquisition method (a ledger source of the category)":                                                          "取得方法（その種別の台帳上の取得方法 ID）",
	"purpose the import serves":                                                                                     "取り込みの利用目的",
	"header to item mapping: '見出し=item_id,列=-' or @FILE":                                                            "見出しと項目の対応: '見出し=項目ID,列=-' または @ファイル",
	"CSV encoding: utf-8 or shift_jis (default: detect)":                                                            "CSV の文字コード: utf-8 または shift_jis（既定: 自動判定）",
	"worksheet of an .xlsx file (default: the first)":                                                               ".xlsx のシート名（既定: 最初のシート）",
	"check every row and report, import nothing":                                                                    "全行を確認して報告し、何も登録しない",
	"import the valid rows and write the others to a rejects file":                                                  "正しい行だけを登録し、不備のある行を別ファイルに書き出す",
	"rejects file for --skip-invalid (default FILE.rejects.csv)":                                                    "--skip-invalid で不備のある行を書き出すファイル（既定: FILE.rejects.csv）",
	"ledger YAML (default: the one the server stored)":                                                              "台帳 YAML（既定: サーバが保存した台帳）",
	"ledger category":                                                 "台帳の種別 ID",
	"purpose the export serves":                                       "書き出しの利用目的",
	"file to create":                                                  "作成するファイル",
	"csv or xlsx (default: by the file name)":                         "csv または xlsx（既定: ファイル名から判断）",
	"CSV encoding: utf-8 (with BOM) or shift_jis":                     "CSV の文字コード: utf-8（BOM 付き）または shift_jis",
	"role the export is made under (the ledger's access rules apply)": "書き出しを行う役割（台帳のアクセス権限が適用されます）",
	"message language: ja or en (default from the locale)":            "表示言語: ja または en（既定はロケールから）",
	"data directory of the embedded SQLite store (env HOGO_DATA)":     "組み込み SQLite ストアのデータディレクトリ（環境変数 HOGO_DATA）",
	"PostgreSQL URL, postgres://USER@HOST:5432/DB (env HOGO_DB or HOGO_DB_FILE); overrides --data":                              "PostgreSQL の URL（postgres://USER@HOST:5432/DB。環境変数 HOGO_DB または HOGO_DB_FILE）。指定すると --data より優先",
	"vault master key file (env HOGO_KEYS_FILE, or the keys themselves in HOGO_KEYS); default DATA/vault-keys.json with SQLite": "個人情報の保管庫のマスター鍵ファイル（環境変数 HOGO_KEYS_FILE、または鍵そのものを HOGO_KEYS に）。SQLite では既定で DATA/vault-keys.json",
	"audit signing key file (env HOGO_AUDIT_KEY_FILE); default DATA/audit-signing.key with SQLite":                              "監査ログの署名鍵ファイル（環境変数 HOGO_AUDIT_KEY_FILE）。SQLite では既定で DATA/audit-signing.key",
	"ledger YAML file (env HOGO_LEDGER)":                          "台帳の YAML ファイル（環境変数 HOGO_LEDGER）",
	"xlsx, csv or json":                                           "xlsx、csv または json",
	"output file (- for standard output)":                         "出力ファイル（- で標準出力）",
	"CSV encoding: utf8 (with BOM) or sjis (Shift_JIS)":           "CSV の文字コード: utf8（BOM 付き）または sjis（Shift_JIS）",
	"admin, manager, desk, staff or auditor":                      "admin、manager、desk、staff または auditor",
	"the name shown in the console":                               "コンソールに表示する名前",
	"read the password from standard input":                       "パスワードを標準入力から読む",
	"the day to preview a sweep on (default today)":               "消去対象を確かめる日（既定は今日）",
	"who approved the disposal (recorded in the disposal record)": "消去を承認した者（廃棄記録に残す）",
	"principal ID": "本人ID",
	"record ID":    "記録ID",
	"ledger event ID, e.g. application_closed": "台帳の出来事のID（例: application_closed）",
	"the day it happened, YYYY-MM-DD":          "起きた日（YYYY-MM-DD）",
	"print JSON":                               "JSON で出力する",
	"a label to tell tokens apart":             "トークンを見分けるためのラベル",
	"expire after N days (0: no expiry)":       "N 日後に失効（0 は無期限）",
	"also check against checkpoints exported earlier (hogo audit checkpoints -o FILE), e.g. kept elsewhere": "以前に出力して別の場所に保管したチェックポイント（hogo audit checkpoints -o FILE）とも照合する",
	"print the result as JSON": "結果を JSON で出力する",
	"write a CPU profile of the creation (not of the baseline) to FILE for go tool pprof":                                  "匿名加工情報の作成の間（基準は含まない）の CPU プロファイルを FILE に書く（go tool pprof で読む）",
	"write a CPU profile of hogo's load (server and clients, one process) to FILE for go tool pprof":                       "hogo の負荷の間の CPU プロファイル（サーバとクライアント、同じプロセス）を FILE に書く（go tool pprof で読む）",
	"verify with this public key (PEM, from hogo audit checkpoints) instead of the signing key":                            "署名鍵の代わりにこの公開鍵（PEM。hogo audit checkpoints の出力）で検証する",
	"take a checkpoint of the current head first":                                                                          "先に現在の末尾のチェックポイントを作る",
	"do not add a key: re-wrap the data keys still on an old one (after servers took the key file)":                        "鍵を追加せず、古い鍵で包まれたままのデータ鍵だけを包み直す（サーバが鍵ファイルを読み込んだ後に）",
	"key file to create (mode 0600)":                                                                                       "作成する鍵ファイル（権限 0600）",
	"backup file to create":                                                                                                "作成するバックアップファイル",
	"ledger YAML":                                                                                                          "台帳のYAMLファイル",
	"reverse proxies whose X-Forwarded-For names the client: addresses or CIDRs, comma-separated (env HOGO_TRUSTED_PROXY)": "X-Forwarded-For を信頼するリバースプロキシのアドレスまたはCIDR（カンマ区切り。環境変数 HOGO_TRUSTED_PROXY）",
	"md, html or pdf": "出力形式: md、html、pdf のいずれか",
	"mail relay host:port for codes, answers and complaint receipts (env HOGO_SMTP; login from HOGO_SMTP_USER, HOGO_SMTP_PASSWORD)": "確認コード・回答・苦情の受付通知を送るメール中継サーバー host:port（環境変数 HOGO_SMTP。認証は HOGO_SMTP_USER、HOGO_SMTP_PASSWORD）",
	"none, starttls, starttls-required or tls (env HOGO_SMTP_TLS)":                                                                  "メール送信の暗号化: none、starttls、starttls-required、tls（環境変数 HOGO_SMTP_TLS）",
	"sender address of mails (env HOGO_MAIL_FROM; default the ledger's complaint desk)":                                             "メールの差出人アドレス（環境変数 HOGO_MAIL_FROM。省略時は台帳の苦情・相談窓口）",
	"the portal's public address, for links in mails (env HOGO_PUBLIC_URL)":                                                         "メール内のリンクに使うポータルの公開アドレス（環境変数 HOGO_PUBLIC_URL）",
	"the day the incident became known, YYYY-MM-DD (day 1)":                                                                         "漏えい等を知った日（YYYY-MM-DD、1日目として数える）",
	"report triggers, joined by commas (e.g. special_care,unjust_purpose)":                                                          "報告対象事態（カンマ区切り。例: special_care,unjust_purpose）",
	"target of the preliminary report in days (guidelines: about 3 to 5)":                                                           "速報の目標日数（ガイドラインの目安は3〜5日）",
	"address to listen on (env HOGO_ADDR)":                                                                                          "待ち受けるアドレス（環境変数 HOGO_ADDR）",
	"ledger YAML to load (env HOGO_LEDGER); else the one stored":                                                                    "読み込む台帳の YAML（環境変数 HOGO_LEDGER）。省略時は保存済みの台帳",
	"create a demo organisation on the first start":                                                                                 "初回起動時にデモ組織を作成する",
	"migrate a PostgreSQL schema before serving":                                                                                    "起動前に PostgreSQL のスキーマを更新する",
	"mark cookies Secure (set behind a TLS proxy)":                                                                                  "Cookie に Secure 属性を付ける（TLS のリバースプロキシの後ろで使う）",
	"debug, info, warn or error":                                                                                                    "debug、info、warn または error",
	"new role: admin, manager, desk, staff or auditor":                                                                              "新しい役割: admin、manager、desk、staff または auditor",
	"disable the user":                          "利用者を無効にする",
	"enable the user (also lifts a lockout)":    "利用者を有効にする（ロックも解除）",
	"read the new password from standard input": "新しいパスワードを標準入力から読む",

	// hogo bench
	"job seekers in the synthetic organisation":                                                              "合成組織の求職者の人数",
	"how long each load runs (hogo's, then the baseline's)":                                                  "負荷をかける時間（hogo、続いて基準のそれぞれ）",
	"concurrent HTTP clients, each sending its next request when the last is answered":                       "同時に接続する HTTP クライアントの数（それぞれ応答を受けてから次のリクエストを送る）",
	"PostgreSQL URL, postgres://USER@HOST:5432/DB: run on a schema of its own there, dropped after":          "PostgreSQL の URL（postgres://USER@HOST:5432/DB）。専用のスキーマを作って測り、終了後に削除する",
	"keep the SQLite data set in DIR and reuse it next time (default: a temporary directory, removed after)": "SQLite のデータを DIR に残し、次回に再利用する（既定: 一時ディレクトリに作り、終了後に削除）",
	"server nodes to start on the same PostgreSQL schema (with --db), the load spread over them round-robin": "同じ PostgreSQL スキーマで起動するサーバの台数（--db と共に）。負荷を順に振り分ける",
	"records the principal holds when the disclosure requests are answered":                                  "開示請求に回答する時点で本人が持つ記録の件数",
	"records written straight into the store for the sweep, one principal in twenty of them due":             "スイープのためにストアへ直接書き込む記録の件数（本人の 20 人に 1 人が消去の対象）",
	"how long the reads are measured idle, before the sweep":                                                 "スイープの前に平常時の読み取りを測る時間",
}
