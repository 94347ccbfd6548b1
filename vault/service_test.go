package vault_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/access"
	"hogo.example.jp/hogo/audit"
	"hogo.example.jp/hogo/examples"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/postgres"
	"hogo.example.jp/hogo/sqlite"
	"hogo.example.jp/hogo/sqlstore"
	"hogo.example.jp/hogo/vault"
)

// The people of the demo company who use the vault.
var (
	manager = hogo.Actor{UserID: 2, Name: "asakura", Role: hogo.RoleManager, Remote: "192.0.2.10"}
	staffer = hogo.Actor{UserID: 3, Name: "kobayashi", Role: hogo.RoleStaff, Remote: "192.0.2.11"}
	deskman = hogo.Actor{UserID: 4, Name: "morita", Role: hogo.RoleDesk, Remote: "192.0.2.12"}
	auditor = hogo.Actor{UserID: 5, Name: "ishida", Role: hogo.RoleAuditor, Remote: "192.0.2.13"}
	admin   = hogo.Actor{UserID: 1, Name: "hino", Role: hogo.RoleAdmin, Remote: "192.0.2.14"}
)

// apiExample is the body of the API's example request that stores a job
// seeker.
const apiExample = `{
  "category": "job_seeker",
  "purpose": "job_matching",
  "source": "web_form",
  "items": {
    "name": "山田 太郎",
    "name_kana": "ヤマダ タロウ",
    "email": "taro@example.jp",
    "phone": "090-1234-5678"
  }
}`

// demoLedger loads the demo ledger once per call; it is small.
func demoLedger(t testing.TB) (*ledger.Ledger, string) {
	t.Helper()
	data, err := examples.Ledgers.ReadFile(examples.Demo)
	if err != nil {
		t.Fatal(err)
	}
	l, ps := ledger.ParseAndValidate(examples.Demo, data)
	if l == nil {
		t.Fatalf("the demo ledger does not load: %v", ps.Errors())
	}
	return l, ledger.Digest(data)
}

// env is a vault over one store.
type env struct {
	store  string
	db     *sqlstore.DB
	dir    string // SQLite data directory
	key    *audit.Key
	log    *audit.Log
	keys   *vault.Keys
	svc    *vault.Service
	ledger *ledger.Ledger
	digest string
	ctx    context.Context
}

var pgSchemas atomic.Int64

// openers are the stores the vault is tested on: SQLite always, and
// PostgreSQL when HOGO_TEST_POSTGRES is set, each test with a schema of its
// own.
func openers() map[string]func(t *testing.T) (*sqlstore.DB, string) {
	m := map[string]func(t *testing.T) (*sqlstore.DB, string){
		"sqlite": func(t *testing.T) (*sqlstore.DB, string) {
			dir := t.TempDir()
			db, err := sqlite.Open(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			return db, dir
		},
	}
	if base := os.Getenv("HOGO_TEST_POSTGRES"); base != "" {
		m["postgres"] = func(t *testing.T) (*sqlstore.DB, string) {
			ctx := context.Background()
			name := fmt.Sprintf("hogo_vault_t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, pgSchemas.Add(1))
			url, drop, err := postgres.CreateSchema(ctx, base, name)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(drop)
			db, err := postgres.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				db.Close()
				t.Fatal(err)
			}
			return db, ""
		}
	}
	return m
}

// eachStore runs fn on a fresh vault over every store, in parallel.
func eachStore(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, name := range []string{"sqlite", "postgres"} {
		open, ok := openers()[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, name, open))
		})
	}
}

func newEnv(t *testing.T, name string, open func(t *testing.T) (*sqlstore.DB, string)) *env {
	t.Helper()
	db, dir := open(t)
	t.Cleanup(func() { db.Close() })
	key, err := audit.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	log := audit.NewLog(db, key)
	t.Cleanup(func() { log.Close() }) // runs before db.Close
	keys, err := vault.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	l, digest := demoLedger(t)
	e := &env{store: name, db: db, dir: dir, key: key, log: log, keys: keys, ledger: l, digest: digest, ctx: context.Background()}
	e.svc = vault.NewService(db, log, keys, func() (*ledger.Ledger, string) { return e.ledger, e.digest })
	return e
}

// counts returns the principals held and the audit entries written.
func (e *env) counts(t *testing.T) (principals, entries int64) {
	t.Helper()
	p, err := e.db.CountPrincipals(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.db.CountAudit(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return p, a
}

// entries returns every audit entry, oldest first.
func (e *env) entries(t *testing.T) []*hogo.AuditEntry {
	t.Helper()
	var out []*hogo.AuditEntry
	err := e.db.ScanAudit(e.ctx, 0, 0, func(seq int64, body, _ []byte) error {
		x, err := audit.Decode(body)
		if err != nil {
			return err
		}
		x.Seq, x.Body = seq, bytes.Clone(body)
		out = append(out, x)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// last returns the newest audit entry.
func (e *env) last(t *testing.T) *hogo.AuditEntry {
	t.Helper()
	es := e.entries(t)
	if len(es) == 0 {
		t.Fatal("the audit log is empty")
	}
	return es[len(es)-1]
}

// verify checks the audit chain and that no audit body holds any of the
// values.
func (e *env) verify(t *testing.T, values []string) {
	t.Helper()
	res, err := audit.VerifyStore(e.ctx, e.db, e.key.Public(), nil)
	if err != nil || !res.OK() {
		t.Fatalf("audit chain: %v, %v", res, err)
	}
	for _, x := range e.entries(t) {
		for _, v := range values {
			if v != "" && bytes.Contains(x.Body, []byte(v)) {
				t.Fatalf("audit entry %d (%s) contains the value %q: %s", x.Seq, x.Action, v, x.Body)
			}
		}
	}
}

// forms returns a value as typed, as stored (CheckValue) and as indexed
// (IndexForm), for searching where it must not appear.
func (e *env) forms(t *testing.T, category, itemID, raw string) []string {
	t.Helper()
	it := e.ledger.Item(category, itemID)
	if it == nil {
		t.Fatalf("no item %s.%s", category, itemID)
	}
	out := []string{raw}
	if c, err := vault.CheckValue(it, raw); err == nil && !slices.Contains(out, c) {
		out = append(out, c)
	}
	if f := vault.IndexForm(it.Type, raw); !slices.Contains(out, f) {
		out = append(out, f)
	}
	return out
}

// valuesOf returns every form of the items of a record.
func (e *env) valuesOf(t *testing.T, category string, items map[string]string) []string {
	t.Helper()
	var out []string
	for id, v := range items {
		out = append(out, e.forms(t, category, id, v)...)
	}
	return out
}

func exampleRecord(t *testing.T) vault.NewRecord {
	t.Helper()
	var in vault.NewRecord
	dec := json.NewDecoder(strings.NewReader(apiExample))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		t.Fatal(err)
	}
	return in
}

// fullRecord is a job seeker with every item of the category.
func fullRecord() vault.NewRecord {
	// Written for labour management, the purpose under which the manager
	// handles every item (emergency_contact is not for job matching).
	return vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "labour_management"}, Source: "paper_form",
		Items: map[string]string{
			"name":               "鈴木 花子",
			"name_kana":          "すずき はなこ",
			"email":              "Hanako.Suzuki@Example.JP",
			"phone":              "080-2345-6789",
			"birth_date":         "平成4年7月15日",
			"postal_code":        "〒530-0001",
			"address":            "大阪府大阪市北区梅田九丁目8番7号 ひまわり荘201",
			"career":             "一般事務 5年（架空商事株式会社）",
			"qualifications":     "日商簿記検定2級",
			"desired_conditions": "週4日、梅田駅周辺",
			"emergency_contact":  "06-6123-4567",
			"evaluation":         "面談評価A、事務職向き",
		}}
}

func (e *env) create(t *testing.T, a hogo.Actor, in vault.NewRecord) (string, string) {
	t.Helper()
	id, rid, err := e.svc.Create(e.ctx, a, in)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if !vault.ValidID(id) || !vault.ValidID(rid) || id == rid {
		t.Fatalf("Create returned IDs %q, %q", id, rid)
	}
	return id, rid
}

func (e *env) get(t *testing.T, a hogo.Actor, id string, u vault.Use) *vault.View {
	t.Helper()
	v, err := e.svc.Get(e.ctx, a, id, u)
	if err != nil {
		t.Fatalf("Get by %s for %+v: %v", a.Role, u, err)
	}
	return v
}

// wantErr checks an error's code and, when given, its reason and field,
// and that none of its messages holds any of the values.
func wantErr(t *testing.T, err error, code, reason, field string, values ...string) *hogo.Error {
	t.Helper()
	var he *hogo.Error
	if !errors.As(err, &he) {
		t.Fatalf("error %v (%T) is not a domain error; want %s", err, err, code)
	}
	if he.Code != code || (reason != "" && he.Reason != reason) || (field != "" && he.Field != field) {
		t.Fatalf("error code %q reason %q field %q (%v); want %q %q %q", he.Code, he.Reason, he.Field, err, code, reason, field)
	}
	for _, v := range values {
		for _, msg := range []string{err.Error(), he.Message, he.Ja} {
			if v != "" && strings.Contains(msg, v) {
				t.Fatalf("error message %q contains the value %q", msg, v)
			}
		}
	}
	return he
}

func itemIDs(items map[string]string) []string {
	ids := make([]string, 0, len(items))
	for k := range items {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	return ids
}

func TestCreateAndGet(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		in := exampleRecord(t)
		before := time.Now()
		id, rid := e.create(t, manager, in)
		if n, a := e.counts(t); n != 1 || a != 1 {
			t.Fatalf("after Create: %d principals, %d audit entries", n, a)
		}
		created := e.last(t)
		if created.Action != "principal.create" || created.Principal != id || created.Target != rid || created.Actor != manager.Name ||
			created.Role != hogo.RoleManager || created.Purpose != "job_matching" || created.Category != "job_seeker" ||
			created.Remote != manager.Remote || created.Detail["items"] != "email,name,name_kana,phone" || created.Detail["source"] != "web_form" {
			t.Fatalf("create entry = %s", created.Body)
		}

		v := e.get(t, manager, id, vault.Use{Purpose: "job_matching"})
		if v.ID != id || len(v.Records) != 1 || v.ReviewID != 0 || v.Exception != "" || v.CreatedAt.Before(before.Add(-time.Second)) {
			t.Fatalf("Get = %+v", v)
		}
		r := v.Records[0]
		want := map[string]string{"name": "山田 太郎", "name_kana": "ヤマダ\u3000タロウ", "email": "taro@example.jp", "phone": "09012345678"}
		if !mapsEqual(r.Items, want) {
			t.Fatalf("items = %q, want %q", r.Items, want)
		}
		var declared []string
		for _, p := range e.ledger.Category("job_seeker").Purposes {
			declared = append(declared, p.ID)
		}
		if r.ID != rid || r.Category != "job_seeker" || r.Source != "web_form" || r.Version != 1 || r.NoticeVersion != e.digest ||
			!slices.Equal(r.Purposes, declared) || r.AcquiredAt.IsZero() || r.AcquiredAt.Location() != hogo.Tokyo {
			t.Fatalf("record = %+v", r)
		}
		// The manager may use the record for every declared purpose but
		// marketing, which needs a consent there is no record of.
		if want := []string{"job_matching", "labour_management", "emergency_contact", "service_provision", "survey", "statistics"}; !slices.Equal(r.Usable, want) {
			t.Fatalf("usable purposes = %v, want %v", r.Usable, want)
		}
		read := e.last(t)
		if read.Action != "principal.read" || read.Principal != id || read.Purpose != "job_matching" || read.Actor != manager.Name ||
			read.Role != hogo.RoleManager || read.Category != "job_seeker" || read.Outcome != hogo.OutcomeOK || read.Detail["records"] != "1" {
			t.Fatalf("read entry = %s", read.Body)
		}

		// A purpose not declared for the category is refused, and the
		// refusal is audited.
		_, a0 := e.counts(t)
		_, err := e.svc.Get(e.ctx, manager, id, vault.Use{Purpose: "sales"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonPurposeNotDeclared, "purpose")
		denied := e.last(t)
		if denied.Seq != a0+1 || denied.Outcome != hogo.OutcomeDenied || denied.Action != "principal.read" || denied.Principal != id ||
			denied.Purpose != "sales" || denied.Detail["reason"] != access.ReasonPurposeNotDeclared {
			t.Fatalf("refusal entry = %s", denied.Body)
		}
		// A purpose that needs consent is refused without one.
		_, err = e.svc.Get(e.ctx, manager, id, vault.Use{Purpose: "marketing"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonConsentMissing, "")

		// Malformed uses are invalid and not audited.
		_, a0 = e.counts(t)
		_, err = e.svc.Get(e.ctx, manager, id, vault.Use{})
		wantErr(t, err, hogo.EINVALID, "", "purpose")
		_, err = e.svc.Get(e.ctx, manager, id, vault.Use{Purpose: "no_such_purpose"})
		wantErr(t, err, hogo.EINVALID, access.ReasonUnknownPurpose, "purpose")
		_, err = e.svc.Get(e.ctx, manager, id, vault.Use{Exception: "law"})
		wantErr(t, err, hogo.EINVALID, access.ReasonJustificationMissing, "justification")
		if _, a := e.counts(t); a != a0 {
			t.Fatalf("malformed reads were audited: %d entries, want %d", a, a0)
		}

		// Unknown principals.
		for _, bad := range []string{"", "nope", strings.ToUpper(id), "../" + id, vault.NewID(time.Now())} {
			_, err = e.svc.Get(e.ctx, manager, bad, vault.Use{Purpose: "job_matching"})
			wantErr(t, err, hogo.ENOTFOUND, "", "")
		}
		e.verify(t, e.valuesOf(t, "job_seeker", in.Items))
	})
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestRoles reads one full job-seeker record with every role: each sees the
// items its access rules and the items' purposes allow, and no more.
func TestRoles(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		in := fullRecord()
		id, _ := e.create(t, manager, in)
		all := itemIDs(in.Items)
		without := func(ids ...string) []string {
			return slices.DeleteFunc(slices.Clone(all), func(s string) bool { return slices.Contains(ids, s) })
		}
		cases := []struct {
			who    hogo.Actor
			use    vault.Use
			items  []string // nil: refused
			code   string
			reason string
		}{
			{manager, vault.Use{Purpose: "job_matching"}, without("emergency_contact"), "", ""},
			{manager, vault.Use{Purpose: "emergency_contact"}, without("evaluation"), "", ""},
			{manager, vault.Use{Purpose: "labour_management"}, all, "", ""},
			{staffer, vault.Use{Purpose: "job_matching"}, without("emergency_contact"), "", ""},
			{staffer, vault.Use{Purpose: "survey"}, []string{"email", "name"}, "", ""},
			{staffer, vault.Use{Purpose: "marketing"}, nil, hogo.EPURPOSENOTPERMITTED, access.ReasonConsentMissing},
			{staffer, vault.Use{Purpose: "statistics"}, nil, hogo.EPURPOSENOTPERMITTED, access.ReasonRoleNotPermitted},
			{deskman, vault.Use{Purpose: "job_matching"}, []string{"address", "email", "name", "name_kana", "phone", "postal_code"}, "", ""},
			{deskman, vault.Use{Purpose: "labour_management"}, nil, hogo.EPURPOSENOTPERMITTED, access.ReasonRoleNotPermitted},
			{admin, vault.Use{Purpose: "service_provision"}, without("emergency_contact", "evaluation"), "", ""},
			{admin, vault.Use{Purpose: "labour_management"}, nil, hogo.EPURPOSENOTPERMITTED, access.ReasonRoleNotPermitted},
			{auditor, vault.Use{Purpose: "job_matching"}, nil, hogo.EPURPOSENOTPERMITTED, access.ReasonRoleNotPermitted},
		}
		for _, c := range cases {
			v, err := e.svc.Get(e.ctx, c.who, id, c.use)
			if c.items == nil {
				wantErr(t, err, c.code, c.reason, "")
				if d := e.last(t); d.Outcome != hogo.OutcomeDenied || d.Actor != c.who.Name || d.Role != c.who.Role || d.Detail["reason"] != c.reason {
					t.Fatalf("%s for %s: refusal entry %s", c.who.Role, c.use.Purpose, d.Body)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s for %s: %v", c.who.Role, c.use.Purpose, err)
			}
			if got := itemIDs(v.Records[0].Items); !slices.Equal(got, c.items) {
				t.Errorf("%s for %s sees %v, want %v", c.who.Role, c.use.Purpose, got, c.items)
			}
			for k, val := range v.Records[0].Items {
				if want, _ := vault.CheckValue(e.ledger.Item("job_seeker", k), in.Items[k]); val != want {
					t.Errorf("%s: item %s = %q, want %q", c.who.Role, k, val, want)
				}
			}
		}
		// Staff marketing under the "law" exception: the exception stands
		// in for the consent, but the staff rule for marketing still
		// limits the items; the use is queued for review.
		v, err := e.svc.Get(e.ctx, staffer, id, vault.Use{Purpose: "marketing", Exception: ledger.ExceptionLaw,
			Justification: "税務署からの照会に基づく確認"})
		if err != nil {
			t.Fatal(err)
		}
		if got := itemIDs(v.Records[0].Items); !slices.Equal(got, []string{"email", "name"}) || v.ReviewID == 0 || v.Exception != "law" {
			t.Fatalf("staff marketing under law: items %v, review %d, exception %q", got, v.ReviewID, v.Exception)
		}
		// Usable purposes are those of the reader's role.
		v = e.get(t, staffer, id, vault.Use{Purpose: "job_matching"})
		if want := []string{"job_matching", "labour_management", "emergency_contact", "service_provision", "survey"}; !slices.Equal(v.Records[0].Usable, want) {
			t.Fatalf("staff usable purposes = %v, want %v", v.Records[0].Usable, want)
		}
		e.verify(t, e.valuesOf(t, "job_seeker", in.Items))
	})
}

func TestFind(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		in := exampleRecord(t)
		id, _ := e.create(t, manager, in)
		other := fullRecord()
		otherID, _ := e.create(t, manager, other)
		find := func(kind, value string) []string {
			t.Helper()
			vs, err := e.svc.Find(e.ctx, staffer, kind, value, vault.Use{Purpose: "job_matching"})
			if err != nil {
				t.Fatalf("Find %s %q: %v", kind, value, err)
			}
			ids := []string{}
			for _, v := range vs {
				ids = append(ids, v.ID)
				if len(v.Records) == 0 || len(v.Records[0].Items) == 0 {
					t.Fatalf("Find returned a view without items: %+v", v)
				}
			}
			return ids
		}
		for _, c := range []struct{ kind, value string }{
			{vault.LookupPhone, "090-1234-5678"},
			{vault.LookupPhone, "０９０-１２３４-５６７８"},
			{vault.LookupPhone, "09012345678"},
			{vault.LookupPhone, "+81 90-1234-5678"},
			{vault.LookupPhone, "(090) 1234 5678"},
			{vault.LookupEmail, "taro@example.jp"},
			{vault.LookupEmail, "Taro@Example.JP"},
			{vault.LookupEmail, "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"},
			{vault.LookupNameKana, "ヤマダ タロウ"},
			{vault.LookupNameKana, "やまだ たろう"},
			{vault.LookupNameKana, "やまだたろう"},
			{vault.LookupNameKana, "ﾔﾏﾀﾞ ﾀﾛｳ"},
			{vault.LookupNameKana, "ヤマダ・タロウ"},
			{vault.LookupNameKana, "ヤマダ　タロウ"},
		} {
			if got := find(c.kind, c.value); !slices.Equal(got, []string{id}) {
				t.Errorf("Find %s %q = %v, want [%s]", c.kind, c.value, got, id)
			}
			s := e.last(t)
			if s.Action != "principal.search" || s.Detail["by"] != c.kind || s.Detail["matches"] != "1" || s.Purpose != "job_matching" ||
				bytes.Contains(s.Body, []byte(c.value)) {
				t.Fatalf("search entry = %s", s.Body)
			}
		}
		for _, c := range []struct{ kind, value string }{
			{vault.LookupPhone, "090-1234-5679"},
			{vault.LookupEmail, "taro@example.com"},
			{vault.LookupNameKana, "ヤマダ ジロウ"},
			{vault.LookupNameKana, "山田 太郎"},
		} {
			if got := find(c.kind, c.value); len(got) != 0 {
				t.Errorf("Find %s %q = %v, want none", c.kind, c.value, got)
			}
		}
		if got := find(vault.LookupEmail, "hanako.suzuki@example.jp"); !slices.Equal(got, []string{otherID}) {
			t.Errorf("Find the other by e-mail = %v", got)
		}

		// By date of birth and name, once the date of birth is on record.
		byBirth := func(birth, name string) []string {
			t.Helper()
			vs, err := e.svc.FindBirthName(e.ctx, manager, birth, name, vault.Use{Purpose: "job_matching"})
			if err != nil {
				t.Fatalf("FindBirthName %q %q: %v", birth, name, err)
			}
			ids := []string{}
			for _, v := range vs {
				ids = append(ids, v.ID)
			}
			return ids
		}
		if got := byBirth("1990-04-01", "山田 太郎"); len(got) != 0 {
			t.Fatalf("found by a date of birth not on record: %v", got)
		}
		add := exampleRecord(t)
		add.Source = "interview"
		add.Items["birth_date"] = "平成2年4月1日"
		if _, err := e.svc.AddRecord(e.ctx, manager, id, add); err != nil {
			t.Fatal(err)
		}
		for _, c := range [][2]string{{"1990-04-01", "山田 太郎"}, {"1990/4/1", "山田太郎"}, {"平成2年4月1日", "山田　太郎"}, {"19900401", " 山田 太郎 "}} {
			if got := byBirth(c[0], c[1]); !slices.Equal(got, []string{id}) {
				t.Errorf("FindBirthName %q %q = %v, want [%s]", c[0], c[1], got, id)
			}
		}
		if got := byBirth("1990-04-02", "山田 太郎"); len(got) != 0 {
			t.Errorf("found with another date of birth: %v", got)
		}
		if got := byBirth("1992-07-15", "山田 太郎"); len(got) != 0 {
			t.Errorf("found with another principal's date of birth: %v", got)
		}
		// The other was created with a date of birth and a name.
		if got := byBirth("1992-07-15", "鈴木花子"); !slices.Equal(got, []string{otherID}) {
			t.Errorf("FindBirthName for the other = %v", got)
		}
		_, err := e.svc.FindBirthName(e.ctx, manager, "4月1日", "山田 太郎", vault.Use{Purpose: "job_matching"})
		wantErr(t, err, hogo.EINVALID, "", "birth_date")
		_, err = e.svc.FindBirthName(e.ctx, manager, "1990-04-01", " ", vault.Use{Purpose: "job_matching"})
		wantErr(t, err, hogo.EINVALID, "", "")

		// Malformed searches.
		_, a0 := e.counts(t)
		_, err = e.svc.Find(e.ctx, staffer, "address", "大阪府", vault.Use{Purpose: "job_matching"})
		wantErr(t, err, hogo.EINVALID, "", "by", "大阪府")
		_, err = e.svc.Find(e.ctx, staffer, vault.LookupEmail, "", vault.Use{Purpose: "job_matching"})
		wantErr(t, err, hogo.EINVALID, "", "")
		_, err = e.svc.Find(e.ctx, staffer, vault.LookupEmail, "taro@example.jp", vault.Use{})
		wantErr(t, err, hogo.EINVALID, "", "purpose", "taro@example.jp")
		if _, a := e.counts(t); a != a0 {
			t.Fatalf("malformed searches were audited")
		}
		// A use that may read none of the matches is refused.
		_, err = e.svc.Find(e.ctx, staffer, vault.LookupEmail, "taro@example.jp", vault.Use{Purpose: "sales"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonPurposeNotDeclared, "", "taro@example.jp")
		_, err = e.svc.Find(e.ctx, auditor, vault.LookupEmail, "taro@example.jp", vault.Use{Purpose: "job_matching"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonRoleNotPermitted, "", "taro@example.jp")

		values := append(e.valuesOf(t, "job_seeker", in.Items), e.valuesOf(t, "job_seeker", other.Items)...)
		values = append(values, e.forms(t, "job_seeker", "birth_date", "平成2年4月1日")...)
		e.verify(t, append(values, "+81 90-1234-5678", "ﾔﾏﾀﾞ ﾀﾛｳ", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"))
	})
}

// validMyNumber and badMyNumber are individual numbers with a right and a
// wrong check digit.
const (
	validMyNumber = "123456789018"
	badMyNumber   = "123456789012"
)

// TestBadInput: input that fails validation stores nothing, writes no audit
// entry and is never echoed in the error.
func TestBadInput(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		base := func() vault.NewRecord { return exampleRecord(t) }
		employee := func(mynumber string) vault.NewRecord {
			return vault.NewRecord{Category: "employee", Use: vault.Use{Purpose: "mynumber_tax"}, Source: "paper_form",
				Items: map[string]string{"name": "佐藤 一郎", "mynumber": mynumber}}
		}
		// field is the field the error names; for a bad item value it is
		// left to TestItemErrorFields.
		cases := []struct {
			name   string
			in     func() vault.NewRecord
			field  string
			values []string
		}{
			{"unknown item", func() vault.NewRecord {
				in := base()
				in.Items["hobby"] = "秘密の趣味は盆栽"
				return in
			}, "", []string{"秘密の趣味は盆栽"}},
			{"e-mail of the wrong form", func() vault.NewRecord {
				in := base()
				in.Items["email"] = "not-an-email"
				return in
			}, "", []string{"not-an-email"}},
			{"phone of the wrong form", func() vault.NewRecord {
				in := base()
				in.Items["phone"] = "090-1234-567"
				return in
			}, "", []string{"090-1234-567", "0901234567"}},
			{"kana that is not kana", func() vault.NewRecord {
				in := base()
				in.Items["name_kana"] = "Yamada Taro"
				return in
			}, "", []string{"Yamada"}},
			{"individual number with a wrong check digit", func() vault.NewRecord {
				return employee("1234-5678-9012")
			}, "", []string{badMyNumber, "1234-5678-9012", "5678"}},
			{"unknown purpose", func() vault.NewRecord {
				in := base()
				in.Purpose = "no_such_purpose"
				return in
			}, "purpose", nil},
			{"no purpose", func() vault.NewRecord {
				in := base()
				in.Purpose = ""
				return in
			}, "purpose", nil},
			{"missing required item", func() vault.NewRecord {
				in := base()
				delete(in.Items, "phone")
				return in
			}, "items.phone", nil},
			{"required item blank", func() vault.NewRecord {
				in := base()
				in.Items["phone"] = "　"
				return in
			}, "items.phone", nil},
			{"unknown category", func() vault.NewRecord {
				in := base()
				in.Category = "customer"
				return in
			}, "category", nil},
			{"unknown source", func() vault.NewRecord {
				in := base()
				in.Source = "purchased_list"
				return in
			}, "source", nil},
			{"stated purpose not declared", func() vault.NewRecord {
				in := base()
				in.Purposes = []string{"job_matching", "sales"}
				return in
			}, "purposes", nil},
			{"no items", func() vault.NewRecord {
				in := base()
				in.Items = nil
				return in
			}, "items", nil},
			{"exception without justification", func() vault.NewRecord {
				in := base()
				in.Exception = ledger.ExceptionLaw
				return in
			}, "justification", nil},
		}
		n0, a0 := e.counts(t)
		for _, c := range cases {
			in := c.in()
			id, rid, err := e.svc.Create(e.ctx, manager, in)
			if id != "" || rid != "" {
				t.Errorf("%s: Create returned IDs with an error", c.name)
			}
			var he *hogo.Error
			if !errors.As(err, &he) || he.Code != hogo.EINVALID {
				t.Errorf("%s: error %v, want invalid", c.name, err)
				continue
			}
			if c.field != "" && he.Field != c.field {
				t.Errorf("%s: field %q, want %q (%v)", c.name, he.Field, c.field, err)
			}
			wantErr(t, err, hogo.EINVALID, "", "", c.values...)
			if n, a := e.counts(t); n != n0 || a != a0 {
				t.Fatalf("%s: %d principals, %d audit entries after a refused create; want %d and %d", c.name, n, a, n0, a0)
			}
		}

		// The same individual number with its right check digit is stored
		// (the refusal above was the check digit's), and only the manager
		// reads it, for a My Number purpose.
		id, _ := e.create(t, manager, employee("1234 5678 9018"))
		v := e.get(t, manager, id, vault.Use{Purpose: "mynumber_tax"})
		if v.Records[0].Items["mynumber"] != validMyNumber {
			t.Fatalf("individual number read back as %q", v.Records[0].Items["mynumber"])
		}
		v = e.get(t, manager, id, vault.Use{Purpose: "employment_management"})
		if _, ok := v.Records[0].Items["mynumber"]; ok {
			t.Fatal("the individual number is shown for employment management")
		}
		_, err := e.svc.Get(e.ctx, staffer, id, vault.Use{Purpose: "mynumber_tax"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonRoleNotPermitted, "")

		// A refused use is audited (outcome denied) but stores nothing.
		n0, a0 = e.counts(t)
		for _, c := range []struct {
			who    hogo.Actor
			in     vault.NewRecord
			reason string
		}{
			{manager, func() vault.NewRecord { in := base(); in.Purpose = "sales"; return in }(), access.ReasonPurposeNotDeclared},
			{auditor, base(), access.ReasonRoleNotPermitted},
			{deskman, func() vault.NewRecord { in := base(); in.Items["evaluation"] = "評価B"; return in }(), access.ReasonItemNotPermitted},
			{staffer, employee(validMyNumber), access.ReasonRoleNotPermitted},
		} {
			_, _, err := e.svc.Create(e.ctx, c.who, c.in)
			wantErr(t, err, hogo.EPURPOSENOTPERMITTED, c.reason, "", "評価B", validMyNumber)
			a0++
			if n, a := e.counts(t); n != n0 || a != a0 {
				t.Fatalf("refused create by %s: %d principals, %d entries; want %d and %d", c.who.Role, n, a, n0, a0)
			}
			if d := e.last(t); d.Outcome != hogo.OutcomeDenied || d.Action != "principal.create" || d.Detail["reason"] != c.reason {
				t.Fatalf("refusal entry = %s", d.Body)
			}
		}
		var values []string
		for _, c := range cases {
			values = append(values, c.values...)
		}
		e.verify(t, append(values, "評価B", validMyNumber, "1234 5678 9018"))
	})
}

// TestItemErrorFields: an error about one item of a record names the field
// "items.<item>", whatever is wrong with it (unknown, missing, or a value of
// the wrong form), on every path that takes items: Create, AddRecord and
// UpdateRecord.
func TestItemErrorFields(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		id, rid := e.create(t, manager, exampleRecord(t))
		str := func(s string) *string { return &s }
		cases := []struct {
			item, value string
			category    string
			purpose     string
		}{
			{"hobby", "盆栽", "job_seeker", "job_matching"},
			{"email", "not-an-email", "job_seeker", "job_matching"},
			{"phone", "090-1234-567", "job_seeker", "job_matching"},
			{"name_kana", "Yamada Taro", "job_seeker", "job_matching"},
			{"birth_date", "2026-02-30", "job_seeker", "job_matching"},
			{"mynumber", badMyNumber, "employee", "mynumber_tax"},
		}
		for _, c := range cases {
			in := exampleRecord(t)
			if c.category == "employee" {
				in = vault.NewRecord{Category: "employee", Source: "paper_form", Items: map[string]string{"name": "佐藤 一郎"}}
			}
			in.Purpose = c.purpose
			in.Items[c.item] = c.value
			want := "items." + c.item
			_, _, err := e.svc.Create(e.ctx, manager, in)
			if he := wantErr(t, err, hogo.EINVALID, "", "", c.value); he.Field != want {
				t.Errorf("Create with a bad %s: field %q, want %q", c.item, he.Field, want)
			}
			_, err = e.svc.AddRecord(e.ctx, manager, id, in)
			if he := wantErr(t, err, hogo.EINVALID, "", "", c.value); he.Field != want {
				t.Errorf("AddRecord with a bad %s: field %q, want %q", c.item, he.Field, want)
			}
			if c.category != "job_seeker" {
				continue
			}
			_, err = e.svc.UpdateRecord(e.ctx, manager, id, rid, vault.RecordChange{Use: vault.Use{Purpose: c.purpose},
				Items: map[string]*string{c.item: str(c.value)}})
			if he := wantErr(t, err, hogo.EINVALID, "", "", c.value); he.Field != want {
				t.Errorf("UpdateRecord with a bad %s: field %q, want %q", c.item, he.Field, want)
			}
		}
	})
}

func TestUpdateRecord(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		in := exampleRecord(t)
		id, rid := e.create(t, manager, in)
		findEmail := func(v string) int {
			t.Helper()
			vs, err := e.svc.Find(e.ctx, manager, vault.LookupEmail, v, vault.Use{Purpose: "job_matching"})
			if err != nil {
				t.Fatal(err)
			}
			return len(vs)
		}
		newEmail := "taro.yamada@mail.example.jp"
		str := func(s string) *string { return &s }
		ver, err := e.svc.UpdateRecord(e.ctx, manager, id, rid, vault.RecordChange{Use: vault.Use{Purpose: "job_matching"}, Version: 1,
			Items: map[string]*string{"email": str("Taro.Yamada@Mail.Example.JP"), "address": str("大阪府吹田市江坂町九丁目1番2号")}})
		if err != nil || ver != 2 {
			t.Fatalf("UpdateRecord = %d, %v", ver, err)
		}
		upd := e.last(t)
		if upd.Action != "record.update" || upd.Principal != id || upd.Target != rid || upd.Detail["items"] != "address,email" ||
			upd.Detail["version"] != "2" || upd.Purpose != "job_matching" {
			t.Fatalf("update entry = %s", upd.Body)
		}
		if n := findEmail("taro@example.jp"); n != 0 {
			t.Fatal("the old e-mail still finds the principal")
		}
		if n := findEmail(newEmail); n != 1 {
			t.Fatal("the new e-mail does not find the principal")
		}
		v := e.get(t, manager, id, vault.Use{Purpose: "job_matching"})
		r := v.Records[0]
		if r.Version != 2 || r.Items["email"] != "Taro.Yamada@mail.example.jp" || r.Items["address"] != "大阪府吹田市江坂町九丁目1番2号" ||
			r.Items["name"] != "山田 太郎" || r.Items["phone"] != "09012345678" {
			t.Fatalf("after update: %+v %q", r, r.Items)
		}
		// Other lookups of the record are kept.
		if vs, _ := e.svc.Find(e.ctx, manager, vault.LookupPhone, "090-1234-5678", vault.Use{Purpose: "job_matching"}); len(vs) != 1 {
			t.Fatal("the phone lookup was lost by an update of the e-mail")
		}

		n0, a0 := e.counts(t)
		// A change made from version 1 is stale.
		_, err = e.svc.UpdateRecord(e.ctx, manager, id, rid, vault.RecordChange{Use: vault.Use{Purpose: "job_matching"}, Version: 1,
			Items: map[string]*string{"email": str("stale@example.jp")}})
		wantErr(t, err, hogo.ECONFLICT, "", "version", "stale@example.jp")
		// Removing a required item is refused; so is a bad value.
		_, err = e.svc.UpdateRecord(e.ctx, manager, id, rid, vault.RecordChange{Use: vault.Use{Purpose: "job_matching"},
			Items: map[string]*string{"phone": nil}})
		wantErr(t, err, hogo.EINVALID, "", "items.phone")
		_, err = e.svc.UpdateRecord(e.ctx, manager, id, rid, vault.RecordChange{Use: vault.Use{Purpose: "job_matching"},
			Items: map[string]*string{"phone": str("not a phone 090")}})
		wantErr(t, err, hogo.EINVALID, "", "", "not a phone 090")
		_, err = e.svc.UpdateRecord(e.ctx, manager, id, rid, vault.RecordChange{Use: vault.Use{Purpose: "job_matching"}})
		wantErr(t, err, hogo.EINVALID, "", "items")
		_, err = e.svc.UpdateRecord(e.ctx, manager, id, rid, vault.RecordChange{Items: map[string]*string{"email": str("x@example.jp")}})
		wantErr(t, err, hogo.EINVALID, "", "purpose")
		_, err = e.svc.UpdateRecord(e.ctx, manager, id, vault.NewID(time.Now()), vault.RecordChange{Use: vault.Use{Purpose: "job_matching"},
			Items: map[string]*string{"email": str("x@example.jp")}})
		wantErr(t, err, hogo.ENOTFOUND, "", "")
		if n, a := e.counts(t); n != n0 || a != a0 {
			t.Fatalf("refused updates wrote: %d principals, %d entries; want %d and %d", n, a, n0, a0)
		}
		// A role whose rule does not reach the item is refused (and
		// audited).
		_, err = e.svc.UpdateRecord(e.ctx, deskman, id, rid, vault.RecordChange{Use: vault.Use{Purpose: "job_matching"},
			Items: map[string]*string{"evaluation": str("評価C")}})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonItemNotPermitted, "", "評価C")

		// Without a version the change applies to the current one; an
		// optional item is removed with null.
		ver, err = e.svc.UpdateRecord(e.ctx, staffer, id, rid, vault.RecordChange{Use: vault.Use{Purpose: "job_matching"},
			Items: map[string]*string{"address": nil}})
		if err != nil || ver != 3 {
			t.Fatalf("UpdateRecord without version = %d, %v", ver, err)
		}
		v = e.get(t, manager, id, vault.Use{Purpose: "job_matching"})
		if _, ok := v.Records[0].Items["address"]; ok || v.Records[0].Version != 3 {
			t.Fatalf("after removing the address: %+v", v.Records[0])
		}
		values := e.valuesOf(t, "job_seeker", in.Items)
		values = append(values, e.forms(t, "job_seeker", "email", "Taro.Yamada@Mail.Example.JP")...)
		values = append(values, "大阪府吹田市江坂町九丁目1番2号", "stale@example.jp", "評価C")
		e.verify(t, values)
	})
}

func TestSuspend(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		in := exampleRecord(t)
		id, _ := e.create(t, manager, in)
		if err := e.svc.Suspend(e.ctx, manager, id, "job_matching", true); err != nil {
			t.Fatal(err)
		}
		s := e.last(t)
		if s.Action != "principal.suspend" || s.Principal != id || s.Purpose != "job_matching" || s.Actor != manager.Name {
			t.Fatalf("suspend entry = %s", s.Body)
		}
		_, err := e.svc.Get(e.ctx, staffer, id, vault.Use{Purpose: "job_matching"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonSuspended, "")
		if d := e.last(t); d.Outcome != hogo.OutcomeDenied || d.Detail["reason"] != access.ReasonSuspended {
			t.Fatalf("refusal entry = %s", d.Body)
		}
		// Finding for the suspended purpose is refused too.
		_, err = e.svc.Find(e.ctx, staffer, vault.LookupPhone, "09012345678", vault.Use{Purpose: "job_matching"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonSuspended, "")
		// Other purposes go on, and the view says what is suspended.
		v := e.get(t, staffer, id, vault.Use{Purpose: "labour_management"})
		if !slices.Equal(v.Suspended, []string{"job_matching"}) || slices.Contains(v.Records[0].Usable, "job_matching") {
			t.Fatalf("view after suspension: suspended %v, usable %v", v.Suspended, v.Records[0].Usable)
		}
		// Everything stops with "*", except a use the law requires.
		if err := e.svc.Suspend(e.ctx, manager, id, "*", true); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Get(e.ctx, manager, id, vault.Use{Purpose: "labour_management"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonSuspended, "")
		_, err = e.svc.Get(e.ctx, manager, id, vault.Use{Exception: ledger.ExceptionLife, Justification: "急病による救急搬送先からの照会"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonSuspended, "")
		v, err = e.svc.Get(e.ctx, manager, id, vault.Use{Exception: ledger.ExceptionLaw, Justification: "裁判所の文書提出命令"})
		if err != nil || v.ReviewID == 0 {
			t.Fatalf("use the law requires after a suspension: %+v, %v", v, err)
		}
		// Unknown purposes are invalid; unknown principals not found.
		wantErr(t, e.svc.Suspend(e.ctx, manager, id, "no_such_purpose", true), hogo.EINVALID, "", "purpose")
		wantErr(t, e.svc.Suspend(e.ctx, manager, vault.NewID(time.Now()), "marketing", true), hogo.ENOTFOUND, "", "")
		// Lifting the stops brings the use back.
		for _, p := range []string{"*", "job_matching"} {
			if err := e.svc.Suspend(e.ctx, manager, id, p, false); err != nil {
				t.Fatal(err)
			}
		}
		if l := e.last(t); l.Action != "principal.resume" {
			t.Fatalf("resume entry = %s", l.Body)
		}
		e.get(t, staffer, id, vault.Use{Purpose: "job_matching"})

		// Erasure goes ahead after a suspension of everything.
		if err := e.svc.Suspend(e.ctx, manager, id, "*", true); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Erase(e.ctx, deskman, []string{id}, "本人からの利用停止・消去請求"); err != nil {
			t.Fatalf("Erase after suspension: %v", err)
		}
		_, err = e.svc.Get(e.ctx, manager, id, vault.Use{Exception: ledger.ExceptionLaw, Justification: "裁判所の文書提出命令"})
		wantErr(t, err, hogo.ENOTFOUND, "", "")
		var n int
		e.db.Read.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM suspensions WHERE principal_id = $1`, id).Scan(&n)
		if n != 0 {
			t.Fatalf("%d suspensions left after erasure", n)
		}
		e.verify(t, e.valuesOf(t, "job_seeker", in.Items))
	})
}

func TestExceptionReview(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		in := fullRecord()
		id, _ := e.create(t, manager, in)
		justification := "鈴木花子さんに関する警察署からの捜査関係事項照会（刑事訴訟法第197条第2項）"
		// Staff read under the "law" exception, beyond every declared
		// purpose (none named): allowed, audited and queued for review.
		v, err := e.svc.Get(e.ctx, staffer, id, vault.Use{Exception: ledger.ExceptionLaw, Justification: justification})
		if err != nil {
			t.Fatal(err)
		}
		if v.Exception != ledger.ExceptionLaw || v.ReviewID == 0 || len(v.Records) != 1 {
			t.Fatalf("view under exception = %+v", v)
		}
		// Beyond the declared purposes the exception lifts the items'
		// purpose limits, within the items the role's rules reach.
		if got := itemIDs(v.Records[0].Items); !slices.Equal(got, itemIDs(in.Items)) {
			t.Fatalf("items under exception = %v", got)
		}
		read := e.last(t)
		if read.Action != "principal.read" || read.Principal != id || read.Detail["exception"] != "law" || read.Purpose != "" ||
			read.Actor != staffer.Name {
			t.Fatalf("read entry = %s", read.Body)
		}

		// An exception the ledger does not rely on for use beyond purpose
		// is refused; one without a justification is invalid.
		_, err = e.svc.Get(e.ctx, staffer, id, vault.Use{Exception: ledger.ExceptionPublishedSpecial, Justification: "公開情報"})
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonExceptionNotApplicable, "")
		_, err = e.svc.Get(e.ctx, staffer, id, vault.Use{Exception: "curiosity", Justification: "x"})
		wantErr(t, err, hogo.EINVALID, access.ReasonExceptionUnknown, "exception")
		// A use within a declared purpose relies on no exception, even
		// when one is named: no review.
		v2, err := e.svc.Get(e.ctx, staffer, id, vault.Use{Purpose: "job_matching", Exception: ledger.ExceptionLaw, Justification: "念のため"})
		if err != nil || v2.ReviewID != 0 || v2.Exception != "" {
			t.Fatalf("declared purpose with an exception named: %+v, %v", v2, err)
		}

		rs, err := e.svc.Reviews(e.ctx, hogo.ReviewPending, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 {
			t.Fatalf("%d pending reviews, want 1", len(rs))
		}
		r := rs[0]
		if r.ID != v.ReviewID || r.JustificationText != justification || r.Actor != staffer.Name || r.ActorID != staffer.UserID ||
			r.Role != hogo.RoleStaff || r.PrincipalID != id || r.Category != "job_seeker" || r.Purpose != "" || r.Op != "read" ||
			r.Exception != "law" || r.Status != hogo.ReviewPending {
			t.Fatalf("review = %+v, justification %q", r.ExceptionUse, r.JustificationText)
		}
		// The justification is sealed in the store.
		var raw []byte
		if err := e.db.Read.QueryRowContext(e.ctx, `SELECT justification FROM exception_uses WHERE id = $1`, r.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("鈴木花子")) || bytes.Contains(raw, []byte("捜査関係事項照会")) {
			t.Fatal("the justification is stored in the clear")
		}

		wantErr(t, e.svc.DecideReview(e.ctx, staffer, r.ID, true, ""), hogo.EFORBIDDEN, "", "")
		wantErr(t, e.svc.DecideReview(e.ctx, auditor, r.ID, true, ""), hogo.EFORBIDDEN, "", "")
		wantErr(t, e.svc.DecideReview(e.ctx, manager, r.ID+1000, true, ""), hogo.ENOTFOUND, "", "")
		note := "照会書の写しを確認済み"
		if err := e.svc.DecideReview(e.ctx, manager, r.ID, true, note); err != nil {
			t.Fatal(err)
		}
		rev := e.last(t)
		if rev.Action != "exception.review" || rev.Principal != id || rev.Detail["status"] != hogo.ReviewApproved ||
			rev.Target != fmt.Sprint(r.ID) || rev.Actor != manager.Name {
			t.Fatalf("review entry = %s", rev.Body)
		}
		_, a0 := e.counts(t)
		wantErr(t, e.svc.DecideReview(e.ctx, manager, r.ID, false, "やはり否認"), hogo.ECONFLICT, "", "")
		if _, a := e.counts(t); a != a0 {
			t.Fatal("a refused second review was audited")
		}
		if rs, _ := e.svc.Reviews(e.ctx, hogo.ReviewPending, 10); len(rs) != 0 {
			t.Fatalf("%d reviews still pending", len(rs))
		}
		rs, _ = e.svc.Reviews(e.ctx, hogo.ReviewApproved, 10)
		if len(rs) != 1 || rs[0].Reviewer != manager.Name || rs[0].NoteText != note || rs[0].ReviewedAt.IsZero() ||
			rs[0].JustificationText != justification {
			t.Fatalf("approved reviews = %+v", rs)
		}
		values := append(e.valuesOf(t, "job_seeker", in.Items), justification, "捜査関係事項照会", note, "やはり否認")
		e.verify(t, values)
	})
}

func TestErase(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		in := exampleRecord(t)
		id, _ := e.create(t, manager, in)
		keep := fullRecord()
		keepID, _ := e.create(t, manager, keep)
		stored, err := e.db.GetPrincipal(e.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		wrapped := stored.WrappedKey

		reason := "本人からの消去請求（受付番号 2026-0042）"
		n0, a0 := e.counts(t)
		// Staff may not erase; the refusal is audited.
		err = e.svc.Erase(e.ctx, staffer, []string{id}, reason)
		wantErr(t, err, hogo.EPURPOSENOTPERMITTED, access.ReasonRoleNotPermitted, "")
		if d := e.last(t); d.Outcome != hogo.OutcomeDenied || d.Action != "principal.erase" || d.Principal != id {
			t.Fatalf("refusal entry = %s", d.Body)
		}
		a0++
		wantErr(t, e.svc.Erase(e.ctx, auditor, []string{id}, reason), hogo.EPURPOSENOTPERMITTED, access.ReasonRoleNotPermitted, "")
		a0++
		// A reason is required, within 500 characters.
		wantErr(t, e.svc.Erase(e.ctx, manager, []string{id}, ""), hogo.EINVALID, "", "reason")
		wantErr(t, e.svc.Erase(e.ctx, manager, []string{id}, " \t "), hogo.EINVALID, "", "reason")
		wantErr(t, e.svc.Erase(e.ctx, manager, []string{id}, strings.Repeat("長", 501)), hogo.EINVALID, "", "reason")
		wantErr(t, e.svc.Erase(e.ctx, manager, []string{"not-an-id"}, reason), hogo.ENOTFOUND, "", "")
		// One unknown principal fails the whole erasure.
		wantErr(t, e.svc.Erase(e.ctx, manager, []string{id, vault.NewID(time.Now())}, reason), hogo.ENOTFOUND, "", "")
		if n, a := e.counts(t); n != n0 || a != a0 {
			t.Fatalf("refused erasures: %d principals, %d entries; want %d and %d", n, a, n0, a0)
		}
		e.get(t, manager, id, vault.Use{Purpose: "job_matching"})
		a0++

		if err := e.svc.Erase(e.ctx, manager, []string{id}, reason); err != nil {
			t.Fatal(err)
		}
		if n, a := e.counts(t); n != n0-1 || a != a0+1 {
			t.Fatalf("after erasure: %d principals, %d entries; want %d and %d", n, a, n0-1, a0+1)
		}
		erased := e.last(t)
		if erased.Action != "principal.erase" || erased.Principal != id || erased.Actor != manager.Name || erased.Outcome != hogo.OutcomeOK ||
			erased.Detail["records"] != "1" || erased.Detail["key"] != "destroyed" {
			t.Fatalf("erase entry = %s", erased.Body)
		}
		if bytes.Contains(erased.Body, []byte(reason)) {
			t.Fatal("the erase entry holds the reason")
		}
		list, err := e.db.ListAudit(e.ctx, hogo.AuditFilter{Action: "principal.erase", Principal: id})
		if err != nil || len(list) != 3 { // two refusals, one erasure
			t.Fatalf("ListAudit erase entries = %d, %v", len(list), err)
		}

		_, err = e.svc.Get(e.ctx, manager, id, vault.Use{Purpose: "job_matching"})
		wantErr(t, err, hogo.ENOTFOUND, "", "")
		var er *hogo.Erasure
		if !errors.As(err, &er) || er.PrincipalID != id || er.Actor != manager.Name || er.Records != 1 {
			t.Fatalf("read of an erased principal: %v, erasure %+v", err, er)
		}
		for _, c := range [][2]string{{vault.LookupEmail, "taro@example.jp"}, {vault.LookupPhone, "090-1234-5678"}, {vault.LookupNameKana, "ヤマダ タロウ"}} {
			vs, err := e.svc.Find(e.ctx, manager, c[0], c[1], vault.Use{Purpose: "job_matching"})
			if err != nil || len(vs) != 0 {
				t.Fatalf("Find %s after erasure = %d, %v", c[0], len(vs), err)
			}
			if ids, _ := e.db.FindPrincipals(e.ctx, e.keys.BlindIndex(e.ledger.Item("job_seeker", c[0]).Type, c[1]), 10); len(ids) != 0 {
				t.Fatalf("lookup %s of an erased principal is still stored", c[0])
			}
		}
		// The wrapped data key is gone from the database.
		var rows int
		if err := e.db.Read.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM principals WHERE id = $1`, id).Scan(&rows); err != nil || rows != 0 {
			t.Fatalf("principal row after erasure: %d, %v", rows, err)
		}
		keysLeft, err := e.db.Read.QueryContext(e.ctx, `SELECT wrapped_key FROM principals`)
		if err != nil {
			t.Fatal(err)
		}
		for keysLeft.Next() {
			var k []byte
			keysLeft.Scan(&k)
			if bytes.Equal(k, wrapped) {
				t.Fatal("the erased principal's wrapped key is still in the principals table")
			}
		}
		keysLeft.Close()
		for _, table := range []string{"records", "lookups", "suspensions"} {
			var n int
			if err := e.db.Read.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM `+table+` WHERE principal_id = $1`, id).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%s rows after erasure: %d, %v", table, n, err)
			}
		}
		// The other principal is untouched.
		if v := e.get(t, manager, keepID, vault.Use{Purpose: "job_matching"}); v.Records[0].Items["email"] != "Hanako.Suzuki@example.jp" {
			t.Fatalf("the other principal after erasure: %q", v.Records[0].Items)
		}
		// Erasing again is not_found; updating or adding is too.
		wantErr(t, e.svc.Erase(e.ctx, manager, []string{id}, reason), hogo.ENOTFOUND, "", "")
		_, err = e.svc.AddRecord(e.ctx, manager, id, exampleRecord(t))
		wantErr(t, err, hogo.ENOTFOUND, "", "")

		// Several at once, by the desk.
		ids := []string{keepID}
		for i := 0; i < 3; i++ {
			x := exampleRecord(t)
			x.Items["email"] = fmt.Sprintf("taro%d@example.jp", i)
			xid, _ := e.create(t, manager, x)
			ids = append(ids, xid)
		}
		if err := e.svc.Erase(e.ctx, deskman, ids, "保存期間の満了"); err != nil {
			t.Fatal(err)
		}
		if n, _ := e.counts(t); n != 0 {
			t.Fatalf("%d principals left", n)
		}
		es, _ := e.db.ListAudit(e.ctx, hogo.AuditFilter{Action: "principal.erase", Actor: deskman.Name})
		if len(es) != len(ids) {
			t.Fatalf("%d erase entries for %d principals", len(es), len(ids))
		}
		values := append(e.valuesOf(t, "job_seeker", in.Items), e.valuesOf(t, "job_seeker", keep.Items)...)
		e.verify(t, append(values, reason, "保存期間の満了"))
	})
}

// TestAuditOfReads: every read names who, which principal and for what,
// and no audit entry of any kind holds a value.
func TestAuditOfReads(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		in := fullRecord()
		id, rid := e.create(t, manager, in)
		e.get(t, staffer, id, vault.Use{Purpose: "job_matching"})
		e.get(t, deskman, id, vault.Use{Purpose: "service_provision"})
		if _, err := e.svc.Find(e.ctx, deskman, vault.LookupEmail, in.Items["email"], vault.Use{Purpose: "job_matching"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.FindBirthName(e.ctx, manager, in.Items["birth_date"], in.Items["name"], vault.Use{Purpose: "job_matching"}); err != nil {
			t.Fatal(err)
		}
		e.svc.Get(e.ctx, auditor, id, vault.Use{Purpose: "job_matching"})
		str := func(s string) *string { return &s }
		if _, err := e.svc.UpdateRecord(e.ctx, manager, id, rid, vault.RecordChange{Use: vault.Use{Purpose: "job_matching"},
			Items: map[string]*string{"career": str("経理 3年（架空物産株式会社）")}}); err != nil {
			t.Fatal(err)
		}
		reads, err := e.db.ListAudit(e.ctx, hogo.AuditFilter{Action: "principal.read"})
		if err != nil {
			t.Fatal(err)
		}
		if len(reads) != 5 {
			t.Fatalf("%d read entries, want 5", len(reads))
		}
		actors := map[string]bool{}
		for _, r := range reads {
			actors[r.Actor] = true
			if r.Principal != id || r.Purpose == "" || r.Actor == "" || r.Role == "" || r.Remote == "" || r.Time.IsZero() {
				t.Fatalf("read entry without who, whom or why: %s", r.Body)
			}
			for k := range r.Detail {
				if k != "records" && k != "reason" && k != "exception" {
					t.Fatalf("read entry with detail %q: %s", k, r.Body)
				}
			}
		}
		if len(actors) != 4 {
			t.Fatalf("read entries name %d actors, want 4", len(actors))
		}
		values := e.valuesOf(t, "job_seeker", in.Items)
		values = append(values, "経理 3年（架空物産株式会社）", "架空物産")
		e.verify(t, values)
	})
}
