package staff_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"hogo.example.jp/hogo/staff"
)

// lowParams keep argon2id cheap in tests; the format and the checks do not
// depend on the cost.
var lowParams = staff.Params{Memory: 64, Time: 1, Threads: 1}

func mustHash(t *testing.T, password string, p staff.Params) string {
	t.Helper()
	h, err := staff.HashPassword(password, p)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	return h
}

func TestHashPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	passwords := []string{
		"correct horse battery staple",
		"",
		"a",
		"パスワードは十二文字以上です",
		"with\x00nul and\ttabs\nand newlines",
		strings.Repeat("long", 256),
	}
	for _, pw := range passwords {
		name := pw
		if len(name) > 20 {
			name = name[:20]
		}
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			h := mustHash(t, pw, lowParams)
			if strings.Contains(h, pw) && pw != "" && pw != "a" {
				t.Errorf("hash %q contains the password", h)
			}
			ok, err := staff.CheckPassword(h, pw)
			if err != nil || !ok {
				t.Fatalf("CheckPassword(right) = %v, %v; want true, nil", ok, err)
			}
			for _, wrong := range []string{pw + "x", "x" + pw, strings.ToUpper(pw) + "!", " " + pw} {
				ok, err := staff.CheckPassword(h, wrong)
				if err != nil || ok {
					t.Errorf("CheckPassword(%q) = %v, %v; want false, nil", wrong, ok, err)
				}
			}
		})
	}
}

func TestHashPasswordFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p      staff.Params
		prefix string
	}{
		{lowParams, "$argon2id$v=19$m=64,t=1,p=1$"},
		{staff.Params{Memory: 128, Time: 2, Threads: 2}, "$argon2id$v=19$m=128,t=2,p=2$"},
		{staff.Params{Memory: 256, Time: 3, Threads: 4}, "$argon2id$v=19$m=256,t=3,p=4$"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			h := mustHash(t, "s3cret password", tt.p)
			if !strings.HasPrefix(h, tt.prefix) {
				t.Fatalf("hash %q does not start with %q", h, tt.prefix)
			}
			parts := strings.Split(h, "$")
			if len(parts) != 6 {
				t.Fatalf("hash %q has %d $-parts, want 6", h, len(parts))
			}
			salt, err := base64.RawStdEncoding.DecodeString(parts[4])
			if err != nil || len(salt) != 16 {
				t.Errorf("salt %q: %d bytes, %v; want 16 bytes of raw base64", parts[4], len(salt), err)
			}
			key, err := base64.RawStdEncoding.DecodeString(parts[5])
			if err != nil || len(key) != 32 {
				t.Errorf("key %q: %d bytes, %v; want 32 bytes of raw base64", parts[5], len(key), err)
			}
			// The parameters travel with the hash: it checks under them
			// whatever the current defaults are.
			ok, err := staff.CheckPassword(h, "s3cret password")
			if err != nil || !ok {
				t.Errorf("CheckPassword = %v, %v; want true, nil", ok, err)
			}
		})
	}
}

func TestHashPasswordSalted(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	salts := map[string]bool{}
	for i := 0; i < 20; i++ {
		h := mustHash(t, "the same password", lowParams)
		if seen[h] {
			t.Fatalf("hash %q repeated: the salt is not random", h)
		}
		seen[h] = true
		salt := strings.Split(h, "$")[4]
		if salts[salt] {
			t.Fatalf("salt %q repeated", salt)
		}
		salts[salt] = true
		if ok, err := staff.CheckPassword(h, "the same password"); err != nil || !ok {
			t.Fatalf("CheckPassword = %v, %v", ok, err)
		}
	}
}

// A hash is bound to its salt and parameters: moving the key to another
// salt or other parameters must not verify.
func TestCheckPasswordBindsSaltAndParams(t *testing.T) {
	t.Parallel()
	a := strings.Split(mustHash(t, "password one", lowParams), "$")
	b := strings.Split(mustHash(t, "password one", lowParams), "$")
	mixed := strings.Join([]string{"", a[1], a[2], a[3], b[4], a[5]}, "$")
	if ok, err := staff.CheckPassword(mixed, "password one"); err != nil || ok {
		t.Errorf("key with another salt: CheckPassword = %v, %v; want false, nil", ok, err)
	}
	other := strings.Join([]string{"", a[1], a[2], "m=64,t=2,p=1", a[4], a[5]}, "$")
	if ok, err := staff.CheckPassword(other, "password one"); err != nil || ok {
		t.Errorf("key with other parameters: CheckPassword = %v, %v; want false, nil", ok, err)
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	t.Parallel()
	good := mustHash(t, "pw", lowParams)
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	phc := func(alg, v, params, salt, key string) string {
		return strings.Join([]string{"", alg, v, params, salt, key}, "$")
	}
	tests := []struct {
		name, phc string
	}{
		{"empty", ""},
		{"plain text", "pw"},
		{"only dollars", "$$$$$"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", phc("argon2i", "v=19", "m=64,t=1,p=1", salt, key)},
		{"argon2d", phc("argon2d", "v=19", "m=64,t=1,p=1", salt, key)},
		{"algorithm upper case", phc("ARGON2ID", "v=19", "m=64,t=1,p=1", salt, key)},
		{"no leading dollar", strings.TrimPrefix(good, "$")},
		{"too few parts", "$argon2id$v=19$m=64,t=1,p=1$" + salt},
		{"too many parts", good + "$extra"},
		{"old version", phc("argon2id", "v=16", "m=64,t=1,p=1", salt, key)},
		{"version missing", phc("argon2id", "", "m=64,t=1,p=1", salt, key)},
		{"version not a number", phc("argon2id", "v=x", "m=64,t=1,p=1", salt, key)},
		{"params missing", phc("argon2id", "v=19", "", salt, key)},
		{"params garbled", phc("argon2id", "v=19", "m=64;t=1;p=1", salt, key)},
		{"params not numbers", phc("argon2id", "v=19", "m=a,t=b,p=c", salt, key)},
		{"params out of order", phc("argon2id", "v=19", "t=1,m=64,p=1", salt, key)},
		{"negative memory", phc("argon2id", "v=19", "m=-64,t=1,p=1", salt, key)},
		{"threads overflow", phc("argon2id", "v=19", "m=64,t=1,p=256", salt, key)},
		{"zero time", phc("argon2id", "v=19", "m=64,t=0,p=1", salt, key)},
		{"zero threads", phc("argon2id", "v=19", "m=64,t=1,p=0", salt, key)},
		{"salt not base64", phc("argon2id", "v=19", "m=64,t=1,p=1", "!!!!", key)},
		{"salt padded", phc("argon2id", "v=19", "m=64,t=1,p=1", salt+"==", key)},
		{"key not base64", phc("argon2id", "v=19", "m=64,t=1,p=1", salt, "not*base64")},
		{"key empty", phc("argon2id", "v=19", "m=64,t=1,p=1", salt, "")},
		{"key padded", phc("argon2id", "v=19", "m=64,t=1,p=1", salt, key+"=")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ok bool
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("CheckPassword(%q) panicked: %v", tt.phc, r)
					}
				}()
				ok, err = staff.CheckPassword(tt.phc, "pw")
			}()
			if err == nil || ok {
				t.Errorf("CheckPassword(%q) = %v, %v; want false and an error", tt.phc, ok, err)
			}
		})
	}
	// The unaltered hash is fine, so the cases above fail for their own
	// fault.
	if ok, err := staff.CheckPassword(good, "pw"); err != nil || !ok {
		t.Fatalf("CheckPassword(good) = %v, %v", ok, err)
	}
}

// passwordAlphabet mirrors the documented alphabet: letters and digits
// without the easily confused 0, O, 1, l and I.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func TestGeneratePassword(t *testing.T) {
	t.Parallel()
	const n = 2000
	seen := make(map[string]bool, n)
	counts := map[rune]int{}
	for i := 0; i < n; i++ {
		pw := staff.GeneratePassword()
		if len(pw) != 20 {
			t.Fatalf("GeneratePassword() = %q: %d characters, want 20", pw, len(pw))
		}
		for _, r := range pw {
			if !strings.ContainsRune(passwordAlphabet, r) {
				t.Fatalf("GeneratePassword() = %q contains %q, outside the alphabet", pw, r)
			}
			counts[r]++
		}
		if strings.ContainsAny(pw, "0O1lI") {
			t.Fatalf("GeneratePassword() = %q contains a confusable character", pw)
		}
		if msg := staff.CheckPasswordPolicy(pw); msg != "" {
			t.Fatalf("generated password %q fails the policy: %s", pw, msg)
		}
		if seen[pw] {
			t.Fatalf("GeneratePassword() repeated %q", pw)
		}
		seen[pw] = true
	}
	// 40,000 characters over 56 symbols: each is expected about 714 times.
	// Every symbol must turn up, and none wildly more than its share (a
	// modulo bias or a stuck byte would show here).
	for _, r := range passwordAlphabet {
		if c := counts[r]; c < 530 || c > 900 { // about ±7σ
			t.Errorf("character %q appeared %d times in %d passwords; expected about 714", r, c, n)
		}
	}
	// A plain byte%56 would favour the first 256%56 = 32 symbols by a
	// quarter (about 781 against 625). Unbiased, the two group means
	// differ by a few counts (σ ≈ 7).
	var lo, hi float64
	for i, r := range passwordAlphabet {
		if i < 256%len(passwordAlphabet) {
			lo += float64(counts[r])
		} else {
			hi += float64(counts[r])
		}
	}
	k := float64(256 % len(passwordAlphabet))
	lo, hi = lo/k, hi/(float64(len(passwordAlphabet))-k)
	if d := lo - hi; d > 60 || d < -60 {
		t.Errorf("the first %v symbols appear %.0f times on average, the rest %.0f: modulo bias", k, lo, hi)
	}
}

func TestCheckPasswordPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, pw string
		ok       bool
	}{
		{"empty", "", false},
		{"one character", "a", false},
		{"eleven", "abcdefghijk", false},
		{"twelve", "abcdefghijkl", true},
		{"long", strings.Repeat("x", 200), true},
		{"generated", staff.GeneratePassword(), true},
		// Length counts characters, not bytes: eleven kana are 33 bytes
		// but still too short; twelve are enough.
		{"eleven kana", "あいうえおかきくけこさ", false},
		{"twelve kana", "あいうえおかきくけこさし", true},
		{"eleven with emoji", "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := staff.CheckPasswordPolicy(tt.pw)
			if (msg == "") != tt.ok {
				t.Fatalf("CheckPasswordPolicy(%q) = %q; want ok=%v", tt.pw, msg, tt.ok)
			}
			if !tt.ok {
				if !strings.Contains(msg, fmt.Sprint(staff.MinPasswordLength)) {
					t.Errorf("message %q does not state the minimum length %d", msg, staff.MinPasswordLength)
				}
				if len(tt.pw) >= 4 && strings.Contains(msg, tt.pw) {
					t.Errorf("message %q repeats the password", msg)
				}
			}
		})
	}
	if staff.MinPasswordLength != 12 {
		t.Errorf("MinPasswordLength = %d, want 12", staff.MinPasswordLength)
	}
}

func TestNewSecret(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		s := staff.NewSecret()
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(b) != 32 {
			t.Fatalf("NewSecret() = %q: %d bytes, %v; want 32 bytes of raw URL-safe base64", s, len(b), err)
		}
		if seen[s] {
			t.Fatalf("NewSecret() repeated %q", s)
		}
		seen[s] = true
	}
}

func TestHashSecret(t *testing.T) {
	t.Parallel()
	s := staff.NewSecret()
	h := staff.HashSecret(s)
	if len(h) != 32 {
		t.Fatalf("HashSecret: %d bytes, want 32", len(h))
	}
	if !bytes.Equal(h, staff.HashSecret(s)) {
		t.Error("HashSecret is not deterministic")
	}
	if bytes.Equal(h, staff.HashSecret(s+"x")) || bytes.Equal(h, staff.HashSecret(staff.NewSecret())) {
		t.Error("different secrets hash the same")
	}
	if bytes.Contains(h, []byte(s)) {
		t.Error("the hash contains the secret")
	}
}
