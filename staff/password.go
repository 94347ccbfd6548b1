// Package staff is staff accounts: argon2id passwords, sign-in with lockout,
// console sessions and API tokens, every change audited. It speaks to storage
// through hogo.UserService and to the audit log through an Auditor.
package staff

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow the OWASP recommendation for argon2id (19 MiB, two
// passes, one lane).
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// maxMemory bounds the memory a stored hash may ask for (1 GiB), so that a
// damaged row cannot make sign-in allocate without limit.
const maxMemory = 1 << 20

// HashPassword returns the PHC string of password under argon2id.
func HashPassword(password string, p Params) (string, error) {
	if p.Time == 0 || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory {
		return "", fmt.Errorf("argon2id parameters out of range: memory %d KiB, time %d, threads %d", p.Memory, p.Time, p.Threads)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("stored password hash is not an argon2id PHC string")

// CheckPassword reports whether password matches the PHC string.
func CheckPassword(phc, password string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, errBadHash
	}
	var p Params
	// argon2.IDKey panics on zero passes or lanes: reject them here.
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Threads == 0 || p.Memory > maxMemory || p.Time > 16 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// passwordAlphabet leaves out characters that are easily confused (0/O,
// 1/l/I) because generated passwords are read off a terminal and typed.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random password of 20 characters (about 116
// bits).
func GeneratePassword() string {
	return randomString(20, passwordAlphabet)
}

func randomString(n int, alphabet string) string {
	out := make([]byte, n)
	buf := make([]byte, 1)
	limit := 256 - 256%len(alphabet)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic(err) // crypto/rand does not fail on supported systems
		}
		if int(buf[0]) >= limit {
			continue
		}
		out[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(out)
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// CheckPasswordPolicy returns a message saying what is wrong with a new
// password, or "".
func CheckPasswordPolicy(password string) string {
	if len([]rune(password)) < MinPasswordLength {
		return fmt.Sprintf("the password must be at least %d characters long", MinPasswordLength)
	}
	return ""
}

// TokenPrefix starts every API token, so that leaked tokens are easy to
// find with secret scanners.
const TokenPrefix = "hogo_"

// NewSecret returns a random URL-safe secret for tokens and sessions.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret returns the SHA-256 of a token or session secret; only this is
// stored. Secrets are 256-bit random, so a fast hash suffices.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
