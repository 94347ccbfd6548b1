package vault

import (
	"bytes"
	"container/list"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/aead/aesgcm"
	"github.com/tink-crypto/tink-go/v2/aead/subtle"
	"github.com/tink-crypto/tink-go/v2/insecurecleartextkeyset"
	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/prf"
	"github.com/tink-crypto/tink-go/v2/prf/hmacprf"
	"github.com/tink-crypto/tink-go/v2/tink"

	"hogo.example.jp/hogo/ledger"
)

// Keys is the organisation's master keys: a key-encryption key (KEK, a Tink
// AEAD keyset of AES256-GCM keys) that wraps each principal's data key, and a
// PRF keyset (HMAC-SHA256) for blind indexes. Both live outside the database,
// in one file (JSON: {"kek": <Tink JSON keyset>, "index": <Tink JSON
// keyset>}, mode 0600) or the environment, so that a copy of the database
// alone reveals no value and no index can be recomputed from it.
//
// A principal's values are encrypted with a data key of their own; the
// database holds that key only wrapped by the KEK, bound to the principal's
// ID. Erasing a principal's wrapped data key (and calling Forget) makes every
// copy of their values, backups included, unreadable (crypto-shredding).
//
// Keys is safe for concurrent use.
type Keys struct {
	mu          sync.Mutex               // serialises Rotate
	kek         atomic.Pointer[kekState] // replaced whole by Rotate
	index       *prf.Set
	indexHandle *keyset.Handle

	cache dataKeyCache
}

type kekState struct {
	handle    *keyset.Handle
	aead      tink.AEAD
	primaryID uint32
}

// DefaultCacheSize is the number of unwrapped data keys OpenDataKey keeps by
// default (least recently used first out). A data key with its AEAD takes
// a few kilobytes at most, so the default bound costs tens of megabytes at
// worst.
const DefaultCacheSize = 10000

// ErrDataKey is the error of a wrapped data key that does not unwrap: it
// belongs to another principal, was wrapped by a key-encryption key that is
// not in this key file, or was altered.
var ErrDataKey = errors.New("vault: the data key does not unwrap: it belongs to another principal, " +
	"was wrapped by a key-encryption key this key file does not hold (check that the right key file is used), or was altered")

// ErrSealed is the error of a sealed value that does not open with the data
// key and associated data given.
var ErrSealed = errors.New("vault: the value does not decrypt with this data key: it belongs to another principal or item, or was altered")

// Domain-separation prefixes: the associated data of a wrapped data key and
// of blind-index inputs. Changing them makes every stored key unreadable.
const (
	wrapADPrefix = "hogo vault data key v1\x00"
	// BlindIndexSize is the length of a blind index in bytes.
	BlindIndexSize = 16
)

// GenerateKeys makes new random master keys.
func GenerateKeys() (*Keys, error) {
	kh, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	if err != nil {
		return nil, fmt.Errorf("vault: generating the key-encryption key: %w", err)
	}
	ih, err := keyset.NewHandle(prf.HMACSHA256PRFKeyTemplate())
	if err != nil {
		return nil, fmt.Errorf("vault: generating the blind-index key: %w", err)
	}
	return newKeys(kh, ih)
}

// newKeys checks both keysets and builds their primitives. Its errors are
// fixed texts: nothing of the keysets is ever put into them.
func newKeys(kh, ih *keyset.Handle) (*Keys, error) {
	st, err := newKEKState(kh)
	if err != nil {
		return nil, err
	}
	if ih.Len() == 0 {
		return nil, errors.New(`the "index" keyset has no key; restore the key file from its backup`)
	}
	for i := 0; i < ih.Len(); i++ {
		e, err := ih.Entry(i)
		if err != nil {
			return nil, errors.New(`the "index" keyset cannot be read; restore the key file from its backup`)
		}
		hk, ok := e.Key().(*hmacprf.Key)
		if !ok {
			return nil, errors.New(`the "index" keyset holds a key that is not HMAC-PRF; it must be the HMAC-SHA256 PRF keyset ` +
				`the blind indexes were made with; restore the key file from its backup`)
		}
		p := hk.Parameters().(*hmacprf.Parameters)
		if p.KeySizeInBytes() < 32 || p.HashType() != hmacprf.SHA256 {
			return nil, errors.New(`the "index" keyset holds a key that is not HMAC-SHA256 with a 32-byte key; ` +
				`restore the key file from its backup`)
		}
	}
	if _, err := ih.Primary(); err != nil {
		return nil, errors.New(`the "index" keyset has no primary key; restore the key file from its backup`)
	}
	ps, err := prf.NewPRFSet(ih)
	if err != nil {
		return nil, errors.New(`the "index" keyset cannot be used as a PRF; restore the key file from its backup`)
	}
	if _, err := ps.ComputePrimaryPRF([]byte("hogo"), BlindIndexSize); err != nil {
		return nil, errors.New(`the "index" keyset cannot compute blind indexes; restore the key file from its backup`)
	}
	k := &Keys{index: ps, indexHandle: ih}
	k.kek.Store(st)
	k.cache.init(DefaultCacheSize)
	return k, nil
}

func newKEKState(kh *keyset.Handle) (*kekState, error) {
	if kh.Len() == 0 {
		return nil, errors.New(`the "kek" keyset has no key; restore the key file from its backup`)
	}
	for i := 0; i < kh.Len(); i++ {
		e, err := kh.Entry(i)
		if err != nil {
			return nil, errors.New(`the "kek" keyset cannot be read; restore the key file from its backup`)
		}
		ak, ok := e.Key().(*aesgcm.Key)
		if !ok {
			return nil, errors.New(`the "kek" keyset holds a key that is not AES-GCM; it must be the AES256-GCM keyset ` +
				`the data keys were wrapped with; restore the key file from its backup`)
		}
		p := ak.Parameters().(*aesgcm.Parameters)
		if p.KeySizeInBytes() != 32 || p.Variant() != aesgcm.VariantTink {
			return nil, errors.New(`the "kek" keyset holds a key that is not AES256-GCM with Tink output prefix; ` +
				`restore the key file from its backup`)
		}
	}
	pe, err := kh.Primary()
	if err != nil {
		return nil, errors.New(`the "kek" keyset has no primary key; restore the key file from its backup`)
	}
	a, err := aead.New(kh)
	if err != nil {
		return nil, errors.New(`the "kek" keyset cannot be used as an AEAD; restore the key file from its backup`)
	}
	return &kekState{handle: kh, aead: a, primaryID: pe.KeyID()}, nil
}

// keysFile is the key file's JSON form.
type keysFile struct {
	KEK   json.RawMessage `json:"kek"`
	Index json.RawMessage `json:"index"`
}

// ParseKeys reads master keys written by MarshalJSON. Its errors say what is
// wrong and how to fix it; they never contain any part of the file.
func ParseKeys(data []byte) (*Keys, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the vault key file is empty; restore it from its backup " +
			"(a new key cannot read values stored under the old one)")
	}
	var f keysFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		// encoding/json errors may quote the input: report only where.
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf(`the vault key file is not valid JSON (at byte %d); it must be {"kek": {…}, "index": {…}} `+
				`as written by hogo; restore it from its backup`, se.Offset)
		case errors.As(err, &te):
			return nil, errors.New(`the vault key file is not a JSON object {"kek": {…}, "index": {…}}; ` +
				`restore it from its backup`)
		default:
			return nil, errors.New(`the vault key file is not a JSON object {"kek": {…}, "index": {…}} ` +
				`(it is truncated or has fields other than "kek" and "index"); restore it from its backup`)
		}
	}
	if dec.More() {
		return nil, errors.New(`the vault key file has something after its JSON object; restore it from its backup`)
	}
	if isNull(f.KEK) {
		return nil, errors.New(`the vault key file has no "kek" keyset (the key-encryption key); restore it from its backup`)
	}
	if isNull(f.Index) {
		return nil, errors.New(`the vault key file has no "index" keyset (the blind-index key); restore it from its backup`)
	}
	kh, err := insecurecleartextkeyset.Read(keyset.NewJSONReader(bytes.NewReader(f.KEK)))
	if err != nil {
		return nil, errors.New(`the "kek" entry of the vault key file is not a Tink JSON keyset with its key material; ` +
			`restore the key file from its backup`)
	}
	ih, err := insecurecleartextkeyset.Read(keyset.NewJSONReader(bytes.NewReader(f.Index)))
	if err != nil {
		return nil, errors.New(`the "index" entry of the vault key file is not a Tink JSON keyset with its key material; ` +
			`restore the key file from its backup`)
	}
	k, err := newKeys(kh, ih)
	if err != nil {
		return nil, fmt.Errorf("the vault key file: %w", err)
	}
	return k, nil
}

func isNull(m json.RawMessage) bool {
	m = bytes.TrimSpace(m)
	return len(m) == 0 || string(m) == "null"
}

// MarshalJSON returns the key file: both keysets with their key material,
// in clear. It is for writing the key file only (LoadOrCreateKeys, WriteFile,
// rotation); its output must never reach a log or the database.
func (k *Keys) MarshalJSON() ([]byte, error) {
	var kek, idx bytes.Buffer
	if err := insecurecleartextkeyset.Write(k.kek.Load().handle, keyset.NewJSONWriter(&kek)); err != nil {
		return nil, fmt.Errorf("vault: writing the key-encryption keyset: %w", err)
	}
	if err := insecurecleartextkeyset.Write(k.indexHandle, keyset.NewJSONWriter(&idx)); err != nil {
		return nil, fmt.Errorf("vault: writing the blind-index keyset: %w", err)
	}
	b, err := json.MarshalIndent(keysFile{KEK: kek.Bytes(), Index: idx.Bytes()}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// String describes the keys without their material, so that printing a
// Keys by mistake reveals nothing.
func (k *Keys) String() string {
	st := k.kek.Load()
	return fmt.Sprintf("vault.Keys{kek: %d keys, primary %d}", st.handle.Len(), st.primaryID)
}

// GoString is String, for %#v.
func (k *Keys) GoString() string { return k.String() }

// LoadOrCreateKeys reads the key file at path, creating it (mode 0600) with
// new keys when it does not exist; created reports whether it did. A new
// file is written to a temporary file, synced, linked into place and its
// directory synced, so it is never seen half written and never replaces
// another process's keys. A file that exists but cannot be read is an
// error, never a reason to make new keys.
func LoadOrCreateKeys(path string) (k *Keys, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		k, err := ParseKeys(data)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return k, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	k, err = GenerateKeys()
	if err != nil {
		return nil, false, err
	}
	data, err = k.MarshalJSON()
	if err != nil {
		return nil, false, err
	}
	err = writeKeyFile(path, data, func(tmp, path string) error { return os.Link(tmp, path) })
	if errors.Is(err, fs.ErrExist) { // another process made it first
		return LoadOrCreateKeys(path)
	}
	if err != nil {
		return nil, false, err
	}
	return k, true, nil
}

// WriteFile replaces the key file at path with k (mode 0600), atomically:
// temporary file, sync, rename, directory sync. After Rotate, call it before
// wrapping any data key: a key wrapped by a KEK that was never saved is lost.
func (k *Keys) WriteFile(path string) error {
	data, err := k.MarshalJSON()
	if err != nil {
		return err
	}
	return writeKeyFile(path, data, os.Rename)
}

// writeKeyFile writes data to a synced temporary file beside path, puts it
// in place with place (link or rename), and syncs the directory.
func writeKeyFile(path string, data []byte, place func(tmp, path string) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".vault-keys-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := place(tmp, path); err != nil {
		return err
	}
	// The directory entry must be on disk before any data key wrapped by
	// these keys is stored, or a crash could leave data under a lost key.
	if d, err := os.Open(dir); err == nil {
		err = d.Sync()
		d.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// wrapAD is the associated data binding a wrapped data key to its principal.
func wrapAD(principalID string) []byte {
	ad := make([]byte, 0, len(wrapADPrefix)+len(principalID))
	return append(append(ad, wrapADPrefix...), principalID...)
}

// dataKeyVersion starts every unwrapped data key: the form of what follows
// (version 1: a 32-byte AES-256-GCM key).
const dataKeyVersion = 1

// NewDataKey makes a principal's data key (AES-256-GCM, 12-byte nonce,
// 16-byte tag, through Tink's AEAD) and returns it wrapped by the primary
// KEK, bound to principalID as associated data, with the AEAD to seal the
// principal's values. The wrapped form is a Tink ciphertext: 0x01, the KEK
// key ID (4 bytes, big endian), nonce, the encrypted version byte and key,
// tag.
func (k *Keys) NewDataKey(principalID string) (wrapped []byte, dk tink.AEAD, err error) {
	var raw [1 + 32]byte
	raw[0] = dataKeyVersion
	if _, err := rand.Read(raw[1:]); err != nil {
		return nil, nil, fmt.Errorf("vault: generating a data key: %w", err)
	}
	defer clear(raw[:])
	wrapped, err = k.kek.Load().aead.Encrypt(raw[:], wrapAD(principalID))
	if err != nil {
		return nil, nil, fmt.Errorf("vault: wrapping a data key: %w", err)
	}
	if dk, err = subtle.NewAESGCM(raw[1:]); err != nil {
		return nil, nil, fmt.Errorf("vault: using a data key: %w", err)
	}
	k.cache.put(principalID, wrapped, dk, k.cache.epoch())
	return wrapped, dk, nil
}

// OpenDataKey unwraps a principal's wrapped data key. A wrong principal ID,
// a key wrapped by a KEK this file does not hold, or an altered key fails
// with ErrDataKey. Unwrapped keys are cached (a bounded LRU keyed by
// principal ID and a hash of the wrapped key) so that repeated reads skip
// the unwrapping; Forget drops a principal's.
func (k *Keys) OpenDataKey(principalID string, wrapped []byte) (tink.AEAD, error) {
	if dk := k.cache.get(principalID, wrapped); dk != nil {
		return dk, nil
	}
	epoch := k.cache.epoch()
	pt, err := k.kek.Load().aead.Decrypt(wrapped, wrapAD(principalID))
	if err != nil {
		return nil, ErrDataKey
	}
	defer clear(pt)
	if len(pt) != 33 || pt[0] != dataKeyVersion {
		return nil, ErrDataKey
	}
	dk, err := subtle.NewAESGCM(pt[1:])
	if err != nil {
		return nil, ErrDataKey
	}
	k.cache.put(principalID, wrapped, dk, epoch)
	return dk, nil
}

// Forget drops a principal's unwrapped data keys from the cache, for
// erasure: once their wrapped key is deleted, nothing can open their values.
func (k *Keys) Forget(principalID string) { k.cache.forget(principalID) }

// SetCacheSize bounds the data-key cache to n entries (at least 1), evicting
// the least recently used beyond it.
func (k *Keys) SetCacheSize(n int) { k.cache.resize(n) }

// CachedKeys returns the number of data keys in the cache.
func (k *Keys) CachedKeys() int { return k.cache.len() }

// Rotate adds a new AES256-GCM key to the KEK and makes it primary; the old
// keys stay, to unwrap the data keys they wrapped until Rewrap has moved
// them. The change is in memory only: write the key file (WriteFile) before
// wrapping any data key with the new primary.
func (k *Keys) Rotate() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	m := keyset.NewManagerFromHandle(k.kek.Load().handle)
	id, err := m.Add(aead.AES256GCMKeyTemplate())
	if err != nil {
		return fmt.Errorf("vault: adding a key-encryption key: %w", err)
	}
	if err := m.SetPrimary(id); err != nil {
		return fmt.Errorf("vault: making the new key-encryption key primary: %w", err)
	}
	h, err := m.Handle()
	if err != nil {
		return fmt.Errorf("vault: rotating the key-encryption key: %w", err)
	}
	st, err := newKEKState(h)
	if err != nil {
		return fmt.Errorf("vault: rotating the key-encryption key: %w", err)
	}
	k.kek.Store(st)
	return nil
}

// Rewrap re-wraps a principal's data key under the current primary KEK (for
// the background job that follows a rotation); the data key itself, and so
// every sealed value, is unchanged. Use NeedsRewrap to skip keys already
// under the primary.
func (k *Keys) Rewrap(principalID string, wrapped []byte) ([]byte, error) {
	st := k.kek.Load()
	ad := wrapAD(principalID)
	pt, err := st.aead.Decrypt(wrapped, ad)
	if err != nil {
		return nil, ErrDataKey
	}
	defer clear(pt)
	out, err := st.aead.Encrypt(pt, ad)
	if err != nil {
		return nil, fmt.Errorf("vault: re-wrapping a data key: %w", err)
	}
	return out, nil
}

// KEKID returns the key ID of the primary KEK key.
func (k *Keys) KEKID() uint32 { return k.kek.Load().primaryID }

// WrappedKEKID returns the ID of the KEK key that wrapped a data key, read
// from its Tink prefix.
func WrappedKEKID(wrapped []byte) (uint32, bool) {
	if len(wrapped) < 5 || wrapped[0] != 0x01 {
		return 0, false
	}
	return binary.BigEndian.Uint32(wrapped[1:5]), true
}

// NeedsRewrap reports whether a wrapped data key is not under the primary
// KEK key.
func (k *Keys) NeedsRewrap(wrapped []byte) bool {
	id, ok := WrappedKEKID(wrapped)
	return !ok || id != k.KEKID()
}

// BlindIndex returns the 16-byte keyed index of a value, for lookup without
// decrypting: the primary HMAC-SHA256 PRF over the item type, a 0 byte and
// IndexForm(t, value). Equal identifiers in any typed form (０９０-１２３４-
// ５６７８ and 09012345678, ﾔﾏﾀﾞ and やまだ) match, and values of different
// types never collide. An empty value has an index too; callers should not
// index empty values.
func (k *Keys) BlindIndex(t ledger.ItemType, value string) []byte {
	f := IndexForm(t, value)
	in := make([]byte, 0, len(t)+1+len(f))
	in = append(append(append(in, t...), 0), f...)
	out, err := k.index.ComputePrimaryPRF(in, BlindIndexSize)
	clear(in)
	if err != nil {
		// newKeys computed a PRF of this size with this key: unreachable.
		panic("vault: the blind-index key failed")
	}
	return out
}

// SealValue encrypts a value with a principal's data key; ad binds it to its
// place (e.g. principal ID and item ID), so that it cannot be moved.
func SealValue(dk tink.AEAD, plaintext string, ad []byte) ([]byte, error) {
	ct, err := dk.Encrypt([]byte(plaintext), ad)
	if err != nil {
		return nil, fmt.Errorf("vault: encrypting a value: %w", err)
	}
	return ct, nil
}

// OpenValue decrypts a value sealed by SealValue with the same data key and
// associated data; otherwise it fails with ErrSealed.
func OpenValue(dk tink.AEAD, ciphertext, ad []byte) (string, error) {
	pt, err := dk.Decrypt(ciphertext, ad)
	if err != nil {
		return "", ErrSealed
	}
	return string(pt), nil
}

// dataKeyCache is a bounded LRU of unwrapped data keys, keyed by principal
// ID and the SHA-256 of the wrapped key, with an index by principal for
// Forget.
type dataKeyCache struct {
	mu      sync.Mutex
	max     int
	lru     *list.List // of *cacheEntry, most recent first
	byID    map[string]map[[32]byte]*list.Element
	forgets uint64 // bumped by every Forget
}

type cacheEntry struct {
	principal string
	hash      [32]byte
	dk        tink.AEAD
}

func (c *dataKeyCache) init(max int) {
	c.max = max
	c.lru = list.New()
	c.byID = make(map[string]map[[32]byte]*list.Element)
}

func (c *dataKeyCache) get(principal string, wrapped []byte) tink.AEAD {
	h := sha256.Sum256(wrapped)
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.byID[principal][h]
	if e == nil {
		return nil
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cacheEntry).dk
}

func (c *dataKeyCache) epoch() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.forgets
}

// put adds a key unwrapped when the Forget count was epoch; if a Forget
// happened since, the key is not cached, so that an unwrap racing with an
// erasure cannot bring the key back into the cache.
func (c *dataKeyCache) put(principal string, wrapped []byte, dk tink.AEAD, epoch uint64) {
	h := sha256.Sum256(wrapped)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forgets != epoch {
		return
	}
	m := c.byID[principal]
	if e := m[h]; e != nil {
		c.lru.MoveToFront(e)
		return
	}
	if m == nil {
		m = make(map[[32]byte]*list.Element, 1)
		c.byID[principal] = m
	}
	m[h] = c.lru.PushFront(&cacheEntry{principal: principal, hash: h, dk: dk})
	c.evict()
}

func (c *dataKeyCache) evict() {
	for c.lru.Len() > c.max {
		c.remove(c.lru.Back())
	}
}

func (c *dataKeyCache) remove(e *list.Element) {
	ce := c.lru.Remove(e).(*cacheEntry)
	m := c.byID[ce.principal]
	delete(m, ce.hash)
	if len(m) == 0 {
		delete(c.byID, ce.principal)
	}
}

func (c *dataKeyCache) forget(principal string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgets++
	for _, e := range c.byID[principal] {
		c.lru.Remove(e)
	}
	delete(c.byID, principal)
}

func (c *dataKeyCache) resize(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max(n, 1)
	c.evict()
}

func (c *dataKeyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// BirthNameIndex returns the blind index of a date of birth together with a
// name (lookup by "birth date + name"): the PRF over a label, the date and
// the name in their index forms, so that it never equals the index of either
// alone.
func (k *Keys) BirthNameIndex(birth, name string) []byte {
	b, n := IndexForm(ledger.TypeDate, birth), IndexForm(ledger.TypeText, name)
	in := make([]byte, 0, 16+len(b)+len(n))
	in = append(append(append(append(in, "birth+name\x00"...), b...), 0), n...)
	out, err := k.index.ComputePrimaryPRF(in, BlindIndexSize)
	clear(in)
	if err != nil {
		panic("vault: the blind-index key failed")
	}
	return out
}

// KEKIDs returns the IDs of the KEK's keys, the primary first.
func (k *Keys) KEKIDs() []uint32 {
	st := k.kek.Load()
	ids := []uint32{st.primaryID}
	for i := 0; i < st.handle.Len(); i++ {
		if e, err := st.handle.Entry(i); err == nil && e.KeyID() != st.primaryID {
			ids = append(ids, e.KeyID())
		}
	}
	return ids
}

// Retire deletes the KEK keys other than the primary. Data keys they still
// wrap become unreadable, and so do the copies of every wrapped key in old
// backups: call it only once Rewrap has moved every data key to the primary
// (the caller checks), and write the key file afterwards.
func (k *Keys) Retire() (int, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	st := k.kek.Load()
	m := keyset.NewManagerFromHandle(st.handle)
	n := 0
	for _, id := range k.KEKIDs()[1:] {
		if err := m.Delete(id); err != nil {
			return n, fmt.Errorf("vault: retiring key-encryption key %d: %w", id, err)
		}
		n++
	}
	h, err := m.Handle()
	if err != nil {
		return n, err
	}
	nst, err := newKEKState(h)
	if err != nil {
		return n, err
	}
	k.kek.Store(nst)
	return n, nil
}

// Adopt takes over the KEK of other (a key file re-read after "hogo keys
// rotate" changed it), so that a running server wraps new data keys with
// the new primary and unwraps keys re-wrapped by it. The blind-index key
// must be the same: another would make every lookup miss.
func (k *Keys) Adopt(other *Keys) error {
	probe := "hogo vault key check"
	if string(k.BlindIndex(ledger.TypeText, probe)) != string(other.BlindIndex(ledger.TypeText, probe)) {
		return errors.New("the new key file has another blind-index key; lookups would miss every principal, so it was not adopted")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.kek.Store(other.kek.Load())
	return nil
}
