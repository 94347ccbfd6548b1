package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"hogo.example.jp/hogo"
)

// Key is the audit signing key. It signs the chain head at every append and
// the periodic checkpoints. It is kept outside the database (a file or the
// environment), so that someone who can write the database cannot forge the
// end of the chain.
type Key struct {
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
	id   string
}

// NewKey wraps an Ed25519 private key.
func NewKey(priv ed25519.PrivateKey) *Key {
	pub := priv.Public().(ed25519.PublicKey)
	return &Key{priv: priv, pub: pub, id: KeyID(pub)}
}

// GenerateKey makes a new random key.
func GenerateKey() (*Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return NewKey(priv), nil
}

// KeyID is the short identifier of a public key: the hex of the first 8 bytes
// of its SHA-256.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// ID returns the key's identifier.
func (k *Key) ID() string { return k.id }

// Public returns the public key.
func (k *Key) Public() ed25519.PublicKey { return k.pub }

// PublicPEM returns the public key as a PEM block, for publishing.
func (k *Key) PublicPEM() []byte {
	der, _ := x509.MarshalPKIXPublicKey(k.pub)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// MarshalPEM returns the private key as a PKCS#8 PEM block.
func (k *Key) MarshalPEM() []byte {
	der, _ := x509.MarshalPKCS8PrivateKey(k.priv)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// ParseKeyPEM reads a PKCS#8 Ed25519 private key.
func ParseKeyPEM(data []byte) (*Key, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PRIVATE KEY" {
		return nil, errors.New("the audit key is not a PEM \"PRIVATE KEY\" block; generate one with hogo audit keygen")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the audit key cannot be read: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New("the audit key is not an Ed25519 key; generate one with hogo audit keygen")
	}
	return NewKey(priv), nil
}

// ParsePublicPEM reads a PEM public key written by PublicPEM.
func ParsePublicPEM(data []byte) (ed25519.PublicKey, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "PUBLIC KEY" {
		return nil, errors.New("not a PEM \"PUBLIC KEY\" block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, errors.New("not an Ed25519 public key")
	}
	return pub, nil
}

// LoadOrCreateKey reads the key at path, creating it (mode 0600) when the
// file does not exist. created reports whether a new key was made. A new
// key is written to a temporary file, synced, and linked into place, so the
// file is never seen half written and never replaces another process's key.
func LoadOrCreateKey(path string) (k *Key, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		k, err := ParseKeyPEM(data)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return k, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	k, err = GenerateKey()
	if err != nil {
		return nil, false, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, err
	}
	f, err := os.CreateTemp(dir, ".audit-key-*")
	if err != nil {
		return nil, false, err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, false, err
	}
	if _, err := f.Write(k.MarshalPEM()); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := f.Close(); err != nil {
		return nil, false, err
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) { // another process made it first
			return LoadOrCreateKey(path)
		}
		return nil, false, err
	}
	// The directory entry must be on disk before the database records
	// the public key, or a crash could leave a store signed by a lost key.
	if d, err := os.Open(dir); err == nil {
		err = d.Sync()
		d.Close()
		if err != nil {
			return nil, false, err
		}
	}
	return k, true, nil
}

func headMessage(seq int64, hash []byte) []byte {
	m := make([]byte, 0, 32+8+len(hash))
	m = append(m, "hogo audit head v1\n"...)
	m = binary.BigEndian.AppendUint64(m, uint64(seq))
	return append(m, hash...)
}

func checkpointMessage(seq int64, hash []byte, t time.Time) []byte {
	m := make([]byte, 0, 48+len(hash))
	m = append(m, "hogo audit checkpoint v1\n"...)
	m = binary.BigEndian.AppendUint64(m, uint64(seq))
	m = append(m, hash...)
	return binary.BigEndian.AppendUint64(m, uint64(t.UnixNano()))
}

func pruneMessage(seq int64, hash []byte, t, before time.Time) []byte {
	m := make([]byte, 0, 56+len(hash))
	m = append(m, "hogo audit prune v1\n"...)
	m = binary.BigEndian.AppendUint64(m, uint64(seq))
	m = append(m, hash...)
	m = binary.BigEndian.AppendUint64(m, uint64(t.UnixNano()))
	return binary.BigEndian.AppendUint64(m, uint64(before.UnixNano()))
}

// SignPrune returns the signed anchor of a prune ending at entry seq,
// whose hash is hash, made at t for the cut-off before. Its message
// differs from a checkpoint's, so a checkpoint cannot pass for one.
func (k *Key) SignPrune(seq int64, hash []byte, t, before time.Time) *hogo.AuditPrune {
	t, before = t.UTC().Truncate(time.Microsecond), before.UTC().Truncate(time.Microsecond)
	return &hogo.AuditPrune{Seq: seq, Hash: hash, Time: t, Before: before, KeyID: k.id,
		Signature: ed25519.Sign(k.priv, pruneMessage(seq, hash, t, before))}
}

// VerifyPrune checks a prune anchor's signature.
func VerifyPrune(pub ed25519.PublicKey, p *hogo.AuditPrune) bool {
	return len(p.Signature) == ed25519.SignatureSize && ed25519.Verify(pub, pruneMessage(p.Seq, p.Hash, p.Time, p.Before), p.Signature)
}

// SignHead signs a chain head.
func (k *Key) SignHead(h hogo.AuditHead) []byte {
	return ed25519.Sign(k.priv, headMessage(h.Seq, h.Hash))
}

// VerifyHead checks a head's signature.
func VerifyHead(pub ed25519.PublicKey, h hogo.AuditHead) bool {
	return len(h.Signature) == ed25519.SignatureSize && ed25519.Verify(pub, headMessage(h.Seq, h.Hash), h.Signature)
}

// SignCheckpoint returns a signed checkpoint of head at time t.
func (k *Key) SignCheckpoint(h hogo.AuditHead, t time.Time) *hogo.AuditCheckpoint {
	t = t.UTC().Truncate(time.Microsecond)
	return &hogo.AuditCheckpoint{
		Seq: h.Seq, Hash: h.Hash, Time: t, KeyID: k.id,
		Signature: ed25519.Sign(k.priv, checkpointMessage(h.Seq, h.Hash, t)),
	}
}

// VerifyCheckpoint checks a checkpoint's signature.
func VerifyCheckpoint(pub ed25519.PublicKey, c *hogo.AuditCheckpoint) bool {
	return len(c.Signature) == ed25519.SignatureSize &&
		ed25519.Verify(pub, checkpointMessage(c.Seq, c.Hash, c.Time), c.Signature)
}

// CheckpointFile is the exported form of the checkpoints: the public key
// (PEM) and every signed checkpoint, so that the chain can be verified
// elsewhere, by someone who does not trust the database.
type CheckpointFile struct {
	PublicKey   string                  `json:"public_key"`
	KeyID       string                  `json:"key_id"`
	Checkpoints []*hogo.AuditCheckpoint `json:"checkpoints"`
}

// SignDocument signs a document the company issues (the manifest of an
// electronic disclosure), so that its recipient can check it against the
// published public key.
func (k *Key) SignDocument(data []byte) []byte { return ed25519.Sign(k.priv, data) }
