package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"hogo.example.jp/hogo"
)

const userCols = `id, name, display_name, role, password_hash, disabled, failed_logins, locked_until, created_at, updated_at, last_login_at`

type scanner interface{ Scan(dest ...any) error }

func scanUser(s scanner) (*hogo.User, error) {
	var u hogo.User
	var role string
	var disabled int
	var locked, created, updated, last int64
	if err := s.Scan(&u.ID, &u.Name, &u.DisplayName, &role, &u.PasswordHash, &disabled, &u.FailedLogins,
		&locked, &created, &updated, &last); err != nil {
		return nil, err
	}
	u.Role = hogo.Role(role)
	u.Disabled = disabled != 0
	u.LockedUntil, u.CreatedAt, u.UpdatedAt, u.LastLoginAt = fromNanos(locked), fromNanos(created), fromNanos(updated), fromNanos(last)
	return &u, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateUser inserts u and sets its ID and times.
func (db *DB) CreateUser(ctx context.Context, u *hogo.User) error {
	if u.Name == "" || !u.Role.Valid() {
		return hogo.Errorf(hogo.EINVALID, "a user needs a name and a valid role")
	}
	now := db.Now().UTC()
	u.CreatedAt, u.UpdatedAt = now, now
	err := db.Write.QueryRowContext(ctx, `INSERT INTO users (name, display_name, role, password_hash, disabled, failed_logins, locked_until, created_at, updated_at, last_login_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		u.Name, u.DisplayName, string(u.Role), u.PasswordHash, b2i(u.Disabled), u.FailedLogins, nanos(u.LockedUntil),
		nanos(now), nanos(now), nanos(u.LastLoginAt)).Scan(&u.ID)
	if err != nil && db.Dialect.IsUnique(err) {
		return hogo.NewError(hogo.ECONFLICT, "name", "利用者名「%s」はすでに使われています。別の名前にしてください", "a user named %q already exists; choose another name", u.Name)
	}
	return err
}

// UpdateUser stores every field of u.
func (db *DB) UpdateUser(ctx context.Context, u *hogo.User) error {
	u.UpdatedAt = db.Now().UTC()
	res, err := db.Write.ExecContext(ctx, `UPDATE users SET display_name = $1, role = $2, password_hash = $3, disabled = $4,
		failed_logins = $5, locked_until = $6, updated_at = $7, last_login_at = $8 WHERE id = $9`,
		u.DisplayName, string(u.Role), u.PasswordHash, b2i(u.Disabled), u.FailedLogins, nanos(u.LockedUntil),
		nanos(u.UpdatedAt), nanos(u.LastLoginAt), u.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hogo.NewError(hogo.ENOTFOUND, "", "利用者 %d は存在しません", "user %d does not exist", u.ID)
	}
	return nil
}

// FindUserByID returns the user with id.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*hogo.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.NewError(hogo.ENOTFOUND, "", "利用者 %d は存在しません", "user %d does not exist", id)
	}
	return u, err
}

// FindUserByName returns the user with the login name.
func (db *DB) FindUserByName(ctx context.Context, name string) (*hogo.User, error) {
	u, err := scanUser(db.Read.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.Errorf(hogo.ENOTFOUND, "no user has that name")
	}
	return u, err
}

// ListUsers returns every user by name.
func (db *DB) ListUsers(ctx context.Context) ([]*hogo.User, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns the number of users.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

func (db *DB) updateOne(ctx context.Context, userID int64, q string, args ...any) error {
	res, err := db.Write.ExecContext(ctx, q, append(args, userID)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hogo.NewError(hogo.ENOTFOUND, "", "利用者 %d は存在しません", "user %d does not exist", userID)
	}
	return nil
}

// SetUserRole changes only the role.
func (db *DB) SetUserRole(ctx context.Context, userID int64, role hogo.Role) error {
	return db.updateOne(ctx, userID, `UPDATE users SET role = $1, updated_at = $2 WHERE id = $3`, string(role), db.Now().UnixNano())
}

// SetUserDisabled changes only whether the user is disabled; enabling also
// lifts a lockout.
func (db *DB) SetUserDisabled(ctx context.Context, userID int64, disabled bool) error {
	if disabled {
		return db.updateOne(ctx, userID, `UPDATE users SET disabled = 1, updated_at = $1 WHERE id = $2`, db.Now().UnixNano())
	}
	return db.updateOne(ctx, userID, `UPDATE users SET disabled = 0, failed_logins = 0, locked_until = 0, updated_at = $1 WHERE id = $2`, db.Now().UnixNano())
}

// SetUserPassword changes the password hash and lifts a lockout.
func (db *DB) SetUserPassword(ctx context.Context, userID int64, passwordHash string) error {
	return db.updateOne(ctx, userID, `UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = 0, updated_at = $2 WHERE id = $3`,
		passwordHash, db.Now().UnixNano())
}

// RecordLoginSuccess implements hogo.UserService.
func (db *DB) RecordLoginSuccess(ctx context.Context, userID int64, at time.Time, passwordHash string) (bool, error) {
	res, err := db.Write.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = 0, last_login_at = $1
		WHERE id = $2 AND disabled = 0 AND password_hash = $3`, nanos(at), userID, passwordHash)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RecordLoginFailure implements hogo.UserService in one UPDATE, so that
// concurrent failures are serialised by the database.
func (db *DB) RecordLoginFailure(ctx context.Context, userID int64, lockAfter int, lockUntil time.Time) (bool, error) {
	var failed int
	var locked int64
	err := db.Write.QueryRowContext(ctx, `UPDATE users SET
		failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END,
		locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END
		WHERE id = $3 RETURNING failed_logins, locked_until`,
		lockAfter, nanos(lockUntil), userID).Scan(&failed, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return false, hogo.NewError(hogo.ENOTFOUND, "", "利用者 %d は存在しません", "user %d does not exist", userID)
	}
	if err != nil {
		return false, err
	}
	// The count restarts exactly when this failure set the lock.
	return failed == 0 && locked == nanos(lockUntil), nil
}

// CreateSession stores a session.
func (db *DB) CreateSession(ctx context.Context, s *hogo.Session) error {
	_, err := db.Write.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at, last_seen, remote_ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		s.IDHash, s.UserID, s.CSRF, nanos(s.CreatedAt), nanos(s.ExpiresAt), nanos(s.LastSeen), s.RemoteIP)
	return err
}

// FindSession returns the session with the given ID hash.
func (db *DB) FindSession(ctx context.Context, idHash []byte) (*hogo.Session, error) {
	var s hogo.Session
	var created, expires, seen int64
	err := db.Read.QueryRowContext(ctx, `SELECT id_hash, user_id, csrf, created_at, expires_at, last_seen, remote_ip FROM sessions WHERE id_hash = $1`, idHash).
		Scan(&s.IDHash, &s.UserID, &s.CSRF, &created, &expires, &seen, &s.RemoteIP)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.Errorf(hogo.ENOTFOUND, "no such session")
	}
	if err != nil {
		return nil, err
	}
	s.CreatedAt, s.ExpiresAt, s.LastSeen = fromNanos(created), fromNanos(expires), fromNanos(seen)
	return &s, nil
}

// TouchSession records activity on a session and moves its expiry.
func (db *DB) TouchSession(ctx context.Context, idHash []byte, at, expires time.Time) error {
	_, err := db.Write.ExecContext(ctx, `UPDATE sessions SET last_seen = $1, expires_at = $2 WHERE id_hash = $3`, nanos(at), nanos(expires), idHash)
	return err
}

// DeleteSession removes a session.
func (db *DB) DeleteSession(ctx context.Context, idHash []byte) error {
	_, err := db.Write.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
	return err
}

// DeleteUserSessions removes all of a user's sessions.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := db.Write.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// DeleteExpiredSessions removes sessions that expired before now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.Write.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, nanos(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

const tokenCols = `id, user_id, name, hash, prefix, created_at, expires_at, last_used_at, revoked`

func scanToken(s scanner) (*hogo.Token, error) {
	var t hogo.Token
	var created, expires, used int64
	var revoked int
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Prefix, &created, &expires, &used, &revoked); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt = fromNanos(created), fromNanos(expires), fromNanos(used)
	t.Revoked = revoked != 0
	return &t, nil
}

// CreateToken stores a token and sets its ID.
func (db *DB) CreateToken(ctx context.Context, t *hogo.Token) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.Now().UTC()
	}
	return db.Write.QueryRowContext(ctx, `INSERT INTO tokens (user_id, name, hash, prefix, created_at, expires_at, last_used_at, revoked)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		t.UserID, t.Name, t.Hash, t.Prefix, nanos(t.CreatedAt), nanos(t.ExpiresAt), nanos(t.LastUsedAt), b2i(t.Revoked)).Scan(&t.ID)
}

// FindTokenByHash returns the token whose hash is hash.
func (db *DB) FindTokenByHash(ctx context.Context, hash []byte) (*hogo.Token, error) {
	t, err := scanToken(db.queryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hogo.Errorf(hogo.ENOTFOUND, "no such token")
	}
	return t, err
}

// ListTokens returns a user's tokens, or everyone's when userID is 0.
func (db *DB) ListTokens(ctx context.Context, userID int64) ([]*hogo.Token, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE $1 = 0 OR user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hogo.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks a token revoked.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	res, err := db.Write.ExecContext(ctx, `UPDATE tokens SET revoked = 1 WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hogo.NewError(hogo.ENOTFOUND, "", "APIトークン %d は存在しません", "token %d does not exist", id)
	}
	return nil
}

// TouchToken records a use of a token.
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.Write.ExecContext(ctx, `UPDATE tokens SET last_used_at = $1 WHERE id = $2`, nanos(at), id)
	return err
}
