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
  migrate          データベースのスキーマを更新する
  backup           SQLite ストアの一貫したコピーを作る
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
  migrate          bring the database schema up to date
  backup           make a consistent copy of a SQLite store
  version          print the version

Details: hogo COMMAND --help
`},
	"unknown.command":  {"不明なコマンドです: %s（hogo --help で一覧を表示）", "unknown command %q (hogo --help lists them)"},
	"ledger.ok":        {"%s: 問題はありません（種別 %d、項目 %d）", "%s: valid (%d categories, %d items)"},
	"ledger.invalid":   {"%s: %d 件の問題があります", "%s: %d problems"},
	"ledger.exported":  {"%[1]s に %[2]d 行を出力しました", "wrote %[2]d rows to %[1]s"},
	"user.added":       {"利用者 %s（%s）を追加しました", "added user %s (%s)"},
	"user.password":    {"初期パスワード（この一度だけ表示されます）:", "initial password (shown only this once):"},
	"user.updated":     {"利用者 %s を更新しました", "updated user %s"},
	"user.reset":       {"利用者 %s のパスワードを再設定しました。ログイン中のセッションは終了しました。", "reset the password of %s; their sessions have ended."},
	"token.revoked":    {"API トークン %d を失効させました", "revoked API token %d"},
	"token.created":    {"利用者 %s の API トークンを発行しました。この一度だけ表示されます:", "created an API token for %s; it is shown only this once:"},
	"audit.ok":         {"監査ログは正常です: %d 件、チェックポイント %d 件", "audit chain verified: %d entries, %d checkpoints"},
	"audit.bad":        {"監査ログの改ざんを検出しました（エントリ %d、%s）: %s", "audit chain tampered (entry %d, %s): %s"},
	"audit.keygen":     {"署名鍵を %s に作成しました（鍵ID %s）", "wrote a signing key to %s (key id %s)"},
	"audit.cpexported": {"チェックポイント %d 件を %s に出力しました", "wrote %d checkpoints to %s"},
	"migrate.done":     {"マイグレーションを %d 件適用しました（スキーマ %d）", "applied %d migrations (schema %d)"},
	"backup.done":      {"バックアップを作成しました: %s", "backup written to %s"},
	"serve.listening":  {"hogo を起動しました: %s", "hogo is running at %s"},
	"serve.console":    {"コンソール: %s/console/", "console: %s/console/"},
	"serve.demo.admin": {"デモ管理者: 利用者名 %s / パスワード %s （この一度だけ表示されます）", "demo administrator: user %s / password %s (shown only this once)"},
	"serve.demo.again": {"デモ組織は作成済みです。管理者 %s のパスワードは初回起動時に表示されました。", "the demo organisation exists; the password of %s was printed at its first start."},
	"serve.stopping":   {"停止しています…", "shutting down…"},
	"error":            {"エラー: %s", "error: %s"},
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
