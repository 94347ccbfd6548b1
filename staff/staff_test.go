package staff_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/staff"
)

// clock is a controllable time source for Service.Now and Log.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

var epoch = time.Date(2025, time.April, 1, 9, 0, 0, 0, hogo.Tokyo)

// fixture is a service over a real SQLite store and a real audit log.
type fixture struct {
	ctx   context.Context
	store hogo.Store
	key   *audit.Key
	log   *audit.Log
	clock *clock
	svc   *staff.Service
	// root is the console operator who creates the first accounts.
	root hogo.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	key, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: epoch}
	log := audit.NewLog(db, key)
	log.Now = clk.Now
	t.Cleanup(func() { log.Close() })
	svc := staff.New(db, log)
	svc.Params = lowParams
	svc.Now = clk.Now
	f := &fixture{ctx: ctx, store: db, key: key, log: log, clock: clk, svc: svc, root: hogo.CLIActor("root")}
	// Runs before the log and the store are closed: whatever the test
	// wrote, the chain must verify.
	t.Cleanup(func() { f.verifyAudit(t) })
	return f
}

func (f *fixture) verifyAudit(t *testing.T) {
	t.Helper()
	res, err := audit.Verify(context.Background(), f.store, f.key.Public(), nil)
	if err != nil {
		t.Errorf("audit.Verify: %v", err)
		return
	}
	if !res.OK() {
		t.Errorf("audit chain does not verify: %s (%s at %d)", res.Problem.Message, res.Problem.Kind, res.Problem.Seq)
	}
	n, err := f.store.CountAudit(context.Background())
	if err != nil {
		t.Errorf("CountAudit: %v", err)
	} else if n != res.Count {
		t.Errorf("audit.Verify checked %d entries, the store holds %d", res.Count, n)
	}
}

// addUser creates a user with a known password.
func (f *fixture) addUser(t *testing.T, name string, role hogo.Role) (*hogo.User, string) {
	t.Helper()
	pw := "pw-of-" + name + "-Xq7Zr2Kd"
	u, gen, err := f.svc.AddUser(f.ctx, f.root, name, strings.ToUpper(name), role, pw)
	if err != nil {
		t.Fatalf("AddUser(%q): %v", name, err)
	}
	if gen != "" {
		t.Fatalf("AddUser with a password returned a generated one %q", gen)
	}
	return u, pw
}

// actorOf is the actor for a signed-in user.
func actorOf(u *hogo.User) hogo.Actor {
	return hogo.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Remote: "192.0.2.10"}
}

func (f *fixture) login(t *testing.T, name, password string) (string, *hogo.Session) {
	t.Helper()
	u, secret, sess, err := f.svc.Login(f.ctx, name, password, "198.51.100.7")
	if err != nil {
		t.Fatalf("Login(%q): %v", name, err)
	}
	if u == nil || u.Name != name || secret == "" || sess == nil {
		t.Fatalf("Login(%q) = %+v, %q, %+v", name, u, secret, sess)
	}
	return secret, sess
}

func (f *fixture) user(t *testing.T, id int64) *hogo.User {
	t.Helper()
	u, err := f.store.FindUserByID(f.ctx, id)
	if err != nil {
		t.Fatalf("FindUserByID(%d): %v", id, err)
	}
	return u
}

// entries returns the audit entries whose action starts with action, oldest
// first.
func (f *fixture) entries(t *testing.T, action string) []*hogo.AuditEntry {
	t.Helper()
	es, err := f.store.ListAudit(f.ctx, hogo.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatalf("ListAudit: %v", err)
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

// notInAudit fails if any stored audit body contains one of the secrets.
func (f *fixture) notInAudit(t *testing.T, secrets ...string) {
	t.Helper()
	n := 0
	err := f.store.ScanAudit(f.ctx, 0, 0, func(seq int64, body, hash []byte) error {
		n++
		for _, s := range secrets {
			if s != "" && bytes.Contains(body, []byte(s)) {
				t.Errorf("audit entry %d contains %q: %s", seq, s, body)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ScanAudit: %v", err)
	}
	if n == 0 {
		t.Errorf("the audit log is empty")
	}
}

func (f *fixture) auditCount(t *testing.T) int64 {
	t.Helper()
	n, err := f.store.CountAudit(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// wantError checks err's code and field and returns it.
func wantError(t *testing.T, err error, code, field string) *hogo.Error {
	t.Helper()
	if got := hogo.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
	var he *hogo.Error
	if !errors.As(err, &he) {
		t.Fatalf("error %v is not a *hogo.Error", err)
	}
	if he.Field != field {
		t.Fatalf("error %v names field %q, want %q", err, he.Field, field)
	}
	return he
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	svc := staff.New(nil, nil)
	if svc.LockAfter != 5 || svc.LockFor != 15*time.Minute || svc.SessionTTL != 2*time.Hour || svc.SessionMax != 12*time.Hour {
		t.Errorf("New policy = lock after %d for %v, sessions %v idle / %v max; want 5, 15m, 2h, 12h",
			svc.LockAfter, svc.LockFor, svc.SessionTTL, svc.SessionMax)
	}
	if svc.Params != staff.DefaultParams || svc.Now == nil {
		t.Errorf("New: Params %+v, Now set %v", svc.Params, svc.Now != nil)
	}
}

func TestAddUserGeneratedPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u, pw, err := f.svc.AddUser(f.ctx, f.root, "alice", "Alice Aoki", hogo.RoleManager, "")
	if err != nil {
		t.Fatalf("AddUser: %v", err)
	}
	if len(pw) != 20 || staff.CheckPasswordPolicy(pw) != "" {
		t.Fatalf("generated password %q: want 20 characters that pass the policy", pw)
	}
	if u.ID == 0 || u.Name != "alice" || u.DisplayName != "Alice Aoki" || u.Role != hogo.RoleManager {
		t.Fatalf("AddUser returned %+v", u)
	}
	stored := f.user(t, u.ID)
	if !strings.HasPrefix(stored.PasswordHash, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Contains(stored.PasswordHash, pw) {
		t.Fatalf("stored hash %q: want an argon2id hash under svc.Params, without the password", stored.PasswordHash)
	}
	if ok, err := staff.CheckPassword(stored.PasswordHash, pw); err != nil || !ok {
		t.Fatalf("stored hash does not check against the generated password: %v, %v", ok, err)
	}
	lu, _, _, err := f.svc.Login(f.ctx, "alice", pw, "198.51.100.7")
	if err != nil || lu.ID != u.ID {
		t.Fatalf("Login with the generated password: %v", err)
	}

	es := f.entries(t, "user.create")
	if len(es) != 1 {
		t.Fatalf("%d user.create entries, want 1", len(es))
	}
	e := es[0]
	if e.Target != "user:"+strconv.FormatInt(u.ID, 10) || e.Actor != "cli:root" || e.Role != hogo.RoleAdmin ||
		e.Outcome != hogo.OutcomeOK || e.Detail["role"] != "manager" || e.Detail["name"] != "alice" {
		t.Errorf("user.create entry = %+v", e)
	}
	if !e.Time.Equal(epoch) {
		t.Errorf("entry time %v, want the clock's %v", e.Time, epoch)
	}
	f.notInAudit(t, pw, stored.PasswordHash)
}

func TestAddUserGivenPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const pw = "exactly-12ch"
	u, gen, err := f.svc.AddUser(f.ctx, f.root, "  bob  ", "  Bob Baba ", hogo.RoleDesk, pw)
	if err != nil {
		t.Fatalf("AddUser: %v", err)
	}
	if gen != "" {
		t.Errorf("AddUser with a password returned generated %q", gen)
	}
	if u.Name != "bob" || u.DisplayName != "Bob Baba" {
		t.Errorf("name and display name not trimmed: %q, %q", u.Name, u.DisplayName)
	}
	if _, _, _, err := f.svc.Login(f.ctx, "bob", pw, ""); err != nil {
		t.Fatalf("Login with the given password: %v", err)
	}
	if _, _, _, err := f.svc.Login(f.ctx, "bob", pw+"x", ""); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
		t.Fatalf("Login with another password: %v", err)
	}
	es := f.entries(t, "user.create")
	if len(es) != 1 || es[0].Target != "user:"+strconv.FormatInt(u.ID, 10) {
		t.Fatalf("user.create entries = %+v", es)
	}
	f.notInAudit(t, pw)
}

func TestAddUserValidNames(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	long := strings.Repeat("n", 64)
	tests := []struct{ in, want string }{
		{"a", "a"},
		{"Z", "Z"},
		{"7", "7"},
		{"taro.yamada", "taro.yamada"},
		{"desk_01-b", "desk_01-b"},
		{"...", "..."},
		{long, long},
		{"\t padded \n", "padded"},
	}
	for _, tt := range tests {
		u, _, err := f.svc.AddUser(f.ctx, f.root, tt.in, "", hogo.RoleStaff, "")
		if err != nil {
			t.Errorf("AddUser(%q): %v", tt.in, err)
			continue
		}
		if u.Name != tt.want {
			t.Errorf("AddUser(%q).Name = %q, want %q", tt.in, u.Name, tt.want)
		}
		if got, err := f.store.FindUserByName(f.ctx, tt.want); err != nil || got.ID != u.ID {
			t.Errorf("FindUserByName(%q) = %v, %v", tt.want, got, err)
		}
	}
	if n := len(f.entries(t, "user.create")); n != len(tests) {
		t.Errorf("%d user.create entries, want %d", n, len(tests))
	}
}

func TestAddUserInvalid(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name, user string
		role       hogo.Role
		pw, field  string
	}{
		{"empty name", "", hogo.RoleStaff, "", "name"},
		{"blank name", "   ", hogo.RoleStaff, "", "name"},
		{"name with space", "taro yamada", hogo.RoleStaff, "", "name"},
		{"name with at", "taro@example.jp", hogo.RoleStaff, "", "name"},
		{"name with slash", "a/b", hogo.RoleStaff, "", "name"},
		{"name with quote", `a"b`, hogo.RoleStaff, "", "name"},
		{"name with newline", "a\nb", hogo.RoleStaff, "", "name"},
		{"name with NUL", "a\x00b", hogo.RoleStaff, "", "name"},
		{"japanese name", "山田", hogo.RoleStaff, "", "name"},
		{"fullwidth letters", "ａｂｃ", hogo.RoleStaff, "", "name"},
		{"name too long", strings.Repeat("n", 65), hogo.RoleStaff, "", "name"},
		{"empty role", "carol", "", "", "role"},
		{"unknown role", "carol", "root", "", "role"},
		{"role wrong case", "carol", "Admin", "", "role"},
		{"empty-ish password", "carol", hogo.RoleStaff, " ", "password"},
		{"short password", "carol", hogo.RoleStaff, "short", "password"},
		{"eleven characters", "carol", hogo.RoleStaff, "elevenchars", "password"},
		{"eleven kana", "carol", hogo.RoleStaff, "あいうえおかきくけこさ", "password"},
		// The name is checked first, then the role, then the password.
		{"bad name and role", "a b", "root", "short", "name"},
		{"bad role and password", "carol", "root", "short", "role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, gen, err := f.svc.AddUser(f.ctx, f.root, tt.user, "", tt.role, tt.pw)
			he := wantError(t, err, hogo.EINVALID, tt.field)
			if u != nil || gen != "" {
				t.Errorf("AddUser returned %+v, %q with an error", u, gen)
			}
			if len(tt.pw) > 3 && strings.Contains(he.Error(), tt.pw) {
				t.Errorf("error %q repeats the password", he.Error())
			}
		})
	}
	if n, err := f.store.CountUsers(f.ctx); err != nil || n != 0 {
		t.Errorf("CountUsers = %d, %v; invalid users must not be stored", n, err)
	}
	if n := f.auditCount(t); n != 0 {
		t.Errorf("%d audit entries for rejected input, want 0", n)
	}
}

func TestAddUserDuplicate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	first, _ := f.addUser(t, "dup", hogo.RoleStaff)
	for _, name := range []string{"dup", " dup "} {
		u, gen, err := f.svc.AddUser(f.ctx, f.root, name, "", hogo.RoleAdmin, "")
		wantError(t, err, hogo.ECONFLICT, "name")
		if u != nil || gen != "" {
			t.Errorf("AddUser(%q) returned %+v, %q with an error", name, u, gen)
		}
	}
	// Names are case-sensitive: "Dup" is another user.
	if _, _, err := f.svc.AddUser(f.ctx, f.root, "Dup", "", hogo.RoleStaff, ""); err != nil {
		t.Errorf("AddUser(Dup): %v", err)
	}
	if got := f.user(t, first.ID); got.Role != hogo.RoleStaff {
		t.Errorf("the first user's role changed to %q", got.Role)
	}
	if n, _ := f.store.CountUsers(f.ctx); n != 2 {
		t.Errorf("CountUsers = %d, want 2", n)
	}
	if n := len(f.entries(t, "user.create")); n != 2 {
		t.Errorf("%d user.create entries, want 2", n)
	}
}

func TestLoginSuccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alice, pw := f.addUser(t, "alice", hogo.RoleDesk)
	f.clock.Advance(time.Hour)
	now := f.clock.Now()

	u, secret, sess, err := f.svc.Login(f.ctx, "alice", pw, "198.51.100.7")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if u.ID != alice.ID || u.Role != hogo.RoleDesk {
		t.Errorf("Login user = %+v", u)
	}
	if len(secret) < 40 {
		t.Errorf("session secret %q is short", secret)
	}
	if !bytes.Equal(sess.IDHash, staff.HashSecret(secret)) || bytes.Contains(sess.IDHash, []byte(secret)) {
		t.Errorf("session IDHash is not the hash of the secret")
	}
	if sess.UserID != alice.ID || sess.RemoteIP != "198.51.100.7" || sess.CSRF == "" || sess.CSRF == secret {
		t.Errorf("session = %+v", sess)
	}
	if !sess.CreatedAt.Equal(now) || !sess.LastSeen.Equal(now) || !sess.ExpiresAt.Equal(now.Add(f.svc.SessionTTL)) {
		t.Errorf("session times created %v seen %v expires %v; want %v and +%v", sess.CreatedAt, sess.LastSeen, sess.ExpiresAt, now, f.svc.SessionTTL)
	}
	// The store holds the hash, never the secret.
	if _, err := f.store.FindSession(f.ctx, []byte(secret)); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("FindSession(raw secret) = %v, want not_found", err)
	}
	if stored := f.user(t, alice.ID); !stored.LastLoginAt.Equal(now) || stored.FailedLogins != 0 {
		t.Errorf("stored user after login: last login %v, failures %d", stored.LastLoginAt, stored.FailedLogins)
	}

	su, ss, err := f.svc.Session(f.ctx, secret)
	if err != nil {
		t.Fatalf("Session: %v", err)
	}
	if su.ID != alice.ID || su.Role != hogo.RoleDesk || !bytes.Equal(ss.IDHash, sess.IDHash) {
		t.Errorf("Session = %+v, %+v", su, ss)
	}
	if !staff.CheckCSRF(ss, sess.CSRF) {
		t.Errorf("the session's CSRF token does not check")
	}

	es := f.entries(t, "login.")
	if len(es) != 1 {
		t.Fatalf("login entries = %+v, want one", es)
	}
	e := es[0]
	if e.Action != "login.success" || e.Outcome != hogo.OutcomeOK || e.ActorID != alice.ID || e.Actor != "alice" ||
		e.Role != hogo.RoleDesk || e.Remote != "198.51.100.7" || !e.Time.Equal(now) {
		t.Errorf("login.success entry = %+v", e)
	}
	f.notInAudit(t, pw, secret, sess.CSRF)
}

// Every sign-in makes a new session secret, so a secret known before
// sign-in (session fixation) never becomes a signed-in session.
func TestLoginNewSecretEachTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, pw := f.addUser(t, "alice", hogo.RoleStaff)
	planted := staff.NewSecret()
	secrets := map[string]bool{}
	csrfs := map[string]bool{}
	var all []string
	for i := 0; i < 10; i++ {
		secret, sess := f.login(t, "alice", pw)
		if secret == planted || secrets[secret] {
			t.Fatalf("login %d reused a session secret", i)
		}
		if csrfs[sess.CSRF] {
			t.Fatalf("login %d reused a CSRF token", i)
		}
		secrets[secret], csrfs[sess.CSRF] = true, true
		all = append(all, secret)
	}
	if _, _, err := f.svc.Session(f.ctx, planted); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
		t.Errorf("Session(planted) = %v, want unauthorized", err)
	}
	// Each login is its own session: ending one leaves the others.
	_, first, err := f.svc.Session(f.ctx, all[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Logout(f.ctx, hogo.Actor{Name: "alice"}, first); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Session(f.ctx, all[0]); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
		t.Errorf("Session after Logout = %v, want unauthorized", err)
	}
	for _, s := range all[1:] {
		if _, _, err := f.svc.Session(f.ctx, s); err != nil {
			t.Errorf("another session ended with the first: %v", err)
		}
	}
	f.notInAudit(t, all...)
}

func TestLoginFailuresNoEnumeration(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alice, pw := f.addUser(t, "alice", hogo.RoleStaff)
	disabled, dpw := f.addUser(t, "dave", hogo.RoleStaff)
	if err := f.svc.SetDisabled(f.ctx, f.root, disabled.ID, true); err != nil {
		t.Fatal(err)
	}
	// A user who types the password into the name field: the "name"
	// must not reach the audit log.
	const unknown = "Secr3t-Passw0rd-Typed-As-Name"
	tests := []struct {
		name, user, pw, reason string
		actor                  string
		actorID                int64
	}{
		{"wrong password", "alice", pw + "!", "bad_password", "alice", alice.ID},
		{"empty password", "alice", "", "bad_password", "alice", alice.ID},
		{"name case differs", "Alice", pw, "unknown_user", "(unknown)", 0},
		{"unknown user", unknown, pw, "unknown_user", "(unknown)", 0},
		{"empty name", "", pw, "unknown_user", "(unknown)", 0},
		{"disabled user right password", "dave", dpw, "disabled", "dave", disabled.ID},
	}
	var msg string
	for i, tt := range tests {
		u, secret, sess, err := f.svc.Login(f.ctx, tt.user, tt.pw, "203.0.113.9")
		wantError(t, err, hogo.EUNAUTHORIZED, "")
		if u != nil || secret != "" || sess != nil {
			t.Errorf("%s: Login returned %+v, %q, %+v with an error", tt.name, u, secret, sess)
		}
		m := hogo.ErrorMessage(err)
		if i == 0 {
			msg = m
		} else if m != msg {
			t.Errorf("%s: message %q differs from a wrong password's %q: it tells which names exist", tt.name, m, msg)
		}
		if strings.Contains(m, tt.user) && tt.user != "" {
			t.Errorf("%s: message %q names the user", tt.name, m)
		}
	}

	es := f.entries(t, "login.")
	if len(es) != len(tests) {
		t.Fatalf("%d login entries, want %d", len(es), len(tests))
	}
	for i, tt := range tests {
		e := es[i]
		if e.Action != "login.failure" || e.Outcome != hogo.OutcomeDenied || e.Detail["reason"] != tt.reason ||
			e.Actor != tt.actor || e.ActorID != tt.actorID || e.Remote != "203.0.113.9" {
			t.Errorf("%s: entry = %+v; want login.failure denied, reason %s, actor %q (%d)", tt.name, e, tt.reason, tt.actor, tt.actorID)
		}
	}
	f.notInAudit(t, unknown, "Alice", pw, dpw)
	// A failed attempt is counted only for a known, enabled user.
	if got := f.user(t, alice.ID).FailedLogins; got != 2 {
		t.Errorf("alice FailedLogins = %d, want 2", got)
	}
	if n, _ := f.store.CountUsers(f.ctx); n != 2 {
		t.Errorf("CountUsers = %d after failed logins, want 2", n)
	}
}

func TestLoginLockout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alice, pw := f.addUser(t, "alice", hogo.RoleStaff)
	_, _, _, wrongErr := f.svc.Login(f.ctx, "alice", "wrong password", "")
	wantError(t, wrongErr, hogo.EUNAUTHORIZED, "")
	for i := 2; i <= f.svc.LockAfter; i++ {
		f.clock.Advance(10 * time.Second)
		_, _, _, err := f.svc.Login(f.ctx, "alice", "wrong password", "")
		wantError(t, err, hogo.EUNAUTHORIZED, "")
		if hogo.ErrorMessage(err) != hogo.ErrorMessage(wrongErr) {
			t.Errorf("failure %d: message %q differs from the first %q", i, hogo.ErrorMessage(err), hogo.ErrorMessage(wrongErr))
		}
	}
	lockedAt := f.clock.Now()
	stored := f.user(t, alice.ID)
	if !stored.LockedUntil.Equal(lockedAt.Add(f.svc.LockFor)) || !stored.Locked(lockedAt) {
		t.Fatalf("after %d failures LockedUntil = %v, want %v", f.svc.LockAfter, stored.LockedUntil, lockedAt.Add(f.svc.LockFor))
	}
	// The count starts again with the lock, so that one mistake after
	// the lock ends does not lock again at once.
	if stored.FailedLogins != 0 {
		t.Errorf("FailedLogins = %d once locked, want 0", stored.FailedLogins)
	}

	// Locked: even the right password is refused, until LockFor has passed.
	for _, d := range []time.Duration{0, time.Minute, f.svc.LockFor - time.Second} {
		f.clock.Set(lockedAt.Add(d))
		u, secret, _, err := f.svc.Login(f.ctx, "alice", pw, "")
		wantError(t, err, hogo.ELOCKED, "")
		if u != nil || secret != "" {
			t.Errorf("locked login returned a user or secret")
		}
	}
	if _, _, _, err := f.svc.Login(f.ctx, "alice", "wrong password", ""); hogo.ErrorCode(err) != hogo.ELOCKED {
		t.Errorf("locked login with a wrong password = %v, want locked", err)
	}
	// Attempts while locked do not extend the lock.
	if got := f.user(t, alice.ID).LockedUntil; !got.Equal(lockedAt.Add(f.svc.LockFor)) {
		t.Errorf("LockedUntil moved to %v while locked", got)
	}

	f.clock.Set(lockedAt.Add(f.svc.LockFor + time.Second))
	if _, _, _, err := f.svc.Login(f.ctx, "alice", "wrong password", ""); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
		t.Errorf("first failure after the lock ended = %v, want unauthorized (not locked again)", err)
	}
	secret, _ := f.login(t, "alice", pw)
	if _, _, err := f.svc.Session(f.ctx, secret); err != nil {
		t.Errorf("Session after the lock ended: %v", err)
	}
	if stored := f.user(t, alice.ID); stored.FailedLogins != 0 || !stored.LockedUntil.IsZero() {
		t.Errorf("after a good login: failures %d, locked until %v", stored.FailedLogins, stored.LockedUntil)
	}

	var reasons []string
	for _, e := range f.entries(t, "login.") {
		if e.Action == "login.failure" {
			if e.Outcome != hogo.OutcomeDenied || e.Actor != "alice" || e.ActorID != alice.ID {
				t.Errorf("failure entry = %+v", e)
			}
			reasons = append(reasons, e.Detail["reason"])
		} else {
			if e.Action != "login.success" || e.Outcome != hogo.OutcomeOK {
				t.Errorf("entry = %+v", e)
			}
			reasons = append(reasons, "success")
		}
	}
	want := "bad_password bad_password bad_password bad_password bad_password_locked locked locked locked locked bad_password success"
	if got := strings.Join(reasons, " "); got != want {
		t.Errorf("login audit trail:\n got %s\nwant %s", got, want)
	}
	f.notInAudit(t, pw, "wrong password", secret)
}

// Failures lock only when they come in a row: a good sign-in resets the
// count.
func TestLoginFailuresInARow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alice, pw := f.addUser(t, "alice", hogo.RoleStaff)
	for round := 0; round < 3; round++ {
		for i := 0; i < f.svc.LockAfter-1; i++ {
			if _, _, _, err := f.svc.Login(f.ctx, "alice", "nope nope nope", ""); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
				t.Fatalf("round %d failure %d: %v", round, i, err)
			}
		}
		if got := f.user(t, alice.ID).FailedLogins; got != f.svc.LockAfter-1 {
			t.Fatalf("FailedLogins = %d, want %d", got, f.svc.LockAfter-1)
		}
		f.login(t, "alice", pw)
	}
}

func TestLoginLockoutOff(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.svc.LockAfter = 0
	_, pw := f.addUser(t, "alice", hogo.RoleStaff)
	for i := 0; i < 12; i++ {
		if _, _, _, err := f.svc.Login(f.ctx, "alice", "nope nope nope", ""); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	f.login(t, "alice", pw)
}

func TestSessionIdleExpiry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, pw := f.addUser(t, "alice", hogo.RoleStaff)
	tests := []struct {
		idle time.Duration
		ok   bool
	}{
		{0, true},
		{time.Minute, true},
		{f.svc.SessionTTL - time.Second, true},
		{f.svc.SessionTTL, true},
		{f.svc.SessionTTL + time.Second, false},
		{f.svc.SessionTTL + time.Hour, false},
		{f.svc.SessionMax * 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.idle.String(), func(t *testing.T) {
			secret, sess := f.login(t, "alice", pw)
			f.clock.Advance(tt.idle)
			_, _, err := f.svc.Session(f.ctx, secret)
			if tt.ok {
				if err != nil {
					t.Fatalf("Session after %v idle: %v", tt.idle, err)
				}
				return
			}
			wantError(t, err, hogo.EUNAUTHORIZED, "")
			// An expired session is removed, and stays gone.
			if _, err := f.store.FindSession(f.ctx, sess.IDHash); hogo.ErrorCode(err) != hogo.ENOTFOUND {
				t.Errorf("expired session still stored: %v", err)
			}
			f.clock.Advance(-tt.idle)
			if _, _, err := f.svc.Session(f.ctx, secret); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
				t.Errorf("expired session came back: %v", err)
			}
		})
	}
}

func TestSessionTouch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, pw := f.addUser(t, "alice", hogo.RoleStaff)
	secret, sess := f.login(t, "alice", pw)
	ttl := f.svc.SessionTTL

	// Within a minute of the last use nothing is written.
	f.clock.Advance(30 * time.Second)
	if _, _, err := f.svc.Session(f.ctx, secret); err != nil {
		t.Fatal(err)
	}
	stored, err := f.store.FindSession(f.ctx, sess.IDHash)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.LastSeen.Equal(epoch) || !stored.ExpiresAt.Equal(epoch.Add(ttl)) {
		t.Errorf("session touched within a minute: seen %v expires %v", stored.LastSeen, stored.ExpiresAt)
	}

	// Use shortly before the idle expiry moves it.
	now := f.clock.Advance(ttl - 10*time.Minute)
	_, got, err := f.svc.Session(f.ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if !got.LastSeen.Equal(now) || !got.ExpiresAt.Equal(now.Add(ttl)) {
		t.Errorf("Session returned seen %v expires %v; want %v and %v", got.LastSeen, got.ExpiresAt, now, now.Add(ttl))
	}
	stored, err = f.store.FindSession(f.ctx, sess.IDHash)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.LastSeen.Equal(now) || !stored.ExpiresAt.Equal(now.Add(ttl)) || !stored.CreatedAt.Equal(epoch) {
		t.Errorf("stored session after touch: created %v seen %v expires %v", stored.CreatedAt, stored.LastSeen, stored.ExpiresAt)
	}

	// Past the original expiry, alive thanks to the touch.
	f.clock.Advance(ttl - time.Minute)
	if _, _, err := f.svc.Session(f.ctx, secret); err != nil {
		t.Fatalf("session not extended by use: %v", err)
	}
	// Idle for longer than the TTL: gone.
	f.clock.Advance(ttl + time.Second)
	if _, _, err := f.svc.Session(f.ctx, secret); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
		t.Fatalf("Session after idling past the TTL = %v, want unauthorized", err)
	}
}

func TestSessionAbsoluteExpiry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, pw := f.addUser(t, "alice", hogo.RoleStaff)
	secret, sess := f.login(t, "alice", pw)
	// Used every hour, the session never idles out, but ends at SessionMax.
	for d := time.Hour; d <= f.svc.SessionMax; d += time.Hour {
		f.clock.Set(epoch.Add(d))
		if _, _, err := f.svc.Session(f.ctx, secret); err != nil {
			t.Fatalf("Session at +%v: %v", d, err)
		}
	}
	f.clock.Set(epoch.Add(f.svc.SessionMax + time.Minute))
	stored, err := f.store.FindSession(f.ctx, sess.IDHash)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.ExpiresAt.After(f.clock.Now()) {
		t.Fatalf("idle expiry %v is already past; the test would not test the absolute limit", stored.ExpiresAt)
	}
	_, _, err = f.svc.Session(f.ctx, secret)
	wantError(t, err, hogo.EUNAUTHORIZED, "")
	if _, err := f.store.FindSession(f.ctx, sess.IDHash); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("session past SessionMax still stored: %v", err)
	}
}

func TestSessionRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, pw := f.addUser(t, "alice", hogo.RoleStaff)
	secret, sess := f.login(t, "alice", pw)
	tests := []struct{ name, secret string }{
		{"empty", ""},
		{"random", staff.NewSecret()},
		{"the CSRF token", sess.CSRF},
		{"the stored hash", string(sess.IDHash)},
		{"secret with suffix", secret + "x"},
		{"secret truncated", secret[:len(secret)-1]},
		{"secret with space", " " + secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, s, err := f.svc.Session(f.ctx, tt.secret)
			wantError(t, err, hogo.EUNAUTHORIZED, "")
			if u != nil || s != nil {
				t.Errorf("Session returned %+v, %+v with an error", u, s)
			}
		})
	}
	if _, _, err := f.svc.Session(f.ctx, secret); err != nil {
		t.Errorf("the real secret: %v", err)
	}
}

// A session of a user who is disabled behind the service's back (directly
// in the store) is still refused.
func TestSessionDisabledUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alice, pw := f.addUser(t, "alice", hogo.RoleStaff)
	secret, _ := f.login(t, "alice", pw)
	u := f.user(t, alice.ID)
	u.Disabled = true
	if err := f.store.UpdateUser(f.ctx, u); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.svc.Session(f.ctx, secret)
	wantError(t, err, hogo.EUNAUTHORIZED, "")
}

func TestLogout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alice, pw := f.addUser(t, "alice", hogo.RoleStaff)
	secret, sess := f.login(t, "alice", pw)
	if err := f.svc.Logout(f.ctx, actorOf(alice), sess); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if _, _, err := f.svc.Session(f.ctx, secret); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
		t.Errorf("Session after Logout = %v, want unauthorized", err)
	}
	if _, err := f.store.FindSession(f.ctx, sess.IDHash); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("session still stored after Logout: %v", err)
	}
	es := f.entries(t, "logout")
	if len(es) != 1 || es[0].ActorID != alice.ID || es[0].Actor != "alice" || es[0].Outcome != hogo.OutcomeOK {
		t.Errorf("logout entries = %+v", es)
	}
	f.notInAudit(t, secret, sess.CSRF)
}

func TestSetPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, adminPW := f.addUser(t, "admin", hogo.RoleAdmin)
	alice, oldPW := f.addUser(t, "alice", hogo.RoleStaff)
	s1, _ := f.login(t, "alice", oldPW)
	s2, _ := f.login(t, "alice", oldPW)
	adminSecret, _ := f.login(t, "admin", adminPW)

	// A password that breaks the policy changes nothing.
	err := f.svc.SetPassword(f.ctx, actorOf(admin), alice.ID, "too short")
	wantError(t, err, hogo.EINVALID, "password")
	if _, _, err := f.svc.Session(f.ctx, s1); err != nil {
		t.Errorf("a rejected SetPassword ended a session: %v", err)
	}

	// Lock alice out, then reset her password: the lock goes too.
	for i := 0; i < f.svc.LockAfter; i++ {
		f.svc.Login(f.ctx, "alice", "guess guess guess", "")
	}
	if _, _, _, err := f.svc.Login(f.ctx, "alice", oldPW, ""); hogo.ErrorCode(err) != hogo.ELOCKED {
		t.Fatalf("alice not locked: %v", err)
	}

	const newPW = "a brand new passphrase"
	if err := f.svc.SetPassword(f.ctx, actorOf(admin), alice.ID, newPW); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	for _, s := range []string{s1, s2} {
		if _, _, err := f.svc.Session(f.ctx, s); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
			t.Errorf("alice's session survived SetPassword: %v", err)
		}
	}
	if _, _, err := f.svc.Session(f.ctx, adminSecret); err != nil {
		t.Errorf("the admin's own session ended: %v", err)
	}
	if _, _, _, err := f.svc.Login(f.ctx, "alice", oldPW, ""); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
		t.Errorf("old password after SetPassword = %v, want unauthorized", err)
	}
	f.login(t, "alice", newPW)

	err = f.svc.SetPassword(f.ctx, actorOf(admin), 9999, newPW)
	wantError(t, err, hogo.ENOTFOUND, "")

	es := f.entries(t, "user.password")
	if len(es) != 1 || es[0].Target != "user:"+strconv.FormatInt(alice.ID, 10) || es[0].ActorID != admin.ID {
		t.Errorf("user.password entries = %+v", es)
	}
	f.notInAudit(t, oldPW, newPW, "too short", s1, s2)
}

func TestSetDisabled(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, adminPW := f.addUser(t, "admin", hogo.RoleAdmin)
	bob, bobPW := f.addUser(t, "bob", hogo.RoleStaff)
	adminSecret, _ := f.login(t, "admin", adminPW)
	bobSecret, _ := f.login(t, "bob", bobPW)
	_, _, _, wrongErr := f.svc.Login(f.ctx, "bob", "not bob's password", "")

	// Nobody disables themselves.
	err := f.svc.SetDisabled(f.ctx, actorOf(admin), admin.ID, true)
	wantError(t, err, hogo.EINVALID, "")
	if f.user(t, admin.ID).Disabled {
		t.Fatal("the admin disabled themselves")
	}
	if _, _, err := f.svc.Session(f.ctx, adminSecret); err != nil {
		t.Errorf("the admin's session ended after refusing self-disable: %v", err)
	}

	if err := f.svc.SetDisabled(f.ctx, actorOf(admin), bob.ID, true); err != nil {
		t.Fatalf("SetDisabled(bob): %v", err)
	}
	if !f.user(t, bob.ID).Disabled {
		t.Fatal("bob not disabled")
	}
	if _, _, err := f.svc.Session(f.ctx, bobSecret); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
		t.Errorf("bob's session survived: %v", err)
	}
	if _, err := f.store.FindSession(f.ctx, staff.HashSecret(bobSecret)); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("bob's session still stored: %v", err)
	}
	_, _, _, err = f.svc.Login(f.ctx, "bob", bobPW, "")
	wantError(t, err, hogo.EUNAUTHORIZED, "")
	if hogo.ErrorMessage(err) != hogo.ErrorMessage(wrongErr) {
		t.Errorf("a disabled account reads %q, a wrong password %q", hogo.ErrorMessage(err), hogo.ErrorMessage(wrongErr))
	}

	// Enabling oneself is harmless and allowed.
	if err := f.svc.SetDisabled(f.ctx, actorOf(admin), admin.ID, false); err != nil {
		t.Errorf("SetDisabled(self, false): %v", err)
	}
	if err := f.svc.SetDisabled(f.ctx, actorOf(admin), bob.ID, false); err != nil {
		t.Fatalf("enable bob: %v", err)
	}
	f.login(t, "bob", bobPW)

	err = f.svc.SetDisabled(f.ctx, actorOf(admin), 9999, true)
	wantError(t, err, hogo.ENOTFOUND, "")

	var got []string
	for _, e := range f.entries(t, "user.") {
		if e.Action == "user.create" {
			continue
		}
		got = append(got, e.Action+" "+e.Target)
		if e.ActorID != admin.ID || e.Actor != "admin" || e.Role != hogo.RoleAdmin {
			t.Errorf("entry actor = %+v", e)
		}
	}
	bt, at := "user:"+strconv.FormatInt(bob.ID, 10), "user:"+strconv.FormatInt(admin.ID, 10)
	want := []string{"user.disable " + bt, "user.enable " + at, "user.enable " + bt}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit trail = %q, want %q", got, want)
	}
}

// Enabling an account also lifts a lockout.
func TestSetDisabledFalseUnlocks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alice, pw := f.addUser(t, "alice", hogo.RoleStaff)
	for i := 0; i < f.svc.LockAfter; i++ {
		f.svc.Login(f.ctx, "alice", "guess guess guess", "")
	}
	if _, _, _, err := f.svc.Login(f.ctx, "alice", pw, ""); hogo.ErrorCode(err) != hogo.ELOCKED {
		t.Fatalf("not locked: %v", err)
	}
	if err := f.svc.SetDisabled(f.ctx, f.root, alice.ID, false); err != nil {
		t.Fatal(err)
	}
	f.login(t, "alice", pw)
}

func TestSetRole(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alice, _ := f.addUser(t, "alice", hogo.RoleStaff)
	err := f.svc.SetRole(f.ctx, f.root, alice.ID, "superuser")
	wantError(t, err, hogo.EINVALID, "role")
	if err := f.svc.SetRole(f.ctx, f.root, alice.ID, hogo.RoleAuditor); err != nil {
		t.Fatal(err)
	}
	if got := f.user(t, alice.ID).Role; got != hogo.RoleAuditor {
		t.Errorf("role = %q, want auditor", got)
	}
	wantError(t, f.svc.SetRole(f.ctx, f.root, 9999, hogo.RoleDesk), hogo.ENOTFOUND, "")
	es := f.entries(t, "user.role")
	if len(es) != 1 || es[0].Detail["from"] != "staff" || es[0].Detail["to"] != "auditor" {
		t.Errorf("user.role entries = %+v", es)
	}
}

func TestCreateToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, _ := f.addUser(t, "admin", hogo.RoleAdmin)
	robot, _ := f.addUser(t, "robot", hogo.RoleStaff)

	secret, tok, err := f.svc.CreateToken(f.ctx, actorOf(admin), "robot", "nightly import", 0)
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if !strings.HasPrefix(secret, staff.TokenPrefix) || staff.TokenPrefix != "hogo_" || len(secret) != len("hogo_")+43 {
		t.Fatalf("token secret %q: want hogo_ and 43 characters", secret)
	}
	if tok.ID == 0 || tok.UserID != robot.ID || tok.Name != "nightly import" || tok.Prefix != secret[:11] ||
		!tok.ExpiresAt.IsZero() || !tok.CreatedAt.Equal(epoch) {
		t.Errorf("token = %+v", tok)
	}

	rows, err := f.store.ListTokens(f.ctx, robot.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("ListTokens = %v, %v", rows, err)
	}
	row := rows[0]
	if bytes.Equal(row.Hash, []byte(secret)) || bytes.Contains(row.Hash, []byte(secret[len("hogo_"):])) {
		t.Errorf("the store keeps the token secret itself")
	}
	if !bytes.Equal(row.Hash, staff.HashSecret(secret)) {
		t.Errorf("stored hash is not HashSecret(secret)")
	}
	if row.Prefix != tok.Prefix || len(row.Prefix) >= len(secret)/2 {
		t.Errorf("stored prefix %q reveals too much or differs from %q", row.Prefix, tok.Prefix)
	}
	if _, err := f.store.FindTokenByHash(f.ctx, []byte(secret)); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("FindTokenByHash(raw secret) = %v, want not_found", err)
	}

	u, got, err := f.svc.Token(f.ctx, secret)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if u.ID != robot.ID || u.Role != hogo.RoleStaff || got.ID != tok.ID {
		t.Errorf("Token = %+v, %+v", u, got)
	}

	// Another token is another secret; the default name is "api".
	secret2, tok2, err := f.svc.CreateToken(f.ctx, actorOf(admin), "robot", "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if secret2 == secret || tok2.Name != "api" || !tok2.ExpiresAt.Equal(epoch.Add(time.Hour)) {
		t.Errorf("second token %q %+v", secret2, tok2)
	}

	es := f.entries(t, "token.create")
	if len(es) != 2 {
		t.Fatalf("%d token.create entries, want 2", len(es))
	}
	if e := es[0]; e.Target != "token:"+strconv.FormatInt(tok.ID, 10) || e.ActorID != admin.ID ||
		e.Detail["user"] != "robot" || e.Detail["role"] != "staff" {
		t.Errorf("token.create entry = %+v", e)
	}
	f.notInAudit(t, secret, secret2, secret[len("hogo_"):])
}

func TestTokenCarriesRole(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, role := range hogo.Roles {
		name := "u-" + string(role)
		user, _ := f.addUser(t, name, role)
		secret, _, err := f.svc.CreateToken(f.ctx, f.root, name, "", 0)
		if err != nil {
			t.Fatalf("CreateToken(%s): %v", name, err)
		}
		u, _, err := f.svc.Token(f.ctx, secret)
		if err != nil {
			t.Fatalf("Token(%s): %v", name, err)
		}
		if u.ID != user.ID || u.Role != role {
			t.Errorf("token of %s authenticates as %s (%s)", name, u.Name, u.Role)
		}
	}
	// A role change applies to existing tokens at once.
	auditor, err := f.store.FindUserByName(f.ctx, "u-auditor")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := f.svc.CreateToken(f.ctx, f.root, "u-auditor", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetRole(f.ctx, f.root, auditor.ID, hogo.RoleDesk); err != nil {
		t.Fatal(err)
	}
	if u, _, err := f.svc.Token(f.ctx, secret); err != nil || u.Role != hogo.RoleDesk {
		t.Errorf("after SetRole the token has role %v (%v), want desk", u, err)
	}
}

func TestTokenRevoked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addUser(t, "robot", hogo.RoleStaff)
	secret, tok, err := f.svc.CreateToken(f.ctx, f.root, "robot", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	keep, _, err := f.svc.CreateToken(f.ctx, f.root, "robot", "other", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RevokeToken(f.ctx, f.root, tok.ID); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	u, got, err := f.svc.Token(f.ctx, secret)
	wantError(t, err, hogo.EUNAUTHORIZED, "")
	if u != nil || got != nil {
		t.Errorf("revoked token returned %+v, %+v", u, got)
	}
	if _, _, err := f.svc.Token(f.ctx, keep); err != nil {
		t.Errorf("revoking one token revoked another: %v", err)
	}
	wantError(t, f.svc.RevokeToken(f.ctx, f.root, 9999), hogo.ENOTFOUND, "")
	es := f.entries(t, "token.revoke")
	if len(es) != 1 || es[0].Target != "token:"+strconv.FormatInt(tok.ID, 10) {
		t.Errorf("token.revoke entries = %+v", es)
	}
	f.notInAudit(t, secret, keep)
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addUser(t, "robot", hogo.RoleStaff)
	short, _, err := f.svc.CreateToken(f.ctx, f.root, "robot", "short", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	forever, _, err := f.svc.CreateToken(f.ctx, f.root, "robot", "forever", 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at            time.Duration
		shortOK, fwOK bool
	}{
		{0, true, true},
		{59 * time.Minute, true, true},
		{time.Hour, true, true},
		{time.Hour + time.Second, false, true},
		{10 * 365 * 24 * time.Hour, false, true},
	}
	for _, tt := range tests {
		f.clock.Set(epoch.Add(tt.at))
		for _, c := range []struct {
			name, secret string
			ok           bool
		}{{"short", short, tt.shortOK}, {"forever", forever, tt.fwOK}} {
			_, _, err := f.svc.Token(f.ctx, c.secret)
			if c.ok && err != nil {
				t.Errorf("%s token at +%v: %v", c.name, tt.at, err)
			}
			if !c.ok && hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
				t.Errorf("%s token at +%v = %v, want unauthorized", c.name, tt.at, err)
			}
		}
	}
}

func TestTokenRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addUser(t, "robot", hogo.RoleStaff)
	secret, _, err := f.svc.CreateToken(f.ctx, f.root, "robot", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.TrimPrefix(secret, "hogo_")
	last := body[len(body)-1]
	flipped := byte('A')
	if last == 'A' {
		flipped = 'B'
	}
	tests := []struct{ name, secret string }{
		{"empty", ""},
		{"prefix only", "hogo_"},
		{"no prefix", body},
		{"wrong prefix", "hoge_" + body},
		{"upper-case prefix", "HOGO_" + body},
		{"github-style prefix", "ghp_" + body},
		{"leading space", " " + secret},
		{"trailing character", secret + "x"},
		{"truncated", secret[:len(secret)-1]},
		{"last character changed", secret[:len(secret)-1] + string(flipped)},
		{"prefix repeated", "hogo_" + secret},
		{"random", staff.TokenPrefix + staff.NewSecret()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, tok, err := f.svc.Token(f.ctx, tt.secret)
			wantError(t, err, hogo.EUNAUTHORIZED, "")
			if u != nil || tok != nil {
				t.Errorf("Token returned %+v, %+v", u, tok)
			}
		})
	}
	if _, _, err := f.svc.Token(f.ctx, secret); err != nil {
		t.Errorf("the real token: %v", err)
	}
}

func TestTokenUnknownOrDisabledUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	robot, _ := f.addUser(t, "robot", hogo.RoleStaff)
	before := f.auditCount(t)
	secret, tok, err := f.svc.CreateToken(f.ctx, f.root, "nobody", "", 0)
	wantError(t, err, hogo.ENOTFOUND, "user")
	if secret != "" || tok != nil {
		t.Errorf("CreateToken for an unknown user returned %q, %+v", secret, tok)
	}
	if n := f.auditCount(t); n != before {
		t.Errorf("a refused CreateToken wrote %d audit entries", n-before)
	}

	secret, _, err = f.svc.CreateToken(f.ctx, f.root, "robot", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetDisabled(f.ctx, f.root, robot.ID, true); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Token(f.ctx, secret)
	wantError(t, err, hogo.EUNAUTHORIZED, "")
	_, _, err = f.svc.CreateToken(f.ctx, f.root, "robot", "", 0)
	wantError(t, err, hogo.EINVALID, "")
	if toks, _ := f.store.ListTokens(f.ctx, robot.ID); len(toks) != 1 {
		t.Errorf("%d tokens for the disabled user, want 1", len(toks))
	}
}

func TestTokenTouch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	robot, _ := f.addUser(t, "robot", hogo.RoleStaff)
	secret, _, err := f.svc.CreateToken(f.ctx, f.root, "robot", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		toks, err := f.store.ListTokens(f.ctx, robot.ID)
		if err != nil || len(toks) != 1 {
			t.Fatalf("ListTokens = %v, %v", toks, err)
		}
		return toks[0].LastUsedAt
	}
	if !lastUsed().IsZero() {
		t.Fatal("a new token has a last use")
	}
	first := f.clock.Advance(time.Minute)
	if _, _, err := f.svc.Token(f.ctx, secret); err != nil {
		t.Fatal(err)
	}
	if got := lastUsed(); !got.Equal(first) {
		t.Errorf("LastUsedAt = %v, want %v", got, first)
	}
	f.clock.Advance(30 * time.Second)
	if _, _, err := f.svc.Token(f.ctx, secret); err != nil {
		t.Fatal(err)
	}
	if got := lastUsed(); !got.Equal(first) {
		t.Errorf("LastUsedAt moved within a minute: %v", got)
	}
	later := f.clock.Advance(time.Hour)
	if _, _, err := f.svc.Token(f.ctx, secret); err != nil {
		t.Fatal(err)
	}
	if got := lastUsed(); !got.Equal(later) {
		t.Errorf("LastUsedAt = %v, want %v", got, later)
	}
}

func TestCheckCSRF(t *testing.T) {
	t.Parallel()
	tok := staff.NewSecret()
	sess := &hogo.Session{CSRF: tok}
	tests := []struct {
		name  string
		sess  *hogo.Session
		token string
		want  bool
	}{
		{"match", sess, tok, true},
		{"nil session", nil, tok, false},
		{"empty token", sess, "", false},
		{"both empty", &hogo.Session{}, "", false},
		{"session without token", &hogo.Session{}, tok, false},
		{"other token", sess, staff.NewSecret(), false},
		{"prefix", sess, tok[:len(tok)-1], false},
		{"extended", sess, tok + "x", false},
		{"case changed", sess, strings.ToUpper(tok), strings.ToUpper(tok) == tok},
		{"surrounding space", sess, " " + tok + " ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := staff.CheckCSRF(tt.sess, tt.token); got != tt.want {
				t.Errorf("CheckCSRF = %v, want %v", got, tt.want)
			}
		})
	}
}

// Concurrent sign-ins each get their own session; the audit chain stays
// intact under the log's group commit.
func TestConcurrentLogins(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, pw := f.addUser(t, "alice", hogo.RoleStaff)
	const n = 8
	var wg sync.WaitGroup
	secrets := make([]string, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, secrets[i], _, errs[i] = f.svc.Login(f.ctx, "alice", pw, fmt.Sprintf("198.51.100.%d", i))
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		if errs[i] != nil {
			t.Fatalf("login %d: %v", i, errs[i])
		}
		if seen[secrets[i]] {
			t.Fatalf("two concurrent logins share a secret")
		}
		seen[secrets[i]] = true
		if _, _, err := f.svc.Session(f.ctx, secrets[i]); err != nil {
			t.Errorf("session %d: %v", i, err)
		}
	}
	if got := len(f.entries(t, "login.success")); got != n {
		t.Errorf("%d login.success entries, want %d", got, n)
	}
}

// Parallel wrong guesses cannot outrun the lockout: each attempt takes its
// place in the count before its password is checked, so at most LockAfter
// passwords are ever checked before the account locks.
func TestParallelGuessesLock(t *testing.T) {
	f := newFixture(t)
	u, pw := f.addUser(t, "target", hogo.RoleStaff)
	const n = 40
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f.svc.Login(f.ctx, "target", fmt.Sprintf("wrong-guess-%02d", i), "203.0.113.9")
		}(i)
	}
	wg.Wait()
	checked, refused := 0, 0
	for _, e := range f.entries(t, "login.failure") {
		switch e.Detail["reason"] {
		case "bad_password", "bad_password_locked":
			checked++
		case "locked":
			refused++
		}
	}
	if checked > f.svc.LockAfter || checked+refused != n {
		t.Fatalf("%d passwords checked (limit %d), %d refused, of %d attempts", checked, f.svc.LockAfter, refused, n)
	}
	if _, _, _, err := f.svc.Login(f.ctx, "target", pw, "203.0.113.9"); hogo.ErrorCode(err) != hogo.ELOCKED {
		t.Fatalf("right password during lock: %v", err)
	}
	if got := f.user(t, u.ID); !got.Locked(f.clock.Now()) {
		t.Fatal("account not locked")
	}
}

// interleave is the real store with an administrator's action slipped in
// between the password check and the recording of a sign-in.
type interleave struct {
	hogo.Store
	before func()
}

func (s *interleave) RecordLoginSuccess(ctx context.Context, id int64, at time.Time, hash string) (bool, error) {
	s.before()
	return s.Store.RecordLoginSuccess(ctx, id, at, hash)
}

// A sign-in that overlaps disabling the account, or a password reset, does
// not undo it and does not get a session.
func TestLoginDoesNotUndoAdminActions(t *testing.T) {
	for _, action := range []string{"disable", "password"} {
		t.Run(action, func(t *testing.T) {
			f := newFixture(t)
			u, pw := f.addUser(t, "mallory", hogo.RoleStaff)
			admin, _ := f.addUser(t, "boss", hogo.RoleAdmin)
			svc := staff.New(&interleave{Store: f.store, before: func() {
				var err error
				if action == "disable" {
					err = f.svc.SetDisabled(f.ctx, actorOf(admin), u.ID, true)
				} else {
					err = f.svc.SetPassword(f.ctx, actorOf(admin), u.ID, "a-brand-new-password")
				}
				if err != nil {
					t.Error(err)
				}
			}}, f.log)
			svc.Params, svc.Now = f.svc.Params, f.svc.Now
			if _, _, _, err := svc.Login(f.ctx, "mallory", pw, "203.0.113.1"); hogo.ErrorCode(err) != hogo.EUNAUTHORIZED {
				t.Fatalf("login across %s: %v", action, err)
			}
			got := f.user(t, u.ID)
			if action == "disable" && !got.Disabled {
				t.Fatal("the sign-in re-enabled the account")
			}
			if action == "password" {
				if ok, _ := staff.CheckPassword(got.PasswordHash, "a-brand-new-password"); !ok {
					t.Fatal("the sign-in undid the password reset")
				}
			}
		})
	}
}

func TestLastAdminStays(t *testing.T) {
	f := newFixture(t)
	a, _ := f.addUser(t, "only-admin", hogo.RoleAdmin)
	if err := f.svc.SetRole(f.ctx, f.root, a.ID, hogo.RoleStaff); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Fatalf("demoting the last admin: %v", err)
	}
	if err := f.svc.SetDisabled(f.ctx, f.root, a.ID, true); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Fatalf("disabling the last admin: %v", err)
	}
	b, _ := f.addUser(t, "second-admin", hogo.RoleAdmin)
	if err := f.svc.SetRole(f.ctx, f.root, a.ID, hogo.RoleStaff); err != nil {
		t.Fatalf("demoting one of two admins: %v", err)
	}
	if err := f.svc.SetDisabled(f.ctx, f.root, b.ID, true); hogo.ErrorCode(err) != hogo.EINVALID {
		t.Fatalf("disabling the last remaining admin: %v", err)
	}
}
