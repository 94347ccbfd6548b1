package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/ledger"
	"hogo.example.jp/hogo/letter/pdftext"
	"hogo.example.jp/hogo/vault"
	"hogo.example.jp/hogo/web"
)

// TestConsentAPI is the documented path: a purpose that needs consent is
// refused without one, allowed with one, refused again once it is
// withdrawn; the history keeps all of it.
func TestConsentAPI(t *testing.T) {
	h := newHarness(t)
	const mgr = hogo.RoleManager
	pid, _ := createPrincipal(h, taroBody)
	read := func() int { return h.as(mgr, "GET", "/api/v1/principals/"+pid+"?purpose=marketing", "").status }
	if st := read(); st != http.StatusForbidden {
		t.Fatalf("marketing read without consent: %d, want 403", st)
	}
	r := h.as(mgr, "POST", "/api/v1/principals/"+pid+"/consents", `{"purposes":["marketing"],"recipients":["client_company"],"method":"web_form"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("consent: %d %s", r.status, r.body)
	}
	var c struct{ ID string }
	r.decode(t, &c)
	if !vault.ValidID(c.ID) {
		t.Fatalf("consent id %q", c.ID)
	}
	if st := read(); st != http.StatusOK {
		t.Fatalf("marketing read with consent: %d, want 200", st)
	}
	// The receipt, as JSON and as a PDF for the principal.
	var rc vault.Receipt
	if r := h.as(hogo.RoleStaff, "GET", "/api/v1/principals/"+pid+"/consents/"+c.ID+"/receipt", ""); r.status != http.StatusOK {
		t.Fatalf("receipt: %d %s", r.status, r.body)
	} else {
		r.decode(t, &rc)
	}
	if rc.ConsentReceiptID != c.ID || rc.Jurisdiction != "JP" || len(rc.Services) != 1 || rc.Services[0].Purpose != "当社からの情報提供" ||
		len(rc.Recipients) != 1 || rc.Recipients[0].Name != "派遣先・紹介先の企業" || rc.Status != vault.ConsentLive || rc.Controllers[0].Name == "" {
		t.Errorf("receipt: %+v", rc)
	}
	pdf := h.as(mgr, "GET", "/api/v1/principals/"+pid+"/consents/"+c.ID+"/receipt?format=pdf", "")
	if text, err := pdftext.Text(pdf.body); err != nil || !strings.Contains(text, "同意の記録") || !strings.Contains(text, "当社からの情報提供") || !strings.Contains(text, c.ID) {
		t.Errorf("receipt PDF: %v\n%s", err, text)
	}
	if r := h.as(mgr, "DELETE", "/api/v1/principals/"+pid+"/consents/"+c.ID, ""); r.status != http.StatusNoContent {
		t.Fatalf("withdraw: %d %s", r.status, r.body)
	}
	if st := read(); st != http.StatusForbidden {
		t.Fatalf("marketing read after withdrawal: %d, want 403", st)
	}
	if r := h.as(mgr, "DELETE", "/api/v1/principals/"+pid+"/consents/"+c.ID, ""); r.status != http.StatusConflict {
		t.Errorf("second withdrawal: %d", r.status)
	}
	var hist struct {
		Consents []vault.ConsentView `json:"consents"`
	}
	h.as(hogo.RoleAuditor, "GET", "/api/v1/principals/"+pid+"/consents", "").decode(t, &hist)
	if len(hist.Consents) != 1 || hist.Consents[0].Status != vault.ConsentWithdrawn || hist.Consents[0].WithdrawnVia != "api" ||
		hist.Consents[0].RecordedBy != userName(mgr) {
		t.Errorf("history: %+v", hist.Consents)
	}
	// Bad input names the field.
	for _, tc := range []struct{ body, field string }{
		{`{"purposes":[],"method":"web_form"}`, "purposes"},
		{`{"purposes":["fortune"],"method":"web_form"}`, "purposes"},
		{`{"recipients":["nobody"],"method":"web_form"}`, "recipients"},
		{`{"purposes":["marketing"],"method":"telepathy"}`, "method"},
		{`{"purposes":["marketing"],"method":"verbal"}`, "witness"},
		{`{"purposes":["marketing"],"method":"paper","expires_at":"2020-01-01T00:00:00Z"}`, "expires_at"},
	} {
		r := h.as(mgr, "POST", "/api/v1/principals/"+pid+"/consents", tc.body)
		if code, _, field := r.errorJSON(t); r.status != http.StatusBadRequest || code != hogo.EINVALID || field != tc.field {
			t.Errorf("%s: %d %s %s, want 400 on %s", tc.body, r.status, code, field, tc.field)
		}
	}
	// A verbal consent with its witness; the auditor may not record one.
	if r := h.as(mgr, "POST", "/api/v1/principals/"+pid+"/consents", `{"purposes":["marketing"],"method":"verbal","witness":"窓口 受付子"}`); r.status != http.StatusCreated {
		t.Errorf("verbal consent: %d %s", r.status, r.body)
	}
	if r := h.as(hogo.RoleAuditor, "POST", "/api/v1/principals/"+pid+"/consents", `{"purposes":["marketing"],"method":"web_form"}`); r.status != http.StatusForbidden {
		t.Errorf("auditor recording consent: %d", r.status)
	}
}

// TestConsentExpiryAndRewording: a consent lapses at its expiry, and stops
// covering a purpose once the ledger words the purpose differently; the
// principal is then listed to be asked again.
func TestConsentExpiryAndRewording(t *testing.T) {
	h := newHarness(t)
	const mgr = hogo.RoleManager
	pid, _ := createPrincipal(h, taroBody)
	now := time.Now()
	exp := now.Add(time.Hour).UTC().Format(time.RFC3339)
	r := h.as(mgr, "POST", "/api/v1/principals/"+pid+"/consents", fmt.Sprintf(`{"purposes":["marketing"],"method":"paper","expires_at":%q}`, exp))
	if r.status != http.StatusCreated {
		t.Fatalf("consent: %d %s", r.status, r.body)
	}
	read := func() int { return h.as(mgr, "GET", "/api/v1/principals/"+pid+"?purpose=marketing", "").status }
	if st := read(); st != http.StatusOK {
		t.Fatalf("before expiry: %d", st)
	}
	h.srv.Vault.Now = func() time.Time { return now.Add(2 * time.Hour) }
	if st := read(); st != http.StatusForbidden {
		t.Fatalf("after expiry: %d", st)
	}
	h.srv.Vault.Now = time.Now
	h.as(mgr, "POST", "/api/v1/principals/"+pid+"/consents", `{"purposes":["marketing"],"method":"paper"}`)
	if st := read(); st != http.StatusOK {
		t.Fatalf("with a new consent: %d", st)
	}
	// The ledger rewords marketing.
	st := h.srv.Ledger()
	changed := strings.Replace(string(st.YAML), "当社からの情報提供のため（各種キャンペーン・セミナーのご案内）", "当社および提携先からの情報提供のため", 1)
	if changed == string(st.YAML) {
		t.Fatal("the ledger text to change was not found")
	}
	reload(t, h, changed)
	if st := read(); st != http.StatusForbidden {
		t.Fatalf("after the purpose was reworded: %d, want 403", st)
	}
	var list struct {
		Principals []vault.Reconsent `json:"principals"`
	}
	h.as(mgr, "GET", "/api/v1/consents/reconsent", "").decode(t, &list)
	if len(list.Principals) != 1 || list.Principals[0].Principal != pid || list.Principals[0].Terms[0] != "purpose:marketing" {
		t.Errorf("reconsent list: %+v", list.Principals)
	}
}

// TestConsentProperty: over random histories of consents (to random
// purposes, with or without expiry) and withdrawals, a purpose is usable
// exactly when some consent to it stands: never by an expired or withdrawn
// one.
func TestConsentProperty(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	mgr := hogo.Actor{UserID: h.users[hogo.RoleManager].ID, Name: userName(hogo.RoleManager), Role: hogo.RoleManager}
	v := h.srv.Vault
	base := time.Date(2026, 11, 24, 10, 0, 0, 0, hogo.Tokyo)
	clock := base
	v.Now = func() time.Time { return clock }
	defer func() { v.Now = time.Now }()
	rnd := rand.New(rand.NewPCG(7, 11))
	purposes := []string{"marketing", "job_matching"}
	for round := 0; round < 25; round++ {
		pid, _ := createPrincipal(h, taroBody)
		type held struct {
			id        string
			purpose   string
			expires   time.Time
			withdrawn bool
		}
		var hist []held
		for step := 0; step < 8; step++ {
			clock = clock.Add(time.Duration(rnd.IntN(90)) * time.Minute)
			switch rnd.IntN(3) {
			case 0, 1:
				in := vault.ConsentInput{Purposes: []string{purposes[rnd.IntN(len(purposes))]}, Method: hogo.ConsentPaper}
				if rnd.IntN(2) == 0 {
					in.ExpiresAt = clock.Add(time.Duration(1+rnd.IntN(120)) * time.Minute)
				}
				c, err := v.GiveConsent(ctx, mgr, pid, in)
				if err != nil {
					t.Fatal(err)
				}
				hist = append(hist, held{c.ID, in.Purposes[0], in.ExpiresAt, false})
			case 2:
				if len(hist) == 0 {
					continue
				}
				i := rnd.IntN(len(hist))
				err := v.WithdrawConsent(ctx, mgr, pid, hist[i].id, vault.ViaDesk)
				if hist[i].withdrawn != (hogo.ErrorCode(err) == hogo.ECONFLICT) {
					t.Fatalf("withdrawal of %d (withdrawn %v): %v", i, hist[i].withdrawn, err)
				}
				hist[i].withdrawn = true
			}
			want := false
			for _, x := range hist {
				if x.purpose == "marketing" && !x.withdrawn && (x.expires.IsZero() || clock.Before(x.expires)) {
					want = true
				}
			}
			_, err := v.Get(ctx, mgr, pid, vault.Use{Purpose: "marketing"})
			if got := err == nil; got != want {
				t.Fatalf("round %d step %d: marketing allowed %v, want %v (history %+v, now %v): %v", round, step, got, want, hist, clock, err)
			}
		}
	}
}

// reload makes text the ledger in force, as a restart with a changed
// ledger file would.
func reload(t *testing.T, h *harness, text string) {
	t.Helper()
	l, ps := ledger.ParseAndValidate("staffing.yaml", []byte(text))
	if l == nil {
		t.Fatalf("changed ledger does not load: %v", ps.Errors())
	}
	h.srv.SetLedger(&web.LedgerState{Ledger: l, YAML: []byte(text), Digest: ledger.Digest([]byte(text))})
}

// TestConsentExportAndNotice: an export for a purpose that needs consent
// holds exactly the principals who consented; the portal's notice lists
// the recipients and processors from the ledger.
func TestConsentExportAndNotice(t *testing.T) {
	h := newHarness(t)
	const mgr = hogo.RoleManager
	yes, _ := createPrincipal(h, taroBody)
	createPrincipal(h, strings.Replace(taroBody, "taro@example.jp", "jiro@example.jp", 1))
	h.as(mgr, "POST", "/api/v1/principals/"+yes+"/consents", `{"purposes":["marketing"],"method":"web_form"}`)
	r := h.as(mgr, "GET", "/api/v1/principals/export?category=job_seeker&purpose=marketing&format=csv", "")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "taro@example.jp") || strings.Contains(string(r.body), "jiro@example.jp") {
		t.Errorf("marketing export: %d\n%s", r.status, r.body)
	}
	r = h.send(http.DefaultClient, "GET", "/", nil, nil)
	for _, want := range []string{`id="provision"`, "派遣先・紹介先の企業", `id="entrustment"`, "給与計算代行会社", `href="/consents"`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("the portal lacks %q", want)
		}
	}
}
