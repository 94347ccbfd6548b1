package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// withVault is a store with its audit log and the vault over them.
type withVault struct {
	*opened
	vault    *vault.Service
	keys     *vault.Keys
	keysPath string
	ledger   *ledger.Ledger
}

// openVault opens the store, its audit log, the master keys and the ledger
// stored by the server (or the file given), for commands that handle
// personal data.
func openVault(ctx context.Context, sf storeFlags, ledgerFile string) (*withVault, error) {
	o, err := openWithAudit(ctx, sf, false)
	if err != nil {
		return nil, err
	}
	keys, path, err := loadKeys(ctx, sf, o.db)
	if err != nil {
		o.Close()
		return nil, err
	}
	var data []byte
	name := ledgerFile
	if ledgerFile != "" {
		if data, err = os.ReadFile(ledgerFile); err != nil {
			o.Close()
			return nil, err
		}
	} else {
		y, err := o.db.GetSetting(ctx, hogo.SettingLedgerYAML)
		if err != nil {
			o.Close()
			if hogo.ErrorCode(err) == hogo.ENOTFOUND {
				return nil, fail(1, "no ledger is stored yet: start the server once with --ledger FILE (or --demo), or pass --ledger FILE")
			}
			return nil, err
		}
		data, name = []byte(y), "stored ledger"
	}
	l, ps := ledger.ParseAndValidate(name, data)
	if l == nil {
		o.Close()
		return nil, fail(1, "%s", ps.Errors().Error())
	}
	digest := ledger.Digest(data)
	v := vault.NewService(o.db, o.log, keys, func() (*ledger.Ledger, string) { return l, digest })
	return &withVault{opened: o, vault: v, keys: keys, keysPath: path, ledger: l}, nil
}

// RotateAdoptWait bounds how long "hogo keys rotate" waits for running
// servers to take the new key file before it re-wraps.
var RotateAdoptWait = 3*KeyFileCheck + 2*NodeHeartbeat

// nodesBehind names the running servers that wrap with a KEK other than kek.
func nodesBehind(ctx context.Context, store hogo.SettingService, kek uint32) ([]string, error) {
	nodes, err := liveNodes(ctx, store)
	if err != nil {
		return nil, err
	}
	var behind []string
	for n, k := range nodes {
		if k != kek {
			behind = append(behind, n)
		}
	}
	sort.Strings(behind)
	return behind, nil
}

func cmdKeysInit(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("keys init", "使い方: hogo keys init -o FILE\n個人情報の保管庫のマスター鍵（鍵暗号化鍵とブラインドインデックス鍵）を作ります。PostgreSQL で複数ノードを動かすときは全ノードで同じ鍵ファイルを使います。",
		"Usage: hogo keys init -o FILE\nMakes the vault's master keys (the key-encryption key and the blind-index key). Several nodes on one PostgreSQL share one key file.")
	return createKeyFile(fs, args, func(path string) (bool, error) {
		k, created, err := vault.LoadOrCreateKeys(path)
		if created {
			fmt.Fprintln(e.io.out, e.p.msg("keys.init", path, k.KEKID()))
		}
		return created, err
	})
}

// openKeys opens the store with its audit log, the master keys and a vault
// over them without a ledger (the key commands handle keys, not data).
func openKeys(ctx context.Context, sf storeFlags) (*opened, *vault.Keys, string, *vault.Service, error) {
	o, err := openWithAudit(ctx, sf, false)
	if err != nil {
		return nil, nil, "", nil, err
	}
	keys, path, err := loadKeys(ctx, sf, o.db)
	if err != nil {
		o.Close()
		return nil, nil, "", nil, err
	}
	v := vault.NewService(o.db, o.log, keys, func() (*ledger.Ledger, string) { return nil, "" })
	return o, keys, path, v, nil
}

func cmdKeysStatus(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("keys status", "使い方: hogo keys status [--keys FILE]\n鍵暗号化鍵の一覧と、古い鍵で包まれたままのデータ鍵の数を表示します。",
		"Usage: hogo keys status [--keys FILE]\nShows the key-encryption keys and how many data keys are still wrapped by an old one.")
	sf := addStoreFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	o, keys, _, v, err := openKeys(ctx, sf)
	if err != nil {
		return err
	}
	defer o.Close()
	old, err := v.OnOldKEK(ctx)
	if err != nil {
		return err
	}
	total, err := o.db.CountPrincipals(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.io.out, e.p.msg("keys.status", keys.KEKIDs()[0], len(keys.KEKIDs())-1, total, old))
	return nil
}

// cmdKeysRotate adds a new key-encryption key, makes it primary, saves the
// key file and re-wraps every data key, while servers keep running: they
// re-read the key file when it changes. The old KEK stays in the file
// until "hogo keys retire".
func cmdKeysRotate(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("keys rotate", "使い方: hogo keys rotate [--keys FILE]\n新しい鍵暗号化鍵を作って主鍵にし、鍵ファイルを書き換え、すべてのデータ鍵を包み直します。稼働中のサーバは鍵ファイルの変更を読み込むので停止は不要です。古い鍵は hogo keys retire まで残ります。",
		"Usage: hogo keys rotate [--keys FILE]\nAdds a new key-encryption key as primary, rewrites the key file and re-wraps every data key. Running servers pick up the changed key file: no downtime. The old key stays until hogo keys retire.")
	sf := addStoreFlags(fs)
	rewrapOnly := fs.Bool("rewrap-only", false, "do not add a key: re-wrap the data keys still on an old one (after servers took the key file)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	o, keys, path, v, err := openKeys(ctx, sf)
	if err != nil {
		return err
	}
	defer o.Close()
	if path == "" && !*rewrapOnly {
		return fail(1, "the keys come from HOGO_KEYS: rotate a key file instead (--keys FILE), then put its new content into HOGO_KEYS on every node")
	}
	a := cliActor()
	if !*rewrapOnly {
		if err := keys.Rotate(); err != nil {
			return err
		}
		if err := keys.WriteFile(path); err != nil {
			return err
		}
		ent := a.Entry("keys.rotate")
		ent.Detail = map[string]string{"kek": fmt.Sprint(keys.KEKID())}
		if err := o.log.Append(ctx, ent); err != nil {
			return err
		}
		fmt.Fprintln(e.io.out, e.p.msg("keys.rotated", path, keys.KEKID()))
	}
	// Running servers re-read the key file within seconds and report the
	// key they wrap with; re-wrapping starts once they all use the new
	// one, so that none wraps a key with the old one after the last pass.
	deadline := time.Now().Add(RotateAdoptWait)
	var behind []string
	for {
		if behind, err = nodesBehind(ctx, o.db, keys.KEKID()); err != nil {
			return err
		}
		if len(behind) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(behind) > 0 {
		// A server that has not taken the new key file could not open
		// keys re-wrapped under it: re-wrap only once all have.
		return fail(1, "%s", e.p.msg("keys.behind", strings.Join(behind, ", ")))
	}
	total := 0
	for pass := 0; pass < 5; pass++ {
		n, err := v.Rewrap(ctx, a, nil)
		if err != nil {
			return err
		}
		total += n
		old, err := v.OnOldKEK(ctx)
		if err != nil {
			return err
		}
		if old == 0 {
			break
		}
	}
	fmt.Fprintln(e.io.out, e.p.msg("keys.rewrapped", total))
	return nil
}

func cmdKeysRetire(ctx context.Context, e *env, args []string) error {
	fs := e.newFlags("keys retire", "使い方: hogo keys retire [--keys FILE]\n主鍵以外の鍵暗号化鍵を鍵ファイルから削除します。古い鍵で包まれたデータ鍵が残っていれば何もしません。削除後は、それ以前のバックアップに含まれるデータ鍵は復号できなくなります。",
		"Usage: hogo keys retire [--keys FILE]\nDeletes the key-encryption keys other than the primary from the key file; refuses while any data key is still wrapped by one. Afterwards the data keys in older backups can no longer be unwrapped.")
	sf := addStoreFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	o, keys, path, v, err := openKeys(ctx, sf)
	if err != nil {
		return err
	}
	defer o.Close()
	if path == "" {
		return fail(1, "the keys come from HOGO_KEYS: retire keys in a key file (--keys FILE)")
	}
	// A server still wrapping with an old key would make keys that the
	// retirement leaves unreadable.
	behind, err := nodesBehind(ctx, o.db, keys.KEKID())
	if err != nil {
		return err
	}
	if len(behind) > 0 {
		return fail(1, "%s", e.p.msg("keys.retire.behind", strings.Join(behind, ", ")))
	}
	old, err := v.OnOldKEK(ctx)
	if err != nil {
		return err
	}
	if old > 0 {
		return fail(1, "%d data keys are still wrapped by an old key-encryption key; run hogo keys rotate (which re-wraps them) first", old)
	}
	n, err := keys.Retire()
	if err != nil {
		return err
	}
	if err := keys.WriteFile(path); err != nil {
		return err
	}
	ent := cliActor().Entry("keys.retire")
	ent.Detail = map[string]string{"retired": fmt.Sprint(n)}
	if err := o.log.Append(ctx, ent); err != nil {
		return err
	}
	fmt.Fprintln(e.io.out, e.p.msg("keys.retired", n))
	return nil
}
