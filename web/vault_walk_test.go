package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/vault"
)

// The expected outcome of a vault call is computed here from the parsed
// ledger alone, by the rules the ledger states, without package access:
//
//   - a read or write names a purpose known to the ledger (else 400);
//   - the purpose is declared for the category, a rule of the caller's role
//     on the category names it, the purpose needs no consent (this API
//     records none, so a purpose that needs consent is always refused), and
//     a write does not come from the auditor (else 403 purpose_not_permitted);
//   - the use touches only items it may: items a rule of the role for the
//     purpose covers (a rule without items covers all), and, for an item
//     that names purposes, only those; special-care information only for a
//     purpose its item names, individual numbers only for a My Number
//     purpose their item names. A read sees every such item and is refused
//     when there is none; a write is refused when it names any other item;
//   - erasure names no purpose and is for the protection manager, and for
//     the desk that answers requests to erase and the administrator when
//     they have an access rule on the category;
//   - the review queue is for the manager and the auditor, the review for
//     the manager (403 forbidden at the role gate).

// walkExpect is the expected outcome of one call.
type walkExpect struct {
	allowed bool
	status  int    // the status of a refusal
	code    string // the error code of a refusal
	why     string // why it is refused, for the table
	items   []string
}

func (e walkExpect) String() string {
	if e.allowed {
		return "allow"
	}
	return fmt.Sprintf("%d %s (%s)", e.status, e.code, e.why)
}

// eraseRoles are the roles that may erase a principal.
var eraseRoles = []hogo.Role{hogo.RoleManager, hogo.RoleDesk, hogo.RoleAdmin}

func refs(rs []ledger.Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// roleRules are the access rules of role on c that name purpose.
func roleRules(c *ledger.Category, role hogo.Role, purpose string) []*ledger.Access {
	var out []*ledger.Access
	for _, a := range c.Access {
		if a.Role == string(role) && slices.Contains(refs(a.Purposes), purpose) {
			out = append(out, a)
		}
	}
	return out
}

// touchable lists, in ledger order, the items of c that role may touch for
// purpose p (assumed declared for c and named by a rule of role).
func touchable(c *ledger.Category, role hogo.Role, p *ledger.Purpose) []string {
	rules := roleRules(c, role, p.ID)
	var out []string
	for _, it := range c.Items {
		named := slices.Contains(refs(it.Purposes), p.ID)
		switch {
		case it.Type == ledger.TypeMyNumber && !(named && p.MyNumber != ""):
			continue
		case it.Sensitive && !named:
			continue
		case len(it.Purposes) > 0 && !named:
			continue
		}
		for _, a := range rules {
			if len(a.Items) == 0 || slices.Contains(refs(a.Items), it.ID) {
				out = append(out, it.ID)
				break
			}
		}
	}
	return out
}

// expectUse is the outcome of reading category cat for purpose (write
// false, every item it may see), or of writing the items named.
func expectUse(l *ledger.Ledger, role hogo.Role, cat, purpose string, write bool, items []string) walkExpect {
	refuse := func(status int, code, why string) walkExpect {
		return walkExpect{status: status, code: code, why: why}
	}
	c := l.Category(cat)
	p := l.Purpose(purpose)
	switch {
	case purpose == "":
		return refuse(400, hogo.EINVALID, "no purpose")
	case p == nil:
		return refuse(400, hogo.EINVALID, "unknown purpose")
	case !slices.Contains(refs(c.Purposes), purpose):
		return refuse(403, hogo.EPURPOSENOTPERMITTED, "not declared for the category")
	case len(roleRules(c, role, purpose)) == 0:
		return refuse(403, hogo.EPURPOSENOTPERMITTED, "no rule of the role names it")
	case write && role == hogo.RoleAuditor:
		return refuse(403, hogo.EPURPOSENOTPERMITTED, "the auditor only reads")
	case p.ConsentRequired:
		return refuse(403, hogo.EPURPOSENOTPERMITTED, "needs consent")
	}
	may := touchable(c, role, p)
	if !write {
		if len(may) == 0 {
			return refuse(403, hogo.EPURPOSENOTPERMITTED, "no item")
		}
		return walkExpect{allowed: true, items: may}
	}
	for _, it := range items {
		if !slices.Contains(may, it) {
			return refuse(403, hogo.EPURPOSENOTPERMITTED, "item "+it+" not touchable")
		}
	}
	return walkExpect{allowed: true, items: may}
}

// withoutConsent is l with purpose p not needing consent, to expect what a
// consenting principal's read may see.
func withoutConsent(l *ledger.Ledger, p string) *ledger.Ledger {
	c := *l.Purpose(p)
	c.ConsentRequired = false
	m := &ledger.Ledger{Categories: l.Categories, Purposes: make([]*ledger.Purpose, len(l.Purposes))}
	for i, x := range l.Purposes {
		m.Purposes[i] = x
		if x.ID == p {
			m.Purposes[i] = &c
		}
	}
	return m
}

// expectUsable lists the declared purposes of cat that role may read for.
func expectUsable(l *ledger.Ledger, role hogo.Role, cat string) []string {
	var out []string
	for _, p := range refs(l.Category(cat).Purposes) {
		if expectUse(l, role, cat, p, false, nil).allowed {
			out = append(out, p)
		}
	}
	return out
}

func expectErase(role hogo.Role, c *ledger.Category) walkExpect {
	if role == hogo.RoleManager {
		return walkExpect{allowed: true}
	}
	if slices.Contains(eraseRoles, role) {
		for _, a := range c.Access {
			if a.Role == string(role) {
				return walkExpect{allowed: true}
			}
		}
		return walkExpect{status: 403, code: hogo.EPURPOSENOTPERMITTED, why: "no access rule on the category"}
	}
	return walkExpect{status: 403, code: hogo.EPURPOSENOTPERMITTED, why: "erasure is for manager, desk, admin"}
}

func expectRoleGate(role hogo.Role, allowed ...hogo.Role) walkExpect {
	if slices.Contains(allowed, role) {
		return walkExpect{allowed: true}
	}
	return walkExpect{status: 403, code: hogo.EFORBIDDEN, why: "role gate"}
}

// walkSeen is what one call answered. For reads, records are the records
// of the walked principal that came back (found is how many principals a
// search returned).
type walkSeen struct {
	status  int
	err     apiError
	found   int
	records []recordJSON
}

func (s walkSeen) String() string {
	if s.status >= 200 && s.status < 300 {
		return strconv.Itoa(s.status)
	}
	if s.err.Reason != "" {
		return fmt.Sprintf("%d %s (%s)", s.status, s.err.Code, s.err.Reason)
	}
	return fmt.Sprintf("%d %s [%s]", s.status, s.err.Code, s.err.Field)
}

// judge compares what a call answered with what the ledger expects and
// returns the problems. okStatus is the status of a success; stored are
// the items each record of the principal holds (reads only); usable the
// purposes its records must list as usable.
func judge(exp walkExpect, seen walkSeen, okStatus int, read bool, stored map[string][]string, usable []string) []string {
	ok := seen.status >= 200 && seen.status < 300
	switch {
	case !exp.allowed && ok:
		return []string{"UNEXPECTED ALLOW"}
	case exp.allowed && !ok:
		return []string{"expected allow refused"}
	case !exp.allowed:
		var p []string
		if seen.status != exp.status || seen.err.Code != exp.code {
			p = append(p, "refused otherwise")
		}
		if seen.err.Code == hogo.EPURPOSENOTPERMITTED && seen.err.Reason == "" {
			p = append(p, "refusal without a reason")
		}
		if seen.status == 400 && seen.err.Field != "purpose" {
			p = append(p, "400 not on field purpose")
		}
		return p
	}
	var p []string
	if seen.status != okStatus {
		p = append(p, fmt.Sprintf("status %d, want %d", seen.status, okStatus))
	}
	if !read {
		return p
	}
	if seen.found != 1 {
		p = append(p, fmt.Sprintf("%d principals returned, want the one", seen.found))
	}
	if len(seen.records) != len(stored) {
		p = append(p, fmt.Sprintf("%d records returned, want %d", len(seen.records), len(stored)))
	}
	var leaked, withheld []string
	for _, r := range seen.records {
		have, known := stored[r.ID]
		if !known {
			p = append(p, "unknown record "+r.ID)
			continue
		}
		for it := range r.Items {
			if !slices.Contains(exp.items, it) && !slices.Contains(leaked, it) {
				leaked = append(leaked, it)
			}
		}
		for _, it := range have {
			if _, ok := r.Items[it]; !ok && slices.Contains(exp.items, it) && !slices.Contains(withheld, it) {
				withheld = append(withheld, it)
			}
		}
		if !slices.Equal(r.Usable, usable) {
			p = append(p, fmt.Sprintf("record %s: usable_purposes %v, want %v", r.ID, r.Usable, usable))
		}
	}
	if leaked != nil {
		slices.Sort(leaked)
		p = append(p, "ITEMS BEYOND THE RULES: "+strings.Join(leaked, ","))
	}
	if withheld != nil {
		slices.Sort(withheld)
		p = append(p, "items withheld: "+strings.Join(withheld, ","))
	}
	return p
}

// walkTable collects the mismatches of a walk.
type walkTable struct {
	rows  [][]string
	calls int
	allow int
	// refused counts the 403 answers, each of which must be audited.
	refused int
}

func (w *walkTable) add(route string, role hogo.Role, cat, purpose string, exp walkExpect, seen walkSeen, problems []string) {
	w.calls++
	if seen.status >= 200 && seen.status < 300 {
		w.allow++
	}
	if seen.status == http.StatusForbidden {
		w.refused++
	}
	w.flag(route, role, cat, purpose, exp, seen, problems)
}

// flag adds the problems of a call already counted.
func (w *walkTable) flag(route string, role hogo.Role, cat, purpose string, exp walkExpect, seen walkSeen, problems []string) {
	if len(problems) > 0 {
		if purpose == "" {
			purpose = `""`
		}
		w.rows = append(w.rows, []string{route, string(role), cat, purpose, exp.String(), seen.String(), strings.Join(problems, "; ")})
	}
}

func (w *walkTable) String() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROUTE\tROLE\tCATEGORY\tPURPOSE\tEXPECTED\tGOT\tPROBLEM")
	for _, r := range w.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	return b.String()
}

// walkValues makes item values of every type, distinct per call so that a
// search finds only the principal it is meant to.
type walkValues struct{ n int }

func (g *walkValues) next() int { g.n++; return g.n }

func (g *walkValues) value(it *ledger.Item, n int) string {
	kana := func(n int) string {
		const k = "アイウエオカキクケコ"
		var b strings.Builder
		for _, d := range strconv.Itoa(n) {
			b.WriteString(string([]rune(k)[d-'0']))
		}
		return b.String()
	}
	switch it.Type {
	case ledger.TypeKana:
		return "ケンショウ " + kana(n)
	case ledger.TypeEmail:
		return fmt.Sprintf("walk%d@example.jp", n)
	case ledger.TypePhone:
		return fmt.Sprintf("090-7%03d-%04d", n/10000, n%10000)
	case ledger.TypeDate:
		return fmt.Sprintf("1985-%02d-%02d", n%12+1, n%28+1)
	case ledger.TypePostalCode:
		return "542-0081"
	case ledger.TypeAddress:
		return "大阪府大阪市中央区南船場九丁目9番9号"
	case ledger.TypeCode:
		return fmt.Sprintf("E%05d", n)
	case ledger.TypeMyNumber:
		body := fmt.Sprintf("%011d", 12345678000+n)
		for d := '0'; d <= '9'; d++ {
			if vault.ValidMyNumber(body + string(d)) {
				return body + string(d)
			}
		}
	case ledger.TypeNumber:
		return strconv.Itoa(n)
	case ledger.TypeURL:
		return "https://www.example.jp/"
	case ledger.TypeBool:
		return "true"
	case ledger.TypeFile:
		return fmt.Sprintf("rirekisho-%d.pdf", n)
	}
	if it.ID == "name" {
		return fmt.Sprintf("検証 花子%d", n)
	}
	return fmt.Sprintf("%sの記録 %d", it.Name.Ja, n)
}

// walkFixture is the principal a category's walk reads and writes.
type walkFixture struct {
	cat     *ledger.Category
	creator hogo.Role
	purpose string // the creator's purpose
	id, rid string
	values  map[string]string   // the items of the first record as sent
	stored  map[string][]string // record ID → its items
	// writeItems are the items a write sends: the required items, or the
	// first item when none is required.
	writeItems []string
	// query and search find the principal, without the purpose; empty
	// when the category has no identifier to search by.
	query  url.Values
	search map[string]string
}

// newRecordBody is a record of the fixture's category with the items a
// write sends, fresh values, for purpose.
func (f *walkFixture) newRecordBody(g *walkValues, l *ledger.Ledger, purpose string) (string, []string) {
	n := g.next()
	items := map[string]string{}
	for _, id := range f.writeItems {
		items[id] = g.value(l.Item(f.cat.ID, id), n)
	}
	b, _ := json.Marshal(map[string]any{"category": f.cat.ID, "purpose": purpose, "source": f.cat.Sources[0].ID, "items": items})
	return string(b), f.writeItems
}

// setupFixture stores a principal of category cat holding every item some
// role may write: created by the role and purpose that may write the most
// items, then completed item by item by whoever may write the rest.
func setupFixture(h *harness, g *walkValues, cat string) *walkFixture {
	h.t.Helper()
	l := h.ledger
	c := l.Category(cat)
	f := &walkFixture{cat: c, values: map[string]string{}, stored: map[string][]string{}}
	for _, it := range c.Items {
		if it.Required {
			f.writeItems = append(f.writeItems, it.ID)
		}
	}
	if len(f.writeItems) == 0 {
		f.writeItems = []string{c.Items[0].ID}
	}
	var best []string
	for _, role := range hogo.Roles {
		for _, p := range refs(c.Purposes) {
			e := expectUse(l, role, cat, p, true, f.writeItems)
			if e.allowed && len(e.items) > len(best) {
				f.creator, f.purpose, best = role, p, e.items
			}
		}
	}
	if best == nil {
		h.t.Fatalf("no role may create a principal of category %s", cat)
	}
	n := g.next()
	for _, id := range best {
		f.values[id] = g.value(l.Item(cat, id), n)
	}
	body, _ := json.Marshal(map[string]any{"category": cat, "purpose": f.purpose, "source": c.Sources[0].ID, "items": f.values})
	r := h.as(f.creator, "POST", "/api/v1/principals", string(body))
	if r.status != http.StatusCreated {
		h.t.Fatalf("%s creates a %s for %s: %d\n%s", f.creator, cat, f.purpose, r.status, r.body)
	}
	var created map[string]string
	r.decode(h.t, &created)
	f.id, f.rid = created["id"], created["record_id"]
	for _, it := range c.Items {
		if _, ok := f.values[it.ID]; ok {
			continue
		}
	writers:
		for _, role := range hogo.Roles {
			for _, p := range refs(c.Purposes) {
				if !expectUse(l, role, cat, p, true, []string{it.ID}).allowed {
					continue
				}
				v := g.value(it, n)
				b, _ := json.Marshal(map[string]any{"purpose": p, "items": map[string]string{it.ID: v}})
				r := h.as(role, "PATCH", "/api/v1/principals/"+f.id+"/records/"+f.rid, string(b))
				if r.status != http.StatusOK {
					h.t.Fatalf("%s writes %s.%s for %s: %d\n%s", role, cat, it.ID, p, r.status, r.body)
				}
				f.values[it.ID] = v
				break writers
			}
		}
	}
	f.stored[f.rid] = slices.Sorted(maps.Keys(f.values))

	// The identifier to search by, as vault.LookupKinds lists them.
	has := func(t ledger.ItemType) string {
		for _, it := range c.Items {
			if it.Type == t && it.Identifier && f.values[it.ID] != "" {
				return it.ID
			}
		}
		return ""
	}
	for _, k := range []struct {
		kind string
		t    ledger.ItemType
	}{{vault.LookupEmail, ledger.TypeEmail}, {vault.LookupPhone, ledger.TypePhone}, {vault.LookupNameKana, ledger.TypeKana}} {
		if id := has(k.t); id != "" {
			f.query = url.Values{k.kind: {f.values[id]}}
			f.search = map[string]string{"by": k.kind, "value": f.values[id]}
			return f
		}
	}
	if name := has(ledger.TypeText); name != "" && f.values["birth_date"] != "" {
		f.query = url.Values{"birth_date": {f.values["birth_date"]}, "name": {f.values[name]}}
		f.search = map[string]string{"by": vault.LookupBirthName, "birth_date": f.values["birth_date"], "name": f.values[name]}
	}
	return f
}

// walkRoutes are the routes the walk calls; the guard below keeps them
// equal to purposeBound.
var walkRoutes = []string{
	"POST /api/v1/principals",
	"GET /api/v1/principals",
	"POST /api/v1/principals/search",
	"GET /api/v1/principals/{id}",
	"POST /api/v1/principals/{id}/records",
	"PATCH /api/v1/principals/{id}/records/{rid}",
	"GET /api/v1/principals/export",
	// These name no purpose: they are walked once per role.
	"DELETE /api/v1/principals/{id}",
	"GET /api/v1/exceptions",
	"POST /api/v1/exceptions/{id}/review",
}

// TestVaultRoutePurposeWalk calls every route of purposeBound as every role
// for every purpose of the ledger (and none, and an unknown one) on a
// principal of every category of the demo ledger, and checks each answer
// against the outcome computed from the ledger: no call is allowed that the
// ledger does not allow, every call it allows succeeds, every refusal is
// 403 purpose_not_permitted (400 for a missing or unknown purpose) and is
// audited, and a read returns exactly the items the rules let it see.
func TestVaultRoutePurposeWalk(t *testing.T) {
	h := newHarness(t)
	l := h.ledger

	if !slices.Equal(slices.Sorted(maps.Keys(purposeBound)), slices.Sorted(slices.Values(walkRoutes))) {
		t.Fatalf("purposeBound %v and the walk's routes %v differ: walk every purpose-bound route", slices.Sorted(maps.Keys(purposeBound)), walkRoutes)
	}
	var cats []string
	for _, c := range l.Categories {
		cats = append(cats, c.ID)
	}
	if !slices.Contains(cats, "job_seeker") || len(cats) < 2 {
		t.Fatalf("the demo ledger's categories are %v: the walk needs job_seeker and another", cats)
	}
	purposes := []string{"", "no_such_purpose"}
	for _, p := range l.Purposes {
		purposes = append(purposes, p.ID)
	}

	t.Run("expectation", func(t *testing.T) { checkWalkExpectation(t, l, cats, purposes) })
	t.Run("judge", checkWalkJudge)
	if t.Failed() {
		t.FailNow()
	}

	ctx := context.Background()
	g := &walkValues{}
	startHead := h.auditHead()
	all := &walkTable{}
	for _, cat := range cats {
		t.Run(cat, func(t *testing.T) {
			h := h.in(t)
			w := &walkTable{}
			f := setupFixture(h, g, cat)
			if f.query == nil {
				t.Logf("%s has no identifier to search by: the searches are walked on the other categories", cat)
			}
			rec, err := h.db.GetPrincipal(ctx, f.id)
			if err != nil {
				t.Fatal(err)
			}
			wantVersion := rec.Records[0].Version
			for _, role := range hogo.Roles {
				usable := expectUsable(l, role, cat)
				for _, p := range purposes {
					read := expectUse(l, role, cat, p, false, nil)
					note := func(route string, exp walkExpect, seen walkSeen, okStatus int, isRead bool) {
						w.add(route, role, cat, p, exp, seen, judge(exp, seen, okStatus, isRead, f.stored, usable))
					}

					// GET /api/v1/principals/{id}
					r := h.as(role, "GET", "/api/v1/principals/"+f.id+"?"+url.Values{"purpose": {p}}.Encode(), "")
					seen := observe(t, r)
					if seen.status == http.StatusOK {
						v := r.principal(t)
						seen.found, seen.records = 1, v.Records
						if v.ID != f.id {
							seen.found = 0
						}
					}
					note("GET /api/v1/principals/{id}", read, seen, http.StatusOK, true)

					// GET /api/v1/principals/export: the category's records
					// with the columns the read may see.
					// A purpose that needs consent exports the principals
					// who consented (the fixture has none): the columns as
					// for a consenting principal, and no rows.
					export, consentOnly := read, false
					if read.why == "needs consent" {
						export, consentOnly = expectUse(withoutConsent(l, p), role, cat, p, false, nil), true
					}
					r = h.as(role, "GET", "/api/v1/principals/export?"+url.Values{"category": {cat}, "purpose": {p}, "format": {"csv"}}.Encode(), "")
					seen = observe(t, r)
					note("GET /api/v1/principals/export", export, seen, http.StatusOK, false)
					if seen.status == http.StatusOK {
						rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(r.body), "\ufeff"))).ReadAll()
						var problems []string
						switch {
						case consentOnly:
							if err != nil || len(rows) != 1 || len(rows[0]) != 2+len(export.items) {
								problems = append(problems, fmt.Sprintf("export for a purpose needing consent, with nobody consenting: %d rows, %v", len(rows), err))
							}
						case err != nil || len(rows) < 2:
							problems = append(problems, fmt.Sprintf("export is not a CSV with rows: %v", err))
						case len(rows[0]) != 2+len(read.items):
							problems = append(problems, fmt.Sprintf("export has %d item columns, the rules allow %d (%v)", len(rows[0])-2, len(read.items), read.items))
						case !strings.Contains(string(r.body), f.id):
							problems = append(problems, "export lacks the category's principal")
						}
						w.flag("GET /api/v1/principals/export", role, cat, p, export, seen, problems)
					}

					// GET /api/v1/principals and POST /api/v1/principals/search
					if f.query != nil {
						q := maps.Clone(f.query)
						q.Set("purpose", p)
						r = h.as(role, "GET", "/api/v1/principals?"+q.Encode(), "")
						note("GET /api/v1/principals", read, observeFound(t, r, f.id), http.StatusOK, true)
						s := maps.Clone(f.search)
						s["purpose"] = p
						b, _ := json.Marshal(s)
						r = h.as(role, "POST", "/api/v1/principals/search", string(b))
						note("POST /api/v1/principals/search", read, observeFound(t, r, f.id), http.StatusOK, true)
					}

					// POST /api/v1/principals
					body, items := f.newRecordBody(g, l, p)
					exp := expectUse(l, role, cat, p, true, items)
					before := h.principalCount()
					r = h.as(role, "POST", "/api/v1/principals", body)
					seen = observe(t, r)
					note("POST /api/v1/principals", exp, seen, http.StatusCreated, false)
					grew := int64(0)
					if seen.status == http.StatusCreated {
						grew = 1
					}
					if n := h.principalCount(); n != before+grew {
						w.flag("POST /api/v1/principals", role, cat, p, exp, seen, []string{fmt.Sprintf("principals %d → %d", before, n)})
					}

					// POST /api/v1/principals/{id}/records
					body, items = f.newRecordBody(g, l, p)
					r = h.as(role, "POST", "/api/v1/principals/"+f.id+"/records", body)
					seen = observe(t, r)
					note("POST /api/v1/principals/{id}/records", exp, seen, http.StatusCreated, false)
					if seen.status == http.StatusCreated {
						var added map[string]string
						r.decode(t, &added)
						f.stored[added["id"]] = slices.Sorted(slices.Values(items))
					}

					// PATCH /api/v1/principals/{id}/records/{rid}: the first
					// written item, set to the value it has.
					it := f.writeItems[0]
					b, _ := json.Marshal(map[string]any{"purpose": p, "items": map[string]string{it: f.values[it]}})
					exp = expectUse(l, role, cat, p, true, []string{it})
					r = h.as(role, "PATCH", "/api/v1/principals/"+f.id+"/records/"+f.rid, string(b))
					seen = observe(t, r)
					note("PATCH /api/v1/principals/{id}/records/{rid}", exp, seen, http.StatusOK, false)
					if seen.status == http.StatusOK {
						wantVersion++
					}
				}

				// DELETE /api/v1/principals/{id}, on a principal of its own.
				body, _ := f.newRecordBody(g, l, f.purpose)
				r := h.as(f.creator, "POST", "/api/v1/principals", body)
				if r.status != http.StatusCreated {
					t.Fatalf("%s creates a principal to erase: %d\n%s", f.creator, r.status, r.body)
				}
				var victim map[string]string
				r.decode(t, &victim)
				exp := expectErase(role, l.Category(cat))
				r = h.as(role, "DELETE", "/api/v1/principals/"+victim["id"], `{"reason":"本人からの消去請求（検証）"}`)
				seen := observe(t, r)
				w.add("DELETE /api/v1/principals/{id}", role, cat, "-", exp, seen, judge(exp, seen, http.StatusOK, false, nil, nil))
				after := h.as(f.creator, "GET", "/api/v1/principals/"+victim["id"]+"?purpose="+f.purpose, "")
				if gone := after.status == http.StatusNotFound; gone != (seen.status == http.StatusOK) {
					w.flag("DELETE /api/v1/principals/{id}", role, cat, "-", exp, seen,
						[]string{fmt.Sprintf("afterwards the creator's read gives %d", after.status)})
				}
			}

			// Nothing was written that the walk did not count: the records
			// and the version of the first record.
			p, err := h.db.GetPrincipal(ctx, f.id)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Records) != len(f.stored) {
				t.Errorf("the principal has %d records; the allowed calls made %d", len(p.Records), len(f.stored))
			}
			for _, r := range p.Records {
				if r.ID == f.rid && r.Version != wantVersion {
					t.Errorf("the first record is at version %d; the allowed corrections make %d", r.Version, wantVersion)
				}
			}
			t.Logf("%s: %d calls, %d allowed, %d refused with 403", cat, w.calls, w.allow, w.refused)
			if len(w.rows) > 0 {
				t.Errorf("%d of %d calls differ from the ledger:\n%s", len(w.rows), w.calls, w)
			}
			all.calls += w.calls
			all.allow += w.allow
			all.refused += w.refused
		})
	}

	t.Run("exceptions", func(t *testing.T) {
		h := h.in(t)
		w := &walkTable{}
		// A use under the exception "law" to review.
		id, _ := createPrincipal(h, taroBody)
		r := h.asWith(hogo.RoleStaff, "GET", "/api/v1/principals/"+id+"?exception=law", "",
			http.Header{"Hogo-Justification": {url.PathEscape("裁判所からの文書送付嘱託への回答")}})
		var v principalJSON
		r.decode(t, &v)
		if r.status != http.StatusOK || v.ReviewID == 0 {
			t.Fatalf("read under exception law: %d %s", r.status, r.body)
		}
		for _, role := range hogo.Roles {
			exp := expectRoleGate(role, hogo.RoleManager, hogo.RoleAuditor)
			seen := observe(t, h.as(role, "GET", "/api/v1/exceptions", ""))
			w.add("GET /api/v1/exceptions", role, "-", "-", exp, seen, judge(exp, seen, http.StatusOK, false, nil, nil))
		}
		// The manager decides last, so that every other role meets a
		// pending use.
		roles := slices.DeleteFunc(slices.Clone(hogo.Roles), func(r hogo.Role) bool { return r == hogo.RoleManager })
		for _, role := range append(roles, hogo.RoleManager) {
			exp := expectRoleGate(role, hogo.RoleManager)
			seen := observe(t, h.as(role, "POST", fmt.Sprintf("/api/v1/exceptions/%d/review", v.ReviewID), `{"decision":"reject","note":"根拠の確認が取れないため"}`))
			w.add("POST /api/v1/exceptions/{id}/review", role, "-", "-", exp, seen, judge(exp, seen, http.StatusOK, false, nil, nil))
		}
		if len(w.rows) > 0 {
			t.Errorf("%d of %d calls differ from the role gates:\n%s", len(w.rows), w.calls, w)
		}
		all.refused += w.refused
		all.calls += w.calls
	})

	// Every 403 left one denied entry in the audit log, and nothing else
	// was denied.
	denied := 0
	for _, e := range h.auditEntries() {
		if e.Seq > startHead && e.Outcome == hogo.OutcomeDenied {
			denied++
		}
	}
	if denied != all.refused {
		t.Errorf("%d denied audit entries for %d refusals with 403", denied, all.refused)
	}
	t.Logf("walk: %d calls, %d allowed, %d refused with 403", all.calls, all.allow, all.refused)
}

// observe reads a response's status and error.
func observe(t *testing.T, r *response) walkSeen {
	t.Helper()
	s := walkSeen{status: r.status}
	if r.status >= 400 {
		s.err = r.apiError(t)
	}
	return s
}

// observeFound reads a search's answer: the records of principal id.
func observeFound(t *testing.T, r *response, id string) walkSeen {
	t.Helper()
	s := observe(t, r)
	if r.status != http.StatusOK {
		return s
	}
	var found foundJSON
	r.decode(t, &found)
	s.found = len(found.Principals)
	for _, p := range found.Principals {
		if p.ID == id {
			s.records = p.Records
		}
	}
	return s
}

// checkWalkExpectation pins the expected-outcome function to the demo
// ledger as read by eye, so that a walk whose expectation allowed nothing
// (and so could never see an unexpected allow) or everything would fail.
func checkWalkExpectation(t *testing.T, l *ledger.Ledger, cats, purposes []string) {
	for _, role := range hogo.Roles {
		hasRule := false
		allowed, refused := 0, 0
		for _, cat := range cats {
			for _, a := range l.Category(cat).Access {
				hasRule = hasRule || a.Role == string(role)
			}
			for _, p := range purposes {
				for _, write := range []bool{false, true} {
					if expectUse(l, role, cat, p, write, nil).allowed {
						allowed++
					} else {
						refused++
					}
				}
			}
		}
		if hasRule && allowed == 0 {
			t.Errorf("the ledger gives %s access rules, yet the expectation allows it nothing", role)
		}
		if !hasRule && allowed > 0 {
			t.Errorf("the ledger gives %s no access rule, yet the expectation allows it %d uses", role, allowed)
		}
		if refused == 0 {
			t.Errorf("the expectation refuses %s nothing", role)
		}
	}
	for _, tc := range []struct {
		role         hogo.Role
		cat, purpose string
		write        bool
		items        []string
		allowed      bool
		status       int
		has, hasNot  []string
		exactly      []string
	}{
		{role: hogo.RoleStaff, cat: "job_seeker", purpose: "job_matching", allowed: true, has: []string{"name", "evaluation"}, hasNot: []string{"emergency_contact"}},
		{role: hogo.RoleStaff, cat: "job_seeker", purpose: "survey", allowed: true, exactly: []string{"name", "email"}},
		{role: hogo.RoleStaff, cat: "job_seeker", purpose: "survey", write: true, items: []string{"name", "name_kana", "email", "phone"}, status: 403},
		{role: hogo.RoleStaff, cat: "job_seeker", purpose: "survey", write: true, items: []string{"email"}, allowed: true},
		{role: hogo.RoleStaff, cat: "job_seeker", purpose: "marketing", status: 403},
		{role: hogo.RoleManager, cat: "job_seeker", purpose: "marketing", status: 403},
		{role: hogo.RoleManager, cat: "job_seeker", purpose: "emergency_contact", allowed: true, has: []string{"emergency_contact"}, hasNot: []string{"evaluation"}},
		{role: hogo.RoleManager, cat: "job_seeker", purpose: "sales", status: 403},
		{role: hogo.RoleDesk, cat: "job_seeker", purpose: "job_matching", allowed: true, exactly: []string{"name", "name_kana", "email", "phone", "postal_code", "address"}},
		{role: hogo.RoleDesk, cat: "job_seeker", purpose: "survey", status: 403},
		{role: hogo.RoleAdmin, cat: "job_seeker", purpose: "service_provision", allowed: true},
		{role: hogo.RoleAdmin, cat: "business_contact", purpose: "sales", status: 403},
		{role: hogo.RoleStaff, cat: "business_contact", purpose: "sales", write: true, items: []string{"name"}, allowed: true},
		{role: hogo.RoleManager, cat: "employee", purpose: "employment_management", allowed: true, has: []string{"bank_account", "health_check"}, hasNot: []string{"mynumber"}},
		{role: hogo.RoleManager, cat: "employee", purpose: "mynumber_tax", allowed: true, has: []string{"mynumber", "name"}, hasNot: []string{"bank_account", "health_check"}},
		{role: hogo.RoleStaff, cat: "employee", purpose: "employment_management", status: 403},
		{role: hogo.RoleManager, cat: "applicant", purpose: "business_management", allowed: true, hasNot: []string{"selection_notes"}},
		{role: hogo.RoleAuditor, cat: "job_seeker", purpose: "job_matching", status: 403},
		{role: hogo.RoleManager, cat: "job_seeker", purpose: "", status: 400},
		{role: hogo.RoleManager, cat: "job_seeker", purpose: "no_such_purpose", status: 400},
	} {
		e := expectUse(l, tc.role, tc.cat, tc.purpose, tc.write, tc.items)
		name := fmt.Sprintf("%s %s %s write=%v", tc.role, tc.cat, tc.purpose, tc.write)
		if e.allowed != tc.allowed || (!tc.allowed && e.status != tc.status) {
			t.Errorf("%s: expectation %s, want allowed=%v status %d", name, e, tc.allowed, tc.status)
			continue
		}
		for _, it := range tc.has {
			if !slices.Contains(e.items, it) {
				t.Errorf("%s: items %v lack %s", name, e.items, it)
			}
		}
		for _, it := range tc.hasNot {
			if slices.Contains(e.items, it) {
				t.Errorf("%s: items %v hold %s", name, e.items, it)
			}
		}
		if tc.exactly != nil && !slices.Equal(e.items, tc.exactly) {
			t.Errorf("%s: items %v, want %v", name, e.items, tc.exactly)
		}
	}
	seekers := l.Category("job_seeker")
	for _, role := range hogo.Roles {
		want := role == hogo.RoleManager || role == hogo.RoleDesk || role == hogo.RoleAdmin
		if expectErase(role, seekers).allowed != want {
			t.Errorf("erasure of a job seeker by %s: expected allowed=%v", role, !want)
		}
	}
	if employees := l.Category("employee"); expectErase(hogo.RoleDesk, employees).allowed {
		t.Error("the desk, with no rule on employees, is expected to erase one")
	}
}

// checkWalkJudge shows that the comparison catches what the walk looks
// for: an allow the ledger does not give, an item beyond the rules, a
// refusal of the wrong kind.
func checkWalkJudge(t *testing.T) {
	stored := map[string][]string{"r1": {"email", "name", "phone"}}
	refused := walkExpect{status: 403, code: hogo.EPURPOSENOTPERMITTED}
	allowed := walkExpect{allowed: true, items: []string{"name", "email"}}
	rec := func(items ...string) []recordJSON {
		r := recordJSON{ID: "r1", Items: map[string]string{}, Usable: []string{"p"}}
		for _, it := range items {
			r.Items[it] = "x"
		}
		return []recordJSON{r}
	}
	for _, tc := range []struct {
		name string
		exp  walkExpect
		seen walkSeen
		want string // a substring of the problems; "" for none
	}{
		{"unexpected allow", refused, walkSeen{status: 200}, "UNEXPECTED ALLOW"},
		{"expected allow refused", allowed, walkSeen{status: 403, err: apiError{Code: hogo.EPURPOSENOTPERMITTED, Reason: "x"}}, "expected allow refused"},
		{"refused as forbidden", refused, walkSeen{status: 403, err: apiError{Code: hogo.EFORBIDDEN}}, "refused otherwise"},
		{"refused without reason", refused, walkSeen{status: 403, err: apiError{Code: hogo.EPURPOSENOTPERMITTED}}, "without a reason"},
		{"leak", allowed, walkSeen{status: 200, found: 1, records: rec("name", "email", "phone")}, "ITEMS BEYOND THE RULES: phone"},
		{"withheld", allowed, walkSeen{status: 200, found: 1, records: rec("name")}, "items withheld: email"},
		{"two principals", allowed, walkSeen{status: 200, found: 2, records: rec("name", "email")}, "principals returned"},
		{"as expected", allowed, walkSeen{status: 200, found: 1, records: rec("name", "email")}, ""},
		{"refused as expected", refused, walkSeen{status: 403, err: apiError{Code: hogo.EPURPOSENOTPERMITTED, Reason: "x"}}, ""},
	} {
		got := strings.Join(judge(tc.exp, tc.seen, 200, true, stored, []string{"p"}), "; ")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: judge says %q, want %q", tc.name, got, tc.want)
		}
	}
	var w walkTable
	w.add("GET /x", hogo.RoleStaff, "job_seeker", "", refused, walkSeen{status: 200}, []string{"UNEXPECTED ALLOW"})
	if s := w.String(); !strings.Contains(s, "UNEXPECTED ALLOW") || !strings.Contains(s, `""`) || !strings.Contains(s, "ROUTE") {
		t.Errorf("mismatch table:\n%s", s)
	}
}
