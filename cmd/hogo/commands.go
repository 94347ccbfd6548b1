package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/staff"
)

func cmdVersion(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("version", "使い方: hogo version\nバージョンを表示します。", "Usage: hogo version\nPrints the version.")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.io.out, "hogo", hogo.Version)
	return nil
}

func cmdLedgerCheck(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("ledger check", "使い方: hogo ledger check FILE…\n台帳を検証します。問題があれば FILE:LINE:COL: 内容 を1行ずつ標準エラーに出し、終了コード1で終わります。",
		"Usage: hogo ledger check FILE…\nValidates ledgers. Each problem is one line on stderr, FILE:LINE:COL: message; the exit code is 1 when any ledger has errors.")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return fail(2, "")
	}
	bad := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(e.io.err, "%s:1:1: cannot read the file: %v\n", f, errUnwrapPath(err))
			bad++
			continue
		}
		l, ps := ledger.ParseAndValidate(f, data)
		for _, p := range ps {
			fmt.Fprintln(e.io.err, p.In(e.lang))
		}
		if l == nil {
			bad++
			fmt.Fprintln(e.io.err, e.p.msg("ledger.invalid", f, len(ps.Errors())))
			continue
		}
		items := 0
		for _, c := range l.Categories {
			items += len(c.Items)
		}
		fmt.Fprintln(e.io.out, e.p.msg("ledger.ok", f, len(l.Categories), items))
	}
	if bad > 0 {
		return fail(1, "")
	}
	return nil
}

func errUnwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// loadLedgerFile loads and validates a ledger, printing its problems.
func loadLedgerFile(e *env, path string) (*ledger.Ledger, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fail(1, "%s:1:1: cannot read the ledger: %v", path, errUnwrapPath(err))
	}
	l, ps := ledger.ParseAndValidate(path, data)
	if l == nil {
		for _, p := range ps {
			fmt.Fprintln(e.io.err, p.In(e.lang))
		}
		return nil, nil, fail(1, "%s", e.p.msg("ledger.invalid", path, len(ps.Errors())))
	}
	return l, data, nil
}

func cmdLedgerExport(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("ledger export", "使い方: hogo ledger export --ledger FILE --format xlsx|csv|json -o OUT\nJIS Q 15001 の個人情報管理台帳として、種別×項目ごとに1行で出力します。",
		"Usage: hogo ledger export --ledger FILE --format xlsx|csv|json -o OUT\nWrites the ledger as a Privacy Mark auditor expects it (JIS Q 15001 A.3.3.1): one row per category and item.")
	file := fs.String("ledger", envOr("HOGO_LEDGER", ""), "ledger YAML file (env HOGO_LEDGER)")
	format := fs.String("format", "xlsx", "xlsx, csv or json")
	out := fs.String("o", "", "output file (- for standard output)")
	encoding := fs.String("encoding", "utf8", "CSV encoding: utf8 (with BOM) or sjis (Shift_JIS)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *file == "" || *out == "" {
		fs.Usage()
		return fail(2, "--ledger and -o are required")
	}
	l, _, err := loadLedgerFile(e, *file)
	if err != nil {
		return err
	}
	// The ledger is a Japanese document: Japanese unless --lang en is given.
	lang := "ja"
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "lang" {
			lang = normLang(f.Value.String())
		}
	})
	var buf bytes.Buffer
	switch *format {
	case "xlsx":
		err = ledger.WriteXLSX(&buf, l, lang, e.now())
	case "csv":
		enc := ledger.EncodingUTF8
		switch *encoding {
		case "utf8", "utf-8":
		case "sjis", "shift_jis", "cp932":
			enc = ledger.EncodingSJIS
		default:
			return fail(2, "--encoding %q is not known; use utf8 or sjis", *encoding)
		}
		err = ledger.WriteCSV(&buf, l, lang, enc)
	case "json":
		err = ledger.WriteJSON(&buf, l, lang)
	default:
		return fail(2, "--format %q is not known; use xlsx, csv or json", *format)
	}
	if err != nil {
		return fail(1, "%s: %v", *file, err)
	}
	if *out == "-" {
		_, err = e.io.out.Write(buf.Bytes())
		return err
	}
	// Write to a temporary file and rename, so that a failure leaves no
	// half-written export.
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return err
	}
	_, rows := ledger.ExportRows(l, lang)
	fmt.Fprintln(e.io.out, e.p.msg("ledger.exported", *out, len(rows)))
	return nil
}

func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".hogo-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

func cmdUserAdd(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("user add", "使い方: hogo user add NAME --role ROLE [--password-stdin]\n利用者を追加します。パスワードは自動生成して一度だけ表示します（--password-stdin なら標準入力から読みます）。\n役割: admin（システム管理者） manager（個人情報保護管理者） desk（窓口） staff（業務担当） auditor（監査・閲覧のみ）",
		"Usage: hogo user add NAME --role ROLE [--password-stdin]\nAdds a staff user. A password is generated and printed once unless --password-stdin reads one.\nRoles: admin, manager (protection manager), desk, staff, auditor (read-only)")
	role := fs.String("role", "", "admin, manager, desk, staff or auditor")
	display := fs.String("display-name", "", "the name shown in the console")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input")
	sf := addStoreFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *role == "" {
		fs.Usage()
		return fail(2, "")
	}
	password := ""
	if *stdin {
		if password, err = readPasswordStdin(e.io.in); err != nil {
			return fail(2, "%v", err)
		}
	}
	o, err := openWithAudit(ctx, sf, false)
	if err != nil {
		return err
	}
	defer o.Close()
	svc := staff.New(o.db, o.log)
	u, generated, err := svc.AddUser(ctx, cliActor(), pos[0], *display, hogo.Role(*role), password)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.io.out, e.p.msg("user.added", u.Name, u.Role))
	if generated != "" {
		fmt.Fprintln(e.io.out, e.p.msg("user.password"))
		fmt.Fprintln(e.io.out, generated)
	}
	return nil
}

func cmdUserList(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("user list", "使い方: hogo user list\n利用者の一覧を表示します。", "Usage: hogo user list\nLists the staff users.")
	sf := addStoreFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := openStore(ctx, sf, false)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	now := e.now()
	if *asJSON {
		type u struct {
			Name     string    `json:"name"`
			Display  string    `json:"display_name,omitempty"`
			Role     hogo.Role `json:"role"`
			Disabled bool      `json:"disabled"`
			Locked   bool      `json:"locked"`
		}
		out := []u{}
		for _, x := range users {
			out = append(out, u{x.Name, x.DisplayName, x.Role, x.Disabled, x.Locked(now)})
		}
		enc := json.NewEncoder(e.io.out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(e.io.out, 0, 4, 2, ' ', 0)
	if e.lang == "ja" {
		fmt.Fprintln(tw, "利用者名\t役割\t状態\t最終ログイン")
	} else {
		fmt.Fprintln(tw, "NAME\tROLE\tSTATUS\tLAST SIGN-IN")
	}
	for _, u := range users {
		status := map[bool]string{false: "active", true: "disabled"}[u.Disabled]
		if !u.Disabled && u.Locked(now) {
			status = "locked"
		}
		last := "-"
		if !u.LastLoginAt.IsZero() {
			last = u.LastLoginAt.In(hogo.Tokyo).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, status, last)
	}
	return tw.Flush()
}

func cmdTokenCreate(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("token create", "使い方: hogo token create NAME [--label LABEL] [--days N]\n利用者 NAME の API トークンを発行し、最後の行に一度だけ表示します。トークンは利用者の役割を持ちます。",
		"Usage: hogo token create NAME [--label LABEL] [--days N]\nCreates an API token for user NAME and prints it once, as the last line. The token carries the user's role.")
	label := fs.String("label", "cli", "a label to tell tokens apart")
	days := fs.Int("days", 0, "expire after N days (0: no expiry)")
	sf := addStoreFlags(fs)
	name, err := parseOne(fs, args)
	if err != nil {
		return err
	}
	o, err := openWithAudit(ctx, sf, false)
	if err != nil {
		return err
	}
	defer o.Close()
	svc := staff.New(o.db, o.log)
	secret, _, err := svc.CreateToken(ctx, cliActor(), name, *label, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.io.out, e.p.msg("token.created", name))
	fmt.Fprintln(e.io.out, secret)
	return nil
}

func cmdAuditVerify(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("audit verify", "使い方: hogo audit verify [--checkpoints FILE]\n監査ログ全体の連鎖・署名・チェックポイントを検証します。正常なら件数を表示して終了コード0、改ざんがあれば最初の箇所を示して終了コード1。",
		"Usage: hogo audit verify [--checkpoints FILE]\nVerifies the whole audit chain, its signed head and checkpoints. Exit 0 with the count, or 1 naming the first entry that was changed, removed, inserted or reordered.")
	cpFile := fs.String("checkpoints", "", "also check against checkpoints exported earlier (hogo audit checkpoints -o FILE), e.g. kept elsewhere")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pubFile := fs.String("public-key", "", "verify with this public key (PEM, from hogo audit checkpoints) instead of the signing key")
	sf := addStoreFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := openStore(ctx, sf, false)
	if err != nil {
		return err
	}
	defer db.Close()
	pub, err := verifyKey(ctx, e, sf, *pubFile, db)
	if err != nil {
		return err
	}
	var extra []*hogo.AuditCheckpoint
	if *cpFile != "" {
		data, err := os.ReadFile(*cpFile)
		if err != nil {
			return err
		}
		var f audit.CheckpointFile
		if err := json.Unmarshal(data, &f); err != nil {
			return fail(1, "%s: not a checkpoint file: %v", *cpFile, err)
		}
		// Checkpoints brought from elsewhere are checked against the key
		// they name, which must be the database's.
		if f.KeyID != audit.KeyID(pub) {
			return fail(1, "%s: the checkpoints were signed by key %s, but this database is signed by key %s", *cpFile, f.KeyID, audit.KeyID(pub))
		}
		extra = f.Checkpoints
	}
	start := time.Now()
	res, err := audit.VerifyStore(ctx, db, pub, extra)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if *asJSON {
		out := map[string]any{"ok": res.OK(), "count": res.Count, "checkpoints": res.Checkpoints, "pruned": res.Pruned, "seconds": elapsed.Seconds()}
		if p := res.Problem; p != nil {
			out["problem_seq"], out["problem_kind"], out["problem"] = p.Seq, p.Kind, p.Message
		}
		json.NewEncoder(e.io.out).Encode(out)
	}
	if p := res.Problem; p != nil {
		return fail(1, "%s", e.p.msg("audit.bad", p.Seq, p.Kind, p.Message))
	}
	if !*asJSON {
		fmt.Fprintln(e.io.out, e.p.msg("audit.ok", res.Count, res.Checkpoints))
		if res.Pruned > 0 {
			fmt.Fprintln(e.io.out, e.p.msg("audit.pruned", res.Pruned, res.Pruned+1))
		}
	}
	return nil
}

// verifyKey finds the public key to verify with, creating nothing: the
// --public-key file, else the signing key's public half, else, with a
// warning, the public key the database recorded (which someone who can
// write the database could replace).
func verifyKey(ctx context.Context, e *env, sf storeFlags, pubFile string, db hogo.SettingService) (ed25519.PublicKey, error) {
	if pubFile != "" {
		data, err := os.ReadFile(pubFile)
		if err != nil {
			return nil, err
		}
		pub, err := audit.ParsePublicPEM(data)
		if err != nil {
			return nil, fail(1, "%s: %v", pubFile, err)
		}
		return pub, nil
	}
	url, _ := sf.dbURL()
	path := *sf.auditKey
	if path == "" && url == "" {
		path = filepath.Join(*sf.data, "audit-signing.key")
	}
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			k, err := loadAuditKey(ctx, sf, db)
			if err != nil {
				return nil, err
			}
			return k.Public(), nil
		}
	}
	if os.Getenv("HOGO_AUDIT_KEY") != "" {
		k, err := loadAuditKey(ctx, sf, db)
		if err != nil {
			return nil, err
		}
		return k.Public(), nil
	}
	recorded, err := db.GetSetting(ctx, hogo.SettingAuditPubKey)
	if err != nil {
		return nil, fail(1, "no audit key: give --public-key FILE or --audit-key FILE")
	}
	fmt.Fprintln(e.io.err, "warning: verifying with the public key recorded in the database itself; pass --public-key FILE for a check the database cannot influence")
	return audit.ParsePublicPEM([]byte(recorded))
}

func cmdAuditCheckpoints(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("audit checkpoints", "使い方: hogo audit checkpoints [--now] -o FILE\n署名付きチェックポイントと公開鍵を JSON で出力します。別の場所に保管し、後で hogo audit verify --checkpoints FILE で照合します。",
		"Usage: hogo audit checkpoints [--now] -o FILE\nExports the signed checkpoints and the public key as JSON, to keep elsewhere and check later with hogo audit verify --checkpoints FILE.")
	out := fs.String("o", "-", "output file (- for standard output)")
	now := fs.Bool("now", true, "take a checkpoint of the current head first")
	sf := addStoreFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	o, err := openWithAudit(ctx, sf, false)
	if err != nil {
		return err
	}
	defer o.Close()
	if *now {
		if _, err := o.log.Checkpoint(ctx); err != nil {
			return err
		}
	}
	cps, err := o.db.ListCheckpoints(ctx)
	if err != nil {
		return err
	}
	k := o.log.Key()
	data, _ := json.MarshalIndent(audit.CheckpointFile{PublicKey: string(k.PublicPEM()), KeyID: k.ID(), Checkpoints: cps}, "", "  ")
	data = append(data, '\n')
	if *out == "-" {
		_, err = e.io.out.Write(data)
		return err
	}
	if err := writeFileAtomic(*out, data); err != nil {
		return err
	}
	fmt.Fprintln(e.io.err, e.p.msg("audit.cpexported", len(cps), *out))
	return nil
}

func cmdAuditKeygen(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("audit keygen", "使い方: hogo audit keygen -o FILE\n監査ログの署名鍵（Ed25519）を作ります。PostgreSQL で複数ノードを動かすときは全ノードで同じ鍵を使います。",
		"Usage: hogo audit keygen -o FILE\nMakes an audit signing key (Ed25519). Several nodes on one PostgreSQL share one key.")
	return createKeyFile(fs, args, func(path string) (bool, error) {
		k, created, err := audit.LoadOrCreateKey(path)
		if created {
			fmt.Fprintln(e.io.out, e.p.msg("audit.keygen", path, k.ID()))
		}
		return created, err
	})
}

// createKeyFile parses -o FILE and makes a key file there with create,
// which reports whether it made one: a key file is never overwritten.
func createKeyFile(fs *flag.FlagSet, args []string, create func(path string) (bool, error)) error {
	out := fs.String("o", "", "key file to create (mode 0600)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fail(2, "")
	}
	if _, err := os.Stat(*out); err == nil {
		return fail(1, "%s already exists; a key file is never overwritten", *out)
	}
	created, err := create(*out)
	if err != nil {
		return err
	}
	if !created {
		return fail(1, "%s already exists; a key file is never overwritten", *out)
	}
	return nil
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("migrate", "使い方: hogo migrate [--db URL | --data DIR]\nデータベースのスキーマを最新にします（SQLite は開くときに自動で行います）。",
		"Usage: hogo migrate [--db URL | --data DIR]\nBrings the schema up to date (SQLite does this whenever it is opened).")
	sf := addStoreFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	url, err := sf.dbURL()
	if err != nil {
		return err
	}
	var n, ver int
	if url == "" {
		db, err := sqlite.Open(ctx, *sf.data)
		if err != nil {
			return err
		}
		defer db.Close()
		ver, _, _ = db.SchemaVersion(ctx)
	} else {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			return err
		}
		defer db.Close()
		if n, err = db.Migrate(ctx); err != nil {
			return err
		}
		ver, _, _ = db.SchemaVersion(ctx)
	}
	fmt.Fprintln(e.io.out, e.p.msg("migrate.done", n, ver))
	return nil
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("backup", "使い方: hogo backup -o FILE [--data DIR]\n稼働中でも SQLite ストアの一貫したコピーを作ります。監査署名鍵は含まれないので別途保管してください。",
		"Usage: hogo backup -o FILE [--data DIR]\nWrites a consistent copy of the SQLite store, also while the server runs. The audit signing key is not included: keep it separately.")
	out := fs.String("o", "", "backup file to create")
	sf := addStoreFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fail(2, "")
	}
	if u, _ := sf.dbURL(); u != "" {
		return fail(2, "hogo backup copies the embedded SQLite store; back PostgreSQL up with pg_dump or its continuous archiving")
	}
	o, err := openWithAudit(ctx, sf, false)
	if err != nil {
		return err
	}
	defer o.Close()
	if err := sqlite.Backup(ctx, o.db, *out); err != nil {
		return err
	}
	entry := cliActor().Entry("store.backup")
	entry.Detail = map[string]string{"file": filepath.Base(*out)}
	if err := o.log.Append(ctx, entry); err != nil {
		return err
	}
	fmt.Fprintln(e.io.out, e.p.msg("backup.done", *out))
	return nil
}
