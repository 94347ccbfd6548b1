// Package storetest is the conformance suite every storage adapter passes:
// users, sessions, tokens, settings and the audit chain, including tampering
// with stored entries and appends from several handles at once. The adapters'
// own tests call Run with a way to open a fresh store.
package storetest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/sqlstore"
)

// Harness tells the suite how to get stores.
type Harness struct {
	// Open returns a fresh, migrated, empty store, and a function that
	// opens another handle on the same database (another process or node).
	Open func(t *testing.T) (db *sqlstore.DB, reopen func(t *testing.T) *sqlstore.DB)
	// DropGuards removes the append-only triggers, as an attacker with
	// database access would before tampering.
	DropGuards []string
}

// Run runs the whole suite.
func Run(t *testing.T, h Harness) {
	t.Run("Schema", func(t *testing.T) { testSchema(t, h) })
	t.Run("Users", func(t *testing.T) { testUsers(t, h) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, h) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, h) })
	t.Run("Settings", func(t *testing.T) { testSettings(t, h) })
	t.Run("AuditAppendVerify", func(t *testing.T) { testAuditAppend(t, h) })
	t.Run("AuditAppendOnly", func(t *testing.T) { testAppendOnly(t, h) })
	t.Run("AuditTamper", func(t *testing.T) { testTamper(t, h) })
	t.Run("AuditTamperParallelVerify", func(t *testing.T) {
		// The same, with the chain verified in ranges of 50 entries, so
		// that tampering falls inside ranges and on their boundaries.
		old := audit.MinPartSize
		audit.MinPartSize = 50
		defer func() { audit.MinPartSize = old }()
		testTamper(t, h)
	})
	t.Run("AuditForgedEnd", func(t *testing.T) { testForgedEnd(t, h) })
	t.Run("AuditWiped", func(t *testing.T) { testWiped(t, h) })
	t.Run("AuditHiddenLink", func(t *testing.T) { testHiddenLink(t, h) })
	t.Run("AuditSeveralHandles", func(t *testing.T) { testSeveralHandles(t, h) })
	t.Run("AuditList", func(t *testing.T) { testAuditList(t, h) })
	t.Run("Vault", func(t *testing.T) { testVault(t, h) })
	t.Run("Requests", func(t *testing.T) { testRequests(t, h) })
	t.Run("Registers", func(t *testing.T) { testRegisters(t, h) })
	t.Run("Consents", func(t *testing.T) { testConsents(t, h) })
	t.Run("Incidents", func(t *testing.T) { testIncidents(t, h) })
	t.Run("Complaints", func(t *testing.T) { testComplaints(t, h) })
	t.Run("Retention", func(t *testing.T) { testRetention(t, h) })
	t.Run("Jobs", func(t *testing.T) { testJobs(t, h) })
	t.Run("AuditPrune", func(t *testing.T) { testAuditPrune(t, h) })
	t.Run("AuditPruneLink", func(t *testing.T) { testAuditPruneLink(t, h) })
	t.Run("Notice", func(t *testing.T) { testNotice(t, h) })
	t.Run("Datasets", func(t *testing.T) { testDatasets(t, h) })
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := hogo.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func testSchema(t *testing.T, h Harness) {
	db, _ := h.Open(t)
	ctx := context.Background()
	have, want, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if have != want || want < 1 {
		t.Fatalf("schema version have %d want %d", have, want)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Fatal(err)
	}
	// Migrating again applies nothing.
	n, err := db.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second Migrate applied %d, err %v", n, err)
	}
	// An older schema is refused with a message that says what to run.
	if _, err := db.Write.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = $1`, want); err != nil {
		t.Fatal(err)
	}
	err = db.CheckSchema(ctx)
	wantCode(t, err, hogo.ESCHEMA)
	if !bytes.Contains([]byte(err.Error()), []byte("hogo migrate")) {
		t.Fatalf("schema error does not say how to fix it: %v", err)
	}
}

func testUsers(t *testing.T, h Harness) {
	db, _ := h.Open(t)
	ctx := context.Background()
	u := &hogo.User{Name: "sato", DisplayName: "佐藤 花子", Role: hogo.RoleManager, PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.CreatedAt.IsZero() {
		t.Fatalf("CreateUser did not set ID and time: %+v", u)
	}
	wantCode(t, db.CreateUser(ctx, &hogo.User{Name: "sato", Role: hogo.RoleStaff, PasswordHash: "y"}), hogo.ECONFLICT)
	wantCode(t, db.CreateUser(ctx, &hogo.User{Name: "bad", Role: "root", PasswordHash: "y"}), hogo.EINVALID)

	got, err := db.FindUserByName(ctx, "sato")
	if err != nil || got.ID != u.ID || got.DisplayName != "佐藤 花子" || got.Role != hogo.RoleManager {
		t.Fatalf("FindUserByName = %+v, %v", got, err)
	}
	_, err = db.FindUserByName(ctx, "nobody")
	wantCode(t, err, hogo.ENOTFOUND)
	_, err = db.FindUserByID(ctx, 9999)
	wantCode(t, err, hogo.ENOTFOUND)

	lock := time.Date(2026, 11, 23, 10, 0, 0, 123, time.UTC)
	got.FailedLogins, got.LockedUntil, got.Disabled = 5, lock, true
	if err := db.UpdateUser(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, _ := db.FindUserByID(ctx, u.ID)
	if again.FailedLogins != 5 || !again.LockedUntil.Equal(lock) || !again.Disabled {
		t.Fatalf("update not stored: %+v", again)
	}
	wantCode(t, db.UpdateUser(ctx, &hogo.User{ID: 4242, Role: hogo.RoleStaff}), hogo.ENOTFOUND)
	if err := db.CreateUser(ctx, &hogo.User{Name: "abe", Role: hogo.RoleStaff, PasswordHash: "z"}); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListUsers(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "abe" {
		t.Fatalf("ListUsers = %v, %v", list, err)
	}
	if n, _ := db.CountUsers(ctx); n != 2 {
		t.Fatalf("CountUsers = %d", n)
	}

	// Changes of one thing leave the rest alone.
	if err := db.SetUserRole(ctx, got.ID, hogo.RoleAuditor); err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserPassword(ctx, got.ID, "new-hash"); err != nil {
		t.Fatal(err)
	}
	one, _ := db.FindUserByID(ctx, got.ID)
	if one.Role != hogo.RoleAuditor || one.PasswordHash != "new-hash" || !one.Disabled || one.FailedLogins != 0 || !one.LockedUntil.IsZero() {
		t.Fatalf("after SetUserRole and SetUserPassword: %+v", one)
	}
	if ok, err := db.RecordLoginSuccess(ctx, got.ID, lock, "new-hash"); err != nil || ok {
		t.Fatalf("sign-in recorded for a disabled user: %v %v", ok, err)
	}
	if err := db.SetUserDisabled(ctx, got.ID, false); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.RecordLoginSuccess(ctx, got.ID, lock, "old-hash"); ok {
		t.Fatal("sign-in recorded with a password hash that was replaced")
	}
	if ok, _ := db.RecordLoginSuccess(ctx, got.ID, lock, "new-hash"); !ok {
		t.Fatal("sign-in not recorded")
	}
	if one, _ = db.FindUserByID(ctx, got.ID); !one.LastLoginAt.Equal(lock) || one.Disabled {
		t.Fatalf("after RecordLoginSuccess: %+v", one)
	}
	wantCode(t, db.SetUserRole(ctx, 4242, hogo.RoleStaff), hogo.ENOTFOUND)

	// Failed sign-ins: the third in a row locks and restarts the count.
	abe, _ := db.FindUserByName(ctx, "abe")
	until := time.Date(2026, 11, 23, 12, 15, 0, 0, time.UTC)
	for i, want := range []bool{false, false, true, false} {
		locking, err := db.RecordLoginFailure(ctx, abe.ID, 3, until)
		if err != nil || locking != want {
			t.Fatalf("failure %d: locking %v err %v, want %v", i+1, locking, err, want)
		}
	}
	abe, _ = db.FindUserByID(ctx, abe.ID)
	if !abe.LockedUntil.Equal(until) || abe.FailedLogins != 1 {
		t.Fatalf("after lock: %+v", abe)
	}
	_, err = db.RecordLoginFailure(ctx, 9999, 3, until)
	wantCode(t, err, hogo.ENOTFOUND)
	// Concurrent failures all count.
	before, _ := db.FindUserByID(ctx, got.ID)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); db.RecordLoginFailure(ctx, got.ID, 1000, until) }()
	}
	wg.Wait()
	if u, _ := db.FindUserByID(ctx, got.ID); u.FailedLogins != before.FailedLogins+20 {
		t.Fatalf("20 concurrent failures counted as %d", u.FailedLogins-before.FailedLogins)
	}
}

func testSessions(t *testing.T, h Harness) {
	db, _ := h.Open(t)
	ctx := context.Background()
	u := &hogo.User{Name: "desk1", Role: hogo.RoleDesk, PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	s := &hogo.Session{IDHash: []byte("0123456789abcdef0123456789abcdef"), UserID: u.ID, CSRF: "c", CreatedAt: now,
		ExpiresAt: now.Add(time.Hour), LastSeen: now, RemoteIP: "127.0.0.1"}
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	old := &hogo.Session{IDHash: []byte("old"), UserID: u.ID, CSRF: "c", CreatedAt: now.Add(-3 * time.Hour),
		ExpiresAt: now.Add(-time.Hour), LastSeen: now}
	if err := db.CreateSession(ctx, old); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindSession(ctx, s.IDHash)
	if err != nil || got.UserID != u.ID || !got.ExpiresAt.Equal(s.ExpiresAt) {
		t.Fatalf("FindSession = %+v, %v", got, err)
	}
	if err := db.TouchSession(ctx, s.IDHash, now.Add(time.Minute), now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = db.FindSession(ctx, s.IDHash)
	if !got.LastSeen.Equal(now.Add(time.Minute)) || !got.ExpiresAt.Equal(now.Add(2*time.Hour)) {
		t.Fatalf("TouchSession not stored: %v", got.LastSeen)
	}
	n, err := db.DeleteExpiredSessions(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredSessions = %d, %v", n, err)
	}
	if err := db.DeleteUserSessions(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.FindSession(ctx, s.IDHash)
	wantCode(t, err, hogo.ENOTFOUND)
}

func testTokens(t *testing.T, h Harness) {
	db, _ := h.Open(t)
	ctx := context.Background()
	u := &hogo.User{Name: "api", Role: hogo.RoleStaff, PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	tok := &hogo.Token{UserID: u.ID, Name: "batch", Hash: []byte("hash-1"), Prefix: "hogo_ab"}
	if err := db.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindTokenByHash(ctx, []byte("hash-1"))
	if err != nil || got.ID != tok.ID || got.UserID != u.ID || got.Revoked {
		t.Fatalf("FindTokenByHash = %+v, %v", got, err)
	}
	_, err = db.FindTokenByHash(ctx, []byte("nope"))
	wantCode(t, err, hogo.ENOTFOUND)
	if err := db.TouchToken(ctx, tok.ID, time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.RevokeToken(ctx, 777), hogo.ENOTFOUND)
	list, err := db.ListTokens(ctx, u.ID)
	if err != nil || len(list) != 1 || !list[0].Revoked || list[0].LastUsedAt.Unix() != 1700000000 {
		t.Fatalf("ListTokens = %+v, %v", list, err)
	}
	all, _ := db.ListTokens(ctx, 0)
	if len(all) != 1 {
		t.Fatalf("ListTokens(0) = %d tokens", len(all))
	}
}

func testSettings(t *testing.T, h Harness) {
	db, _ := h.Open(t)
	ctx := context.Background()
	_, err := db.GetSetting(ctx, "k")
	wantCode(t, err, hogo.ENOTFOUND)
	for _, v := range []string{"一", "二"} {
		if err := db.PutSetting(ctx, "k", v); err != nil {
			t.Fatal(err)
		}
		if got, err := db.GetSetting(ctx, "k"); err != nil || got != v {
			t.Fatalf("GetSetting = %q, %v", got, err)
		}
	}
	// The first writer wins.
	if got, err := db.PutSettingIfAbsent(ctx, "once", "a"); err != nil || got != "a" {
		t.Fatalf("PutSettingIfAbsent first = %q, %v", got, err)
	}
	if got, err := db.PutSettingIfAbsent(ctx, "once", "b"); err != nil || got != "a" {
		t.Fatalf("PutSettingIfAbsent second = %q, %v", got, err)
	}
	// A prefix lists its keys only; LIKE's wildcards in it are literal.
	for k, v := range map[string]string{"node.a": "1", "node.b": "2", "nodeXa": "3", "node_a": "4", "node%": "5"} {
		if err := db.PutSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.ListSettings(ctx, "node.")
	if err != nil || len(got) != 2 || got["node.a"] != "1" || got["node.b"] != "2" {
		t.Fatalf("ListSettings(node.) = %v, %v", got, err)
	}
	if got, err := db.ListSettings(ctx, "node_"); err != nil || len(got) != 1 || got["node_a"] != "4" {
		t.Fatalf("ListSettings(node_) = %v, %v", got, err)
	}
	if got, err := db.ListSettings(ctx, "node%"); err != nil || len(got) != 1 {
		t.Fatalf("ListSettings(node%%) = %v, %v", got, err)
	}
}

func newLog(t *testing.T, db hogo.AuditService, key *audit.Key) *audit.Log {
	l := audit.NewLog(db, key)
	t.Cleanup(func() { l.Close() })
	return l
}

func entry(i int) *hogo.AuditEntry {
	return &hogo.AuditEntry{Actor: fmt.Sprintf("user%d", i%7), Role: hogo.RoleStaff, Action: "principal.read",
		Principal: fmt.Sprintf("p-%05d", i), Category: "job_seeker", Purpose: "job_matching", Remote: "127.0.0.1",
		Detail: map[string]string{"items": "name,email"}}
}

// fill appends n entries from several goroutines, some one at a time and
// some several per call, so that blocks of many sizes are stored.
func fill(t *testing.T, l *audit.Log, n int) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			per := 1 + g%4*3 // 1, 4, 7 or 10 entries per call
			var batch []*hogo.AuditEntry
			for i := range next {
				batch = append(batch, entry(i))
				if len(batch) == per {
					if err := l.Append(ctx, batch...); err != nil {
						errs <- err
						return
					}
					batch = nil
				}
			}
			if len(batch) > 0 {
				if err := l.Append(ctx, batch...); err != nil {
					errs <- err
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func verify(t *testing.T, db hogo.AuditService, key *audit.Key) *audit.Result {
	t.Helper()
	res, err := audit.Verify(context.Background(), db, key.Public(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func testAuditAppend(t *testing.T, h Harness) {
	db, _ := h.Open(t)
	key, _ := audit.GenerateKey()
	l := newLog(t, db, key)
	res := verify(t, db, key)
	if !res.OK() || res.Count != 0 {
		t.Fatalf("empty chain: %+v %+v", res, res.Problem)
	}
	fill(t, l, 2000)
	if _, err := l.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	res = verify(t, db, key)
	if !res.OK() || res.Count != 2000 || res.Head.Seq != 2000 || res.Checkpoints != 1 {
		t.Fatalf("verify: %+v %+v", res, res.Problem)
	}
	if n, _ := db.CountAudit(context.Background()); n != 2000 {
		t.Fatalf("CountAudit = %d", n)
	}
	// Another key does not verify the head.
	other, _ := audit.GenerateKey()
	res, _ = audit.Verify(context.Background(), db, other.Public(), nil)
	if res.OK() {
		t.Fatal("chain verified with another key")
	}
}

func testAppendOnly(t *testing.T, h Harness) {
	db, _ := h.Open(t)
	key, _ := audit.GenerateKey()
	fill(t, newLog(t, db, key), 5)
	ctx := context.Background()
	if _, err := db.Write.ExecContext(ctx, `UPDATE audit_log SET at = 1`); err == nil {
		t.Fatal("UPDATE of audit_log succeeded")
	}
	if _, err := db.Write.ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
		t.Fatal("DELETE from audit_log succeeded")
	}
}

// stored is one audit entry as stored: its position (the number the block
// layout gives it), body and hash, and the block it came from.
type stored struct {
	seq        int64
	body, hash []byte
	block      int64
}

// loadEntries reads every stored entry in order.
func loadEntries(t *testing.T, db *sqlstore.DB) []stored {
	t.Helper()
	rows, err := db.Read.Query(`SELECT seq, n, bodies, hashes FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		var seq int64
		var n int
		var bodies, hashes []byte
		if err := rows.Scan(&seq, &n, &bodies, &hashes); err != nil {
			t.Fatal(err)
		}
		parts := bytes.Split(bytes.TrimSuffix(bodies, []byte("\n")), []byte("\n"))
		if len(parts) != n || len(hashes) != 32*n {
			t.Fatalf("block %d is not well formed", seq)
		}
		for i := 0; i < n; i++ {
			out = append(out, stored{seq: seq + int64(i), body: parts[i], hash: hashes[32*i : 32*i+32], block: seq})
		}
	}
	return out
}

// storeEntries rewrites the table from entries, keeping the original blocks
// together where numbers still run on, as an attacker who edits entries
// inside blocks would leave them.
func storeEntries(t *testing.T, db *sqlstore.DB, entries []stored) {
	t.Helper()
	exec := func(q string, args ...any) {
		if _, err := db.Write.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`DELETE FROM audit_log`)
	for i := 0; i < len(entries); {
		j := i + 1
		for j < len(entries) && entries[j].block == entries[i].block && entries[j].seq == entries[j-1].seq+1 {
			j++
		}
		var bodies, hashes []byte
		for _, e := range entries[i:j] {
			bodies = append(append(bodies, e.body...), '\n')
			hashes = append(hashes, e.hash...)
		}
		exec(`INSERT INTO audit_log (seq, n, at, bodies, hashes) VALUES ($1, $2, 0, $3, $4)`, entries[i].seq, j-i, bodies, hashes)
		i = j
	}
}

func testTamper(t *testing.T, h Harness) {
	const n = 300
	// forge makes what an attacker who knows the algorithm but not the key
	// can compute: a correctly chained entry after prev.
	forge := func(seq int64, prev []byte) stored {
		e := entry(99)
		e.Seq, e.Time = seq, time.Now()
		body := audit.Encode(nil, e)
		return stored{seq: seq, body: body, hash: audit.HashBody(prev, body), block: -seq}
	}
	at := func(es []stored, seq int64) int {
		for i, e := range es {
			if e.seq == seq {
				return i
			}
		}
		t.Fatalf("no entry %d", seq)
		return -1
	}
	type tamperFunc func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored
	cases := []struct {
		name   string
		tamper tamperFunc
		seq    int64
		kind   string
	}{
		{"change body", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			i := at(es, 120)
			es[i].body = bytes.Replace(es[i].body, []byte("user"), []byte("USER"), 1)
			return es
		}, 120, audit.KindChanged},
		{"change hash", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			es[at(es, 77)].hash = make([]byte, 32)
			return es
		}, 77, audit.KindChanged},
		{"change a block in SQL", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			// No tool needed: a byte replacement in the stored block.
			e, err := audit.Decode(es[at(es, 2)].body)
			if err != nil {
				t.Fatal(err)
			}
			var bodies []byte
			b := es[at(es, 2)].block
			db.Read.QueryRow(`SELECT bodies FROM audit_log WHERE seq = $1`, b).Scan(&bodies)
			exec(`UPDATE audit_log SET bodies = $1 WHERE seq = $2`,
				bytes.Replace(bodies, []byte(`"`+e.Principal+`"`), []byte(`"p-99999"`), -1), b)
			return nil
		}, 2, audit.KindChanged},
		{"drop a hash from a block", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			b := es[at(es, 100)].block
			exec(`UPDATE audit_log SET hashes = substr(hashes, 1, length(hashes) - 32) WHERE seq = $1`, b)
			return nil
		}, -1, audit.KindChanged},
		{"remove middle", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			i := at(es, 150)
			return append(es[:i:i], es[i+1:]...)
		}, 150, audit.KindRemoved},
		{"remove a whole block", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			exec(`DELETE FROM audit_log WHERE seq = $1`, es[at(es, 210)].block)
			return nil
		}, -2, audit.KindRemoved},
		{"remove last", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			return es[:len(es)-1]
		}, n, audit.KindRemoved},
		{"remove last and head rolled back", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			exec(`UPDATE audit_head SET seq = $1, hash = $2`, n-1, es[len(es)-2].hash)
			return es[:len(es)-1]
		}, n - 1, audit.KindHead},
		{"remove and renumber", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			i := at(es, 40)
			es = append(es[:i:i], es[i+1:]...)
			for k := i; k < len(es); k++ {
				es[k].seq--
			}
			return es
		}, 40, audit.KindReordered},
		{"insert at end", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			return append(es, forge(n+1, es[len(es)-1].hash))
		}, n + 1, audit.KindInserted},
		{"insert at end and move head", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			f := forge(n+1, es[len(es)-1].hash)
			exec(`UPDATE audit_head SET seq = $1, hash = $2`, n+1, f.hash)
			return append(es, f)
		}, n + 1, audit.KindHead},
		{"insert in the middle", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			i := at(es, 201)
			for k := i; k < len(es); k++ {
				es[k].seq++
			}
			e := entry(5)
			e.Seq, e.Time = 201, time.Now()
			ins := stored{seq: 201, body: audit.Encode(nil, e), hash: make([]byte, 32), block: -1}
			return append(es[:i:i], append([]stored{ins}, es[i:]...)...)
		}, 201, audit.KindChanged},
		{"reorder two", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			i := at(es, 60)
			es[i].body, es[i+1].body = es[i+1].body, es[i].body
			es[i].hash, es[i+1].hash = es[i+1].hash, es[i].hash
			return es
		}, 60, audit.KindReordered},
		{"rewrite before checkpoint", func(t *testing.T, db *sqlstore.DB, es []stored, exec func(string, ...any)) []stored {
			// Rewrite entry 10 and re-chain everything after it: only the
			// signed checkpoint (and head) can tell.
			i := at(es, 10)
			es[i].body = bytes.Replace(es[i].body, []byte("user"), []byte("USER"), 1)
			prev := es[i-1].hash
			for k := i; k < len(es); k++ {
				es[k].hash = audit.HashBody(prev, es[k].body)
				prev = es[k].hash
			}
			exec(`UPDATE audit_head SET hash = $1`, prev)
			return es
		}, 200, audit.KindChanged},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, _ := h.Open(t)
			key, _ := audit.GenerateKey()
			l := newLog(t, db, key)
			fill(t, l, 200)
			if _, err := l.Checkpoint(context.Background()); err != nil {
				t.Fatal(err)
			}
			fill(t, l, n-200)
			if res := verify(t, db, key); !res.OK() {
				t.Fatalf("untouched chain does not verify: %v", res.Problem)
			}
			es := loadEntries(t, db)
			if len(es) != n {
				t.Fatalf("%d entries stored", len(es))
			}
			blocks := map[int64]int{}
			for _, e := range es {
				blocks[e.block]++
			}
			if len(blocks) == n {
				t.Fatal("every block holds one entry: the fill does not exercise blocks")
			}
			for _, g := range h.DropGuards {
				if _, err := db.Write.Exec(g); err != nil {
					t.Fatal(err)
				}
			}
			want := c.seq
			switch want {
			case -1: // the last entry of the block that holds entry 100
				b := es[at(es, 100)].block
				for _, e := range es {
					if e.block == b {
						want = e.seq
					}
				}
			case -2: // the first entry of the block that holds entry 210
				want = es[at(es, 210)].block
			}
			edited := c.tamper(t, db, append([]stored(nil), es...), func(q string, args ...any) {
				t.Helper()
				if _, err := db.Write.Exec(q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			})
			if edited != nil {
				storeEntries(t, db, edited)
			}
			res := verify(t, db, key)
			if res.OK() {
				t.Fatal("tampering was not detected")
			}
			if res.Problem.Seq != want || res.Problem.Kind != c.kind {
				t.Fatalf("problem = entry %d %s (%s), want entry %d %s", res.Problem.Seq, res.Problem.Kind, res.Problem.Message, want, c.kind)
			}
		})
	}
}

func dropGuards(t *testing.T, h Harness, db *sqlstore.DB) {
	t.Helper()
	for _, g := range h.DropGuards {
		if _, err := db.Write.Exec(g); err != nil {
			t.Fatal(err)
		}
	}
}

// A server must not sign over a changed end of the chain: after the tail is
// cut and the head rolled back, appends and checkpoints are refused, and the
// cut stays visible.
func testForgedEnd(t *testing.T, h Harness) {
	for _, rollback := range []bool{false, true} {
		t.Run(fmt.Sprintf("head rolled back %v", rollback), func(t *testing.T) {
			db, _ := h.Open(t)
			key, _ := audit.GenerateKey()
			l := newLog(t, db, key)
			ctx := context.Background()
			for i := 0; i < 10; i++ {
				if err := l.Append(ctx, entry(i)); err != nil {
					t.Fatal(err)
				}
			}
			dropGuards(t, h, db)
			es := loadEntries(t, db)
			storeEntries(t, db, es[:7])
			if rollback {
				if _, err := db.Write.Exec(`UPDATE audit_head SET seq = 7, hash = $1`, es[6].hash); err != nil {
					t.Fatal(err)
				}
			}
			if err := l.Append(ctx, entry(11)); err == nil {
				t.Fatal("an append was signed over a changed end of the chain")
			}
			if _, err := l.Checkpoint(ctx); rollback && err == nil {
				t.Fatal("a checkpoint was signed over a forged head")
			}
			if res := verify(t, db, key); res.OK() {
				t.Fatal("the cut tail verifies")
			}
		})
	}
}

// An empty block slipped in before a range of the parallel verification
// must not hide the link into that range.
func testHiddenLink(t *testing.T, h Harness) {
	old := audit.MinPartSize
	audit.MinPartSize = 10
	defer func() { audit.MinPartSize = old }()
	db, _ := h.Open(t)
	key, _ := audit.GenerateKey()
	l := newLog(t, db, key)
	ctx := context.Background()
	var first []*hogo.AuditEntry
	for i := 0; i < 10; i++ {
		first = append(first, entry(i))
	}
	if err := l.Append(ctx, first...); err != nil { // entries 1–10 in one block
		t.Fatal(err)
	}
	for i := 10; i < 20; i++ {
		if err := l.Append(ctx, entry(i)); err != nil {
			t.Fatal(err)
		}
	}
	dropGuards(t, h, db)
	es := loadEntries(t, db)
	es[10].body = bytes.Replace(es[10].body, []byte("user"), []byte("USER"), 1) // entry 11, hash kept
	storeEntries(t, db, es)
	if _, err := db.Write.Exec(`INSERT INTO audit_log (seq, n, at, bodies, hashes) VALUES (9, 0, 0, $1, $2)`, []byte{}, []byte{}); err != nil {
		t.Fatal(err)
	}
	if res := verify(t, db, key); res.OK() {
		t.Fatal("an entry changed behind an empty block verifies")
	}
}

func testSeveralHandles(t *testing.T, h Harness) {
	db, reopen := h.Open(t)
	key, _ := audit.GenerateKey()
	logs := []*audit.Log{newLog(t, db, key)}
	for i := 0; i < 2; i++ {
		logs = append(logs, newLog(t, reopen(t), key))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for _, l := range logs {
		wg.Add(1)
		go func(l *audit.Log) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				if err := l.Append(context.Background(), entry(i)); err != nil {
					errs <- err
					return
				}
			}
		}(l)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	res := verify(t, db, key)
	if !res.OK() || res.Count != 900 {
		t.Fatalf("three handles: count %d, problem %v", res.Count, res.Problem)
	}
}

func testAuditList(t *testing.T, h Harness) {
	db, _ := h.Open(t)
	key, _ := audit.GenerateKey()
	l := newLog(t, db, key)
	ctx := context.Background()
	for i := 0; i < 30; i++ {
		e := entry(i)
		if i%3 == 0 {
			e.Action = "user.create"
		}
		if err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.ListAudit(ctx, hogo.AuditFilter{Action: "user.", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[0].Seq != 28 || got[0].Action != "user.create" || got[0].Category != "job_seeker" {
		t.Fatalf("ListAudit = %d entries, first %+v", len(got), got[0])
	}
	got, _ = db.ListAudit(ctx, hogo.AuditFilter{Principal: "p-00004"})
	if len(got) != 1 || got[0].Principal != "p-00004" || got[0].Detail["items"] != "name,email" {
		t.Fatalf("by principal = %+v", got)
	}
	got, _ = db.ListAudit(ctx, hogo.AuditFilter{BeforeSeq: 3})
	if len(got) != 2 || got[0].Seq != 2 {
		t.Fatalf("before 3 = %d entries", len(got))
	}
}

func testWiped(t *testing.T, h Harness) {
	db, _ := h.Open(t)
	key, _ := audit.GenerateKey()
	l := newLog(t, db, key)
	ctx := context.Background()
	if err := db.CreateUser(ctx, &hogo.User{Name: "first", Role: hogo.RoleAdmin, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(ctx, hogo.SystemActor.Entry("user.create")); err != nil {
		t.Fatal(err)
	}
	res, err := audit.VerifyStore(ctx, db, key.Public(), nil)
	if err != nil || !res.OK() {
		t.Fatalf("untouched: %v %v", res.Problem, err)
	}
	dropGuards(t, h, db)
	for _, q := range []string{`DELETE FROM audit_log`, `DELETE FROM audit_checkpoints`, `UPDATE audit_head SET seq = 0, hash = $1, signature = $2`} {
		args := []any{}
		if strings.Contains(q, "$1") {
			args = []any{make([]byte, 32), []byte{}}
		}
		if _, err := db.Write.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	res, err = audit.VerifyStore(ctx, db, key.Public(), nil)
	if err != nil || res.OK() {
		t.Fatalf("a wiped chain verifies: %+v %v", res, err)
	}
}
