// Package hogo holds the domain of hogo (保護): the types and service
// interfaces that every other package speaks in. It imports only the standard
// library. Storage adapters (sqlite/, postgres/) implement the interfaces here;
// web/ and cmd/hogo use them; nothing here knows how it is stored or served.
package hogo

import (
	"context"
	"time"
)

// Version is the version of the hogo binary, set at build time.
var Version = "0.1.0-dev"

// Tokyo is Asia/Tokyo. Every date a person reads is in this zone.
var Tokyo = mustLoadTokyo()

func mustLoadTokyo() *time.Location {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		// Japan has kept UTC+9 without daylight saving since 1951.
		return time.FixedZone("JST", 9*60*60)
	}
	return loc
}

// Role is a staff role. The set is fixed; what the `staff` role may do is
// scoped further by the ledger's access rules.
type Role string

// The staff roles.
const (
	RoleAdmin   Role = "admin"   // システム管理者: users, tokens, settings
	RoleManager Role = "manager" // 個人情報保護管理者: the protection manager
	RoleDesk    Role = "desk"    // 窓口: requests and complaints
	RoleStaff   Role = "staff"   // 業務担当: daily use, scoped by the ledger
	RoleAuditor Role = "auditor" // 監査責任者: read-only
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleManager, RoleDesk, RoleStaff, RoleAuditor}

// Valid reports whether r is one of the fixed roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// User is a member of staff who signs in to the console or uses the API.
type User struct {
	ID           int64
	Name         string // login name, not necessarily a person's name
	DisplayName  string
	Role         Role
	PasswordHash string // PHC string, argon2id
	Disabled     bool
	FailedLogins int
	LockedUntil  time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastLoginAt  time.Time
}

// Locked reports whether the account is locked at time now.
func (u *User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }

// Session is a signed-in console session. Only the SHA-256 of the session
// secret is stored, so a copy of the database does not hand out sessions.
type Session struct {
	IDHash    []byte
	UserID    int64
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
	RemoteIP  string
}

// Token is an API token. Only its SHA-256 is stored; it carries the role of
// its user.
type Token struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       []byte
	Prefix     string // the first characters, shown so people can tell tokens apart
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: no expiry
	LastUsedAt time.Time
	Revoked    bool
}

// UserService stores staff accounts, sessions and API tokens.
type UserService interface {
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByName(ctx context.Context, name string) (*User, error)
	ListUsers(ctx context.Context) ([]*User, error)
	CountUsers(ctx context.Context) (int, error)
	// SetUserRole, SetUserDisabled and SetUserPassword change one thing
	// about a user and nothing else, so that concurrent changes (a sign-in
	// and an administrator's action) never undo each other. Enabling a
	// user and setting a password also lift a lockout.
	SetUserRole(ctx context.Context, userID int64, role Role) error
	SetUserDisabled(ctx context.Context, userID int64, disabled bool) error
	SetUserPassword(ctx context.Context, userID int64, passwordHash string) error
	// RecordLoginSuccess clears the failure count and lock and records the
	// sign-in time, but only while the user is enabled and still has the
	// password hash that was checked; ok is false otherwise.
	RecordLoginSuccess(ctx context.Context, userID int64, at time.Time, passwordHash string) (ok bool, err error)
	// RecordLoginFailure atomically adds one to a user's failed sign-ins;
	// the lockAfter-th failure in a row locks the user until lockUntil and
	// restarts the count. locking reports whether this failure set the lock.
	// Concurrent failures, from several nodes too, each count.
	RecordLoginFailure(ctx context.Context, userID int64, lockAfter int, lockUntil time.Time) (locking bool, err error)

	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, idHash []byte) (*Session, error)
	// TouchSession records activity and moves the idle expiry.
	TouchSession(ctx context.Context, idHash []byte, at, expires time.Time) error
	DeleteSession(ctx context.Context, idHash []byte) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)

	CreateToken(ctx context.Context, t *Token) error
	FindTokenByHash(ctx context.Context, hash []byte) (*Token, error)
	ListTokens(ctx context.Context, userID int64) ([]*Token, error)
	RevokeToken(ctx context.Context, id int64) error
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

// Setting keys kept in the store's settings table.
const (
	SettingLedgerYAML  = "ledger.yaml"
	SettingDemo        = "demo"
	SettingAuditPubKey = "audit.checkpoint_public_key"
	// SettingVaultKeyCheck is a blind index of a fixed text, which tells
	// whether the vault's master key file is the one the data was sealed
	// and indexed with.
	SettingVaultKeyCheck = "vault.key_check"
	// SettingVaultNodePrefix starts the key of each running server's
	// report of the key-encryption key it wraps with: "KEKID UNIXTIME".
	SettingVaultNodePrefix = "vault.node."
	// SettingVaultNotesKey is the data key that seals notes about uses and
	// erasures (justifications, review notes, reasons), wrapped by the KEK
	// like a principal's, base64.
	SettingVaultNotesKey = "vault.notes_key"
)

// SettingService keeps small named values: the active ledger, the
// organisation's name, flags.
type SettingService interface {
	GetSetting(ctx context.Context, key string) (string, error)
	PutSetting(ctx context.Context, key, value string) error
	// ListSettings returns the settings whose keys start with prefix.
	ListSettings(ctx context.Context, prefix string) (map[string]string, error)
	// PutSettingIfAbsent stores value unless the key is set, and returns
	// the stored value: the first writer wins, even across nodes.
	PutSettingIfAbsent(ctx context.Context, key, value string) (string, error)
}
