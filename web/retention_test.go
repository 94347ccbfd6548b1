package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/jobs"
	"hogo.example.jp/hogo/retention"
	"hogo.example.jp/hogo/vault"
)

// retentionNow is retention's clock in these tests: 2026-11-24 10:00 in
// Tokyo.
var retentionNow = time.Date(2026, 11, 24, 10, 0, 0, 0, hogo.Tokyo)

// withRetention wires the retention service and a job worker (which these
// tests drive with RunOne) into the server.
func withRetention(h *harness) {
	svc := retention.New(h.db, h.log, h.srv.Vault, h.srv.Vault.LedgerFunc())
	svc.Incidents = h.srv.Incidents
	w := jobs.NewWorker(h.db, "test-node")
	svc.Register(w)
	h.srv.Retention, h.srv.Jobs = svc, w
}

// atRetentionNow fixes retention's clock (and the vault's, which stamps
// erasures).
func atRetentionNow(h *harness) {
	now := func() time.Time { return retentionNow }
	h.srv.Retention.Now, h.srv.Vault.Now = now, now
}

var retentionManager = hogo.Actor{UserID: 2, Name: userName(hogo.RoleManager), Role: hogo.RoleManager}

// seeker registers a fictional job seeker acquired in 2025; closed, when
// given, is the day their application closed (their six months count
// from it).
func (h *harness) retentionSeeker(email, closed string) string {
	h.t.Helper()
	ctx := context.Background()
	id, rid, err := h.srv.Vault.Create(ctx, retentionManager, vault.NewRecord{Category: "job_seeker", Use: vault.Use{Purpose: "job_matching"},
		Source: "web_form", AcquiredAt: time.Date(2025, 11, 1, 9, 0, 0, 0, hogo.Tokyo),
		Items: map[string]string{"name": "架空 花子", "name_kana": "カクウ ハナコ", "email": email, "phone": "090-0000-1234"}})
	if err != nil {
		h.t.Fatal(err)
	}
	if closed != "" {
		if err := h.srv.Retention.SetEvent(ctx, retentionManager, id, rid, "application_closed", closed); err != nil {
			h.t.Fatal(err)
		}
	}
	return id
}

// retentionSeekers registers five job seekers as of 2026-11-24: two due
// (one of whom is also an employee, so only their job-seeker record
// goes), one due but to be held, one still waiting for their event, one
// due only in 2027.
func (h *harness) retentionSeekers() (gone, partial, held, waiting, later string) {
	gone = h.retentionSeeker("kakuu.a@example.jp", "2026-01-10")
	partial = h.retentionSeeker("kakuu.d@example.jp", "2026-01-10")
	held = h.retentionSeeker("kakuu.e@example.jp", "2026-01-10")
	waiting = h.retentionSeeker("kakuu.b@example.jp", "")
	later = h.retentionSeeker("kakuu.c@example.jp", "2026-10-01")
	if _, err := h.srv.Vault.AddRecord(context.Background(), retentionManager, partial, vault.NewRecord{Category: "employee",
		Use: vault.Use{Purpose: "employment_management"}, Source: "paper_form", Items: map[string]string{"name": "架空 花子"}}); err != nil {
		h.t.Fatal(err)
	}
	return
}

type retentionPreviewJSON struct {
	Horizon    string                      `json:"horizon"`
	Categories []retention.CategoryPreview `json:"categories"`
	Registers  []retention.CategoryPreview `json:"registers"`
	Due, Held  int
}

func (p retentionPreviewJSON) category(id string) retention.CategoryPreview {
	for _, c := range append(append([]retention.CategoryPreview{}, p.Categories...), p.Registers...) {
		if c.Category == id {
			return c
		}
	}
	return retention.CategoryPreview{}
}

type retentionHoldJSON struct {
	ID, Kind, Target, Reason string
	PlacedBy                 string     `json:"placed_by"`
	LiftedBy                 string     `json:"lifted_by"`
	LiftedAt                 *time.Time `json:"lifted_at"`
}

type retentionSweepJSON struct {
	ID, State, Result string
	Attempts          int
	ApprovedBy        string     `json:"approved_by"`
	RequestedBy       string     `json:"requested_by"`
	LastError         string     `json:"last_error"`
	FinishedAt        *time.Time `json:"finished_at"`
	MaxAttempts       int        `json:"max_attempts"`
	CreatedAt         time.Time  `json:"created_at"`
	Scheduled         bool
}

type retentionDisposalJSON struct {
	ID, Actor  string
	ApprovedBy string `json:"approved_by"`
	At         time.Time
	Counts     map[string]int
	Principals int
	Records    int
	Done       bool
}

type retentionScheduleJSON struct {
	Standing   bool
	ApprovedBy string `json:"approved_by"`
	By         string
	At         *time.Time
}

// wantRetentionField checks an API refusal: its status and the field it names.
func wantRetentionField(t *testing.T, what string, r *response, status int, field string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: %d, want %d\n%s", what, r.status, status, r.body)
		return
	}
	if _, msg, f := r.errorJSON(t); f != field || msg == "" {
		t.Errorf("%s: field %q (%q), want %q", what, f, msg, field)
	}
}

// TestRetentionAPI: the preview by category, holds placed and lifted (a
// second lift is a conflict), a sweep requested, run by the worker and
// leaving a disposal record whose counts are the preview's, the standing
// schedule set and withdrawn; the auditor reads and cannot act, desk and
// staff are refused; bad input is a 400 naming the field; no personal
// data reaches the log.
func TestRetentionAPI(t *testing.T) {
	h := newHarness(t, withRetention, atRetentionNow)
	gone, partial, held, waiting, later := h.retentionSeekers()
	const mgr, aud = hogo.RoleManager, hogo.RoleAuditor
	ctx := context.Background()

	// Who may do what.
	for _, c := range []struct {
		role         hogo.Role
		method, path string
		body         string
	}{
		{hogo.RoleDesk, "GET", "/api/v1/retention/preview", ""},
		{hogo.RoleStaff, "GET", "/api/v1/retention/preview", ""},
		{hogo.RoleAdmin, "GET", "/api/v1/retention/preview", ""},
		{hogo.RoleStaff, "GET", "/api/v1/retention/holds", ""},
		{hogo.RoleDesk, "GET", "/api/v1/retention/disposals", ""},
		{hogo.RoleStaff, "GET", "/api/v1/retention/sweeps", ""},
		{hogo.RoleDesk, "GET", "/api/v1/retention/schedule", ""},
		{hogo.RoleStaff, "POST", "/api/v1/retention/sweeps", `{"approved_by":"代表取締役 架空一郎"}`},
		{aud, "POST", "/api/v1/retention/holds", `{"kind":"principal","target":"` + held + `","reason":"訴訟対応"}`},
		{aud, "POST", "/api/v1/retention/holds/0123456789abcdefghijklmnop/lift", ""},
		{aud, "POST", "/api/v1/retention/sweeps", `{"approved_by":"代表取締役 架空一郎"}`},
		{aud, "PUT", "/api/v1/retention/schedule", `{"approved_by":"代表取締役 架空一郎"}`},
	} {
		if r := h.as(c.role, c.method, c.path, c.body); r.status != http.StatusForbidden {
			t.Errorf("%s %s as %s: %d, want 403\n%s", c.method, c.path, c.role, r.status, r.body)
		}
	}

	// The preview: two due and one more to be held, one waiting, one
	// later; by the end of April 2027 the later one is due too.
	var pv retentionPreviewJSON
	r := h.as(aud, "GET", "/api/v1/retention/preview", "")
	r.decode(t, &pv)
	if js := pv.category("job_seeker"); r.status != 200 || pv.Horizon != "2026-11-24" || js.Due != 3 || js.Held != 0 || js.Waiting != 1 ||
		js.Earliest != "2026-07-10" || js.Name != "求職者" || js.Rule == "" || pv.Due != 3 {
		t.Fatalf("preview: %d %s", r.status, r.body)
	}
	h.as(mgr, "GET", "/api/v1/retention/preview?horizon=2027-04-30", "").decode(t, &pv)
	if js := pv.category("job_seeker"); pv.Horizon != "2027-04-30" || js.Due != 4 {
		t.Errorf("preview to 2027-04-30: %+v", pv)
	}

	// Bad input names the field, never the value.
	wantRetentionField(t, "malformed horizon", h.as(mgr, "GET", "/api/v1/retention/preview?horizon=2026-13-40", ""), 400, "horizon")
	wantRetentionField(t, "horizon not a date", h.as(mgr, "GET", "/api/v1/retention/preview?horizon=来月", ""), 400, "horizon")
	wantRetentionField(t, "unknown category", h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"category","target":"pets","reason":"訴訟対応"}`), 400, "target")
	wantRetentionField(t, "unknown kind", h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"everything","target":"job_seeker","reason":"訴訟対応"}`), 400, "kind")
	wantRetentionField(t, "malformed principal", h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"principal","target":"kakuu.e@example.jp","reason":"訴訟対応"}`), 400, "target")
	wantRetentionField(t, "no reason", h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"category","target":"job_seeker","reason":"  "}`), 400, "reason")
	wantRetentionField(t, "unknown field", h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"category","target":"job_seeker","reason":"x","until":"2027-01-01"}`), 400, "until")
	wantRetentionField(t, "sweep without approver", h.as(mgr, "POST", "/api/v1/retention/sweeps", `{}`), 400, "approved_by")
	wantRetentionField(t, "sweep with a blank approver", h.as(mgr, "POST", "/api/v1/retention/sweeps", `{"approved_by":"  "}`), 400, "approved_by")
	wantRetentionField(t, "bad limit", h.as(mgr, "GET", "/api/v1/retention/disposals?limit=lots", ""), 400, "limit")
	wantRetentionField(t, "bad all", h.as(mgr, "GET", "/api/v1/retention/holds?all=yes", ""), 400, "all")
	if r := h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"principal","target":"kakuu.e@example.jp","reason":"訴訟対応"}`); strings.Contains(r.String(), "kakuu") {
		t.Errorf("the refusal echoes the value: %s", r.body)
	}

	// Holds: one on a principal, one on a category, lifted (twice: a
	// conflict).
	var ph, ch retentionHoldJSON
	r = h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"principal","target":"`+held+`","reason":"訴訟対応（令和8年(ワ)第123号）"}`)
	r.decode(t, &ph)
	if r.status != http.StatusCreated || ph.ID == "" || ph.Kind != "principal" || ph.Target != held || ph.Reason != "訴訟対応（令和8年(ワ)第123号）" || ph.PlacedBy != userName(mgr) {
		t.Fatalf("hold: %d %s", r.status, r.body)
	}
	r = h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"category","target":"applicant","reason":"監督官庁の調査"}`)
	r.decode(t, &ch)
	if r.status != http.StatusCreated || ch.Kind != "category" {
		t.Fatalf("category hold: %d %s", r.status, r.body)
	}
	var holds struct{ Holds []retentionHoldJSON }
	h.as(aud, "GET", "/api/v1/retention/holds", "").decode(t, &holds)
	if len(holds.Holds) != 2 || holds.Holds[0].Reason == "" || holds.Holds[1].Reason == "" {
		t.Errorf("holds: %+v", holds)
	}
	r = h.as(mgr, "POST", "/api/v1/retention/holds/"+ch.ID+"/lift", "")
	var lifted retentionHoldJSON
	r.decode(t, &lifted)
	if r.status != http.StatusOK || lifted.LiftedAt == nil || lifted.LiftedBy != userName(mgr) || lifted.Reason != "監督官庁の調査" {
		t.Errorf("lift: %d %s", r.status, r.body)
	}
	wantRetentionField(t, "lift twice", h.as(mgr, "POST", "/api/v1/retention/holds/"+ch.ID+"/lift", ""), http.StatusConflict, "id")
	wantRetentionField(t, "lift unknown", h.as(mgr, "POST", "/api/v1/retention/holds/0123456789abcdefghijklmnop/lift", ""), http.StatusNotFound, "id")
	h.as(aud, "GET", "/api/v1/retention/holds", "").decode(t, &holds)
	if len(holds.Holds) != 1 || holds.Holds[0].ID != ph.ID {
		t.Errorf("standing holds after the lift: %+v", holds)
	}
	h.as(aud, "GET", "/api/v1/retention/holds?all=1", "").decode(t, &holds)
	if len(holds.Holds) != 2 {
		t.Errorf("all holds: %+v", holds)
	}

	// What a sweep today will erase, now the hold stands.
	var before retentionPreviewJSON
	h.as(mgr, "GET", "/api/v1/retention/preview", "").decode(t, &before)
	if js := before.category("job_seeker"); js.Due != 2 || js.Held != 1 {
		t.Fatalf("preview with the hold: %+v", before)
	}

	// The sweep: accepted, waiting; run by the worker; done, with its
	// disposal record.
	var sw retentionSweepJSON
	r = h.as(mgr, "POST", "/api/v1/retention/sweeps", `{"approved_by":"代表取締役 架空一郎"}`)
	r.decode(t, &sw)
	if r.status != http.StatusAccepted || sw.ID == "" || sw.State != hogo.JobAvailable || sw.ApprovedBy != "代表取締役 架空一郎" || sw.RequestedBy != userName(mgr) {
		t.Fatalf("sweep: %d %s", r.status, r.body)
	}
	var again retentionSweepJSON
	h.as(mgr, "POST", "/api/v1/retention/sweeps", `{"approved_by":"代表取締役 架空一郎"}`).decode(t, &again)
	if again.ID != sw.ID {
		t.Errorf("a second request while one waits made another sweep: %s, %s", sw.ID, again.ID)
	}
	var sweeps struct{ Sweeps []retentionSweepJSON }
	h.as(aud, "GET", "/api/v1/retention/sweeps", "").decode(t, &sweeps)
	if len(sweeps.Sweeps) != 1 || sweeps.Sweeps[0].State != hogo.JobAvailable || sweeps.Sweeps[0].FinishedAt != nil {
		t.Fatalf("sweeps before running: %+v", sweeps)
	}
	if ran, err := h.srv.Jobs.RunOne(ctx); !ran || err != nil {
		t.Fatalf("RunOne: %v %v", ran, err)
	}
	h.as(aud, "GET", "/api/v1/retention/sweeps", "").decode(t, &sweeps)
	done := sweeps.Sweeps[0]
	if len(sweeps.Sweeps) != 1 || done.State != hogo.JobDone || done.Attempts != 1 || done.Result == "" || done.FinishedAt == nil || done.LastError != "" {
		t.Fatalf("sweeps after running: %+v", sweeps)
	}
	var ds struct{ Disposals []retentionDisposalJSON }
	r = h.as(aud, "GET", "/api/v1/retention/disposals", "")
	r.decode(t, &ds)
	if r.status != 200 || len(ds.Disposals) != 1 {
		t.Fatalf("disposals: %d %s", r.status, r.body)
	}
	d := ds.Disposals[0]
	if d.ID != done.Result || !d.Done || d.ApprovedBy != "代表取締役 架空一郎" || d.Actor != userName(mgr) || !d.At.Equal(retentionNow) {
		t.Errorf("disposal record: %+v", d)
	}
	// Its counts are the preview's, category by category.
	total := 0
	for _, c := range append(before.Categories, before.Registers...) {
		if d.Counts[c.Category] != c.Due {
			t.Errorf("%s: %d erased, the preview said %d", c.Category, d.Counts[c.Category], c.Due)
		}
		total += c.Due
	}
	if len(d.Counts) == 0 || d.Records != before.Due || d.Principals != 1 {
		t.Errorf("disposal counts %v, %d records, %d principals whole; preview due %d (%d with the registers)", d.Counts, d.Records, d.Principals, before.Due, total)
	}
	// The one erased whole is gone; the employee keeps that record; the
	// held, waiting and later ones stay.
	if _, err := h.db.GetPrincipal(ctx, gone); hogo.ErrorCode(err) != hogo.ENOTFOUND {
		t.Errorf("the due principal is still there: %v", err)
	}
	if p, err := h.db.GetPrincipal(ctx, partial); err != nil || len(p.Records) != 1 {
		t.Errorf("the employee: %v", err)
	}
	for _, id := range []string{held, waiting, later} {
		if _, err := h.db.GetPrincipal(ctx, id); err != nil {
			t.Errorf("a principal who must stay is gone: %v", err)
		}
	}
	var after retentionPreviewJSON
	h.as(mgr, "GET", "/api/v1/retention/preview", "").decode(t, &after)
	if js := after.category("job_seeker"); js.Due != 0 || js.Held != 1 {
		t.Errorf("preview after the sweep: %+v", after)
	}

	// The standing approval of daily sweeps.
	var sc retentionScheduleJSON
	h.as(aud, "GET", "/api/v1/retention/schedule", "").decode(t, &sc)
	if sc.Standing || sc.ApprovedBy != "" {
		t.Errorf("schedule at first: %+v", sc)
	}
	r = h.as(mgr, "PUT", "/api/v1/retention/schedule", `{"approved_by":"取締役会（2026-11-20 決議）"}`)
	r.decode(t, &sc)
	if r.status != 200 || !sc.Standing || sc.ApprovedBy != "取締役会（2026-11-20 決議）" || sc.By != userName(mgr) || sc.At == nil || !sc.At.Equal(retentionNow) {
		t.Errorf("schedule set: %d %s", r.status, r.body)
	}
	h.as(aud, "GET", "/api/v1/retention/schedule", "").decode(t, &sc)
	if !sc.Standing || sc.ApprovedBy != "取締役会（2026-11-20 決議）" {
		t.Errorf("schedule read by the auditor: %+v", sc)
	}
	wantRetentionField(t, "schedule body", h.as(mgr, "PUT", "/api/v1/retention/schedule", `{"approver":"x"}`), 400, "approver")
	r = h.as(mgr, "PUT", "/api/v1/retention/schedule", `{"approved_by":""}`)
	sc = retentionScheduleJSON{}
	r.decode(t, &sc)
	if r.status != 200 || sc.Standing {
		t.Errorf("schedule withdrawn: %d %s", r.status, r.body)
	}
	h.as(mgr, "GET", "/api/v1/retention/schedule", "").decode(t, &sc)
	if sc.Standing {
		t.Errorf("schedule after withdrawal: %+v", sc)
	}

	// A hold on an incident keeps what the incident concerns; an
	// incident not in the register is refused.
	var inc struct{ ID string }
	h.as(hogo.RoleStaff, "POST", "/api/v1/incidents", `{"title":"USBメモリの紛失"}`).decode(t, &inc)
	var ih retentionHoldJSON
	r = h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"incident","target":"`+inc.ID+`","reason":"事案の調査中"}`)
	r.decode(t, &ih)
	if r.status != http.StatusCreated || ih.Kind != "incident" || ih.Target != inc.ID {
		t.Errorf("incident hold: %d %s", r.status, r.body)
	}
	if r := h.as(mgr, "POST", "/api/v1/retention/holds", `{"kind":"incident","target":"0123456789abcdefghijklmnop","reason":"事案の調査中"}`); r.status != http.StatusNotFound {
		t.Errorf("hold on an unknown incident: %d %s", r.status, r.body)
	}
	if r := h.as(mgr, "POST", "/api/v1/retention/holds/"+ih.ID+"/lift", ""); r.status != http.StatusOK {
		t.Errorf("lift the incident hold: %d %s", r.status, r.body)
	}

	// Every act audited; refusals too.
	acts := map[string]int{}
	es, err := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "retention.", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		acts[e.Action]++
	}
	if acts["retention.hold"] != 3 || acts["retention.lift"] != 2 || acts["retention.sweep_requested"] < 1 || acts["retention.disposal"] != 1 || acts["retention.schedule"] != 2 {
		t.Errorf("audit: %v", acts)
	}
	denied, _ := h.db.ListAudit(ctx, hogo.AuditFilter{Action: "access.denied", Limit: 100})
	if len(denied) != 12 {
		t.Errorf("%d refusals audited, want 12", len(denied))
	}

	// No personal data, nor the holds' reasons, in the log.
	logs := h.logs.String()
	for _, s := range []string{"kakuu", "example.jp", "架空 花子", "カクウ", "090-0000-1234", "訴訟対応", "監督官庁"} {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q", s)
		}
	}
}

// TestRetentionConsole: the page 保存期間と消去 for the manager (preview,
// holds, schedule, sweep, disposal records, each form with its CSRF token)
// and the auditor (reads, no forms, refused when posting); desk and staff
// are refused; bad input is shown on the page with a 400; the dashboard
// links its figure of the month to the page.
func TestRetentionConsole(t *testing.T) {
	h := newHarness(t, withRetention, atRetentionNow)
	_, _, held, _, _ := h.retentionSeekers()
	b := h.browser()
	b.loginAs(hogo.RoleManager)
	wantStatus(t, "page", b.get("/console/retention"), http.StatusOK, "保存期間と消去", "求職者", "消去予定（種別ごと）", "令和8年11月24日",
		`id="retention-category-job_seeker" data-due="3" data-held="0" data-waiting="1"`, "令和8年7月10日", `id="retention-hold-form"`,
		`id="retention-schedule-form"`, `id="retention-sweep-form"`, "今すぐ消去を実行", "廃棄記録", "定期消去は承認されていません")
	wantStatus(t, "later horizon", b.get("/console/retention?horizon=2027-04-30"), http.StatusOK, "令和9年4月30日",
		`id="retention-category-job_seeker" data-due="4"`)
	wantStatus(t, "bad horizon", b.get("/console/retention?horizon=2026-02-30x"), http.StatusBadRequest, "基準日（horizon）は")

	token := b.csrf("/console/retention")
	wantStatus(t, "no csrf", b.post("/console/retention/hold", url.Values{"kind": {"principal"}, "target": {held}, "reason": {"訴訟対応"}}),
		http.StatusForbidden)
	wantRedirect(t, "hold", b.post("/console/retention/hold", url.Values{"csrf": {token}, "kind": {"principal"}, "target": {held},
		"reason": {"訴訟対応（架空事件）"}}), http.StatusSeeOther, "/console/retention?done=hold")
	r := b.get("/console/retention?done=hold")
	wantStatus(t, "after hold", r, http.StatusOK, "保存を指示しました。", "訴訟対応（架空事件）", `href="/console/principals/`+held+`"`,
		`data-due="2" data-held="1"`)
	holdID := retentionCut(r.String(), `<tr id="hold-`, `"`)
	wantStatus(t, "unknown category", b.post("/console/retention/hold", url.Values{"csrf": {token}, "kind": {"category"}, "target": {"pets"},
		"reason": {"調査のため"}}), http.StatusBadRequest, "種別「pets」は台帳にありません。", "調査のため", `id="retention-hold-form"`)
	wantStatus(t, "bad kind", b.post("/console/retention/hold", url.Values{"csrf": {token}, "kind": {"all"}, "target": {"x"}, "reason": {"y"}}),
		http.StatusBadRequest, "principal、category、incident")
	wantRedirect(t, "lift", b.post("/console/retention/lift", url.Values{"csrf": {token}, "id": {holdID}}), http.StatusSeeOther,
		"/console/retention?done=lift")
	wantStatus(t, "lift twice", b.post("/console/retention/lift", url.Values{"csrf": {token}, "id": {holdID}}), http.StatusConflict,
		"この保存の指示は既に解除されています。")
	wantStatus(t, "lifted holds", b.get("/console/retention?all=1"), http.StatusOK, `data-lifted="1"`, "訴訟対応（架空事件）")

	wantStatus(t, "schedule without approver", b.post("/console/retention/schedule", url.Values{"csrf": {token}, "approved_by": {" "}}),
		http.StatusBadRequest, "approved_by")
	wantRedirect(t, "schedule", b.post("/console/retention/schedule", url.Values{"csrf": {token}, "approved_by": {"代表取締役 架空一郎"}}),
		http.StatusSeeOther, "/console/retention?done=schedule")
	wantStatus(t, "scheduled", b.get("/console/retention?done=schedule"), http.StatusOK, "定期消去の承認を記録しました。",
		`id="retention-schedule-approver">代表取締役 架空一郎`, `id="retention-schedule-since">令和8年11月24日 10:00`, `id="retention-unschedule-form"`)
	wantRedirect(t, "unschedule", b.post("/console/retention/unschedule", url.Values{"csrf": {token}}), http.StatusSeeOther,
		"/console/retention?done=unschedule")
	wantStatus(t, "unscheduled", b.get("/console/retention"), http.StatusOK, "定期消去は承認されていません")

	wantStatus(t, "sweep without approver", b.post("/console/retention/sweep", url.Values{"csrf": {token}}), http.StatusBadRequest,
		"消去を承認した者（approved_by）を記録してください。")
	wantRedirect(t, "sweep", b.post("/console/retention/sweep", url.Values{"csrf": {token}, "approved_by": {"代表取締役 架空一郎"}}),
		http.StatusSeeOther, "/console/retention?done=sweep")
	wantStatus(t, "sweep waiting", b.get("/console/retention?done=sweep"), http.StatusOK, "消去の実行を受け付けました。", `data-state="available"`, "待機中")
	if ran, err := h.srv.Jobs.RunOne(context.Background()); !ran || err != nil {
		t.Fatalf("RunOne: %v %v", ran, err)
	}
	r = b.get("/console/retention")
	wantStatus(t, "sweep done", r, http.StatusOK, `data-state="done"`, "完了", `data-done="true"`, "令和8年11月24日 10:00",
		`<span class="count" data-category="job_seeker">求職者: 3</span>`, `<td class="principals">2</td>`, `<td class="records">3</td>`,
		`id="retention-category-job_seeker" data-due="0"`)
	if id := retentionCut(r.String(), `<tr id="disposal-`, `"`); id == "" || !strings.Contains(r.String(), `href="#disposal-`+id+`"`) {
		t.Errorf("the sweep does not link its disposal record %q", id)
	}
	wantStatus(t, "unknown action", b.post("/console/retention/erase-all", url.Values{"csrf": {token}}), http.StatusNotFound)
	wantStatus(t, "english", b.get("/console/retention?lang=en"), http.StatusOK, "Retention and disposal", "Job seekers", "Run sweep now", "Disposal records")

	// The dashboard's figure of the month leads here.
	// It is counted by a job, not on every view: pending at first.
	home := b.get("/console/")
	wantStatus(t, "dashboard before the forecast", home, http.StatusOK, `id="dash-retention"`, `id="dash-retention-pending"`)
	if ran, err := h.srv.Jobs.RunOne(context.Background()); !ran || err != nil {
		t.Fatalf("forecast job: %v %v", ran, err)
	}
	home = b.get("/console/")
	wantStatus(t, "dashboard", home, http.StatusOK, `id="dash-retention"`, `href="/console/retention?horizon=2026-11-30" id="dash-retention-due">Due 0</a>`)
	if !strings.Contains(home.String(), `id="nav-retention"`) {
		t.Error("the manager has no retention in the navigation")
	}

	// The auditor reads, without forms, and may not post.
	a := h.browser()
	a.loginAs(hogo.RoleAuditor)
	r = a.get("/console/retention")
	wantStatus(t, "auditor", r, http.StatusOK, "保存期間と消去", "廃棄記録", "代表取締役 架空一郎", `id="nav-retention"`)
	for _, form := range []string{`id="retention-hold-form"`, `id="retention-sweep-form"`, `id="retention-schedule-form"`, `action="/console/retention/lift"`} {
		if strings.Contains(r.String(), form) {
			t.Errorf("the auditor is offered %s", form)
		}
	}
	wantStatus(t, "auditor posts", a.post("/console/retention/sweep", url.Values{"csrf": {a.csrf("/console/retention")},
		"approved_by": {"代表取締役 架空一郎"}}), http.StatusForbidden, msgForbidden)
	for _, role := range []hogo.Role{hogo.RoleStaff, hogo.RoleDesk} {
		s := h.browser()
		s.loginAs(role)
		wantStatus(t, string(role), s.get("/console/retention"), http.StatusForbidden, msgForbidden)
		if strings.Contains(s.get("/console/").String(), `id="nav-retention"`) {
			t.Errorf("%s see retention in the navigation", role)
		}
	}
	if logs := h.logs.String(); strings.Contains(logs, "架空事件") || strings.Contains(logs, "example.jp") {
		t.Error("the log holds personal data or a hold's reason")
	}
}

// retentionCut returns the text of s after the first before, up to after.
func retentionCut(s, before, after string) string {
	_, rest, ok := strings.Cut(s, before)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, after)
	return v
}
