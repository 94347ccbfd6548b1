package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/vault"
)

type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// exitError carries an exit code through the command functions.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func fail(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

type command struct {
	name string
	run  func(ctx context.Context, env *env, args []string) error
}

// env is what every command gets: its streams, language and clock.
type env struct {
	io   *stdio
	lang string
	p    printer
	now  func() time.Time
}

func commands() []command {
	return []command{
		{"serve", cmdServe},
		{"ledger check", cmdLedgerCheck},
		{"ledger export", cmdLedgerExport},
		{"user add", cmdUserAdd},
		{"user list", cmdUserList},
		{"user set", cmdUserSet},
		{"user password", cmdUserPassword},
		{"token create", cmdTokenCreate},
		{"token list", cmdTokenList},
		{"token revoke", cmdTokenRevoke},
		{"audit verify", cmdAuditVerify},
		{"audit checkpoints", cmdAuditCheckpoints},
		{"audit keygen", cmdAuditKeygen},
		{"import", cmdImport},
		{"export", cmdExport},
		{"keys init", cmdKeysInit},
		{"keys status", cmdKeysStatus},
		{"keys rotate", cmdKeysRotate},
		{"keys retire", cmdKeysRetire},
		{"calendar holidays", cmdCalendarHolidays},
		{"breach deadlines", cmdBreachDeadlines},
		{"anonymize", cmdAnonymize},
		{"pseudonymize", cmdPseudonymize},
		{"stats", cmdStats},
		{"notice render", cmdNoticeRender},
		{"notice check", cmdNoticeCheck},
		{"retention preview", cmdRetentionPreview},
		{"retention run", cmdRetentionRun},
		{"retention event", cmdRetentionEvent},
		{"migrate", cmdMigrate},
		{"backup", cmdBackup},
		{"bench read", cmdBenchRead},
		{"bench write", cmdBenchWrite},
		{"bench lookup", cmdBenchLookup},
		{"bench import", cmdBenchImport},
		{"bench anonymize", cmdBenchAnonymize},
		{"bench erase", cmdBenchErase},
		{"bench disclosure", cmdBenchDisclosure},
		{"bench sweep", cmdBenchSweep},
		{"version", cmdVersion},
	}
}

func run(ctx context.Context, args []string, io *stdio) int {
	lang := detectLang(args)
	e := &env{io: io, lang: lang, p: printer{lang}, now: time.Now}
	// Global --lang before the command.
	for len(args) > 0 && (args[0] == "--lang" || strings.HasPrefix(args[0], "--lang=")) {
		if args[0] == "--lang" && len(args) > 1 {
			args = args[2:]
		} else {
			args = args[1:]
		}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(io.out, e.p.msg("usage"))
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) < len(words) || strings.Join(args[:len(words)], " ") != c.name {
			continue
		}
		err := c.run(ctx, e, args[len(words):])
		if err == nil {
			return 0
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var xe *exitError
		if errors.As(err, &xe) {
			if xe.msg != "" {
				fmt.Fprintln(io.err, xe.msg)
			}
			return xe.code
		}
		// The operator sees the whole message: errors are composed by hogo
		// and carry no personal data.
		msg := err.Error()
		var de *hogo.Error
		if errors.As(err, &de) {
			msg = de.In(e.lang)
		}
		fmt.Fprintln(io.err, e.p.msg("error", msg))
		return 1
	}
	fmt.Fprintln(io.err, e.p.msg("unknown.command", strings.Join(args, " ")))
	return 2
}

// newFlags makes a flag set whose usage says what the command does, in the
// user's language.
func (e *env) newFlags(name, usageJa, usageEn string) *flag.FlagSet {
	fs := flag.NewFlagSet("hogo "+name, flag.ContinueOnError)
	fs.SetOutput(e.io.err)
	fs.Usage = func() {
		u := usageEn
		if e.lang == "ja" {
			u = usageJa
		}
		fmt.Fprintf(e.io.err, "%s\n\n", u)
		printFlags(e.io.err, fs, e.lang)
	}
	fs.String("lang", e.lang, "message language: ja or en (default from the locale)")
	return fs
}

// printFlags lists the flags as flag.PrintDefaults does, with each
// description in lang (flagHelp holds the Japanese).
func printFlags(w io.Writer, fs *flag.FlagSet, lang string) {
	fs.VisitAll(func(f *flag.Flag) {
		usage := f.Usage
		if ja, ok := flagHelp[usage]; ok && lang == "ja" {
			usage = ja
		}
		kind, _ := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if kind != "" {
			line += " " + kind
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			if lang == "ja" {
				def = fmt.Sprintf("（既定値 %q）", f.DefValue)
			} else {
				def = fmt.Sprintf(" (default %q)", f.DefValue)
			}
		}
		fmt.Fprintf(w, "%s\n    \t%s%s\n", line, usage, def)
	})
}

// parse parses flags, allowing them after positional arguments as well.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, flag.ErrHelp
			}
			return nil, fail(2, "")
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseOne parses flags and exactly one positional argument (NAME or ID),
// printing the usage otherwise.
func parseOne(fs *flag.FlagSet, args []string) (string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		fs.Usage()
		return "", fail(2, "")
	}
	return pos[0], nil
}

// storeFlags are the flags of every command that works on a store.
type storeFlags struct {
	data, db, auditKey, keys *string
}

func addStoreFlags(fs *flag.FlagSet) storeFlags {
	return storeFlags{
		data:     fs.String("data", envOr("HOGO_DATA", "./hogo-data"), "data directory of the embedded SQLite store (env HOGO_DATA)"),
		db:       fs.String("db", "", "PostgreSQL URL, postgres://USER@HOST:5432/DB (env HOGO_DB or HOGO_DB_FILE); overrides --data"),
		auditKey: fs.String("audit-key", envOr("HOGO_AUDIT_KEY_FILE", ""), "audit signing key file (env HOGO_AUDIT_KEY_FILE); default DATA/audit-signing.key with SQLite"),
		keys:     fs.String("keys", envOr("HOGO_KEYS_FILE", ""), "vault master key file (env HOGO_KEYS_FILE, or the keys themselves in HOGO_KEYS); default DATA/vault-keys.json with SQLite"),
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// secretFromEnv reads NAME, or the file named by NAME_FILE.
func secretFromEnv(name string) (string, error) {
	if v := os.Getenv(name); v != "" {
		return v, nil
	}
	if f := os.Getenv(name + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return "", nil
}

func (sf storeFlags) dbURL() (string, error) {
	if *sf.db != "" {
		return *sf.db, nil
	}
	return secretFromEnv("HOGO_DB")
}

// openStore opens the store the flags name. SQLite migrates on open;
// PostgreSQL is migrated only when migrate is true, and otherwise must
// already be at this binary's schema.
func openStore(ctx context.Context, sf storeFlags, migrate bool) (*sqlstore.DB, error) {
	url, err := sf.dbURL()
	if err != nil {
		return nil, err
	}
	if url != "" {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			return nil, err
		}
		if migrate {
			if _, err := db.Migrate(ctx); err != nil {
				db.Close()
				return nil, err
			}
		}
		if err := db.CheckSchema(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	return sqlite.Open(ctx, *sf.data)
}

// loadAuditKey finds the audit signing key: the flag or HOGO_AUDIT_KEY_FILE,
// else HOGO_AUDIT_KEY (PEM), else, for SQLite only, DATA/audit-signing.key,
// created on first use. Several PostgreSQL nodes must share one key, so
// there it must be given.
func loadAuditKey(ctx context.Context, sf storeFlags, store hogo.SettingService) (*audit.Key, error) {
	var key *audit.Key
	url, _ := sf.dbURL()
	switch {
	case *sf.auditKey != "":
		data, err := os.ReadFile(*sf.auditKey)
		if err != nil {
			return nil, fmt.Errorf("audit key: %w; make one with hogo audit keygen -o FILE", err)
		}
		if key, err = audit.ParseKeyPEM(data); err != nil {
			return nil, fmt.Errorf("%s: %w", *sf.auditKey, err)
		}
	case os.Getenv("HOGO_AUDIT_KEY") != "":
		k, err := audit.ParseKeyPEM([]byte(os.Getenv("HOGO_AUDIT_KEY")))
		if err != nil {
			return nil, fmt.Errorf("HOGO_AUDIT_KEY: %w", err)
		}
		key = k
	case url == "":
		k, _, err := audit.LoadOrCreateKey(filepath.Join(*sf.data, "audit-signing.key"))
		if err != nil {
			return nil, err
		}
		key = k
	default:
		return nil, errors.New("with PostgreSQL every node needs the same audit signing key: make one with \"hogo audit keygen -o FILE\" and pass --audit-key FILE (or HOGO_AUDIT_KEY_FILE) to every hogo command")
	}
	// The database remembers which key signs it; another key would make
	// every checkpoint look forged.
	pub := string(key.PublicPEM())
	have, err := store.GetSetting(ctx, hogo.SettingAuditPubKey)
	switch {
	case hogo.ErrorCode(err) == hogo.ENOTFOUND:
		if err := store.PutSetting(ctx, hogo.SettingAuditPubKey, pub); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case have != pub:
		old, _ := audit.ParsePublicPEM([]byte(have))
		return nil, fmt.Errorf("the audit signing key (id %s) is not the one this database is signed with (id %s); use the original key file", key.ID(), audit.KeyID(old))
	}
	return key, nil
}

// loadKeys finds the vault's master keys: the flag or HOGO_KEYS_FILE, else
// HOGO_KEYS (the key file's JSON), else, for SQLite only,
// DATA/vault-keys.json, created on first use. It returns the keys and the
// file they came from ("" for the environment). The database remembers a
// check value, so that another key file is refused instead of sealing new
// data with keys that cannot open the old.
func loadKeys(ctx context.Context, sf storeFlags, store hogo.SettingService) (*vault.Keys, string, error) {
	var keys *vault.Keys
	var path string
	url, _ := sf.dbURL()
	switch {
	case *sf.keys != "":
		path = *sf.keys
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, "", fmt.Errorf("vault keys: %w; make a key file with hogo keys init -o FILE", err)
		}
		if keys, err = vault.ParseKeys(data); err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	case os.Getenv("HOGO_KEYS") != "":
		k, err := vault.ParseKeys([]byte(os.Getenv("HOGO_KEYS")))
		if err != nil {
			return nil, "", fmt.Errorf("HOGO_KEYS: %w", err)
		}
		keys = k
	case url == "":
		path = filepath.Join(*sf.data, "vault-keys.json")
		k, _, err := vault.LoadOrCreateKeys(path)
		if err != nil {
			return nil, "", err
		}
		keys = k
	default:
		return nil, "", errors.New("with PostgreSQL every node needs the same vault master keys: make a key file with \"hogo keys init -o FILE\" and pass --keys FILE (or HOGO_KEYS_FILE) to every hogo command")
	}
	check := hex.EncodeToString(keys.BlindIndex(ledger.TypeText, "hogo vault key check"))
	// The first key file a database meets is its own; nodes starting
	// together with different files cannot both win.
	have, err := store.PutSettingIfAbsent(ctx, hogo.SettingVaultKeyCheck, check)
	if err != nil {
		return nil, "", err
	}
	if have != check {
		return nil, "", errors.New("the vault master key file is not the one this database's personal data is sealed with; use the original key file (or its backup)")
	}
	return keys, path, nil
}

// opened is a store with its audit log, for commands that change things.
type opened struct {
	db  *sqlstore.DB
	log *audit.Log
}

func (o *opened) Close() {
	if o.log != nil {
		o.log.Close()
	}
	o.db.Close()
}

func openWithAudit(ctx context.Context, sf storeFlags, migrate bool) (*opened, error) {
	db, err := openStore(ctx, sf, migrate)
	if err != nil {
		return nil, err
	}
	key, err := loadAuditKey(ctx, sf, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &opened{db: db, log: audit.NewLog(db, key)}, nil
}

// cliActor is the operating-system user running a command on the server.
func cliActor() hogo.Actor {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return hogo.CLIActor(name)
}

func readPasswordStdin(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("--password-stdin: no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
