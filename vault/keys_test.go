package vault_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

func newKeys(t testing.TB) *vault.Keys {
	t.Helper()
	k, err := vault.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// reload returns a copy of k read from its key file form, with an empty
// cache, so that unwrapping really happens.
func reload(t testing.TB, k *vault.Keys) *vault.Keys {
	t.Helper()
	data, err := k.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	k2, err := vault.ParseKeys(data)
	if err != nil {
		t.Fatal(err)
	}
	return k2
}

func TestDataKeyRoundTrip(t *testing.T) {
	k := newKeys(t)
	wrapped, dk, err := k.NewDataKey("p-1")
	if err != nil {
		t.Fatal(err)
	}
	ad := []byte("p-1\x00phone")
	ct, err := vault.SealValue(dk, "09012345678", ad)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, []byte("09012345678")) {
		t.Fatal("sealed value contains the plaintext")
	}
	for _, kk := range []*vault.Keys{k, reload(t, k)} {
		dk2, err := kk.OpenDataKey("p-1", wrapped)
		if err != nil {
			t.Fatal(err)
		}
		v, err := vault.OpenValue(dk2, ct, ad)
		if err != nil || v != "09012345678" {
			t.Fatalf("OpenValue = %q, %v", v, err)
		}
		if _, err := vault.OpenValue(dk2, ct, []byte("p-1\x00email")); !errors.Is(err, vault.ErrSealed) {
			t.Fatalf("OpenValue with other associated data: %v, want ErrSealed", err)
		}
	}
	// Another principal's data key does not open the value.
	_, other, err := k.NewDataKey("p-2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vault.OpenValue(other, ct, ad); !errors.Is(err, vault.ErrSealed) {
		t.Fatalf("OpenValue with another data key: %v, want ErrSealed", err)
	}
}

func TestOpenDataKeyRefuses(t *testing.T) {
	k := newKeys(t)
	wrapped, _, err := k.NewDataKey("p-1")
	if err != nil {
		t.Fatal(err)
	}
	// Wrong principal: on the same Keys (whose cache holds p-1's key) and on a fresh copy.
	for _, kk := range []*vault.Keys{k, reload(t, k)} {
		if _, err := kk.OpenDataKey("p-2", wrapped); !errors.Is(err, vault.ErrDataKey) {
			t.Fatalf("wrong principal: %v, want ErrDataKey", err)
		}
		if _, err := kk.OpenDataKey("p-1x", wrapped); !errors.Is(err, vault.ErrDataKey) {
			t.Fatalf("principal with a suffix: %v, want ErrDataKey", err)
		}
	}
	if _, err := newKeys(t).OpenDataKey("p-1", wrapped); !errors.Is(err, vault.ErrDataKey) {
		t.Fatalf("another Keys: %v, want ErrDataKey", err)
	}
	bad := bytes.Clone(wrapped)
	bad[len(bad)-1] ^= 1
	if _, err := reload(t, k).OpenDataKey("p-1", bad); !errors.Is(err, vault.ErrDataKey) {
		t.Fatalf("altered wrapped key: %v, want ErrDataKey", err)
	}
	for _, w := range [][]byte{nil, {}, {1, 2, 3}} {
		if _, err := k.OpenDataKey("p-1", w); !errors.Is(err, vault.ErrDataKey) {
			t.Fatalf("short wrapped key: %v, want ErrDataKey", err)
		}
	}
}

func TestRotateAndRewrap(t *testing.T) {
	k := newKeys(t)
	oldID := k.KEKID()
	wrapped, dk, err := k.NewDataKey("p-1")
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := vault.WrappedKEKID(wrapped); !ok || id != oldID {
		t.Fatalf("WrappedKEKID = %d, %v; want %d", id, ok, oldID)
	}
	ct, err := vault.SealValue(dk, "山田太郎", []byte("ad"))
	if err != nil {
		t.Fatal(err)
	}
	if k.NeedsRewrap(wrapped) {
		t.Fatal("NeedsRewrap before rotation")
	}
	beforeRotation := reload(t, k)
	if err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	newID := k.KEKID()
	if newID == oldID {
		t.Fatal("Rotate kept the primary key ID")
	}
	if !k.NeedsRewrap(wrapped) {
		t.Fatal("NeedsRewrap false for a key under the old KEK")
	}
	fresh := reload(t, k) // the rotated key file, with an empty cache
	if _, err := fresh.OpenDataKey("p-1", wrapped); err != nil {
		t.Fatalf("old wrapped key after rotation: %v", err)
	}
	rewrapped, err := k.Rewrap("p-1", wrapped)
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := vault.WrappedKEKID(rewrapped); !ok || id != newID {
		t.Fatalf("rewrapped under key %d, want the new primary %d", id, newID)
	}
	if k.NeedsRewrap(rewrapped) {
		t.Fatal("NeedsRewrap true after Rewrap")
	}
	dk2, err := reload(t, k).OpenDataKey("p-1", rewrapped)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := vault.OpenValue(dk2, ct, []byte("ad")); err != nil || v != "山田太郎" {
		t.Fatalf("value after Rewrap: %q, %v", v, err)
	}
	if _, err := k.Rewrap("p-2", wrapped); !errors.Is(err, vault.ErrDataKey) {
		t.Fatalf("Rewrap with the wrong principal: %v, want ErrDataKey", err)
	}
	// New data keys are wrapped under the new primary.
	w3, _, err := k.NewDataKey("p-3")
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := vault.WrappedKEKID(w3); id != newID {
		t.Fatalf("new data key wrapped under %d, want %d", id, newID)
	}
	if _, err := reload(t, k).OpenDataKey("p-3", w3); err != nil {
		t.Fatal(err)
	}
	// The key file from before the rotation cannot open it.
	if _, err := beforeRotation.OpenDataKey("p-3", w3); !errors.Is(err, vault.ErrDataKey) {
		t.Fatalf("pre-rotation keys: %v, want ErrDataKey", err)
	}
}

func TestParseKeysRoundTrip(t *testing.T) {
	k := newKeys(t)
	if err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	data, err := k.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(data, &f); err != nil || len(f) != 2 || f["kek"] == nil || f["index"] == nil {
		t.Fatalf("key file is not {kek, index}: %v", err)
	}
	k2, err := vault.ParseKeys(data)
	if err != nil {
		t.Fatal(err)
	}
	if k2.KEKID() != k.KEKID() {
		t.Fatal("primary KEK ID changed")
	}
	if !bytes.Equal(k.BlindIndex(ledger.TypeEmail, "a@example.jp"), k2.BlindIndex(ledger.TypeEmail, "a@example.jp")) {
		t.Fatal("blind index changed")
	}
	data2, err := k2.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, data2) {
		t.Fatal("MarshalJSON(ParseKeys(x)) != x")
	}
	if s := k.String() + k.GoString(); strings.Contains(s, "value") {
		t.Fatalf("String shows key material: %s", s)
	}
}

// keyValues returns the base64 key material in a key file.
func keyValues(t *testing.T, data []byte) []string {
	var f struct {
		KEK, Index struct {
			Key []struct {
				KeyData struct {
					Value string `json:"value"`
				} `json:"keyData"`
			} `json:"key"`
		}
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	var vs []string
	for _, k := range append(f.KEK.Key, f.Index.Key...) {
		vs = append(vs, k.KeyData.Value)
	}
	if len(vs) < 2 {
		t.Fatal("no key material found in the key file")
	}
	return vs
}

func TestParseKeysErrors(t *testing.T) {
	k := newKeys(t)
	data, err := k.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	obj := func(kek, index string) []byte {
		return []byte(`{"kek": ` + kek + `, "index": ` + index + `}`)
	}
	kek, index := string(f["kek"]), string(f["index"])
	corrupt := strings.Replace(kek, `"value": "`, `"value": "AAAA`, 1)
	if corrupt == kek {
		t.Fatal("cannot find the key value to corrupt")
	}
	const secret = "S3CR3TKEYMATERIAL"
	cases := map[string]struct {
		data []byte
		want string
	}{
		"empty":           {nil, "empty"},
		"blank":           {[]byte(" \n"), "empty"},
		"not json":        {[]byte("kek=" + secret), "not valid JSON"},
		"truncated":       {data[:len(data)/2], "restore"},
		"array":           {[]byte(`["` + secret + `"]`), "not a JSON object"},
		"bare value":      {obj(secret, index), "not valid JSON"},
		"no kek":          {[]byte(`{"index": ` + index + `}`), `no "kek"`},
		"null kek":        {obj("null", index), `no "kek"`},
		"no index":        {[]byte(`{"kek": ` + kek + `}`), `no "index"`},
		"kek is a string": {obj(`"`+secret+`"`, index), `"kek" entry`},
		"kek not keyset":  {obj(`{"primaryKeyId": "`+secret+`"}`, index), `"kek" entry`},
		"empty kek":       {obj(`{"primaryKeyId": 1, "key": []}`, index), `"kek"`},
		"swapped":         {obj(index, kek), `"kek" keyset holds a key that is not AES-GCM`},
		"index is aead":   {obj(kek, kek), `"index" keyset holds a key that is not HMAC-PRF`},
		"corrupt key":     {obj(corrupt, index), `"kek"`},
		"unknown field":   {[]byte(`{"kek": ` + kek + `, "index": ` + index + `, "x": "` + secret + `"}`), "other than"},
		"trailing":        {append(bytes.Clone(data), `{"x": "`+secret+`"}`...), "after its JSON object"},
	}
	values := keyValues(t, data)
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := vault.ParseKeys(c.data)
			if err == nil {
				t.Fatal("ParseKeys accepted it")
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) {
				t.Errorf("error %q does not say %q", msg, c.want)
			}
			if !strings.Contains(msg, "restore") {
				t.Errorf("error %q does not say how to fix it", msg)
			}
			if strings.Contains(msg, secret) || strings.Contains(msg, "S3CR") {
				t.Errorf("error %q echoes the file", msg)
			}
			for _, v := range values {
				for i := 0; i+8 <= len(v); i++ {
					if strings.Contains(msg, v[i:i+8]) {
						t.Fatalf("error %q contains key material", msg)
					}
				}
			}
		})
	}
}

func TestLoadOrCreateKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "vault-keys.json")
	k1, created, err := vault.LoadOrCreateKeys(path)
	if err != nil || !created {
		t.Fatalf("first call: created=%v, %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
	wrapped, _, err := k1.NewDataKey("p-1")
	if err != nil {
		t.Fatal(err)
	}
	k2, created, err := vault.LoadOrCreateKeys(path)
	if err != nil || created {
		t.Fatalf("second call: created=%v, %v", created, err)
	}
	if _, err := k2.OpenDataKey("p-1", wrapped); err != nil {
		t.Fatalf("second load cannot open the first's data key: %v", err)
	}
	if !bytes.Equal(k1.BlindIndex(ledger.TypePhone, "09012345678"), k2.BlindIndex(ledger.TypePhone, "09012345678")) {
		t.Fatal("second load gives other blind indexes")
	}

	// Rotation saved with WriteFile survives a reload.
	if err := k2.Rotate(); err != nil {
		t.Fatal(err)
	}
	if err := k2.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	w2, _, err := k2.NewDataKey("p-2")
	if err != nil {
		t.Fatal(err)
	}
	k3, created, err := vault.LoadOrCreateKeys(path)
	if err != nil || created {
		t.Fatalf("after WriteFile: created=%v, %v", created, err)
	}
	if k3.KEKID() != k2.KEKID() {
		t.Fatal("rotated primary not saved")
	}
	if _, err := k3.OpenDataKey("p-1", wrapped); err != nil {
		t.Fatal(err)
	}
	if _, err := k3.OpenDataKey("p-2", w2); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode after WriteFile %v, want 0600", fi.Mode().Perm())
	}

	// A damaged file is an error, never replaced by new keys.
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := vault.LoadOrCreateKeys(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("damaged file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "{" {
		t.Fatal("damaged key file was replaced")
	}
}

func TestBlindIndex(t *testing.T) {
	k := newKeys(t)
	bi := func(typ ledger.ItemType, v string) string { return string(k.BlindIndex(typ, v)) }
	if n := len(k.BlindIndex(ledger.TypePhone, "09012345678")); n != 16 || vault.BlindIndexSize != 16 {
		t.Fatalf("index is %d bytes, want 16", n)
	}
	same := []struct {
		typ  ledger.ItemType
		a, b string
	}{
		{ledger.TypePhone, "０９０-１２３４-５６７８", "09012345678"},
		{ledger.TypePhone, "+81 90-1234-5678", "09012345678"},
		{ledger.TypeKana, "ヤマダ タロウ", "やまだ　たろう"},
		{ledger.TypeKana, "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ"},
		{ledger.TypeEmail, "Taro@Example.JP", "taro@example.jp"},
		{ledger.TypePostalCode, "〒１００－０００１", "100-0001"},
	}
	for _, c := range same {
		if bi(c.typ, c.a) != bi(c.typ, c.b) {
			t.Errorf("%s: %q and %q have different indexes", c.typ, c.a, c.b)
		}
	}
	if bi(ledger.TypePhone, "09012345678") == bi(ledger.TypePhone, "09012345679") {
		t.Error("different phones, same index")
	}
	seen := map[string]ledger.ItemType{}
	for _, typ := range ledger.ItemTypes {
		x := bi(typ, "09012345678")
		if prev, ok := seen[x]; ok {
			t.Errorf("types %s and %s give the same index", prev, typ)
		}
		seen[x] = typ
	}
	if bi(ledger.TypePhone, "09012345678") == string(newKeys(t).BlindIndex(ledger.TypePhone, "09012345678")) {
		t.Error("another Keys gives the same index")
	}
}

func TestDataKeyCache(t *testing.T) {
	if vault.DefaultCacheSize != 10000 {
		t.Fatalf("DefaultCacheSize = %d", vault.DefaultCacheSize)
	}
	k := newKeys(t)
	k.SetCacheSize(3)
	wrapped := map[string][]byte{}
	for i := range 5 {
		id := "p-" + strconv.Itoa(i)
		w, _, err := k.NewDataKey(id)
		if err != nil {
			t.Fatal(err)
		}
		wrapped[id] = w
		if n := k.CachedKeys(); n > 3 {
			t.Fatalf("cache holds %d keys, bound is 3", n)
		}
	}
	if n := k.CachedKeys(); n != 3 {
		t.Fatalf("cache holds %d keys, want 3", n)
	}
	open := func(id string) any {
		dk, err := k.OpenDataKey(id, wrapped[id])
		if err != nil {
			t.Fatal(err)
		}
		return dk
	}
	// A cached key comes back as the same AEAD; an evicted one is unwrapped again.
	a := open("p-4")
	if open("p-4") != a {
		t.Fatal("p-4 not cached")
	}
	open("p-2")           // recently used: p-2, p-4, p-3
	open("p-0")           // evicted earlier: unwrapped, evicts p-3
	if open("p-4") != a { // p-4 was used more recently than p-3
		t.Fatal("least recently used order not kept")
	}
	if n := k.CachedKeys(); n != 3 {
		t.Fatalf("cache holds %d keys, want 3", n)
	}

	// Forget drops the key; it can be unwrapped again (when its wrapped key
	// still exists), as a new AEAD.
	k.Forget("p-4")
	if n := k.CachedKeys(); n != 2 {
		t.Fatalf("after Forget the cache holds %d keys, want 2", n)
	}
	b := open("p-4")
	if b == a {
		t.Fatal("Forget kept the AEAD")
	}
	if open("p-4") != b {
		t.Fatal("re-unwrapped key not cached")
	}
	// Every wrapped form of a principal's key (after Rewrap) is forgotten.
	if err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	rw, err := k.Rewrap("p-4", wrapped["p-4"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.OpenDataKey("p-4", rw); err != nil {
		t.Fatal(err)
	}
	before := k.CachedKeys()
	k.Forget("p-4")
	if n := k.CachedKeys(); n != before-2 {
		t.Fatalf("Forget left %d of %d keys, want %d", n, before, before-2)
	}
	k.SetCacheSize(1)
	if n := k.CachedKeys(); n != 1 {
		t.Fatalf("after SetCacheSize(1) the cache holds %d", n)
	}
}

func BenchmarkNewDataKey(b *testing.B) {
	k := newKeys(b)
	for b.Loop() {
		if _, _, err := k.NewDataKey("p-1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenDataKeyCold(b *testing.B) {
	k := newKeys(b)
	w, _, err := k.NewDataKey("p-1")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		k.Forget("p-1")
		if _, err := k.OpenDataKey("p-1", w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenDataKeyCached(b *testing.B) {
	k := newKeys(b)
	w, _, err := k.NewDataKey("p-1")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := k.OpenDataKey("p-1", w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndexPhone(b *testing.B) {
	k := newKeys(b)
	for b.Loop() {
		k.BlindIndex(ledger.TypePhone, "090-1234-5678")
	}
}

func BenchmarkSealValue40(b *testing.B) {
	k := newKeys(b)
	_, dk, err := k.NewDataKey("p-1")
	if err != nil {
		b.Fatal(err)
	}
	v := strings.Repeat("x", 40)
	for b.Loop() {
		if _, err := vault.SealValue(dk, v, []byte("p-1\x00item")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenValue40(b *testing.B) {
	k := newKeys(b)
	_, dk, err := k.NewDataKey("p-1")
	if err != nil {
		b.Fatal(err)
	}
	ct, err := vault.SealValue(dk, strings.Repeat("x", 40), []byte("p-1\x00item"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := vault.OpenValue(dk, ct, []byte("p-1\x00item")); err != nil {
			b.Fatal(err)
		}
	}
}
