package web_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hogo.example.jp/hogo"
)

// operation is one documented or registered API call.
type operation struct{ method, path string }

func (o operation) String() string { return o.method + " " + o.path }

// openAPIDoc is the part of openapi.json the tests read.
type openAPIDoc struct {
	Security []map[string][]string `json:"security"`
	Paths    map[string]map[string]struct {
		Security *[]map[string][]string `json:"security"`
	} `json:"paths"`
}

func readOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var d openAPIDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return d
}

// operations lists the documented (method, path) pairs, sorted.
func (d openAPIDoc) operations() []operation {
	var ops []operation
	for p, methods := range d.Paths {
		for m := range methods {
			ops = append(ops, operation{strings.ToUpper(m), p})
		}
	}
	sortOps(ops)
	return ops
}

// public reports whether op is documented as needing no token.
func (d openAPIDoc) public(op operation) bool {
	s := d.Paths[op.path][strings.ToLower(op.method)].Security
	if s != nil {
		return len(*s) == 0
	}
	return len(d.Security) == 0
}

func sortOps(ops []operation) {
	sort.Slice(ops, func(i, j int) bool { return ops[i].String() < ops[j].String() })
}

// registeredRoutes reads the route table out of server.go's apiRoutes, the
// one the server registers, without running it: the (method, pattern)
// pairs and, for each, the permission passed to s.api ("" when the handler
// is not wrapped, i.e. public).
func registeredRoutes(t *testing.T) map[operation]string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "server.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var fn *ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "apiRoutes" && fd.Recv != nil {
			fn = fd
		}
	}
	if fn == nil {
		t.Fatal("server.go has no method apiRoutes: update this test to find the API's route table")
	}
	str := func(e ast.Expr) string {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Fatalf("%s: route fields must be string literals for this test to read them", fset.Position(e.Pos()))
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	routes := map[operation]string{}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		ret, ok := n.(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			return true
		}
		list, ok := ret.Results[0].(*ast.CompositeLit)
		if !ok {
			t.Fatalf("%s: apiRoutes must return a slice literal", fset.Position(ret.Pos()))
		}
		for _, el := range list.Elts {
			lit, ok := el.(*ast.CompositeLit)
			if !ok || len(lit.Elts) != 3 {
				t.Fatalf("%s: a route must be {method, pattern, handler}", fset.Position(el.Pos()))
			}
			var fields [3]ast.Expr
			for i, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					idx := map[string]int{"method": 0, "pattern": 1, "handler": 2}
					i = idx[kv.Key.(*ast.Ident).Name]
					e = kv.Value
				}
				fields[i] = e
			}
			op := operation{str(fields[0]), str(fields[1])}
			perm := ""
			if call, ok := fields[2].(*ast.CallExpr); ok && len(call.Args) == 2 {
				if id, ok := call.Args[1].(*ast.Ident); ok {
					perm = id.Name
				}
			}
			if _, dup := routes[op]; dup {
				t.Errorf("route %s registered twice", op)
			}
			routes[op] = perm
		}
		return false
	})
	if len(routes) == 0 {
		t.Fatal("found no routes in apiRoutes")
	}
	return routes
}

// TestOpenAPIMatchesRouteTable is the guard that openapi.json documents
// exactly the routes the server registers, in both directions.
func TestOpenAPIMatchesRouteTable(t *testing.T) {
	doc := readOpenAPI(t)
	var registered []operation
	for op, perm := range registeredRoutes(t) {
		registered = append(registered, op)
		// A route is public in the document exactly when it is public in
		// the code.
		if doc.Paths[op.path] != nil && doc.public(op) != (perm == "") {
			t.Errorf("%s: documented public=%v, but the server wraps it in %q", op, doc.public(op), perm)
		}
	}
	names := func(ops []operation) []string {
		sortOps(ops)
		var out []string
		for _, op := range ops {
			out = append(out, op.String())
		}
		return out
	}
	if diff := cmp.Diff(names(doc.operations()), names(registered)); diff != "" {
		t.Errorf("openapi.json (-) and apiRoutes in server.go (+) differ:\n%s", diff)
	}
}

// TestOpenAPIServed checks from outside that every documented operation
// reaches a handler (not the /api/ catch-all), that a route the server does
// not have is caught by the same probe, and that the served document is
// the file.
func TestOpenAPIServed(t *testing.T) {
	h := newHarness(t)
	file, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	served := h.api("GET", "/api/v1/openapi.json", "", "")
	if served.status != 200 || string(served.body) != string(file) {
		t.Fatalf("served openapi.json (%d) differs from the file", served.status)
	}
	if ct := served.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("openapi.json Content-Type = %q", ct)
	}
	doc := readOpenAPI(t)

	reaches := func(t *testing.T, op operation) (bool, *response) {
		path := strings.ReplaceAll(op.path, "{id}", strconv.FormatInt(h.users[hogo.RoleStaff].ID, 10))
		body := ""
		if op.method == "POST" {
			body = "{}"
		}
		r := h.in(t).as(hogo.RoleAdmin, op.method, path, body)
		return r.status != http.StatusMethodNotAllowed && !strings.Contains(r.String(), "there is no API endpoint"), r
	}
	for _, op := range doc.operations() {
		if ok, r := reaches(t, op); !ok {
			t.Errorf("documented %s is not served: %d %s", op, r.status, r.body)
		}
		if !doc.public(op) {
			// Everything not documented as public needs a token.
			path := strings.ReplaceAll(op.path, "{id}", "1")
			if r := h.api(op.method, path, "", ""); r.status != http.StatusUnauthorized {
				t.Errorf("%s without a token: %d, want 401", op, r.status)
			}
		}
	}
	// The probe tells an absent route apart: were these documented, the
	// loop above would fail.
	for _, op := range []operation{{"GET", "/api/v1/users/{id}"}, {"DELETE", "/api/v1/users/{id}/tokens"}, {"GET", "/api/v2/me"}} {
		if ok, r := reaches(t, op); ok {
			t.Errorf("probe says absent %s is served: %d %s", op, r.status, r.body)
		}
	}
}

// allowedRoles is the permission matrix, written from web/auth.go and
// server.go (anyRole, adminOnly, canSeeUsers, canSeeAudit) and the
// summaries in openapi.json; it is not derived from the responses.
var allowedRoles = map[string][]hogo.Role{
	"GET /api/v1/openapi.json":         hogo.Roles,
	"GET /api/v1/me":                   hogo.Roles,
	"GET /api/v1/ledger":               hogo.Roles,
	"GET /api/v1/ledger/export":        hogo.Roles,
	"GET /api/v1/users":                {hogo.RoleAdmin, hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/users":               {hogo.RoleAdmin},
	"POST /api/v1/users/{id}/tokens":   {hogo.RoleAdmin},
	"PATCH /api/v1/users/{id}":         {hogo.RoleAdmin},
	"POST /api/v1/users/{id}/password": {hogo.RoleAdmin},
	"GET /api/v1/tokens":               {hogo.RoleAdmin},
	"DELETE /api/v1/tokens/{id}":       {hogo.RoleAdmin},
	"GET /api/v1/audit":                {hogo.RoleAdmin, hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/audit/verify":        {hogo.RoleAdmin, hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/audit/checkpoints":    {hogo.RoleAdmin, hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/requests":            {hogo.RoleDesk, hogo.RoleManager},
	"GET /api/v1/requests":             {hogo.RoleDesk, hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/requests/{id}":        {hogo.RoleDesk, hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/consents/reconsent":   {hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/incidents":           hogo.Roles,
	"GET /api/v1/incidents":            {hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/complaints":          {hogo.RoleStaff, hogo.RoleDesk, hogo.RoleManager},
	"GET /api/v1/complaints":           {hogo.RoleDesk, hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/complaints/stats":     {hogo.RoleDesk, hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/provisions":           {hogo.RoleManager, hogo.RoleDesk, hogo.RoleAuditor},
	"GET /api/v1/processors":           {hogo.RoleManager, hogo.RoleAuditor, hogo.RoleAdmin},
	"GET /api/v1/receipts":             {hogo.RoleManager, hogo.RoleDesk, hogo.RoleAuditor},
	"GET /api/v1/datasets":             {hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/retention/preview":    {hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/retention/holds":      {hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/retention/holds":     {hogo.RoleManager},
	"GET /api/v1/retention/disposals":  {hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/retention/sweeps":     {hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/retention/sweeps":    {hogo.RoleManager},
	"GET /api/v1/retention/schedule":   {hogo.RoleManager, hogo.RoleAuditor},
	"PUT /api/v1/retention/schedule":   {hogo.RoleManager},
}

// purposeBound are the vault's routes, whose answer the ledger decides
// (role × category × purpose), and the review queue's (manager and
// auditor; reviewing is the manager's): TestVaultRoutePurposeWalk walks them
// all with every role.
var purposeBound = map[string]bool{
	"POST /api/v1/principals":                     true,
	"GET /api/v1/principals":                      true,
	"POST /api/v1/principals/search":              true,
	"GET /api/v1/principals/{id}":                 true,
	"DELETE /api/v1/principals/{id}":              true,
	"POST /api/v1/principals/{id}/records":        true,
	"PATCH /api/v1/principals/{id}/records/{rid}": true,
	"GET /api/v1/exceptions":                      true,
	"POST /api/v1/exceptions/{id}/review":         true,
	"GET /api/v1/principals/export":               true,
}

// requestSteps are the steps of handling a rights request (desk and
// manager), whose success needs a request in the right state: the
// matrix checks their refusals here, and request_flow_test.go walks them
// to success.
var requestSteps = map[string]bool{
	"POST /api/v1/requests/{id}/complete":   true,
	"POST /api/v1/requests/{id}/checks":     true,
	"POST /api/v1/requests/{id}/code":       true,
	"POST /api/v1/requests/{id}/payments":   true,
	"POST /api/v1/requests/{id}/wait":       true,
	"POST /api/v1/requests/{id}/resume":     true,
	"POST /api/v1/requests/{id}/match":      true,
	"POST /api/v1/requests/{id}/decisions":  true,
	"POST /api/v1/requests/{id}/answer":     true,
	"POST /api/v1/requests/{id}/deliver":    true,
	"POST /api/v1/requests/{id}/withdraw":   true,
	"POST /api/v1/requests/{id}/files":      true,
	"GET /api/v1/requests/{id}/files/{fid}": true,
}

// principalRoutes need a principal or a provision in the right state (a
// dataset or statistics: principals to anonymise or count; a dataset's
// provisions: a dataset): their refusals are checked with the request
// steps', their successes in consent_test.go, provision_test.go,
// dataset_test.go and dataset_more_test.go.
var principalRoutes = map[string][]hogo.Role{
	"GET /api/v1/incidents/{id}":                         {hogo.RoleManager, hogo.RoleAuditor},
	"PUT /api/v1/incidents/{id}":                         {hogo.RoleManager},
	"POST /api/v1/incidents/{id}/sent":                   {hogo.RoleManager},
	"GET /api/v1/incidents/{id}/report":                  {hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/incidents/{id}/notices":                {hogo.RoleManager},
	"GET /api/v1/incidents/{id}/notice":                  {hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/incidents/{id}/tasks":                  {hogo.RoleManager},
	"POST /api/v1/incidents/{id}/tasks/{task}":           {hogo.RoleManager},
	"GET /api/v1/incidents/{id}/timeline":                {hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/complaints/{id}":                        {hogo.RoleDesk, hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/complaints/{id}/steps":                 {hogo.RoleDesk, hogo.RoleManager},
	"GET /api/v1/principals/{id}/consents":               {hogo.RoleStaff, hogo.RoleDesk, hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/principals/{id}/consents":              {hogo.RoleStaff, hogo.RoleDesk, hogo.RoleManager},
	"DELETE /api/v1/principals/{id}/consents/{cid}":      {hogo.RoleStaff, hogo.RoleDesk, hogo.RoleManager},
	"GET /api/v1/principals/{id}/consents/{cid}/receipt": {hogo.RoleStaff, hogo.RoleDesk, hogo.RoleManager, hogo.RoleAuditor},
	"POST /api/v1/provisions":                            {hogo.RoleStaff, hogo.RoleManager},
	"GET /api/v1/provisions/{id}/export":                 {hogo.RoleStaff, hogo.RoleManager},
	"GET /api/v1/processors/{id}":                        {hogo.RoleManager, hogo.RoleAuditor, hogo.RoleAdmin},
	"POST /api/v1/processors/{id}/reviews":               {hogo.RoleManager},
	"POST /api/v1/processors/{id}/contract":              {hogo.RoleManager},
	"POST /api/v1/processors/{id}/subentrustments":       {hogo.RoleManager},
	"POST /api/v1/receipts":                              {hogo.RoleStaff, hogo.RoleManager},
	"POST /api/v1/datasets":                              {hogo.RoleManager},
	"GET /api/v1/datasets/{id}":                          {hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/datasets/{id}/data":                     {hogo.RoleManager},
	"GET /api/v1/datasets/{id}/method":                   {hogo.RoleManager},
	"POST /api/v1/datasets/pseudonymized":                {hogo.RoleManager},
	"POST /api/v1/datasets/{id}/purpose":                 {hogo.RoleManager},
	"POST /api/v1/datasets/{id}/provisions":              {hogo.RoleManager},
	"GET /api/v1/datasets/{id}/provisions":               {hogo.RoleManager, hogo.RoleAuditor},
	"GET /api/v1/datasets/{id}/provisions/{pid}/letter":  {hogo.RoleManager},
	"POST /api/v1/statistics":                            {hogo.RoleManager},
	"POST /api/v1/retention/holds/{id}/lift":             {hogo.RoleManager},
	"POST /api/v1/principals/{id}/records/{rid}/events":  {hogo.RoleStaff, hogo.RoleDesk, hogo.RoleManager},
}

// TestRequestStepRoles: every step refuses the roles that do not handle
// requests (admin, staff, auditor), with 403, audited.
func TestRequestStepRoles(t *testing.T) {
	h := newHarness(t)
	doc := readOpenAPI(t)
	n := 0
	for _, op := range doc.operations() {
		if !requestSteps[op.String()] {
			continue
		}
		n++
		for _, role := range []hogo.Role{hogo.RoleAdmin, hogo.RoleStaff, hogo.RoleAuditor} {
			path := strings.ReplaceAll(strings.ReplaceAll(op.path, "{id}", "0123456789abcdefghijklmnop"), "{fid}", "x")
			r := h.as(role, op.method, path, `{}`)
			if r.status != http.StatusForbidden {
				t.Errorf("%s as %s: %d, want 403\n%s", op, role, r.status, r.body)
			}
		}
	}
	if n != len(requestSteps) {
		t.Errorf("%d of %d request steps are documented", n, len(requestSteps))
	}
	n = 0
	for _, op := range doc.operations() {
		allowed, ok := principalRoutes[op.String()]
		if !ok {
			continue
		}
		n++
		for _, role := range hogo.Roles {
			if slices.Contains(allowed, role) {
				continue
			}
			path := strings.NewReplacer("{id}", "0123456789abcdefghijklmnop", "{cid}", "0123456789abcdefghijklmnop").Replace(op.path)
			if r := h.as(role, op.method, path, `{}`); r.status != http.StatusForbidden {
				t.Errorf("%s as %s: %d, want 403\n%s", op, role, r.status, r.body)
			}
		}
	}
	if n != len(principalRoutes) {
		t.Errorf("%d of %d principal routes are documented", n, len(principalRoutes))
	}
}

// TestAPIRoleMatrix walks every documented route with every role: each
// call succeeds or is refused with 403, as the matrix says, and every
// refusal is audited.
func TestAPIRoleMatrix(t *testing.T) {
	h := newHarness(t, withRetention)
	doc := readOpenAPI(t)
	denied := 0
	documented := map[string]bool{}
	for _, op := range doc.operations() {
		documented[op.String()] = true
	}
	for op := range allowedRoles {
		if !documented[op] {
			t.Errorf("allowedRoles lists %s, which openapi.json does not document", op)
		}
	}
	for _, op := range doc.operations() {
		if _, p := principalRoutes[op.String()]; purposeBound[op.String()] || requestSteps[op.String()] || p {
			continue
		}
		allowed, ok := allowedRoles[op.String()]
		if !ok {
			t.Errorf("%s is not in allowedRoles: add who may call it", op)
			continue
		}
		for _, role := range hogo.Roles {
			t.Run(op.String()+" as "+string(role), func(t *testing.T) {
				h := h.in(t)
				path := strings.ReplaceAll(op.path, "{id}", strconv.FormatInt(h.users[hogo.RoleStaff].ID, 10))
				body := ""
				switch op.String() {
				case "POST /api/v1/users":
					body = fmt.Sprintf(`{"name":"walk-%s","role":"staff"}`, role)
				case "POST /api/v1/users/{id}/tokens":
					body = `{"name":"walk"}`
				case "PATCH /api/v1/users/{id}":
					body = `{"role":"staff"}`
				case "POST /api/v1/users/{id}/password":
					body = `{}`
				case "POST /api/v1/incidents":
					body = `{"title":"求職者名簿の誤送信"}`
				case "POST /api/v1/complaints":
					body = `{"channel":"phone","category":"marketing","complainant":{"name":"道下 鈴"},"statement":"退会後も案内が届く"}`
				case "POST /api/v1/retention/holds":
					body = `{"kind":"category","target":"job_seeker","reason":"訴訟対応のため保存"}`
				case "POST /api/v1/retention/sweeps", "PUT /api/v1/retention/schedule":
					body = `{"approved_by":"代表取締役 架空一郎"}`
				case "POST /api/v1/requests":
					body = `{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":"道下 鈴","email":"suzu@example.jp"}}`
				case "GET /api/v1/requests/{id}":
					var rq struct{ ID string }
					h.as(hogo.RoleDesk, "POST", "/api/v1/requests", `{"types":["disclose"],"channel":"post","requester":{"kind":"principal","name":"道下 鈴","email":"suzu@example.jp"}}`).decode(t, &rq)
					path = "/api/v1/requests/" + rq.ID
				case "DELETE /api/v1/tokens/{id}":
					// A token of its own, so the walk never revokes
					// the tokens it calls with.
					var tok struct{ ID int64 }
					h.as(hogo.RoleAdmin, "POST", fmt.Sprintf("/api/v1/users/%d/tokens", h.users[hogo.RoleStaff].ID), `{"name":"walk-revoke"}`).decode(t, &tok)
					path = fmt.Sprintf("/api/v1/tokens/%d", tok.ID)
				}
				r := h.as(role, op.method, path, body)
				if slices.Contains(allowed, role) {
					if r.status < 200 || r.status > 299 {
						t.Errorf("%s as %s: %d, want success\n%s", op, role, r.status, r.body)
					}
					return
				}
				denied++
				if r.status != http.StatusForbidden {
					t.Fatalf("%s as %s: %d, want 403\n%s", op, role, r.status, r.body)
				}
				if code, msg, _ := r.errorJSON(t); code != hogo.EFORBIDDEN || !strings.Contains(msg, string(role)) {
					t.Errorf("%s as %s: code %q message %q", op, role, code, msg)
				}
			})
		}
	}
	var l auditListJSON
	h.as(hogo.RoleAdmin, "GET", "/api/v1/audit?action=access.denied&limit=1000", "").decode(t, &l)
	if len(l.Entries) != denied {
		t.Errorf("%d access.denied entries for %d refusals", len(l.Entries), denied)
	}
}
