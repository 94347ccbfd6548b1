package staff

import (
	"context"
	"crypto/subtle"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hogo.example.jp/hogo"
)

// Auditor appends audit entries and returns once they are durable.
type Auditor interface {
	Append(ctx context.Context, entries ...*hogo.AuditEntry) error
}

// Service manages staff accounts. Every change and every sign-in, failed or
// not, is audited.
type Service struct {
	Users hogo.UserService
	Audit Auditor
	Now   func() time.Time
	// Params for new password hashes.
	Params Params
	// LockAfter failed sign-ins in a row lock the account for LockFor.
	LockAfter int
	LockFor   time.Duration
	// SessionTTL is how long a console session lives without use;
	// SessionMax how long it lives at all.
	SessionTTL time.Duration
	SessionMax time.Duration

	// TokenCacheTTL is how long a checked API token is trusted without
	// reading it again. Revoking a token, or changing or disabling its
	// user, through this Service takes effect at once; done on another
	// node, within the TTL.
	TokenCacheTTL time.Duration

	// checking holds a mutex per user ID, taken around password checks.
	checking sync.Map
	// tokens caches checked tokens by hash; gen invalidates them all.
	tokens sync.Map
	gen    atomic.Uint64
}

// New returns a service with the default policy: five failures lock the
// account for fifteen minutes; sessions end after two idle hours or twelve
// hours in all.
func New(users hogo.UserService, audit Auditor) *Service {
	return &Service{Users: users, Audit: audit, Now: time.Now, Params: DefaultParams,
		LockAfter: 5, LockFor: 15 * time.Minute, SessionTTL: 2 * time.Hour, SessionMax: 12 * time.Hour,
		TokenCacheTTL: 5 * time.Second}
}

// passwordError says what a new password must be.
func passwordError() error {
	return hogo.NewError(hogo.EINVALID, "password", "パスワードは%d文字以上にしてください", "the password must be at least %d characters long", MinPasswordLength)
}

var errBadLogin = hogo.NewError(hogo.EUNAUTHORIZED, "", "利用者名またはパスワードが正しくありません", "the user name or password is wrong")

func (s *Service) audit(ctx context.Context, e *hogo.AuditEntry) error {
	if err := s.Audit.Append(ctx, e); err != nil {
		return &hogo.Error{Code: hogo.EINTERNAL, Message: "the audit log could not be written", Err: err}
	}
	return nil
}

// AddUser creates a user. An empty password generates one, returned once.
func (s *Service) AddUser(ctx context.Context, actor hogo.Actor, name, display string, role hogo.Role, password string) (*hogo.User, string, error) {
	name = strings.TrimSpace(name)
	if !validName(name) {
		return nil, "", hogo.NewError(hogo.EINVALID, "name", "利用者名「%s」は使えません。半角英数字と「.」「_」「-」で1〜64文字にしてください", "the user name %q is not valid: use 1–64 letters, digits, '.', '_' or '-'", name)
	}
	if !role.Valid() {
		return nil, "", hogo.NewError(hogo.EINVALID, "role", "役割「%s」はありません。admin、manager、desk、staff、auditor のいずれかを指定してください", "role %q is not known; use one of admin, manager, desk, staff, auditor", role)
	}
	generated := ""
	if password == "" {
		password = GeneratePassword()
		generated = password
	} else if msg := CheckPasswordPolicy(password); msg != "" {
		return nil, "", passwordError()
	}
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return nil, "", err
	}
	u := &hogo.User{Name: name, DisplayName: strings.TrimSpace(display), Role: role, PasswordHash: hash}
	if err := s.Users.CreateUser(ctx, u); err != nil {
		return nil, "", err
	}
	e := actor.Entry("user.create")
	e.Target = "user:" + strconv.FormatInt(u.ID, 10)
	e.Detail = map[string]string{"role": string(role), "name": name}
	if err := s.audit(ctx, e); err != nil {
		return nil, "", err
	}
	return u, generated, nil
}

func validName(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// SetPassword replaces a user's password and ends their sessions.
func (s *Service) SetPassword(ctx context.Context, actor hogo.Actor, userID int64, password string) error {
	if msg := CheckPasswordPolicy(password); msg != "" {
		return passwordError()
	}
	u, err := s.Users.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return err
	}
	if err := s.Users.SetUserPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	if err := s.Users.DeleteUserSessions(ctx, u.ID); err != nil {
		return err
	}
	e := actor.Entry("user.password")
	e.Target = "user:" + strconv.FormatInt(u.ID, 10)
	return s.audit(ctx, e)
}

// keepAnAdmin refuses a change that would leave no enabled administrator
// other than userID: then nobody could manage users from the console.
func (s *Service) keepAnAdmin(ctx context.Context, userID int64) error {
	users, err := s.Users.ListUsers(ctx)
	if err != nil {
		return err
	}
	for _, o := range users {
		if o.ID != userID && o.Role == hogo.RoleAdmin && !o.Disabled {
			return nil
		}
	}
	return hogo.NewError(hogo.EINVALID, "role", "最後の有効な管理者です。先に別の管理者を用意してください", "this is the last enabled administrator; make another administrator first")
}

// SetRole changes a user's role.
func (s *Service) SetRole(ctx context.Context, actor hogo.Actor, userID int64, role hogo.Role) error {
	defer s.forgetTokens()
	if !role.Valid() {
		return hogo.NewError(hogo.EINVALID, "role", "役割「%s」はありません。admin、manager、desk、staff、auditor のいずれかを指定してください", "role %q is not known; use one of admin, manager, desk, staff, auditor", role)
	}
	u, err := s.Users.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	old := u.Role
	if old == hogo.RoleAdmin && role != hogo.RoleAdmin {
		if err := s.keepAnAdmin(ctx, u.ID); err != nil {
			return err
		}
	}
	if err := s.Users.SetUserRole(ctx, u.ID, role); err != nil {
		return err
	}
	e := actor.Entry("user.role")
	e.Target = "user:" + strconv.FormatInt(u.ID, 10)
	e.Detail = map[string]string{"from": string(old), "to": string(role)}
	return s.audit(ctx, e)
}

// SetDisabled disables or enables a user; disabling ends their sessions.
func (s *Service) SetDisabled(ctx context.Context, actor hogo.Actor, userID int64, disabled bool) error {
	defer s.forgetTokens()
	if actor.UserID == userID && disabled {
		return hogo.NewError(hogo.EINVALID, "", "自分のアカウントは無効にできません。別の管理者に依頼してください", "you cannot disable your own account; ask another administrator")
	}
	u, err := s.Users.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	if disabled && u.Role == hogo.RoleAdmin {
		if err := s.keepAnAdmin(ctx, u.ID); err != nil {
			return err
		}
	}
	if err := s.Users.SetUserDisabled(ctx, u.ID, disabled); err != nil {
		return err
	}
	if disabled {
		if err := s.Users.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	e := actor.Entry(action)
	e.Target = "user:" + strconv.FormatInt(u.ID, 10)
	return s.audit(ctx, e)
}

// Login checks a name and password. On success it creates a session and
// returns its secret (for the cookie). Failures are counted; after LockAfter
// in a row the account is locked for LockFor. The error never says whether
// the name exists.
func (s *Service) Login(ctx context.Context, name, password, remote string) (*hogo.User, string, *hogo.Session, error) {
	now := s.Now()
	fail := func(u *hogo.User, reason string) error {
		e := hogo.Actor{Name: name, Remote: remote}.Entry("login.failure")
		e.Outcome = hogo.OutcomeDenied
		e.Detail = map[string]string{"reason": reason}
		if u != nil {
			e.ActorID, e.Role, e.Actor = u.ID, u.Role, u.Name
		} else {
			// An unknown name may be a mistyped password: keep it out.
			e.Actor = "(unknown)"
		}
		if err := s.audit(ctx, e); err != nil {
			return err
		}
		if reason == "locked" {
			return hogo.NewError(hogo.ELOCKED, "", "ログインの失敗が続いたため、このアカウントは一時的にロックされています。しばらくしてから再度お試しいただくか、管理者にご連絡ください", "this account is locked after repeated failed sign-ins; try again later or ask an administrator")
		}
		return errBadLogin
	}
	u, err := s.Users.FindUserByName(ctx, name)
	if hogo.ErrorCode(err) == hogo.ENOTFOUND {
		// Spend the same time as a real check, so timing does not tell
		// which names exist.
		CheckPassword(dummyHash(), password)
		return nil, "", nil, fail(nil, "unknown_user")
	}
	if err != nil {
		return nil, "", nil, err
	}
	if u.Disabled {
		CheckPassword(dummyHash(), password)
		return nil, "", nil, fail(u, "disabled")
	}
	// One password check at a time per user on this node, with the user
	// read again inside: parallel guesses queue, and those behind the
	// failure that sets the lock find the account locked. Failures are
	// counted atomically in the store, so several nodes add up too.
	mu, _ := s.checking.LoadOrStore(u.ID, new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	if u, err = s.Users.FindUserByID(ctx, u.ID); err != nil {
		return nil, "", nil, err
	}
	if u.Locked(now) {
		return nil, "", nil, fail(u, "locked")
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil {
		return nil, "", nil, err
	}
	if !ok {
		reason := "bad_password"
		if s.LockAfter > 0 {
			locking, err := s.Users.RecordLoginFailure(ctx, u.ID, s.LockAfter, now.Add(s.LockFor))
			if err != nil {
				return nil, "", nil, err
			}
			if locking {
				reason = "bad_password_locked"
			}
		}
		return nil, "", nil, fail(u, reason)
	}
	// Record the success only if nothing changed the account while the
	// password was checked (disabled, or a new password set).
	if ok, err := s.Users.RecordLoginSuccess(ctx, u.ID, now, u.PasswordHash); err != nil {
		return nil, "", nil, err
	} else if !ok {
		return nil, "", nil, fail(u, "changed_during_sign_in")
	}
	u.FailedLogins, u.LockedUntil, u.LastLoginAt = 0, time.Time{}, now
	// A new secret at every sign-in: a session ID planted before sign-in
	// (fixation) is never promoted.
	secret := NewSecret()
	sess := &hogo.Session{IDHash: HashSecret(secret), UserID: u.ID, CSRF: NewSecret(), CreatedAt: now,
		ExpiresAt: now.Add(s.SessionTTL), LastSeen: now, RemoteIP: remote}
	if err := s.Users.CreateSession(ctx, sess); err != nil {
		return nil, "", nil, err
	}
	e := hogo.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Remote: remote}.Entry("login.success")
	if err := s.audit(ctx, e); err != nil {
		return nil, "", nil, err
	}
	return u, secret, sess, nil
}

// dummyHash is checked against when the user does not exist, so that a
// failed sign-in takes as long either way. Made on first use, not at start-up.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a password", DefaultParams)
	return h
})

// Session returns the user and session for a session secret, extending the
// idle timeout. An unknown, expired or disabled session is unauthorized.
func (s *Service) Session(ctx context.Context, secret string) (*hogo.User, *hogo.Session, error) {
	if secret == "" {
		return nil, nil, hogo.Errorf(hogo.EUNAUTHORIZED, "please sign in")
	}
	now := s.Now()
	sess, err := s.Users.FindSession(ctx, HashSecret(secret))
	if hogo.ErrorCode(err) == hogo.ENOTFOUND {
		return nil, nil, hogo.Errorf(hogo.EUNAUTHORIZED, "your session has ended; please sign in again")
	}
	if err != nil {
		return nil, nil, err
	}
	if now.After(sess.ExpiresAt) || now.Sub(sess.CreatedAt) > s.SessionMax {
		s.Users.DeleteSession(ctx, sess.IDHash)
		return nil, nil, hogo.Errorf(hogo.EUNAUTHORIZED, "your session has ended; please sign in again")
	}
	u, err := s.Users.FindUserByID(ctx, sess.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, hogo.Errorf(hogo.EUNAUTHORIZED, "this account is disabled")
	}
	// Extend the idle timeout at most once a minute, to spare the writer.
	if now.Sub(sess.LastSeen) > time.Minute {
		sess.LastSeen, sess.ExpiresAt = now, now.Add(s.SessionTTL)
		if err := s.Users.TouchSession(ctx, sess.IDHash, now, sess.ExpiresAt); err != nil {
			return nil, nil, err
		}
	}
	return u, sess, nil
}

// CheckCSRF reports whether token is the session's form token.
func CheckCSRF(sess *hogo.Session, token string) bool {
	return sess != nil && token != "" && subtle.ConstantTimeCompare([]byte(sess.CSRF), []byte(token)) == 1
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, actor hogo.Actor, sess *hogo.Session) error {
	if err := s.Users.DeleteSession(ctx, sess.IDHash); err != nil {
		return err
	}
	return s.audit(ctx, actor.Entry("logout"))
}

// CreateToken makes an API token for the user named userName and returns
// its secret, shown once.
func (s *Service) CreateToken(ctx context.Context, actor hogo.Actor, userName, tokenName string, ttl time.Duration) (string, *hogo.Token, error) {
	u, err := s.Users.FindUserByName(ctx, userName)
	if err != nil {
		if hogo.ErrorCode(err) == hogo.ENOTFOUND {
			return "", nil, hogo.NewError(hogo.ENOTFOUND, "user", "利用者「%s」は登録されていません（hogo user list で確認できます）", "there is no user named %q; see hogo user list", userName)
		}
		return "", nil, err
	}
	if u.Disabled {
		return "", nil, hogo.NewError(hogo.EINVALID, "", "利用者「%s」は無効です。有効にしてからトークンを発行してください", "user %q is disabled; enable it before creating a token", userName)
	}
	if tokenName == "" {
		tokenName = "api"
	}
	secret := TokenPrefix + NewSecret()
	t := &hogo.Token{UserID: u.ID, Name: tokenName, Hash: HashSecret(secret), Prefix: secret[:len(TokenPrefix)+6], CreatedAt: s.Now().UTC()}
	if ttl > 0 {
		t.ExpiresAt = t.CreatedAt.Add(ttl)
	}
	if err := s.Users.CreateToken(ctx, t); err != nil {
		return "", nil, err
	}
	e := actor.Entry("token.create")
	e.Target = "token:" + strconv.FormatInt(t.ID, 10)
	e.Detail = map[string]string{"user": u.Name, "role": string(u.Role)}
	if err := s.audit(ctx, e); err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// RevokeToken revokes a token.
func (s *Service) RevokeToken(ctx context.Context, actor hogo.Actor, id int64) error {
	defer s.forgetTokens()
	if err := s.Users.RevokeToken(ctx, id); err != nil {
		return err
	}
	e := actor.Entry("token.revoke")
	e.Target = "token:" + strconv.FormatInt(id, 10)
	return s.audit(ctx, e)
}

// Token returns the user and token for a bearer secret.
func (s *Service) Token(ctx context.Context, secret string) (*hogo.User, *hogo.Token, error) {
	bad := hogo.Errorf(hogo.EUNAUTHORIZED, "the API token is not valid; create one with hogo token create NAME")
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, nil, bad
	}
	hash := HashSecret(secret)
	now := s.Now()
	gen := s.gen.Load()
	if v, ok := s.tokens.Load(string(hash)); ok {
		c := v.(*cachedToken)
		if c.gen == gen && now.Sub(c.at) < s.TokenCacheTTL && (c.t.ExpiresAt.IsZero() || now.Before(c.t.ExpiresAt)) {
			return c.u, c.t, nil
		}
		s.tokens.Delete(string(hash))
	}
	t, err := s.Users.FindTokenByHash(ctx, hash)
	if hogo.ErrorCode(err) == hogo.ENOTFOUND {
		return nil, nil, bad
	}
	if err != nil {
		return nil, nil, err
	}
	if t.Revoked || (!t.ExpiresAt.IsZero() && now.After(t.ExpiresAt)) {
		return nil, nil, hogo.Errorf(hogo.EUNAUTHORIZED, "the API token was revoked or has expired")
	}
	u, err := s.Users.FindUserByID(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, hogo.Errorf(hogo.EUNAUTHORIZED, "the token's user is disabled")
	}
	if now.Sub(t.LastUsedAt) > time.Minute {
		if err := s.Users.TouchToken(ctx, t.ID, now); err != nil {
			return nil, nil, err
		}
	}
	if s.TokenCacheTTL > 0 {
		s.tokens.Store(string(hash), &cachedToken{u: u, t: t, gen: gen, at: now})
	}
	return u, t, nil
}

// cachedToken is a checked token with its user.
type cachedToken struct {
	u   *hogo.User
	t   *hogo.Token
	gen uint64
	at  time.Time
}

// forgetTokens drops every cached token: a user or token changed.
func (s *Service) forgetTokens() {
	s.gen.Add(1)
	s.tokens.Clear()
}
